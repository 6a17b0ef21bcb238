"""Feedback keeps hidden tests hidden: a test cell shows its visible checks and, of its hidden tests, only
how they went; a page that quotes a hidden line anyway is withheld, and its row says why."""

import csv

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from gradlab import notebooks as nbs
from gradlab import synthetic
from gradlab.batch import grade_batch
from gradlab.hidden_tests import HideHiddenTests, hidden_lines_in, secret_lines
from gradlab.nbgrader_api import FEEDBACK_STEPS

SOURCE = "y = f(2)\nassert y == 4\n### BEGIN HIDDEN TESTS\nfrom_reference = 2 * -1\nassert f(-1) == from_reference\n### END HIDDEN TESTS"


def _test_cell(outputs, recorded):
    cell = new_code_cell(SOURCE, outputs=outputs, metadata={
        "nbgrader": {"grade": True, "solution": False, "grade_id": "test_f", "points": 2, "locked": True}})
    if recorded is not None:
        cell.metadata["gradlab"] = recorded
    return HideHiddenTests().preprocess(new_notebook(cells=[cell]), {})[0].cells[0]


def _stream(text):
    return new_output("stream", name="stdout", text=text)


def test_a_failed_hidden_part_shows_the_visible_part_and_the_first_line_of_its_message():
    cell = _test_cell([_stream("visible\n"), _stream("printed while hidden tests ran\n")], {
        "visible_outputs": 1, "visible": {"status": "passed", "message": ""},
        "hidden": {"status": "failed", "message": "AssertionError: sign flipped: did you return -f'(x)?"}})
    assert cell.source == "y = f(2)\nassert y == 4\n# ... hidden tests ..."
    assert [o.text for o in cell.outputs] == [
        "visible\n", "Hidden tests: failed.\nAssertionError: sign flipped: did you return -f'(x)?\n"]
    assert "gradlab" not in cell.metadata


@pytest.mark.parametrize("recorded, summary", [
    ({"visible_outputs": 0, "hidden": {"status": "passed", "message": ""}}, "Hidden tests: passed.\n"),
    ({"visible_outputs": 0, "hidden": {"status": "not run", "message": ""}},
     "Hidden tests: not run, because the visible checks above failed.\n"),
    ({"visible_outputs": 0, "hidden": {"status": "no report", "message": ""}},
     "Hidden tests: failed.\nThey did not report back.\n"),
    (None, "Hidden tests: no result was recorded for them.\n"),
])
def test_the_hidden_part_becomes_one_summary_saying_how_it_went(recorded, summary):
    cell = _test_cell([_stream("anything the hidden part printed\n")], recorded)
    assert [o.text for o in cell.outputs] == [summary]


def test_secret_lines_are_hidden_lines_nobody_has_seen():
    source = new_notebook(cells=[new_code_cell(SOURCE, metadata={"nbgrader": {"grade": True, "solution": False}})])
    release = new_notebook(cells=[new_code_cell("y = f(2)\nassert y == 4")])
    student = new_notebook(cells=[new_code_cell("    from_reference = 2 * -1  # what a student wrote")])
    assert secret_lines(source, release) == {"from_reference = 2 * -1", "assert f(-1) == from_reference"}
    assert secret_lines(source, release, student) == {"assert f(-1) == from_reference"}
    page = "<html><body><pre>assert f(-1) ==\n from_reference</pre><p>assert f(-1) == from_reference</p></body></html>"
    assert hidden_lines_in(page, secret_lines(source, release)) == ["assert f(-1) == from_reference"]


@pytest.mark.slow
def test_a_page_that_would_show_hidden_tests_is_withheld_and_its_row_says_why(released_mini_course, monkeypatch):
    course = released_mini_course
    perfect = synthetic.reference_filled(nbs.read(course.source_notebook("00_mini")),
                                         nbs.read(course.release_notebook("00_mini")))
    nbs.write(perfect, course.submission("ada", "00_mini") / "00_mini.ipynb")
    monkeypatch.setattr("gradlab.nbgrader_api.FEEDBACK_STEPS", [s for s in FEEDBACK_STEPS if s is not HideHiddenTests])
    [outcome] = grade_batch(course, ["00_mini"])
    assert (outcome.status, outcome.score) == ("graded", 4.0)
    assert outcome.feedback == "withheld: the page showed 7 hidden-test line(s), e.g. 'assert np.allclose(double(np.arange(3.0)), _ref_double(np.ar'"
    assert not (course.feedback / "ada" / "00_mini" / "00_mini.html").exists()
    with open(course.autograded / "results.csv") as file:
        assert next(csv.DictReader(file))["feedback"] == outcome.feedback


def test_a_long_failure_message_is_wrapped_to_fit_the_output_box():
    message = "AssertionError: X of shape (9, 9): your gradient is n times the right one, the gradient of the sum of squares: divide by n"
    cell = _test_cell([], {"visible_outputs": 0, "hidden": {"status": "failed", "message": message}})
    assert cell.outputs[0].text == ("Hidden tests: failed.\n"
                                    "AssertionError: X of shape (9, 9): your gradient is n times the right one, the gradient of the\n"
                                    "sum of squares: divide by n\n")
