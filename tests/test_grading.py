"""One submission in, one outcome out: exact scores for good work, a clear status for broken work."""

import csv
import json
import shutil

import pytest

from gradlab import notebooks as nbs
from gradlab import synthetic
from gradlab.batch import grade_batch
from gradlab.course import Course
from gradlab.recording import grade_submission

pytestmark = pytest.mark.slow  # executes notebooks


@pytest.fixture
def course(released_mini_course):
    return released_mini_course


def _submit(course, student, notebook=None, data=None):
    folder = course.submission(student, "00_mini")
    folder.mkdir(parents=True)
    path = folder / "00_mini.ipynb"
    if notebook is not None:
        nbs.write(notebook, path)
    if data is not None:
        path.write_bytes(data)
    return folder


def _sources(course):
    return nbs.read(course.source_notebook("00_mini")), nbs.read(course.release_notebook("00_mini"))


def test_reference_solution_earns_every_point(course):
    _submit(course, "ada", synthetic.reference_filled(*_sources(course)))
    outcome = grade_submission(course, "00_mini", "ada")
    assert (outcome.status, outcome.score, outcome.max_score) == ("graded", 4.0, 4.0)
    assert outcome.cells == {"test_double__visible": 1.0, "test_double__hidden": 2.0, "test_total": 1.0}


def test_hidden_tests_decide_the_grade(course):
    source, released = _sources(course)
    hard_coded = synthetic.with_definition(synthetic.reference_filled(source, released), "double",
                                           "def double(x):\n    return {2: 4, 1: 2}[x]")
    _submit(course, "bob", hard_coded)
    outcome = grade_submission(course, "00_mini", "bob")
    assert outcome.cells == {"test_double__visible": 1.0, "test_double__hidden": 0.0, "test_total": 1.0}


def test_deleted_test_cell_is_restored_and_graded(course):
    source, released = _sources(course)
    notebook = synthetic.reference_filled(source, released)
    notebook.cells = [c for c in notebook.cells if nbs.grade_id(c) != "test_double__hidden"]
    _submit(course, "cat", notebook)
    assert grade_submission(course, "00_mini", "cat").cells["test_double__hidden"] == 2.0


def test_edited_test_cell_is_overwritten(course):
    source, released = _sources(course)
    notebook = synthetic.with_definition(released, "double", "def double(x):\n    return 0")
    for cell in notebook.cells:
        if nbs.is_test_cell(cell):
            cell.source = "pass"
    _submit(course, "dan", notebook)
    outcome = grade_submission(course, "00_mini", "dan")
    assert outcome.score == 0.0


@pytest.mark.parametrize("data, reason", [
    (b'{"cells": [', "notebook is not valid JSON (line 1, column 12: Expecting value)"),
    (b"[1, 2]", "not a Jupyter notebook: the file holds JSON, but not a JSON object"),
    (json.dumps({"cells": [{"source": "x"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode(),
     "not a Jupyter notebook: The notebook is invalid and is missing an expected key: metadata"),
    (json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode(), "notebook has no cells"),
    (b"\xff\xfe{}", "notebook is not UTF-8 text"),
])
def test_unreadable_notebooks_are_invalid(course, data, reason):
    _submit(course, "eve", data=data)
    outcome = grade_submission(course, "00_mini", "eve")
    assert (outcome.status, outcome.score, outcome.reason) == ("invalid", 0.0, reason)


def test_missing_notebook_names_what_was_found(course):
    folder = _submit(course, "fay")
    (folder / "answers.ipynb").write_text("{}")
    outcome = grade_submission(course, "00_mini", "fay")
    assert (outcome.status, outcome.score, outcome.reason) == (
        "missing", 0.0, "no 00_mini.ipynb in the submission (found: answers.ipynb)")


def test_batch_grades_everyone_and_writes_tables_and_feedback(course):
    source, released = _sources(course)
    _submit(course, "ada", synthetic.reference_filled(source, released))
    _submit(course, "bob", released)
    _submit(course, "eve", data=b"not json")
    outcomes = grade_batch(course, ["00_mini"])
    assert [(o.student, o.status, o.score) for o in outcomes] == [
        ("ada", "graded", 4.0), ("bob", "graded", 0.0), ("eve", "invalid", 0.0)]
    with open(course.autograded / "results.csv") as file:
        results = list(csv.DictReader(file))
    assert list(results[0]) == ["student", "assignment", "status", "auto_score", "auto_max", "manual_score",
                                "manual_max", "total", "total_max", "awaiting_grading", "submitted_at", "late_seconds",
                                "late_penalty", "reason", "seconds", "flags", "ignored_files", "feedback"]
    assert [[r[column] for column in list(r)[:10]] for r in results] == [
        ["ada", "00_mini", "graded", "4.0", "4.0", "0.0", "1.0", "4.0", "5.0", "1"],
        ["bob", "00_mini", "graded", "0.0", "4.0", "0.0", "1.0", "0.0", "5.0", "0"],  # an unanswered answer scores 0
        ["eve", "00_mini", "invalid", "0.0", "4.0", "0.0", "1.0", "0.0", "5.0", "0"]]
    assert [(r["flags"], r["ignored_files"], r["feedback"]) for r in results] == [("", "", "")] * 3
    assert float(results[0]["seconds"]) > 0 and results[2]["seconds"] == "0.0"
    assert (course.root / "reports" / "00_mini.html").is_file()
    with open(course.autograded / "grades.csv") as file:
        grades = sorted(csv.DictReader(file), key=lambda row: row["student_id"])
    assert [(g["student_id"], g["score"], g["max_score"]) for g in grades] == [
        (r["student"], r["total"], r["total_max"]) for r in results]
    assert (course.feedback / "ada" / "00_mini" / "00_mini.html").is_file()
    assert "We could not grade your <code>00_mini.ipynb</code>: notebook is not valid JSON" in (
        course.feedback / "eve" / "00_mini" / "00_mini.html").read_text()


def test_regrading_replaces_grades_instead_of_adding_them(course):
    source, released = _sources(course)
    _submit(course, "ada", released)
    assert grade_batch(course, ["00_mini"])[0].score == 0.0
    shutil.rmtree(course.submission("ada", "00_mini"))
    _submit(course, "ada", synthetic.reference_filled(source, released))
    assert [o.score for o in grade_batch(course, ["00_mini"])] == [4.0]
    grades = (course.autograded / "grades.csv").read_text().splitlines()
    assert len(grades) == 2 and grades[1].split(",")[7] == "4.0"


def test_a_submission_that_kills_its_kernel_fails_alone(course):
    source, released = _sources(course)
    _submit(course, "ada", synthetic.reference_filled(source, released))
    _submit(course, "kim", synthetic.with_definition(released, "total", "import os\nos._exit(3)"))
    outcomes = grade_batch(course, ["00_mini"])
    assert [(o.student, o.status, o.score) for o in outcomes] == [("ada", "graded", 4.0), ("kim", "failed", 0.0)]
    assert outcomes[1].reason == ("the kernel died in cell total (os._exit, a crash or a killed process); "
                                  "the cells after it did not run")
    page = (course.feedback / "kim" / "00_mini" / "00_mini.html").read_text(encoding="utf-8")
    assert ("Your <code>00_mini.ipynb</code> was run, but it did not run to its end, so it could not be scored: "
            "the kernel died in cell total (os._exit, a crash or a killed process); the cells after it did not run.") in page


def test_one_student_regraded_leaves_everyone_else_in_the_tables(course):
    source, released = _sources(course)
    _submit(course, "ada", synthetic.reference_filled(source, released))
    _submit(course, "bob", released)
    grade_batch(course, ["00_mini"])
    assert [(o.student, o.score) for o in grade_batch(course, ["00_mini"], students=["bob"], regrade=True)] == [("bob", 0.0)]
    with open(course.autograded / "results.csv") as file:
        assert [(r["student"], r["auto_score"]) for r in csv.DictReader(file)] == [("ada", "4.0"), ("bob", "0.0")]


def test_flagged_scores_are_held_by_default_and_recorded_when_the_course_says_so(course):
    source, released = _sources(course)
    flagged = synthetic.with_definition(synthetic.reference_filled(source, released), "total",
                                        "def total(xs):\n    return getattr(__builtins__, 'sum')(xs)")
    _submit(course, "ada", flagged)
    [held] = grade_batch(course, ["00_mini"])
    assert (held.status, held.score, bool(held.flags)) == ("held", 4.0, True)
    assert not (course.feedback / "ada").exists()
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write('\nc.Gradlab.flagged_scores = "record"\n')
    [recorded] = grade_batch(Course.load(course.root), ["00_mini"], regrade=True)
    assert (recorded.status, recorded.score, recorded.flags) == ("graded", 4.0, held.flags)
    assert (course.feedback / "ada" / "00_mini" / "00_mini.html").is_file()


def test_one_assignment_grades_while_the_course_lists_others_never_graded(course):
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write('\nc.Gradlab.assignments = ["00_mini", "01_later"]\n')
    course = Course.load(course.root)
    source, released = _sources(course)
    _submit(course, "ada", synthetic.reference_filled(source, released))
    assert [(o.student, o.status, o.score) for o in grade_batch(course, ["00_mini"])] == [("ada", "graded", 4.0)]
