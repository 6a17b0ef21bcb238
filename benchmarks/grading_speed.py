"""Seconds per notebook: plain sequential ``nbgrader autograde`` (alone, and followed by ``generate_feedback``)
against ``gradlab grade --jobs 1`` (without and with the sandbox) and ``--jobs 2`` (sandboxed), each with
feedback, on the same synthetic submissions, in one run. Wall time, and the CPU time the whole machine was
busy (Linux), per notebook.

    .venv/bin/python benchmarks/grading_speed.py [--submissions M] [--assignment ID] [--material CHECKOUT]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gradlab import notebooks as nbs
from gradlab import synthetic
from gradlab.course import CONFIG_FILE, Course

REPO = Path(__file__).resolve().parents[1]
BASELINE = "nbgrader autograde (sequential)"
NBGRADER_AS_SHIPPED = ("\nfrom nbgrader.converters import Autograde, GenerateFeedback\n"
                       "c.Autograde.autograde_preprocessors = Autograde.autograde_preprocessors.default()\n"
                       "c.GenerateFeedback.preprocessors = GenerateFeedback.preprocessors.default()\n")
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}  # nbgrader runs alembic


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=12)
    parser.add_argument("--assignment", default="03_mse_gradients")
    parser.add_argument("--material", type=Path, default=REPO, metavar="CHECKOUT",
                        help="take the assignment from another checkout, to compare graders on the same notebook")
    args = parser.parse_args()
    nbgrader, gradlab = str(Path(sys.executable).parent / "nbgrader"), str(Path(sys.executable).parent / "gradlab")
    autograde = [nbgrader, "autograde", args.assignment, "--create"]
    runs = {
        BASELINE: [autograde],
        "nbgrader autograde + feedback": [autograde, [nbgrader, "generate_feedback", args.assignment]],
        "gradlab grade --jobs 1 --no-sandbox": [[gradlab, "grade", args.assignment, "--jobs", "1", "--quiet", "--no-sandbox"]],
        "gradlab grade --jobs 1": [[gradlab, "grade", args.assignment, "--jobs", "1", "--quiet"]],
        "gradlab grade --jobs 2": [[gradlab, "grade", args.assignment, "--jobs", "2", "--quiet"]],
    }
    seconds = {}
    for name, commands in runs.items():
        with tempfile.TemporaryDirectory(prefix="gradlab-bench-") as tmp:
            root = build_course(Path(tmp), args.assignment, args.submissions, args.material)
            if name.startswith("nbgrader"):
                with open(root / CONFIG_FILE, "a") as config:  # the course refuses unsandboxed autograde
                    config.write(NBGRADER_AS_SHIPPED)
                subprocess.run([nbgrader, "generate_assignment", args.assignment, "--force"],
                               cwd=root, env=ENV, check=True, capture_output=True)
            seconds[name] = [value / args.submissions for value in timed(commands, root)]
    baseline = seconds[BASELINE][0]
    print(f"{args.submissions} submissions of {args.assignment} (perfect, partial, blank in turn), {os.cpu_count()} cores")
    print(f"{'':<34} {'wall s':>7} {'cpu s':>7}  per notebook; speed against {BASELINE}")
    for name, (wall, cpu) in seconds.items():
        print(f"{name:<34} {wall:7.2f} {cpu:7.2f}  {baseline / wall:5.2f}x")


if __name__ == "__main__":
    main()
