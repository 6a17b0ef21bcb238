"""Batches: the same grades whatever runs them (1 or 2 local jobs, a Dask cluster), and a grader killed
mid-batch that finishes the batch when run again, every grade present once."""

import csv
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from gradlab import notebooks as nbs
from gradlab import synthetic
from gradlab.batch import grade_batch
from gradlab.journal import FOLDER as JOURNAL
from gradlab.course import Course

pytestmark = pytest.mark.slow  # executes notebooks


@pytest.fixture
def course(released_mini_course):
    course = released_mini_course
    source = nbs.read(course.source_notebook("00_mini"))
    released = nbs.read(course.release_notebook("00_mini"))
    half, _ = synthetic.partially_done(source, released)
    for student, notebook in (("ada", synthetic.reference_filled(source, released)), ("bob", released), ("cy", half)):
        nbs.write(notebook, course.submission(student, "00_mini") / "00_mini.ipynb")
    (course.submission("gus", "00_mini") / "00_mini.ipynb").parent.mkdir(parents=True)
    (course.submission("gus", "00_mini") / "00_mini.ipynb").write_text("{")
    return course


EXPECTED = [("ada", "graded", 4.0), ("bob", "graded", 0.0), ("cy", "graded", 3.0), ("gus", "invalid", 0.0)]


def _summary(outcomes):
    return [(o.student, o.status, o.score) for o in outcomes]


def _gradebook_rows(course):
    """(student, cell, score) of every grade, and the number of submissions per student."""
    with sqlite3.connect(course.root / "gradebook.db") as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
        grades = db.execute("select a.student_id, c.name, g.auto_score from grade g "
                            "join base_cell c on g.cell_id = c.id join submitted_notebook n on g.notebook_id = n.id "
                            "join submitted_assignment a on n.assignment_id = a.id order by 1, 2").fetchall()
        submissions = db.execute("select student_id, count(*) from submitted_assignment group by 1 order by 1").fetchall()
    return grades, submissions


def _twin(course, tmp_path) -> Course:
    """A second copy of the course and its submissions, with nothing graded yet."""
    shutil.copytree(course.root, tmp_path / "twin", ignore=shutil.ignore_patterns("gradebook.db", "autograded"))
    return Course.load(tmp_path / "twin")


def test_two_jobs_grade_exactly_as_one(course, tmp_path):
    twin = _twin(course, tmp_path)
    one = grade_batch(course, ["00_mini"], jobs=1)
    two = grade_batch(twin, ["00_mini"], jobs=2)
    assert _summary(one) == _summary(two) == EXPECTED
    assert [o.cells for o in one] == [o.cells for o in two]
    assert _gradebook_rows(course) == _gradebook_rows(twin)
    assert (course.autograded / "grades.csv").read_text() == (twin.autograded / "grades.csv").read_text()
    assert _results_but_time(course) == _results_but_time(twin)
    assert _feedback_pages(course) == _feedback_pages(twin) == ["ada", "bob", "cy", "gus"]


def _results_but_time(course):
    with open(course.autograded / "results.csv") as file:
        return [{**row, "seconds": None} for row in csv.DictReader(file)]


def _feedback_pages(course):
    return sorted(page.relative_to(course.feedback).parts[0] for page in course.feedback.rglob("*.html"))


def test_a_dask_cluster_grades_exactly_as_local_jobs(course, tmp_path):
    from distributed import LocalCluster
    twin = _twin(course, tmp_path)
    local = grade_batch(course, ["00_mini"], jobs=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        remote = grade_batch(twin, ["00_mini"], scheduler=cluster.scheduler_address, jobs=2)
    assert _summary(local) == _summary(remote) == EXPECTED
    assert _gradebook_rows(course) == _gradebook_rows(twin)


def test_grading_again_resumes_and_duplicates_nothing(course):
    first = grade_batch(course, ["00_mini"], jobs=2)
    (course.submission("bob", "00_mini") / "00_mini.ipynb").write_text(
        (course.submission("ada", "00_mini") / "00_mini.ipynb").read_text())
    again = grade_batch(course, ["00_mini"], jobs=2)
    assert _summary(first) == EXPECTED
    assert _summary(again) == [("ada", "graded", 4.0), ("bob", "graded", 4.0), *EXPECTED[2:]]
    assert [o.seconds for o in again if o.student != "bob"] == [o.seconds for o in first if o.student != "bob"]
    grades, submissions = _gradebook_rows(course)
    assert submissions == [(s, 1) for s in ("ada", "bob", "cy")]
    assert len(grades) == 3 * 4  # three test cells and a written answer each, once


def test_a_grader_killed_mid_batch_finishes_it_when_run_again(course):
    journal = course.autograded / JOURNAL / "00_mini"
    grader = subprocess.Popen([sys.executable, "-m", "gradlab", "--course", str(course.root), "grade", "--jobs", "1",
                               "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list(journal.glob("*.json"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    grader.send_signal(signal.SIGKILL)
    grader.wait()
    done_before = len(list(journal.glob("*.json")))
    assert 2 <= done_before < len(EXPECTED)
    finished = grade_batch(course, ["00_mini"], jobs=2)
    assert _summary(finished) == EXPECTED
    grades, submissions = _gradebook_rows(course)
    assert submissions == [(s, 1) for s in ("ada", "bob", "cy")]
    assert sorted({(student, sum(s or 0.0 for st, _, s in grades if st == student)) for student, _, _ in grades}) == [
        (s, score) for s, _, score in EXPECTED if s != "gus"]
    rows = (course.autograded / "grades.csv").read_text().splitlines()[1:]
    assert sorted(row.split(",")[3] for row in rows) == [s for s, _, _ in EXPECTED]
