"""Reverse-mode automatic differentiation on NumPy arrays: the engine of chapter 8.

:class:`Tensor` is :class:`~backprop_course.scalar.Value` with an ndarray
inside. The shape of the code is the same: every operation computes its output
and defines, right beside it, a ``_backward(grad)`` that receives
``grad`` = dL/d(out) (an array shaped like the output) and adds the
vector-Jacobian product into the ``.grad`` of each input.

Two things are new compared with scalars:

* **Broadcasting.** ``x + b`` with ``x`` of shape (N, D) and ``b`` of shape (D,)
  uses every entry of ``b`` N times, so its gradient is the *sum* of the N rows of
  ``grad``. :func:`unbroadcast` does this reduction for every binary operation.
* **Only what is needed.** A Tensor made with ``requires_grad=False`` (data, labels,
  constants) gets no gradient, and operations whose inputs need none build no graph.
"""

from __future__ import annotations

import contextlib
import inspect
import math
import numbers
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NoReturn, Union

import numpy as np

from .graph import propagate, topological_order
from .scalar import _deprecated

__all__ = ["Tensor", "BackwardError", "check_saved", "no_grad", "unbroadcast"]

ArrayLike = Union["Tensor", np.ndarray, float, int, list, tuple]


class BackwardError(ValueError, RuntimeError):
    """``backward()`` was called on something it cannot start from.

    It is both a ValueError (the output or seed has the wrong shape) and a
    RuntimeError (what PyTorch raises in the same situation).
    """


def _no_backward(grad: np.ndarray) -> None:
    """The backward function of a leaf: nothing to propagate."""


_recording = True  # False inside `with no_grad():`

_capturing: list[list[Tensor]] = []  # checkpoint(): the operations run inside a segment

OUT = object()
"""Stands for an operation's own output in the ``saved`` argument of :meth:`Tensor.from_op`."""

_MIXERS: dict[tuple[np.dtype, tuple[int, ...]], np.ndarray] = {}  # fixed weights by dtype, shape


def _fingerprint(a: np.ndarray) -> float:
    """A number that changes when any entry of ``a`` changes by more than round-off.

    The sum of the entries times fixed random weights (one vectorised pass, much
    cheaper than a copy). A change of one entry by ``d`` moves it by ``d`` times that
    entry's weight, so only changes far below the round-off of the sum (which could
    not make a gradient measurably wrong) can go unseen.
    """
    key = (a.dtype, a.shape)
    mixer = _MIXERS.get(key)
    if mixer is None:
        if len(_MIXERS) > 256:  # many shapes seen: forget them, keep memory bounded
            _MIXERS.clear()
        rng = np.random.default_rng(1986)
        mixer = _MIXERS[key] = rng.standard_normal(a.shape).astype(a.dtype)
    return float(np.vdot(a, mixer)) if a.size else 0.0


def _describe(node: Tensor, t: Tensor) -> str:
    if t is node:
        return f"its output (shape {t.shape})"
    where = [i for i, p in enumerate(node._prev) if p is t]
    what = "a tensor that requires a gradient" if t.requires_grad else "a constant"
    if not t._prev:
        what += ", a leaf"
    position = f"input {where[0]} " if where else "a tensor "
    return f"its {position}(shape {t.shape}, {what})"


def check_saved(nodes: Iterable[Tensor]) -> None:
    """Raise if data that a backward function of ``nodes`` reads changed after the forward pass.

    An operation records (at the forward pass) the arrays its ``_backward`` will
    read, with a fingerprint of each parameter's (a leaf that requires a gradient).
    If a parameter's array was changed in place since (``w.data[:] = ...``,
    ``w.data -= ...``, an optimiser step), or any recorded array replaced
    (``t.data = ...``), the backward pass would compute the gradient of a
    computation that never happened; PyTorch refuses it with its version counters,
    and so do we. Not checked: writing in place into the array of a constant (the
    data) or of a computed tensor. Nothing in the package does either, and
    fingerprinting them would cost as much as the forward pass itself when the data
    batch is the largest array, as it often is. Every backward pass calls this on its
    nodes before it computes anything, so that a refusal leaves every gradient as it was.
    """
    seen: dict[int, float] = {}  # each array's fingerprint, computed once
    for node in nodes:
        for t, arr, fp in node._stamps:
            if t is None:
                t = node
            if fp is not None or t.data is not arr:  # else: nothing can have changed
                _check_stamp(node, t, arr, fp, seen)


def _check_stamp(node: Tensor, t: Tensor, arr: np.ndarray, fp: float | None,
                 seen: dict[int, float]) -> None:
    if t.data is not arr:
        raise BackwardError(
            f"backward() through '{node._op}': the data of {_describe(node, t)} was "
            f"replaced (t.data = ...) after the forward pass, but '{node._op}' needs "
            "the values it computed with. Run the forward pass again after changing "
            "the data"
        )
    if fp is None:  # not a parameter: only its identity is checked
        return
    now = seen.get(id(arr))
    if now is None:
        now = seen[id(arr)] = _fingerprint(arr)
    if not (now == fp or (fp != fp and now != now)):
        raise BackwardError(
            f"backward() through '{node._op}': the data of {_describe(node, t)} was "
            "changed in place after the forward pass (w.data[:] = ..., w.data -= ..., "
            f"an optimiser step...), but '{node._op}' saved it to compute its "
            "gradient, which would now be wrong. Run the forward pass again after "
            "changing the data (PyTorch refuses this too: 'modified by an inplace "
            "operation')"
        )


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


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` down to ``shape``, undoing NumPy broadcasting.

    An operand of shape ``shape`` that was broadcast to ``grad.shape`` was used
    once for every entry along the broadcast axes, so by the multivariate chain
    rule its gradient is the sum over those axes.

    Parameters
    ----------
    grad : numpy.ndarray
        Gradient with respect to the broadcast result.
    shape : tuple of int
        The operand's own shape; ``grad.shape`` must be a broadcast of it.

    Returns
    -------
    numpy.ndarray
        An array of shape ``shape``.

    Raises
    ------
    ValueError
        If ``grad.shape`` is not a broadcast of ``shape`` (the sum would have another shape).
    TypeError
        If ``grad`` is not an array (or a Tensor) or ``shape`` not a tuple of ints.
    """
    try:
        if grad.shape == shape:
            return grad
        extra = grad.ndim - len(shape)  # leading axes that broadcasting added
    except (AttributeError, TypeError):  # not an array, or not a shape
        _not_a_broadcast(grad, shape)
    if extra < 0:
        _not_a_broadcast(grad, shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    # Axes where the operand had size 1 and was stretched.
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    if grad.shape != tuple(shape):
        _not_a_broadcast(grad, shape)
    return grad


def _not_a_broadcast(grad: Any, shape: Any) -> NoReturn:
    """Raise the error of :func:`unbroadcast` when ``grad`` is no broadcast of ``shape``."""
    if not hasattr(grad, "shape") or not hasattr(grad, "sum"):
        raise TypeError(f"unbroadcast needs an array as grad, got {type(grad).__name__}")
    if not isinstance(shape, tuple | list) or not all(
        isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 0 for n in shape
    ):
        raise TypeError(f"unbroadcast needs a shape (a tuple of ints), got {shape!r}")
    raise ValueError(
        f"unbroadcast: a gradient of shape {tuple(grad.shape)} is not a broadcast of the shape "
        f"{tuple(shape)} (it must have at least as many axes, and each of the shape's last "
        "axes must equal the gradient's or be 1)"
    )


def _as_array(data: Any, what: str = "Tensor data") -> np.ndarray:
    """Convert user data to a float array, with clear errors for bad input."""
    try:
        arr = np.asarray(data)
    except (ValueError, TypeError) as err:  # ragged nested lists
        raise TypeError(f"{what} must be numbers in a regular (rectangular) shape: {err}") from None
    kind = arr.dtype.kind
    if kind == "f":
        if arr.dtype.itemsize < 4:  # float16 is too coarse for gradients
            arr = arr.astype(np.float32)
    elif kind in "biu":
        arr = arr.astype(np.float64)
    else:
        described = {"c": "complex", "U": "strings", "S": "bytes", "O": "Python objects"}.get(
            kind, str(arr.dtype)
        )
        raise TypeError(
            f"{what} must be real numbers, got an array of {described} (dtype {arr.dtype}): "
            f"{np.array2string(arr.ravel()[:3], threshold=3)}"
        )
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))
        first = tuple(int(i) for i in bad[0]) if arr.ndim else ()
        raise ValueError(
            f"{what} contains {len(bad)} NaN or infinite value(s), the first at index {first}: "
            f"{arr[first] if arr.ndim else arr}"
        )
    return arr


class Tensor:
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
        changed since (:func:`check_saved`). By default every input and the output
        are watched, which is always safe; the built-in operations list only what
        they read.
        """
        out = cls.__new__(cls)
        if _capturing:
            _capturing[-1].append(out)
        out.data = data
        out._grad = None
        requires_grad = False
        if _recording:
            for p in prev:
                if p.requires_grad:
                    requires_grad = True
                    break
        out.requires_grad = requires_grad
        out._prev = prev if requires_grad else ()
        out._op = op
        out._ctx = ctx
        out._backward = _no_backward
        if requires_grad and saved != ():
            watched = (*prev, out) if saved is None else saved
            # The output is recorded as None, not as itself: no reference cycle. Only a
            # parameter's array (a leaf that requires a gradient) gets a fingerprint:
            # parameters are what optimisers and learners change in place; the other
            # arrays are checked for being replaced, which keeps the check cheap (the
            # data batch is often the largest array of all; see check_saved).
            stamps = []
            for w in watched:
                if w is OUT or w is out:
                    stamps.append((None, data, None))
                else:
                    arr = w.data
                    param = w.requires_grad and not w._prev
                    stamps.append((w, arr, _fingerprint(arr) if param else None))
            out._stamps = stamps
        else:
            out._stamps = ()
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

    def __add__(self, other: ArrayLike) -> Tensor:
        other, data = self._binary(other, np.add, "and", "add")
        out = Tensor.from_op(data, (self, other), "+", saved=())
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                if self.requires_grad:
                    self.accumulate_grad(unbroadcast(grad, self.shape))
                if other.requires_grad:
                    other.accumulate_grad(unbroadcast(grad, other.shape))

            out._backward = _backward
        return out

    def __sub__(self, other: ArrayLike) -> Tensor:
        other, data = self._binary(other, np.subtract, "and", "subtract")
        out = Tensor.from_op(data, (self, other), "-", saved=())
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                if self.requires_grad:
                    self.accumulate_grad(unbroadcast(grad, self.shape))
                if other.requires_grad:
                    other.accumulate_grad(unbroadcast(-grad, other.shape))

            out._backward = _backward
        return out

    def __mul__(self, other: ArrayLike) -> Tensor:
        other, data = self._binary(other, np.multiply, "and", "multiply")
        needs = (other,) * self.requires_grad + (self,) * other.requires_grad
        out = Tensor.from_op(data, (self, other), "*", saved=needs)
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                if self.requires_grad:
                    self.accumulate_grad(unbroadcast(grad * other.data, self.shape))
                if other.requires_grad:
                    other.accumulate_grad(unbroadcast(grad * self.data, other.shape))

            out._backward = _backward
        return out

    def __truediv__(self, other: ArrayLike) -> Tensor:
        other, data = self._binary(other, _checked_divide, "by", "divide")
        needs = (other,) if self.requires_grad or other.requires_grad else ()
        needs += (self,) * other.requires_grad
        out = Tensor.from_op(data, (self, other), "/", saved=needs)
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                if self.requires_grad:  # d(a/b)/da = 1/b
                    self.accumulate_grad(unbroadcast(grad / other.data, self.shape))
                if other.requires_grad:  # d(a/b)/db = -a/b^2
                    db = -grad * self.data / other.data**2
                    other.accumulate_grad(unbroadcast(db, other.shape))

            out._backward = _backward
        return out

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
        out = Tensor.from_op(data, (self,), f"**{n:g}", ctx=(n,), saved=(self,))
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

    def __rpow__(self, base: ArrayLike) -> Tensor:
        if isinstance(base, numbers.Real) and not base > 0:
            raise ValueError(
                f"{base} ** Tensor needs a positive base: it is computed as exp(x log {base})"
            )
        return self._constant(base) ** self

    def __matmul__(self, other: ArrayLike) -> Tensor:
        other = other if isinstance(other, Tensor) else Tensor(other)
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
        out = Tensor.from_op(data, (self, other), "@", saved=needs)
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

    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return Tensor(other) @ self

    # -------------------------------------------------- elementwise maths
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
        out = Tensor.from_op(e, (self,), "exp", saved=(OUT,))
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad * e)  # d(e^x)/dx = e^x

            out._backward = _backward
        return out

    def log(self) -> Tensor:
        """Elementwise natural logarithm; every entry must be positive."""
        if (self.data <= 0).any():
            bad = np.argwhere(self.data <= 0)
            first = tuple(int(i) for i in bad[0])
            raise ValueError(
                f"log needs positive entries; {len(bad)} are zero or negative, the first at "
                f"index {first}: {self.data[first]}"
            )
        out = Tensor.from_op(np.log(self.data), (self,), "log", saved=(self,))
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad / self.data)  # d(log x)/dx = 1/x

            out._backward = _backward
        return out

    def tanh(self) -> Tensor:
        """Elementwise hyperbolic tangent."""
        t = np.tanh(self.data)
        out = Tensor.from_op(t, (self,), "tanh", saved=(OUT,))
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad * (1.0 - t * t))  # 1 - tanh^2

            out._backward = _backward
        return out

    def sigmoid(self) -> Tensor:
        """Elementwise logistic function 1 / (1 + e^-x), without overflow for large ``|x|``."""
        x = self.data
        e = np.exp(-np.abs(x))  # never overflows
        s = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        out = Tensor.from_op(s, (self,), "sigmoid", saved=(OUT,))
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad * s * (1.0 - s))  # sigma(1 - sigma)

            out._backward = _backward
        return out

    def relu(self) -> Tensor:
        """Elementwise max(0, x); the derivative at 0 is taken to be 0."""
        out = Tensor.from_op(np.maximum(self.data, 0.0), (self,), "relu", saved=(self,))
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad * (self.data > 0))  # slope 1 where x > 0, else 0

            out._backward = _backward
        return out

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
        out = Tensor.from_op(result, (self,), "log_softmax", ctx=(axis,), saved=(OUT,))
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                softmax = np.exp(result)
                self.accumulate_grad(grad - softmax * grad.sum(axis=along, keepdims=True))

            out._backward = _backward
        return out

    # -------------------------------------------------------- reductions
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
            keepdims = _flag(keepdims, "sum(): keepdims")
        axes = _normalise_axes(axis, self.ndim)
        data = self.data.sum(axis=axes, keepdims=keepdims)
        out = Tensor.from_op(data, (self,), "sum", ctx=(axes, keepdims), saved=())
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                # Every summed entry gets the gradient of the sum.
                if not keepdims:
                    grad = np.expand_dims(grad, axes)
                self.accumulate_grad(np.broadcast_to(grad, self.shape))

            out._backward = _backward
        return out

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
            keepdims = _flag(keepdims, "mean(): keepdims")
        axes = _normalise_axes(axis, self.ndim)
        count = int(np.prod([self.shape[i] for i in axes]))
        if count == 0:
            raise ValueError(
                f"mean over an empty axis of a tensor of shape {self.shape}: the mean of no "
                "entries is undefined"
            )
        return self.sum(axis=axes, keepdims=keepdims) * (1.0 / count)

    # -------------------------------------------------------------- shape
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
        out = Tensor.from_op(data, (self,), "reshape", saved=())
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad.reshape(self.shape))

            out._backward = _backward
        return out

    def transpose(self, *axes: int) -> Tensor:
        """Permute the axes (reverse them when none are given), as ``numpy.transpose``."""
        perm = axes[0] if len(axes) == 1 and isinstance(axes[0], tuple | list) else axes
        perm = tuple(perm) if perm else tuple(reversed(range(self.ndim)))
        if sorted(_check_axis(a, self.ndim) for a in perm) != list(range(self.ndim)):
            raise ValueError(f"transpose axes {perm} are not a permutation of {self.ndim} axes")
        inverse = tuple(int(i) for i in np.argsort([a % self.ndim for a in perm]))
        out = Tensor.from_op(self.data.transpose(perm), (self,), "transpose", ctx=(inverse,),
                             saved=())
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad.transpose(inverse))

            out._backward = _backward
        return out

    @property
    def T(self) -> Tensor:  # noqa: N802 (NumPy's name)
        """The transpose (axes reversed)."""
        return self.transpose()

    def __getitem__(self, index: Any) -> Tensor:
        parts = index if isinstance(index, tuple) else (index,)
        if any(isinstance(part, Tensor) for part in parts):
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
        out = Tensor.from_op(np.array(data, copy=True), (self,), "index", ctx=(index,), saved=())
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                full = np.zeros_like(self.data)
                np.add.at(full, index, grad)  # add.at: a repeated index gets every contribution
                self.accumulate_grad(full)

            out._backward = _backward
        return out

    # ----------------------------------------------------------- backward
    def accumulate_grad(self, grad: np.ndarray, owned: bool = False) -> None:
        """Add ``grad`` into ``self.grad`` (the chain rule's sum over paths).

        ``owned=True`` promises that ``grad`` is a new array that nothing else
        refers to, so that it can become a leaf's ``.grad`` without a copy.

        A gradient always has its tensor's shape; a backward function that
        passes anything else (a forgotten ``unbroadcast``, say) is stopped here,
        where the mistake is made, instead of corrupting an update later.
        """
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


@contextlib.contextmanager
def capture_operations() -> Iterator[list[Tensor]]:
    """Collect every Tensor that an operation creates inside the block (for checkpoint)."""
    created: list[Tensor] = []
    _capturing.append(created)
    try:
        yield created
    finally:
        _capturing.pop()


def _checked_divide(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if (b == 0).any():
        raise ZeroDivisionError(f"division by a tensor with zero entries (shape {b.shape})")
    return a / b


def _check_axis(axis: int, ndim: int) -> int:
    if not isinstance(axis, numbers.Integral) or isinstance(axis, bool):
        raise TypeError(f"axis must be an int, got {type(axis).__name__}")
    if not -max(ndim, 1) <= axis < max(ndim, 1):
        raise ValueError(f"axis {axis} is out of range for a tensor with {ndim} dimensions")
    return int(axis) % max(ndim, 1)


def _check_callable(f: Any, what: str, called_with: str, *args: Any, **kwargs: Any) -> None:
    """Raise TypeError unless ``f`` is a function that can be called with ``args``.

    ``what`` names ``f`` for the message ("gradcheck: f"), ``called_with`` says in words
    what it will be given ("2 Tensors, one per input").
    """
    if not callable(f):
        raise TypeError(f"{what} must be a function, got {type(f).__name__} ({f!r:.40})")
    try:
        signature = inspect.signature(f)
    except (TypeError, ValueError):  # a built-in without a signature: let the call decide
        return
    try:
        signature.bind(*args, **kwargs)
    except TypeError as err:
        raise TypeError(
            f"{what} is called with {called_with}, but its parameters are {signature}: {err}"
        ) from None


def _flag(value: Any, what: str) -> bool:
    """A bool option (NumPy's bool too); anything else, even a truthy string, is refused."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise TypeError(f"{what} must be True or False, got {type(value).__name__} {value!r:.40}")


def _softmax_axis(axis: int, shape: tuple[int, ...]) -> int:
    """The axis of a (log-)softmax, checked: an int in range, and not of length 0."""
    axis = _check_axis(axis, len(shape))
    if shape and shape[axis] == 0:
        raise ValueError(
            f"log_softmax over axis {axis} of a tensor of shape {shape}: the axis has no "
            "entries (no classes), so there is no distribution to normalise"
        )
    return axis


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


def _normalise_axes(axis: int | tuple[int, ...] | None, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if not isinstance(axis, tuple | list) else tuple(axis)
    normalised = tuple(_check_axis(a, ndim) for a in axes)
    if ndim == 0:  # as PyTorch: a scalar's axis 0 (or -1) is the scalar itself
        return ()
    if len(set(normalised)) != len(normalised):
        raise ValueError(f"repeated axis in {axis}")
    return normalised
