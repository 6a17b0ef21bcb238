"""The exercise contract: every assignment defines exactly these names and signatures for students,
autograds each of them, and asks for at least one written answer."""

import ast

import pytest

from gradlab import notebooks as nbs
from gradlab.course import Course
from mutation import REPO

COURSE = Course.load(REPO)

CONTRACT = {
    "01_finite_differences": [
        "forward_difference(f, x, h=1e-05)", "central_difference(f, x, h=1e-05)",
        "numerical_gradient(f, w, eps=1e-05)", "numerical_jacobian(f, x, eps=1e-05)", "relative_error(a, b)",
        "gradient_check(f, grad_f, x, eps=1e-05)", "complex_step_derivative(f, x, h=1e-20)",
        "directional_derivative(grad_f, x, u)", "steepest_descent_direction(grad_f, x)",
        "gradient_check_report(f, grad_f, x, eps=1e-05, top=None)", "grad_sin_cos(x, y)",
    ],
    "02_chain_rule": [
        "tiny_net_forward_backward(x, w1, b1, w2, b2, y)", "sigmoid_chain_dy_dw1(x, w1, b1, w2, b2)",
        "class Dual", "dual_sin(x)", "dual_cos(x)", "dual_exp(x)", "dual_log(x)", "derivative(f, x)", "class Value",
        "class Neuron", "class Layer", "class MLP", "train_mlp(model, X, y, n_steps, lr)",
        "torch_gradient_descent(loss_fn, w0, lr, n_steps)", "torch_vjp(f, x, u)", "straight_through_round(x)",
    ],
    "03_mse_gradients": [
        "mse_loss_and_grad(X, y, w)", "linear_loss_and_grads(X, y, w, b)", "grad_linear_form(a, x)",
        "grad_trace_product(A, X)", "grad_quadratic_form(A, x)", "grad_least_squares(A, b, x)",
        "gradient_descent(grad_f, w0, lr, n_steps)", "ols_solution(X, y)", "max_stable_lr(X)",
        "steps_to_tolerance(X, y, w0, lr, tol=0.0001, max_steps=100000)",
        "minibatch_sgd(X, y, w0, lr, n_epochs, batch_size, seed=0)",
    ],
    "04_logistic_gradients": [
        "sigmoid(z)", "logreg_loss_and_grad(X, y, w)", "softmax(Z)", "softmax_jacobian(z)",
        "softmax_ce_loss_and_grad(Z, y)", "softmax_regression_loss_and_grads(X, y, W, b)",
        "mlp_loss_and_grads(X, y, params)", "numerical_vjp(f, x, dout, eps=1e-05)",
        "affine_forward(x, W, b)", "affine_backward(dout, cache)", "relu_forward(x)", "relu_backward(dout, cache)",
        "tanh_forward(x)", "tanh_backward(dout, cache)", "softmax_ce_forward(Z, y)", "softmax_ce_backward(dloss, cache)",
        "sampled_gradient_check(f, x, analytic_grad, n_samples=10, eps=1e-05, seed=0)",
    ],
    "05_hessians": [
        "numerical_hessian(f, w, eps=0.0001)", "logreg_hessian(X, w)",
        "hessian_vector_product(grad_f, w, v, eps=1e-06)", "torch_hvp(f, w, v)",
        "classify_critical_point(H, tol=1e-08)", "rosenbrock(w)", "rosenbrock_grad(w)", "rosenbrock_hessian(w)",
        "newton_method(grad_f, hess_f, w0, n_steps)", "gd_1d(df, x0, lr, n_steps)",
        "momentum_step(w, v, grad, lr, beta=0.9)",
        "adam_step(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08)",
    ],
    "06_natural_gradient": [
        "gaussian_nll(theta, x)", "gaussian_nll_grad(theta, x)", "gaussian_fisher(theta, n)",
        "natural_gradient_step(theta, grad, fisher, lr)", "fit_gaussian(x, theta0, lr, n_steps, natural=False)",
        "empirical_fisher(per_sample_grads)", "logreg_fisher(X, w)", "gaussian_score(theta, x)",
        "fisher_monte_carlo(score, sample, theta, n_samples, seed=0)", "ggn_matrix(J, probs)",
        "predictive_fisher(J, probs)", "damped_natural_step(theta, grad, fisher, lr, damping)",
    ],
    "07_fgsm": [
        "logistic_loss_x(w, b, x, y)", "logistic_input_grad(w, b, x, y)", "fgsm(x, grad, eps, clip=None)",
        "worst_case_linear_loss(w, b, x, y, eps)", "fgsm_attack(model, x, y, eps, loss_fn=None)",
        "pgd_attack(model, x, y, eps, alpha, steps, loss_fn=None)",
        "accuracy_under_attack(model, x, y, eps_list, attack=fgsm_attack)",
        "confidence_of_mistakes(model, x_adv, y)", "transfer_matrix(models, x, y, eps, attack=fgsm_attack)",
    ],
}


def _signatures(nb) -> dict[str, str]:
    """What the student sees: each top-level def or class of the solution cells, as in CONTRACT."""
    found = {}
    for cell in nb.cells:
        if not nbs.is_solution_cell(cell):
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.ClassDef):
                found[node.name] = f"class {node.name}"
            elif isinstance(node, ast.FunctionDef):
                args = node.args.args
                defaults = [None] * (len(args) - len(node.args.defaults)) + node.args.defaults
                params = [a.arg if d is None else f"{a.arg}={ast.unparse(d)}" for a, d in zip(args, defaults)]
                found[node.name] = f"{node.name}({', '.join(params)})"
    return found


def _name(signature: str) -> str:
    return signature.removeprefix("class ").split("(")[0]


def test_the_course_has_the_seven_assignments_in_order():
    assert COURSE.assignments == tuple(CONTRACT)


@pytest.mark.parametrize("assignment", CONTRACT)
def test_students_see_every_contract_signature(assignment):
    released = _signatures(nbs.read(COURSE.release_notebook(assignment)))
    for signature in CONTRACT[assignment]:
        seen = released.get(_name(signature))
        assert seen == signature, f"{assignment}: expected {signature}, students see {seen}"


@pytest.mark.parametrize("assignment", CONTRACT)
def test_every_contract_name_is_autograded(assignment):
    source = nbs.read(COURSE.source_notebook(assignment))
    for signature in CONTRACT[assignment]:
        assert nbs.test_ids_of(source, _name(signature)), f"{assignment}: no test cell grades {_name(signature)}"
    assert any(nbs.is_answer_cell(c) for c in source.cells), f"{assignment}: no written answer"
