"""The computational graph: the order of its nodes and the backward walk (chapters 3 and 8).

Both engines build the same kind of graph: each node (a :class:`~backprop_course.scalar.Value`
or a :class:`~backprop_course.tensor.Tensor`) keeps its inputs in ``_prev`` and a
``_backward(grad)`` that passes ``grad`` = dL/d(node) on to them. This module holds
what does not depend on what a node contains: sorting the graph so that every node
comes after its inputs (:func:`topological_order`), and walking it backwards, calling
each node's ``_backward`` once every node that uses it has passed its gradient back
(:func:`propagate`). The higher-order backward pass of :mod:`backprop_course.higher` walks
the same order with a loop of its own, applying rules that build a graph of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["topological_order", "propagate", "RULES", "rule", "OUT"]


N = TypeVar("N")  # a graph node: anything hashable with a ``_prev`` tuple of inputs


def topological_order(root: N) -> list[N]:
    """Return every node that ``root`` depends on, inputs before the nodes that use them.

    The walk is a depth-first search written with an explicit stack instead of
    recursion, so a graph that is a chain of a million nodes is fine (a recursive
    version hits Python's recursion limit at about a thousand).

    Parameters
    ----------
    root
        Any node with a ``_prev`` tuple of input nodes (a
        :class:`~backprop_course.scalar.Value` or a :class:`~backprop_course.tensor.Tensor`).

    Returns
    -------
    list
        The nodes in topological order: each node comes after all of its inputs,
        and ``root`` comes last. The backward pass walks this list in reverse.
    """
    if not isinstance(getattr(root, "_prev", None), tuple):
        raise TypeError(
            f"topological_order needs a graph node (a Value or a Tensor), got "
            f"{type(root).__name__}"
        )
    order: list[N] = []
    visited: set[N] = {root}
    # Each stack entry is a node and an iterator over its inputs. The top node
    # is emitted once its iterator is exhausted, i.e. after all of its inputs.
    # A leaf (no inputs) is emitted at once, without a trip through the stack.
    stack = [(root, iter(root._prev))]  # type: ignore[attr-defined]
    while stack:
        node, inputs = stack[-1]
        for child in inputs:
            if child not in visited:
                visited.add(child)
                if child._prev:  # type: ignore[attr-defined]
                    stack.append((child, iter(child._prev)))  # type: ignore[attr-defined]
                    break
                order.append(child)
        else:
            stack.pop()
            order.append(node)
    return order


def propagate(order: list[N]) -> None:
    """Pass each node's gradient to its inputs, from the last node of ``order`` back.

    ``order`` is topological (inputs first, as :func:`topological_order` gives it) and
    its last node, the output, holds the seed in ``.grad``. In reverse order, every
    node has received the gradient of each node that uses it before it passes its
    own on, so each ``_backward`` runs once, with the complete sum. A leaf passes nothing
    on, nor does a Tensor that received no gradient (its ``grad`` is None; a Value's is
    always a number).

    Raises
    ------
    TypeError
        If ``order`` is not a list of nodes (as :func:`topological_order` returns).
    """
    if not isinstance(order, list):
        raise TypeError(
            f"propagate needs the list of nodes that topological_order returns, got "
            f"{type(order).__name__}"
        )
    for node in reversed(order):
        if node._prev:  # type: ignore[attr-defined]
            grad = node.grad  # type: ignore[attr-defined]
            if grad is not None:
                node._backward(grad)  # type: ignore[attr-defined]


OUT = object()
"""Stands for an operation's own output in the ``saved`` argument of ``Tensor.from_op``."""

Rule = Callable[[Any, Any], tuple]

RULES: dict[str, Rule] = {}
"""The differentiable backward pass of each Tensor operation, keyed by the operation's name.

A rule ``rule(out, g)`` receives an operation's output ``out`` (whose ``_prev`` holds the
inputs) and ``g`` = dL/d(out) as a Tensor, and returns dL/d(input) for each input, in
order, computed *with Tensor operations* (or None for an input that needs no gradient),
so that :mod:`backprop_course.higher` can differentiate the backward pass itself. Each
operation's rule is written beside the operation (``backprop_course/ops/``, ``nn.linear``,
the losses); the exponent operations ``**2``, ``**0.5``, ... share ``"**"``.
"""


def rule(op: str) -> Callable[[Rule], Rule]:
    """Register the decorated function as the rule of the operation named ``op``."""

    if not isinstance(op, str) or not op:
        raise TypeError(f"rule needs an operation name (a non-empty str), got {op!r}")

    def register(fn: Rule) -> Rule:
        if not callable(fn):
            raise TypeError(f"a rule must be callable rule(out, g), got {type(fn).__name__}")
        RULES[op] = fn
        return fn

    return register
