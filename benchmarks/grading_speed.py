"""Seconds per notebook: plain sequential ``nbgrader autograde`` against ``gradlab grade --jobs 1`` and
``--jobs 2`` (sandboxed, with feedback), on the same synthetic submissions, in one run.

    .venv/bin/python benchmarks/grading_speed.py [--submissions M] [--assignment ID]
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
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}  # nbgrader runs alembic


def build_course(root: Path, assignment: str, submissions: int) -> Path:
    """A copy of the course's sources and release with ``submissions`` students: perfect, partial and blank in turn."""
    shutil.copy(REPO / CONFIG_FILE, root / CONFIG_FILE)
    for folder in ("source", "release"):
        shutil.copytree(REPO / folder / assignment, root / folder / assignment)
    course = Course.load(root)
    source, released = nbs.read(course.source_notebook(assignment)), nbs.read(course.release_notebook(assignment))
    kinds = (synthetic.reference_filled(source, released), synthetic.partially_done(source, released)[0], released)
    for i in range(submissions):
        nbs.write(kinds[i % 3], course.submission(f"student{i:03d}", assignment) / f"{assignment}.ipynb")
    return root


def timed(command, cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=12)
    parser.add_argument("--assignment", default="03_mse_gradients")
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    runs = {
        "nbgrader autograde (sequential)": [str(bin_dir / "nbgrader"), "autograde", args.assignment, "--create"],
        "gradlab grade --jobs 1": [str(bin_dir / "gradlab"), "grade", args.assignment, "--jobs", "1", "--quiet"],
        "gradlab grade --jobs 2": [str(bin_dir / "gradlab"), "grade", args.assignment, "--jobs", "2", "--quiet"],
    }
    seconds = {}
    for name, command in runs.items():
        with tempfile.TemporaryDirectory(prefix="gradlab-bench-") as tmp:
            root = build_course(Path(tmp), args.assignment, args.submissions)
            if name.startswith("nbgrader"):
                subprocess.run([str(bin_dir / "nbgrader"), "generate_assignment", args.assignment, "--force"],
                               cwd=root, env=ENV, check=True, capture_output=True)
            seconds[name] = timed(command, root) / args.submissions
    baseline = seconds["nbgrader autograde (sequential)"]
    print(f"{args.submissions} submissions of {args.assignment} (perfect, partial, blank in turn)")
    for name, value in seconds.items():
        print(f"{name:<34} {value:6.2f} s per notebook   {baseline / value:5.2f}x the speed of nbgrader")


if __name__ == "__main__":
    main()
