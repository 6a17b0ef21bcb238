"""validate finds every defect of a course at once: each case breaks one thing and expects one message."""

import nbformat
import pytest

from gradlab import notebooks as nbs
from gradlab.release import release
from gradlab.validation import validate

pytestmark = pytest.mark.slow  # releases and executes notebooks


def _edit_source(course, edit):
    path = course.source_notebook("00_mini")
    nb = nbs.read(path)
    edit(nb)
    nbformat.write(nb, str(path))


def _cell(nb, grade_id):
    return next(c for c in nb.cells if nbs.grade_id(c) == grade_id)


def test_a_correct_course_validates(mini_course):
    release(mini_course, "00_mini")
    assert validate(mini_course, ["00_mini"]) == []


def test_a_missing_release_is_reported(mini_course):
    assert validate(mini_course, ["00_mini"]) == ["00_mini: release/00_mini is missing: run gradlab release 00_mini"]


def test_a_stale_release_is_reported(mini_course):
    release(mini_course, "00_mini")
    _edit_source(mini_course, lambda nb: nb.cells.insert(1, nbformat.v4.new_markdown_cell("More.", id="more")))
    assert validate(mini_course, ["00_mini"]) == [
        "00_mini: release/00_mini/00_mini.ipynb is out of date: run gradlab release 00_mini"]


def test_a_test_that_cannot_fail_is_reported(mini_course):
    def toothless(nb):
        _cell(nb, "test_total").source = "assert True"
    _edit_source(mini_course, toothless)
    release(mini_course, "00_mini")
    assert validate(mini_course, ["00_mini"]) == ["00_mini: the unanswered release scores 1 on test_total"]


def test_a_wrong_reference_solution_is_reported(mini_course):
    def wrong(nb):
        cell = _cell(nb, "total")
        cell.source = cell.source.replace("return sum(xs)", "return sum(xs) + 1")
    _edit_source(mini_course, wrong)
    release(mini_course, "00_mini")
    assert validate(mini_course, ["00_mini"]) == [
        "00_mini: source scores 0 on test_total (worth 1)",
        "00_mini: source cell test_total raises AssertionError: ",
    ]


def test_a_warning_in_the_source_is_reported(mini_course):
    def noisy(nb):
        nb.cells.append(nbformat.v4.new_code_cell("import warnings\nwarnings.warn('careful')", id="noisy"))
    _edit_source(mini_course, noisy)
    release(mini_course, "00_mini")
    [problem] = validate(mini_course, ["00_mini"])
    assert problem.startswith("00_mini: source cell noisy writes to stderr: ") and "UserWarning: careful" in problem


def test_source_defects_are_all_reported_together(mini_course):
    def sloppy(nb):
        _cell(nb, "test_total").outputs = [nbformat.v4.new_output("stream", name="stdout", text="ok")]
        _cell(nb, "test_total").metadata.nbgrader["grade_id"] = "check_total"
        _cell(nb, "test_double__hidden").metadata.nbgrader["locked"] = False
    _edit_source(mini_course, sloppy)
    problems = validate(mini_course, ["00_mini"])
    assert problems[:3] == [
        "00_mini: test cell 'test_double__hidden' is not locked",
        "00_mini: cell check_total: outputs are not stripped",
        "00_mini: test cell 'check_total': name it test_NAME or test_NAME__PART after the function it checks",
    ]
