"""The HTML report of one assignment's grading: one self-contained page an instructor reads at a glance."""

import base64
import html
import io
import math
import statistics
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from gradlab.grading import Outcome
from gradlab.statuses import FAILED, GRADED, HELD, INVALID, MISSING

STATUS_COLOURS = {GRADED: "#2e7d32", HELD: "#6a1b9a", MISSING: "#9e9e9e", INVALID: "#ef6c00", FAILED: "#c62828"}
NO_SANDBOX = "Graded WITHOUT the sandbox (--no-sandbox): student code ran with the grader's permissions."
CSS = """body { font-family: sans-serif; max-width: 60em; margin: 2em auto; color: #222; }
.danger { background: #c62828; color: white; font-weight: bold; padding: 0.8em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; white-space: pre-line; }
figure { margin: 0.5em 0; } img { max-width: 100%; } figcaption { color: #555; }"""


def write_report(path: Path, assignment: str, outcomes: Sequence[Outcome], max_points: dict[str, float],
                 *, sandboxed: bool) -> Path:
    """Write the HTML report of one assignment's grading to ``path`` and return it."""
    graded = [outcome for outcome in outcomes if outcome.graded]
    title = f"{html.escape(assignment)} — grading report"
    banner = "" if sandboxed else f'<p class="danger">{NO_SANDBOX}</p>'
    body = "\n".join([
        _summary(outcomes, graded, sum(max_points.values())),
        _section("Score distribution", _scores(graded, sum(max_points.values()))),
        _section("Test-cell pass rate", _pass_rates(graded, max_points)),
        _section("Submissions per status", _statuses(outcomes)),
        _section("Grading time per notebook", _times(outcomes)),
        _section("Flagged submissions", _flagged(outcomes)),
        _section("Submissions not graded", _not_graded(outcomes)),
    ])
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{CSS}</style></head>\n<body><h1>{title}</h1>{banner}\n{body}\n</body></html>\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def _summary(outcomes: Sequence[Outcome], graded: list[Outcome], total: float) -> str:
    """Counts per status, mean and median graded score, and when the page was made."""
    per_status = ", ".join(f"{_count(outcomes, status)} {status}" for status in STATUS_COLOURS)
    scores = [outcome.score for outcome in graded]
    average = (f"Graded scores out of {_number(total)}: mean {_number(statistics.mean(scores))}, "
               f"median {_number(statistics.median(scores))}." if scores else "No submission was graded.")
    generated = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return f"<p>{len(outcomes)} submissions: {per_status}.</p><p>{average}</p><p>Generated {generated}.</p>"


def _scores(graded: list[Outcome], total: float) -> str:
    """Histogram of graded scores over [0, max], with the mean marked."""
    if not graded:
        return "<p>No submission was graded, so there is no score distribution.</p>"
    scores = [outcome.score for outcome in graded]
    mean = statistics.mean(scores)

    def draw(axes: Axes) -> None:
        axes.hist(scores, bins=_point_bins(max(total, *scores)), color=STATUS_COLOURS[GRADED])
        axes.axvline(mean, color="black", linestyle="--", label=f"mean {_number(mean)}")
        axes.set(xlabel="score", ylabel="submissions")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend()

    return _figure(draw, f"Scores of {len(graded)} graded submissions; the dashed line is the mean.")


def _pass_rates(graded: list[Outcome], max_points: dict[str, float]) -> str:
    """Bar chart and table: the share of graded submissions earning each test cell's full points."""
    if not graded:
        return "<p>No submission was graded, so there are no pass rates.</p>"
    if not max_points:
        return "<p>This assignment has no autograded test cells.</p>"
    rates = {cell: sum(o.cells.get(cell, 0.0) >= points for o in graded) / len(graded)
             for cell, points in max_points.items()}
    hardest = [cell for cell, rate in rates.items() if rate == min(rates.values())]

    def draw(axes: Axes) -> None:
        colours = [STATUS_COLOURS[FAILED] if cell in hardest else "#1565c0" for cell in rates]
        bars = axes.barh(range(len(rates)), list(rates.values()), color=colours)
        axes.set_yticks(range(len(rates)), list(rates), parse_math=False)
        axes.bar_label(bars, [f"{rate:.0%}" for rate in rates.values()], padding=3)
        axes.invert_yaxis()
        axes.set_xlim(0, 1.1)
        axes.xaxis.set_major_formatter(PercentFormatter(1.0))
        axes.set_xlabel("graded submissions with full marks")

    caption = f"Hardest (in red): {', '.join(hardest)} — {min(rates.values()):.0%} earned full marks."
    rows = [(cell, _number(points), f"{rates[cell]:.0%}",
             _number(statistics.mean(o.cells.get(cell, 0.0) for o in graded))) for cell, points in max_points.items()]
    return (_figure(draw, caption, height=1 + 0.35 * len(rates))
            + _table(("test cell", "points", "full-marks rate", "mean points"), rows))


def _statuses(outcomes: Sequence[Outcome]) -> str:
    """Bar chart of the number of submissions per status."""
    counts = [_count(outcomes, status) for status in STATUS_COLOURS]

    def draw(axes: Axes) -> None:
        bars = axes.bar(list(STATUS_COLOURS), counts, color=list(STATUS_COLOURS.values()))
        axes.bar_label(bars, padding=2)
        axes.set_ylim(0, 1.15 * max(1, *counts))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylabel("submissions")

    return _figure(draw, f"{len(outcomes)} submissions by status.")


def _times(outcomes: Sequence[Outcome]) -> str:
    """Histogram of wall time per executed (graded or failed) notebook."""
    seconds = [outcome.seconds for outcome in outcomes if outcome.status in (GRADED, FAILED)]
    if not seconds:
        return "<p>No notebook was executed, so there are no grading times.</p>"

    def draw(axes: Axes) -> None:
        axes.hist(seconds, bins=20, color="#6a1b9a")
        axes.set(xlabel="seconds", ylabel="notebooks")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))

    return _figure(draw, f"{len(seconds)} executed notebooks: median {statistics.median(seconds):.1f} s, "
                         f"max {max(seconds):.1f} s.")


def _flagged(outcomes: Sequence[Outcome]) -> str:
    """Table of submissions the tamper audit flagged, one flag per line."""
    rows = [(o.student, _number(o.score), o.status, "\n".join(o.flags)) for o in outcomes if o.flags]
    return _table(("student", "score", "status", "flags"), rows) if rows else "<p>No submission was flagged.</p>"


def _not_graded(outcomes: Sequence[Outcome]) -> str:
    """Table of every submission that was not graded, with the reason why."""
    rows = [(o.student, o.status, o.reason) for o in outcomes if not o.graded]
    return _table(("student", "status", "reason"), rows) if rows else "<p>Every submission was graded.</p>"


def _figure(draw: Callable[[Axes], None], caption: str, height: float = 3.2) -> str:
    """A ``<figure>`` holding, as an inline PNG, the axes that ``draw`` fills (no pyplot, no global state)."""
    figure = Figure(figsize=(7, height), layout="constrained")
    FigureCanvasAgg(figure)
    draw(figure.add_subplot())
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=100)
    source = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")
    caption = html.escape(caption)
    return f'<figure><img src="{source}" alt="{caption}"><figcaption>{caption}</figcaption></figure>'


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """An HTML table; every cell is escaped."""
    head = "".join(f"<th>{html.escape(header)}</th>" for header in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _point_bins(top: float) -> list[int]:
    """Bin edges on whole points from 0 past ``top``, at most about 20 bins, so integer scores never alias."""
    width = max(1, math.ceil(top / 20))
    return list(range(0, max(1, math.ceil(top)) + width, width))


def _section(heading: str, body: str) -> str:
    return f"<section><h2>{html.escape(heading)}</h2>{body}</section>"


def _count(outcomes: Sequence[Outcome], status: str) -> int:
    return sum(outcome.status == status for outcome in outcomes)


def _number(value: float) -> str:
    """A score as people write it: 7.33, 12.5, 10."""
    return f"{round(value, 2):g}"
