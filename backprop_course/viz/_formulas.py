"""What step_through writes about one operation: its forward expression and the local
derivative of its output with respect to one input, as a formula with the numbers put in
(private; see :mod:`backprop_course.viz.step_through`).

Nothing here computes a gradient that is shown as the engine's: the numbers a local
derivative is made of (the other factor of a product, ``1 - t²`` of a tanh) are read
from the recorded nodes, and the gradient sent is always the engine's own term.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ._trace import NodeRecord

__all__: list[str] = []

Fmt = Callable[[Any], str]  # formats a number or an array at the trace's digits


def atom(name: str) -> str:
    """A node's name as one factor of a formula: ``a−y`` becomes ``(a−y)``, while ``(a−y)²``
    and ``x1`` stay as they are (no operator outside parentheses)."""
    depth = 0
    for ch in name:
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch in " +−-·*/^@":
            return f"({name})"
    return name


def expression(op: str, names: list[str], tensor: bool = False) -> str:
    """The forward operation as an expression of its inputs' names: ``a · b``, ``tanh(d)``
    (``a * b`` for Tensors, whose product is entry by entry)."""
    names = [atom(n) for n in names]
    binary = {"+": "+", "-": "−", "*": "*" if tensor else "·", "/": "/", "@": "@"}
    if op in binary and len(names) == 2:
        return f"{names[0]} {binary[op]} {names[1]}"
    if op.startswith("**") and len(names) == 1:
        return f"{names[0]}^{op[2:]}"
    if op == "linear":
        return f"{names[0]} @ {names[1]}" + (f" + {names[2]}" if len(names) > 2 else "")
    if op == "dot":
        return f"the weighted sum of {', '.join(names)}"
    if op == "index":
        return f"{names[0]}[…]"
    return f"{op}({', '.join(names)})"


def local_symbol(op: str, names: list[str], slot: int, tensor: bool = False) -> str:
    """The local derivative written with the operation itself, ``∂(d·e)/∂d``, never with
    the output's name: ``∂L/∂d`` is the book's symbol for the whole gradient."""
    n = atom(names[slot])
    if op == "dot":
        return f"∂dot(…)/∂{n}"
    expr = expression(op, names, tensor)
    call = expr.startswith(f"{op}(") and expr.endswith(")")
    return f"∂{expr}/∂{n}" if call else f"∂({expr})/∂{n}"


def forward_numbers(op: str, inputs: list[NodeRecord], fmt: Fmt) -> str:
    """The forward expression with the inputs' numbers, for scalar (Value) nodes."""
    values = [fmt(n.data) if i == 0 else _paren(fmt(n.data)) for i, n in enumerate(inputs)]
    if op in ("+", "*") and len(values) == 2:
        return f"{values[0]} {'+' if op == '+' else '·'} {values[1]}"
    if op.startswith("**") and len(values) == 1:
        return f"{_paren(values[0])}^{op[2:]}"
    if op in ("exp", "log", "tanh", "sigmoid", "relu"):
        return f"{op}({fmt(inputs[0].data)})"
    return ""


def _paren(text: str) -> str:
    """A negative number in parentheses, for a product: ``2 · (-0.5)``."""
    return f"({text})" if text.startswith("-") else text


# --------------------------------------------------------------------- Value (scalars)


class Local(NamedTuple):
    """A local derivative as a step shows it: ``formula`` (the rule with its numbers put in),
    ``masked`` (the same with the numbers left out, for predict mode), ``factor`` (how the
    line "Sent to" writes it) and ``value`` (None for an operation the view does not know)."""

    formula: str
    masked: str
    factor: str
    value: float | None


def value_local(
    op: str, out: NodeRecord, inputs: list[NodeRecord], slot: int, fmt: Fmt,
    coefficient: float | None = None,
) -> Local:
    """``d(out)/d(input slot)`` of a Value operation, with its numbers (see :class:`Local`).

    ``coefficient`` is the factor a ``dot`` node recorded for this input.
    """
    u = inputs[slot]
    o, n = out.name, atom(u.name)
    d = local_symbol(op, [x.name for x in inputs], slot)

    def rule(text: str, value: float | None) -> Local:
        return Local(f"{d} = {text}", f"{d} = ?", d, value)

    if op == "+":
        return rule("1 (a sum passes its gradient through)", 1.0)
    if op == "*":
        other = inputs[1 - slot]
        if other.index == u.index:  # x * x: one term per factor, each the other factor
            return Local(
                f"{d} = 2{n} = {fmt(2.0 * u.data)}, sent as two terms, one per factor: each "
                f"is the other factor, {n} = {fmt(u.data)}",
                f"{d} = ?, sent as two terms, one per factor", n, other.data)
        return rule(f"{atom(other.name)} = {fmt(other.data)} (the other factor)",
                    other.data)
    if op.startswith("**"):
        k = float(op[2:])
        local = 0.0 if k == 0 else k * u.data ** (k - 1)
        return rule(f"{op[2:]}·{n}^{_g(k - 1)} = {op[2:]}·{_paren(fmt(u.data))}^{_g(k - 1)}"
                    f" = {fmt(local)}", local)
    if op == "exp":
        return rule(f"e^{n} = {o} = {fmt(out.data)}", out.data)
    if op == "log":
        return rule(f"1/{n} = 1/{_paren(fmt(u.data))} = {fmt(1.0 / u.data)}", 1.0 / u.data)
    if op == "tanh":
        t = out.data
        return rule(f"1 − tanh²({n}) = 1 − {atom(o)}² = 1 − {_paren(fmt(t))}² = "
                    f"{fmt(1.0 - t * t)}", 1.0 - t * t)
    if op == "sigmoid":
        s = out.data
        return rule(f"σ({n})(1 − σ({n})) = {fmt(s)} · (1 − {fmt(s)}) = {fmt(s * (1.0 - s))}",
                    s * (1.0 - s))
    if op == "relu":
        local = 1.0 if u.data > 0 else 0.0
        side = f"{n} = {fmt(u.data)} {'>' if u.data > 0 else '≤'} 0"
        return rule(f"{fmt(local)} (slope 1 where {n} > 0, else 0; here {side})", local)
    if op == "dot" and coefficient is not None:
        return rule(f"{fmt(coefficient)} (the factor {n} is multiplied by in the sum)",
                    coefficient)
    return Local(f"{d}: the rule of the operation {op!r} is its own backward function, "
                 "which this view does not know", f"{d} = ?", d, None)


def _g(k: float) -> str:
    return format(k, "g")


def dot_coefficients(backward: Callable[..., Any]) -> list[float] | None:
    """The factors a :func:`~backprop_course.scalar.dot` node recorded, one per input."""
    closure = getattr(backward, "__closure__", None) or ()
    names = getattr(getattr(backward, "__code__", None), "co_freevars", ())
    cells = dict(zip(names, closure, strict=False))
    pairs = cells.get("pairs")
    try:
        return [float(c) for _, c in pairs.cell_contents] if pairs else None
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------- Tensor (arrays)


def loss_targets(op: str, out: NodeRecord, fmt: Fmt) -> tuple[str, str, str]:
    """What a loss node compares its input with (kept in its ``ctx``), as three phrases: the
    labels of ``cross_entropy`` or the targets of ``binary_cross_entropy`` ("labels [1, 0]"),
    what they are, and the N of the mean ("N = 2 rows"); empty for any other node."""
    if op not in ("cross_entropy", "binary_cross_entropy") or not out.ctx:
        return "", "", ""
    y = np.asarray(out.ctx[0])
    if op == "cross_entropy":
        return (f"labels {array_text(y, lambda v: format(int(v), 'd'))}",
                "the correct class of each row, counted from 0", f"N = {len(y)} rows")
    return (f"targets {array_text(y, fmt)}", "the wanted output of each entry",
            f"N = {y.size} entries")


def tensor_local(op: str, out: NodeRecord, inputs: list[NodeRecord], slot: int, fmt: Fmt,
                 loss: str) -> str:
    """How a Tensor operation turns dL/d(out) into the gradient of input ``slot``."""
    u = inputs[slot]
    o, n = out.name, atom(u.name)
    g = f"∂{loss}/∂{atom(o)}"
    d = local_symbol(op, [x.name for x in inputs], slot, tensor=True)
    other = inputs[1 - slot] if len(inputs) == 2 else None
    if op == "+":
        return f"{d} = 1: {g} passes through"
    if op == "-":
        return f"{d} = {'1' if slot == 0 else '−1'}: {g} passes through" + \
            ("" if slot == 0 else ", negated")
    if op == "*" and other is not None:
        v = atom(other.name)
        if other.index == u.index:  # z * z: one term per factor, each the other factor
            return (f"{d} = 2{n}, entry by entry, sent as two terms, one per factor: each is "
                    f"{g} * {v}, the other factor, {v} = {fmt(other.data)}")
        return f"{d} = {v} = {fmt(other.data)}, entry by entry: {g} * {v}"
    if op == "/" and other is not None:
        v = atom(other.name)
        if slot == 0:
            return f"{d} = 1/{v}, entry by entry: {g} / {v}"
        a = atom(inputs[0].name)
        return f"{d} = −{a}/{n}², entry by entry: −{g} * {a} / {n}²"
    if op == "@" and other is not None:
        if slot == 0:
            return f"{g} @ {other.name}ᵀ: {_shape(out)} @ {_shape(other, True)} → {_shape(u)}"
        return f"{other.name}ᵀ @ {g}: {_shape(other, True)} @ {_shape(out)} → {_shape(u)}"
    if op.startswith("**"):
        return f"{d} = {op[2:]}·{n}^{_g(float(op[2:]) - 1)}, entry by entry"
    short, _, count = loss_targets(op, out, fmt)
    targets = f", for {short} and {count}" if short else ""
    local = {
        "exp": f"{d} = e^{n} = {o}, entry by entry",
        "log": f"{d} = 1/{n}, entry by entry",
        "tanh": f"{d} = 1 − {atom(o)}², entry by entry",
        "sigmoid": f"{d} = {atom(o)}(1 − {atom(o)}), entry by entry",
        "silu": f"{d} = σ({n})(1 + {n}(1 − σ({n}))), entry by entry",
        "relu": f"{d} = 1 where {n} > 0, else 0",
        "sum": f"every entry of {n} that was summed gets {g}: {g} is copied out to {_shape(u)}",
        "reshape": f"{g} is reshaped back to {_shape(u)}",
        "transpose": f"{g} is transposed back to {_shape(u)}",
        "index": f"{g} goes back to the entries of {n} that were picked, 0 elsewhere",
        "log_softmax": f"{g} − softmax({n}) · (the sum of {g} along the axis)",
        "cross_entropy": f"(softmax({n}) − onehot(labels)) / N, times {g}: p − y with the "
                         f"mean's 1/N{targets}",
        "binary_cross_entropy": f"(σ({n}) − y) / N, times {g}{targets}",
    }.get(op)
    if local:
        return local
    if op == "linear":
        x, w = inputs[0].name, inputs[1].name
        return [f"{g} @ {w}ᵀ", f"{x}ᵀ @ {g}", f"the sum of {g} over the batch"][min(slot, 2)]
    return f"the rule of the operation {op!r} is its own backward function"


def _shape(node: NodeRecord, transposed: bool = False) -> str:
    shape = node.shape or ()
    if transposed and len(shape) >= 2:
        shape = (*shape[:-2], shape[-1], shape[-2])
    return str(tuple(shape))


def reduction_note(op: str, out: NodeRecord, u: NodeRecord) -> str:
    """For a binary elementwise op whose input was broadcast: how its gradient is summed back.

    Empty when ``u`` had the output's shape. The axes are those that
    :func:`~backprop_course.ops.broadcast.unbroadcast` sums over.
    """
    if op not in ("+", "-", "*", "/") or out.shape is None or u.shape == out.shape:
        return ""
    shape, full = tuple(u.shape or ()), tuple(out.shape)
    extra = len(full) - len(shape)
    axes = list(range(extra)) + [
        extra + i for i, n in enumerate(shape) if n == 1 and full[extra + i] != 1
    ]
    which = "axis" if len(axes) == 1 else "axes"
    listed = ", ".join(str(a) for a in axes)
    return (f"{u.name} was broadcast from {shape} to {full}, so each entry of {u.name} was used "
            f"several times: its gradient is summed over {which} {listed}, {full} → {shape}")


def array_text(a: Any, fmt: Fmt, limit: int = 12) -> str:
    """An array as nested lists, or its first entries when it has more than ``limit``."""
    arr = np.asarray(a)
    if arr.ndim == 0:
        return fmt(float(arr))
    if arr.size <= limit:
        return _nested(arr, fmt)
    head = ", ".join(fmt(float(v)) for v in arr.reshape(-1)[:4])
    return f"[{head}, …] ({arr.size} entries)"


def _nested(arr: np.ndarray, fmt: Fmt) -> str:
    if arr.ndim == 1:
        return "[" + ", ".join(fmt(float(v)) for v in arr) + "]"
    return "[" + ", ".join(_nested(row, fmt) for row in arr) + "]"
