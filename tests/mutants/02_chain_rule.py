"""Wrong and alternative implementations of the 02_chain_rule contract, for the mutation suite.

Each code string is appended to the solution cell that defines the name, after the reference
solution. Class mutants subclass the reference (`class Value(Value): ...`): the reference methods
build their results through the global name, so every new object is an instance of the mutant.
HINTS names, for each mutant that stands for a common mistake, a phrase its test cells' feedback
must show.
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
        "mul_local_derivatives_swapped": '''
class Value(Value):
    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")
        def _backward():
            self.grad += self.data * out.grad
            other.grad += other.data * out.grad
        out._backward = _backward
        return out
''',
        "pow_exponent_not_decremented": '''
class Value(Value):
    def __pow__(self, n):
        out = Value(self.data ** n, (self,), f"**{n}")
        def _backward():
            self.grad += n * self.data ** n * out.grad
        out._backward = _backward
        return out
''',
    },
    "Neuron": {
        "zero_initialisation": '''
class Neuron(Neuron):
    def __init__(self, n_in, activation="tanh", rng=None):
        self.w = [Value(0.0) for _ in range(n_in)]
        self.b = Value(0.0)
        self.activation = activation
''',
        "standard_normal_initialisation": '''
class Neuron(Neuron):
    def __init__(self, n_in, activation="tanh", rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.w = [Value(float(v)) for v in rng.normal(size=n_in)]
        self.b = Value(0.0)
        self.activation = activation
''',
        "ignores_the_bias": '''
class Neuron(Neuron):
    def __call__(self, x):
        z = sum(w_i * x_i for w_i, x_i in zip(self.w, x))
        return z.tanh() if self.activation == "tanh" else z.relu() if self.activation == "relu" else z
''',
        "activation_on_each_term": '''
class Neuron(Neuron):
    def __call__(self, x):
        act = {"tanh": lambda v: v.tanh(), "relu": lambda v: v.relu(), "linear": lambda v: v}[self.activation]
        return sum((act(w_i * x_i) for w_i, x_i in zip(self.w, x)), self.b)
''',
        "linear_treated_as_tanh": '''
class Neuron(Neuron):
    def __call__(self, x):
        z = sum((w_i * x_i for w_i, x_i in zip(self.w, x)), self.b)
        return z.relu() if self.activation == "relu" else z.tanh()
''',
        "parameters_are_copies": '''
class Neuron(Neuron):
    def parameters(self):
        return [Value(p.data) for p in self.w + [self.b]]
''',
        "parameters_without_bias": '''
class Neuron(Neuron):
    def parameters(self):
        return list(self.w)
''',
    },
    "Layer": {
        "parameters_nested": '''
class Layer(Layer):
    def parameters(self):
        return [neuron.parameters() for neuron in self.neurons]
''',
        "parameters_without_biases": '''
class Layer(Layer):
    def parameters(self):
        return [w for neuron in self.neurons for w in neuron.w]
''',
        "single_output_unwrapped": '''
class Layer(Layer):
    def __call__(self, x):
        outs = [neuron(x) for neuron in self.neurons]
        return outs[0] if len(outs) == 1 else outs
''',
    },
    "MLP": {
        "output_layer_tanh": '''
class MLP(MLP):
    def __init__(self, n_in, n_outs, seed=0):
        rng = np.random.default_rng(seed)
        sizes = [n_in] + list(n_outs)
        self.layers = [Layer(sizes[i], sizes[i + 1], "tanh", rng) for i in range(len(n_outs))]
''',
        "fresh_generator_per_layer": '''
class MLP(MLP):
    def __init__(self, n_in, n_outs, seed=0):
        sizes = [n_in] + list(n_outs)
        self.layers = [Layer(sizes[i], sizes[i + 1], "tanh" if i < len(n_outs) - 1 else "linear",
                             np.random.default_rng(seed)) for i in range(len(n_outs))]
''',
        "always_returns_a_list": '''
class MLP(MLP):
    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
''',
        "parameters_of_the_last_layer_only": '''
class MLP(MLP):
    def parameters(self):
        return self.layers[-1].parameters()
''',
        "zero_grad_resets_data": '''
class MLP(MLP):
    def zero_grad(self):
        for p in self.parameters():
            p.data = 0.0
''',
        "zero_grad_sets_none": '''
class MLP(MLP):
    def zero_grad(self):
        for p in self.parameters():
            p.grad = None
''',
        "zero_grad_first_layer_only": '''
class MLP(MLP):
    def zero_grad(self):
        for p in self.layers[0].parameters():
            p.grad = 0.0
''',
    },
    "train_mlp": {
        "never_zeroes_the_gradients": '''
def train_mlp(model, X, y, n_steps, lr):
    losses = []
    for _ in range(n_steps):
        loss = sum((1 + (model(list(x)) * -float(t)).exp()).log() for x, t in zip(X, y)) / len(X)
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(float(loss.data))
    return losses
''',
        "gradient_ascent": '''
def train_mlp(model, X, y, n_steps, lr):
    losses = []
    for _ in range(n_steps):
        loss = sum((1 + (model(list(x)) * -float(t)).exp()).log() for x, t in zip(X, y)) / len(X)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data += lr * p.grad
        losses.append(float(loss.data))
    return losses
''',
        "summed_loss": '''
def train_mlp(model, X, y, n_steps, lr):
    losses = []
    for _ in range(n_steps):
        loss = sum((1 + (model(list(x)) * -float(t)).exp()).log() for x, t in zip(X, y))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(float(loss.data))
    return losses
''',
        "zero_grad_after_backward": '''
def train_mlp(model, X, y, n_steps, lr):
    losses = []
    for _ in range(n_steps):
        loss = sum((1 + (model(list(x)) * -float(t)).exp()).log() for x, t in zip(X, y)) / len(X)
        loss.backward()
        model.zero_grad()
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(float(loss.data))
    return losses
''',
        "loss_recorded_after_the_update": '''
def train_mlp(model, X, y, n_steps, lr):
    def mean_loss():
        return sum((1 + (model(list(x)) * -float(t)).exp()).log() for x, t in zip(X, y)) / len(X)
    losses = []
    for _ in range(n_steps):
        loss = mean_loss()
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(float(mean_loss().data))
    return losses
''',
        "squared_error_instead_of_logistic": '''
def train_mlp(model, X, y, n_steps, lr):
    losses = []
    for _ in range(n_steps):
        loss = sum((model(list(x)) - float(t)) ** 2 for x, t in zip(X, y)) / len(X)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(float(loss.data))
    return losses
''',
    },
    "torch_gradient_descent": {
        "never_zeroes_the_gradient": '''
def torch_gradient_descent(loss_fn, w0, lr, n_steps):
    w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    losses = []
    for _ in range(n_steps):
        loss = loss_fn(w)
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        losses.append(loss.item())
    return w.detach().numpy().copy(), losses
''',
        "rebinds_w_to_a_non_leaf": '''
def torch_gradient_descent(loss_fn, w0, lr, n_steps):
    w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    losses = []
    for _ in range(n_steps):
        loss = loss_fn(w)
        loss.backward()
        w = w - lr * w.grad
        losses.append(loss.item())
    return w.detach().numpy().copy(), losses
''',
        "update_outside_no_grad": '''
def torch_gradient_descent(loss_fn, w0, lr, n_steps):
    w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    losses = []
    for _ in range(n_steps):
        loss = loss_fn(w)
        loss.backward()
        w -= lr * w.grad
        w.grad.zero_()
        losses.append(loss.item())
    return w.detach().numpy().copy(), losses
''',
        "from_numpy_shares_memory": '''
def torch_gradient_descent(loss_fn, w0, lr, n_steps):
    w = torch.from_numpy(w0).requires_grad_(True)
    losses = []
    for _ in range(n_steps):
        loss = loss_fn(w)
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
        losses.append(loss.item())
    return w.detach().numpy().copy(), losses
''',
    },
    "torch_vjp": {
        "sums_the_outputs": '''
def torch_vjp(f, x, u):
    x_t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(x_t).sum().backward()
    return x_t.grad.numpy().copy()
''',
        "jacobian_times_u": '''
def torch_vjp(f, x, u):
    J = torch.autograd.functional.jacobian(f, torch.tensor(x, dtype=torch.float64)).numpy()
    return J @ u
''',
        "float32_tensors": '''
def torch_vjp(f, x, u):
    x_t = torch.tensor(x, dtype=torch.float32, requires_grad=True)
    f(x_t).backward(gradient=torch.tensor(u, dtype=torch.float32))
    return x_t.grad.numpy().astype(np.float64)
''',
        "returns_a_tensor": '''
def torch_vjp(f, x, u):
    x_t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(x_t).backward(gradient=torch.tensor(u, dtype=torch.float64))
    return x_t.grad
''',
    },
    "straight_through_round": {
        "plain_round": '''
def straight_through_round(x):
    return torch.round(x)
''',
        "detaches_the_input": '''
def straight_through_round(x):
    return x.detach().round()
''',
        "detaches_the_wrong_term": '''
def straight_through_round(x):
    return x.detach() + (torch.round(x) - x)
''',
        "correction_not_detached": '''
def straight_through_round(x):
    return x + (torch.round(x) - x)
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
    "Neuron": {
        "micrograd_style_sum": '''
class Neuron(Neuron):
    def __init__(self, n_in, activation="tanh", rng=None):
        rng = rng if rng is not None else np.random.default_rng()
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(n_in)]
        self.b = Value(0)
        self.activation = activation

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return {"tanh": act.tanh, "relu": act.relu}.get(self.activation, lambda: act)()

    def parameters(self):
        return [*self.w, self.b]
''',
    },
    "Layer": {
        "loops_instead_of_comprehensions": '''
class Layer(Layer):
    def __call__(self, x):
        outs = []
        for neuron in self.neurons:
            outs.append(neuron(x))
        return outs

    def parameters(self):
        params = []
        for neuron in self.neurons:
            params.extend(neuron.parameters())
        return params
''',
    },
    "MLP": {
        "sizes_zipped_and_generic_zero_grad": '''
class MLP(MLP):
    def __init__(self, n_in, n_outs, seed=0):
        rng = np.random.default_rng(seed)
        sizes = [n_in, *n_outs]
        last = len(n_outs) - 1
        self.layers = [Layer(a, b, "linear" if i == last else "tanh", rng)
                       for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]))]

    def __call__(self, x):
        out = list(x)
        for layer in self.layers:
            out = layer(out)
        return out if len(out) > 1 else out[0]

    def parameters(self):
        return sum((layer.parameters() for layer in self.layers), [])

    def zero_grad(self):
        for layer in self.layers:
            for neuron in layer.neurons:
                for p in neuron.parameters():
                    p.grad = 0.0
''',
    },
    "train_mlp": {
        "softplus_written_out_and_manual_zeroing": '''
def train_mlp(model, X, y, n_steps, lr):
    n = len(y)
    losses = []
    for step in range(n_steps):
        params = model.parameters()
        for p in params:
            p.grad = 0.0
        total = Value(0.0)
        for row, label in zip(np.asarray(X, dtype=float), np.asarray(y, dtype=float)):
            margin = model([float(v) for v in row]) * float(label)
            total = total + ((-margin).exp() + 1.0).log()
        loss = total * (1.0 / n)
        loss.backward()
        for p in params:
            p.data = p.data - lr * p.grad
        losses.append(loss.data)
    return losses
''',
    },
    "torch_gradient_descent": {
        "torch_optim_sgd": '''
def torch_gradient_descent(loss_fn, w0, lr, n_steps):
    w = torch.nn.Parameter(torch.tensor(np.array(w0, dtype=np.float64)))
    optimizer = torch.optim.SGD([w], lr=lr)
    losses = []
    for _ in range(n_steps):
        optimizer.zero_grad()
        loss = loss_fn(w)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return w.detach().clone().numpy(), losses
''',
        "fresh_leaf_every_step": '''
def torch_gradient_descent(loss_fn, w0, lr, n_steps):
    w = torch.tensor(w0, dtype=torch.float64)
    losses = []
    for _ in range(n_steps):
        w.requires_grad_(True)
        loss = loss_fn(w)
        (g,) = torch.autograd.grad(loss, w)
        w = (w - lr * g).detach()
        losses.append(loss.item())
    return w.numpy(), losses
''',
    },
    "torch_vjp": {
        "autograd_grad_with_grad_outputs": '''
def torch_vjp(f, x, u):
    x_t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(f(x_t), x_t, grad_outputs=torch.tensor(u, dtype=torch.float64))
    return g.detach().numpy()
''',
        "weighted_sum_of_outputs": '''
def torch_vjp(f, x, u):
    x_t = torch.tensor(np.array(x, dtype=np.float64), requires_grad=True)
    (f(x_t) * torch.tensor(u, dtype=torch.float64)).sum().backward()
    return x_t.grad.numpy().copy()
''',
    },
    "straight_through_round": {
        "subtract_detached_residual": '''
def straight_through_round(x):
    return x - (x - x.round()).detach()
''',
        "custom_autograd_function": '''
class _RoundThrough(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return torch.round(x)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


def straight_through_round(x):
    return _RoundThrough.apply(x)
''',
    },
}


# For every mutant that stands for a common mistake: a phrase that the first line of the error
# message of one of its name's failing test cells must contain (case-insensitive).
HINTS = {
    "tiny_net_forward_backward": {
        "relu_derivative_one_at_zero": "relu'(0) = 0",
        "missing_factor_two": "half the right gradient",
        "residual_sign_flipped": "sign flipped",
        "relu_gate_ignored": "switched-off relu",
        "dw1_forgets_the_input": "forgot the local derivative dz1/dw1 = x",
        "gradient_through_pre_activation": "dw2 uses z1",
    },
    "sigmoid_chain_dy_dw1": {
        "sigmoid_derivative_of_pre_activation": "z (1 - z)",
        "missing_w2_factor": "forgot the local derivative dz2/dh = w2",
        "missing_x_factor": "forgot the local derivative dz1/dw1 = x",
        "naive_sigmoid_overflows": "overflow",
        "numpy_sigmoid_warns": "overflow",
        "forward_difference_estimate": "finite-difference",
    },
    "Dual": {
        "quotient_rule_sign_flipped": "quotient rule sign",
        "quotient_rule_denominator_not_squared": "divide by v**2",
        "rtruediv_divides_the_wrong_way": "other is the numerator",
        "rsub_wrong_sign": "other is the left operand",
        "product_rule_missing_term": "both terms",
        "pow_missing_chain_factor": "chain factor",
        "in_place_addition_mutates_operand": "in place",
    },
    "dual_sin": {
        "missing_chain_factor": "chain factor",
        "float_input_not_supported": "plain number must work",
        "float_input_returns_dual": "should return a float",
    },
    "dual_cos": {
        "derivative_sign_flipped": "sign flipped",
        "missing_chain_factor": "chain factor",
        "float_input_returns_dual": "should return a float",
    },
    "dual_exp": {
        "derivative_missing_exp_factor": "dropped the factor exp(u)",
        "missing_chain_factor": "chain factor",
        "float_input_not_supported": "plain number must work",
    },
    "dual_log": {
        "reciprocal_missing_chain_factor": "chain factor",
        "derivative_times_value": "not u' u",
        "base_ten_logarithm": "base-10",
        "float_input_returns_dual": "should return a float",
    },
    "derivative": {
        "seeds_derivative_zero": "seed the input with derivative 1",
        "returns_the_value": "you returned f(x)",
        "returns_the_dual": "should return a float",
        "constant_function_crashes": "constant function",
        "central_difference_instead": "finite-difference",
    },
    "Value": {
        "overwrite_instead_of_accumulate": "overwrote .grad instead of accumulating",
        "recursive_topological_sort": "recursion limit",
        "recursive_sort_with_raised_recursion_limit": "changed the recursion limit",
        "breadth_first_without_topological_order": "topological order",
        "pow_forgets_upstream_gradient": "upstream gradient",
        "tanh_derivative_uses_the_input": "use the output t, not the input z",
        "naive_sigmoid_overflows": "overflow",
        "relu_gradient_one_at_zero": "relu'(0) = 0",
        "backward_does_not_seed_the_output": "must seed the output",
        "mul_local_derivatives_swapped": "swapped the local derivatives",
        "pow_exponent_not_decremented": "power rule",
    },
    "Neuron": {
        "zero_initialisation": "all weights are equal",
        "standard_normal_initialisation": "uniformly from [-1, 1]",
        "ignores_the_bias": "ignores the bias",
        "activation_on_each_term": "whole sum",
        "linear_treated_as_tanh": "linear neuron applies no activation",
        "parameters_are_copies": "returned copies",
        "parameters_without_bias": "forgot the bias",
    },
    "Layer": {
        "parameters_nested": "list of lists",
        "parameters_without_biases": "forgot the biases",
        "single_output_unwrapped": "must return a list",
    },
    "MLP": {
        "output_layer_tanh": "the output layer applies tanh",
        "fresh_generator_per_layer": "same random numbers",
        "always_returns_a_list": "returns a single value",
        "parameters_of_the_last_layer_only": "flat list",
        "zero_grad_resets_data": "changed .data",
        "zero_grad_sets_none": "set .grad to none",
        "zero_grad_first_layer_only": "missed some parameters",
    },
    "train_mlp": {
        "never_zeroes_the_gradients": "gradients accumulated",
        "gradient_ascent": "the loss went up",
        "summed_loss": "n times too large",
        "zero_grad_after_backward": "parameters never changed",
        "loss_recorded_after_the_update": "before any update",
        "squared_error_instead_of_logistic": "squared error",
    },
    "torch_gradient_descent": {
        "never_zeroes_the_gradient": "gradients accumulated",
        "rebinds_w_to_a_non_leaf": "no longer a leaf",
        "update_outside_no_grad": "torch.no_grad()",
        "from_numpy_shares_memory": "shares memory",
    },
    "torch_vjp": {
        "sums_the_outputs": "summed the outputs",
        "jacobian_times_u": "one entry per output",
        "float32_tensors": "float32",
        "returns_a_tensor": "ndarray",
    },
    "straight_through_round": {
        "plain_round": "gradient is zero",
        "detaches_the_input": "cut from the graph",
        "detaches_the_wrong_term": "sign flipped",
        "correction_not_detached": "gradient is zero",
    },
}
