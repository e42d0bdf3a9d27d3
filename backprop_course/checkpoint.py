"""The memory cost of backpropagation, and gradient checkpointing (chapter 11).

The backward pass needs values from the forward pass: a dense layer's ``dW = xᵀ δ``
needs its input ``x``, a tanh layer its output. So a graph keeps every
intermediate array alive until the backward pass is over, and the memory of
training grows in proportion to the depth of the network.

*Gradient checkpointing* (Chen et al. 2016; Griewank & Walther 2008) trades time
for memory: run the forward pass keeping only the input of every ``k``-th layer
(the checkpoints), and during the backward pass recompute each segment of ``k``
layers from its checkpoint, backpropagate through it, and let it go. With
``k = √L`` a chain of ``L`` layers needs memory for about ``2√L`` activations
instead of ``L``, for the price of one more forward pass.

* :func:`graph_nbytes` adds up the arrays a Tensor graph holds;
* :func:`peak_memory` measures the peak memory of a call with :mod:`tracemalloc`;
* :func:`checkpoint` runs one segment without keeping its graph;
* :func:`checkpoint_sequential` runs a chain of layers in checkpointed segments.

>>> import numpy as np, backprop_course as bc
>>> layers = [bc.nn.Linear(3, 3, rng=i) for i in range(4)]
>>> out = bc.checkpoint.checkpoint_sequential(layers, np.ones((2, 3)), every=2)
>>> out.sum().backward()           # recomputes each segment of two layers
>>> layers[0].W.grad.shape
(3, 3)
"""

from __future__ import annotations

import gc
import numbers
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from .checks import check_callable as _check_callable
from .checks import flag as _flag
from .graph import propagate, topological_order
from .nn import Module
from .saved import BackwardError, check_saved
from .tensor import Tensor, capture_operations

__all__ = ["graph_nbytes", "peak_memory", "checkpoint", "checkpoint_sequential"]


def graph_nbytes(root: Tensor, leaves: bool = False) -> int:
    """The bytes of the arrays held by the nodes of the graph that produced ``root``.

    Walks :func:`~backprop_course.graph.topological_order` and adds up
    ``node.data.nbytes``. By default only computed nodes count (the activations
    the forward pass stores for the backward pass), not the leaves (inputs and
    parameters, which exist anyway). It is a lower bound of what the graph keeps:
    a backward closure may hold a few more arrays (ReLU's mask, say).

    Parameters
    ----------
    root : Tensor
        Usually the loss, before ``backward()``.
    leaves : bool, default False
        Count the leaves too.

    Raises
    ------
    TypeError
        If ``root`` is not a Tensor or ``leaves`` not a bool.
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"graph_nbytes needs a Tensor, got {type(root).__name__}")
    leaves = _flag(leaves, "graph_nbytes(): leaves")
    return sum(
        node.data.nbytes for node in topological_order(root) if leaves or node._prev
    )


def peak_memory(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, int]:
    """Call ``fn(*args, **kwargs)`` and measure the most memory it had allocated at once.

    Uses :mod:`tracemalloc`, which sees NumPy's arrays as well as Python objects.
    The count starts from zero at the call: memory allocated before it is not
    included, memory the result still holds afterwards is. Garbage left over from
    earlier is collected first, and the cyclic garbage collector is paused during the
    call, so that the peak does not depend on when a collection happens to run.

    Returns
    -------
    result
        What ``fn`` returned.
    peak : int
        The peak, in bytes, above the memory in use when the call began.

    Raises
    ------
    TypeError
        If ``fn`` is not a function that takes ``args`` and ``kwargs``.
    """
    _check_callable(fn, "peak_memory: fn", "the arguments given after it", *args, **kwargs)
    was_tracing, collecting = tracemalloc.is_tracing(), gc.isenabled()
    gc.collect()
    gc.disable()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        result = fn(*args, **kwargs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
        if collecting:
            gc.enable()
    return result, max(peak - before, 0)


def _segment(y: Tensor, created: list[Tensor]) -> tuple[list[Tensor], list[Tensor]]:
    """The segment's own nodes that lead to ``y``, in topological order, and the outside
    tensors they read.

    ``created`` lists the segment's nodes in the order the operations made them,
    which is already topological (an operation's inputs exist before its output),
    so one backward sweep over it finds what ``y`` depends on. Every other tensor
    is outside: the segment's inputs, however they were made (leaves, or results of
    operations outside it such as ``W = V * 2``).
    """
    inside = {id(t) for t in created}
    needed, order, outside = {id(y)}, [], {}
    for node in reversed(created):
        if id(node) in needed:
            order.append(node)
            needed.update(id(p) for p in node._prev)
            outside.update((id(p), p) for p in node._prev if id(p) not in inside)
    if id(y) not in inside:  # fn returned one of its inputs
        outside[id(y)] = y
    return order[::-1], list(outside.values())


def checkpoint(
    fn: Callable[[Tensor], Tensor], x: Tensor | np.ndarray, params: Iterable[Tensor] = ()
) -> Tensor:
    """``fn(x)`` as one node that stores only its inputs and output, not ``fn``'s graph.

    The forward pass runs ``fn`` and keeps nothing but the result's values and the
    tensors from outside that ``fn`` read (``x``, the parameters, and any other
    tensor, even one computed from others, such as tied weights ``W = V * 2``). The
    backward pass runs ``fn`` again, this time keeping its graph, backpropagates
    the incoming gradient through it into those outside tensors (whose own
    gradients then flow on through the rest of the graph, as in an ordinary
    backward pass), and drops the graph. This is PyTorch's
    ``torch.utils.checkpoint.checkpoint``.

    Parameters
    ----------
    fn : callable
        A function of one Tensor, deterministic: it must compute the same values
        when it runs again (no random draws), and it must not create parameters of
        its own. If the data of a tensor it read changes before the backward pass,
        the backward pass refuses, as every operation does.
    x : Tensor or array
        Its input.
    params : iterable of Tensor
        Optional: tensors ``fn`` uses. They are found by themselves; listing them
        is allowed (older code does) and changes nothing.

    Returns
    -------
    Tensor
        ``fn(x)``'s values, in a node whose inputs are the outside tensors ``fn``
        read that require a gradient.

    Raises
    ------
    TypeError
        If ``fn`` is not a function of one Tensor or does not return a Tensor, or
        ``params`` is not a list of Tensors.
    BackwardError
        In the backward pass, if ``fn`` computes other values when it runs again (a
        random draw, dropout): the gradient would be that of another computation.
    """
    x = x if isinstance(x, Tensor) else Tensor(x)
    params = _tensors(params)
    _check_callable(fn, "checkpoint: fn", "one Tensor", x)
    with capture_operations() as created:
        y = fn(x)
    if not isinstance(y, Tensor):
        raise TypeError(f"checkpoint: fn must return a Tensor, got {type(y).__name__}")
    _, outside = _segment(y, created)
    data = y.data
    del y, created  # fn's graph is dropped here
    inputs = tuple(t for t in outside if t.requires_grad)
    inputs += tuple(p for p in params if p.requires_grad and all(p is not t for t in inputs))
    out = Tensor.from_op(data, inputs, "checkpoint", saved=tuple(outside))
    if out.requires_grad:

        def _backward(grad: np.ndarray) -> None:
            with capture_operations() as again:
                y = fn(x)  # the recomputation: this time the graph is kept...
            _check_recomputed(y, data)
            order, _ = _segment(y, again)
            check_saved(order)
            y.accumulate_grad(grad)  # ...for this backward pass, which stops at the inputs
            propagate(order)

        out._backward = _backward
    return out


def _tensors(params: Any) -> tuple[Tensor, ...]:
    """checkpoint's ``params``: an iterable of Tensors (not one Tensor: its rows are not it)."""
    if isinstance(params, Tensor) or not isinstance(params, Iterable):
        raise TypeError(
            f"checkpoint params must be a list of Tensors, got {type(params).__name__}"
            + (" (write [W] for one)" if isinstance(params, Tensor) else "")
        )
    params = tuple(params)
    for p in params:
        if not isinstance(p, Tensor):
            raise TypeError(f"checkpoint params must be Tensors, got {type(p).__name__}")
    return params


def _check_recomputed(y: Any, data: np.ndarray) -> None:
    """Refuse to backpropagate through a recomputation that gave other values."""
    if not isinstance(y, Tensor) or y.shape != data.shape or not np.allclose(
        y.data, data, rtol=1e-10, atol=0.0
    ):
        raise BackwardError(
            "backward() through 'checkpoint': fn computed other values when it ran again "
            "for the backward pass (a random draw? dropout? a value changed between the "
            "passes?), so its gradient would be that of another computation. A checkpointed "
            "fn must be deterministic"
        )


def _run_all(layers: Sequence[Callable[[Tensor], Tensor]]) -> Callable[[Tensor], Tensor]:
    def run(x: Tensor) -> Tensor:
        for layer in layers:
            x = layer(x)
        return x

    return run


def checkpoint_sequential(
    layers: Sequence[Callable[[Tensor], Tensor]], x: Tensor | np.ndarray, every: int
) -> Tensor:
    """Apply ``layers`` in turn, in checkpointed segments of ``every`` layers.

    Only each segment's input is kept for the backward pass (plus the output);
    each segment is recomputed once during the backward pass. With ``every = 1``
    nothing is saved but recomputation is still paid; with ``every = len(layers)``
    one segment holds everything. ``every ≈ √len(layers)`` is the usual choice.

    Parameters
    ----------
    layers : sequence of callables
        Modules (their parameters are found with ``parameters()``) or functions
        of one Tensor without parameters.
    x : Tensor or array
        The input of the first layer.
    every : int
        Layers per segment (the last segment may be shorter).

    Returns
    -------
    Tensor
        The output of the last layer.

    Raises
    ------
    TypeError
        If ``layers`` is not a list of callables (one layer alone: put it in a list).
    ValueError
        If ``every`` is not a positive int or ``layers`` is empty.
    """
    if not isinstance(layers, Iterable):
        raise TypeError(
            f"checkpoint_sequential needs a list of layers, got {type(layers).__name__}"
            + (" (one layer: write [layer])" if callable(layers) else "")
        )
    layers = list(layers)
    for i, layer in enumerate(layers):
        if not callable(layer):
            raise TypeError(f"layer {i} ({type(layer).__name__} {layer!r:.30}) is not callable")
    if isinstance(every, bool) or not isinstance(every, numbers.Integral) or every < 1:
        raise ValueError(f"every must be a positive int, got {every!r}")
    every = int(every)
    if not layers:
        raise ValueError("checkpoint_sequential needs at least one layer")
    out = x if isinstance(x, Tensor) else Tensor(x)
    for start in range(0, len(layers), every):
        segment = layers[start : start + every]
        params = [p for layer in segment if isinstance(layer, Module) for p in layer.parameters()]
        out = checkpoint(_run_all(segment), out, params)
    return out
