"""Forward-mode automatic differentiation with dual numbers: the engine of chapter 4.

A dual number :math:`a + a'\\varepsilon` carries a value :math:`a` (its real
part) and a tangent :math:`a'`, where :math:`\\varepsilon` is a new number with
:math:`\\varepsilon^2 = 0`. Arithmetic on dual numbers *is* the chain rule:

.. math::

    (a + a'\\varepsilon)(b + b'\\varepsilon) = ab + (a'b + ab')\\varepsilon,
    \\qquad
    f(a + a'\\varepsilon) = f(a) + f'(a)\\,a'\\varepsilon,

because every term with :math:`\\varepsilon^2` or a higher power vanishes (the
second formula is Taylor's, cut after the first power). Start every input
:math:`x_i` as :math:`x_i + v_i\\varepsilon`, run :math:`f` once, and every
output comes back as :math:`f_j(x) + (Jv)_j\\,\\varepsilon`: one forward pass gives
one Jacobian-vector product :math:`Jv` (:func:`jvp`). The whole gradient of
:math:`f:\\mathbb{R}^n\\to\\mathbb{R}` takes n passes, one per unit vector
(:func:`gradient_forward`), where the reverse mode of
:class:`~backprop_course.scalar.Value` and :class:`~backprop_course.tensor.Tensor`
takes one backward pass.

    >>> from backprop_course.dual import Dual
    >>> x = Dual(3.0, 1.0)          # x = 3, and we differentiate with respect to x
    >>> y = x * x + 2 * x
    >>> y.real, y.tangent           # y = 15 and dy/dx = 2x + 2 = 8
    (15.0, 8.0)

Each operation below computes the real part exactly as for plain numbers and,
beside it, the tangent by that operation's derivative rule.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from .checks import check_callable as _check_callable

__all__ = [
    "Dual",
    "jvp",
    "gradient_forward",
    "exp",
    "log",
    "tanh",
    "sigmoid",
    "relu",
    "sin",
    "cos",
]


def _part(x: object, what: str) -> float:
    """Check one part of a dual number: a finite real number, returned as a float."""
    if isinstance(x, Dual):
        raise TypeError(f"the {what} of a Dual must be a number, got a Dual ({x!r})")
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(
            f"the {what} of a Dual must be a real number, got {type(x).__name__} ({repr(x)[:40]})"
        )
    x = float(x)
    if not math.isfinite(x):
        hint = " (did an operation overflow?)" if math.isinf(x) else ""
        raise ValueError(f"the {what} of a Dual must be finite, got {x}{hint}")
    return x


def _as_dual(other: object, op: str) -> Dual:
    """A number becomes a constant Dual (tangent 0); anything else but an array is an error."""
    if isinstance(other, Dual):
        return other
    if isinstance(other, np.ndarray):
        return NotImplemented  # type: ignore[return-value]  # NumPy then applies op per entry
    if isinstance(other, numbers.Real) and not isinstance(other, bool):
        return Dual(other)
    raise TypeError(
        f"unsupported operand for {op}: Dual and {type(other).__name__} ({repr(other)[:40]}); "
        "use a Dual, a real number or a NumPy array"
    )


class Dual:
    """A dual number ``real + tangent * eps`` with ``eps**2 = 0``: a value and its derivative.

    Parameters
    ----------
    real : float
        The value a.
    tangent : float, default 0.0
        The derivative a' of that value along the direction being followed.
        A constant has tangent 0; the input we differentiate by has tangent 1.

    Raises
    ------
    TypeError
        If a part is not a real number (a string, None, a complex number, a Dual).
    ValueError
        If a part is NaN or infinite (also when an operation overflows to inf).

    Notes
    -----
    ``+ - * / **`` work with a Dual or a real number on either side, and with a
    NumPy array (entry by entry). ``exp, log, tanh, sigmoid, relu, sin, cos``
    are methods; NumPy's ``np.exp(x)`` etc. call them for each entry of an
    object array of Duals. ``float(dual)`` raises: it would drop the tangent.
    """

    __slots__ = ("real", "tangent")

    def __init__(self, real: float, tangent: float = 0.0) -> None:
        self.real = _part(real, "real part")
        self.tangent = _part(tangent, "tangent")

    # ------------------------------------------------------------- arithmetic
    # Each rule is the product rule, quotient rule, ... written with eps**2 = 0.

    def __add__(self, other: Dual | float) -> Dual:
        o = _as_dual(other, "+")
        if o is NotImplemented:
            return NotImplemented
        return Dual(self.real + o.real, self.tangent + o.tangent)

    def __sub__(self, other: Dual | float) -> Dual:
        o = _as_dual(other, "-")
        if o is NotImplemented:
            return NotImplemented
        return Dual(self.real - o.real, self.tangent - o.tangent)

    def __mul__(self, other: Dual | float) -> Dual:
        o = _as_dual(other, "*")
        if o is NotImplemented:
            return NotImplemented
        # (a + a'eps)(b + b'eps) = ab + (a'b + ab')eps, since eps^2 = 0
        real = self.real * o.real
        tangent = self.tangent * o.real + self.real * o.tangent
        return Dual(real, tangent)

    def __truediv__(self, other: Dual | float) -> Dual:
        o = _as_dual(other, "/")
        if o is NotImplemented:
            return NotImplemented
        if o.real == 0:
            raise ZeroDivisionError(f"{self!r} / {o!r}: division by a Dual whose real part is 0")
        # (a + a'eps) / (b + b'eps) = a/b + (a'b - ab') / b^2 eps
        q = self.real / o.real
        return Dual(q, (self.tangent - q * o.tangent) / o.real)  # = (a'b - ab') / b^2

    def __pow__(self, exponent: Dual | float) -> Dual:
        if isinstance(exponent, Dual):  # a ** b with both varying: exp(b log a)
            if self.real <= 0:
                raise ValueError(
                    f"Dual ** Dual needs a positive base (a ** b = exp(b log a)), got {self.real}"
                )
            return (exponent * self.log()).exp()
        e = _as_dual(exponent, "**")
        if e is NotImplemented:
            return NotImplemented
        a, n = self.real, e.real
        if n == 0:
            return Dual(1.0)  # a ** 0 = 1 for every a: a constant
        if a == 0 and n < 0:
            raise ZeroDivisionError(f"0.0 ** {n:g}: zero to a negative power")
        if a < 0 and n != int(n):
            raise ValueError(
                f"({a}) ** {n:g} is not a real number (a negative base needs an integer exponent)"
            )
        if a == 0 and n < 1:
            raise ValueError(f"the slope of a ** {n:g} is infinite at a = 0")
        try:
            # d(a^n) = n a^(n-1) da
            return Dual(a**n, n * a ** (n - 1) * self.tangent)
        except OverflowError:
            raise OverflowError(f"{a} ** {n:g} overflows a float") from None

    def __neg__(self) -> Dual:
        return Dual(-self.real, -self.tangent)

    def __pos__(self) -> Dual:
        return self

    # A number on the left: turn it into a constant Dual and use the rules above.
    def __radd__(self, other: float) -> Dual:
        return _as_dual(other, "+") + self

    def __rsub__(self, other: float) -> Dual:
        return _as_dual(other, "-") - self

    def __rmul__(self, other: float) -> Dual:
        return _as_dual(other, "*") * self

    def __rtruediv__(self, other: float) -> Dual:
        return _as_dual(other, "/") / self

    def __rpow__(self, base: float) -> Dual:
        c = _as_dual(base, "**")
        if c.real <= 0:
            raise ValueError(
                f"c ** x with a Dual x needs a positive base c (c ** x = exp(x log c)), "
                f"got c = {c.real}"
            )
        return c**self

    # ------------------------------------------------- elementary functions
    # f(a + a'eps) = f(a) + f'(a) a' eps: the chain rule, one function at a time.

    def exp(self) -> Dual:
        """e to the power of this number: (e^a, e^a a')."""
        try:
            e = math.exp(self.real)
        except OverflowError:
            raise OverflowError(f"exp({self.real}) overflows a float") from None
        return Dual(e, e * self.tangent)

    def log(self) -> Dual:
        """Natural logarithm: (log a, a'/a). The real part must be positive."""
        if self.real <= 0:
            raise ValueError(f"log needs a positive number, got {self.real}")
        return Dual(math.log(self.real), self.tangent / self.real)

    def tanh(self) -> Dual:
        """Hyperbolic tangent: (tanh a, (1 - tanh^2 a) a')."""
        t = math.tanh(self.real)
        return Dual(t, (1.0 - t * t) * self.tangent)

    def sigmoid(self) -> Dual:
        """Logistic function 1/(1 + e^-a): (s, s (1 - s) a'), without overflow."""
        a = self.real
        s = 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a))
        return Dual(s, s * (1.0 - s) * self.tangent)

    def relu(self) -> Dual:
        """max(0, a): slope 1 right of 0, slope 0 left of it (and at 0, by convention)."""
        if self.real > 0:
            return Dual(self.real, self.tangent)
        return Dual(0.0, 0.0)

    def sin(self) -> Dual:
        """Sine: (sin a, cos(a) a')."""
        return Dual(math.sin(self.real), math.cos(self.real) * self.tangent)

    def cos(self) -> Dual:
        """Cosine: (cos a, -sin(a) a')."""
        return Dual(math.cos(self.real), -math.sin(self.real) * self.tangent)

    # --------------------------------------------------------------- helpers
    def __float__(self) -> float:
        raise TypeError(
            "float() of a Dual would throw away its tangent. Read the value with .real; "
            "inside a function given to jvp, use operations that keep Duals "
            "(+ - * / **, np.exp, np.log, np.tanh, np.sin, np.cos, and the sigmoid and relu "
            "of backprop_course.dual) instead of math.* or float arrays"
        )

    def __repr__(self) -> str:
        return f"Dual(real={self.real:.6g}, tangent={self.tangent:.6g})"


# ------------------------------------------------------------------ functions
def _elementwise(name: str, x: Any) -> Any:
    """Apply the Dual method ``name`` to a Dual, a number, or each entry of an array."""
    if isinstance(x, Dual):
        return getattr(x, name)()
    if isinstance(x, np.ndarray | list | tuple):
        try:
            arr = np.asarray(x, dtype=object)
            ragged = any(isinstance(e, np.ndarray | list | tuple) for e in arr.flat)
        except ValueError:
            ragged = True
        if ragged:
            raise TypeError(
                f"{name} needs an array of regular (rectangular) shape; got a ragged nested "
                f"{type(x).__name__}"
            )
        out = np.empty(arr.shape, dtype=object)
        for idx in np.ndindex(arr.shape):
            out[idx] = _elementwise(name, arr[idx])
        if any(isinstance(e, Dual) for e in out.flat):
            return out
        return out.astype(np.float64)  # numbers in, numbers out
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return getattr(Dual(x), name)().real
    raise TypeError(
        f"{name} needs a Dual, a real number or an array of them, got {type(x).__name__}"
    )


def exp(x: Any) -> Any:
    """e^x of a Dual, a number, or each entry of an array (of Duals or numbers)."""
    return _elementwise("exp", x)


def log(x: Any) -> Any:
    """Natural logarithm of a Dual, a number, or each entry of an array."""
    return _elementwise("log", x)


def tanh(x: Any) -> Any:
    """tanh of a Dual, a number, or each entry of an array."""
    return _elementwise("tanh", x)


def sigmoid(x: Any) -> Any:
    """The logistic function of a Dual, a number, or each entry of an array."""
    return _elementwise("sigmoid", x)


def relu(x: Any) -> Any:
    """max(0, x) of a Dual, a number, or each entry of an array."""
    return _elementwise("relu", x)


def sin(x: Any) -> Any:
    """Sine of a Dual, a number, or each entry of an array."""
    return _elementwise("sin", x)


def cos(x: Any) -> Any:
    """Cosine of a Dual, a number, or each entry of an array."""
    return _elementwise("cos", x)


# ------------------------------------------------------------- forward mode
def _point(x: Any, what: str) -> np.ndarray:
    """``x`` as a float64 array, or a clear error."""
    try:
        arr = np.asarray(x)
    except ValueError as err:  # a ragged nested list
        raise TypeError(f"{what} must be numbers in a regular (rectangular) shape: {err}") from None
    if arr.dtype == object and any(isinstance(e, Dual) for e in arr.flat):
        raise TypeError(f"{what} must be plain numbers; jvp makes the Duals itself")
    if arr.dtype == object:  # say what it is: a Tensor, a Value, None...
        kind = type(x).__name__ if arr.ndim == 0 else type(arr.flat[0]).__name__
        hint = " (pass its .data)" if hasattr(x, "data") else ""
        raise TypeError(f"{what} must be real numbers, got {kind}{hint}")
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{what} must be real numbers, got an array of dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        first = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(f"{what} contains NaN or infinite values, the first at index {first}")
    return arr


def _explain_errors(f: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``f``, whose TypeErrors about Duals say which operations do work on them."""

    def explained(duals: Any) -> Any:
        try:
            return f(duals)
        except TypeError as err:
            if "Dual" not in str(err) or "float() of a Dual" in str(err):
                raise
            raise TypeError(
                f"f used an operation that does not work on Duals ({err}). jvp runs f on "
                "Duals: use + - * / **, indexing, @ and .sum() on arrays, np.exp, np.log, "
                "np.tanh, np.sin, np.cos, and the sigmoid and relu of backprop_course.dual "
                "(np.sqrt(x) is x ** 0.5; comparisons and np.maximum need .real)"
            ) from err

    return explained


def _split(out: Any) -> tuple[Any, Any]:
    """Read (value, tangent) from what f returned: a Dual, a number, or an array of them."""
    if isinstance(out, Dual):
        return out.real, out.tangent
    if isinstance(out, numbers.Real) and not isinstance(out, bool):
        return float(out), 0.0  # f did not depend on x here: the derivative is 0
    if isinstance(out, np.ndarray | list | tuple):
        try:
            arr = np.asarray(out, dtype=object)
        except ValueError:
            raise TypeError("f returned a ragged sequence; return a Dual or an array") from None
        value, tangent = np.empty(arr.shape), np.empty(arr.shape)
        for idx in np.ndindex(arr.shape):
            entry = arr[idx]
            if not isinstance(entry, Dual | numbers.Real) or isinstance(entry, bool):
                raise TypeError(
                    f"f returned {type(entry).__name__} at index {idx}; jvp needs Duals or "
                    "numbers. Write f with operations that keep Duals (see jvp's docstring)"
                )
            value[idx], tangent[idx] = _split(entry)
        if arr.ndim == 0:
            return float(value), float(tangent)
        return value, tangent
    raise TypeError(
        f"f returned {type(out).__name__}; jvp needs a Dual, a number, or an array of them"
    )


def jvp(f: Callable[[Any], Any], x: Any, v: Any) -> tuple[Any, Any]:
    """Forward mode: ``f(x)`` and the Jacobian-vector product ``J v`` from one pass of ``f``.

    How it works: every input ``x[i]`` becomes the dual number ``Dual(x[i], v[i])``,
    that is x_i + v_i eps. ``f`` runs once on these, each operation applies its
    derivative rule to the tangents, and every output comes back as
    f_j(x) + (J v)_j eps. Nothing is stored for later: the cost is a small
    constant times one evaluation of ``f``, but it gives one directional
    derivative, not the whole gradient.

    Parameters
    ----------
    f : callable
        Called once, with a NumPy object array of Duals shaped like ``x`` (a
        single Dual when ``x`` is a number). Write it with operations that keep
        Duals: ``+ - * / **`` with numbers or Duals, indexing, ``@`` and
        ``.sum()`` on arrays, the ufuncs ``np.exp, np.log, np.tanh, np.sin,
        np.cos`` (NumPy calls the Dual methods of those names entry by entry),
        and :func:`sigmoid` and :func:`relu` of this module. It returns a Dual,
        a number, or a list, tuple or array of them.
    x : array_like
        The point: real numbers, any shape (n entries in all).
    v : array_like
        The direction, the same shape as ``x``.

    Returns
    -------
    value, tangent : float or numpy.ndarray
        ``f(x)`` and ``J v``, float64, shaped like ``f``'s output (plain floats
        when ``f`` returns a single number).

    Raises
    ------
    TypeError
        If ``f`` is not callable, ``x`` or ``v`` are not real numbers, or ``f``
        returns something other than Duals and numbers.
    ValueError
        If ``x`` or ``v`` contain NaN or inf, or their shapes differ.

    Examples
    --------
    >>> value, tangent = jvp(lambda x: x[0] * x[1], [2.0, 3.0], [1.0, 0.0])
    >>> value, tangent      # f = 6, and along v = e_0: df/dx_0 = x_1 = 3
    (6.0, 3.0)
    """
    _check_callable(f, "jvp: f", "one argument (x as Duals)", None)
    f = _explain_errors(f)
    x_arr, v_arr = _point(x, "x"), _point(v, "v")
    if x_arr.shape != v_arr.shape:
        raise ValueError(
            f"v has shape {v_arr.shape} but x has shape {x_arr.shape}: "
            "the direction must be shaped like the point"
        )
    duals = np.empty(x_arr.shape, dtype=object)
    for idx in np.ndindex(x_arr.shape):
        duals[idx] = Dual(x_arr[idx], v_arr[idx])  # x_i + v_i eps
    return _split(f(duals[()] if x_arr.ndim == 0 else duals))


def gradient_forward(f: Callable[[Any], Any], x: Any) -> np.ndarray:
    """The gradient of a scalar ``f`` by forward mode: one :func:`jvp` per input entry.

    Pass i seeds the unit vector e_i and reads df/dx_i from the output's
    tangent, so a function of n inputs costs n passes (reverse mode: one).

    Parameters
    ----------
    f : callable
        ``f(x) -> Dual``: a scalar function written as for :func:`jvp`.
    x : array_like
        The point, any shape.

    Returns
    -------
    numpy.ndarray
        float64, shaped like ``x``: entry i is df/dx_i.

    Raises
    ------
    TypeError
        If ``f`` is not a function of one argument, or ``x`` not real numbers.
    ValueError
        If ``f`` returns more than one number (use :func:`jvp` for a vector ``f``).
    """
    _check_callable(f, "gradient_forward: f", "one argument (x as Duals)", None)
    x_arr = _point(x, "x")
    grad = np.zeros_like(x_arr)
    for i in range(x_arr.size):
        e_i = np.zeros_like(x_arr)
        e_i.flat[i] = 1.0
        value, tangent = jvp(f, x_arr, e_i)
        if np.ndim(value) != 0:
            raise ValueError(
                f"gradient_forward needs a scalar f, but f returned shape {np.shape(value)}; "
                "use jvp for a function with several outputs"
            )
        grad.flat[i] = tangent
    return grad
