"""Watch the backward pass: a step-by-step view of any graph (chapters 2, 3, 6 and 8).

:func:`step_through` takes the output of an expression built with
:class:`~backprop_course.scalar.Value` or :class:`~backprop_course.tensor.Tensor` and
returns a view that Jupyter and the book show as an interactive page: the forward pass
node by node, then the backward pass in the engine's own order, one ``+=`` at a time,
with each local derivative as a formula with its numbers, the gradient sent to each
input, and the accumulation where a node has several users. :func:`trace_backward`
returns the same steps as plain data, for tests and for a learner's own use.

Every gradient comes from a real backward pass of the engine (``root.backward()``);
the local derivatives are worked out from the values the engine recorded. The page's
JavaScript only shows the texts formatted here: it computes nothing. The page is
self-contained (no network, no kernel once it is rendered).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from importlib import resources
from typing import Any

from ..checks import flag, int_at_least
from ..scalar import Value
from ..tensor import Tensor
from ._steps import Step, box_text, build_steps, number_format
from ._svg import svg
from ._trace import Contribution, NodeRecord, Recording, record

__all__ = ["trace_backward", "step_through"]


@dataclass(frozen=True)
class BackwardTrace:
    """A recorded backward pass, as :func:`trace_backward` returns it.

    Attributes
    ----------
    kind : str
        "Value" or "Tensor".
    nodes : tuple of NodeRecord
        Every node, in the engine's topological order (``nodes[-1]`` is the output). Each
        has ``index``, ``name``, ``op`` ("" for a leaf), ``inputs`` (indices, with repeats),
        ``data``, ``grad`` (the engine's, after the backward pass), ``shape`` (None for a
        Value) and ``requires_grad``.
    backward_order : tuple of int
        The nodes whose backward function the engine ran, in the order it ran them.
    contributions : tuple of Contribution
        Every term the backward pass added, in the engine's order: ``source`` sent
        ``value`` to ``target`` (its input number ``slot``) with ``upstream`` =
        dL/d(source); the target's gradient went from ``before`` to ``after``, its
        ``count``-th term of ``total``. ``added`` is False for the 0 an input is sent when
        the backward function adds nothing into it (a ReLU whose input is <= 0).
    digits : int
        Significant digits of the numbers in the steps' text.
    steps : tuple of Step
        What the view shows: ``phase`` ("forward", "seed", "backward"), ``node``,
        ``title``, ``lines`` (formatted text) and, for a backward step, ``contribution``.
    """

    kind: str
    nodes: tuple[NodeRecord, ...]
    backward_order: tuple[int, ...]
    contributions: tuple[Contribution, ...]
    digits: int = 4
    _backward_fns: dict = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        """Every step, formatted on first use (a large graph has many)."""
        return tuple(build_steps(self._recording(), number_format(self.digits),
                                 self._backward_fns))

    def _recording(self) -> Recording:
        return Recording(self.kind, self.nodes, self.backward_order, self.contributions,
                         self._backward_fns)


def _check_root(root: Any, func: str) -> None:
    if not isinstance(root, Value | Tensor):
        raise TypeError(
            f"{func} needs the output of an expression, a Value or a Tensor (the loss), got "
            f"{type(root).__name__}"
        )
    if isinstance(root, Tensor):
        if not root.requires_grad:
            raise ValueError(
                f"{func}: this Tensor does not require a gradient, so there is no backward "
                "pass to show; make the parameters with requires_grad=True"
            )
        if root.size != 1:
            raise ValueError(
                f"{func} needs a scalar output (a loss), got a Tensor of shape {root.shape}; "
                "reduce it first, e.g. with .sum() or .mean()"
            )


def _names(names: Any, func: str) -> dict[int, str]:
    """``{"W": W, ...}`` as ``{id(W): "W"}``."""
    if names is None:
        return {}
    if not isinstance(names, dict):
        raise TypeError(
            f"{func}: names must be a dict from a name to its node, such as "
            f"{{'W': W, 'b': b}}, got {type(names).__name__}"
        )
    out = {}
    for name, node in names.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"{func}: every key of names must be a non-empty str, got {name!r}")
        if not isinstance(node, Value | Tensor):
            raise TypeError(
                f"{func}: names[{name!r}] must be a Value or a Tensor of the graph, got "
                f"{type(node).__name__}"
            )
        out[id(node)] = name
    return out


def trace_backward(root: Value | Tensor, names: dict | None = None, digits: int = 4
                   ) -> BackwardTrace:
    """Run the backward pass of ``root`` and record it, term by term, as plain data.

    The engine's own ``root.backward()`` runs (from gradients of zero, so that earlier
    calls do not show), then each node's backward function runs once more, in the
    engine's order, with its inputs' gradients set aside, to see what it adds into each;
    the terms, summed in the engine's order, equal the engine's gradients exactly (this
    is checked). Afterwards every ``.grad`` of the graph is what it was before the call.

    Parameters
    ----------
    root : Value or Tensor
        The output; a Tensor must be a scalar (one entry) that requires a gradient.
    names : dict, optional
        Names for nodes, ``{"W": W, "x": x}``. A Value's label is its name otherwise, and
        an unnamed node is ``n<i>``, ``i`` its position in the topological order.
    digits : int, default 4
        Significant digits of the numbers in the steps' text.

    Returns
    -------
    BackwardTrace
        ``kind``, ``nodes``, ``backward_order``, ``contributions`` and ``steps``.

    Raises
    ------
    TypeError
        If ``root`` is not a Value or a Tensor, ``names`` is not a dict of names to nodes,
        or ``digits`` is not an int.
    ValueError
        If a Tensor ``root`` is not a scalar or requires no gradient, ``digits`` is not
        between 2 and 15, or an operation's backward function does more than add into
        its inputs' gradients (its terms cannot be told apart).

    Examples
    --------
    >>> from backprop_course import Value
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> trace = trace_backward(a * b + a)
    >>> [round(c.value, 6) for c in trace.contributions if trace.nodes[c.target].name == "a"]
    [1.0, -3.0]
    >>> a.grad  # left as it was
    0.0
    """
    func = "trace_backward"
    _check_root(root, func)
    digits = _digits(digits, func)
    by_id = _names(names, func)
    rec = record(root, by_id, func)
    return BackwardTrace(rec.kind, rec.nodes, rec.backward_order, rec.contributions, digits,
                         rec.backward_fns)


def _digits(digits: Any, func: str) -> int:
    digits = int_at_least(digits, 2, "digits", func)
    if digits > 15:
        raise ValueError(f"{func}: digits must be between 2 and 15 (float64 holds about 16), "
                         f"got {digits}")
    return digits


_ASSETS = resources.files(__package__)


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


_LEGEND = (
    '<p class="bc-st-legend"><span class="bc-st-key bc-st-key-cur"></span> the node whose '
    'step it is · <span class="bc-st-key bc-st-key-tgt"></span> the input it sends a '
    'gradient to, along the blue arrow that carries the number · '
    '<span class="bc-st-key bc-st-key-leaf"></span> a leaf · '
    '<span class="bc-st-key bc-st-key-root"></span> the output · faded: not computed yet</p>'
)


class StepThrough:
    """The view :func:`step_through` returns: Jupyter and the book show it as HTML.

    Attributes
    ----------
    trace : BackwardTrace
        Everything recorded (every step, even those a large graph's view leaves out).
    steps : list of Step
        The steps the view shows.
    drawn : bool
        Whether the view draws the graph (small graphs) or only describes it.
    """

    def __init__(self, trace: BackwardTrace, steps: list[Step], drawn: bool, predict: bool,
                 digits: int) -> None:
        self.trace, self.steps, self.drawn = trace, steps, drawn
        self._predict, self._digits = predict, digits

    def __repr__(self) -> str:
        n, kind = len(self.trace.nodes), self.trace.kind
        phases = [s.phase for s in self.steps]
        return (f"<step_through: a {kind} graph of {n} nodes, {len(self.steps)} steps "
                f"({phases.count('forward')} forward, {phases.count('backward')} backward); "
                "shown as HTML in Jupyter and in the book>")

    def _data(self) -> dict[str, Any]:
        fmt = number_format(self._digits)
        nodes = [{"name": n.name, "op": n.op, "value": box_text(n.data, fmt),
                  "grad": box_text(n.grad, fmt)} for n in self.trace.nodes] if self.drawn else []
        steps = []
        for s in self.steps:
            c = s.contribution
            steps.append({
                "phase": s.phase, "node": s.node, "title": s.title, "lines": list(s.lines),
                "sets": [list(t) for t in s.sets] if self.drawn else [],
                "target": None if c is None else c.target,
                "edge": None if c is None else [c.source, c.slot],
                "hidden": list(s.hidden) if self._predict else [],
                "masked": list(s.masked) if self._predict else [], "flow": s.flow,
                "answer": s.answer if self._predict else "",  # what predict mode asks
            })
        return {"nodes": nodes, "steps": steps, "predict": self._predict}

    def _shown(self, step: Step) -> tuple[str, ...]:
        """A step's lines as the list of all steps gives them: in predict mode, with what
        the learner is to predict masked (the script fills it in once answered)."""
        if not (self._predict and step.answer and step.hidden):
            return step.lines
        masked = dict(zip(step.hidden, step.masked, strict=True))
        return tuple(masked.get(j, line) for j, line in enumerate(step.lines))

    def to_html(self, page: bool = False) -> str:
        """The view as HTML: a fragment (what Jupyter shows), or with ``page=True`` a whole
        page to save and open in a browser."""
        page = flag(page, "to_html: page")
        data = json.dumps(self._data(), ensure_ascii=False, separators=(",", ":"))
        uid = hashlib.sha256(data.encode()).hexdigest()[:10]
        safe = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        graph = ""
        if self.drawn:
            fmt = number_format(self._digits)
            nodes = self.trace.nodes
            graph = ('<div class="bc-st-scroll">' + svg(
                nodes, {n.index: box_text(n.data, fmt) for n in nodes},
                {n.index: box_text(n.grad, fmt) for n in nodes}, uid) + "</div>" + _LEGEND)
        else:
            graph = (f'<p class="bc-st-note">The graph has {len(self.trace.nodes):,} nodes, too '
                     "many to draw; the steps describe it.</p>")
        items = "".join(f"<li><strong>{escape(s.title)}.</strong> "
                        + " ".join(escape(line) for line in self._shown(s)) + "</li>"
                        for s in self.steps)
        html = (
            f'<div class="bc-st" data-uid="{uid}" tabindex="0" role="group" '
            'aria-roledescription="step-through" aria-label="Step through the backward pass: '
            'the left and right arrow keys step, Home and End jump, space plays">'
            f"<style>{_asset('step_through.css')}</style>{graph}"
            '<div class="bc-st-panel"><p class="bc-st-status">The steps need JavaScript, which '
            'this page has not run (in Jupyter: run the cell, or trust the notebook); the list '
            'below gives every step.</p>'
            '<p class="bc-st-title"></p><ul class="bc-st-lines"></ul>'
            '<div class="bc-st-predict" hidden></div></div>'
            '<div class="bc-st-controls" hidden>'
            '<button type="button" data-go="start" aria-label="First step">|◀</button>'
            '<button type="button" data-go="prev" aria-label="Previous step">◀ Back</button>'
            '<button type="button" data-go="play" aria-label="Play">Play</button>'
            '<button type="button" data-go="next" aria-label="Next step">Next ▶</button>'
            '<button type="button" data-go="end" aria-label="Last step">▶|</button>'
            f'<input type="range" min="0" max="{len(self.steps) - 1}" value="0" '
            'aria-label="Step"></div>'
            '<p class="bc-st-live" aria-live="polite"></p>'
            f"<details><summary>All {len(self.steps)} steps as text</summary>"
            f'<ol class="bc-st-all">{items}</ol></details>'
            f'<script type="application/json" class="bc-st-data">{safe}</script>'
            f"<script>{_asset('step_through.js')}</script></div>"
        )
        if not page:
            return html
        return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                '<link rel="icon" href="data:,">'
                f"<title>Step through the backward pass</title></head><body>{html}</body></html>")

    def _repr_html_(self) -> str:
        return self.to_html()


def step_through(
    root: Value | Tensor,
    names: dict | None = None,
    *,
    digits: int = 4,
    predict: bool = False,
    max_drawn: int = 40,
    max_steps: int = 300,
) -> StepThrough:
    """An interactive view of the forward and backward pass of ``root``'s graph.

    In Jupyter and in the book it shows the graph and, one step at a time, the forward
    pass (each node's value appears) and then the backward pass in the engine's own
    order: the current node, its local derivative as a formula with numbers, the
    gradient it sends to each input, and the ``+=`` at a node with several users, term by
    term; for a Tensor graph, shapes, and how a broadcast input's gradient is summed back.
    Buttons, a slider and the keyboard (arrows, Home, End, space) move through the steps;
    the list of all steps, as text, is below the view.

    Parameters
    ----------
    root : Value or Tensor
        The output of an expression; a Tensor must be a scalar that requires a gradient.
        The backward pass runs inside (see :func:`trace_backward`), leaving the graph's
        gradients as they were, so call it before or after your own ``backward()``.
    names : dict, optional
        Names for nodes, ``{"W": W, "x": x}`` (a Value's label is its name otherwise).
    digits : int, default 4
        Significant digits of the numbers shown.
    predict : bool, default False
        Hide each backward step's local derivative and the gradient it sends (everywhere,
        the list of steps too) until the learner has typed a guess or pressed Show (Value
        graphs only): the view then says whether the guess was right.
    max_drawn : int, default 40
        Draw the graph only up to this many nodes; a larger graph is described in words.
    max_steps : int, default 300
        Show at most this many steps: a larger graph's forward pass becomes one step, and
        the first steps of its backward pass are followed by every leaf's final gradient.

    Returns
    -------
    StepThrough
        The view: displayed in a notebook; ``.to_html()`` gives its HTML, ``.steps`` the
        steps it shows, ``.trace`` everything recorded (see :func:`trace_backward`).

    Raises
    ------
    TypeError
        If ``root`` is not a Value or a Tensor, ``names`` is not a dict of names to nodes,
        ``predict`` is not a bool, or a number argument is not an int.
    ValueError
        If a Tensor ``root`` is not a scalar or needs no gradient, ``predict`` is asked of a
        Tensor graph, ``digits`` is not between 2 and 15, ``max_drawn`` is negative, or
        ``max_steps`` is below 10.

    Examples
    --------
    >>> from backprop_course import Value
    >>> a, b, c = Value(2.0, label="a"), Value(-0.5, label="b"), Value(0.5, label="c")
    >>> L = (a * b + c).tanh()
    >>> L.label = "L"
    >>> view = step_through(L)  # in a notebook, the view shows itself
    >>> view.steps[-1].lines[2]
    'Sent to b: ∂L/∂n2 × ∂(a · b)/∂b = 0.7864 × 2 = 1.573'
    """
    func = "step_through"
    _check_root(root, func)
    predict = flag(predict, f"{func}: predict")
    if predict and isinstance(root, Tensor):
        raise ValueError(
            f"{func}: predict=True needs a Value graph, whose gradients are single numbers "
            "to type in; a Tensor graph's are arrays"
        )
    max_drawn = int_at_least(max_drawn, 0, "max_drawn", func)
    max_steps = int_at_least(max_steps, 10, "max_steps", func)
    trace = trace_backward(root, names, digits)
    drawn = len(trace.nodes) <= max_drawn
    steps = build_steps(trace._recording(), number_format(digits), trace._backward_fns,
                        max_steps, drawn)
    return StepThrough(trace, steps, drawn, predict, digits)
