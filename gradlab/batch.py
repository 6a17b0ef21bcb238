"""Grading a batch: submissions executed concurrently (threads or a Dask cluster), recorded by one writer.

Workers only execute notebooks in sandboxes; this process alone writes the gradebook, feedback and
tables, in submission order, so that ``--jobs N`` gives exactly the results of ``--jobs 1``.
A journal entry per graded submission lets an interrupted batch resume where it stopped.
"""

import concurrent.futures
import contextlib
import csv
import hashlib
import json
import os
from dataclasses import asdict, fields, replace
from pathlib import Path

from nbgrader.plugins import CsvExportPlugin

from gradlab import nbgrader_api, sandbox
from gradlab import notebooks as nbs
from gradlab.course import CONFIG_FILE, Course
from gradlab.grading import Outcome, prepare, record
from gradlab.hidden_tests import hidden_lines_in, secret_lines
from gradlab.report import write_report
from gradlab.statuses import GRADED, HELD

RESULT_FIELDS = ("student", "assignment", "score", "max_score", "status", "reason", "submitted_at", "late_seconds",
                 "late_penalty", "seconds", "flags", "ignored_files", "feedback")
JOURNAL = ".gradlab-journal"


def find_submissions(course: Course, assignments, students=()) -> list[tuple[str, str]]:
    """(student, assignment) for every ``submitted/<student>/<assignment>`` folder (of ``students`` only,
    when named), sorted."""
    if not course.submitted.is_dir():
        return []
    return [(student.name, assignment)
            for student in sorted(course.submitted.iterdir()) if student.is_dir()
            if not students or student.name in students
            for assignment in assignments if (student / assignment).is_dir()]


def grade_batch(course: Course, assignments, *, jobs: int = 1, scheduler: str | None = None, sandboxed: bool = True,
                regrade: bool = False, students=(), on_outcome=lambda outcome: None) -> list[Outcome]:
    """Grade every submission of ``assignments`` (of ``students`` only, when named) with feedback; one
    outcome each in (student, assignment) order; then the results and grades tables and a report per
    assignment, over every submission graded so far. Submissions graded before and unchanged since are
    taken from the journal unless ``regrade``."""
    if sandboxed:
        sandbox.check_available()
    for assignment in assignments:
        nbgrader_api.register_assignment(course, assignment)
    submissions = find_submissions(course, assignments, students)
    with nbgrader_api.gradebook(course) as gradebook:  # in a fixed order, so exports list them so
        for student in sorted({student for student, _ in submissions}):
            gradebook.update_or_create_student(student)
    outcomes = {}
    pending = []
    recorded = set() if regrade else _recorded_submissions(course, assignments)
    for key in submissions:
        earlier = None if regrade else _journaled(course, *key, recorded)
        if earlier:
            outcomes[key] = earlier
            on_outcome(earlier)
        else:
            pending.append(key)
    with _executor(jobs, scheduler) as executor:
        for outcome in _graded(course, pending, executor, jobs, sandboxed):
            outcomes[outcome.student, outcome.assignment] = outcome
            on_outcome(outcome)
    write_tables_and_reports(course, assignments, outcomes, sandboxed=sandboxed)
    return [outcomes[key] for key in sorted(outcomes)]


def write_tables_and_reports(course: Course, assignments, fresh: dict, *, sandboxed: bool = True) -> None:
    """Results, grades and a report per assignment, over every submission: the ``fresh`` outcomes by
    (student, assignment), the others as the journal holds them."""
    everything = find_submissions(course, course.assignments)
    recorded = _recorded_submissions(course, course.assignments)
    ordered = [o for o in (fresh.get(key) or _journaled(course, *key, recorded) for key in everything) if o]
    write_results(course, ordered)
    export_grades(course, [o for o in ordered if o.status == HELD])
    for assignment in assignments:
        write_report(course.root / "reports" / f"{assignment}.html", assignment,
                     [o for o in ordered if o.assignment == assignment],
                     nbs.test_points(nbs.read(course.source_notebook(assignment))), sandboxed=sandboxed)


def release_held(course: Course, assignments, students=()) -> list[Outcome]:
    """Release the held scores of ``assignments`` (of ``students`` only, when named) after review: they
    become graded, with their flags kept, get their feedback, and enter the tables; nothing runs again."""
    recorded = _recorded_submissions(course, assignments)
    released = {}
    for key in find_submissions(course, assignments, students):
        outcome = _journaled(course, *key, recorded)
        if outcome and outcome.status == HELD:
            released[key] = _finished(course, key, replace(outcome, status=GRADED, reason="released after review"))
    write_tables_and_reports(course, assignments, released)
    return list(released.values())


def _graded(course: Course, pending, executor, jobs: int, sandboxed: bool):
    """Outcomes of ``pending`` submissions as they finish: at most ``2 * jobs`` executions in flight, each
    recorded here, in this thread, the moment it is done."""
    queue = iter(pending)
    running = {}
    while True:
        while len(running) < 2 * jobs and (key := next(queue, None)):
            job = prepare(course, key[1], key[0], sandboxed=sandboxed)
            if isinstance(job, Outcome):
                yield _finished(course, key, job)
            else:
                running[executor.submit(sandbox.execute, job)] = job
        if not running:
            return
        done, _ = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
        for future in sorted(done, key=lambda f: (running[f].student, running[f].assignment)):
            job = running.pop(future)
            yield _finished(course, (job.student, job.assignment), record(course, job, future.result()))


def _finished(course: Course, key, outcome: Outcome) -> Outcome:
    """Write the feedback a graded outcome earns, journal the outcome, and return it."""
    if outcome.status == GRADED:
        outcome = replace(outcome, feedback=_feedback(course, outcome))
    elif outcome.status == HELD:
        outcome = replace(outcome, feedback="none until the held score is released")
    _journal(course, key, outcome)
    return outcome


def _feedback(course: Course, outcome: Outcome) -> str:
    """Generate the student's feedback page and check it shows no hidden-test line; a page that does is
    removed. Returns why there is no page, or "" when there is one."""
    nbgrader_api.generate_feedback(course, outcome.assignment, outcome.student)
    page = course.feedback / outcome.student / outcome.assignment / f"{outcome.assignment}.html"
    secret = secret_lines(nbs.read(course.source_notebook(outcome.assignment)),
                          nbs.read(course.release_notebook(outcome.assignment)),
                          nbs.read(course.submission(outcome.student, outcome.assignment) / f"{outcome.assignment}.ipynb"))
    leaked = hidden_lines_in(page.read_text(encoding="utf-8"), secret)
    if not leaked:
        return ""
    page.unlink()
    return f"withheld: the page showed {len(leaked)} hidden-test line(s), e.g. {leaked[0][:60]!r}"


@contextlib.contextmanager
def _executor(jobs: int, scheduler: str | None):
    """Threads that wait on local sandboxes, or a Dask cluster's workers behind the same interface."""
    if scheduler:
        from distributed import Client
        with Client(scheduler) as client:
            yield client.get_executor(pure=False)
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            yield pool


def _fingerprint(course: Course, student: str, assignment: str) -> str:
    """What a grade depends on: the submission's files, the assignment's source and the configuration."""
    digest = hashlib.sha256()
    for folder in (course.submission(student, assignment), course.source / assignment):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update((course.root / CONFIG_FILE).read_bytes())
    return digest.hexdigest()


def _journal_path(course: Course, student: str, assignment: str) -> Path:
    return course.autograded / JOURNAL / assignment / f"{student}.json"


def _journal(course: Course, key, outcome: Outcome) -> None:
    """Note the outcome once the gradebook and feedback hold it (written atomically, so a kill leaves
    either the old entry or the new one)."""
    path = _journal_path(course, *key)
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {"fingerprint": _fingerprint(course, *key), "outcome": asdict(outcome)}
    path.with_suffix(".tmp").write_text(json.dumps(entry))
    os.replace(path.with_suffix(".tmp"), path)


def _recorded_submissions(course: Course, assignments) -> set[tuple[str, str]]:
    """(student, assignment) of every submission the gradebook holds scores for."""
    with nbgrader_api.gradebook(course) as gradebook:
        registered = {a.name for a in gradebook.assignments}
        return {(s.student.id, a) for a in assignments if a in registered for s in gradebook.find_assignment(a).submissions}


def _journaled(course: Course, student: str, assignment: str, recorded) -> Outcome | None:
    """The journal's outcome for an unchanged submission whose grades are still in the gradebook."""
    path = _journal_path(course, student, assignment)
    if not path.is_file():
        return None
    entry = json.loads(path.read_text())
    if entry["fingerprint"] != _fingerprint(course, student, assignment):
        return None
    known = {f.name for f in fields(Outcome)}
    saved = {name: tuple(value) if isinstance(value, list) else value
             for name, value in entry["outcome"].items() if name in known}
    try:
        outcome = Outcome(**saved)
    except TypeError:  # written by a grader that recorded less: grade again
        return None
    return outcome if outcome.graded == ((student, assignment) in recorded) else None


def write_results(course: Course, outcomes) -> None:
    """``autograded/results.csv``: one row per submission, with status, reason and audit flags."""
    course.autograded.mkdir(exist_ok=True)
    with open(course.autograded / "results.csv", "w", newline="") as out:
        writer = csv.DictWriter(out, RESULT_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({**asdict(o), "flags": "; ".join(o.flags), "ignored_files": "; ".join(o.ignored_files)}
                         for o in outcomes)


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
