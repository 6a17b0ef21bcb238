#!/usr/bin/env python3
"""How many of each assignment's mutants carry a hint: the share of common mistakes the feedback names.

Usage, from the repository's root:

    .venv/bin/python scripts/hint_coverage.py

For every assignment of the course it counts the mutants listed in ``MUTANTS`` of
``tests/mutants/<assignment>.py`` (the generic trick-object mutants, which the mutation suite adds to
every name, are not counted: they stand for no mistake a student makes), and of them those with a
phrase in that file's ``HINTS``. It prints one row per assignment (mutants, mutants with a hint, their
share) and a total row, and exits 0.

The count is static: it reads the mutant files and runs nothing. That the feedback really says each
phrase is checked by the mutation suite's slow test ``test_hint`` in ``tests/test_mutation.py``, which
grades every mutant by nbgrader; ``test_every_hint_names_a_mutant`` (fast) rejects a hint for a label
that is no mutant.
"""

import runpy
import sys
from pathlib import Path

from gradlab.course import Course

REPO = Path(__file__).resolve().parents[1]
MUTANTS_DIR = REPO / "tests" / "mutants"


def coverage(assignment: str) -> tuple[int, int]:
    """(mutants, mutants with a hint) of one assignment; (0, 0) when it has no mutant file."""
    path = MUTANTS_DIR / f"{assignment}.py"
    if not path.is_file():
        return 0, 0
    module = runpy.run_path(str(path))
    hints = module.get("HINTS", {})
    labels = [(name, label) for name, by_label in module["MUTANTS"].items() for label in by_label]
    return len(labels), sum(label in hints.get(name, {}) for name, label in labels)


def table(rows: list[tuple[str, int, int]]) -> str:
    """The rows as an aligned text table with a total row."""
    rows = rows + [("total", sum(r[1] for r in rows), sum(r[2] for r in rows))]
    width = max(len("assignment"), *(len(r[0]) for r in rows))
    lines = [f"{'assignment':<{width}}  mutants  with hint  share"]
    for name, mutants, hinted in rows:
        if name == "total":
            lines.append("-" * len(lines[0]))
        share = f"{hinted / mutants:.0%}" if mutants else "-"
        lines.append(f"{name:<{width}}  {mutants:>7}  {hinted:>9}  {share:>5}")
    return "\n".join(lines)


def main() -> int:
    assignments = Course.load(REPO).assignments
    print(table([(a, *coverage(a)) for a in assignments]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
