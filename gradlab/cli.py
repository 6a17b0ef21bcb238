"""The ``gradlab`` command: a thin layer over release, validate, grade, refresh and demo."""

import argparse
import os
import sys
from pathlib import Path

from gradlab.batch import find_submissions, grade_batch, refresh, release_held
from gradlab.collect import collect
from gradlab.course import Course, CourseError
from gradlab.demo import write_demo_submissions
from gradlab.nbgrader_api import NbgraderStepFailed
from gradlab.progress import Progress, outcome_row, row
from gradlab.release import release
from gradlab.sandbox import SandboxUnavailable
from gradlab.statuses import HELD
from gradlab.validation import validate

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        course = Course.load(args.course)
        return args.command(course, args)
    except SandboxUnavailable as error:
        print(f"gradlab: {error}.", file=sys.stderr)
        if hasattr(args, "no_sandbox"):
            print("Student code will not run unsandboxed unless you pass --no-sandbox "
                  "(it then runs with your permissions).", file=sys.stderr)
        return EXIT_USAGE
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
    outcomes = _grade_and_show(course, course.select(args.assignments), args)
    return EXIT_OK if all(o.graded for o in outcomes) else EXIT_SOME_FAILED


def release_held_command(course, args) -> int:
    released = release_held(course, course.select(args.assignments), args.student)
    for outcome in released:
        print(f"released {outcome.student:<20} {outcome.assignment:<24} {outcome.score:g} / {outcome.max_score:g}"
              f"  (flags: {'; '.join(outcome.flags)})")
    print(f"{len(released)} held score(s) released; results, grades and reports are up to date")
    return EXIT_OK


def refresh_command(course, args) -> int:
    refreshed = refresh(course, course.select(args.assignments), args.student)
    for outcome in refreshed.outcomes:
        print(outcome_row(outcome))
    for student, assignment in refreshed.not_recorded:
        print(row(student, assignment, "", "", "not graded yet: `gradlab grade` grades it"))
    print(f"{len(refreshed.outcomes)} submission(s) refreshed from the gradebook; {_awaiting(refreshed.outcomes)}; "
          "feedback, results, grades and reports are up to date")
    if refreshed.changed:
        print(f"{len(refreshed.changed)} submission(s) changed since they were graded, or gradlab did: "
              "`gradlab grade` grades them again")
    return EXIT_OK


def _awaiting(outcomes) -> str:
    """How many written answers await grading by hand, and in how many submissions."""
    waiting = [o for o in outcomes if o.awaiting_grading]
    if not waiting:
        return "no answer awaits grading by hand"
    return (f"{sum(o.awaiting_grading for o in waiting)} answer(s) in {len(waiting)} submission(s) await grading "
            "by hand in formgrader, then `gradlab refresh`")


def collect_command(course, args) -> int:
    collected, skipped = collect(course, args.archive, args.assignment)
    for item in collected:
        print(f"collected {item.student:<20} -> {item.path.relative_to(course.root)}")
    for item in skipped:
        print(f"SKIPPED   {item.member}: {item.reason}")
    print(f"{len(collected)} notebook(s) collected into submitted/, {len(skipped)} archive member(s) skipped")
    return EXIT_SOME_FAILED if skipped else EXIT_OK


def demo_command(course, args) -> int:
    assignments = course.select(args.assignments)
    for assignment in assignments:
        release(course, assignment)
    expected = write_demo_submissions(course, assignments)
    outcomes = _grade_and_show(course, assignments, args)
    surprises = [o for o in outcomes if (o.student, o.assignment) in expected
                 and (o.status, o.score) != expected[o.student, o.assignment]]
    for o in surprises:
        print(f"UNEXPECTED {o.student} {o.assignment}: got {o.status} {o.score:g}, "
              f"expected {expected[o.student, o.assignment]}")
    print(f"demo: {len(outcomes) - len(surprises)} of {len(outcomes)} submissions graded as expected")
    return EXIT_SOME_FAILED if surprises else EXIT_OK


def _grade_and_show(course, assignments, args):
    """Grade the batch with progress shown as asked, then say what happened and where the results are."""
    if args.no_sandbox:
        print("WARNING: grading WITHOUT the sandbox (--no-sandbox): student code runs with your permissions")
    mode = "quiet" if args.quiet else "bar" if sys.stdout.isatty() else "lines"
    students = getattr(args, "student", ())
    progress = Progress(len(find_submissions(course, assignments, students)), mode)
    if mode == "lines":
        print(row("student", "assignment", "score", "status", "reason"))
    outcomes = grade_batch(course, assignments, jobs=args.jobs, scheduler=args.scheduler,
                           sandboxed=not args.no_sandbox, regrade=args.regrade, students=students, on_outcome=progress)
    progress.close()
    counts = ", ".join(f"{n} {status}" for status, n in progress.counts.items())
    flagged = [o for o in outcomes if o.flags]
    print(f"{len(outcomes)} submission(s): {counts}; {len(flagged)} flagged by the tamper audit"
          f"{' (' + ', '.join(f'{o.student}/{o.assignment}' for o in flagged) + ')' if flagged else ''}")
    if any(o.status == HELD for o in outcomes):
        print("held scores stay out of feedback and grades.csv: review the flagged notebooks in formgrader, "
              "then `gradlab release-held`")
    print(f"{_awaiting(outcomes)}; results in autograded/results.csv, grades in autograded/grades.csv, "
          "feedback in feedback/, reports in reports/" + ("; graded WITHOUT the sandbox" if args.no_sandbox else ""))
    return outcomes


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gradlab", description=__doc__)
    parser.add_argument("--course", help="the course folder (default: the one holding nbgrader_config.py, here or above)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    for name, function, summary in (
        ("release", release_command, "generate release/ from source/ and check it leaks nothing"),
        ("validate", validate_command, "check that sources earn every point, releases none, and release/ is current"),
        ("grade", grade_command, "autograde submitted/<student>/<assignment>/ into autograded/, feedback/ and grades.csv"),
        ("demo", demo_command, "release, make demo submissions, grade them and check their scores"),
        ("release-held", release_held_command, "after review, release the scores the audit held: feedback, grades, reports"),
        ("refresh", refresh_command, "after grading by hand in formgrader: totals, feedback, grades and reports, "
                                     "from the gradebook, running nothing"),
    ):
        command = commands.add_parser(name, help=summary, description=summary)
        command.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: every assignment")
        command.set_defaults(command=function)
        if name in ("grade", "demo"):
            _add_grading_options(command)
        if name in ("grade", "release-held", "refresh"):
            command.add_argument("--student", action="append", default=[], metavar="NAME",
                                 help="only this student's submissions (repeat for several)")
    collect_parser = commands.add_parser("collect", help=COLLECT_HELP, description=COLLECT_HELP)
    collect_parser.add_argument("archive", type=Path, metavar="ARCHIVE.zip")
    collect_parser.add_argument("assignment", metavar="ASSIGNMENT")
    collect_parser.set_defaults(command=collect_command)
    return parser


COLLECT_HELP = ("copy each student's notebook from an LMS download into submitted/<student>/<assignment>/; "
                "file names follow c.FileNameCollectorPlugin.named_regexp (default: <student>_<anything>_<file>.ipynb)")


def _add_grading_options(command) -> None:
    command.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1,
                         help="submissions executed at once (default: the number of cores)")
    command.add_argument("--scheduler", metavar="ADDRESS", help="run the executions on this Dask scheduler's workers")
    command.add_argument("--no-sandbox", action="store_true",
                         help="run student code without bubblewrap, with your permissions (where bwrap is missing)")
    command.add_argument("--regrade", action="store_true", help="grade again submissions graded before and unchanged since")
    command.add_argument("--quiet", action="store_true", help="print only the summary (for CI logs)")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value
