"""A narrow bridge to nbgrader's API: one call per nbgrader step, failures raised with nbgrader's log."""

import copy
import logging
import os
import sys
import tempfile
import warnings

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
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


def api(course: Course) -> NbGraderAPI:
    """An nbgrader API bound to the course, logging only warnings and errors."""
    coursedir = CourseDirectory(config=course.config)
    nbgrader = NbGraderAPI(coursedir=coursedir, config=course.config)
    nbgrader.log.setLevel(logging.WARNING)
    nbgrader.log.propagate = False
    return nbgrader


def checked(result: dict, step: str) -> dict:
    """Raise ``NbgraderStepFailed`` unless an nbgrader API result reports success."""
    if not result["success"]:
        details = "\n".join(part for part in (result.get("log"), result.get("error")) if part)
        raise NbgraderStepFailed(f"nbgrader {step} failed:\n{details}")
    return result


def generate_assignment(course: Course, assignment: str) -> None:
    checked(api(course).generate_assignment(assignment, force=True, create=True), f"generate_assignment {assignment}")


def register_assignment(course: Course, assignment: str) -> None:
    """Record the source notebook's cells in the gradebook without touching ``release/``."""
    with tempfile.TemporaryDirectory(prefix="gradlab-release-") as elsewhere:
        config = copy.deepcopy(course.config)
        config.CourseDirectory.release_directory = elsewhere
        generate_assignment(Course(course.root, config, course.assignments), assignment)


def db_url(course: Course) -> str:
    return CourseDirectory(config=course.config).db_url


def autograde(course: Course, assignment: str, student: str) -> None:
    checked(api(course).autograde(assignment, student, force=True, create=True), "autograde")


def generate_feedback(course: Course, assignment: str, student: str) -> None:
    checked(api(course).generate_feedback(assignment, student, force=True), "generate_feedback")
