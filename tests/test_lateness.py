"""Late work: due dates from the course, nbgrader's timestamps and late penalties, in results and grades."""

import csv

import pytest

from gradlab import synthetic
from gradlab import notebooks as nbs
from gradlab.batch import grade_batch
from gradlab.cli import main
from gradlab.course import Course
from gradlab.lateness import PercentPerDayLate

DUE = '"00_mini": "2026-10-05 23:59:00 Europe/Berlin"'  # 21:59 UTC
DAY = 24 * 60 * 60


def _with_due_dates(course, entries=DUE) -> Course:
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Gradlab.due_dates = {{{entries}}}\n")
    return Course.load(course.root)


@pytest.mark.parametrize("seconds_late, penalty", [
    (1, 0.6), (DAY, 0.6), (DAY + 1, 1.2), (3 * DAY, 1.8), (3 * DAY + 1, 6.0), (30 * DAY, 6.0)])
def test_ten_percent_of_the_points_earned_per_started_day_for_three_days_then_everything(seconds_late, penalty):
    assert PercentPerDayLate().late_submission_penalty("ada", 6.0, seconds_late) == penalty


def test_the_course_policy_is_nbgraders_late_penalty_plugin():
    config = Course.load().config
    assert config.AssignLatePenalties.plugin_class == "gradlab.lateness.PercentPerDayLate"
    plugin = PercentPerDayLate(config=config)
    assert (plugin.percent_per_day, plugin.days_accepted) == (10, 3)


def test_due_dates_are_read_in_utc(mini_course):
    course = _with_due_dates(mini_course, '"00_mini": "2026-12-01 09:30:00 Europe/Berlin"')
    assert str(course.due_dates["00_mini"]) == "2026-12-01 08:30:00"
    course = _with_due_dates(mini_course, '"00_mini": "2026-10-05T23:59:00-04:00"')
    assert str(course.due_dates["00_mini"]) == "2026-10-06 03:59:00"


@pytest.mark.parametrize("entries, message", [
    ('"01_finite_differences": "2026-10-05 23:59:00 UTC"',
     "c.Gradlab.due_dates names unknown assignment(s): 01_finite_differences; the course has 00_mini"),
    ('"00_mini": "2026-10-05 23:59"',
     "c.Gradlab.due_dates['00_mini'] = '2026-10-05 23:59' has no time zone (e.g. '2026-10-05 23:59:00 Europe/Berlin')"),
    ('"00_mini": "2026-10-05 23:59:00 Europe/Berln"',
     "c.Gradlab.due_dates['00_mini'] = '2026-10-05 23:59:00 Europe/Berln': unknown time zone 'Europe/Berln' "
     "(e.g. '2026-10-05 23:59:00 Europe/Berlin')"),
    ('"00_mini": "5 October"',
     "c.Gradlab.due_dates['00_mini'] = '5 October' is not a date (e.g. '2026-10-05 23:59:00 Europe/Berlin')"),
])
def test_a_wrong_due_date_is_an_operator_error(mini_course, capsys, entries, message):
    with open(mini_course.root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Gradlab.due_dates = {{{entries}}}\n")
    assert main(["--course", str(mini_course.root), "grade"]) == 2
    assert capsys.readouterr().err == f"gradlab: {message}\n"


def _submit(course, student, when, notebook=True):
    folder = course.submission(student, "00_mini")
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text(when)
    if notebook:
        source, released = nbs.read(course.source_notebook("00_mini")), nbs.read(course.release_notebook("00_mini"))
        nbs.write(synthetic.reference_filled(source, released), folder / "00_mini.ipynb")


def _rows(path):
    with open(path, newline="") as file:
        return {row["student_id" if "student_id" in row else "student"]: row for row in csv.DictReader(file)}


@pytest.mark.slow
def test_late_work_loses_points_in_results_and_grades(released_mini_course):
    course = _with_due_dates(released_mini_course)
    _submit(course, "ada", "2026-10-05 23:00:00 Europe/Berlin")   # on time
    _submit(course, "bob", "2026-10-07 10:00:00 Europe/Berlin")   # 1 day 10 h late: 2 days, 20%
    _submit(course, "cat", "2026-10-10 09:00:00 Europe/Berlin")   # 4 days 9 h late: past 3 days, zero
    _submit(course, "dan", "2026-10-06 12:00:00 Europe/Berlin", notebook=False)
    outcomes = {o.student: o for o in grade_batch(course, ["00_mini"], sandboxed=True)}

    assert {s: (o.status, o.score, o.submitted_at, o.late_seconds, o.late_penalty) for s, o in outcomes.items()} == {
        "ada": ("graded", 4.0, "2026-10-05T21:00:00Z", 0.0, 0.0),
        "bob": ("graded", 4.0, "2026-10-07T08:00:00Z", DAY + 36060.0, 0.8),
        "cat": ("graded", 4.0, "2026-10-10T07:00:00Z", 4 * DAY + 32460.0, 4.0),
        "dan": ("missing", 0.0, "2026-10-06T10:00:00Z", 43260.0, 0.0),
    }
    results = _rows(course.autograded / "results.csv")
    assert {s: (r["auto_score"], r["submitted_at"], r["late_seconds"], r["late_penalty"], r["total"])
            for s, r in results.items()} == {
        "ada": ("4.0", "2026-10-05T21:00:00Z", "0.0", "0.0", "4.0"),
        "bob": ("4.0", "2026-10-07T08:00:00Z", "122460.0", "0.8", "3.2"),
        "cat": ("4.0", "2026-10-10T07:00:00Z", "378060.0", "4.0", "0.0"),
        "dan": ("0.0", "2026-10-06T10:00:00Z", "43260.0", "0.0", "0.0"),
    }
    grades = _rows(course.autograded / "grades.csv")
    assert {s: (r["duedate"], r["timestamp"], r["raw_score"], r["late_submission_penalty"], r["score"], r["max_score"])
            for s, r in grades.items()} == {
        "ada": ("2026-10-05 21:59:00", "2026-10-05 21:00:00", "4.0", "0.0", "4.0", "5.0"),
        "bob": ("2026-10-05 21:59:00", "2026-10-07 08:00:00", "4.0", "0.8", "3.2", "5.0"),
        "cat": ("2026-10-05 21:59:00", "2026-10-10 07:00:00", "4.0", "4.0", "0.0", "5.0"),
        "dan": ("2026-10-05 21:59:00", "", "0.0", "0.0", "0.0", "5.0"),
    }
