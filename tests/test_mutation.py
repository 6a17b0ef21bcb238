"""The mutation suite: every wrong implementation loses points in its own test cells (a trick object loses
all of them), every right one earns them all, graded by real nbgrader autograding of the released notebook;
a mutant with a hint is named by the feedback of one of its own test cells."""

import pytest

from gradlab import notebooks as nbs
from gradlab.course import Course
from mutation import REPO, TRICK_LABELS, all_cases, by_assignment, error_lines, load_cases, load_hints, results

COURSE = Course.load(REPO)
CASES = all_cases()
HINTS = {assignment: load_hints(assignment) for assignment in COURSE.assignments}
HINTED = [(case, HINTS[case.assignment][case.name][case.label]) for case in CASES
          if case.kind == "mutant" and case.label in HINTS[case.assignment].get(case.name, {})]


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


@pytest.mark.parametrize("assignment", COURSE.assignments)
def test_every_hint_names_a_mutant(assignment):
    labels = {(c.name, c.label) for c in load_cases(assignment) if c.kind == "mutant" and c.label not in TRICK_LABELS}
    for name, by_label in HINTS[assignment].items():
        for label, phrase in by_label.items():
            assert (name, label) in labels, f"{assignment}: HINTS names {name}:{label}, which is no mutant in MUTANTS"
            assert isinstance(phrase, str) and phrase.strip() and "\n" not in phrase, \
                f"{assignment}: the hint of {name}:{label} must be a non-empty one-line phrase, not {phrase!r}"


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


@pytest.mark.slow
@pytest.mark.parametrize("hinted", by_assignment(HINTED, lambda h: h[0].assignment), ids=lambda h: f"hint:{h[0].id}")
def test_hint(hinted):
    case, phrase = hinted
    said = error_lines(case.assignment)[case.id]
    own = nbs.test_ids_of(nbs.read(COURSE.source_notebook(case.assignment)), case.name)
    lines = {c: said[c] for c in own if c in said}
    assert any(phrase.lower() in line.lower() for line in lines.values()), \
        f"mutant {case.id}: no test cell of {case.name} says {phrase!r} on the first line of its error; they said {lines or 'nothing'}"
