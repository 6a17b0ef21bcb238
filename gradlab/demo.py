"""The demo batch: synthetic students for every assignment, with the scores they must get."""

import shutil

from gradlab import notebooks as nbs
from gradlab import synthetic
from gradlab.course import Course

PERFECT, BLANK, PARTIAL, BROKEN = "demo-perfect", "demo-blank", "demo-partial", "demo-broken"


def write_demo_submissions(course: Course, assignments) -> dict[tuple[str, str], tuple[str, float]]:
    """Write the demo students' submissions; return (status, score) expected for each (student, assignment)."""
    expected = {}
    for assignment in assignments:
        source = nbs.read(course.source_notebook(assignment))
        release_path = course.release_notebook(assignment)
        release = nbs.read(release_path)
        partial, partial_points = synthetic.partially_done(source, release)
        full = sum(nbs.test_points(source).values())
        for student, notebook, score in ((PERFECT, synthetic.reference_filled(source, release), full),
                                         (BLANK, release, 0.0),
                                         (PARTIAL, partial, partial_points)):
            nbs.write(notebook, _fresh_folder(course, student, assignment) / release_path.name)
            expected[student, assignment] = ("graded", score)
        (_fresh_folder(course, BROKEN, assignment) / release_path.name).write_text(synthetic.truncated_json(release_path))
        expected[BROKEN, assignment] = ("invalid", 0.0)
    return expected


def _fresh_folder(course: Course, student: str, assignment: str):
    folder = course.submission(student, assignment)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
