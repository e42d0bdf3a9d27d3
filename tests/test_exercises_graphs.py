"""The chapter 3 checkers accept correct answers and explain wrong ones, never raising."""

from __future__ import annotations

import math
from collections import deque

import numpy as np
from exercise_suite import standard_exercise_tests

import backprop_course as bc
from backprop_course.exercises import EXERCISES, check
from backprop_course.exercises.computational_graphs import fanout_loss

# ------------------------------------------------------------------ solutions


def value_sin(v: bc.Value) -> bc.Value:
    out = bc.Value.from_op(math.sin(v.data), (v,), "sin")

    def _backward(grad: float) -> None:
        v.grad += grad * math.cos(v.data)

    out._backward = _backward
    return out


def topological_sort(root: bc.Value) -> list[bc.Value]:
    order, visited, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in node.children)
    return order


def topological_sort_by_value(root: bc.Value) -> list[bc.Value]:
    """Another correct answer: Kahn's algorithm, counting each node's unfinished users."""
    users: dict[bc.Value, int] = {}
    stack, seen = [root], {root}
    while stack:
        node = stack.pop()
        for child in node.children:
            users[child] = users.get(child, 0) + 1
            if child not in seen:
                seen.add(child)
                stack.append(child)
    ready, order = [root], []
    while ready:
        node = ready.pop()
        order.append(node)
        for child in node.children:
            users[child] -= 1
            if users[child] == 0:
                ready.append(child)
    return order[::-1]


def backward_by_hand(a: float, b: float, c: float) -> tuple[float, float, float]:
    t = math.tanh(a * b + c)
    dL_dd = a * (1 - t**2)  # noqa: N806 (the book's symbol)
    return t + dL_dd * b, dL_dd * a, dL_dd


def sent_gradient(node: bc.Value, slot: int) -> float:
    u = node.children[slot]
    if node.op == "+":
        local = 1.0
    elif node.op == "*":
        local = node.children[1 - slot].data
    elif node.op == "tanh":
        local = 1 - node.data**2
    elif node.op == "sigmoid":
        local = node.data * (1 - node.data)
    elif node.op == "exp":
        local = node.data
    elif node.op == "relu":
        local = 1.0 if u.data > 0 else 0.0
    else:  # "**n"
        n = float(node.op[2:])
        local = n * u.data ** (n - 1)
    return node.grad * local


SOLUTIONS = {
    "value_sin": [value_sin],
    "topological_sort": [topological_sort, topological_sort_by_value],
    "backward_by_hand": [backward_by_hand],
    "sent_gradient": [sent_gradient],
}

# -------------------------------------------------------------- wrong answers


def sin_overwrites(v: bc.Value) -> bc.Value:
    out = bc.Value.from_op(math.sin(v.data), (v,), "sin")

    def _backward(grad: float) -> None:
        v.grad = grad * math.cos(v.data)  # the classic bug: = instead of +=

    out._backward = _backward
    return out


def sin_wrong_sign(v: bc.Value) -> bc.Value:
    out = bc.Value.from_op(math.sin(v.data), (v,), "sin")

    def _backward(grad: float) -> None:
        v.grad -= grad * math.cos(v.data)

    out._backward = _backward
    return out


def sin_no_backward(v: bc.Value) -> bc.Value:
    return bc.Value.from_op(math.sin(v.data), (v,), "sin")


def sin_forgets_its_input(v: bc.Value) -> bc.Value:
    return bc.Value(math.sin(v.data))


def sin_uses_cos(v: bc.Value) -> bc.Value:
    out = bc.Value.from_op(math.cos(v.data), (v,), "sin")
    out._backward = lambda grad: None
    return out


def sort_recursive(root: bc.Value) -> list[bc.Value]:
    order, seen = [], set()

    def visit(node: bc.Value) -> None:
        if node not in seen:
            seen.add(node)
            for child in node.children:
                visit(child)
            order.append(node)

    visit(root)
    return order


def sort_breadth_first(root: bc.Value) -> list[bc.Value]:
    order, seen, queue = [], {root}, deque([root])
    while queue:
        node = queue.popleft()
        order.append(node)
        for child in node.children:
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return order[::-1]


def sort_without_visited_set(root: bc.Value) -> list[bc.Value]:
    order, stack = [], [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        else:
            stack.append((node, True))
            stack.extend((child, False) for child in node.children)
    return order


def sent_relu_always_one(node: bc.Value, slot: int) -> float:
    """A reviewer's wrong answer: the ReLU's slope taken as 1 whatever the sign."""
    if node.op == "relu":
        return node.grad * 1.0
    return sent_gradient(node, slot)


def sent_every_power_a_square(node: bc.Value, slot: int) -> float:
    """A reviewer's wrong answer: every power's exponent hard-coded as 2."""
    if node.op.startswith("**"):
        return node.grad * 2 * node.children[slot].data
    return sent_gradient(node, slot)


def by_hand_one_path(a: float, b: float, c: float) -> tuple[float, float, float]:
    t = math.tanh(a * b + c)
    dL_dd = a * (1 - t**2)  # noqa: N806
    return dL_dd * b, dL_dd * a, dL_dd  # forgets the path L = a * t


WRONG = {
    "value_sin": [
        (sin_overwrites, "+="),
        (sin_wrong_sign, "sign is wrong"),
        (sin_no_backward, "No gradient arrived"),
        (sin_forgets_its_input, "does not record v as its input"),
        (sin_uses_cos, "forward pass is wrong"),
        (lambda v: math.sin(v.data), "should return a Value, got float"),
        (lambda v: v, "forward pass is wrong"),
    ],
    "topological_sort": [
        (sort_recursive, "RecursionError"),
        (sort_breadth_first, "after its inputs"),
        (sort_without_visited_set, "appears twice"),
        (lambda root: topological_sort(root)[:-1], "the root itself"),
        (lambda root: topological_sort(root)[::-1], "after its inputs"),
        (lambda root: None, "returned None"),
        (lambda root: root, "Expected a list of Values, got Value"),
        (lambda root: [n.data for n in topological_sort(root)], "contains a float"),
    ],
    "backward_by_hand": [
        (by_hand_one_path, "only one of the two paths"),
        (lambda a, b, c: backward_by_hand(a, b, c)[:2], "tuple of 3 numbers"),
        (lambda a, b, c: None, "returned None"),
        (lambda a, b, c: (1.0, "x", 2.0), "dL/db: expected a number, got str"),
        (lambda a, b, c: tuple(-g for g in backward_by_hand(a, b, c)), "expected"),
        (lambda a, b, c: (backward_by_hand(a, b, c)[0], 0.0, 0.0), "dL/db: expected"),
    ],
    "sent_gradient": [
        (lambda node, slot: node.grad, "multiply it by the local derivative"),
        (lambda node, slot: sent_gradient(node, slot) / node.grad if node.grad else 0.0,
         "local derivative alone"),
        (lambda node, slot: node.grad * node.children[slot].data if node.op == "*"
         else sent_gradient(node, slot), "the other factor"),
        (lambda node, slot: -sent_gradient(node, slot), "expected"),
        (lambda node, slot: None, "returned None"),
        (lambda node, slot: bc.Value(sent_gradient(node, slot)), "not a Value"),
        (sent_relu_always_one, "A ReLU whose input is 0 or below sends 0"),
        (sent_every_power_a_square, "That is the rule of a square"),
    ],
}



def test_the_recursion_verdict_names_the_chain_and_the_fix() -> None:
    message = check("topological_sort", sort_recursive, quiet=True, seed=0).message
    assert "right on small graphs" in message
    assert "5,000 nodes" in message and "explicit stack" in message
    # the checker recovered: a correct answer still passes afterwards
    assert check("topological_sort", topological_sort, quiet=True, seed=0).passed


def test_the_overwrite_bug_is_caught_only_where_a_value_is_used_twice() -> None:
    message = check("value_sin", sin_overwrites, quiet=True, seed=0).message
    assert "used twice" in message
    assert "sin(x) + y" not in message  # the expressions without fan-out passed


def test_fanout_loss_is_the_expression_of_the_exercise() -> None:
    a, b, c = bc.Value(0.7), bc.Value(-1.2), bc.Value(0.3)
    loss = a * (a * b + c).tanh()
    assert math.isclose(loss.data, fanout_loss(0.7, -1.2, 0.3))
    loss.backward()
    by_hand = backward_by_hand(0.7, -1.2, 0.3)
    for got, want in zip((a.grad, b.grad, c.grad), by_hand, strict=True):
        assert math.isclose(got, want, rel_tol=1e-12)


def test_topological_sort_asks_for_a_search_of_your_own_and_hints_at_both_ways() -> None:
    """The book asks for a sort of the learner's own, without recursion, and suggests
    counting each node's users; the hints must not contradict it (an earlier hint pushed a
    depth-first search that looked like the package's while the book said not to copy it)."""
    ex = EXERCISES["topological_sort"]
    assert "Write the search yourself, without recursion" in ex.task
    assert "how many operations use it" in ex.hint  # the book's way
    assert "depth-first search of your own" in ex.hint  # the other way, written by hand
    assert "recursing" in ex.nudge and "operations use it" not in ex.nudge
    # Both ways pass the checker, the chain of 5,000 nodes included.
    for solution in (topological_sort_by_value, topological_sort):
        assert check("topological_sort", solution, quiet=True, seed=3).passed


# The book's solution of each exercise first; the others are other correct answers.
globals().update(standard_exercise_tests(
    3, {name: answers[0] for name, answers in SOLUTIONS.items()}, WRONG,
    {name: answers[1:] for name, answers in SOLUTIONS.items() if answers[1:]},
))


def test_sent_gradient_is_checked_on_random_graphs_with_the_hard_cases() -> None:
    """Each trial draws a graph of its own, and every one of them has a power whose exponent
    is not 2 and a ReLU whose input is negative, both with a gradient that is not 0; every
    input of every operation gets a step (the inactive ReLU's sends 0)."""
    from backprop_course.exercises.computational_graphs import _steps_graph
    from backprop_course.graph import topological_order

    shapes, exponents = set(), set()
    for seed in range(40):
        root = _steps_graph(np.random.default_rng(seed))
        trace = bc.viz.trace_backward(root)
        nodes = trace.nodes
        shapes.add(tuple((n.op, n.inputs) for n in nodes))
        for i in trace.backward_order:  # one step per input of every operation
            assert [c.slot for c in trace.contributions if c.source == i] == list(
                range(len(nodes[i].inputs)))
        off = [c for c in trace.contributions
               if nodes[c.source].op == "relu" and nodes[c.target].data <= 0]
        assert off and all(c.value == 0.0 and c.upstream != 0.0 for c in off)
        powers = [c for c in trace.contributions
                  if nodes[c.source].op.startswith("**") and nodes[c.source].op != "**2"
                  and c.upstream != 0.0]
        assert powers
        exponents |= {nodes[c.source].op for c in powers}
        # the checker's reference is the engine: its gradients agree with differences
        leaves = [v for v in topological_order(root) if not v.children]
        root.backward()
        for leaf in leaves[:3]:
            numeric = bc.numerical_gradient(
                lambda p, leaf=leaf, root=root: _evaluate(root, {id(leaf): p[0]}),
                np.array([leaf.data]))
            assert bc.rel_error(leaf.grad, numeric[0]) < 1e-6
    assert len(shapes) == 40  # forty graphs, no two alike
    assert {"**-1", "**3", "**0.5"} <= exponents


def _evaluate(root: bc.Value, moved: dict[int, float]) -> float:
    """The value of root's graph, recomputed on floats op by op, with the leaves in
    ``moved`` (by id) at the values given there."""
    from backprop_course.graph import topological_order

    m = math
    value: dict[int, float] = {}
    for v in topological_order(root):
        args = [value[id(c)] for c in v.children]
        op = v.op
        if not v.children:
            value[id(v)] = float(moved.get(id(v), v.data))
        elif op == "+":
            value[id(v)] = args[0] + args[1]
        elif op == "*":
            value[id(v)] = args[0] * args[1]
        elif op == "tanh":
            value[id(v)] = m.tanh(args[0])
        elif op == "sigmoid":
            value[id(v)] = 1 / (1 + m.exp(-args[0]))
        elif op == "exp":
            value[id(v)] = m.exp(args[0])
        elif op == "relu":
            value[id(v)] = max(args[0], 0.0)
        else:
            value[id(v)] = args[0] ** float(op[2:])
    return value[id(root)]
