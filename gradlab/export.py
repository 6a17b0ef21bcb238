"""Grades and feedback for an LMS: a file its grade import accepts and a zip of feedback pages per
assignment that its feedback upload places with each student.

Points come from nbgrader's gradebook: autograded plus hand-graded, less the late penalty, which is
first brought up to date with the points given by hand (nbgrader's ``AssignLatePenalties``, as autograde
runs it). A held score (``gradlab release-held`` not yet run) and a failed submission (no score yet) are
blank, which both importers read as "no grade"; a student with nothing gradable (no submission, missing
or invalid) gets 0, as in nbgrader's own export, so that totals count the assignment.

Canvas (Grades → Import): ``Student``, ``ID`` (the Canvas user id), ``SIS User ID``, ``SIS Login ID``,
``Section``, a column per assignment, ``Title (canvas id)`` when ``c.Gradlab.canvas_assignment_ids``
gives it, else the title, then a ``Points Possible`` row; the total is ``Final Points``, a column
Canvas's importer leaves alone. Moodle (Grade administration → Import → CSV file): a row per student
identified by ``Email address`` and a column per assignment, each mapped to its grade item when
importing; ``Total`` is left unmapped.

Feedback pages are named after the file each student's submission had in the LMS download (recorded by
``gradlab collect`` in ``submitted/collected.csv``), with ``.html`` for ``.ipynb``: Canvas's *Re-upload submissions* finds the student by the user and file ids in
``login_userid_fileid_name``, Moodle's *Upload multiple feedback files in a zip* by the participant id
in the folder ``Full Name_participantid_assignsubmission_file_``.
"""

import csv
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from nbgrader.api import MissingEntry

from gradlab import nbgrader_api
from gradlab.collect import read_collected
from gradlab.course import Course, CourseError
from gradlab.statuses import FAILED, HELD

NO_SCORE_YET = (HELD, FAILED)
CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_STUDENT_COLUMNS = ("First name", "Last name", "Email address")
# Moodle names a folder (or, before 3.1, the file) Full Name_participantid_plugintype_pluginname.
MOODLE_DOWNLOAD_NAME = re.compile(r"[^/_]+_\d+_assign[a-z]+_[a-z]+[_/]")


@dataclass
class Exported:
    """What an export wrote, and what it had to leave out, each with why."""

    grades: Path
    students: int
    feedback: dict[str, tuple[Path, int]] = field(default_factory=dict)  # assignment: (zip, pages)
    unidentified: list[str] = field(default_factory=list)  # students without the LMS's id, and what follows
    without_feedback: list[str] = field(default_factory=list)  # submissions left out of the zip, and why


def export(course: Course, lms: str, assignments) -> Exported:
    """Write ``exports/<lms>/grades.csv`` and ``exports/<lms>/<assignment>_feedback.zip`` for ``assignments``."""
    results = _results(course)
    ungraded = [a for a in assignments if a not in {assignment for _, assignment in results}]
    if ungraded or not assignments:
        raise CourseError(f"nothing graded yet{' in ' + ', '.join(ungraded) if ungraded else ''}: "
                          f"run `gradlab grade` first")
    folder = course.root / "exports" / lms
    folder.mkdir(parents=True, exist_ok=True)
    _assess_late_penalties(course, assignments)
    maxima, students, points = _points(course, assignments, results)
    exported = Exported(folder / "grades.csv", 0)
    exported.students, exported.unidentified = GRADE_WRITERS[lms](exported.grades, course, assignments, maxima,
                                                                  students, points)
    for assignment in assignments:
        path = folder / f"{assignment}_feedback.zip"
        exported.feedback[assignment] = path, _zip_feedback(course, lms, assignment, path, results,
                                                            exported.without_feedback)
    return exported


def graded_assignments(course: Course) -> tuple[str, ...]:
    """The course's assignments that ``autograded/results.csv`` has rows of, in course order."""
    graded = {assignment for _, assignment in _results(course)}
    return tuple(a for a in course.assignments if a in graded)


def _assess_late_penalties(course: Course, assignments) -> None:
    with nbgrader_api.gradebook(course) as gradebook:
        late = [(a, s.student.id) for a in assignments for s in gradebook.find_assignment(a).submissions
                if s.total_seconds_late > 0]
    for assignment, student in late:
        nbgrader_api.assign_late_penalty(course, assignment, student)


@dataclass(frozen=True)
class _Student:
    id: str
    first_name: str
    last_name: str
    email: str
    lms_user_id: str


def _points(course: Course, assignments, results):
    """Each assignment's points possible, the gradebook's students, and their points by (student,
    assignment): a number, or None while there is no score yet."""
    with nbgrader_api.gradebook(course) as gradebook:
        maxima = {a: gradebook.find_assignment(a).max_score for a in assignments}
        students = [_Student(s.id, s.first_name or "", s.last_name or "", s.email or "", s.lms_user_id or "")
                    for s in gradebook.students]
        points = {}
        for student in students:
            for assignment in assignments:
                if results.get((student.id, assignment), {}).get("status") in NO_SCORE_YET:
                    points[student.id, assignment] = None
                    continue
                try:
                    submission = gradebook.find_submission(assignment, student.id)
                except MissingEntry:
                    points[student.id, assignment] = 0.0
                else:
                    points[student.id, assignment] = max(0.0, submission.score - submission.late_submission_penalty)
    return maxima, students, points


def _results(course: Course) -> dict[tuple[str, str], dict]:
    """Each graded submission's row of ``autograded/results.csv`` (its status, why it has no feedback)."""
    results = course.autograded / "results.csv"
    if not results.is_file():
        return {}
    with open(results, newline="") as file:
        return {(row["student"], row["assignment"]): row for row in csv.DictReader(file)}


def _write_canvas(path: Path, course: Course, assignments, maxima, students, points) -> tuple[int, list[str]]:
    ids = course.canvas_assignment_ids
    titles = [f"{a} ({ids[a]})" if a in ids else a for a in assignments]
    unidentified = [f"{s.id}: no Canvas user id; Canvas matches the row by the name {_sortable_name(s)!r}"
                 for s in students if not s.lms_user_id]
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow([*CANVAS_STUDENT_COLUMNS, *titles, "Final Points"])
        writer.writerow(["Points Possible", "", "", "", "", *(_number(maxima[a]) for a in assignments), "(read only)"])
        for s in students:
            writer.writerow([_sortable_name(s), s.lms_user_id, "", "", "", *_scores(s, assignments, points)])
    return len(students), unidentified


def _write_moodle(path: Path, course: Course, assignments, maxima, students, points) -> tuple[int, list[str]]:
    # Moodle stops the whole import at a row whose identifying field matches no user: such rows stay out.
    matched = [s for s in students if s.email]
    unidentified = [f"{s.id}: no email address; left out, as Moodle identifies each row by it"
                    for s in students if not s.email]
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow([*MOODLE_STUDENT_COLUMNS, *assignments, "Total"])
        for s in matched:
            writer.writerow([s.first_name, s.last_name, s.email, *_scores(s, assignments, points)])
    return len(matched), unidentified


def _scores(student: _Student, assignments, points) -> list[str]:
    """The student's points per assignment (blank while there is no score yet) and their total."""
    values = [points[student.id, a] for a in assignments]
    return [*("" if v is None else _number(v) for v in values), _number(sum(v for v in values if v is not None))]


def _sortable_name(student: _Student) -> str:
    return ", ".join(part for part in (student.last_name, student.first_name) if part) or student.id


def _number(value: float) -> str:
    return f"{round(value, 2):g}"


def _zip_feedback(course: Course, lms: str, assignment: str, path: Path, results, without_feedback: list[str]) -> int:
    """Zip every feedback page of the assignment under the name the LMS's upload expects; note each
    submission left out, with why. Returns the number of pages zipped."""
    pages, collected = 0, read_collected(course)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for submission in sorted(p for p in course.submitted.glob(f"*/{assignment}") if p.is_dir()):
            student = submission.parent.name
            page = course.feedback / student / assignment / f"{assignment}.html"
            if not page.is_file():
                why = results.get((student, assignment), {}).get("feedback") or "no feedback page"
                without_feedback.append(f"{student} {assignment}: {why}")
                continue
            name, problem = feedback_member_name(collected.get((student, assignment), {}).get("member", ""), lms)
            if problem:
                without_feedback.append(f"{student} {assignment}: {problem}")
                continue
            archive.write(page, name)
            pages += 1
    return pages


def feedback_member_name(downloaded: str, lms: str) -> tuple[str, str]:
    """The feedback page's name in the zip: ``downloaded``, the name the notebook had in the LMS download,
    as ``.html``; or why there is none."""
    if not downloaded:
        return "", f"not collected from a {lms.title()} download (`gradlab collect` records where each notebook came from)"
    path = PurePosixPath(downloaded)
    if lms == "canvas":  # Canvas takes the first two numeric parts as the user and the file id
        fits = len(path.parts) == 1 and sum(part.isdigit() for part in downloaded.split("_")) >= 2
    else:
        fits = bool(MOODLE_DOWNLOAD_NAME.match(downloaded))
    if not fits or path.is_absolute() or ".." in path.parts or "\\" in downloaded or not path.suffix:
        return "", f"{downloaded!r} is not the name of a file in a {lms.title()} download"
    return str(path.with_suffix(".html")), ""


GRADE_WRITERS = {"canvas": _write_canvas, "moodle": _write_moodle}
