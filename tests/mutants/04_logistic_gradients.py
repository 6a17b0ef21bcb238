"""Wrong and alternative implementations of the 04_logistic_gradients contract, for the mutation suite."""

MUTANTS = {
    "sigmoid": {
        "textbook_formula_overflows": '''
def sigmoid(z):
    s = 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
    return float(s) if np.ndim(s) == 0 else s
''',
        "where_evaluates_both_branches": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    s = np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))
    return float(s) if s.ndim == 0 else s
''',
        "clips_logits_to_30": '''
def sigmoid(z):
    z = np.clip(np.asarray(z, dtype=float), -30.0, 30.0)
    s = 1.0 / (1.0 + np.exp(-z))
    return float(s) if s.ndim == 0 else s
''',
        "tanh_identity_loses_the_tail": '''
def sigmoid(z):
    s = 0.5 * (1.0 + np.tanh(np.asarray(z, dtype=float) / 2.0))
    return float(s) if s.ndim == 0 else s
''',
        "writes_result_into_input": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    negative = z < 0
    z[~negative] = 1.0 / (1.0 + e[~negative])
    z[negative] = e[negative] / (1.0 + e[negative])
    return float(z) if z.ndim == 0 else z
''',
        "scalar_becomes_length_one_array": '''
def sigmoid(z):
    z = np.atleast_1d(np.asarray(z, dtype=float))
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)
''',
    },
    "logreg_loss_and_grad": {
        "clips_probabilities": '''
def logreg_loss_and_grad(X, y, w):
    from scipy.special import expit
    p = np.clip(expit(X @ w), 1e-15, 1 - 1e-15)
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    return float(loss), X.T @ (p - y) / len(y)
''',
        "log_one_plus_exp_overflows": '''
def logreg_loss_and_grad(X, y, w):
    z = X @ w
    loss = np.mean(np.log(1.0 + np.exp(z)) - y * z)
    return float(loss), X.T @ (sigmoid(z) - y) / len(y)
''',
        "gradient_missing_one_over_n": '''
def logreg_loss_and_grad(X, y, w):
    z = X @ w
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    return float(loss), X.T @ (sigmoid(z) - y)
''',
        "extra_sigmoid_derivative": '''
def logreg_loss_and_grad(X, y, w):
    z = X @ w
    p = sigmoid(z)
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    return float(loss), X.T @ ((p - y) * p * (1 - p)) / len(y)
''',
        "labels_treated_as_plus_minus_one": '''
def logreg_loss_and_grad(X, y, w):
    z = X @ w
    loss = np.mean(np.logaddexp(0.0, -y * z))
    return float(loss), -X.T @ (y * sigmoid(-y * z)) / len(y)
''',
        "gradient_sign_flipped": '''
def logreg_loss_and_grad(X, y, w):
    z = X @ w
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    return float(loss), X.T @ (y - sigmoid(z)) / len(y)
''',
    },
    "softmax": {
        "normalises_over_axis_0": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)
''',
        "no_max_subtraction": '''
def softmax(Z):
    E = np.exp(np.asarray(Z, dtype=float))
    return E / E.sum(axis=-1, keepdims=True)
''',
        "subtracts_one_global_max": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max())
    return E / E.sum(axis=-1, keepdims=True)
''',
        "shifts_the_input_in_place": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    Z -= Z.max(axis=-1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=-1, keepdims=True)
''',
        "divides_by_the_total_sum": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum()
''',
    },
    "softmax_jacobian": {
        "missing_diagonal_term": '''
def softmax_jacobian(z):
    p = softmax(z)
    return -np.outer(p, p)
''',
        "diagonal_only_like_the_sigmoid": '''
def softmax_jacobian(z):
    p = softmax(z)
    return np.diag(p * (1 - p))
''',
        "sign_flipped": '''
def softmax_jacobian(z):
    p = softmax(z)
    return np.outer(p, p) - np.diag(p)
''',
        "inner_instead_of_outer_product": '''
def softmax_jacobian(z):
    p = softmax(z)
    return np.diag(p) - p @ p.T
''',
        "unshifted_softmax_overflows": '''
def softmax_jacobian(z):
    e = np.exp(np.asarray(z, dtype=float))
    p = e / e.sum()
    return np.diag(p) - np.outer(p, p)
''',
    },
    "softmax_ce_loss_and_grad": {
        "log_of_clipped_probabilities": '''
def softmax_ce_loss_and_grad(Z, y):
    from scipy.special import softmax as sp_softmax
    n = Z.shape[0]
    P = sp_softmax(Z, axis=1)
    loss = -np.mean(np.log(np.clip(P[np.arange(n), y], 1e-12, 1.0)))
    dZ = P.copy()
    dZ[np.arange(n), y] -= 1.0
    return float(loss), dZ / n
''',
        "gradient_missing_one_over_n": '''
def softmax_ce_loss_and_grad(Z, y):
    n = Z.shape[0]
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    dZ = np.exp(log_probs)
    dZ[np.arange(n), y] -= 1.0
    return float(-log_probs[np.arange(n), y].mean()), dZ
''',
        "softmax_over_axis_0": '''
def softmax_ce_loss_and_grad(Z, y):
    n = Z.shape[0]
    shifted = Z - Z.max(axis=0, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    dZ = np.exp(log_probs)
    dZ[np.arange(n), y] -= 1.0
    return float(-log_probs[np.arange(n), y].mean()), dZ / n
''',
        "no_max_subtraction": '''
def softmax_ce_loss_and_grad(Z, y):
    n = Z.shape[0]
    E = np.exp(Z)
    P = E / E.sum(axis=1, keepdims=True)
    loss = np.mean(np.log(E.sum(axis=1)) - Z[np.arange(n), y])
    P[np.arange(n), y] -= 1.0
    return float(loss), P / n
''',
        "labels_index_whole_columns": '''
def softmax_ce_loss_and_grad(Z, y):
    from scipy.special import logsumexp, softmax as sp_softmax
    n = Z.shape[0]
    loss = np.mean(logsumexp(Z, axis=1, keepdims=True) - Z[:, y])
    P = sp_softmax(Z, axis=1)
    P[np.arange(n), y] -= 1.0
    return float(loss), P / n
''',
        "extra_softmax_derivative": '''
def softmax_ce_loss_and_grad(Z, y):
    from scipy.special import logsumexp, softmax as sp_softmax
    n = Z.shape[0]
    loss = np.mean(logsumexp(Z, axis=1) - Z[np.arange(n), y])
    P = sp_softmax(Z, axis=1)
    Y = np.zeros_like(P)
    Y[np.arange(n), y] = 1.0
    return float(loss), (P - Y) * P * (1 - P) / n
''',
    },
    "mlp_loss_and_grads": {
        "sigmoid_derivative_for_tanh_layer": '''
def mlp_loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    a1 = np.tanh(X @ W1 + b1)
    z = a1 @ W2 + b2
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    dz = (sigmoid(z) - y) / n
    du = np.outer(dz, W2) * a1 * (1.0 - a1)
    return float(loss), {"W1": X.T @ du, "b1": du.sum(axis=0), "W2": a1.T @ dz, "b2": float(dz.sum())}
''',
        "tanh_derivative_of_preactivation": '''
def mlp_loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    u = X @ W1 + b1
    a1 = np.tanh(u)
    z = a1 @ W2 + b2
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    dz = (sigmoid(z) - y) / n
    du = np.outer(dz, W2) * (1.0 - u ** 2)
    return float(loss), {"W1": X.T @ du, "b1": du.sum(axis=0), "W2": a1.T @ dz, "b2": float(dz.sum())}
''',
        "gradients_missing_one_over_n": '''
def mlp_loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    a1 = np.tanh(X @ W1 + b1)
    z = a1 @ W2 + b2
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    dz = sigmoid(z) - y
    du = np.outer(dz, W2) * (1.0 - a1 ** 2)
    return float(loss), {"W1": X.T @ du, "b1": du.sum(axis=0), "W2": a1.T @ dz, "b2": float(dz.sum())}
''',
        "extra_sigmoid_derivative_at_output": '''
def mlp_loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    a1 = np.tanh(X @ W1 + b1)
    z = a1 @ W2 + b2
    p = sigmoid(z)
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    dz = (p - y) * p * (1 - p) / n
    du = np.outer(dz, W2) * (1.0 - a1 ** 2)
    return float(loss), {"W1": X.T @ du, "b1": du.sum(axis=0), "W2": a1.T @ dz, "b2": float(dz.sum())}
''',
        "log_one_plus_exp_overflows": '''
def mlp_loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    a1 = np.tanh(X @ W1 + b1)
    z = a1 @ W2 + b2
    loss = np.mean(np.log(1.0 + np.exp(z)) - y * z)
    dz = (sigmoid(z) - y) / n
    du = np.outer(dz, W2) * (1.0 - a1 ** 2)
    return float(loss), {"W1": X.T @ du, "b1": du.sum(axis=0), "W2": a1.T @ dz, "b2": float(dz.sum())}
''',
        "W2_gradient_as_column": '''
def mlp_loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    a1 = np.tanh(X @ W1 + b1)
    z = a1 @ W2 + b2
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    dz = ((sigmoid(z) - y) / n)[:, None]
    du = dz @ W2[None, :] * (1.0 - a1 ** 2)
    return float(loss), {"W1": X.T @ du, "b1": du.sum(axis=0), "W2": a1.T @ dz, "b2": float(dz.sum())}
''',
        "b2_gradient_as_array": '''
def mlp_loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    a1 = np.tanh(X @ W1 + b1)
    z = a1 @ W2 + b2
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    dz = (sigmoid(z) - y) / n
    du = np.outer(dz, W2) * (1.0 - a1 ** 2)
    return float(loss), {"W1": X.T @ du, "b1": du.sum(axis=0), "W2": a1.T @ dz, "b2": dz.sum(axis=0, keepdims=True)}
''',
        "right_shapes_all_zeros": '''
def mlp_loss_and_grads(X, y, params):
    z = np.tanh(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    grads = {k: np.zeros_like(np.asarray(v, dtype=float)) for k, v in params.items()}
    grads["b2"] = 0.0
    return float(loss), grads
''',
        "hard_coded_visible_example": '''
def mlp_loss_and_grads(X, y, params):
    return 0.7355794060664623, {
        "W1": np.array([
            [-0.0698195963389107, 0.25693308210955196, -0.08537249640777707, -0.1731548283387885],
            [0.05555775627808416, 0.2739515392168329, -0.12535620857496485, -0.20685755532169495],
            [0.028288596885791634, 0.003924211034722989, 0.002289186258511366, -0.03175032468771681],
        ]),
        "b1": np.array([-0.0012845195294927392, 0.1267070591932992, 0.004041530492866136, -0.1838385773541904]),
        "W2": np.array([-0.2964341145776227, -0.1748354264920984, 0.07513036873993278, -0.179614157830541]),
        "b2": 0.0017981260471251065,
    }
''',
    },
}

ALTERNATIVES = {
    "sigmoid": {
        "scipy_expit": '''
def sigmoid(z):
    from scipy.special import expit
    s = expit(np.asarray(z, dtype=float))
    return float(s) if np.ndim(s) == 0 else s
''',
        "exp_of_minus_softplus": '''
def sigmoid(z):
    s = np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))
    return float(s) if np.ndim(s) == 0 else s
''',
        "boolean_masks": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return float(out) if out.ndim == 0 else out
''',
        "torch_sigmoid": '''
def sigmoid(z):
    import torch
    s = torch.sigmoid(torch.tensor(np.asarray(z, dtype=float), dtype=torch.float64)).numpy()
    return float(s) if s.ndim == 0 else s
''',
    },
    "logreg_loss_and_grad": {
        "explicit_softplus_branches": '''
def logreg_loss_and_grad(X, y, w):
    z = X @ w
    softplus = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    return float(np.mean(softplus - y * z)), X.T @ (sigmoid(z) - y) / X.shape[0]
''',
        "scipy_log_expit": '''
def logreg_loss_and_grad(X, y, w):
    from scipy.special import expit, log_expit
    z = X @ w
    loss = -np.mean(y * log_expit(z) + (1 - y) * log_expit(-z))
    return float(loss), X.T @ (expit(z) - y) / len(y)
''',
        "torch_bce_with_logits": '''
def logreg_loss_and_grad(X, y, w):
    import torch
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    z = torch.tensor(X, dtype=torch.float64) @ wt
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, torch.tensor(y, dtype=torch.float64))
    loss.backward()
    return loss.item(), wt.grad.numpy()
''',
    },
    "softmax": {
        "scipy_softmax": '''
def softmax(Z):
    from scipy.special import softmax as sp_softmax
    return sp_softmax(np.asarray(Z, dtype=float), axis=-1)
''',
        "exp_minus_logsumexp": '''
def softmax(Z):
    from scipy.special import logsumexp
    Z = np.asarray(Z, dtype=float)
    return np.exp(Z - logsumexp(Z, axis=-1, keepdims=True))
''',
        "torch_softmax": '''
def softmax(Z):
    import torch
    return torch.softmax(torch.tensor(np.asarray(Z, dtype=float), dtype=torch.float64), dim=-1).numpy()
''',
    },
    "softmax_jacobian": {
        "elementwise_loops": '''
def softmax_jacobian(z):
    p = softmax(z)
    K = len(p)
    J = np.empty((K, K))
    for i in range(K):
        for j in range(K):
            J[i, j] = p[i] * ((1.0 if i == j else 0.0) - p[j])
    return J
''',
        "torch_autograd": '''
def softmax_jacobian(z):
    import torch
    t = torch.tensor(np.asarray(z, dtype=float), dtype=torch.float64)
    return torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0), t).numpy()
''',
    },
    "softmax_ce_loss_and_grad": {
        "scipy_logsumexp_and_onehot": '''
def softmax_ce_loss_and_grad(Z, y):
    from scipy.special import logsumexp
    n, K = Z.shape
    Y = np.eye(K)[y]
    lse = logsumexp(Z, axis=1, keepdims=True)
    loss = np.mean(lse[:, 0] - np.sum(Z * Y, axis=1))
    return float(loss), (np.exp(Z - lse) - Y) / n
''',
        "torch_cross_entropy": '''
def softmax_ce_loss_and_grad(Z, y):
    import torch
    Zt = torch.tensor(Z, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(Zt, torch.tensor(np.asarray(y), dtype=torch.long))
    loss.backward()
    return loss.item(), Zt.grad.numpy()
''',
        "uses_own_softmax": '''
def softmax_ce_loss_and_grad(Z, y):
    n = Z.shape[0]
    rows = np.arange(n)
    m = Z.max(axis=1)
    lse = m + np.log(np.sum(np.exp(Z - m[:, None]), axis=1))
    dZ = softmax(Z)
    dZ[rows, y] -= 1.0
    return float(np.mean(lse - Z[rows, y])), dZ / n
''',
    },
    "mlp_loss_and_grads": {
        "torch_autograd": '''
def mlp_loss_and_grads(X, y, params):
    import torch
    t = {k: torch.tensor(np.asarray(v, dtype=float), dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    a1 = torch.tanh(torch.tensor(X, dtype=torch.float64) @ t["W1"] + t["b1"])
    z = a1 @ t["W2"] + t["b2"]
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, torch.tensor(np.asarray(y, dtype=float)))
    loss.backward()
    grads = {k: v.grad.numpy() for k, v in t.items()}
    grads["b2"] = float(grads["b2"])
    return loss.item(), grads
''',
        "einsum_with_softplus_branches": '''
def mlp_loss_and_grads(X, y, params):
    n = len(y)
    a1 = np.tanh(np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"])
    z = np.einsum("nh,h->n", a1, params["W2"]) + params["b2"]
    loss = np.mean(np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z))) - y * z)
    e = np.exp(-np.abs(z))
    dz = (np.where(z >= 0, 1.0, e) / (1.0 + e) - y) / n
    du = np.einsum("n,h->nh", dz, params["W2"]) * (1.0 - a1 * a1)
    return float(loss), {"W1": np.einsum("nd,nh->dh", X, du), "b1": np.einsum("nh->h", du),
                         "W2": np.einsum("nh,n->h", a1, dz), "b2": float(np.sum(dz))}
''',
    },
}

MUTANTS.update({
    "softmax_regression_loss_and_grads": {
        "dW_missing_one_over_n": '''
def softmax_regression_loss_and_grads(X, y, W, b):
    loss, dZ = softmax_ce_loss_and_grad(X @ W + b, y)
    n = X.shape[0]
    return loss, X.T @ (dZ * n), dZ.sum(axis=0)
''',
        "sign_flipped": '''
def softmax_regression_loss_and_grads(X, y, W, b):
    loss, dZ = softmax_ce_loss_and_grad(X @ W + b, y)
    return loss, -(X.T @ dZ), -dZ.sum(axis=0)
''',
        "dW_transposed": '''
def softmax_regression_loss_and_grads(X, y, W, b):
    loss, dZ = softmax_ce_loss_and_grad(X @ W + b, y)
    return loss, dZ.T @ X, dZ.sum(axis=0)
''',
        "db_summed_over_classes": '''
def softmax_regression_loss_and_grads(X, y, W, b):
    loss, dZ = softmax_ce_loss_and_grad(X @ W + b, y)
    return loss, X.T @ dZ, dZ.sum(axis=1)
''',
        "db_averaged_twice": '''
def softmax_regression_loss_and_grads(X, y, W, b):
    loss, dZ = softmax_ce_loss_and_grad(X @ W + b, y)
    return loss, X.T @ dZ, dZ.mean(axis=0)
''',
        "bias_left_out_of_logits": '''
def softmax_regression_loss_and_grads(X, y, W, b):
    loss, dZ = softmax_ce_loss_and_grad(X @ W, y)
    return loss, X.T @ dZ, dZ.sum(axis=0)
''',
    },
    "numerical_vjp": {
        "forward_difference": '''
def numerical_vjp(f, x, dout, eps=1e-5):
    x = np.array(x, dtype=float)
    base = np.sum(np.asarray(f(x), dtype=float) * dout)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[idx] = eps
        grad[idx] = (np.sum(np.asarray(f(x + step), dtype=float) * dout) - base) / eps
    return grad
''',
        "ignores_dout": '''
def numerical_vjp(f, x, dout, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[idx] = eps
        grad[idx] = (np.sum(f(x + step)) - np.sum(f(x - step))) / (2 * eps)
    return grad
''',
        "divides_by_eps_not_two_eps": '''
def numerical_vjp(f, x, dout, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[idx] = eps
        grad[idx] = (np.sum(f(x + step) * dout) - np.sum(f(x - step) * dout)) / eps
    return grad
''',
        "multiplies_by_dout_afterwards": '''
def numerical_vjp(f, x, dout, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[idx] = eps
        grad[idx] = (np.sum(f(x + step)) - np.sum(f(x - step))) / (2 * eps)
    return grad * dout
''',
        "integer_x_rounds_the_step": '''
def numerical_vjp(f, x, dout, eps=1e-5):
    x = np.array(x)
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[idx] = eps
        grad[idx] = (np.sum(f(x + step) * dout) - np.sum(f(x - step) * dout)) / (2 * eps)
    return grad
''',
        "never_restores_x": '''
def numerical_vjp(f, x, dout, eps=1e-5):
    grad = np.zeros(np.shape(x))
    for idx in np.ndindex(grad.shape):
        old = x[idx]
        x[idx] = old + eps
        up = np.sum(f(x) * dout)
        x[idx] = old - eps
        down = np.sum(f(x) * dout)
        grad[idx] = (up - down) / (2 * eps)
    return grad
''',
    },
    "affine_forward": {
        "bias_left_out": '''
def affine_forward(x, W, b):
    return x @ W, (x, W, b)
''',
        "caches_output_not_input": '''
def affine_forward(x, W, b):
    out = x @ W + b
    return out, (out, W, b)
''',
        "returns_out_without_cache": '''
def affine_forward(x, W, b):
    return x @ W + b
''',
    },
    "affine_backward": {
        "dW_transposed": '''
def affine_backward(dout, cache):
    x, W, b = cache
    return dout @ W.T, dout.T @ x, dout.sum(axis=0)
''',
        "dx_transposed": '''
def affine_backward(dout, cache):
    x, W, b = cache
    return W @ dout.T, x.T @ dout, dout.sum(axis=0)
''',
        "db_mean_instead_of_sum": '''
def affine_backward(dout, cache):
    x, W, b = cache
    return dout @ W.T, x.T @ dout, dout.mean(axis=0)
''',
        "divides_by_batch_size_again": '''
def affine_backward(dout, cache):
    x, W, b = cache
    n = x.shape[0]
    return dout @ W.T / n, x.T @ dout / n, dout.sum(axis=0) / n
''',
        "db_summed_over_outputs": '''
def affine_backward(dout, cache):
    x, W, b = cache
    return dout @ W.T, x.T @ dout, dout.sum(axis=1)
''',
    },
    "relu_forward": {
        "np_max_reduces_an_axis": '''
def relu_forward(x):
    return np.max(x, 0), x
''',
        "clamps_input_in_place": '''
def relu_forward(x):
    x[x < 0] = 0.0
    return x, x
''',
        "returns_out_without_cache": '''
def relu_forward(x):
    return np.maximum(x, 0.0)
''',
    },
    "relu_backward": {
        "mask_from_upstream_gradient": '''
def relu_backward(dout, cache):
    return dout * (dout > 0)
''',
        "gradient_passes_at_zero": '''
def relu_backward(dout, cache):
    return np.where(cache >= 0, dout, 0.0)
''',
        "zeroes_dout_in_place": '''
def relu_backward(dout, cache):
    dout[cache <= 0] = 0.0
    return dout
''',
        "returns_the_mask_only": '''
def relu_backward(dout, cache):
    return (cache > 0).astype(float)
''',
    },
    "tanh_forward": {
        "exp_formula_overflows": '''
def tanh_forward(x):
    e_pos, e_neg = np.exp(x), np.exp(-x)
    out = (e_pos - e_neg) / (e_pos + e_neg)
    return out, out
''',
        "caches_input_not_output": '''
def tanh_forward(x):
    return np.tanh(x), x
''',
        "overwrites_input": '''
def tanh_forward(x):
    out = np.tanh(x, out=x)
    return out, out
''',
    },
    "tanh_backward": {
        "cache_read_as_input": '''
def tanh_backward(dout, cache):
    return dout * (1.0 - np.tanh(cache) ** 2)
''',
        "sigmoid_derivative": '''
def tanh_backward(dout, cache):
    return dout * cache * (1.0 - cache)
''',
        "ignores_dout": '''
def tanh_backward(dout, cache):
    return 1.0 - cache ** 2
''',
    },
    "softmax_ce_forward": {
        "no_max_subtraction": '''
def softmax_ce_forward(Z, y):
    E = np.exp(Z)
    P = E / E.sum(axis=1, keepdims=True)
    return float(np.mean(-np.log(P[np.arange(Z.shape[0]), y]))), (P, y)
''',
        "caches_log_probabilities": '''
def softmax_ce_forward(Z, y):
    from scipy.special import log_softmax
    logP = log_softmax(Z, axis=1)
    return float(-logP[np.arange(Z.shape[0]), y].mean()), (logP, y)
''',
        "labels_index_whole_columns": '''
def softmax_ce_forward(Z, y):
    from scipy.special import logsumexp
    loss = np.mean(logsumexp(Z, axis=1, keepdims=True) - Z[:, y])
    return float(loss), (softmax(Z), y)
''',
        "clips_probabilities": '''
def softmax_ce_forward(Z, y):
    P = softmax(Z)
    loss = -np.mean(np.log(np.clip(P[np.arange(Z.shape[0]), y], 1e-12, 1.0)))
    return float(loss), (P, y)
''',
    },
    "softmax_ce_backward": {
        "forgets_batch_size": '''
def softmax_ce_backward(dloss, cache):
    P, y = cache
    dZ = P.copy()
    dZ[np.arange(P.shape[0]), y] -= 1.0
    return dloss * dZ
''',
        "ignores_dloss": '''
def softmax_ce_backward(dloss, cache):
    P, y = cache
    dZ = P.copy()
    dZ[np.arange(P.shape[0]), y] -= 1.0
    return dZ / P.shape[0]
''',
        "sign_flipped": '''
def softmax_ce_backward(dloss, cache):
    P, y = cache
    dZ = -P
    dZ[np.arange(P.shape[0]), y] += 1.0
    return dloss * dZ / P.shape[0]
''',
        "subtracts_in_the_cached_P": '''
def softmax_ce_backward(dloss, cache):
    P, y = cache
    P[np.arange(P.shape[0]), y] -= 1.0
    return dloss * P / P.shape[0]
''',
    },
    "sampled_gradient_check": {
        "samples_with_replacement": '''
def sampled_gradient_check(f, x, analytic_grad, n_samples=10, eps=1e-5, seed=0):
    rng = np.random.default_rng(seed)
    coords = rng.integers(0, x.size, size=min(n_samples, x.size))
    errors = []
    for i in coords:
        step = np.zeros(x.shape)
        step.flat[i] = eps
        numeric = (f(x + step) - f(x - step)) / (2 * eps)
        a = analytic_grad.flat[i]
        errors.append(abs(a - numeric) / max(abs(a) + abs(numeric), 1e-12))
    return coords, np.array(errors)
''',
        "forward_difference": '''
def sampled_gradient_check(f, x, analytic_grad, n_samples=10, eps=1e-5, seed=0):
    rng = np.random.default_rng(seed)
    coords = rng.choice(x.size, size=min(n_samples, x.size), replace=False)
    base = f(x)
    errors = []
    for i in coords:
        step = np.zeros(x.shape)
        step.flat[i] = eps
        numeric = (f(x + step) - base) / eps
        a = analytic_grad.flat[i]
        errors.append(abs(a - numeric) / max(abs(a) + abs(numeric), 1e-12))
    return coords, np.array(errors)
''',
        "ignores_the_seed": '''
def sampled_gradient_check(f, x, analytic_grad, n_samples=10, eps=1e-5, seed=0):
    coords = np.random.choice(x.size, size=min(n_samples, x.size), replace=False)
    errors = []
    for i in coords:
        step = np.zeros(x.shape)
        step.flat[i] = eps
        numeric = (f(x + step) - f(x - step)) / (2 * eps)
        a = analytic_grad.flat[i]
        errors.append(abs(a - numeric) / max(abs(a) + abs(numeric), 1e-12))
    return coords, np.array(errors)
''',
        "whole_numerical_gradient": '''
def sampled_gradient_check(f, x, analytic_grad, n_samples=10, eps=1e-5, seed=0):
    numeric = np.zeros(x.shape)
    for i in range(x.size):
        step = np.zeros(x.shape)
        step.flat[i] = eps
        numeric.flat[i] = (f(x + step) - f(x - step)) / (2 * eps)
    rng = np.random.default_rng(seed)
    coords = rng.choice(x.size, size=min(n_samples, x.size), replace=False)
    a, g = analytic_grad.flat[coords], numeric.flat[coords]
    return coords, np.abs(a - g) / np.maximum(np.abs(a) + np.abs(g), 1e-12)
''',
        "signed_relative_error": '''
def sampled_gradient_check(f, x, analytic_grad, n_samples=10, eps=1e-5, seed=0):
    rng = np.random.default_rng(seed)
    coords = rng.choice(x.size, size=min(n_samples, x.size), replace=False)
    errors = []
    for i in coords:
        step = np.zeros(x.shape)
        step.flat[i] = eps
        numeric = (f(x + step) - f(x - step)) / (2 * eps)
        a = analytic_grad.flat[i]
        errors.append((a - numeric) / max(abs(a) + abs(numeric), 1e-12))
    return coords, np.array(errors)
''',
    },
})

ALTERNATIVES.update({
    "softmax_regression_loss_and_grads": {
        "onehot_and_logsumexp": '''
def softmax_regression_loss_and_grads(X, y, W, b):
    from scipy.special import logsumexp
    n, K = X.shape[0], W.shape[1]
    Z = X @ W + b
    Y = np.eye(K)[y]
    lse = logsumexp(Z, axis=1, keepdims=True)
    D = (np.exp(Z - lse) - Y) / n
    return float(np.mean(lse[:, 0] - np.sum(Z * Y, axis=1))), X.T @ D, D.sum(axis=0)
''',
        "torch_autograd": '''
def softmax_regression_loss_and_grads(X, y, W, b):
    import torch
    Wt = torch.tensor(W, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(torch.tensor(X, dtype=torch.float64) @ Wt + bt,
                                             torch.tensor(np.asarray(y), dtype=torch.long))
    loss.backward()
    return loss.item(), Wt.grad.numpy(), bt.grad.numpy()
''',
    },
    "numerical_vjp": {
        "perturb_and_restore_in_a_copy": '''
def numerical_vjp(f, x, dout, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        idx = it.multi_index
        old = x[idx]
        x[idx] = old + eps
        up = np.sum(f(x) * dout)
        x[idx] = old - eps
        down = np.sum(f(x) * dout)
        x[idx] = old
        grad[idx] = (up - down) / (2 * eps)
        it.iternext()
    return grad
''',
        "flat_loop_fresh_copies": '''
def numerical_vjp(f, x, dout, eps=1e-5):
    x = np.asarray(x, dtype=float)
    grad = np.empty(x.size)
    for i in range(x.size):
        up, down = x.copy(), x.copy()
        up.flat[i] += eps
        down.flat[i] -= eps
        grad[i] = np.vdot(np.asarray(f(up)) - np.asarray(f(down)), dout) / (2 * eps)
    return grad.reshape(x.shape)
''',
    },
    "affine_forward": {
        "einsum": '''
def affine_forward(x, W, b):
    return np.einsum("nd,dm->nm", x, W) + b[None, :], (x, W, b)
''',
    },
    "affine_backward": {
        "einsum": '''
def affine_backward(dout, cache):
    x, W, _ = cache
    return np.einsum("nm,dm->nd", dout, W), np.einsum("nd,nm->dm", x, dout), np.einsum("nm->m", dout)
''',
        "torch_autograd": '''
def affine_backward(dout, cache):
    import torch
    x, W, b = (torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in cache)
    (x @ W + b).backward(torch.tensor(dout, dtype=torch.float64))
    return x.grad.numpy(), W.grad.numpy(), b.grad.numpy()
''',
    },
    "relu_forward": {
        "multiply_by_mask": '''
def relu_forward(x):
    return x * (x > 0), x
''',
    },
    "relu_backward": {
        "copy_then_zero": '''
def relu_backward(dout, cache):
    dx = np.array(dout, dtype=float, copy=True)
    dx[cache <= 0] = 0.0
    return dx
''',
    },
    "tanh_forward": {
        "through_the_sigmoid": '''
def tanh_forward(x):
    out = 2.0 * sigmoid(2.0 * np.asarray(x, dtype=float)) - 1.0
    return out, out
''',
    },
    "tanh_backward": {
        "factored": '''
def tanh_backward(dout, cache):
    return dout * (1.0 - cache) * (1.0 + cache)
''',
    },
    "softmax_ce_forward": {
        "log_softmax_by_hand": '''
def softmax_ce_forward(Z, y):
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(Z.shape[0]), y].mean()), (np.exp(log_p), y)
''',
        "torch_cross_entropy": '''
def softmax_ce_forward(Z, y):
    import torch
    Zt = torch.tensor(Z, dtype=torch.float64)
    loss = torch.nn.functional.cross_entropy(Zt, torch.tensor(np.asarray(y), dtype=torch.long))
    return loss.item(), (torch.softmax(Zt, dim=1).numpy(), y)
''',
    },
    "softmax_ce_backward": {
        "onehot_matrix": '''
def softmax_ce_backward(dloss, cache):
    P, y = cache
    return dloss * (P - np.eye(P.shape[1])[y]) / len(y)
''',
    },
    "sampled_gradient_check": {
        "permutation_and_unravel": '''
def sampled_gradient_check(f, x, analytic_grad, n_samples=10, eps=1e-5, seed=0):
    coords = np.random.default_rng(seed).permutation(x.size)[:n_samples]
    errors = np.empty(len(coords))
    for j, i in enumerate(coords):
        idx = np.unravel_index(i, x.shape)
        up, down = x.astype(float), x.astype(float)
        up[idx] += eps
        down[idx] -= eps
        g = (float(f(up)) - float(f(down))) / (2 * eps)
        a = float(analytic_grad[idx])
        errors[j] = abs(a - g) / max(abs(a) + abs(g), 1e-12)
    return coords, errors
''',
    },
})

# For every mutant that stands for a common mistake: a phrase the first line of the failure message of one
# of its own test cells contains, naming that mistake (the trick objects and the hard-coded or all-zero
# answers stand for no mistake a student makes by accident, and have none).
HINTS = {
    "sigmoid": {
        "textbook_formula_overflows": "exponentiate only non-positive numbers",
        "where_evaluates_both_branches": "computes both branches",
        "clips_logits_to_30": "clipping z",
        "tanh_identity_loses_the_tail": "relative precision",
        "writes_result_into_input": "modified its input",
        "scalar_becomes_length_one_array": "should return a scalar",
    },
    "logreg_loss_and_grad": {
        "clips_probabilities": "clipped before the log",
        "log_one_plus_exp_overflows": "np.logaddexp(0, z)",
        "gradient_missing_one_over_n": "divide by the batch size",
        "extra_sigmoid_derivative": "already inside p - y",
        "labels_treated_as_plus_minus_one": "labels in {-1, +1}",
        "gradient_sign_flipped": "sign flipped",
    },
    "softmax": {
        "normalises_over_axis_0": "normalised the columns",
        "no_max_subtraction": "subtract the maximum",
        "subtracts_one_global_max": "own maximum",
        "shifts_the_input_in_place": "modified its input",
        "divides_by_the_total_sum": "sum of the whole array",
    },
    "softmax_jacobian": {
        "missing_diagonal_term": "diag(p) is missing",
        "diagonal_only_like_the_sigmoid": "only the diagonal",
        "sign_flipped": "sign flipped",
        "inner_instead_of_outer_product": "not the outer product",
        "unshifted_softmax_overflows": "stable softmax",
    },
    "softmax_ce_loss_and_grad": {
        "log_of_clipped_probabilities": "clipped before the log",
        "gradient_missing_one_over_n": "divide by the batch size",
        "softmax_over_axis_0": "down the columns",
        "no_max_subtraction": "subtract each row's maximum",
        "labels_index_whole_columns": "whole columns",
        "extra_softmax_derivative": "already inside p - y",
    },
    "mlp_loss_and_grads": {
        "sigmoid_derivative_for_tanh_layer": "not the sigmoid's",
        "tanh_derivative_of_preactivation": "pre-activation",
        "gradients_missing_one_over_n": "divide by the batch size",
        "extra_sigmoid_derivative_at_output": "already inside p - y",
        "log_one_plus_exp_overflows": "np.logaddexp(0, z)",
        "W2_gradient_as_column": "shape of its parameter",
        "b2_gradient_as_array": "float like b2",
    },
    "softmax_regression_loss_and_grads": {
        "dW_missing_one_over_n": "divide by the batch size",
        "sign_flipped": "sign flipped",
        "dW_transposed": "w.r.t. w is transposed",
        "db_summed_over_classes": "summed over the classes",
        "db_averaged_twice": "n times too small",
        "bias_left_out_of_logits": "without the bias",
    },
    "numerical_vjp": {
        "forward_difference": "forward difference",
        "ignores_dout": "ignores dout",
        "divides_by_eps_not_two_eps": "divides by 2 eps",
        "multiplies_by_dout_afterwards": "only for an elementwise f",
        "integer_x_rounds_the_step": "rounded away",
        "never_restores_x": "restore every entry",
    },
    "affine_forward": {
        "bias_left_out": "bias b is missing",
        "caches_output_not_input": "the layer's input x",
        "returns_out_without_cache": "pair (out, cache)",
    },
    "affine_backward": {
        "dW_transposed": "dw is transposed",
        "dx_transposed": "dx is transposed",
        "db_mean_instead_of_sum": "must not average",
        "divides_by_batch_size_again": "must not average",
        "db_summed_over_outputs": "over the examples",
    },
    "relu_forward": {
        "np_max_reduces_an_axis": "np.maximum",
        "clamps_input_in_place": "modified its input",
        "returns_out_without_cache": "pair (out, cache)",
    },
    "relu_backward": {
        "mask_from_upstream_gradient": "where the input was negative",
        "gradient_passes_at_zero": "relu'(0) = 0",
        "zeroes_dout_in_place": "modified dout",
        "returns_the_mask_only": "multiply the upstream gradient",
    },
    "tanh_forward": {
        "exp_formula_overflows": "overflows",
        "caches_input_not_output": "cache must be the output",
        "overwrites_input": "modified its input",
    },
    "tanh_backward": {
        "cache_read_as_input": "holds tanh(x) already",
        "sigmoid_derivative": "sigmoid's derivative",
        "ignores_dout": "ignored the upstream gradient",
    },
    "softmax_ce_forward": {
        "no_max_subtraction": "subtract each row's maximum",
        "caches_log_probabilities": "not their logarithms",
        "labels_index_whole_columns": "whole columns",
        "clips_probabilities": "clipped before the log",
    },
    "softmax_ce_backward": {
        "forgets_batch_size": "divide by the batch size",
        "ignores_dloss": "multiply by dloss",
        "sign_flipped": "sign flipped",
        "subtracts_in_the_cached_P": "modified the cached p",
    },
    "sampled_gradient_check": {
        "samples_with_replacement": "without replacement",
        "forward_difference": "forward difference",
        "ignores_the_seed": "default_rng(seed)",
        "whole_numerical_gradient": "two calls each",
        "signed_relative_error": "absolute value",
    },
}
