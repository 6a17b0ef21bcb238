"""Exports for an LMS: the grade-import CSV Canvas or Moodle accepts, and feedback zips named for their upload."""

import csv
import shutil
import zipfile

import pytest

from gradlab import nbgrader_api, synthetic
from gradlab import notebooks as nbs
from gradlab.batch import grade_batch
from gradlab.cli import main
from gradlab.collect import RECORD, RECORD_FIELDS
from gradlab.course import Course
from gradlab.export import export, feedback_member_name

# student: (first name, last name, email, Canvas user id, submitted at, Canvas download name, hand-graded points)
STUDENTS = {
    "ada": ("Ada", "Lovelace", "ada@example.org", "1001", "2026-10-05 23:00:00 Europe/Berlin",
            "lovelaceada_1001_5001_00_mini.ipynb", 1.0),
    "bob": ("Bob", "Müller", "bob@example.org", "1002", "2026-10-07 10:00:00 Europe/Berlin",   # 2 days late: 20%
            "mullerbob_late_1002_5002_00_mini.ipynb", 0.5),
    "cat": ("Cat", "Cohen", "cat@example.org", "1003", "2026-10-10 09:00:00 Europe/Berlin",   # past 3 days: zero
            "cohencat_late_1003_5003_00_mini.ipynb", None),
    "dan": ("Dan", "Brown", "dan@example.org", "1004", "2026-10-05 20:00:00 Europe/Berlin",   # no notebook
            "browndan_1004_5004_answers.py", None),
    "fay": ("Fay", "Fisher", "fay@example.org", "1006", "2026-10-05 20:00:00 Europe/Berlin",  # flagged: held
            "fisherfay_1006_5006_00_mini.ipynb", None),
}
MOODLE_NAMES = {"ada": "Ada Lovelace_44441_assignsubmission_file_/00_mini.ipynb",    # Moodle 3.1 to 4.0
                "bob": "Bob Müller_44442_assignsubmission_file/00_mini.ipynb",       # Moodle 4.1 on
                "cat": "Cat Cohen_44443_assignsubmission_file_00_mini.ipynb"}        # before Moodle 3.1


def _downloaded(course: Course, members: dict[str, str]) -> None:
    """Record in ``submitted/collected.csv``, as collect does, the name each student's notebook of 00_mini
    had in the LMS download."""
    with open(course.submitted / RECORD, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, RECORD_FIELDS, restval="")
        writer.writeheader()
        writer.writerows({"student": student, "assignment": "00_mini", "member": member}
                         for student, member in sorted(members.items()))


@pytest.fixture(scope="module")
def graded(released_mini_template, tmp_path_factory):
    """The mini course graded once: five submitters and a student on the roster who submitted nothing
    (``eve``, without email or Canvas id), then hand-graded in the gradebook as formgrader does."""
    course = Course.load(shutil.copytree(released_mini_template, tmp_path_factory.mktemp("export") / "course"))
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write('\nc.Gradlab.due_dates = {"00_mini": "2026-10-05 23:59:00 Europe/Berlin"}\n'
                     'c.Gradlab.canvas_assignment_ids = {"00_mini": 4711}\n')
    course = Course.load(course.root)
    perfect = synthetic.reference_filled(nbs.read(course.source_notebook("00_mini")),
                                         nbs.read(course.release_notebook("00_mini")))
    for student, (*_, submitted, _member, _manual) in STUDENTS.items():
        folder = course.submission(student, "00_mini")
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text(submitted)
        if student == "fay":
            nbs.write(synthetic.with_definition(perfect, "double", "import os\ndef double(x):\n    return 2 * x"),
                      folder / "00_mini.ipynb")
        elif student != "dan":
            nbs.write(perfect, folder / "00_mini.ipynb")
    _downloaded(course, {student: details[5] for student, details in STUDENTS.items()})
    with nbgrader_api.gradebook(course) as gradebook:
        for student, (first, last, email, canvas_id, *_) in STUDENTS.items():
            gradebook.update_or_create_student(student, first_name=first, last_name=last, email=email,
                                               lms_user_id=canvas_id)
        gradebook.update_or_create_student("eve", first_name="Eve", last_name="Zeller")
    statuses = {o.student: o.status for o in grade_batch(course, ["00_mini"])}
    assert statuses == {"ada": "graded", "bob": "graded", "cat": "graded", "dan": "missing", "fay": "held"}
    with nbgrader_api.gradebook(course) as gradebook:
        for student, (*_, manual) in STUDENTS.items():
            if manual is not None:
                gradebook.find_grade("answer_why", "00_mini", "00_mini", student).manual_score = manual
        gradebook.db.commit()
    return course


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.slow
def test_canvas_grades_import_file(graded, capsys):
    assert main(["--course", str(graded.root), "export", "--lms", "canvas"]) == 1
    assert _lines(graded.root / "exports/canvas/grades.csv") == [
        "Student,ID,SIS User ID,SIS Login ID,Section,00_mini (4711),Final Points",
        "Points Possible,,,,,5,(read only)",
        '"Brown, Dan",1004,,,,0,0',
        '"Cohen, Cat",1003,,,,0,0',
        '"Fisher, Fay",1006,,,,,0',
        '"Lovelace, Ada",1001,,,,5,5',
        '"Müller, Bob",1002,,,,3.6,3.6',   # (4 + 0.5 by hand) less 20%
        '"Zeller, Eve",,,,,0,0',
    ]
    assert capsys.readouterr().out.splitlines() == [
        "wrote exports/canvas/grades.csv: 6 student(s), 1 assignment(s) and the total",
        "wrote exports/canvas/00_mini_feedback.zip: 4 feedback page(s)",
        "NO LMS ID   eve: no Canvas user id; Canvas matches the row by the name 'Zeller, Eve'",
        "NO FEEDBACK fay 00_mini: none until the held score is released",
    ]


@pytest.mark.slow
def test_canvas_feedback_zip_reuses_the_download_names(graded):
    exported = export(graded, "canvas", ["00_mini"])
    path, pages = exported.feedback["00_mini"]
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["lovelaceada_1001_5001_00_mini.html", "mullerbob_late_1002_5002_00_mini.html",
                                      "cohencat_late_1003_5003_00_mini.html", "browndan_1004_5004_answers.html"]
        assert archive.read("lovelaceada_1001_5001_00_mini.html") == (
            graded.feedback / "ada/00_mini/00_mini.html").read_bytes()
        assert "your submission held no file at all" in archive.read("browndan_1004_5004_answers.html").decode()
    assert pages == 4


@pytest.mark.slow
def test_late_penalties_count_the_points_given_by_hand(graded):
    export(graded, "moodle", ["00_mini"])
    with nbgrader_api.gradebook(graded) as gradebook:
        penalties = {s: gradebook.find_submission("00_mini", s).late_submission_penalty for s in ("ada", "bob", "cat")}
    assert penalties == {"ada": 0.0, "bob": 0.9, "cat": 4.0}


@pytest.mark.slow
def test_moodle_grades_import_file_and_feedback_folders(graded):
    _downloaded(graded, MOODLE_NAMES)
    try:
        exported = export(graded, "moodle", ["00_mini"])
    finally:
        _downloaded(graded, {student: details[5] for student, details in STUDENTS.items()})
    assert _lines(exported.grades) == [
        "First name,Last name,Email address,00_mini,Total",
        "Dan,Brown,dan@example.org,0,0",
        "Cat,Cohen,cat@example.org,0,0",
        "Fay,Fisher,fay@example.org,,0",
        "Ada,Lovelace,ada@example.org,5,5",
        "Bob,Müller,bob@example.org,3.6,3.6",
    ]
    assert exported.unidentified == ["eve: no email address; left out, as Moodle identifies each row by it"]
    with zipfile.ZipFile(exported.feedback["00_mini"][0]) as archive:
        assert archive.namelist() == ["Ada Lovelace_44441_assignsubmission_file_/00_mini.html",
                                      "Bob Müller_44442_assignsubmission_file/00_mini.html",
                                      "Cat Cohen_44443_assignsubmission_file_00_mini.html"]


@pytest.mark.slow
def test_a_download_name_of_another_lms_gets_no_page(graded):
    exported = export(graded, "moodle", ["00_mini"])
    assert exported.feedback["00_mini"][1] == 0
    assert exported.without_feedback[0] == (
        "ada 00_mini: 'lovelaceada_1001_5001_00_mini.ipynb' is not the name of a file in a Moodle download")


@pytest.mark.parametrize("lms, downloaded, member", [
    ("canvas", "leeann_12345_67890_01 fd.ipynb", "leeann_12345_67890_01 fd.html"),
    ("canvas", "leeann_late_12345_67890_01_fd.ipynb", "leeann_late_12345_67890_01_fd.html"),
    ("moodle", "Zoë Dupré_17_assignsubmission_file_/fd.ipynb", "Zoë Dupré_17_assignsubmission_file_/fd.html"),
    ("canvas", "leeann_12345_fd.ipynb", ""),                                # no file id
    ("canvas", "sub/leeann_12345_67890_fd.ipynb", ""),                      # Canvas downloads are flat
    ("moodle", "Zoë Dupré_x17_assignsubmission_file_/fd.ipynb", ""),        # no participant id
    ("moodle", "Zoë Dupré_17_assignsubmission_file_/../../fd.ipynb", ""),
    ("canvas", "/tmp/leeann_12345_67890_fd.ipynb", ""),
])
def test_feedback_takes_the_name_of_the_downloaded_file(lms, downloaded, member):
    name, problem = feedback_member_name(downloaded, lms)
    assert (name, problem) == (member, "" if member else
                               f"{downloaded!r} is not the name of a file in a {lms.title()} download")


def test_a_submission_collected_otherwise_has_no_name_in_the_upload():
    assert feedback_member_name("", "canvas") == (
        "", "not collected from a Canvas download (`gradlab collect` records where each notebook came from)")


def test_exporting_before_grading_is_an_operator_error(released_mini_course, capsys):
    assert main(["--course", str(released_mini_course.root), "export", "--lms", "moodle"]) == 2
    assert capsys.readouterr().err == "gradlab: nothing graded yet: run `gradlab grade` first\n"


@pytest.mark.parametrize("ids, message", [
    ('{"00_mini": "A-4711"}', "c.Gradlab.canvas_assignment_ids holds ids that are not numbers: '00_mini': 'A-4711'"),
    ('{"00_mni": 4711}', "c.Gradlab.canvas_assignment_ids names unknown assignment(s): 00_mni; the course has 00_mini"),
])
def test_a_wrong_canvas_id_is_an_operator_error(mini_course, capsys, ids, message):
    with open(mini_course.root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Gradlab.canvas_assignment_ids = {ids}\n")
    assert main(["--course", str(mini_course.root), "export", "--lms", "canvas"]) == 2
    assert capsys.readouterr().err == f"gradlab: {message}\n"
