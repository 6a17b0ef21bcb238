"""The ``gradlab`` command: a thin layer over release, validate, grade and demo."""

import argparse
import sys

from gradlab.batch import grade_batch
from gradlab.course import Course, CourseError
from gradlab.demo import write_demo_submissions
from gradlab.nbgrader_api import NbgraderStepFailed
from gradlab.release import release
from gradlab.validation import validate

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        course = Course.load(args.course)
        return args.command(course, args)
    except (CourseError, NbgraderStepFailed) as error:
        print(f"gradlab: {error}", file=sys.stderr)
        return EXIT_USAGE


def release_command(course, args) -> int:
    leaks = []
    for assignment in course.select(args.assignments):
        leaks += release(course, assignment)
        print(f"released {assignment} -> {course.release_notebook(assignment).relative_to(course.root)}")
    for leak in leaks:
        print(f"LEAK {leak}")
    return EXIT_SOME_FAILED if leaks else EXIT_OK


def validate_command(course, args) -> int:
    assignments = course.select(args.assignments)
    problems = validate(course, assignments)
    for problem in problems:
        print(f"FAIL {problem}")
    print(f"{len(assignments)} assignment(s) checked, {len(problems)} problem(s)")
    return EXIT_SOME_FAILED if problems else EXIT_OK


def grade_command(course, args) -> int:
    outcomes = _grade_and_show(course, course.select(args.assignments))
    return EXIT_OK if all(o.graded for o in outcomes) else EXIT_SOME_FAILED


def demo_command(course, args) -> int:
    assignments = course.select(args.assignments)
    for assignment in assignments:
        release(course, assignment)
    expected = write_demo_submissions(course, assignments)
    outcomes = _grade_and_show(course, assignments)
    surprises = [o for o in outcomes if (o.student, o.assignment) in expected
                 and (o.status, o.score) != expected[o.student, o.assignment]]
    for o in surprises:
        print(f"UNEXPECTED {o.student} {o.assignment}: got {o.status} {o.score:g}, "
              f"expected {expected[o.student, o.assignment]}")
    print(f"demo: {len(outcomes) - len(surprises)} of {len(outcomes)} submissions graded as expected")
    return EXIT_SOME_FAILED if surprises else EXIT_OK


def _grade_and_show(course, assignments):
    """Grade the batch, printing a row per submission as it is graded, then where the results are."""
    print(_row("student", "assignment", "score", "status", "reason"))
    outcomes = grade_batch(course, assignments, on_outcome=lambda o: print(_outcome_row(o), flush=True))
    failed = sum(not o.graded for o in outcomes)
    print(f"{len(outcomes)} submission(s): {len(outcomes) - failed} graded, {failed} not graded; results in "
          f"autograded/results.csv, grades in autograded/grades.csv, feedback in feedback/; "
          f"written answers await grading by hand in formgrader")
    return outcomes


def _outcome_row(outcome) -> str:
    return _row(outcome.student, outcome.assignment, f"{outcome.score:g} / {outcome.max_score:g}",
                outcome.status, outcome.reason)


def _row(student, assignment, score, status, reason) -> str:
    return f"{student:<20} {assignment:<24} {score:>11}  {status:<8} {reason}".rstrip()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gradlab", description=__doc__)
    parser.add_argument("--course", help="the course folder (default: the one holding nbgrader_config.py, here or above)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    for name, function, summary in (
        ("release", release_command, "generate release/ from source/ and check it leaks nothing"),
        ("validate", validate_command, "check that sources earn every point, releases none, and release/ is current"),
        ("grade", grade_command, "autograde submitted/<student>/<assignment>/ into autograded/, feedback/ and grades.csv"),
        ("demo", demo_command, "release, make demo submissions, grade them and check their scores"),
    ):
        command = commands.add_parser(name, help=summary, description=summary)
        command.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: every assignment")
        command.set_defaults(command=function)
    return parser
