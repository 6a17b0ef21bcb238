"""How fast gradlab grades against plain nbgrader, where each notebook's time goes, and whether the grader's
memory stays flat as a batch grows; everything measured in one run, on the same synthetic submissions.

1. Speed, per assignment: sequential ``nbgrader autograde`` (alone, and followed by ``generate_feedback``)
   against ``gradlab grade --jobs 1`` (without and with the sandbox) and ``--jobs 2`` (sandboxed), each
   with feedback: wall and busy CPU seconds per notebook, submissions per hour, speed against nbgrader.
2. Phases, per assignment: a kernel per notebook, as nbgrader (and gradlab before its templates) runs
   one: its start, the notebook's imports, its cells; against gradlab's template, started and importing
   once per batch, and per submission the run's kernel, its cells, recording and feedback.
3. Memory: peak resident memory of the grader process, and of the grader with its sandboxes, grading
   a small batch and a large one of the same assignment.

    .venv/bin/python benchmarks/grading_speed.py [--submissions M] [--assignment ID]... [--memory N N]
"""

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from gradlab import notebooks as nbs
from gradlab import recording, sandbox, synthetic
from gradlab.batch import grade_batch
from gradlab.course import CONFIG_FILE, Course
from gradlab.sandbox import host

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ("03_mse_gradients", "02_chain_rule", "07_fgsm")
BASELINE = "nbgrader autograde (sequential)"
NBGRADER_AS_SHIPPED = ("\nfrom nbgrader.converters import Autograde, GenerateFeedback\n"
                       "c.Autograde.autograde_preprocessors = Autograde.autograde_preprocessors.default()\n"
                       "c.GenerateFeedback.preprocessors = GenerateFeedback.preprocessors.default()\n")
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}  # nbgrader runs alembic
PHASE_SAMPLES = 3
PERFECT_STUDENTS = [f"student{i:03d}" for i in range(0, PHASE_SAMPLES * 3, 3)]  # as build_course makes them


def build_course(root: Path, assignment: str, submissions: int, material: Path = REPO) -> Path:
    """A copy of the course's configuration, and of the assignment's source and release from ``material``,
    with ``submissions`` students: perfect, partial and blank in turn."""
    shutil.copy(REPO / CONFIG_FILE, root / CONFIG_FILE)
    for folder in ("source", "release"):
        shutil.copytree(material / folder / assignment, root / folder / assignment)
    course = Course.load(root)
    source, released = nbs.read(course.source_notebook(assignment)), nbs.read(course.release_notebook(assignment))
    kinds = (synthetic.reference_filled(source, released), synthetic.partially_done(source, released)[0], released)
    for i in range(submissions):
        nbs.write(kinds[i % 3], course.submission(f"student{i:03d}", assignment) / f"{assignment}.ipynb")
    return root


def busy_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy so far: it counts the sandboxes' processes too, which a
    process's own resource usage cannot see."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def timed(commands, cwd: Path) -> tuple[float, float]:
    """Wall and busy CPU seconds of running ``commands`` one after another."""
    started, cpu = time.perf_counter(), busy_cpu_seconds()
    for command in commands:
        subprocess.run(command, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started, busy_cpu_seconds() - cpu


def speed(assignment: str, submissions: int, material: Path) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds per notebook of each way of grading ``assignment``."""
    nbgrader, gradlab = str(Path(sys.executable).parent / "nbgrader"), str(Path(sys.executable).parent / "gradlab")
    autograde = [nbgrader, "autograde", assignment, "--create"]
    runs = {
        BASELINE: [autograde],
        "nbgrader autograde + feedback": [autograde, [nbgrader, "generate_feedback", assignment]],
        "gradlab grade --jobs 1 --no-sandbox": [[gradlab, "grade", assignment, "--jobs", "1", "--quiet", "--no-sandbox"]],
        "gradlab grade --jobs 1": [[gradlab, "grade", assignment, "--jobs", "1", "--quiet"]],
        "gradlab grade --jobs 2": [[gradlab, "grade", assignment, "--jobs", "2", "--quiet"]],
    }
    seconds = {}
    for name, commands in runs.items():
        with tempfile.TemporaryDirectory(prefix="gradlab-bench-") as tmp:
            root = build_course(Path(tmp), assignment, submissions, material)
            if name.startswith("nbgrader"):
                with open(root / CONFIG_FILE, "a") as config:  # the course refuses unsandboxed autograde
                    config.write(NBGRADER_AS_SHIPPED)
                subprocess.run([nbgrader, "generate_assignment", assignment, "--force"],
                               cwd=root, env=ENV, check=True, capture_output=True)
            seconds[name] = tuple(value / submissions for value in timed(commands, root))
    return seconds


def kernel_per_notebook_phases(course: Course, assignment: str) -> dict[str, float]:
    """Median seconds of a kernel's start, the notebook's imports and its cells, a kernel per notebook."""
    notebook = course.submission("student000", assignment) / f"{assignment}.ipynb"
    modules = host.modules_to_preload(notebook.read_text())
    samples = []
    for _ in range(PHASE_SAMPLES):
        nb = nbformat.read(notebook, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell("\n".join(f"import {name}" for name in modules)))
        client = NotebookClient(nb, timeout=120, allow_errors=True, extra_arguments=["--IPKernelApp.log_level=ERROR"],
                                resources={"metadata": {"path": str(notebook.parent)}})
        started = time.perf_counter()
        with client.setup_kernel():
            ready = time.perf_counter()
            client.execute_cell(nb.cells[0], 0)
            imported = time.perf_counter()
            for index, cell in enumerate(nb.cells[1:], start=1):
                client.execute_cell(cell, index)
            done = time.perf_counter()
        samples.append({"start": ready - started, "imports": imported - ready, "cells": done - imported})
    return {phase: statistics.median(sample[phase] for sample in samples) for phase in samples[0]}


def template_phases(course: Course, assignment: str) -> dict[str, float]:
    """Median seconds of gradlab's per-submission phases (jobs 1, sandboxed), and of a template's start and
    imports, paid once per batch."""
    notebook = course.submission("student000", assignment) / f"{assignment}.ipynb"
    modules = host.modules_to_preload(notebook.read_text())
    starts = {}
    for name, preloaded in (("start", ()), ("imports", modules)):
        times = []
        for _ in range(PHASE_SAMPLES):
            started = time.perf_counter()
            host.Template(preloaded, sandboxed=True).close()
            times.append(time.perf_counter() - started)
        starts[name] = statistics.median(times)
    starts["imports"] -= starts["start"]
    phases = {"kernel": [], "cells": [], "recording": [], "feedback": []}
    with _timing(sandbox, "execute", lambda executed, seconds: (phases["kernel"].append(executed.kernel_seconds),
                                                               phases["cells"].append(executed.seconds - executed.kernel_seconds))), \
            _timing(recording, "record", lambda _, seconds: phases["recording"].append(seconds)), \
            _timing(recording, "publish", lambda _, seconds: phases["feedback"].append(seconds)):
        grade_batch(course, [assignment], jobs=1, students=PERFECT_STUDENTS)
    return {**{f"{name} (once per batch)": seconds for name, seconds in starts.items()},
            **{name: statistics.median(values) for name, values in phases.items()}}


@contextlib.contextmanager
def _timing(module, name: str, note):
    """Call ``note(result, seconds)`` after every call of ``module.name`` while in the block."""
    original = getattr(module, name)

    def timed_call(*args, **kwargs):
        started = time.perf_counter()
        result = original(*args, **kwargs)
        note(result, time.perf_counter() - started)
        return result

    setattr(module, name, timed_call)
    try:
        yield
    finally:
        setattr(module, name, original)


MEMORY_PROBE = """
import json, os, resource, sys, threading, time
from pathlib import Path
from gradlab.batch import grade_batch
from gradlab.course import Course

def tree_rss_kb():
    pids, total = [os.getpid()], 0
    while pids:
        pid = pids.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0]) if "VmRSS:" in status else 0
            for task in os.listdir(f"/proc/{pid}/task"):
                pids += map(int, Path(f"/proc/{pid}/task/{task}/children").read_text().split())
        except (OSError, ValueError):
            pass
    return total

peak = [0]
def sample():
    while True:
        peak[0] = max(peak[0], tree_rss_kb())
        time.sleep(0.2)
threading.Thread(target=sample, daemon=True).start()
started = time.perf_counter()
outcomes = grade_batch(Course.load(sys.argv[1]), [sys.argv[2]], jobs=2)
print(json.dumps({"seconds": time.perf_counter() - started, "graded": len(outcomes),
                  "grader_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "tree_kb": peak[0]}))
"""


def memory(assignment: str, counts, material: Path) -> dict[int, dict]:
    """Peak memory of grading ``count`` submissions (jobs 2, sandboxed), for each count."""
    measured = {}
    for count in counts:
        with tempfile.TemporaryDirectory(prefix="gradlab-bench-") as tmp:
            root = build_course(Path(tmp), assignment, count, material)
            out = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(root), assignment], env=ENV, check=True,
                                 capture_output=True, text=True).stdout
            measured[count] = json.loads(out.strip().splitlines()[-1])
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=12)
    parser.add_argument("--assignment", action="append", help=f"default: {', '.join(ASSIGNMENTS)}")
    parser.add_argument("--memory", type=int, nargs=2, default=(20, 200), metavar="N",
                        help="the small and the large batch of the memory check (default: 20 200)")
    parser.add_argument("--material", type=Path, default=REPO, metavar="CHECKOUT",
                        help="take the assignments from another checkout, to compare graders on the same notebooks")
    args = parser.parse_args()
    assignments = args.assignment or ASSIGNMENTS
    print(f"{args.submissions} submissions per assignment (perfect, partial, blank in turn), {os.cpu_count()} cores")
    for assignment in assignments:
        seconds = speed(assignment, args.submissions, args.material)
        baseline = seconds[BASELINE][0]
        print(f"\n{assignment}: {'wall s':>7} {'cpu s':>7} per notebook {'per hour':>9}  speed against {BASELINE}")
        for name, (wall, cpu) in seconds.items():
            print(f"  {name:<36} {wall:7.2f} {cpu:7.2f} {3600 / wall:18.0f}  {baseline / wall:5.2f}x")
    print(f"\nPhases, median seconds of {PHASE_SAMPLES} (perfect submissions; gradlab sandboxed, --jobs 1)")
    for assignment in assignments:
        with tempfile.TemporaryDirectory(prefix="gradlab-bench-") as tmp:
            course = Course.load(build_course(Path(tmp), assignment, PHASE_SAMPLES * 3 - 2, args.material))
            before = kernel_per_notebook_phases(course, assignment)
            after = template_phases(course, assignment)
        print(f"  {assignment}, a kernel per notebook: "
              + ", ".join(f"{name} {value:.2f}" for name, value in before.items())
              + f"; per notebook {sum(before.values()):.2f}")
        per_submission = sum(value for name, value in after.items() if "once" not in name)
        print(f"  {assignment}, gradlab's template:    "
              + ", ".join(f"{name} {value:.2f}" for name, value in after.items())
              + f"; per notebook {per_submission:.2f}")
    assignment = assignments[0]
    small, large = args.memory
    print(f"\nMemory, {assignment} at --jobs 2: peak resident memory")
    measured = memory(assignment, (small, large), args.material)
    for count, values in measured.items():
        print(f"  {count:>4} submissions: grader {values['grader_kb'] / 1024:6.0f} MiB, grader and sandboxes "
              f"{values['tree_kb'] / 1024:6.0f} MiB, {values['seconds'] / count:.2f} s per notebook")
    growth = measured[large]["grader_kb"] / measured[small]["grader_kb"]
    print(f"  the grader's peak at {large} is {growth:.2f}x its peak at {small}")


if __name__ == "__main__":
    main()
