"""The bridge to nbgrader: outputs executed in the sandbox are replayed only onto the very same notebook."""

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
