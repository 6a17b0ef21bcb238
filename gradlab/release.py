"""Releasing assignments: solutions and hidden tests stripped from source/ into release/, then checked."""

from gradlab import notebooks as nbs
from gradlab.course import Course
from gradlab.leaks import find_leaks
from gradlab.nbgrader_api import generate_assignment


def release(course: Course, assignment: str) -> list[str]:
    """Regenerate ``release/<assignment>`` and return every leak found in it (none when clean)."""
    generate_assignment(course, assignment)
    return leaks_in_release(course, assignment)


def leaks_in_release(course: Course, assignment: str) -> list[str]:
    source = nbs.read(course.source_notebook(assignment))
    released = nbs.read(course.release_notebook(assignment))
    problems = find_leaks(source, released)
    for path in sorted((course.release / assignment).rglob("*")):
        if path.is_file() and path.suffix != ".ipynb":
            text = path.read_text(errors="replace")
            problems += [f"{path.name}: contains the marker {m!r}" for m in nbs.ALL_MARKERS if m in text]
    return [f"{assignment}: {p}" for p in problems]
