"""Math in feedback pages rendered when the page is written, so it shows without a network.

nbconvert leaves ``$...$`` and ``$$...$$`` for MathJax, which a page loads from the network; a student who
opens their feedback offline sees raw LaTeX. ``RenderMath`` turns the math of every markdown cell into
MathML, which browsers draw themselves. Code spans and fences are left as they are.
"""

import re

from latex2mathml.converter import convert
from nbgrader.preprocessors import NbGraderPreprocessor

CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)
MATH = re.compile(r"(?<![\\$])\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\d)", re.S)


def render_math(markdown: str) -> str:
    """``markdown`` with its display and inline math as MathML; math that does not convert stays LaTeX."""
    parts = CODE.split(markdown)
    return "".join(part if index % 2 else MATH.sub(_mathml, part) for index, part in enumerate(parts))


def _mathml(match: re.Match) -> str:
    display, inline = match.groups()
    try:
        return convert((display or inline).strip(), display="block" if display else "inline")
    except Exception:  # latex2mathml raises many types for TeX it does not know
        return match.group(0)


class RenderMath(NbGraderPreprocessor):
    """Markdown cells' math as MathML (see the module's docstring)."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = render_math(cell.source)
        return cell, resources
