"""Batch normalisation in training mode, as a forward/backward pair (chapter 12).

Each feature (column) of a batch ``x`` of shape (N, D) is normalised with the
mean and variance of that batch, then scaled and shifted by learned
parameters ``gamma`` and ``beta`` of shape (D,):

    μ = (1/N) Σ_n x_n,   var = (1/N) Σ_n (x_n - μ)²,
    x_hat_n = (x_n - μ) / √(var + eps),   y_n = γ x_hat_n + β,

with a small constant ``eps`` (1e-5 by default; papers write it ε). Every output
depends on every example of the batch through μ and var, which
is what makes the backward pass interesting. Written as a graph of small
operations it takes about ten backward steps; the chapter derives the
one-line formula used here.
"""

from __future__ import annotations

import numpy as np

from ..checks import positive_number as _positive_number
from ..checks import real_array as _float_array
from ..checks import same_shape as _same_shape
from ..checks import unpack_cache as _unpack_cache

__all__ = ["batchnorm_forward", "batchnorm_backward"]

_CACHE = (2, 1, 1)  # x_hat (N, D), gamma (D,), inv_std (D,): for _unpack_cache


def batchnorm_forward(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5
) -> tuple[np.ndarray, tuple]:
    """Batch normalisation of a batch (training mode: the batch's own statistics).

    Parameters
    ----------
    x : numpy.ndarray, shape (N, D)
        A batch of N examples with D features each; N >= 1.
    gamma : numpy.ndarray, shape (D,)
        Scale of each normalised feature.
    beta : numpy.ndarray, shape (D,)
        Shift of each normalised feature.
    eps : float, default 1e-5
        Added to the variance, so that a constant feature does not divide by 0.

    Returns
    -------
    y : numpy.ndarray, shape (N, D)
        ``gamma * x_hat + beta``, where each column of ``x_hat`` has mean 0
        and variance ``var / (var + eps)`` (just under 1).
    cache : tuple
        ``(x_hat, gamma, inv_std)`` with ``inv_std = 1 / √(var + eps)`` of
        shape (D,), for :func:`batchnorm_backward`.

    Raises
    ------
    TypeError
        If an array is not real numbers, or ``eps`` is not a number.
    ValueError
        If ``x`` is not a non-empty (N, D) batch, ``gamma`` or ``beta`` is not
        (D,), an array holds NaN or inf, or ``eps`` is not a positive finite number.
    """
    where = "batchnorm_forward"
    x = _float_array(x, "x", where)
    gamma, beta = _float_array(gamma, "gamma", where), _float_array(beta, "beta", where)
    if x.ndim != 2:
        raise ValueError(f"batchnorm_forward needs x of shape (N, D), got {x.shape}")
    N, D = x.shape
    if N == 0:
        raise ValueError(f"batchnorm_forward got an empty batch (x has shape {x.shape})")
    if gamma.shape != (D,) or beta.shape != (D,):
        raise ValueError(
            f"batchnorm_forward: gamma {gamma.shape} and beta {beta.shape} must both have shape "
            f"({D},) for x {x.shape}"
        )
    eps = _positive_number(eps, "eps", where)
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def batchnorm_backward(
    dout: np.ndarray, cache: tuple
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of batch normalisation, by the short formula of chapter 12.

    With ``g = dout * gamma`` = dL/d(x_hat), column by column,

        dx = (N g - Σ_n g_n - x_hat Σ_n g_n x_hat_n) / (N √(var + eps)):

    the gradient of a plain division by the standard deviation (``N g``),
    minus its mean (the path through μ) and minus its component along
    x_hat (the path through var). Hence every column of ``dx`` sums to 0
    and, but for a term of order eps/var, is orthogonal to x_hat.

    Parameters
    ----------
    dout : numpy.ndarray, shape (N, D)
        dL/dy.
    cache : tuple
        From :func:`batchnorm_forward`.

    Returns
    -------
    dx : numpy.ndarray, shape (N, D)
    dgamma : numpy.ndarray, shape (D,)
    dbeta : numpy.ndarray, shape (D,)

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`batchnorm_forward` returned, or ``dout`` is not numbers.
    ValueError
        If ``dout`` does not have the output's shape, or holds NaN or inf.
    """
    x_hat, gamma, inv_std = _unpack_cache(cache, "batchnorm_backward", _CACHE)
    dout = _same_shape(dout, x_hat.shape, "batchnorm_backward")
    N = x_hat.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    g = dout * gamma  # dL/dx_hat
    dx = (inv_std / N) * (
        N * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0)
    )
    return dx, dgamma, dbeta
