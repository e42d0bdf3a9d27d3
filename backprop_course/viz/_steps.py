"""The step sequence of step_through: a recorded backward pass turned into steps a learner
reads one at a time (private; see :mod:`backprop_course.viz.step_through`).

One step per node of the forward pass (in the engine's topological order), one for the
seed dL/dL = 1, and one per term of the backward pass, in the order the engine adds them:
node ``n`` passes ``dL/dn × dn/du`` to its input ``u``, and ``u``'s gradient grows by it
(``u.grad += ...``). Every number is formatted here, in Python, from the recording; the
page's JavaScript only shows these texts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._formulas import (
    array_text,
    atom,
    dot_coefficients,
    expression,
    forward_numbers,
    loss_targets,
    reduction_note,
    tensor_local,
    value_local,
)
from ._trace import Contribution, NodeRecord, Recording

__all__: list[str] = []


@dataclass(frozen=True)
class Step:
    """One step of the view.

    ``phase`` is "forward" (``node`` is computed), "seed" (dL/dL = 1 at the output
    ``node``), "backward" (``node``'s backward function sends ``contribution`` to one
    input) or "summary" (a stretch of a large graph told in one step). ``title`` and
    ``lines`` are what the view shows, with every number already formatted; ``sets``
    lists what changes in the drawing, as (node, "value" or "grad", text); ``hidden``
    (backward steps) lists the lines that give the answer away, ``masked`` what predict
    mode shows in their place until the learner has answered, and ``answer`` is the
    gradient sent as shown; ``flow`` is what the drawing writes on the edge it travels back
    along (the number, or a Tensor's shape).
    """

    phase: str
    node: int | None
    title: str
    lines: tuple[str, ...]
    contribution: Contribution | None = field(default=None, compare=False)
    sets: tuple[tuple[int, str, str], ...] = ()
    hidden: tuple[int, ...] = ()
    masked: tuple[str, ...] = ()
    answer: str = ""
    flow: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def number_format(digits: int) -> Any:
    """A formatter of numbers (and arrays) to ``digits`` significant digits, ``-0`` as ``0``."""

    def num(x: float) -> str:
        x = float(x) + 0.0  # + 0.0 turns -0.0 into 0.0
        text = format(x, f".{digits}g")
        return text

    def fmt(x: Any) -> str:
        if isinstance(x, np.ndarray) and x.ndim >= 1:
            return array_text(x, num)  # (1,) and (1, 1) too: the brackets show the shape
        if isinstance(x, np.ndarray):
            return num(float(x))
        return num(x)

    return fmt


def box_text(x: Any, fmt: Any) -> str:
    """What a node's box shows of a value or gradient: a number (a Value, or a Tensor of
    shape ()), or the shape of an array, even one of a single entry."""
    if x is None:
        return ""
    if isinstance(x, np.ndarray) and x.ndim >= 1:
        return f"{tuple(x.shape)}"
    return fmt(x)


def build_steps(rec: Recording, fmt: Any, backward_fns: dict[int, Any],
                max_steps: int | None = None, drawn: bool = True) -> list[Step]:
    """The forward pass, the seed, then one step per contribution; with ``max_steps``, at
    most that many (see :func:`_bounded`), formatting only the steps that are kept.
    ``drawn`` says whether the summary steps need the texts of every box."""
    total = len(rec.nodes) + 1 + len(rec.contributions)
    short = max_steps is not None and total > max_steps
    keep = len(rec.contributions) if not short else max(0, max_steps - 3)  # type: ignore[operator]
    coefficients: dict[int, Any] = {}
    users: dict[int, list[int]] = {}  # by target: the source of each of its terms
    for c in rec.contributions:
        users.setdefault(c.target, []).append(c.source)
    backward = []
    for c in rec.contributions[:keep]:
        if c.source not in coefficients:
            coefficients[c.source] = dot_coefficients(backward_fns[c.source])
        backward.append(_backward_step(rec, c, fmt, coefficients[c.source], users[c.target]))
    if short:
        return _bounded(rec, fmt, _seed_step(rec, fmt), backward, drawn)
    return [*(_forward_step(rec, node, fmt) for node in rec.nodes), _seed_step(rec, fmt),
            *backward]


def _seed_step(rec: Recording, fmt: Any) -> Step:
    root = rec.nodes[-1]
    order = [rec.nodes[i].name for i in rec.backward_order[:13]]
    seed = "1" if root.shape in (None, ()) else "an array of ones"
    lines = [f"∂{root.name}/∂{root.name} = {seed}: the gradient of the output with respect to "
             "itself."]
    if rec.backward_order:
        visits = ", ".join(order[:12]) + (", …" if len(order) > 12 else "")
        lines.append(f"The engine now runs each operation's backward function (the code that "
                     "passes the operation's gradient on to its inputs) in reverse topological "
                     f"order, each node after every node that uses it: {visits}.")
    else:
        lines.append("The output is a leaf: there is nothing to pass back.")
    return Step("seed", root.index, f"The backward pass starts at the output {root.name}",
                tuple(lines), sets=((root.index, "grad", box_text(root.grad, fmt)),))


def _forward_step(rec: Recording, node: NodeRecord, fmt: Any) -> Step:
    sets = ((node.index, "value", box_text(node.data, fmt)),)
    if not node.op:
        what = ("a leaf: a number the graph starts from (a Value you made, or a constant "
                "that an operation made into a Value)") if rec.kind == "Value" else (
            f"of shape {node.shape}, is a leaf that " + (
                "requires a gradient (a parameter, or any tensor whose gradient you asked "
                "for)" if node.requires_grad else "needs no gradient (data, or a constant)"))
        return Step("forward", node.index, f"{node.name} = {fmt(node.data)}",
                    (f"{node.name}{' is' if rec.kind == 'Value' else ','} {what}.",), sets=sets)
    inputs = [rec.nodes[i] for i in node.inputs]
    expr = _expression(rec, node, fmt)
    if rec.kind == "Value":
        numbers = forward_numbers(node.op, inputs, fmt)
        body = f"{node.name} = {expr} = " + (f"{numbers} = " if numbers else "") + fmt(node.data)
        lines = (body, f"The operation {node.op!r} records its inputs "
                 f"({', '.join(n.name for n in inputs)}) for the backward pass.")
        return Step("forward", node.index, f"{node.name} = {expr}", lines, sets=sets)
    shapes = " and ".join(f"{n.name} {n.shape}" for n in inputs)
    lines = [f"{node.name} = {expr}: from {shapes} to shape {node.shape}."]
    short, meaning, count = loss_targets(node.op, node, fmt)
    if short:
        lines.append(f"{node.name} is the mean of the losses of its {count}; {short}: "
                     f"{meaning}.")
    lines.append(f"{node.name} = {fmt(node.data)}")
    return Step("forward", node.index, f"{node.name} = {expr}", tuple(lines), sets=sets)


def _expression(rec: Recording, node: NodeRecord, fmt: Any) -> str:
    """The operation that made ``node``, of its inputs' names; a loss's labels or targets
    are part of it, though they are no node: ``cross_entropy(z, labels [1, 0])``."""
    expr = expression(node.op, [rec.nodes[i].name for i in node.inputs], rec.kind == "Tensor")
    short = loss_targets(node.op, node, fmt)[0]
    return f"{expr[:-1]}, {short})" if short else expr


_MASKED = ("The gradient sent: predict it below.",
           "The sum it joins: shown once you have predicted.")


def _backward_step(rec: Recording, c: Contribution, fmt: Any,
                   coefficients: list[float] | None, users: list[int]) -> Step:
    src, tgt = rec.nodes[c.source], rec.nodes[c.target]
    inputs = [rec.nodes[i] for i in src.inputs]
    o, n, L = src.name, tgt.name, rec.nodes[-1].name
    title = f"{o} = {_expression(rec, src, fmt)} sends a gradient to {n}"
    if c.source == len(rec.nodes) - 1:
        lines = [f"∂{atom(o)}/∂{atom(o)} = {fmt(c.upstream)}, the seed."]
    else:
        lines = [f"∂{L}/∂{atom(o)} = {fmt(c.upstream)}: complete, since every node that "
                 f"uses {o} has already sent its part."]
    extra: dict[str, Any] = {}
    masked: tuple[str, ...] = _MASKED
    if rec.kind == "Value":
        coefficient = coefficients[c.slot] if coefficients and c.slot < len(coefficients) \
            else None
        local = value_local(src.op, src, inputs, c.slot, fmt, coefficient)
        extra["local"] = local.value
        lines.append(f"Local derivative: {local.formula}.")
        masked = (f"Local derivative: {local.masked}: work it out from the operation's rule "
                  "and the numbers in the drawing.", *_MASKED)
        sent = _sent_value(c, fmt, local, f"∂{L}/∂{atom(o)}", n, src.op)
    else:
        lines.append(f"Local rule: {tensor_local(src.op, src, inputs, c.slot, fmt, L)}.")
        note = reduction_note(src.op, src, tgt)
        if note:
            lines.append(f"Un-broadcast: {note}.")
        sent = f"Sent to {n}, of shape {tgt.shape}: {fmt(c.value)}" + (
            "" if c.added else f" (its backward function adds nothing into {n})")
    lines.append(sent)
    lines.append(_accumulation(n, L, c, fmt, _users(n, users, rec)))
    hidden = tuple(range(len(lines) - len(masked), len(lines)))
    return Step("backward", c.source, title, tuple(lines), contribution=c,
                sets=((c.target, "grad", box_text(c.after, fmt)),) if c.after is not None
                else (), hidden=hidden, masked=masked, answer=fmt(c.value),
                flow=box_text(c.value, fmt), extra=extra)


def _sent_value(c: Contribution, fmt: Any, local: Any, upstream: str, n: str, op: str) -> str:
    """The line "Sent to": upstream gradient × local derivative = the engine's term; "≈"
    when the factors as printed (rounded) do not multiply to the term as printed."""
    if local.value is None:
        return f"Sent to {n} by the backward function of {op!r}: {fmt(c.value)}"
    up, lo, value = fmt(c.upstream), fmt(local.value), fmt(c.value)
    try:
        same = fmt(float(up) * float(lo)) == value
    except (ValueError, OverflowError):
        same = False
    text = (f"Sent to {n}: {upstream} × {local.factor} = {_paren(up)} × {_paren(lo)} "
            f"{'=' if same else '≈'} {value}")
    if not c.added:
        text += f" (the engine adds nothing: its backward function leaves {n} alone)"
    return text


def _accumulation(n: str, L: str, c: Contribution, fmt: Any, users: str) -> str:
    """The ``+=`` at the receiving node, term by term; ``users`` says who sends its terms."""
    grad = f"{atom(n)}.grad"
    if not c.added:
        text = f"{grad} stays {fmt(c.after) if c.after is not None else 'empty'} (a term of 0)"
    elif c.before is None:
        text = f"{grad} = {fmt(c.after)}"
    else:
        text = f"{grad} += {fmt(c.value)}: {fmt(c.before)} + {_paren(fmt(c.value))} = " \
               f"{fmt(c.after)}"
    if c.total == 1:
        return f"{text}, its only contribution: ∂{L}/∂{atom(n)} is complete."
    if c.count < c.total:
        return f"{text} (contribution {c.count} of {c.total}: {users}, so more is to come)."
    return f"{text} (contribution {c.count} of {c.total}): all in, ∂{L}/∂{atom(n)} is complete."


def _users(n: str, sources: list[int], rec: Recording) -> str:
    """How many nodes use ``n`` (the ``sources`` of its terms, by index), and how many
    terms they send it: ``z * z`` is one user that sends two."""
    k, distinct = len(sources), list(dict.fromkeys(sources))
    times = "twice" if k == 2 else f"{k} times"
    if len(distinct) == k:
        return f"{n} has {k} users"
    if len(distinct) == 1:
        return f"{n} has one user, {rec.nodes[distinct[0]].name}, which uses it {times}"
    return f"{n} has {len(distinct)} users, which use it {k} times in all"


def _paren(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


def _bounded(rec: Recording, fmt: Any, seed: Step, backward: list[Step], drawn: bool
             ) -> list[Step]:
    """A large graph's steps: its forward pass in one step, the seed, the first steps of its
    backward pass (``backward``), and a last step with the leaves' final gradients."""
    n = len(rec.nodes)
    ops = Counter(node.op or "leaf" for node in rec.nodes)
    tally = ", ".join(f"{count:,} {op!r}" for op, count in ops.most_common(6))
    forward = Step(
        "summary", None, f"The forward pass computed {n:,} nodes",
        (f"This graph has {n:,} nodes ({tally}{', …' if len(ops) > 6 else ''}), too many "
         "to show one by one.", "The forward pass computed them in topological order, "
         "inputs first."),
        sets=tuple((node.index, "value", box_text(node.data, fmt)) for node in rec.nodes
                   if drawn),
    )
    rest = len(rec.contributions) - len(backward)
    leaves = [node for node in rec.nodes if not node.op and node.grad is not None]
    shown = "; ".join(f"∂{rec.nodes[-1].name}/∂{x.name} = {fmt(x.grad)}" for x in leaves[:12])
    last = Step(
        "summary", None, f"{rest:,} more steps of the backward pass are not shown",
        (f"The backward pass adds {len(rec.contributions):,} contributions in all; the "
         f"view stops after {len(backward):,} of them.",
         f"The final gradients of the leaves: {shown}"
         + (f"; and {len(leaves) - 12:,} more leaves." if len(leaves) > 12 else ".")),
        sets=tuple((node.index, "grad", box_text(node.grad, fmt)) for node in rec.nodes
                   if drawn and node.grad is not None),
    )
    return [forward, seed, *backward, last]
