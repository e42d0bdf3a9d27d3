"""Reverse-mode automatic differentiation on NumPy arrays: the engine of chapter 8.

:class:`Tensor` is :class:`~backprop_course.scalar.Value` with an ndarray
inside. The shape of the code is the same: every operation computes its output
and defines, right beside it, a ``_backward(grad)`` that receives
``grad`` = dL/d(out) (an array shaped like the output) and adds the
vector-Jacobian product into the ``.grad`` of each input.

Two things are new compared with scalars:

* **Broadcasting.** ``x + b`` with ``x`` of shape (N, D) and ``b`` of shape (D,)
  uses every entry of ``b`` N times, so its gradient is the *sum* of the N rows of
  ``grad``. :func:`~backprop_course.ops.broadcast.unbroadcast` does this reduction for
  every binary operation.
* **Only what is needed.** A Tensor made with ``requires_grad=False`` (data, labels,
  constants) gets no gradient, and operations whose inputs need none build no graph.
"""

from __future__ import annotations

import contextlib
import numbers
from collections.abc import Callable, Iterator
from typing import Any, Union

import numpy as np

from ._deprecation import deprecated as _deprecated
from .checks import as_array as _as_array
from .checks import flag as _flag
from .graph import OUT, propagate, topological_order
from .ops.arithmetic import Arithmetic
from .ops.broadcast import unbroadcast as unbroadcast  # re-exported (chapter 8 uses it)
from .ops.elementwise import Elementwise
from .ops.matmul import MatMul
from .ops.reductions import Reductions
from .ops.shape import Shape
from .ops.shape import stack as stack  # torch.stack
from .saved import BackwardError, check_saved, stamps

__all__ = ["Tensor", "no_grad", "as_tensor", "stack"]
# Also importable from here, as before the engine was split: BackwardError, check_saved
# (from backprop_course.saved), unbroadcast (ops.broadcast), OUT (graph).

ArrayLike = Union["Tensor", np.ndarray, float, int, list, tuple]


_ARRAYS = (np.ndarray, np.generic)  # what a backward function may pass to accumulate_grad


def _no_backward(grad: np.ndarray) -> None:
    """The backward function of a leaf: nothing to propagate."""


_recording = True  # False inside `with no_grad():`

_capturing: list[list[Tensor]] = []  # checkpoint(): the operations run inside a segment


@contextlib.contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block, operations record no graph, as with PyTorch's ``torch.no_grad()``.

    Use it to evaluate a model whose parameters require gradients (on test data, say)
    without building a graph that nobody will differentiate. Results computed inside
    do not require a gradient; the parameters themselves are unchanged.

        >>> W = Tensor([[1.0], [2.0]], requires_grad=True)
        >>> with no_grad():
        ...     y = Tensor([[3.0, 4.0]]) @ W
        >>> y.requires_grad
        False
    """
    global _recording
    previous, _recording = _recording, False
    try:
        yield
    finally:
        _recording = previous


class Tensor(Arithmetic, MatMul, Elementwise, Reductions, Shape):
    """An n-dimensional array that records operations for reverse-mode autodiff.

    Parameters
    ----------
    data : array_like
        Numbers: a scalar, a nested list, or an ndarray. Integers and booleans
        become float64; float32 stays float32; everything else is float64.
    requires_grad : bool, default False
        Whether ``backward()`` should compute dL/d(this tensor) into ``.grad``.
        Set it on parameters, leave it off for data.

    Attributes
    ----------
    data : numpy.ndarray
        The values.
    grad : numpy.ndarray or None
        dL/d(this tensor), the same shape as ``data``, after ``backward()``;
        None before (and always, if nothing that needs a gradient depends on it).
    requires_grad : bool
        See above; a result requires a gradient when any of its inputs does.

    Raises
    ------
    TypeError
        If ``data`` holds strings, objects or complex numbers, or ``requires_grad`` is
        not a bool (a string such as ``"no"`` would otherwise count as true).
    ValueError
        If ``data`` contains NaN or an infinity.
    """

    __slots__ = (
        "data", "_grad", "requires_grad", "_prev", "_op", "_ctx", "_backward", "_stamps",
        "__weakref__",
    )
    __array_ufunc__ = None  # make `ndarray + Tensor` call Tensor.__radd__

    def __init__(self, data: ArrayLike, requires_grad: bool = False) -> None:
        if isinstance(data, Tensor):
            data = data.data
        self.data: np.ndarray = _as_array(data)
        if requires_grad is not False and requires_grad is not True:
            requires_grad = _flag(requires_grad, "Tensor(): requires_grad")
        if requires_grad and self.data is data:
            # A parameter owns its array: an optimiser updates it in place, which
            # must not change the caller's array.
            self.data = self.data.copy()
        self._grad: np.ndarray | None = None
        self.requires_grad = bool(requires_grad)
        self._prev: tuple[Tensor, ...] = ()
        self._op = ""
        self._ctx: tuple = ()
        self._backward: Callable[[np.ndarray], None] = _no_backward
        self._stamps: tuple | list = ()

    @classmethod
    def from_op(
        cls, data: np.ndarray, prev: tuple[Tensor, ...], op: str, ctx: tuple = (),
        saved: tuple | None = None,
    ) -> Tensor:
        """The output of an operation; it joins the graph only if an input needs a gradient.

        This is how every operation of the engine makes its output, and how you add
        your own (chapter 8): compute the array, make the node with
        ``Tensor.from_op(data, (inputs...), "name")``, and if ``out.requires_grad``,
        give it a ``_backward(grad)`` that passes each input its gradient with
        :meth:`accumulate_grad`. ``data`` is not checked: it is an operation's result.

        ``ctx`` keeps the operation's parameters (an axis, an exponent) for
        higher-order gradients (:mod:`backprop_course.higher`, chapter 13).
        ``saved`` lists the tensors whose data the operation's ``_backward`` reads
        (``OUT`` for the output itself); :meth:`backward` checks that none of them
        changed since (:func:`~backprop_course.saved.check_saved`). By default every
        input and the output are watched, which is always safe; the built-in
        operations list only what they read.
        """
        out = Tensor.__new__(Tensor)  # a Tensor, even when called through a subclass
        if _capturing:
            _capturing[-1].append(out)
        out.data = data
        out._grad = None
        out._op = op
        out._ctx = ctx
        out._backward = _no_backward
        out.requires_grad = False
        out._prev = out._stamps = ()
        if _recording:
            for p in prev:
                if p.requires_grad:  # an input needs a gradient: the output joins the graph
                    out.requires_grad = True
                    out._prev = prev
                    watched = (*prev, OUT) if saved is None else saved
                    if watched:
                        out._stamps = stamps(out, watched)
                    break
        return out

    @classmethod
    def _result(cls, *args: Any, **kwargs: Any) -> Tensor:
        """Deprecated name of :meth:`from_op` (it will be removed in the next release)."""
        _deprecated("Tensor._result", "Tensor.from_op")
        return cls.from_op(*args, **kwargs)

    def _accumulate(self, grad: np.ndarray, owned: bool = False) -> None:
        """Deprecated name of :meth:`accumulate_grad` (it will be removed in the next release)."""
        _deprecated("Tensor._accumulate", "Tensor.accumulate_grad")
        self.accumulate_grad(grad, owned)

    @property
    def grad(self) -> np.ndarray | None:
        """dL/d(this tensor) after ``backward()``, shaped like ``data``; None before."""
        return self._grad

    @grad.setter
    def grad(self, value: Any) -> None:
        if value is None:
            self._grad = None
            return
        if isinstance(value, Tensor):
            value = value.data
        try:
            arr = np.asarray(value)
        except ValueError:  # a ragged nested list
            raise TypeError("a gradient must be an array of regular (rectangular) shape") from None
        if arr.dtype.kind not in "fiu":
            raise TypeError(
                f"a gradient must hold real numbers, got {type(value).__name__} of dtype "
                f"{arr.dtype}"
            )
        if arr.shape != self.data.shape:
            raise ValueError(
                f"a gradient must have its tensor's shape {self.data.shape}, got an array of "
                f"shape {arr.shape}"
            )
        self._grad = arr if arr.dtype == self.data.dtype else arr.astype(self.data.dtype)

    # ------------------------------------------------------------ basics
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor (a scalar); use .item() or .shape")
        return len(self.data)

    def __iter__(self) -> Iterator[Tensor]:
        """The entries along the first axis, each an indexing node (``t[0], t[1], ...``)."""
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor (a scalar); use .item()")
        for i in range(len(self.data)):
            yield self[i]

    def __bool__(self) -> bool:
        """The truth of a one-element tensor, as PyTorch; ambiguous for more elements."""
        if self.data.size != 1:
            raise ValueError(
                f"the truth value of a tensor with {self.data.size} elements (shape "
                f"{self.shape}) is ambiguous: use (t > 0).all() style tests on t.data, or "
                "t.item() for a one-element tensor"
            )
        return bool(self.data.reshape(()))

    def item(self) -> float:
        """The single number in a one-element tensor."""
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor with one element, got shape {self.shape}")
        return float(self.data.reshape(()))

    def __float__(self) -> float:
        return self.item()

    def numpy(self) -> np.ndarray:
        """The data as an ndarray (the same array, not a copy)."""
        return self.data

    def detach(self) -> Tensor:
        """A new leaf with the same data that is cut off from the graph."""
        return Tensor.from_op(self.data, (), "detach", saved=())

    def zero_grad(self) -> None:
        """Forget the gradient (``grad = None``)."""
        self.grad = None

    def __repr__(self) -> str:
        body = np.array2string(self.data, precision=4, separator=", ", prefix="Tensor(")
        rg = ", requires_grad=True" if self.requires_grad else ""
        return f"Tensor({body}{rg})"

    # -------------------------------------------------------- arithmetic
    def _constant(self, other: ArrayLike) -> Tensor:
        """``other`` as a Tensor; a Python number takes this tensor's float type, as in
        NumPy 2 and PyTorch (``float32 * 2.0`` stays float32)."""
        if isinstance(other, Tensor):
            return other
        if isinstance(other, numbers.Real) and not isinstance(other, np.generic) \
                and self.data.dtype == np.float32:
            return Tensor(np.float32(other))
        return Tensor(other)

    def _binary(self, other: ArrayLike, fn: Callable, symbol: str, verb: str) -> tuple:
        other = self._constant(other)
        try:
            data = fn(self.data, other.data)
        except ValueError:
            raise ValueError(
                f"cannot {verb} {self.shape} {symbol} {other.shape}: "
                "the shapes do not broadcast (trailing dimensions must be equal or 1)"
            ) from None
        return other, data


    # ----------------------------------------------------------- backward
    def accumulate_grad(self, grad: np.ndarray, owned: bool = False) -> None:
        """Add ``grad`` into ``self.grad`` (the chain rule's sum over paths).

        ``owned=True`` promises that ``grad`` is a new array that nothing else
        refers to, so that it can become a leaf's ``.grad`` without a copy.

        A gradient always has its tensor's shape; a backward function that
        passes anything else (a forgotten ``unbroadcast``, say) is stopped here,
        where the mistake is made, instead of corrupting an update later.
        """
        if not isinstance(grad, _ARRAYS):
            raise TypeError(
                f"accumulate_grad needs a NumPy array (shaped like the tensor, {self.shape}), got "
                f"{type(grad).__name__}"
            )
        if grad.shape != self.data.shape:
            raise ValueError(
                f"a backward pass gave a gradient of shape {grad.shape} to a tensor "
                f"of shape {self.data.shape}: a gradient must have its tensor's shape "
                "(was a broadcast not summed back?)"
            )
        if self._grad is None:
            # A leaf's .grad belongs to the user: give it its own writable array
            # (grad may be shared with another input, as in a + b, or be a
            # read-only broadcast view). Inner nodes only read theirs.
            if self._prev or (owned and grad.dtype == self.data.dtype):
                self._grad = grad
            else:
                self._grad = np.array(grad, dtype=self.data.dtype, copy=True)
        else:
            self._grad = self._grad + grad

    def backward(self, grad: ArrayLike | None = None) -> None:
        """Compute dL/dt for every tensor t this one depends on that requires a gradient.

        Parameters
        ----------
        grad : array_like, optional
            dL/d(this tensor), the "seed" of the backward pass. It may be left out
            only when this tensor is a scalar (one element), where it is 1.

        Raises
        ------
        BackwardError
            If this tensor is not a scalar and no ``grad`` is given, if ``grad``
            has another shape, or if nothing in the graph requires a gradient.

        Notes
        -----
        Leaf gradients accumulate across calls, as in PyTorch (call
        ``zero_grad()`` between steps); intermediate gradients are recomputed.
        """
        if not self.requires_grad:
            raise BackwardError(
                "backward() on a tensor that does not require a gradient: none of the tensors "
                "it was computed from was created with requires_grad=True (or it was computed "
                "inside `with no_grad():`)"
            )
        if not np.isfinite(self.data).all():
            raise FloatingPointError(
                f"backward() from a tensor that contains NaN or inf (shape {self.shape}): "
                "the forward pass overflowed, or training has diverged (lower the learning "
                "rate); no gradient was computed"
            )
        if grad is None:
            if self.data.size != 1:
                raise BackwardError(
                    f"backward() without a grad argument needs a scalar output, but this tensor "
                    f"is not a scalar: its shape is {self.shape}. Reduce it first (e.g. .sum() "
                    "or .mean()), or pass grad= an array of that shape"
                )
            seed = np.ones(self.data.shape, self.data.dtype)
        else:
            seed = _as_array(grad.data if isinstance(grad, Tensor) else grad, "backward grad")
            if seed.shape != self.shape:
                raise BackwardError(
                    f"backward grad has shape {seed.shape} but the tensor has shape {self.shape}"
                )
        order = topological_order(self)
        check_saved(order)  # refuse before any gradient is touched
        for node in order:
            if node._prev:
                node._grad = None
        self.accumulate_grad(seed)
        propagate(order)


def as_tensor(a: Any, where: str = "as_tensor", name: str = "data") -> Tensor:
    """``a`` as a Tensor: a Tensor is returned as it is, anything else becomes a constant.

    This is how the package's functions accept arrays and lists where a Tensor goes (the
    data, the labels): a constant gets no gradient. ``where`` and ``name`` name the
    caller and the argument in the error, so that a bad value is reported where it was
    passed: ``as_tensor("x", "mse", "pred")`` raises "mse got a bad pred: ...".

    Raises
    ------
    TypeError
        If ``a`` is not real numbers in a rectangular shape (see :class:`Tensor`).
    ValueError
        If ``a`` holds NaN or an infinity.
    """
    if isinstance(a, Tensor):
        return a
    try:
        return Tensor(a)
    except (TypeError, ValueError) as err:
        raise type(err)(f"{where} got a bad {name}: {err}") from None


@contextlib.contextmanager
def capture_operations() -> Iterator[list[Tensor]]:
    """Collect every Tensor that an operation creates inside the block (for checkpoint)."""
    created: list[Tensor] = []
    _capturing.append(created)
    try:
        yield created
    finally:
        _capturing.pop()


