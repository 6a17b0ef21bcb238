import pytest
from minicourse import build_mini_course

from gradlab.course import Course


@pytest.fixture
def mini_course(tmp_path) -> Course:
    """A fresh course with the real configuration and one two-exercise assignment, ``00_mini``."""
    return Course.load(build_mini_course(tmp_path))



def pytest_configure(config):
    """Refuse --dist loadgroup where pytest-xdist cannot keep a group on one worker (it sets a nodeid attribute
    that pytest 9 no longer reads): every worker would redo each assignment's mutation runs and the hostile batch."""
    if config.getoption("dist", "no") == "loadgroup" and int(pytest.__version__.split(".")[0]) >= 9:
        raise pytest.UsageError(f"pytest-xdist's --dist loadgroup does not group tests under pytest {pytest.__version__}; "
                                f"install the versions pinned in requirements.txt")
