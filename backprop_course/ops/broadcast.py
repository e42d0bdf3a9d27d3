"""Undoing NumPy broadcasting in a backward pass: :func:`unbroadcast` (chapter 8)."""

from __future__ import annotations

import numbers
from typing import Any, NoReturn

import numpy as np

__all__ = ["unbroadcast"]


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` down to ``shape``, undoing NumPy broadcasting.

    An operand of shape ``shape`` that was broadcast to ``grad.shape`` was used
    once for every entry along the broadcast axes, so by the multivariate chain
    rule its gradient is the sum over those axes.

    Parameters
    ----------
    grad : numpy.ndarray
        Gradient with respect to the broadcast result.
    shape : tuple of int
        The operand's own shape; ``grad.shape`` must be a broadcast of it.

    Returns
    -------
    numpy.ndarray
        An array of shape ``shape``.

    Raises
    ------
    ValueError
        If ``grad.shape`` is not a broadcast of ``shape`` (the sum would have another shape).
    TypeError
        If ``grad`` is not an array (or a Tensor) or ``shape`` not a tuple of ints.
    """
    try:
        if grad.shape == shape:
            return grad
        extra = grad.ndim - len(shape)  # leading axes that broadcasting added
    except (AttributeError, TypeError):  # not an array, or not a shape
        _not_a_broadcast(grad, shape)
    if extra < 0:
        _not_a_broadcast(grad, shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    # Axes where the operand had size 1 and was stretched.
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    if grad.shape != tuple(shape):
        _not_a_broadcast(grad, shape)
    return grad


def _not_a_broadcast(grad: Any, shape: Any) -> NoReturn:
    """Raise the error of :func:`unbroadcast` when ``grad`` is no broadcast of ``shape``."""
    if not hasattr(grad, "shape") or not hasattr(grad, "sum"):
        raise TypeError(f"unbroadcast needs an array as grad, got {type(grad).__name__}")
    if not isinstance(shape, tuple | list) or not all(
        isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 0 for n in shape
    ):
        raise TypeError(f"unbroadcast needs a shape (a tuple of ints), got {shape!r}")
    raise ValueError(
        f"unbroadcast: a gradient of shape {tuple(grad.shape)} is not a broadcast of the shape "
        f"{tuple(shape)} (it must have at least as many axes, and each of the shape's last "
        "axes must equal the gradient's or be 1)"
    )
