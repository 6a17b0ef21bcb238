"""The roster: nbgrader's student CSV into the gradebook, then used by collect and shown by formgrader."""

import zipfile

import pytest

from gradlab import nbgrader_api
from gradlab.cli import main
from gradlab.collect import collect
from gradlab.course import CourseError
from gradlab.roster import Student, import_roster

ROSTER = ("id,first_name,last_name,email,lms_user_id\n"
          "jsmith,John,Smith,jsmith@uni.example,12345\n"
          "alee,Ann,Lee,alee@uni.example,\n"
          "jnunez,José,Núñez,jnunez@uni.example,34567\n")


@pytest.fixture
def course(released_mini_course):
    return released_mini_course


def write(tmp_path, text, name="roster.csv"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path / name


def test_a_roster_fills_the_gradebook_formgrader_reads(course, tmp_path):
    assert import_roster(course, write(tmp_path, "\ufeff" + ROSTER)) == [
        Student("jsmith", "John", "Smith", "jsmith@uni.example", "12345"),
        Student("alee", "Ann", "Lee", "alee@uni.example", ""),
        Student("jnunez", "José", "Núñez", "jnunez@uni.example", "34567")]
    with nbgrader_api.gradebook(course) as gradebook:
        assert [s.to_dict() for s in gradebook.students] == [
            {"id": "alee", "first_name": "Ann", "last_name": "Lee", "email": "alee@uni.example", "lms_user_id": None,
             "score": 0.0, "max_score": 5.0},
            {"id": "jnunez", "first_name": "José", "last_name": "Núñez", "email": "jnunez@uni.example",
             "lms_user_id": "34567", "score": 0.0, "max_score": 5.0},
            {"id": "jsmith", "first_name": "John", "last_name": "Smith", "email": "jsmith@uni.example",
             "lms_user_id": "12345", "score": 0.0, "max_score": 5.0}]


def test_collect_takes_student_ids_from_the_roster(course, tmp_path):
    import_roster(course, write(tmp_path, ROSTER))
    canvas = tmp_path / "canvas.zip"
    with zipfile.ZipFile(canvas, "w") as zf:
        zf.writestr("smithjohn_12345_1_00_mini.ipynb", b"john")
        zf.writestr("núñezjosé_late_34567_2_00_mini.ipynb", b"jose")
        zf.writestr("obrienzoe_45678_3_00_mini.ipynb", b"zoe, not in the roster")
    assert [(c.student, c.late) for c in collect(course, canvas, "00_mini").collected] == [
        ("jnunez", True), ("jsmith", False), ("obrienzoe", False)]
    moodle = tmp_path / "moodle.zip"
    with zipfile.ZipFile(moodle, "w") as zf:
        zf.writestr("ANN  LEE_901_assignsubmission_file_/00_mini.ipynb", b"ann")
    assert [c.student for c in collect(course, moodle, "00_mini", "UTC").collected] == ["alee"]
    with nbgrader_api.gradebook(course) as gradebook:
        assert {s.id: (s.first_name, s.last_name, s.lms_user_id) for s in gradebook.students} == {
            "alee": ("Ann", "Lee", None), "jnunez": ("José", "Núñez", "34567"), "jsmith": ("John", "Smith", "12345"),
            "obrienzoe": (None, None, "45678")}


@pytest.mark.parametrize("text, message", [
    ("name,email\nAnn,a@x\n", "no 'id' column"),
    ("id\nann lee\n../x\n", "line 2: student id 'ann lee' is not a safe folder name; "
                            "line 3: student id '../x' is not a safe folder name"),
    ("id,lms_user_id\nann,1\nbob,1\nann,2\n", "id 'ann' repeated on lines 2, 4; lms_user_id '1' repeated on lines 2, 3"),
])
def test_a_broken_roster_loads_nobody(course, tmp_path, text, message):
    with pytest.raises(CourseError) as error:
        import_roster(course, write(tmp_path, text))
    assert message in str(error.value)
    with nbgrader_api.gradebook(course) as gradebook:
        assert gradebook.students == []


def test_an_lms_user_id_of_another_student_is_refused(course, tmp_path):
    import_roster(course, write(tmp_path, ROSTER))
    with pytest.raises(CourseError, match=r"already belong to another student of the gradebook: 12345 \(of jsmith, not john\)"):
        import_roster(course, write(tmp_path, "id,lms_user_id\njohn,12345\n", "more.csv"))


def test_the_roster_and_collect_commands_print_what_they_did(course, tmp_path, capsys):
    root = str(course.root)
    assert main(["--course", root, "roster", "import", str(write(tmp_path, ROSTER))]) == 0
    assert capsys.readouterr().out == (
        "jsmith               John Smith                     jsmith@uni.example             12345\n"
        "alee                 Ann Lee                        alee@uni.example               (no LMS id)\n"
        "jnunez               José Núñez                     jnunez@uni.example             34567\n"
        "3 student(s) in the gradebook; formgrader shows their names, and collect finds their ids\n")
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(zipfile.ZipInfo("José Núñez_55_assignsubmission_file_/00_mini.ipynb", (2026, 3, 2, 14, 5, 0)), b"{}")
        zf.writestr(zipfile.ZipInfo("Zoë O'Brien_66_assignsubmission_file_/00_mini.txt", (2026, 3, 2, 14, 5, 0)), b"")
    assert main(["--course", root, "collect", str(archive), "00_mini", "--timezone", "Europe/Paris"]) == 1
    assert capsys.readouterr().out == (
        "collected jnunez               -> submitted/jnunez/00_mini/00_mini.ipynb  "
        "(Moodle 55 José Núñez, submitted 2026-03-02 13:05 UTC)\n"
        "SKIPPED   Zoë O'Brien_66_assignsubmission_file_/00_mini.txt: not a notebook\n"
        "1 notebook(s) collected into submitted/ (0 marked late by the LMS), 0 kept as collected before, "
        "1 archive member(s) skipped\n")
    canvas = tmp_path / "canvas.zip"
    with zipfile.ZipFile(canvas, "w") as zf:
        zf.writestr("smithjohn_late_12345_9_00_mini.ipynb", b"{}")
    assert main(["--course", root, "collect", str(canvas), "00_mini"]) == 0
    assert main(["--course", root, "collect", str(canvas), "00_mini"]) == 0
    assert capsys.readouterr().out == (
        "collected jsmith               -> submitted/jsmith/00_mini/00_mini.ipynb  (Canvas 12345 smithjohn, LATE)\n"
        "1 notebook(s) collected into submitted/ (1 marked late by the LMS), 0 kept as collected before, "
        "0 archive member(s) skipped\n"
        "KEPT      smithjohn_late_12345_9_00_mini.ipynb: unchanged: student jsmith was collected from the same "
        "submission before\n"
        "0 notebook(s) collected into submitted/ (0 marked late by the LMS), 1 kept as collected before, "
        "0 archive member(s) skipped\n")
