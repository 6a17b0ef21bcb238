"""Recording outcomes: the one writer of the gradebook, feedback pages, the resume journal, results.csv,
grades.csv and the reports.

A batch records its outcomes one at a time, in submission order, from one process, so that ``--jobs N``
records exactly what ``--jobs 1`` does. Scores are nbgrader's: autograde scores an executed notebook into
the gradebook, formgrader adds the hand-given ones, and every table reads them back from there.
"""

import csv
import re
import tempfile
from dataclasses import replace

from nbgrader.api import MissingEntry
from nbgrader.plugins import CsvExportPlugin

from gradlab import journal, nbgrader_api, sandbox, status_pages
from gradlab import notebooks as nbs
from gradlab.awaiting_grading import awaiting_grading
from gradlab.course import Course
from gradlab.grading import Outcome, judge, prepare
from gradlab.hidden_tests import hidden_lines_in, secret_lines
from gradlab.lateness import lateness
from gradlab.report import write_report
from gradlab.statuses import FAILED, GRADED, HELD, SCORED

# results.csv's columns, each with the Outcome field it states; tuples are written joined by "; ".
RESULT_COLUMNS = {
    "student": "student", "assignment": "assignment", "status": "status",
    "auto_score": "score", "auto_max": "max_score", "manual_score": "manual_score", "manual_max": "manual_max",
    "total": "total", "total_max": "total_max", "awaiting_grading": "awaiting_grading",
    "submitted_at": "submitted_at", "late_seconds": "late_seconds", "late_penalty": "late_penalty", "reason": "reason", "seconds": "seconds", "flags": "flags", "ignored_files": "ignored_files",
    "feedback": "feedback",
}
HELD_FEEDBACK = "none until the held score is released"


def open_batch(course: Course, assignments, students) -> None:
    """Register the assignments' cells and the students in the gradebook (students in a fixed order, so
    exports list them so)."""
    for assignment in assignments:
        nbgrader_api.register_assignment(course, assignment)
    with nbgrader_api.gradebook(course) as gradebook:
        for student in sorted(students):
            gradebook.update_or_create_student(student)


def record(course: Course, outcome: Outcome, executed_notebook: str | None = None) -> Outcome:
    """Put a judged outcome into the gradebook and return it with the gradebook's scores: nbgrader autograde
    scores the executed notebook of a graded or held one; any other keeps its student and no submission,
    so that exports show a zero (and no score left from an earlier run)."""
    if outcome.status in SCORED and executed_notebook is not None:
        with tempfile.NamedTemporaryFile("w", suffix=".ipynb") as file:
            file.write(executed_notebook)
            file.flush()
            try:
                nbgrader_api.autograde(course, outcome.assignment, outcome.student, file.name)
                return with_gradebook_scores(course, outcome)
            except nbgrader_api.NbgraderStepFailed as error:
                outcome = replace(outcome, status=FAILED, reason=_failure_reason(str(error)))
    with nbgrader_api.gradebook(course) as gradebook:
        gradebook.update_or_create_student(outcome.student)
        try:
            gradebook.remove_submission(outcome.assignment, outcome.student)
        except MissingEntry:
            pass
    return replace(outcome, cells={}, score=0.0, manual_score=0.0, awaiting_grading=0,
                   **lateness(course, outcome.assignment, outcome.student)._asdict())


def with_gradebook_scores(course: Course, outcome: Outcome) -> Outcome:
    """The outcome with the scores the gradebook holds for it now: per test cell, by hand (formgrader's
    scores and extra credit), the number of cells awaiting grading by hand, and its lateness."""
    source = nbs.read(course.source_notebook(outcome.assignment))
    hand_graded = nbs.hand_graded_points(source)
    with nbgrader_api.gradebook(course) as gradebook:
        grades = {grade.name: grade for grade in
                  gradebook.find_submission_notebook(outcome.assignment, outcome.assignment, outcome.student).grades}
        cells = {cell_id: float(grades[cell_id].score or 0.0) if cell_id in grades else 0.0
                 for cell_id in nbs.test_points(source)}
        manual = (sum(float(grades[cell_id].score or 0.0) for cell_id in hand_graded if cell_id in grades)
                  + sum(float(grade.extra_credit or 0.0) for grade in grades.values()))
        waiting = len(awaiting_grading(gradebook, outcome.assignment, outcome.student))
    return replace(outcome, cells=cells, score=sum(cells.values()), manual_score=manual, awaiting_grading=waiting,
                   **lateness(course, outcome.assignment, outcome.student)._asdict())


def grade_submission(course: Course, assignment: str, student: str, *, sandboxed: bool = True) -> Outcome:
    """Judge one submission, executing it in the sandbox, and record it in the gradebook (no feedback,
    journal or tables: for checks on a scratch course)."""
    job = prepare(course, assignment, student, sandboxed=sandboxed)
    if isinstance(job, Outcome):
        return record(course, job)
    executed = sandbox.execute(job)
    return record(course, judge(course, job, executed), executed.notebook)


def finish(course: Course, outcome: Outcome, executed_notebook: str | None = None) -> Outcome:
    """Record a judged outcome in the gradebook, write the feedback page it earns and journal it."""
    outcome = publish(course, record(course, outcome, executed_notebook))
    journal.write(course, outcome)
    return outcome


def refresh(course: Course, outcome: Outcome) -> Outcome:
    """A recorded outcome brought up to date with the gradebook (hand grading, releases) without running
    anything: its feedback page rewritten and its journal entry updated."""
    if outcome.graded:  # the late penalty is a share of every point, the hand-given ones too
        nbgrader_api.assign_late_penalty(course, outcome.assignment, outcome.student)
        outcome = with_gradebook_scores(course, outcome)
    outcome = publish(course, outcome)
    journal.update(course, outcome)
    return outcome


def publish(course: Course, outcome: Outcome) -> Outcome:
    """Write the student's feedback page: nbgrader's for a graded submission, a page saying what happened
    and what to do for a missing, invalid or failed one, none while a score is held. Returns the outcome
    with why there is no page, if there is none."""
    page = course.feedback / outcome.student / outcome.assignment / f"{outcome.assignment}.html"
    if outcome.status == GRADED:
        return replace(outcome, feedback=_nbgrader_feedback(course, outcome, page))
    if outcome.status == HELD:
        page.unlink(missing_ok=True)
        return replace(outcome, feedback=HELD_FEEDBACK)
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(nbgrader_api.feedback_page(course, status_pages.status_notebook(outcome),
                                               status_pages.status_resources(outcome)), encoding="utf-8")
    return replace(outcome, feedback="")


def _nbgrader_feedback(course: Course, outcome: Outcome, page) -> str:
    """Generate the student's feedback page and check it shows no hidden-test line; a page that does is
    removed. Returns why there is no page, or "" when there is one."""
    nbgrader_api.generate_feedback(course, outcome.assignment, outcome.student)
    secret = secret_lines(nbs.read(course.source_notebook(outcome.assignment)),
                          nbs.read(course.release_notebook(outcome.assignment)),
                          nbs.read(course.submission(outcome.student, outcome.assignment)
                                   / f"{outcome.assignment}.ipynb"))
    leaked = hidden_lines_in(page.read_text(encoding="utf-8"), secret)
    if not leaked:
        return ""
    page.unlink()
    return f"withheld: the page showed {len(leaked)} hidden-test line(s), e.g. {leaked[0][:60]!r}"


def write_tables_and_reports(course: Course, outcomes, assignments, *, sandboxed: bool = True) -> None:
    """results.csv and grades.csv over ``outcomes`` (every submission's, in order), and the report of each
    of ``assignments``."""
    write_results(course, outcomes)
    export_grades(course, [o for o in outcomes if o.status == HELD])
    for assignment in assignments:
        write_report(course.root / "reports" / f"{assignment}.html", assignment,
                     [o for o in outcomes if o.assignment == assignment],
                     nbs.test_points(nbs.read(course.source_notebook(assignment))), sandboxed=sandboxed)


def write_results(course: Course, outcomes) -> None:
    """``autograded/results.csv``: one row per submission (see ``RESULT_COLUMNS``)."""
    course.autograded.mkdir(exist_ok=True)
    with open(course.autograded / "results.csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(RESULT_COLUMNS)
        for outcome in outcomes:
            values = (getattr(outcome, name) for name in RESULT_COLUMNS.values())
            writer.writerow("; ".join(value) if isinstance(value, tuple) else value for value in values)


def export_grades(course: Course, held=()) -> None:
    """``autograded/grades.csv``: nbgrader's export of the whole gradebook, with a status column; the
    scores of ``held`` outcomes are left blank until they are released."""
    path = course.autograded / "grades.csv"
    with nbgrader_api.gradebook(course) as gradebook:
        CsvExportPlugin(to=str(path)).export(gradebook)
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file))
    withheld = {(o.student, o.assignment) for o in held}
    with open(path, "w", newline="") as file:
        writer = csv.DictWriter(file, [*rows[0].keys(), "status"] if rows else ["status"])
        writer.writeheader()
        for row in rows:
            is_held = (row["student_id"], row["assignment"]) in withheld
            writer.writerow({**row, "status": HELD if is_held else "",
                             **({"score": "", "raw_score": ""} if is_held else {})})


def _failure_reason(log: str) -> str:
    """The last exception nbgrader's log names (without its module), other than nbgrader's own summary."""
    errors = [re.sub(r"^(\w+\.)+", "", line.strip()) for line in log.splitlines()
              if re.match(r"\s*[\w.]*(Error|Exception)\b", line) and "NbGraderException" not in line]
    return errors[-1] if errors else "nbgrader could not grade this notebook"
