"""Exit codes and messages of the command line: 0 all well, 1 some submissions not graded, 2 operator error."""

import pytest

from gradlab import synthetic
from gradlab import notebooks as nbs
from gradlab.cli import _parser, main


def test_no_course_here_is_an_operator_error(tmp_path, capsys):
    assert main(["--course", str(tmp_path), "validate"]) == 2
    assert f"gradlab: {tmp_path} has no nbgrader_config.py" in capsys.readouterr().err


def test_an_unknown_assignment_is_an_operator_error(mini_course, capsys):
    assert main(["--course", str(mini_course.root), "grade", "99_nothing"]) == 2
    assert "gradlab: unknown assignment(s): 99_nothing; the course has 00_mini" in capsys.readouterr().err


def test_a_misspelt_flagged_score_policy_is_an_operator_error(mini_course, capsys):
    with open(mini_course.root / "nbgrader_config.py", "a") as config:
        config.write('\nc.Gradlab.flagged_scores = "hide"\n')
    assert main(["--course", str(mini_course.root), "grade"]) == 2
    assert capsys.readouterr().err == ("gradlab: nbgrader_config.py: c.Gradlab.flagged_scores is 'hide'; "
                                       "it must be one of 'hold', 'record'\n")


def test_an_unknown_command_is_a_usage_error(mini_course):
    with pytest.raises(SystemExit) as exit_info:
        main(["--course", str(mini_course.root), "publish"])
    assert exit_info.value.code == 2


def _released_with_a_perfect_submission(course) -> str:
    """Release the mini course through the command line and submit the reference solution as ``ada``."""
    root = str(course.root)
    assert main(["--course", root, "release"]) == 0
    source = nbs.read(course.source_notebook("00_mini"))
    released = nbs.read(course.release_notebook("00_mini"))
    nbs.write(synthetic.reference_filled(source, released), course.submission("ada", "00_mini") / "00_mini.ipynb")
    return root


@pytest.mark.slow
def test_grade_prints_a_row_per_submission_and_fails_when_one_is_broken(mini_course, capsys):
    root = _released_with_a_perfect_submission(mini_course)
    assert main(["--course", root, "grade"]) == 0
    (mini_course.submission("bob", "00_mini") / "00_mini.ipynb").parent.mkdir(parents=True)
    (mini_course.submission("bob", "00_mini") / "00_mini.ipynb").write_text("{")
    capsys.readouterr()
    assert main(["--course", root, "grade", "00_mini"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["student", "assignment", "score", "status", "reason"]
    assert lines[1].split() == ["ada", "00_mini", "4", "/", "5", "graded", "[awaiting", "grading:", "1]"]
    assert lines[2].split()[:6] == ["bob", "00_mini", "0", "/", "5", "invalid"]
    assert lines[2].endswith("notebook is not valid JSON (line 1, column 2: Expecting property name enclosed in double quotes)")
    assert lines[3] == "2 submission(s): 1 graded, 0 held, 0 missing, 1 invalid, 0 failed; 0 flagged by the tamper audit"


@pytest.mark.slow
def test_demo_grades_its_students_as_expected(mini_course, capsys):
    assert main(["--course", str(mini_course.root), "demo"]) == 0
    out = capsys.readouterr().out
    assert "demo: 4 of 4 submissions graded as expected" in out


def test_grading_refuses_to_run_unsandboxed_without_being_told(mini_course, monkeypatch, capsys):
    monkeypatch.setattr("gradlab.sandbox.host.shutil.which", lambda name: None)
    assert main(["--course", str(mini_course.root), "grade"]) == 2
    err = capsys.readouterr().err
    assert "gradlab: bubblewrap (bwrap) is not installed; on Debian: apt-get install bubblewrap." in err
    assert "unless you pass --no-sandbox" in err


def test_validation_refuses_without_bubblewrap_instead_of_crashing(mini_course, monkeypatch, capsys):
    monkeypatch.setattr("gradlab.sandbox.host.shutil.which", lambda name: None)
    assert main(["--course", str(mini_course.root), "validate"]) == 2
    assert "gradlab: bubblewrap (bwrap) is not installed; on Debian: apt-get install bubblewrap." in capsys.readouterr().err


@pytest.mark.slow
def test_no_sandbox_grades_and_says_so_in_the_output_and_report(mini_course, capsys):
    root = _released_with_a_perfect_submission(mini_course)
    capsys.readouterr()
    assert main(["--course", root, "grade", "--no-sandbox", "--quiet"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "WARNING: grading WITHOUT the sandbox (--no-sandbox): student code runs with your permissions"
    assert out[1] == "1 submission(s): 1 graded, 0 held, 0 missing, 0 invalid, 0 failed; 0 flagged by the tamper audit"
    assert out[2] == ("1 answer(s) in 1 submission(s) await grading by hand in formgrader, then `gradlab refresh`; "
                      "results in autograded/results.csv, grades in autograded/grades.csv, feedback in feedback/, "
                      "reports in reports/; graded WITHOUT the sandbox")
    assert "Graded WITHOUT the sandbox (--no-sandbox)" in (mini_course.root / "reports" / "00_mini.html").read_text()


COMMAND_ARGUMENTS = {"collect": ["download.zip", "00_mini"], "roster": ["import", "roster.csv"], "export": ["--lms", "canvas"]}


@pytest.mark.parametrize("command", sorted(_parser()._subparsers._group_actions[0].choices))
def test_course_works_before_and_after_every_command(tmp_path, mini_course, capsys, command):
    """A folder without nbgrader_config.py, named before or after the command, is the one gradlab looks in;
    after the command, it wins over one named before."""
    arguments = COMMAND_ARGUMENTS.get(command, [])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for argv in (["--course", str(elsewhere), command, *arguments],
                 [command, *arguments, "--course", str(elsewhere)],
                 ["--course", str(mini_course.root), command, "--course", str(elsewhere), *arguments]):
        assert main(argv) == 2
        assert capsys.readouterr().err.startswith(f"gradlab: {elsewhere} has no nbgrader_config.py")
