"""Keeping hidden tests out of feedback: each test cell shows its visible checks with their outputs and,
of its hidden tests, only how they went; and a page that quotes a hidden-test line anyway is withheld.

``HideHiddenTests`` is a step of nbgrader's ``GenerateFeedback`` (set in ``nbgrader_config.py``, so
formgrader's feedback obeys it too); ``hidden_lines_in`` is the check run on every page before it is
returned. Instructors keep the whole autograded notebook in formgrader.
"""

import textwrap

from lxml import html as lxml_html
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from gradlab import notebooks as nbs
from gradlab.sandbox.protocol import HIDDEN, NOT_RUN, PASSED, split_test_source

SHORTEST_DISTINCT_LINE = 12  # shorter lines (`else:`, `return x`) could be anyone's
LINE_CHARACTERS = 96  # a feedback page's output box shows about this many before it scrolls


def hidden_summary(outcome: dict | None) -> str:
    """What a student reads of a test cell's hidden tests."""
    if outcome is None:
        return "Hidden tests: no result was recorded for them."
    if outcome["status"] == PASSED:
        return "Hidden tests: passed."
    if outcome["status"] == NOT_RUN:
        return "Hidden tests: not run, because the visible checks above failed."
    message = textwrap.fill(outcome["message"] or "They did not report back.", LINE_CHARACTERS, break_long_words=False)
    return f"Hidden tests: failed.\n{message}"


class HideHiddenTests(NbGraderPreprocessor):
    """Test cells keep their visible part and its outputs; their hidden part becomes one line saying
    whether it passed and, if not, the first line of its failure message."""

    def preprocess_cell(self, cell, resources, index):
        if not nbs.is_test_cell(cell):
            return cell, resources
        visible, hidden = split_test_source(cell.source)
        recorded = cell.metadata.pop("gradlab", {})
        cell.outputs = cell.outputs[:recorded.get("visible_outputs", 0)]
        if hidden.strip():
            cell.source = f"{visible}\n# ... hidden tests ..." if visible.strip() else "# hidden tests"
            cell.outputs.append(new_output("stream", name="stdout", text=hidden_summary(recorded.get(HIDDEN)) + "\n"))
        return cell, resources


def secret_lines(source_nb, *known_nbs) -> set[str]:
    """The hidden tests' lines long enough to be theirs alone that appear, even as part of a line, in none
    of ``known_nbs`` (the release, which everyone has, and the student's own submission, whose lines they
    wrote themselves)."""
    public = "\n".join(cell.source for nb in known_nbs for cell in nb.cells)
    secret = set()
    for cell in source_nb.cells:
        if nbs.is_test_cell(cell):
            inside, _ = nbs.split_marked(cell.source, nbs.HIDDEN_TEST_MARKERS)
            secret |= {line.strip() for line in inside if len(line.strip()) >= SHORTEST_DISTINCT_LINE}
    return {line for line in secret if line not in public}


def hidden_lines_in(page_html: str, secret: set[str]) -> list[str]:
    """The secret lines that a feedback page shows, as code or within any output."""
    text = lxml_html.fromstring(page_html).text_content()
    return sorted(line for line in secret if line in text)
