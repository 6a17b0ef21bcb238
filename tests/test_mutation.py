"""The mutation suite: every wrong implementation loses points in its own test cells (a trick object loses
all of them), every right one earns them all, graded by real nbgrader autograding of the released notebook."""

import pytest

from gradlab import notebooks as nbs
from gradlab.course import Course
from mutation import REPO, TRICK_LABELS, all_cases, by_assignment, load_cases, results

COURSE = Course.load(REPO)
CASES = all_cases()


def _points(assignment):
    return nbs.test_points(nbs.read(COURSE.source_notebook(assignment)))


@pytest.mark.parametrize("assignment", COURSE.assignments)
def test_every_contract_name_has_three_mutants_and_an_alternative(assignment):
    source = nbs.read(COURSE.source_notebook(assignment))
    names = sorted({nbs.tested_name(t) for t in nbs.test_points(source)})
    cases = load_cases(assignment)
    for name in names:
        mutants = [c for c in cases if c.name == name and c.kind == "mutant"]
        alternatives = [c for c in cases if c.name == name and c.kind == "alternative"]
        assert len(mutants) >= 3, f"{assignment}: {name} has {len(mutants)} mutants, needs at least 3"
        assert alternatives, f"{assignment}: {name} has no alternative correct implementation"


@pytest.mark.slow
@pytest.mark.parametrize("case", by_assignment(CASES, lambda c: c.assignment), ids=lambda c: f"{c.kind}:{c.id}")
def test_case(case):
    points = _points(case.assignment)
    scores = results(case.assignment)[case.id]
    own = nbs.test_ids_of(nbs.read(COURSE.source_notebook(case.assignment)), case.name)
    assert own, f"{case.name} has no test cells"
    if case.kind == "mutant":
        earned, worth = sum(scores[c] for c in own), sum(points[c] for c in own)
        assert earned < worth, f"mutant {case.id} survived: it earned {earned:g} of {worth:g} in {own}"
        if case.label in TRICK_LABELS:
            scored = {c: scores[c] for c in own if scores[c]}
            assert not scored, f"trick object {case.id} earned points in {scored}: compare types before values"
    else:
        lost = {c: f"{scores[c]:g}/{p:g}" for c, p in points.items() if scores[c] != p}
        assert not lost, f"alternative {case.id} lost points: {lost}"
