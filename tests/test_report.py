"""The grading report: one self-contained page whose numbers, tables and warnings follow from the outcomes."""

import base64
import re
import warnings

import pytest

from gradlab.grading import Outcome
from gradlab.report import NO_SANDBOX, _point_bins, write_report

POINTS = {"test_mse": 2.0, "test_grad": 3.0}
IMG = '<img src="data:image/png;base64,'
SCRIPT = "<script>alert(1)</script>"


def _graded(student, mse, grad, seconds=4.0, flags=()):
    cells = {"test_mse": mse, "test_grad": grad}
    return Outcome(student, "01_loss", "graded", mse + grad, 5.0, cells=cells, seconds=seconds, flags=flags)


def _batch():
    """4 graded (2 with full marks on test_mse, 1 on test_grad), one of each other status, 2 flagged."""
    return [
        _graded("ada", 2.0, 3.0, flags=("mse_loss line 2: rebinds np.allclose", "grad line 5: imports os")),
        _graded("bob", 2.0, 0.0),
        _graded("cyd", 0.0, 1.5),
        _graded(SCRIPT, 1.0, 0.0, flags=(f"note {SCRIPT}",)),
        Outcome("dee", "01_loss", "missing", 0.0, 5.0, "no 01_loss.ipynb in the submission"),
        Outcome("eve", "01_loss", "invalid", 0.0, 5.0, "notebook is not valid JSON <here>"),
        Outcome("fay", "01_loss", "failed", 0.0, 5.0, "TimeoutError", seconds=60.0),
    ]


def _page(tmp_path, outcomes, max_points=POINTS, sandboxed=True):
    path = write_report(tmp_path / "reports" / "01_loss.html", "01_loss", outcomes, max_points, sandboxed=sandboxed)
    assert path == tmp_path / "reports" / "01_loss.html"
    return path.read_text(encoding="utf-8")


def _cells(page):
    return re.findall(r"<td>(.*?)</td>", page, re.DOTALL)


def _table_after(page, heading):
    return _cells(page.split(f"<h2>{heading}</h2>")[1].split("</section>")[0])


def test_normal_batch_has_four_png_figures(tmp_path):
    page = _page(tmp_path, _batch())
    assert page.startswith("<!DOCTYPE html>")
    assert "<h1>01_loss — grading report</h1>" in page
    assert page.count(IMG) == 4
    png = base64.b64decode(page.split(IMG)[1].split('"')[0])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_page_is_self_contained(tmp_path):
    page = _page(tmp_path, _batch())
    assert "<script" not in page and "http://" not in page and "https://" not in page


def test_summary_counts_each_status_and_graded_scores(tmp_path):
    page = _page(tmp_path, _batch())
    assert "7 submissions: 4 graded, 0 held, 1 missing, 1 invalid, 1 failed." in page
    # graded scores 5, 2, 1.5, 1
    assert "Graded scores out of 5: mean 2.38, median 1.75." in page


def test_pass_rate_table_has_exact_rates_and_mean_points(tmp_path):
    page = _page(tmp_path, _batch())
    assert _table_after(page, "Test-cell pass rate") == ["test_mse", "2", "50%", "1.25",
                                                         "test_grad", "3", "25%", "1.12"]
    assert "Hardest (in red): test_grad — 25% earned full marks." in page


def test_student_strings_appear_only_escaped(tmp_path):
    page = _page(tmp_path, _batch())
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "notebook is not valid JSON &lt;here&gt;" in page


@pytest.mark.parametrize("sandboxed", [True, False])
def test_no_sandbox_banner_iff_unsandboxed(tmp_path, sandboxed):
    page = _page(tmp_path, _batch(), sandboxed=sandboxed)
    assert (NO_SANDBOX in page) is not sandboxed
    if not sandboxed:
        assert page.index(NO_SANDBOX) < page.index("<h2>")


def test_flagged_table_lists_exactly_the_flagged_students_one_flag_per_line(tmp_path):
    cells = _table_after(_page(tmp_path, _batch()), "Flagged submissions")
    assert cells == ["ada", "5", "graded", "mse_loss line 2: rebinds np.allclose\ngrad line 5: imports os",
                     "&lt;script&gt;alert(1)&lt;/script&gt;", "1", "graded",
                     "note &lt;script&gt;alert(1)&lt;/script&gt;"]


def test_every_non_graded_submission_is_listed_with_its_reason(tmp_path):
    cells = _table_after(_page(tmp_path, _batch()), "Submissions not graded")
    assert cells == ["dee", "missing", "no 01_loss.ipynb in the submission",
                     "eve", "invalid", "notebook is not valid JSON &lt;here&gt;",
                     "fay", "failed", "TimeoutError"]


def test_grading_time_caption_counts_executed_notebooks_only(tmp_path):
    page = _page(tmp_path, _batch())
    assert "5 executed notebooks: median 4.0 s, max 60.0 s." in page


def test_nothing_graded_skips_graded_only_figures_with_a_sentence(tmp_path):
    page = _page(tmp_path, [o for o in _batch() if o.status != "graded"])
    assert page.count(IMG) == 2  # statuses, grading time (the failed notebook)
    assert "No submission was graded, so there is no score distribution." in page
    assert "No submission was graded, so there are no pass rates." in page
    assert "No submission was flagged." in page


def test_zero_outcomes_still_write_a_valid_page(tmp_path):
    page = _page(tmp_path, [])
    assert page.rstrip().endswith("</html>")
    assert "0 submissions: 0 graded, 0 held, 0 missing, 0 invalid, 0 failed." in page
    assert page.count(IMG) == 1  # statuses, all zero
    assert "No notebook was executed, so there are no grading times." in page
    assert "Every submission was graded." in page


@pytest.mark.parametrize("outcomes, max_points", [
    ([], POINTS),
    ([_graded("ada", 2.0, 3.0)], POINTS),
    ([Outcome("ada", "01_loss", "graded", 0.0, 0.0, seconds=1.0)], {}),
    ([Outcome("ada", "01_loss", "graded", 0.0, 0.0, cells={"test_zero": 0.0})], {"test_zero": 0.0}),
    (_batch(), POINTS),
])
def test_edge_cases_raise_no_warning(tmp_path, capfd, outcomes, max_points):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        page = _page(tmp_path, outcomes, max_points)
    assert "</html>" in page
    assert capfd.readouterr().err == ""


def test_a_cell_worth_zero_points_counts_as_full_marks(tmp_path):
    outcome = Outcome("ada", "01_loss", "graded", 0.0, 0.0, cells={"test_zero": 0.0})
    page = _page(tmp_path, [outcome], {"test_zero": 0.0})
    assert _table_after(page, "Test-cell pass rate") == ["test_zero", "0", "100%", "0"]


@pytest.mark.parametrize("top, edges", [(0, [0, 1]), (0.5, [0, 1]), (5, [0, 1, 2, 3, 4, 5]),
                                        (24, list(range(0, 25, 2))), (25, list(range(0, 27, 2)))])
def test_score_bins_sit_on_whole_points_and_cover_the_top_score(top, edges):
    assert _point_bins(top) == edges
