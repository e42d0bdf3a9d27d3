"""Batch normalisation's evaluation mode with running averages, and spatial batch
normalisation, as forward/backward pairs (what CS231n's assignments add to chapter 12's layer).

In training mode (:func:`~backprop_course.layers.normalization.batchnorm_forward`) each feature
is normalised with the batch's own mean and variance. A network that predicts one example at
a time has no batch, so during training it keeps **running averages** of the batch statistics,

    running_mean ← momentum · running_mean + (1 - momentum) · μ_batch,

and likewise for the variance (CS231n's and Keras's convention; PyTorch's ``momentum`` is
``1 - momentum`` here, and PyTorch averages the *unbiased* batch variance). In **evaluation
mode** those averages are constants, the layer is an affine map per feature,
``y = γ (x - m)/√(v + eps) + β``, and its backward pass is elementwise: the examples no
longer interact.

**Spatial** batch normalisation, for images (N, C, H, W), normalises each channel over the
batch *and* every pixel: it is batch normalisation of the (N·H·W, C) matrix whose rows are
the pixels.
"""

from __future__ import annotations

import numpy as np

from ..checks import positive_number as _positive_number
from ..checks import real_array as _float_array
from ..checks import real_number as _real_number
from ..checks import same_shape as _same_shape
from ..checks import unpack_cache as _unpack_cache
from .normalization import batchnorm_backward, batchnorm_forward

__all__ = [
    "batchnorm_running_update",
    "batchnorm_eval_forward",
    "batchnorm_eval_backward",
    "spatial_batchnorm_forward",
    "spatial_batchnorm_backward",
]

_EVAL_CACHE = (2, 1, 1)  # x_hat (N, D), gamma (D,), inv_std (D,)
_SPATIAL_CACHE = (tuple, tuple)  # the batch-norm cache, the images' shape


def _vector(a: object, name: str, D: int, where: str) -> np.ndarray:
    a = _float_array(a, name, where)
    if a.shape != (D,):
        raise ValueError(f"{where}: {name} has shape {a.shape}, expected ({D},) for {D} features")
    return a


def batchnorm_running_update(
    x: np.ndarray, running_mean: np.ndarray, running_var: np.ndarray, momentum: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """The running averages after one training batch ``x`` (new arrays; the old are kept).

    Parameters
    ----------
    x : numpy.ndarray, shape (N, D)
    running_mean, running_var : numpy.ndarray, shape (D,)
    momentum : float in [0, 1], default 0.9
        The weight of the old average (CS231n's convention).

    Returns
    -------
    running_mean, running_var : numpy.ndarray, shape (D,)
        ``momentum · old + (1 - momentum) · batch`` with the batch's mean and (biased)
        variance, as ``batchnorm_forward`` computes them.

    Raises
    ------
    TypeError
        If an array is not real numbers or ``momentum`` is not a number.
    ValueError
        If ``x`` is not a non-empty (N, D) batch, a running average is not (D,), or
        ``momentum`` is outside [0, 1].
    """
    where = "batchnorm_running_update"
    x = _float_array(x, "x", where)
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"{where} needs a non-empty batch x of shape (N, D), got {x.shape}")
    D = x.shape[1]
    running_mean = _vector(running_mean, "running_mean", D, where)
    running_var = _vector(running_var, "running_var", D, where)
    momentum = _real_number(momentum, "momentum", "a number in [0, 1]",
                            lambda v: 0.0 <= v <= 1.0, where)
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    return (momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


def batchnorm_eval_forward(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
    running_var: np.ndarray, eps: float = 1e-5,
) -> tuple[np.ndarray, tuple]:
    """Batch normalisation in evaluation mode: the running averages, not the batch's statistics.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, D)
        Any number of examples, one included.
    gamma, beta, running_mean, running_var : numpy.ndarray, shape (D,)
    eps : float, default 1e-5

    Returns
    -------
    y : numpy.ndarray, shape (N, D)
        ``gamma (x - running_mean) / √(running_var + eps) + beta``.
    cache : tuple
        ``(x_hat, gamma, inv_std)`` for :func:`batchnorm_eval_backward`.

    Raises
    ------
    TypeError
        If an array is not real numbers or ``eps`` is not a number.
    ValueError
        If ``x`` is not (N, D), another array is not (D,), ``running_var`` is negative, an
        array holds NaN or inf, or ``eps`` is not a positive finite number.
    """
    where = "batchnorm_eval_forward"
    x = _float_array(x, "x", where)
    if x.ndim != 2:
        raise ValueError(f"{where} needs x of shape (N, D), got {x.shape}")
    D = x.shape[1]
    gamma, beta = _vector(gamma, "gamma", D, where), _vector(beta, "beta", D, where)
    mean = _vector(running_mean, "running_mean", D, where)
    var = _vector(running_var, "running_var", D, where)
    if (var < 0).any():
        raise ValueError(f"{where}: running_var has a negative entry, {var.min():.3g}")
    eps = _positive_number(eps, "eps", where)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def batchnorm_eval_backward(
    dout: np.ndarray, cache: tuple
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of evaluation-mode batch norm: an affine map per feature, so elementwise.

    ``dx = dout γ / √(running_var + eps)`` (the statistics are constants: no paths through
    them), ``dgamma = Σ_n dout x_hat``, ``dbeta = Σ_n dout``.

    Returns
    -------
    dx : numpy.ndarray, shape (N, D)
    dgamma, dbeta : numpy.ndarray, shape (D,)

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`batchnorm_eval_forward` returned, or ``dout`` is not
        numbers.
    ValueError
        If ``dout`` does not have the output's shape, or holds NaN or inf.
    """
    x_hat, gamma, inv_std = _unpack_cache(cache, "batchnorm_eval_backward", _EVAL_CACHE)
    dout = _same_shape(dout, x_hat.shape, "batchnorm_eval_backward")
    return dout * gamma * inv_std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def spatial_batchnorm_forward(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5
) -> tuple[np.ndarray, tuple]:
    """Spatial batch normalisation of images, training mode: each channel over N, H and W.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, C, H, W)
    gamma, beta : numpy.ndarray, shape (C,)
    eps : float, default 1e-5

    Returns
    -------
    y : numpy.ndarray, shape (N, C, H, W)
    cache : tuple
        For :func:`spatial_batchnorm_backward`.

    Raises
    ------
    TypeError, ValueError
        As :func:`~backprop_course.layers.normalization.batchnorm_forward`, and ValueError
        if ``x`` is not 4-D.
    """
    x = _float_array(x, "x", "spatial_batchnorm_forward")
    if x.ndim != 4:
        raise ValueError(f"spatial_batchnorm_forward needs images x of shape (N, C, H, W), got "
                         f"{x.shape}")
    N, C, H, W = x.shape
    rows = x.transpose(0, 2, 3, 1).reshape(-1, C)  # one row per pixel, one column per channel
    y, cache = batchnorm_forward(rows, gamma, beta, eps)
    return y.reshape(N, H, W, C).transpose(0, 3, 1, 2), (cache, x.shape)


def spatial_batchnorm_backward(
    dout: np.ndarray, cache: tuple
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of spatial batch normalisation: batch norm's, on the pixels as rows.

    Returns
    -------
    dx : numpy.ndarray, shape (N, C, H, W)
    dgamma, dbeta : numpy.ndarray, shape (C,)

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`spatial_batchnorm_forward` returned, or ``dout`` is
        not numbers.
    ValueError
        If ``dout`` does not have the output's shape, or holds NaN or inf.
    """
    bn_cache, shape = _unpack_cache(cache, "spatial_batchnorm_backward", _SPATIAL_CACHE)
    dout = _same_shape(dout, shape, "spatial_batchnorm_backward")
    N, C, H, W = shape
    dx, dgamma, dbeta = batchnorm_backward(dout.transpose(0, 2, 3, 1).reshape(-1, C), bn_cache)
    return dx.reshape(N, H, W, C).transpose(0, 3, 1, 2), dgamma, dbeta
