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

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..graph import topological_order
from ..scalar import Value
from ..tensor import Tensor

__all__: list[str] = []  # private: backprop_course.viz.step_through is the public face

Number = Any  # a float (Value graphs) or a numpy.ndarray (Tensor graphs)


@dataclass(frozen=True)
class NodeRecord:
    """One node of the graph, as the forward and the backward pass left it.

    ``index`` is its position in the engine's topological order (inputs first), ``inputs``
    the indices of its inputs (``_prev``, with repeats: ``x * x`` has ``(i, i)``), ``data``
    its value, ``grad`` the engine's gradient after the backward pass (None: none reached
    it, as for a Tensor that does not require one), ``shape`` its shape (None for a Value).
    """

    index: int
    name: str
    op: str
    inputs: tuple[int, ...]
    data: Number
    grad: Number | None
    shape: tuple[int, ...] | None
    requires_grad: bool


@dataclass(frozen=True)
class Contribution:
    """One term of the chain rule: what one node's backward function added into one input.

    ``source`` ran its ``_backward`` with ``upstream`` = dL/d(source) and added ``value``
    into the gradient of ``target``, its input number ``slot``. ``before`` and ``after`` are
    the target's gradient just before and after this term (``before`` is None for the
    first term), summed in the engine's order; ``count`` says that this is the target's
    ``count``-th term of ``total``.
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


@dataclass(frozen=True)
class Recording:
    """Everything :func:`record` found: nodes in the engine's order, and its terms in order."""

    kind: str  # "Value" or "Tensor"
    nodes: tuple[NodeRecord, ...]
    backward_order: tuple[int, ...]  # the nodes whose _backward the engine ran, in that order
    contributions: tuple[Contribution, ...]


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
    """
    order = topological_order(root)
    kind = "Value" if isinstance(root, Value) else "Tensor"
    before = [_get(node, kind) for node in order]
    try:
        for node in order:
            if not node._prev:
                _set(node, kind, 0.0 if kind == "Value" else None)
        root.backward()
        grads = [_copy(_get(node, kind)) for node in order]
        sent = _rerun(order, kind, func)
    finally:
        for node, grad in zip(order, before, strict=True):
            _set(node, kind, grad)
    index = {id(node): i for i, node in enumerate(order)}
    nodes = tuple(
        NodeRecord(
            index=i,
            name=names.get(id(node)) or getattr(node, "label", "") or f"n{i}",
            op=node._op,
            inputs=tuple(index[id(p)] for p in node._prev),
            data=node.data if kind == "Value" else np.array(node.data, copy=True),
            grad=grads[i],
            shape=None if kind == "Value" else tuple(node.shape),
            requires_grad=True if kind == "Value" else bool(node.requires_grad),
        )
        for i, node in enumerate(order)
    )
    backward_order = tuple(index[id(node)] for node, _ in sent)
    contributions = _accumulate(nodes, sent, index, kind, func)
    return Recording(kind, nodes, backward_order, contributions)


def _get(node: Any, kind: str) -> Number | None:
    return node.grad if kind == "Value" else node._grad


def _set(node: Any, kind: str, grad: Number | None) -> None:
    if kind == "Value":
        node.grad = grad
    else:
        node._grad = grad


def _rerun(order: list, kind: str, func: str) -> list[tuple[Any, list[tuple[Any, Number]]]]:
    """Each node's ``_backward`` once more, in the engine's order (that of ``propagate``).

    Returns, per node that the engine ran, the (input, term) pairs it sent, in the order
    it sent them.
    """
    sent = []
    for node in reversed(order):
        grad = _get(node, kind)
        if not node._prev or grad is None:
            continue  # propagate() skips these too
        inputs = list({id(p): p for p in node._prev}.values())
        kept = [_get(p, kind) for p in inputs]
        recorders = {id(p): _Terms() for p in inputs}
        try:
            for p in inputs:
                _set(p, kind, recorders[id(p)])
            node._backward(grad)
        except Exception as err:
            raise ValueError(
                f"{func}: the backward function of the operation {node._op!r} does not only "
                f"add into its inputs' gradients ({type(err).__name__}: {err}), so its "
                "contributions cannot be shown one by one"
            ) from None
        finally:
            for p, g in zip(inputs, kept, strict=True):
                _set(p, kind, g)
        # terms arrive input by input; interleave them back into the order of the calls
        sent.append((node, _in_slot_order(node._prev, recorders)))
    return sent


def _in_slot_order(prev: tuple, recorders: dict[int, _Terms]) -> list[tuple[Any, Number]]:
    """The terms as (input, term), the k-th term into an input matched with its k-th slot.

    A backward function adds into its inputs in the order of ``_prev`` (``self`` before
    ``other``), so ``x * x`` sends its two terms to slots 0 and 1 in turn. A term beyond an
    input's slots (an input added into twice by one slot) stays with its last slot.
    """
    taken: dict[int, int] = {}
    pairs = []
    for p in prev:
        k = taken.get(id(p), 0)
        terms = recorders[id(p)].terms
        if k < len(terms):
            taken[id(p)] = k + 1
            pairs.append((p, terms[k]))
    for p in dict.fromkeys(prev):  # leftovers, in the order of the inputs
        pairs += [(p, t) for t in recorders[id(p)].terms[taken.get(id(p), 0):]]
    return pairs


def _slot_of(prev: tuple, node: Any, k: int) -> int:
    """The position in ``prev`` of the k-th occurrence of ``node`` (the last if fewer)."""
    slots = [i for i, p in enumerate(prev) if p is node]
    return slots[min(k, len(slots) - 1)]


def _accumulate(
    nodes: tuple[NodeRecord, ...], sent: list, index: dict[int, int], kind: str, func: str
) -> tuple[Contribution, ...]:
    """Sum every target's terms in the engine's order; the sums must be the engine's grads."""
    totals: dict[int, int] = {}
    for _, pairs in sent:
        for p, _term in pairs:
            totals[index[id(p)]] = totals.get(index[id(p)], 0) + 1
    running: dict[int, Number] = {}
    counts: dict[int, int] = {}
    out = []
    for node, pairs in sent:
        source = index[id(node)]
        seen: dict[int, int] = {}
        for p, term in pairs:
            target = index[id(p)]
            k = seen[target] = seen.get(target, -1) + 1
            prior = running.get(target)
            if prior is None:  # the first term, as the engine stores it
                if kind == "Value":
                    after = 0.0 + term  # v.grad += term, from the 0.0 of a fresh pass
                elif p._prev:
                    after = term  # accumulate_grad keeps an inner node's first term
                else:
                    after = np.array(term, dtype=p.data.dtype, copy=True)  # a leaf's: a copy
            else:
                after = prior + term
            running[target] = after
            counts[target] = counts.get(target, 0) + 1
            out.append(Contribution(
                source=source, slot=_slot_of(node._prev, p, k), target=target,
                upstream=nodes[source].grad, value=term, before=prior, after=after,
                count=counts[target], total=totals[target],
            ))
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
