"""Running one notebook in a bubblewrap sandbox with limits; only the executed notebook comes back.

Everything here is plain data in, plain data out, so that the same call runs in a local thread or on
a Dask worker on another machine. Each thread keeps a warm template process (``template.py``) in a
sandbox, which has imported the notebook's libraries once and forks a run per submission, each run in
namespaces, a scratch folder and limits of its own; this package's folder is all of gradlab it sees.
"""

import atexit
import base64
import concurrent.futures
import contextlib
import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from gradlab.sandbox.protocol import Request, Result, read_frame, write_frame

PACKAGE = Path(__file__).parent
INSIDE_PACKAGE = "/opt/gradlab/sandbox"
INSIDE_SCRATCH = "/home/student/work"
SYSTEM_DIRS = ("/usr", "/etc")
SYSTEM_LINKS = (("usr/bin", "/bin"), ("usr/sbin", "/sbin"), ("usr/lib", "/lib"), ("usr/lib64", "/lib64"))
# Sandboxes run as a throw-away user id when the grader is root, so that the process limit counts
# only that sandbox's processes (root itself is exempt from it).
SANDBOX_UIDS = range(200_000, 1_000_000)
# Modules the template imports when the notebook does: what makes a kernel slow to start.
PRELOADABLE = ("numpy", "scipy", "torch", "matplotlib", "matplotlib.pyplot")
# What the template needs, in its sandbox, to give each run namespaces, mounts and a user of its own.
TEMPLATE_CAPABILITIES = ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID")
IDLE_TEMPLATES = 4
STARTUP_SECONDS = 120
GRACE_SECONDS = 30  # beyond the notebook's own limit, before a silent template is given up on


class SandboxUnavailable(Exception):
    """bubblewrap is missing or cannot create a sandbox on this machine."""


@dataclass(frozen=True)
class Limits:
    """What one submission may use; set per course as ``c.Sandbox.<name>`` in nbgrader_config.py."""

    cell_timeout: int = 30              # seconds per cell; the cell is interrupted and scores zero
    notebook_timeout: int = 180         # seconds for the whole notebook, kernel start included
    memory_bytes: int = 2 * 2**30       # address space of each process
    processes: int = 1024
    output_bytes: int = 2**20           # outputs kept per cell
    file_bytes: int = 64 * 2**20        # largest file the submission may write
    scratch_bytes: int = 256 * 2**20    # all the files the submission may write, in its working folder
    startup_timeout: int = 60

    @classmethod
    def from_config(cls, config) -> "Limits":
        section = config.Sandbox
        return cls(**{name: int(section[name]) for name in cls.__dataclass_fields__ if name in section})


@dataclass(frozen=True)
class Job:
    """One notebook to execute: its JSON, the files beside it, and how to run it."""

    student: str
    assignment: str
    notebook: str
    files: dict[str, bytes] = field(default_factory=dict)
    limits: Limits = Limits()
    sandboxed: bool = True
    kernel_arguments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Executed:
    """The executed notebook's JSON, or why there is none."""

    notebook: str | None
    failure: str = ""
    seconds: float = 0.0                # from the fork of the run to its result
    kernel_died_in_cell: int | None = None
    kernel_seconds: float = 0.0         # of which: until the kernel was ready


def check_available() -> None:
    """Raise ``SandboxUnavailable`` unless bubblewrap can start a sandbox here."""
    if not shutil.which("bwrap"):
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed; on Debian: apt-get install bubblewrap")
    probe = subprocess.run(["bwrap", *_isolation(), "--ro-bind", "/usr", "/usr", *_system_links(), "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        raise SandboxUnavailable(f"bubblewrap cannot create a sandbox here: {probe.stderr.strip()}")


def execute(job: Job) -> Executed:
    """Execute ``job`` under its limits and return the executed notebook (or the reason it has none)."""
    uid = SANDBOX_UIDS.start + secrets.randbelow(len(SANDBOX_UIDS)) if os.geteuid() == 0 and job.sandboxed else None
    limits = job.limits
    # A sandboxed run's scratch is its own, in memory; an unsandboxed one writes in a folder of the grader's.
    with contextlib.nullcontext("") if job.sandboxed else tempfile.TemporaryDirectory(prefix="gradlab-run-") as scratch:
        request = Request(
            job.notebook, {name: base64.b64encode(content).decode() for name, content in job.files.items()},
            limits.cell_timeout, limits.startup_timeout, limits.notebook_timeout, limits.output_bytes,
            limits.processes, limits.scratch_bytes, _rlimits(limits), job.sandboxed, uid, scratch,
            list(job.kernel_arguments))
        answer = TEMPLATES.run((modules_to_preload(job.notebook), job.sandboxed, os.environ.get("MPLBACKEND")), request)
    if answer["timed_out"]:
        return Executed(None, f"the notebook ran longer than the {limits.notebook_timeout} s limit")
    try:
        result = Result.loads(answer["output"])
    except (ValueError, TypeError):
        last = answer["output"].strip().splitlines()[-1:] or [f"exit status {answer['exit']}"]
        return Executed(None, f"the sandboxed run ended without a result ({last[0]})")
    return Executed(result.notebook, seconds=answer["seconds"], kernel_died_in_cell=result.kernel_died_in_cell,
                    kernel_seconds=result.kernel_seconds)


def modules_to_preload(notebook: str) -> tuple[str, ...]:
    """The preloadable modules the notebook's code cells import."""
    code = "\n".join("".join(cell.get("source", "")) for cell in json.loads(notebook).get("cells", ())
                     if cell.get("cell_type") == "code")
    return tuple(name for name in PRELOADABLE if f"import {name}" in code or f"from {name}" in code)


def _rlimits(limits: Limits) -> dict[str, int]:
    return {"RLIMIT_AS": limits.memory_bytes, "RLIMIT_NPROC": limits.processes, "RLIMIT_FSIZE": limits.file_bytes,
            "RLIMIT_CORE": 0, "RLIMIT_CPU": limits.notebook_timeout}


class Template:
    """A warm template process (``template.py``) in its own sandbox, forked for each submission it runs."""

    def __init__(self, modules: tuple[str, ...], sandboxed: bool, backend: str | None = None):
        self.key = (modules, sandboxed, backend)
        self.home = tempfile.mkdtemp(prefix="gradlab-template-")
        _copy_matplotlib_cache(Path(self.home) / ".config" / "matplotlib")
        inside = INSIDE_SCRATCH if sandboxed else self.home
        package = INSIDE_PACKAGE if sandboxed else str(PACKAGE)
        command = [sys.executable, f"{package}/template.py", *modules]
        if sandboxed:
            command = _bwrap(Path(self.home)) + command
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(command, cwd=self.home, env=_environment(inside, backend), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.log, start_new_session=True)
        if self._answer(STARTUP_SECONDS) is None:
            self.close()
            raise SandboxUnavailable(f"the sandbox's template process did not start ({self._last_log_line()})")

    def run(self, request: Request) -> dict:
        """Fork a run of ``request`` and return the template's answer (output, timed_out, exit)."""
        write_frame(self.process.stdin.fileno(), request.dumps().encode())
        answer = self._answer(request.notebook_timeout + GRACE_SECONDS)
        if answer is None:
            self.close()
            return {"output": f"the sandbox's template process ended ({self._last_log_line()})", "timed_out": False,
                    "exit": self.process.returncode}
        return answer

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        if self.alive:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        shutil.rmtree(self.home, ignore_errors=True)

    def _answer(self, timeout: float) -> dict | None:
        if not select.select([self.process.stdout], [], [], timeout)[0]:
            return None
        frame = read_frame(self.process.stdout.fileno())
        return None if frame is None else json.loads(frame)

    def _last_log_line(self) -> str:
        self.log.seek(0)
        lines = self.log.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else f"exit status {self.process.poll()}"


class Templates:
    """This process's warm templates: each serves one run at a time and waits, idle, for the next.

    Templates are started by one long-lived thread, since a sandbox dies with the thread that started it
    (bubblewrap's ``--die-with-parent``): so they outlive the batch's worker threads, and serve the next
    batch too, until this process ends. At most ``keep_idle`` wait; the least recently used go first.
    """

    def __init__(self, keep_idle: int = IDLE_TEMPLATES):
        self.keep_idle, self.idle, self.lock = keep_idle, [], threading.Lock()
        self.starter = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="gradlab-templates")
        atexit.register(self.close)

    def run(self, key: tuple, request: Request) -> dict:
        """Run ``request`` on an idle template of ``key`` (``Template``'s arguments), started if there is none."""
        template = self._take(key)
        try:
            return template.run(request)
        finally:
            self._give_back(template)

    def _take(self, key) -> Template:
        with self.lock:
            for template in self.idle:
                if template.key == key and template.alive:
                    self.idle.remove(template)
                    return template
        return self.starter.submit(Template, *key).result()

    def _give_back(self, template: Template) -> None:
        if not template.alive:
            return template.close()
        with self.lock:
            self.idle.append(template)
            surplus, self.idle = self.idle[:-self.keep_idle], self.idle[-self.keep_idle:]
        for old in surplus:
            old.close()

    def close(self) -> None:
        with self.lock:
            surplus, self.idle = self.idle, []
        for template in surplus:
            template.close()


TEMPLATES = Templates()


def _isolation() -> list[str]:
    user = [] if os.geteuid() == 0 else ["--unshare-user"]
    return [*user, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session"]


def _system_links() -> list[str]:
    return [arg for target, link in SYSTEM_LINKS if os.path.lexists(link) for arg in ("--symlink", target, link)]


def _bwrap(home: Path) -> list[str]:
    """The template's bubblewrap command: read-only system and interpreter, its home, nothing else."""
    args = ["bwrap", *_isolation(), *_system_links(), "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--tmpfs", "/tmp"]
    for path in SYSTEM_DIRS:
        args += ["--ro-bind", path, path]
    for path in sorted({sys.prefix, sys.base_prefix, sys.exec_prefix}):
        args += _parents(path) + ["--ro-bind", path, path]
    args += _parents(INSIDE_PACKAGE) + ["--ro-bind", str(PACKAGE), INSIDE_PACKAGE]
    args += _parents(INSIDE_SCRATCH) + ["--bind", str(home), INSIDE_SCRATCH, "--chdir", INSIDE_SCRATCH]
    return args + [arg for capability in TEMPLATE_CAPABILITIES for arg in ("--cap-add", capability)]


def _parents(path: str) -> list[str]:
    """Create the folders above ``path`` readable by everyone (bubblewrap makes them private)."""
    parents = list(Path(path).parents)[-2::-1]
    return [arg for parent in parents for arg in ("--perms", "0755", "--dir", str(parent))]


def _environment(home: str, backend: str | None) -> dict[str, str]:
    """The kernel's whole environment. Figures are drawn inline as in Jupyter, so that feedback and manual
    grading show them, unless the grader's own environment names a matplotlib ``backend`` (``agg`` skips them)."""
    return {"HOME": home, "PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin", "LANG": "C.UTF-8",
            "MPLCONFIGDIR": f"{home}/.config/matplotlib", **({"MPLBACKEND": backend} if backend else {}),
            "JUPYTER_RUNTIME_DIR": f"{home}/.config/jupyter-runtime", "IPYTHONDIR": f"{home}/.config/ipython",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1", "NBGRADER_EXECUTION": "autograde",
            **{f"{library}_NUM_THREADS": "1" for library in ("OMP", "OPENBLAS", "MKL")}}


def _copy_matplotlib_cache(target: Path) -> None:
    """Give each run matplotlib's font list, so no run spends seconds rebuilding it."""
    cache = Path(tempfile.gettempdir()) / f"gradlab-matplotlib-{os.geteuid()}"
    if not any(cache.glob("fontlist-*.json")):
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], capture_output=True,
                       env={**os.environ, "MPLCONFIGDIR": str(cache)}, check=False)
    target.mkdir(parents=True)
    for font_list in cache.glob("fontlist-*.json"):
        shutil.copy(font_list, target)
