"""The HTML report of one assignment's grading: one self-contained page an instructor reads at a glance."""

import base64
import csv
import html
import io
import math
import statistics
from collections import Counter
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
HARDEST_MOST = 3     # cells marked hardest at most
HARDEST_GAP = 0.15   # how far below the others' their full-marks rates must be


def write_report(path: Path, assignment: str, outcomes: Sequence[Outcome], max_points: dict[str, float],
                 *, sandboxed: bool) -> Path:
    """Write the HTML report of one assignment's grading to ``path``, its per-cell table beside it as
    ``<assignment>-cells.csv``, and return the report's path."""
    graded = [outcome for outcome in outcomes if outcome.graded]
    cells = _cell_rows(graded, max_points)
    title = f"{html.escape(assignment)} — grading report"
    banner = "" if sandboxed else f'<p class="danger">{NO_SANDBOX}</p>'
    body = "\n".join([
        _summary(outcomes, graded, sum(max_points.values())),
        _section("Score distribution", _scores(graded)),
        _section("Test-cell pass rate", _pass_rates(graded, max_points, cells)),
        _section("Submissions per status", _statuses(outcomes)),
        _section("Grading time per notebook", _times(outcomes)),
        _section("Flagged submissions", _flagged(outcomes)),
        _section("Submissions not graded", _not_graded(outcomes)),
        _section("Students", _students(outcomes)),
    ])
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{CSS}</style></head>\n<body><h1>{title}</h1>{banner}\n{body}\n</body></html>\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    _write_cells_csv(path.with_name(f"{path.stem}-cells.csv"), cells)
    return path


def _summary(outcomes: Sequence[Outcome], graded: list[Outcome], total: float) -> str:
    """Counts per status, mean and median graded score, late work, written answers left to grade by hand,
    and when the page was made."""
    per_status = ", ".join(f"{_count(outcomes, status)} {status}" for status in STATUS_COLOURS)
    scores = [outcome.total for outcome in graded]
    average = (f"Graded scores: mean {_number(statistics.mean(scores))}, median {_number(statistics.median(scores))} "
               f"(autograded test cells out of {_number(total)}, plus points graded by hand, less late penalties)."
               if scores else "No submission was graded.")
    late = [outcome for outcome in outcomes if outcome.late_seconds > 0]
    penalties = sum(outcome.late_penalty for outcome in late)
    lateness = (f"{len(late)} {_plural(len(late), 'submission')} late, "
                f"{_number(penalties)} penalty {_plural(penalties, 'point')} in all." if late
                else "No submission was late.")
    waiting = [outcome for outcome in outcomes if outcome.awaiting_grading]
    answers = sum(outcome.awaiting_grading for outcome in waiting)
    hand_grading = (f"{answers} written {_plural(answers, 'answer')} in {len(waiting)} "
                    f"{_plural(len(waiting), 'submission')} await grading by hand in formgrader." if answers
                    else "No written answer awaits grading by hand.")
    generated = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (f"<p>{len(outcomes)} submissions: {per_status}.</p><p>{average}</p><p>{lateness} {hand_grading}</p>"
            f"<p>Generated {generated}.</p>")


def _scores(graded: list[Outcome]) -> str:
    """Histogram of graded scores over [0, max], with the mean marked; a bar per point when every score is
    a whole number."""
    if not graded:
        return "<p>No submission was graded, so there is no score distribution.</p>"
    scores = [outcome.total for outcome in graded]
    top = max(*(outcome.total_max for outcome in graded), *scores)
    mean = statistics.mean(scores)

    def draw(axes: Axes) -> None:
        if all(float(score).is_integer() for score in scores):
            counts = Counter(int(score) for score in scores)
            axes.bar(list(counts), list(counts.values()), width=0.8, color=STATUS_COLOURS[GRADED])
            axes.set_xlim(min(0, *counts) - 0.6, math.ceil(top) + 0.6)
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        else:
            axes.hist(scores, bins=_point_bins(top), color=STATUS_COLOURS[GRADED])
        axes.axvline(mean, color="black", linestyle="--", label=f"mean {_number(mean)}")
        axes.set(xlabel="score", ylabel="submissions")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.figure.legend(loc="outside upper right")

    return _figure(draw, f"Scores of the {len(graded)} graded or held submissions; the dashed line is the mean.")


def _cell_rows(graded: list[Outcome], max_points: dict[str, float]) -> list[dict]:
    """Per test cell: its points, the share of graded submissions earning them all, the mean points earned,
    and whether it is among the hardest."""
    if not graded:
        return []
    rates = {cell: sum(o.cells.get(cell, 0.0) >= points for o in graded) / len(graded)
             for cell, points in max_points.items()}
    hardest = _hardest(rates)
    return [{"cell": cell, "points": points, "rate": rates[cell],
             "mean": statistics.mean(o.cells.get(cell, 0.0) for o in graded), "hardest": cell in hardest}
            for cell, points in max_points.items()]


def _hardest(rates: dict[str, float]) -> list[str]:
    """The few cells (up to ``HARDEST_MOST``) with the lowest full-marks rates, when these stand clearly
    below every other cell's: at the widest gap of at least ``HARDEST_GAP`` between neighbouring rates."""
    ordered = sorted(rates, key=rates.get)
    gaps = {count: rates[ordered[count]] - rates[ordered[count - 1]]
            for count in range(1, min(HARDEST_MOST, len(ordered) - 1) + 1)}
    count = max(gaps, key=gaps.get, default=0)
    return ordered[:count] if count and round(gaps[count], 9) >= HARDEST_GAP else []


def _pass_rates(graded: list[Outcome], max_points: dict[str, float], cells: list[dict]) -> str:
    """Bar chart and table: the share of graded submissions earning each test cell's full points."""
    if not graded:
        return "<p>No submission was graded, so there are no pass rates.</p>"
    if not max_points:
        return "<p>This assignment has no autograded test cells.</p>"

    def draw(axes: Axes) -> None:
        colours = [STATUS_COLOURS[FAILED] if row["hardest"] else "#1565c0" for row in cells]
        bars = axes.barh(range(len(cells)), [row["rate"] for row in cells], color=colours)
        axes.set_yticks(range(len(cells)), [row["cell"] for row in cells], parse_math=False)
        axes.bar_label(bars, [f"{row['rate']:.0%}" for row in cells], padding=3)
        axes.invert_yaxis()
        axes.set_xlim(0, 1.1)
        axes.xaxis.set_major_formatter(PercentFormatter(1.0))
        axes.set_xlabel("graded submissions with full marks")

    rows = [(row["cell"], _number(row["points"]), f"{row['rate']:.0%}", _number(row["mean"]),
             "yes" if row["hardest"] else "") for row in cells]
    return (_figure(draw, _hardest_caption(cells), height=1 + 0.35 * len(cells))
            + _table(("test cell", "points", "full-marks rate", "mean points", "hardest"), rows))


def _hardest_caption(cells: list[dict]) -> str:
    """Which cells are hardest, and why, in words."""
    gap = f"{HARDEST_GAP * 100:g} percentage points"
    hardest = [row for row in cells if row["hardest"]]
    if not hardest:
        return (f"No test cell stands out as hardest: no one, two or three cells have full-marks rates "
                f"{gap} or more below those of all the others.")
    next_lowest = min((row for row in cells if not row["hardest"]), key=lambda row: row["rate"])
    named = ", ".join(f"{row['cell']} ({row['rate']:.0%})" for row in hardest)
    return (f"Hardest, in red: {named}: the lowest full-marks {_plural(len(hardest), 'rate')}, {gap} or more below "
            f"those of every other cell (next lowest: {next_lowest['cell']}, {next_lowest['rate']:.0%}).")


def _write_cells_csv(path: Path, cells: list[dict]) -> None:
    """The per-cell table for a spreadsheet: rates as fractions, points unrounded."""
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(("test_cell", "points", "full_marks_rate", "mean_points", "hardest"))
        writer.writerows((row["cell"], f"{row['points']:g}", f"{row['rate']:.4g}", f"{row['mean']:.4g}",
                          "yes" if row["hardest"] else "") for row in cells)


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
    rows = [(o.student, _score(o), o.status, "\n".join(o.flags)) for o in outcomes if o.flags]
    return _table(("student", "score", "status", "flags"), rows) if rows else "<p>No submission was flagged.</p>"


def _students(outcomes: Sequence[Outcome]) -> str:
    """Table of every submission: score, status, lateness, flags and written answers left to grade by hand."""
    rows = [(o.student, _score(o), o.status, _lateness(o), "\n".join(o.flags),
             str(o.awaiting_grading) if o.awaiting_grading else "") for o in outcomes]
    headers = ("student", "score", "status", "late", "flags", "written answers awaiting grading")
    return _table(headers, rows) if rows else "<p>No submission.</p>"


def _lateness(outcome: Outcome) -> str:
    """How late the submission was and what that cost: "1 d 2 h late, −3 points"; "" when on time."""
    if outcome.late_seconds <= 0:
        return ""
    penalty = f", −{_number(outcome.late_penalty)} {_plural(outcome.late_penalty, 'point')}" \
        if outcome.late_penalty else ""
    return f"{_duration(outcome.late_seconds)} late{penalty}"


def _duration(seconds: float) -> str:
    """A delay as a person says it, in its two largest units: "2 d 3 h", "1 h 5 min", "4 min", "30 s"."""
    left, amounts = math.ceil(seconds), []
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60), ("s", 1)):
        amounts.append((left // size, unit))
        left %= size
    first = next(index for index, (amount, _) in enumerate(amounts) if amount)
    return " ".join(f"{amount} {unit}" for amount, unit in amounts[first:first + 2] if amount)


def _not_graded(outcomes: Sequence[Outcome]) -> str:
    """Table of every submission that was not graded, with the reason why."""
    rows = [(o.student, o.status, o.reason) for o in outcomes if not o.graded]
    return _table(("student", "status", "reason"), rows) if rows else "<p>Every submission was graded.</p>"


def _figure(draw: Callable[[Axes], None], caption: str, height: float = 3.2) -> str:
    """A ``<figure>`` holding, as an inline PNG, the axes that ``draw`` fills."""
    png = io.BytesIO()
    _drawn(draw, height).savefig(png, format="png", dpi=100)
    source = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")
    caption = html.escape(caption)
    return f'<figure><img src="{source}" alt="{caption}"><figcaption>{caption}</figcaption></figure>'


def _drawn(draw: Callable[[Axes], None], height: float) -> Figure:
    """A figure whose one axes ``draw`` fills (no pyplot, no global state)."""
    figure = Figure(figsize=(7, height), layout="constrained")
    FigureCanvasAgg(figure)
    draw(figure.add_subplot())
    return figure


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


def _score(outcome: Outcome) -> str:
    return f"{_number(outcome.total)} / {_number(outcome.total_max)}"


def _plural(count: float, word: str) -> str:
    return word if count == 1 else f"{word}s"


def _count(outcomes: Sequence[Outcome], status: str) -> int:
    return sum(outcome.status == status for outcome in outcomes)


def _number(value: float) -> str:
    """A score as people write it: 7.33, 12.5, 10."""
    return f"{round(value, 2):g}"
