"""Wrong and alternative implementations of the 03_mse_gradients contract, for the mutation suite."""

MUTANTS = {
    "mse_loss_and_grad": {
        "missing_one_over_n": '''
def mse_loss_and_grad(X, y, w):
    r = X @ w - y
    return float(np.mean(r ** 2)), 2.0 * X.T @ r
''',
        # the formula-card slip: the gradient of the 1/(2n) loss returned for the 1/n loss
        "half_mse_gradient_for_mean_loss": '''
def mse_loss_and_grad(X, y, w):
    r = X @ w - y
    return float(np.mean(r ** 2)), X.T @ r / len(y)
''',
        "half_mse_convention_throughout": '''
def mse_loss_and_grad(X, y, w):
    r = X @ w - y
    return float(r @ r / (2 * len(y))), X.T @ r / len(y)
''',
        "x_instead_of_x_transpose": '''
def mse_loss_and_grad(X, y, w):
    r = X @ w - y
    return float(np.mean(r ** 2)), 2.0 / len(y) * X @ r
''',
        "sum_instead_of_mean_loss": '''
def mse_loss_and_grad(X, y, w):
    r = X @ w - y
    return float(np.sum(r ** 2)), 2.0 / len(y) * X.T @ r
''',
        "sign_slip_residual_y_minus_xw": '''
def mse_loss_and_grad(X, y, w):
    r = y - X @ w
    return float(np.mean(r ** 2)), 2.0 / len(y) * X.T @ r
''',
        "divides_by_d_not_n": '''
def mse_loss_and_grad(X, y, w):
    r = X @ w - y
    d = X.shape[1]
    return float(r @ r / d), 2.0 / d * X.T @ r
''',
        "loss_returned_as_array": '''
def mse_loss_and_grad(X, y, w):
    r = (X @ w - y)[:, None]
    loss = (r.T @ r) / len(y)
    return loss.ravel(), 2.0 / len(y) * X.T @ r[:, 0]
''',
        "hard_coded_visible_example": '''
def mse_loss_and_grad(X, y, w):
    return 3.5 / 3, np.array([-3.0, -3.0])
''',
    },
    "linear_loss_and_grads": {
        "bias_free_formula_ignores_b": '''
def linear_loss_and_grads(X, y, w, b):
    r = X @ w - y
    n = len(y)
    return float(r @ r / n), 2.0 / n * X.T @ r, float(2.0 * r.mean())
''',
        "bias_grad_sum_not_mean": '''
def linear_loss_and_grads(X, y, w, b):
    r = X @ w + b - y
    n = len(y)
    return float(r @ r / n), 2.0 / n * X.T @ r, float(2.0 * r.sum())
''',
        "bias_grad_missing_factor_two": '''
def linear_loss_and_grads(X, y, w, b):
    r = X @ w + b - y
    n = len(y)
    return float(r @ r / n), 2.0 / n * X.T @ r, float(r.mean())
''',
        "bias_grad_as_array": '''
def linear_loss_and_grads(X, y, w, b):
    r = X @ w + b - y
    n = len(y)
    return float(r @ r / n), 2.0 / n * X.T @ r, 2.0 * np.mean(r, keepdims=True)
''',
        "bias_sign_slip": '''
def linear_loss_and_grads(X, y, w, b):
    r = X @ w - b - y
    n = len(y)
    return float(r @ r / n), 2.0 / n * X.T @ r, float(2.0 * r.mean())
''',
        "weight_grad_missing_one_over_n": '''
def linear_loss_and_grads(X, y, w, b):
    r = X @ w + b - y
    n = len(y)
    return float(r @ r / n), 2.0 * X.T @ r, float(2.0 * r.mean())
''',
    },
    "grad_linear_form": {
        "value_not_gradient": '''
def grad_linear_form(a, x):
    return float(a @ x)
''',
        "elementwise_product": '''
def grad_linear_form(a, x):
    return a * x
''',
        "returns_x": '''
def grad_linear_form(a, x):
    return x.copy()
''',
    },
    "grad_trace_product": {
        "a_not_transposed": '''
def grad_trace_product(A, X):
    return A.copy()
''',
        "reshape_instead_of_transpose": '''
def grad_trace_product(A, X):
    return A.reshape(X.shape).copy()
''',
        "value_not_gradient": '''
def grad_trace_product(A, X):
    return float(np.trace(A @ X))
''',
        "product_a_x_transposed": '''
def grad_trace_product(A, X):
    return (A @ X).T
''',
    },
    "grad_quadratic_form": {
        "two_a_x_symmetric_only": '''
def grad_quadratic_form(A, x):
    return 2.0 * A @ x
''',
        "a_x_only": '''
def grad_quadratic_form(A, x):
    return A @ x
''',
        "transpose_only_twice": '''
def grad_quadratic_form(A, x):
    return 2.0 * x @ A
''',
        "symmetrises_a_in_place": '''
def grad_quadratic_form(A, x):
    A += A.T.copy()
    return A @ x
''',
        "half_of_a_plus_a_transpose": '''
def grad_quadratic_form(A, x):
    return 0.5 * (A + A.T) @ x
''',
    },
    "grad_least_squares": {
        "missing_factor_two": '''
def grad_least_squares(A, b, x):
    return A.T @ (A @ x - b)
''',
        "a_instead_of_a_transpose": '''
def grad_least_squares(A, b, x):
    return 2.0 * A @ (A @ x - b)
''',
        "sign_slip": '''
def grad_least_squares(A, b, x):
    return 2.0 * A.T @ (b - A @ x)
''',
        "mean_instead_of_sum": '''
def grad_least_squares(A, b, x):
    return 2.0 * A.T @ (A @ x - b) / len(b)
''',
        "forgets_b_term": '''
def grad_least_squares(A, b, x):
    return 2.0 * A.T @ A @ x - A.T @ b
''',
    },
    "gradient_descent": {
        "path_missing_w0": '''
def gradient_descent(grad_f, w0, lr, n_steps):
    w = np.array(w0, dtype=float)
    path = []
    for _ in range(n_steps):
        w = w - lr * grad_f(w)
        path.append(w)
    return w, np.array(path).reshape((n_steps,) + np.shape(w0))
''',
        "updates_w0_in_place": '''
def gradient_descent(grad_f, w0, lr, n_steps):
    path = [w0.copy()]
    w = w0
    for _ in range(n_steps):
        w -= lr * grad_f(w)
        path.append(w.copy())
    return w, np.array(path)
''',
        "path_rows_alias_one_array": '''
def gradient_descent(grad_f, w0, lr, n_steps):
    w = w0.astype(float)
    path = [w]
    for _ in range(n_steps):
        w -= lr * grad_f(w)
        path.append(w)
    return w, np.array(path)
''',
        "path_shape_uses_len": '''
def gradient_descent(grad_f, w0, lr, n_steps):
    path = np.zeros((n_steps + 1, len(w0)))
    path[0] = w0
    w = w0.copy()
    for t in range(n_steps):
        w = w - lr * grad_f(w)
        path[t + 1] = w
    return w, path
''',
        "flattens_w0": '''
def gradient_descent(grad_f, w0, lr, n_steps):
    w = np.array(w0, dtype=float).ravel()
    path = [w]
    for _ in range(n_steps):
        w = w - lr * grad_f(w)
        path.append(w)
    return w, np.array(path)
''',
        "gradient_ascent_sign_slip": '''
def gradient_descent(grad_f, w0, lr, n_steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(n_steps):
        w = w + lr * grad_f(w)
        path.append(w)
    return w, np.array(path)
''',
        "appends_before_update": '''
def gradient_descent(grad_f, w0, lr, n_steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(n_steps):
        path.append(w)
        w = w - lr * grad_f(w)
    return w, np.array(path)
''',
    },
    "ols_solution": {
        "normal_equations_with_inv": '''
def ols_solution(X, y):
    return np.linalg.inv(X.T @ X) @ X.T @ y
''',
        "normal_equations_with_solve": '''
def ols_solution(X, y):
    return np.linalg.solve(X.T @ X, X.T @ y)
''',
        "solves_x_w_equals_y_directly": '''
def ols_solution(X, y):
    return np.linalg.solve(X, y)
''',
        "returns_whole_lstsq_tuple": '''
def ols_solution(X, y):
    return np.linalg.lstsq(X, y, rcond=None)
''',
        "small_ridge_to_avoid_singular": '''
def ols_solution(X, y):
    d = X.shape[1]
    return np.linalg.solve(X.T @ X + 1e-6 * np.eye(d), X.T @ y)
''',
        "gradient_descent_few_steps": '''
def ols_solution(X, y):
    n = len(y)
    lr = n / np.linalg.norm(X, 2) ** 2
    w = np.zeros(X.shape[1])
    for _ in range(200):
        w = w - lr * 2.0 / n * X.T @ (X @ w - y)
    return w
''',
    },
    "max_stable_lr": {
        "lambda_max_of_xtx_without_two_over_n": '''
def max_stable_lr(X):
    return float(2.0 / np.linalg.eigvalsh(X.T @ X)[-1])
''',
        "covariance_without_factor_two": '''
def max_stable_lr(X):
    return float(2.0 / np.linalg.eigvalsh(X.T @ X / X.shape[0])[-1])
''',
        "one_over_lambda_max": '''
def max_stable_lr(X):
    return float(1.0 / np.linalg.eigvalsh(2.0 / X.shape[0] * X.T @ X)[-1])
''',
        "uses_lambda_min": '''
def max_stable_lr(X):
    return float(2.0 / np.linalg.eigvalsh(2.0 / X.shape[0] * X.T @ X)[0])
''',
        "singular_value_not_squared": '''
def max_stable_lr(X):
    return float(2.0 / (2.0 / X.shape[0] * np.linalg.svd(X, compute_uv=False)[0]))
''',
        "trace_instead_of_lambda_max": '''
def max_stable_lr(X):
    return float(2.0 / np.trace(2.0 / X.shape[0] * X.T @ X))
''',
        "returns_array": '''
def max_stable_lr(X):
    return 2.0 / np.linalg.eigvalsh(2.0 / X.shape[0] * X.T @ X)[-1:]
''',
    },
    "steps_to_tolerance": {
        "counts_losses_not_updates": '''
def steps_to_tolerance(X, y, w0, lr, tol=1e-4, max_steps=100000):
    n = X.shape[0]
    loss_star = float(np.mean((X @ np.linalg.lstsq(X, y, rcond=None)[0] - y) ** 2))
    w = np.array(w0, dtype=float)
    for t in range(1, max_steps + 2):
        r = X @ w - y
        if r @ r / n <= loss_star + tol:
            return t
        w = w - lr * 2.0 / n * X.T @ r
    return None
''',
        "half_mse_gradient": '''
def steps_to_tolerance(X, y, w0, lr, tol=1e-4, max_steps=100000):
    n = X.shape[0]
    loss_star = float(np.mean((X @ np.linalg.lstsq(X, y, rcond=None)[0] - y) ** 2))
    w = np.array(w0, dtype=float)
    for t in range(max_steps + 1):
        r = X @ w - y
        if r @ r / n <= loss_star + tol:
            return t
        w = w - lr / n * X.T @ r
    return None
''',
        "loss_below_tol_not_excess": '''
def steps_to_tolerance(X, y, w0, lr, tol=1e-4, max_steps=100000):
    n = X.shape[0]
    w = np.array(w0, dtype=float)
    for t in range(max_steps + 1):
        r = X @ w - y
        if r @ r / n <= tol:
            return t
        w = w - lr * 2.0 / n * X.T @ r
    return None
''',
        "sum_of_squares_excess": '''
def steps_to_tolerance(X, y, w0, lr, tol=1e-4, max_steps=100000):
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    sse_star = float(np.sum((X @ w_star - y) ** 2))
    w = np.array(w0, dtype=float)
    for t in range(max_steps + 1):
        r = X @ w - y
        if r @ r <= sse_star + tol:
            return t
        w = w - lr * 2.0 / len(y) * X.T @ r
    return None
''',
        "gradient_norm_criterion": '''
def steps_to_tolerance(X, y, w0, lr, tol=1e-4, max_steps=100000):
    n = X.shape[0]
    w = np.array(w0, dtype=float)
    for t in range(max_steps + 1):
        g = 2.0 / n * X.T @ (X @ w - y)
        if np.linalg.norm(g) <= tol:
            return t
        w = w - lr * g
    return None
''',
        "max_steps_instead_of_none": '''
def steps_to_tolerance(X, y, w0, lr, tol=1e-4, max_steps=100000):
    n = X.shape[0]
    loss_star = float(np.mean((X @ np.linalg.lstsq(X, y, rcond=None)[0] - y) ** 2))
    w = np.array(w0, dtype=float)
    for t in range(max_steps + 1):
        r = X @ w - y
        if r @ r / n <= loss_star + tol:
            return t
        w = w - lr * 2.0 / n * X.T @ r
    return max_steps
''',
        "argmax_returns_numpy_integer": '''
def steps_to_tolerance(X, y, w0, lr, tol=1e-4, max_steps=100000):
    n = X.shape[0]
    loss_star = float(np.mean((X @ np.linalg.lstsq(X, y, rcond=None)[0] - y) ** 2))
    w = np.array(w0, dtype=float)
    losses = []
    for t in range(max_steps + 1):
        r = X @ w - y
        losses.append(r @ r / n)
        if losses[-1] <= loss_star + tol:
            return np.argmax(np.array(losses) <= loss_star + tol)
        w = w - lr * 2.0 / n * X.T @ r
    return None
''',
        "updates_w0_in_place": '''
def steps_to_tolerance(X, y, w0, lr, tol=1e-4, max_steps=100000):
    n = X.shape[0]
    loss_star = float(np.mean((X @ np.linalg.lstsq(X, y, rcond=None)[0] - y) ** 2))
    w = w0
    for t in range(max_steps + 1):
        r = X @ w - y
        if r @ r / n <= loss_star + tol:
            return t
        w -= lr * 2.0 / n * X.T @ r
    return None
''',
    },
    "minibatch_sgd": {
        "global_np_random_shuffle": '''
def minibatch_sgd(X, y, w0, lr, n_epochs, batch_size, seed=0):
    np.random.seed(seed)
    n = len(y)
    w = np.array(w0, dtype=float)
    losses = np.empty(n_epochs)
    for epoch in range(n_epochs):
        order = np.arange(n)
        np.random.shuffle(order)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            w = w - lr * 2.0 / len(idx) * X[idx].T @ (X[idx] @ w - y[idx])
        losses[epoch] = np.mean((X @ w - y) ** 2)
    return w, losses
''',
        "rng_recreated_every_epoch": '''
def minibatch_sgd(X, y, w0, lr, n_epochs, batch_size, seed=0):
    n = len(y)
    w = np.array(w0, dtype=float)
    losses = np.empty(n_epochs)
    for epoch in range(n_epochs):
        order = np.random.default_rng(seed).permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            w = w - lr * 2.0 / len(idx) * X[idx].T @ (X[idx] @ w - y[idx])
        losses[epoch] = np.mean((X @ w - y) ** 2)
    return w, losses
''',
        "divides_by_batch_size_not_batch_length": '''
def minibatch_sgd(X, y, w0, lr, n_epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    n = len(y)
    w = np.array(w0, dtype=float)
    losses = np.empty(n_epochs)
    for epoch in range(n_epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            w = w - lr * 2.0 / batch_size * X[idx].T @ (X[idx] @ w - y[idx])
        losses[epoch] = np.mean((X @ w - y) ** 2)
    return w, losses
''',
        "drops_last_partial_batch": '''
def minibatch_sgd(X, y, w0, lr, n_epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    n = len(y)
    w = np.array(w0, dtype=float)
    losses = np.empty(n_epochs)
    for epoch in range(n_epochs):
        order = rng.permutation(n)
        for k in range(n // batch_size):
            idx = order[k * batch_size:(k + 1) * batch_size]
            w = w - lr * 2.0 / len(idx) * X[idx].T @ (X[idx] @ w - y[idx])
        losses[epoch] = np.mean((X @ w - y) ** 2)
    return w, losses
''',
        "records_loss_before_epoch": '''
def minibatch_sgd(X, y, w0, lr, n_epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    n = len(y)
    w = np.array(w0, dtype=float)
    losses = np.empty(n_epochs)
    for epoch in range(n_epochs):
        losses[epoch] = np.mean((X @ w - y) ** 2)
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            w = w - lr * 2.0 / len(idx) * X[idx].T @ (X[idx] @ w - y[idx])
    return w, losses
''',
        "updates_w0_in_place": '''
def minibatch_sgd(X, y, w0, lr, n_epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    n = len(y)
    w = w0
    losses = np.empty(n_epochs)
    for epoch in range(n_epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            w -= lr * 2.0 / len(idx) * X[idx].T @ (X[idx] @ w - y[idx])
        losses[epoch] = np.mean((X @ w - y) ** 2)
    return w.copy(), losses
''',
        "sums_batch_gradient": '''
def minibatch_sgd(X, y, w0, lr, n_epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    n = len(y)
    w = np.array(w0, dtype=float)
    losses = np.empty(n_epochs)
    for epoch in range(n_epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            w = w - lr * 2.0 * X[idx].T @ (X[idx] @ w - y[idx])
        losses[epoch] = np.mean((X @ w - y) ** 2)
    return w, losses
''',
        "samples_batches_with_replacement": '''
def minibatch_sgd(X, y, w0, lr, n_epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    n = len(y)
    w = np.array(w0, dtype=float)
    losses = np.empty(n_epochs)
    for epoch in range(n_epochs):
        for start in range(0, n, batch_size):
            idx = rng.integers(0, n, size=min(batch_size, n - start))
            w = w - lr * 2.0 / len(idx) * X[idx].T @ (X[idx] @ w - y[idx])
        losses[epoch] = np.mean((X @ w - y) ** 2)
    return w, losses
''',
        "shuffles_x_and_y_in_place": '''
def minibatch_sgd(X, y, w0, lr, n_epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    n = len(y)
    w = np.array(w0, dtype=float)
    losses = np.empty(n_epochs)
    for epoch in range(n_epochs):
        order = rng.permutation(n)
        X[:] = X[order]
        y[:] = y[order]
        for start in range(0, n, batch_size):
            Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            w = w - lr * 2.0 / len(yb) * Xb.T @ (Xb @ w - yb)
        losses[epoch] = np.mean((X @ w - y) ** 2)
    return w, losses
''',
    },
}

ALTERNATIVES = {
    "grad_linear_form": {
        "returns_a_itself": '''
def grad_linear_form(a, x):
    return a
''',
        "ones_times_a": '''
def grad_linear_form(a, x):
    return np.ones_like(x) * a
''',
    },
    "grad_trace_product": {
        "index_loop": '''
def grad_trace_product(A, X):
    G = np.zeros(X.shape)
    for j in range(X.shape[0]):
        for i in range(X.shape[1]):
            G[j, i] = A[i, j]
    return G
''',
        "transpose_view": '''
def grad_trace_product(A, X):
    return A.T
''',
    },
    "steps_to_tolerance": {
        "excess_from_error_norm": '''
def steps_to_tolerance(X, y, w0, lr, tol=1e-4, max_steps=100000):
    n = X.shape[0]
    w_star = ols_solution(X, y)
    w = w0.copy()
    t = 0
    while np.mean((X @ (w - w_star)) ** 2) > tol:
        if t == max_steps:
            return None
        w -= lr * 2.0 / n * X.T @ (X @ w - y)
        t += 1
    return t
''',
        "pinv_and_while_loop": '''
def steps_to_tolerance(X, y, w0, lr, tol=1e-4, max_steps=100000):
    loss = lambda v: float(np.mean((X @ v - y) ** 2))
    target = loss(np.linalg.pinv(X) @ y) + tol
    w, steps = np.array(w0, dtype=float), 0
    while loss(w) > target and steps < max_steps:
        w = w - lr * 2.0 / len(y) * X.T @ (X @ w - y)
        steps += 1
    return steps if loss(w) <= target else None
''',
    },
    "mse_loss_and_grad": {
        "einsum_and_mean": '''
def mse_loss_and_grad(X, y, w):
    r = np.einsum("ij,j->i", X, w) - y
    return float(np.mean(r ** 2)), np.einsum("ij,i->j", X, r) * (2.0 / X.shape[0])
''',
        "residual_times_x_row_vector": '''
def mse_loss_and_grad(X, y, w):
    n = len(y)
    r = X @ w - y
    return float(np.dot(r, r)) / n, (2 * r @ X) / n
''',
    },
    "linear_loss_and_grads": {
        "augmented_column_of_ones": '''
def linear_loss_and_grads(X, y, w, b):
    X1 = np.hstack([X, np.ones((X.shape[0], 1))])
    r = X1 @ np.append(w, b) - y
    g = 2.0 / len(y) * X1.T @ r
    return float(np.mean(r ** 2)), g[:-1], float(g[-1])
''',
    },
    "grad_quadratic_form": {
        "two_products": '''
def grad_quadratic_form(A, x):
    return A @ x + A.T @ x
''',
        "einsum_both_indices": '''
def grad_quadratic_form(A, x):
    return np.einsum("kj,j->k", A, x) + np.einsum("i,ik->k", x, A)
''',
    },
    "grad_least_squares": {
        "expanded_normal_form": '''
def grad_least_squares(A, b, x):
    return 2.0 * (A.T @ (A @ x)) - 2.0 * (A.T @ b)
''',
    },
    "gradient_descent": {
        "preallocated_path": '''
def gradient_descent(grad_f, w0, lr, n_steps):
    path = np.empty((n_steps + 1,) + np.shape(w0))
    path[0] = w0
    for t in range(n_steps):
        path[t + 1] = path[t] - lr * grad_f(path[t].copy())
    return path[-1].copy(), path
''',
        "copy_then_in_place_updates": '''
def gradient_descent(grad_f, w0, lr, n_steps):
    w = w0.astype(float, copy=True)
    path = [w.copy()]
    for _ in range(n_steps):
        w -= lr * grad_f(w)
        path.append(w.copy())
    return w, np.array(path)
''',
    },
    "ols_solution": {
        "pseudo_inverse": '''
def ols_solution(X, y):
    return np.linalg.pinv(X) @ y
''',
        "svd_with_cutoff": '''
def ols_solution(X, y):
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    s_inv = np.zeros_like(s)
    keep = s > max(X.shape) * np.finfo(float).eps * s.max()
    s_inv[keep] = 1.0 / s[keep]
    return Vt.T @ (s_inv * (U.T @ y))
''',
        "scipy_lstsq": '''
def ols_solution(X, y):
    import scipy.linalg
    return scipy.linalg.lstsq(X, y)[0]
''',
    },
    "max_stable_lr": {
        "spectral_norm": '''
def max_stable_lr(X):
    return float(X.shape[0] / np.linalg.norm(X, 2) ** 2)
''',
        "gram_matrix_eigenvalues": '''
def max_stable_lr(X):
    n = X.shape[0]
    lam = np.linalg.eigvalsh(X @ X.T).max()
    return float(n / lam)
''',
    },
    "minibatch_sgd": {
        "shuffle_an_index_array": '''
def minibatch_sgd(X, y, w0, lr, n_epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    w = w0.copy().astype(float)
    losses = []
    for _ in range(n_epochs):
        order = np.arange(n)
        rng.shuffle(order)
        for start in range(0, n, batch_size):
            Xb, yb = X[order[start:start + batch_size]], y[order[start:start + batch_size]]
            w -= lr * 2.0 * Xb.T @ (Xb @ w - yb) / len(yb)
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)
''',
        "per_sample_loop": '''
def minibatch_sgd(X, y, w0, lr, n_epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    n, d = X.shape
    w = np.array(w0, dtype=float)
    losses = np.zeros(n_epochs)
    for epoch in range(n_epochs):
        order = rng.permutation(n)
        batches = [order[k:k + batch_size] for k in range(0, n, batch_size)]
        for batch in batches:
            g = np.zeros(d)
            for i in batch:
                g += 2.0 * (X[i] @ w - y[i]) * X[i]
            w = w - lr * g / len(batch)
        losses[epoch] = float(np.mean((X @ w - y) ** 2))
    return w, losses
''',
    },
}


# For each mutant that stands for a common mistake, a phrase the first line of the failing test's message must say.
HINTS = {
    "mse_loss_and_grad": {
        "missing_one_over_n": "n times the right one",
        "half_mse_gradient_for_mean_loss": "returned for the 1/n loss",
        "half_mse_convention_throughout": "1/(2n) convention",
        "x_instead_of_x_transpose": "x where x^t belongs",
        "sum_instead_of_mean_loss": "sum of squared residuals",
        "sign_slip_residual_y_minus_xw": "wrong sign",
        "divides_by_d_not_n": "number of features d",
        "loss_returned_as_array": "python float",
    },
    "linear_loss_and_grads": {
        "bias_free_formula_ignores_b": "ignores b",
        "bias_grad_sum_not_mean": "grad_b is n times",
        "bias_grad_missing_factor_two": "grad_b is half",
        "bias_grad_as_array": "python float",
        "bias_sign_slip": "subtracts b",
        "weight_grad_missing_one_over_n": "grad_w is n times",
    },
    "grad_linear_form": {
        "value_not_gradient": "value a^t x, not its gradient",
        "elementwise_product": "a * x elementwise",
        "returns_x": "you returned x",
    },
    "grad_trace_product": {
        "a_not_transposed": "transpose",
        "reshape_instead_of_transpose": "reshape",
        "value_not_gradient": "value tr(ax), not its gradient",
        "product_a_x_transposed": "does not depend on x",
    },
    "grad_quadratic_form": {
        "two_a_x_symmetric_only": "right only for a symmetric a",
        "a_x_only": "only one of the two terms",
        "transpose_only_twice": "right only for a symmetric a",
        "symmetrises_a_in_place": "modified a",
        "half_of_a_plus_a_transpose": "half the right one",
    },
    "grad_least_squares": {
        "missing_factor_two": "half the right one",
        "a_instead_of_a_transpose": "a where a^t belongs",
        "sign_slip": "wrong sign",
        "mean_instead_of_sum": "plain sum of squares",
        "forgets_b_term": "b term lost its factor 2",
    },
    "gradient_descent": {
        "path_missing_w0": "start with w0",
        "updates_w0_in_place": "modified w0",
        "path_rows_alias_one_array": "alias one array",
        "path_shape_uses_len": "assume w0 is a vector",
        "flattens_w0": "assume w0 is a vector",
        "gradient_ascent_sign_slip": "along the gradient",
        "appends_before_update": "before each update",
    },
    "ols_solution": {
        "normal_equations_with_inv": "singular",
        "normal_equations_with_solve": "singular",
        "solves_x_w_equals_y_directly": "needs a square matrix",
        "returns_whole_lstsq_tuple": "keep only its first entry",
        "small_ridge_to_avoid_singular": "only approximates",
        "gradient_descent_few_steps": "stopped early",
    },
    "max_stable_lr": {
        "lambda_max_of_xtx_without_two_over_n": "eigenvalue of x^t x itself",
        "covariance_without_factor_two": "twice the threshold",
        "one_over_lambda_max": "1/lambda_max",
        "uses_lambda_min": "smallest eigenvalue",
        "singular_value_not_squared": "not squared",
        "trace_instead_of_lambda_max": "trace",
        "returns_array": "python float",
    },
    "steps_to_tolerance": {
        "counts_losses_not_updates": "one step too many",
        "half_mse_gradient": "1/(2n) gradient",
        "loss_below_tol_not_excess": "excess over l*",
        "sum_of_squares_excess": "not their sum",
        "gradient_norm_criterion": "gradient norm",
        "max_steps_instead_of_none": "return none",
        "argmax_returns_numpy_integer": "python int",
        "updates_w0_in_place": "modified w0",
    },
    "minibatch_sgd": {
        "global_np_random_shuffle": "global state",
        "rng_recreated_every_epoch": "create the generator once",
        "divides_by_batch_size_not_batch_length": "its own length",
        "drops_last_partial_batch": "smaller batch is skipped",
        "records_loss_before_epoch": "after the epoch's updates",
        "updates_w0_in_place": "modified w0",
        "sums_batch_gradient": "summed, not averaged",
        "samples_batches_with_replacement": "exactly once",
        "shuffles_x_and_y_in_place": "in place",
    },
}
