"""The bridge to nbgrader: outputs executed in the sandbox are replayed only onto the very same notebook, and
nbgrader's own autograde, which would run student code unsandboxed, refuses."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from gradlab.nbgrader_api import ReplayExecution


def _replay(executed_cells, graded_cells, tmp_path):
    path = tmp_path / "executed.ipynb"
    nbformat.write(new_notebook(cells=executed_cells), str(path))
    return ReplayExecution(executed=str(path)).preprocess(new_notebook(cells=graded_cells), {})[0]


def test_outputs_and_counts_are_taken_from_the_executed_notebook(tmp_path):
    ran = new_code_cell("print(1)", execution_count=7, outputs=[new_output("stream", name="stdout", text="1\n")])
    nb = _replay([ran], [new_code_cell("print(1)")], tmp_path)
    assert nb.cells[0].outputs == [new_output("stream", name="stdout", text="1\n")]
    assert nb.cells[0].execution_count == 7


def test_a_notebook_that_differs_from_the_executed_one_is_refused(tmp_path):
    with pytest.raises(ValueError, match="does not match the submission"):
        _replay([new_code_cell("x = 1")], [new_code_cell("x = 2")], tmp_path)


@pytest.mark.slow
def test_plain_nbgrader_autograde_refuses_to_run_student_code_and_names_gradlab_grade(released_mini_course):
    course = released_mini_course
    submission = course.submission("eve", "00_mini") / "00_mini.ipynb"
    submission.parent.mkdir(parents=True)
    shutil.copy(course.release_notebook("00_mini"), submission)
    ran = subprocess.run([str(Path(sys.executable).with_name("nbgrader")), "autograde", "00_mini", "--student", "eve"],
                         cwd=course.root, capture_output=True, text=True, timeout=300)
    assert ran.returncode != 0
    assert ("this course grades student code only in gradlab's sandbox: run `gradlab grade 00_mini --student eve` "
            "(or `gradlab grade` for every submission) instead of nbgrader autograde") in ran.stdout + ran.stderr
    assert not (course.autograded / "eve" / "00_mini" / "00_mini.ipynb").exists()
