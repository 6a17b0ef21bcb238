"""Synthetic submissions built from the source and the release: perfect, blank, partial, broken, mutated."""

import copy
import textwrap

from gradlab import notebooks as nbs


def reference_filled(source_nb, release_nb, solution_ids=None):
    """The release with the reference solutions put back: into every solution and answer cell, or only
    into the solution cells whose grade ids are in ``solution_ids``."""
    reference = {nbs.grade_id(c): c for c in source_nb.cells if nbs.grade_id(c)}
    filled = copy.deepcopy(release_nb)
    for cell in filled.cells:
        cell_id = nbs.grade_id(cell)
        wanted = nbs.is_answer_cell(cell) if solution_ids is None else False
        wanted |= nbs.is_solution_cell(cell) and (solution_ids is None or cell_id in solution_ids)
        if wanted:
            cell.source = nbs.remove_marker_lines(reference[cell_id].source)
    return filled


def partially_done(source_nb, release_nb):
    """The first half of the solution cells done, the rest untouched; and the points that earns."""
    solution_ids = [nbs.grade_id(c) for c in source_nb.cells if nbs.is_solution_cell(c)]
    done = set(solution_ids[: len(solution_ids) // 2])
    earned = sum(points for test_id, points in nbs.test_points(source_nb).items()
                 if nbs.grade_id(nbs.defining_cell(source_nb, nbs.tested_name(test_id))) in done)
    return reference_filled(source_nb, release_nb, done), earned


def with_definition(nb, name: str, code: str):
    """``nb`` with ``code`` appended to the solution cell that defines ``name``, so that it overrides it."""
    changed = copy.deepcopy(nb)
    cell = nbs.defining_cell(changed, name)
    cell.source = cell.source.rstrip("\n") + "\n\n\n" + textwrap.dedent(code).strip("\n") + "\n"
    return changed


def truncated_json(release_path) -> str:
    """A notebook file cut off in the middle, as a failed upload leaves it."""
    text = release_path.read_text()
    return text[: len(text) // 2]
