"""Inverted dropout as a forward/backward pair, with training and evaluation modes (chapter 14).

In training mode every entry of ``x`` is kept with probability ``1 - p`` and set to 0
with probability ``p``; the kept entries are divided by ``1 - p``:

    out = x * m / (1 - p),    m_i ~ Bernoulli(1 - p) independently,

so that the expected value of every output is its input (``E[out] = x``). This is
*inverted* dropout: the rescaling happens during training, and in evaluation mode the
layer is the identity, with nothing to rescale. ``p`` is the probability of
*dropping* an entry, as in PyTorch's ``nn.Dropout(p)`` (CS231n's assignments call the
keep probability ``p``; the message of a bad ``p`` says which one this is).

The cache holds the *scaled* mask ``mask = m / (1 - p)``, 0 or ``1 / (1 - p)``, and the
backward pass multiplies by it: a dropped entry receives no gradient, a kept one receives
``dout / (1 - p)``.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..checks import describe as _describe
from ..checks import flag as _flag
from ..checks import real_array as _float_array
from ..checks import real_number as _real_number
from ..checks import same_shape as _same_shape
from ..checks import unpack_cache as _unpack_cache

__all__ = ["dropout_forward", "dropout_backward"]

_CACHE = (np.ndarray,)  # the scaled mask, of x's shape: 0 or 1/(1 - p)


def _generator(rng: Any, where: str) -> np.random.Generator:
    """``rng`` as a NumPy Generator: None (a fresh one), a non-negative int seed, or a Generator."""
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, bool) or not isinstance(rng, numbers.Integral):
        raise TypeError(
            f"{where}: rng must be None, an int seed or a numpy.random.Generator, got "
            f"{_describe(rng)}"
        )
    if rng < 0:
        raise ValueError(f"{where}: rng must be a non-negative seed, got {rng!r}")
    return np.random.default_rng(int(rng))


def dropout_forward(
    x: np.ndarray, p: float = 0.5, *, train: bool = True, rng: Any = None
) -> tuple[np.ndarray, tuple]:
    """Inverted dropout of ``x``: drop each entry with probability ``p`` in training mode.

    Parameters
    ----------
    x : numpy.ndarray, any shape
        The activations.
    p : float in [0, 1), default 0.5
        The probability of **dropping** an entry (PyTorch's convention).
    train : bool, default True
        Training mode (drop and rescale) or evaluation mode (the identity).
    rng : int, numpy.random.Generator or None
        Seed or generator of the mask; None draws a fresh one.

    Returns
    -------
    out : numpy.ndarray, shape of ``x``
        ``x * mask``, with ``mask`` 0 for a dropped entry and ``1 / (1 - p)`` for a kept one
        (all ones in evaluation mode).
    cache : tuple
        ``(mask,)`` for :func:`dropout_backward`.

    Raises
    ------
    TypeError
        If ``x`` is not real numbers, ``p`` is not a number, ``train`` is not a bool or
        ``rng`` is not a seed or Generator.
    ValueError
        If ``x`` holds NaN or inf, ``p`` is outside [0, 1) (``p = 1`` would drop
        everything and divide by 0), or the seed is negative.
    """
    where = "dropout_forward"
    x = _float_array(x, "x", where)
    p = _real_number(p, "p", "a drop probability in [0, 1) (PyTorch's p, not the keep "
                     "probability)", lambda v: 0.0 <= v < 1.0, where)
    train = _flag(train, f"{where}: train")
    gen = _generator(rng, where)
    if not train or p == 0.0:
        mask = np.ones_like(x)
    else:
        mask = (gen.random(x.shape) >= p) / (1.0 - p)  # keep with probability 1 - p
    return x * mask, (mask,)


def dropout_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """Gradient of dropout: ``dx = dout * mask``, the forward pass's scaled mask ``m / (1 - p)``.

    Parameters
    ----------
    dout : numpy.ndarray, shape of the output
    cache : tuple
        From :func:`dropout_forward`.

    Returns
    -------
    dx : numpy.ndarray, shape of ``x``

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`dropout_forward` returned, or ``dout`` is not numbers.
    ValueError
        If ``dout`` does not have the output's shape, or holds NaN or inf.
    """
    (mask,) = _unpack_cache(cache, "dropout_backward", _CACHE)
    return _same_shape(dout, mask.shape, "dropout_backward") * mask  # d(x * mask)/dx = mask
