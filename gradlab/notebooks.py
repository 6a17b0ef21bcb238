"""Reading notebooks and their nbgrader cells: tests, solutions, written answers, markers."""

import re
from pathlib import Path

import nbformat

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_TEST_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
ALL_MARKERS = SOLUTION_MARKERS + HIDDEN_TEST_MARKERS


def read(path: Path) -> nbformat.NotebookNode:
    """Read a notebook as nbformat 4; raises on unreadable JSON or an unknown format."""
    return nbformat.read(str(path), as_version=4)


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def grade_id(cell) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def is_test_cell(cell) -> bool:
    """An autograded test cell: graded, not a solution."""
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


def is_solution_cell(cell) -> bool:
    """A code cell the student fills in."""
    return bool(nbgrader_meta(cell).get("solution")) and cell.cell_type == "code"


def is_answer_cell(cell) -> bool:
    """A manually graded written answer."""
    meta = nbgrader_meta(cell)
    return bool(meta.get("solution")) and bool(meta.get("grade")) and cell.cell_type == "markdown"


def test_points(nb) -> dict[str, float]:
    """Points of every autograded test cell, by grade id, in notebook order."""
    return {grade_id(c): float(nbgrader_meta(c)["points"]) for c in nb.cells if is_test_cell(c)}


def hand_graded_points(nb) -> dict[str, float]:
    """Points of every cell graded by hand in formgrader (written and free-response answers, tasks), by grade id."""
    return {grade_id(c): float(nbgrader_meta(c)["points"]) for c in nb.cells
            if (nbgrader_meta(c).get("grade") and nbgrader_meta(c).get("solution")) or nbgrader_meta(c).get("task")}


def tested_name(test_id: str) -> str:
    """The contract name a test cell checks: ``test_NAME`` or ``test_NAME__PART``."""
    return test_id.removeprefix("test_").split("__")[0]


def test_ids_of(nb, name: str) -> list[str]:
    """The grade ids of the test cells that check contract ``name``."""
    return [tid for tid in test_points(nb) if tested_name(tid) == name]


def defining_cell(nb, name: str):
    """The solution cell that defines function or class ``name``."""
    pattern = re.compile(rf"^(def|class)\s+{re.escape(name)}\b", re.MULTILINE)
    for cell in nb.cells:
        if is_solution_cell(cell) and pattern.search(cell.source):
            return cell
    raise KeyError(f"no solution cell defines {name!r}")


def remove_marker_lines(source: str, markers=SOLUTION_MARKERS) -> str:
    """The source with the marker lines themselves dropped and everything else kept."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in markers)


def split_marked(source: str, markers) -> tuple[list[str], list[str]]:
    """The lines inside begin/end marker pairs and the lines outside them, markers dropped."""
    begin, end = markers
    inside, outside, within = [], [], False
    for line in source.splitlines():
        if line.strip() in markers:
            within = line.strip() == begin
        else:
            (inside if within else outside).append(line)
    return inside, outside


def has_outputs(cell) -> bool:
    return cell.cell_type == "code" and (bool(cell.get("outputs")) or cell.get("execution_count") is not None)
