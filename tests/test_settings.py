"""Course settings: typed, documented options; a misspelt name or a wrong type stops gradlab with a clear error,
and nbgrader reads the same file without a warning."""

import dataclasses
import logging

import pytest
from minicourse import REPO
from nbgrader.apps import NbGrader, NbGraderAPI

from gradlab.course import Course, CourseError
from gradlab.sandbox import Limits
from gradlab.settings import Gradlab, Sandbox

SANDBOX_OPTIONS = ("cell_timeout, file_bytes, memory_bytes, notebook_timeout, output_bytes, processes, scratch_bytes, "
                   "startup_timeout")


def _with(course: Course, line: str) -> Course:
    """The course loaded again with ``line`` appended to its nbgrader_config.py."""
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write(f"\n{line}\n")
    return Course.load(course.root)


@pytest.mark.parametrize("line, message", [
    ("c.Sandbox.cell_timout = 5",
     "nbgrader_config.py: c.Sandbox.cell_timout is not an option (did you mean c.Sandbox.cell_timeout?); "
     f"the options of c.Sandbox are {SANDBOX_OPTIONS}"),
    ('c.Gradlab.flaged_scores = "record"',
     "nbgrader_config.py: c.Gradlab.flaged_scores is not an option (did you mean c.Gradlab.flagged_scores?); "
     "the options of c.Gradlab are assignments, canvas_assignment_ids, due_dates, flagged_scores"),
    ("c.Sandobx.cell_timeout = 5",
     "nbgrader_config.py: c.Sandobx is not a section gradlab reads (did you mean c.Sandbox?)"),
    ('c.GradLab.flagged_scores = "record"',
     "nbgrader_config.py: c.GradLab is not a section gradlab reads (did you mean c.Gradlab?)"),
    ("c.Sandbox.network = True",
     f"nbgrader_config.py: c.Sandbox.network is not an option; the options of c.Sandbox are {SANDBOX_OPTIONS}"),
])
def test_a_misspelt_option_is_named_with_the_valid_ones(mini_course, line, message):
    with pytest.raises(CourseError) as error:
        _with(mini_course, line)
    assert str(error.value) == message


@pytest.mark.parametrize("line, message", [
    ('c.Sandbox.cell_timeout = "30"', "c.Sandbox.cell_timeout is '30'; it must be an int"),
    ("c.Sandbox.processes = 1.5", "c.Sandbox.processes is 1.5; it must be an int"),
    ("c.Sandbox.notebook_timeout = 0", "c.Sandbox.notebook_timeout is 0; it must be an int of at least 1"),
    ('c.Gradlab.flagged_scores = "hide"', "c.Gradlab.flagged_scores is 'hide'; it must be one of 'hold', 'record'"),
    ('c.Gradlab.assignments = ["00_mini", 1]',
     "c.Gradlab.assignments is ['00_mini', 1]; it must be a list whose items are each a unicode string"),
])
def test_a_value_of_the_wrong_type_is_refused(mini_course, line, message):
    with pytest.raises(CourseError) as error:
        _with(mini_course, line)
    assert str(error.value) == f"nbgrader_config.py: {message}"


def test_limits_take_the_sandbox_options_and_the_defaults_for_the_others(mini_course):
    course = _with(mini_course, "c.Sandbox.cell_timeout = 5\nc.Sandbox.processes = 64\nc.Sandbox.memory_bytes = 2.5e9")
    assert Limits.from_config(course.config) == Limits(cell_timeout=5, notebook_timeout=180, memory_bytes=2_500_000_000,
                                                       processes=64, output_bytes=2**20, file_bytes=64 * 2**20,
                                                       startup_timeout=60)


def test_every_limit_is_a_documented_sandbox_option_with_its_default():
    traits = Sandbox.class_traits(config=True)
    assert {name: trait.default_value for name, trait in traits.items()} == dataclasses.asdict(Limits())
    assert all(trait.help for trait in [*traits.values(), *Gradlab.class_traits(config=True).values()])


def test_defaults_when_the_configuration_leaves_options_out(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text('c = get_config()\nc.Gradlab.assignments = ["00_mini"]\n')
    course = Course.load(tmp_path)
    assert course.settings.flagged_scores == "hold" and course.holds_flagged_scores
    assert Limits.from_config(course.config) == Limits()


def test_nbgrader_reads_the_configuration_without_warnings_and_finds_its_exchange(mini_course, monkeypatch, caplog):
    """What formgrader does on opening: nbgrader's app loads nbgrader_config.py, then its API lists the exchange.
    The course's exchange/ folder is in the repository, as a clone has it."""
    assert (REPO / "exchange" / "README.md").is_file()
    (mini_course.root / "exchange").mkdir()
    monkeypatch.chdir(mini_course.root)
    app = NbGrader()
    app.log = logging.getLogger("nbgrader-test")
    with caplog.at_level(logging.DEBUG, logger="nbgrader-test"):
        app.initialize([])
        api = NbGraderAPI(app.coursedir, app.authenticator, parent=app)
    assert api.exchange_root == str(mini_course.root / "exchange")
    assert api.exchange_missing is False
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert "Unwritable directory" not in caplog.text


def test_the_readme_documents_every_option():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for section in (Gradlab, Sandbox):
        for name in section.class_trait_names(config=True):
            assert f"| `c.{section.__name__}.{name}` |" in readme
