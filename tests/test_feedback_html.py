"""Feedback pages: the same document nbconvert's HTMLExporter makes, made accessible by lxml instead."""

import base64
import copy

import nbformat
from lxml import html as lxml_html
from nbconvert.exporters import HTMLExporter
from traitlets.config import Config

from gradlab.feedback_html import MISSING_ALT_TEXT, FeedbackExporter, accessible

PIXEL = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")).decode()


def _notebook():
    v4 = nbformat.v4
    return v4.new_notebook(cells=[
        v4.new_markdown_cell("# Gradients ∇f, é, 😀\n\n![a plot](plot.png) and <img src='bare.png'>"),
        v4.new_code_cell("if a < b and c > d:\n    print('<b>&</b>')", outputs=[
            v4.new_output("stream", name="stdout", text="<script>alert(1)</script> & ü\n"),
            v4.new_output("display_data", data={"image/png": PIXEL, "text/plain": "<Figure>"}),
            v4.new_output("execute_result", data={"text/html": "<img src='x.png' alt='kept'><img src='y.png'>"},
                          execution_count=1),
        ], execution_count=1),
    ], metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})


def _tree(element):
    """An element's tag, attributes (class as its list of names), text and children, for comparison."""
    attributes = {name: value.split() if name == "class" else value for name, value in element.attrib.items()}
    return (element.tag, attributes, (element.text or "").strip(), (element.tail or "").strip(),
            [_tree(child) for child in element])


def test_the_page_is_nbconverts_page_element_for_element():
    config = Config()
    config.HTMLExporter.template_name = "lab"
    notebook = _notebook()
    expected, _ = HTMLExporter(config=config).from_notebook_node(copy.deepcopy(notebook))
    page, _ = FeedbackExporter(config=config).from_notebook_node(notebook)
    assert _tree(lxml_html.document_fromstring(page)) == _tree(lxml_html.document_fromstring(expected))
    assert page.startswith("<!DOCTYPE html>")
    assert "∇f, é, 😀" in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ü" in page


def test_images_get_alt_text_and_cells_of_the_notebook_become_focusable():
    page = accessible('<!DOCTYPE html><html><body><img src="a.png"><img src="b.png" alt="b">'
                      '<div class="jp-Notebook x"><div class="jp-Cell-inputWrapper"></div>'
                      '<div class="y jp-OutputArea-output"></div><div class="jp-Cell-inputWrapperX"></div></div>'
                      '<div class="jp-Cell-inputWrapper" id="outside"></div></body></html>')
    document = lxml_html.document_fromstring(page)
    assert [img.get("alt") for img in document.iter("img")] == [MISSING_ALT_TEXT, "b"]
    assert [(div.get("class"), div.get("tabindex")) for div in document.iter("div")] == [
        ("jp-Notebook x", None), ("jp-Cell-inputWrapper", "0"), ("y jp-OutputArea-output", "0"),
        ("jp-Cell-inputWrapperX", None), ("jp-Cell-inputWrapper", None)]
