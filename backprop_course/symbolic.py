"""SymPy derivations that the chapters show and the tests reuse.

The course derives every gradient symbolically before it implements it. This
module keeps those derivations in one place, so that a chapter and a test derive
the *same* expression. For one sigmoid neuron with squared error,

.. math:: z = \\sum_i w_i x_i + b, \\qquad a = \\sigma(z), \\qquad L = \\tfrac12 (a - y)^2,

:func:`neuron` builds the expressions and the three chain-rule factors
:math:`\\partial L/\\partial a`, :math:`\\partial a/\\partial z` and
:math:`\\partial z/\\partial w_i`, and :func:`lambdify` turns any of them into a
NumPy function.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from .tensor import _as_array

__all__ = ["sigmoid", "Neuron", "neuron", "lambdify", "partial", "LeastSquares", "least_squares"]


# ------------------------------------------------------------------ validators
def _positive_int(name: str, value: object) -> int:
    """``value`` as an int, or ValueError "``name`` must be a positive int" (a bool is no int)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _expression(value: object, what: str) -> sp.Expr:
    """A SymPy expression, or a finite real number made into one; TypeError for anything else.

    A string is refused rather than parsed: ``"w"`` would become a new symbol that is not
    the one in the expressions (it lacks ``real=True``), and differentiating by it gives 0.
    """
    if isinstance(value, sp.MatrixBase):
        raise TypeError(
            f"{what} must be one SymPy expression, got a {value.rows}x{value.cols} Matrix; "
            "apply the function to each entry with M.applyfunc(...)"
        )
    if isinstance(value, sp.Expr):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if not np.isfinite(float(value)):
            raise ValueError(f"{what} must be a finite number, got {value!r}")
        return sp.sympify(value)
    hint = f"; make a symbol with sp.Symbol({value!r}, real=True)" if isinstance(value, str) else ""
    raise TypeError(
        f"{what} must be a SymPy expression or a real number, got {type(value).__name__} "
        f"{str(value)[:40]}{hint}"
    )


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


def _own_symbol(wrt: object, symbols: Sequence[sp.Symbol], what: str) -> sp.Symbol:
    """``wrt`` if it is one of ``symbols``; else a clear error (not a derivative of 0).

    A symbol made anew, such as ``sp.Symbol("w")``, is not the expression's ``w`` when the
    two differ in their assumptions (the course's symbols are ``real=True``), so
    differentiating by it would silently give 0.
    """
    names = ", ".join(str(s) for s in symbols)
    if not isinstance(wrt, sp.Symbol):
        raise TypeError(
            f"{what} must be one of the symbols {names}, got {type(wrt).__name__} {str(wrt)[:40]}"
        )
    if wrt not in symbols:
        same_name = any(str(s) == str(wrt) for s in symbols)
        why = (
            " (a symbol of the same name made anew has other assumptions; the course's "
            "symbols are real=True: take it from the object itself, e.g. n.w[0])"
            if same_name
            else ""
        )
        raise ValueError(f"{what} must be one of the symbols {names}, got {wrt}{why}")
    return wrt


def _real_array(value: Any, what: str) -> np.ndarray:
    """Finite real numbers as a float64 array (TypeError for strings, complex or objects)."""
    return _as_array(value, what).astype(np.float64, copy=False)


def _matrix(value: object, what: str) -> sp.Matrix:
    """A SymPy Matrix, or a 2-D array or list of rows made into one; TypeError otherwise."""
    if isinstance(value, sp.MatrixBase):
        return value
    rows = isinstance(value, list | tuple) and value and all(
        isinstance(r, list | tuple) for r in value
    )
    if isinstance(value, np.ndarray) and value.ndim == 2 or rows:
        return sp.Matrix(value)
    raise TypeError(
        f"{what} must be a SymPy Matrix (or a 2-D array), got {type(value).__name__} "
        f"{str(value)[:40]}"
    )


def sigmoid(z: sp.Expr) -> sp.Expr:
    """The logistic function :math:`\\sigma(z) = 1 / (1 + e^{-z})` as a SymPy expression.

    Raises
    ------
    TypeError
        If ``z`` is neither a SymPy expression nor a real number (a Matrix: use
        ``M.applyfunc(sigmoid)``; a string: make a symbol first).
    """
    z = _expression(z, "sigmoid: z")
    return 1 / (1 + sp.exp(-z))


def partial(of: str, wrt: str) -> sp.Symbol:
    """A symbol that displays as :math:`\\partial` ``of`` / :math:`\\partial` ``wrt``.

    Used on the left of an equation shown in a notebook, e.g.
    ``sp.Eq(partial("L", "a"), n.dL_da)`` shows :math:`\\frac{\\partial L}{\\partial a} = a - y`.
    ``of`` and ``wrt`` are the names (LaTeX allowed); a symbol stands for its name.

    Raises
    ------
    TypeError
        If ``of`` or ``wrt`` is neither a string nor a SymPy symbol.
    ValueError
        If a name is empty.
    """
    of, wrt = _name(of, "partial: of"), _name(wrt, "partial: wrt")
    return sp.Symbol(rf"\frac{{\partial {of}}}{{\partial {wrt}}}")


def _name(value: object, what: str) -> str:
    """A non-empty name: a string, or a symbol's name."""
    if isinstance(value, sp.Symbol):
        return value.name
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a name (a str or a SymPy symbol), got {value!r}")
    if not value.strip():
        raise ValueError(f"{what} must be a non-empty name, got {value!r}")
    return value


def _symbol_tuple(value: object, what: str) -> tuple[sp.Symbol, ...]:
    """A non-empty tuple of SymPy symbols, as the constructors of this module make them."""
    if not (isinstance(value, tuple) and value and all(isinstance(v, sp.Symbol) for v in value)):
        raise TypeError(f"{what} must be a non-empty tuple of SymPy symbols, got {value!r}")
    return value


@dataclass(frozen=True)
class Neuron:
    """The symbolic one-neuron network of chapter 2.

    Attributes
    ----------
    w : tuple of sympy.Symbol
        The weights :math:`w_1, \\dots, w_n` (just ``w`` when n = 1).
    x : tuple of sympy.Symbol
        The inputs :math:`x_1, \\dots, x_n`.
    b, y : sympy.Symbol
        The bias and the target.
    z, a : sympy.Symbol
        Symbols standing for the pre-activation and the activation, used to state
        each chain-rule factor on its own.
    z_expr, a_expr, loss : sympy.Expr
        :math:`z = w \\cdot x + b`, :math:`a = \\sigma(z)` and :math:`L = \\frac12 (a - y)^2`,
        each written in terms of the symbols of the step before it.
    """

    w: tuple[sp.Symbol, ...]
    x: tuple[sp.Symbol, ...]
    b: sp.Symbol
    y: sp.Symbol
    z: sp.Symbol
    a: sp.Symbol
    z_expr: sp.Expr
    a_expr: sp.Expr
    loss: sp.Expr

    def __post_init__(self) -> None:
        """Build it with :func:`neuron`; built by hand, the fields must fit together."""
        w = _symbol_tuple(self.w, "Neuron: w")
        x = _symbol_tuple(self.x, "Neuron: x")
        if len(w) != len(x):
            raise ValueError(f"Neuron: w and x need the same length, got {len(w)} and {len(x)}")
        for field in ("b", "y", "z", "a"):
            if not isinstance(getattr(self, field), sp.Symbol):
                raise TypeError(
                    f"Neuron: {field} must be a SymPy symbol, got {getattr(self, field)!r}"
                )
        for field in ("z_expr", "a_expr", "loss"):
            _expression(getattr(self, field), f"Neuron: {field}")

    def _weight(self, i: object) -> int:
        """The index of a weight, from 0 (w_1 is weight 0), checked against the weights."""
        n = len(self.w)
        if isinstance(i, bool) or not isinstance(i, numbers.Integral):
            raise TypeError(f"i must be an int from 0 to {n - 1} (counted from 0), got {i!r}")
        if not 0 <= i < n:
            raise ValueError(
                f"i must be an int from 0 to {n - 1}: this neuron has {n} weight(s), counted "
                f"from 0 (w_1 is i = 0), got {i}"
            )
        return int(i)

    @property
    def loss_full(self) -> sp.Expr:
        """L written directly in w, x, b and y, the composition with nothing left abstract."""
        return self.loss.subs(self.a, self.a_expr).subs(self.z, self.z_expr)

    @property
    def dL_da(self) -> sp.Expr:  # noqa: N802 (the book's symbol)
        """:math:`\\partial L / \\partial a = a - y`."""
        return sp.diff(self.loss, self.a)

    @property
    def da_dz(self) -> sp.Expr:
        """:math:`\\partial a / \\partial z = \\sigma'(z)`, as an expression in z."""
        return sp.diff(self.a_expr, self.z)

    def dz_dw(self, i: int = 0) -> sp.Expr:
        """:math:`\\partial z / \\partial w_i = x_i`; ``i`` counts from 0 (``w_1`` is 0).

        Raises ValueError for an index outside the weights (a negative one too),
        TypeError for one that is not an int.
        """
        return sp.diff(self.z_expr, self.w[self._weight(i)])

    def chain_rule(self, i: int = 0) -> sp.Expr:
        """The product :math:`\\frac{\\partial L}{\\partial a}\\frac{\\partial a}{\\partial z}
        \\frac{\\partial z}{\\partial w_i}`, written in w, x, b, y (``i`` as for :meth:`dz_dw`)."""
        product = self.dL_da * self.da_dz * self.dz_dw(i)
        return product.subs(self.a, self.a_expr).subs(self.z, self.z_expr)

    def gradient(self, wrt: sp.Symbol) -> sp.Expr:
        """:math:`\\partial L / \\partial` ``wrt`` by differentiating ``loss_full`` directly.

        ``wrt`` must be one of :attr:`variables` (``n.w[0]``, ``n.b``, ...): a symbol made
        anew with the same name is another symbol, and raises ValueError instead of
        giving a derivative of 0; a string raises TypeError.
        """
        return sp.diff(self.loss_full, _own_symbol(wrt, self.variables, "Neuron.gradient: wrt"))

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """The weights then the bias, which training adjusts."""
        return (*self.w, self.b)

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        """Every free symbol of ``loss_full``, in the order w, x, b, y."""
        return (*self.w, *self.x, self.b, self.y)


def neuron(n_inputs: int = 1) -> Neuron:
    """Build the symbolic sigmoid neuron with squared-error loss.

    Parameters
    ----------
    n_inputs : int, default 1
        How many inputs (and weights). With 1 the symbols are plain ``w`` and ``x``;
        with more they are ``w_1 ... w_n`` and ``x_1 ... x_n``.

    Returns
    -------
    Neuron

    Raises
    ------
    ValueError
        If ``n_inputs`` is not a positive int (a float or a bool included).
    """
    n_inputs = _positive_int("n_inputs", n_inputs)
    if n_inputs == 1:
        w: tuple[sp.Symbol, ...] = (sp.Symbol("w", real=True),)
        x: tuple[sp.Symbol, ...] = (sp.Symbol("x", real=True),)
    else:
        w = sp.symbols(f"w_1:{n_inputs + 1}", real=True)
        x = sp.symbols(f"x_1:{n_inputs + 1}", real=True)
    b, y, z, a = sp.symbols("b y z a", real=True)
    z_expr = sum((wi * xi for wi, xi in zip(w, x, strict=True)), sp.Integer(0)) + b
    return Neuron(
        w=w,
        x=x,
        b=b,
        y=y,
        z=z,
        a=a,
        z_expr=z_expr,
        a_expr=sigmoid(z),
        loss=sp.Rational(1, 2) * (a - y) ** 2,
    )


def lambdify(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> Callable[..., np.ndarray]:
    """Turn a SymPy expression into a NumPy function of ``symbols``, in that order.

    A thin wrapper of :func:`sympy.lambdify` with ``modules="numpy"``, so the
    result works elementwise on arrays.

    Examples
    --------
    >>> n = neuron()
    >>> f = lambdify(n.gradient(n.w[0]), n.variables)
    >>> round(float(f(0.5, 2.0, -1.0, 1.0)), 6)   # w, x, b, y
    -0.25

    Raises
    ------
    TypeError
        If ``expr`` is not a SymPy expression, a Matrix, a real number or a list of these,
        or ``symbols`` is not a symbol or a sequence of symbols.
    ValueError
        If ``expr`` depends on a symbol that is not listed (a symbol of the same name but
        other assumptions counts as another symbol, and the message says so), or a symbol
        is listed twice.
    """
    symbols = _symbol_list(symbols)
    missing = _free_symbols(expr, "lambdify: expr") - set(symbols)
    if missing:
        names = ", ".join(sorted(str(s) for s in missing))
        clash = sorted({str(s) for s in missing} & {str(s) for s in symbols})
        why = (
            f" (the listed {', '.join(clash)} is another symbol of the same name, made with "
            "other assumptions: list the expression's own symbols, e.g. n.variables)"
            if clash
            else ""
        )
        raise ValueError(
            f"the expression also depends on {names}; list it among the symbols{why}"
        )
    return sp.lambdify(list(symbols), expr, modules="numpy")


def _free_symbols(expr: object, what: str) -> set[sp.Symbol]:
    """The symbols of an expression, a Matrix, or a (nested) list or tuple of them."""
    if isinstance(expr, list | tuple):
        return set().union(*(_free_symbols(e, f"{what}[{k}]") for k, e in enumerate(expr)))
    if isinstance(expr, sp.MatrixBase):
        return set(expr.free_symbols)
    return set(_expression(expr, what).free_symbols)


def _symbol_list(symbols: object) -> list[sp.Symbol]:
    """The arguments of a lambdified function: one symbol, or a sequence of distinct ones."""
    if isinstance(symbols, sp.Symbol):
        return [symbols]
    try:
        if isinstance(symbols, str | sp.Expr):
            raise TypeError
        listed = list(symbols)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError(
            f"lambdify: symbols must be a sequence of SymPy symbols (e.g. n.variables), got "
            f"{type(symbols).__name__} {str(symbols)[:40]}"
        ) from None
    for k, s in enumerate(listed):
        if not isinstance(s, sp.Symbol):
            raise TypeError(
                f"lambdify: symbols[{k}] must be a SymPy symbol, got {type(s).__name__} {s!r}"
            )
    repeated = sorted({str(s) for s in listed if listed.count(s) > 1})
    if repeated:
        raise ValueError(f"lambdify: symbols lists {', '.join(repeated)} more than once")
    return listed


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
        x_arr = _real_array(x, "LeastSquares.data: x")
        y_arr = _real_array(y, "LeastSquares.data: y")
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
    n_samples = _positive_int("n_samples", n_samples)
    n_features = _positive_int("n_features", n_features)
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


# ------------------------------------------------- losses (chapter 6)
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


__all__ += ["softmax", "cross_entropy", "binary_cross_entropy", "mean_squared_error"]


# ------------------------------------------------------- chapter 5: dense networks
__all__ += ["DenseNetwork", "dense_network"]

_ACTIVATIONS: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "sigmoid": sigmoid,
    "tanh": sp.tanh,
    "identity": lambda z: z,
}


def _symbol_matrix(name: str, rows: int, cols: int, layer: int | None = None) -> sp.Matrix:
    """A (rows, cols) matrix of real symbols such as ``x_{2,1}`` or ``W^{1}_{12}``.

    With ``rows == 1`` the entries get a single index (``b^{1}_{2}``); batch-shaped
    matrices (x, y, z, a, δ) have "n,j" indices, weights the unseparated "ij".
    """
    sup = "" if layer is None else f"^{{{layer}}}"

    def entry(i: int, j: int) -> sp.Symbol:
        if name == "W":
            sub = f"{i + 1}{j + 1}"
        elif rows == 1:
            sub = f"{j + 1}"
        else:
            sub = f"{i + 1},{j + 1}"
        return sp.Symbol(f"{name}{sup}_{{{sub}}}", real=True)

    return sp.Matrix(rows, cols, entry)


def _mean_squared_error(output: sp.Matrix, target: sp.Matrix) -> sp.Expr:
    """The mean of (output - target)² over every entry, as ``layers.mse_forward``."""
    diff = output - target
    return sp.Rational(1, diff.rows * diff.cols) * sum(e**2 for e in diff)


@dataclass(frozen=True)
class DenseNetwork:
    """A small fully connected network written out in SymPy (chapter 5).

    Layer l = 1 .. L computes, for the whole batch at once (rows are examples),

    .. math:: z^l = a^{l-1} W^l + b^l, \\qquad a^l = \\sigma_l(z^l), \\qquad a^0 = x,

    and the loss is the mean squared error over every entry of the output, as
    :func:`backprop_course.layers.dense.mse_forward` computes it:
    :math:`L = \\frac{1}{N D_L} \\sum_{n,k} (a^L_{n,k} - y_{n,k})^2`.

    Layers are numbered from 1 as in the book: ``net.W(1)`` is the first weight
    matrix, ``net.a(0)`` is the input ``x``.

    Attributes
    ----------
    sizes : tuple of int
        :math:`(D_0, D_1, \\dots, D_L)`, the width of every layer, input first.
    activations : tuple of str
        The activation of each layer 1 .. L: ``"sigmoid"``, ``"tanh"`` or ``"identity"``.
    x, y : sympy.Matrix
        The inputs (N, D_0) and the targets (N, D_L), one symbol per entry.
    weights, biases : tuple of sympy.Matrix
        :math:`W^l` (D_{l-1}, D_l) and :math:`b^l` (1, D_l), one symbol per entry.
    zs, outputs : tuple of sympy.Matrix
        :math:`z^l` and :math:`a^l` for l = 1 .. L, written out in x, W and b.
    loss : sympy.Expr
        L written out in x, y, W and b: nothing is left abstract.
    """

    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    x: sp.Matrix
    y: sp.Matrix
    weights: tuple[sp.Matrix, ...]
    biases: tuple[sp.Matrix, ...]
    zs: tuple[sp.Matrix, ...]
    outputs: tuple[sp.Matrix, ...]
    loss: sp.Expr

    def __post_init__(self) -> None:
        """Build it with :func:`dense_network`; built by hand, the fields must fit together."""
        if not isinstance(self.sizes, tuple) or len(self.sizes) < 2:
            raise ValueError(f"DenseNetwork: sizes must be a tuple of at least two ints, "
                             f"got {self.sizes!r}")
        n_layers = len(self.sizes) - 1
        for name in ("activations", "weights", "biases", "zs", "outputs"):
            value = getattr(self, name)
            if not isinstance(value, tuple) or len(value) != n_layers:
                raise ValueError(
                    f"DenseNetwork: {name} must be a tuple of {n_layers} entries (one per "
                    f"layer), got {value!r}"
                )
        unknown = [a for a in self.activations if a not in _ACTIVATIONS]
        if unknown:
            raise ValueError(f"DenseNetwork: unknown activation {unknown[0]!r}; choose from "
                             f"{', '.join(_ACTIVATIONS)}")
        matrices = {"x": self.x, "y": self.y}
        matrices.update({f"weights[{k}]": W for k, W in enumerate(self.weights)})
        matrices.update({f"biases[{k}]": b for k, b in enumerate(self.biases)})
        for name, value in matrices.items():
            if not isinstance(value, sp.MatrixBase):
                raise TypeError(f"DenseNetwork: {name} must be a SymPy Matrix, got {value!r}")

    @property
    def n_layers(self) -> int:
        """L, the number of layers with weights."""
        return len(self.weights)

    @property
    def n_samples(self) -> int:
        """N, the number of examples in the batch."""
        return self.x.rows

    def _layer(self, layer: int, lowest: int = 1) -> int:
        if not isinstance(layer, numbers.Integral) or isinstance(layer, bool) or not (
            lowest <= layer <= self.n_layers
        ):
            raise ValueError(
                f"layer must be an int from {lowest} to {self.n_layers}, got {layer!r}"
            )
        return int(layer)

    def _batch(self, value: object, layer: int, what: str) -> sp.Matrix:
        """A matrix of layer ``layer``'s batch shape (N, D_layer), or a clear error."""
        m = _matrix(value, what)
        shape = (self.n_samples, self.sizes[layer])
        if m.shape != shape:
            raise ValueError(f"{what} must have shape {shape}, got {m.shape}")
        return m

    def W(self, layer: int) -> sp.Matrix:  # noqa: N802 (the book's symbol)
        """:math:`W^l`, shape (D_{l-1}, D_l)."""
        return self.weights[self._layer(layer) - 1]

    def b(self, layer: int) -> sp.Matrix:
        """:math:`b^l` as a row, shape (1, D_l)."""
        return self.biases[self._layer(layer) - 1]

    def z(self, layer: int) -> sp.Matrix:
        """:math:`z^l`, shape (N, D_l), written out in x, W and b."""
        return self.zs[self._layer(layer) - 1]

    def a(self, layer: int) -> sp.Matrix:
        """:math:`a^l`, shape (N, D_l); ``a(0)`` is the input x."""
        return self.x if self._layer(layer, lowest=0) == 0 else self.outputs[layer - 1]

    def dense(self, layer: int, a_prev: sp.Matrix) -> sp.Matrix:
        """Layer l's affine map of any (N, D_{l-1}) matrix: ``a_prev @ W^l + b^l``.

        The bias row is added to every row, as NumPy's broadcasting does.

        Raises
        ------
        TypeError
            If ``a_prev`` is not a SymPy Matrix (or a 2-D array).
        ValueError
            If ``a_prev`` does not have D_{l-1} columns, or ``layer`` is not a layer.
        """
        width = self.sizes[self._layer(layer) - 1]
        a_prev = _matrix(a_prev, "DenseNetwork.dense: a_prev")
        if a_prev.cols != width:
            raise ValueError(
                f"DenseNetwork.dense: layer {layer} takes a_prev with {width} columns "
                f"(N, {width}), got shape {a_prev.shape}"
            )
        return a_prev * self.W(layer) + sp.ones(a_prev.rows, 1) * self.b(layer)

    def sigma(self, layer: int, z: sp.Matrix) -> sp.Matrix:
        """Layer l's activation applied to every entry of ``z`` (a Matrix of any shape)."""
        z = _matrix(z, "DenseNetwork.sigma: z")
        return z.applyfunc(_ACTIVATIONS[self.activations[self._layer(layer) - 1]])

    def sigma_prime(self, layer: int, z: sp.Matrix) -> sp.Matrix:
        """The derivative of layer l's activation at every entry of ``z``, as SymPy finds it.

        For the sigmoid that is :math:`e^{-z} / (1 + e^{-z})^2`, which equals
        :math:`\\sigma(z)(1 - \\sigma(z))`.
        """
        z = _matrix(z, "DenseNetwork.sigma_prime: z")
        t = sp.Dummy("t", real=True)
        derivative = sp.diff(_ACTIVATIONS[self.activations[self._layer(layer) - 1]](t), t)
        return z.applyfunc(lambda entry: derivative.xreplace({t: entry}))

    def loss_of(self, output: sp.Matrix) -> sp.Expr:
        """The loss as a function of any (N, D_L) output matrix: mean of (output - y)²."""
        output = _matrix(output, "DenseNetwork.loss_of: output")
        if output.shape != self.y.shape:
            raise ValueError(f"output must have shape {self.y.shape}, got {output.shape}")
        return _mean_squared_error(output, self.y)

    def symbols(self, name: str, layer: int) -> sp.Matrix:
        """Fresh symbols of layer l's batch shape (N, D_l), e.g. ``name="z"`` gives
        :math:`z^l_{n,j}`: stand-ins for quantities that the text treats as variables."""
        name = _name(name, "DenseNetwork.symbols: name")
        width = self.sizes[self._layer(layer, lowest=0)]
        return _symbol_matrix(name, self.n_samples, width, layer)

    def loss_from_z(self, layer: int) -> tuple[sp.Matrix, sp.Expr]:
        """The loss as a function of layer l's pre-activation, held as symbols.

        Returns
        -------
        Z : sympy.Matrix
            Symbols :math:`z^l_{n,j}`, shape (N, D_l).
        loss : sympy.Expr
            L computed from Z through layers l .. L (their W, b and y stay symbols),
            so that :math:`\\delta^l = \\partial L / \\partial z^l` is ``diff(loss, Z[n, j])``.
        """
        Z = self.symbols("z", layer)
        a = self.sigma(layer, Z)
        for k in range(layer + 1, self.n_layers + 1):
            a = self.sigma(k, self.dense(k, a))
        return Z, self.loss_of(a)

    def gradient(self, wrt: sp.Matrix) -> sp.Matrix:
        """:math:`\\partial L / \\partial` ``wrt`` entry by entry, from the written-out loss.

        ``wrt`` is a matrix of symbols (``net.W(1)``, ``net.b(2)``, ``net.x``, ...);
        the result has its shape.

        Raises
        ------
        TypeError
            If ``wrt`` is not a Matrix (for one symbol ``s``: ``sp.diff(net.loss, s)``).
        ValueError
            If an entry is not one of :attr:`variables` (a symbol made anew with the same
            name is another symbol; its derivative would be 0).
        """
        if not isinstance(wrt, sp.MatrixBase):
            raise TypeError(
                f"DenseNetwork.gradient: wrt must be a Matrix of the network's symbols "
                f"(net.W(1), net.b(1), net.x), got {type(wrt).__name__} {str(wrt)[:40]}; "
                "for one symbol s use sp.diff(net.loss, s)"
            )
        own = set(self.variables)
        for (i, j), s in np.ndenumerate(np.array(wrt.tolist(), dtype=object)):
            if s not in own:
                raise ValueError(
                    f"DenseNetwork.gradient: wrt[{i}, {j}] = {s} is not a symbol of this network "
                    "(a symbol of the same name made anew has other assumptions): take the "
                    "matrices from the network, e.g. net.W(1)"
                )
        return wrt.applyfunc(lambda s: sp.diff(self.loss, s))

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """Every weight and bias symbol, in the order W^1 (row by row), b^1, W^2, b^2, ..."""
        out: list[sp.Symbol] = []
        for W, b in zip(self.weights, self.biases, strict=True):
            out += [*W, *b]
        return tuple(out)

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        """Every free symbol of ``loss``: the parameters, then x and y row by row."""
        return (*self.parameters, *self.x, *self.y)

    def arguments(
        self,
        weights: Sequence[np.ndarray],
        biases: Sequence[np.ndarray],
        x: np.ndarray,
        y: np.ndarray,
    ) -> list[float]:
        """Numbers for :attr:`variables`, in its order, to call a function made by :func:`lambdify`.

        Parameters
        ----------
        weights, biases : sequence of numpy.ndarray
            :math:`W^1, \\dots, W^L` (each (D_{l-1}, D_l)) and :math:`b^1, \\dots, b^L`
            (each (D_l,)).
        x, y : numpy.ndarray
            The batch, (N, D_0) and (N, D_L).

        Raises
        ------
        TypeError
            If ``weights`` or ``biases`` is not a list or tuple of arrays, or an array is
            not real numbers.
        ValueError
            If an array does not have the shape of the symbols it stands for, or holds NaN
            or infinite values.
        """
        for name, seq in (("weights", weights), ("biases", biases)):
            if not isinstance(seq, list | tuple):
                raise TypeError(
                    f"DenseNetwork.arguments: {name} must be a list of {self.n_layers} arrays "
                    f"(one per layer), got {type(seq).__name__}"
                )
        if len(weights) != self.n_layers or len(biases) != self.n_layers:
            raise ValueError(
                f"expected {self.n_layers} weight matrices and {self.n_layers} biases, "
                f"got {len(weights)} and {len(biases)}"
            )
        named = []
        for layer, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
            named += [(f"W{layer}", W, self.W(layer).shape), (f"b{layer}", b, (self.sizes[layer],))]
        named += [("x", x, self.x.shape), ("y", y, self.y.shape)]
        values: list[float] = []
        for name, value, shape in named:
            arr = _real_array(value, f"DenseNetwork.arguments: {name}")
            if arr.shape != shape:
                raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
            values += arr.reshape(-1).tolist()
        return values


def dense_network(
    sizes: Sequence[int],
    activation: str | Sequence[str] = "sigmoid",
    n_samples: int = 1,
) -> DenseNetwork:
    """Build a fully connected network and its mean-squared-error loss in SymPy.

    Parameters
    ----------
    sizes : sequence of int
        :math:`(D_0, D_1, \\dots, D_L)`: the input width, then the width of each layer.
        ``(2, 3, 2)`` is two inputs, three hidden units and two outputs.
    activation : str or sequence of str, default "sigmoid"
        ``"sigmoid"``, ``"tanh"`` or ``"identity"``: one name for every layer, or one
        name per layer (e.g. ``("sigmoid", "identity")`` for a linear output layer).
    n_samples : int, default 1
        N, the number of examples in the symbolic batch. Keep it small: the
        written-out loss grows with N times the number of weights.

    Returns
    -------
    DenseNetwork

    Raises
    ------
    TypeError
        If ``sizes`` is not a sequence of ints, or ``activation`` is neither a name nor a
        sequence of names.
    ValueError
        If there are fewer than two sizes, a size or ``n_samples`` is not a positive int,
        an activation is unknown, or there is not one activation per layer.

    Examples
    --------
    >>> net = dense_network((2, 3, 2))
    >>> net.W(1).shape, net.b(1).shape, net.z(2).shape
    ((2, 3), (1, 3), (1, 2))
    >>> net.z(1)[0, 0]
    W^{1}_{11}*x_{1} + W^{1}_{21}*x_{2} + b^{1}_{1}
    """
    if isinstance(sizes, str) or not isinstance(sizes, Sequence | np.ndarray):
        raise TypeError(
            f"dense_network: sizes must be a sequence of ints such as (2, 3, 1), got "
            f"{type(sizes).__name__} {sizes!r}"
        )
    sizes = tuple(sizes)
    if len(sizes) < 2 or any(
        isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 1 for s in sizes
    ):
        raise ValueError(
            f"sizes must be at least two positive ints (inputs, then each layer), got {sizes!r}"
        )
    sizes = tuple(int(s) for s in sizes)
    n_samples = _positive_int("n_samples", n_samples)
    n_layers = len(sizes) - 1
    if isinstance(activation, str):
        names = (activation,) * n_layers
    elif isinstance(activation, Sequence) and all(isinstance(a, str) for a in activation):
        names = tuple(activation)
    else:
        raise TypeError(
            f"dense_network: activation must be a name ({', '.join(_ACTIVATIONS)}) or a "
            f"sequence of names, one per layer, got {activation!r}"
        )
    if len(names) != n_layers:
        raise ValueError(f"{n_layers} layers need {n_layers} activations, got {len(names)}")
    unknown = [name for name in names if name not in _ACTIVATIONS]
    if unknown:
        raise ValueError(
            f"unknown activation {unknown[0]!r}; choose from {', '.join(_ACTIVATIONS)}"
        )
    x = _symbol_matrix("x", n_samples, sizes[0])
    y = _symbol_matrix("y", n_samples, sizes[-1])
    weights = tuple(
        _symbol_matrix("W", sizes[k - 1], sizes[k], k) for k in range(1, n_layers + 1)
    )
    biases = tuple(_symbol_matrix("b", 1, sizes[k], k) for k in range(1, n_layers + 1))
    ones = sp.ones(n_samples, 1)
    zs, outputs, a = [], [], x
    for W, b, name in zip(weights, biases, names, strict=True):
        z = a * W + ones * b
        a = z.applyfunc(_ACTIVATIONS[name])
        zs.append(z)
        outputs.append(a)
    return DenseNetwork(
        sizes=sizes,
        activations=names,
        x=x,
        y=y,
        weights=weights,
        biases=biases,
        zs=tuple(zs),
        outputs=tuple(outputs),
        loss=_mean_squared_error(a, y),
    )
