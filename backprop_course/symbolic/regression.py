"""The least-squares loss of a linear model on a symbolic data set, chapter 1's running
example (:func:`least_squares`).

Used by chapter 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..checks import positive_int, real_array
from ._common import _expression, _own_symbol, _symbol_tuple

__all__ = ["LeastSquares", "least_squares"]


@dataclass(frozen=True)
class LeastSquares:
    """The symbolic least-squares loss of a linear model, chapter 1's running example.

    With N examples of D features, the model predicts
    :math:`\\hat y_i = \\sum_j x_{ij} w_j + b` and the loss is the mean squared error

    .. math:: L = \\frac1N \\sum_{i=1}^{N} (\\hat y_i - y_i)^2 .

    Attributes
    ----------
    w : tuple of sympy.Symbol
        The weights :math:`w_1, \\dots, w_D` (just ``w`` when D = 1).
    b : sympy.Symbol
        The bias.
    x : tuple of tuple of sympy.Symbol
        The inputs, N rows of D symbols: ``x[i][j]`` is feature j of example i,
        named :math:`x_i` when D = 1 and :math:`x_{i,j}` otherwise (1-based).
    y : tuple of sympy.Symbol
        The targets :math:`y_1, \\dots, y_N`.
    predictions : tuple of sympy.Expr
        :math:`\\hat y_1, \\dots, \\hat y_N`.
    loss : sympy.Expr
        The mean squared error :math:`L`.
    """

    w: tuple[sp.Symbol, ...]
    b: sp.Symbol
    x: tuple[tuple[sp.Symbol, ...], ...]
    y: tuple[sp.Symbol, ...]
    predictions: tuple[sp.Expr, ...]
    loss: sp.Expr

    def __post_init__(self) -> None:
        """Build it with :func:`least_squares`; built by hand, the fields must fit together."""
        w = _symbol_tuple(self.w, "LeastSquares: w")
        y = _symbol_tuple(self.y, "LeastSquares: y")
        if not isinstance(self.b, sp.Symbol):
            raise TypeError(f"LeastSquares: b must be a SymPy symbol, got {self.b!r}")
        if not isinstance(self.x, tuple) or len(self.x) != len(y):
            raise ValueError(
                f"LeastSquares: x must be a tuple of one row per target ({len(y)}), got {self.x!r}"
            )
        for i, row in enumerate(self.x):
            if len(_symbol_tuple(row, f"LeastSquares: x[{i}]")) != len(w):
                raise ValueError(
                    f"LeastSquares: x[{i}] has {len(row)} symbols, but there are {len(w)} weights"
                )
        _expression(self.loss, "LeastSquares: loss")

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """The weights then the bias, which gradient descent adjusts."""
        return (*self.w, self.b)

    @property
    def inputs(self) -> tuple[sp.Symbol, ...]:
        """Every input symbol, row by row (example 1's features first)."""
        return tuple(s for row in self.x for s in row)

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        """Every free symbol of ``loss``, in the order w, b, x (row by row), y."""
        return (*self.parameters, *self.inputs, *self.y)

    def gradient(self, wrt: sp.Symbol) -> sp.Expr:
        """:math:`\\partial L / \\partial` ``wrt``, for a weight, the bias, an input or a target.

        ``wrt`` must be one of :attr:`variables`: a symbol made anew with the same name
        raises ValueError (it is another symbol, and the derivative would be 0).
        """
        return sp.diff(self.loss, _own_symbol(wrt, self.variables, "LeastSquares.gradient: wrt"))

    def hessian(self) -> sp.Matrix:
        """The (D + 1) x (D + 1) matrix of second derivatives of L in (w, b).

        L is quadratic in the parameters, so the Hessian depends only on the
        inputs: it is :math:`\\frac2N \\tilde X^\\top \\tilde X`, where
        :math:`\\tilde X` is the input matrix with a column of ones appended.
        """
        return sp.hessian(self.loss, self.parameters)

    def data(self, x: np.ndarray, y: np.ndarray) -> dict[sp.Symbol, float]:
        """Substitutions that put numbers in for the data symbols.

        Parameters
        ----------
        x : array_like
            Shape (N, D), or (N,) when D = 1.
        y : array_like
            Shape (N,).

        Returns
        -------
        dict
            ``{symbol: value}`` for every input and target, for ``expr.subs(...)``.

        Raises
        ------
        TypeError
            If ``x`` or ``y`` is not real numbers (strings, complex numbers, ragged lists).
        ValueError
            If a shape does not fit the loss, or a value is NaN or infinite.
        """
        n, d = len(self.x), len(self.w)
        x_arr = real_array(x, "x", "LeastSquares.data", float64=True)
        y_arr = real_array(y, "y", "LeastSquares.data", float64=True)
        if x_arr.ndim == 1 and d == 1:
            x_arr = x_arr[:, None]
        if x_arr.shape != (n, d) or y_arr.shape != (n,):
            raise ValueError(
                f"this loss has {n} examples of {d} features: x must have shape ({n}, {d}) "
                f"and y shape ({n},), got {x_arr.shape} and {y_arr.shape}"
            )
        values = dict(zip(self.inputs, (float(v) for v in x_arr.ravel()), strict=True))
        values.update(zip(self.y, (float(v) for v in y_arr), strict=True))
        return values


def least_squares(n_samples: int, n_features: int = 1) -> LeastSquares:
    """Build the mean squared error of a linear model on a symbolic data set.

    Parameters
    ----------
    n_samples : int
        N, how many examples (symbols :math:`x_1 \\dots x_N` and :math:`y_1 \\dots y_N`).
    n_features : int, default 1
        D, how many inputs each example has (and how many weights).

    Returns
    -------
    LeastSquares

    Raises
    ------
    ValueError
        If ``n_samples`` or ``n_features`` is not a positive int.

    Examples
    --------
    >>> ls = least_squares(2)
    >>> ls.loss
    (b + w*x_1 - y_1)**2/2 + (b + w*x_2 - y_2)**2/2
    >>> ls.gradient(ls.b)
    2*b + w*x_1 + w*x_2 - y_1 - y_2
    >>> ls.hessian()
    Matrix([
    [x_1**2 + x_2**2, x_1 + x_2],
    [      x_1 + x_2,         2]])
    """
    n_samples = positive_int(n_samples, "n_samples")
    n_features = positive_int(n_features, "n_features")
    if n_features == 1:
        w: tuple[sp.Symbol, ...] = (sp.Symbol("w", real=True),)
        x = tuple((sp.Symbol(f"x_{i}", real=True),) for i in range(1, n_samples + 1))
    else:
        w = sp.symbols(f"w_1:{n_features + 1}", real=True)
        x = tuple(
            tuple(sp.Symbol(f"x_{{{i},{j}}}", real=True) for j in range(1, n_features + 1))
            for i in range(1, n_samples + 1)
        )
    b = sp.Symbol("b", real=True)
    y = sp.symbols(f"y_1:{n_samples + 1}", real=True)
    predictions = tuple(
        sum((xi * wi for xi, wi in zip(row, w, strict=True)), sp.Integer(0)) + b for row in x
    )
    loss = sp.Rational(1, n_samples) * sum(
        ((p - t) ** 2 for p, t in zip(predictions, y, strict=True)), sp.Integer(0)
    )
    return LeastSquares(w=w, b=b, x=x, y=y, predictions=predictions, loss=loss)
