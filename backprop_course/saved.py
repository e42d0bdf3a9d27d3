"""Refusing a backward pass whose saved data changed since the forward pass (chapters 8, 13).

An operation records, at the forward pass, the arrays its backward function will read
(``Tensor.from_op(..., saved=...)``), with a fingerprint of each parameter's. Before any
gradient is touched, every backward pass calls :func:`check_saved` on its nodes: if a
parameter was changed in place since (an optimiser step, ``w.data -= ...``) or any
recorded array replaced, the gradient would belong to a computation that never happened,
so the pass is refused, as PyTorch refuses it with its version counters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from .graph import OUT

if TYPE_CHECKING:
    from .tensor import Tensor

__all__ = ["BackwardError", "stamps", "check_saved"]

_MIXERS: dict[tuple[np.dtype, tuple[int, ...]], np.ndarray] = {}  # fixed weights by dtype, shape


class BackwardError(ValueError, RuntimeError):
    """``backward()`` was called on something it cannot start from.

    It is both a ValueError (the output or seed has the wrong shape) and a
    RuntimeError (what PyTorch raises in the same situation).
    """


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


def stamps(out: Tensor, watched: tuple) -> list[tuple]:
    """Record, at the forward pass, the arrays that ``out``'s backward function will read.

    ``watched`` lists the tensors whose data the backward function reads (``OUT`` for
    ``out`` itself). Each becomes a stamp ``(tensor, its array now, fingerprint)``: the
    output is recorded as None, not as itself (no reference cycle), and only a
    parameter's array (a leaf that requires a gradient) gets a fingerprint. Parameters
    are what optimisers and learners change in place; the other arrays are checked for
    being replaced, which keeps the check cheap (the data batch is often the largest
    array of all; see :func:`check_saved`).
    """
    result = []
    try:
        for t in watched:
            if t is OUT or t is out:
                result.append((None, out.data, None))
            elif t.requires_grad and not t._prev:  # a parameter
                result.append((t, t.data, _fingerprint(t.data)))
            else:
                result.append((t, t.data, None))
    except (AttributeError, TypeError):
        raise TypeError(
            f"'{out._op}': saved= must list the Tensors (or OUT, the output) whose data the "
            f"backward function reads, got {type(watched).__name__} {watched!r:.60}"
        ) from None
    return result


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
