from minicourse import mini_notebook

from gradlab import notebooks as nbs

SOURCE = "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n# after"


def test_split_marked_separates_region_from_the_rest():
    inside, outside = nbs.split_marked(SOURCE, nbs.SOLUTION_MARKERS)
    assert inside == ["    return x"]
    assert outside == ["def f(x):", "# after"]


def test_remove_marker_lines_keeps_the_solution():
    assert nbs.remove_marker_lines(SOURCE) == "def f(x):\n    return x\n# after"


def test_tested_name_reads_the_part_suffix():
    assert nbs.tested_name("test_numerical_gradient") == "numerical_gradient"
    assert nbs.tested_name("test_numerical_gradient__shapes") == "numerical_gradient"
    assert nbs.tested_name("test_softmax_jacobian") == "softmax_jacobian"


def test_test_points_and_ids_follow_notebook_order():
    nb = mini_notebook()
    assert nbs.test_points(nb) == {"test_double__visible": 1.0, "test_double__hidden": 2.0, "test_total": 1.0}
    assert nbs.test_ids_of(nb, "double") == ["test_double__visible", "test_double__hidden"]
    assert nbs.test_ids_of(nb, "doub") == []


def test_defining_cell_finds_functions_only_by_whole_name():
    nb = mini_notebook()
    assert nbs.grade_id(nbs.defining_cell(nb, "total")) == "total"
    try:
        nbs.defining_cell(nb, "tot")
    except KeyError as error:
        assert "tot" in str(error)
    else:
        raise AssertionError("a prefix of a name must not match")


def test_cell_kinds():
    kinds = [(nbs.grade_id(c), nbs.is_solution_cell(c), nbs.is_test_cell(c), nbs.is_answer_cell(c))
             for c in mini_notebook().cells]
    assert kinds == [
        (None, False, False, False),
        ("double", True, False, False),
        ("test_double__visible", False, True, False),
        ("test_double__hidden", False, True, False),
        ("total", True, False, False),
        ("test_total", False, True, False),
        ("answer_why", False, False, True),
    ]
