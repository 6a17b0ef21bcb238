"""Showing a batch's progress: a live bar with counts and ETA on a terminal, plain lines in a log."""

import sys
import time

from gradlab.statuses import FAILED, GRADED, HELD, INVALID, MISSING

STATUSES = (GRADED, HELD, MISSING, INVALID, FAILED)
BAR_WIDTH = 30


class Progress:
    """Told of each outcome, shows how far the batch is. ``mode``: "bar" (a terminal), "lines" (one row
    per submission, for logs) or "quiet" (nothing until the summary)."""

    def __init__(self, total: int, mode: str, stream=None, clock=time.monotonic):
        self.total, self.mode, self.stream, self.clock = total, mode, stream or sys.stdout, clock
        self.counts = dict.fromkeys(STATUSES, 0)
        self.started = clock()

    def __call__(self, outcome) -> None:
        self.counts[outcome.status] += 1
        if self.mode == "lines" or (self.mode == "bar" and not outcome.graded):
            self._clear_bar()
            print(outcome_row(outcome), file=self.stream)
        if self.mode == "bar":
            self.stream.write("\r" + self.bar())
        self.stream.flush()

    def bar(self) -> str:
        done = sum(self.counts.values())
        filled = BAR_WIDTH * done // max(self.total, 1)
        counts = " · ".join(f"{status} {n}" for status, n in self.counts.items() if n)
        return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{self.total}  {counts}  ETA {self.eta()}"

    def eta(self) -> str:
        done = sum(self.counts.values())
        if not done:
            return "--"
        seconds = round((self.clock() - self.started) / done * (self.total - done))
        return f"{seconds // 60}m{seconds % 60:02d}s"

    def close(self) -> None:
        if self.mode == "bar":
            self.stream.write("\n")

    def _clear_bar(self) -> None:
        if self.mode == "bar":
            self.stream.write("\r\033[K")


def outcome_row(outcome) -> str:
    notes = [f"flagged: {len(outcome.flags)}"] if outcome.flags else []
    notes += [f"awaiting grading: {outcome.awaiting_grading}"] if outcome.awaiting_grading else []
    return row(outcome.student, outcome.assignment, f"{outcome.total:g} / {outcome.total_max:g}",
               outcome.status, " ".join([outcome.reason, *(f"[{note}]" for note in notes)]).strip())


def row(student, assignment, score, status, reason) -> str:
    return f"{student:<20} {assignment:<24} {score:>11}  {status:<8} {reason}".rstrip()
