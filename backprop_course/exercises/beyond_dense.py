"""Exercises of the chapter "Beyond dense networks".

Every expected answer is a central difference of a forward pass written
independently of the layers the learner re-derives: ``np.correlate`` for the
1-D convolution, a reshape-and-max for pooling, the elementwise definition of
batch normalisation, and a plain loop of ``np.tanh`` for the recurrent layer.
The surrogate loss is always ``sum(out * dout)``, whose gradient with respect
to ``out`` is ``dout``, so its gradients are exactly what backprop passes on.
"""

from __future__ import annotations

import numpy as np

from .core import Output, ReferenceExercise, TrialExercise, compare, gradients_by_differences

__all__ = ["CHAPTER", "EXERCISES"]

CHAPTER = 12
"""The chapter that sets these exercises."""


def _gradients(forward, args: list, dout: np.ndarray) -> tuple:
    """Central differences of ``sum(forward(*args) * dout)`` w.r.t. every ``args[i]``: the
    scalar whose gradient with respect to the output is ``dout``."""
    return gradients_by_differences(lambda *a: float(np.sum(forward(*a) * dout)), args)


# ------------------------------------------------------------- conv1d_backward
def _conv1d(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.correlate(x, w, mode="valid")  # y[i] = sum_k x[i + k] w[k]


def _conv1d_case(rng: np.random.Generator) -> tuple:
    n = int(rng.integers(4, 9))
    k = int(rng.integers(2, 5))
    return rng.normal(size=n - k + 1), rng.normal(size=n), rng.normal(size=k)


def _conv1d_expected(dout: np.ndarray, x: np.ndarray, w: np.ndarray) -> tuple:
    return _gradients(_conv1d, [x, w], dout)


# ------------------------------------------------------------ maxpool_backward
def _maxpool(x: np.ndarray) -> np.ndarray:
    N, C, H, W = x.shape
    return x.reshape(N, C, H // 2, 2, W // 2, 2).max(axis=(3, 5))


def _maxpool_case(rng: np.random.Generator) -> tuple:
    N, C = int(rng.integers(1, 3)), int(rng.integers(1, 3))
    H, W = 2 * int(rng.integers(1, 4)), 2 * int(rng.integers(1, 4))
    size = N * C * H * W
    # distinct values at least 0.05 apart: no ties, and a nudge of 1e-6 never
    # changes which entry of a window is the largest
    x = (rng.permutation(size) * 0.1 + rng.uniform(0, 0.05, size)).reshape(N, C, H, W) - 1.0
    return rng.normal(size=(N, C, H // 2, W // 2)), np.round(x, 3)


def _maxpool_expected(dout: np.ndarray, x: np.ndarray) -> tuple:
    return _gradients(_maxpool, [x], dout)


def _maxpool_trial(fn, rng: np.random.Generator) -> str | None:
    """Compare with the numerical gradient; name the classic mistake of giving a
    share of the gradient to entries that are not their window's maximum."""
    dout, x = _maxpool_case(rng)
    (expected,) = _maxpool_expected(dout, x)
    got = fn(dout.copy(), x.copy())
    problem = compare(Output("dx"), expected, got)
    if problem is None:
        return None
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return problem
    if got.shape == expected.shape:
        leaks = np.argwhere((expected == 0) & (np.abs(got) > 1e-9))
        if len(leaks):
            idx = tuple(int(i) for i in leaks[0])
            return (
                f"entry {idx} of dx: expected 0, got {got[idx]:.6g}. x{list(idx)} = "
                f"{x[idx]:.4g} is not the largest entry of its 2 x 2 window, so nudging it does "
                "not change the output: only each window's maximum receives the gradient."
            )
    return f"{problem}\nThe input had shape {x.shape}."


# -------------------------------------------------- batchnorm_backward_by_hand
def _batchnorm(x: np.ndarray, gamma: np.ndarray, eps: float) -> np.ndarray:
    """The elementwise definition, with beta = 0 (it does not affect dx or dgamma)."""
    mu = np.mean(x, axis=0)
    var = np.mean((x - mu) ** 2, axis=0)
    return gamma * (x - mu) / np.sqrt(var + eps)


def _batchnorm_case(rng: np.random.Generator) -> tuple:
    N, D = int(rng.integers(3, 7)), int(rng.integers(1, 4))
    x = rng.normal(rng.normal(0.0, 2.0, size=D), rng.uniform(0.5, 2.0, size=D), size=(N, D))
    return rng.normal(size=(N, D)), x, rng.normal(size=D), 1e-5


def _batchnorm_expected(dout: np.ndarray, x: np.ndarray, gamma: np.ndarray, eps: float) -> tuple:
    dx, dgamma = _gradients(lambda x_, g_: _batchnorm(x_, g_, eps), [x, gamma], dout)
    beta = np.zeros(x.shape[1])
    (dbeta,) = _gradients(lambda b_: _batchnorm(x, gamma, eps) + b_, [beta], dout)
    return dx, dgamma, dbeta


# ------------------------------------------------------------------- rnn_bptt
def _rnn(x: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray):
    states, h = [], h0
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ Wx + h @ Wh + b)
        states.append(h)
    return np.stack(states, axis=1)


def _rnn_case(rng: np.random.Generator) -> tuple:
    N, T = int(rng.integers(1, 4)), int(rng.integers(2, 6))
    D, H = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    return (
        rng.normal(size=(N, T, H)),  # dh = dL/dh_t from the layers above
        rng.normal(size=(N, T, D)),  # x
        rng.normal(0.0, 0.5, size=(N, H)),  # h0
        rng.normal(0.0, 1.0 / np.sqrt(D), size=(D, H)),  # Wx
        rng.normal(0.0, 1.0 / np.sqrt(H), size=(H, H)),  # Wh
        rng.normal(0.0, 0.3, size=H),  # b
    )


def _rnn_expected(dh, x, h0, Wx, Wh, b) -> tuple:
    return _gradients(_rnn, [x, h0, Wx, Wh, b], dh)


EXERCISES = [
    ReferenceExercise(
        name="conv1d_backward",
        chapter=CHAPTER,
        task="For the 1-D convolution y[i] = sum_k x[i + k] w[k] (np.correlate(x, w, 'valid')), "
        "given dout = dL/dy, return (dx, dw) of the shapes of x and w.",
        signature="conv1d_backward(dout, x, w)",
        outputs=(Output("dx"), Output("dw")),
        make_inputs=_conv1d_case,
        expected=_conv1d_expected,
        hint="x[j] meets w[k] in output i = j - k, so dx[j] = sum_k dout[j - k] w[k]: a full "
        "convolution, np.convolve(dout, w, 'full'). w[k] meets x[i + k] in every output i, so "
        "dw[k] = sum_i dout[i] x[i + k]: np.correlate(x, dout, 'valid').",
        nudge="Write down which x[j] and w[k] meet in each output y[i]. Each gradient collects "
        "dout times the partner over every output the entry touches, and both sums are "
        "convolutions themselves.",
    ),
    TrialExercise(
        name="maxpool_backward",
        chapter=CHAPTER,
        task="For 2 x 2 max pooling with stride 2 of x (N, C, H, W), H and W even, given "
        "dout (N, C, H/2, W/2), return dx (N, C, H, W).",
        signature="maxpool_backward(dout, x)",
        hint="Only the largest entry of each window affects the output, with slope 1: dx is "
        "dout at each window's argmax and 0 elsewhere. One way: repeat the pooled maxima and "
        "dout back to (N, C, H, W) with np.repeat along axes 2 and 3, and keep dout where x "
        "equals the repeated maximum.",
        nudge="Ask which entries of a window change its maximum when nudged a little: the "
        "window's gradient goes there, and the others get none. dx has the shape of x.",
        trial=_maxpool_trial,
    ),
    ReferenceExercise(
        name="batchnorm_backward_by_hand",
        chapter=CHAPTER,
        task="For batch normalisation in training mode, y = gamma * (x - mu) / sqrt(var + eps) "
        "+ beta with the batch's mean mu and (biased) variance var of each column, given dout "
        "(N, D), x (N, D), gamma (D,) and eps, return (dx, dgamma, dbeta).",
        signature="batchnorm_backward_by_hand(dout, x, gamma, eps)",
        outputs=(Output("dx"), Output("dgamma"), Output("dbeta")),
        make_inputs=_batchnorm_case,
        expected=_batchnorm_expected,
        hint="Recompute x_hat = (x - mu) / sqrt(var + eps). dbeta = dout.sum(0), dgamma = "
        "(dout * x_hat).sum(0), and with g = dout * gamma: dx = (g - g.mean(0) - x_hat * "
        "(g * x_hat).mean(0)) / sqrt(var + eps). Dropping either mean drops a path of the graph.",
        nudge="dbeta and dgamma are sums over the batch. For dx, remember that mu and var depend "
        "on x too, so x reaches the output along three paths.",
    ),
    ReferenceExercise(
        name="rnn_bptt",
        chapter=CHAPTER,
        task="For the recurrent layer h_t = tanh(x_t Wx + h_{t-1} Wh + b) run over x (N, T, D) "
        "from h0 (N, H), given dh (N, T, H) = dL/dh_t from the layers above, return "
        "(dx, dh0, dWx, dWh, db) by backpropagation through time.",
        signature="rnn_bptt(dh, x, h0, Wx, Wh, b)",
        outputs=(Output("dx"), Output("dh0"), Output("dWx"), Output("dWh"), Output("db")),
        make_inputs=_rnn_case,
        expected=_rnn_expected,
        hint="Run the forward loop and keep every h_t. Then walk t from T - 1 down to 0 with a "
        "carry (zeros at first): delta = (dh[:, t] + carry) * (1 - h_t**2); dx[:, t] = delta @ "
        "Wx.T; add x_t.T @ delta to dWx, h_{t-1}.T @ delta to dWh, delta.sum(0) to db; the new "
        "carry is delta @ Wh.T. After step 0 the carry is dh0.",
        nudge="Run the forward loop keeping every hidden state, then walk back through time with "
        "a carried gradient: each step's state gets dh from above plus what flows back from the "
        "step after it.",
    ),
]
