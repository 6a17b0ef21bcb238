"""Collecting an LMS download: each student's notebook from a zip into ``submitted/``.

The layout is read from the member names, as the LMS writes them:

- Canvas (*Download Submissions*): ``<name>_[LATE_]<user id>_<file id>_<file name>`` at the top of the
  zip, ``<name>`` the student's sortable name run together in lower case (``smithjohn``), ``LATE`` when
  Canvas counts the submission late, and a re-uploaded file name with ``-1``, ``-2``... appended.
- Moodle (*Download all submissions*): ``<Full Name>_<participant id>_assignsubmission_file_/<file name>``,
  or the same without the ``/`` (flat). The participant id is Moodle's per-assignment identifier.

A ``c.FileNameCollectorPlugin.named_regexp`` in nbgrader_config.py replaces both, as nbgrader documents it:
a ``student_id`` group is required, and a ``timestamp`` group, if any, picks a student's newest notebook.

Student ids: a student of the gradebook (loaded with ``gradlab roster import``) with the member's Canvas
user id, or the Moodle full name; otherwise the name made a safe folder name (``smithjohn``,
``jose-nunez``). Two people never get the same id: that stops the collection before anything is written.

Submission times: Moodle writes each file's time into the zip; it becomes nbgrader's ``timestamp.txt``.
Canvas writes the time it built the zip, which says nothing of the submission: no ``timestamp.txt``, and
its late marker and file id (a later upload has a larger one) are kept instead. What was collected from
whom is kept in ``submitted/collected.csv``. Nothing is extracted: only validated notebook members are
read, then written to ``submitted/``.
"""

import csv
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PureWindowsPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nbgrader.plugins import FileNameCollectorPlugin
from nbgrader.utils import parse_utc

from gradlab import nbgrader_api
from gradlab.course import Course, CourseError
from gradlab.roster import SAFE_STUDENT_ID, gradebook_students, same_name

CANVAS, MOODLE = "Canvas", "Moodle"
CANVAS_NAME = re.compile(r"(?P<name>[^_/]+)_(?:(?P<late>late)_)?(?P<user_id>\d+)_(?P<file_id>\d+)_(?P<file>[^/]+\.ipynb)",
                         re.IGNORECASE)
MOODLE_NAME = re.compile(r"(?P<name>[^_/]+)_(?P<user_id>\d+)_assignsubmission_file_(?:/[^/]+)*?/?(?P<file>[^/]+\.ipynb)")
RESUBMITTED = re.compile(r"-\d+(?=\.ipynb$)")  # Canvas's suffix for a file name uploaded again
RECORD = "collected.csv"
RECORD_FIELDS = ("student", "assignment", "lms", "lms_user_id", "lms_name", "file_id", "submitted_at", "late", "member")
TIMESTAMP = "timestamp.txt"
MAX_NOTEBOOK_BYTES = 50 * 2**20
# Corrupt or truncated data, encryption, an unsupported compression method.
UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)


@dataclass(frozen=True)
class Collected:
    student: str
    path: Path
    lms: str = ""
    lms_user_id: str = ""
    lms_name: str = ""
    submitted_at: datetime | None = None  # UTC
    late: bool = False                    # Canvas's late marker


@dataclass(frozen=True)
class Skipped:
    member: str
    reason: str


@dataclass(frozen=True)
class Collection:
    collected: list[Collected]
    kept: list[Skipped]     # a submission already collected is as new or newer
    skipped: list[Skipped]  # members left out


@dataclass(frozen=True)
class _Member:
    """A notebook of the download and whom the LMS says it is from."""
    info: zipfile.ZipInfo
    lms: str           # CANVAS, MOODLE, or "" for c.FileNameCollectorPlugin.named_regexp
    name: str          # Canvas's run-together name, Moodle's full name, or the pattern's student id
    lms_user_id: str = ""
    file: str = ""
    late: bool = False
    file_id: int = 0
    submitted_at: datetime | None = None
    position: int = 0

    @property
    def person(self) -> tuple[str, str]:
        return (self.lms, self.lms_user_id) if self.lms else ("", self.name)


def collect(course: Course, archive: Path, assignment: str, zone: str | None = None) -> Collection:
    """Copy each student's notebook from an LMS zip into ``submitted/<student>/<assignment>/``.

    ``zone`` is the time zone of the dates Moodle writes into the zip (default: this machine's).
    Returns the notebooks written, the members passed over because the submission collected before is as
    new or newer, and the members left out, each with why."""
    course.select([assignment])
    collector = _collector(course)
    tz = _zone(zone)
    with _open_zip(Path(archive)) as zf:
        members, skipped = [], []
        for position, info in enumerate(zf.infolist()):
            member = _unsafe(info) or _identify(collector, info, tz, position)
            (members if isinstance(member, _Member) else skipped).append(member)
        skipped = [Skipped(info.filename, reason) for info, reason in skipped]
        if len({m.lms for m in members}) > 1:
            raise CourseError(f"{archive} mixes Canvas and Moodle file names; collect each LMS's download on its own")
        chosen, duplicates = _one_per_person(members, assignment)
        skipped += duplicates
        ids, unnamed = _student_ids(course, chosen)
        skipped += unnamed
        records = read_collected(course)
        collected, kept = [], []
        for member in chosen:
            if member.person not in ids:
                continue
            student = ids[member.person]
            reason = _kept_because(course, student, assignment, member, records.get((student, assignment)))
            if reason:
                kept.append(Skipped(member.info.filename, reason))
                continue
            data = _read(zf, member.info)
            if isinstance(data, str):
                skipped.append(Skipped(member.info.filename, data))
                continue
            collected.append(_write(course, student, assignment, member, data))
            records[student, assignment] = _record(student, assignment, member)
    if any(c.lms for c in collected):
        _record_students(course, chosen, ids)
        _write_records(course, records)
    return Collection(sorted(collected, key=lambda c: c.student), sorted(kept, key=lambda s: s.member),
                      sorted(skipped, key=lambda s: s.member))


def _collector(course: Course) -> FileNameCollectorPlugin | None:
    """nbgrader's collector plugin when the course sets a pattern of its own, else None (LMS naming)."""
    collector = FileNameCollectorPlugin(config=course.config)
    if not collector.named_regexp:
        return None
    try:
        groups = re.compile(collector.named_regexp).groupindex
    except re.error as error:
        raise CourseError(f"FileNameCollectorPlugin.named_regexp is not a regular expression: {error}") from None
    if "student_id" not in groups:
        raise CourseError("FileNameCollectorPlugin.named_regexp has no (?P<student_id>...) group")
    return collector


def _zone(name: str | None):
    if name is None:
        return datetime.now().astimezone().tzinfo
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CourseError(f"unknown time zone {name!r} (give one such as Europe/Paris or UTC)") from None


def _open_zip(archive: Path) -> zipfile.ZipFile:
    if not archive.is_file():
        raise CourseError(f"{archive}: no such file")
    try:
        return zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise CourseError(f"{archive} is not a zip archive") from None


def _unsafe(info: zipfile.ZipInfo) -> tuple[zipfile.ZipInfo, str] | None:
    """Why the member cannot be a submission whatever its name says, or None."""
    path = PureWindowsPath(info.filename)
    if path.anchor or ".." in path.parts:
        return info, "unsafe path (leaves the archive)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return info, "symbolic link"
    if info.is_dir() or path.suffix != ".ipynb" or path.parts[0] == "__MACOSX":
        return info, "not a notebook"
    if info.file_size > MAX_NOTEBOOK_BYTES:
        return info, f"larger than {MAX_NOTEBOOK_BYTES} bytes"
    return None


def _identify(collector, info: zipfile.ZipInfo, tz, position: int) -> "_Member | tuple[zipfile.ZipInfo, str]":
    """The member with whom it is from, or why it is skipped."""
    path = "/".join(PureWindowsPath(info.filename).parts)
    if collector:
        groups = collector.collect(path)
        if not groups or groups.get("student_id") is None:
            return info, "name does not match the pattern"
        if not SAFE_STUDENT_ID.fullmatch(groups["student_id"]):
            return info, f"student id {groups['student_id']!r} is not a safe folder name"
        try:
            submitted_at = parse_utc(groups.get("timestamp"))
        except (ValueError, OverflowError):
            return info, f"timestamp {groups['timestamp']!r} is not a date"
        return _Member(info, "", groups["student_id"], submitted_at=submitted_at, position=position)
    if match := CANVAS_NAME.fullmatch(path):
        return _Member(info, CANVAS, match["name"], match["user_id"], match["file"], late=bool(match["late"]),
                       file_id=int(match["file_id"]), position=position)
    if match := MOODLE_NAME.fullmatch(path):
        return _Member(info, MOODLE, match["name"], match["user_id"], match["file"],
                       submitted_at=_member_time(info, tz), position=position)
    return info, "name follows neither Canvas's nor Moodle's naming"


def _member_time(info: zipfile.ZipInfo, tz) -> datetime:
    """The member's modification time in UTC: its extended timestamp if it has one, else its date read in ``tz``."""
    extra = info.extra
    while len(extra) >= 4:
        kind, size = struct.unpack("<HH", extra[:4])
        if kind == 0x5455 and size >= 5 and extra[4] & 1:  # extended timestamp, modification time set
            return datetime.fromtimestamp(struct.unpack("<i", extra[5:9])[0], timezone.utc).replace(tzinfo=None)
        extra = extra[4 + size:]
    local = datetime(*info.date_time, tzinfo=tz)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def _one_per_person(members: list[_Member], assignment: str) -> tuple[list[_Member], list[Skipped]]:
    """Each person's notebook: the one named after the assignment if any, else the newest."""
    people = {}
    for member in members:
        people.setdefault(member.person, []).append(member)
    chosen, skipped = [], []
    for candidates in people.values():
        kept = max(candidates, key=lambda m: (RESUBMITTED.sub("", m.file) == f"{assignment}.ipynb",
                                              m.submitted_at or datetime.min, m.file_id, m.position))
        chosen.append(kept)
        skipped += [Skipped(m.info.filename, f"duplicate: another file of the same student was kept: {kept.info.filename}")
                    for m in candidates if m is not kept]
    return chosen, skipped


def _student_ids(course: Course, members: list[_Member]) -> tuple[dict, list[Skipped]]:
    """Each person's student id, and the members whose name gives none; raise if two people would share one."""
    roster = gradebook_students(course) if any(m.lms for m in members) else []
    by_lms_id = {s.lms_user_id: s.id for s in roster if s.lms_user_id}
    ids, unnamed, problems = {}, [], []
    for member in members:
        if not member.lms:
            ids[member.person] = member.name
        elif member.lms == CANVAS and member.lms_user_id in by_lms_id:
            ids[member.person] = by_lms_id[member.lms_user_id]
        elif member.lms == MOODLE and (named := [s.id for s in roster if same_name(s.full_name, member.name)]):
            if len(named) > 1:
                problems.append(f"{member.info.filename}: the roster has {len(named)} students named "
                                f"{member.name!r} ({', '.join(named)})")
            ids[member.person] = named[0]
        elif slug := _slug(member.name):
            ids[member.person] = slug
        else:
            unnamed.append(Skipped(member.info.filename, f"no student id can be made of the name {member.name!r}: "
                                                         f"add the student to the roster (gradlab roster import)"))
    known = {s.id: s for s in roster}
    taken = {}
    for member in members:
        student = ids.get(member.person)
        if student is None:
            continue
        if student in taken and taken[student].person != member.person:
            problems.append(f"{taken[student].info.filename} and {member.info.filename} are two people "
                            f"but would both be student {student!r}")
        taken.setdefault(student, member)
        other = known.get(student)
        if other and member.lms == CANVAS and other.lms_user_id and other.lms_user_id != member.lms_user_id:
            problems.append(f"{member.info.filename} (Canvas user {member.lms_user_id}) would be student {student!r}, "
                            f"who is Canvas user {other.lms_user_id}")
        if other and member.lms == MOODLE and other.full_name and not same_name(other.full_name, member.name):
            problems.append(f"{member.info.filename} ({member.name}) would be student {student!r}, "
                            f"who is {other.full_name}")
    if problems:
        raise CourseError("nothing collected: " + "; ".join(problems) + ". Give each of them a student id of "
                          "their own in a roster (gradlab roster import)")
    return ids, unnamed


def _slug(name: str) -> str:
    """The name as a safe folder name: accents dropped, lower case, words joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")


def _kept_because(course: Course, student: str, assignment: str, member: _Member, record: dict | None) -> str:
    """Why the submission already collected stays instead of this one, or '' when this one replaces it."""
    folder = course.submission(student, assignment)
    if not (folder / f"{assignment}.ipynb").is_file():
        return ""
    if member.lms == CANVAS and record and record["file_id"]:
        mine, theirs, then = member.file_id, int(record["file_id"]), f"Canvas file {record['file_id']}"
    elif member.submitted_at and (folder / TIMESTAMP).is_file():
        try:
            mine, theirs = member.submitted_at, parse_utc((folder / TIMESTAMP).read_text().strip())
        except (ValueError, OverflowError):  # not a date: nothing says the collected one is newer
            return ""
        then = f"submitted {_shown(theirs)}"
    else:
        return ""
    if mine > theirs:
        return ""
    return (f"unchanged: student {student} was collected from the same submission before" if mine == theirs else
            f"older than the submission of student {student} collected before ({then}), which is kept")


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | str:
    """The member's bytes, read no further than the size limit, or why they cannot be used."""
    try:
        with zf.open(info) as member:
            data = member.read(MAX_NOTEBOOK_BYTES + 1)
    except UNREADABLE as error:
        return f"unreadable: {error}"
    return data if len(data) <= MAX_NOTEBOOK_BYTES else f"larger than {MAX_NOTEBOOK_BYTES} bytes"


def _write(course: Course, student: str, assignment: str, member: _Member, data: bytes) -> Collected:
    """The notebook and, when known, nbgrader's timestamp.txt (UTC, in the format nbgrader writes)."""
    folder = course.submission(student, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.ipynb"
    path.write_bytes(data)
    if member.submitted_at:
        (folder / TIMESTAMP).write_text(f"{member.submitted_at:%Y-%m-%d %H:%M:%S.%f} UTC\n")
    else:
        (folder / TIMESTAMP).unlink(missing_ok=True)
    return Collected(student, path, member.lms, member.lms_user_id, member.name if member.lms else "",
                     member.submitted_at, member.late)


def _shown(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def _record(student: str, assignment: str, member: _Member) -> dict[str, str]:
    return {"student": student, "assignment": assignment, "lms": member.lms, "lms_user_id": member.lms_user_id,
            "lms_name": member.name, "file_id": str(member.file_id or ""),
            "submitted_at": f"{member.submitted_at.isoformat()}Z" if member.submitted_at else "",
            "late": "late" if member.late else "", "member": member.info.filename}


def _record_students(course: Course, members: list[_Member], ids: dict) -> None:
    """Give the gradebook what the download tells of each student it does not know yet: the Canvas user id,
    the name Moodle shows (first word as first name). A roster's entries are never overwritten."""
    known = {s.id: s for s in gradebook_students(course)}
    with nbgrader_api.gradebook(course) as gradebook:
        for member in members:
            student = ids.get(member.person)
            if not member.lms or student is None:
                continue
            existing = known.get(student)
            details = {}
            if member.lms == CANVAS and not (existing and existing.lms_user_id):
                details["lms_user_id"] = member.lms_user_id
            if member.lms == MOODLE and not (existing and existing.full_name):
                first, _, last = member.name.strip().partition(" ")
                details.update(first_name=first, last_name=last or None)
            gradebook.update_or_create_student(student, **details)


def read_collected(course: Course) -> dict[tuple[str, str], dict[str, str]]:
    """What ``collect`` recorded of each (student, assignment): ``RECORD_FIELDS``, as text."""
    path = course.submitted / RECORD
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as file:
        return {(row["student"], row["assignment"]): {f: row.get(f) or "" for f in RECORD_FIELDS}
                for row in csv.DictReader(file)}


def _write_records(course: Course, records: dict) -> None:
    with (course.submitted / RECORD).open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, RECORD_FIELDS)
        writer.writeheader()
        writer.writerows(records[key] for key in sorted(records))
