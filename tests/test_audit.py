"""The tamper audit: exact flags for each rule family, and silence on ordinary course code."""

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from gradlab import notebooks as nbs
from gradlab.audit import audit_notebook

REPO = Path(__file__).resolve().parents[1]


def solution(grade_id, source):
    return new_code_cell(source, metadata={"nbgrader": {
        "grade": False, "grade_id": grade_id, "locked": False, "schema_version": 3, "solution": True,
        "task": False}})


def locked_test(grade_id, source):
    return new_code_cell(source, metadata={"nbgrader": {
        "grade": True, "grade_id": grade_id, "locked": True, "points": 1, "schema_version": 3,
        "solution": False, "task": False}})


def notebook(*cells):
    """A notebook of `cells`; a plain string is a code cell without nbgrader metadata."""
    nb = new_notebook()
    nb.cells = [new_code_cell(cell) if isinstance(cell, str) else cell for cell in cells]
    return nb


def audit_solution(source):
    """The flags of one solution cell `mse_loss` after a cell importing math, os, sys, numpy and torch."""
    return audit_notebook(notebook("import math\nimport os\nimport sys\n\nimport numpy as np\nimport torch",
                                   solution("mse_loss", source)))


CLEAN_SOLUTION = '''\
class Value:
    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")
        out.data = out.data
        return out

    __radd__, __rmul__ = __add__, __mul__

    def __neg__(self):
        return self * -1

    def __pow__(self, n):
        return Value(self.data ** n, (self,), f"**{n}")

    def __truediv__(self, other):
        return self * other ** -1

    def exp(self):
        return Value(math.exp(self.data), (self,), "exp")

    def backward(self):
        order, stack, seen = [], [(self, False)], set()
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


def mse_loss_and_grad(X, y, w):
    np.seterr(over="ignore")
    rng = np.random.default_rng(0)
    torch.manual_seed(0)
    residual = X @ w - y + 0 * rng.normal()
    return float(np.mean(residual ** 2)), 2 * X.T @ residual / len(y)


def torch_step(model, x, lr):
    x.requires_grad_(True)
    loss = model(x).sum()
    loss.backward()
    with torch.no_grad():
        for w in model.parameters():
            w.data = w.data - lr * w.grad
            w.grad.zero_()
    model.weight.data = model.weight.data.clamp(-1, 1)
    plt.plot([1, 2], [3, 4])
    return model.eval()
'''


def test_ordinary_course_code_is_clean():
    assert audit_solution(CLEAN_SOLUTION) == ()


@pytest.mark.parametrize("source, expected", [
    ("x = 1\nnp.allclose = lambda *a, **k: True", ("mse_loss line 2: rebinds np.allclose",)),
    ("np.testing.assert_allclose = print", ("mse_loss line 1: rebinds np.testing.assert_allclose",)),
    ("import builtins\nbuiltins.abs = lambda x: 0", ("mse_loss line 2: rebinds builtins.abs",)),
    ("torch.Tensor.__eq__ = lambda a, b: True", ("mse_loss line 1: rebinds torch.Tensor.__eq__",)),
    ("math.pi += 1", ("mse_loss line 1: rebinds math.pi",)),
    ("def f():\n    del np.allclose", ("mse_loss line 2: deletes np.allclose",)),
    ("np = FakeNumpy()", ("mse_loss line 1: rebinds np",)),
    ("for torch in [None]:\n    pass", ("mse_loss line 1: rebinds torch",)),
])
def test_rebinding_a_module_or_its_attributes_is_flagged(source, expected):
    assert audit_solution(source) == expected


def test_a_module_name_reused_inside_a_function_is_clean():
    assert audit_solution("def f(x):\n    np = x\n    math = [m for m in x]\n    return np, math") == ()


def test_imports_anywhere_in_the_notebook_make_aliases():
    nb = notebook(solution("mse_loss", "xp.allclose = ok\nlinalg.norm = ok\ngo(['ls'])"),
                  "import numpy as xp\nfrom numpy import linalg\nfrom subprocess import run as go")
    assert audit_notebook(nb) == ("mse_loss line 1: rebinds xp.allclose", "mse_loss line 2: rebinds linalg.norm",
                                  "mse_loss line 3: runs a subprocess", "cell 1 line 3: imports subprocess")


@pytest.mark.parametrize("source, expected", [
    ("setattr(np, 'allclose', ok)", "setattr on a module"),
    ("delattr(np.testing, 'assert_allclose')", "delattr on a module"),
    ("__builtins__['abs'] = ok", "rebinds __builtins__['abs']"),
    ("builtins.__dict__['abs'] = ok", "rebinds builtins.__dict__['abs']"),
    ("vars(np)['allclose'] = ok", "rebinds vars(np)['allclose']"),
    ("globals()['np'] = fake", "rebinds globals()['np']"),
    ("sys.modules['numpy'] = fake", "rebinds sys.modules['numpy']"),
    ("del sys.modules['numpy']", "deletes sys.modules['numpy']"),
    ("np.__dict__.update(allclose=ok)", "rebinds entries of np.__dict__"),
])
def test_changing_a_namespace_is_flagged(source, expected):
    assert audit_solution(source) == (f"mse_loss line 1: {expected}",)


def test_setattr_and_namespaces_of_ordinary_objects_are_clean():
    assert audit_solution("setattr(self, 'grad', 0.0)\nvars(self)['grad'] = 0.0\nnode.__dict__['x'] = 1") == ()


def test_methods_that_trick_comparisons_are_flagged():
    source = ("class Anything:\n    def __eq__(self, other):\n        return True\n\n"
              "    __hash__ = None\n\n    def __array_ufunc__(self, *args, **kwargs):\n        return True\n"
              "Value.__bool__ = lambda self: True")
    assert audit_solution(source) == ("mse_loss line 2: defines __eq__", "mse_loss line 5: defines __hash__",
                                      "mse_loss line 7: defines __array_ufunc__", "mse_loss line 9: defines __bool__")


@pytest.mark.parametrize("source, expected", [
    ("caller = sys._getframe(1).f_back.f_globals",
     ("line 1: inspects frames (.f_back)", "line 1: inspects frames (.f_globals)",
      "line 1: inspects frames (sys._getframe)")),
    ("import inspect\nframe = inspect.currentframe()", ("line 2: inspects frames (inspect.currentframe)",)),
    ("sys.settrace(None)", ("line 1: inspects frames (sys.settrace)",)),
    ("frame = error.__traceback__.tb_frame", ("line 1: inspects frames (.tb_frame)",)),
    ("import gc\nobjects = gc.get_objects()", ("line 2: uses gc.get_objects",)),
])
def test_frame_and_interpreter_introspection_is_flagged(source, expected):
    assert audit_solution(source) == tuple(f"mse_loss {flag}" for flag in expected)


@pytest.mark.parametrize("source, expected", [
    ("text = open('source/01.ipynb').read()", ("line 1: opens a file",)),
    ("with io.open('x') as f:\n    pass", ("line 1: opens a file",)),
    ("w = np.load('answers.npy')", ("line 1: opens a file",)),
    ("files = os.listdir('.')", ("line 1: lists a directory",)),
    ("os.remove('gradebook.db')", ("line 1: touches files (os.remove)",)),
    ("import shutil\nshutil.rmtree('source')", ("line 2: touches files (shutil.rmtree)",)),
    ("import pathlib\npathlib.Path('x').read_text()", ("line 2: touches files (pathlib.Path)",)),
    ("from pathlib import Path\nPath('x').write_text('')", ("line 2: touches files (pathlib.Path)",)),
    ("os.system('ls')", ("line 1: runs a subprocess",)),
    ("os.execv('/bin/sh', [])", ("line 1: runs a subprocess",)),
    ("os.kill(os.getpid(), 9)", ("line 1: kills or exits the process",)),
    ("sys.exit(0)", ("line 1: kills or exits the process",)),
    ("exit()", ("line 1: kills or exits the process",)),
    ("import requests\nrequests.get('http://x')",
     ("line 1: imports requests", "line 2: network access (requests.get)")),
])
def test_file_process_and_network_access_is_flagged(source, expected):
    assert audit_solution(source) == tuple(f"mse_loss {flag}" for flag in expected)


def test_risky_imports_are_flagged():
    source = ("import socket\nfrom urllib.request import urlopen\nimport ctypes, pickle\n"
              "import subprocess as sp\nsp.run('ls')")
    assert audit_solution(source) == (
        "mse_loss line 1: imports socket", "mse_loss line 2: imports urllib", "mse_loss line 3: imports ctypes",
        "mse_loss line 3: imports pickle", "mse_loss line 4: imports subprocess", "mse_loss line 5: runs a subprocess")


@pytest.mark.parametrize("source, expected", [
    ("exec('x = 1')", "line 1: exec/eval"),
    ("y = eval('1 + 1')", "line 1: exec/eval"),
    ("code = compile('1', 'f', 'eval')", "line 1: compiles code"),
    ("numpy = __import__('numpy')", "line 1: imports dynamically (__import__)"),
    ("get_ipython().run_line_magic('load', 'x')", "line 1: touches the IPython shell (get_ipython)"),
    ("from IPython import get_ipython as shell\nshell()", "line 2: touches the IPython shell (get_ipython)"),
])
def test_dynamic_code_and_the_shell_are_flagged(source, expected):
    assert audit_solution(source) == (f"mse_loss {expected}",)


def test_magics_and_shell_lines_keep_line_numbers():
    source = ("%matplotlib inline\n!ls\ndef f(a, b):\n    %time x = 1\n"
              "    same = (a\n            != b)\n    return open('a')")
    assert audit_solution(source) == ("mse_loss line 7: opens a file",)


def test_a_cell_that_does_not_parse_gets_one_flag_and_the_rest_is_still_scanned():
    nb = notebook("def broken(:\n    np.allclose = ok", solution("mse_loss", "open('a')"))
    assert audit_notebook(nb) == ("cell 0: does not parse as Python (invalid syntax)", "mse_loss line 1: opens a file")


def test_a_cell_too_deep_to_walk_is_reported_with_what_was_found_before():
    nb = notebook("open('a')\nx = " + " + ".join(["1"] * 1000))
    assert audit_notebook(nb) == ("cell 0: nested too deeply to scan", "cell 0 line 1: opens a file")


def test_locked_test_cells_are_skipped_and_flags_come_once_in_cell_then_line_order():
    nb = notebook(locked_test("test_mse_loss", "answers = open('hidden.txt').read()"),
                  "x = 1\ny = open('a')", solution("mse_loss", "open('a'); open('b')\nz = open('c')"))
    assert audit_notebook(nb) == ("cell 1 line 2: opens a file", "mse_loss line 1: opens a file",
                                  "mse_loss line 2: opens a file")


@pytest.mark.parametrize("path", sorted((REPO / "source").glob("*/*.ipynb")), ids=lambda path: path.stem)
def test_the_course_reference_solutions_are_clean(path):
    source = nbformat.read(str(path), as_version=4)
    solutions = notebook(*(cell for cell in source.cells if nbs.is_solution_cell(cell)))
    assert solutions.cells
    assert audit_notebook(solutions) == ()
