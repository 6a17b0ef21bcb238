"""Grading by hand in formgrader flows back without executing anything: totals, feedback, results, grades;
an answer not graded yet reads "awaiting grading"; and formgrader can grade while a batch runs."""

import csv
import json
import re
import subprocess
import sys
import time

import pytest
from lxml import html as lxml_html
from nbgrader.api import Gradebook

from gradlab import notebooks as nbs
from gradlab import synthetic
from gradlab.batch import grade_batch
from gradlab.cli import main
from gradlab.nbgrader_api import gradebook

pytestmark = pytest.mark.slow  # executes notebooks

AWAITING = "Awaiting grading (1 point): not graded yet, so not counted in the score above."


@pytest.fixture
def course(released_mini_course):
    """``ada`` answered everything, ``bob`` handed in the release untouched."""
    course = released_mini_course
    source = nbs.read(course.source_notebook("00_mini"))
    released = nbs.read(course.release_notebook("00_mini"))
    nbs.write(synthetic.reference_filled(source, released), course.submission("ada", "00_mini") / "00_mini.ipynb")
    nbs.write(released, course.submission("bob", "00_mini") / "00_mini.ipynb")
    return course


def grade_by_hand(db_url, student, score):
    """What formgrader does when a grader scores ``answer_why``."""
    with Gradebook(db_url, "gradients-for-ml") as book:
        grade = book.find_grade("answer_why", "00_mini", "00_mini", student)
        grade.manual_score = score
        grade.needs_manual_grade = False
        book.db.commit()


def _db_url(course):
    return f"sqlite:///{course.root / 'gradebook.db'}"


def _feedback(course, student):
    """The page's heading and, for the written answer, its panel heading and text."""
    document = lxml_html.fromstring((course.feedback / student / "00_mini" / "00_mini.html").read_text(encoding="utf-8"))
    [answer] = document.xpath("//div[contains(@class, 'nbgrader_cell')][.//p[contains(., 'doubling is linear')]]")
    words = lambda element: re.sub(r"\s+", " ", " ".join(element.itertext())).strip()
    return (words(document.xpath("//h4")[0]), words(answer.xpath("div[@class='panel-heading']")[0]),
            words(answer.xpath("div[@class='panel-body']")[0]))


def _results(course):
    with open(course.autograded / "results.csv") as file:
        return [(r["student"], r["auto_score"], r["manual_score"], r["total"], r["total_max"], r["awaiting_grading"])
                for r in csv.DictReader(file)]


def _grades(course):
    with open(course.autograded / "grades.csv") as file:
        return sorted((r["student_id"], r["score"], r["max_score"]) for r in csv.DictReader(file))


def _nothing_executes(monkeypatch):
    def refuse(job):
        raise AssertionError(f"{job.student}'s notebook was executed")
    monkeypatch.setattr("gradlab.sandbox.execute", refuse)


def test_an_answer_not_graded_yet_awaits_grading_then_refresh_brings_its_score_everywhere(course, monkeypatch, capsys):
    grade_batch(course, ["00_mini"])
    assert _feedback(course, "ada") == ("00_mini (Score: 4.0 / 5.0)", "Student's answer (Top)",
                                        f"Because doubling is linear. {AWAITING}")
    assert _results(course) == [("ada", "4.0", "0.0", "4.0", "5.0", "1"), ("bob", "0.0", "0.0", "0.0", "5.0", "0")]
    grade_by_hand(_db_url(course), "ada", 1.0)
    _nothing_executes(monkeypatch)
    capsys.readouterr()
    assert main(["--course", str(course.root), "refresh"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "ada                  00_mini                        5 / 5  graded",
        "bob                  00_mini                        0 / 5  graded",
        "2 submission(s) refreshed from the gradebook; no answer awaits grading by hand; "
        "feedback, results, grades and reports are up to date"]
    assert _feedback(course, "ada") == ("00_mini (Score: 5.0 / 5.0)", "Student's answer Score: 1.0 / 1.0 (Top)",
                                        "Because doubling is linear.")
    assert _results(course) == [("ada", "4.0", "1.0", "5.0", "5.0", "0"), ("bob", "0.0", "0.0", "0.0", "5.0", "0")]
    assert _grades(course) == [("ada", "5.0", "5.0"), ("bob", "0.0", "5.0")]


def test_grading_again_after_hand_grading_rewrites_the_feedback_without_executing(course, monkeypatch, capsys):
    assert main(["--course", str(course.root), "grade", "--quiet"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith(
        "1 answer(s) in 1 submission(s) await grading by hand in formgrader, then `gradlab refresh`; results in")
    grade_by_hand(_db_url(course), "ada", 0.5)
    _nothing_executes(monkeypatch)
    [ada, bob] = grade_batch(course, ["00_mini"])
    assert (ada.score, ada.manual_score, ada.total, ada.total_max, ada.awaiting_grading) == (4.0, 0.5, 4.5, 5.0, 0)
    assert _feedback(course, "ada")[:2] == ("00_mini (Score: 4.5 / 5.0)", "Student's answer Score: 0.5 / 1.0 (Top)")


def test_refresh_names_submissions_not_graded_yet_and_those_changed_since(course, capsys):
    grade_batch(course, ["00_mini"], students=["ada"])
    nbs.write(nbs.read(course.release_notebook("00_mini")), course.submission("ada", "00_mini") / "00_mini.ipynb")
    capsys.readouterr()
    assert main(["--course", str(course.root), "refresh"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "ada                  00_mini                        4 / 5  graded   [awaiting grading: 1]",
        "bob                  00_mini                                        not graded yet: `gradlab grade` grades it",
        "1 submission(s) refreshed from the gradebook; 1 answer(s) in 1 submission(s) await grading by hand in "
        "formgrader, then `gradlab refresh`; feedback, results, grades and reports are up to date",
        "1 submission(s) changed since they were graded, or gradlab did: `gradlab grade` grades them again"]


def test_grading_again_keeps_the_hand_given_score_and_awaits_nothing(course):
    grade_batch(course, ["00_mini"])
    grade_by_hand(_db_url(course), "ada", 1.0)
    [ada, _] = grade_batch(course, ["00_mini"], regrade=True)  # nbgrader marks the hand-graded cell for review
    assert (ada.score, ada.manual_score, ada.awaiting_grading) == (4.0, 1.0, 0)
    assert _feedback(course, "ada")[1] == "Student's answer Score: 1.0 / 1.0 (Top)"


FORMGRADER = """
import itertools, json, pathlib, sys
from nbgrader.api import Gradebook
db_url, stop, students = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3:]
given = {}
with Gradebook(db_url, "gradients-for-ml") as book:  # formgrader keeps one gradebook open while it serves
    for round in itertools.count():
        for student in students:
            grade = book.find_grade("answer_why", "00_mini", "00_mini", student)
            grade.manual_score = given[student] = (round % 4 + 1) / 4
            grade.needs_manual_grade = False
            book.db.commit()
        if stop.exists() and round >= 3:
            break
print(json.dumps({"rounds": round + 1, "given": given}))
"""


def test_formgrader_grading_while_a_batch_grades_loses_nothing_on_either_side(course, tmp_path):
    source = nbs.read(course.source_notebook("00_mini"))
    released = nbs.read(course.release_notebook("00_mini"))
    students = ["ada", "cy", "dee", "eli"]
    for student in students[1:]:
        nbs.write(synthetic.reference_filled(source, released), course.submission(student, "00_mini") / "00_mini.ipynb")
    grade_batch(course, ["00_mini"], jobs=2)
    stop = tmp_path / "stop"
    formgrader = subprocess.Popen([sys.executable, "-c", FORMGRADER, _db_url(course), str(stop), *students],
                                  cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        outcomes = grade_batch(course, ["00_mini"], jobs=2, regrade=True)
    finally:
        stop.touch()
        out, err = formgrader.communicate(timeout=120)
    assert formgrader.returncode == 0, err
    written = json.loads(out)
    assert written["rounds"] >= 4
    assert [(o.student, o.status, o.score) for o in outcomes] == [
        ("ada", "graded", 4.0), ("bob", "graded", 0.0), ("cy", "graded", 4.0), ("dee", "graded", 4.0), ("eli", "graded", 4.0)]
    with gradebook(course) as book:
        for student in ["ada", "bob", *students[1:]]:
            grades = {g.name: (g.auto_score, g.manual_score)
                      for g in book.find_submission_notebook("00_mini", "00_mini", student).grades}
            assert grades == {"test_double__visible": (1.0 if student != "bob" else 0.0, None),
                              "test_double__hidden": (2.0 if student != "bob" else 0.0, None),
                              "test_total": (1.0 if student != "bob" else 0.0, None),
                              "answer_why": (None if student != "bob" else 0.0, written["given"].get(student))}


def test_recording_waits_for_a_write_that_holds_the_gradebook_longer_than_sqlites_default(course):
    """SQLite gives up after 5 s by default ("database is locked"); a formgrader save on a slow disk may take longer."""
    grade_batch(course, ["00_mini"], students=["bob"])
    (course.submission("bob", "00_mini") / "00_mini.ipynb").unlink()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('begin immediate'); db.execute('update grade set manual_score = 0.5'); print('locked', flush=True)\n"
        "time.sleep(7); db.execute('commit')\n"), str(course.root / "gradebook.db")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "locked\n"
    started = time.monotonic()
    [bob] = grade_batch(course, ["00_mini"], students=["bob"])
    assert holder.wait() == 0
    assert (bob.status, bob.reason) == ("missing", "no 00_mini.ipynb in the submission")
    assert time.monotonic() - started > 5
