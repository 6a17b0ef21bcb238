import pytest
from minicourse import build_mini_course

from gradlab.course import Course


@pytest.fixture
def mini_course(tmp_path) -> Course:
    """A fresh course with the real configuration and one two-exercise assignment, ``00_mini``."""
    return Course.load(build_mini_course(tmp_path))
