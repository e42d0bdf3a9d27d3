"""The helpers every chapter uses with SymPy: the sigmoid, the symbol that displays as
a partial derivative, and :func:`lambdify`, which turns an expression into a NumPy
function.

Used by every chapter (``lambdify``, ``partial``; ``sigmoid`` in chapters 2, 5, 6, 9, 11).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp

from ._common import _expression, _name

__all__ = ["sigmoid", "partial", "lambdify"]


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


def lambdify(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> Callable[..., np.ndarray]:
    """Turn a SymPy expression into a NumPy function of ``symbols``, in that order.

    A thin wrapper of :func:`sympy.lambdify` with ``modules="numpy"``, so the
    result works elementwise on arrays.

    Examples
    --------
    >>> from backprop_course.symbolic import neuron
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
