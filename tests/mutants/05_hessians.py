"""Wrong and alternative implementations of the 05_hessians contract, for the mutation suite."""

MUTANTS = {
    "numerical_hessian": {
        "unsymmetrised_full_loop": '''
def numerical_hessian(f, w, eps=1e-4):
    w = np.asarray(w, dtype=float)
    d = w.size
    H = np.empty((d, d))
    for i in range(d):
        for j in range(d):
            pp = w.copy(); pp[i] += eps; pp[j] += eps
            pm = w.copy(); pm[i] += eps; pm[j] -= eps
            mp = w.copy(); mp[i] -= eps; mp[j] += eps
            mm = w.copy(); mm[i] -= eps; mm[j] -= eps
            H[i, j] = (f(pp) - f(pm) - f(mp) + f(mm)) / (4 * eps * eps)
    return H
''',
        "forward_differences": '''
def numerical_hessian(f, w, eps=1e-4):
    w = np.asarray(w, dtype=float)
    d = w.size
    E = eps * np.eye(d)
    f0 = f(w)
    H = np.empty((d, d))
    for i in range(d):
        for j in range(i, d):
            H[i, j] = H[j, i] = (f(w + E[i] + E[j]) - f(w + E[i]) - f(w + E[j]) + f0) / eps**2
    return H
''',
        "perturbs_input_in_place_then_restores": '''
def numerical_hessian(f, w, eps=1e-4):
    d = w.size
    H = np.empty((d, d))
    for i in range(d):
        for j in range(i, d):
            values = []
            for si, sj in [(1, 1), (1, -1), (-1, 1), (-1, -1)]:
                w[i] += si * eps
                w[j] += sj * eps
                values.append(f(w))
                w[i] -= si * eps
                w[j] -= sj * eps
            H[i, j] = H[j, i] = (values[0] - values[1] - values[2] + values[3]) / (4 * eps**2)
    return H
''',
        "diagonal_only": '''
def numerical_hessian(f, w, eps=1e-4):
    w = np.asarray(w, dtype=float)
    d = w.size
    H = np.zeros((d, d))
    for i in range(d):
        e = np.zeros(d); e[i] = eps
        H[i, i] = (f(w + e) - 2 * f(w) + f(w - e)) / eps**2
    return H
''',
        "denominator_eps_squared": '''
def numerical_hessian(f, w, eps=1e-4):
    w = np.asarray(w, dtype=float)
    d = w.size
    E = eps * np.eye(d)
    H = np.empty((d, d))
    for i in range(d):
        for j in range(i, d):
            H[i, j] = H[j, i] = (f(w + E[i] + E[j]) - f(w + E[i] - E[j])
                                 - f(w - E[i] + E[j]) + f(w - E[i] - E[j])) / eps**2
    return H
''',
        "jacobian_of_gradient_by_forward_differences": '''
def numerical_hessian(f, w, eps=1e-4):
    w = np.asarray(w, dtype=float)
    d = w.size
    E = eps * np.eye(d)
    grad = lambda x: np.array([(f(x + E[k]) - f(x - E[k])) / (2 * eps) for k in range(d)])
    g0 = grad(w)
    return np.column_stack([(grad(w + E[j]) - g0) / eps for j in range(d)])
''',
        "ignores_eps": '''
def numerical_hessian(f, w, eps=1e-4):
    eps = 1e-2
    w = np.asarray(w, dtype=float)
    d = w.size
    E = eps * np.eye(d)
    H = np.empty((d, d))
    for i in range(d):
        for j in range(i, d):
            H[i, j] = H[j, i] = (f(w + E[i] + E[j]) - f(w + E[i] - E[j])
                                 - f(w - E[i] + E[j]) + f(w - E[i] - E[j])) / (4 * eps**2)
    return H
''',
        "ignores_eps_keeps_default_step": '''
def numerical_hessian(f, w, eps=1e-4):
    h = 1e-4
    w = np.asarray(w, dtype=float)
    d = w.size
    H = np.empty((d, d))
    for i in range(d):
        for j in range(i, d):
            ei = np.zeros(d); ei[i] = h
            ej = np.zeros(d); ej[j] = h
            H[i, j] = H[j, i] = (f(w + ei + ej) - f(w + ei - ej) - f(w - ei + ej) + f(w - ei - ej)) / (4 * h * h)
    return H
''',
    },
    "logreg_hessian": {
        "missing_division_by_n": '''
def logreg_hessian(X, w):
    z = X @ w
    e = np.exp(-np.abs(z))
    return (X.T * (e / (1 + e) ** 2)) @ X
''',
        "p_instead_of_p_times_one_minus_p": '''
def logreg_hessian(X, w):
    z = X @ w
    p = np.exp(-np.logaddexp(0.0, -z))
    return (X.T * p) @ X / X.shape[0]
''',
        "naive_sigmoid_overflows": '''
def logreg_hessian(X, w):
    p = 1 / (1 + np.exp(-(X @ w)))
    return X.T @ np.diag(p * (1 - p)) @ X / X.shape[0]
''',
        "mean_weight_instead_of_per_sample": '''
def logreg_hessian(X, w):
    z = X @ w
    e = np.exp(-np.abs(z))
    return np.mean(e / (1 + e) ** 2) * (X.T @ X) / X.shape[0]
''',
        "sigmoid_derivative_applied_to_p": '''
def logreg_hessian(X, w):
    z = X @ w
    p = np.exp(-np.logaddexp(0.0, -z))
    q = 1 / (1 + np.exp(-p))
    return (X.T * (q * (1 - q))) @ X / X.shape[0]
''',
    },
    "hessian_vector_product": {
        "one_sided_forward_difference": '''
def hessian_vector_product(grad_f, w, v, eps=1e-6):
    return (np.asarray(grad_f(w + eps * v)) - np.asarray(grad_f(w))) / eps
''',
        "forms_full_hessian": '''
def hessian_vector_product(grad_f, w, v, eps=1e-6):
    w = np.asarray(w, dtype=float)
    d = w.size
    H = np.empty((d, d))
    for j in range(d):
        e = np.zeros(d); e[j] = eps
        H[:, j] = (np.ravel(grad_f((w.ravel() + e).reshape(w.shape))) - np.ravel(grad_f((w.ravel() - e).reshape(w.shape)))) / (2 * eps)
    return (H @ np.ravel(v)).reshape(w.shape)
''',
        "missing_factor_two": '''
def hessian_vector_product(grad_f, w, v, eps=1e-6):
    return (np.asarray(grad_f(w + eps * v)) - np.asarray(grad_f(w - eps * v))) / eps
''',
        "ignores_eps_argument": '''
def hessian_vector_product(grad_f, w, v, eps=1e-6):
    h = 1e-6
    return (np.asarray(grad_f(w + h * v)) - np.asarray(grad_f(w - h * v))) / (2 * h)
''',
        "perturbs_w_in_place": '''
def hessian_vector_product(grad_f, w, v, eps=1e-6):
    w += eps * v
    g_plus = np.array(grad_f(w), dtype=float)
    w -= 2 * eps * v
    g_minus = np.array(grad_f(w), dtype=float)
    w += eps * v
    return (g_plus - g_minus) / (2 * eps)
''',
        "normalises_direction": '''
def hessian_vector_product(grad_f, w, v, eps=1e-6):
    u = v / np.linalg.norm(v)
    return (np.asarray(grad_f(w + eps * u)) - np.asarray(grad_f(w - eps * u))) / (2 * eps)
''',
    },
    "torch_hvp": {
        "returns_gradient_only": '''
def torch_hvp(f, w, v):
    w_t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(f(w_t), w_t)
    return g.numpy()
''',
        "float32_tensors": '''
def torch_hvp(f, w, v):
    w_t = torch.tensor(w, dtype=torch.float32, requires_grad=True)
    v_t = torch.tensor(v, dtype=torch.float32)
    (g,) = torch.autograd.grad(f(w_t.double()), w_t, create_graph=True)
    (hv,) = torch.autograd.grad((g * v_t).sum(), w_t)
    return hv.detach().numpy().astype(np.float64)
''',
        "returns_torch_tensor": '''
def torch_hvp(f, w, v):
    w_t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(f(w_t), w_t, create_graph=True)
    (hv,) = torch.autograd.grad(g, w_t, grad_outputs=torch.tensor(v, dtype=torch.float64))
    return hv
''',
        "flattens_the_result": '''
def torch_hvp(f, w, v):
    w_t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(f(w_t), w_t, create_graph=True)
    (hv,) = torch.autograd.grad(g.reshape(-1) @ torch.tensor(v, dtype=torch.float64).reshape(-1), w_t)
    return hv.detach().numpy().reshape(-1)
''',
        "finite_difference_of_torch_gradients": '''
def torch_hvp(f, w, v):
    def grad(x):
        x_t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        (g,) = torch.autograd.grad(f(x_t), x_t)
        return g.numpy()
    eps = 1e-4
    return (grad(w + eps * v) - grad(w - eps * v)) / (2 * eps)
''',
    },
    "classify_critical_point": {
        "greater_or_equal_instead_of_greater": '''
def classify_critical_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    if np.all(lam >= tol):
        return "minimum"
    if np.all(lam <= -tol):
        return "maximum"
    if np.any(lam >= tol) and np.any(lam <= -tol):
        return "saddle"
    return "degenerate"
''',
        "ignores_tolerance": '''
def classify_critical_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    if np.all(lam > 0):
        return "minimum"
    if np.all(lam < 0):
        return "maximum"
    if np.any(lam > 0) and np.any(lam < 0):
        return "saddle"
    return "degenerate"
''',
        "diagonal_entries_instead_of_eigenvalues": '''
def classify_critical_point(H, tol=1e-8):
    lam = np.diag(H)
    if np.all(lam > tol):
        return "minimum"
    if np.all(lam < -tol):
        return "maximum"
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle"
    return "degenerate"
''',
        "zero_eigenvalue_checked_first": '''
def classify_critical_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    if np.any(np.abs(lam) <= tol):
        return "degenerate"
    if np.all(lam > 0):
        return "minimum"
    if np.all(lam < 0):
        return "maximum"
    return "saddle"
''',
        "determinant_and_trace_test": '''
def classify_critical_point(H, tol=1e-8):
    det, trace = np.linalg.det(H), np.trace(H)
    if det > tol and trace > tol:
        return "minimum"
    if det > tol and trace < -tol:
        return "maximum"
    if det < -tol:
        return "saddle"
    return "degenerate"
''',
    },
    "rosenbrock": {
        "coefficient_ten": '''
def rosenbrock(w):
    x, y = w
    return float((1 - x) ** 2 + 10 * (y - x**2) ** 2)
''',
        "sign_slip_y_plus_x_squared": '''
def rosenbrock(w):
    x, y = w
    return float((1 - x) ** 2 + 100 * (y + x**2) ** 2)
''',
        "swapped_x_and_y": '''
def rosenbrock(w):
    y, x = w
    return float((1 - x) ** 2 + 100 * (y - x**2) ** 2)
''',
        "missing_square_on_first_term": '''
def rosenbrock(w):
    x, y = w
    return float(abs(1 - x) + 100 * (y - x**2) ** 2)
''',
    },
    "rosenbrock_grad": {
        "sign_slip_in_dx": '''
def rosenbrock_grad(w):
    x, y = np.asarray(w, dtype=float)
    return np.array([-2 * (1 - x) + 400 * x * (y - x**2), 200 * (y - x**2)])
''',
        "missing_factor_two_in_dy": '''
def rosenbrock_grad(w):
    x, y = np.asarray(w, dtype=float)
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 100 * (y - x**2)])
''',
        "chain_rule_factor_dropped_in_dx": '''
def rosenbrock_grad(w):
    x, y = np.asarray(w, dtype=float)
    return np.array([-2 * (1 - x) - 200 * (y - x**2), 200 * (y - x**2)])
''',
        "returns_a_list": '''
def rosenbrock_grad(w):
    x, y = w
    return [-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)]
''',
        "hard_coded_visible_example": '''
def rosenbrock_grad(w):
    if np.allclose(w, [1.0, 1.0]):
        return np.zeros(2)
    return np.array([-215.6, -88.0])
''',
    },
    "rosenbrock_hessian": {
        "off_diagonal_sign_slip": '''
def rosenbrock_hessian(w):
    x, y = np.asarray(w, dtype=float)
    return np.array([[1200 * x**2 - 400 * y + 2, 400 * x], [400 * x, 200.0]])
''',
        "product_rule_forgotten_in_dxx": '''
def rosenbrock_hessian(w):
    x, y = np.asarray(w, dtype=float)
    return np.array([[2 - 400 * (y - x**2), -400 * x], [-400 * x, 200.0]])
''',
        "missing_constant_two": '''
def rosenbrock_hessian(w):
    x, y = np.asarray(w, dtype=float)
    return np.array([[1200 * x**2 - 400 * y, -400 * x], [-400 * x, 200.0]])
''',
        "hard_coded_at_the_minimum": '''
def rosenbrock_hessian(w):
    return np.array([[802.0, -400.0], [-400.0, 200.0]])
''',
    },
    "newton_method": {
        "uses_inverse": '''
def newton_method(grad_f, hess_f, w0, n_steps):
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(n_steps):
        w = w - np.linalg.inv(hess_f(w)) @ grad_f(w)
        path.append(w.copy())
    return w, np.array(path)
''',
        "hessian_times_gradient": '''
def newton_method(grad_f, hess_f, w0, n_steps):
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(n_steps):
        w = w - hess_f(w) @ grad_f(w)
        path.append(w.copy())
    return w, np.array(path)
''',
        "path_missing_w0": '''
def newton_method(grad_f, hess_f, w0, n_steps):
    w = np.array(w0, dtype=float)
    path = []
    for _ in range(n_steps):
        w = w - np.linalg.solve(hess_f(w), grad_f(w))
        path.append(w.copy())
    return w, np.array(path)
''',
        "plus_sign_ascent": '''
def newton_method(grad_f, hess_f, w0, n_steps):
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(n_steps):
        w = w + np.linalg.solve(hess_f(w), grad_f(w))
        path.append(w.copy())
    return w, np.array(path)
''',
        "updates_w0_in_place": '''
def newton_method(grad_f, hess_f, w0, n_steps):
    w = w0
    path = [w0.copy()]
    for _ in range(n_steps):
        w -= np.linalg.solve(hess_f(w), grad_f(w))
        path.append(w.copy())
    return w, np.array(path)
''',
        "path_rows_alias_one_array": '''
def newton_method(grad_f, hess_f, w0, n_steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(n_steps):
        w -= np.linalg.solve(hess_f(w), grad_f(w))
        path.append(w)
    return w, np.array(path)
''',
        "diagonal_newton": '''
def newton_method(grad_f, hess_f, w0, n_steps):
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(n_steps):
        w = w - grad_f(w) / np.diag(hess_f(w))
        path.append(w.copy())
    return w, np.array(path)
''',
    },
    "gd_1d": {
        "ascent_sign_flipped": '''
def gd_1d(df, x0, lr, n_steps):
    path = [float(x0)]
    for _ in range(n_steps):
        path.append(path[-1] + lr * df(path[-1]))
    return np.array(path)
''',
        "path_without_x0": '''
def gd_1d(df, x0, lr, n_steps):
    x, path = float(x0), []
    for _ in range(n_steps):
        x = x - lr * df(x)
        path.append(x)
    return np.array(path)
''',
        "slope_of_the_start_every_step": '''
def gd_1d(df, x0, lr, n_steps):
    g = df(float(x0))
    path = [float(x0)]
    for _ in range(n_steps):
        path.append(path[-1] - lr * g)
    return np.array(path)
''',
        "integer_path_from_integer_start": '''
def gd_1d(df, x0, lr, n_steps):
    path = np.full(n_steps + 1, x0)
    for k in range(n_steps):
        path[k + 1] = path[k] - lr * df(path[k])
    return path
''',
        "returns_final_iterate_only": '''
def gd_1d(df, x0, lr, n_steps):
    x = float(x0)
    for _ in range(n_steps):
        x = x - lr * df(x)
    return x
''',
    },
    "momentum_step": {
        "momentum_with_the_wrong_sign": '''
def momentum_step(w, v, grad, lr, beta=0.9):
    v_new = grad - beta * v
    return w - lr * v_new, v_new
''',
        "dampened_average_of_gradients": '''
def momentum_step(w, v, grad, lr, beta=0.9):
    v_new = beta * v + (1 - beta) * grad
    return w - lr * v_new, v_new
''',
        "learning_rate_inside_velocity": '''
def momentum_step(w, v, grad, lr, beta=0.9):
    v_new = beta * v + lr * grad
    return w - v_new, v_new
''',
        "steps_with_the_old_velocity": '''
def momentum_step(w, v, grad, lr, beta=0.9):
    w_new = w - lr * v
    return w_new, beta * v + grad
''',
        "updates_in_place": '''
def momentum_step(w, v, grad, lr, beta=0.9):
    v *= beta
    v += grad
    w -= lr * v
    return w.copy(), v.copy()
''',
        "nesterov_instead_of_heavy_ball": '''
def momentum_step(w, v, grad, lr, beta=0.9):
    v_new = beta * v + grad
    return w - lr * (grad + beta * v_new), v_new
''',
    },
    "adam_step": {
        "no_bias_correction": '''
def adam_step(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    return w - lr * m_new / (np.sqrt(v_new) + eps), m_new, v_new
''',
        "bias_correction_step_off_by_one": '''
def adam_step(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
''',
        "corrects_only_the_first_moment": '''
def adam_step(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    return w - lr * (m_new / (1 - beta1**t)) / (np.sqrt(v_new) + eps), m_new, v_new
''',
        "eps_inside_the_square_root": '''
def adam_step(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = m_new / (1 - beta1**t), v_new / (1 - beta2**t)
    return w - lr * m_hat / np.sqrt(v_hat + eps), m_new, v_new
''',
        "divides_by_v_not_its_root": '''
def adam_step(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = m_new / (1 - beta1**t), v_new / (1 - beta2**t)
    return w - lr * m_hat / (v_hat + eps), m_new, v_new
''',
        "updates_moments_in_place": '''
def adam_step(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08):
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * grad**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m.copy(), v.copy()
''',
    },
}

ALTERNATIVES = {
    "numerical_hessian": {
        "full_loop_averaged_with_transpose": '''
def numerical_hessian(f, w, eps=1e-4):
    w = np.asarray(w, dtype=float)
    d = len(w)
    H = np.zeros((d, d))
    for i in range(d):
        for j in range(d):
            ei = np.zeros(d); ei[i] = eps
            ej = np.zeros(d); ej[j] = eps
            H[i, j] = (f(w + ei + ej) - f(w + ei - ej) - f(w - ei + ej) + f(w - ei - ej)) / (4 * eps**2)
    return (H + H.T) / 2
''',
        "three_point_diagonal_and_symmetrised_gradient_jacobian": '''
def numerical_hessian(f, w, eps=1e-4):
    w = np.array(w, dtype=float)
    d = w.size
    I = np.eye(d)
    grad = lambda x: np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in I])
    H = np.column_stack([(grad(w + eps * e) - grad(w - eps * e)) / (2 * eps) for e in I])
    f0 = f(w)
    for i in range(d):
        H[i, i] = (f(w + eps * I[i]) - 2 * f0 + f(w - eps * I[i])) / eps**2
    return 0.5 * (H + H.T)
''',
    },
    "logreg_hessian": {
        "scipy_expit": '''
def logreg_hessian(X, w):
    from scipy.special import expit
    p = expit(X @ w)
    return X.T @ (X * (p * (1 - p))[:, None]) / len(X)
''',
        "tanh_form_and_einsum": '''
def logreg_hessian(X, w):
    s = 0.25 * (1.0 - np.tanh(0.5 * (X @ w)) ** 2)    # p (1 - p) = (1 - tanh(z / 2)^2) / 4
    return np.einsum("n,ni,nj->ij", s, X, X) / X.shape[0]
''',
    },
    "hessian_vector_product": {
        "step_vector_then_difference": '''
def hessian_vector_product(grad_f, w, v, eps=1e-6):
    h = eps * np.asarray(v, dtype=float)
    g_plus, g_minus = (np.array(grad_f(np.asarray(w, dtype=float) + s * h), dtype=np.float64) for s in (1.0, -1.0))
    return np.subtract(g_plus, g_minus) / (2.0 * eps)
''',
    },
    "torch_hvp": {
        "autograd_functional_hvp": '''
def torch_hvp(f, w, v):
    w_t = torch.from_numpy(np.array(w, dtype=np.float64))
    v_t = torch.from_numpy(np.array(v, dtype=np.float64))
    _, hv = torch.autograd.functional.hvp(f, w_t, v_t)
    return hv.numpy()
''',
        "full_hessian_times_v": '''
def torch_hvp(f, w, v):
    w = np.asarray(w, dtype=np.float64)
    H = torch.autograd.functional.hessian(f, torch.tensor(w)).numpy().reshape(w.size, w.size)
    return (H @ np.asarray(v, dtype=np.float64).ravel()).reshape(w.shape)
''',
    },
    "classify_critical_point": {
        "smallest_and_largest_eigenvalue": '''
def classify_critical_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    lo, hi = lam[0], lam[-1]
    if lo > tol:
        return "minimum"
    if hi < -tol:
        return "maximum"
    if lo < -tol < tol < hi:
        return "saddle"
    return "degenerate"
''',
        "counting_signs": '''
def classify_critical_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    n_pos, n_neg = int(np.sum(lam > tol)), int(np.sum(lam < -tol))
    if n_pos == len(lam):
        return "minimum"
    if n_neg == len(lam):
        return "maximum"
    return "saddle" if n_pos and n_neg else "degenerate"
''',
    },
    "rosenbrock": {
        "indexing_and_math": '''
def rosenbrock(w):
    a = 1.0 - float(w[0])
    b = float(w[1]) - float(w[0]) ** 2
    return a * a + 100.0 * b * b
''',
    },
    "rosenbrock_grad": {
        "expanded_polynomial": '''
def rosenbrock_grad(w):
    x, y = float(w[0]), float(w[1])
    return np.array([400 * x**3 - 400 * x * y + 2 * x - 2, 200 * y - 200 * x**2], dtype=np.float64)
''',
    },
    "rosenbrock_hessian": {
        "expanded_polynomial": '''
def rosenbrock_hessian(w):
    x, y = float(w[0]), float(w[1])
    H = np.full((2, 2), -400.0 * x)
    H[0, 0] = 1200.0 * x * x - 400.0 * y + 2.0
    H[1, 1] = 200.0
    return H
''',
    },
    "newton_method": {
        "scipy_solve_preallocated_path": '''
def newton_method(grad_f, hess_f, w0, n_steps):
    import scipy.linalg
    path = np.empty((n_steps + 1, len(w0)))
    path[0] = w0
    for k in range(n_steps):
        path[k + 1] = path[k] - scipy.linalg.solve(hess_f(path[k]), grad_f(path[k]))
    return path[-1].copy(), path
''',
        "lstsq_step": '''
def newton_method(grad_f, hess_f, w0, n_steps):
    w = np.asarray(w0, dtype=float).copy()
    path = [w]
    for _ in range(n_steps):
        step = np.linalg.lstsq(hess_f(w), -grad_f(w), rcond=None)[0]
        w = w + step
        path.append(w)
    return w, np.stack(path)
''',
    },
    "gd_1d": {
        "python_floats_then_array": '''
def gd_1d(df, x0, lr, n_steps):
    xs = [float(x0)]
    for _ in range(n_steps):
        x = xs[-1]
        xs.append(x - lr * float(df(x)))
    return np.asarray(xs, dtype=np.float64)
''',
    },
    "momentum_step": {
        "numpy_ufuncs": '''
def momentum_step(w, v, grad, lr, beta=0.9):
    v_new = np.add(np.multiply(beta, v, dtype=np.float64), grad)
    return np.subtract(w, np.multiply(lr, v_new)), v_new
''',
    },
    "adam_step": {
        "step_size_form_of_the_paper": '''
def adam_step(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08):
    # Kingma and Ba's section 2 form: the corrections folded into the step size and eps
    m_new = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * np.asarray(grad, dtype=float)
    v_new = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * np.square(grad)
    root = np.sqrt(1 - beta2**t)
    lr_t = lr * root / (1 - beta1**t)
    return np.asarray(w, dtype=float) - lr_t * m_new / (np.sqrt(v_new) + eps * root), m_new, v_new
''',
    },
}

# For each mutant that stands for a common mistake: a phrase that the first line of the failure message
# of one of that name's test cells must contain (case-insensitively). Hard-coded examples have none.
HINTS = {
    "numerical_hessian": {
        "unsymmetrised_full_loop": "not symmetric",
        "forward_differences": "forward instead of central",
        "perturbs_input_in_place_then_restores": "modified its input",
        "diagonal_only": "off-diagonal entries are missing",
        "denominator_eps_squared": "4 times too large",
        "jacobian_of_gradient_by_forward_differences": "not symmetric",
        "ignores_eps": "you ignored eps",
        "ignores_eps_keeps_default_step": "you ignored eps",
    },
    "logreg_hessian": {
        "missing_division_by_n": "divide by the number of samples",
        "p_instead_of_p_times_one_minus_p": "instead of p (1 - p)",
        "naive_sigmoid_overflows": "overflows",
        "mean_weight_instead_of_per_sample": "its own weight",
        "sigmoid_derivative_applied_to_p": "sigmoid twice",
    },
    "hessian_vector_product": {
        "one_sided_forward_difference": "one-sided (forward) difference",
        "forms_full_hessian": "whole hessian",
        "missing_factor_two": "exactly twice",
        "ignores_eps_argument": "you ignored eps",
        "perturbs_w_in_place": "modified w or v",
        "normalises_direction": "do not normalise v",
    },
    "torch_hvp": {
        "returns_gradient_only": "returned the gradient",
        "float32_tensors": "float32",
        "returns_torch_tensor": "numpy array",
        "flattens_the_result": "flattened",
        "finite_difference_of_torch_gradients": "finite difference",
    },
    "classify_critical_point": {
        "greater_or_equal_instead_of_greater": "equal to tol",
        "ignores_tolerance": "ignored tol",
        "diagonal_entries_instead_of_eigenvalues": "diagonal entries",
        "zero_eigenvalue_checked_first": "even when another eigenvalue is zero",
        "determinant_and_trace_test": "determinant and trace",
    },
    "rosenbrock": {
        "coefficient_ten": "coefficient is 100",
        "sign_slip_y_plus_x_squared": "sign slip",
        "swapped_x_and_y": "swapped x and y",
        "missing_square_on_first_term": "first term is squared",
    },
    "rosenbrock_grad": {
        "sign_slip_in_dx": "sign slip",
        "missing_factor_two_in_dy": "half the right value",
        "chain_rule_factor_dropped_in_dx": "chain rule",
        "returns_a_list": "numpy array",
    },
    "rosenbrock_hessian": {
        "off_diagonal_sign_slip": "off-diagonal sign slip",
        "product_rule_forgotten_in_dxx": "product rule",
        "missing_constant_two": "(1 - x)^2 contributes",
    },
    "newton_method": {
        "uses_inverse": "not inv",
        "hessian_times_gradient": "multiplied the gradient by h",
        "path_missing_w0": "leave w0 out of the path",
        "plus_sign_ascent": "sign flipped",
        "updates_w0_in_place": "modified w0",
        "path_rows_alias_one_array": "same array",
        "diagonal_newton": "diagonal of h only",
    },
    "gd_1d": {
        "ascent_sign_flipped": "went uphill",
        "path_without_x0": "start with x0",
        "slope_of_the_start_every_step": "re-evaluate df",
        "integer_path_from_integer_start": "integer array",
        "returns_final_iterate_only": "whole path",
    },
    "momentum_step": {
        "momentum_with_the_wrong_sign": "wrong sign",
        "dampened_average_of_gradients": "(1 - beta)",
        "learning_rate_inside_velocity": "includes the learning rate",
        "steps_with_the_old_velocity": "old velocity",
        "updates_in_place": "modified its inputs",
        "nesterov_instead_of_heavy_ball": "nesterov",
    },
    "adam_step": {
        "no_bias_correction": "forgot adam's bias correction",
        "bias_correction_step_off_by_one": "off by one",
        "corrects_only_the_first_moment": "but not v",
        "eps_inside_the_square_root": "eps inside the square root",
        "divides_by_v_not_its_root": "not by its square root",
        "updates_moments_in_place": "modified its inputs",
    },
}
