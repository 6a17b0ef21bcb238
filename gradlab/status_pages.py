"""Feedback pages for submissions that were not graded (missing, invalid, failed): what happened and what to
do, in a student's words, on a page that looks like nbgrader's feedback pages (it is one, of a one-cell
notebook)."""

import html

from nbformat.v4 import new_markdown_cell, new_notebook

from gradlab.grading import Outcome
from gradlab.statuses import FAILED, INVALID, MISSING

CHECK_IT_OPENS = ("Open your notebook in JupyterLab and check that it opens and still holds every cell of the "
                  "assignment (if cells were deleted, start again from the released notebook and copy your "
                  "answers into it); save it, and submit that file.")
RUN_IT_ALL = ("In JupyterLab, choose <em>Kernel → Restart Kernel and Run All Cells</em>: every cell must run to its "
              "end, within the time limit, without stopping Python (with <code>os._exit</code> or "
              "<code>sys.exit</code>, for example). Fix the cell where it stops, then submit again.")
ASK = "If you think this is a mistake, ask your instructor."


def _code(text: str) -> str:
    return f"<code>{html.escape(text)}</code>"


def what_happened(outcome: Outcome) -> str:
    """Why the submission has no score, for its student (HTML)."""
    notebook = _code(f"{outcome.assignment}.ipynb")
    if outcome.status == MISSING:
        found = (f"we found: {', '.join(map(_code, outcome.ignored_files))}." if outcome.ignored_files
                 else "your submission held no file at all.")
        return f"We found no {notebook} in your submission; {found}"
    if outcome.status == INVALID:
        return f"We could not grade your {notebook}: {html.escape(outcome.reason)}."
    return (f"Your {notebook} was run, but it did not run to its end, so it could not be scored: "
            f"{html.escape(outcome.reason)}.")


def what_to_do(outcome: Outcome) -> str:
    """What the student can do about it (HTML)."""
    return {MISSING: f"Submit the notebook itself, named {_code(f'{outcome.assignment}.ipynb')} "
                     f"(in JupyterLab, <em>File → Download</em> saves it).",
            INVALID: CHECK_IT_OPENS, FAILED: RUN_IT_ALL}[outcome.status]


def status_notebook(outcome: Outcome):
    """The one-cell notebook a status page is made of."""
    return new_notebook(cells=[new_markdown_cell(
        f"## Your submission was not graded\n\n"
        f"**What happened.** {what_happened(outcome)}\n\n"
        f"**What to do.** {what_to_do(outcome)}\n\n{ASK}")])


def status_resources(outcome: Outcome) -> dict:
    """What nbgrader's feedback template reads besides the notebook: its title and the zero score."""
    return {"nbgrader": {"notebook": outcome.assignment, "score": 0.0, "max_score": outcome.total_max,
                         "late_penalty": 0.0}}
