"""The course on disk: its folders, its nbgrader configuration and its assignment list."""

import copy
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

import dateutil.tz
from nbgrader.utils import parse_utc
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from gradlab.settings import Gradlab, SettingError, check

CONFIG_FILE = "nbgrader_config.py"


class CourseError(Exception):
    """An operator mistake: a missing folder, a bad configuration, an unknown assignment."""


@dataclass(frozen=True)
class Course:
    root: Path
    config: Config
    assignments: tuple[str, ...]

    @classmethod
    def load(cls, root: Path | None = None) -> "Course":
        """Load the course whose ``nbgrader_config.py`` is in ``root`` (default: here or above)."""
        root = Path(root).resolve() if root else _find_root(Path.cwd())
        if not (root / CONFIG_FILE).is_file():
            raise CourseError(f"{root} has no {CONFIG_FILE}; run gradlab inside the course folder or pass --course")
        config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
        config.CourseDirectory.root = str(root)
        try:
            check(config)
        except SettingError as error:
            raise CourseError(f"{CONFIG_FILE}: {error}") from None
        assignments = tuple(Gradlab(config=config).assignments)
        if not assignments:
            raise CourseError(f"{CONFIG_FILE} lists no assignments: set c.Gradlab.assignments")
        course = cls(root, config, assignments)
        _ = course.due_dates, course.canvas_assignment_ids  # parsed now, so that a mistake stops every command
        return course

    @cached_property
    def settings(self) -> Gradlab:
        """The course's ``c.Gradlab.*`` options, defaults filled in."""
        return Gradlab(config=self.config)

    @property
    def holds_flagged_scores(self) -> bool:
        """Whether scores the audit flags wait for review (``c.Gradlab.flagged_scores = "hold"``)."""
        return self.settings.flagged_scores == "hold"

    @property
    def due_dates(self) -> dict[str, datetime]:
        """Each assignment's due date from ``c.Gradlab.due_dates``, in UTC without a time zone, as
        nbgrader's gradebook keeps it; assignments not listed have none."""
        dates = self._per_assignment("due_dates")
        return {name: _due_date(name, text) for name, text in dates.items()}

    @property
    def canvas_assignment_ids(self) -> dict[str, int]:
        """``c.Gradlab.canvas_assignment_ids``: each assignment's id in Canvas, by which Canvas's grade
        import finds its column whatever the assignment's title there."""
        ids = self._per_assignment("canvas_assignment_ids")
        wrong = [f"{name!r}: {value!r}" for name, value in ids.items() if not str(value).isdigit()]
        if wrong:
            raise CourseError(f"c.Gradlab.canvas_assignment_ids holds ids that are not numbers: {', '.join(wrong)}")
        return {name: int(value) for name, value in ids.items()}

    def _per_assignment(self, option: str) -> dict:
        """A ``c.Gradlab`` option that maps assignments to values, checked to name only known assignments."""
        values = dict(self.config.Gradlab.get(option, {}))
        unknown = [name for name in values if name not in self.assignments]
        if unknown:
            raise CourseError(f"c.Gradlab.{option} names unknown assignment(s): {', '.join(unknown)}; "
                              f"the course has {', '.join(self.assignments)}")
        return values

    def select(self, names) -> tuple[str, ...]:
        """The assignments named (all of them when none are), checked against the list."""
        unknown = [n for n in names if n not in self.assignments]
        if unknown:
            raise CourseError(f"unknown assignment(s): {', '.join(unknown)}; the course has {', '.join(self.assignments)}")
        return tuple(names) or self.assignments

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def release(self) -> Path:
        return self.root / "release"

    @property
    def submitted(self) -> Path:
        return self.root / "submitted"

    @property
    def autograded(self) -> Path:
        return self.root / "autograded"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    def source_notebook(self, assignment: str) -> Path:
        return self.source / assignment / f"{assignment}.ipynb"

    def release_notebook(self, assignment: str) -> Path:
        return self.release / assignment / f"{assignment}.ipynb"

    def submission(self, student: str, assignment: str) -> Path:
        return self.submitted / student / assignment

    def with_root(self, root: Path) -> "Course":
        """The same course configuration, pointed at another folder (a scratch copy)."""
        config = copy.deepcopy(self.config)
        config.CourseDirectory.root = str(root)
        return Course(Path(root), config, self.assignments)


def _due_date(assignment: str, text) -> datetime:
    """A due date with its time zone, by name (``2026-10-05 23:59:00 Europe/Berlin``, as nbgrader reads
    dates) or as an ISO 8601 offset (``2026-10-05T23:59:00+02:00``); without one, it is refused rather
    than taken as UTC."""
    setting = f"c.Gradlab.due_dates[{assignment!r}] = {text!r}"
    example = "e.g. '2026-10-05 23:59:00 Europe/Berlin'"
    date, _, zone = str(text).rpartition(" ") if str(text).count(" ") == 2 else (str(text), "", "")
    try:
        when = datetime.fromisoformat(date)
    except ValueError:
        raise CourseError(f"{setting} is not a date ({example})") from None
    if zone:
        if when.tzinfo is not None or dateutil.tz.gettz(zone) is None:
            raise CourseError(f"{setting}: unknown time zone {zone!r} ({example})")
        when = when.replace(tzinfo=dateutil.tz.gettz(zone))
    elif when.tzinfo is None:
        raise CourseError(f"{setting} has no time zone ({example})")
    return parse_utc(when)


def _find_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return start
