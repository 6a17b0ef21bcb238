"""The resume journal: an entry another version of gradlab wrote never makes resuming crash, and a new
version of the grading code grades again."""

import json
import shutil

import nbgrader
import pytest

import gradlab
from gradlab import journal
from gradlab.batch import grade_batch


@pytest.fixture
def course(released_mini_course):
    """``fay`` submitted a PDF instead of the notebook: recorded as missing without executing anything."""
    folder = released_mini_course.submission("fay", "00_mini")
    folder.mkdir(parents=True)
    (folder / "answers.pdf").write_bytes(b"%PDF-1.4")
    grade_batch(released_mini_course, ["00_mini"], sandboxed=False)
    return released_mini_course


REASON = "no 00_mini.ipynb in the submission (found: answers.pdf)"


def _edit_entry(course, edit):
    path = journal.entry_path(course, "fay", "00_mini")
    entry = json.loads(path.read_text())
    entry["outcome"]["reason"] = "as the journal says"  # a regrade would give REASON again
    edit(entry["outcome"])
    path.write_text(json.dumps(entry))


def _resumed(course):
    [outcome] = grade_batch(course, ["00_mini"], sandboxed=False)
    return outcome


def test_an_entry_with_a_field_this_gradlab_does_not_know_is_resumed(course):
    _edit_entry(course, lambda outcome: outcome.update(graded_by="a later gradlab"))
    assert (_resumed(course).status, _resumed(course).reason) == ("missing", "as the journal says")


def test_an_entry_lacking_fields_added_since_is_resumed_with_their_defaults(course):
    _edit_entry(course, lambda outcome: [outcome.pop(name) for name in ("awaiting_grading", "manual_max", "feedback")])
    outcome = _resumed(course)
    assert (outcome.status, outcome.reason, outcome.manual_max, outcome.awaiting_grading) == (
        "missing", "as the journal says", 0.0, 0)


def test_an_entry_lacking_a_field_it_cannot_do_without_is_graded_again(course):
    _edit_entry(course, lambda outcome: outcome.pop("status"))
    assert (_resumed(course).status, _resumed(course).reason) == ("missing", REASON)


def test_a_new_version_of_the_grader_grades_again_without_regrade(course, monkeypatch):
    _edit_entry(course, lambda outcome: None)
    assert _resumed(course).reason == "as the journal says"
    monkeypatch.setattr(journal, "GRADER_VERSION", journal.GRADER_VERSION + " with a fix")
    assert _resumed(course).reason == REASON


def test_the_grader_version_follows_the_code_that_grades_and_nothing_else(tmp_path, monkeypatch):
    package = shutil.copytree(journal.PACKAGE, tmp_path / "gradlab")
    monkeypatch.setattr(journal, "PACKAGE", package)
    versions = [journal.grader_version()]
    for changed in ("report.py", "cli.py", "grading.py", "recording.py", "sandbox/runner.py"):
        with open(package / changed, "a") as file:
            file.write("\n# changed\n")
        versions.append(journal.grader_version())
    assert versions[0] == versions[1] == versions[2]
    assert len(set(versions[2:])) == 4
    assert versions[0].startswith(f"gradlab {gradlab.__version__}, nbgrader {nbgrader.__version__}, code ")
