import pytest

from gradlab import notebooks as nbs
from gradlab.release import release

pytestmark = pytest.mark.slow  # runs nbgrader generate_assignment


def test_release_strips_everything_secret_and_is_idempotent(mini_course):
    assert release(mini_course, "00_mini") == []
    path = mini_course.release_notebook("00_mini")
    first = path.read_bytes()
    assert release(mini_course, "00_mini") == []
    assert path.read_bytes() == first
    cells = {nbs.grade_id(c): c.source for c in nbs.read(path).cells if nbs.grade_id(c)}
    assert cells["double"] == 'def double(x):\n    """Twice x."""\n    # YOUR CODE HERE\n    raise NotImplementedError()'
    assert cells["test_total"] == "assert total([1, 2]) == 3"
    assert cells["answer_why"] == "YOUR ANSWER HERE"


def test_release_reports_a_leak_in_a_helper_file(mini_course):
    helper = mini_course.source / "00_mini" / "helpers.py"
    helper.write_text("### BEGIN SOLUTION\nSECRET = 1\n### END SOLUTION\n")
    assert release(mini_course, "00_mini") == ["00_mini: helpers.py: contains the marker '### BEGIN SOLUTION'",
                                               "00_mini: helpers.py: contains the marker '### END SOLUTION'"]
