"""A narrow bridge to nbgrader's API: one call per nbgrader step, failures raised with nbgrader's log."""

import copy
import datetime
import logging
import os
import sys
import tempfile
import warnings

import nbformat
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde, GenerateAssignment, GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import AssignLatePenalties, Execute, GetGrades, NbGraderPreprocessor, OverwriteCells
from nbgrader.utils import capture_log, parse_utc
from nbformat.warnings import MissingIDFieldWarning
from sqlalchemy.exc import SAWarning
from traitlets import Unicode

from gradlab.awaiting_grading import MarkAwaitingGrading
from gradlab.course import Course
from gradlab.feedback_html import FeedbackExporter
from gradlab.hidden_tests import HideHiddenTests
from gradlab.math_render import RenderMath


# nbgrader runs the `alembic` script that installs beside this interpreter; find it without an activated venv.
_scripts = os.path.dirname(sys.executable)
if _scripts not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _scripts + os.pathsep + os.environ.get("PATH", "")

# nbgrader's gradebook code trips SQLAlchemy 2's autoflush notices, and the test cells it restores into
# a submission have no cell id; neither says anything about grades.
warnings.filterwarnings("ignore", category=SAWarning)
warnings.filterwarnings("ignore", category=MissingIDFieldWarning)


# nbgrader's own feedback steps, with answers not graded yet saying so, the hidden tests taken out and math
# rendered for offline reading.
FEEDBACK_STEPS = [GetGrades, MarkAwaitingGrading, HideHiddenTests, RenderMath, CSSHTMLHeaderPreprocessor]


# Seconds a gradebook write waits for another one (formgrader's) to finish; SQLite's default, 5 s, would
# fail it with "database is locked".
BUSY_TIMEOUT = 60


class NbgraderStepFailed(Exception):
    """An nbgrader step reported failure; the message carries its log and traceback."""


def _db_url(config) -> str:
    """The gradebook's URL, its SQLite connections waiting ``BUSY_TIMEOUT`` for other writers."""
    url = CourseDirectory(config=config).db_url
    if url.startswith("sqlite:") and "timeout=" not in url:
        url = f"{url}{'&' if '?' in url else '?'}timeout={BUSY_TIMEOUT}"
    return url


def _waiting(config):
    """``config`` with the gradebook's URL of ``_db_url``, for nbgrader's converters."""
    config = copy.deepcopy(config)
    config.CourseDirectory.db_url = _db_url(config)
    return config


def _run(course: Course, converter, step: str, config=None, **ids) -> None:
    """Run one nbgrader converter on the course for the given assignment (and student) ids."""
    config = _waiting(config or course.config)
    app = converter(coursedir=CourseDirectory(config=config, **ids), config=config)
    app.force = True
    app.log.setLevel(logging.WARNING)
    app.log.propagate = False
    _checked(capture_log(app), step)


def _checked(result: dict, step: str) -> dict:
    """Raise ``NbgraderStepFailed`` unless an nbgrader API result reports success."""
    if not result["success"]:
        details = "\n".join(part for part in (result.get("log"), result.get("error")) if part)
        raise NbgraderStepFailed(f"nbgrader {step} failed:\n{details}")
    return result


def generate_assignment(course: Course, assignment: str) -> None:
    _run(course, GenerateAssignment, f"generate_assignment {assignment}", assignment_id=assignment)


def register_assignment(course: Course, assignment: str) -> None:
    """Record the source notebook's cells in the gradebook without touching ``release/``, and the
    assignment's due date from ``c.Gradlab.due_dates`` (one set otherwise, as by ``nbgrader db assignment
    add --duedate``, is kept when the course lists none)."""
    with tempfile.TemporaryDirectory(prefix="gradlab-release-") as elsewhere:
        config = copy.deepcopy(course.config)
        config.CourseDirectory.release_directory = elsewhere
        _run(course, GenerateAssignment, f"generate_assignment {assignment}", config, assignment_id=assignment)
    if assignment in course.due_dates:
        with gradebook(course) as book:
            book.update_or_create_assignment(assignment, duedate=course.due_dates[assignment])


def submission_timestamp(course: Course, assignment: str, student: str) -> datetime.datetime | None:
    """When the student submitted, from ``timestamp.txt`` in the submission as nbgrader's autograde reads it
    (UTC, no time zone); None without one. Raises ``ValueError`` for text that is not a date."""
    path = course.submission(student, assignment) / "timestamp.txt"
    text = path.read_text().strip() if path.is_file() else ""
    return parse_utc(text) if text else None


_QUIET = logging.getLogger("gradlab.nbgrader")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False


def assign_late_penalty(course: Course, assignment: str, student: str) -> None:
    """nbgrader's ``AssignLatePenalties`` on the submission's current score in the gradebook, as autograde
    runs it; its log (how late, what penalty) stays quiet."""
    resources = {"nbgrader": {"notebook": assignment, "assignment": assignment, "student": student,
                              "db_url": _db_url(course.config)}}
    AssignLatePenalties(config=course.config, log=_QUIET).preprocess(nbformat.v4.new_notebook(), resources)


def gradebook(course: Course) -> Gradebook:
    """The course's gradebook, to be used as a context manager."""
    return Gradebook(_db_url(course.config), course.config.CourseDirectory.course_id)


class ReplayExecution(NbGraderPreprocessor):
    """Stands in for nbgrader's Execute: takes the outputs of the same notebook, executed elsewhere."""

    executed = Unicode(help="Path of the executed notebook whose outputs to take.").tag(config=True)

    def preprocess(self, nb, resources):
        executed = nbformat.read(self.executed, as_version=4)
        if [cell.source for cell in executed.cells] != [cell.source for cell in nb.cells]:
            raise ValueError("the executed notebook does not match the submission being graded")
        for cell, ran in zip(nb.cells, executed.cells):
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = ran.outputs, ran.execution_count
                if "gradlab" in ran.metadata:  # how each part of a test cell went, for feedback
                    cell.metadata["gradlab"] = ran.metadata["gradlab"]
        return nb, resources


class ForgetUnknownCells(NbGraderPreprocessor):
    """Makes plain cells of those whose grade id is missing or not in the assignment. (nbgrader's
    OverwriteCells strips such an id itself, then fails on the cell when it adds missing cells; duplicated
    cells and notebooks of other assignments have them.)"""

    def preprocess(self, nb, resources):
        ids = resources["nbgrader"]
        with Gradebook(ids["db_url"]) as gradebook:
            known = {cell.name for cell in gradebook.find_notebook(ids["notebook"], ids["assignment"]).source_cells}
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id", None) not in known:
                cell.metadata.pop("nbgrader", None)
        return nb, resources


class RefuseUnsandboxedExecution(NbGraderPreprocessor):
    """Stands in for nbgrader's Execute in plain ``nbgrader autograde`` and formgrader's Autograde button,
    which would run student code unsandboxed with the instructor's permissions."""

    def preprocess(self, nb, resources):
        raise RuntimeError("this course grades student code only in gradlab's sandbox: run `gradlab grade "
                           f"{resources['nbgrader']['assignment']} --student {resources['nbgrader']['student']}` "
                           "(or `gradlab grade` for every submission) instead of nbgrader autograde")


# What nbgrader_config.py gives nbgrader's own autograde: its steps, with execution refused.
REFUSING_AUTOGRADE_STEPS = [RefuseUnsandboxedExecution if step is Execute else step
                            for step in Autograde.autograde_preprocessors.default()]


def _sanitize_steps() -> list:
    """nbgrader's sanitize steps, with unknown cells forgotten before OverwriteCells."""
    steps = []
    for step in Autograde.sanitize_preprocessors.default():
        steps += [ForgetUnknownCells, step] if step is OverwriteCells else [step]
    return steps


def sanitized(course: Course, assignment: str, student: str, nb):
    """The notebook nbgrader autograde would execute: outputs cleared, test cells restored from the source."""
    resources = {"nbgrader": {"student": student, "assignment": assignment, "notebook": assignment,
                              "db_url": _db_url(course.config)}}
    for preprocessor in _sanitize_steps():
        nb, resources = preprocessor(config=course.config)(nb, resources)
    return nb


def autograde(course: Course, assignment: str, student: str, executed_notebook: str) -> None:
    """nbgrader autograde of the submission, with the outputs of ``executed_notebook`` instead of a kernel."""
    config = copy.deepcopy(course.config)
    config.Autograde.autograde_preprocessors = [
        ReplayExecution if step is Execute else step for step in Autograde.autograde_preprocessors.default()]
    config.Autograde.sanitize_preprocessors = _sanitize_steps()
    config.ReplayExecution.executed = executed_notebook
    _run(course, Autograde, "autograde", config, assignment_id=assignment, student_id=student)


def _feedback_config(course: Course):
    config = copy.deepcopy(course.config)
    config.HTMLExporter.template_name = "feedback"
    config.GenerateFeedback.exporter_class = FeedbackExporter
    config.GenerateFeedback.preprocessors = FEEDBACK_STEPS
    return config


def generate_feedback(course: Course, assignment: str, student: str) -> None:
    """The student's feedback page, hidden tests left out (see ``hidden_tests``)."""
    _run(course, GenerateFeedback, "generate_feedback", _feedback_config(course), assignment_id=assignment,
         student_id=student)


def feedback_page(course: Course, nb, resources: dict) -> str:
    """The HTML of ``nb`` as nbgrader's feedback template shows it, for a page with no autograded notebook
    behind it; ``resources`` gives the template's ``nbgrader`` values (notebook, score, max_score, late_penalty)."""
    app = GenerateFeedback(coursedir=CourseDirectory(config=course.config), config=_feedback_config(course))
    page, _ = FeedbackExporter(parent=app, config=app.config).from_notebook_node(nb, resources=resources)
    return page
