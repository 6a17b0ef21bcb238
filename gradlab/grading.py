"""Grading one submission: a student's notebook in, one outcome row out, whatever the notebook holds."""

import copy
import fnmatch
import json
import re
import tempfile
from dataclasses import dataclass, field

import nbformat
from nbgrader.api import MissingEntry

from gradlab import nbgrader_api, sandbox
from gradlab import notebooks as nbs
from gradlab.audit import audit_notebook
from gradlab.collect import TIMESTAMP
from gradlab.course import Course
from gradlab.lateness import lateness
from gradlab.statuses import FAILED, GRADED, HELD, INVALID, MISSING, SCORED


@dataclass
class Outcome:
    """What became of one submission: its autograded score, a status and the reason behind it."""

    student: str
    assignment: str
    status: str
    score: float
    max_score: float
    reason: str = ""
    cells: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    flags: tuple[str, ...] = ()
    ignored_files: tuple[str, ...] = ()  # submitted beside the notebook, never given to it
    feedback: str = ""                   # why the student has no feedback page, when they have none
    submitted_at: str = ""               # when the student submitted (ISO 8601, UTC), "" when unknown
    late_seconds: float = 0.0            # how long after the assignment's due date
    late_penalty: float = 0.0            # points taken off for lateness
    manual_score: float = 0.0            # points given by hand in formgrader (written answers)
    manual_max: float = 0.0              # points of the cells graded by hand
    awaiting_grading: int = 0            # cells still waiting to be graded by hand

    @property
    def graded(self) -> bool:
        """Whether the submission has a score (held ones too)."""
        return self.status in SCORED


def grade_submission(course: Course, assignment: str, student: str, *, sandboxed: bool = True) -> Outcome:
    """Autograde ``submitted/<student>/<assignment>`` into the gradebook and ``autograded/``; say how it went."""
    job = prepare(course, assignment, student, sandboxed=sandboxed)
    if isinstance(job, Outcome):
        return job
    return record(course, job, sandbox.execute(job))


def prepare(course: Course, assignment: str, student: str, *, sandboxed: bool = True) -> sandbox.Job | Outcome:
    """The sandbox job for one submission, or its outcome when there is nothing that can be executed."""
    notebook = course.submission(student, assignment) / f"{assignment}.ipynb"
    if not notebook.is_file():
        found = sorted(p.name for p in notebook.parent.glob("*")) if notebook.parent.is_dir() else []
        return _not_executed(course, assignment, student, MISSING, f"no {notebook.name} in the submission"
                             + (f" (found: {', '.join(found)})" if found else ""))
    problem = _unreadable(notebook)
    if not problem:
        submitted = nbs.read(notebook)
        problem = _missing_solution_cells(course, assignment, submitted)
    if not problem:
        try:
            runnable = nbgrader_api.sanitized(course, assignment, student, copy.deepcopy(submitted))
        except Exception as error:  # nbgrader's checks raise plain exceptions for cells it cannot grade
            problem = f"nbgrader cannot grade this notebook: {str(error).strip().splitlines()[0]}"
    if problem:
        return _not_executed(course, assignment, student, INVALID, problem)
    return sandbox.Job(student, assignment, nbformat.writes(runnable), _released_files(course, assignment),
                       sandbox.Limits.from_config(course.config), sandboxed,
                       tuple(course.config.Execute.get("extra_arguments", ())))


def record(course: Course, job: sandbox.Job, executed: sandbox.Executed) -> Outcome:
    """Score an executed job through nbgrader autograde into the gradebook; one outcome for it."""
    max_points = _max_points(course, job.assignment)
    flags = audit_notebook(nbs.read(course.submission(job.student, job.assignment) / f"{job.assignment}.ipynb"))

    def outcome(status, reason, cells=None):
        score = sum(cells.values()) if cells else 0.0
        return Outcome(job.student, job.assignment, status, score, sum(max_points.values()), reason, cells or {},
                       executed.seconds, flags, ignored_files(course, job.assignment, job.student),
                       **lateness(course, job.assignment, job.student)._asdict())

    if executed.notebook is None:
        _record_ungraded(course, job.assignment, job.student)
        return outcome(FAILED, executed.failure)
    died_in = executed.kernel_died_in_cell
    if died_in is not None:
        _record_ungraded(course, job.assignment, job.student)
        cell = nbs.grade_id(nbformat.reads(executed.notebook, as_version=4).cells[died_in]) or f"number {died_in + 1}"
        return outcome(FAILED, f"the kernel died in cell {cell} (os._exit, a crash or a killed process); "
                               f"the cells after it did not run")
    with tempfile.NamedTemporaryFile("w", suffix=".ipynb") as file:
        file.write(executed.notebook)
        file.flush()
        try:
            nbgrader_api.autograde(course, job.assignment, job.student, file.name)
        except nbgrader_api.NbgraderStepFailed as error:
            return outcome(FAILED, _failure_reason(str(error)))
    if flags and course.holds_flagged_scores:
        return outcome(HELD, "flagged by the audit: review the notebook, then `gradlab release-held`",
                       _test_scores(course, job.assignment, job.student, max_points))
    return outcome(GRADED, "", _test_scores(course, job.assignment, job.student, max_points))


def _not_executed(course: Course, assignment: str, student: str, status: str, reason: str) -> Outcome:
    _record_ungraded(course, assignment, student)
    return Outcome(student, assignment, status, 0.0, sum(_max_points(course, assignment).values()), reason,
                   ignored_files=ignored_files(course, assignment, student),
                   **lateness(course, assignment, student)._asdict())


def _missing_solution_cells(course: Course, assignment: str, submitted) -> str:
    """Why nbgrader cannot put the test cells back: solution cells it would place them after are gone."""
    present = {nbs.grade_id(cell) for cell in submitted.cells}
    missing = [nbs.grade_id(cell) for cell in nbs.read(course.source_notebook(assignment)).cells
               if nbs.is_solution_cell(cell) and nbs.grade_id(cell) not in present]
    if not missing:
        return ""
    return (f"the notebook lacks the solution cell(s) {', '.join(missing)} of {assignment} "
            f"(deleted, or the notebook of another assignment)")


def _max_points(course: Course, assignment: str) -> dict[str, float]:
    return nbs.test_points(nbs.read(course.source_notebook(assignment)))


def _released_files(course: Course, assignment: str) -> dict[str, bytes]:
    """The files the assignment releases beside its notebook: all the sandbox gets besides the notebook."""
    folder = course.release / assignment
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.is_symlink() and path.suffix != ".ipynb"}


def ignored_files(course: Course, assignment: str, student: str) -> tuple[str, ...]:
    """What the student submitted besides the notebook (and nbgrader's timestamp.txt): listed on their row,
    never importable."""
    folder = course.submission(student, assignment)
    return tuple(path.relative_to(folder).as_posix() for path in sorted(folder.rglob("*"))
                 if path.name not in (f"{assignment}.ipynb", TIMESTAMP) and not path.is_dir()
                 and not any(fnmatch.fnmatch(part, pattern) for part in path.relative_to(folder).parts
                             for pattern in course.config.CourseDirectory.ignore)) if folder.is_dir() else ()


def _unreadable(notebook) -> str:
    """Why a submitted notebook cannot be graded at all, or '' when it can be read."""
    try:
        text = notebook.read_text(encoding="utf-8")
        if not isinstance(json.loads(text), dict):
            return "not a Jupyter notebook: the file holds JSON, but not a JSON object"
    except UnicodeDecodeError:
        return "notebook is not UTF-8 text"
    except json.JSONDecodeError as error:
        return f"notebook is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # nbformat raises many types for JSON that is not a notebook
        return f"not a Jupyter notebook: {str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__}"
    if not nb.cells:
        return "notebook has no cells"
    return ""


def _test_scores(course: Course, assignment: str, student: str, max_points: dict) -> dict[str, float]:
    with nbgrader_api.gradebook(course) as gradebook:
        submitted = gradebook.find_submission_notebook(assignment, assignment, student)
        scores = {grade.name: float(grade.score) for grade in submitted.grades}
    return {cell_id: scores.get(cell_id, 0.0) for cell_id in max_points}


def _record_ungraded(course: Course, assignment: str, student: str) -> None:
    """Keep the student in the gradebook but no graded submission of theirs, so exports show a zero
    (and no score left over from an earlier run)."""
    with nbgrader_api.gradebook(course) as gradebook:
        gradebook.update_or_create_student(student)
        try:
            gradebook.remove_submission(assignment, student)
        except MissingEntry:
            pass


def _failure_reason(log: str) -> str:
    """The last exception nbgrader's log names (without its module), other than nbgrader's own summary."""
    errors = [re.sub(r"^(\w+\.)+", "", line.strip()) for line in log.splitlines()
              if re.match(r"\s*[\w.]*(Error|Exception)\b", line) and "NbGraderException" not in line]
    return errors[-1] if errors else "nbgrader could not grade this notebook"
