"""Scratch copies of the course, so that checks never touch the instructor's gradebook or folders."""

import contextlib
import shutil
import tempfile
from pathlib import Path

from gradlab.course import CONFIG_FILE, Course


@contextlib.contextmanager
def scratch_course(course: Course, assignments):
    """A throw-away course holding the configuration and the sources of ``assignments``."""
    with tempfile.TemporaryDirectory(prefix="gradlab-") as tmp:
        root = Path(tmp)
        shutil.copy2(course.root / CONFIG_FILE, root / CONFIG_FILE)
        for assignment in assignments:
            shutil.copytree(course.source / assignment, root / "source" / assignment,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        yield course.with_root(root)
