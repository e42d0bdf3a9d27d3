"""One sigmoid neuron with squared error, written out in SymPy so that each factor of the
chain rule can be differentiated on its own (:func:`neuron`).

Used by chapter 2.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import sympy as sp

from ..checks import positive_int
from ._common import _expression, _own_symbol, _symbol_tuple
from .helpers import sigmoid

__all__ = ["Neuron", "neuron"]


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
    n_inputs = positive_int(n_inputs, "n_inputs")
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
