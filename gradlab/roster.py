"""The class list: students with their names, emails and LMS user ids, kept in nbgrader's gradebook.

A roster file is the CSV that ``nbgrader db student import`` reads: a column ``id`` (the student id,
which names the folder ``submitted/<id>/``) and any of ``first_name``, ``last_name``, ``email`` and
``lms_user_id`` (the Canvas user id). Loading it fills the gradebook's students, so formgrader shows
their names and ``collect`` finds each one's id from the LMS download.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from gradlab import nbgrader_api
from gradlab.course import Course, CourseError

SAFE_STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # so never . or ..
FIELDS = ("first_name", "last_name", "email", "lms_user_id")


@dataclass(frozen=True)
class Student:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


def import_roster(course: Course, path: Path) -> list[Student]:
    """Add or update in the gradebook every student of the roster file; the students, in file order.

    Nothing is written unless the whole file is sound: ids safe folder names, no id or LMS user id twice,
    and no LMS user id that another student of the gradebook already has."""
    students = _read(Path(path))
    known = {s.lms_user_id: s.id for s in gradebook_students(course) if s.lms_user_id}
    taken = [f"{s.lms_user_id} (of {known[s.lms_user_id]}, not {s.id})" for s in students
             if s.lms_user_id and known.get(s.lms_user_id, s.id) != s.id]
    if taken:
        raise CourseError(f"{path}: LMS user id(s) already belong to another student of the gradebook: {', '.join(taken)}")
    with nbgrader_api.gradebook(course) as gradebook:
        for student in students:
            gradebook.update_or_create_student(student.id, **{field: getattr(student, field) or None for field in FIELDS})
    return students


def gradebook_students(course: Course) -> list[Student]:
    """Every student of the gradebook, with what it knows of them."""
    with nbgrader_api.gradebook(course) as gradebook:
        return [Student(s.id, *(getattr(s, field) or "" for field in FIELDS)) for s in gradebook.students]


def same_name(a: str, b: str) -> bool:
    """Whether two spellings name the same person: case, Unicode form and spacing aside."""
    return _name_key(a) == _name_key(b)


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _read(path: Path) -> list[Student]:
    if not path.is_file():
        raise CourseError(f"{path}: no such file")
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.DictReader(file)
        columns = [c.strip() for c in reader.fieldnames or ()]
        if "id" not in columns:
            raise CourseError(f"{path}: no 'id' column (the columns are id, first_name, last_name, email, lms_user_id)")
        reader.fieldnames = columns
        rows = [{k: (v or "").strip() for k, v in row.items() if k in ("id", *FIELDS)} for row in reader]
    problems = [f"line {n}: student id {row['id']!r} is not a safe folder name"
                for n, row in enumerate(rows, 2) if not SAFE_STUDENT_ID.fullmatch(row["id"])]
    problems += _repeated(rows, "id") + _repeated(rows, "lms_user_id")
    if problems:
        raise CourseError(f"{path}: " + "; ".join(problems))
    return [Student(**row) for row in rows]


def _repeated(rows: list[dict], column: str) -> list[str]:
    lines = {}
    for n, row in enumerate(rows, 2):
        if row.get(column):
            lines.setdefault(row[column], []).append(str(n))
    return [f"{column} {value!r} repeated on lines {', '.join(at)}" for value, at in lines.items() if len(at) > 1]
