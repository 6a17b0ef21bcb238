import copy

import pytest
from minicourse import mini_notebook

from gradlab import notebooks as nbs
from gradlab.leaks import find_leaks


def _cell(nb, grade_id):
    return next(c for c in nb.cells if nbs.grade_id(c) == grade_id)


@pytest.fixture
def released():
    """The mini notebook as nbgrader releases it."""
    nb = copy.deepcopy(mini_notebook())
    for cell in nb.cells:
        if nbs.is_solution_cell(cell):
            head = cell.source.split("    ### BEGIN SOLUTION")[0]
            cell.source = head + "    # YOUR CODE HERE\n    raise NotImplementedError()"
        elif nbs.is_test_cell(cell):
            cell.source = cell.source.split("### BEGIN HIDDEN TESTS")[0]
        elif nbs.is_answer_cell(cell):
            cell.source = "YOUR ANSWER HERE"
    return nb


def test_a_clean_release_has_no_leaks(released):
    assert find_leaks(mini_notebook(), released) == []


def test_a_surviving_solution_line_is_a_leak(released):
    _cell(released, "double").source += "\n    return 2 * x"
    assert find_leaks(mini_notebook(), released) == ["cell double: leaks 'return 2 * x'"]


def test_a_surviving_hidden_test_is_a_leak(released):
    _cell(released, "test_total").source += "\nassert total([]) == 0"
    assert find_leaks(mini_notebook(), released) == ["cell test_total: leaks 'assert total([]) == 0'"]


def test_a_surviving_model_answer_is_a_leak(released):
    _cell(released, "answer_why").source = "Because doubling is linear."
    assert find_leaks(mini_notebook(), released) == ["cell answer_why: leaks 'Because doubling is linear.'"]


def test_markers_and_outputs_are_leaks(released):
    cell = _cell(released, "test_double__visible")
    cell.source += "\n### BEGIN HIDDEN TESTS"
    cell.outputs = [{"output_type": "stream", "name": "stdout", "text": "4"}]
    assert find_leaks(mini_notebook(), released) == [
        "cell test_double__visible: has outputs or an execution count",
        "cell test_double__visible: contains the marker '### BEGIN HIDDEN TESTS'",
    ]


def test_a_dropped_cell_is_reported(released):
    released.cells = [c for c in released.cells if nbs.grade_id(c) != "test_total"]
    assert find_leaks(mini_notebook(), released) == ["cell test_total: missing from the release"]
