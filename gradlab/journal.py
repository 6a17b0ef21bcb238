"""The resume journal: one entry per recorded submission, so an interrupted batch resumes where it stopped.

An entry holds the outcome and a fingerprint of everything that decided it: the submission, the
assignment's source, the course configuration and the grader itself. A changed fingerprint (a new
submission, a fixed test, a new version of gradlab or nbgrader) means grading again. ``recording`` alone
writes entries.
"""

import hashlib
import json
import os
from dataclasses import asdict, fields
from pathlib import Path

import nbgrader

import gradlab
from gradlab.course import CONFIG_FILE, Course
from gradlab.grading import Outcome

FOLDER = ".gradlab-journal"
PACKAGE = Path(gradlab.__file__).parent
# gradlab's modules whose code decides a score, a status or a feedback page.
GRADER_SOURCES = ("audit.py", "awaiting_grading.py", "feedback_html.py", "grading.py", "hidden_tests.py", "lateness.py",
                  "math_render.py", "nbgrader_api.py", "notebooks.py", "recording.py", "statuses.py", "status_pages.py",
                  "sandbox")


def grader_version() -> str:
    """gradlab's and nbgrader's versions and a digest of the grading code (see ``GRADER_SOURCES``)."""
    digest = hashlib.sha256()
    for name in GRADER_SOURCES:
        for path in sorted((PACKAGE / name).rglob("*.py")) if (PACKAGE / name).is_dir() else [PACKAGE / name]:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return f"gradlab {gradlab.__version__}, nbgrader {nbgrader.__version__}, code {digest.hexdigest()[:16]}"


GRADER_VERSION = grader_version()


def fingerprint(course: Course, student: str, assignment: str) -> str:
    """What a grade depends on: the submission's files, the assignment's source, the configuration and
    the grader."""
    digest = hashlib.sha256(GRADER_VERSION.encode() + b"\0")
    for folder in (course.submission(student, assignment), course.source / assignment):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update((course.root / CONFIG_FILE).read_bytes())
    return digest.hexdigest()


def entry_path(course: Course, student: str, assignment: str) -> Path:
    return course.autograded / FOLDER / assignment / f"{student}.json"


def write(course: Course, outcome: Outcome) -> None:
    """Note the outcome of grading the submission as it is now."""
    _write_entry(course, outcome, fingerprint(course, outcome.student, outcome.assignment))


def update(course: Course, outcome: Outcome) -> None:
    """Note a recorded outcome brought up to date (hand grading, a release) under its entry's fingerprint:
    a submission changed since it was graded stays due for grading."""
    path = entry_path(course, outcome.student, outcome.assignment)
    _write_entry(course, outcome, json.loads(path.read_text())["fingerprint"])


def _write_entry(course: Course, outcome: Outcome, digest: str) -> None:
    """Written atomically, so a kill leaves either the old entry or the new one."""
    path = entry_path(course, outcome.student, outcome.assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.with_suffix(".tmp").write_text(json.dumps({"fingerprint": digest, "outcome": asdict(outcome)}))
    os.replace(path.with_suffix(".tmp"), path)


def read(course: Course, student: str, assignment: str, *, current_only: bool = True) -> Outcome | None:
    """The outcome noted for a submission: None when there is none, when it cannot be read into today's
    ``Outcome`` or, with ``current_only``, when the fingerprint has changed since."""
    path = entry_path(course, student, assignment)
    if not path.is_file():
        return None
    entry = json.loads(path.read_text())
    if current_only and entry["fingerprint"] != fingerprint(course, student, assignment):
        return None
    known = {f.name for f in fields(Outcome)}
    saved = {name: tuple(value) if isinstance(value, list) else value
             for name, value in entry["outcome"].items() if name in known}
    try:
        return Outcome(**saved)
    except TypeError:  # written by a grader that recorded less than a required field
        return None


def is_current(course: Course, student: str, assignment: str) -> bool:
    """Whether the submission has an entry whose fingerprint still holds."""
    path = entry_path(course, student, assignment)
    return path.is_file() and json.loads(path.read_text())["fingerprint"] == fingerprint(course, student, assignment)
