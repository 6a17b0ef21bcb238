"""The grading report: one self-contained page whose numbers, tables and warnings follow from the outcomes."""

import base64
import re
import warnings
from dataclasses import replace

import pytest

from gradlab import report
from gradlab.grading import Outcome
from gradlab.report import NO_SANDBOX, _duration, _hardest, _point_bins, write_report

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
    assert ("Graded scores: mean 2.38, median 1.75 (autograded test cells out of 5, plus points graded by hand, "
            "less late penalties).") in page
    assert "No submission was late. No written answer awaits grading by hand." in page


def test_pass_rate_table_has_exact_rates_and_mean_points(tmp_path):
    page = _page(tmp_path, _batch())
    assert _table_after(page, "Test-cell pass rate") == ["test_mse", "2", "50%", "1.25", "",
                                                         "test_grad", "3", "25%", "1.12", "yes"]
    assert ("Hardest, in red: test_grad (25%): the lowest full-marks rate, 15 percentage points or more below "
            "those of every other cell (next lowest: test_mse, 50%).") in page


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
    assert cells == ["ada", "5 / 5", "graded", "mse_loss line 2: rebinds np.allclose\ngrad line 5: imports os",
                     "&lt;script&gt;alert(1)&lt;/script&gt;", "1 / 5", "graded",
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
    assert _table_after(page, "Test-cell pass rate") == ["test_zero", "0", "100%", "0", ""]


@pytest.mark.parametrize("top, edges", [(0, [0, 1]), (0.5, [0, 1]), (5, [0, 1, 2, 3, 4, 5]),
                                        (24, list(range(0, 25, 2))), (25, list(range(0, 27, 2)))])
def test_score_bins_sit_on_whole_points_and_cover_the_top_score(top, edges):
    assert _point_bins(top) == edges


def _term_batch():
    """Graded work with lateness and hand grading, as collect, the late plugin and formgrader fill them."""
    return [
        replace(_graded("ada", 2.0, 3.0), manual_score=2.0, manual_max=2.0),
        replace(_graded("bob", 2.0, 0.0), late_seconds=2 * 3600 + 5 * 60, late_penalty=1.0, manual_max=2.0,
                awaiting_grading=1),
        replace(_graded("cyd", 0.0, 1.5, flags=("grad line 5: imports os",)), status="held", late_seconds=30,
                manual_score=0.5, manual_max=2.0, awaiting_grading=2),
        Outcome("dee", "01_loss", "missing", 0.0, 5.0, "no 01_loss.ipynb in the submission"),
    ]


def test_students_table_shows_score_status_lateness_flags_and_hand_grading_left(tmp_path):
    cells = _table_after(_page(tmp_path, _term_batch()), "Students")
    assert cells == ["ada", "7 / 7", "graded", "", "", "",
                     "bob", "1 / 7", "graded", "2 h 5 min late, −1 point", "", "1",
                     "cyd", "2 / 7", "held", "30 s late", "grad line 5: imports os", "2",
                     "dee", "0 / 5", "missing", "", "", ""]


def test_summary_counts_late_work_and_written_answers_awaiting_grading(tmp_path):
    page = _page(tmp_path, _term_batch())
    assert "Graded scores: mean 3.33, median 2 " in page
    assert "Scores of the 3 graded or held submissions; the dashed line is the mean." in page
    assert ("2 submissions late, 1 penalty point in all. "
            "3 written answers in 2 submissions await grading by hand in formgrader.") in page


@pytest.mark.parametrize("seconds, words", [(0.2, "1 s"), (30, "30 s"), (59.5, "1 min"), (125, "2 min 5 s"),
                                            (3600, "1 h"), (2 * 3600 + 5 * 60 + 9, "2 h 5 min"),
                                            (86400 + 7200, "1 d 2 h"), (3 * 86400 + 59, "3 d")])
def test_lateness_reads_in_its_two_largest_units(seconds, words):
    assert _duration(seconds) == words


@pytest.mark.parametrize("rates, hardest", [
    ({"a": 0.5, "b": 0.25}, ["b"]),
    ({"a": 0.9, "b": 0.85, "c": 0.8}, []),                          # all close: none stands out
    ({"a": 0.1, "b": 0.15, "c": 0.7, "d": 0.8}, ["a", "b"]),
    ({"a": 0.1, "b": 0.3, "c": 0.7, "d": 0.9}, ["a", "b"]),         # at the widest gap
    ({f"t{n}": 0.0 for n in range(6)} | {f"u{n}": 0.6 for n in range(7)}, []),  # 6 of 13 tie: not "a few"
    ({"a": 0.0, "b": 0.05, "c": 0.1, "d": 0.15, "e": 0.9}, []),    # the gap is after the 4th
    ({"a": 0.0}, []),
    ({"a": 0.4, "b": 0.4}, []),
    ({"a": 0.55, "b": 0.7}, ["a"]),                                  # exactly the gap, in floating point
])
def test_hardest_are_the_few_cells_clearly_below_the_others(rates, hardest):
    assert _hardest(rates) == hardest


def test_no_hardest_cell_is_said_in_words_and_none_is_marked(tmp_path):
    page = _page(tmp_path, [_graded("ada", 2.0, 3.0), _graded("bob", 0.0, 0.0)])
    assert ("No test cell stands out as hardest: no one, two or three cells have full-marks rates "
            "15 percentage points or more below those of all the others.") in page
    assert _table_after(page, "Test-cell pass rate") == ["test_mse", "2", "50%", "1", "",
                                                         "test_grad", "3", "50%", "1.5", ""]


def test_per_cell_table_is_also_written_as_csv_beside_the_report(tmp_path):
    _page(tmp_path, _batch())
    assert (tmp_path / "reports" / "01_loss-cells.csv").read_text(encoding="utf-8").splitlines() == [
        "test_cell,points,full_marks_rate,mean_points,hardest",
        "test_mse,2,0.5,1.25,",
        "test_grad,3,0.25,1.125,yes",
    ]


def _score_figure(monkeypatch, tmp_path, outcomes, max_points=POINTS):
    """The score histogram's figure, laid out as it is saved."""
    figures = []

    def keep(draw, caption, height=3.2):
        figures.append(report._drawn(draw, height))
        figures[-1].canvas.draw()
        return ""

    monkeypatch.setattr(report, "_figure", keep)
    _page(tmp_path, outcomes, max_points)
    return figures[0]


@pytest.mark.parametrize("top", [1, 2, 3, 5, 10, 22, 40])
def test_whole_number_scores_get_whole_number_ticks(monkeypatch, tmp_path, top):
    outcomes = [Outcome(f"s{n}", "01_loss", "graded", float(n % (top + 1)), float(top)) for n in range(30)]
    axes = _score_figure(monkeypatch, tmp_path, outcomes, {"test_all": float(top)}).axes[0]
    low, high = axes.get_xlim()
    ticks = [tick for tick in axes.get_xticks() if low <= tick <= high]
    assert ticks[0] == 0 and len(ticks) >= 2 and all(tick.is_integer() for tick in ticks), ticks


def test_the_legend_hides_no_bar(monkeypatch, tmp_path):
    """Every score equally frequent: every bar reaches the top of the axes, so no corner inside is free."""
    outcomes = [Outcome(f"s{n}", "01_loss", "graded", float(n % 11), 10.0) for n in range(33)]
    figure = _score_figure(monkeypatch, tmp_path, outcomes, {"test_all": 10.0})
    legends = [*figure.legends, *(axes.get_legend() for axes in figure.axes if axes.get_legend())]
    assert [text.get_text() for legend in legends for text in legend.get_texts()] == ["mean 5"]
    bars = [patch.get_window_extent() for patch in figure.axes[0].patches if patch.get_height() > 0]
    assert len(bars) == 11
    assert not any(bar.overlaps(legends[0].get_window_extent()) for bar in bars)
