"""A narrow bridge to nbgrader's API: one call per nbgrader step, failures raised with nbgrader's log."""

import copy
import logging
import os
import sys
import tempfile
import warnings

from nbgrader.api import Gradebook
from nbgrader.converters import Autograde, GenerateAssignment, GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import capture_log
from nbformat.warnings import MissingIDFieldWarning
from sqlalchemy.exc import SAWarning

from gradlab.course import Course


# nbgrader runs the `alembic` script that installs beside this interpreter; find it without an activated venv.
_scripts = os.path.dirname(sys.executable)
if _scripts not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _scripts + os.pathsep + os.environ.get("PATH", "")

# nbgrader's gradebook code trips SQLAlchemy 2's autoflush notices, and the test cells it restores into
# a submission have no cell id; neither says anything about grades.
warnings.filterwarnings("ignore", category=SAWarning)
warnings.filterwarnings("ignore", category=MissingIDFieldWarning)


class NbgraderStepFailed(Exception):
    """An nbgrader step reported failure; the message carries its log and traceback."""


def _run(course: Course, converter, step: str, config=None, **ids) -> None:
    """Run one nbgrader converter on the course for the given assignment (and student) ids."""
    config = config or course.config
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
    """Record the source notebook's cells in the gradebook without touching ``release/``."""
    with tempfile.TemporaryDirectory(prefix="gradlab-release-") as elsewhere:
        config = copy.deepcopy(course.config)
        config.CourseDirectory.release_directory = elsewhere
        _run(course, GenerateAssignment, f"generate_assignment {assignment}", config, assignment_id=assignment)


def gradebook(course: Course) -> Gradebook:
    """The course's gradebook, to be used as a context manager."""
    return Gradebook(CourseDirectory(config=course.config).db_url, course.config.CourseDirectory.course_id)


# The kernel never answered: no student code has run yet, so trying again is always fair. (Two kernels
# started at once can be handed the same free TCP port; the loser dies with "Address already in use".)
KERNEL_NOT_STARTED = ("Kernel died before replying to kernel_info", "Kernel didn't respond in")
KERNEL_START_ATTEMPTS = 3


def autograde(course: Course, assignment: str, student: str) -> None:
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            return _run(course, Autograde, "autograde", assignment_id=assignment, student_id=student)
        except NbgraderStepFailed as error:
            if attempt == KERNEL_START_ATTEMPTS or not any(s in str(error) for s in KERNEL_NOT_STARTED):
                raise


def generate_feedback(course: Course, assignment: str, student: str) -> None:
    config = copy.deepcopy(course.config)
    config.HTMLExporter.template_name = "feedback"
    _run(course, GenerateFeedback, "generate_feedback", config, assignment_id=assignment, student_id=student)
