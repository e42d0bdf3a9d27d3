"""Chapter 7's checkers accept correct answers and reject typical wrong ones, never raising."""

from __future__ import annotations

import numpy as np
from exercise_suite import standard_exercise_tests

from backprop_course.exercises import check


def sgd_momentum_step(w, v, g, lr, mu):
    new_v = mu * v + g
    return w - lr * new_v, new_v


def adam_step(w, m, v, g, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def average_shard_gradients(grads, sizes):
    sizes = np.asarray(sizes, dtype=float)
    return sum(n * g for n, g in zip(sizes, grads, strict=True)) / sizes.sum()


SOLUTIONS = {
    "sgd_momentum_step": sgd_momentum_step,
    "adam_step": adam_step,
    "average_shard_gradients": average_shard_gradients,
}


def _momentum_old_velocity(w, v, g, lr, mu):
    return w - lr * v, mu * v + g  # moves with the velocity of the previous step


def _adam_no_bias_correction(w, m, v, g, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    return w - lr * m / (np.sqrt(v) + eps), m, v


def _adam_plus(w, m, v, g, t, lr, beta1, beta2, eps):
    new_w, m, v = adam_step(w, m, v, g, t, lr, beta1, beta2, eps)
    return 2 * w - new_w, m, v  # steps uphill


WRONG = {
    "sgd_momentum_step": [
        (lambda w, v, g, lr, mu: (w - lr * g, v), "expected"),  # no momentum at all
        (_momentum_old_velocity, "new_w"),
        (lambda w, v, g, lr, mu: sgd_momentum_step(w, v, g, lr, mu)[0], "tuple of 2"),
        (lambda w, v, g, lr, mu: (w + lr * (mu * v + g), mu * v + g), "new_w"),
    ],
    "adam_step": [
        (_adam_no_bias_correction, "new_w"),
        (_adam_plus, "new_w"),
        (lambda w, m, v, g, t, lr, beta1, beta2, eps: adam_step(
            w, m, v, g, t, lr, beta1, beta2, eps)[:2], "tuple of 3"),
    ],
    "average_shard_gradients": [
        (lambda grads, sizes: np.mean(grads, axis=0), "plain mean"),
        (lambda grads, sizes: np.sum(grads, axis=0), "expected"),
        (lambda grads, sizes: None, "returned None"),
    ],
}


def test_momentum_solution_that_updates_in_place_still_passes() -> None:
    def in_place(w, v, g, lr, mu):
        v *= mu
        v += g
        w -= lr * v
        return w, v

    assert check("sgd_momentum_step", in_place, quiet=True, seed=0).passed


def test_shard_checker_accepts_a_list_or_an_array() -> None:
    def as_array(grads, sizes):
        return np.tensordot(np.asarray(sizes, float) / sum(sizes), np.asarray(grads), axes=1)

    assert check("average_shard_gradients", as_array, quiet=True, seed=4).passed


globals().update(standard_exercise_tests(7, SOLUTIONS, WRONG))
