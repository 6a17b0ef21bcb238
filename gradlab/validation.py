"""Checking the course itself: sources grade full marks, releases grade zero, nothing leaks, nothing is stale."""

import filecmp
import re
import shutil

from nbgrader.nbgraderformat import MetadataValidator

from gradlab import notebooks as nbs
from gradlab import sandbox
from gradlab.course import Course
from gradlab.recording import grade_submission
from gradlab.nbgrader_api import NbgraderStepFailed, generate_assignment
from gradlab.release import leaks_in_release
from gradlab.scratch import scratch_course

REFERENCE, UNANSWERED = "reference-solution", "unanswered-release"
TEST_ID = re.compile(r"^test_[A-Za-z_][A-Za-z0-9_]*?(__[A-Za-z0-9_]+)?$")


def validate(course: Course, assignments) -> list[str]:
    """Every problem found in ``assignments``, each prefixed with its assignment; empty when all is well."""
    sandbox.check_available()  # the sources and releases are graded as submissions are
    problems = []
    for assignment in assignments:
        problems += [f"{assignment}: {p}" for p in source_problems(course, assignment)]
    with scratch_course(course, assignments) as scratch:
        scratch.config.IgnorePattern.enabled = False  # a warning in the source itself is a defect
        for assignment in assignments:
            try:
                generate_assignment(scratch, assignment)
            except NbgraderStepFailed as error:
                problems.append(f"{assignment}: {error}")
                continue
            problems += leaks_in_release(scratch, assignment)
            problems += [f"{assignment}: {p}" for p in stale_release(course, scratch, assignment)]
            problems += [f"{assignment}: {p}" for p in grading_problems(scratch, assignment)]
    return problems


def source_problems(course: Course, assignment: str) -> list[str]:
    """Problems visible in the source notebook itself: metadata, naming, outputs, markers."""
    path = course.source_notebook(assignment)
    if not path.is_file():
        return [f"{path.relative_to(course.root)} does not exist"]
    nb = nbs.read(path)
    problems = []
    try:
        MetadataValidator().validate_nb(nb)
    except Exception as error:
        problems.append(f"invalid nbgrader metadata: {error}")
    ids = [nbs.grade_id(c) for c in nb.cells if nbs.grade_id(c)]
    problems += [f"grade id {i!r} is used more than once" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for cell in nb.cells:
        where = nbs.grade_id(cell) or cell.get("id", "?")
        if nbs.has_outputs(cell):
            problems.append(f"cell {where}: outputs are not stripped")
        if nbs.is_solution_cell(cell) and nbs.SOLUTION_MARKERS[0] not in cell.source:
            problems.append(f"cell {where}: solution cell without {nbs.SOLUTION_MARKERS[0]!r}")
        if nbs.is_test_cell(cell):
            problems += _test_cell_problems(nb, cell)
    if not nbs.test_points(nb):
        problems.append("no autograded test cells")
    return problems


def _test_cell_problems(nb, cell) -> list[str]:
    cell_id = nbs.grade_id(cell)
    if not TEST_ID.match(cell_id):
        return [f"test cell {cell_id!r}: name it test_NAME or test_NAME__PART after the function it checks"]
    try:
        nbs.defining_cell(nb, nbs.tested_name(cell_id))
    except KeyError:
        return [f"test cell {cell_id!r}: no solution cell defines {nbs.tested_name(cell_id)!r}"]
    if not cell.metadata.nbgrader.get("locked"):
        return [f"test cell {cell_id!r} is not locked"]
    return []


def stale_release(course: Course, fresh: Course, assignment: str) -> list[str]:
    """Files of ``release/<assignment>`` that differ from a fresh release of the source."""
    committed, regenerated = course.release / assignment, fresh.release / assignment
    if not committed.is_dir():
        return [f"release/{assignment} is missing: run gradlab release {assignment}"]
    comparison = filecmp.dircmp(committed, regenerated, ignore=[".ipynb_checkpoints", "__pycache__"])
    stale = comparison.left_only + comparison.right_only + comparison.diff_files
    return [f"release/{assignment}/{name} is out of date: run gradlab release {assignment}" for name in sorted(stale)]


def grading_problems(scratch: Course, assignment: str) -> list[str]:
    """Grade the source (must earn every point) and the blank release (must earn none)."""
    problems = []
    for student, notebook in ((REFERENCE, scratch.source_notebook(assignment)),
                              (UNANSWERED, scratch.release_notebook(assignment))):
        destination = scratch.submission(student, assignment)
        destination.mkdir(parents=True)
        shutil.copy2(notebook, destination / notebook.name)
    reference = grade_submission(scratch, assignment, REFERENCE)
    if not reference.graded:
        problems.append(f"the source notebook could not be graded: {reference.reason}")
    else:
        problems += [f"source scores {reference.cells[c]:g} on {c} (worth {p:g})"
                     for c, p in nbs.test_points(nbs.read(scratch.source_notebook(assignment))).items()
                     if reference.cells[c] != p]
        problems += _executed_cell_problems(scratch, assignment)
    unanswered = grade_submission(scratch, assignment, UNANSWERED)
    if not unanswered.graded:
        problems.append(f"the released notebook could not be graded: {unanswered.reason}")
    problems += [f"the unanswered release scores {score:g} on {cell}" for cell, score in unanswered.cells.items() if score]
    return problems


def _executed_cell_problems(scratch: Course, assignment: str) -> list[str]:
    """Errors or stderr in any cell of the executed source notebook (test cells or not)."""
    executed = nbs.read(scratch.autograded / REFERENCE / assignment / f"{assignment}.ipynb")
    problems = []
    for cell in executed.cells:
        where = nbs.grade_id(cell) or cell.get("id", "?")
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                problems.append(f"source cell {where} raises {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                problems.append(f"source cell {where} writes to stderr: {output.text.strip()[:200]}")
    return problems
