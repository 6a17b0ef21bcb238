"""The mutation suite's machinery: cases from tests/mutants/, packed into few real nbgrader runs.

A case is a definition appended to the reference solution of one contract name: a mutant (wrong, must
lose points in that name's own test cells) or an alternative (right, must earn every point). Mutants of
names that cannot affect each other's test cells share one submission, so a notebook with thirty
mutants needs a handful of kernel runs instead of thirty; a shared submission whose solution cells
raise is rejected, so one case can never take its partners down with it.

A mutant that stands for a common mistake may also carry a hint: ``HINTS = {name: {label: phrase}}`` in
its tests/mutants file, a phrase that the first line of the error message of one of that name's failing
test cells must contain (case-insensitively), since that line is the feedback a student sees of a
hidden test.
"""

import ast
import os
import re
import runpy
import shutil
import textwrap
from dataclasses import dataclass
from contextlib import contextmanager
from functools import cache
from unittest import mock
from pathlib import Path

import pytest

from gradlab import notebooks as nbs
from gradlab import synthetic
from gradlab.course import Course
from gradlab.recording import grade_submission
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


def by_assignment(values, assignment_of=str):
    """Test parameters marked so that pytest-xdist (--dist loadgroup) runs one assignment on one worker,
    where the cached results of that assignment are computed once."""
    return [pytest.param(v, marks=pytest.mark.xdist_group(assignment_of(v))) for v in values]


def _mutants_module(assignment: str) -> dict | None:
    """The globals of tests/mutants/<assignment>.py, or None when there is no such file."""
    path = MUTANTS_DIR / f"{assignment}.py"
    return runpy.run_path(str(path)) if path.is_file() else None


def load_hints(assignment: str) -> dict[str, dict[str, str]]:
    """The optional ``HINTS`` of tests/mutants/<assignment>.py: {name: {mutant label: phrase}}; {} if none."""
    module = _mutants_module(assignment)
    return dict(module.get("HINTS", {})) if module else {}


def load_cases(assignment: str) -> list[Case]:
    """The cases of tests/mutants/<assignment>.py, then the generic trick-object mutants."""
    module = _mutants_module(assignment)
    if module is None:
        return []
    listed = [Case(assignment, kind, name, label, code)
              for kind, table in (("mutant", module["MUTANTS"]), ("alternative", module["ALTERNATIVES"]))
              for name, by_label in table.items() for label, code in by_label.items()]
    return listed + trick_cases(assignment, nbs.read(Course.load(REPO).source_notebook(assignment)))


# A hostile student's return value: it compares equal to (and before and after) anything, is truthy,
# empty and its own result under arithmetic, attribute access, indexing and calls, and converts to a
# plausible 0.0 or zeros array. Only a test that checks types (isinstance) before it compares can
# tell it from a right answer.
TRICK_CLASS = '''
class _Trick:
    """Equal to everything, truthy, empty; arithmetic, attributes, items and calls give itself."""

    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    def __le__(self, other): return True
    def __gt__(self, other): return True
    def __ge__(self, other): return True
    def __bool__(self): return True
    def __hash__(self): return 0
    def __len__(self): return 0
    def __iter__(self): return iter(())
    def __contains__(self, item): return True
    def __float__(self): return 0.0
    def __int__(self): return 0
    def __repr__(self): return "_Trick()"

    def __array__(self, dtype=None, copy=None):
        import numpy
        return numpy.zeros((), dtype=dtype)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self

    def _itself(self, *args, **kwargs):
        return self

    __getitem__ = __call__ = __abs__ = __neg__ = __pos__ = __invert__ = __round__ = _itself
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __matmul__ = __rmatmul__ = _itself
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = _itself


def _trick_every_slot(value):
    """The structure of a tuple, list or dict kept, every value in it a _Trick."""
    if isinstance(value, (tuple, list)):
        return type(value)(_trick_every_slot(v) for v in value)
    if isinstance(value, dict):
        return {k: _trick_every_slot(v) for k, v in value.items()}
    return _Trick()
'''
TRICK_LABELS = ("trick_object", "trick_in_every_slot")
# methods a trick class keeps from the reference: they build the object and show it
TRICK_KEEPS = {"__init__", "__repr__", "__str__"}


def trick_cases(assignment: str, source_nb) -> list[Case]:
    """A trick-object mutant for every tested name: it must lose every point of that name's test cells.

    A function becomes ``return _Trick()``; one whose reference returns a tuple, list or dict display
    also gets a mutant that keeps the reference's structure with a _Trick in every slot (the bare
    trick already fails at unpacking). A class keeps its reference constructor, and every other method
    it defines returns a _Trick.
    """
    cases = []
    for name in sorted({nbs.tested_name(t) for t in nbs.test_points(source_nb)}):
        node = _definition_node(nbs.defining_cell(source_nb, name).source, name)
        if isinstance(node, ast.ClassDef):
            methods = [m.name for m in node.body if isinstance(m, ast.FunctionDef) and m.name not in TRICK_KEEPS]
            code = (f"{TRICK_CLASS}\n\nclass {name}({name}):\n"
                    + "".join(f"    def {m}(self, *args, **kwargs):\n        return _Trick()\n\n" for m in methods))
            cases.append(Case(assignment, "mutant", name, TRICK_LABELS[0], code))
            continue
        cases.append(Case(assignment, "mutant", name, TRICK_LABELS[0],
                          f"{TRICK_CLASS}\n\ndef {name}(*args, **kwargs):\n    return _Trick()\n"))
        if _returns_container(node):
            cases.append(Case(assignment, "mutant", name, TRICK_LABELS[1],
                              f"{TRICK_CLASS}\n\n_reference_{name} = {name}\n\n\n"
                              f"def {name}(*args, **kwargs):\n"
                              f"    return _trick_every_slot(_reference_{name}(*args, **kwargs))\n"))
    return cases


def _definition_node(cell_source: str, name: str):
    """The top-level ``def``/``class`` node of ``name`` in a cell."""
    return next(node for node in ast.parse(cell_source).body
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name)


def _returns_container(function: ast.FunctionDef) -> bool:
    """Whether the function returns a tuple, list or dict display, or a name bound to a list or dict one."""
    displays = (ast.Tuple, ast.List, ast.Dict, ast.ListComp, ast.DictComp)
    bound = {target.id for node in ast.walk(function) if isinstance(node, ast.Assign) and isinstance(node.value, displays)
             for target in node.targets if isinstance(target, ast.Name)}
    return any(isinstance(node, ast.Return) and (isinstance(node.value, displays)
                                                  or isinstance(node.value, ast.Name) and node.value.id in bound)
               for node in ast.walk(function))


def all_cases() -> list[Case]:
    return [case for assignment in Course.load(REPO).assignments for case in load_cases(assignment)]


def reach(source_nb, names) -> dict[str, set[str]]:
    """For each name, every other name its solution or test cells use, directly or through another."""
    def uses(name):
        tests = [c.source for c in source_nb.cells if nbs.is_test_cell(c) and nbs.tested_name(nbs.grade_id(c)) == name]
        code = [_definition(nbs.defining_cell(source_nb, name).source, name)] + tests
        return set().union(*(_mentions(text, names) for text in code)) - {name}

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
    """Groups of cases that can share a submission: distinct names, none reaching another."""
    names = sorted({c.name for c in cases} | {nbs.tested_name(t) for t in nbs.test_points(source_nb)})
    reaches = reach(source_nb, names)

    def independent(a, b):
        return (a.name != b.name
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


def _definition(cell_source: str, name: str) -> str:
    """The source of the top-level ``def``/``class`` of ``name`` in a cell (the whole cell if unparsable)."""
    try:
        tree = ast.parse(cell_source)
    except SyntaxError:
        return cell_source
    return next((ast.get_source_segment(cell_source, node) for node in tree.body
                 if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name), cell_source)


def _mentions(code, names) -> set[str]:
    """The names that ``code`` refers to as globals: not in strings, comments or attributes, nor
    shadowed by a parameter of the same name."""
    try:
        tree = ast.parse(textwrap.dedent(code))
    except SyntaxError:
        return {name for name in names if re.search(rf"\b{re.escape(name)}\b", code)}
    parameters = {node.arg for node in ast.walk(tree) if isinstance(node, ast.arg)}
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} & set(names) - parameters


@contextmanager
def _figures_not_drawn():
    """Kernels started here use matplotlib's non-drawing Agg backend: a case is judged by its test cells
    alone, and drawing the notebook's figures would double the cost of every run."""
    with mock.patch.dict(os.environ, MPLBACKEND="agg"):
        yield


def error_line(cell) -> str | None:
    """The first line of the error a cell raised (its message, else the exception's name), or None.

    Of a hidden test, this line is what the student's feedback shows."""
    error = next((o for o in cell.get("outputs", []) if o.output_type == "error"), None)
    if error is None:
        return None
    return error.evalue.splitlines()[0] if error.evalue else error.ename


@dataclass(frozen=True)
class Graded:
    """The outcome of every case of one assignment, by case id: each test cell's score, and the first
    error line of each test cell that raised (other cells absent). Cases packed into one submission
    share both, as they share its test cells."""

    scores: dict[str, dict[str, float]]
    errors: dict[str, dict[str, str]]


def results(assignment: str) -> dict[str, dict[str, float]]:
    """Test-cell scores for every case of ``assignment``, by case id. (That the reference solution
    itself earns every point is the demo's "perfect" student, checked in test_course.py.)"""
    return graded(assignment).scores


def error_lines(assignment: str) -> dict[str, dict[str, str]]:
    """For every case of ``assignment``, by case id: the first error line of each test cell that raised."""
    return graded(assignment).errors


@cache
def graded(assignment: str) -> Graded:
    """Grade every case of ``assignment`` (mutants packed, alternatives together, then alone if any of
    them lost points) by real nbgrader autograding; computed once per test process."""
    course = Course.load(REPO)
    source = nbs.read(course.source_notebook(assignment))
    cases = load_cases(assignment)
    mutants = [c for c in cases if c.kind == "mutant"]
    alternatives = [c for c in cases if c.kind == "alternative"]
    scores, errors = {}, {}
    with scratch_course(course, [assignment]) as scratch, _figures_not_drawn():
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
            executed = nbs.read(scratch.autograded / student / assignment / f"{assignment}.ipynb")
            broken = [nbs.grade_id(c) for c in executed.cells
                      if nbs.is_solution_cell(c) and any(o.output_type == "error" for o in c.outputs)]
            assert not broken, f"{student} ({[c.id for c in group]}): solution cells {broken} raise when run"
            raised = {nbs.grade_id(c): error_line(c) for c in executed.cells
                      if nbs.is_test_cell(c) and error_line(c) is not None}
            return outcome.cells, raised

        for index, group in enumerate(pack(mutants, source)):
            cells, raised = run(f"mutants-{index}", group)
            scores.update({case.id: cells for case in group})
            errors.update({case.id: raised for case in group})
        together, raised_together = run("alternatives", alternatives) if alternatives else ({}, {})
        full = sum(together.values()) == sum(nbs.test_points(source).values())
        for case in alternatives:
            scores[case.id], errors[case.id] = (together, raised_together) if full else \
                run(f"alternative-{case.name}-{case.label}", [case])
    return Graded(scores, errors)
