"""Arithmetic of Tensors: + - * / and powers, with broadcasting (chapter 8).

Each method is followed by its rule, as :mod:`backprop_course.ops` describes.
"""

from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING

import numpy as np

from ..graph import rule
from .broadcast import unbroadcast

if TYPE_CHECKING:
    from ..tensor import ArrayLike, Tensor

__all__ = ["Arithmetic"]


def _checked_divide(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if (b == 0).any():
        raise ZeroDivisionError(f"division by a tensor with zero entries (shape {b.shape})")
    return a / b


class Arithmetic:
    """The arithmetic operators of :class:`~backprop_course.tensor.Tensor`."""

    __slots__ = ()

    def __add__(self, other: ArrayLike) -> Tensor:
        other, data = self._binary(other, np.add, "and", "add")
        out = self.from_op(data, (self, other), "+", saved=())
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                if self.requires_grad:
                    self.accumulate_grad(unbroadcast(grad, self.shape))
                if other.requires_grad:
                    other.accumulate_grad(unbroadcast(grad, other.shape))

            out._backward = _backward
        return out

    @staticmethod
    @rule("+")
    def _add_rule(out: Tensor, g: Tensor) -> tuple:
        a, b = out._prev
        return unbroadcast(g, a.shape), unbroadcast(g, b.shape)

    def __sub__(self, other: ArrayLike) -> Tensor:
        other, data = self._binary(other, np.subtract, "and", "subtract")
        out = self.from_op(data, (self, other), "-", saved=())
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                if self.requires_grad:
                    self.accumulate_grad(unbroadcast(grad, self.shape))
                if other.requires_grad:
                    other.accumulate_grad(unbroadcast(-grad, other.shape))

            out._backward = _backward
        return out

    @staticmethod
    @rule("-")
    def _sub_rule(out: Tensor, g: Tensor) -> tuple:
        a, b = out._prev
        return unbroadcast(g, a.shape), unbroadcast(-g, b.shape)

    def __mul__(self, other: ArrayLike) -> Tensor:
        other, data = self._binary(other, np.multiply, "and", "multiply")
        needs = (other,) * self.requires_grad + (self,) * other.requires_grad
        out = self.from_op(data, (self, other), "*", saved=needs)
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                if self.requires_grad:
                    self.accumulate_grad(unbroadcast(grad * other.data, self.shape))
                if other.requires_grad:
                    other.accumulate_grad(unbroadcast(grad * self.data, other.shape))

            out._backward = _backward
        return out

    @staticmethod
    @rule("*")
    def _mul_rule(out: Tensor, g: Tensor) -> tuple:
        a, b = out._prev
        return unbroadcast(g * b, a.shape), unbroadcast(g * a, b.shape)

    def __truediv__(self, other: ArrayLike) -> Tensor:
        other, data = self._binary(other, _checked_divide, "by", "divide")
        needs = (other,) if self.requires_grad or other.requires_grad else ()
        needs += (self,) * other.requires_grad
        out = self.from_op(data, (self, other), "/", saved=needs)
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                if self.requires_grad:  # d(a/b)/da = 1/b
                    self.accumulate_grad(unbroadcast(grad / other.data, self.shape))
                if other.requires_grad:  # d(a/b)/db = -a/b^2
                    db = -grad * self.data / other.data**2
                    other.accumulate_grad(unbroadcast(db, other.shape))

            out._backward = _backward
        return out

    @staticmethod
    @rule("/")
    def _div_rule(out: Tensor, g: Tensor) -> tuple:
        a, b = out._prev  # d(a/b)/db = -a/b^2 = -out/b
        return unbroadcast(g / b, a.shape), unbroadcast(-g * out / b, b.shape)

    def __pow__(self, exponent: ArrayLike) -> Tensor:
        """``t ** n`` for a number ``n``, or ``t ** b`` for a tensor ``b`` (then ``t > 0``).

        Raises
        ------
        TypeError
            If the exponent is a bool, or not numbers.
        ValueError
            If a number exponent is NaN or infinite, a tensor exponent does not broadcast
            with ``t``, or (tensor exponent) ``t`` has entries <= 0, or (fractional ``n``)
            ``t`` has negative entries.
        ZeroDivisionError
            If ``n < 0`` and ``t`` has zero entries.
        OverflowError
            If a power overflows float.
        """
        if isinstance(exponent, np.ndarray) and exponent.ndim == 0:
            exponent = exponent.item()  # a 0-d array is a number
        if isinstance(exponent, bool | np.bool_):
            raise TypeError(f"Tensor ** {exponent}: the exponent must be a number, not a bool")
        if isinstance(exponent, numbers.Real):
            return self._pow_number(float(exponent))
        # A tensor exponent: a**b = exp(b log a) needs a > 0.
        exponent = self._constant(exponent)
        try:
            np.broadcast_shapes(self.shape, exponent.shape)
        except ValueError:
            raise ValueError(
                f"cannot raise {self.shape} to the power {exponent.shape}: the shapes do not "
                "broadcast (trailing dimensions must be equal or 1)"
            ) from None
        if (self.data <= 0).any():
            raise ValueError(
                "Tensor ** Tensor needs a positive base: it is computed as exp(b log a), and "
                f"{int((self.data <= 0).sum())} entries of the base are zero or negative. For "
                "a power of negative numbers, make the exponent a plain number (t ** 2)"
            )
        return (exponent * self.log()).exp()

    def _pow_number(self, n: float) -> Tensor:
        if not math.isfinite(n):
            raise ValueError(f"Tensor ** {n}: the exponent must be a finite number")
        if n < 0 and (self.data == 0).any():
            raise ZeroDivisionError(f"Tensor ** {n:g}: the tensor has zero entries")
        if n != int(n) and (self.data < 0).any():
            raise ValueError(
                f"Tensor ** {n:g}: a negative entry to a fractional power is not a real number"
            )
        with np.errstate(over="raise"):
            try:
                data = self.data**n
            except FloatingPointError:
                raise OverflowError(
                    f"Tensor ** {n:g} overflows: the largest entry is {abs(self.data).max():.4g}"
                ) from None
        out = self.from_op(data, (self,), f"**{n:g}", ctx=(n,), saved=(self,))
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                if n == 0:  # a^0 = 1 is constant, even at a = 0
                    self.accumulate_grad(np.zeros_like(grad))
                    return
                if n < 1 and (self.data == 0).any():
                    raise FloatingPointError(
                        f"the derivative of x ** {n:g} is infinite at x = 0, and the "
                        "tensor has zero entries"
                    )
                self.accumulate_grad(grad * n * self.data ** (n - 1))  # d(a^n)/da = n a^(n-1)

            out._backward = _backward
        return out

    @staticmethod
    @rule("**")
    def _pow_rule(out: Tensor, g: Tensor) -> tuple:
        (a,), (n,) = out._prev, out._ctx
        if n == 0:
            return (g * 0.0,)
        return (g * (n * a ** (n - 1)),)

    def __rpow__(self, base: ArrayLike) -> Tensor:
        if isinstance(base, numbers.Real) and not base > 0:
            raise ValueError(
                f"{base} ** Tensor needs a positive base: it is computed as exp(x log {base})"
            )
        return self._constant(base) ** self

    def __neg__(self) -> Tensor:
        return self * -1.0

    def __radd__(self, other: ArrayLike) -> Tensor:
        return self + other

    def __rsub__(self, other: ArrayLike) -> Tensor:
        return self._constant(other) - self

    def __rmul__(self, other: ArrayLike) -> Tensor:
        return self * other

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        return self._constant(other) / self
