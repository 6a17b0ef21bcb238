"""Late work: when a submission came in, how late it was, and the points nbgrader's late-submission
plugin took off.

nbgrader does the work: ``autograde`` reads ``submitted/<student>/<assignment>/timestamp.txt`` into the
gradebook, which holds the assignment's due date (``c.Gradlab.due_dates``) and so each submission's
lateness; its ``AssignLatePenalties`` step asks the plugin named by ``c.AssignLatePenalties.plugin_class``
for the penalty. ``PercentPerDayLate`` is such a plugin.
"""

import math
from datetime import datetime
from typing import NamedTuple

from nbgrader.api import MissingEntry
from nbgrader.plugins import BasePlugin
from traitlets import Float, Int

from gradlab import nbgrader_api
from gradlab.course import Course

SECONDS_PER_DAY = 24 * 60 * 60


class PercentPerDayLate(BasePlugin):
    """Takes ``percent_per_day`` of the points earned for every day or part of a day late, up to
    ``days_accepted`` days; work later than that scores zero."""

    percent_per_day = Float(10.0, help="Percent of the points earned taken off per day late.").tag(config=True)
    days_accepted = Int(3, help="Days after the due date until which late work still earns points.").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float:
        days = math.ceil(total_seconds_late / SECONDS_PER_DAY)
        if days > self.days_accepted:
            return score
        return round(score * min(1.0, days * self.percent_per_day / 100), 2)


class Lateness(NamedTuple):
    """A submission's lateness, as its outcome carries it."""

    submitted_at: str = ""     # ISO 8601, UTC; "" without a timestamp.txt
    late_seconds: float = 0.0  # after the due date, extensions included; 0 without a due date
    late_penalty: float = 0.0  # points taken off


def lateness(course: Course, assignment: str, student: str) -> Lateness:
    """The submission's lateness as the gradebook holds it after autograde; for a submission without a
    score there (missing, invalid, failed), its ``timestamp.txt`` against the due date."""
    with nbgrader_api.gradebook(course) as gradebook:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            due = gradebook.find_assignment(assignment).duedate
        else:
            if submission.timestamp is None:
                return Lateness()
            return Lateness(_iso(submission.timestamp), float(submission.total_seconds_late),
                            float(submission.late_submission_penalty or 0.0))
    try:
        submitted = nbgrader_api.submission_timestamp(course, assignment, student)
    except ValueError:  # empty or not a date: autograde refuses it with nbgrader's message
        return Lateness()
    if submitted is None:
        return Lateness()
    return Lateness(_iso(submitted), max(0.0, (submitted - due).total_seconds()) if due else 0.0)


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"
