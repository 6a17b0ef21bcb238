from minicourse import mini_notebook
from mutation import Case, pack, reach


def _case(name, label, code="pass"):
    return Case("00_mini", "mutant", name, label, code)


def test_reach_follows_names_used_by_solutions_and_tests():
    nb = mini_notebook()
    nb.cells[4].source = nb.cells[4].source.replace("return sum(xs)", "return sum(double(x) for x in xs) / 2")
    assert reach(nb, ["double", "total"]) == {"double": set(), "total": {"double"}}


def test_independent_mutants_share_a_submission():
    groups = pack([_case("double", "a"), _case("total", "b"), _case("double", "c")], mini_notebook())
    assert [[c.label for c in g] for g in groups] == [["a", "b"], ["c"]]


def test_a_mutant_that_calls_another_name_runs_alone():
    groups = pack([_case("double", "a"), _case("total", "b", "def total(xs):\n    return double(sum(xs)) / 2")],
                  mini_notebook())
    assert [[c.label for c in g] for g in groups] == [["a"], ["b"]]
