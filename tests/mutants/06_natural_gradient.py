"""Wrong and alternative implementations of the 06_natural_gradient contract, for the mutation suite."""

MUTANTS = {
    "gaussian_nll": {
        "mean_instead_of_sum": '''
def gaussian_nll(theta, x):
    z = (x - theta[0]) / np.exp(theta[1])
    return float(np.mean(0.5 * z**2 + theta[1] + 0.5 * np.log(2 * np.pi)))
''',
        "drops_log_two_pi_constant": '''
def gaussian_nll(theta, x):
    z = (x - theta[0]) / np.exp(theta[1])
    return float(np.sum(0.5 * z**2 + theta[1]))
''',
        "log_sigma_added_once_not_per_sample": '''
def gaussian_nll(theta, x):
    z = (x - theta[0]) / np.exp(theta[1])
    return float(np.sum(0.5 * z**2 + 0.5 * np.log(2 * np.pi)) + theta[1])
''',
        "treats_theta1_as_sigma": '''
def gaussian_nll(theta, x):
    mu, sigma = theta[0], theta[1]
    z = (x - mu) / sigma
    return float(np.sum(0.5 * z**2 + np.log(sigma) + 0.5 * np.log(2 * np.pi)))
''',
        "centres_data_in_place": '''
def gaussian_nll(theta, x):
    x -= theta[0]
    x /= np.exp(theta[1])
    return float(np.sum(0.5 * x**2 + theta[1] + 0.5 * np.log(2 * np.pi)))
''',
        "log_of_the_density_underflows": '''
def gaussian_nll(theta, x):
    sigma = np.exp(theta[1])
    density = np.exp(-0.5 * ((x - theta[0]) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
    return float(-np.sum(np.log(density)))
''',
    },
    "gaussian_nll_grad": {
        "derivative_wrt_sigma_not_log_sigma": '''
def gaussian_nll_grad(theta, x):
    mu, sigma = theta[0], np.exp(theta[1])
    r = x - mu
    return np.array([-np.sum(r) / sigma**2, len(x) / sigma - np.sum(r**2) / sigma**3])
''',
        "mean_instead_of_sum": '''
def gaussian_nll_grad(theta, x):
    r = x - theta[0]
    var = np.exp(2 * theta[1])
    return np.array([-np.mean(r) / var, 1.0 - np.mean(r**2) / var])
''',
        "gradient_of_log_likelihood_sign_slip": '''
def gaussian_nll_grad(theta, x):
    r = x - theta[0]
    var = np.exp(2 * theta[1])
    return np.array([np.sum(r) / var, np.sum(r**2) / var - len(x)])
''',
        "forgets_the_n_from_log_sigma": '''
def gaussian_nll_grad(theta, x):
    r = x - theta[0]
    var = np.exp(2 * theta[1])
    return np.array([-np.sum(r) / var, -np.sum(r**2) / var])
''',
        "mu_divided_by_sigma_not_variance": '''
def gaussian_nll_grad(theta, x):
    r = x - theta[0]
    sigma = np.exp(theta[1])
    return np.array([-np.sum(r) / sigma, len(x) - np.sum(r**2) / sigma**2])
''',
        "returns_a_list": '''
def gaussian_nll_grad(theta, x):
    r = x - theta[0]
    var = np.exp(2 * theta[1])
    return [float(-np.sum(r) / var), float(len(x) - np.sum(r**2) / var)]
''',
    },
    "gaussian_score": {
        "gradient_of_the_nll_sign_flipped": '''
def gaussian_score(theta, x):
    sigma = np.exp(theta[1])
    z = (x - theta[0]) / sigma
    return np.column_stack([-z / sigma, 1.0 - z**2])
''',
        "summed_over_the_samples": '''
def gaussian_score(theta, x):
    sigma = np.exp(theta[1])
    z = (x - theta[0]) / sigma
    return np.array([np.sum(z / sigma), np.sum(z**2 - 1.0)])
''',
        "derivative_wrt_sigma_not_log_sigma": '''
def gaussian_score(theta, x):
    sigma = np.exp(theta[1])
    z = (x - theta[0]) / sigma
    return np.column_stack([z / sigma, (z**2 - 1.0) / sigma])
''',
        "forgets_the_minus_one": '''
def gaussian_score(theta, x):
    sigma = np.exp(theta[1])
    z = (x - theta[0]) / sigma
    return np.column_stack([z / sigma, z**2])
''',
        "mu_entry_divided_by_sigma_once": '''
def gaussian_score(theta, x):
    z = (x - theta[0]) / np.exp(theta[1])
    return np.column_stack([z, z**2 - 1.0])
''',
        "one_row_per_parameter": '''
def gaussian_score(theta, x):
    sigma = np.exp(theta[1])
    z = (x - theta[0]) / sigma
    return np.vstack([z / sigma, z**2 - 1.0])
''',
    },
    "fisher_monte_carlo": {
        "sums_instead_of_averaging": '''
def fisher_monte_carlo(score, sample, theta, n_samples, seed=0):
    S = np.asarray(score(theta, sample(theta, n_samples, np.random.default_rng(seed))), dtype=float)
    outer = S[:, :, None] * S[:, None, :]
    return outer.sum(axis=0), outer.std(axis=0) / np.sqrt(len(S))
''',
        "divides_by_m_minus_one": '''
def fisher_monte_carlo(score, sample, theta, n_samples, seed=0):
    S = np.asarray(score(theta, sample(theta, n_samples, np.random.default_rng(seed))), dtype=float)
    outer = S[:, :, None] * S[:, None, :]
    return outer.sum(axis=0) / (len(S) - 1), outer.std(axis=0, ddof=1) / np.sqrt(len(S))
''',
        "centred_covariance": '''
def fisher_monte_carlo(score, sample, theta, n_samples, seed=0):
    S = np.asarray(score(theta, sample(theta, n_samples, np.random.default_rng(seed))), dtype=float)
    outer = S[:, :, None] * S[:, None, :]
    return np.atleast_2d(np.cov(S, rowvar=False)), outer.std(axis=0) / np.sqrt(len(S))
''',
        "outer_product_of_the_mean_score": '''
def fisher_monte_carlo(score, sample, theta, n_samples, seed=0):
    S = np.asarray(score(theta, sample(theta, n_samples, np.random.default_rng(seed))), dtype=float)
    outer = S[:, :, None] * S[:, None, :]
    return np.outer(S.mean(axis=0), S.mean(axis=0)), outer.std(axis=0) / np.sqrt(len(S))
''',
        "ignores_the_seed": '''
def fisher_monte_carlo(score, sample, theta, n_samples, seed=0):
    S = np.asarray(score(theta, sample(theta, n_samples, np.random.default_rng())), dtype=float)
    outer = S[:, :, None] * S[:, None, :]
    return outer.mean(axis=0), outer.std(axis=0) / np.sqrt(len(S))
''',
        "standard_error_divided_by_m": '''
def fisher_monte_carlo(score, sample, theta, n_samples, seed=0):
    S = np.asarray(score(theta, sample(theta, n_samples, np.random.default_rng(seed))), dtype=float)
    outer = S[:, :, None] * S[:, None, :]
    return outer.mean(axis=0), outer.std(axis=0) / len(S)
''',
        "outer_products_the_wrong_way": '''
def fisher_monte_carlo(score, sample, theta, n_samples, seed=0):
    S = np.asarray(score(theta, sample(theta, n_samples, np.random.default_rng(seed))), dtype=float)
    return S @ S.T / len(S), np.abs(S @ S.T) / len(S)
''',
    },
    "gaussian_fisher": {
        "mu_sigma_parametrisation": '''
def gaussian_fisher(theta, n):
    sigma = np.exp(theta[1])
    return np.diag([n / sigma**2, 2.0 * n / sigma**2])
''',
        "one_sample_fisher_missing_n": '''
def gaussian_fisher(theta, n):
    sigma = np.exp(theta[1])
    return np.diag([1.0 / sigma**2, 2.0])
''',
        "treats_theta1_as_sigma": '''
def gaussian_fisher(theta, n):
    sigma = theta[1]
    return np.diag([n / sigma**2, 2.0 * n])
''',
        "sigma_not_squared": '''
def gaussian_fisher(theta, n):
    sigma = np.exp(theta[1])
    return np.diag([n / sigma, 2.0 * n])
''',
        "returns_only_the_diagonal": '''
def gaussian_fisher(theta, n):
    sigma = np.exp(theta[1])
    return np.array([n / sigma**2, 2.0 * n])
''',
        "returns_the_inverse_fisher": '''
def gaussian_fisher(theta, n):
    sigma = np.exp(theta[1])
    return np.diag([sigma**2 / n, 1.0 / (2.0 * n)])
''',
        "fourth_moment_taken_as_one": '''
def gaussian_fisher(theta, n):
    return np.diag([n * np.exp(-2.0 * theta[1]), 1.0 * n])
''',
    },
    "natural_gradient_step": {
        "multiplies_by_fisher_instead_of_solving": '''
def natural_gradient_step(theta, grad, fisher, lr):
    return theta - lr * fisher @ grad
''',
        "divides_by_the_diagonal": '''
def natural_gradient_step(theta, grad, fisher, lr):
    return theta - lr * grad / np.diag(fisher)
''',
        "ascent_sign_slip": '''
def natural_gradient_step(theta, grad, fisher, lr):
    return theta + lr * np.linalg.solve(fisher, grad)
''',
        "updates_theta_in_place": '''
def natural_gradient_step(theta, grad, fisher, lr):
    theta -= lr * np.linalg.solve(fisher, grad)
    return theta
''',
        "forgets_the_learning_rate": '''
def natural_gradient_step(theta, grad, fisher, lr):
    return theta - np.linalg.solve(fisher, grad)
''',
    },
    "fit_gaussian": {
        "path_missing_theta0": '''
def fit_gaussian(x, theta0, lr, n_steps, natural=False):
    theta = np.array(theta0, dtype=float)
    path = []
    for _ in range(n_steps):
        grad = gaussian_nll_grad(theta, x)
        if natural:
            theta = natural_gradient_step(theta, grad, gaussian_fisher(theta, len(x)), lr)
        else:
            theta = theta - lr * grad
        path.append(theta)
    return np.array(path).reshape(-1, 2)
''',
        "natural_with_mu_sigma_fisher": '''
def fit_gaussian(x, theta0, lr, n_steps, natural=False):
    theta = np.array(theta0, dtype=float)
    path = [theta]
    for _ in range(n_steps):
        grad = gaussian_nll_grad(theta, x)
        if natural:
            sigma = np.exp(theta[1])
            fisher = np.diag([len(x) / sigma**2, 2.0 * len(x) / sigma**2])
            theta = natural_gradient_step(theta, grad, fisher, lr)
        else:
            theta = theta - lr * grad
        path.append(theta)
    return np.array(path)
''',
        "natural_multiplies_by_fisher": '''
def fit_gaussian(x, theta0, lr, n_steps, natural=False):
    theta = np.array(theta0, dtype=float)
    path = [theta]
    for _ in range(n_steps):
        grad = gaussian_nll_grad(theta, x)
        if natural:
            grad = gaussian_fisher(theta, len(x)) @ grad
        theta = theta - lr * grad
        path.append(theta)
    return np.array(path)
''',
        "fisher_frozen_at_theta0": '''
def fit_gaussian(x, theta0, lr, n_steps, natural=False):
    theta = np.array(theta0, dtype=float)
    fisher = gaussian_fisher(theta, len(x))
    path = [theta]
    for _ in range(n_steps):
        grad = gaussian_nll_grad(theta, x)
        if natural:
            theta = natural_gradient_step(theta, grad, fisher, lr)
        else:
            theta = theta - lr * grad
        path.append(theta)
    return np.array(path)
''',
        "one_sample_fisher": '''
def fit_gaussian(x, theta0, lr, n_steps, natural=False):
    theta = np.array(theta0, dtype=float)
    path = [theta]
    for _ in range(n_steps):
        grad = gaussian_nll_grad(theta, x)
        if natural:
            theta = natural_gradient_step(theta, grad, gaussian_fisher(theta, 1), lr)
        else:
            theta = theta - lr * grad
        path.append(theta)
    return np.array(path)
''',
        "ignores_the_natural_flag": '''
def fit_gaussian(x, theta0, lr, n_steps, natural=False):
    theta = np.array(theta0, dtype=float)
    path = [theta]
    for _ in range(n_steps):
        theta = theta - lr * gaussian_nll_grad(theta, x)
        path.append(theta)
    return np.array(path)
''',
        "appends_one_array_updated_in_place": '''
def fit_gaussian(x, theta0, lr, n_steps, natural=False):
    theta = np.array(theta0, dtype=float)
    path = [theta]
    for _ in range(n_steps):
        grad = gaussian_nll_grad(theta, x)
        if natural:
            theta -= lr * np.linalg.solve(gaussian_fisher(theta, len(x)), grad)
        else:
            theta -= lr * grad
        path.append(theta)
    return np.array(path)
''',
        "updates_theta0_in_place": '''
def fit_gaussian(x, theta0, lr, n_steps, natural=False):
    theta = theta0
    path = [theta0.copy()]
    for _ in range(n_steps):
        grad = gaussian_nll_grad(theta, x)
        if natural:
            theta -= lr * np.linalg.solve(gaussian_fisher(theta, len(x)), grad)
        else:
            theta -= lr * grad
        path.append(theta.copy())
    return np.array(path)
''',
    },
    "empirical_fisher": {
        "missing_division_by_n": '''
def empirical_fisher(per_sample_grads):
    G = np.asarray(per_sample_grads, dtype=float)
    return G.T @ G
''',
        "outer_products_the_wrong_way": '''
def empirical_fisher(per_sample_grads):
    G = np.asarray(per_sample_grads, dtype=float)
    return G @ G.T / G.shape[0]
''',
        "centred_covariance": '''
def empirical_fisher(per_sample_grads):
    return np.atleast_2d(np.cov(np.asarray(per_sample_grads, dtype=float), rowvar=False))
''',
        "divides_by_n_minus_one": '''
def empirical_fisher(per_sample_grads):
    G = np.asarray(per_sample_grads, dtype=float)
    return G.T @ G / max(G.shape[0] - 1, 1)
''',
        "outer_product_of_the_mean_gradient": '''
def empirical_fisher(per_sample_grads):
    g = np.asarray(per_sample_grads, dtype=float).mean(axis=0)
    return np.outer(g, g)
''',
        "divides_by_d_not_n": '''
def empirical_fisher(per_sample_grads):
    G = np.asarray(per_sample_grads, dtype=float)
    return G.T @ G / G.shape[1]
''',
    },
    "logreg_fisher": {
        "p_instead_of_p_times_one_minus_p": '''
def logreg_fisher(X, w):
    z = X @ w
    p = np.exp(-np.logaddexp(0.0, -z))
    return (X * p[:, None]).T @ X / X.shape[0]
''',
        "missing_division_by_n": '''
def logreg_fisher(X, w):
    z = X @ w
    e = np.exp(-np.abs(z))
    return (X * (e / (1.0 + e) ** 2)[:, None]).T @ X
''',
        "naive_sigmoid_overflows": '''
def logreg_fisher(X, w):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    return X.T @ np.diag(p * (1 - p)) @ X / X.shape[0]
''',
        "n_by_n_gram_matrix": '''
def logreg_fisher(X, w):
    z = X @ w
    e = np.exp(-np.abs(z))
    return X @ np.diag(e / (1.0 + e) ** 2) @ X.T / X.shape[0]
''',
        "hard_codes_p_one_half": '''
def logreg_fisher(X, w):
    return 0.25 * X.T @ X / X.shape[0]
''',
    },
    "ggn_matrix": {
        "forgets_minus_p_p_transpose": '''
def ggn_matrix(J, probs):
    return np.einsum("nkp,nk,nkq->pq", J, probs, J) / J.shape[0]
''',
        "plus_p_p_transpose": '''
def ggn_matrix(J, probs):
    H = np.einsum("nk,kl->nkl", probs, np.eye(probs.shape[1])) + probs[:, :, None] * probs[:, None, :]
    return np.einsum("nkp,nkl,nlq->pq", J, H, J) / J.shape[0]
''',
        "identity_in_the_middle": '''
def ggn_matrix(J, probs):
    return np.einsum("nkp,nkq->pq", J, J) / J.shape[0]
''',
        "summed_not_averaged": '''
def ggn_matrix(J, probs):
    H = np.einsum("nk,kl->nkl", probs, np.eye(probs.shape[1])) - probs[:, :, None] * probs[:, None, :]
    return np.einsum("nkp,nkl,nlq->pq", J, H, J)
''',
    },
    "predictive_fisher": {
        "labels_weighted_equally": '''
def predictive_fisher(J, probs):
    n, K, _ = J.shape
    grads = np.einsum("nkl,nlp->nkp", probs[:, None, :] - np.eye(K)[None], J)
    return np.einsum("nkp,nkq->pq", grads, grads) / (n * K)
''',
        "most_likely_label_only": '''
def predictive_fisher(J, probs):
    n, K, _ = J.shape
    g = np.einsum("nl,nlp->np", probs - np.eye(K)[probs.argmax(axis=1)], J)
    return g.T @ g / n
''',
        "forgets_the_one_hot": '''
def predictive_fisher(J, probs):
    g = np.einsum("nl,nlp->np", probs, J)
    return g.T @ g / J.shape[0]
''',
        "summed_not_averaged": '''
def predictive_fisher(J, probs):
    n, K, _ = J.shape
    grads = np.einsum("nkl,nlp->nkp", probs[:, None, :] - np.eye(K)[None], J)
    return np.einsum("nk,nkp,nkq->pq", probs, grads, grads)
''',
    },
    "damped_natural_step": {
        "damping_added_to_every_entry": '''
def damped_natural_step(theta, grad, fisher, lr, damping):
    return theta - lr * np.linalg.solve(fisher + damping, grad)
''',
        "multiplies_instead_of_solving": '''
def damped_natural_step(theta, grad, fisher, lr, damping):
    return theta - lr * (fisher + damping * np.eye(len(theta))) @ grad
''',
        "forgets_the_learning_rate": '''
def damped_natural_step(theta, grad, fisher, lr, damping):
    return theta - np.linalg.solve(fisher + damping * np.eye(len(theta)), grad)
''',
        "damps_fisher_in_place": '''
def damped_natural_step(theta, grad, fisher, lr, damping):
    fisher[np.diag_indices_from(fisher)] += damping
    return theta - lr * np.linalg.solve(fisher, grad)
''',
        "ignores_the_damping": '''
def damped_natural_step(theta, grad, fisher, lr, damping):
    return theta - lr * np.linalg.solve(fisher, grad)
''',
        "ascent_sign_slip": '''
def damped_natural_step(theta, grad, fisher, lr, damping):
    return theta + lr * np.linalg.solve(fisher + damping * np.eye(len(theta)), grad)
''',
    },
}

ALTERNATIVES = {
    "gaussian_nll": {
        "scipy_norm_logpdf": '''
from scipy.stats import norm

def gaussian_nll(theta, x):
    return float(-np.sum(norm.logpdf(x, loc=theta[0], scale=np.exp(theta[1]))))
''',
        "sufficient_statistics": '''
def gaussian_nll(theta, x):
    mu, log_sigma = float(theta[0]), float(theta[1])
    n = len(x)
    squares = float(np.dot(x - mu, x - mu))
    return 0.5 * squares * math.exp(-2 * log_sigma) + n * log_sigma + 0.5 * n * math.log(2 * math.pi)
''',
    },
    "gaussian_nll_grad": {
        "torch_autograd_float64": '''
import torch

def gaussian_nll_grad(theta, x):
    t = torch.tensor(np.asarray(theta, dtype=float), requires_grad=True)
    xt = torch.tensor(np.asarray(x, dtype=float))
    z = (xt - t[0]) * torch.exp(-t[1])
    torch.sum(0.5 * z**2 + t[1]).backward()
    return t.grad.detach().numpy().astype(np.float64)
''',
        "loop_over_samples": '''
def gaussian_nll_grad(theta, x):
    mu, sigma = float(theta[0]), math.exp(float(theta[1]))
    g_mu, g_s = 0.0, 0.0
    for xi in x:
        z = (float(xi) - mu) / sigma
        g_mu -= z / sigma
        g_s += 1.0 - z * z
    return np.array([g_mu, g_s])
''',
    },
    "gaussian_score": {
        "minus_the_nll_gradient_per_sample": '''
def gaussian_score(theta, x):
    return np.array([-gaussian_nll_grad(theta, x[i:i + 1]) for i in range(len(x))]).reshape(len(x), 2)
''',
        "loop_with_math": '''
def gaussian_score(theta, x):
    mu, sigma = float(theta[0]), math.exp(float(theta[1]))
    rows = [((xi - mu) / sigma**2, ((xi - mu) / sigma) ** 2 - 1.0) for xi in x]
    return np.array(rows, dtype=float).reshape(len(x), 2)
''',
    },
    "fisher_monte_carlo": {
        "einsum_and_ddof_one": '''
def fisher_monte_carlo(score, sample, theta, n_samples, seed=0):
    rng = np.random.default_rng(seed)
    S = np.asarray(score(theta, sample(theta, n_samples, rng)), dtype=float)
    outer = np.einsum("mi,mj->mij", S, S)
    return np.einsum("mij->ij", outer) / n_samples, outer.std(axis=0, ddof=1) / math.sqrt(n_samples)
''',
        "running_sums": '''
def fisher_monte_carlo(score, sample, theta, n_samples, seed=0):
    S = np.asarray(score(theta, sample(theta, n_samples, np.random.default_rng(seed))), dtype=float)
    total = np.zeros((S.shape[1], S.shape[1]))
    squares = np.zeros_like(total)
    for s in S:
        o = np.outer(s, s)
        total += o
        squares += o * o
    mean = total / len(S)
    return mean, np.sqrt(np.maximum(squares / len(S) - mean**2, 0.0)) / math.sqrt(len(S))
''',
    },
    "gaussian_fisher": {
        "explicit_matrix": '''
def gaussian_fisher(theta, n):
    return np.array([[n * math.exp(-2.0 * float(theta[1])), 0.0], [0.0, 2.0 * n]])
''',
    },
    "natural_gradient_step": {
        "scipy_cholesky_solve": '''
from scipy.linalg import cho_factor, cho_solve

def natural_gradient_step(theta, grad, fisher, lr):
    return np.asarray(theta, dtype=float) - lr * cho_solve(cho_factor(fisher), grad)
''',
        "least_squares_solve": '''
def natural_gradient_step(theta, grad, fisher, lr):
    direction = np.linalg.lstsq(fisher, grad, rcond=None)[0]
    return theta - lr * direction
''',
    },
    "fit_gaussian": {
        "preallocated_path": '''
def fit_gaussian(x, theta0, lr, n_steps, natural=False):
    path = np.empty((n_steps + 1, 2))
    path[0] = theta0
    for k in range(n_steps):
        grad = gaussian_nll_grad(path[k], x)
        if natural:
            path[k + 1] = natural_gradient_step(path[k], grad, gaussian_fisher(path[k], len(x)), lr)
        else:
            path[k + 1] = path[k] - lr * grad
    return path
''',
        "closed_form_natural_step": '''
def fit_gaussian(x, theta0, lr, n_steps, natural=False):
    mu, s = float(theta0[0]), float(theta0[1])
    path = [(mu, s)]
    for _ in range(n_steps):
        r = x - mu
        var = math.exp(2 * s)
        if natural:   # F^{-1} g with F = diag(n / var, 2n), written out
            mu, s = mu + lr * np.mean(r), s - lr * 0.5 * (1.0 - np.mean(r**2) / var)
        else:
            mu, s = mu + lr * np.sum(r) / var, s - lr * (len(x) - np.sum(r**2) / var)
        path.append((mu, s))
    return np.array(path, dtype=float)
''',
    },
    "empirical_fisher": {
        "einsum": '''
def empirical_fisher(per_sample_grads):
    return np.einsum("ni,nj->ij", per_sample_grads, per_sample_grads) / len(per_sample_grads)
''',
        "loop_of_outer_products": '''
def empirical_fisher(per_sample_grads):
    G = np.asarray(per_sample_grads, dtype=float)
    F = np.zeros((G.shape[1], G.shape[1]))
    for g in G:
        F += np.outer(g, g)
    return F / len(G)
''',
    },
    "logreg_fisher": {
        "scipy_expit": '''
from scipy.special import expit

def logreg_fisher(X, w):
    z = X @ w
    weights = expit(z) * expit(-z)
    return X.T @ (weights[:, None] * X) / len(X)
''',
        "tanh_sigmoid_einsum": '''
def logreg_fisher(X, w):
    p = 0.5 * (1.0 + np.tanh(0.5 * (X @ w)))
    return np.einsum("n,ni,nj->ij", p * (1.0 - p), X, X) / X.shape[0]
''',
    },
    "ggn_matrix": {
        "loop_over_samples": '''
def ggn_matrix(J, probs):
    P = J.shape[2]
    G = np.zeros((P, P))
    for Ji, p in zip(J, probs):
        G += Ji.T @ (np.diag(p) - np.outer(p, p)) @ Ji
    return G / len(J)
''',
        "einsum_with_the_softmax_jacobian": '''
def ggn_matrix(J, probs):
    H = np.einsum("nk,kl->nkl", probs, np.eye(probs.shape[1])) - np.einsum("nk,nl->nkl", probs, probs)
    return np.einsum("nkp,nkl,nlq->pq", J, H, J) / J.shape[0]
''',
    },
    "predictive_fisher": {
        "loop_over_labels": '''
def predictive_fisher(J, probs):
    n, K, P = J.shape
    F = np.zeros((P, P))
    for k in range(K):
        g = np.einsum("nl,nlp->np", probs - np.eye(K)[k], J)
        F += (probs[:, k, None] * g).T @ g
    return F / n
''',
        "through_the_logit_covariance": '''
def predictive_fisher(J, probs):
    cov = np.einsum("nk,kl->nkl", probs, np.eye(probs.shape[1])) - np.einsum("nk,nl->nkl", probs, probs)
    return np.einsum("nkp,nkl,nlq->pq", J, cov, J) / J.shape[0]
''',
    },
    "damped_natural_step": {
        "through_natural_gradient_step": '''
def damped_natural_step(theta, grad, fisher, lr, damping):
    return natural_gradient_step(theta, grad, fisher + damping * np.eye(fisher.shape[0]), lr)
''',
        "eigendecomposition": '''
def damped_natural_step(theta, grad, fisher, lr, damping):
    values, vectors = np.linalg.eigh(fisher)
    return theta - lr * vectors @ ((vectors.T @ grad) / (values + damping))
''',
    },
}

# The phrase each mistake's feedback must contain (case-insensitive) in the first line of the error message
# of one of that name's failing test cells. Absent: the trick objects (they fail on types, every cell).
HINTS = {
    "gaussian_nll": {
        "mean_instead_of_sum": "averaged over the samples",
        "drops_log_two_pi_constant": "0.5*log(2*pi)",
        "log_sigma_added_once_not_per_sample": "once per sample",
        "treats_theta1_as_sigma": "log sigma, not sigma",
        "centres_data_in_place": "modified",
        "log_of_the_density_underflows": "underflowed",
    },
    "gaussian_nll_grad": {
        "derivative_wrt_sigma_not_log_sigma": "with respect to sigma, not log sigma",
        "mean_instead_of_sum": "averaged over the samples",
        "gradient_of_log_likelihood_sign_slip": "sign flipped",
        "forgets_the_n_from_log_sigma": "the n from",
        "mu_divided_by_sigma_not_variance": "sigma times too large",
        "returns_a_list": "numpy array",
    },
    "gaussian_score": {
        "gradient_of_the_nll_sign_flipped": "sign flipped",
        "summed_over_the_samples": "one row per sample",
        "derivative_wrt_sigma_not_log_sigma": "not log sigma",
        "forgets_the_minus_one": "off by exactly 1",
        "mu_entry_divided_by_sigma_once": "factor of sigma",
        "one_row_per_parameter": "one row per sample",
    },
    "fisher_monte_carlo": {
        "sums_instead_of_averaging": "summed the outer products",
        "divides_by_m_minus_one": "1/(m - 1)",
        "centred_covariance": "subtracted the mean score",
        "outer_product_of_the_mean_score": "outer product of the mean score",
        "ignores_the_seed": "default_rng(seed)",
        "standard_error_divided_by_m": "square root of m",
        "outer_products_the_wrong_way": "(d, d)",
    },
    "gaussian_fisher": {
        "mu_sigma_parametrisation": "(mu, sigma)",
        "one_sample_fisher_missing_n": "single sample",
        "treats_theta1_as_sigma": "log sigma, not sigma",
        "sigma_not_squared": "not squared",
        "returns_only_the_diagonal": "(2, 2)",
        "returns_the_inverse_fisher": "inverse",
        "fourth_moment_taken_as_one": "half the right one",
    },
    "natural_gradient_step": {
        "multiplies_by_fisher_instead_of_solving": "multiplied by the fisher",
        "divides_by_the_diagonal": "diagonal",
        "ascent_sign_slip": "sign flipped",
        "updates_theta_in_place": "modified",
        "forgets_the_learning_rate": "learning rate",
    },
    "fit_gaussian": {
        "path_missing_theta0": "row 0 being theta0",
        "natural_with_mu_sigma_fisher": "(mu, sigma)",
        "natural_multiplies_by_fisher": "multiplied by the fisher",
        "fisher_frozen_at_theta0": "the one at theta0",
        "one_sample_fisher": "single sample",
        "ignores_the_natural_flag": "natural=true was ignored",
        "appends_one_array_updated_in_place": "same array",
        "updates_theta0_in_place": "theta0 was modified",
    },
    "empirical_fisher": {
        "missing_division_by_n": "divide by n",
        "outer_products_the_wrong_way": "(d, d)",
        "centred_covariance": "subtracted the mean gradient",
        "divides_by_n_minus_one": "n - 1",
        "outer_product_of_the_mean_gradient": "outer product of the mean gradient",
        "divides_by_d_not_n": "divided by d",
    },
    "logreg_fisher": {
        "p_instead_of_p_times_one_minus_p": "p(1 - p)",
        "missing_division_by_n": "divide by n",
        "naive_sigmoid_overflows": "overflow",
        "n_by_n_gram_matrix": "(d, d)",
        "hard_codes_p_one_half": "only where p = 1/2",
    },
    "ggn_matrix": {
        "forgets_minus_p_p_transpose": "misses the -p p^t part",
        "plus_p_p_transpose": "sign slip",
        "identity_in_the_middle": "j^t j",
        "summed_not_averaged": "not averaged",
    },
    "predictive_fisher": {
        "labels_weighted_equally": "weighted the k labels equally",
        "most_likely_label_only": "most likely label",
        "forgets_the_one_hot": "one-hot",
        "summed_not_averaged": "not averaged",
    },
    "damped_natural_step": {
        "damping_added_to_every_entry": "every entry",
        "multiplies_instead_of_solving": "multiplied by f + lambda i",
        "forgets_the_learning_rate": "learning rate",
        "damps_fisher_in_place": "modified fisher",
        "ignores_the_damping": "lambda times the identity",
        "ascent_sign_slip": "sign flipped",
    },
}
