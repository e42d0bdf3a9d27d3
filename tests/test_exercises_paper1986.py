"""The chapter 9 checkers accept correct answers and reject typical wrong ones in words."""

from __future__ import annotations

import numpy as np
from exercise_suite import standard_exercise_tests

from backprop_course.exercises import check


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def summed_error_gradients(W1, b1, W2, b2, X, D):
    h = _sigmoid(X @ W1 + b1)
    y = _sigmoid(h @ W2 + b2)
    delta2 = (y - D) * y * (1 - y)
    delta1 = (delta2 @ W2.T) * h * (1 - h)
    return X.T @ delta1, delta1.sum(0), h.T @ delta2, delta2.sum(0)


def paper_weight_change(w, previous_change, grad, epsilon, alpha, decay):
    change = -epsilon * grad + alpha * previous_change
    return (w + change) * (1 - decay), change


def mirror_symmetry_patterns(n):
    i = np.arange(2**n)[:, None]
    X = (i >> np.arange(n)) & 1
    return X, np.all(X == X[:, ::-1], axis=1).astype(int)


def margin_error_gradient(y, d):
    done = ((d == 1) & (y > 0.8)) | ((d == 0) & (y < 0.2))
    return np.where(done, 0.0, y - d)


SOLUTIONS = {
    "summed_error_gradients": summed_error_gradients,
    "paper_weight_change": paper_weight_change,
    "mirror_symmetry_patterns": mirror_symmetry_patterns,
    "margin_error_gradient": margin_error_gradient,
}


def _mean_not_sum(W1, b1, W2, b2, X, D):
    return tuple(g / len(X) for g in summed_error_gradients(W1, b1, W2, b2, X, D))


def _no_hidden_slope(W1, b1, W2, b2, X, D):
    h = _sigmoid(X @ W1 + b1)
    y = _sigmoid(h @ W2 + b2)
    delta2 = (y - D) * y * (1 - y)
    delta1 = delta2 @ W2.T  # forgot h (1 - h)
    return X.T @ delta1, delta1.sum(0), h.T @ delta2, delta2.sum(0)


def _decay_before(w, previous_change, grad, epsilon, alpha, decay):
    change = -epsilon * grad + alpha * previous_change
    return w * (1 - decay) + change, change


def _velocity_form(w, previous_change, grad, epsilon, alpha, decay):
    change = -epsilon * (grad + alpha * previous_change)
    return (w + change) * (1 - decay), change


def _wrong_labels(n):
    X, _ = mirror_symmetry_patterns(n)
    return X, np.ones(2**n, dtype=int)


def _missing_rows(n):
    X, y = mirror_symmetry_patterns(n)
    return X[: max(1, 2**n // 2)], y[: max(1, 2**n // 2)]


def _one_sided_margin(y, d):
    return np.where((d == 1) & (y > 0.8), 0.0, y - d)


WRONG = {
    "summed_error_gradients": [(_mean_not_sum, "expected"), (_no_hidden_slope, "dE/dW1")],
    "paper_weight_change": [(_decay_before, "new w"), (_velocity_form, "expected")],
    "mirror_symmetry_patterns": [(_wrong_labels, "expected label"),
                                 (_missing_rows, "expected X of shape")],
    "margin_error_gradient": [(_one_sided_margin, "expected"),
                              (lambda y, d: y - d, "expected")],
}


def test_mean_instead_of_sum_is_diagnosed_as_a_constant_factor() -> None:
    # with several cases, every entry is 1/N of the right one
    result = check("summed_error_gradients", _mean_not_sum, seed=5, quiet=True)
    assert not result.passed and "times the right one" in result.message


globals().update(standard_exercise_tests(9, SOLUTIONS, WRONG))
