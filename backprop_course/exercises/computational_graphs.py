"""Exercises of the chapter "Computational graphs and a scalar autodiff engine".

The learner writes a new operation for :class:`~backprop_course.scalar.Value`
(``value_sin``), the topological sort that orders the backward pass
(``topological_sort``), a backward pass done by hand (``backward_by_hand``), and the
gradient that one step of the backward pass sends (``sent_gradient``), predicted before
the step is taken and compared with every step the engine takes.
The checks never trust a formula for a gradient: ``value_sin`` is tested by
building random expressions with it and comparing the leaves' ``.grad`` with
central differences of the same expressions evaluated on plain floats, and
``topological_sort`` by checking the defining property of its answer on random
graphs, one of them a chain too deep for a recursive sort.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from ..checks import one_number
from ..gradcheck import numerical_gradient
from ..scalar import Value
from .comparison import _close
from .core import TrialExercise

__all__ = ["CHAPTER", "EXERCISES", "fanout_loss"]

CHAPTER = 3
"""The chapter that sets these exercises."""


# ------------------------------------------------------------------- value_sin

# Expressions in x and y that use the learner's sin; `sin` is math.sin on floats.
# The later ones use a Value twice, so that a backward that overwrites v.grad
# (= instead of +=) loses a contribution.
_SIN_EXPRESSIONS: list[tuple[str, Callable[[Any, Any, Callable[[Any], Any]], Any], bool]] = [
    ("sin(x) + y", lambda x, y, sin: sin(x) + y, False),
    ("sin(x * y)", lambda x, y, sin: sin(x * y), False),
    ("sin(sin(x)) * y", lambda x, y, sin: sin(sin(x)) * y, False),
    ("sin(x) + x", lambda x, y, sin: sin(x) + x, True),
    ("sin(x) * sin(x)", lambda x, y, sin: sin(x) * sin(x), True),
    ("x * sin(x + y) + sin(y)", lambda x, y, sin: x * sin(x + y) + sin(y), True),
]


def _value_sin_trial(fn: Callable[[Value], Value], rng: np.random.Generator) -> str | None:
    x0, y0 = (float(t) for t in rng.uniform(-2.0, 2.0, size=2))
    v = Value(x0, label="v")
    out = fn(v)
    if not isinstance(out, Value):
        return f"value_sin(v) should return a Value, got {type(out).__name__}."
    if not math.isclose(out.data, math.sin(x0), rel_tol=1e-9, abs_tol=1e-12):
        return (
            f"The forward pass is wrong: for v.data = {x0:.6g} expected data "
            f"sin(v.data) = {math.sin(x0):.6g}, got {out.data:.6g}."
        )
    if v not in out.children:
        return (
            "The result does not record v as its input (its children are "
            f"{out.children!r}), so backward() can never reach v. "
            "Make it with Value.from_op(math.sin(v.data), (v,), 'sin')."
        )
    if v.data != x0 or v.grad != 0.0:
        return "value_sin changed v itself; it must only build a new Value."

    for text, expression, uses_twice in _SIN_EXPRESSIONS:  # those using a Value once first
        x, y = Value(x0, label="x"), Value(y0, label="y")
        loss = expression(x, y, fn)
        loss.backward()
        expected = numerical_gradient(lambda p, e=expression: e(p[0], p[1], math.sin), [x0, y0])
        for name, got, exp in [("x.grad", x.grad, expected[0]), ("y.grad", y.grad, expected[1])]:
            if _close(got, exp):
                continue
            problem = (
                f"On L = {text} at x = {x0:.6g}, y = {y0:.6g}, {name}: expected {exp:.6g}, "
                f"got {got:.6g}."
            )
            if got == 0.0:
                problem += " No gradient arrived: did you set out._backward to your function?"
            elif uses_twice:
                problem += (
                    " The expressions that use each Value once were right, so a "
                    "contribution is lost where a Value is used twice: add into "
                    "v.grad (+=), do not assign (=)."
                )
            elif _close(got, -exp):
                problem += " The sign is wrong: what is the derivative of sin?"
            return problem
    return None


# ------------------------------------------------------------ topological_sort


def _random_graph(rng: np.random.Generator) -> Value:
    """A random expression of 10 to 40 nodes in which most nodes are used more than once."""
    nodes = [Value(float(rng.uniform(-1.0, 1.0)), label=f"x{i}") for i in range(3)]
    for _ in range(int(rng.integers(4, 14))):
        i, j = (int(k) for k in rng.integers(0, len(nodes), size=2))
        kind = int(rng.integers(0, 5))
        u, w = nodes[i], nodes[j]
        if kind == 0:
            nodes.append(u + w)
        elif kind == 1:
            nodes.append(u * w)  # u * u when i == j: the same input twice
        elif kind == 2:
            nodes.append(u.tanh())
        elif kind == 3:
            nodes.append(u * 0.5)  # a constant leaf
        else:
            nodes.append(u * u)
    root = nodes[-1]
    for node in nodes[:-1]:  # use every node, so the graph is all of them
        root = root + node
    return root


def _reachable(root: Value) -> list[Value]:
    """Every node root depends on (no order), by an explicit-stack search."""
    seen: dict[int, Value] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen[id(node)] = node
            stack.extend(node.children)
    return list(seen.values())


def _order_problem(result: Any, root: Value, graph: str) -> str | None:
    """None if ``result`` is a topological order of the graph under ``root``, else what is wrong."""
    if result is None:
        return "Your function returned None. Did you forget `return`?"
    if isinstance(result, Value) or not hasattr(result, "__iter__"):
        return f"Expected a list of Values, got {type(result).__name__}."
    order = list(result)
    for item in order:
        if not isinstance(item, Value):
            return f"Expected a list of Values, but it contains a {type(item).__name__}."
    nodes = _reachable(root)
    position: dict[int, int] = {}
    for i, node in enumerate(order):
        if id(node) in position:
            return (
                f"On {graph}, {node!r} appears twice (at positions {position[id(node)]} and {i}). "
                "A Value used by two operations must be listed once: remember which "
                "nodes you have visited."
            )
        position[id(node)] = i
    missing = [n for n in nodes if id(n) not in position]
    if missing:
        return (
            f"On {graph} ({len(nodes)} nodes), expected every node once, got {len(order)}; "
            f"{len(missing)} are missing, e.g. {missing[0]!r}"
            + (" (the root itself)." if missing[0] is root else ".")
        )
    if len(order) > len(nodes):
        return f"On {graph}, the list contains Values that the root does not depend on."
    for node in order:
        for child in node.children:
            if position[id(child)] > position[id(node)]:
                return (
                    f"On {graph}, expected every node after its inputs, but {node!r} "
                    f"(op {node.op!r}) is at position {position[id(node)]} and its input "
                    f"{child!r} at position {position[id(child)]}."
                )
    return None


_CHAIN = 5_000  # nodes: far deeper than Python's recursion limit of about 1,000


def _topological_sort_trial(
    fn: Callable[[Value], list[Value]], rng: np.random.Generator
) -> str | None:
    root = _random_graph(rng)
    problem = _order_problem(fn(root), root, "a random graph")
    if problem:
        return problem
    v = Value(float(rng.uniform(-1.0, 1.0)), label="x")
    for _ in range(_CHAIN - 1):
        v = v.tanh()
    try:
        result = fn(v)
    except RecursionError:
        return (
            f"Your function is right on small graphs, but on a chain of {_CHAIN:,} nodes "
            "(v = v.tanh(), repeated) it raised RecursionError: a recursive search needs one "
            f"Python stack frame per node, and Python allows about {sys.getrecursionlimit():,}. "
            "Keep the nodes still to visit in a list of your own (an explicit stack)."
        )
    return _order_problem(result, v, f"a chain of {_CHAIN:,} nodes")


# ------------------------------------------------------------ backward_by_hand


def fanout_loss(a: float, b: float, c: float) -> float:
    """The exercise's expression L = a tanh(a b + c), in which ``a`` is used twice.

    On plain numbers only: with a Value the tanh would be taken of its number and the
    graph cut there, so its gradients would be wrong; build the expression with Values
    instead, ``a * (a * b + c).tanh()``.

    Raises
    ------
    TypeError
        If ``a``, ``b`` or ``c`` is not a real number (a Value or an array included).
    ValueError
        If one is NaN or infinite.
    """
    for name, v in (("a", a), ("b", b), ("c", c)):
        if isinstance(v, Value):
            raise TypeError(
                f"fanout_loss: {name} must be a plain number, got a Value; with Values "
                "write the expression itself, a * (a * b + c).tanh()"
            )
    a, b, c = (one_number(v, n, "fanout_loss") for n, v in (("a", a), ("b", b), ("c", c)))
    return a * math.tanh(a * b + c)


def _backward_by_hand_trial(
    fn: Callable[[float, float, float], tuple[float, float, float]], rng: np.random.Generator
) -> str | None:
    a, b, c = (float(t) for t in rng.uniform(-1.5, 1.5, size=3))
    got = fn(a, b, c)
    if got is None:
        return "Your function returned None. Did you forget `return`?"
    if not isinstance(got, tuple | list) or len(got) != 3:
        length = f" of length {len(got)}" if isinstance(got, tuple | list) else ""
        return (
            "Return a tuple of 3 numbers (dL/da, dL/db, dL/dc); "
            f"got {type(got).__name__}{length}."
        )
    names = ("dL/da", "dL/db", "dL/dc")
    numbers = []
    for name, g in zip(names, got, strict=True):
        try:
            numbers.append(float(g))
        except (TypeError, ValueError):
            return f"{name}: expected a number, got {type(g).__name__} ({str(g)[:40]})."
    expected = numerical_gradient(lambda p: fanout_loss(*p), np.array([a, b, c]))
    for name, g, e in zip(names, numbers, expected, strict=True):
        if math.isfinite(g) and _close(g, e):
            continue
        problem = f"At a = {a:.6g}, b = {b:.6g}, c = {c:.6g}, {name}: expected {e:.6g}, "
        problem += f"got {g:.6g}."
        if name == "dL/da":
            # The two paths from a to L, each with the other use of a held fixed.
            direct = numerical_gradient(lambda p: p[0] * math.tanh(a * b + c), np.array([a]))
            via_tanh = numerical_gradient(lambda p: a * math.tanh(p[0] * b + c), np.array([a]))
            if _close(g, float(direct[0])) or _close(g, float(via_tanh[0])):
                problem += (
                    " That is only one of the two paths from a to L: a is used twice "
                    "(in a * b and in a * tanh(...)), so add both contributions."
                )
        return problem
    return None


# --------------------------------------------------------------- sent_gradient


_EXPONENTS = (3.0, -1.0, 0.5, 1.5, -2.0, 4.0)  # never only squares: n u^(n - 1), not 2u


def _steps_graph(rng: np.random.Generator) -> Value:
    """A random graph with every operation of section 3.2 and values used several times.

    Its shape is drawn as well as its numbers. Every graph also holds the cases a wrong
    rule gets wrong: a power whose exponent is not 2 (drawn from ``_EXPONENTS``), a
    division (a power -1), a ReLU whose input is negative (it sends 0) and one whose input
    is positive, each with a gradient that is not 0, as every node feeds the output. A
    graph whose products grew past 10 is drawn again, so that every number stays moderate.
    """
    from ..graph import topological_order

    while True:
        root = _draw_steps_graph(rng)
        if all(abs(node.data) <= 10.0 for node in topological_order(root)):
            return root


def _draw_steps_graph(rng: np.random.Generator) -> Value:
    nodes = [Value(float(t), label=n) for t, n in zip(rng.uniform(-1.5, 1.5, 3), "xyz",
                                                       strict=True)]

    def pick() -> Value:
        return nodes[int(rng.integers(len(nodes)))]

    for _ in range(int(rng.integers(4, 9))):
        u, w = pick(), pick()
        kind = int(rng.integers(0, 6))
        if kind == 0:
            nodes.append(u + w)
        elif kind == 1:
            nodes.append(u * w)  # u * u when the same node is drawn twice
        elif kind == 2:
            nodes.append(u.tanh())
        elif kind == 3:
            nodes.append((u * float(rng.uniform(-1.0, 1.0))).sigmoid())
        elif kind == 4:
            nodes.append(u.tanh().exp())
        else:
            nodes.append(u.tanh() ** float(rng.choice([2.0, 3.0])))
    nodes.append(pick() / (pick().sigmoid() + 0.5))  # ** -1
    base = pick().sigmoid()  # in (0, 1), so that any exponent is defined; not from a ReLU
    nodes.append((pick().tanh() * -1.0 - 1.25).relu())  # input below -0.25: sends 0
    nodes.append((pick().tanh() + 1.25).relu())  # input above 0.25: passes its gradient
    nodes.append(base ** float(rng.choice(_EXPONENTS)))
    users = {id(child) for node in nodes for child in node.children}
    root = nodes[-1]  # the power: used by no other node, so its gradient is 1
    for node in nodes[-2::-1]:  # every other node that none uses feeds the output too
        if id(node) not in users:
            root = root + node  # a sum passes the gradient on whole: none of them gets 0
    return root


def _sent_gradient_trial(fn: Callable[[Value, int], float], rng: np.random.Generator
                         ) -> str | None:
    from ..graph import topological_order
    from ..viz.step_through import trace_backward  # here: viz loads matplotlib

    root = _steps_graph(rng)
    root.backward()  # every node.grad complete, as when its backward step comes
    nodes = topological_order(root)
    # one step per input of every operation, a ReLU that adds nothing (sends 0) included
    for step, c in enumerate(trace_backward(root).contributions, 1):
        node, child = nodes[c.source], nodes[c.target]
        got = fn(node, c.slot)
        if got is None:
            return "Your function returned None. Did you forget `return`?"
        if isinstance(got, Value):
            return "Return a number (a float), not a Value: node.grad times a float."
        try:
            got = float(got)
        except (TypeError, ValueError):
            return f"Expected a number, got {type(got).__name__} ({str(got)[:40]})."
        if math.isfinite(got) and _close(got, c.value):
            continue
        return _sent_gradient_problem(step, node, child, c.slot, c.value, got)
    return None


def _sent_gradient_problem(step: int, node: Value, child: Value, slot: int, expected: float,
                           got: float) -> str:
    """What is wrong with one answer of ``sent_gradient``, with a hint where one fits."""
    where = (
        f"At backward step {step}, the node made by {node.op!r} (data {node.data:.6g}, grad "
        f"{node.grad:.6g}) sends to its input {slot} (data {child.data:.6g}): expected "
        f"{expected:.6g}, got {got:.6g}."
    )
    local = expected / node.grad if node.grad else None
    if node.op == "relu" and child.data <= 0:
        where += (" A ReLU whose input is 0 or below sends 0: its slope there is 0 (the "
                  "engine adds nothing).")
    elif node.op.startswith("**") and _close(got, node.grad * 2 * child.data):
        where += (f" That is the rule of a square, 2·u; this power is {node.op!r}, whose "
                  "local derivative is n·u^(n - 1) with n = float(node.op[2:]).")
    elif _close(got, node.grad) and not _close(got, expected):
        where += " That is the node's own gradient: multiply it by the local derivative."
    elif local is not None and _close(got, local):
        where += " That is the local derivative alone: multiply it by node.grad."
    elif node.op == "*" and _close(got, node.grad * child.data):
        where += (" That is node.grad times this input's own data; a product's local "
                  "derivative is the other factor.")
    return where


EXERCISES = [
    TrialExercise(
        name="value_sin",
        chapter=CHAPTER,
        task="Return a new Value for sin(v), whose backward function adds "
        "grad * d sin(v)/dv into v.grad.",
        signature="value_sin(v)",
        hint="Follow the pattern of Value.tanh (print inspect.getsource(bc.Value.tanh)): make "
        "the output with Value.from_op(..., (v,), 'sin'), define _backward(grad) that adds grad "
        "times the local derivative d sin(v)/dv into v.grad, and attach it as out._backward.",
        nudge="Follow the pattern of Value.tanh: the output records v as its input, and its "
        "backward function adds the incoming gradient times the local slope of sin into v.grad.",
        trial=_value_sin_trial,
    ),
    TrialExercise(
        name="topological_sort",
        chapter=CHAPTER,
        task="Return every Value that root depends on (root included) in a list, each once, "
        "every node after all of its children (inputs). Write the search yourself, without "
        "recursion: the checker also tries a chain of 5,000 nodes.",
        signature="topological_sort(root)",
        hint="The book's way: first walk the graph with a list as a stack and a set of seen "
        "nodes, counting for each node how many operations use it (x * x uses x twice); then "
        "emit the nodes from the root down, a node as soon as all of its users have been "
        "emitted, and reverse the list at the end. An iterative depth-first search of your own "
        "works too: push (node, False) to expand a node, (node, True) to append it once its "
        "children are done.",
        nudge="Instead of recursing, keep the nodes still to visit in a list of your own, and a "
        "set of the nodes already seen, so that a node reached along two paths is listed once. A "
        "node may go into the list only after all of its inputs.",
        trial=_topological_sort_trial,
        verified_by="the definition of a topological order",
    ),
    TrialExercise(
        name="backward_by_hand",
        chapter=CHAPTER,
        task="For L = a * tanh(a * b + c), return (dL/da, dL/db, dL/dc), computed by hand "
        "with a backward table.",
        signature="backward_by_hand(a, b, c)",
        hint="Name the nodes: e = a b, d = e + c, t = tanh(d), L = a t, and fill in a backward "
        "table from L down: a node's gradient is its user's gradient times the local "
        "derivative. a is used twice (by e and by L), so its gradient is the sum of two terms.",
        nudge="Give every intermediate result a name and fill in a backward table from L down. "
        "Watch a: it is used in two places.",
        trial=_backward_by_hand_trial,
    ),
    TrialExercise(
        name="sent_gradient",
        chapter=CHAPTER,
        task="Return the gradient that node's backward step sends to its input "
        "node.children[slot], when node.grad is complete: what the step-through view asks you "
        "to predict.",
        signature="sent_gradient(node, slot)",
        hint="Return node.grad * local, where local is the local derivative of section 3.2 "
        "for node.op: 1 for '+'; for '*' the other input's data, node.children[1 - slot].data; "
        "1 - node.data**2 for 'tanh'; node.data * (1 - node.data) for 'sigmoid'; node.data for "
        "'exp'; for 'relu' 1 if its input is positive, else 0 (it sends 0); n * u**(n - 1) "
        "for '**n', n = float(node.op[2:]) and u the input's data.",
        nudge="Each step sends the node's complete gradient times one local derivative, that "
        "of node.op with respect to the input in that slot; read the numbers it needs from "
        "the node and its children.",
        trial=_sent_gradient_trial,
        verified_by="every step of the engine's backward pass",
    ),
]
