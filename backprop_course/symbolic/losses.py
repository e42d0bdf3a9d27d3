"""The losses of chapter 6 in SymPy: softmax, cross-entropy, binary cross-entropy and the
mean squared error.

Used by chapter 6 (and chapter 10: the softmax).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
import sympy as sp

from ._common import _expression

__all__ = ["softmax", "cross_entropy", "binary_cross_entropy", "mean_squared_error"]


def _expressions(values: object, what: str, *, vector: bool = True) -> tuple[sp.Expr, ...]:
    """The entries of a list, tuple, 1-D array or SymPy Matrix, each one expression.

    With ``vector`` a Matrix must be a row or a column: a 2-D one has no single order of
    its entries that the caller could mean.
    """
    if isinstance(values, str):
        raise TypeError(
            f"{what} must be a sequence (list, tuple or Matrix) of expressions, got the str "
            f"{values!r}; make symbols with sp.symbols('z_1:4', real=True)"
        )
    if isinstance(values, sp.Expr | numbers.Number) and not isinstance(values, sp.MatrixBase):
        raise TypeError(
            f"{what} must be a sequence (list, tuple or Matrix) of expressions, got the single "
            f"{type(values).__name__} {str(values)[:40]}; wrap it in a list: [{str(values)[:20]}]"
        )
    if isinstance(values, sp.MatrixBase):
        if vector and min(values.shape) > 1:
            raise ValueError(
                f"{what} must be a vector (one row or one column), got a {values.rows}x"
                f"{values.cols} Matrix; pass one row at a time, e.g. M.row(0)"
            )
        entries = list(values)
    elif isinstance(values, np.ndarray):
        if values.ndim != 1:
            raise ValueError(f"{what} must be a 1-D array, got shape {values.shape}")
        entries = values.tolist()
    else:
        try:
            entries = list(values)  # type: ignore[call-overload]
        except TypeError:
            raise TypeError(
                f"{what} must be a sequence (list, tuple or Matrix) of expressions, got "
                f"{type(values).__name__}"
            ) from None
    return tuple(_expression(v, f"{what}[{i}]") for i, v in enumerate(entries))


def _probability(value: sp.Expr, what: str) -> sp.Expr:
    """A number must lie in [0, 1]; a symbolic expression is taken as it is."""
    if value.is_number and value.is_real and not 0 <= float(value) <= 1:
        raise ValueError(f"{what} must be a probability in [0, 1], got {value}")
    return value


def softmax(z: Sequence[sp.Expr]) -> tuple[sp.Expr, ...]:
    """The softmax :math:`p_k = e^{z_k} / \\sum_j e^{z_j}` of the logits ``z``, entry by entry.

    Examples
    --------
    >>> z = sp.symbols("z_1:3")
    >>> softmax(z)[0]
    exp(z_1)/(exp(z_1) + exp(z_2))

    Raises
    ------
    TypeError
        If ``z`` is not a sequence (list, tuple, 1-D array, row or column Matrix) of
        expressions or numbers; a single expression included.
    ValueError
        If ``z`` is empty, or a Matrix with more than one row and column.
    """
    z = _expressions(z, "softmax: z")
    if len(z) == 0:
        raise ValueError("softmax needs at least one logit")
    exps = [sp.exp(zk) for zk in z]
    total = sum(exps, sp.Integer(0))
    return tuple(e / total for e in exps)


def cross_entropy(p: Sequence[sp.Expr], y: Sequence[sp.Expr]) -> sp.Expr:
    """The cross-entropy :math:`L = -\\sum_k y_k \\log p_k` of probabilities ``p``, target ``y``.

    With a one-hot target (:math:`y_c = 1` for the correct class c, 0 elsewhere)
    it is :math:`-\\log p_c`. ``p`` and ``y`` must have the same length.

    Raises
    ------
    TypeError
        If ``p`` or ``y`` is not a sequence of expressions or numbers (a class index
        such as ``y=2`` included: pass the one-hot row).
    ValueError
        If the lengths differ or are 0, or a number in ``p`` or ``y`` lies outside [0, 1].
    """
    if isinstance(y, numbers.Integral) and not isinstance(y, bool):
        raise TypeError(
            f"cross_entropy: y must be the target as a sequence (one-hot for a class), got the "
            f"int {y}; for class {y} pass [1 if k == {y} else 0 for k in range(len(p))]"
        )
    p = tuple(_probability(pk, f"cross_entropy: p[{k}]")
              for k, pk in enumerate(_expressions(p, "cross_entropy: p")))
    y = tuple(_probability(yk, f"cross_entropy: y[{k}]")
              for k, yk in enumerate(_expressions(y, "cross_entropy: y")))
    if len(p) == 0:
        raise ValueError("cross_entropy needs at least one class, got empty p and y")
    if len(p) != len(y):
        raise ValueError(
            f"cross_entropy needs as many targets as probabilities, got {len(y)} and {len(p)}"
        )
    return -sum((yk * sp.log(pk) for pk, yk in zip(p, y, strict=True)), sp.Integer(0))


def binary_cross_entropy(a: sp.Expr, y: sp.Expr) -> sp.Expr:
    """The binary cross-entropy :math:`L = -y \\log a - (1 - y) \\log(1 - a)` of one output.

    ``a`` is the predicted probability of class 1 (typically :math:`\\sigma(z)`) and
    ``y`` the target, 0 or 1.

    Raises
    ------
    TypeError
        If ``a`` or ``y`` is not one expression or real number (for several outputs, add
        up the loss of each).
    ValueError
        If ``a`` or ``y`` is a number outside [0, 1].
    """
    a = _probability(_expression(a, "binary_cross_entropy: a"), "binary_cross_entropy: a")
    y = _probability(_expression(y, "binary_cross_entropy: y"), "binary_cross_entropy: y")
    return -y * sp.log(a) - (1 - y) * sp.log(1 - a)


def mean_squared_error(a: Sequence[sp.Expr], y: Sequence[sp.Expr]) -> sp.Expr:
    """The mean squared error :math:`L = \\frac1n \\sum_i (a_i - y_i)^2` over every entry.

    The same definition as :func:`backprop_course.losses.mse` (no factor
    :math:`\\frac12`). ``a`` and ``y`` must have the same length; two Matrices must
    have the same shape, and their entries are taken row by row.

    Raises
    ------
    TypeError
        If ``a`` or ``y`` is not a sequence (list, tuple, 1-D array or Matrix) of
        expressions or numbers.
    ValueError
        If they are empty, of different lengths, or Matrices of different shapes.
    """
    if (isinstance(a, sp.MatrixBase) and isinstance(y, sp.MatrixBase)
            and a.shape != y.shape):
        raise ValueError(
            f"mean_squared_error needs a and y of the same shape, got {a.shape} and {y.shape}"
        )
    a = _expressions(a, "mean_squared_error: a", vector=False)
    y = _expressions(y, "mean_squared_error: y", vector=False)
    if len(a) != len(y) or len(a) == 0:
        raise ValueError(
            f"mean_squared_error needs two non-empty sequences of the same length, "
            f"got {len(a)} and {len(y)}"
        )
    squares = sum(((ai - yi) ** 2 for ai, yi in zip(a, y, strict=True)), sp.Integer(0))
    return squares / len(a)
