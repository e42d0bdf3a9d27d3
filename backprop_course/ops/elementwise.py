"""Elementwise functions of Tensors: exp, log, tanh, sigmoid, silu, relu, log-softmax.

Each method is followed by its rule, as :mod:`backprop_course.ops` describes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..checks import check_axis
from ..graph import OUT, rule
from ..numerics import two_branch_sigmoid as _sigmoid

if TYPE_CHECKING:
    from ..tensor import Tensor

__all__ = ["Elementwise"]


def _softmax_axis(axis: int, shape: tuple[int, ...]) -> int:
    """The axis of a (log-)softmax, checked: an int in range, and not of length 0."""
    axis = check_axis(axis, len(shape))
    if shape and shape[axis] == 0:
        raise ValueError(
            f"log_softmax over axis {axis} of a tensor of shape {shape}: the axis has no "
            "entries (no classes), so there is no distribution to normalise"
        )
    return axis


class Elementwise:
    """The elementwise functions of :class:`~backprop_course.tensor.Tensor`."""

    __slots__ = ()

    def exp(self) -> Tensor:
        """Elementwise e^x."""
        with np.errstate(over="raise"):
            try:
                e = np.exp(self.data)
            except FloatingPointError:
                raise OverflowError(
                    f"exp overflows: the largest entry is {self.data.max():.4g} "
                    "(exp is finite only below about 709)"
                ) from None
        out = self.from_op(e, (self,), "exp", saved=(OUT,))
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad * e)  # d(e^x)/dx = e^x

            out._backward = _backward
        return out

    @staticmethod
    @rule("exp")
    def _exp_rule(out: Tensor, g: Tensor) -> tuple:
        return (g * out,)

    def log(self) -> Tensor:
        """Elementwise natural logarithm; every entry must be positive."""
        if (self.data <= 0).any():
            bad = np.argwhere(self.data <= 0)
            first = tuple(int(i) for i in bad[0])
            raise ValueError(
                f"log needs positive entries; {len(bad)} are zero or negative, the first at "
                f"index {first}: {self.data[first]}"
            )
        out = self.from_op(np.log(self.data), (self,), "log", saved=(self,))
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad / self.data)  # d(log x)/dx = 1/x

            out._backward = _backward
        return out

    @staticmethod
    @rule("log")
    def _log_rule(out: Tensor, g: Tensor) -> tuple:
        return (g / out._prev[0],)

    def tanh(self) -> Tensor:
        """Elementwise hyperbolic tangent."""
        t = np.tanh(self.data)
        out = self.from_op(t, (self,), "tanh", saved=(OUT,))
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad * (1.0 - t * t))  # 1 - tanh^2

            out._backward = _backward
        return out

    @staticmethod
    @rule("tanh")
    def _tanh_rule(out: Tensor, g: Tensor) -> tuple:
        return (g * (1.0 - out * out),)

    def sigmoid(self) -> Tensor:
        """Elementwise logistic function 1 / (1 + e^-x), without overflow for large ``|x|``."""
        s = _sigmoid(self.data)
        out = self.from_op(s, (self,), "sigmoid", saved=(OUT,))
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad * s * (1.0 - s))  # sigma(1 - sigma)

            out._backward = _backward
        return out

    @staticmethod
    @rule("sigmoid")
    def _sigmoid_rule(out: Tensor, g: Tensor) -> tuple:
        return (g * (out * (1.0 - out)),)

    def silu(self) -> Tensor:
        """Elementwise SiLU (swish), x * sigmoid(x), the activation of many recent networks.

        Its derivative is sigmoid(x) (1 + x (1 - sigmoid(x))). This operation is the example
        of how to add one: the method with its first-order backward, and right below it the
        rule (the same derivative in Tensor operations, for chapter 13).
        """
        x = self.data
        s = _sigmoid(x)
        out = self.from_op(x * s, (self,), "silu", saved=(self,))
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad * s * (1.0 + x * (1.0 - s)))  # sigma (1 + x(1 - sigma))

            out._backward = _backward
        return out

    @staticmethod
    @rule("silu")
    def _silu_rule(out: Tensor, g: Tensor) -> tuple:
        x = out._prev[0]
        s = x.sigmoid()  # Tensor operations: the rule is itself differentiable
        return (g * s * (1.0 + x * (1.0 - s)),)

    def relu(self) -> Tensor:
        """Elementwise max(0, x); the derivative at 0 is taken to be 0."""
        out = self.from_op(np.maximum(self.data, 0.0), (self,), "relu", saved=(self,))
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad * (self.data > 0))  # slope 1 where x > 0, else 0

            out._backward = _backward
        return out

    @staticmethod
    @rule("relu")
    def _relu_rule(out: Tensor, g: Tensor) -> tuple:
        a = out._prev[0]  # the slope is a constant 0 or 1: its own derivative is 0
        return (g * (a.data > 0).astype(a.dtype),)

    def log_softmax(self, axis: int = -1) -> Tensor:
        """log(softmax(x)) along ``axis``, computed stably with the log-sum-exp trick.

        ``x - max(x)`` is subtracted first, so no exponential overflows however
        large the entries are. The backward pass uses the closed form
        dL/dx = g - softmax(x) * sum(g) along ``axis``.
        """
        axis = _softmax_axis(axis, self.shape)
        along = axis if self.ndim else None  # a scalar is its own (one-entry) axis
        shifted = self.data - self.data.max(axis=along, keepdims=True)
        log_sum = np.log(np.exp(shifted).sum(axis=along, keepdims=True))
        result = shifted - log_sum
        out = self.from_op(result, (self,), "log_softmax", ctx=(axis,), saved=(OUT,))
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                softmax = np.exp(result)
                self.accumulate_grad(grad - softmax * grad.sum(axis=along, keepdims=True))

            out._backward = _backward
        return out

    @staticmethod
    @rule("log_softmax")
    def _log_softmax_rule(out: Tensor, g: Tensor) -> tuple:
        (axis,) = out._ctx
        return (g - out.exp() * g.sum(axis=axis, keepdims=True),)
