"""Reductions of Tensors: sum and mean over axes (chapter 8).

Each method is followed by its rule, as :mod:`backprop_course.ops` describes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..checks import flag, normalise_axes
from ..graph import rule

if TYPE_CHECKING:
    from ..tensor import Tensor

__all__ = ["Reductions"]


class Reductions:
    """The reductions of :class:`~backprop_course.tensor.Tensor`."""

    __slots__ = ()

    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (all axes by default).

        Raises
        ------
        TypeError
            If an axis is not an int, or ``keepdims`` not a bool.
        ValueError
            If an axis is out of range or repeated.
        """
        if keepdims is not False and keepdims is not True:
            keepdims = flag(keepdims, "sum(): keepdims")
        axes = normalise_axes(axis, self.ndim)
        data = self.data.sum(axis=axes, keepdims=keepdims)
        out = self.from_op(data, (self,), "sum", ctx=(axes, keepdims), saved=())
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                # Every summed entry gets the gradient of the sum.
                if not keepdims:
                    grad = np.expand_dims(grad, axes)
                self.accumulate_grad(np.broadcast_to(grad, self.shape))

            out._backward = _backward
        return out

    @staticmethod
    @rule("sum")
    def _sum_rule(out: Tensor, g: Tensor) -> tuple:
        (a,), (axes, keepdims) = out._prev, out._ctx
        if not keepdims:
            g = g.reshape(tuple(1 if i in axes else n for i, n in enumerate(a.shape)))
        return (g + np.zeros(a.shape, a.dtype),)  # broadcast back to a's shape

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis`` (all axes by default).

        Raises
        ------
        TypeError
            If an axis is not an int, or ``keepdims`` not a bool.
        ValueError
            If an axis is out of range or repeated, or the mean is over no entries.
        """
        if keepdims is not False and keepdims is not True:
            keepdims = flag(keepdims, "mean(): keepdims")
        axes = normalise_axes(axis, self.ndim)
        count = int(np.prod([self.shape[i] for i in axes]))
        if count == 0:
            raise ValueError(
                f"mean over an empty axis of a tensor of shape {self.shape}: the mean of no "
                "entries is undefined"
            )
        return self.sum(axis=axes, keepdims=keepdims) * (1.0 / count)
