"""Collecting an LMS download: each student's notebook from a zip into ``submitted/``.

nbgrader's ``FileNameCollectorPlugin`` reads the student from each member's path inside the zip
(``\\`` taken as ``/``; nbgrader's own ``zip_collect`` matches the extracted file's absolute path), so
``c.FileNameCollectorPlugin.named_regexp`` in nbgrader_config.py sets the pattern as nbgrader documents:
a ``student_id`` group is required, and a ``timestamp`` group, if any, picks a student's newest notebook.
``DEFAULT_PATTERN`` takes the Moodle/Canvas name ``<student_id>_<anything>_<file name>.ipynb`` at the
top of the zip, as a file (``jsmith_12345_01_finite_differences.ipynb``) or as a folder holding the
file (``jsmith_12345_assignsubmission_file_/01_finite_differences.ipynb``). Nothing is extracted:
only validated notebook members are read, then written to ``submitted/``.
"""

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PureWindowsPath

from nbgrader.plugins import FileNameCollectorPlugin
from nbgrader.utils import parse_utc

from gradlab.course import Course, CourseError

DEFAULT_PATTERN = r"(?P<student_id>[^/_]+)_[^/]*?[_/](?P<file_id>[^/]+\.ipynb)$"
MAX_NOTEBOOK_BYTES = 50 * 2**20
SAFE_STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # so never . or ..
# Corrupt or truncated data, encryption, an unsupported compression method.
UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)


@dataclass(frozen=True)
class Collected:
    student: str
    path: Path


@dataclass(frozen=True)
class Skipped:
    member: str
    reason: str


def collect(course: Course, archive: Path, assignment: str) -> tuple[list[Collected], list[Skipped]]:
    """Copy each student's notebook from an LMS zip into ``submitted/<student>/<assignment>/``.

    Returns the notebooks written (by student) and the members left out with why (by member name).
    """
    course.select([assignment])
    collector = _collector(course)
    with _open_zip(Path(archive)) as zf:
        candidates, skipped = {}, []
        for position, info in enumerate(zf.infolist()):
            identity = _identify(collector, info)
            if isinstance(identity, str):
                skipped.append(Skipped(info.filename, identity))
            else:
                student, timestamp = identity
                candidates.setdefault(student, []).append((timestamp, position, info))
        collected = []
        for student, members in candidates.items():
            *_, kept = max(members)
            reason = f"duplicate: a later file of student {student} was kept: {kept.filename}"
            skipped += [Skipped(info.filename, reason) for *_, info in members if info is not kept]
            data = _read(zf, kept)
            if isinstance(data, str):
                skipped.append(Skipped(kept.filename, data))
                continue
            path = course.submission(student, assignment) / f"{assignment}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            collected.append(Collected(student, path))
    return sorted(collected, key=lambda c: c.student), sorted(skipped, key=lambda s: s.member)


def _collector(course: Course) -> FileNameCollectorPlugin:
    collector = FileNameCollectorPlugin(config=course.config)
    collector.named_regexp = collector.named_regexp or DEFAULT_PATTERN
    try:
        groups = re.compile(collector.named_regexp).groupindex
    except re.error as error:
        raise CourseError(f"FileNameCollectorPlugin.named_regexp is not a regular expression: {error}") from None
    if "student_id" not in groups:
        raise CourseError("FileNameCollectorPlugin.named_regexp has no (?P<student_id>...) group")
    return collector


def _open_zip(archive: Path) -> zipfile.ZipFile:
    if not archive.is_file():
        raise CourseError(f"{archive}: no such file")
    try:
        return zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise CourseError(f"{archive} is not a zip archive") from None


def _identify(collector: FileNameCollectorPlugin, info: zipfile.ZipInfo) -> tuple[str, datetime] | str:
    """The member's student and timestamp (``datetime.min`` when none), or why it is skipped."""
    path = PureWindowsPath(info.filename)
    if path.anchor or ".." in path.parts:
        return "unsafe path (leaves the archive)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "symbolic link"
    if info.is_dir() or path.suffix != ".ipynb" or path.parts[0] == "__MACOSX":
        return "not a notebook"
    if info.file_size > MAX_NOTEBOOK_BYTES:
        return f"larger than {MAX_NOTEBOOK_BYTES} bytes"
    groups = collector.collect("/".join(path.parts))
    if not groups or groups.get("student_id") is None:
        return "name does not match the pattern"
    student = groups["student_id"]
    if not SAFE_STUDENT_ID.fullmatch(student):
        return f"student id {student!r} is not a safe folder name"
    try:
        return student, parse_utc(groups.get("timestamp")) or datetime.min
    except (ValueError, OverflowError):
        return f"timestamp {groups['timestamp']!r} is not a date"


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | str:
    """The member's bytes, read no further than the size limit, or why they cannot be used."""
    try:
        with zf.open(info) as member:
            data = member.read(MAX_NOTEBOOK_BYTES + 1)
    except UNREADABLE as error:
        return f"unreadable: {error}"
    return data if len(data) <= MAX_NOTEBOOK_BYTES else f"larger than {MAX_NOTEBOOK_BYTES} bytes"
