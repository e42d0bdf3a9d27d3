"""Scalar reverse-mode automatic differentiation: the engine of chapter 3.

A :class:`Value` wraps one float. Every operation on Values builds a new Value
that remembers its inputs (``_prev``) and a small ``_backward`` function that
knows the *local* derivative of that one operation. Calling
:meth:`Value.backward` on the final result visits the graph from the output back
to the inputs and applies the chain rule at every node::

    >>> from backprop_course import Value
    >>> w, x, b = Value(0.5), Value(2.0), Value(-1.0)
    >>> a = (w * x + b).sigmoid()
    >>> a.backward()
    >>> round(w.grad, 6)        # da/dw = sigma'(z) * x
    0.5

Each ``_backward`` receives the gradient of its output, ``grad`` = dL/d(out),
and *adds* ``grad * local derivative`` into the ``.grad`` of each input: adding,
not overwriting, is what makes a value used twice receive both contributions.
"""

from __future__ import annotations

import gc
import math
import numbers
from collections.abc import Callable, Sequence

from ._deprecation import deprecated as _deprecated
from .graph import propagate, topological_order

__all__ = ["Value", "dot", "topological_order"]  # topological_order: from .graph, kept here




def _no_backward(grad: float) -> None:
    """The backward function of a leaf: nothing to propagate."""


def _as_value(other: object, op: str) -> Value:
    if isinstance(other, Value):
        return other
    if type(other) is float or type(other) is int or isinstance(other, numbers.Real):
        return Value(other)  # (the type() tests are a fast path: ABC checks are slow)
    raise TypeError(
        f"unsupported operand for {op}: Value and {type(other).__name__} "
        f"({other!r}); use a Value or a real number"
    )


class Value:
    """A scalar that records the operations applied to it, for reverse-mode autodiff.

    Parameters
    ----------
    data : float
        The number. Any real number (int, float, NumPy scalar) is accepted and
        stored as a Python float; strings, complex numbers, None, arrays and NaN
        are rejected.
    label : str, optional
        A name shown by graph drawings and ``repr``.

    Attributes
    ----------
    data : float
        The value computed by the forward pass.
    grad : float
        dL/d(this value) after ``L.backward()``; 0.0 before.

    Raises
    ------
    TypeError
        If ``data`` is not a real number.
    ValueError
        If ``data`` is NaN or infinite.
    """

    __slots__ = ("data", "grad", "label", "_prev", "_op", "_backward")

    def __init__(self, data: float, label: str = "") -> None:
        if type(data) is not float and type(data) is not int:  # fast path for the usual
            if isinstance(data, Value):
                raise TypeError("Value(...) got a Value; use it, or Value(v.data)")
            if isinstance(data, bool) or not isinstance(data, numbers.Real):
                raise TypeError(
                    f"Value needs a real number, got {type(data).__name__} ({data!r})"
                )
        data = float(data)
        if not math.isfinite(data):
            raise ValueError(f"Value needs a finite number, got {data}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self._prev: tuple[Value, ...] = ()
        self._op = ""
        self._backward: Callable[[float], None] = _no_backward

    @classmethod
    def from_op(cls, data: float, prev: tuple[Value, ...], op: str) -> Value:
        """The output node of an operation: its value, its inputs and the operation's name.

        This is how every operation below makes its output, and how you add your own
        (chapter 3): compute the value, make the node with ``Value.from_op(value,
        (inputs...), "name")``, then give it a ``_backward(grad)`` that adds
        ``grad * d(out)/d(input)`` into each input's ``.grad``. ``data`` is not
        checked: it is the result of an operation on Values, already a float.
        """
        out = cls.__new__(cls)
        out.data = data
        out.grad = 0.0
        out.label = ""
        out._prev = prev
        out._op = op
        out._backward = _no_backward
        return out

    @classmethod
    def _result(cls, data: float, prev: tuple[Value, ...], op: str) -> Value:
        """Deprecated name of :meth:`from_op` (it will be removed in the next release)."""
        _deprecated("Value._result", "Value.from_op")
        return cls.from_op(data, prev, op)

    # ------------------------------------------------------------------ ops
    # Each operation computes its output, then defines the local chain rule:
    # given grad = dL/d(out), add dL/d(input) = grad * d(out)/d(input).

    def __add__(self, other: Value | float) -> Value:
        other = _as_value(other, "+")
        out = Value.from_op(self.data + other.data, (self, other), "+")

        def _backward(grad: float) -> None:
            self.grad += grad  # d(a + b)/da = 1
            other.grad += grad  # d(a + b)/db = 1

        out._backward = _backward
        return out

    def __mul__(self, other: Value | float) -> Value:
        other = _as_value(other, "*")
        a, b = self.data, other.data  # the numbers this node saw
        out = Value.from_op(a * b, (self, other), "*")

        def _backward(grad: float) -> None:
            self.grad += grad * b  # d(a b)/da = b
            other.grad += grad * a  # d(a b)/db = a

        out._backward = _backward
        return out

    def __pow__(self, exponent: float) -> Value:
        if isinstance(exponent, Value):
            # a ** b with both variable: exp(b log a) gives both derivatives.
            if self.data <= 0:
                raise ValueError(
                    f"Value ** Value needs a positive base: it is computed as exp(b log a), "
                    f"and the base is {self.data}. For a power of a negative number, make the "
                    "exponent a plain number (v ** 2)"
                )
            return (exponent * self.log()).exp()
        if isinstance(exponent, bool) or not isinstance(exponent, numbers.Real):
            raise TypeError(f"Value ** needs a real-number exponent, got {type(exponent).__name__}")
        exponent = float(exponent)
        if not math.isfinite(exponent):
            raise ValueError(f"Value ** {exponent}: the exponent must be a finite number")
        base = self.data
        try:
            data = base**exponent
        except ZeroDivisionError:
            raise ZeroDivisionError(
                f"{base} ** {exponent}: zero to a negative power"
            ) from None
        except OverflowError:
            raise OverflowError(
                f"{base} ** {exponent} overflows a float (the largest is about 1.8e308)"
            ) from None
        if isinstance(data, complex):
            raise ValueError(
                f"{self.data} ** {exponent} is not a real number "
                "(a negative base needs an integer exponent)"
            )
        out = Value.from_op(data, (self,), f"**{exponent:g}")

        def _backward(grad: float) -> None:
            if exponent == 0:  # a^0 = 1 is constant, even at a = 0
                return
            if base == 0 and exponent < 1:
                raise FloatingPointError(
                    f"the derivative of x ** {exponent:g} is infinite at x = 0: "
                    f"backward() through '**{exponent:g}' cannot give a finite gradient"
                )
            self.grad += grad * exponent * base ** (exponent - 1)  # n a^(n-1)

        out._backward = _backward
        return out

    def __rpow__(self, base: float) -> Value:
        # base ** self, with a constant base: d(c^x)/dx = c^x log c
        return _as_value(base, "**") ** self

    def exp(self) -> Value:
        """e to the power of this value."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.data}) overflows a float") from None
        out = Value.from_op(e, (self,), "exp")

        def _backward(grad: float) -> None:
            self.grad += grad * e  # d(e^a)/da = e^a

        out._backward = _backward
        return out

    def log(self) -> Value:
        """Natural logarithm; the value must be positive."""
        if self.data <= 0:
            raise ValueError(f"log needs a positive number, got {self.data}")
        a = self.data
        out = Value.from_op(math.log(a), (self,), "log")

        def _backward(grad: float) -> None:
            self.grad += grad / a  # d(log a)/da = 1/a

        out._backward = _backward
        return out

    def tanh(self) -> Value:
        """Hyperbolic tangent."""
        t = math.tanh(self.data)
        out = Value.from_op(t, (self,), "tanh")

        def _backward(grad: float) -> None:
            self.grad += grad * (1.0 - t * t)  # d(tanh a)/da = 1 - tanh(a)^2

        out._backward = _backward
        return out

    def sigmoid(self) -> Value:
        """The sigmoid 1 / (1 + e^-z) of this value z, computed without overflow."""
        if self.data >= 0:
            s = 1.0 / (1.0 + math.exp(-self.data))
        else:
            e = math.exp(self.data)
            s = e / (1.0 + e)
        out = Value.from_op(s, (self,), "sigmoid")

        def _backward(grad: float) -> None:
            self.grad += grad * s * (1.0 - s)  # sigma'(z) = sigma(z)(1 - sigma(z))

        out._backward = _backward
        return out

    def relu(self) -> Value:
        """max(0, a). At a = 0 the derivative is taken to be 0."""
        positive = self.data > 0
        out = Value.from_op(self.data if positive else 0.0, (self,), "relu")

        def _backward(grad: float) -> None:
            if positive:
                self.grad += grad  # slope 1 right of the kink, 0 left of it

        out._backward = _backward
        return out

    # Everything else is built from the operations above.
    def __neg__(self) -> Value:
        return self * -1.0

    def __radd__(self, other: float) -> Value:
        return self + other

    def __sub__(self, other: Value | float) -> Value:
        return self + (-_as_value(other, "-"))

    def __rsub__(self, other: float) -> Value:
        return _as_value(other, "-") + (-self)

    def __rmul__(self, other: float) -> Value:
        return self * other

    def __truediv__(self, other: Value | float) -> Value:
        other = _as_value(other, "/")
        if other.data == 0:
            raise ZeroDivisionError(f"{self.data} / 0: division by a Value that is zero")
        return self * other**-1

    def __rtruediv__(self, other: float) -> Value:
        return _as_value(other, "/") / self

    # ------------------------------------------------------------ backward
    def backward(self) -> None:
        """Compute dself/dv for every Value v this one depends on, into ``v.grad``.

        The gradient of this (output) value with respect to itself is 1. Then
        every node, visited from the output back towards the inputs, passes its
        gradient to its inputs through its local derivative (the chain rule).

        Gradients of *leaves* (Values you created) accumulate across calls, as in
        PyTorch: set ``v.grad = 0.0`` between two backward passes if you do not
        want that. Intermediate nodes are reset at every call, so calling
        ``backward`` twice gives the leaves exactly twice the gradient.

        Raises
        ------
        FloatingPointError
            If this value is infinite (an operation overflowed): its gradients would be
            infinite or NaN.
        """
        # The graph has no reference cycles (a _backward does not refer to its
        # own output), so the cyclic garbage collector has nothing to find in
        # it; pausing it keeps a million-node backward pass linear in time.
        _check_finite_output(self)
        collecting = gc.isenabled()
        gc.disable()
        try:
            order = topological_order(self)
            for node in order:
                if node._prev:
                    node.grad = 0.0
            self.grad = 1.0 if self._prev else self.grad + 1.0
            propagate(order)  # each node's _backward, from the output back
        finally:
            if collecting:
                gc.enable()

    # ------------------------------------------------------------- helpers
    @property
    def children(self) -> tuple[Value, ...]:
        """The inputs of the operation that produced this value (empty for a leaf)."""
        return self._prev

    @property
    def op(self) -> str:
        """The name of the operation that produced this value ('' for a leaf)."""
        return self._op

    def __float__(self) -> float:
        return self.data

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"


def _check_finite_output(v: Value) -> None:
    """Refuse a backward pass from an overflowed value, as Tensor.backward does."""
    if not math.isfinite(v.data):
        raise FloatingPointError(
            f"backward() from a Value that is {v.data} (made by '{v._op}'): an operation "
            "overflowed (floats end near 1.8e308), or training has diverged (lower the "
            "learning rate); its gradients would be infinite or NaN, so none was computed"
        )


def _operands(v: object, what: str) -> Sequence[object]:
    """The weights or inputs of :func:`dot`: a list, tuple or 1-d array."""
    ndim = getattr(v, "ndim", None)  # a NumPy array
    if ndim is not None:
        if ndim != 1:
            raise ValueError(f"dot: the {what} must be 1-d, got an array of shape {v.shape}")
        return v  # type: ignore[return-value]
    if not isinstance(v, list | tuple):
        raise TypeError(
            f"dot: the {what} must be a list, tuple or 1-d array, got {type(v).__name__}"
        )
    return v


def _number(v: object, what: str) -> float:
    """The float inside a Value or a real number, for :func:`dot`."""
    if type(v) is float or type(v) is int:
        return float(v)
    if isinstance(v, Value):
        return v.data
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"dot: {what} must be a Value or a real number, got {type(v).__name__}")
    return float(v)


def dot(weights: Sequence[Value | float], inputs: Sequence[Value | float],
        bias: Value | float = 0.0) -> Value:
    """A neuron's weighted sum ``w_1 x_1 + ... + w_n x_n + b`` as *one* node.

    Built from ``*`` and ``+``, the sum makes 2n nodes, each with its own
    closure; this node has the same value and gradients
    (dL/dw_i = grad * x_i, dL/dx_i = grad * w_i, dL/db = grad) for the cost of
    one, as :func:`backprop_course.nn.linear` fuses a layer of the Tensor
    engine. Numbers (say, the inputs of the first layer) may stand in for any
    Value: they get no gradient and make no node.

    Raises
    ------
    ValueError
        If the lengths differ, an array is not 1-d, or the result is not finite.
    TypeError
        If ``weights`` or ``inputs`` is not a list, tuple or array, or an entry is
        neither a Value nor a real number.
    """
    weights, inputs = _operands(weights, "weights"), _operands(inputs, "inputs")
    if len(weights) != len(inputs):
        raise ValueError(
            f"dot needs as many weights as inputs, got {len(weights)} and {len(inputs)}"
        )
    w = [_number(v, "a weight") for v in weights]
    x = [_number(v, "an input") for v in inputs]
    total = sum(map(float.__mul__, w, x)) + _number(bias, "the bias")
    if not math.isfinite(total):
        raise ValueError(f"dot: the weighted sum is {total} (an input or weight is NaN or huge)")
    # (node, the factor its gradient gets) for every Value among the operands
    pairs = [(v, c) for v, c in zip(weights, x, strict=True) if isinstance(v, Value)]
    pairs += [(v, c) for v, c in zip(inputs, w, strict=True) if isinstance(v, Value)]
    if isinstance(bias, Value):
        pairs.append((bias, 1.0))
    out = Value.from_op(total, tuple(v for v, _ in pairs), "dot")

    def _backward(grad: float) -> None:
        for v, c in pairs:
            v.grad += grad * c  # d(sum_i w_i x_i + b)/dw_i = x_i, and so on

    out._backward = _backward
    return out
