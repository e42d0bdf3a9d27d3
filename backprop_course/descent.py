"""Plain gradient descent: the update rule of chapter 1, and the path it takes.

Training a model means lowering a loss :math:`L(w)` by repeating the step

.. math:: w_{k+1} = w_k - \\eta \\, \\nabla L(w_k)

with a learning rate :math:`\\eta > 0`. :func:`gradient_descent` runs this loop
and returns every iterate, so that a chapter can draw the path on the loss
curve or on a contour plot of the loss surface. It is deliberately the bare
rule: the optimizers used to train networks (SGD with momentum, Adam) come later.

A learning rate that is too large makes the iterates grow instead of settle.
That is a result to show, not an error: the function returns the path. Only
when the iterates overflow to infinity (or the gradient becomes NaN) does it
stop early, with a :class:`DivergenceWarning`.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable

import numpy as np

__all__ = ["gradient_descent", "DivergenceWarning"]


class DivergenceWarning(RuntimeWarning):
    """Gradient descent stopped early: an iterate was no longer a finite number."""


def gradient_descent(
    grad: Callable[[np.ndarray], np.ndarray | float],
    w0: np.ndarray | float,
    lr: float,
    steps: int,
) -> np.ndarray:
    """Run ``steps`` steps of gradient descent from ``w0`` and return every iterate.

    Each step is ``w = w - lr * grad(w)``.

    Parameters
    ----------
    grad : callable
        ``grad(w)`` returns the gradient of the loss at ``w``: an array of
        ``w0``'s shape (a number when ``w0`` is a number). It receives a float64
        copy of the current iterate, so it cannot change the path by accident.
    w0 : array_like
        The starting point, a number or an array of any shape.
    lr : float
        The learning rate :math:`\\eta`, a positive number.
    steps : int
        How many updates to make (0 returns just the start).

    Returns
    -------
    numpy.ndarray
        float64 array of shape ``(steps + 1, *w0.shape)``: row k is the iterate
        after k steps, row 0 is ``w0``. If the iterates diverge so far that an
        entry overflows to infinity or becomes NaN, the loop stops there and
        the path holds only the finite iterates (fewer than ``steps + 1`` rows);
        a :class:`DivergenceWarning` says at which step. Compare
        ``len(path)`` with ``steps + 1`` to detect it in code.

    Raises
    ------
    ValueError
        If ``lr`` is not a positive finite number, ``steps`` is negative or not
        an int, ``w0`` is empty or contains NaN or an infinity, or ``grad``
        returns an array of another shape than ``w0``.
    TypeError
        If ``w0`` or what ``grad`` returns is not made of real numbers, or ``grad``
        is not a function (checked when it is first called).

    Examples
    --------
    For :math:`L(w) = w^2` the gradient is :math:`2w`; with ``lr = 0.25`` every
    step halves ``w``:

    >>> gradient_descent(lambda w: 2 * w, 1.0, lr=0.25, steps=3)
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    w = _check_start(w0, lr, steps)
    path = [w]
    with np.errstate(over="ignore", invalid="ignore"):  # reported below
        for k in range(steps):
            g = _gradient_at(grad, w, k)  # grad(w), checked: shaped like w
            w = w - lr * g  # the update rule: a step against the gradient
            if not np.isfinite(w).all():  # overflowed: stop and say so
                _warn_divergence(k + 1, lr, g)
                break
            path.append(w)
    return np.array(path)


def _check_start(w0: np.ndarray | float, lr: float, steps: int) -> np.ndarray:
    """Validate the arguments; return ``w0`` as a float64 array."""
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive finite number, got {lr!r}")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
        raise ValueError(f"steps must be a non-negative int, got {steps!r}")
    if steps < 0:
        raise ValueError(f"steps must be a non-negative int, got {steps}")
    w = _real_array(w0, "w0")
    if w.size == 0:
        raise ValueError(f"w0 is empty (shape {w.shape}): there are no weights to descend")
    if not np.isfinite(w).all():
        raise ValueError(f"w0 must be finite, got {w0!r}")
    return w


def _gradient_at(grad: Callable, w: np.ndarray, k: int) -> np.ndarray:
    """Call ``grad`` on a copy of ``w``; check that the result is real and shaped like ``w``."""
    if not callable(grad):
        raise TypeError(
            f"gradient_descent: grad must be a function w -> the gradient at w (e.g. "
            f"lambda w: 2 * w), got {type(grad).__name__} {grad!r:.40}"
        )
    g = _real_array(grad(w.copy()), "grad(w)")
    if g.shape != w.shape:
        raise ValueError(
            f"grad returned an array of shape {g.shape} at step {k}, but w0 has shape "
            f"{w.shape}: the gradient must have the shape of the weights"
        )
    return g


def _warn_divergence(step: int, lr: float, g: np.ndarray) -> None:
    if np.isfinite(g).all():
        cause = "it overflowed"
        remedy = f"lr = {lr:g} is too large for this loss."
    else:  # grad itself gave NaN or inf at a finite point: lr may not be the culprit
        cause = "the gradient was not finite"
        remedy = (f"grad(w) returned NaN or inf at the finite iterate of step {step - 1}: "
                  f"either lr = {lr:g} is too large for this loss, or the gradient is "
                  "undefined there (check grad at that point).")
    warnings.warn(
        f"gradient descent diverged: at step {step} the iterate was no longer finite "
        f"({cause}). The path returned stops at the last finite iterate (step {step - 1}); "
        f"{remedy}",
        DivergenceWarning,
        stacklevel=3,
    )


def _real_array(value: object, what: str) -> np.ndarray:
    """``value`` as a float64 array, or a TypeError that says what it was instead."""
    data = value
    if not isinstance(value, np.ndarray) and hasattr(value, "data"):
        data = value.data  # a Tensor or a Value holds its numbers in .data
    try:
        arr = np.asarray(data)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{what} must be real numbers in a regular shape: {err}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{what} must be real numbers, got {type(value).__name__} ({arr.dtype})")
    return arr.astype(np.float64)
