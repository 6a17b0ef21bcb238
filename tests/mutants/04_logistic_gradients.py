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
