"""A two-exercise course built on the fly, for testing the pipeline's mechanics quickly."""

import shutil
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ASSIGNMENT = "00_mini"
REPO = Path(__file__).resolve().parents[1]


def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def solution_cell(grade_id, source):
    return new_code_cell(source, id=grade_id, metadata=_meta(grade_id, solution=True))


def test_cell(grade_id, source, points):
    metadata = _meta(grade_id, grade=True, locked=True, points=points)
    metadata.update(deletable=False, editable=False)
    return new_code_cell(source, id=grade_id, metadata=metadata)


def answer_cell(grade_id, source, points=1):
    return new_markdown_cell(source, id=grade_id, metadata=_meta(grade_id, grade=True, solution=True, points=points))


def mini_notebook():
    """``double`` (1 + 2 points) and ``total`` (1 point), a written answer, in the course's cell conventions."""
    return new_notebook(cells=[
        new_markdown_cell("# 00 · A tiny assignment", id="title"),
        solution_cell("double", 'def double(x):\n    """Twice x."""\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION'),
        test_cell("test_double__visible", 'assert type(double(2)) is int and double(2) == 4, f"double(2) returned {double(2)!r}"', 1),
        test_cell("test_double__hidden",
                  "assert double(1) == 2\n### BEGIN HIDDEN TESTS\nimport numpy as np\n"
                  "def _ref_double(x):\n    return x + x\n"
                  "assert type(double(-3.5)) is float and double(-3.5) == -7.0, 'double(-3.5) is not -7.0: negative floats?'\n"
                  "assert np.allclose(double(np.arange(3.0)), _ref_double(np.arange(3.0))), 'double fails on arrays'\n"
                  "### END HIDDEN TESTS", 2),
        solution_cell("total", 'def total(xs):\n    """Sum of xs."""\n    ### BEGIN SOLUTION\n    return sum(xs)\n    ### END SOLUTION'),
        test_cell("test_total", "assert total([1, 2]) == 3\n### BEGIN HIDDEN TESTS\nassert total([]) == 0\nassert type(total([1, 2])) is int\n### END HIDDEN TESTS", 1),
        answer_cell("answer_why", "Because doubling is linear."),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}})


def build_mini_course(root: Path) -> Path:
    """Write a course with the real configuration and the single assignment ``00_mini`` into ``root``."""
    config = (REPO / "nbgrader_config.py").read_text()
    (root / "nbgrader_config.py").write_text(config + f"\nc.Gradlab.assignments = [{ASSIGNMENT!r}]\nc.Gradlab.due_dates = {{}}\n")
    notebook = root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook.parent.mkdir(parents=True)
    nbformat.write(mini_notebook(), str(notebook))
    return root


def copy_course(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("gradebook.db", "submitted", "autograded", "feedback"))
    return dest
