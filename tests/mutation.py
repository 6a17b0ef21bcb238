"""The mutation suite's machinery: cases from tests/mutants/, packed into few real nbgrader runs.

A case is a definition appended to the reference solution of one contract name: a mutant (wrong, must
lose points in that name's own test cells) or an alternative (right, must earn every point). Mutants of
names that cannot affect each other's test cells share one submission, so a notebook with thirty
mutants needs a handful of kernel runs instead of thirty.
"""

import re
import runpy
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gradlab import notebooks as nbs
from gradlab import synthetic
from gradlab.course import Course
from gradlab.grading import grade_submission
from gradlab.nbgrader_api import generate_assignment
from gradlab.scratch import scratch_course

MUTANTS_DIR = Path(__file__).parent / "mutants"
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Case:
    assignment: str
    kind: str  # "mutant" or "alternative"
    name: str
    label: str
    code: str

    @property
    def id(self) -> str:
        return f"{self.assignment}:{self.name}:{self.label}"


def load_cases(assignment: str) -> list[Case]:
    path = MUTANTS_DIR / f"{assignment}.py"
    if not path.is_file():
        return []
    module = runpy.run_path(str(path))
    return [Case(assignment, kind, name, label, code)
            for kind, table in (("mutant", module["MUTANTS"]), ("alternative", module["ALTERNATIVES"]))
            for name, by_label in table.items() for label, code in by_label.items()]


def all_cases() -> list[Case]:
    return [case for assignment in Course.load(REPO).assignments for case in load_cases(assignment)]


def reach(source_nb, names) -> dict[str, set[str]]:
    """For each name, every other name its solution or test cells use, directly or through another."""
    def uses(name):
        text = nbs.defining_cell(source_nb, name).source + "".join(
            c.source for c in source_nb.cells if nbs.is_test_cell(c) and nbs.tested_name(nbs.grade_id(c)) == name)
        return {other for other in names if other != name and re.search(rf"\b{re.escape(other)}\b", text)}

    direct = {name: uses(name) for name in names}
    closed = {}
    for name in names:
        seen, todo = set(), list(direct[name])
        while todo:
            other = todo.pop()
            if other not in seen:
                seen.add(other)
                todo.extend(direct[other])
        closed[name] = seen
    return closed


def pack(cases, source_nb) -> list[list[Case]]:
    """Groups of cases that can share a submission: distinct names in distinct cells, none reaching another."""
    names = sorted({c.name for c in cases} | {nbs.tested_name(t) for t in nbs.test_points(source_nb)})
    reaches = reach(source_nb, names)
    cell_of = {name: nbs.grade_id(nbs.defining_cell(source_nb, name)) for name in names}

    def independent(a, b):
        return (a.name != b.name and cell_of[a.name] != cell_of[b.name]
                and a.name not in reaches[b.name] | _mentions(b.code, names)
                and b.name not in reaches[a.name] | _mentions(a.code, names))

    groups = []
    for case in cases:
        group = next((g for g in groups if all(independent(case, other) for other in g)), None)
        if group is None:
            groups.append([case])
        else:
            group.append(case)
    return groups


def _mentions(code, names) -> set[str]:
    return {name for name in names if re.search(rf"\b{re.escape(name)}\b", code)}


@cache
def results(assignment: str) -> dict[str, dict[str, float]]:
    """Test-cell scores for every case of ``assignment`` (by case id), and for the plain reference ("")."""
    course = Course.load(REPO)
    source = nbs.read(course.source_notebook(assignment))
    cases = load_cases(assignment)
    mutants = [c for c in cases if c.kind == "mutant"]
    alternatives = [c for c in cases if c.kind == "alternative"]
    scores = {}
    with scratch_course(course, [assignment]) as scratch:
        generate_assignment(scratch, assignment)
        release = nbs.read(scratch.release_notebook(assignment))
        reference = synthetic.reference_filled(source, release)

        def run(student, group):
            notebook = reference
            for case in group:
                notebook = synthetic.with_definition(notebook, case.name, case.code)
            folder = scratch.submission(student, assignment)
            shutil.rmtree(folder, ignore_errors=True)
            nbs.write(notebook, folder / f"{assignment}.ipynb")
            outcome = grade_submission(scratch, assignment, student)
            assert outcome.graded, f"{student} ({[c.id for c in group]}) was not graded: {outcome.reason}"
            return outcome.cells

        scores[""] = run("reference", [])
        for index, group in enumerate(pack(mutants, source)):
            cells = run(f"mutants-{index}", group)
            scores.update({case.id: cells for case in group})
        together = run("alternatives", alternatives) if alternatives else {}
        full = sum(together.values()) == sum(nbs.test_points(source).values())
        for case in alternatives:
            scores[case.id] = together if full else run(f"alternative-{case.name}-{case.label}", [case])
    return scores
