"""Checking a released notebook against its source: nothing secret may survive the release."""

from gradlab import notebooks as nbs


def find_leaks(source_nb, released_nb) -> list[str]:
    """Every way ``released_nb`` gives away a solution, a hidden test, a marker or an output."""
    problems = []
    released = {nbs.grade_id(c): c for c in released_nb.cells if nbs.grade_id(c)}
    for cell in released_nb.cells:
        where = nbs.grade_id(cell) or cell.get("id", "?")
        if nbs.has_outputs(cell):
            problems.append(f"cell {where}: has outputs or an execution count")
        for marker in nbs.ALL_MARKERS:
            if marker in cell.source:
                problems.append(f"cell {where}: contains the marker {marker!r}")
    for cell in source_nb.cells:
        cell_id = nbs.grade_id(cell)
        if cell_id is None or not (nbs.is_solution_cell(cell) or nbs.is_test_cell(cell) or nbs.is_answer_cell(cell)):
            continue
        if cell_id not in released:
            problems.append(f"cell {cell_id}: missing from the release")
            continue
        kept = set(_lines(released[cell_id].source))
        for line in sorted(_secret_lines(cell) & kept):
            problems.append(f"cell {cell_id}: leaks {line!r}")
    return problems


def _secret_lines(cell) -> set[str]:
    """Lines only the instructor may see: solution or hidden-test regions, or a model answer."""
    if nbs.is_answer_cell(cell):
        return set(_lines(cell.source))
    markers = nbs.SOLUTION_MARKERS if nbs.is_solution_cell(cell) else nbs.HIDDEN_TEST_MARKERS
    inside, outside = nbs.split_marked(cell.source, markers)
    return set(_lines("\n".join(inside))) - set(_lines("\n".join(outside)))


def _lines(text: str) -> list[str]:
    """Meaningful lines: stripped, neither blank nor lone punctuation."""
    return [s for s in (line.strip() for line in text.splitlines()) if len(s) > 3]
