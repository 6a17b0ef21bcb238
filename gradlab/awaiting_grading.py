"""Written answers not graded yet read "awaiting grading" in feedback, not a score of zero.

``MarkAwaitingGrading`` is a step of nbgrader's ``GenerateFeedback`` after ``GetGrades`` (set in
``nbgrader_config.py``, so formgrader's feedback obeys it too): a cell that nbgrader says needs grading by
hand and that has no hand-given score yet shows no score, but a line saying it awaits grading.
"""

from nbformat.v4 import new_output
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

from gradlab import notebooks as nbs


def awaiting_note(points: float) -> str:
    """What a student reads on an answer not graded yet."""
    return (f"Awaiting grading ({points:g} point{'' if points == 1 else 's'}): not graded yet, "
            "so not counted in the score above.")


def awaiting_grading(gradebook: Gradebook, assignment: str, student: str) -> dict[str, float]:
    """Points of each cell of the submission that needs grading by hand and has no hand-given score yet,
    by grade id."""
    notebook = gradebook.find_submission_notebook(assignment, assignment, student)
    return {grade.name: float(grade.max_score) for grade in notebook.grades
            if grade.needs_manual_grade and grade.manual_score is None}


class MarkAwaitingGrading(NbGraderPreprocessor):
    """Cells awaiting grading by hand lose their score line and gain a note saying so (see the module)."""

    def preprocess(self, nb, resources):
        ids = resources["nbgrader"]
        with Gradebook(ids["db_url"]) as gradebook:
            waiting = awaiting_grading(gradebook, ids["assignment"], ids["student"])
        for cell in nb.cells:
            points = waiting.get(nbs.grade_id(cell))
            if points is None:
                continue
            cell.metadata.nbgrader["grade"] = False  # nbgrader's template shows no score on an ungraded cell
            note = awaiting_note(points)
            if cell.cell_type == "markdown":
                cell.source += f"\n\n---\n\n*{note}*"
            else:
                cell.outputs.append(new_output("stream", name="stdout", text=note + "\n"))
        return nb, resources
