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

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

__all__ = ["sigmoid", "Neuron", "neuron", "lambdify", "partial"]


def sigmoid(z: sp.Expr) -> sp.Expr:
    """The logistic function :math:`\\sigma(z) = 1 / (1 + e^{-z})` as a SymPy expression."""
    return 1 / (1 + sp.exp(-z))


def partial(of: str, wrt: str) -> sp.Symbol:
    """A symbol that displays as :math:`\\partial` ``of`` / :math:`\\partial` ``wrt``.

    Used on the left of an equation shown in a notebook, e.g.
    ``sp.Eq(partial("L", "a"), n.dL_da)`` shows :math:`\\frac{\\partial L}{\\partial a} = a - y`.
    """
    return sp.Symbol(rf"\frac{{\partial {of}}}{{\partial {wrt}}}")


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

    @property
    def loss_full(self) -> sp.Expr:
        """L written directly in w, x, b, y: the composition with nothing left abstract."""
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
        """:math:`\\partial z / \\partial w_i = x_i`."""
        return sp.diff(self.z_expr, self.w[i])

    def chain_rule(self, i: int = 0) -> sp.Expr:
        """The product :math:`\\frac{\\partial L}{\\partial a}\\frac{\\partial a}{\\partial z}
        \\frac{\\partial z}{\\partial w_i}`, written in w, x, b, y."""
        product = self.dL_da * self.da_dz * self.dz_dw(i)
        return product.subs(self.a, self.a_expr).subs(self.z, self.z_expr)

    def gradient(self, wrt: sp.Symbol) -> sp.Expr:
        """:math:`\\partial L / \\partial` ``wrt`` by differentiating ``loss_full`` directly."""
        return sp.diff(self.loss_full, wrt)

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """The weights then the bias: what training adjusts."""
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
    """
    if isinstance(n_inputs, bool) or not isinstance(n_inputs, int) or n_inputs < 1:
        raise ValueError(f"n_inputs must be a positive int, got {n_inputs!r}")
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
    """
    missing = expr.free_symbols - set(symbols)
    if missing:
        names = ", ".join(sorted(str(s) for s in missing))
        raise ValueError(f"the expression also depends on {names}; list it among the symbols")
    return sp.lambdify(list(symbols), expr, modules="numpy")
