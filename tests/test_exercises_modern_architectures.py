"""Chapter 14's checkers accept correct answers, reject typical wrong ones in words, never raise."""

from __future__ import annotations

import numpy as np
import pytest
from exercise_suite import standard_exercise_tests

from backprop_course import layers
from backprop_course.exercises import EXERCISES, check

# ------------------------------------------------------------ correct answers


def layernorm_backward_by_hand(dout, x, gamma, eps, *, var_path=True):
    mu, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    g = dout * gamma
    dx = g - g.mean(axis=1, keepdims=True)
    if var_path:
        dx = dx - x_hat * (g * x_hat).mean(axis=1, keepdims=True)
    return dx / std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_step_backward_by_hand(dh, dc, x, h_prev, c_prev, Wx, Wh, b, *, through_h=True):
    H = h_prev.shape[1]
    a = x @ Wx + h_prev @ Wh + b
    i, f, o = _sigmoid(a[:, :H]), _sigmoid(a[:, H:2 * H]), _sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    c = f * c_prev + i * g
    dc_t = dc + (dh * o * (1 - np.tanh(c) ** 2) if through_h else 0.0)
    da = np.concatenate([dc_t * g * i * (1 - i), dc_t * c_prev * f * (1 - f),
                         dh * np.tanh(c) * o * (1 - o), dc_t * i * (1 - g**2)], axis=1)
    return da @ Wx.T, da @ Wh.T, dc_t * f, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def attention_backward_by_hand(dout, q, k, v, *, scale=True, jacobian=True):
    d = q.shape[1]
    s = q @ k.T / np.sqrt(d)
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    dv = p.T @ dout
    dp = dout @ v.T
    ds = p * (dp - (dp * p).sum(axis=1, keepdims=True)) if jacobian else p * dp
    factor = 1 / np.sqrt(d) if scale else 1.0
    return ds @ k * factor, ds.T @ q * factor, dv


def layernorm_with_package(dout, x, gamma, eps):
    _, cache = layers.layernorm_forward(x, gamma, np.zeros_like(gamma), eps)
    return layers.layernorm_backward(dout, cache)


def lstm_with_package(dh, dc, x, h_prev, c_prev, Wx, Wh, b):
    _, _, cache = layers.lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)
    return layers.lstm_step_backward(dh, dc, cache)


def attention_with_package(dout, q, k, v):
    _, cache = layers.attention_forward(q, k, v)
    return layers.attention_backward(dout, cache)


SOLUTIONS = {
    "layernorm_backward_by_hand": layernorm_backward_by_hand,
    "lstm_step_backward_by_hand": lstm_step_backward_by_hand,
    "attention_backward_by_hand": attention_backward_by_hand,
}

PACKAGE = {
    "layernorm_backward_by_hand": layernorm_with_package,
    "lstm_step_backward_by_hand": lstm_with_package,
    "attention_backward_by_hand": attention_with_package,
}

# -------------------------------------------------------------- wrong answers

WRONG = {
    "layernorm_backward_by_hand": [
        # batch norm's axes: statistics over the batch instead of the features
        (lambda dout, x, gamma, eps: (
            (lambda xh, g, std: (g - g.mean(0) - xh * (g * xh).mean(0)) / std)(
                (x - x.mean(0)) / np.sqrt(x.var(0) + eps), dout * gamma, np.sqrt(x.var(0) + eps)),
            *layernorm_backward_by_hand(dout, x, gamma, eps)[1:]), "dx"),
        # forgetting the path through the variance
        (lambda *args: layernorm_backward_by_hand(*args, var_path=False), "dx"),
        # dgamma summed over the features instead of the examples
        (lambda dout, x, gamma, eps: (
            layernorm_backward_by_hand(dout, x, gamma, eps)[0],
            (dout * x).sum(axis=0), dout.sum(axis=0)), "dgamma"),
    ],
    "lstm_step_backward_by_hand": [
        # the cell state's gradient only from dc, not through h = o tanh(c)
        (lambda *args: lstm_step_backward_by_hand(*args, through_h=False), "expected"),
        # gates in the order i, f, g, o (PyTorch's), with this layout
        (lambda dh, dc, x, hp, cp, Wx, Wh, b: lstm_step_backward_by_hand(
            dh, dc, x, hp, cp,
            *(np.concatenate(np.split(W, 4, axis=-1)[:2] + np.split(W, 4, axis=-1)[:1:-1],
                             axis=-1) for W in (Wx, Wh, b))), "expected"),
        (lambda *args: lstm_step_backward_by_hand(*args)[:5], "tuple of 6"),
    ],
    "attention_backward_by_hand": [
        # forgetting the scale on the way back to q and k
        (lambda *args: attention_backward_by_hand(*args, scale=False), "dq"),
        # the softmax treated as elementwise: p * dp, no subtraction
        (lambda *args: attention_backward_by_hand(*args, jacobian=False), "dq"),
        # dv = p dout instead of p.T dout
        (lambda dout, q, k, v: (*attention_backward_by_hand(dout, q, k, v)[:2],
                                np.zeros_like(v)), "dv"),
    ],
}

# ---------------------------------------------------------------------- tests


@pytest.mark.parametrize("name", list(PACKAGE))
def test_the_package_layers_solve_the_exercises(name: str) -> None:
    for seed in (5, 6):
        result = check(name, PACKAGE[name], quiet=True, seed=seed)
        assert result.passed, result.message


def test_expected_answers_come_from_the_definitions() -> None:
    """The numerical answers agree with the formulas they must not be built from."""
    rng = np.random.default_rng(0)
    for name, solution in SOLUTIONS.items():
        ex = EXERCISES[name]
        for _ in range(3):
            args = ex.make_inputs(rng)
            for e, g in zip(ex.expected(*args), solution(*args), strict=True):
                np.testing.assert_allclose(g, e, rtol=1e-6, atol=1e-8)


globals().update(standard_exercise_tests(14, SOLUTIONS, WRONG, wrong_seeds=(0, 1, 2)))
