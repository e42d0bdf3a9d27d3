"""Chapter 5's checkers accept correct answers, reject typical wrong ones in words, never raise."""

from __future__ import annotations

import numpy as np
import pytest
from exercise_suite import standard_exercise_tests

from backprop_course import layers
from backprop_course.exercises import EXERCISES, check
from backprop_course.exercises.matrix_backprop import two_layer_loss


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def jacobian_of_sigmoid(z):
    s = _sigmoid(z)
    return np.diag(s * (1 - s))


def dense_backward_by_hand(dout, x, W):
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


def hidden_delta(delta_next, W_next, a):
    return (delta_next @ W_next.T) * a * (1 - a)


def two_layer_grads(x, y, W1, b1, W2, b2):
    a1 = _sigmoid(x @ W1 + b1)
    a2 = a1 @ W2 + b2
    delta2 = 2 * (a2 - y) / y.size
    delta1 = (delta2 @ W2.T) * a1 * (1 - a1)
    return x.T @ delta1, delta1.sum(axis=0), a1.T @ delta2, delta2.sum(axis=0)


def two_layer_grads_with_package(x, y, W1, b1, W2, b2):
    """The same gradients by chaining the package's layers, as the chapter does."""
    z1, c1 = layers.dense_forward(x, W1, b1)
    a1, s1 = layers.sigmoid_forward(z1)
    a2, c2 = layers.dense_forward(a1, W2, b2)
    _, cl = layers.mse_forward(a2, y)
    da1, dW2, db2 = layers.dense_backward(layers.mse_backward(1.0, cl), c2)
    _, dW1, db1 = layers.dense_backward(layers.sigmoid_backward(da1, s1), c1)
    return dW1, db1, dW2, db2


SOLUTIONS = {
    "jacobian_of_sigmoid": jacobian_of_sigmoid,
    "dense_backward_by_hand": dense_backward_by_hand,
    "hidden_delta": hidden_delta,
    "two_layer_grads": two_layer_grads,
}

WRONG = {
    "jacobian_of_sigmoid": [
        # the vector of slopes instead of the matrix
        (lambda z: _sigmoid(z) * (1 - _sigmoid(z)), "shape"),
        # every entry filled, as if each output depended on every input
        (lambda z: np.outer(_sigmoid(z) * (1 - _sigmoid(z)), np.ones_like(z)), "expected"),
        (lambda z: np.diag(_sigmoid(z)), "expected"),
    ],
    "dense_backward_by_hand": [
        # the mean over the batch instead of the sum
        (lambda dout, x, W: (dout @ W.T, x.T @ dout, dout.mean(axis=0)), "db"),
        # the transposed weight gradient has the wrong shape unless W is square
        (lambda dout, x, W: (dout @ W.T, dout.T @ x, dout.sum(axis=0)), "expected"),
        (lambda dout, x, W: (dout @ W.T, x.T @ dout), "tuple of 3"),
        (lambda dout, x, W: (-dout @ W.T, x.T @ dout, dout.sum(axis=0)), "dx"),
    ],
    "hidden_delta": [
        # forgetting the slope of the sigmoid
        (lambda delta_next, W_next, a: delta_next @ W_next.T, "expected"),
        # the slope written with the activation in place of z: sigma(a)(1 - sigma(a))
        (
            lambda delta_next, W_next, a: (delta_next @ W_next.T)
            * _sigmoid(a)
            * (1 - _sigmoid(a)),
            "expected",
        ),
    ],
    "two_layer_grads": [
        # the mean over examples only, not over every entry (wrong when D_out > 1)
        (
            lambda x, y, W1, b1, W2, b2: tuple(
                g * y.shape[1] for g in two_layer_grads(x, y, W1, b1, W2, b2)
            ),
            "times the right one",
        ),
        # forgetting the factor 2 of the square
        (
            lambda x, y, W1, b1, W2, b2: tuple(
                g / 2 for g in two_layer_grads(x, y, W1, b1, W2, b2)
            ),
            "0.5 times the right one",
        ),
        # a sigmoid slope at the linear output
        (
            lambda x, y, W1, b1, W2, b2: _with_output_slope(x, y, W1, b1, W2, b2),
            "expected",
        ),
    ],
}


def _with_output_slope(x, y, W1, b1, W2, b2):
    a1 = _sigmoid(x @ W1 + b1)
    a2 = a1 @ W2 + b2
    delta2 = 2 * (a2 - y) / y.size * a2 * (1 - a2)
    delta1 = (delta2 @ W2.T) * a1 * (1 - a1)
    return x.T @ delta1, delta1.sum(axis=0), a1.T @ delta2, delta2.sum(axis=0)


def test_the_package_layers_solve_two_layer_grads() -> None:
    assert check("two_layer_grads", two_layer_grads_with_package, quiet=True, seed=5).passed


def test_expected_answers_come_from_the_definitions() -> None:
    """The numerical answers agree with the formulas they must not be built from."""
    rng = np.random.default_rng(0)
    for name, solution in SOLUTIONS.items():
        ex = EXERCISES[name]
        for _ in range(3):
            args = ex.make_inputs(rng)
            expected = ex.expected(*args)
            got = solution(*args)
            got = got if isinstance(got, tuple) else (got,)
            for e, g in zip(expected, got, strict=True):
                np.testing.assert_allclose(g, e, rtol=1e-6, atol=1e-8)


def test_two_layer_loss_is_the_package_mse() -> None:
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(3, 2)), rng.normal(size=(3, 4))
    W1, b1 = rng.normal(size=(2, 5)), rng.normal(size=5)
    W2, b2 = rng.normal(size=(5, 4)), rng.normal(size=4)
    out = _sigmoid(x @ W1 + b1) @ W2 + b2
    assert two_layer_loss(x, y, W1, b1, W2, b2) == pytest.approx(layers.mse_forward(out, y)[0])


globals().update(standard_exercise_tests(5, SOLUTIONS, WRONG, wrong_seeds=(0, 1, 2)))
