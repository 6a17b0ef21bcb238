import os
import shutil

import pytest
from minicourse import build_mini_course

from gradlab.course import Course
from gradlab.release import release


@pytest.fixture
def mini_course(tmp_path) -> Course:
    """A fresh course with the real configuration and one two-exercise assignment, ``00_mini``."""
    return Course.load(build_mini_course(tmp_path))


@pytest.fixture(scope="session")
def released_mini_template(tmp_path_factory):
    """The mini course released once per test process: nbgrader's release and gradebook set-up take seconds."""
    course = Course.load(build_mini_course(tmp_path_factory.mktemp("released-mini")))
    release(course, "00_mini")
    return course.root


@pytest.fixture
def released_mini_course(released_mini_template, tmp_path) -> Course:
    """A fresh copy of the released mini course, gradebook included, as if ``release`` had just run."""
    return Course.load(shutil.copytree(released_mini_template, tmp_path / "course"))


def pytest_configure(config):
    """Refuse --dist loadgroup where pytest-xdist cannot keep a group on one worker (it sets a nodeid attribute
    that pytest 9 no longer reads): every worker would redo each assignment's mutation runs and the hostile batch."""
    if config.getoption("dist", "no") == "loadgroup" and int(pytest.__version__.split(".")[0]) >= 9:
        raise pytest.UsageError(f"pytest-xdist's --dist loadgroup does not group tests under pytest {pytest.__version__}; "
                                f"install the versions pinned in requirements.txt")


def pytest_xdist_auto_num_workers(config):
    """One worker more than cores for -n auto: tests wait on kernels starting and on timeouts, and the
    extra worker uses those waits."""
    return (os.cpu_count() or 1) + 1
