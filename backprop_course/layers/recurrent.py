"""A recurrent layer and backpropagation through time, as forward/backward pairs (chapter 12).

A vanilla (Elman) recurrent network reads a sequence one step at a time and
keeps a hidden state ``h`` of H numbers per example:

    h_t = tanh(x_t Wx + h_{t-1} Wh + b),    t = 1, ..., T,

with the same weights at every step. Shapes are batch first: a step's input
``x_t`` is (N, D), a sequence ``x`` is (N, T, D), hidden states are (N, H),
``Wx`` is (D, H), ``Wh`` is (H, H) and ``b`` is (H,).

Unrolled over T steps the network is a deep feed-forward network whose layers
share their weights. **Backpropagation through time** (BPTT) is backpropagation
on that unrolled graph: the gradient reaching ``h_t`` is its own share from the
loss plus what flows back from ``h_{t+1}``, and the weights' gradients are the
sums of the per-step gradients. **Truncated** BPTT stops the flow back through
time every ``truncate`` steps.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..checks import describe as _describe
from ..checks import real_array as _float_array
from ..checks import same_shape as _same_shape
from ..checks import unpack_cache as _unpack_cache
from ..checks import unpack_step_caches as _unpack_step_caches

__all__ = ["rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward"]


def _check_weights(Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray, where: str) -> None:
    if Wx.ndim != 2 or Wh.ndim != 2 or b.ndim != 1:
        raise ValueError(
            f"{where} needs Wx (D, H), Wh (H, H) and b (H,); got Wx {Wx.shape}, Wh {Wh.shape}, "
            f"b {b.shape}"
        )
    H = Wx.shape[1]
    if Wh.shape != (H, H):
        raise ValueError(
            f"{where}: Wh has shape {Wh.shape} but Wx {Wx.shape} has H = {H}: Wh must be (H, H)"
        )
    if b.shape != (H,):
        raise ValueError(
            f"{where}: b has shape {b.shape} but Wx {Wx.shape} has H = {H} hidden units"
        )


def _check_truncate(truncate: object) -> None:
    if truncate is None:
        return
    if isinstance(truncate, bool) or not isinstance(truncate, numbers.Integral):
        raise TypeError(
            f"rnn_backward: truncate must be a positive int or None, got {_describe(truncate)}"
        )
    if truncate < 1:
        raise ValueError(f"rnn_backward: truncate must be a positive int or None, got {truncate!r}")


_STEP_CACHE = (2, 2, 2, 2, 2)  # x_t, h_prev, Wx, Wh, h_t: 2-D arrays, for _unpack_cache


def _sequence_cache(cache: Any) -> list:
    """rnn_backward's cache: the non-empty list of step caches that rnn_forward returned."""
    return _unpack_step_caches(cache, "rnn_backward", _STEP_CACHE)


# --------------------------------------------------------------- one step
def rnn_step_forward(
    x_t: np.ndarray, h_prev: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, tuple]:
    """One step of a recurrent layer: ``h_t = tanh(x_t Wx + h_prev Wh + b)``.

    Parameters
    ----------
    x_t : numpy.ndarray, shape (N, D)
        The inputs at this step.
    h_prev : numpy.ndarray, shape (N, H)
        The hidden state of the step before.
    Wx : numpy.ndarray, shape (D, H)
    Wh : numpy.ndarray, shape (H, H)
    b : numpy.ndarray, shape (H,)

    Returns
    -------
    h_t : numpy.ndarray, shape (N, H)
    cache : tuple
        ``(x_t, h_prev, Wx, Wh, h_t)`` for :func:`rnn_step_backward`.

    Raises
    ------
    TypeError
        If an input is not an array of real numbers.
    ValueError
        If the shapes do not fit together (the message names them), or an input holds
        NaN or inf.
    """
    where = "rnn_step_forward"
    x_t, h_prev = _float_array(x_t, "x_t", where), _float_array(h_prev, "h_prev", where)
    Wx, Wh = _float_array(Wx, "Wx", where), _float_array(Wh, "Wh", where)
    b = _float_array(b, "b", where)
    _check_weights(Wx, Wh, b, where)
    if x_t.ndim != 2 or x_t.shape[1] != Wx.shape[0]:
        raise ValueError(
            f"rnn_step_forward: x_t has shape {x_t.shape} but Wx {Wx.shape} needs "
            f"(N, {Wx.shape[0]})"
        )
    if h_prev.shape != (x_t.shape[0], Wx.shape[1]):
        raise ValueError(
            f"rnn_step_forward: h_prev has shape {h_prev.shape} but x_t {x_t.shape} and Wx "
            f"{Wx.shape} need "
            f"({x_t.shape[0]}, {Wx.shape[1]})"
        )
    h_t = np.tanh(x_t @ Wx + h_prev @ Wh + b)
    return h_t, (x_t, h_prev, Wx, Wh, h_t)


def rnn_step_backward(dh: np.ndarray, cache: tuple) -> tuple[np.ndarray, ...]:
    """Gradients of one recurrent step, given ``dh`` = dL/dh_t.

    With ``δ = dh (1 - h_t²)`` (through the tanh), the step is a dense layer
    applied to two inputs at once: ``dx_t = δ Wxᵀ``, ``dh_prev = δ Whᵀ``,
    ``dWx = x_tᵀ δ``, ``dWh = h_prevᵀ δ``, ``db = Σ_n δ``.

    Returns
    -------
    dx_t : numpy.ndarray, shape (N, D)
    dh_prev : numpy.ndarray, shape (N, H)
    dWx : numpy.ndarray, shape (D, H)
    dWh : numpy.ndarray, shape (H, H)
    db : numpy.ndarray, shape (H,)

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`rnn_step_forward` returned, or ``dh`` is not numbers.
    ValueError
        If ``dh`` does not have h_t's shape, or holds NaN or inf.
    """
    x_t, h_prev, Wx, Wh, h_t = _unpack_cache(cache, "rnn_step_backward", _STEP_CACHE)
    dh = _same_shape(dh, h_t.shape, "rnn_step_backward")
    delta = dh * (1.0 - h_t * h_t)  # through the tanh
    dx_t, dh_prev = delta @ Wx.T, delta @ Wh.T
    return dx_t, dh_prev, x_t.T @ delta, h_prev.T @ delta, delta.sum(axis=0)


# ------------------------------------------------------- a whole sequence
def rnn_forward(
    x: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, tuple]:
    """Run a recurrent layer over whole sequences, from the initial state ``h0``.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, D)
        N sequences of T steps of D inputs.
    h0 : numpy.ndarray, shape (N, H)
    Wx : numpy.ndarray, shape (D, H)
    Wh : numpy.ndarray, shape (H, H)
    b : numpy.ndarray, shape (H,)

    Returns
    -------
    h : numpy.ndarray, shape (N, T, H)
        ``h[:, t]`` is the hidden state after step t (h_{t+1} in the 1-based
        notation of the book).
    cache : list
        One :func:`rnn_step_forward` cache per step, for :func:`rnn_backward`.

    Raises
    ------
    TypeError
        If an input is not an array of real numbers.
    ValueError
        If the sequence is empty (T = 0), the shapes do not fit together, or an input
        holds NaN or inf.
    """
    where = "rnn_forward"
    x = _float_array(x, "x", where)
    if x.ndim != 3:
        raise ValueError(f"rnn_forward needs x of shape (N, T, D), got {x.shape}")
    if x.shape[1] == 0:
        raise ValueError(f"rnn_forward got a sequence of length 0 (x has shape {x.shape})")
    h0, Wx = _float_array(h0, "h0", where), _float_array(Wx, "Wx", where)
    Wh, b = _float_array(Wh, "Wh", where), _float_array(b, "b", where)
    if Wx.ndim != 2 or x.shape[2] != Wx.shape[0]:
        raise ValueError(
            f"rnn_forward: x {x.shape} has D = {x.shape[2]} inputs per step, but Wx {Wx.shape} "
            f"must be ({x.shape[2]}, H)"
        )
    _check_weights(Wx, Wh, b, where)
    if h0.shape != (x.shape[0], Wx.shape[1]):
        time_major = h0.ndim == 2 and h0.shape[0] == x.shape[1] != x.shape[0]
        batch_first = " (x is batch first: (N, T, D), not (T, N, D))" if time_major else ""
        raise ValueError(
            f"rnn_forward: h0 has shape {h0.shape} but x {x.shape} and Wx {Wx.shape} need "
            f"({x.shape[0]}, {Wx.shape[1]}){batch_first}"
        )
    steps, h_t = [], h0
    for t in range(x.shape[1]):
        h_t, cache_t = rnn_step_forward(x[:, t], h_t, Wx, Wh, b)
        steps.append(cache_t)
    h = np.stack([cache_t[-1] for cache_t in steps], axis=1)
    return h, steps


def rnn_backward(
    dh: np.ndarray, cache: list, truncate: int | None = None
) -> tuple[np.ndarray, ...]:
    """Backpropagation through time: gradients of a recurrent layer.

    Walks the steps backwards. The gradient reaching ``h_t`` is ``dh[:, t]``
    (what the loss sends to it directly) plus ``dh_prev`` of step t + 1 (what
    flows back through time); each step's weight gradients are added up, since
    every step uses the same weights.

    Parameters
    ----------
    dh : numpy.ndarray, shape (N, T, H)
        dL/dh_t for every step, from the layers above only (not through time).
    cache : list
        From :func:`rnn_forward`.
    truncate : int, optional
        **Truncated BPTT.** Cut the sequence into chunks of k = ``truncate``
        steps (steps 0 .. k-1, k .. 2k-1, ...) and let no gradient flow from
        a chunk into the one before, as if the state passed between chunks
        were a constant. This is the gradient of a graph whose hidden state
        is detached every k steps; each chunk still sends its gradient to
        the weights. ``None`` (the default) or k >= T is full BPTT.

    Returns
    -------
    dx : numpy.ndarray, shape (N, T, D)
    dh0 : numpy.ndarray, shape (N, H)
        dL/dh0; with truncation, only the first chunk's share.
    dWx : numpy.ndarray, shape (D, H)
    dWh : numpy.ndarray, shape (H, H)
    db : numpy.ndarray, shape (H,)

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`rnn_forward` returned, ``dh`` is not numbers,
        or ``truncate`` is not an int.
    ValueError
        If ``dh`` does not have the shape of the hidden states, holds NaN or inf, or
        ``truncate`` < 1.
    """
    cache = _sequence_cache(cache)
    T = len(cache)
    _check_truncate(truncate)
    x_0, _, Wx, Wh, h_1 = cache[0]
    N, H = h_1.shape
    dh = _same_shape(dh, (N, T, H), "rnn_backward")
    dx = np.zeros((N, T, x_0.shape[1]))
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(H)
    through_time = np.zeros((N, H))  # dL/dh_t arriving from step t + 1
    for t in reversed(range(T)):
        grads = rnn_step_backward(dh[:, t] + through_time, cache[t])
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = grads
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
        cut = truncate is not None and t > 0 and t % truncate == 0
        through_time = np.zeros_like(dh_prev) if cut else dh_prev
    return dx, through_time, dWx, dWh, db
