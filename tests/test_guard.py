"""The in-kernel guard's parts, each tried the way a hostile submission would: the seccomp filter, the
signed reports, the split of test cells, and a kernel that refuses what student code may not do."""

import hashlib
import hmac
import os
import subprocess
import sys
import textwrap

import nbformat
import pytest

from gradlab.sandbox import host
from gradlab.sandbox.protocol import MISSING_REPORT, PASSED, TAMPERED, split_test_source

sys.path.insert(0, str(host.PACKAGE))  # the runner's modules import each other as the sandbox does
import runner  # noqa: E402
from guard import REPORT_SEPARATOR  # noqa: E402


def test_a_test_cell_splits_into_its_visible_checks_and_its_hidden_tests():
    source = "x = f(2)\nassert x == 4\n### BEGIN HIDDEN TESTS\nassert f(-1) == -2\n### END HIDDEN TESTS\nassert f(0) == 0"
    assert split_test_source(source) == ("x = f(2)\nassert x == 4", "assert f(-1) == -2\nassert f(0) == 0")
    assert split_test_source("assert f(1) == 2") == ("assert f(1) == 2", "")


def test_the_seccomp_filter_stops_threads_processes_signal_handlers_and_timers():
    script = textwrap.dedent(f"""
        import os, signal, sys, threading
        sys.path.insert(0, {str(host.PACKAGE)!r})
        import seccomp
        seccomp.load()
        for name, attempt in (("thread", lambda: threading.Thread(target=print).start()), ("fork", os.fork),
                              ("handler", lambda: signal.signal(signal.SIGALRM, print)),
                              ("timer", lambda: signal.setitimer(signal.ITIMER_REAL, 1)),
                              ("program", lambda: os.execv("/bin/true", ["true"]))):
            try:
                attempt()
                print(name, "allowed")
            except Exception as error:
                print(name, "refused:", type(error).__name__)
        print("arithmetic still works:", sum(range(10)))
    """)
    lines = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60).stdout.splitlines()
    assert lines == ["thread refused: RuntimeError", "fork refused: PermissionError", "handler refused: PermissionError",
                     "timer refused: itimer_error", "program refused: PermissionError", "arithmetic still works: 45"]


def _signed(key: bytes, sequence: int, part: str, status: str, message: str = "") -> bytes:
    body = REPORT_SEPARATOR.join((str(sequence), part, status, message))
    return f"{hmac.new(key, body.encode(), hashlib.sha256).hexdigest()} {body}\n".encode()


@pytest.fixture
def reports():
    key = b"k" * 32
    read, write = os.pipe()
    yield runner.Reports(read, key), key, write
    os.close(write)


def test_reports_without_the_key_are_ignored(reports):
    received, key, pipe = reports
    os.write(pipe, _signed(b"not the key" * 3, 1, "3:hidden", PASSED))
    os.write(pipe, b"0000 1\x1f3:hidden\x1fpassed\x1f\n")
    assert received.outcome("3:hidden", wait=0.5) == (MISSING_REPORT, "the test did not report back "
                                                      "(its checks were interfered with, or it was stopped)")
    os.write(pipe, _signed(key, 2, "3:hidden", "failed", "AssertionError: sign flipped"))
    assert received.outcome("3:hidden", wait=5) == ("failed", "AssertionError: sign flipped")


def test_a_part_that_reports_twice_or_out_of_turn_counts_as_tampered(reports):
    received, key, pipe = reports
    os.write(pipe, _signed(key, 1, "3:hidden", PASSED) + _signed(key, 2, "3:hidden", PASSED))
    assert received.outcome("3:hidden", wait=5)[0] == TAMPERED
    os.write(pipe, _signed(key, 3, "5:hidden", PASSED))
    assert received.outcome("3:hidden", wait=5)[0] == TAMPERED


def _run(cells) -> list:
    """Execute code cells on the guarded kernel, unsandboxed; each cell's outputs as (type, name or ename, text)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    executed = host.execute(host.Job("student", "guard", nbformat.writes(nb), sandboxed=False))
    return [[(o.output_type, o.get("ename") or o.get("name"), o.get("evalue") or o.get("text", "").strip())
             for o in cell.outputs] for cell in nbformat.reads(executed.notebook, as_version=4).cells]


@pytest.mark.slow
def test_student_code_cannot_reach_frames_tracing_the_collector_ctypes_or_process_memory():
    attempts = {
        "sys._getframe": "import sys; sys._getframe()",
        "inspect.stack": "import inspect; inspect.stack()",
        "tb_frame": "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    e.__traceback__.tb_frame",
        "gi_frame": "def g():\n    yield\ng().gi_frame",
        "logging.currentframe": "import logging; logging.currentframe()",
        "sys.settrace": "import sys; sys.settrace(None)",
        "gc.get_objects": "import gc; gc.get_objects()",
        "ctypes": "import ctypes; ctypes.pythonapi.Py_IsInitialized",
        "eval": "eval('1 + 1')",
        "/proc/self/mem": "open('/proc/self/mem', 'rb')",
        "/proc/self/mem through a link": "import pathlib; pathlib.Path('/dev/fd/../mem').open('rb')",
        "sys.addaudithook": "import sys\nsys.addaudithook(lambda event, args: print('spy') if event == 'x' else None)\n"
                            "sys.audit('x')",
        "a thread": "import threading; threading.Thread(target=print).start()",
    }
    outputs = _run(list(attempts.values()))
    refused = {name: cell[0][:2] if cell else None for name, cell in zip(attempts, outputs)}
    assert refused == {**{name: ("error", "PermissionError") for name in attempts},
                       "a thread": ("error", "RuntimeError"), "sys.addaudithook": None}  # not added, and silently
