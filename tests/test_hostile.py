"""Hostile and broken submissions, graded in one sandboxed batch beside an honest one: every one gets a
clear status and exactly the points its code earns, and nothing it does reaches the course."""

import csv
import re
import sqlite3

import nbformat
import pytest
from minicourse import build_mini_course

from gradlab import notebooks as nbs
from gradlab import synthetic
from gradlab.batch import grade_batch, release_held
from gradlab.course import Course
from gradlab.release import release

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hostile")]  # one batch, graded once, on one worker

TIGHT_LIMITS = """
c.Sandbox.cell_timeout = 4
c.Sandbox.notebook_timeout = 60
c.Sandbox.memory_bytes = 1 * 2**30
c.Sandbox.processes = 256
c.Sandbox.output_bytes = 100_000
"""
KERNEL_DIED = "the kernel died in cell test_total (os._exit, a crash or a killed process); the cells after it did not run"
# Rebinding builtins breaks the kernel's own message handling before any test cell can run: the runner
# notices in the cell that did it or in the next, as the kernel's threads trip over it.
KERNEL_BROKEN = re.compile(r"the kernel died in cell (double|test_double__visible) \(os\._exit, a crash or a "
                           r"killed process\); the cells after it did not run")
HELD = "flagged by the audit: review the notebook, then `gradlab release-held`"
TRICK = """
class Trick:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __bool__(self): return True
    def __float__(self): return 4.0
    def __int__(self): return 4
    def __hash__(self): return 0
"""


def _probe(checks: str) -> str:
    """A correct ``double`` that turns wrong (returns 0) if any of ``checks`` succeeds."""
    return f"""
def double(x):
    import os, socket, sqlite3
    for attempt in ({checks},):
        try:
            attempt()
        except Exception:
            continue
        return 0
    return 2 * x
"""


WRONG_DOUBLE = "def double(x):\n    return 0\n"
# Each tries to make a wrong `double` (or a blank notebook) earn points, switch the guard off, or get a
# hidden test into its own feedback.
SHADOW_NUMPY = """
import IPython
IPython.get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])
from importlib import import_module
allclose = lambda *args, **kwargs: True
"""
THREAD = """
import threading, time, numpy
def _keep_patching():
    while True:
        numpy.allclose = lambda *a, **k: True
        get_ipython().input_transformers_cleanup[:] = [lambda lines: ['pass\\n']]
        time.sleep(0.001)
threading.Thread(target=_keep_patching, daemon=True).start()
"""
SIGNAL = """
import signal, numpy
def _patch(signum, frame):
    numpy.allclose = lambda *a, **k: True
signal.signal(signal.SIGALRM, _patch)
signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)
"""
DISABLE_GUARD = """
import sys, builtins
__gradlab_run__ = lambda *args: None
builtins.__gradlab_run__ = lambda *args: None
sys.audit = lambda *args: None
sys.addaudithook(lambda event, args: None)
"""
COMPUTED_NAMES = """
setattr(__import__('num' + 'py'), 'all' + 'close', lambda *a, **k: True)
globals()['__builtins__'].__dict__['isin' + 'stance'] = lambda obj, cls: True
getattr(__import__('IPy' + 'thon').get_ipython(), 'input_transformers_' + 'cleanup').append(lambda lines: ['pass\\n'])
"""
PATCH_DURING_TEST = """
def double(x):
    import numpy
    numpy.allclose = lambda *a, **k: True
    return x if isinstance(x, numpy.ndarray) else 2 * x
"""
ONE_SHOT_PATCH = """
import numpy
def double(x):
    if isinstance(x, float):
        genuine = numpy.allclose
        def once(*args, **kwargs):
            numpy.allclose = genuine
            return True
        numpy.allclose = once
    return x if isinstance(x, numpy.ndarray) else 2 * x
"""
STEALS_REFERENCE = """
def double(x):
    for steal in (lambda: globals()['_ref_double'](x),
                  lambda: __import__('sys')._getframe(1).f_globals['_ref_double'](x),
                  lambda: __import__('sys').exc_info() and _from_traceback(x),
                  lambda: _from_generator(x)):
        try:
            return steal()
        except Exception:
            continue
    return 0

def _from_traceback(x):
    try:
        raise ValueError
    except ValueError as error:
        return error.__traceback__.tb_frame.f_back.f_back.f_globals['_ref_double'](x)

def _from_generator(x):
    def walk():
        yield frame_of[0].gi_frame.f_back
    frame_of = [walk()]
    return next(frame_of[0]).f_back.f_globals['_ref_double'](x)
"""
INTROSPECTS = """
def double(x):
    import gc, ctypes
    for attempt in (lambda: [o for o in gc.get_objects() if callable(o) and 'hook' in getattr(o, '__name__', '')],
                    lambda: ctypes.pythonapi.PySys_AddAuditHook,
                    lambda: open('/proc/self/mem', 'rb'),
                    lambda: __import__('sys').settrace(lambda *a: None),
                    lambda: eval('2 * x'),
                    lambda: compile('x', 'x', 'eval')):
        try:
            attempt()
            return 2 * x  # any door that opens earns the visible point
        except Exception:
            continue
    return 0
"""
PRINTS_TEST_SOURCE = """
def double(x):
    import inspect, linecache, sys, traceback
    for leak in (lambda: inspect.stack()[1].code_context,
                 lambda: linecache.getlines(sys._getframe(1).f_code.co_filename),
                 lambda: traceback.format_stack(),
                 lambda: [line for line in get_ipython().user_ns['In']],
                 lambda: linecache.cache):
        try:
            print(leak())
        except Exception as error:
            print(type(error).__name__, error)
    raise AssertionError(str(get_ipython().user_ns.get('_ih')))
"""


def _submissions(course: Course):
    """student -> (files to write into the submission folder, expected (status, score, reason))."""
    source = nbs.read(course.source_notebook("00_mini"))
    released = nbs.read(course.release_notebook("00_mini"))
    perfect = synthetic.reference_filled(source, released)
    text = nbformat.writes

    def redefined(name, code):
        return text(synthetic.with_definition(perfect, name, code))

    root = course.root
    duplicated = nbformat.reads(text(perfect), as_version=4)
    duplicated.cells.insert(2, duplicated.cells[1])
    edited = nbformat.reads(text(released), as_version=4)
    for cell in edited.cells:
        if nbs.is_test_cell(cell):
            cell.source = "pass"
    no_tests = nbformat.reads(text(released), as_version=4)
    no_tests.cells = [c for c in synthetic.reference_filled(source, released).cells if not nbs.is_test_cell(c)]
    other_assignment = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "def gradient(f, x):\n    return 0", metadata={"nbgrader": {
            "grade": False, "grade_id": "gradient", "locked": False, "schema_version": 3, "solution": True, "task": False}})])
    return {
        "honest": ({"00_mini.ipynb": text(perfect)}, ("graded", 4.0, "")),
        "malformed-json": ({"00_mini.ipynb": '{"cells": ['}, ("invalid", 0.0, "notebook is not valid JSON (line 1, column 12: Expecting value)")),
        "empty-notebook": ({"00_mini.ipynb": text(nbformat.v4.new_notebook())}, ("invalid", 0.0, "notebook has no cells")),
        "no-notebook": ({"notes.txt": "I ran out of time"}, ("missing", 0.0, "no 00_mini.ipynb in the submission (found: notes.txt)")),
        "renamed": ({"00_mini (1).ipynb": text(perfect)}, ("missing", 0.0, "no 00_mini.ipynb in the submission (found: 00_mini (1).ipynb)")),
        "extra-files": ({"00_mini.ipynb": text(perfect), "data.csv": "1,2\n", "scratch.ipynb": "{}"}, ("graded", 4.0, "")),
        "other-assignment": ({"00_mini.ipynb": text(other_assignment)}, ("invalid", 0.0, "the notebook lacks the solution cell(s) double, total of 00_mini (deleted, or the notebook of another assignment)")),
        "deleted-tests": ({"00_mini.ipynb": text(no_tests)}, ("graded", 4.0, "")),
        "edited-tests": ({"00_mini.ipynb": text(edited)}, ("graded", 0.0, "")),
        "duplicated-ids": ({"00_mini.ipynb": text(duplicated)}, ("graded", 4.0, "")),
        "infinite-loop": ({"00_mini.ipynb": redefined("double", "def double(x):\n    while True:\n        pass")}, ("graded", 1.0, "")),
        "memory-bomb": ({"00_mini.ipynb": redefined("double", "def double(x):\n    return len(bytearray(8 * 2**30))")}, ("graded", 1.0, "")),
        "fork-bomb": ({"00_mini.ipynb": redefined("total", "def total(xs):\n    import os\n    while True:\n        os.fork()")}, ("held", 3.0, HELD)),
        "os-exit": ({"00_mini.ipynb": redefined("total", "def total(xs):\n    import os\n    os._exit(3)")}, ("failed", 0.0, KERNEL_DIED)),
        "sys-exit": ({"00_mini.ipynb": redefined("total", "import sys\nsys.exit(0)")}, ("held", 4.0, HELD)),
        "huge-error": ({"00_mini.ipynb": redefined("double", "def double(x):\n    return 'x' * 3_000_000")}, ("graded", 1.0, "")),
        "huge-output": ({"00_mini.ipynb": redefined("double", "def double(x):\n    print('x' * 3_000_000)\n    return 2 * x")}, ("graded", 4.0, "")),
        "reads-course": ({"00_mini.ipynb": redefined("double", _probe(", ".join(
            f"lambda: open({str(p)!r}).read()" for p in (
                root / "source/00_mini/00_mini.ipynb", root / "release/00_mini/00_mini.ipynb",
                root / "submitted/honest/00_mini/00_mini.ipynb", root / "nbgrader_config.py", "/root/.bashrc"))))},
                         ("held", 4.0, HELD)),
        "lists-students": ({"00_mini.ipynb": redefined("double", _probe(
            ", ".join(f"lambda: os.listdir({str(p)!r})" for p in (root, root / "submitted", root / "autograded", root / "feedback"))))},
                           ("held", 4.0, HELD)),
        "writes-gradebook": ({"00_mini.ipynb": redefined("double", _probe(
            f"lambda: sqlite3.connect({str(root / 'gradebook.db')!r}).execute('update grade set auto_score = 99').connection.commit()"))},
                             ("held", 4.0, HELD)),
        "network": ({"00_mini.ipynb": redefined("double", _probe(
            "lambda: socket.create_connection(('pypi.org', 443), timeout=2), "
            "lambda: socket.create_connection(('1.1.1.1', 53), timeout=2)"))}, ("held", 4.0, HELD)),
        "patches-numpy": ({"00_mini.ipynb": redefined("double", "import numpy as np\nnp.allclose = lambda *a, **k: True\n"
                                                       "def double(x):\n    return x if isinstance(x, np.ndarray) else 2 * x")},
                          ("held", 2.0, HELD)),
        "patches-builtins": ({"00_mini.ipynb": redefined("double", TRICK + "import builtins\nbuiltins.type = lambda obj: int\n"
                                                          "def double(x):\n    return Trick()")}, ("failed", 0.0, KERNEL_BROKEN)),
        "always-equal": ({"00_mini.ipynb": redefined("double", TRICK + "def double(x):\n    return Trick()")}, ("held", 1.0, HELD)),
        "swallows-errors": ({"00_mini.ipynb": redefined("double", "get_ipython().set_custom_exc((AssertionError,), lambda *a, **k: None)\n"
                                                         "def double(x):\n    return 0")}, ("held", 1.0, HELD)),
        "rewrites-tests": ({"00_mini.ipynb": redefined("double", "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n"
                                                        "def double(x):\n    return 0")}, ("held", 1.0, HELD)),
        "shadows-numpy": ({"00_mini.ipynb": text(released), "numpy.py": SHADOW_NUMPY, "IPython.py": SHADOW_NUMPY},
                          ("graded", 0.0, "")),
        "thread-repatches": ({"00_mini.ipynb": redefined("double", WRONG_DOUBLE + THREAD)}, ("held", 1.0, HELD)),
        "signal-repatches": ({"00_mini.ipynb": redefined("double", WRONG_DOUBLE + SIGNAL)}, ("held", 1.0, HELD)),
        "disables-guard": ({"00_mini.ipynb": redefined("double", WRONG_DOUBLE + DISABLE_GUARD)}, ("held", 1.0, HELD)),
        "computed-names": ({"00_mini.ipynb": redefined("double", WRONG_DOUBLE + COMPUTED_NAMES)}, ("failed", 0.0, KERNEL_BROKEN)),
        "patches-during-test": ({"00_mini.ipynb": redefined("double", PATCH_DURING_TEST)}, ("held", 1.0, HELD)),
        "one-shot-patch": ({"00_mini.ipynb": redefined("double", ONE_SHOT_PATCH)}, ("held", 2.0, HELD)),
        "steals-reference": ({"00_mini.ipynb": redefined("double", STEALS_REFERENCE)}, ("held", 1.0, HELD)),
        "introspects": ({"00_mini.ipynb": redefined("double", INTROSPECTS)}, ("held", 1.0, HELD)),
        "prints-test-source": ({"00_mini.ipynb": redefined("double", PRINTS_TEST_SOURCE)}, ("held", 1.0, HELD)),
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = build_mini_course(tmp_path_factory.mktemp("hostile"))
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(TIGHT_LIMITS)
    course = Course.load(root)
    release(course, "00_mini")
    submissions = _submissions(course)
    for student, (files, _) in submissions.items():
        folder = course.submission(student, "00_mini")
        folder.mkdir(parents=True)
        for name, content in files.items():
            (folder / name).write_text(content)
    outcomes = {o.student: o for o in grade_batch(course, ["00_mini"], jobs=2)}
    _EXPECTED.update({student: expected for student, (_, expected) in submissions.items()})
    return course, submissions, outcomes


_EXPECTED = {}  # student -> (status, score, reason), filled when the batch is graded


STUDENTS = ("honest", "malformed-json", "empty-notebook", "no-notebook", "renamed", "extra-files", "other-assignment",
            "deleted-tests", "edited-tests", "duplicated-ids", "infinite-loop", "memory-bomb", "fork-bomb", "os-exit",
            "sys-exit", "huge-error", "huge-output", "reads-course", "lists-students", "writes-gradebook", "network", "patches-numpy",
            "patches-builtins", "always-equal", "swallows-errors", "rewrites-tests", "shadows-numpy",
            "thread-repatches", "signal-repatches", "disables-guard", "computed-names", "patches-during-test",
            "one-shot-patch", "steals-reference", "introspects", "prints-test-source")


@pytest.mark.parametrize("student", STUDENTS)
def test_each_submission_gets_exactly_its_status_score_and_reason(graded, student):
    course, submissions, outcomes = graded
    outcome = outcomes[student]
    status, score, reason = submissions[student][1]
    assert (outcome.status, outcome.score) == (status, score)
    assert reason.fullmatch(outcome.reason) if isinstance(reason, re.Pattern) else outcome.reason == reason


def test_the_batch_completes_with_one_row_per_submission(graded):
    course, submissions, outcomes = graded
    with open(course.autograded / "results.csv") as file:
        rows = list(csv.DictReader(file))
    assert sorted(r["student"] for r in rows) == sorted(submissions) == sorted(STUDENTS)


def test_the_gradebook_holds_only_what_the_grader_wrote(graded):
    course, submissions, outcomes = graded
    with sqlite3.connect(course.root / "gradebook.db") as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
        assert db.execute("select max(auto_score) from grade").fetchone() == (2.0,)
        honest = db.execute("select sum(g.auto_score) from grade g join submitted_notebook n on g.notebook_id = n.id "
                            "join submitted_assignment a on n.assignment_id = a.id where a.student_id = 'honest'").fetchone()
    assert honest == (4.0,)


def test_huge_output_is_cut_in_the_autograded_notebook(graded):
    course, _, _ = graded
    autograded = course.autograded / "huge-output" / "00_mini" / "00_mini.ipynb"
    assert autograded.stat().st_size < 300_000


# Per submission, the audit flag that names what it tried (none: nothing to flag).
FLAG = {
    "always-equal": "double line 7: defines __eq__",
    "computed-names": "double line 9: setattr with a computed attribute name",
    "disables-guard": "double line 12: rebinds sys.audit",
    "fork-bomb": "total line 9: runs a subprocess",
    "introspects": "double line 8: uses gc.get_objects",
    "lists-students": "double line 8: lists a directory",
    "network": "double line 8: network access (socket.create_connection)",
    "one-shot-patch": "double line 13: rebinds numpy.allclose",
    "os-exit": "total line 8: kills or exits the process",
    "patches-builtins": "double line 14: rebinds builtins.type",
    "patches-during-test": "double line 8: rebinds numpy.allclose",
    "patches-numpy": "double line 7: rebinds np.allclose",
    "prints-test-source": "double line 8: inspects frames (inspect.stack)",
    "reads-course": "double line 8: opens a file",
    "rewrites-tests": "double line 6: touches the IPython shell (get_ipython)",
    "signal-repatches": "double line 9: imports signal",
    "steals-reference": "double line 7: reads a namespace (globals())",
    "swallows-errors": "double line 6: touches the IPython shell (get_ipython)",
    "sys-exit": "total line 7: kills or exits the process",
    "thread-repatches": "double line 15: starts threads (threading.Thread)",
    "writes-gradebook": "double line 7: imports sqlite3",
}


@pytest.mark.parametrize("student", STUDENTS)
def test_the_audit_flags_what_each_submission_tried_and_nothing_honest(graded, student):
    _, _, outcomes = graded
    if student in FLAG:
        assert FLAG[student] in outcomes[student].flags
    else:
        assert outcomes[student].flags == ()


def test_files_submitted_beside_the_notebook_are_listed_and_never_importable(graded):
    course, _, outcomes = graded
    assert outcomes["shadows-numpy"].ignored_files == ("IPython.py", "numpy.py")
    assert outcomes["shadows-numpy"].cells == {"test_double__visible": 0.0, "test_double__hidden": 0.0, "test_total": 0.0}
    with open(course.autograded / "results.csv") as file:
        row = next(r for r in csv.DictReader(file) if r["student"] == "shadows-numpy")
    assert row["ignored_files"] == "IPython.py; numpy.py"


def test_a_wrong_double_earns_nothing_in_its_own_cells_whatever_it_tries(graded):
    _, submissions, outcomes = graded
    for student in ("thread-repatches", "signal-repatches", "disables-guard", "patches-during-test", "steals-reference",
                    "introspects", "prints-test-source", "rewrites-tests", "swallows-errors", "always-equal"):
        own = {cell: score for cell, score in outcomes[student].cells.items() if cell.startswith("test_double")}
        assert own == {"test_double__visible": 0.0, "test_double__hidden": 0.0}, student


@pytest.fixture(scope="module")
def released(graded):
    """The batch after an instructor released every held score; with what the held rows showed before."""
    course, submissions, outcomes = graded
    with open(course.autograded / "grades.csv") as file:
        held_rows = {r["student_id"]: r for r in csv.DictReader(file) if r["status"] == "held"}
    held_pages = [s for s, o in outcomes.items() if o.status == "held" and (course.feedback / s).exists()]
    released = {o.student: o for o in release_held(course, ["00_mini"])}
    return course, held_rows, held_pages, released


def test_held_scores_stay_out_of_feedback_and_grades_until_released(released):
    course, held_rows, held_pages, now = released
    held = sorted(s for s in STUDENTS if _expected_status(s) == "held")
    assert sorted(held_rows) == held and held_pages == []
    assert {(r["score"], r["raw_score"]) for r in held_rows.values()} == {("", "")}
    assert sorted(now) == held
    assert {(o.status, o.reason) for o in now.values()} == {("graded", "released after review")}
    assert all((course.feedback / s / "00_mini" / "00_mini.html").is_file() for s in held)
    with open(course.autograded / "results.csv") as file:
        rows = {r["student"]: r for r in csv.DictReader(file)}
    assert rows["patches-numpy"]["status"] == "graded" and rows["patches-numpy"]["auto_score"] == "2.0"


def test_no_feedback_page_shows_a_line_of_the_hidden_tests(released):
    course, *_ = released
    tests = [c.source for c in nbs.read(course.source_notebook("00_mini")).cells if nbs.is_test_cell(c)]
    hidden = {line.strip() for source in tests for line in nbs.split_marked(source, nbs.HIDDEN_TEST_MARKERS)[0]}
    assert len(hidden) == 7 and "return x + x" in hidden
    pages = sorted(course.feedback.glob("*/00_mini/00_mini.html"))
    assert sorted(p.parts[-3] for p in pages) == sorted(STUDENTS)  # not graded ones: a page saying why
    for page in pages:
        student = page.parts[-3]
        text = page.read_text()
        if _expected_status(student) not in ("graded", "held"):
            assert [line for line in hidden if line in text] == [] and "Hidden tests: " not in text, student
            continue
        own = {line.strip() for cell in nbs.read(course.submission(student, "00_mini") / "00_mini.ipynb").cells
               for line in cell.source.splitlines()}
        assert [line for line in hidden - own if line in text] == [], student
        assert text.count("Hidden tests: ") == 2, student


def _expected_status(student: str) -> str:
    return _EXPECTED[student][0]
