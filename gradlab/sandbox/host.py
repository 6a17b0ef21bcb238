"""Running one notebook in a bubblewrap sandbox with limits; only the executed notebook comes back.

Everything here is plain data in, plain data out, so that the same call runs in a local thread or on
a Dask worker on another machine. Inside the sandbox, ``runner.py`` executes the notebook with the
guarded kernel of ``kernel.py``; this package's folder is all of gradlab the sandbox sees.
"""

import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from gradlab.sandbox.protocol import Request, Result

PACKAGE = Path(__file__).parent
INSIDE_PACKAGE = "/opt/gradlab/sandbox"
INSIDE_SCRATCH = "/home/student/work"
SYSTEM_DIRS = ("/usr", "/etc")
SYSTEM_LINKS = (("usr/bin", "/bin"), ("usr/sbin", "/sbin"), ("usr/lib", "/lib"), ("usr/lib64", "/lib64"))
# Sandboxes run as a throw-away user id when the grader is root, so that the process limit counts
# only that sandbox's processes (root itself is exempt from it).
SANDBOX_UIDS = range(200_000, 1_000_000)


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
    seconds: float = 0.0
    kernel_died_in_cell: int | None = None


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
    with tempfile.TemporaryDirectory(prefix="gradlab-run-") as tmp:
        scratch = Path(tmp) / "work"
        _fill_scratch(scratch, job, uid)
        inside = INSIDE_SCRATCH if job.sandboxed else str(scratch)
        request = Request(f"{inside}/.request/submission.ipynb", job.limits.cell_timeout, job.limits.startup_timeout,
                          job.limits.output_bytes, job.limits.processes, job.sandboxed, list(job.kernel_arguments))
        (scratch / ".request" / "request.json").write_text(request.dumps())
        package = INSIDE_PACKAGE if job.sandboxed else str(PACKAGE)
        command = [sys.executable, f"{package}/runner.py", f"{inside}/.request/request.json"]
        if job.sandboxed:
            command = _bwrap(scratch, uid) + command
        return _run(command, scratch, job.limits, _environment(inside))


def _fill_scratch(scratch: Path, job: Job, uid) -> None:
    for name, content in job.files.items():
        target = scratch / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    (scratch / ".request").mkdir(parents=True)
    (scratch / ".request" / "submission.ipynb").write_text(job.notebook)
    _copy_matplotlib_cache(scratch / ".config" / "matplotlib")
    if uid is not None:
        for folder, dirs, files in os.walk(scratch):
            for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                os.chown(name, uid, uid)


def _run(command, scratch: Path, limits: Limits, env) -> Executed:
    process = subprocess.Popen(command, cwd=scratch, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True, preexec_fn=lambda: _apply(limits))
    try:
        out, err = process.communicate(timeout=limits.notebook_timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return Executed(None, f"the notebook ran longer than the {limits.notebook_timeout} s limit")
    if process.returncode != 0 or not out:
        last = err.decode(errors="replace").strip().splitlines()[-1:] or [f"exit status {process.returncode}"]
        return Executed(None, f"the sandboxed run ended without a result ({last[0]})")
    result = Result.loads(out)
    return Executed(result.notebook, seconds=result.seconds, kernel_died_in_cell=result.kernel_died_in_cell)


def _apply(limits: Limits) -> None:
    """Resource limits for the sandbox and everything it starts (set in the child before exec)."""
    for name, value in ((resource.RLIMIT_AS, limits.memory_bytes), (resource.RLIMIT_NPROC, limits.processes),
                        (resource.RLIMIT_FSIZE, limits.file_bytes), (resource.RLIMIT_CORE, 0),
                        (resource.RLIMIT_CPU, limits.notebook_timeout)):
        resource.setrlimit(name, (value, value))


def _isolation() -> list[str]:
    user = [] if os.geteuid() == 0 else ["--unshare-user"]
    return [*user, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session"]


def _system_links() -> list[str]:
    return [arg for target, link in SYSTEM_LINKS if os.path.lexists(link) for arg in ("--symlink", target, link)]


def _bwrap(scratch: Path, uid) -> list[str]:
    """The bubblewrap command: read-only system and interpreter, the scratch folder, nothing else."""
    args = ["bwrap", *_isolation(), *_system_links(), "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--tmpfs", "/tmp"]
    for path in SYSTEM_DIRS:
        args += ["--ro-bind", path, path]
    for path in sorted({sys.prefix, sys.base_prefix, sys.exec_prefix}):
        args += _parents(path) + ["--ro-bind", path, path]
    args += _parents(INSIDE_PACKAGE) + ["--ro-bind", str(PACKAGE), INSIDE_PACKAGE]
    args += _parents(INSIDE_SCRATCH) + ["--bind", str(scratch), INSIDE_SCRATCH, "--chdir", INSIDE_SCRATCH]
    if uid is not None:
        args += ["/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
                 "--bounding-set=-all", "--inh-caps=-all"]
    return args


def _parents(path: str) -> list[str]:
    """Create the folders above ``path`` readable by everyone (bubblewrap makes them private)."""
    parents = list(Path(path).parents)[-2::-1]
    return [arg for parent in parents for arg in ("--perms", "0755", "--dir", str(parent))]


def _environment(home: str) -> dict[str, str]:
    """The kernel's whole environment. Figures are drawn inline as in Jupyter, so that feedback and manual
    grading show them, unless the grader's own environment names a matplotlib backend (``agg`` skips them)."""
    backend = {"MPLBACKEND": os.environ["MPLBACKEND"]} if "MPLBACKEND" in os.environ else {}
    return {"HOME": home, "PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin", "LANG": "C.UTF-8",
            "MPLCONFIGDIR": f"{home}/.config/matplotlib", **backend,
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
