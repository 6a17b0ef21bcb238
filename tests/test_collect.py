"""Collecting Canvas and Moodle downloads, built here as their own zips name their members."""

import struct
import zipfile

import pytest

from gradlab import collect as collect_module
from gradlab import nbgrader_api
from gradlab.collect import Collected, Collection, Skipped, collect, read_collected
from gradlab.course import Course, CourseError
from gradlab.grading import ignored_files
from gradlab.lateness import lateness
from nbgrader.utils import parse_utc

NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
MARCH_2 = (2026, 3, 2, 14, 5, 0)  # Paris time, UTC+1 that day


@pytest.fixture
def course(released_mini_course):
    """The mini course with its gradebook, which collect reads and fills."""
    return released_mini_course


def make_zip(path, members):
    """A zip holding ``members``: (name, bytes) pairs, or (ZipInfo, bytes) for crafted entries."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def dated(name, date_time=MARCH_2):
    """A member as Moodle writes it: dated in the server's local time."""
    return zipfile.ZipInfo(name, date_time)


def files_under(root):
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def submitted(course, student):
    return course.root / "submitted" / student / "00_mini" / "00_mini.ipynb"


def timestamp(course, student):
    return (course.root / "submitted" / student / "00_mini" / "timestamp.txt").read_text()


def gradebook_students(course):
    with nbgrader_api.gradebook(course) as gradebook:
        return {s.id: (s.first_name, s.last_name, s.email, s.lms_user_id) for s in gradebook.students}


def canvas(course, student, user_id, name, late=False):
    return Collected(student, submitted(course, student), "Canvas", user_id, name, None, late)


def moodle(course, student, participant, name, submitted_at):
    return Collected(student, submitted(course, student), "Moodle", participant, name, submitted_at)


def test_a_canvas_download_keeps_user_ids_late_markers_and_each_students_latest_file(course, tmp_path):
    archive = make_zip(tmp_path / "submissions.zip", [
        ("smithjohn_12345_67890_00_mini.ipynb", b"first upload"),
        ("smithjohn_12345_67999_00_mini-1.ipynb", b"uploaded again"),
        ("smithjohn_12345_68000_scratch.ipynb", b"not the assignment"),
        ("leeann_late_23456_67891_00_mini.ipynb", NOTEBOOK),
        ("núñezjosé_LATE_34567_67892_00_mini.ipynb", b"accents"),
        ("obrienzoe_45678_67893_notes.txt", b"notes"),
    ])
    assert collect(course, archive, "00_mini") == Collection(
        [canvas(course, "leeann", "23456", "leeann", late=True),
         canvas(course, "nunezjose", "34567", "núñezjosé", late=True),
         canvas(course, "smithjohn", "12345", "smithjohn")],
        [],
        [Skipped("obrienzoe_45678_67893_notes.txt", "not a notebook"),
         Skipped("smithjohn_12345_67890_00_mini.ipynb",
                 "duplicate: another file of the same student was kept: smithjohn_12345_67999_00_mini-1.ipynb"),
         Skipped("smithjohn_12345_68000_scratch.ipynb",
                 "duplicate: another file of the same student was kept: smithjohn_12345_67999_00_mini-1.ipynb")])
    assert submitted(course, "smithjohn").read_bytes() == b"uploaded again"
    assert submitted(course, "nunezjose").read_bytes() == b"accents"
    assert not list(course.submitted.rglob("timestamp.txt"))  # Canvas dates its zip, not the submission
    assert gradebook_students(course) == {"leeann": (None, None, None, "23456"),
                                               "nunezjose": (None, None, None, "34567"),
                                               "smithjohn": (None, None, None, "12345")}
    assert read_collected(course)["leeann", "00_mini"] == {
        "student": "leeann", "assignment": "00_mini", "lms": "Canvas", "lms_user_id": "23456", "lms_name": "leeann",
        "file_id": "67891", "submitted_at": "", "late": "late", "member": "leeann_late_23456_67891_00_mini.ipynb"}
    assert read_collected(course)["smithjohn", "00_mini"]["late"] == ""


def test_a_moodle_download_with_spaces_and_accents_gets_timestamps_and_names(course, tmp_path):
    archive = make_zip(tmp_path / "moodle.zip", [
        (dated("Ann Lee_44444_assignsubmission_file_/"), b""),
        (dated("Ann Lee_44444_assignsubmission_file_/00_mini.ipynb"), b"ann"),
        (dated("José Núñez_55555_assignsubmission_file_/sub/00_mini.ipynb", (2026, 3, 9, 23, 59, 58)), b"jose"),
        (dated("Zoë O'Brien_66666_assignsubmission_file_00_mini.ipynb"), b"zoe"),
        (dated("Ann Lee_44444_assignsubmission_onlinetext_/onlinetext.html"), b"<p>hi</p>"),
    ])
    result = collect(course, archive, "00_mini", "Europe/Paris")
    assert result == Collection(
        [moodle(course, "ann-lee", "44444", "Ann Lee", parse_utc("2026-03-02 13:05:00")),
         moodle(course, "jose-nunez", "55555", "José Núñez", parse_utc("2026-03-09 22:59:58")),
         moodle(course, "zoe-obrien", "66666", "Zoë O'Brien", parse_utc("2026-03-02 13:05:00"))],
        [],
        [Skipped("Ann Lee_44444_assignsubmission_file_/", "not a notebook"),
         Skipped("Ann Lee_44444_assignsubmission_onlinetext_/onlinetext.html", "not a notebook")])
    assert timestamp(course, "ann-lee") == "2026-03-02 13:05:00.000000 UTC\n"
    assert timestamp(course, "jose-nunez") == "2026-03-09 22:59:58.000000 UTC\n"
    assert str(parse_utc(timestamp(course, "jose-nunez").strip())) == "2026-03-09 22:59:58"
    assert submitted(course, "jose-nunez").read_bytes() == b"jose"
    assert gradebook_students(course) == {"ann-lee": ("Ann", "Lee", None, None),
                                               "jose-nunez": ("José", "Núñez", None, None),
                                               "zoe-obrien": ("Zoë", "O'Brien", None, None)}
    assert read_collected(course)["zoe-obrien", "00_mini"] == {
        "student": "zoe-obrien", "assignment": "00_mini", "lms": "Moodle", "lms_user_id": "66666",
        "lms_name": "Zoë O'Brien", "file_id": "", "submitted_at": "2026-03-02T13:05:00Z", "late": "",
        "member": "Zoë O'Brien_66666_assignsubmission_file_00_mini.ipynb"}


def test_grading_reads_the_submission_time_and_does_not_list_timestamp_txt_as_a_submitted_file(course, tmp_path):
    archive = make_zip(tmp_path / "moodle.zip", [
        (dated("Ann Lee_4_assignsubmission_file_/00_mini.ipynb"), NOTEBOOK),
        (dated("Bo Li_5_assignsubmission_file_/00_mini.ipynb"), NOTEBOOK)])
    collect(course, archive, "00_mini", "Europe/Paris")
    (course.submission("bo-li", "00_mini") / "timestamp.txt").write_text("last tuesday\n")
    (course.submission("ann-lee", "00_mini") / "helpers.py").write_text("")
    nbgrader_api.register_assignment(course, "00_mini")
    assert lateness(course, "00_mini", "ann-lee").submitted_at == "2026-03-02T13:05:00Z"
    assert lateness(course, "00_mini", "bo-li").submitted_at == ""
    assert lateness(course, "00_mini", "nobody").submitted_at == ""
    assert ignored_files(course, "00_mini", "ann-lee") == ("helpers.py",)


def test_a_members_extended_timestamp_is_taken_as_utc(course, tmp_path):
    member = dated("Ann Lee_44444_assignsubmission_file_/00_mini.ipynb", (2000, 1, 1, 0, 0, 0))
    member.extra = struct.pack("<HHBi", 0x5455, 5, 1, 1772456700)  # 2026-03-02 13:05:00 UTC
    collect(course, make_zip(tmp_path / "moodle.zip", [(member, b"ann")]), "00_mini", "Europe/Paris")
    assert timestamp(course, "ann-lee") == "2026-03-02 13:05:00.000000 UTC\n"


def test_ids_are_the_same_whatever_the_order_or_content_of_a_download(course, tmp_path):
    first = make_zip(tmp_path / "first.zip", [
        ("smithjohn_12345_1_00_mini.ipynb", b"1"), ("leeann_23456_2_00_mini.ipynb", b"2")])
    second = make_zip(tmp_path / "second.zip", [
        ("newstudent_99999_7_00_mini.ipynb", b"7"), ("leeann_late_23456_6_00_mini.ipynb", b"6"),
        ("smithjohnny_12345_5_00_mini.ipynb", b"5")])  # the same Canvas user, renamed meanwhile
    assert [c.student for c in collect(course, first, "00_mini").collected] == ["leeann", "smithjohn"]
    assert [c.student for c in collect(course, second, "00_mini").collected] == [
        "leeann", "newstudent", "smithjohn"]
    assert submitted(course, "smithjohn").read_bytes() == b"5"
    assert not (course.submitted / "smithjohnny").exists()

    moodle_first = make_zip(tmp_path / "m1.zip", [(dated("José Núñez_1_assignsubmission_file_/00_mini.ipynb"), b"a"),
                                                 (dated("Ann Lee_2_assignsubmission_file_/00_mini.ipynb"), b"b")])
    moodle_second = make_zip(tmp_path / "m2.zip", [(dated("Ann Lee_8_assignsubmission_file_/x.ipynb"), b"c"),
                                                  (dated("José Núñez_9_assignsubmission_file_/y.ipynb"), b"d")])
    assert [c.student for c in collect(course, moodle_first, "00_mini", "UTC").collected] == ["ann-lee", "jose-nunez"]
    again = collect(course, moodle_second, "00_mini", "UTC")  # other participant ids, same people and times
    assert (again.collected, again.kept) == ([], [
        Skipped("Ann Lee_8_assignsubmission_file_/x.ipynb",
                "unchanged: student ann-lee was collected from the same submission before"),
        Skipped("José Núñez_9_assignsubmission_file_/y.ipynb",
                "unchanged: student jose-nunez was collected from the same submission before")])


@pytest.mark.parametrize("members, message", [
    ([("smithjohn_1_10_00_mini.ipynb", b"a"), ("smithjohn_2_11_00_mini.ipynb", b"b")],
     "smithjohn_1_10_00_mini.ipynb and smithjohn_2_11_00_mini.ipynb are two people but would both be student 'smithjohn'"),
    ([(dated("Ann Lee_1_assignsubmission_file_/00_mini.ipynb"), b"a"),
      (dated("Ann Lée_2_assignsubmission_file_/00_mini.ipynb"), b"b")],
     "Ann Lee_1_assignsubmission_file_/00_mini.ipynb and Ann Lée_2_assignsubmission_file_/00_mini.ipynb "
     "are two people but would both be student 'ann-lee'"),
])
def test_two_people_with_one_id_stop_the_collection(course, tmp_path, members, message):
    with pytest.raises(CourseError) as error:
        collect(course, make_zip(tmp_path / "lms.zip", members), "00_mini", "UTC")
    assert str(error.value) == (f"nothing collected: {message}. Give each of them a student id of their own "
                                "in a roster (gradlab roster import)")
    assert not course.submitted.exists()


def test_a_new_person_with_the_id_of_a_known_one_stops_the_collection(course, tmp_path):
    collect(course, make_zip(tmp_path / "a.zip", [("smithjohn_1_10_00_mini.ipynb", b"john 1")]), "00_mini")
    with pytest.raises(CourseError, match=r"smithjohn_2_11_00_mini.ipynb \(Canvas user 2\) would be student "
                                          r"'smithjohn', who is Canvas user 1"):
        collect(course, make_zip(tmp_path / "b.zip", [("smithjohn_2_11_00_mini.ipynb", b"john 2")]), "00_mini")
    assert submitted(course, "smithjohn").read_bytes() == b"john 1"


def test_a_download_replaces_a_submission_only_with_a_newer_one(course, tmp_path):
    def moodle_zip(name, date_time, data):
        return make_zip(tmp_path / name, [(dated("Ann Lee_4_assignsubmission_file_/00_mini.ipynb", date_time), data)])

    collect(course, moodle_zip("a.zip", (2026, 3, 2, 10, 0, 0), b"monday"), "00_mini", "UTC")
    older = collect(course, moodle_zip("b.zip", (2026, 3, 1, 10, 0, 0), b"sunday"), "00_mini", "UTC")
    same = collect(course, moodle_zip("c.zip", (2026, 3, 2, 10, 0, 0), b"monday again"), "00_mini", "UTC")
    assert (older.collected, older.kept) == ([], [Skipped(
        "Ann Lee_4_assignsubmission_file_/00_mini.ipynb",
        "older than the submission of student ann-lee collected before (submitted 2026-03-02 10:00:00 UTC), which is kept")])
    assert (same.collected, same.kept) == ([], [Skipped(
        "Ann Lee_4_assignsubmission_file_/00_mini.ipynb",
        "unchanged: student ann-lee was collected from the same submission before")])
    assert submitted(course, "ann-lee").read_bytes() == b"monday"
    newer = collect(course, moodle_zip("d.zip", (2026, 3, 3, 10, 0, 0), b"tuesday"), "00_mini", "UTC")
    assert [c.student for c in newer.collected] == ["ann-lee"]
    assert (submitted(course, "ann-lee").read_bytes(), timestamp(course, "ann-lee")) == (
        b"tuesday", "2026-03-03 10:00:00.000000 UTC\n")

    collect(course, make_zip(tmp_path / "e.zip", [("leeann_7_500_00_mini.ipynb", b"file 500")]), "00_mini")
    earlier = collect(course, make_zip(tmp_path / "f.zip", [("leeann_7_499_00_mini.ipynb", b"file 499")]), "00_mini")
    assert earlier.kept == [Skipped("leeann_7_499_00_mini.ipynb", "older than the submission of student leeann "
                                                                  "collected before (Canvas file 500), which is kept")]
    later = collect(course, make_zip(tmp_path / "g.zip", [("leeann_late_7_501_00_mini.ipynb", b"file 501")]), "00_mini")
    assert later.collected == [canvas(course, "leeann", "7", "leeann", late=True)]
    assert submitted(course, "leeann").read_bytes() == b"file 501"


def test_canvas_and_moodle_names_in_one_download_are_an_error(course, tmp_path):
    archive = make_zip(tmp_path / "lms.zip", [("smithjohn_1_10_00_mini.ipynb", b"a"),
                                              ("Ann Lee_2_assignsubmission_file_/00_mini.ipynb", b"b")])
    with pytest.raises(CourseError, match="lms.zip mixes Canvas and Moodle file names"):
        collect(course, archive, "00_mini")


def test_a_name_without_latin_letters_needs_the_roster(course, tmp_path):
    archive = make_zip(tmp_path / "lms.zip", [(dated("李雷_3_assignsubmission_file_/00_mini.ipynb"), b"a")])
    assert collect(course, archive, "00_mini", "UTC").skipped == [Skipped(
        "李雷_3_assignsubmission_file_/00_mini.ipynb",
        "no student id can be made of the name '李雷': add the student to the roster (gradlab roster import)")]


def test_an_unknown_time_zone_is_an_error(course, tmp_path):
    with pytest.raises(CourseError, match="unknown time zone 'Mars/Olympus'"):
        collect(course, make_zip(tmp_path / "lms.zip", []), "00_mini", "Mars/Olympus")


def test_unsafe_members_are_skipped_and_nothing_is_written_outside_submitted(course, tmp_path):
    symlink = zipfile.ZipInfo("eve_1_2_link.ipynb")
    symlink.external_attr = 0o120777 << 16
    archive = make_zip(tmp_path / "lms.zip", [
        ("../../evil.ipynb", NOTEBOOK),
        ("/tmp/evil_1_2_x.ipynb", NOTEBOOK),
        ("a/../../b_1_2_x.ipynb", NOTEBOOK),
        ("..\\evil_1_2_x.ipynb", NOTEBOOK),
        ("bob_1_assignsubmission_file_\\..\\..\\evil.ipynb", NOTEBOOK),
        ("C:\\evil_1_2_x.ipynb", NOTEBOOK),
        (symlink, "/etc/passwd"),
        (".._7_8_x.ipynb", NOTEBOOK),
        ("-rf_5_6_x.ipynb", NOTEBOOK),
        ("bob_1_2_hw.ipynb", NOTEBOOK),
    ])
    before = files_under(tmp_path)
    result = collect(course, archive, "00_mini")
    assert (result.collected, result.skipped) == ([canvas(course, "bob", "1", "bob"),
                                                   canvas(course, "rf", "5", "-rf")], [
        Skipped("../../evil.ipynb", "unsafe path (leaves the archive)"),
        Skipped("..\\evil_1_2_x.ipynb", "unsafe path (leaves the archive)"),
        Skipped(".._7_8_x.ipynb", "no student id can be made of the name '..': add the student to the roster "
                                  "(gradlab roster import)"),
        Skipped("/tmp/evil_1_2_x.ipynb", "unsafe path (leaves the archive)"),
        Skipped("C:\\evil_1_2_x.ipynb", "unsafe path (leaves the archive)"),
        Skipped("a/../../b_1_2_x.ipynb", "unsafe path (leaves the archive)"),
        Skipped("bob_1_assignsubmission_file_\\..\\..\\evil.ipynb", "unsafe path (leaves the archive)"),
        Skipped("eve_1_2_link.ipynb", "symbolic link")])
    assert files_under(tmp_path) - before == {"course/submitted/bob/00_mini/00_mini.ipynb",
                                              "course/submitted/rf/00_mini/00_mini.ipynb",
                                              "course/submitted/collected.csv"}
    assert not any(p.is_symlink() for p in tmp_path.rglob("*"))


def with_pattern(course, pattern) -> Course:
    with (course.root / "nbgrader_config.py").open("a") as config:
        config.write(f"c.FileNameCollectorPlugin.named_regexp = {pattern!r}\n")
    return Course.load(course.root)


def test_a_configured_pattern_wins_and_its_latest_timestamp_is_kept(course, tmp_path):
    course = with_pattern(course, r".*_(?P<student_id>[\w.-]+)_attempt_(?P<timestamp>[0-9\-]+)_(?P<file_id>\w+)")
    archive = make_zip(tmp_path / "lms.zip", [
        ("ps1_bitdiddle_attempt_2016-01-30-15-00-00_problem1.ipynb", b"late"),
        ("ps1_bitdiddle_attempt_2016-01-29-15-00-00_problem1.ipynb", b"early"),
        ("ps1_hacker_attempt_2016-13-45-00-00-00_problem1.ipynb", b"bad date"),
        ("ps1_-rf_attempt_2016-01-29-15-00-00_problem1.ipynb", b"unsafe"),
        ("jsmith_12345_67890_01_finite_differences.ipynb", NOTEBOOK),
    ])
    assert collect(course, archive, "00_mini") == Collection(
        [Collected("bitdiddle", submitted(course, "bitdiddle"), submitted_at=parse_utc("2016-01-30 15:00:00"))], [], [
            Skipped("jsmith_12345_67890_01_finite_differences.ipynb", "name does not match the pattern"),
            Skipped("ps1_-rf_attempt_2016-01-29-15-00-00_problem1.ipynb", "student id '-rf' is not a safe folder name"),
            Skipped("ps1_bitdiddle_attempt_2016-01-29-15-00-00_problem1.ipynb",
                    "duplicate: another file of the same student was kept: "
                    "ps1_bitdiddle_attempt_2016-01-30-15-00-00_problem1.ipynb"),
            Skipped("ps1_hacker_attempt_2016-13-45-00-00-00_problem1.ipynb",
                    "timestamp '2016-13-45-00-00-00' is not a date")])
    assert submitted(course, "bitdiddle").read_bytes() == b"late"
    assert timestamp(course, "bitdiddle") == "2016-01-30 15:00:00.000000 UTC\n"


def test_a_configured_pattern_needs_a_student_id_group(course, tmp_path):
    archive = make_zip(tmp_path / "lms.zip", [("a_b_c.ipynb", NOTEBOOK)])
    with pytest.raises(CourseError, match=r"named_regexp has no \(\?P<student_id>\.\.\.\) group"):
        collect(with_pattern(course, r"(?P<file_id>.*)"), archive, "00_mini")


def test_oversized_members_are_skipped_without_being_read_past_the_limit(course, tmp_path, monkeypatch):
    monkeypatch.setattr(collect_module, "MAX_NOTEBOOK_BYTES", 100)
    archive = make_zip(tmp_path / "lms.zip", [("big_1_1_hw.ipynb", b"x" * 101), ("bomb_2_2_hw.ipynb", b"0" * 2**20),
                                              ("ok_3_3_hw.ipynb", b"y" * 100)])
    raw = archive.read_bytes()  # the bomb's central directory entry now claims 50 bytes instead of 1 MiB
    entry = raw.index(b"PK\x01\x02", raw.index(b"PK\x01\x02") + 1)
    archive.write_bytes(raw[:entry + 24] + (50).to_bytes(4, "little") + raw[entry + 28:])
    with zipfile.ZipFile(archive) as patched:
        assert patched.getinfo("bomb_2_2_hw.ipynb").file_size == 50
    result = collect(course, archive, "00_mini")
    assert (result.collected, result.skipped) == ([canvas(course, "ok", "3", "ok")], [
        Skipped("big_1_1_hw.ipynb", "larger than 100 bytes"),
        Skipped("bomb_2_2_hw.ipynb", "unreadable: Bad CRC-32 for file 'bomb_2_2_hw.ipynb'")])
    assert submitted(course, "ok").read_bytes() == b"y" * 100
    assert not submitted(course, "bomb").exists()


def test_a_missing_or_non_zip_archive_or_an_unknown_assignment_is_an_error(course, tmp_path):
    with pytest.raises(CourseError, match="missing.zip: no such file"):
        collect(course, tmp_path / "missing.zip", "00_mini")
    (tmp_path / "lms.zip").write_text("not a zip")
    with pytest.raises(CourseError, match="lms.zip is not a zip archive"):
        collect(course, tmp_path / "lms.zip", "00_mini")
    make_zip(tmp_path / "lms.zip", [("jsmith_1_1_hw.ipynb", NOTEBOOK)])
    with pytest.raises(CourseError, match="unknown assignment"):
        collect(course, tmp_path / "lms.zip", "99_nope")
    assert not course.submitted.exists()
