"""The template of every run: one interpreter per batch worker that has imported what the assignment's
notebooks import, and forks a fresh copy of itself for each submission.

``python template.py MODULE...`` (inside the template's bubblewrap sandbox) imports the modules, then
answers requests (``protocol.Request`` frames on stdin) one at a time with the run's outcome (a frame on
stdout: the runner's ``Result`` JSON, or why there is none). For each request it forks:

    template ── run ── init (pid 1 of the run's own namespaces) ─┬─ kernel (guard, then ipykernel)
                                                                   └─ runner (nbclient, reports, result)

The run's process enters new namespaces (``isolation``): its init sees only its own processes, an empty
scratch folder, /tmp and /dev/shm of its own, and no network; it becomes a throw-away user without
capabilities, under the limits, before any file of the submission is written. Nothing a run does reaches
the template, which never runs student code, so the next fork starts as clean as the first.
"""

import base64
import importlib
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback

# jsonschema, which nbformat imports, builds the grammar of an optional URI format checker when imported:
# two seconds of every run, for a format no notebook schema uses. Without the module it skips that checker.
sys.modules.setdefault("rfc3987_syntax", None)
# ipykernel's debugger (debugpy) serves debugging front ends, which grading never is; without the module
# ipykernel runs without one.
sys.modules.setdefault("debugpy", None)

import isolation  # noqa: E402 (after the line above, as every module here)
import kernel  # noqa: E402
import runner  # noqa: E402
from protocol import Request, read_frame, write_frame  # noqa: E402

SCRATCH = "/home/student/work"
MATPLOTLIB_CONFIG = ".config/matplotlib"
KILLED_EXIT = 137
RUN_PATHS = ("HOME", "MPLCONFIGDIR", "IPYTHONDIR", "JUPYTER_RUNTIME_DIR")


def main(modules: list[str]) -> None:
    isolation.die_with_parent()
    # What ipykernel would set at its start, set before matplotlib is imported (it reads it on import):
    # figures are drawn inline unless the grader's environment names another backend.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for name in (*kernel.STARTUP_MODULES, *runner.GUARDED_MODULES, *modules):
        try:
            importlib.import_module(name)
        except Exception:  # the notebook's own import will say what is wrong, in its cell
            pass
    threads = len(os.listdir("/proc/self/task"))
    if threads > 1:  # a fork keeps one thread of them: locks the others held would never be released
        sys.exit(f"the template cannot be forked safely: importing {' '.join(modules)} started {threads - 1} thread(s)")
    font_cache = _font_cache()
    write_frame(1, json.dumps({"ready": sorted(modules)}).encode())
    while (frame := read_frame(0)) is not None:
        request = Request.loads(frame.decode())
        write_frame(1, json.dumps(_serve(request, font_cache)).encode())


def _font_cache() -> dict[str, bytes]:
    """matplotlib's font list, for each run's own configuration folder (it would rebuild it for seconds)."""
    folder = os.environ.get("MPLCONFIGDIR", "")
    return {name: open(os.path.join(folder, name), "rb").read()
            for name in (os.listdir(folder) if os.path.isdir(folder) else ()) if name.startswith("fontlist-")}


def _serve(request: Request, font_cache) -> dict:
    """Fork one run of ``request``, wait for it under the notebook's time limit, and say how it ended."""
    read_end, write_end = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _run(request, font_cache, write_end)
    os.close(write_end)
    output, timed_out = _read_until(read_end, started + request.notebook_timeout)
    os.close(read_end)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return {"output": output.decode(errors="replace"), "timed_out": timed_out,
            "exit": os.waitstatus_to_exitcode(status), "seconds": round(time.monotonic() - started, 3)}


def _read_until(fd: int, deadline: float) -> tuple[bytes, bool]:
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return b"".join(chunks), True
        chunk = os.read(fd, 2**20)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


def _run(request: Request, font_cache, result_fd: int) -> None:
    """The run's process: its namespaces, then its init, which it waits for. Never returns."""
    code = 70
    try:
        isolation.die_with_parent()
        quiet = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1):  # the template's own pipes: no process of the run may write to them
            os.dup2(quiet, fd)
        if request.isolated:
            isolation.enter_namespaces(SCRATCH, request.scratch_bytes, request.uid,
                                       keep=(sys.prefix, sys.base_prefix, sys.exec_prefix))
        init = os.fork()
        if init == 0:
            _init(request, font_cache, result_fd)
        os.close(result_fd)
        code = os.waitstatus_to_exitcode(os.waitpid(init, 0)[1])
    except BaseException:
        _say(result_fd, traceback.format_exc())
    finally:
        os._exit(code if 0 <= code < 256 else KILLED_EXIT)


def _init(request: Request, font_cache, result_fd: int) -> None:
    """The run's first process: its /proc and user, the submission's files, then the kernel and the runner,
    and every orphan reaped until the runner is done. Never returns."""
    code = 70
    try:
        if request.isolated:
            isolation.become_init()
        isolation.drop_privileges(request.uid, request.rlimits)
        scratch = SCRATCH if request.isolated else request.scratch
        _write_files(scratch, request, font_cache)
        os.chdir(scratch)
        home = os.environ["HOME"]
        for name in RUN_PATHS:  # the template's home in these, the run's scratch from now on
            os.environ[name] = os.environ[name].replace(home, scratch, 1)
        nb = runner.read_notebook(request.notebook)
        plan = runner.plan(nb)
        private = tempfile.mkdtemp(prefix="gradlab-kernel-")
        connection_file = runner.connection_file(private)
        report_read, report_write = os.pipe()
        kernel_pid = _fork(lambda: kernel.start(plan, report_write, connection_file, request.extra_arguments),
                           close=(result_fd, report_read))
        runner_pid = _fork(lambda: runner.main(request, nb, plan, kernel_pid, connection_file, report_read, result_fd),
                           close=(report_write,))
        for fd in (result_fd, report_read, report_write):
            os.close(fd)
        code = _reap_until(runner_pid)  # the kernel dies with this process
        shutil.rmtree(private, ignore_errors=True)
    except BaseException:
        _say(result_fd, traceback.format_exc())
    finally:
        os._exit(code)


def _write_files(scratch: str, request: Request, font_cache) -> None:
    files = {name: base64.b64decode(content) for name, content in request.files.items()}
    files.update({os.path.join(MATPLOTLIB_CONFIG, name): content for name, content in font_cache.items()})
    for name, content in files.items():
        path = os.path.join(scratch, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(content)
    os.makedirs(os.path.join(scratch, MATPLOTLIB_CONFIG), exist_ok=True)


def _fork(body, close=()) -> int:
    """Start ``body`` in a child that dies with this process and exits when it returns."""
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            isolation.die_with_parent()
            for fd in close:
                os.close(fd)
            code = body() or 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    return pid


def _reap_until(pid: int) -> int:
    """Reap every child that ends (orphans of the run come here) until ``pid`` has; its exit code."""
    while True:
        ended, status = os.waitpid(-1, 0)
        if ended == pid:
            return os.waitstatus_to_exitcode(status)


def _say(fd: int, text: str) -> None:
    try:
        os.write(fd, text.encode())
    except OSError:
        pass


if __name__ == "__main__":
    main(sys.argv[1:])
