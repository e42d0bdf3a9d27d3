"""Numerical helpers that several modules share: the logistic sigmoid, in its two stable forms.

The logistic function ``σ(z) = 1 / (1 + e^-z)``, written as it reads, overflows: ``e^-z`` is
infinite below ``z = -709.8`` and NumPy warns. The package computes it in one of two forms
that never overflow, each in one place:

- :func:`sigmoid` is ``½ (1 + tanh(z / 2))``, an identity of exact arithmetic. It is one
  ``tanh`` and no branch, and its error is below ``1e-15`` *in absolute terms* for every
  ``z``, which is all a gradient ``σ(z) - y`` or a training run needs. Every NumPy network of
  the course (the 1986 paper's nets, the populations of chapter 11, the layers of chapter 5,
  the binary cross-entropy's backward pass, the exercises' references) uses it, so their
  results agree to the last bit with the stored outputs of the book.
- :func:`two_branch_sigmoid` is ``1 / (1 + e^-z)`` for ``z >= 0`` and ``e^z / (1 + e^z)``
  below, with the exponent ``-|z|`` never positive. It is accurate *relative to its value*
  also for very negative ``z`` (``σ(-40) ≈ 4e-18``, where the tanh form returns 0), as a
  probability shown to a reader, or its logarithm, needs. :meth:`Tensor.sigmoid
  <backprop_course.tensor.Tensor.sigmoid>` and ``silu`` use it.

Chapter 6 (section 6.4) measures both against 30-digit values.

>>> import numpy as np
>>> from backprop_course.numerics import sigmoid, two_branch_sigmoid
>>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
array([0. , 0.5, 1. ])
>>> float(two_branch_sigmoid(np.array(-40.0))) > 0
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .checks import describe

__all__ = ["sigmoid", "two_branch_sigmoid"]


def _real(z: Any, where: str) -> np.ndarray:
    """``z`` as an array of real numbers, or a TypeError; no copy and no pass over the data."""
    arr = np.asarray(z)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{where}: z must be real numbers (a float array), got {describe(z)}")
    return arr


def sigmoid(z: Any) -> Any:
    """The logistic function ``1 / (1 + e^-z)``, elementwise, as ``½ (1 + tanh(z / 2))``.

    Parameters
    ----------
    z : array_like of real numbers
        Any shape; a number too.

    Returns
    -------
    numpy.ndarray or numpy.float64
        ``σ(z)``, of ``z``'s shape: never overflows, exact to below ``1e-15`` in absolute
        terms (see the module's text for why the package uses this form). NaN stays NaN.

    Raises
    ------
    TypeError
        If ``z`` is not real numbers (strings, complex, booleans, None).
    """
    z = _real(z, "sigmoid")
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), without overflow


def two_branch_sigmoid(z: Any) -> Any:
    """The logistic function, elementwise, accurate relative to its value for every ``z``.

    ``1 / (1 + e^-z)`` where ``z >= 0`` and ``e^z / (1 + e^z)`` where ``z < 0``: both
    computed from ``e^-|z|``, which never overflows. It takes what :func:`sigmoid` takes
    and refuses what it refuses (a TypeError for anything but real numbers).

    Returns
    -------
    numpy.ndarray
        ``σ(z)``, of ``z``'s shape, to a relative error below ``1e-15``. NaN stays NaN.
    """
    z = _real(z, "two_branch_sigmoid")
    e = np.exp(-np.abs(z))  # e^-|z| <= 1: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
