"""Matrix products of Tensors, ``a @ b``, with NumPy's rules for 1-D and batched operands.

Each method is followed by its rule, as :mod:`backprop_course.ops` describes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..graph import rule
from .broadcast import unbroadcast

if TYPE_CHECKING:
    from ..tensor import ArrayLike, Tensor

__all__ = ["MatMul"]


def _swap_last(t: Tensor) -> Tensor:
    return t.transpose(*range(t.ndim - 2), t.ndim - 1, t.ndim - 2)


class MatMul:
    """The ``@`` operator of :class:`~backprop_course.tensor.Tensor`."""

    __slots__ = ()

    def __matmul__(self, other: ArrayLike) -> Tensor:
        other = self._constant(other)
        a, b = self.data, other.data
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError(
                f"cannot multiply {self.shape} @ {other.shape}: matmul needs arrays of at least "
                "one dimension (use * for scalars)"
            )
        k_a, k_b = a.shape[-1], b.shape[0] if b.ndim == 1 else b.shape[-2]
        if k_a != k_b:
            raise ValueError(
                f"cannot multiply {self.shape} @ {other.shape}: inner dimensions {k_a} and "
                f"{k_b} differ"
            )
        try:
            data = a @ b
        except ValueError:
            raise ValueError(
                f"cannot multiply {self.shape} @ {other.shape}: the batch dimensions do not "
                "broadcast"
            ) from None
        needs = (other,) * self.requires_grad + (self,) * other.requires_grad
        out = self.from_op(data, (self, other), "@", saved=needs)
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                # View 1-D operands as a row (a) or a column (b), as matmul does.
                a2 = a[None, :] if a.ndim == 1 else a
                b2 = b[:, None] if b.ndim == 1 else b
                # Restore the axes matmul removed; the column first, so that a
                # 0-d grad (vector @ vector) becomes (1,) and then (1, 1).
                g = grad
                if b.ndim == 1:
                    g = np.expand_dims(g, -1)
                if a.ndim == 1:
                    g = np.expand_dims(g, -2)
                if self.requires_grad:  # dL/dA = dL/dC B^T
                    da = unbroadcast(g @ np.swapaxes(b2, -1, -2), a2.shape)
                    self.accumulate_grad(da.reshape(a.shape))
                if other.requires_grad:  # dL/dB = A^T dL/dC
                    db = unbroadcast(np.swapaxes(a2, -1, -2) @ g, b2.shape)
                    other.accumulate_grad(db.reshape(b.shape))

            out._backward = _backward
        return out

    @staticmethod
    @rule("@")
    def _matmul_rule(out: Tensor, g: Tensor) -> tuple:
        a, b = out._prev
        a2 = a.reshape(1, a.shape[0]) if a.ndim == 1 else a
        b2 = b.reshape(b.shape[0], 1) if b.ndim == 1 else b
        if b.ndim == 1:
            g = g.reshape(*g.shape, 1)
        if a.ndim == 1:
            g = g.reshape(*g.shape[:-1], 1, g.shape[-1])
        da = db = None
        if a.requires_grad:  # dL/dA = dL/dC B^T
            da = unbroadcast(g @ _swap_last(b2), a2.shape).reshape(a.shape)
        if b.requires_grad:  # dL/dB = A^T dL/dC
            db = unbroadcast(_swap_last(a2) @ g, b2.shape).reshape(b.shape)
        return da, db

    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return self._constant(other) @ self
