import re
import zipfile

import pytest

from gradlab import collect as collect_module
from gradlab.collect import DEFAULT_PATTERN, Collected, Skipped, collect
from gradlab.course import Course, CourseError

NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'


def make_zip(path, members):
    """A zip holding ``members``: (name, bytes) pairs, or (ZipInfo, bytes) for crafted entries."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def files_under(root):
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def submitted(course, student):
    return course.root / "submitted" / student / "00_mini" / "00_mini.ipynb"


@pytest.mark.parametrize("name, student, file_id", [
    ("jsmith_12345_01_finite_differences.ipynb", "jsmith", "01_finite_differences.ipynb"),
    ("jsmith_12345_assignsubmission_file_/01_finite_differences.ipynb", "jsmith", "01_finite_differences.ipynb"),
    ("jsmith_late_12345_67890_hw.ipynb", "jsmith", "12345_67890_hw.ipynb"),
    ("j.smith-2_12345/hw.ipynb", "j.smith-2", "hw.ipynb"),
    ("Jane Smith_12345_assignsubmission_file_/hw.ipynb", "Jane Smith", "hw.ipynb"),
])
def test_default_pattern_reads_the_student_from_flat_and_folder_names(name, student, file_id):
    match = re.match(DEFAULT_PATTERN, name)
    assert (match["student_id"], match["file_id"]) == (student, file_id)


@pytest.mark.parametrize("name", ["hw.ipynb", "jsmith_hw.ipynb", "downloads/jsmith_12345_hw.ipynb",
                                  "jsmith_12345_file_/sub/hw.ipynb", "jsmith_12345_hw.ipynb.txt"])
def test_default_pattern_rejects_other_names(name):
    assert re.match(DEFAULT_PATTERN, name) is None


def test_collects_flat_and_folder_submissions_and_skips_the_rest(mini_course, tmp_path):
    archive = make_zip(tmp_path / "lms.zip", [
        ("jsmith_12345_01_finite_differences.ipynb", NOTEBOOK),
        ("adoe_67890_assignsubmission_file_/", b""),
        ("adoe_67890_assignsubmission_file_/01_finite_differences.ipynb", b"not even json"),
        ("adoe_67890_assignsubmission_file_/notes.txt", b"notes"),
        ("__MACOSX/adoe_67890_assignsubmission_file_/._01_finite_differences.ipynb", b"\0"),
        ("hw.ipynb", NOTEBOOK),
    ])
    assert collect(mini_course, archive, "00_mini") == (
        [Collected("adoe", submitted(mini_course, "adoe")), Collected("jsmith", submitted(mini_course, "jsmith"))],
        [Skipped("__MACOSX/adoe_67890_assignsubmission_file_/._01_finite_differences.ipynb", "not a notebook"),
         Skipped("adoe_67890_assignsubmission_file_/", "not a notebook"),
         Skipped("adoe_67890_assignsubmission_file_/notes.txt", "not a notebook"),
         Skipped("hw.ipynb", "name does not match the pattern")])
    assert submitted(mini_course, "jsmith").read_bytes() == NOTEBOOK
    assert submitted(mini_course, "adoe").read_bytes() == b"not even json"


def test_unsafe_members_are_skipped_and_nothing_is_written_outside_submitted(mini_course, tmp_path):
    symlink = zipfile.ZipInfo("eve_1_link.ipynb")
    symlink.external_attr = 0o120777 << 16
    archive = make_zip(tmp_path / "lms.zip", [
        ("../../evil.ipynb", NOTEBOOK),
        ("/tmp/evil_1_x.ipynb", NOTEBOOK),
        ("a/../../b_1_x.ipynb", NOTEBOOK),
        ("..\\evil_1_x.ipynb", NOTEBOOK),
        ("bob_1_file_\\..\\..\\evil.ipynb", NOTEBOOK),
        ("C:\\evil_1_x.ipynb", NOTEBOOK),
        (symlink, "/etc/passwd"),
        (".._1_x.ipynb", NOTEBOOK),
        ("-rf_1_x.ipynb", NOTEBOOK),
        ("bob_1_file_\\hw.ipynb", NOTEBOOK),
    ])
    assert collect(mini_course, archive, "00_mini") == ([Collected("bob", submitted(mini_course, "bob"))], [
        Skipped("-rf_1_x.ipynb", "student id '-rf' is not a safe folder name"),
        Skipped("../../evil.ipynb", "unsafe path (leaves the archive)"),
        Skipped("..\\evil_1_x.ipynb", "unsafe path (leaves the archive)"),
        Skipped(".._1_x.ipynb", "student id '..' is not a safe folder name"),
        Skipped("/tmp/evil_1_x.ipynb", "unsafe path (leaves the archive)"),
        Skipped("C:\\evil_1_x.ipynb", "unsafe path (leaves the archive)"),
        Skipped("a/../../b_1_x.ipynb", "unsafe path (leaves the archive)"),
        Skipped("bob_1_file_\\..\\..\\evil.ipynb", "unsafe path (leaves the archive)"),
        Skipped("eve_1_link.ipynb", "symbolic link")])
    assert files_under(tmp_path) == {"lms.zip", "nbgrader_config.py", "source/00_mini/00_mini.ipynb",
                                     "submitted/bob/00_mini/00_mini.ipynb"}
    assert not any(p.is_symlink() for p in tmp_path.rglob("*"))


def test_keeps_the_last_of_a_students_notebooks_and_replaces_an_earlier_collection(mini_course, tmp_path):
    submitted(mini_course, "jsmith").parent.mkdir(parents=True)
    submitted(mini_course, "jsmith").write_bytes(b"collected yesterday")
    archive = make_zip(tmp_path / "lms.zip", [
        ("jsmith_1_first.ipynb", b"first"),
        ("jsmith_1_file_/second.ipynb", b"second"),
        ("jsmith_2_third.ipynb", b"third"),
    ])
    assert collect(mini_course, archive, "00_mini") == ([Collected("jsmith", submitted(mini_course, "jsmith"))], [
        Skipped("jsmith_1_file_/second.ipynb", "duplicate: a later file of student jsmith was kept: jsmith_2_third.ipynb"),
        Skipped("jsmith_1_first.ipynb", "duplicate: a later file of student jsmith was kept: jsmith_2_third.ipynb")])
    assert submitted(mini_course, "jsmith").read_bytes() == b"third"


def with_pattern(course, pattern) -> Course:
    with (course.root / "nbgrader_config.py").open("a") as config:
        config.write(f"c.FileNameCollectorPlugin.named_regexp = {pattern!r}\n")
    return Course.load(course.root)


def test_a_configured_pattern_wins_and_its_latest_timestamp_is_kept(mini_course, tmp_path):
    course = with_pattern(mini_course, r".*_(?P<student_id>\w+)_attempt_(?P<timestamp>[0-9\-]+)_(?P<file_id>\w+)")
    archive = make_zip(tmp_path / "lms.zip", [
        ("ps1_bitdiddle_attempt_2016-01-30-15-00-00_problem1.ipynb", b"late"),
        ("ps1_bitdiddle_attempt_2016-01-29-15-00-00_problem1.ipynb", b"early"),
        ("ps1_hacker_attempt_2016-13-45-00-00-00_problem1.ipynb", b"bad date"),
        ("jsmith_12345_01_finite_differences.ipynb", NOTEBOOK),
    ])
    assert collect(course, archive, "00_mini") == ([Collected("bitdiddle", submitted(course, "bitdiddle"))], [
        Skipped("jsmith_12345_01_finite_differences.ipynb", "name does not match the pattern"),
        Skipped("ps1_bitdiddle_attempt_2016-01-29-15-00-00_problem1.ipynb",
                "duplicate: a later file of student bitdiddle was kept: "
                "ps1_bitdiddle_attempt_2016-01-30-15-00-00_problem1.ipynb"),
        Skipped("ps1_hacker_attempt_2016-13-45-00-00-00_problem1.ipynb",
                "timestamp '2016-13-45-00-00-00' is not a date")])
    assert submitted(course, "bitdiddle").read_bytes() == b"late"


def test_a_configured_pattern_needs_a_student_id_group(mini_course, tmp_path):
    archive = make_zip(tmp_path / "lms.zip", [("a_b_c.ipynb", NOTEBOOK)])
    with pytest.raises(CourseError, match=r"named_regexp has no \(\?P<student_id>\.\.\.\) group"):
        collect(with_pattern(mini_course, r"(?P<file_id>.*)"), archive, "00_mini")


def test_oversized_members_are_skipped_without_being_read_past_the_limit(mini_course, tmp_path, monkeypatch):
    monkeypatch.setattr(collect_module, "MAX_NOTEBOOK_BYTES", 100)
    archive = make_zip(tmp_path / "lms.zip", [("big_1_hw.ipynb", b"x" * 101), ("bomb_1_hw.ipynb", b"0" * 2**20),
                                              ("ok_1_hw.ipynb", b"y" * 100)])
    raw = archive.read_bytes()  # the bomb's central directory entry now claims 50 bytes instead of 1 MiB
    entry = raw.index(b"PK\x01\x02", raw.index(b"PK\x01\x02") + 1)
    archive.write_bytes(raw[:entry + 24] + (50).to_bytes(4, "little") + raw[entry + 28:])
    with zipfile.ZipFile(archive) as patched:
        assert patched.getinfo("bomb_1_hw.ipynb").file_size == 50
    assert collect(mini_course, archive, "00_mini") == ([Collected("ok", submitted(mini_course, "ok"))], [
        Skipped("big_1_hw.ipynb", "larger than 100 bytes"),
        Skipped("bomb_1_hw.ipynb", "unreadable: Bad CRC-32 for file 'bomb_1_hw.ipynb'")])
    assert submitted(mini_course, "ok").read_bytes() == b"y" * 100
    assert not submitted(mini_course, "bomb").exists()


def test_a_missing_or_non_zip_archive_or_an_unknown_assignment_is_an_error(mini_course, tmp_path):
    with pytest.raises(CourseError, match="missing.zip: no such file"):
        collect(mini_course, tmp_path / "missing.zip", "00_mini")
    (tmp_path / "lms.zip").write_text("not a zip")
    with pytest.raises(CourseError, match="lms.zip is not a zip archive"):
        collect(mini_course, tmp_path / "lms.zip", "00_mini")
    make_zip(tmp_path / "lms.zip", [("jsmith_1_hw.ipynb", NOTEBOOK)])
    with pytest.raises(CourseError, match="unknown assignment"):
        collect(mini_course, tmp_path / "lms.zip", "99_nope")
    assert not (tmp_path / "submitted").exists()
