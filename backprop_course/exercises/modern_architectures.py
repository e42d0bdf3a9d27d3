"""Exercises of the chapter "Backprop through modern architectures".

Every expected answer is a central difference of a forward pass written here from the
definitions, independently of the layer pairs the learner re-derives: layer normalisation
row by row, one LSTM step gate by gate, and attention as ``softmax(q kᵀ/√d) v``. The
surrogate loss is ``sum(out * dout)``, whose gradient with respect to ``out`` is ``dout``.
"""

from __future__ import annotations

import numpy as np

from .core import Output, ReferenceExercise, gradients_by_differences

__all__ = ["CHAPTER", "EXERCISES"]

CHAPTER = 14
"""The chapter that sets these exercises."""


def _gradients(forward, args: list, dout) -> tuple:
    """Central differences of ``sum(forward(*args) * dout)`` w.r.t. every ``args[i]``."""
    return gradients_by_differences(lambda *a: float(np.sum(forward(*a) * dout)), args)


# ------------------------------------------------------ layernorm_backward_by_hand
def _layernorm(x, gamma, beta, eps):
    mu = x.mean(axis=1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def _layernorm_case(rng: np.random.Generator) -> tuple:
    N, D = int(rng.integers(1, 4)), int(rng.integers(3, 7))
    x = rng.normal(rng.normal(0.0, 2.0, size=(N, 1)), rng.uniform(0.5, 2.0, size=(N, 1)),
                   size=(N, D))
    return rng.normal(size=(N, D)), x, rng.normal(size=D), 1e-5


def _layernorm_expected(dout, x, gamma, eps) -> tuple:
    beta = np.zeros(x.shape[1])
    return _gradients(lambda x_, g_, b_: _layernorm(x_, g_, b_, eps), [x, gamma, beta], dout)


# ------------------------------------------------------ lstm_step_backward_by_hand
def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _lstm_step(x, h_prev, c_prev, Wx, Wh, b):
    """h_t and c_t side by side, (N, 2H): one output for the central differences."""
    H = h_prev.shape[1]
    a = x @ Wx + h_prev @ Wh + b
    i, f, o = _sigmoid(a[:, :H]), _sigmoid(a[:, H:2 * H]), _sigmoid(a[:, 2 * H:3 * H])
    c = f * c_prev + i * np.tanh(a[:, 3 * H:])
    return np.concatenate([o * np.tanh(c), c], axis=1)


def _lstm_case(rng: np.random.Generator) -> tuple:
    N, D, H = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
    return (
        rng.normal(size=(N, H)),  # dh = dL/dh_t
        rng.normal(size=(N, H)),  # dc = dL/dc_t from the step after
        rng.normal(size=(N, D)),  # x
        rng.normal(0.0, 0.5, size=(N, H)),  # h_prev
        rng.normal(size=(N, H)),  # c_prev
        rng.normal(0.0, 1.0 / np.sqrt(D), size=(D, 4 * H)),  # Wx
        rng.normal(0.0, 1.0 / np.sqrt(H), size=(H, 4 * H)),  # Wh
        rng.normal(0.0, 0.5, size=4 * H),  # b
    )


def _lstm_expected(dh, dc, x, h_prev, c_prev, Wx, Wh, b) -> tuple:
    return _gradients(_lstm_step, [x, h_prev, c_prev, Wx, Wh, b],
                      np.concatenate([dh, dc], axis=1))


# ------------------------------------------------------ attention_backward_by_hand
def _attention(q, k, v):
    s = q @ k.T / np.sqrt(q.shape[1])
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True) @ v


def _attention_case(rng: np.random.Generator) -> tuple:
    Tq, Tk = int(rng.integers(1, 5)), int(rng.integers(2, 5))
    d, dv = int(rng.integers(1, 5)), int(rng.integers(1, 4))
    return (rng.normal(size=(Tq, dv)), rng.normal(size=(Tq, d)), rng.normal(size=(Tk, d)),
            rng.normal(size=(Tk, dv)))


def _attention_expected(dout, q, k, v) -> tuple:
    return _gradients(_attention, [q, k, v], dout)


EXERCISES = [
    ReferenceExercise(
        name="layernorm_backward_by_hand",
        chapter=CHAPTER,
        task="For layer normalisation, y = gamma * (x - mu) / sqrt(var + eps) + beta with the "
        "mean mu and (biased) variance var of each ROW of x (N, D), given dout (N, D), x, "
        "gamma (D,) and eps, return (dx, dgamma, dbeta).",
        signature="layernorm_backward_by_hand(dout, x, gamma, eps)",
        outputs=(Output("dx"), Output("dgamma"), Output("dbeta")),
        make_inputs=_layernorm_case,
        expected=_layernorm_expected,
        hint="Batch norm's formula with the axes turned: x_hat = (x - mu) / std row by row, "
        "g = dout * gamma, dx = (g - g.mean(1, keepdims=True) - x_hat * (g * x_hat).mean(1, "
        "keepdims=True)) / std; dgamma = (dout * x_hat).sum(0) and dbeta = dout.sum(0) still "
        "sum over the examples.",
        nudge="The statistics are over the features of each example (axis 1), but gamma and "
        "beta are shared by every example, so their gradients still add up over axis 0.",
    ),
    ReferenceExercise(
        name="lstm_step_backward_by_hand",
        chapter=CHAPTER,
        task="For one LSTM step, a = x Wx + h_prev Wh + b split into i, f, o, g (H columns "
        "each, in that order), i, f, o = sigmoid, g = tanh, c = f c_prev + i g, h = o tanh(c), "
        "given dh = dL/dh and dc = dL/dc (N, H) from above, return (dx, dh_prev, dc_prev, "
        "dWx, dWh, db).",
        signature="lstm_step_backward_by_hand(dh, dc, x, h_prev, c_prev, Wx, Wh, b)",
        outputs=(Output("dx"), Output("dh_prev"), Output("dc_prev"), Output("dWx"),
                 Output("dWh"), Output("db")),
        make_inputs=_lstm_case,
        expected=_lstm_expected,
        hint="Recompute the gates. The cell gets dc_t = dc + dh * o * (1 - tanh(c)**2). Then "
        "da = [dc_t g i(1-i), dc_t c_prev f(1-f), dh tanh(c) o(1-o), dc_t i (1-g**2)] side by "
        "side; dx = da Wx.T, dh_prev = da Wh.T, dWx = x.T da, dWh = h_prev.T da, db = "
        "da.sum(0), and dc_prev = dc_t * f.",
        nudge="c_t reaches the loss twice: directly (dc) and through h = o tanh(c). Add both "
        "before going into the gates; the path back to c_prev is just the forget gate.",
    ),
    ReferenceExercise(
        name="attention_backward_by_hand",
        chapter=CHAPTER,
        task="For scaled dot-product attention out = softmax(q k.T / sqrt(d)) v (softmax along "
        "each row) with q (T_q, d), k (T_k, d), v (T_k, d_v), given dout (T_q, d_v), return "
        "(dq, dk, dv).",
        signature="attention_backward_by_hand(dout, q, k, v)",
        outputs=(Output("dq"), Output("dk"), Output("dv")),
        make_inputs=_attention_case,
        expected=_attention_expected,
        hint="With p the weights: dv = p.T dout, dp = dout v.T, ds = p * (dp - (dp * p).sum(1, "
        "keepdims=True)) (the softmax Jacobian diag(p) - p p.T, row by row), then dq = ds k / "
        "sqrt(d) and dk = ds.T q / sqrt(d).",
        nudge="Three matrix products and one softmax. Go back through out = p v first, then "
        "through the softmax one row at a time, and do not forget the scale 1/sqrt(d) on the "
        "way to q and k.",
    ),
]
