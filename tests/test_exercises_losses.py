"""Chapter 6's checkers accept correct answers and explain wrong ones, never raising."""

from __future__ import annotations

import warnings

import numpy as np
from exercise_suite import standard_exercise_tests

from backprop_course.exercises import EXERCISES, check
from backprop_course.exercises.losses import (
    log_softmax_reference,
    mean_bce,
    mean_cross_entropy,
)


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _softmax_rows(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def stable_log_softmax(z):
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_jacobian(z):
    p = _softmax_rows(z)
    return np.diag(p) - np.outer(p, p)


def softmax_ce_grad(logits, labels):
    d = _softmax_rows(logits)
    d[np.arange(len(labels)), labels] -= 1.0
    return d / len(labels)


def bce_grad(logits, y):
    return (_sigmoid(logits) - y) / logits.size


SOLUTIONS = {
    "stable_log_softmax": stable_log_softmax,
    "softmax_jacobian": softmax_jacobian,
    "softmax_ce_grad": softmax_ce_grad,
    "bce_grad": bce_grad,
}

WRONG = {
    "stable_log_softmax": [
        # the naive formula overflows (inf - inf) or underflows (log 0)
        (lambda z: z - np.log(np.exp(z).sum(axis=1, keepdims=True)), "not a finite number"),
        # one shift for the whole batch: rows far below the overall max underflow
        (
            lambda z: (z - z.max()) - np.log(np.exp(z - z.max()).sum(axis=1, keepdims=True)),
            "not a finite number",
        ),
        # the probabilities instead of their logarithms
        (lambda z: np.exp(stable_log_softmax(z)), "expected"),
        # subtracting the max but forgetting the log-sum term
        (lambda z: z - z.max(axis=1, keepdims=True), "expected"),
        (lambda z: stable_log_softmax(z)[0], "shape"),
    ],
    "softmax_jacobian": [
        # only the diagonal: the coupling through the shared denominator is forgotten
        (lambda z: np.diag(_softmax_rows(z) * (1 - _softmax_rows(z))), "expected"),
        (lambda z: -softmax_jacobian(z), "wrong sign"),
        (lambda z: np.diag(softmax_jacobian(z)), "shape"),
    ],
    "softmax_ce_grad": [
        # forgetting the mean over the batch (N = 1 would pass, so the seed gives N > 1)
        (lambda z, t: softmax_ce_grad(z, t) * len(t), "expected"),
        (lambda z, t: -softmax_ce_grad(z, t), "wrong sign"),
        # p without subtracting the one-hot target
        (lambda z, t: _softmax_rows(z) / len(t), "expected"),
    ],
    "bce_grad": [
        (lambda z, y: bce_grad(z, y) * z.size, "expected"),
        # the squared-error gradient: the sigmoid's slope does not cancel there
        (lambda z, y: (_sigmoid(z) - y) * _sigmoid(z) * (1 - _sigmoid(z)) / z.size, "expected"),
        (lambda z, y: (y - _sigmoid(z)) / z.size, "wrong sign"),
    ],
}


def test_naive_log_softmax_warnings_do_not_escape_the_checker() -> None:
    def naive(z):
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning leaking out would raise here
        result = check("stable_log_softmax", naive, quiet=True, seed=0)
    assert not result.passed


def test_log_softmax_reference_is_exact_where_float64_is() -> None:
    z = np.array([[1.0, 2.0, 3.0], [0.5, -0.5, 0.0]])
    direct = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(log_softmax_reference(z), direct, rtol=1e-15, atol=1e-15)
    big = log_softmax_reference(np.array([[1000.0, 999.0, 0.0]]))
    r = np.log1p(np.exp(-1.0))  # log-sum-exp = 1000 + r (+ e^-1000, far below float64)
    np.testing.assert_allclose(big, [[-r, -1.0 - r, -1000.0 - r]], rtol=1e-15)


def test_the_reference_losses_match_their_definitions() -> None:
    rng = np.random.default_rng(6)
    z, labels = rng.normal(size=(4, 3)), np.array([0, 2, 1, 1])
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert np.isclose(mean_cross_entropy(z, labels), -np.log(p[np.arange(4), labels]).mean())
    y = rng.integers(0, 2, (4, 3)).astype(float)
    a = 1 / (1 + np.exp(-z))
    assert np.isclose(mean_bce(z, y), np.mean(-y * np.log(a) - (1 - y) * np.log(1 - a)))
    assert np.isfinite(mean_bce(np.array([800.0, -800.0]), np.array([0.0, 1.0])))


def test_big_logit_cases_really_overflow_a_naive_softmax() -> None:
    ex = EXERCISES["stable_log_softmax"]
    for seed in range(5):
        (z,) = ex.make_inputs(np.random.default_rng(seed))
        assert (z.max(axis=1) > 710).any() and (z.max(axis=1) < -745).any()
        assert np.isfinite(log_softmax_reference(z)).all()


globals().update(standard_exercise_tests(6, SOLUTIONS, WRONG))
