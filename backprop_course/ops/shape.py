"""Changing a Tensor's shape and picking entries: reshape, transpose, indexing (chapter 8).

Each method is followed by its rule, as :mod:`backprop_course.ops` describes.
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

import numpy as np

from ..checks import check_axis
from ..checks import describe as _describe
from ..graph import rule

if TYPE_CHECKING:
    from ..tensor import Tensor

__all__ = ["Shape", "stack"]


def _frozen_index(index: Any) -> Any:
    """A copy of an index that the caller can no longer change (lists and arrays in it)."""
    if isinstance(index, np.ndarray):
        return index.copy()
    if isinstance(index, list):
        try:
            arr = np.array(index)
        except ValueError:  # a ragged nested list
            raise IndexError(
                f"index {index!r:.60}: a list used as an index must be rectangular (every "
                "inner list of the same length)"
            ) from None
        # [] is an empty list of positions (NumPy would make it float, which cannot index)
        return arr.astype(np.intp) if arr.size == 0 else arr
    if isinstance(index, tuple):
        return tuple(_frozen_index(i) for i in index)
    return index


def _reshape_error(shape: tuple[int, ...], new_shape: Any) -> Exception:
    """Why ``reshape(new_shape)`` fails for a tensor of ``shape``, in words."""
    dims = tuple(new_shape) if isinstance(new_shape, tuple | list) else (new_shape,)
    for n in dims:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            return TypeError(
                f"reshape: every dimension must be an int, got {type(n).__name__} {n!r:.30} "
                f"in {dims!r:.60}"
            )
    if sum(1 for n in dims if n == -1) > 1:
        return ValueError(f"reshape: only one dimension can be -1 (inferred), got {dims}")
    if any(n < -1 for n in dims):
        return ValueError(f"reshape: a dimension cannot be negative (except -1), got {dims}")
    size = int(np.prod(shape))
    return ValueError(
        f"cannot reshape a tensor of shape {shape} ({size} entries) into {dims}"
        + (" (-1 must make the entries fit exactly)" if -1 in dims else
           f" ({int(np.prod(dims))} entries)")
    )


def scatter_add(g: Tensor, index: Any, shape: tuple[int, ...]) -> Tensor:
    """A zero Tensor of ``shape`` with ``g`` added at ``index``: indexing's VJP, as an op."""
    full = np.zeros(shape, g.dtype)
    np.add.at(full, index, g.data)
    out = g.from_op(full, (g,), "scatter_add", ctx=(index,), saved=())
    if out.requires_grad:

        def _backward(grad: np.ndarray) -> None:
            g.accumulate_grad(np.array(grad[index], copy=True))

        out._backward = _backward
    return out


def stack(tensors: list[Tensor] | tuple[Tensor, ...], axis: int = 0) -> Tensor:
    """Tensors of one shape joined along a new axis ``axis``, as ``np.stack`` and ``torch.stack``.

    ``stack([h_1, ..., h_T], axis=1)`` turns T states of shape (N, H) into one (N, T, H)
    tensor, one node with T inputs: the backward pass hands input ``i`` the slice ``i`` of
    the gradient along ``axis`` (stacking only moves numbers, so each input receives
    exactly the entries that came from it).

    Raises
    ------
    TypeError
        If ``tensors`` is not a list or tuple of Tensors, or ``axis`` is not an int.
    ValueError
        If there are no tensors, their shapes differ, or ``axis`` is out of range.
    """
    from ..tensor import Tensor  # here, not at the top: tensor.py imports this module

    if not isinstance(tensors, list | tuple):
        raise TypeError(f"stack needs a list or tuple of Tensors, got {_describe(tensors)}")
    if not tensors:
        raise ValueError("stack needs at least one tensor, got an empty list")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"stack: entry {i} is {_describe(t)}, not a Tensor")
        if t.shape != tensors[0].shape:
            raise ValueError(
                f"stack needs tensors of one shape: entry 0 has shape {tensors[0].shape}, "
                f"entry {i} has shape {t.shape}"
            )
    prev = tuple(tensors)
    axis = check_axis(axis, prev[0].ndim + 1)
    out = Tensor.from_op(np.stack([t.data for t in prev], axis=axis), prev, "stack",
                         ctx=(axis,), saved=())
    if out.requires_grad:

        def _backward(grad: np.ndarray) -> None:
            for i, t in enumerate(prev):
                if t.requires_grad:  # d(stack)/d(input i) picks slice i along axis
                    t.accumulate_grad(np.take(grad, i, axis=axis), owned=True)

        out._backward = _backward
    return out


@rule("stack")
def _stack_rule(out: Tensor, g: Tensor) -> tuple:
    (axis,) = out._ctx
    before = (slice(None),) * axis  # slice i along axis is g[:, ..., :, i]
    return tuple(g[(*before, i)] if t.requires_grad else None for i, t in enumerate(out._prev))


class Shape:
    """Shape changes and indexing of :class:`~backprop_course.tensor.Tensor`."""

    __slots__ = ()

    def reshape(self, *shape: int | tuple[int, ...]) -> Tensor:
        """The same entries in a new shape (``reshape(2, 3)`` or ``reshape((2, 3))``).

        One dimension may be -1: it is inferred from the others.

        Raises
        ------
        TypeError
            If a dimension is not an int (a float, a bool, a string).
        ValueError
            If the new shape holds another number of entries, has more than one -1, or a
            negative dimension other than -1.
        """
        new_shape = shape[0] if len(shape) == 1 and isinstance(shape[0], tuple | list) else shape
        try:
            data = self.data.reshape(new_shape)
        except (ValueError, TypeError):
            raise _reshape_error(self.shape, new_shape) from None
        out = self.from_op(data, (self,), "reshape", saved=())
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad.reshape(self.shape))

            out._backward = _backward
        return out

    @staticmethod
    @rule("reshape")
    def _reshape_rule(out: Tensor, g: Tensor) -> tuple:
        return (g.reshape(out._prev[0].shape),)

    def transpose(self, *axes: int) -> Tensor:
        """Permute the axes (reverse them when none are given), as ``numpy.transpose``."""
        perm = axes[0] if len(axes) == 1 and isinstance(axes[0], tuple | list) else axes
        perm = tuple(perm) if perm else tuple(reversed(range(self.ndim)))
        if sorted(check_axis(a, self.ndim) for a in perm) != list(range(self.ndim)):
            raise ValueError(f"transpose axes {perm} are not a permutation of {self.ndim} axes")
        inverse = tuple(int(i) for i in np.argsort([a % self.ndim for a in perm]))
        out = self.from_op(self.data.transpose(perm), (self,), "transpose", ctx=(inverse,),
                             saved=())
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad.transpose(inverse))

            out._backward = _backward
        return out

    @staticmethod
    @rule("transpose")
    def _transpose_rule(out: Tensor, g: Tensor) -> tuple:
        (inverse,) = out._ctx
        return (g.transpose(inverse),)

    @property
    def T(self) -> Tensor:  # noqa: N802 (NumPy's name)
        """The transpose (axes reversed)."""
        return self.transpose()

    def __getitem__(self, index: Any) -> Tensor:
        parts = index if isinstance(index, tuple) else (index,)
        if any(isinstance(part, Shape) for part in parts):
            raise TypeError(
                "a Tensor cannot be an index: it holds floats, so it cannot say whether it "
                "is a list of positions or a boolean mask. Index with a NumPy array of ints "
                "(x[idx.data.astype(int)]) or of booleans (x[t.data > 0])"
            )
        index = _frozen_index(index)  # the backward pass needs it as it is now
        try:
            data = self.data[index]
        except (IndexError, TypeError) as err:
            raise type(err)(
                f"index {index!r} into a tensor of shape {self.shape}: {err}"
            ) from None
        # ctx keeps the index for second derivatives (chapter 13)
        out = self.from_op(np.array(data, copy=True), (self,), "index", ctx=(index,), saved=())
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                full = np.zeros_like(self.data)
                np.add.at(full, index, grad)  # add.at: a repeated index gets every contribution
                self.accumulate_grad(full)

            out._backward = _backward
        return out

    @staticmethod
    @rule("index")
    def _index_rule(out: Tensor, g: Tensor) -> tuple:
        (index,) = out._ctx
        return (scatter_add(g, index, out._prev[0].shape),)

    @staticmethod
    @rule("scatter_add")
    def _scatter_add_rule(out: Tensor, g: Tensor) -> tuple:
        (index,) = out._ctx
        return (g[index],)
