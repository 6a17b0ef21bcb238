"""Every submission has a feedback page: one that was not graded says why and what to do, in a student's
words, in the look of nbgrader's feedback pages; a held one has none."""

import re

import pytest
from lxml import html as lxml_html

from gradlab import recording
from gradlab.batch import grade_batch
from gradlab.grading import Outcome
from gradlab.status_pages import what_happened


def _text(page: str) -> str:
    """What the page's body reads, without the anchor links of its headings."""
    body = lxml_html.fromstring(page).find("body").text_content()
    return re.sub(r"\s+", " ", body.replace("¶", " ")).strip()


def _page(course, student):
    return (course.feedback / student / "00_mini" / "00_mini.html").read_text(encoding="utf-8")


@pytest.fixture
def course(released_mini_course):
    """``fay`` submitted a PDF and notes, ``gil`` an empty folder, ``eve`` a notebook without cells."""
    course = released_mini_course
    for student, files in (("fay", {"answers.pdf": b"%PDF", "notes <img src=x onerror=alert(1)>.txt": b"x"}), ("gil", {}),
                           ("eve", {"00_mini.ipynb": b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'})):
        folder = course.submission(student, "00_mini")
        folder.mkdir(parents=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
    grade_batch(course, ["00_mini"], sandboxed=False)
    return course


def test_a_missing_notebook_names_what_was_found_and_asks_for_the_notebook(course):
    page = _page(course, "fay")
    assert _text(page) == (
        "00_mini (Score: 0.0 / 5.0) Your submission was not graded "
        "What happened. We found no 00_mini.ipynb in your submission; we found: answers.pdf, notes <img src=x onerror=alert(1)>.txt. "
        "What to do. Submit the notebook itself, named 00_mini.ipynb (in JupyterLab, File → Download saves it). "
        "If you think this is a mistake, ask your instructor.")
    assert "<img src=x" not in page  # file names are text, never markup
    assert "We found no 00_mini.ipynb in your submission; your submission held no file at all." in _text(_page(course, "gil"))


def test_an_invalid_notebook_gets_the_reason_and_how_to_check_it(course):
    assert ("What happened. We could not grade your 00_mini.ipynb: notebook has no cells. "
            "What to do. Open your notebook in JupyterLab and check that it opens and still holds every cell of "
            "the assignment (if cells were deleted, start again from the released notebook and copy your answers "
            "into it); save it, and submit that file.") in _text(_page(course, "eve"))


def test_a_failed_run_says_what_stopped_it_and_how_to_run_it_through():
    outcome = Outcome("kim", "00_mini", "failed", 0.0, 4.0, "the notebook ran longer than the 180 s limit")
    assert what_happened(outcome) == ("Your <code>00_mini.ipynb</code> was run, but it did not run to its end, "
                                      "so it could not be scored: the notebook ran longer than the 180 s limit.")


def test_status_pages_look_like_nbgraders_feedback_pages(course):
    document = lxml_html.fromstring(_page(course, "fay"))
    assert document.findtext(".//title") == "00_mini"
    assert "Bootstrap v3" in document.findtext(".//style")  # nbgrader's feedback CSS, inlined
    assert document.xpath("//div[@class='panel panel-default']/div[@class='panel-heading']/h4/text()") == [
        "00_mini (Score: 0.0 / 5.0)"]


def test_a_held_score_has_no_page_not_even_an_earlier_one(course):
    held = Outcome("fay", "00_mini", "held", 4.0, 4.0, "flagged by the audit")
    assert recording.publish(course, held).feedback == "none until the held score is released"
    assert not (course.feedback / "fay" / "00_mini" / "00_mini.html").exists()
