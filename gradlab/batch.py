"""Grading every submission of a batch, then writing the grades table and the results of the run."""

import csv
from dataclasses import asdict

from nbgrader.plugins import CsvExportPlugin

from gradlab import nbgrader_api
from gradlab.course import Course
from gradlab.grading import Outcome, grade_submission

RESULT_FIELDS = ("student", "assignment", "score", "max_score", "status", "reason")


def find_submissions(course: Course, assignments) -> list[tuple[str, str]]:
    """(student, assignment) for every ``submitted/<student>/<assignment>`` folder, sorted."""
    if not course.submitted.is_dir():
        return []
    return [(student.name, assignment)
            for student in sorted(course.submitted.iterdir()) if student.is_dir()
            for assignment in assignments if (student / assignment).is_dir()]


def grade_batch(course: Course, assignments, on_outcome=lambda outcome: None) -> list[Outcome]:
    """Grade every submission of ``assignments`` and write its feedback; one outcome each, in
    (student, assignment) order; then the results and grades tables."""
    for assignment in assignments:
        nbgrader_api.register_assignment(course, assignment)
    outcomes = []
    for student, assignment in find_submissions(course, assignments):
        outcome = grade_submission(course, assignment, student)
        if outcome.graded:
            nbgrader_api.generate_feedback(course, assignment, student)
        on_outcome(outcome)
        outcomes.append(outcome)
    write_results(course, outcomes)
    export_grades(course)
    return outcomes


def write_results(course: Course, outcomes) -> None:
    """``autograded/results.csv``: one row per submission of this run, with status and reason."""
    course.autograded.mkdir(exist_ok=True)
    with open(course.autograded / "results.csv", "w", newline="") as out:
        writer = csv.DictWriter(out, RESULT_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(asdict(outcome) for outcome in outcomes)


def export_grades(course: Course) -> None:
    """``autograded/grades.csv``: nbgrader's export of the whole gradebook."""
    exporter = CsvExportPlugin(to=str(course.autograded / "grades.csv"))
    with nbgrader_api.gradebook(course) as gradebook:
        exporter.export(gradebook)
