"""Chapter 1's checkers accept correct answers and explain wrong ones, never raising."""

from __future__ import annotations

import numpy as np
from exercise_suite import standard_exercise_tests

from backprop_course.exercises import EXERCISES, check


def mse_gradient(x, y, w, b):
    r = x @ w + b - y
    return 2 / len(y) * x.T @ r, 2 / len(y) * r.sum()


def _hessian(x):
    x1 = np.column_stack([x, np.ones(len(x))])
    return 2 / len(x) * x1.T @ x1


def critical_learning_rate(x):
    return 2 / np.linalg.eigvalsh(_hessian(x)).max()


def numerical_gradient_loop(f, w, eps=1e-6):
    grad = np.zeros(w.shape)
    for i in np.ndindex(w.shape):
        w_plus, w_minus = w.astype(float), w.astype(float)
        w_plus[i] += eps
        w_minus[i] -= eps
        grad[i] = (f(w_plus) - f(w_minus)) / (2 * eps)
    return grad


def loop_in_place(f, w, eps=1e-6):
    """Nudges w itself but restores every entry from a saved value: allowed."""
    grad = np.zeros(w.shape)
    for i in np.ndindex(w.shape):
        saved = w[i]
        w[i] = saved + eps
        f_plus = f(w)
        w[i] = saved - eps
        f_minus = f(w)
        w[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


SOLUTIONS = {
    "mse_gradient": [mse_gradient],
    "critical_learning_rate": [
        critical_learning_rate,
        lambda x: 2 / np.linalg.eigvalsh(_hessian(x))[-1],
        # 2 / lambda_max with lambda_max = (2/N) s_max^2, s_max the largest singular value
        lambda x: len(x) / np.linalg.svd(np.column_stack([x, np.ones(len(x))]))[1][0] ** 2,
    ],
    "numerical_gradient_loop": [numerical_gradient_loop, loop_in_place],
}


def _one_sided(f, w, eps=1e-6):
    grad = np.zeros(w.shape)
    f0 = f(w)
    for i in np.ndindex(w.shape):
        w_plus = w.astype(float)
        w_plus[i] += eps
        grad[i] = (f(w_plus) - f0) / eps
    return grad


def _aliased(f, w, eps=1e-6):
    """The classic slip: w_plus = w does not copy, so w itself drifts."""
    grad = np.zeros(w.shape)
    for i in np.ndindex(w.shape):
        w_plus = w
        w_plus[i] += eps
        f_plus = f(w_plus)
        w_plus[i] -= 2 * eps
        grad[i] = (f_plus - f(w_plus)) / (2 * eps)
    return grad


def _restored_by_arithmetic(f, w, eps=1e-6):
    grad = np.zeros(w.shape)
    for i in np.ndindex(w.shape):
        w[i] += eps
        f_plus = f(w)
        w[i] -= 2 * eps
        f_minus = f(w)
        w[i] += eps  # floating point: not always exactly the original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


WRONG = {
    "mse_gradient": [
        (lambda x, y, w, b: tuple(g / 2 for g in mse_gradient(x, y, w, b)), "expected"),
        (lambda x, y, w, b: tuple(-g for g in mse_gradient(x, y, w, b)), "wrong sign"),
        (lambda x, y, w, b: tuple(len(y) * g for g in mse_gradient(x, y, w, b)), "expected"),
        (lambda x, y, w, b: mse_gradient(x, y, w, b)[0], "tuple of 2"),
        (lambda x, y, w, b: (mse_gradient(x, y, w, b)[0], 0.0), "dL/db"),
        (lambda x, y, w, b: (x.T @ (x @ w - y) * 2 / len(y), 0.0), "expected"),
    ],
    "critical_learning_rate": [
        (lambda x: critical_learning_rate(x) / 2, "half the critical rate"),
        (lambda x: critical_learning_rate(x) * 2, "factor 2 of the Hessian"),
        (lambda x: 2 / np.linalg.eigvalsh(_hessian(x)).min(), "smallest eigenvalue"),
        (lambda x: 2 / np.linalg.eigvalsh(2 / len(x) * x.T @ x).max(), "ignores the bias"),
        (lambda x: 2 / np.linalg.eigvalsh(2 * _hessian(x) * len(x) / 2).max(), "mean, not a sum"),
        (lambda x: critical_learning_rate(x) * 1.1, "too large"),
        (lambda x: critical_learning_rate(x) * 0.9, "too small"),
        (lambda x: None, "forget `return`"),
        (lambda x: np.ones(2), "one number"),
        (lambda x: "fast", "expected a number"),
        (lambda x: np.inf, "finite number"),
    ],
    "numerical_gradient_loop": [
        (_one_sided, "two evaluations per entry"),
        (_aliased, "changed w"),
        (_restored_by_arithmetic, "changed w slightly"),
        (lambda f, w: numerical_gradient_loop(f, w) * 2, "expected"),
        (lambda f, w: numerical_gradient_loop(f, w).ravel()[:1], "shape"),
        (lambda f, w: numerical_gradient_loop(f, w.ravel()), "shape"),
        (lambda f, w: None, "forget `return`"),
    ],
}


def test_calling_f_with_the_wrong_shape_is_explained() -> None:
    def flattening(f, w, eps=1e-6):
        return numerical_gradient_loop(lambda v: f(v.ravel()), w, eps)

    result = check("numerical_gradient_loop", flattening, quiet=True, seed=4)
    assert not result.passed
    assert "f takes an array of shape" in result.message


def test_the_checker_inputs_are_fresh_copies() -> None:
    def mutating(x):
        answer = critical_learning_rate(x)
        x[:] = 0.0
        return answer

    assert check("critical_learning_rate", mutating, quiet=True).passed
    assert "numerical_gradient_loop" in EXERCISES


# The book's solution of each exercise first; the others are other correct answers.
globals().update(standard_exercise_tests(
    1, {name: answers[0] for name, answers in SOLUTIONS.items()}, WRONG,
    {name: answers[1:] for name, answers in SOLUTIONS.items() if answers[1:]},
))
