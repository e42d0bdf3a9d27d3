"""Checks shared by the modules of :mod:`backprop_course.symbolic` (private).

A mistake (a string where a symbol goes, a symbol made anew with other assumptions)
is named by the function and the argument instead of giving a derivative of 0.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
import sympy as sp


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
