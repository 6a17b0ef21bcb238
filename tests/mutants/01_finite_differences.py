"""Wrong and alternative implementations of the 01_finite_differences contract, for the mutation suite.

Each string is dedented and appended to the solution cell that defines the name, after the reference
solution, so it replaces it. MUTANTS must lose points in their own test cells (test_<name>*);
ALTERNATIVES must score full marks in every autograded cell of the notebook.
"""

MUTANTS = {
    "forward_difference": {
        "central_formula": '''
def forward_difference(f, x, h=1e-5):
    return float((f(x + h) - f(x - h)) / (2 * h))
''',
        "sign_slip": '''
def forward_difference(f, x, h=1e-5):
    return float((f(x) - f(x + h)) / h)
''',
        "divides_by_2h": '''
def forward_difference(f, x, h=1e-5):
    return float((f(x + h) - f(x)) / (2 * h))
''',
        "backward_difference": '''
def forward_difference(f, x, h=1e-5):
    return float((f(x) - f(x - h)) / h)
''',
        "ignores_h_argument": '''
def forward_difference(f, x, h=1e-5):
    step = 1e-5
    return float((f(x + step) - f(x)) / step)
''',
        "no_float_conversion": '''
def forward_difference(f, x, h=1e-5):
    return (f(x + h) - f(x)) / h
''',
        "hard_coded_visible_example": '''
def forward_difference(f, x, h=1e-5):
    if x == 3.0 and h == 0.1:
        return 6.1
    return 1.0
''',
    },
    "central_difference": {
        "forward_formula": '''
def central_difference(f, x, h=1e-5):
    return float((f(x + h) - f(x)) / h)
''',
        "missing_factor_two": '''
def central_difference(f, x, h=1e-5):
    return float((f(x + h) - f(x - h)) / h)
''',
        "sign_slip": '''
def central_difference(f, x, h=1e-5):
    return float((f(x - h) - f(x + h)) / (2 * h))
''',
        "half_step_stencil": '''
def central_difference(f, x, h=1e-5):
    return float((f(x + h / 2) - f(x - h / 2)) / h)
''',
        "ignores_h_argument": '''
def central_difference(f, x, h=1e-5):
    return float((f(x + 1e-5) - f(x - 1e-5)) / 2e-5)
''',
        "no_float_conversion": '''
def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)
''',
        "hard_coded_visible_example": '''
def central_difference(f, x, h=1e-5):
    if x == 2.0 and h == 0.1:
        return 12.01
    return 1.0
''',
    },
    "numerical_gradient": {
        "perturbs_in_place_without_restoring": '''
def numerical_gradient(f, w, eps=1e-5):
    grad = np.zeros(np.shape(w), dtype=np.float64)
    for index in np.ndindex(np.shape(w)):
        w[index] += eps
        f_plus = f(w)
        w[index] -= 2 * eps
        f_minus = f(w)
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
        "returns_input_dtype": '''
def numerical_gradient(f, w, eps=1e-5):
    x = np.array(w, dtype=np.float64)
    grad = np.zeros_like(w)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        grad[index] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad
''',
        "integer_copy_truncates_step": '''
def numerical_gradient(f, w, eps=1e-5):
    grad = np.zeros(np.shape(w))
    for index in np.ndindex(np.shape(w)):
        w_plus = np.copy(w)
        w_minus = np.copy(w)
        w_plus[index] += eps
        w_minus[index] -= eps
        grad[index] = (f(w_plus) - f(w_minus)) / (2 * eps)
    return grad
''',
        "forward_difference": '''
def numerical_gradient(f, w, eps=1e-5):
    x = np.array(w, dtype=np.float64)
    grad = np.zeros_like(x)
    f_x = f(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        grad[index] = (f(x + step) - f_x) / eps
    return grad
''',
        "one_dimensional_loop": '''
def numerical_gradient(f, w, eps=1e-5):
    x = np.array(w, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in range(len(x)):
        step = np.zeros_like(x)
        step[i] = eps
        grad[i] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad
''',
        "flattens_output": '''
def numerical_gradient(f, w, eps=1e-5):
    x = np.array(w, dtype=np.float64)
    grad = []
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        grad.append((f(x + step) - f(x - step)) / (2 * eps))
    return np.array(grad, dtype=np.float64)
''',
        "ignores_eps": '''
def numerical_gradient(f, w, eps=1e-5):
    x = np.array(w, dtype=np.float64)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = 1e-5
        grad[index] = (f(x + step) - f(x - step)) / 2e-5
    return grad
''',
        "hard_coded_visible_example": '''
def numerical_gradient(f, w, eps=1e-5):
    return 2.0 * np.array(w, dtype=np.float64)
''',
    },
    "numerical_jacobian": {
        "transposed_result": '''
def numerical_jacobian(f, x, eps=1e-5):
    x = np.array(x, dtype=np.float64)
    rows = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = eps
        rows.append((np.asarray(f(x + step)) - np.asarray(f(x - step))) / (2 * eps))
    return np.array(rows, dtype=np.float64)
''',
        "assumes_square": '''
def numerical_jacobian(f, x, eps=1e-5):
    x = np.array(x, dtype=np.float64)
    n = x.size
    J = np.zeros((n, n))
    for j in range(n):
        step = np.zeros_like(x)
        step[j] = eps
        diff = (np.asarray(f(x + step)) - np.asarray(f(x - step))) / (2 * eps)
        J[: diff.size, j] = diff[:n]
    return J
''',
        "forward_difference": '''
def numerical_jacobian(f, x, eps=1e-5):
    x = np.array(x, dtype=np.float64)
    f_x = np.asarray(f(x), dtype=np.float64)
    J = np.zeros((f_x.size, x.size))
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = eps
        J[:, j] = (np.asarray(f(x + step)) - f_x) / eps
    return J
''',
        "mutates_x_in_place": '''
def numerical_jacobian(f, x, eps=1e-5):
    columns = []
    for j in range(len(x)):
        x[j] += eps
        f_plus = np.array(f(x), dtype=np.float64)
        x[j] -= 2 * eps
        f_minus = np.array(f(x), dtype=np.float64)
        columns.append((f_plus - f_minus) / (2 * eps))
    return np.stack(columns, axis=1)
''',
        "ignores_eps": '''
def numerical_jacobian(f, x, eps=1e-5):
    x = np.array(x, dtype=np.float64)
    columns = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = 1e-5
        columns.append((np.asarray(f(x + step)) - np.asarray(f(x - step))) / 2e-5)
    return np.stack(columns, axis=1).astype(np.float64)
''',
        "hard_coded_visible_example": '''
def numerical_jacobian(f, x, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    return np.array([[x[1], x[0]], [np.cos(x[0]), 0.0], [0.0, 2 * x[1]]])
''',
    },
    "relative_error": {
        "no_floor": '''
def relative_error(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))
''',
        "additive_epsilon": '''
def relative_error(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + 1e-12))
''',
        "max_norm_denominator": '''
def relative_error(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b), 1e-12))
''',
        "squared_norms": '''
def relative_error(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.sum((a - b) ** 2) / max(np.sum(a ** 2) + np.sum(b ** 2), 1e-12))
''',
        "elementwise_max": '''
def relative_error(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))
''',
        "norm_of_sum_denominator": '''
def relative_error(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a + b), 1e-12))
''',
    },
    "gradient_check": {
        "returns_bool": '''
def gradient_check(f, grad_f, x, eps=1e-5):
    return relative_error(grad_f(x), numerical_gradient(f, x, eps)) < 1e-7
''',
        "absolute_error": '''
def gradient_check(f, grad_f, x, eps=1e-5):
    diff = np.asarray(grad_f(x), dtype=np.float64) - numerical_gradient(f, x, eps)
    return float(np.linalg.norm(diff))
''',
        "ignores_eps": '''
def gradient_check(f, grad_f, x, eps=1e-5):
    return relative_error(grad_f(x), numerical_gradient(f, x))
''',
        "relative_to_numerical_only": '''
def gradient_check(f, grad_f, x, eps=1e-5):
    numeric = numerical_gradient(f, x, eps)
    analytic = np.asarray(grad_f(x), dtype=np.float64)
    return float(np.linalg.norm(analytic - numeric) / np.linalg.norm(numeric))
''',
        "forward_difference_check": '''
def gradient_check(f, grad_f, x, eps=1e-5):
    x = np.array(x, dtype=np.float64)
    numeric = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        numeric[index] = (f(x + step) - f(x)) / eps
    return relative_error(grad_f(x), numeric)
''',
    },
    "gradient_check_report": {
        "index_order_unsorted": '''
def gradient_check_report(f, grad_f, x, eps=1e-5, top=None):
    x = np.array(x, dtype=np.float64)
    analytic = np.asarray(grad_f(x), dtype=np.float64)
    numeric = numerical_gradient(f, x, eps)
    rows = [(index, float(analytic[index]), float(numeric[index]), relative_error(analytic[index], numeric[index]))
            for index in np.ndindex(x.shape)]
    return rows if top is None else rows[:top]
''',
        "sorted_best_first": '''
def gradient_check_report(f, grad_f, x, eps=1e-5, top=None):
    x = np.array(x, dtype=np.float64)
    analytic = np.asarray(grad_f(x), dtype=np.float64)
    numeric = numerical_gradient(f, x, eps)
    rows = [(index, float(analytic[index]), float(numeric[index]), relative_error(analytic[index], numeric[index]))
            for index in np.ndindex(x.shape)]
    rows.sort(key=lambda row: row[3])
    return rows if top is None else rows[:top]
''',
        "larger_magnitude_denominator": '''
def gradient_check_report(f, grad_f, x, eps=1e-5, top=None):
    x = np.array(x, dtype=np.float64)
    analytic = np.asarray(grad_f(x), dtype=np.float64)
    numeric = numerical_gradient(f, x, eps)
    rows = []
    for index in np.ndindex(x.shape):
        a, n = float(analytic[index]), float(numeric[index])
        rows.append((index, a, n, abs(a - n) / max(abs(a), abs(n), 1e-12)))
    rows.sort(key=lambda row: row[3], reverse=True)
    return rows if top is None else rows[:top]
''',
        "absolute_error": '''
def gradient_check_report(f, grad_f, x, eps=1e-5, top=None):
    x = np.array(x, dtype=np.float64)
    analytic = np.asarray(grad_f(x), dtype=np.float64)
    numeric = numerical_gradient(f, x, eps)
    rows = [(index, float(analytic[index]), float(numeric[index]), float(abs(analytic[index] - numeric[index])))
            for index in np.ndindex(x.shape)]
    rows.sort(key=lambda row: row[3], reverse=True)
    return rows if top is None else rows[:top]
''',
        "forward_difference": '''
def gradient_check_report(f, grad_f, x, eps=1e-5, top=None):
    x = np.array(x, dtype=np.float64)
    analytic = np.asarray(grad_f(x), dtype=np.float64)
    f_x = f(x)
    rows = []
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        n = float((f(x + step) - f_x) / eps)
        rows.append((index, float(analytic[index]), n, relative_error(analytic[index], n)))
    rows.sort(key=lambda row: row[3], reverse=True)
    return rows if top is None else rows[:top]
''',
        "ignores_top": '''
def gradient_check_report(f, grad_f, x, eps=1e-5, top=None):
    x = np.array(x, dtype=np.float64)
    analytic = np.asarray(grad_f(x), dtype=np.float64)
    numeric = numerical_gradient(f, x, eps)
    rows = [(index, float(analytic[index]), float(numeric[index]), relative_error(analytic[index], numeric[index]))
            for index in np.ndindex(x.shape)]
    rows.sort(key=lambda row: row[3], reverse=True)
    return rows
''',
        "flat_integer_index": '''
def gradient_check_report(f, grad_f, x, eps=1e-5, top=None):
    x = np.array(x, dtype=np.float64)
    analytic = np.asarray(grad_f(x), dtype=np.float64).ravel()
    numeric = numerical_gradient(f, x, eps).ravel()
    rows = [(i, float(analytic[i]), float(numeric[i]), relative_error(analytic[i], numeric[i])) for i in range(x.size)]
    rows.sort(key=lambda row: row[3], reverse=True)
    return rows if top is None else rows[:top]
''',
        "analytic_and_numeric_swapped": '''
def gradient_check_report(f, grad_f, x, eps=1e-5, top=None):
    x = np.array(x, dtype=np.float64)
    analytic = np.asarray(grad_f(x), dtype=np.float64)
    numeric = numerical_gradient(f, x, eps)
    rows = [(index, float(numeric[index]), float(analytic[index]), relative_error(analytic[index], numeric[index]))
            for index in np.ndindex(x.shape)]
    rows.sort(key=lambda row: row[3], reverse=True)
    return rows if top is None else rows[:top]
''',
        "ignores_eps": '''
def gradient_check_report(f, grad_f, x, eps=1e-5, top=None):
    x = np.array(x, dtype=np.float64)
    analytic = np.asarray(grad_f(x), dtype=np.float64)
    numeric = numerical_gradient(f, x)
    rows = [(index, float(analytic[index]), float(numeric[index]), relative_error(analytic[index], numeric[index]))
            for index in np.ndindex(x.shape)]
    rows.sort(key=lambda row: row[3], reverse=True)
    return rows if top is None else rows[:top]
''',
    },
    "complex_step_derivative": {
        "real_part_instead": '''
def complex_step_derivative(f, x, h=1e-20):
    return float(np.real(f(x + 1j * h)) / h)
''',
        "forgets_division_by_h": '''
def complex_step_derivative(f, x, h=1e-20):
    return float(np.imag(f(x + 1j * h)))
''',
        "forgets_imaginary_part": '''
def complex_step_derivative(f, x, h=1e-20):
    return f(x + 1j * h) / h
''',
        "central_difference_instead": '''
def complex_step_derivative(f, x, h=1e-20):
    return float((f(x + h) - f(x - h)) / (2 * h))
''',
        "ignores_h_argument": '''
def complex_step_derivative(f, x, h=1e-20):
    return float(np.imag(f(x + 1e-20j)) / 1e-20)
''',
        "divides_by_2h": '''
def complex_step_derivative(f, x, h=1e-20):
    return float(np.imag(f(x + 1j * h)) / (2 * h))
''',
    },
    "directional_derivative": {
        "forgets_normalisation": '''
def directional_derivative(grad_f, x, u):
    return float(np.dot(grad_f(x), u))
''',
        "normalises_in_place": '''
def directional_derivative(grad_f, x, u):
    u /= np.linalg.norm(u)
    return float(np.dot(grad_f(x), u))
''',
        "divides_by_squared_norm": '''
def directional_derivative(grad_f, x, u):
    u = np.asarray(u, dtype=np.float64)
    return float(np.dot(grad_f(x), u) / np.dot(u, u))
''',
        "elementwise_product_no_sum": '''
def directional_derivative(grad_f, x, u):
    u = np.asarray(u, dtype=np.float64)
    return np.asarray(grad_f(x)) * u / np.linalg.norm(u)
''',
        "normalises_gradient_instead": '''
def directional_derivative(grad_f, x, u):
    g = np.asarray(grad_f(x), dtype=np.float64)
    return float(np.dot(g / np.linalg.norm(g), u))
''',
        "epsilon_in_denominator": '''
def directional_derivative(grad_f, x, u):
    u = np.asarray(u, dtype=np.float64)
    return float(np.dot(grad_f(x), u) / (np.linalg.norm(u) + 1e-8))
''',
    },
    "steepest_descent_direction": {
        "ascent_direction": '''
def steepest_descent_direction(grad_f, x):
    g = np.asarray(grad_f(x), dtype=np.float64)
    return g / np.linalg.norm(g)
''',
        "forgets_normalisation": '''
def steepest_descent_direction(grad_f, x):
    return -np.asarray(grad_f(x), dtype=np.float64)
''',
        "l1_normalisation": '''
def steepest_descent_direction(grad_f, x):
    g = np.asarray(grad_f(x), dtype=np.float64)
    return -g / np.sum(np.abs(g))
''',
        "epsilon_in_denominator": '''
def steepest_descent_direction(grad_f, x):
    g = np.asarray(grad_f(x), dtype=np.float64)
    return -g / (np.linalg.norm(g) + 1e-8)
''',
        "negates_gradient_in_place": '''
def steepest_descent_direction(grad_f, x):
    g = grad_f(x)
    g *= -1
    g /= np.linalg.norm(g)
    return g
''',
        "hard_coded_visible_example": '''
def steepest_descent_direction(grad_f, x):
    return np.array([-0.6, 0.8])
''',
    },
    "grad_sin_cos": {
        "derivative_of_cos_without_minus": '''
def grad_sin_cos(x, y):
    return np.cos(np.asarray(x, dtype=np.float64)), np.sin(np.asarray(y, dtype=np.float64))
''',
        "x_and_y_swapped": '''
def grad_sin_cos(x, y):
    return np.cos(np.asarray(y, dtype=np.float64)), -np.sin(np.asarray(x, dtype=np.float64))
''',
        "function_terms_not_derivatives": '''
def grad_sin_cos(x, y):
    return np.sin(np.asarray(x, dtype=np.float64)), np.cos(np.asarray(y, dtype=np.float64))
''',
        "math_functions_not_vectorised": '''
def grad_sin_cos(x, y):
    return math.cos(x), -math.sin(y)
''',
        "one_stacked_array": '''
def grad_sin_cos(x, y):
    return np.stack([np.cos(np.asarray(x, dtype=np.float64)), -np.sin(np.asarray(y, dtype=np.float64))])
''',
    },
}

ALTERNATIVES = {
    "forward_difference": {
        "representable_step": '''
def forward_difference(f, x, h=1e-5):
    x_next = x + h
    return float((f(x_next) - f(x)) / (x_next - x))
''',
    },
    "central_difference": {
        "average_of_one_sided_differences": '''
def central_difference(f, x, h=1e-5):
    f_x = f(x)
    forward = (f(x + h) - f_x) / h
    backward = (f_x - f(x - h)) / h
    return float(0.5 * (forward + backward))
''',
    },
    "numerical_gradient": {
        "flat_loop_with_reshape": '''
def numerical_gradient(f, w, eps=1e-5):
    shape = np.shape(w)
    flat = np.asarray(w, dtype=np.float64).ravel().copy()
    grad = np.empty(flat.size)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        f_plus = f(flat.reshape(shape))
        flat[i] = saved - eps
        f_minus = f(flat.reshape(shape))
        flat[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad.reshape(shape)
''',
        "identity_rows": '''
def numerical_gradient(f, w, eps=1e-5):
    w = np.asarray(w, dtype=np.float64)
    basis = np.eye(w.size).reshape((w.size,) + w.shape)
    values = [(f(w + eps * e) - f(w - eps * e)) / (2 * eps) for e in basis]
    return np.array(values, dtype=np.float64).reshape(w.shape)
''',
    },
    "numerical_jacobian": {
        "vectorised_identity_steps": '''
def numerical_jacobian(f, x, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    steps = eps * np.eye(x.size)
    diffs = [np.asarray(f(x + s), dtype=np.float64) - np.asarray(f(x - s), dtype=np.float64) for s in steps]
    return np.array(diffs).T / (2 * eps)
''',
    },
    "relative_error": {
        "sqrt_of_sums": '''
def relative_error(a, b):
    a = np.ravel(np.asarray(a, dtype=np.float64))
    b = np.ravel(np.asarray(b, dtype=np.float64))
    numerator = np.sqrt(np.sum((a - b) ** 2))
    denominator = np.sqrt(np.sum(a ** 2)) + np.sqrt(np.sum(b ** 2))
    return float(numerator / max(denominator, 1e-12))
''',
    },
    "gradient_check": {
        "swapped_arguments": '''
def gradient_check(f, grad_f, x, eps=1e-5):
    return relative_error(numerical_gradient(f, x, eps=eps), np.asarray(grad_f(x), dtype=np.float64))
''',
        "self_contained": '''
def gradient_check(f, grad_f, x, eps=1e-5):
    x = np.array(x, dtype=np.float64)
    numeric = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        numeric[index] = (f(x + step) - f(x - step)) / (2 * eps)
    analytic = np.asarray(grad_f(x), dtype=np.float64)
    scale = max(np.linalg.norm(analytic) + np.linalg.norm(numeric), 1e-12)
    return float(np.linalg.norm(analytic - numeric) / scale)
''',
    },
    "gradient_check_report": {
        "argsort_and_unravel_index": '''
def gradient_check_report(f, grad_f, x, eps=1e-5, top=None):
    x = np.asarray(x, dtype=np.float64)
    analytic = np.asarray(grad_f(x), dtype=np.float64).ravel()
    numeric = numerical_gradient(f, x, eps=eps).ravel()
    errors = np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), 1e-12)
    order = np.argsort(-errors, kind="stable")
    if top is not None:
        order = order[:top]
    return [(tuple(np.unravel_index(i, x.shape)), float(analytic[i]), float(numeric[i]), float(errors[i])) for i in order]
''',
    },
    "complex_step_derivative": {
        "complex_division": '''
def complex_step_derivative(f, x, h=1e-20):
    return float(((f(x + 1j * h) - f(x)) / (1j * h)).real)
''',
        "builtin_complex": '''
def complex_step_derivative(f, x, h=1e-20):
    return f(complex(x, h)).imag / h
''',
    },
    "directional_derivative": {
        "normalise_first": '''
def directional_derivative(grad_f, x, u):
    u_hat = np.asarray(u, dtype=np.float64) / np.sqrt(np.sum(np.square(u)))
    return float(np.dot(np.ravel(grad_f(x)), np.ravel(u_hat)))
''',
    },
    "steepest_descent_direction": {
        "sqrt_of_dot": '''
def steepest_descent_direction(grad_f, x):
    g = np.array(grad_f(x), dtype=np.float64)
    return np.negative(g) / np.sqrt(np.dot(g.ravel(), g.ravel()))
''',
    },
    "grad_sin_cos": {
        "np_vectorize_of_math": '''
def grad_sin_cos(x, y):
    cos = np.vectorize(math.cos, otypes=[np.float64])
    sin = np.vectorize(math.sin, otypes=[np.float64])
    return cos(x), -sin(y)
''',
    },
}

# For every mutant that stands for a common mistake: a phrase that the first line of the error message
# of one of that name's failing test cells must contain (case-insensitively), so that the feedback
# names the mistake. Hard-coded visible examples are left out.
HINTS = {
    "forward_difference": {
        "central_formula": "central instead of forward difference",
        "sign_slip": "sign flipped",
        "divides_by_2h": "divided by 2h instead of h",
        "backward_difference": "backward instead of forward difference",
        "ignores_h_argument": "the step h is ignored",
        "no_float_conversion": "not a python float",
    },
    "central_difference": {
        "forward_formula": "forward instead of central difference",
        "missing_factor_two": "divided by h instead of 2h",
        "sign_slip": "sign flipped",
        "half_step_stencil": "steps of h/2",
        "ignores_h_argument": "the step h is ignored",
        "no_float_conversion": "not a python float",
    },
    "numerical_gradient": {
        "perturbs_in_place_without_restoring": "modified its input",
        "returns_input_dtype": "float64",
        "integer_copy_truncates_step": "truncated",
        "forward_difference": "forward instead of central difference",
        "one_dimensional_loop": "np.ndindex",
        "flattens_output": "flattened",
        "ignores_eps": "eps is ignored",
    },
    "numerical_jacobian": {
        "transposed_result": "transposed",
        "assumes_square": "square",
        "forward_difference": "forward instead of central difference",
        "mutates_x_in_place": "modified its input",
        "ignores_eps": "eps is ignored",
    },
    "relative_error": {
        "no_floor": "0 by 0",
        "additive_epsilon": "added 1e-12 to the denominator",
        "max_norm_denominator": "larger of the two norms",
        "squared_norms": "squared norms",
        "elementwise_max": "entry-by-entry",
        "norm_of_sum_denominator": "||a + b||",
    },
    "gradient_check": {
        "returns_bool": "boolean",
        "absolute_error": "absolute error",
        "ignores_eps": "eps is ignored",
        "relative_to_numerical_only": "wrong norm",
        "forward_difference_check": "forward instead of central difference",
    },
    "gradient_check_report": {
        "index_order_unsorted": "by rel_error, largest first",
        "sorted_best_first": "best first",
        "larger_magnitude_denominator": "larger of |analytic| and |numeric|",
        "absolute_error": "absolute error instead of a relative one",
        "forward_difference": "forward instead of central difference",
        "ignores_top": "top is ignored",
        "flat_integer_index": "flat int",
        "analytic_and_numeric_swapped": "swapped",
        "ignores_eps": "eps is ignored",
    },
    "complex_step_derivative": {
        "real_part_instead": "real part",
        "forgets_division_by_h": "not divided by h",
        "forgets_imaginary_part": "imaginary part",
        "central_difference_instead": "real step",
        "ignores_h_argument": "the step h is ignored",
        "divides_by_2h": "divided by 2h instead of h",
    },
    "directional_derivative": {
        "forgets_normalisation": "not normalised",
        "normalises_in_place": "modified",
        "divides_by_squared_norm": "||u||**2",
        "elementwise_product_no_sum": "dot product",
        "normalises_gradient_instead": "normalised the gradient instead of u",
        "epsilon_in_denominator": "epsilon",
    },
    "steepest_descent_direction": {
        "ascent_direction": "ascent direction",
        "forgets_normalisation": "not normalised",
        "l1_normalisation": "l1 norm",
        "epsilon_in_denominator": "epsilon",
        "negates_gradient_in_place": "modified the array grad_f returned",
    },
    "grad_sin_cos": {
        "derivative_of_cos_without_minus": "sign flipped in df_dy",
        "x_and_y_swapped": "swapped",
        "function_terms_not_derivatives": "instead of their derivatives",
        "math_functions_not_vectorised": "np.cos",
        "one_stacked_array": "stacked",
    },
}
