"""Judging one submission: a student's notebook in, one outcome row out, whatever the notebook holds.

Judging writes nothing: ``recording`` puts outcomes into the gradebook, feedback, journal and tables.
"""

import copy
import fnmatch
import json
from dataclasses import dataclass, field, replace

import nbformat

from gradlab import nbgrader_api, sandbox
from gradlab import notebooks as nbs
from gradlab.audit import audit_notebook
from gradlab.collect import TIMESTAMP
from gradlab.course import Course
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

    @property
    def total(self) -> float:
        """Autograded and hand-graded points, less the late penalty: the score grades.csv states."""
        return self.score + self.manual_score - self.late_penalty

    @property
    def total_max(self) -> float:
        """Every point of the notebook, autograded and by hand: the max_score grades.csv states."""
        return self.max_score + self.manual_max


def prepare(course: Course, assignment: str, student: str, *, sandboxed: bool = True) -> sandbox.Job | Outcome:
    """The sandbox job for one submission, or its outcome when there is nothing that can be executed."""
    notebook = course.submission(student, assignment) / f"{assignment}.ipynb"
    if not notebook.is_file():
        found = sorted(p.name for p in notebook.parent.glob("*")) if notebook.parent.is_dir() else []
        return _unscored(course, assignment, student, MISSING, f"no {notebook.name} in the submission"
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
        return _unscored(course, assignment, student, INVALID, problem)
    return sandbox.Job(student, assignment, nbformat.writes(runnable), _released_files(course, assignment),
                       sandbox.Limits.from_config(course.config), sandboxed,
                       tuple(course.config.Execute.get("extra_arguments", ())))


def judge(course: Course, job: sandbox.Job, executed: sandbox.Executed) -> Outcome:
    """The outcome of an executed job: failed when the notebook did not run to its end; otherwise graded,
    or held when the audit flags it, with its scores still to be taken by nbgrader autograde (see
    ``recording.record``)."""
    submitted = nbs.read(course.submission(job.student, job.assignment) / f"{job.assignment}.ipynb")
    flags = audit_notebook(submitted)
    outcome = replace(_unscored(course, job.assignment, job.student, GRADED, ""),
                      seconds=executed.seconds, flags=flags)
    if executed.notebook is None:
        return replace(outcome, status=FAILED, reason=executed.failure)
    died_in = executed.kernel_died_in_cell
    if died_in is not None:
        cell = nbs.grade_id(nbformat.reads(executed.notebook, as_version=4).cells[died_in]) or f"number {died_in + 1}"
        return replace(outcome, status=FAILED,
                       reason=f"the kernel died in cell {cell} (os._exit, a crash or a killed process); "
                              f"the cells after it did not run")
    if flags and course.holds_flagged_scores:
        return replace(outcome, status=HELD,
                       reason="flagged by the audit: review the notebook, then `gradlab release-held`")
    return outcome


def _unscored(course: Course, assignment: str, student: str, status: str, reason: str) -> Outcome:
    """An outcome with no points yet, out of the assignment's autograded and hand-graded points."""
    source = nbs.read(course.source_notebook(assignment))
    return Outcome(student, assignment, status, 0.0, sum(nbs.test_points(source).values()), reason,
                   ignored_files=ignored_files(course, assignment, student),
                   manual_max=sum(nbs.hand_graded_points(source).values()))


def _missing_solution_cells(course: Course, assignment: str, submitted) -> str:
    """Why nbgrader cannot put the test cells back: solution cells it would place them after are gone."""
    present = {nbs.grade_id(cell) for cell in submitted.cells}
    missing = [nbs.grade_id(cell) for cell in nbs.read(course.source_notebook(assignment)).cells
               if nbs.is_solution_cell(cell) and nbs.grade_id(cell) not in present]
    if not missing:
        return ""
    return (f"the notebook lacks the solution cell(s) {', '.join(missing)} of {assignment} "
            f"(deleted, or the notebook of another assignment)")


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


