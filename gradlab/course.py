"""The course on disk: its folders, its nbgrader configuration and its assignment list."""

import copy
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

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
        return cls(root, config, assignments)

    @cached_property
    def settings(self) -> Gradlab:
        """The course's ``c.Gradlab.*`` options, defaults filled in."""
        return Gradlab(config=self.config)

    @property
    def holds_flagged_scores(self) -> bool:
        """Whether scores the audit flags wait for review (``c.Gradlab.flagged_scores = "hold"``)."""
        return self.settings.flagged_scores == "hold"

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


def _find_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return start
