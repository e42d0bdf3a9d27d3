"""Chapter 12's checkers accept correct answers, reject typical wrong ones in words, never raise."""

from __future__ import annotations

import numpy as np
import pytest
from exercise_suite import standard_exercise_tests

from backprop_course import layers
from backprop_course.exercises import EXERCISES, beyond_dense, check

# ------------------------------------------------------------ correct answers


def conv1d_backward(dout, x, w):
    return np.convolve(dout, w, mode="full"), np.correlate(x, dout, mode="valid")


def maxpool_backward(dout, x):
    N, C, H, W = x.shape
    windows = x.reshape(N, C, H // 2, 2, W // 2, 2)
    is_max = windows == windows.max(axis=(3, 5), keepdims=True)
    return (is_max * dout[:, :, :, None, :, None]).reshape(x.shape)


def maxpool_backward_with_package(dout, x):
    _, cache = layers.maxpool2d_forward(x, 2)
    return layers.maxpool2d_backward(dout, cache)


def batchnorm_backward_by_hand(dout, x, gamma, eps):
    mu, var = x.mean(axis=0), x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    g = dout * gamma
    dx = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / np.sqrt(var + eps)
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def batchnorm_with_package(dout, x, gamma, eps):
    _, cache = layers.batchnorm_forward(x, gamma, np.zeros_like(gamma), eps)
    return layers.batchnorm_backward(dout, cache)


def rnn_bptt(dh, x, h0, Wx, Wh, b, keep_time=True, slope=True):
    states = [h0]
    for t in range(x.shape[1]):
        states.append(np.tanh(x[:, t] @ Wx + states[-1] @ Wh + b))
    dx = np.zeros_like(x)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    carry = np.zeros_like(h0)
    for t in reversed(range(x.shape[1])):
        h_t, h_prev = states[t + 1], states[t]
        delta = (dh[:, t] + carry) * ((1 - h_t**2) if slope else 1.0)
        dx[:, t] = delta @ Wx.T
        dWx += x[:, t].T @ delta
        dWh += h_prev.T @ delta
        db += delta.sum(axis=0)
        carry = delta @ Wh.T if keep_time or t == 0 else np.zeros_like(h0)
    return dx, carry, dWx, dWh, db


def rnn_with_package(dh, x, h0, Wx, Wh, b):
    _, cache = layers.rnn_forward(x, h0, Wx, Wh, b)
    return layers.rnn_backward(dh, cache)


SOLUTIONS = {
    "conv1d_backward": conv1d_backward,
    "maxpool_backward": maxpool_backward,
    "batchnorm_backward_by_hand": batchnorm_backward_by_hand,
    "rnn_bptt": rnn_bptt,
}

PACKAGE = {
    "maxpool_backward": maxpool_backward_with_package,
    "batchnorm_backward_by_hand": batchnorm_with_package,
    "rnn_bptt": rnn_with_package,
}

# -------------------------------------------------------------- wrong answers


def _bn_mean_path_only(dout, x, gamma, eps):
    """Forgets the path through the variance."""
    std = np.sqrt(x.var(axis=0) + eps)
    g = dout * gamma
    dx, dgamma, dbeta = batchnorm_backward_by_hand(dout, x, gamma, eps)
    return (g - g.mean(axis=0)) / std, dgamma, dbeta


WRONG = {
    "conv1d_backward": [
        # sliding the kernel over dout without flipping it
        (lambda dout, x, w: (np.correlate(np.pad(dout, len(w) - 1), w, mode="valid"),
                             np.correlate(x, dout, mode="valid")), "dx"),
        # the weight gradient flipped
        (lambda dout, x, w: (np.convolve(dout, w, mode="full"),
                             np.convolve(x, dout, mode="valid")), "dw"),
        (lambda dout, x, w: np.convolve(dout, w, mode="full"), "tuple of 2"),
    ],
    "maxpool_backward": [
        # spreading the gradient evenly, as for average pooling
        (
            lambda dout, x: np.repeat(np.repeat(dout, 2, axis=2), 2, axis=3) / 4,
            "only each window's maximum receives the gradient",
        ),
        # copying it to every entry of the window
        (
            lambda dout, x: np.repeat(np.repeat(dout, 2, axis=2), 2, axis=3),
            "is not the largest entry of its 2 x 2 window",
        ),
        # the right entries, the wrong sign
        (lambda dout, x: -maxpool_backward(dout, x), "wrong sign"),
        (lambda dout, x: dout, "shape"),
    ],
    "batchnorm_backward_by_hand": [
        # dividing by the standard deviation only, as if mu and var were constants
        (
            lambda dout, x, gamma, eps: (
                dout * gamma / np.sqrt(x.var(axis=0) + eps),
                *batchnorm_backward_by_hand(dout, x, gamma, eps)[1:],
            ),
            "dx",
        ),
        (_bn_mean_path_only, "dx"),
        # the mean over the batch instead of the sum for dbeta
        (
            lambda dout, x, gamma, eps: (
                *batchnorm_backward_by_hand(dout, x, gamma, eps)[:2],
                dout.mean(axis=0),
            ),
            "dbeta",
        ),
    ],
    "rnn_bptt": [
        # no gradient through time: every step on its own
        (lambda *args: rnn_bptt(*args, keep_time=False), "expected"),
        # forgetting the slope of tanh
        (lambda *args: rnn_bptt(*args, slope=False), "expected"),
        # only the last step's weight gradient
        (
            lambda dh, x, h0, Wx, Wh, b: rnn_bptt(dh[:, -1:], x[:, -1:], h0, Wx, Wh, b),
            "expected",
        ),
    ],
}

# ---------------------------------------------------------------------- tests


@pytest.mark.parametrize("name", list(PACKAGE))
def test_the_package_layers_solve_the_exercises(name: str) -> None:
    for seed in (5, 6):
        result = check(name, PACKAGE[name], quiet=True, seed=seed)
        assert result.passed, result.message


def _cases(name: str, rng: np.random.Generator):
    """The inputs and numerical answers of one random case of exercise ``name``."""
    if name == "maxpool_backward":  # a custom exercise: its trial draws the inputs
        args = beyond_dense._maxpool_case(rng)
        return args, beyond_dense._maxpool_expected(*args)
    ex = EXERCISES[name]
    args = ex.make_inputs(rng)
    return args, ex.expected(*args)


def test_expected_answers_come_from_the_definitions() -> None:
    """The numerical answers agree with the formulas they must not be built from."""
    rng = np.random.default_rng(0)
    for name, solution in SOLUTIONS.items():
        for _ in range(3):
            args, expected = _cases(name, rng)
            got = solution(*args)
            got = got if isinstance(got, tuple) else (got,)
            for e, g in zip(expected, got, strict=True):
                np.testing.assert_allclose(g, e, rtol=1e-6, atol=1e-8)


def test_maxpool_inputs_have_no_ties() -> None:
    rng = np.random.default_rng(1)
    for _ in range(20):
        (_, x), _ = _cases("maxpool_backward", rng)
        assert np.diff(np.sort(x.ravel())).min() > 0.01


globals().update(standard_exercise_tests(12, SOLUTIONS, WRONG, wrong_seeds=(0, 1, 2)))
