"""A real backward pass, recorded contribution by contribution (private; see step_through).

:func:`record` runs the engine's own ``backward()`` on a graph of
:class:`~backprop_course.scalar.Value` or :class:`~backprop_course.tensor.Tensor` nodes,
then runs each node's ``_backward`` once more, in the engine's order, with every input's
gradient replaced by a :class:`_Terms` that keeps each term added into it instead of
summing. That gives the gradient each node sends to each of its inputs (the engine's own
numbers, computed by the engine's own code), in the order the engine adds them. The
terms are then summed in that order, as the engine sums them, and the sums must equal
the engine's gradients *exactly*; they are the accumulation that ``step_through`` shows
term by term. Every ``.grad`` of the graph is put back as it was before the call.
"""

from __future__ import annotations

import gc
import math
from typing import Any, NamedTuple

import numpy as np

from ..graph import topological_order
from ..scalar import Value
from ..tensor import Tensor

__all__: list[str] = []  # private: backprop_course.viz.step_through is the public face

Number = Any  # a float (Value graphs) or a numpy.ndarray (Tensor graphs)

NOTHING = object()
"""Stands, among the terms, for an input that wants a gradient and was sent none."""


class NodeRecord(NamedTuple):
    """One node of the graph, as the forward and the backward pass left it.

    ``index`` is its position in the engine's topological order (inputs first), ``inputs``
    the indices of its inputs (``_prev``, with repeats: ``x * x`` has ``(i, i)``), ``data``
    its value, ``grad`` the engine's gradient after the backward pass (None: none reached
    it, as for a Tensor that does not require one), ``shape`` its shape (None for a Value),
    ``ctx`` what a Tensor operation kept besides its inputs (a loss's labels, say).
    """

    index: int
    name: str
    op: str
    inputs: tuple[int, ...]
    data: Number
    grad: Number | None
    shape: tuple[int, ...] | None
    requires_grad: bool
    ctx: tuple = ()


class Contribution(NamedTuple):
    """One term of the chain rule: what one node's backward function added into one input.

    ``source`` ran its ``_backward`` with ``upstream`` = dL/d(source) and added ``value``
    into the gradient of ``target``, its input number ``slot``. ``before`` and ``after`` are
    the target's gradient just before and after this term (``before`` is None for the
    first term), summed in the engine's order; ``count`` says that this is the target's
    ``count``-th term of ``total``. ``added`` is False for an input the backward function
    left alone although it wants a gradient (a Value ReLU whose input is <= 0 adds
    nothing): a term of 0 that the engine never adds, so that every input of every node
    the engine visits gets its step.
    """

    source: int
    slot: int
    target: int
    upstream: Number
    value: Number
    before: Number | None
    after: Number
    count: int
    total: int
    added: bool = True


class Recording(NamedTuple):
    """Everything :func:`record` found: nodes in the engine's order, and its terms in order,
    and the backward function of each node that has one (by index: dot's factors are there)."""

    kind: str  # "Value" or "Tensor"
    nodes: tuple[NodeRecord, ...]
    backward_order: tuple[int, ...]  # the nodes whose _backward the engine ran, in that order
    contributions: tuple[Contribution, ...]
    backward_fns: dict[int, Any]


class _Terms:
    """Stands in for an input's gradient while a ``_backward`` runs again: keeps each term.

    A Value's backward adds with ``v.grad += term``; a Tensor's ``accumulate_grad`` does
    ``self._grad = self._grad + term`` once a gradient is there. Both land here.
    """

    __slots__ = ("terms",)

    def __init__(self) -> None:
        self.terms: list[Number] = []

    def __add__(self, term: Number) -> _Terms:
        self.terms.append(np.array(term, copy=True) if isinstance(term, np.ndarray) else term)
        return self

    __iadd__ = __add__
    __radd__ = __add__


def _copy(g: Number | None) -> Number | None:
    return np.array(g, copy=True) if isinstance(g, np.ndarray) else g


def record(root: Value | Tensor, names: dict[int, str], func: str) -> Recording:
    """Run ``root``'s backward pass and record it; every ``.grad`` is restored afterwards.

    ``names`` maps ``id(node)`` to a display name (a Value's label otherwise, else ``n<i>``).
    The cyclic garbage collector is paused meanwhile, as ``Value.backward`` pauses it: the
    records hold no reference cycles, so its passes over them would only cost time.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _record(root, names, func)
    finally:
        if collecting:
            gc.enable()


def _record(root: Value | Tensor, names: dict[int, str], func: str) -> Recording:
    order = topological_order(root)
    kind = "Value" if isinstance(root, Value) else "Tensor"
    attr = "grad" if kind == "Value" else "_grad"  # a Tensor's .grad setter checks shapes
    before = [getattr(node, attr) for node in order]
    index = {id(node): i for i, node in enumerate(order)}
    try:
        for node in order:
            if not node._prev:
                setattr(node, attr, 0.0 if kind == "Value" else None)
        root.backward()
        grads = [_copy(getattr(node, attr)) for node in order]
        sent = _rerun(order, index, attr, func)
    finally:
        for node, grad in zip(order, before, strict=True):
            setattr(node, attr, grad)
    tensor = kind == "Tensor"
    nodes = tuple(
        NodeRecord(
            i, names.get(id(node)) or getattr(node, "label", "") or f"n{i}", node._op,
            tuple([index[id(p)] for p in node._prev]),
            np.array(node.data, copy=True) if tensor else node.data, grads[i],
            tuple(node.shape) if tensor else None, bool(node.requires_grad) if tensor else True,
            tuple(node._ctx) if tensor else (),
        )
        for i, node in enumerate(order)
    )
    contributions = _accumulate(nodes, sent, order, kind, func)
    fns = {i: node._backward for i, node in enumerate(order) if node._prev}
    return Recording(kind, nodes, tuple(i for i, _ in sent), contributions, fns)


def _rerun(order: list, index: dict[int, int], attr: str, func: str
           ) -> list[tuple[int, list[tuple[int, int, Number]]]]:
    """Each node's ``_backward`` once more, in the engine's order (that of ``propagate``).

    Returns, per node that the engine ran (by index), the terms it sent as (slot, input's
    index, term), in the order it sent them.
    """
    sent = []
    for node in reversed(order):
        grad = getattr(node, attr)
        prev = node._prev
        if not prev or grad is None:
            continue  # propagate() skips these too
        inputs = list(dict.fromkeys(prev))  # an input used twice is set aside once
        kept = [getattr(p, attr) for p in inputs]
        recorders = [_Terms() for _ in inputs]
        try:
            for p, r in zip(inputs, recorders, strict=True):
                setattr(p, attr, r)
            node._backward(grad)
        except Exception as err:
            raise ValueError(
                f"{func}: the backward function of the operation {node._op!r} does not only "
                f"add into its inputs' gradients ({type(err).__name__}: {err}), so its "
                "contributions cannot be shown one by one"
            ) from None
        finally:
            for p, g in zip(inputs, kept, strict=True):
                setattr(p, attr, g)
        if len(inputs) == len(prev) and all(len(r.terms) == 1 for r in recorders):
            terms = [(k, index[id(p)], r.terms[0])  # the usual case: one term per input
                     for k, (p, r) in enumerate(zip(prev, recorders, strict=True))]
        else:
            terms = _in_slot_order(prev, inputs, recorders, index, attr == "grad")
        sent.append((index[id(node)], terms))
    return sent



def _in_slot_order(prev: tuple, inputs: list, recorders: list[_Terms], index: dict[int, int],
                   scalar: bool) -> list[tuple[int, int, Number]]:
    """The terms as (slot, input, term), the k-th term into an input matched with its k-th slot.

    A backward function adds into its inputs in the order of ``_prev`` (``self`` before
    ``other``), so ``x * x`` sends its two terms to slots 0 and 1 in turn. A slot that got
    no term gets :data:`NOTHING` if its input wants a gradient (every Value does, a Tensor
    if it requires one): a ReLU of a Value <= 0 adds nothing, and still has its step. A
    term beyond an input's slots (an input added into twice by one slot) stays with its
    last slot.
    """
    terms_of = {id(p): r.terms for p, r in zip(inputs, recorders, strict=True)}
    taken: dict[int, int] = {}
    last_slot: dict[int, int] = {}
    out = []
    for slot, p in enumerate(prev):
        k = taken.get(id(p), 0)
        last_slot[id(p)] = slot
        if k < len(terms_of[id(p)]):
            taken[id(p)] = k + 1
            out.append((slot, index[id(p)], terms_of[id(p)][k]))
        elif scalar or p.requires_grad:
            out.append((slot, index[id(p)], NOTHING))
    for p in inputs:  # leftovers, in the order of the inputs
        out += [(last_slot[id(p)], index[id(p)], t) for t in terms_of[id(p)][taken.get(id(p), 0):]]
    return out


def _accumulate(
    nodes: tuple[NodeRecord, ...], sent: list, order: list, kind: str, func: str
) -> tuple[Contribution, ...]:
    """Sum every target's terms in the engine's order; the sums must be the engine's grads."""
    totals: dict[int, int] = {}
    for _, terms in sent:
        for _slot, target, _term in terms:
            totals[target] = totals.get(target, 0) + 1
    running: dict[int, Number] = {}
    counts: dict[int, int] = {}
    out = []
    for source, terms in sent:
        upstream = nodes[source].grad
        for slot, target, term in terms:
            prior = running.get(target)
            added = term is not NOTHING
            if not added:  # a term of 0 that the engine never adds: the sum stays
                term = 0.0 if kind == "Value" else np.zeros(
                    order[target].shape, dtype=order[target].data.dtype)
                after = (0.0 if kind == "Value" else None) if prior is None else prior
            elif prior is None:  # the first term, as the engine stores it
                if kind == "Value":
                    after = 0.0 + term  # v.grad += term, from the 0.0 of a fresh pass
                elif order[target]._prev:
                    after = term  # accumulate_grad keeps an inner node's first term
                else:  # a leaf's: a copy in its own float type
                    after = np.array(term, dtype=order[target].data.dtype, copy=True)
            else:
                after = prior + term
            if after is not None:
                running[target] = after
            count = counts[target] = counts.get(target, 0) + 1
            out.append(Contribution(source, slot, target, upstream, term, prior, after, count,
                                    totals[target], added))
    _check_sums(nodes, running, kind, func)
    return tuple(out)


def _check_sums(nodes: tuple[NodeRecord, ...], running: dict[int, Number], kind: str,
                func: str) -> None:
    """Every recorded sum equals the engine's gradient, bit for bit."""
    root = len(nodes) - 1
    for node in nodes:
        if node.index == root or (node.index not in running and node.grad is None):
            continue
        total = running.get(node.index, 0.0 if kind == "Value" else None)
        same = (total == node.grad) if kind == "Value" else (
            total is not None and node.grad is not None and total.dtype == node.grad.dtype
            and np.array_equal(total, node.grad)
        )
        if kind == "Value" and not same and isinstance(total, float) and math.isnan(total):
            same = isinstance(node.grad, float) and math.isnan(node.grad)
        if not same:
            raise ValueError(
                f"{func}: the contributions recorded for node {node.name!r} (op "
                f"{node.op or 'leaf'!r}) do not add up to the gradient the engine computed; "
                "does an operation's backward function do more than add into its inputs?"
            )
