"""The LSTM cell and backpropagation through time, as forward/backward pairs (chapter 14).

A long short-term memory (LSTM) layer keeps two states per example, the hidden state
``h`` and the **cell state** ``c``, both (N, H). One step computes four gates from the
same affine map, ``a = x_t Wx + h_{t-1} Wh + b`` of shape (N, 4H), split into four
blocks of H columns in the order i, f, o, g (CS231n's order):

    i = σ(a_i)  input gate      f = σ(a_f)  forget gate
    o = σ(a_o)  output gate     g = tanh(a_g)  candidate
    c_t = f ⊙ c_{t-1} + i ⊙ g,      h_t = o ⊙ tanh(c_t).

The cell state is updated by *addition*: ``∂c_t/∂c_{t-1} = diag(f)``, with no weight
matrix and no squashing slope in between. A forget gate near 1 copies the gradient back
through time almost unchanged; that additive path is why an LSTM's gradient survives
over many more steps than a vanilla RNN's (chapter 14 measures it).

Shapes are batch first: ``x_t`` (N, D), a sequence ``x`` (N, T, D), ``Wx`` (D, 4H),
``Wh`` (H, 4H), ``b`` (4H,). The sequence functions start from ``h0`` and a zero cell
state, as CS231n's do.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import real_array as _float_array
from ..checks import same_shape as _same_shape
from ..checks import unpack_cache as _unpack_cache
from ..checks import unpack_step_caches as _unpack_step_caches

__all__ = ["lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward"]

# x_t, h_prev, c_prev, Wx, Wh, i, f, o, g, c_t, tanh(c_t): for _unpack_cache
_STEP_CACHE = (2,) * 11


def _sigmoid(a: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(a))  # never overflows
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _check_weights(Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray, where: str) -> int:
    """H, after checking that Wx (D, 4H), Wh (H, 4H) and b (4H,) fit together."""
    if Wx.ndim != 2 or Wh.ndim != 2 or b.ndim != 1:
        raise ValueError(
            f"{where} needs Wx (D, 4H), Wh (H, 4H) and b (4H,); got Wx {Wx.shape}, "
            f"Wh {Wh.shape}, b {b.shape}"
        )
    four_H = Wx.shape[1]
    if four_H == 0 or four_H % 4:
        raise ValueError(
            f"{where}: Wx has shape {Wx.shape}: its {four_H} columns must be 4H > 0, the four "
            "gates i, f, o, g side by side"
        )
    H = four_H // 4
    if Wh.shape != (H, 4 * H):
        raise ValueError(f"{where}: Wh has shape {Wh.shape} but Wx {Wx.shape} needs ({H}, {4 * H})")
    if b.shape != (4 * H,):
        raise ValueError(f"{where}: b has shape {b.shape} but Wx {Wx.shape} needs ({4 * H},)")
    return H


# --------------------------------------------------------------- one step
def lstm_step_forward(
    x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray,
    Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, tuple]:
    """One LSTM step (CS231n's ``lstm_step_forward``: it returns ``h_t, c_t, cache``).

    Parameters
    ----------
    x_t : numpy.ndarray, shape (N, D)
    h_prev, c_prev : numpy.ndarray, shape (N, H)
        The hidden and cell states of the step before.
    Wx : numpy.ndarray, shape (D, 4H)
    Wh : numpy.ndarray, shape (H, 4H)
    b : numpy.ndarray, shape (4H,)
        The four gates' weights side by side, in the order i, f, o, g.

    Returns
    -------
    h_t, c_t : numpy.ndarray, shape (N, H)
    cache : tuple
        What :func:`lstm_step_backward` needs (inputs, gates, ``c_t`` and ``tanh(c_t)``).

    Raises
    ------
    TypeError
        If an input is not an array of real numbers.
    ValueError
        If the shapes do not fit together (the message names them), or an input holds
        NaN or inf.
    """
    where = "lstm_step_forward"
    x_t, h_prev = _float_array(x_t, "x_t", where), _float_array(h_prev, "h_prev", where)
    c_prev, Wx = _float_array(c_prev, "c_prev", where), _float_array(Wx, "Wx", where)
    Wh, b = _float_array(Wh, "Wh", where), _float_array(b, "b", where)
    H = _check_weights(Wx, Wh, b, where)
    if x_t.ndim != 2 or x_t.shape[1] != Wx.shape[0]:
        raise ValueError(
            f"{where}: x_t has shape {x_t.shape} but Wx {Wx.shape} needs (N, {Wx.shape[0]})"
        )
    for name, state in (("h_prev", h_prev), ("c_prev", c_prev)):
        if state.shape != (x_t.shape[0], H):
            raise ValueError(
                f"{where}: {name} has shape {state.shape} but x_t {x_t.shape} and Wx "
                f"{Wx.shape} need ({x_t.shape[0]}, {H})"
            )
    a = x_t @ Wx + h_prev @ Wh + b  # (N, 4H): the four gates' inputs
    i, f, o = _sigmoid(a[:, :H]), _sigmoid(a[:, H:2 * H]), _sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    c_t = f * c_prev + i * g  # the additive path
    tanh_c = np.tanh(c_t)
    h_t = o * tanh_c
    return h_t, c_t, (x_t, h_prev, c_prev, Wx, Wh, i, f, o, g, c_t, tanh_c)


def lstm_step_backward(
    dh: np.ndarray, dc: np.ndarray, cache: tuple
) -> tuple[np.ndarray, ...]:
    """Gradients of one LSTM step, given ``dh`` = dL/dh_t and ``dc`` = dL/dc_t.

    The gradient reaching the cell state is ``dc`` plus the path through
    ``h_t = o tanh(c_t)``: ``dc_t = dc + dh o (1 - tanh²c_t)``. Then, gate by gate,
    ``di = dc_t g``, ``df = dc_t c_prev``, ``do = dh tanh c_t``, ``dg = dc_t i``;
    through the gates' slopes ``σ' = s(1 - s)`` and ``tanh' = 1 - g²`` to ``da``; and the
    dense layer's equations for ``a = x_t Wx + h_prev Wh + b``. ``dc_prev = dc_t f``: the
    additive path, no matrix in between.

    Returns
    -------
    dx_t : numpy.ndarray, shape (N, D)
    dh_prev, dc_prev : numpy.ndarray, shape (N, H)
    dWx : numpy.ndarray, shape (D, 4H)
    dWh : numpy.ndarray, shape (H, 4H)
    db : numpy.ndarray, shape (4H,)

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`lstm_step_forward` returned, or ``dh`` / ``dc`` is
        not numbers.
    ValueError
        If ``dh`` or ``dc`` does not have the states' shape, or holds NaN or inf.
    """
    where = "lstm_step_backward"
    x_t, h_prev, c_prev, Wx, Wh, i, f, o, g, c_t, tanh_c = _unpack_cache(
        cache, where, _STEP_CACHE)
    dh = _same_shape(dh, c_t.shape, where)
    dc = _same_shape(dc, c_t.shape, f"{where} (dc)")
    dc_t = dc + dh * o * (1.0 - tanh_c**2)  # both paths into c_t
    da = np.concatenate([
        dc_t * g * i * (1.0 - i),  # input gate:  c_t = ... + i g,   i = σ(a_i)
        dc_t * c_prev * f * (1.0 - f),  # forget gate: c_t = f c_prev + ...
        dh * tanh_c * o * (1.0 - o),  # output gate: h_t = o tanh(c_t)
        dc_t * i * (1.0 - g**2),  # candidate:   c_t = ... + i g,   g = tanh(a_g)
    ], axis=1)
    # a = x_t Wx + h_prev Wh + b: the dense layer's three equations, for two inputs
    return (da @ Wx.T, da @ Wh.T, dc_t * f, x_t.T @ da, h_prev.T @ da, da.sum(axis=0))


# ------------------------------------------------------- a whole sequence
def _sequence_cache(cache: Any) -> list:
    """lstm_backward's cache: the non-empty list of step caches that lstm_forward returned."""
    return _unpack_step_caches(cache, "lstm_backward", _STEP_CACHE)


def lstm_forward(
    x: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, list]:
    """Run an LSTM over whole sequences from ``h0`` and a zero cell state.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, D)
    h0 : numpy.ndarray, shape (N, H)
    Wx : numpy.ndarray, shape (D, 4H)
    Wh : numpy.ndarray, shape (H, 4H)
    b : numpy.ndarray, shape (4H,)

    Returns
    -------
    h : numpy.ndarray, shape (N, T, H)
        ``h[:, t]`` is the hidden state after step t.
    cache : list
        One :func:`lstm_step_forward` cache per step (``cache[t][9]`` is ``c_t``).

    Raises
    ------
    TypeError
        If an input is not an array of real numbers.
    ValueError
        If the sequence is empty, the shapes do not fit together, or an input holds NaN
        or inf.
    """
    where = "lstm_forward"
    x = _float_array(x, "x", where)
    if x.ndim != 3:
        raise ValueError(f"lstm_forward needs x of shape (N, T, D), got {x.shape}")
    if x.shape[1] == 0:
        raise ValueError(f"lstm_forward got a sequence of length 0 (x has shape {x.shape})")
    h0, Wx = _float_array(h0, "h0", where), _float_array(Wx, "Wx", where)
    Wh, b = _float_array(Wh, "Wh", where), _float_array(b, "b", where)
    H = _check_weights(Wx, Wh, b, where)
    if x.shape[2] != Wx.shape[0]:
        raise ValueError(
            f"lstm_forward: x {x.shape} has D = {x.shape[2]} inputs per step, but Wx "
            f"{Wx.shape} must be ({x.shape[2]}, 4H)"
        )
    if h0.shape != (x.shape[0], H):
        raise ValueError(
            f"lstm_forward: h0 has shape {h0.shape} but x {x.shape} and Wx {Wx.shape} need "
            f"({x.shape[0]}, {H}) (x is batch first: (N, T, D))"
        )
    steps, h_t, c_t = [], h0, np.zeros_like(h0)
    hs = np.empty((x.shape[0], x.shape[1], H))
    for t in range(x.shape[1]):
        h_t, c_t, cache_t = lstm_step_forward(x[:, t], h_t, c_t, Wx, Wh, b)
        hs[:, t] = h_t
        steps.append(cache_t)
    return hs, steps


def lstm_backward(dh: np.ndarray, cache: list) -> tuple[np.ndarray, ...]:
    """Backpropagation through time for an LSTM.

    Walks the steps backwards carrying two gradients, dL/dh and dL/dc; the weights'
    gradients add up over the steps.

    Parameters
    ----------
    dh : numpy.ndarray, shape (N, T, H)
        dL/dh_t for every step, from the layers above only.
    cache : list
        From :func:`lstm_forward`.

    Returns
    -------
    dx : numpy.ndarray, shape (N, T, D)
    dh0 : numpy.ndarray, shape (N, H)
    dWx : numpy.ndarray, shape (D, 4H)
    dWh : numpy.ndarray, shape (H, 4H)
    db : numpy.ndarray, shape (4H,)

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`lstm_forward` returned, or ``dh`` is not numbers.
    ValueError
        If ``dh`` does not have the shape of the hidden states, or holds NaN or inf.
    """
    cache = _sequence_cache(cache)
    T = len(cache)
    x_0, _, _, Wx, Wh, *_, c_1, _ = cache[0]
    N, H = c_1.shape
    dh = _same_shape(dh, (N, T, H), "lstm_backward")
    dx = np.zeros((N, T, x_0.shape[1]))
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(4 * H)
    dh_next, dc_next = np.zeros((N, H)), np.zeros((N, H))  # arriving from step t + 1
    for t in reversed(range(T)):
        dx[:, t], dh_next, dc_next, dWx_t, dWh_t, db_t = lstm_step_backward(
            dh[:, t] + dh_next, dc_next, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_next, dWx, dWh, db
