"""The real course: every assignment validates, its release is current, and demo students score exactly."""

import shutil

import pytest
from lxml import html as lxml_html

from gradlab import notebooks as nbs
from gradlab.batch import grade_batch
from gradlab.course import Course
from gradlab.demo import BLANK, BROKEN, PARTIAL, PERFECT, write_demo_submissions
from gradlab.feedback_html import MISSING_ALT_TEXT
from gradlab.nbgrader_api import generate_assignment
from gradlab.scratch import scratch_course
from gradlab.validation import stale_release, validate
from mutation import REPO, by_assignment

COURSE = Course.load(REPO)


@pytest.mark.parametrize("assignment", by_assignment(COURSE.assignments))
def test_release_is_current(assignment):
    with scratch_course(COURSE, [assignment]) as scratch:
        generate_assignment(scratch, assignment)
        assert stale_release(COURSE, scratch, assignment) == []


@pytest.mark.slow
@pytest.mark.parametrize("assignment", by_assignment(COURSE.assignments))
def test_assignment_validates(assignment):
    assert validate(COURSE, [assignment]) == []


@pytest.mark.slow
@pytest.mark.parametrize("assignment", by_assignment(COURSE.assignments))
def test_demo_students_get_exactly_their_scores(assignment):
    """The perfect, half-done and broken demo students (the blank one, the release itself, scores zero in
    test_assignment_validates); the perfect one's feedback shows every figure its notebook drew."""
    full = sum(nbs.test_points(nbs.read(COURSE.source_notebook(assignment))).values())
    with scratch_course(COURSE, [assignment]) as scratch:
        generate_assignment(scratch, assignment)
        expected = write_demo_submissions(scratch, [assignment])
        shutil.rmtree(scratch.submission(BLANK, assignment))
        outcomes = {o.student: (o.status, o.score) for o in grade_batch(scratch, [assignment])}
        figures = _figures(nbs.read(scratch.autograded / PERFECT / assignment / f"{assignment}.ipynb"))
        feedback = (scratch.feedback / PERFECT / assignment / f"{assignment}.html").read_text()
    assert outcomes == {student: expected[student, assignment] for student in (BROKEN, PARTIAL, PERFECT)}
    assert outcomes[PERFECT] == ("graded", full)
    assert 0 < outcomes[PARTIAL][1] < full
    assert outcomes[BROKEN][0] == "invalid"
    assert figures > 0, "the autograded notebook holds none of the figures its cells draw"
    shown = [img.get("alt") for img in lxml_html.document_fromstring(feedback).iter("img")
             if img.get("src", "").startswith("data:image/png;base64,")]
    assert shown == [MISSING_ALT_TEXT] * figures


def _figures(notebook) -> int:
    return sum("image/png" in output.get("data", {}) for cell in notebook.cells for output in cell.get("outputs", []))
