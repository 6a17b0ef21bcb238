"""Grading one submission: a student's notebook in, one outcome row out, whatever the notebook holds."""

import json
import re
from dataclasses import dataclass, field

import nbformat

from gradlab import nbgrader_api
from gradlab import notebooks as nbs
from gradlab.course import Course

GRADED = "graded"
MISSING = "missing"
INVALID = "invalid"
FAILED = "failed"


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

    @property
    def graded(self) -> bool:
        return self.status == GRADED


def grade_submission(course: Course, assignment: str, student: str) -> Outcome:
    """Autograde ``submitted/<student>/<assignment>`` into the gradebook and ``autograded/``; say how it went."""
    max_points = nbs.test_points(nbs.read(course.source_notebook(assignment)))
    total = sum(max_points.values())

    def outcome(status, reason, cells=None):
        score = sum(cells.values()) if cells else 0.0
        return Outcome(student, assignment, status, score, total, reason, cells or {})

    notebook = course.submission(student, assignment) / f"{assignment}.ipynb"
    if not notebook.is_file():
        found = sorted(p.name for p in notebook.parent.glob("*")) if notebook.parent.is_dir() else []
        _register_student(course, student)
        return outcome(MISSING, f"no {notebook.name} in the submission" + (f" (found: {', '.join(found)})" if found else ""))
    problem = _unreadable(notebook)
    if problem:
        _register_student(course, student)
        return outcome(INVALID, problem)
    try:
        nbgrader_api.autograde(course, assignment, student)
    except nbgrader_api.NbgraderStepFailed as error:
        return outcome(FAILED, _failure_reason(str(error)))
    return outcome(GRADED, "", _test_scores(course, assignment, student, max_points))


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


def _register_student(course: Course, student: str) -> None:
    """Put the student in the gradebook, so that exported grades show them (with zero)."""
    with nbgrader_api.gradebook(course) as gradebook:
        gradebook.update_or_create_student(student)


def _failure_reason(log: str) -> str:
    """The last exception nbgrader's log names (without its module), other than nbgrader's own summary."""
    errors = [re.sub(r"^(\w+\.)+", "", line.strip()) for line in log.splitlines()
              if re.match(r"\s*[\w.]*(Error|Exception)\b", line) and "NbGraderException" not in line]
    return errors[-1] if errors else "nbgrader could not grade this notebook"
