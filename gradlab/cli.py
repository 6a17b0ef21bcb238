"""The ``gradlab`` command: a thin layer over release, validate, grade, refresh and demo."""

import argparse
import os
import sys
from pathlib import Path

from gradlab.batch import find_submissions, grade_batch, refresh, release_held
from gradlab.collect import collect
from gradlab.course import Course, CourseError
from gradlab.demo import write_demo_submissions
from gradlab.export import GRADE_WRITERS, export, graded_assignments
from gradlab.nbgrader_api import NbgraderStepFailed
from gradlab.progress import Progress, outcome_row, row
from gradlab.release import release
from gradlab.roster import import_roster
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
    result = collect(course, args.archive, args.assignment, args.timezone)
    for item in result.collected:
        print(f"collected {item.student:<20} -> {item.path.relative_to(course.root)}{_collected_details(item)}")
    for item in result.kept:
        print(f"KEPT      {item.member}: {item.reason}")
    for item in result.skipped:
        print(f"SKIPPED   {item.member}: {item.reason}")
    late = sum(item.late for item in result.collected)
    print(f"{len(result.collected)} notebook(s) collected into submitted/ ({late} marked late by the LMS), "
          f"{len(result.kept)} kept as collected before, {len(result.skipped)} archive member(s) skipped")
    return EXIT_SOME_FAILED if result.skipped else EXIT_OK


def _collected_details(item) -> str:
    if not item.lms:
        return ""
    details = [f"{item.lms} {item.lms_user_id} {item.lms_name}"]
    if item.submitted_at:
        details.append(f"submitted {item.submitted_at:%Y-%m-%d %H:%M} UTC")
    if item.late:
        details.append("LATE")
    return f"  ({', '.join(details)})"


def roster_import_command(course, args) -> int:
    students = import_roster(course, args.file)
    for student in students:
        print(f"{student.id:<20} {student.full_name or '(no name)':<30} {student.email or '(no email)':<30} "
              f"{student.lms_user_id or '(no LMS id)'}")
    print(f"{len(students)} student(s) in the gradebook; formgrader shows their names, and collect finds their ids")
    return EXIT_OK


def export_command(course, args) -> int:
    assignments = course.select(args.assignments) if args.assignments else graded_assignments(course)
    exported = export(course, args.lms, assignments)
    print(f"wrote {exported.grades.relative_to(course.root)}: {exported.students} student(s), "
          f"{len(exported.feedback)} assignment(s) and the total")
    for path, pages in exported.feedback.values():
        print(f"wrote {path.relative_to(course.root)}: {pages} feedback page(s)")
    for line in exported.unidentified:
        print(f"NO LMS ID   {line}")
    for line in exported.without_feedback:
        print(f"NO FEEDBACK {line}")
    return EXIT_SOME_FAILED if exported.unidentified or exported.without_feedback else EXIT_OK


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
    parser.add_argument("--course", help=COURSE_HELP)
    course_option = argparse.ArgumentParser(add_help=False)  # also after the command, where it wins
    course_option.add_argument("--course", default=argparse.SUPPRESS, help=COURSE_HELP)
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
        command = commands.add_parser(name, help=summary, description=summary, parents=[course_option])
        command.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: every assignment")
        command.set_defaults(command=function)
        if name in ("grade", "demo"):
            _add_grading_options(command)
        if name in ("grade", "release-held", "refresh"):
            command.add_argument("--student", action="append", default=[], metavar="NAME",
                                 help="only this student's submissions (repeat for several)")
    collect_parser = commands.add_parser("collect", help=COLLECT_HELP, description=COLLECT_HELP,
                                         parents=[course_option])
    collect_parser.add_argument("archive", type=Path, metavar="ARCHIVE.zip")
    collect_parser.add_argument("assignment", metavar="ASSIGNMENT")
    collect_parser.add_argument("--timezone", metavar="ZONE",
                                help="time zone of the dates in a Moodle download, e.g. Europe/Paris (default: this machine's)")
    collect_parser.set_defaults(command=collect_command)
    roster_parser = commands.add_parser("roster", help=ROSTER_HELP, description=ROSTER_HELP, parents=[course_option])
    roster_commands = roster_parser.add_subparsers(required=True, metavar="ACTION")
    roster_import = roster_commands.add_parser("import", help=ROSTER_HELP, description=ROSTER_HELP,
                                                parents=[course_option])
    roster_import.add_argument("file", type=Path, metavar="FILE.csv")
    roster_import.set_defaults(command=roster_import_command)
    export_parser = commands.add_parser("export", help=EXPORT_HELP, description=EXPORT_HELP,
                                        parents=[course_option])
    export_parser.add_argument("--lms", required=True, choices=sorted(GRADE_WRITERS))
    export_parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                               help="default: every assignment graded so far")
    export_parser.set_defaults(command=export_command)
    return parser


COURSE_HELP = "the course folder (default: the one holding nbgrader_config.py, here or above)"
COLLECT_HELP = ("copy each student's notebook from a Canvas or Moodle download into submitted/<student>/<assignment>/, "
                "with nbgrader's timestamp.txt where the LMS gives the submission time")
ROSTER_HELP = ("load students into the gradebook from nbgrader's student CSV "
               "(id, first_name, last_name, email, lms_user_id)")


EXPORT_HELP = ("write exports/<lms>/grades.csv for the LMS's grade import (a row per student, a column per "
               "assignment, late penalties applied, a total) and a zip of feedback pages per assignment for its "
               "feedback upload")


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
