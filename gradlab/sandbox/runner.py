"""Execute one notebook inside the sandbox and print the result (``protocol.Result``) as JSON on stdout.

Runs as a plain script (``python runner.py REQUEST.json``) with only the sandbox's read-only system and
its scratch folder in view, so it imports only its sibling modules. The kernel it starts (``kernel.py``,
guard installed first) gets /dev/null for stdout and stderr and cannot reach this process: the result
travels through a pipe the kernel never holds, and this process is made undumpable so the kernel cannot
open it via /proc.

Each test cell runs as two parts, its visible checks and then its hidden tests, each through the guard,
which signs a report of how the part went. The executed notebook keeps every output for the instructor,
records per test cell how many outputs belong to the visible part and each part's reported outcome, and
gets an error output wherever a part did not report a pass, so that nbgrader scores it zero.
"""

import ctypes
import hashlib
import hmac
import json
import os
import queue
import secrets
import signal
import sys
import tempfile
import threading
import time

# jsonschema, which nbformat imports, builds the grammar of an optional URI format checker when imported:
# two seconds of every run, for a format no notebook schema uses. Without the module it skips that checker.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402 (after the line above)
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import DeadKernelError  # noqa: E402

from guard import ARM_SOURCE, REPORT_SEPARATOR, RESTORE_SOURCE, RUN_FUNCTION, wrapper_source  # noqa: E402
from protocol import (HIDDEN, MISSING_REPORT, NOT_RUN, PASSED, TAMPERED, VISIBLE, Request,  # noqa: E402
                      Result, split_test_source)

HERE = os.path.dirname(os.path.abspath(__file__))
PR_SET_DUMPABLE = 4
ERROR_CHARACTERS = 2000  # of an error's message and of each traceback line, when its output is too big
REPORT_WAIT = 5.0  # seconds to wait for a part's report once the kernel said the part is done
TIMEOUT_ERROR = {"ename": "CellTimeoutError", "evalue": "",
                 "traceback": ["\x1b[0;31mCellTimeoutError\x1b[0m: No reply from kernel before timeout"]}
# Modules worth importing before the kernel starts (and before the guard closes the doors on new
# threads): the notebook imports them anyway, and their start-up needs threads.
PRELOADABLE = ("numpy", "scipy", "torch", "matplotlib")
GUARDED_MODULES = ("builtins", "math", "cmath", "operator", "numpy", "numpy.testing", "numpy.linalg")


def _is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def part_id(cell_index: int, part: str) -> str:
    return f"{cell_index}:{part}"


class Reports:
    """The guard's signed reports, read from its pipe by a thread; unsigned or forged lines are dropped."""

    def __init__(self, fd: int, key: bytes):
        self.key, self.received = key, queue.Queue()
        threading.Thread(target=self._read, args=(os.fdopen(fd, "rb", buffering=0),), daemon=True).start()

    def _read(self, pipe) -> None:
        for line in pipe:
            signature, _, body = line.decode(errors="replace").rstrip("\n").partition(" ")
            expected = hmac.new(self.key, body.encode(), hashlib.sha256).hexdigest()
            if hmac.compare_digest(signature, expected):
                _, part, status, message = body.split(REPORT_SEPARATOR)
                self.received.put((part, status, message))

    def stray(self) -> list[tuple[str, str, str]]:
        """Reports that came while no part was running (a part run out of turn): taken off the queue."""
        found = []
        while not self.received.empty():
            found.append(self.received.get_nowait())
        return found

    def outcome(self, part: str, wait: float) -> tuple[str, str]:
        """The (status, message) of the one report of ``part`` its run should have sent: MISSING_REPORT
        when none came in time, TAMPERED when there were others."""
        try:
            first = self.received.get(timeout=wait)
        except queue.Empty:
            return MISSING_REPORT, "the test did not report back (its checks were interfered with, or it was stopped)"
        others = self.stray()
        if first[0] != part or others:
            return TAMPERED, "a test ran out of turn while this one ran"
        return first[1], first[2]


class GuardNotArmed(Exception):
    """The kernel's guard could not be armed; no cell may run."""


class SandboxedClient(NotebookClient):
    """nbclient running test cells part by part through the guard, with nbgrader's handling of errors and
    stray processes reaped."""

    def __init__(self, nb, reports: Reports, own_process_namespace: bool, **kwargs):
        super().__init__(nb, on_cell_executed=self._after_cell, **kwargs)
        self.reports = reports
        self.own_process_namespace = own_process_namespace
        self.armed = False
        self.current_cell = None

    def keep_alive(self) -> set[int]:
        """This process and the kernel: everything else in the sandbox is a stray."""
        return {os.getpid(), self.km.provisioner.process.pid}

    async def _silently(self, code="", **expressions) -> dict:
        return await self.async_wait_for_reply(
            self.kc.execute(code, silent=True, store_history=False, user_expressions=expressions))

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self.current_cell = cell_index
        if not self.armed:
            reply = await self._silently(ARM_SOURCE)
            if reply["content"]["status"] != "ok":
                raise GuardNotArmed(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")
            self.armed = True
        if not _is_test_cell(cell):
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        await self._silently(restore=RESTORE_SOURCE)  # an expression: no input transformer rewrites it
        out_of_turn = self.reports.stray()
        outputs, outcomes, visible_outputs = [], {}, 0
        for part, source in zip((VISIBLE, HIDDEN), split_test_source(cell.source)):
            if not source.strip():
                continue
            if any(status != PASSED for status, _ in outcomes.values()):
                outcomes[part] = (NOT_RUN, "")
                continue
            stand_in = nbformat.v4.new_code_cell(wrapper_source(part_id(cell_index, part)), metadata=cell.metadata)
            await super().async_execute_cell(stand_in, cell_index, execution_count, store_history)
            for output in stand_in.outputs:
                if output.output_type == "error":  # the stand-in's own line is noise in a student's traceback
                    output.traceback = [entry for entry in output.traceback
                                        if RUN_FUNCTION not in entry and "skipping hidden" not in entry]
            status, message = self.reports.outcome(part_id(cell_index, part), REPORT_WAIT)
            if out_of_turn:
                status, message = TAMPERED, "a test ran out of turn before this cell"
            if status != PASSED and not any(o.output_type == "error" for o in stand_in.outputs):
                stand_in.outputs.append(nbformat.v4.new_output(
                    "error", ename="GradingError", evalue=message, traceback=[f"GradingError: {message}"]))
            outputs += stand_in.outputs
            outcomes[part] = (status, message)
            if part == VISIBLE:
                cell.execution_count = stand_in.execution_count
                visible_outputs = len(stand_in.outputs)
        self.nb.cells[cell_index] = cell  # nbclient put each stand-in there
        cell.outputs = outputs
        cell.metadata["gradlab"] = {"visible_outputs": visible_outputs,
                                    **{part: {"status": s, "message": m} for part, (s, m) in outcomes.items()}}
        return cell

    async def _after_cell(self, cell, cell_index, execute_reply):
        """Record an error the kernel replied with but never displayed (a timeout), as nbgrader does."""
        if self.own_process_namespace:
            reap_strays(self.keep_alive())
        content = execute_reply["content"]
        if content["status"] == "error" and not any(
                o.output_type == "error" and o.ename == content["ename"] for o in cell.outputs):
            cell.outputs.append(nbformat.v4.new_output(
                "error", ename=content["ename"], evalue=content["evalue"],
                traceback=content["traceback"] or ["ERROR: An error occurred while showtraceback was disabled"]))


def reap_strays(keep) -> None:
    """Stop, then kill, every process in the sandbox but this one, the kernel and the sandbox's init."""
    stopped = set()
    while True:
        strays = {pid for pid in _pids() if pid not in keep and pid != 1} - stopped
        if not strays:
            break
        for pid in strays:
            _signal(pid, signal.SIGSTOP)
        stopped |= strays
    for pid in stopped:
        _signal(pid, signal.SIGKILL)


def watch_process_count(client: SandboxedClient, limit: int) -> None:
    """Reap strays as soon as the sandbox nears its process limit: a fork bomb must not starve the kernel."""
    while True:
        time.sleep(0.2)
        if client.current_cell is not None and sum(1 for _ in _pids()) >= limit - 8:
            reap_strays(client.keep_alive())


def _pids():
    return (int(name) for name in os.listdir("/proc") if name.isdigit())


def _signal(pid, signum):
    try:
        os.kill(pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def truncate_outputs(nb, max_bytes: int) -> None:
    """Cut outputs so that no cell's outputs exceed ``max_bytes`` in all; an error stays an error."""
    for cell in nb.cells:
        budget = max_bytes
        for index, output in enumerate(cell.get("outputs", [])):
            size = len(json.dumps(output))
            if size > budget:
                cell.outputs[index] = output = _shrunk(output, budget, size)
            budget -= len(json.dumps(output))


def _shrunk(output, budget: int, size: int):
    note = f"[output cut: {size} bytes, over this cell's output limit]"
    if output.output_type == "stream":
        return nbformat.v4.new_output("stream", name=output.name, text=output.text[:max(budget, 0)] + "\n" + note + "\n")
    if output.output_type == "error":  # dropping it would let a failing test cell score
        return nbformat.v4.new_output("error", ename=output.ename, evalue=output.evalue[:ERROR_CHARACTERS],
                                      traceback=[line[:ERROR_CHARACTERS] for line in output.traceback[-20:]] + [note])
    return nbformat.v4.new_output("stream", name="stdout", text=note + "\n")


def kernel_setup(nb, preload, private: str) -> tuple[str, Reports]:
    """Write the guarded kernel's setup and kernel spec into ``private``; the signed reports' reader."""
    key = secrets.token_bytes(32)
    parts = {part_id(index, part): source
             for index, cell in enumerate(nb.cells) if _is_test_cell(cell)
             for part, source in zip((VISIBLE, HIDDEN), split_test_source(cell.source)) if source.strip()}
    guarded = GUARDED_MODULES + (("torch",) if "torch" in preload else ())
    pipe = os.path.join(private, "reports")
    os.mkfifo(pipe, 0o600)
    reports = Reports(os.open(pipe, os.O_RDWR), key)  # read-write: reading waits for the kernel, never sees EOF
    setup = os.path.join(private, "setup.json")
    with open(setup, "w") as file:
        json.dump({"key": key.hex(), "parts": parts, "guarded": guarded, "preload": preload, "report_pipe": pipe}, file)
    spec = os.path.join(private, "kernels", "gradlab")
    os.makedirs(spec)
    with open(os.path.join(spec, "kernel.json"), "w") as file:
        json.dump({"argv": [sys.executable, os.path.join(HERE, "kernel.py"), setup, "-f", "{connection_file}"],
                   "display_name": "Python 3 (gradlab guard)", "language": "python"}, file)
    os.environ["JUPYTER_PATH"] = private
    return "gradlab", reports


def preloaded(nb) -> list[str]:
    """The preloadable modules any cell imports."""
    text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    return [name for name in PRELOADABLE if f"import {name}" in text or f"from {name}" in text]


def main(request_path: str) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    with open(request_path) as file:
        request = Request.loads(file.read())
    nb = nbformat.read(request.notebook, as_version=4)
    private = tempfile.mkdtemp(prefix="gradlab-kernel-")
    kernel_name, reports = kernel_setup(nb, preloaded(nb), private)
    client = SandboxedClient(
        nb, reports, request.sandboxed, timeout=request.cell_timeout, startup_timeout=request.startup_timeout,
        interrupt_on_timeout=True, error_on_timeout=TIMEOUT_ERROR, allow_errors=True, kernel_name=kernel_name,
        shutdown_kernel="immediate", extra_arguments=request.extra_arguments,
        resources={"metadata": {"path": os.getcwd()}})
    if request.sandboxed:  # outside a sandbox, every process of the machine would look like a stray
        threading.Thread(target=watch_process_count, args=(client, request.processes), daemon=True).start()
    started = time.monotonic()
    died_in = None
    try:
        client.execute(stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    except DeadKernelError:
        died_in = client.current_cell
    except GuardNotArmed as error:
        print(f"the kernel's guard could not be armed ({error})", file=sys.stderr)
        return 1
    truncate_outputs(nb, request.output_bytes)
    sys.stdout.write(Result(nbformat.writes(nb), died_in, round(time.monotonic() - started, 3)).dumps())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
