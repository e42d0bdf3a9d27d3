"""Layer normalisation as a forward/backward pair (chapter 14).

Each example (each row of ``x``, or each position of a sequence) is normalised over its
own D features, then scaled and shifted by learned ``gamma`` and ``beta`` of shape (D,):

    μ = (1/D) Σ_d x_d,   var = (1/D) Σ_d (x_d - μ)²,
    x_hat = (x - μ) / √(var + eps),   y = γ x_hat + β.

It is batch normalisation (``layers.normalization``) turned by 90 degrees: the statistics
are taken along the *last* axis instead of along the batch, so an example's output does not
depend on the other examples, the layer behaves the same in training and evaluation, and a
batch of one is fine. ``x`` may have any leading axes: (N, D), or (N, T, D) for sequences.
The backward pass is batch normalisation's formula along the feature axis:

    dx = (D g - Σ_d g - x_hat Σ_d g x_hat) / (D √(var + eps)),   g = dout γ.
"""

from __future__ import annotations

import numpy as np

from ..checks import positive_number as _positive_number
from ..checks import real_array as _float_array
from ..checks import same_shape as _same_shape
from ..checks import unpack_cache as _unpack_cache

__all__ = ["layernorm_forward", "layernorm_backward"]

_CACHE = (np.ndarray, 1, np.ndarray)  # x_hat (..., D), gamma (D,), inv_std (..., 1)


def layernorm_forward(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5
) -> tuple[np.ndarray, tuple]:
    """Layer normalisation: every example normalised over its last axis (its D features).

    Parameters
    ----------
    x : numpy.ndarray, shape (..., D)
        Examples along the leading axes, e.g. (N, D) or (N, T, D); D >= 1.
    gamma : numpy.ndarray, shape (D,)
    beta : numpy.ndarray, shape (D,)
    eps : float, default 1e-5
        Added to the variance (PyTorch's default for ``nn.LayerNorm``).

    Returns
    -------
    y : numpy.ndarray, shape of ``x``
    cache : tuple
        ``(x_hat, gamma, inv_std)``, ``inv_std = 1/√(var + eps)`` of shape (..., 1).

    Raises
    ------
    TypeError
        If an array is not real numbers or ``eps`` is not a number.
    ValueError
        If ``x`` has no axis or no features, ``gamma`` or ``beta`` is not (D,), an array
        holds NaN or inf, or ``eps`` is not a positive finite number.
    """
    where = "layernorm_forward"
    x = _float_array(x, "x", where)
    gamma, beta = _float_array(gamma, "gamma", where), _float_array(beta, "beta", where)
    if x.ndim == 0 or x.shape[-1] == 0:
        raise ValueError(f"layernorm_forward needs x of shape (..., D) with D >= 1, got {x.shape}")
    D = x.shape[-1]
    if gamma.shape != (D,) or beta.shape != (D,):
        raise ValueError(
            f"layernorm_forward: gamma {gamma.shape} and beta {beta.shape} must both have shape "
            f"({D},), the last axis of x {x.shape}"
        )
    eps = _positive_number(eps, "eps", where)
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def layernorm_backward(
    dout: np.ndarray, cache: tuple
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of layer normalisation: batch norm's short formula along the feature axis.

    With ``g = dout * gamma`` = dL/d(x_hat), for every example,

        dx = (D g - Σ_d g_d - x_hat Σ_d g_d x_hat_d) / (D √(var + eps)),

    the direct path, minus the path through μ, minus the path through var. Every row of
    ``dx`` sums to 0. ``dgamma`` and ``dbeta`` add up over every leading axis.

    Parameters
    ----------
    dout : numpy.ndarray, shape (..., D)
    cache : tuple
        From :func:`layernorm_forward`.

    Returns
    -------
    dx : numpy.ndarray, shape (..., D)
    dgamma : numpy.ndarray, shape (D,)
    dbeta : numpy.ndarray, shape (D,)

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`layernorm_forward` returned, or ``dout`` is not numbers.
    ValueError
        If ``dout`` does not have the output's shape, or holds NaN or inf.
    """
    x_hat, gamma, inv_std = _unpack_cache(cache, "layernorm_backward", _CACHE)
    dout = _same_shape(dout, x_hat.shape, "layernorm_backward")
    D = x_hat.shape[-1]
    leading = tuple(range(x_hat.ndim - 1))
    dbeta = dout.sum(axis=leading)  # y = ... + beta
    dgamma = (dout * x_hat).sum(axis=leading)  # y = gamma x_hat + ...
    g = dout * gamma  # dL/dx_hat
    # three paths from x: direct, through the mean, through the variance
    dx = (inv_std / D) * (
        D * g - g.sum(axis=-1, keepdims=True)
        - x_hat * (g * x_hat).sum(axis=-1, keepdims=True)
    )
    return dx, dgamma, dbeta
