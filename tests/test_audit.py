"""The tamper audit, default-deny: honest course code is clean, and every construct outside what the course
needs gets its exact flag."""

import runpy
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from gradlab import notebooks as nbs
from gradlab import synthetic
from gradlab.audit import audit_notebook
from gradlab.course import Course

REPO = Path(__file__).resolve().parents[1]
COURSE = Course.load(REPO)
PRELUDE = "import math\nimport time\n\nimport matplotlib.pyplot as plt\nimport numpy as np\nimport torch"


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
    """The flags of one solution cell `mse_loss` after a cell importing math, time, pyplot, numpy and torch,
    without the cell label."""
    flags = audit_notebook(notebook(PRELUDE, solution("mse_loss", source)))
    assert all(flag.startswith("mse_loss ") for flag in flags), flags
    return tuple(flag.removeprefix("mse_loss ") for flag in flags)


# ---- Honest code ---------------------------------------------------------------------------------------

HONEST = {
    "micrograd": '''
import random


class Value:
    __slots__ = ("data", "grad", "_backward", "_prev", "_op")

    def __init__(self, data, _children=(), _op=""):
        self.data, self.grad = float(data), 0.0
        self._backward = lambda: None
        self._prev, self._op = tuple(_children), _op

    def __repr__(self):
        return f"{type(self).__name__}(data={self.data}, grad={self.grad})"

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
        return Value(self.data * other.data, (self, other), "*")

    __radd__, __rmul__ = __add__, __mul__

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __pow__(self, n):
        assert isinstance(n, (int, float)), "only numbers as powers"
        return Value(self.data ** n, (self,), f"**{n}")

    def __truediv__(self, other):
        return self * other ** -1

    def __rtruediv__(self, other):
        return other * self ** -1

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


Value.__iadd__ = Value.__add__


class Module:
    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self):
        return []


class Neuron(Module):
    def __init__(self, n_in, nonlin=True):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(n_in)]
        self.b = Value(0.0)
        self.nonlin = nonlin

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.tanh() if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]


class MLP(Module):
    def __init__(self, n_in, n_outs):
        sizes = [n_in] + n_outs
        self.layers = [[Neuron(sizes[i], i != len(n_outs) - 1) for _ in range(sizes[i + 1])]
                       for i in range(len(n_outs))]

    def __call__(self, x):
        for layer in self.layers:
            x = [neuron(x) for neuron in layer]
        return x[0] if len(x) == 1 else x

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, index):
        return self.layers[index]

    def __iter__(self):
        return iter(self.layers)

    def parameters(self):
        return [p for layer in self.layers for neuron in layer for p in neuron.parameters()]
''',
    "torch_autograd": '''
class Net(torch.nn.Module):
    def __init__(self, hidden=8):
        super().__init__()
        self.layers = torch.nn.Sequential(torch.nn.Linear(2, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, 1))

    def forward(self, input):
        return self.layers(input).squeeze(-1)


input = torch.randn(4, 2, requires_grad=True)


@torch.no_grad()
def sgd_step(model, lr):
    for p in model.parameters():
        p -= lr * p.grad
        p.grad.zero_()


def torch_step(model, x, y, lr):
    x = x.detach().clone().requires_grad_(True)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x), y)
    loss.backward()
    with torch.no_grad():
        for w in model.parameters():
            w.data = w.data - lr * w.grad
            w.grad = None
    model.layers[0].weight.data.clamp_(-1, 1)
    x.grad.data.zero_()
    (g,) = torch.autograd.grad(model(x).sum(), x, create_graph=True, retain_graph=True)
    hv = torch.autograd.functional.hvp(lambda t: (t ** 3).sum(), x, torch.ones_like(x))[1]
    return model.eval(), g.detach().numpy(), hv.item() if hv.numel() == 1 else hv.tolist()
''',
    "optimizers": '''
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
import copy
import itertools


@dataclass
class Adam:
    lr: float = 1e-3
    betas: tuple = (0.9, 0.999)
    eps: float = 1e-8
    state: dict = field(default_factory=lambda: defaultdict(dict))

    def __post_init__(self):
        self.t = 0

    def step(self, params, grads):
        self.t += 1
        b1, b2 = self.betas
        new = []
        for i, (p, g) in enumerate(zip(params, grads)):
            s = self.state[i]
            s["m"] = b1 * s.get("m", np.zeros_like(g)) + (1 - b1) * g
            s["v"] = b2 * s.get("v", np.zeros_like(g)) + (1 - b2) * g ** 2
            m_hat, v_hat = s["m"] / (1 - b1 ** self.t), s["v"] / (1 - b2 ** self.t)
            new.append(p - self.lr * m_hat / (np.sqrt(v_hat) + self.eps))
        return new


def momentum(grad_f, w0, lr=0.1, beta=0.9, n_steps=100):
    w, v, path = np.array(w0, dtype=float), np.zeros_like(w0, dtype=float), []
    for _ in range(n_steps):
        v = beta * v + grad_f(w)
        w = w - lr * v
        path.append(w.copy())
    return w, np.stack(path)


grid = list(itertools.product([0.01, 0.1], [0.0, 0.9]))
runs = {(lr, beta): partial(momentum, lr=lr, beta=beta) for lr, beta in grid}
best = copy.deepcopy(runs)
''',
    "plots_and_data": '''
%matplotlib inline
%config InlineBackend.figure_format = "svg"
import random
import warnings
from matplotlib.colors import LogNorm
from mpl_toolkits.mplot3d import Axes3D

plt.rcParams["figure.figsize"] = (8, 4)
rng = np.random.default_rng(0)


def two_moons(n, noise=0.1, seed=0):
    gen = np.random.default_rng(seed)
    t = gen.uniform(0.0, np.pi, n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    X = np.vstack([upper, lower]) + noise * gen.normal(size=(2 * n, 2))
    return X, np.repeat([0, 1], n)


X, y = two_moons(100)
g1, g2 = np.meshgrid(np.linspace(-2, 3, 20), np.linspace(-1.5, 2, 20))
U, V = -2 * g1, -2 * g2
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
ax.quiver(g1, g2, U, V, np.hypot(U, V), angles="xy", cmap="viridis", norm=LogNorm())
ax.scatter(*X.T, c=y, s=8)
ax.set(title=f"{len(X)} points", xlabel="$x_1$")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)
    with np.errstate(over="ignore", invalid="ignore"):
        ratio = np.exp(np.array([1e3])) / np.inf
fig.savefig("moons.png")
plt.show()
random.seed(0)
print(f"{ratio!r}", random.random(), "{0:.3f} {1[1]} {p.shape}".format(1.0, (1, 2), p=X), end="\\n", flush=True)
''',
    "timing_and_recursion": '''
import sys
import timeit
from typing import Callable


def seconds(fn: Callable[[], object], repeats: int = 3) -> float:
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


%time result = seconds(lambda: sum(range(100)))
%timeit -n 3 -r 2 seconds(lambda: None)
best = min(timeit.repeat(lambda: seconds(print), number=1, repeat=3))
total = timeit.timeit(stmt=seconds, number=2) + timeit.default_timer()
limit = sys.getrecursionlimit()
sys.setrecursionlimit(max(limit, 10_000))
print(sys.float_info.epsilon, result)
''',
    "plain_python": '''
from __future__ import annotations
import numbers
import statistics
from fractions import Fraction
import cmath
import scipy.special
from scipy.optimize import minimize

counter = 0


def count():
    global counter
    counter += 1
    return counter


def make_accumulator(start=0.0):
    total = start

    def add(x, *rest, scale=1.0, **options):
        nonlocal total
        total += scale * (x + sum(rest))
        return total
    return add


def batches(X, size):
    for start in range(0, len(X), size):
        yield X[start:start + size]


def safe_log(x: float) -> float:
    try:
        return math.log(x)
    except (ValueError, ZeroDivisionError) as error:
        raise ValueError(f"bad input {x!r}") from error
    finally:
        pass


class Dual:
    def __init__(self, value, derivative=0.0):
        self.value, self.derivative = value, derivative

    @property
    def pair(self):
        return self.value, self.derivative

    @pair.setter
    def pair(self, values):
        self.value, self.derivative = values

    @staticmethod
    def constant(c):
        return Dual(c)

    @classmethod
    def variable(cls, x):
        return cls(x, 1.0)

    def __str__(self):
        return f"{self.value} + {self.derivative}eps"


def describe(f):
    is_number = isinstance(f, numbers.Number)
    squares = {k: v ** 2 for k, v in enumerate(range(3)) if (big := v) >= 0}
    evens = {x for x in range(10) if x % 2 == 0}
    return (f.__name__, f.__doc__, is_number, squares, evens, big, hasattr(f, "grad"), getattr(f, "grad", None),
            statistics.mean([1, 2]), Fraction(1, 3), cmath.exp(1j), scipy.special.expit(0.0),
            minimize(lambda w: (w ** 2).sum(), np.ones(2)).x, type(f) is float, dir(f), count())


setattr(Dual, "scale", 2.0)
''',
}


@pytest.mark.parametrize("name", HONEST)
def test_honest_course_code_is_clean(name):
    assert audit_solution(HONEST[name]) == ()


@pytest.mark.parametrize("assignment", COURSE.assignments)
def test_the_course_and_every_realistic_answer_audit_clean(assignment):
    """The source, the release (instructor cells: plotting, data) and the release with the reference solutions
    filled in, alone and with every mutant and alternative of tests/mutants/ put in its function's cell."""
    source = nbs.read(COURSE.source_notebook(assignment))
    released = nbs.read(COURSE.release_notebook(assignment))
    filled = synthetic.reference_filled(source, released)
    cases = runpy.run_path(str(REPO / "tests" / "mutants" / f"{assignment}.py"))
    notebooks = {"source": source, "release": released, "reference": filled} | {
        f"{kind} {name}:{label}": synthetic.with_definition(filled, name, code)
        for kind in ("MUTANTS", "ALTERNATIVES") for name, by_label in cases[kind].items()
        for label, code in by_label.items()}
    assert len(notebooks) > 20
    assert {what: flags for what, nb in notebooks.items() if (flags := audit_notebook(nb))} == {}


# ---- Hostile code: one fixture per denied construct, with its exact flags ------------------------------

DENIED = {  # what: (source, every flag it gets, in order)
    # changing a module, a library class or a builtin
    "module attribute": ("x = 1\nnp.allclose = lambda *a, **k: True", "line 2: rebinds np.allclose"),
    "submodule attribute": ("np.testing.assert_allclose = print", "line 1: rebinds np.testing.assert_allclose"),
    "library class": ("torch.Tensor.__eq__ = lambda a, b: True", "line 1: rebinds torch.Tensor.__eq__"),
    "augmented": ("math.pi += 1", "line 1: rebinds math.pi"),
    "deleted in a function": ("def f():\n    del np.allclose", "line 2: deletes np.allclose"),
    "module name rebound": ("np = FakeNumpy()",
        "line 1: rebinds np", "line 1: uses FakeNumpy, which no cell outside the tests defines"),
    "module name as loop variable": ("for torch in [None]:\n    pass", "line 1: rebinds torch"),
    "module name deleted": ("del math", "line 1: deletes math"),
    "module name rebound from a function": ("def f():\n    global np\n    np = None", "line 3: rebinds np"),
    "builtins shadowed for the tests": ("isinstance = lambda obj, cls: True\ndef type(x):\n    return float",
        "line 1: rebinds the builtin isinstance", "line 2: rebinds the builtin type"),
    "builtin shadowed from a function": ("def f():\n    global len\n    len = lambda x: 3", "line 3: rebinds the builtin len"),
    "builtin shadowed by an import": ("from math import fsum as sum", "line 1: rebinds the builtin sum"),
    "numpy's error state": ("np.seterr(all='ignore')",
        "line 1: changes numpy's error handling for every later cell (numpy.seterr)"),
    "builtins": ("import builtins\nbuiltins.abs = lambda x: 0",
        "line 1: imports builtins", "line 1: reaches the builtins module", "line 2: reaches the builtins module",
        "line 2: rebinds builtins.abs"),
    # dynamic attribute and global access
    "setattr on a module": ("setattr(np, 'allclose', ok)",
        "line 1: setattr on a module", "line 1: uses ok, which no cell outside the tests defines"),
    "setattr with a built name": ("setattr(np, 'all' + 'close', print)", "line 1: setattr on a module"),
    "setattr of an object with a built name": ("def f(x, name):\n    setattr(x, 'g' + name, 0)",
        "line 2: setattr with a computed attribute name"),
    "getattr with a variable": ("def f(x, name):\n    return getattr(x, name)",
        "line 2: getattr with a computed attribute name"),
    "getattr of a special attribute": ("def f(x):\n    return getattr(x, '__globals__')", "line 2: reads __globals__"),
    "setattr of a special method": ("def f(cls):\n    setattr(cls, '__eq__', print)", "line 2: defines __eq__"),
    "hasattr on a module": ("ok = hasattr(torch, 'compile')", "line 1: hasattr on a module"),
    "delattr on a submodule": ("delattr(np.testing, 'assert_allclose')", "line 1: delattr on a module"),
    "getattr of the builtins": ("run = getattr(__builtins__, 'exec')",
        "line 1: getattr on a module", "line 1: reaches the builtins module"),
    "getattr passed around": ("get = getattr\nget(np, 'allclose')",
        "line 1: uses getattr other than by calling it", "line 2: uses the module numpy as a value"),
    "globals": ("globals()['np'].allclose = print", "line 1: reads a namespace (globals())"),
    "globals rebound": ("globals()['np'] = fake",
        "line 1: reads a namespace (globals())", "line 1: rebinds globals()['np']",
        "line 1: uses fake, which no cell outside the tests defines"),
    "locals": ("def f():\n    return locals()", "line 2: reads a namespace (locals())"),
    "vars of a module": ("vars(np)['allclose'] = print",
        "line 1: reads a namespace (vars())", "line 1: rebinds vars(np)['allclose']",
        "line 1: uses the module numpy as a value"),
    "vars of an object": ("def f(x):\n    return vars(x)", "line 2: reads a namespace (vars())"),
    "dir of a module": ("names = dir(np)", "line 1: lists the names of a namespace (dir)"),
    "dir of the globals": ("names = dir()", "line 1: lists the names of a namespace (dir)"),
    "__dict__": ("np.__dict__.update(allclose=print)",
        "line 1: reads __dict__", "line 1: rebinds entries of np.__dict__"),
    "__dict__ of an object": ("def f(x):\n    x.__dict__['grad'] = 0",
        "line 2: reads __dict__", "line 2: rebinds x.__dict__['grad']"),
    "__builtins__ item": ("__builtins__['abs'] = print",
        "line 1: reaches the builtins module", "line 1: rebinds __builtins__['abs']"),
    "sys.modules": ("import sys\nsys.modules['numpy'] = None",
        "line 2: rebinds sys.modules['numpy']", "line 2: uses sys.modules"),
    "sys.modules deleted": ("import sys\ndel sys.modules['numpy']",
        "line 2: deletes sys.modules['numpy']", "line 2: uses sys.modules"),
    # special attributes: interpreter internals
    "subclasses": ("().__class__.__base__.__subclasses__()",
        "line 1: reads __base__", "line 1: reads __class__", "line 1: reads __subclasses__"),
    "function globals": ("def f(g):\n    return g.__globals__['np']", "line 2: reads __globals__"),
    "code and closure": ("def f(g):\n    return g.__code__, g.__closure__, g.__wrapped__, g.__module__",
        "line 2: reads __closure__", "line 2: reads __code__", "line 2: reads __module__",
        "line 2: reads __wrapped__"),
    "bound method internals": ("def f(m):\n    return m.__self__, m.__func__",
        "line 2: reads __func__", "line 2: reads __self__"),
    "mro and bases": ("bases = int.__mro__ + int.__bases__", "line 1: reads __bases__", "line 1: reads __mro__"),
    "object.__setattr__": ("object.__setattr__(x, 'grad', 0)",
        "line 1: reads __setattr__", "line 1: uses x, which no cell outside the tests defines"),
    "super().__setattr__": ("class A:\n    def f(self):\n        super().__setattr__('x', 1)",
        "line 3: reads __setattr__"),
    "__class__ assigned": ("def f(x):\n    x.__class__ = float", "line 2: defines __class__"),
    "__class__ in a method": ("class A:\n    def f(self):\n        return __class__", "line 3: reads __class__"),
    "traceback frames": ("def f(error):\n    return error.__traceback__.tb_frame.f_globals",
        "line 2: inspects frames (.f_globals)", "line 2: inspects frames (.tb_frame)", "line 2: reads __traceback__"),
    # trick objects
    "trick methods": ("class Anything:\n    def __eq__(self, other):\n        return True\n\n    __hash__ = None\n\n"
                      "    def __array_ufunc__(self, *args, **kwargs):\n        return True\nValue.__bool__ = lambda self: True",
        "line 2: defines __eq__", "line 5: defines __hash__", "line 7: defines __array_ufunc__",
        "line 9: defines __bool__", "line 9: uses Value, which no cell outside the tests defines"),
    "comparison and conversion tricks": ("class T:\n    def __lt__(self, o): return True\n"
                                         "    def __float__(self): return 0.0\n"
                                         "    def __getattr__(self, name): return self\n    def __del__(self): pass",
        "line 2: defines __lt__", "line 3: defines __float__", "line 4: defines __getattr__",
        "line 5: defines __del__"),
    "display hooks": ("class Page:\n    def _repr_html_(self):\n        return '<script>x</script>'\n"
                      "Page._ipython_display_ = print",
        "line 2: defines _repr_html_", "line 4: defines _ipython_display_"),
    "torch protocol": ("class T(torch.Tensor):\n    @classmethod\n    def __torch_function__(cls, *a): return True",
        "line 3: defines __torch_function__"),
    "instance check": ("class Meta(type):\n    def __instancecheck__(cls, x): return True\nclass A(metaclass=Meta): pass",
        "line 1: uses type other than by calling it", "line 2: defines __instancecheck__",
        "line 3: creates a class with a metaclass or class keywords"),
    "type with three arguments": ("Trick = type('Trick', (), {'__eq__': lambda s, o: True})",
        "line 1: builds a class with type(name, bases, namespace)"),
    "type passed around": ("make = type\nmake('T', (), {})", "line 1: uses type other than by calling it"),
    # threads, frames, history and source
    "thread": ("import threading\nthreading.Thread(target=print).start()",
        "line 1: imports threading", "line 2: starts threads (threading.Thread)"),
    "thread by alias": ("import threading as t\nt.Thread(target=print).start()",
        "line 1: imports threading", "line 2: starts threads (threading.Thread)"),
    "thread by from-import": ("from threading import Thread as T\nT(target=print).start()",
        "line 1: imports threading", "line 1: starts threads (threading.Thread)",
        "line 2: starts threads (threading.Thread)"),
    "thread by __import__": ("__import__('threading').Thread(target=print).start()",
        "line 1: imports dynamically (__import__)"),
    "thread pool": ("from concurrent.futures import ThreadPoolExecutor",
        "line 1: imports concurrent", "line 1: starts threads (concurrent.futures.ThreadPoolExecutor)"),
    "sys._getframe": ("import sys\ncaller = sys._getframe(1).f_back.f_globals",
        "line 2: inspects frames (.f_back)", "line 2: inspects frames (.f_globals)",
        "line 2: inspects frames (sys._getframe)"),
    "sys.settrace": ("import sys\nsys.settrace(None)", "line 2: inspects frames (sys.settrace)"),
    "another part of sys": ("import sys\nsys.stdout.write('x')", "line 2: uses sys.stdout"),
    "inspect.stack": ("import inspect\nframes = inspect.stack()",
        "line 1: imports inspect", "line 2: inspects frames (inspect.stack)"),
    "inspect.getsource": ("from inspect import getsource\ngetsource(f)",
        "line 1: imports inspect", "line 1: reads source code or tracebacks (inspect.getsource)",
        "line 2: reads source code or tracebacks (inspect.getsource)",
        "line 2: uses f, which no cell outside the tests defines"),
    "traceback": ("import traceback\ntraceback.print_stack()",
        "line 1: imports traceback", "line 2: reads source code or tracebacks (traceback.print_stack)"),
    "linecache": ("import linecache\nlines = linecache.getlines('<ipython-input-3>')",
        "line 1: imports linecache", "line 2: reads source code or tracebacks (linecache.getlines)"),
    "gc": ("import gc\nobjects = gc.get_objects()", "line 1: imports gc", "line 2: uses gc.get_objects"),
    "IPython history manager": ("h = get_ipython().history_manager.input_hist_raw",
        "line 1: touches the IPython shell (get_ipython)"),
    "IPython history variables": ("def f():\n    return In[-1], Out, _ih[2], _i3, _",
        "line 2: reads the IPython history (In)", "line 2: reads the IPython history (Out)",
        "line 2: reads the IPython history (_)", "line 2: reads the IPython history (_i3)",
        "line 2: reads the IPython history (_ih)"),
    "a test's name": ("def f(x):\n    return _ref_forward(x)",
        "line 2: uses _ref_forward, which no cell outside the tests defines"),
    "IPython from-import": ("from IPython import get_ipython as shell\nshell()",
        "line 1: imports IPython", "line 1: touches the IPython shell (get_ipython)",
        "line 2: touches the IPython shell (get_ipython)"),
    # code from strings
    "exec": ("exec('x = 1')", "line 1: exec/eval"),
    "eval": ("y = eval('1 + 1')", "line 1: exec/eval"),
    "compile": ("code = compile('1', 'f', 'eval')", "line 1: compiles code"),
    "__import__": ("numpy = __import__('numpy')", "line 1: imports dynamically (__import__)"),
    "importlib": ("import importlib\nm = importlib.import_module('os')",
        "line 1: imports dynamically (importlib)", "line 1: imports importlib",
        "line 2: imports dynamically (importlib)", "line 2: imports dynamically (importlib.import_module)"),
    "input and breakpoint": ("answer = input()\nbreakpoint()",
        "line 1: waits for the user (input)", "line 2: waits for the user (breakpoint)"),
    "exit": ("exit()", "line 1: kills or exits the process"),
    "quit": ("quit()", "line 1: kills or exits the process"),
    "torch internals": ("torch._C._set_grad_enabled(False)\nf = torch.compile(g)",
        "line 1: uses a private part of torch (torch._C)", "line 2: changes how numpy or torch run (torch.compile)",
        "line 2: uses g, which no cell outside the tests defines"),
    "numpy error hook": ("np.seterrcall(print)", "line 1: changes how numpy or torch run (numpy.seterrcall)"),
    "timeit of a string": ("import timeit\ncode = 'import os'\nt = timeit.timeit(code, number=1)",
        "line 3: builds code from strings (timeit.timeit)"),
    "another part of timeit": ("from timeit import main", "line 1: uses timeit.main"),
    "dataclass from strings": ("import dataclasses\nT = dataclasses.make_dataclass('T', [])",
        "line 2: builds code from strings (dataclasses.make_dataclass)"),
    # files, processes, network
    "open": ("text = open('source/01.ipynb').read()", "line 1: opens a file"),
    "numpy load": ("w = np.load('answers.npy')", "line 1: opens a file"),
    "os": ("import os\nfiles = os.listdir('.')\nos.system('ls')\nos.kill(os.getpid(), 9)",
        "line 1: imports os", "line 2: lists a directory", "line 3: runs a subprocess",
        "line 4: kills or exits the process"),
    "pathlib": ("from pathlib import Path\nPath('x').write_text('')",
        "line 1: imports pathlib", "line 1: touches files (pathlib.Path)", "line 2: touches files (pathlib.Path)"),
    "subprocess": ("import subprocess as sp\nsp.run('ls')", "line 1: imports subprocess", "line 2: runs a subprocess"),
    "socket": ("import socket, ctypes\nsocket.create_connection(('x', 1))",
        "line 1: calls native code (ctypes)", "line 1: imports ctypes", "line 1: imports socket",
        "line 2: network access (socket.create_connection)"),
    "sys.exit": ("import sys\nsys.exit(0)", "line 2: kills or exits the process"),
    # imports
    "import outside the list": ("import pickle\nfrom urllib.request import urlopen",
        "line 1: imports pickle", "line 2: imports urllib", "line 2: network access (urllib.request.urlopen)"),
    "star import": ("from numpy import *", "line 1: imports * from numpy"),
    "relative import": ("from . import helpers", "line 1: imports ."),
    "import in a class body": ("class A:\n    import numpy as lib", "line 2: imports inside a class body"),
    "denied part of an allowed package": ("import torch.utils.cpp_extension",
        "line 1: changes how numpy or torch run (torch.utils.cpp_extension)"),
    "private part of an allowed package": ("from numpy._core import umath",
        "line 1: uses a private part of numpy (numpy._core)"),
    # modules passed around as values
    "module as an argument": ("def patch(m):\n    m.allclose = print\npatch(np)",
        "line 3: uses the module numpy as a value"),
    "module as a default": ("def patch(m=np.testing):\n    pass", "line 1: uses the module numpy.testing as a value"),
    "module in a container": ("mods = [np, torch.nn]",
        "line 1: uses the module numpy as a value", "line 1: uses the module torch.nn as a value"),
    "module as a class attribute": ("class A:\n    lib = np", "line 2: uses the module numpy as a value"),
    "module as an object attribute": ("def f(self):\n    self.lib = np", "line 2: uses the module numpy as a value"),
    # things hidden in lambdas, defaults and decorators
    "lambda": ("f = lambda: open('x')", "line 1: opens a file"),
    "default argument": ("def f(x, run=exec):\n    return run(x)", "line 1: exec/eval"),
    "lambda default": ("f = lambda g=__import__: g('os')", "line 1: imports dynamically (__import__)"),
    "decorator expression": ("@(lambda f: setattr(np, 'allclose', f))\ndef g(): pass",
        "line 1: decorates with lambda f: setattr(np, 'allclose', f)", "line 1: setattr on a module"),
    "decorator from a module": ("@np.testing.suppress_warnings\ndef g(): pass",
        "line 1: decorates with np.testing.suppress_warnings"),
    "annotation": ("def f(x: exec('1')) -> None:\n    pass", "line 1: exec/eval"),
    "format string": ("def leak(f):\n    return '{0.__globals__}'.format(f)",
        "line 2: reads special attributes through a format string"),
    "isinstance made to lie": ("import numbers\nnumbers.Real.register(str)",
        "line 2: makes isinstance lie (numbers.Real.register)"),
    "code in a numpy string": ("np.testing.measure('import os')",
        "line 1: builds code from strings (numpy.testing.measure)"),
    "another builtin": ("view = memoryview(b'x')", "line 1: uses the builtin memoryview"),
    "config magic with code": ("%config InlineBackend.figure_format = __import__('os').name",
        "line 1: runs an IPython command (%config InlineBackend.figure_format = __import__('os').name)"),
    "another magic": ("%load_ext autoreload", "line 1: runs an IPython command (%load_ext autoreload)"),
}


@pytest.mark.parametrize("name", DENIED)
def test_each_denied_construct_gets_its_exact_flags(name):
    source, *expected = DENIED[name]
    assert audit_solution(source) == tuple(expected)


def test_aliases_through_as_from_and_assignment_are_followed():
    nb = notebook(solution("mse_loss", "xp.allclose = ok\nlinalg.norm = ok\ngo(['ls'])\nn = np\nn.allclose = ok\n"
                                       "t, s = torch, np.testing\nt.Tensor.grad = 0\ns.assert_allclose = ok\nm = n\nm.pi = 3"),
                  "import numpy as xp\nfrom numpy import linalg\nfrom subprocess import run as go\nimport numpy as np\n"
                  "import torch\nok = None")
    assert audit_notebook(nb) == (
        "mse_loss line 1: rebinds xp.allclose", "mse_loss line 2: rebinds linalg.norm",
        "mse_loss line 3: runs a subprocess", "mse_loss line 5: rebinds n.allclose (numpy.allclose)",
        "mse_loss line 7: rebinds t.Tensor.grad (torch.Tensor.grad)",
        "mse_loss line 8: rebinds s.assert_allclose (numpy.testing.assert_allclose)",
        "mse_loss line 10: rebinds m.pi (numpy.pi)", "cell 1 line 3: imports subprocess", "cell 1 line 3: runs a subprocess")


def test_aliases_made_inside_functions_are_followed():
    source = ("def f():\n    import numpy as m\n    m.allclose = print\n\n"
              "def g():\n    n = np.testing\n    n.assert_allclose = print\n\n"
              "def h(np):\n    np.grad = 0")
    assert audit_solution(source) == ("line 3: rebinds m.allclose",
                                      "line 7: rebinds n.assert_allclose (numpy.testing.assert_allclose)")


def test_a_variable_named_like_a_builtin_or_module_is_the_notebooks_own():
    source = ("def f(input, open=None, compile=print):\n    np = input\n    math = [m for m in input]\n"
              "    exec, sum = compile, 0\n    return open, np, math, exec(1), sum, [len for len in input]\n\n"
              "class Layer:\n    def forward(self, input):\n        return [eval for eval in input]")
    assert audit_solution(source) == ()


def test_a_parameter_named_like_an_alias_elsewhere_is_the_functions_own():
    source = "F = torch.nn.functional\n\ndef natural_step(F, g):\n    return np.linalg.solve(F, g), [F for F in g]"
    assert audit_solution(source) == ()


def test_a_name_bound_in_another_scope_does_not_hide_a_builtin():
    source = ("def f(open):\n    return open\n\n"
              "class A:\n    exec = print\n\n    def g(self):\n        return exec, open('x')")
    assert audit_solution(source) == ("line 8: exec/eval", "line 8: opens a file")


def test_magics_shell_escapes_and_help_are_flagged_and_time_magics_audited():
    source = ("%matplotlib inline\n!ls\ndef f(a, b):\n    %time x = 1\n    %history -g\n"
              "    same = (a\n            != b)\n    return open('a')\n"
              "files = !ls\nnp.mean?\nf??\n%timeit -n 3 open('b')")
    assert audit_solution(source) == (
        "line 2: runs an IPython command (!ls)", "line 5: runs an IPython command (%history -g)",
        "line 8: opens a file", "line 9: runs an IPython command (files = !ls)",
        "line 10: runs an IPython command (np.mean?)", "line 11: runs an IPython command (f??)", "line 12: opens a file")


def test_a_cell_magic_other_than_time_flags_the_cell():
    assert audit_notebook(notebook("\n%%bash\nrm -rf /", "%%timeit\nx = open('a')")) == (
        "cell 0 line 2: runs an IPython command (%%bash)", "cell 1 line 2: opens a file")


def test_a_lone_name_that_ipython_would_run_as_a_magic_is_flagged():
    assert audit_notebook(notebook("history", "ls -la")) == (
        "cell 0 line 1: uses history, which no cell outside the tests defines",
        "cell 1 line 1: uses la, which no cell outside the tests defines",
        "cell 1 line 1: uses ls, which no cell outside the tests defines")


def test_a_cell_that_does_not_parse_gets_one_flag_and_the_rest_is_still_scanned():
    nb = notebook("def broken(:\n    np.allclose = ok", solution("mse_loss", "open('a')"))
    assert audit_notebook(nb) == ("cell 0: does not parse as Python (invalid syntax)",
                                  "mse_loss line 1: opens a file")


def test_a_cell_too_deep_to_walk_is_reported_with_what_was_found_before():
    nb = notebook("open('a')\nx = " + " + ".join(["1"] * 1000))
    assert audit_notebook(nb) == ("cell 0: nested too deeply to scan", "cell 0 line 1: opens a file")


def test_locked_test_cells_are_skipped_and_flags_come_once_in_cell_then_line_order():
    nb = notebook(locked_test("test_mse_loss", "answers = open('hidden.txt').read()\n_ref = 1"),
                  "x = 1\ny = open('a')", solution("mse_loss", "open('a'); open('b')\nz = open('c') + _ref"))
    assert audit_notebook(nb) == ("cell 1 line 2: opens a file", "mse_loss line 1: opens a file",
                                  "mse_loss line 2: opens a file",
                                  "mse_loss line 2: uses _ref, which no cell outside the tests defines")
