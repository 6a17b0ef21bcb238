"""Wrong and alternative implementations of the 02_chain_rule contract, for the mutation suite.

Each code string is appended to the solution cell that defines the name, after the reference
solution. Class mutants subclass the reference (`class Value(Value): ...`): the reference methods
build their results through the global name, so every new object is an instance of the mutant.
"""

MUTANTS = {
    "tiny_net_forward_backward": {
        "relu_derivative_one_at_zero": '''
def tiny_net_forward_backward(x, w1, b1, w2, b2, y):
    z1 = w1 * x + b1
    a1 = max(z1, 0.0)
    z2 = w2 * a1 + b2
    dz2 = 2.0 * (z2 - y)
    dz1 = dz2 * w2 if z1 >= 0 else 0.0
    return {"loss": float((z2 - y) ** 2), "dw1": float(dz1 * x), "db1": float(dz1),
            "dw2": float(dz2 * a1), "db2": float(dz2)}
''',
        "missing_factor_two": '''
def tiny_net_forward_backward(x, w1, b1, w2, b2, y):
    z1 = w1 * x + b1
    a1 = max(z1, 0.0)
    z2 = w2 * a1 + b2
    dz2 = z2 - y
    dz1 = dz2 * w2 if z1 > 0 else 0.0
    return {"loss": float((z2 - y) ** 2), "dw1": float(dz1 * x), "db1": float(dz1),
            "dw2": float(dz2 * a1), "db2": float(dz2)}
''',
        "residual_sign_flipped": '''
def tiny_net_forward_backward(x, w1, b1, w2, b2, y):
    z1 = w1 * x + b1
    a1 = max(z1, 0.0)
    z2 = w2 * a1 + b2
    dz2 = 2.0 * (y - z2)
    dz1 = dz2 * w2 if z1 > 0 else 0.0
    return {"loss": float((z2 - y) ** 2), "dw1": float(dz1 * x), "db1": float(dz1),
            "dw2": float(dz2 * a1), "db2": float(dz2)}
''',
        "relu_gate_ignored": '''
def tiny_net_forward_backward(x, w1, b1, w2, b2, y):
    z1 = w1 * x + b1
    a1 = max(z1, 0.0)
    z2 = w2 * a1 + b2
    dz2 = 2.0 * (z2 - y)
    dz1 = dz2 * w2
    return {"loss": float((z2 - y) ** 2), "dw1": float(dz1 * x), "db1": float(dz1),
            "dw2": float(dz2 * a1), "db2": float(dz2)}
''',
        "dw1_forgets_the_input": '''
def tiny_net_forward_backward(x, w1, b1, w2, b2, y):
    z1 = w1 * x + b1
    a1 = max(z1, 0.0)
    z2 = w2 * a1 + b2
    dz2 = 2.0 * (z2 - y)
    dz1 = dz2 * w2 if z1 > 0 else 0.0
    return {"loss": float((z2 - y) ** 2), "dw1": float(dz1), "db1": float(dz1),
            "dw2": float(dz2 * a1), "db2": float(dz2)}
''',
        "gradient_through_pre_activation": '''
def tiny_net_forward_backward(x, w1, b1, w2, b2, y):
    z1 = w1 * x + b1
    a1 = max(z1, 0.0)
    z2 = w2 * a1 + b2
    dz2 = 2.0 * (z2 - y)
    dz1 = dz2 * w2 if z1 > 0 else 0.0
    return {"loss": float((z2 - y) ** 2), "dw1": float(dz1 * x), "db1": float(dz1),
            "dw2": float(dz2 * z1), "db2": float(dz2)}
''',
        "hard_coded_visible_example": '''
def tiny_net_forward_backward(x, w1, b1, w2, b2, y):
    return {"loss": 1.890625, "dw1": 8.25, "db1": 4.125, "dw2": -2.0625, "db2": -2.75}
''',
    },
    "sigmoid_chain_dy_dw1": {
        "sigmoid_derivative_of_pre_activation": '''
def sigmoid_chain_dy_dw1(x, w1, b1, w2, b2):
    def sigmoid(z):
        e = math.exp(-abs(z))
        return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)
    z1 = w1 * x + b1
    z2 = w2 * sigmoid(z1) + b2
    return float(z2 * (1 - z2) * w2 * z1 * (1 - z1) * x)
''',
        "missing_w2_factor": '''
def sigmoid_chain_dy_dw1(x, w1, b1, w2, b2):
    def sigmoid(z):
        e = math.exp(-abs(z))
        return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)
    h = sigmoid(w1 * x + b1)
    y = sigmoid(w2 * h + b2)
    return float(y * (1 - y) * h * (1 - h) * x)
''',
        "missing_x_factor": '''
def sigmoid_chain_dy_dw1(x, w1, b1, w2, b2):
    def sigmoid(z):
        e = math.exp(-abs(z))
        return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)
    h = sigmoid(w1 * x + b1)
    y = sigmoid(w2 * h + b2)
    return float(y * (1 - y) * w2 * h * (1 - h))
''',
        "naive_sigmoid_overflows": '''
def sigmoid_chain_dy_dw1(x, w1, b1, w2, b2):
    def sigmoid(z):
        return 1.0 / (1.0 + math.exp(-z))
    h = sigmoid(w1 * x + b1)
    y = sigmoid(w2 * h + b2)
    return float(y * (1 - y) * w2 * h * (1 - h) * x)
''',
        "numpy_sigmoid_warns": '''
def sigmoid_chain_dy_dw1(x, w1, b1, w2, b2):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-np.float64(z)))
    h = sigmoid(w1 * x + b1)
    y = sigmoid(w2 * h + b2)
    return float(y * (1 - y) * w2 * h * (1 - h) * x)
''',
        "forward_difference_estimate": '''
def sigmoid_chain_dy_dw1(x, w1, b1, w2, b2, h=1e-6):
    def sigmoid(z):
        e = math.exp(-abs(z))
        return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)
    def y_of(w):
        return sigmoid(w2 * sigmoid(w * x + b1) + b2)
    return float((y_of(w1 + h) - y_of(w1)) / h)
''',
    },
    "Dual": {
        "quotient_rule_sign_flipped": '''
class Dual(Dual):
    def __truediv__(self, other):
        other = other if isinstance(other, Dual) else Dual(other)
        return Dual(self.value / other.value,
                    (self.derivative * other.value + self.value * other.derivative) / other.value ** 2)
''',
        "quotient_rule_denominator_not_squared": '''
class Dual(Dual):
    def __truediv__(self, other):
        other = other if isinstance(other, Dual) else Dual(other)
        return Dual(self.value / other.value,
                    (self.derivative * other.value - self.value * other.derivative) / other.value)
''',
        "rtruediv_divides_the_wrong_way": '''
class Dual(Dual):
    def __rtruediv__(self, other):
        return self / other
''',
        "rsub_wrong_sign": '''
class Dual(Dual):
    def __rsub__(self, other):
        return self - other
''',
        "product_rule_missing_term": '''
class Dual(Dual):
    def __mul__(self, other):
        other = other if isinstance(other, Dual) else Dual(other)
        return Dual(self.value * other.value, self.derivative * other.value)
''',
        "pow_missing_chain_factor": '''
class Dual(Dual):
    def __pow__(self, n):
        return Dual(self.value ** n, n * self.value ** (n - 1))
''',
        "no_reflected_operators": '''
class Dual:
    def __init__(self, value, derivative=0.0):
        self.value, self.derivative = float(value), float(derivative)

    def __add__(self, other):
        other = other if isinstance(other, Dual) else Dual(other)
        return Dual(self.value + other.value, self.derivative + other.derivative)

    def __sub__(self, other):
        other = other if isinstance(other, Dual) else Dual(other)
        return Dual(self.value - other.value, self.derivative - other.derivative)

    def __neg__(self):
        return Dual(-self.value, -self.derivative)

    def __mul__(self, other):
        other = other if isinstance(other, Dual) else Dual(other)
        return Dual(self.value * other.value, self.derivative * other.value + self.value * other.derivative)

    def __truediv__(self, other):
        other = other if isinstance(other, Dual) else Dual(other)
        return Dual(self.value / other.value,
                    (self.derivative * other.value - self.value * other.derivative) / other.value ** 2)

    def __pow__(self, n):
        return Dual(self.value ** n, n * self.value ** (n - 1) * self.derivative)
''',
        "in_place_addition_mutates_operand": '''
class Dual(Dual):
    def __add__(self, other):
        other = other if isinstance(other, Dual) else Dual(other)
        self.value += other.value
        self.derivative += other.derivative
        return self
''',
    },
    "dual_sin": {
        "missing_chain_factor": '''
def dual_sin(x):
    if isinstance(x, Dual):
        return Dual(math.sin(x.value), math.cos(x.value))
    return math.sin(x)
''',
        "cosine_of_the_derivative": '''
def dual_sin(x):
    if isinstance(x, Dual):
        return Dual(math.sin(x.value), math.cos(x.derivative) * x.value)
    return math.sin(x)
''',
        "float_input_not_supported": '''
def dual_sin(x):
    return Dual(math.sin(x.value), math.cos(x.value) * x.derivative)
''',
        "float_input_returns_dual": '''
def dual_sin(x):
    x = x if isinstance(x, Dual) else Dual(x)
    return Dual(math.sin(x.value), math.cos(x.value) * x.derivative)
''',
    },
    "dual_cos": {
        "derivative_sign_flipped": '''
def dual_cos(x):
    if isinstance(x, Dual):
        return Dual(math.cos(x.value), math.sin(x.value) * x.derivative)
    return math.cos(x)
''',
        "missing_chain_factor": '''
def dual_cos(x):
    if isinstance(x, Dual):
        return Dual(math.cos(x.value), -math.sin(x.value))
    return math.cos(x)
''',
        "float_input_returns_dual": '''
def dual_cos(x):
    x = x if isinstance(x, Dual) else Dual(x)
    return Dual(math.cos(x.value), -math.sin(x.value) * x.derivative)
''',
    },
    "dual_exp": {
        "derivative_missing_exp_factor": '''
def dual_exp(x):
    if isinstance(x, Dual):
        return Dual(math.exp(x.value), x.derivative)
    return math.exp(x)
''',
        "missing_chain_factor": '''
def dual_exp(x):
    if isinstance(x, Dual):
        return Dual(math.exp(x.value), math.exp(x.value))
    return math.exp(x)
''',
        "float_input_not_supported": '''
def dual_exp(x):
    e = math.exp(x.value)
    return Dual(e, e * x.derivative)
''',
    },
    "dual_log": {
        "reciprocal_missing_chain_factor": '''
def dual_log(x):
    if isinstance(x, Dual):
        return Dual(math.log(x.value), 1.0 / x.value)
    return math.log(x)
''',
        "derivative_times_value": '''
def dual_log(x):
    if isinstance(x, Dual):
        return Dual(math.log(x.value), x.derivative * x.value)
    return math.log(x)
''',
        "base_ten_logarithm": '''
def dual_log(x):
    if isinstance(x, Dual):
        return Dual(math.log10(x.value), x.derivative / x.value)
    return math.log10(x)
''',
        "float_input_returns_dual": '''
def dual_log(x):
    x = x if isinstance(x, Dual) else Dual(x)
    return Dual(math.log(x.value), x.derivative / x.value)
''',
    },
    "derivative": {
        "seeds_derivative_zero": '''
def derivative(f, x):
    out = f(Dual(x))
    return float(out.derivative) if isinstance(out, Dual) else 0.0
''',
        "returns_the_value": '''
def derivative(f, x):
    out = f(Dual(x, 1.0))
    return float(out.value) if isinstance(out, Dual) else float(out)
''',
        "returns_the_dual": '''
def derivative(f, x):
    return f(Dual(x, 1.0))
''',
        "constant_function_crashes": '''
def derivative(f, x):
    return float(f(Dual(x, 1.0)).derivative)
''',
        "central_difference_instead": '''
def derivative(f, x, h=1e-5):
    return float((f(x + h) - f(x - h)) / (2 * h))
''',
    },
    "Value": {
        "overwrite_instead_of_accumulate": '''
class Value(Value):
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")
        def _backward():
            self.grad = out.grad
            other.grad = out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")
        def _backward():
            self.grad = other.data * out.grad
            other.grad = self.data * out.grad
        out._backward = _backward
        return out
''',
        "recursive_topological_sort": '''
class Value(Value):
    def backward(self):
        order, seen = [], set()
        def build(node):
            if node not in seen:
                seen.add(node)
                for child in node._prev:
                    build(child)
                order.append(node)
        build(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()
''',
        "recursive_sort_with_raised_recursion_limit": '''
import sys

class Value(Value):
    def backward(self):
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 100000))
        order, seen = [], set()
        def build(node):
            if node not in seen:
                seen.add(node)
                for child in node._prev:
                    build(child)
                order.append(node)
        build(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()
''',
        "breadth_first_without_topological_order": '''
from collections import deque

class Value(Value):
    def backward(self):
        self.grad = 1.0
        queue, seen = deque([self]), {self}
        while queue:
            node = queue.popleft()
            node._backward()
            for child in node._prev:
                if child not in seen:
                    seen.add(child)
                    queue.append(child)
''',
        "rsub_wrong_sign": '''
class Value(Value):
    def __rsub__(self, other):
        return self - other
''',
        "rtruediv_divides_the_wrong_way": '''
class Value(Value):
    def __rtruediv__(self, other):
        return self / other
''',
        "pow_forgets_upstream_gradient": '''
class Value(Value):
    def __pow__(self, n):
        out = Value(self.data ** n, (self,), f"**{n}")
        def _backward():
            self.grad += n * self.data ** (n - 1)
        out._backward = _backward
        return out
''',
        "tanh_derivative_uses_the_input": '''
class Value(Value):
    def tanh(self):
        out = Value(math.tanh(self.data), (self,), "tanh")
        def _backward():
            self.grad += (1.0 - self.data ** 2) * out.grad
        out._backward = _backward
        return out
''',
        "naive_sigmoid_overflows": '''
class Value(Value):
    def sigmoid(self):
        s = 1.0 / (1.0 + math.exp(-self.data))
        out = Value(s, (self,), "sigmoid")
        def _backward():
            self.grad += s * (1.0 - s) * out.grad
        out._backward = _backward
        return out
''',
        "relu_gradient_one_at_zero": '''
class Value(Value):
    def relu(self):
        out = Value(max(self.data, 0.0), (self,), "relu")
        def _backward():
            self.grad += (self.data >= 0) * out.grad
        out._backward = _backward
        return out
''',
        "log_derivative_uses_the_output": '''
class Value(Value):
    def log(self):
        out = Value(math.log(self.data), (self,), "log")
        def _backward():
            self.grad += out.grad / out.data
        out._backward = _backward
        return out
''',
        "backward_does_not_seed_the_output": '''
class Value(Value):
    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev)
        for node in reversed(order):
            node._backward()
''',
    },
}

ALTERNATIVES = {
    "tiny_net_forward_backward": {
        "torch_autograd": '''
import torch

def tiny_net_forward_backward(x, w1, b1, w2, b2, y):
    w1, b1, w2, b2 = (torch.tensor(float(p), dtype=torch.float64, requires_grad=True) for p in (w1, b1, w2, b2))
    loss = (w2 * torch.relu(w1 * float(x) + b1) + b2 - float(y)) ** 2
    loss.backward()
    return {"loss": loss.item(), "dw1": w1.grad.item(), "db1": b1.grad.item(),
            "dw2": w2.grad.item(), "db2": b2.grad.item()}
''',
        "branch_free_formulas": '''
def tiny_net_forward_backward(x, w1, b1, w2, b2, y):
    z1 = float(w1) * float(x) + float(b1)
    gate = float(z1 > 0)
    a1 = gate * z1
    r = float(w2) * a1 + float(b2) - float(y)
    return {"loss": r * r, "dw1": 2 * r * float(w2) * gate * float(x), "db1": 2 * r * float(w2) * gate,
            "dw2": 2 * r * a1, "db2": 2 * r}
''',
    },
    "sigmoid_chain_dy_dw1": {
        "scipy_expit": '''
from scipy.special import expit

def sigmoid_chain_dy_dw1(x, w1, b1, w2, b2):
    h = expit(w1 * x + b1)
    y = expit(w2 * h + b2)
    return float(y * (1 - y) * w2 * h * (1 - h) * x)
''',
        "tanh_form_of_the_derivative": '''
def sigmoid_chain_dy_dw1(x, w1, b1, w2, b2):
    # s(z) = (1 + tanh(z/2)) / 2 and s'(z) = (1 - tanh(z/2)**2) / 4
    t1 = math.tanh((w1 * x + b1) / 2)
    t2 = math.tanh((w2 * (1 + t1) / 2 + b2) / 2)
    return float((1 - t2 * t2) / 4 * w2 * (1 - t1 * t1) / 4 * x)
''',
    },
    "Dual": {
        "lift_helper_and_reciprocal": '''
class Dual:
    """Forward-mode dual number; division goes through the reciprocal."""

    def __init__(self, value, derivative=0.0):
        self.value = float(value)
        self.derivative = float(derivative)

    @staticmethod
    def _lift(x):
        return x if isinstance(x, Dual) else Dual(x)

    def __add__(self, other):
        other = Dual._lift(other)
        return Dual(self.value + other.value, self.derivative + other.derivative)

    __radd__ = __add__

    def __neg__(self):
        return Dual(-self.value, -self.derivative)

    def __sub__(self, other):
        return self + (-Dual._lift(other))

    def __rsub__(self, other):
        return Dual._lift(other) + (-self)

    def __mul__(self, other):
        other = Dual._lift(other)
        return Dual(self.value * other.value, self.value * other.derivative + self.derivative * other.value)

    __rmul__ = __mul__

    def reciprocal(self):
        return Dual(1.0 / self.value, -self.derivative / self.value ** 2)

    def __truediv__(self, other):
        return self * Dual._lift(other).reciprocal()

    def __rtruediv__(self, other):
        return Dual._lift(other) * self.reciprocal()

    def __pow__(self, n):
        return Dual(self.value ** n, n * self.value ** (n - 1) * self.derivative)
''',
    },
    "dual_sin": {
        "numpy_functions": '''
def dual_sin(x):
    if isinstance(x, Dual):
        return Dual(np.sin(x.value), x.derivative * np.cos(x.value))
    return float(np.sin(x))
''',
    },
    "dual_cos": {
        "cos_as_shifted_sin": '''
def dual_cos(x):
    if isinstance(x, Dual):
        return Dual(math.sin(x.value + math.pi / 2), -math.sin(x.value) * x.derivative)
    return math.cos(x)
''',
    },
    "dual_exp": {
        "numpy_functions": '''
def dual_exp(x):
    if not isinstance(x, Dual):
        return float(np.exp(x))
    e = float(np.exp(x.value))
    return Dual(e, x.derivative * e)
''',
    },
    "dual_log": {
        "numpy_functions": '''
def dual_log(x):
    if not isinstance(x, Dual):
        return float(np.log(x))
    return Dual(np.log(x.value), x.derivative * (1.0 / x.value))
''',
    },
    "derivative": {
        "getattr_with_default": '''
def derivative(f, x):
    return float(getattr(f(Dual(float(x), 1.0)), "derivative", 0.0))
''',
    },
    "Value": {
        "local_gradients_and_kahn_order": '''
class Value:
    """Reverse-mode scalar: each node stores (parent, local derivative) pairs; backward uses
    Kahn's algorithm (counts of unprocessed consumers) instead of a depth-first search."""

    def __init__(self, data, parents=()):
        self.data = float(data)
        self.grad = 0.0
        self.parents = tuple(parents)           # ((Value, d self / d parent), ...)

    def __repr__(self):
        return f"Value({self.data}, grad={self.grad})"

    @staticmethod
    def _lift(x):
        return x if isinstance(x, Value) else Value(x)

    def __add__(self, other):
        other = Value._lift(other)
        return Value(self.data + other.data, ((self, 1.0), (other, 1.0)))

    def __radd__(self, other):
        return self + other

    def __mul__(self, other):
        other = Value._lift(other)
        return Value(self.data * other.data, ((self, other.data), (other, self.data)))

    def __rmul__(self, other):
        return self * other

    def __neg__(self):
        return Value(-self.data, ((self, -1.0),))

    def __sub__(self, other):
        other = Value._lift(other)
        return Value(self.data - other.data, ((self, 1.0), (other, -1.0)))

    def __rsub__(self, other):
        return Value._lift(other) - self

    def __truediv__(self, other):
        other = Value._lift(other)
        return Value(self.data / other.data,
                     ((self, 1.0 / other.data), (other, -self.data / other.data ** 2)))

    def __rtruediv__(self, other):
        return Value._lift(other) / self

    def __pow__(self, n):
        return Value(self.data ** n, ((self, n * self.data ** (n - 1)),))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, ((self, e),))

    def log(self):
        return Value(math.log(self.data), ((self, 1.0 / self.data),))

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, ((self, 1.0 - t * t),))

    def relu(self):
        return Value(self.data if self.data > 0 else 0.0, ((self, 1.0 if self.data > 0 else 0.0),))

    def sigmoid(self):
        s = 0.5 * (1.0 + math.tanh(0.5 * self.data))
        return Value(s, ((self, s * (1.0 - s)),))

    def backward(self):
        # count, for every node, how many edges reach it from nodes that depend on self
        pending, stack, seen = {}, [self], {id(self)}
        while stack:
            node = stack.pop()
            for parent, _ in node.parents:
                pending[id(parent)] = pending.get(id(parent), 0) + 1
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append(parent)
        self.grad = 1.0
        ready = [self]
        while ready:
            node = ready.pop()
            for parent, local in node.parents:
                parent.grad += local * node.grad
                pending[id(parent)] -= 1
                if pending[id(parent)] == 0:
                    ready.append(parent)
''',
    },
}
