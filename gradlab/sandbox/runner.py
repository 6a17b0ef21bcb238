"""The runner of a run: executes the notebook on the kernel its init started and writes the result
(``protocol.Result``) to the template's pipe.

It runs, forked from the template, in the run's namespaces, as the run's user. The kernel (``kernel.py``,
guard installed first) is its sibling and cannot reach it: the result travels through a pipe the kernel
never holds, and this process is made undumpable so the kernel cannot open it via /proc.

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
import secrets
import select
import signal
import sys
import threading
import time

import nbformat
from jupyter_client.connect import write_connection_file
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import KernelProvisionerBase, LocalProvisioner
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from guard import ARM_SOURCE, REPORT_SEPARATOR, RESTORE_SOURCE, RUN_FUNCTION, wrapper_source
from protocol import (HIDDEN, MISSING_REPORT, NOT_RUN, PASSED, TAMPERED, VISIBLE, Request, Result,
                      split_test_source, write_all)

PR_SET_DUMPABLE = 4
ERROR_CHARACTERS = 2000  # of an error's message and of each traceback line, when its output is too big
REPORT_WAIT = 5.0  # seconds to wait for a part's report once the kernel said the part is done
TIMEOUT_ERROR = {"ename": "CellTimeoutError", "evalue": "",
                 "traceback": ["\x1b[0;31mCellTimeoutError\x1b[0m: No reply from kernel before timeout"]}
KERNEL_SPEC = KernelSpec(argv=[], display_name="Python 3 (gradlab guard)", language="python", interrupt_mode="signal")
GUARDED_MODULES = ("builtins", "math", "cmath", "operator", "numpy", "numpy.testing", "numpy.linalg")


def _is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def part_id(cell_index: int, part: str) -> str:
    return f"{cell_index}:{part}"


class Reports:
    """The guard's signed reports, read from its pipe; unsigned or forged lines are dropped.

    The guard writes a part's report before the kernel replies that the part is done, so once the reply
    is here every report of that part can be read at once, without waiting."""

    def __init__(self, fd: int, key: bytes):
        self.fd, self.key, self.partial = fd, key, b""
        os.set_blocking(fd, False)

    def _arrived(self, wait: float) -> list[tuple[str, str, str]]:
        """Every signed report in the pipe now, waiting up to ``wait`` seconds for a first one to start."""
        if not select.select([self.fd], [], [], wait)[0]:
            return []
        chunks = [self.partial]
        while True:
            try:
                chunk = os.read(self.fd, 2**16)
            except BlockingIOError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        *lines, self.partial = b"".join(chunks).split(b"\n")
        return [report for report in map(self._verified, lines) if report]

    def _verified(self, line: bytes) -> tuple[str, str, str] | None:
        signature, _, body = line.decode(errors="replace").partition(" ")
        expected = hmac.new(self.key, body.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(signature, expected):
            return None
        _, part, status, message = body.split(REPORT_SEPARATOR)
        return part, status, message

    def stray(self) -> list[tuple[str, str, str]]:
        """Reports that came while no part was running (a part run out of turn)."""
        return self._arrived(0)

    def outcome(self, part: str, wait: float) -> tuple[str, str]:
        """The (status, message) of the one report of ``part`` its run should have sent: MISSING_REPORT
        when none came in time, TAMPERED when there were others."""
        reports = self._arrived(wait)
        if not reports:
            return MISSING_REPORT, "the test did not report back (its checks were interfered with, or it was stopped)"
        if reports[0][0] != part or len(reports) > 1:
            return TAMPERED, "a test ran out of turn while this one ran"
        return reports[0][1], reports[0][2]


class ForkedProcess:
    """The kernel process, which the run's init forked, as much of ``subprocess.Popen`` as jupyter_client
    uses: through a pidfd, since this process is not its parent."""

    stdin = stdout = stderr = None
    ENDED = 1  # its exit status goes to its parent

    def __init__(self, pid: int):
        self.pid, self.pidfd, self.returncode = pid, os.pidfd_open(pid), None

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self.pidfd], [], [], 0)[0]:
            self.returncode = self.ENDED
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        select.select([self.pidfd], [], [], timeout)
        return self.poll()

    def send_signal(self, signum: int) -> None:
        signal.pidfd_send_signal(self.pidfd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkedKernel(LocalProvisioner):
    """Hands jupyter_client the kernel that is already running: its connection file and its process."""

    def __init__(self, pid: int, connection: str, **kwargs):
        super().__init__(**kwargs)
        self.forked_pid, self.connection = pid, connection

    async def pre_launch(self, **kwargs) -> dict:
        self.parent.load_connection_file(self.connection)
        self.connection_info = self.parent.get_connection_info()
        kwargs.pop("extra_arguments", None)
        return await KernelProvisionerBase.pre_launch(self, cmd=[], **kwargs)

    async def launch_kernel(self, cmd, **kwargs) -> dict:
        self.process, self.pid = ForkedProcess(self.forked_pid), self.forked_pid
        return self.connection_info


class ForkedKernelManager(AsyncKernelManager):
    """jupyter_client's manager of a kernel it does not start (interrupted by a signal, as ipykernel is)."""

    @property
    def kernel_spec(self) -> KernelSpec:
        return KERNEL_SPEC


class GuardNotArmed(Exception):
    """The kernel's guard could not be armed; no cell may run."""


class SandboxedClient(NotebookClient):
    """nbclient running test cells part by part through the guard, with nbgrader's handling of errors and
    stray processes reaped."""

    def __init__(self, nb, reports: Reports, own_process_namespace: bool, kernel: tuple[int, str], **kwargs):
        super().__init__(nb, on_cell_executed=self._after_cell, **kwargs)
        self.reports = reports
        self.kernel = kernel
        self.own_process_namespace = own_process_namespace
        self.armed = False
        self.ready_at = None
        self.current_cell = None

    def create_kernel_manager(self) -> ForkedKernelManager:
        self.km = ForkedKernelManager(config=self.config)
        self.km.provisioner = ForkedKernel(*self.kernel, kernel_spec=KERNEL_SPEC, parent=self.km)
        return self.km

    def keep_alive(self) -> set[int]:
        """This process and the kernel: everything else in the sandbox is a stray."""
        return {os.getpid(), self.km.provisioner.process.pid}

    async def _silently(self, code="", **expressions) -> dict:
        return await self.async_wait_for_reply(
            self.kc.execute(code, silent=True, store_history=False, user_expressions=expressions))

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self.current_cell = cell_index
        if not self.armed:
            self.ready_at = time.monotonic()
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


def read_notebook(text: str):
    return nbformat.reads(text, as_version=4)


def plan(nb) -> dict:
    """What the kernel's guard needs: a fresh key, every test-cell part's code, the modules it restores."""
    parts = {part_id(index, part): source
             for index, cell in enumerate(nb.cells) if _is_test_cell(cell)
             for part, source in zip((VISIBLE, HIDDEN), split_test_source(cell.source)) if source.strip()}
    guarded = GUARDED_MODULES + (("torch",) if "torch" in sys.modules else ())
    return {"key": secrets.token_bytes(32).hex(), "parts": parts, "guarded": guarded}


def connection_file(private: str) -> str:
    """The kernel's connection file, over IPC sockets in ``private`` (a run has no network at all)."""
    path, _ = write_connection_file(os.path.join(private, "kernel.json"), transport="ipc",
                                    ip=os.path.join(private, "kernel"), key=secrets.token_hex(32).encode())
    return path


def main(request: Request, nb, plan: dict, kernel_pid: int, connection: str, report_fd: int, result_fd: int) -> int:
    """Execute ``nb`` on the running kernel and write the ``Result`` to ``result_fd``."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    reports = Reports(report_fd, bytes.fromhex(plan["key"]))
    client = SandboxedClient(
        nb, reports, request.isolated, (kernel_pid, connection), timeout=request.cell_timeout,
        startup_timeout=request.startup_timeout, interrupt_on_timeout=True, error_on_timeout=TIMEOUT_ERROR,
        allow_errors=True, shutdown_kernel="immediate", resources={"metadata": {"path": os.getcwd()}})
    if request.isolated:  # outside a namespace of its own, every process of the machine would look like a stray
        threading.Thread(target=watch_process_count, args=(client, request.processes), daemon=True).start()
    started = time.monotonic()
    died_in = None
    try:
        client.execute()
    except DeadKernelError:
        died_in = client.current_cell
    except GuardNotArmed as error:
        os.write(result_fd, f"the kernel's guard could not be armed ({error})".encode())
        return 1
    truncate_outputs(nb, request.output_bytes)
    ready = round((client.ready_at or time.monotonic()) - started, 3)
    write_all(result_fd, Result(nbformat.writes(nb), died_in, ready).dumps().encode())
    return 0


