"""Wrong and alternative implementations of the 07_fgsm contract, for the mutation suite."""

MUTANTS = {
    "logistic_loss_x": {
        "naive_exp_overflows": '''
def logistic_loss_x(w, b, x, y):
    return float(np.log(1.0 + np.exp(-y * (np.dot(w, x) + b))))
''',
        "forgets_bias": '''
def logistic_loss_x(w, b, x, y):
    return float(np.logaddexp(0.0, -y * np.dot(w, x)))
''',
        "zero_one_label_formula": '''
def logistic_loss_x(w, b, x, y):
    # the {0, 1}-label loss log(1 + e^z) - y z, used with labels in {-1, +1}
    z = np.dot(w, x) + b
    return float(np.logaddexp(0.0, z) - y * z)
''',
        "clips_the_exponent": '''
def logistic_loss_x(w, b, x, y):
    t = np.clip(-y * (np.dot(w, x) + b), -500.0, 500.0)
    return float(np.log1p(np.exp(t)))
''',
    },
    "logistic_input_grad": {
        "drops_label_factor": '''
def logistic_input_grad(w, b, x, y):
    margin = y * (np.dot(w, x) + b)
    return -np.exp(-np.logaddexp(0.0, margin)) * np.asarray(w, dtype=float)
''',
        "sigmoid_of_score_not_margin": '''
def logistic_input_grad(w, b, x, y):
    score = np.dot(w, x) + b
    return -y * np.exp(-np.logaddexp(0.0, score)) * np.asarray(w, dtype=float)
''',
        "gradient_with_respect_to_weights": '''
def logistic_input_grad(w, b, x, y):
    margin = y * (np.dot(w, x) + b)
    return -y * np.exp(-np.logaddexp(0.0, margin)) * np.asarray(x, dtype=float)
''',
        "naive_sigmoid_overflows": '''
def logistic_input_grad(w, b, x, y):
    margin = y * (np.dot(w, x) + b)
    return -y * np.asarray(w, dtype=float) / (1.0 + np.exp(margin))
''',
    },
    "fgsm": {
        "subtracts_the_sign": '''
def fgsm(x, grad, eps, clip=None):
    x_adv = np.asarray(x, dtype=float) - eps * np.sign(grad)
    if clip is not None:
        x_adv = np.clip(x_adv, clip[0], clip[1])
    return x_adv
''',
        "raw_gradient_not_sign": '''
def fgsm(x, grad, eps, clip=None):
    x_adv = np.asarray(x, dtype=float) + eps * np.asarray(grad, dtype=float)
    if clip is not None:
        x_adv = np.clip(x_adv, clip[0], clip[1])
    return x_adv
''',
        "ignores_clip": '''
def fgsm(x, grad, eps, clip=None):
    return np.asarray(x, dtype=float) + eps * np.sign(grad)
''',
        "updates_x_in_place": '''
def fgsm(x, grad, eps, clip=None):
    x += eps * np.sign(grad)
    if clip is not None:
        np.clip(x, clip[0], clip[1], out=x)
    return x
''',
        "zero_gradient_counts_as_positive": '''
def fgsm(x, grad, eps, clip=None):
    x_adv = np.asarray(x, dtype=float) + eps * np.where(np.asarray(grad) >= 0, 1.0, -1.0)
    if clip is not None:
        x_adv = np.clip(x_adv, clip[0], clip[1])
    return x_adv
''',
    },
    "worst_case_linear_loss": {
        "printed_formula_for_positive_label_only": '''
def worst_case_linear_loss(w, b, x, y, eps):
    return float(np.logaddexp(0.0, eps * np.sum(np.abs(w)) - (np.dot(w, x) + b)))
''',
        "best_case_for_negative_label": '''
def worst_case_linear_loss(w, b, x, y, eps):
    # log(1 + exp(-y (w.(x - eps sign w) + b))): the perturbation x - eps sign(w) is right only for y = +1
    return float(np.logaddexp(0.0, -y * (np.dot(w, x) + b - eps * np.sum(np.abs(w)))))
''',
        "l2_norm_instead_of_l1": '''
def worst_case_linear_loss(w, b, x, y, eps):
    return float(np.logaddexp(0.0, eps * np.linalg.norm(w) - y * (np.dot(w, x) + b)))
''',
        "naive_exp_overflows": '''
def worst_case_linear_loss(w, b, x, y, eps):
    t = eps * np.sum(np.abs(w)) - y * (np.dot(w, x) + b)
    return float(np.log(1.0 + np.exp(t)))
''',
    },
    "fgsm_attack": {
        "no_clip_to_unit_interval": '''
def fgsm_attack(model, x, y, eps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    was_training = model.training
    model.eval()
    x_in = x.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(model(x_in), y), x_in)
    model.train(was_training)
    return x.detach() + eps * grad.sign()
''',
        "subtracts_the_gradient_sign": '''
def fgsm_attack(model, x, y, eps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    was_training = model.training
    model.eval()
    x_in = x.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(model(x_in), y), x_in)
    model.train(was_training)
    return (x.detach() - eps * grad.sign()).clamp(0.0, 1.0)
''',
        "backward_leaves_parameter_grads": '''
def fgsm_attack(model, x, y, eps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    was_training = model.training
    model.eval()
    x_in = x.detach().clone().requires_grad_(True)
    loss_fn(model(x_in), y).backward()
    model.train(was_training)
    return (x.detach() + eps * x_in.grad.sign()).clamp(0.0, 1.0)
''',
        "zero_grad_wipes_stored_grads": '''
def fgsm_attack(model, x, y, eps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    was_training = model.training
    model.eval()
    x_in = x.detach().clone().requires_grad_(True)
    loss_fn(model(x_in), y).backward()
    model.zero_grad()
    model.train(was_training)
    return (x.detach() + eps * x_in.grad.sign()).clamp(0.0, 1.0)
''',
        "mode_not_restored": '''
def fgsm_attack(model, x, y, eps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    model.eval()
    x_in = x.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(model(x_in), y), x_in)
    return (x.detach() + eps * grad.sign()).clamp(0.0, 1.0)
''',
        "stays_in_train_mode": '''
def fgsm_attack(model, x, y, eps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    x_in = x.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(model(x_in), y), x_in)
    return (x.detach() + eps * grad.sign()).clamp(0.0, 1.0)
''',
        "uses_the_callers_tensor": '''
def fgsm_attack(model, x, y, eps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    was_training = model.training
    model.eval()
    x.requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(model(x), y), x)
    model.train(was_training)
    return (x + eps * grad.sign()).clamp(0.0, 1.0).detach()
''',
    },
    "pgd_attack": {
        "no_projection_onto_eps_ball": '''
def pgd_attack(model, x, y, eps, alpha, steps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    was_training = model.training
    model.eval()
    x_adv = x.detach().clone()
    for _ in range(steps):
        x_adv.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(model(x_adv), y), x_adv)
        x_adv = (x_adv.detach() + alpha * grad.sign()).clamp(0.0, 1.0)
    model.train(was_training)
    return x_adv
''',
        "projects_only_at_the_end": '''
def pgd_attack(model, x, y, eps, alpha, steps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    was_training = model.training
    model.eval()
    x0 = x.detach()
    x_adv = x0.clone()
    for _ in range(steps):
        x_adv.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(model(x_adv), y), x_adv)
        x_adv = (x_adv.detach() + alpha * grad.sign()).clamp(0.0, 1.0)
    model.train(was_training)
    return torch.clamp(x_adv, x0 - eps, x0 + eps).clamp(0.0, 1.0)
''',
        "eps_step_instead_of_alpha": '''
def pgd_attack(model, x, y, eps, alpha, steps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    was_training = model.training
    model.eval()
    x0 = x.detach()
    x_adv = x0.clone()
    for _ in range(steps):
        x_adv.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(model(x_adv), y), x_adv)
        x_adv = x_adv.detach() + eps * grad.sign()
        x_adv = torch.clamp(x_adv, x0 - eps, x0 + eps).clamp(0.0, 1.0)
    model.train(was_training)
    return x_adv
''',
        "no_clip_to_unit_interval": '''
def pgd_attack(model, x, y, eps, alpha, steps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    was_training = model.training
    model.eval()
    x0 = x.detach()
    x_adv = x0.clone()
    for _ in range(steps):
        x_adv.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(model(x_adv), y), x_adv)
        x_adv = torch.clamp(x_adv.detach() + alpha * grad.sign(), x0 - eps, x0 + eps)
    model.train(was_training)
    return x_adv
''',
        "random_start": '''
def pgd_attack(model, x, y, eps, alpha, steps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    was_training = model.training
    model.eval()
    x0 = x.detach()
    x_adv = (x0 + torch.empty_like(x0).uniform_(-eps, eps)).clamp(0.0, 1.0)
    for _ in range(steps):
        x_adv.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(model(x_adv), y), x_adv)
        x_adv = torch.clamp(x_adv.detach() + alpha * grad.sign(), x0 - eps, x0 + eps).clamp(0.0, 1.0)
    model.train(was_training)
    return x_adv
''',
        "backward_leaves_parameter_grads": '''
def pgd_attack(model, x, y, eps, alpha, steps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    was_training = model.training
    model.eval()
    x0 = x.detach()
    x_adv = x0.clone()
    for _ in range(steps):
        x_adv.requires_grad_(True)
        loss_fn(model(x_adv), y).backward()
        x_adv = torch.clamp(x_adv.detach() + alpha * x_adv.grad.sign(), x0 - eps, x0 + eps).clamp(0.0, 1.0)
    model.train(was_training)
    return x_adv
''',
        "mode_not_restored": '''
def pgd_attack(model, x, y, eps, alpha, steps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    model.eval()
    x0 = x.detach()
    x_adv = x0.clone()
    for _ in range(steps):
        x_adv.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(model(x_adv), y), x_adv)
        x_adv = torch.clamp(x_adv.detach() + alpha * grad.sign(), x0 - eps, x0 + eps).clamp(0.0, 1.0)
    return x_adv
''',
        "stays_in_train_mode": '''
def pgd_attack(model, x, y, eps, alpha, steps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    x0 = x.detach()
    x_adv = x0.clone()
    for _ in range(steps):
        x_adv.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(model(x_adv), y), x_adv)
        x_adv = torch.clamp(x_adv.detach() + alpha * grad.sign(), x0 - eps, x0 + eps).clamp(0.0, 1.0)
    return x_adv
''',
    },
    "accuracy_under_attack": {
        "percent_not_fraction": '''
def accuracy_under_attack(model, x, y, eps_list, attack=fgsm_attack):
    was_training = model.training
    model.eval()
    accuracies = []
    for eps in eps_list:
        x_adv = attack(model, x, y, eps)
        with torch.no_grad():
            accuracies.append(100.0 * (model(x_adv).argmax(dim=1) == y).float().mean().item())
    model.train(was_training)
    return accuracies
''',
        "tensors_not_floats": '''
def accuracy_under_attack(model, x, y, eps_list, attack=fgsm_attack):
    was_training = model.training
    model.eval()
    accuracies = []
    for eps in eps_list:
        x_adv = attack(model, x, y, eps)
        with torch.no_grad():
            accuracies.append((model(x_adv).argmax(dim=1) == y).float().mean())
    model.train(was_training)
    return accuracies
''',
        "ignores_the_attack_argument": '''
def accuracy_under_attack(model, x, y, eps_list, attack=fgsm_attack):
    was_training = model.training
    model.eval()
    accuracies = []
    for eps in eps_list:
        x_adv = fgsm_attack(model, x, y, eps)
        with torch.no_grad():
            accuracies.append((model(x_adv).argmax(dim=1) == y).float().mean().item())
    model.train(was_training)
    return accuracies
''',
        "predicts_in_train_mode": '''
def accuracy_under_attack(model, x, y, eps_list, attack=fgsm_attack):
    accuracies = []
    for eps in eps_list:
        x_adv = attack(model, x, y, eps)
        with torch.no_grad():
            accuracies.append((model(x_adv).argmax(dim=1) == y).float().mean().item())
    return accuracies
''',
        "mode_not_restored": '''
def accuracy_under_attack(model, x, y, eps_list, attack=fgsm_attack):
    model.eval()
    accuracies = []
    for eps in eps_list:
        x_adv = attack(model, x, y, eps)
        with torch.no_grad():
            accuracies.append((model(x_adv).argmax(dim=1) == y).float().mean().item())
    return accuracies
''',
        "returns_numpy_array": '''
def accuracy_under_attack(model, x, y, eps_list, attack=fgsm_attack):
    was_training = model.training
    model.eval()
    accuracies = []
    for eps in eps_list:
        x_adv = attack(model, x, y, eps)
        with torch.no_grad():
            accuracies.append((model(x_adv).argmax(dim=1) == y).float().mean().item())
    model.train(was_training)
    return np.array(accuracies)
''',
    },
    "transfer_matrix": {
        "rows_and_columns_swapped": '''
def transfer_matrix(models, x, y, eps, attack=fgsm_attack):
    modes = [m.training for m in models]
    table = np.zeros((len(models), len(models)))
    for i, source in enumerate(models):
        x_adv = attack(source, x, y, eps)
        for j, target in enumerate(models):
            target.eval()
            with torch.no_grad():
                table[j, i] = (target(x_adv).argmax(dim=1) == y).float().mean().item()
    for m, mode in zip(models, modes):
        m.train(mode)
    return table
''',
        "each_target_attacked_itself": '''
def transfer_matrix(models, x, y, eps, attack=fgsm_attack):
    modes = [m.training for m in models]
    table = np.zeros((len(models), len(models)))
    for i, source in enumerate(models):
        for j, target in enumerate(models):
            x_adv = attack(target, x, y, eps)
            target.eval()
            with torch.no_grad():
                table[i, j] = (target(x_adv).argmax(dim=1) == y).float().mean().item()
    for m, mode in zip(models, modes):
        m.train(mode)
    return table
''',
        "ignores_the_attack_argument": '''
def transfer_matrix(models, x, y, eps, attack=fgsm_attack):
    modes = [m.training for m in models]
    table = np.zeros((len(models), len(models)))
    for i, source in enumerate(models):
        x_adv = fgsm_attack(source, x, y, eps)
        for j, target in enumerate(models):
            target.eval()
            with torch.no_grad():
                table[i, j] = (target(x_adv).argmax(dim=1) == y).float().mean().item()
    for m, mode in zip(models, modes):
        m.train(mode)
    return table
''',
        "error_rate_not_accuracy": '''
def transfer_matrix(models, x, y, eps, attack=fgsm_attack):
    modes = [m.training for m in models]
    table = np.zeros((len(models), len(models)))
    for i, source in enumerate(models):
        x_adv = attack(source, x, y, eps)
        for j, target in enumerate(models):
            target.eval()
            with torch.no_grad():
                table[i, j] = (target(x_adv).argmax(dim=1) != y).float().mean().item()
    for m, mode in zip(models, modes):
        m.train(mode)
    return table
''',
        "predicts_in_train_mode": '''
def transfer_matrix(models, x, y, eps, attack=fgsm_attack):
    table = np.zeros((len(models), len(models)))
    for i, source in enumerate(models):
        x_adv = attack(source, x, y, eps)
        for j, target in enumerate(models):
            with torch.no_grad():
                table[i, j] = (target(x_adv).argmax(dim=1) == y).float().mean().item()
    return table
''',
        "modes_not_restored": '''
def transfer_matrix(models, x, y, eps, attack=fgsm_attack):
    table = np.zeros((len(models), len(models)))
    for i, source in enumerate(models):
        x_adv = attack(source, x, y, eps)
        for j, target in enumerate(models):
            target.eval()
            with torch.no_grad():
                table[i, j] = (target(x_adv).argmax(dim=1) == y).float().mean().item()
    return table
''',
        "nested_list_not_array": '''
def transfer_matrix(models, x, y, eps, attack=fgsm_attack):
    modes = [m.training for m in models]
    rows = []
    for source in models:
        x_adv = attack(source, x, y, eps)
        row = []
        for target in models:
            target.eval()
            with torch.no_grad():
                row.append((target(x_adv).argmax(dim=1) == y).float().mean().item())
        rows.append(row)
    for m, mode in zip(models, modes):
        m.train(mode)
    return rows
''',
    },
    "confidence_of_mistakes": {
        "averages_over_all_inputs": '''
def confidence_of_mistakes(model, x_adv, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        p = torch.softmax(model(x_adv), dim=1)
    model.train(was_training)
    if bool((p.argmax(dim=1) == y).all()):
        return float("nan")
    return float(p.max(dim=1).values.mean())
''',
        "probability_of_true_label": '''
def confidence_of_mistakes(model, x_adv, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        p = torch.softmax(model(x_adv), dim=1)
    model.train(was_training)
    wrong = p.argmax(dim=1) != y
    if not bool(wrong.any()):
        return float("nan")
    return float(p[torch.arange(len(y)), y][wrong].mean())
''',
        "max_logit_not_probability": '''
def confidence_of_mistakes(model, x_adv, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        logits = model(x_adv)
    model.train(was_training)
    top, predicted = logits.max(dim=1)
    wrong = predicted != y
    if not bool(wrong.any()):
        return float("nan")
    return float(top[wrong].mean())
''',
        "computed_in_train_mode": '''
def confidence_of_mistakes(model, x_adv, y):
    with torch.no_grad():
        p = torch.softmax(model(x_adv), dim=1)
    confidence, predicted = p.max(dim=1)
    wrong = predicted != y
    if not bool(wrong.any()):
        return float("nan")
    return float(confidence[wrong].mean())
''',
        "numpy_mean_of_empty_warns": '''
def confidence_of_mistakes(model, x_adv, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        p = torch.softmax(model(x_adv), dim=1).numpy()
    model.train(was_training)
    wrong = p.argmax(axis=1) != y.numpy()
    return float(np.mean(p.max(axis=1)[wrong]))
''',
        "zero_when_no_mistakes": '''
def confidence_of_mistakes(model, x_adv, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        p = torch.softmax(model(x_adv), dim=1)
    model.train(was_training)
    confidence, predicted = p.max(dim=1)
    wrong = predicted != y
    if not bool(wrong.any()):
        return 0.0
    return float(confidence[wrong].mean())
''',
        "returns_a_tensor": '''
def confidence_of_mistakes(model, x_adv, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        p = torch.softmax(model(x_adv), dim=1)
    model.train(was_training)
    confidence, predicted = p.max(dim=1)
    wrong = predicted != y
    if not bool(wrong.any()):
        return float("nan")
    return confidence[wrong].mean()
''',
        "mode_not_restored": '''
def confidence_of_mistakes(model, x_adv, y):
    model.eval()
    with torch.no_grad():
        p = torch.softmax(model(x_adv), dim=1)
    confidence, predicted = p.max(dim=1)
    wrong = predicted != y
    if not bool(wrong.any()):
        return float("nan")
    return float(confidence[wrong].mean())
''',
    },
}

ALTERNATIVES = {
    "logistic_loss_x": {
        "branch_on_margin_sign_with_math": '''
def logistic_loss_x(w, b, x, y):
    m = y * (float(np.dot(w, x)) + b)
    if m >= 0:
        return math.log1p(math.exp(-m))
    return -m + math.log1p(math.exp(m))
''',
    },
    "logistic_input_grad": {
        "two_branch_sigmoid": '''
def logistic_input_grad(w, b, x, y):
    m = y * (float(np.dot(w, x)) + b)
    if m >= 0:
        e = math.exp(-m)
        weight = e / (1.0 + e)
    else:
        weight = 1.0 / (1.0 + math.exp(m))
    return -y * weight * np.array(w, dtype=float)
''',
    },
    "fgsm": {
        "explicit_where_and_minimum_maximum": '''
def fgsm(x, grad, eps, clip=None):
    grad = np.asarray(grad)
    step = np.where(grad > 0, eps, np.where(grad < 0, -eps, 0.0))
    x_adv = np.array(x, dtype=float, copy=True) + step
    if clip is not None:
        lo, hi = clip
        x_adv = np.minimum(np.maximum(x_adv, lo), hi)
    return x_adv
''',
    },
    "worst_case_linear_loss": {
        "evaluates_the_fgsm_corner": '''
def worst_case_linear_loss(w, b, x, y, eps):
    w = np.asarray(w, dtype=float)
    corner = np.asarray(x, dtype=float) - y * eps * np.sign(w)
    margin = y * (w @ corner + b)
    return float(np.logaddexp(0.0, -margin))
''',
    },
    "fgsm_attack": {
        "backward_with_saved_parameter_grads": '''
def fgsm_attack(model, x, y, eps, loss_fn=None):
    if loss_fn is None:
        loss_fn = torch.nn.CrossEntropyLoss()
    params = list(model.parameters())
    saved = [p.grad for p in params]
    for p in params:
        p.grad = None
    mode = model.training
    model.eval()
    x_in = x.clone().detach()
    x_in.requires_grad = True
    loss_fn(model(x_in), y).backward()
    for p, g in zip(params, saved):
        p.grad = g
    model.train(mode)
    return torch.clamp(x_in.detach() + eps * torch.sign(x_in.grad), 0.0, 1.0)
''',
    },
    "pgd_attack": {
        "perturbation_variable": '''
def pgd_attack(model, x, y, eps, alpha, steps, loss_fn=None):
    loss_fn = F.cross_entropy if loss_fn is None else loss_fn
    mode = model.training
    model.eval()
    try:
        x0 = x.detach()
        delta = torch.zeros_like(x0)
        for _ in range(steps):
            delta.requires_grad_(True)
            (g,) = torch.autograd.grad(loss_fn(model(x0 + delta), y), delta)
            delta = (delta.detach() + alpha * g.sign()).clamp(-eps, eps)
            delta = (x0 + delta).clamp(0.0, 1.0) - x0
    finally:
        model.train(mode)
    return (x0 + delta).detach()
''',
    },
    "accuracy_under_attack": {
        "counts_correct_with_sum": '''
def accuracy_under_attack(model, x, y, eps_list, attack=fgsm_attack):
    mode = model.training
    results = []
    for eps in eps_list:
        x_adv = attack(model, x, y, eps)
        model.eval()
        with torch.no_grad():
            correct = int((model(x_adv).argmax(dim=-1) == y).sum())
        model.train(mode)
        results.append(correct / len(y))
    return results
''',
    },
    "transfer_matrix": {
        "list_comprehension_and_copies": '''
def transfer_matrix(models, x, y, eps, attack=fgsm_attack):
    examples = [attack(source, x, y, eps) for source in models]
    frozen = [copy.deepcopy(m).eval() for m in models]
    with torch.no_grad():
        rows = [[float((t(xa).argmax(dim=-1) == y).double().mean()) for t in frozen] for xa in examples]
    return np.array(rows, dtype=np.float64).reshape(len(models), len(models))
''',
    },
    "confidence_of_mistakes": {
        "log_softmax_and_numpy": '''
def confidence_of_mistakes(model, x_adv, y):
    mode = model.training
    model.eval()
    try:
        with torch.no_grad():
            log_p = F.log_softmax(model(x_adv).double(), dim=-1)
    finally:
        model.train(mode)
    top = log_p.max(dim=-1)
    mask = (top.indices != y).numpy()
    if mask.sum() == 0:
        return math.nan
    return float(np.exp(top.values.numpy()[mask]).mean())
''',
    },
}

# For every mutant that stands for a common mistake: a phrase that the first line of the error message of one of
# its own failing test cells must contain (case-insensitively). That line is the feedback a student sees of a hidden test.
HINTS = {
    "logistic_loss_x": {
        "naive_exp_overflows": 'overflow',
        "forgets_bias": 'ignores the bias',
        "zero_one_label_formula": 'labels in {0, 1}',
        "clips_the_exponent": 'clipped',
    },
    "logistic_input_grad": {
        "drops_label_factor": 'sign flipped for y = -1',
        "sigmoid_of_score_not_margin": 'sigmoid(-score)',
        "gradient_with_respect_to_weights": 'with respect to the weights',
        "naive_sigmoid_overflows": 'overflow',
    },
    "fgsm": {
        "subtracts_the_sign": 'minus instead of plus',
        "raw_gradient_not_sign": 'raw gradient',
        "ignores_clip": 'forgot to clip',
        "updates_x_in_place": 'in place',
        "zero_gradient_counts_as_positive": 'zero gradient',
    },
    "worst_case_linear_loss": {
        "printed_formula_for_positive_label_only": 'right only for y = +1',
        "best_case_for_negative_label": 'best case',
        "l2_norm_instead_of_l1": 'l2 norm',
        "naive_exp_overflows": 'overflow',
    },
    "fgsm_attack": {
        "no_clip_to_unit_interval": 'forgot to clip',
        "subtracts_the_gradient_sign": 'minus instead of plus',
        "backward_leaves_parameter_grads": 'loss.backward()',
        "zero_grad_wipes_stored_grads": 'zero_grad',
        "mode_not_restored": "restore the caller's mode",
        "stays_in_train_mode": 'computed in train mode',
        "uses_the_callers_tensor": "caller's tensor",
    },
    "pgd_attack": {
        "no_projection_onto_eps_ball": 'did not project back into the eps-ball',
        "projects_only_at_the_end": 'projected only at the end',
        "eps_step_instead_of_alpha": 'size eps instead of alpha',
        "no_clip_to_unit_interval": 'forgot to clip',
        "random_start": 'no random start',
        "backward_leaves_parameter_grads": 'loss.backward()',
        "mode_not_restored": "restore the caller's mode",
        "stays_in_train_mode": 'computed in train mode',
    },
    "accuracy_under_attack": {
        "percent_not_fraction": 'not percentages',
        "tensors_not_floats": 'python float',
        "ignores_the_attack_argument": 'did you call fgsm_attack instead of attack',
        "predicts_in_train_mode": 'train mode',
        "mode_not_restored": "restore the caller's mode",
        "returns_numpy_array": 'python list',
    },
    "transfer_matrix": {
        "rows_and_columns_swapped": 'rows and columns swapped',
        "each_target_attacked_itself": 'attacked with its own model',
        "ignores_the_attack_argument": 'did you use fgsm_attack instead of attack',
        "error_rate_not_accuracy": 'error rates',
        "predicts_in_train_mode": 'train mode',
        "modes_not_restored": "restore the caller's mode",
        "nested_list_not_array": 'numpy array',
    },
    "confidence_of_mistakes": {
        "averages_over_all_inputs": 'over all inputs',
        "probability_of_true_label": 'true label',
        "max_logit_not_probability": 'raw logits',
        "computed_in_train_mode": 'computed in train mode',
        "numpy_mean_of_empty_warns": 'warned',
        "zero_when_no_mistakes": "float('nan')",
        "returns_a_tensor": 'python float',
        "mode_not_restored": "restore the caller's mode",
    },
}
