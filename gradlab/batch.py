"""Grading a batch: submissions executed concurrently (threads or a Dask cluster), recorded by one writer.

Workers only execute notebooks in sandboxes; this process judges each executed notebook and has
``recording`` write it, in submission order, so that ``--jobs N`` gives exactly the results of
``--jobs 1``. The journal lets an interrupted batch resume where it stopped, and ``refresh`` bring what
was recorded up to date with hand grading without running anything.
"""

import concurrent.futures
import contextlib
from dataclasses import replace
from typing import NamedTuple

from gradlab import journal, nbgrader_api, recording, sandbox
from gradlab.course import Course
from gradlab.grading import Outcome, judge, prepare
from gradlab.statuses import GRADED, HELD


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
    taken from the journal unless ``regrade`` (their feedback rewritten if their hand grading changed)."""
    if sandboxed:
        sandbox.check_available()
    submissions = find_submissions(course, assignments, students)
    recording.open_batch(course, assignments, {student for student, _ in submissions})
    outcomes = {}
    pending = []
    recorded = set() if regrade else _recorded_submissions(course, assignments)
    for key in submissions:
        earlier = None if regrade else _journaled(course, *key, recorded)
        if earlier:
            outcomes[key] = _hand_grading_followed(course, earlier)
            on_outcome(outcomes[key])
        else:
            pending.append(key)
    with _executor(jobs, scheduler) as executor:
        for outcome in _graded(course, pending, executor, jobs, sandboxed):
            outcomes[outcome.student, outcome.assignment] = outcome
            on_outcome(outcome)
    _write_tables_and_reports(course, assignments, outcomes, sandboxed=sandboxed)
    return [outcomes[key] for key in sorted(outcomes)]


class Refreshed(NamedTuple):
    outcomes: list[Outcome]             # brought up to date, in (student, assignment) order
    not_recorded: list[tuple[str, str]]  # (student, assignment) of submissions with nothing recorded to refresh
    changed: list[Outcome]              # of ``outcomes``, those whose submission or grader changed since


def refresh(course: Course, assignments, students=()) -> Refreshed:
    """Bring the recorded outcomes of ``assignments`` (of ``students`` only, when named) up to date with
    the gradebook, hand grading included: totals, feedback pages, then results, grades and reports.
    Nothing is executed."""
    recorded = _recorded_submissions(course, assignments)
    refreshed, not_recorded = {}, []
    for key in find_submissions(course, assignments, students):
        outcome = _journaled(course, *key, recorded, current_only=False)
        if outcome:
            refreshed[key] = recording.refresh(course, outcome)
        else:
            not_recorded.append(key)
    _write_tables_and_reports(course, assignments, refreshed)
    outcomes = [refreshed[key] for key in sorted(refreshed)]
    return Refreshed(outcomes, not_recorded,
                     [o for o in outcomes if not journal.is_current(course, o.student, o.assignment)])


def release_held(course: Course, assignments, students=()) -> list[Outcome]:
    """Release the held scores of ``assignments`` (of ``students`` only, when named) after review: they
    become graded, with their flags kept, get their feedback, and enter the tables; nothing runs again."""
    recorded = _recorded_submissions(course, assignments)
    released = {}
    for key in find_submissions(course, assignments, students):
        outcome = _journaled(course, *key, recorded)
        if outcome and outcome.status == HELD:
            released[key] = recording.refresh(course, replace(outcome, status=GRADED, reason="released after review"))
    _write_tables_and_reports(course, assignments, released)
    return list(released.values())


def _write_tables_and_reports(course: Course, assignments, fresh: dict, *, sandboxed: bool = True) -> None:
    """Results, grades and a report per assignment, over every submission: the ``fresh`` outcomes by
    (student, assignment), the others as they were last recorded."""
    recorded = _recorded_submissions(course, course.assignments)
    ordered = [o for o in (fresh.get(key) or _journaled(course, *key, recorded, current_only=False)
                           for key in find_submissions(course, course.assignments)) if o]
    recording.write_tables_and_reports(course, ordered, assignments, sandboxed=sandboxed)


def _hand_grading_followed(course: Course, outcome: Outcome) -> Outcome:
    """A journaled outcome, refreshed when the gradebook's scores for it changed since (hand grading)."""
    if outcome.graded and recording.with_gradebook_scores(course, outcome) != outcome:
        return recording.refresh(course, outcome)
    return outcome


def _graded(course: Course, pending, executor, jobs: int, sandboxed: bool):
    """Outcomes of ``pending`` submissions as they finish: at most ``2 * jobs`` executions in flight, each
    recorded as soon as it is done, in submission order among those done together."""
    queue = iter(pending)
    running = {}
    while True:
        while len(running) < 2 * jobs and (key := next(queue, None)):
            job = prepare(course, key[1], key[0], sandboxed=sandboxed)
            if isinstance(job, Outcome):
                yield recording.finish(course, job)
            else:
                running[executor.submit(sandbox.execute, job)] = job
        if not running:
            return
        done, _ = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
        for future in sorted(done, key=lambda f: (running[f].student, running[f].assignment)):
            job = running.pop(future)
            executed = future.result()
            yield recording.finish(course, judge(course, job, executed), executed.notebook)


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


def _recorded_submissions(course: Course, assignments) -> set[tuple[str, str]]:
    """(student, assignment) of every submission the gradebook holds scores for."""
    with nbgrader_api.gradebook(course) as gradebook:
        registered = {a.name for a in gradebook.assignments}
        return {(s.student.id, a) for a in assignments if a in registered for s in gradebook.find_assignment(a).submissions}


def _journaled(course: Course, student: str, assignment: str, recorded, *,
               current_only: bool = True) -> Outcome | None:
    """The journal's outcome for a submission whose grades are still in the gradebook (and, with
    ``current_only``, unchanged since it was graded, by the same grader)."""
    outcome = journal.read(course, student, assignment, current_only=current_only)
    return outcome if outcome and outcome.graded == ((student, assignment) in recorded) else None
