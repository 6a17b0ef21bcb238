"""Math in feedback pages is MathML, drawn by the browser without a network; code keeps its dollars."""

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from gradlab.math_render import RenderMath, render_math

MATHML = 'xmlns="http://www.w3.org/1998/Math/MathML"'


def test_inline_and_display_math_become_mathml():
    rendered = render_math(r"The loss $L = \frac{1}{n}\lVert r\rVert^2$ has gradient $$\nabla L = \frac{2}{n} X^\top r$$")
    assert rendered.startswith(f'The loss <math {MATHML} display="inline">')
    assert f' has gradient <math {MATHML} display="block">' in rendered
    assert "$" not in rendered
    assert rendered.endswith("<mrow><mo>&#x02207;</mo><mi>L</mi><mo>&#x0003D;</mo><mfrac><mrow><mn>2</mn></mrow>"
                             "<mrow><mi>n</mi></mrow></mfrac><msup><mi>X</mi><mo>&#x022A4;</mo></msup><mi>r</mi></mrow></math>")


def test_code_prices_and_lone_dollars_stay_as_written():
    text = "Run `echo $HOME $PATH` then\n```\nx = '$a$'\n```\nIt costs \\$5, or 3$ and 4$."
    assert render_math(text) == text


def test_only_markdown_cells_are_rendered():
    nb = new_notebook(cells=[new_markdown_cell("$x^2$"), new_code_cell("s = '$x^2$'")])
    nb, _ = RenderMath().preprocess(nb, {})
    assert nb.cells[0].source == f'<math {MATHML} display="inline"><mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math>'
    assert nb.cells[1].source == "s = '$x^2$'"
