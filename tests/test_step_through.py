"""The step sequence of bc.viz.step_through: the engine's order, the engine's numbers.

Every check compares the recorded steps with the engine itself (its call order, its
gradients after a backward pass of its own) or with central differences, never with
numbers the recording produced.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
from numeric import central_difference

import backprop_course as bc
from backprop_course.graph import topological_order
from backprop_course.viz import step_through, trace_backward

# ------------------------------------------------------------------ graphs


def chapter3():
    """L = tanh(a b + c) of chapter 3, every node labelled."""
    a, b, c = bc.Value(2.0, label="a"), bc.Value(-0.5, label="b"), bc.Value(0.5, label="c")
    e = a * b
    d = e + c
    L = d.tanh()
    e.label, d.label, L.label = "e", "d", "L"
    return L, (a, b, c)


def fanout():
    """L = d e with d = a b, e = d + c: d has two users (chapter 3, section 3.5)."""
    a, b, c = bc.Value(2.0, label="a"), bc.Value(-0.5, label="b"), bc.Value(0.5, label="c")
    d = a * b
    e = d + c
    L = d * e
    d.label, e.label, L.label = "d", "e", "L"
    return L, (a, b, c)


def every_op(p):
    """Every Value operation, with values used several times; p = (x, y, z) as floats."""
    x, y, z = (bc.Value(v, label=n) for v, n in zip(p, "xyz", strict=True))
    u = x * y + x.tanh() * z
    w = (u * u + 1.5).log() + (y * 0.5).exp() - z ** 3 + x.sigmoid() * u
    v = bc.scalar.dot([x, y, w], [0.5, z, 2.0], bias=x) + (w + 2.0).relu() + y / (z + 3.0)
    return v, (x, y, z)


def every_op_float(p):
    x, y, z = p
    sig = 1.0 / (1.0 + math.exp(-x))
    u = x * y + math.tanh(x) * z
    w = math.log(u * u + 1.5) + math.exp(y * 0.5) - z**3 + sig * u
    return 0.5 * x + z * y + 2.0 * w + x + max(w + 2.0, 0.0) + y / (z + 3.0)


def engine_call_order(root):
    """The nodes whose _backward the engine runs, in the order it runs them (instrumented)."""
    order = topological_order(root)
    calls, kept = [], {}
    for node in order:
        if node._prev:
            kept[node] = node._backward

            def spy(grad, node=node, fn=node._backward):
                calls.append(node)
                fn(grad)

            node._backward = spy
    try:
        root.backward()
    finally:
        for node, fn in kept.items():
            node._backward = fn
    return [order.index(n) for n in calls]


def tensor_graph():
    """Chapter 8's broadcasting: z = x @ W + b with b (2,) broadcast over 3 rows."""
    x = bc.Tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.0]])
    W = bc.Tensor([[0.5, -1.0], [1.0, 0.25]], requires_grad=True)
    b = bc.Tensor([0.5, -0.5], requires_grad=True)
    z = x @ W + b
    loss = (z.tanh() * z).mean()
    return loss, x, W, b


# ------------------------------------------------------------------ order


@pytest.mark.parametrize("make", [chapter3, fanout, lambda: every_op((0.3, -0.7, 0.4))])
def test_backward_steps_follow_the_engines_own_order(make) -> None:
    root, _ = make()
    trace = trace_backward(root)
    root2, _ = make()
    assert list(trace.backward_order) == engine_call_order(root2)
    sources = [s.node for s in trace.steps if s.phase == "backward"]
    assert sources == [c.source for c in trace.contributions]
    assert list(dict.fromkeys(sources)) == list(trace.backward_order)
    # forward steps: every node, in the engine's topological order; then the seed
    phases = [s.phase for s in trace.steps]
    n = len(trace.nodes)
    assert phases[:n] == ["forward"] * n and phases[n] == "seed"
    assert [s.node for s in trace.steps[:n]] == list(range(n))
    if make is chapter3:
        assert [nd.name for nd in trace.nodes] == ["a", "b", "e", "c", "d", "L"]


def test_tensor_backward_follows_the_engines_order() -> None:
    loss, *_ = tensor_graph()
    loss2, *_ = tensor_graph()
    assert list(trace_backward(loss).backward_order) == engine_call_order(loss2)


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize("make", [chapter3, fanout, lambda: every_op((0.3, -0.7, 0.4)),
                                  lambda: every_op((-1.1, 0.9, -0.2))])
def test_every_gradient_shown_is_the_engines(make) -> None:
    root, _ = make()
    trace = trace_backward(root)
    root2, _ = make()
    root2.backward()
    engine = [n.grad for n in topological_order(root2)]
    assert [n.grad for n in trace.nodes] == engine  # exactly
    for c in trace.contributions:
        assert c.upstream == engine[c.source]
    # what a target shows after its last term is the engine's gradient, as text too
    last = {c.target: c for c in trace.contributions}
    fmt = "{:.4g}"
    for target, c in last.items():
        assert c.after == engine[target]
        step = next(s for s in trace.steps if s.contribution is c)
        assert step.sets == ((target, "grad", fmt.format(engine[target] + 0.0)),)


@pytest.mark.parametrize("make", [fanout, lambda: every_op((0.3, -0.7, 0.4))])
def test_fan_out_terms_add_up_to_the_final_gradient(make) -> None:
    root, _ = make()
    trace = trace_backward(root)
    by_target: dict[int, list] = {}
    for c in trace.contributions:
        by_target.setdefault(c.target, []).append(c)
    several = 0
    for target, terms in by_target.items():
        total = 0.0
        for k, c in enumerate(terms, 1):
            assert (c.count, c.total) == (k, len(terms))
            assert c.before == (None if k == 1 else total)
            total += c.value
            assert c.after == total
        assert total == trace.nodes[target].grad  # the engine's, bit for bit
        several += len(terms) > 1
    assert several >= 1
    if make is fanout:
        d = next(n.index for n in trace.nodes if n.name == "d")
        assert [c.value for c in by_target[d]] == [-0.5, -1.0]  # from L = d e, then e = d + c
        step = next(s for s in trace.steps if s.contribution is by_target[d][1])
        assert "d.grad += -1: -0.5 + (-1) = -1.5 (contribution 2 of 2)" in step.lines[-1]


def test_leaf_gradients_agree_with_central_differences() -> None:
    p = np.array([0.3, -0.7, 0.4])
    root, leaves = every_op(p)
    trace = trace_backward(root)
    index = {id(v): i for i, v in enumerate(topological_order(root))}
    numeric = central_difference(every_op_float, p)
    for leaf, expected in zip(leaves, numeric, strict=True):
        i = index[id(leaf)]
        got = sum(c.value for c in trace.contributions if c.target == i)
        assert bc.rel_error(got, expected) < 1e-8


def test_each_local_derivative_is_its_operations_slope() -> None:
    """The local derivative a step shows, against central differences of that one operation."""
    root, _ = every_op((0.3, -0.7, 0.4))
    trace = trace_backward(root)
    ops = {
        "+": lambda a, b: a + b, "*": lambda a, b: a * b, "exp": math.exp, "log": math.log,
        "tanh": math.tanh, "sigmoid": lambda a: 1.0 / (1.0 + math.exp(-a)),
        "relu": lambda a: max(a, 0.0), "**3": lambda a: a**3, "**-1": lambda a: a**-1,
    }
    checked = set()
    for s in (s for s in trace.steps if s.phase == "backward"):
        c, local = s.contribution, s.extra["local"]
        node = trace.nodes[c.source]
        args = [trace.nodes[i].data for i in node.inputs]
        if node.op == "dot":
            assert local is not None
        elif node.op in ops:

            def moved(t, args=args, c=c, op=node.op):
                a = list(args)
                a[c.slot] = t
                return ops[op](*a)

            assert bc.rel_error(local, central_difference(moved, args[c.slot])) < 1e-7
            checked.add(node.op)
        assert local is not None
        assert bc.rel_error(c.upstream * local, c.value) < 1e-13  # the term is grad × local
        assert s.lines[2].endswith(f" {c.value + 0.0:.4g}")  # the engine's term, as shown
        # "=" only where the factors as printed multiply to the term as printed
        shown = f"{float(f'{c.upstream:.4g}') * float(f'{local:.4g}') + 0.0:.4g}"
        sign = "=" if shown == f"{c.value + 0.0:.4g}" else "≈"
        assert f" {sign} {c.value + 0.0:.4g}" in s.lines[2]
    assert checked == set(ops)


def test_a_product_of_rounded_factors_is_marked_approximate() -> None:
    """Chapter 2's square: ½ × 2(a − y) with a − y = -0.8551 (4 digits): 0.5 × (-1.71) is
    -0.855, not the -0.8551 the engine sent, so the line says "≈"."""
    d = bc.Value(-0.85511, label="d")
    loss = 0.5 * d**2
    loss.label = "L"
    trace = trace_backward(loss)
    (to_d,) = [s for s in trace.steps if s.contribution is not None
               and s.contribution.target == 0]
    assert to_d.lines[2] == "Sent to d: ∂L/∂n1 × ∂(d^2)/∂d = 0.5 × (-1.71) ≈ -0.8551"
    (to_square,) = [s for s in trace.steps if s.contribution is not None
                    and trace.nodes[s.contribution.target].name == "n1"]
    assert to_square.lines[2].endswith("= 1 × 0.5 = 0.5")


def _gradients_claimed(lines):
    """Every "∂L/∂name = number" a step states, as (name, number)."""
    return re.findall(r"∂L/∂(\(?[\w−·^ ]+?\)?) = (-?[\d.e+-]+)\b", " ".join(lines))


@pytest.mark.parametrize("make", [chapter3, fanout, lambda: every_op((0.3, -0.7, 0.4))])
def test_a_local_derivative_is_never_written_as_the_whole_gradient(make) -> None:
    """∂L/∂d means dL/dd, the engine's d.grad, wherever it stands: the local derivative of
    the output L = d e is written ∂(d · e)/∂d (chapter 3 once wrote ∂L/∂d = -0.5 for it,
    and ∂L/∂d = -1.5 for the gradient)."""
    root, _ = make()
    root.label = "L"
    trace = trace_backward(root)
    grads = {n.name: f"{n.grad + 0.0:.4g}" for n in trace.nodes}
    claimed = [claim for s in trace.steps for claim in _gradients_claimed(s.lines)]
    assert claimed
    for name, number in claimed:
        assert grads[name] == number, (name, number)
    if make is fanout:
        step = next(s for s in trace.steps if s.phase == "backward")
        assert step.lines[1] == "Local derivative: ∂(d · e)/∂d = e = -0.5 (the other factor)."
        assert step.lines[2] == "Sent to d: ∂L/∂L × ∂(d · e)/∂d = 1 × (-0.5) = -0.5"


def test_a_value_used_twice_by_one_operation_gets_two_terms() -> None:
    x = bc.Value(3.0, label="x")
    y = x * x
    y.label = "y"
    trace = trace_backward(y)
    terms = [c for c in trace.contributions if c.target == 0]
    assert [(c.slot, c.value) for c in terms] == [(0, 3.0), (1, 3.0)]
    assert terms[-1].after == 6.0
    assert bc.rel_error(6.0, central_difference(lambda t: t * t, 3.0)) < 1e-10
    # the local derivative is 2x, sent as one term per factor; x has ONE user, y
    first = next(s for s in trace.steps if s.contribution is terms[0])
    assert "∂(x · x)/∂x = 2x = 6" in first.lines[1]
    assert "one user, y, which uses it twice" in first.lines[3]
    assert "2 users" not in " ".join(first.lines)


def test_users_are_counted_not_terms() -> None:
    """a is used by two nodes, one of which uses it twice: 2 users, 3 terms."""
    a = bc.Value(1.5, label="a")
    s = a * a
    s.label = "s"
    L = s + a
    L.label = "L"
    trace = trace_backward(L)
    steps = [st for st in trace.steps if st.contribution is not None
             and st.contribution.target == 0]
    assert [st.contribution.total for st in steps] == [3, 3, 3]
    assert "a has 2 users, which use it 3 times in all" in steps[0].lines[-1]
    assert steps[-1].contribution.after == 2 * 1.5 + 1 == trace.nodes[0].grad


def relu_graph():
    """The reviewer's graph L = relu(x/w - x) + w^3 at x = 2, w = -1.5: the ReLU's input is
    -3.333, so its backward function adds nothing."""
    x, w = bc.Value(2.0, label="x"), bc.Value(-1.5, label="w")
    r = (x / w - x).relu()
    r.label = "r"
    L = r + w**3
    L.label = "L"
    return L, (x, w)


def test_an_inactive_relu_has_its_step_and_sends_zero() -> None:
    L, (x, w) = relu_graph()
    trace = trace_backward(L)
    # every node the engine visits sends a step to each of its inputs, the ReLU included
    for i in trace.backward_order:
        sent = [c.slot for c in trace.contributions if c.source == i]
        assert sent == list(range(len(trace.nodes[i].inputs)))
    r = next(n for n in trace.nodes if n.name == "r")
    assert r.index in trace.backward_order
    (zero,) = [c for c in trace.contributions if c.source == r.index]
    assert zero.value == 0.0 and not zero.added and zero.upstream == 1.0
    assert trace.nodes[zero.target].grad == 0.0  # the engine's: nothing was added
    step = next(s for s in trace.steps if s.contribution is zero)
    assert "= 0 (slope 1 where" in step.lines[1] and "≤ 0" in step.lines[1]
    assert step.lines[2].endswith("= 1 × 0 = 0 (the engine adds nothing: its backward "
                                  "function leaves n6 alone)")
    assert "n6.grad stays 0 (a term of 0)" in step.lines[3]
    # the gradients are still the engine's and the slopes of L
    numeric = central_difference(
        lambda p: max(p[0] / p[1] - p[0], 0.0) + p[1] ** 3, np.array([2.0, -1.5]))
    grads = {n.name: n.grad for n in trace.nodes}
    assert bc.rel_error(np.array([grads["x"], grads["w"]]), numeric) < 1e-8
    L.backward()
    assert (x.grad, w.grad) == (grads["x"], grads["w"])


def test_the_graphs_gradients_are_left_as_they_were() -> None:
    L, (a, b, c) = chapter3()
    a.grad = 5.0  # an earlier backward pass, say
    trace = trace_backward(L)
    assert (a.grad, b.grad, c.grad, L.grad) == (5.0, 0.0, 0.0, 0.0)
    assert trace.nodes[0].grad == -0.5 * (1 - math.tanh(-0.5) ** 2)  # not 5 + ...
    L.backward()
    kept = [n.grad for n in topological_order(L)]
    trace_backward(L)
    assert [n.grad for n in topological_order(L)] == kept


def test_a_learners_own_operation_is_shown_by_its_terms() -> None:
    v = bc.Value(0.7, label="v")
    out = bc.Value.from_op(math.sin(v.data), (v,), "sin")

    def _backward(grad):
        v.grad += grad * math.cos(v.data)

    out._backward = _backward
    loss = out * v
    trace = trace_backward(loss)
    step = next(s for s in trace.steps if s.phase == "backward" and trace.nodes[s.node].op == "sin")
    assert "does not know" in step.lines[1]
    assert step.lines[2].startswith("Sent to v by the backward function of 'sin'")
    numeric = central_difference(lambda t: math.sin(t) * t, 0.7)
    got = sum(c.value for c in trace.contributions if c.target == 0)
    assert bc.rel_error(got, numeric) < 1e-9


def test_a_backward_that_overwrites_is_refused() -> None:
    class Overwriting(bc.Value):
        __slots__ = ()

        def __mul__(self, other):
            out = Overwriting.from_op(self.data * other.data, (self, other), "*")

            def _backward(grad):
                self.grad = grad * other.data  # the classic bug of chapter 3
                other.grad = grad * self.data

            out._backward = _backward
            return out

    w = Overwriting(2.0)
    loss = w * bc.Value(3.0) + w * bc.Value(4.0)
    with pytest.raises(ValueError, match="do not add up"):
        trace_backward(loss)
    assert w.grad == 0.0


# ------------------------------------------------------------------ Tensor graphs


def test_tensor_steps_show_shapes_and_the_unbroadcast_sum() -> None:
    loss, x, W, b = tensor_graph()
    trace = trace_backward(loss, names={"x": x, "W": W, "b": b})
    loss2, x2, W2, b2 = tensor_graph()
    loss2.backward()
    by_name = {n.name: n for n in trace.nodes}
    assert np.array_equal(by_name["W"].grad, W2.grad) and np.array_equal(by_name["b"].grad, b2.grad)
    assert by_name["x"].grad is None and not by_name["x"].requires_grad
    # b's term has b's shape; the step says it is summed over axis 0 from (3, 2)
    (to_b,) = [c for c in trace.contributions if c.target == by_name["b"].index]
    assert to_b.value.shape == (2,) and trace.nodes[to_b.source].shape == (3, 2)
    step = next(s for s in trace.steps if s.contribution is to_b)
    assert any("summed over axis 0, (3, 2) → (2,)" in line for line in step.lines)
    assert "of shape (2,)" in step.lines[-2]

    def f_b(v):
        return float(((x.data @ W.data + v) * np.tanh(x.data @ W.data + v)).mean())

    assert bc.rel_error(to_b.value, central_difference(f_b, b.data)) < 1e-8
    # every target's terms, summed in order, give the engine's gradient exactly
    for node in trace.nodes:
        terms = [c for c in trace.contributions if c.target == node.index]
        if terms:
            assert np.array_equal(terms[-1].after, node.grad)
            assert np.allclose(sum(c.value for c in terms), node.grad, rtol=1e-15, atol=0)


def test_tensor_z_times_z_and_the_mean_constant() -> None:
    z = bc.Tensor([1.0, -2.0], requires_grad=True)
    loss = (z * z).sum()
    trace = trace_backward(loss, names={"z": z})
    terms = [c for c in trace.contributions if c.target == 0]
    assert [c.slot for c in terms] == [0, 1]
    assert np.array_equal(terms[-1].after, 2 * z.data) and z.grad is None
    # ∂(z * z)/∂z is 2z, and z has one user (chapter 8)
    step = next(s for s in trace.steps if s.contribution is terms[0])
    assert step.lines[1].startswith("Local rule: ∂(z * z)/∂z = 2z, entry by entry, sent as "
                                    "two terms, one per factor")
    assert "z has one user, n1, which uses it twice" in step.lines[-1]
    assert bc.rel_error(terms[-1].after, central_difference(
        lambda v: float((v * v).sum()), z.data)) < 1e-9


def test_a_tensor_box_shows_its_shape_and_a_scalar_its_value() -> None:
    w = bc.Tensor([[2.0]], requires_grad=True)  # shape (1, 1): one entry, still an array
    loss = (w * 3.0).sum() * 0.5
    trace = trace_backward(loss, names={"w": w})
    view = step_through(loss, names={"w": w})
    boxes = {s.node: s.sets[0][2] for s in view.steps if s.phase == "forward"}
    names = {n.index: n.name for n in trace.nodes}
    shown = {names[i]: text for i, text in boxes.items()}
    assert shown["w"] == "(1, 1)"
    assert shown[trace.nodes[-1].name] == "3" and trace.nodes[-1].shape == ()
    to_w = next(s for s in view.steps if s.contribution is not None
                and s.contribution.target == 0)
    assert to_w.flow == "(1, 1)" and to_w.lines[-2].endswith(": [[1.5]]")


def test_a_loss_node_names_its_labels_and_n() -> None:
    """Chapter 6: the view shows what the cross-entropy compares the logits with."""
    z = bc.Tensor([[2.0, 1.0, -1.0], [0.5, 0.5, 0.5]], requires_grad=True)
    loss = bc.losses.cross_entropy(z, [1, 0])
    trace = trace_backward(loss, names={"z": z, "L": loss})
    forward = next(s for s in trace.steps if s.phase == "forward" and s.node == 1)
    assert forward.title == "L = cross_entropy(z, labels [1, 0])"
    assert forward.lines[1] == ("L is the mean of the losses of its N = 2 rows; labels "
                                "[1, 0]: the correct class of each row, counted from 0.")
    assert "a parameter, or any tensor whose gradient you asked for" in trace.steps[0].lines[0]
    (back,) = [s for s in trace.steps if s.phase == "backward"]
    assert back.lines[1].endswith("for labels [1, 0] and N = 2 rows.")
    assert back.title == "L = cross_entropy(z, labels [1, 0]) sends a gradient to z"
    p = np.exp(bc.layers.log_softmax(z.data))
    assert bc.rel_error(back.contribution.value, (p - np.eye(3)[[1, 0]]) / 2) < 1e-12


# ------------------------------------------------------------------ the view


def test_the_view_is_deterministic_and_carries_its_steps() -> None:
    html = step_through(fanout()[0]).to_html()
    assert html == step_through(fanout()[0]).to_html()
    data = json.loads(
        re.search(r'<script type="application/json" class="bc-st-data">(.*?)</script>', html,
                  re.S).group(1))
    view = step_through(fanout()[0])
    assert [s["title"] for s in data["steps"]] == [s.title for s in view.steps]
    assert [s["lines"] for s in data["steps"]] == [list(s.lines) for s in view.steps]
    assert "http" not in html.replace("http-equiv", "")  # nothing to fetch
    assert not re.search(r"\d\.\d+e-(0[89]|[1-9]\d)", html)  # no round-off digits
    assert "<details>" in html and html.count("<li>") >= len(view.steps)  # the text version
    assert 'class="bc-st-legend"' in html and "the input it sends a gradient to" in html
    assert repr(view).startswith("<step_through: a Value graph of 6 nodes, 13 steps")


def test_a_label_cannot_break_out_of_the_page() -> None:
    a = bc.Value(1.0, label="</script><script>alert(1)</script>")
    html = step_through(a * 2.0).to_html()
    assert html.count("<script") == 2 and "alert(1)</script>" not in html


def test_predict_mode_hides_the_local_derivative_and_the_answer() -> None:
    view = step_through(fanout()[0], predict=True)
    html = view.to_html()
    items = re.findall(r"<li><strong>.*?</li>", html)
    backward = [s for s in view.steps if s.phase == "backward"]
    for step in backward:
        assert step.hidden == (1, 2, 3) and step.answer in step.lines[2]
        assert len(step.masked) == 3 and step.masked[0].startswith("Local derivative: ∂(")
        assert " = ?" in step.masked[0] and not re.search(r"\d", step.masked[0].split("∂")[-1]
                                                          .split("= ?")[1])
        # neither the value of the local derivative nor the answer is in the list of steps
        item = items[view.steps.index(step)]
        for j in step.hidden:
            assert step.lines[j] not in html.split('class="bc-st-data"')[0]
            assert step.masked[j - 1].replace("'", "&#x27;") in item
    # without predict, the list gives every line
    plain = step_through(fanout()[0]).to_html()
    assert all(line in plain for s in backward for line in s.lines)


def test_a_graph_of_ten_thousand_nodes_is_summarised() -> None:
    x = bc.Value(0.5, label="x")
    y = x
    for _ in range(5_000):
        y = y * 1.0001  # 10,001 nodes: a chain and its constants
    view = step_through(y, max_steps=200)
    assert len(view.trace.nodes) == 10_001 and not view.drawn
    assert len(view.steps) == 200
    assert view.steps[0].phase == "summary" and view.steps[-1].phase == "summary"
    assert f"∂n10000/∂x = {1.0001 ** 5000:.4g}" in view.steps[-1].lines[1]
    assert bc.rel_error(view.trace.nodes[0].grad, 1.0001**5000) < 1e-9
    html = view.to_html()
    assert len(html) < 200_000 and "too many to draw" in html


def test_a_name_with_an_operator_is_one_factor_in_a_formula() -> None:
    """Chapter 2 names a − y "a−y": formulas put it in parentheses, ∂L/∂(a−y), so that the
    name reads as one node; a name already in parentheses is left as it is."""
    a, y = bc.Value(0.25, label="a"), bc.Value(1.0, label="y")
    diff = a - y
    sq = diff**2
    loss = 0.5 * sq
    minus_y = diff.children[1]
    trace = trace_backward(loss, names={"a−y": diff, "−y": minus_y, "(a−y)²": sq, "L": loss,
                                        "−1": minus_y.children[1]})
    text = " ".join(line for s in trace.steps for line in s.lines)
    assert "a−y = a + (−y) = 0.25 + (-1) = -0.75" in text
    assert "∂L/∂(a−y) = -0.75: complete" in text and "(a−y).grad = -0.75" in text
    assert "∂((a−y)²)/∂" not in text and "∂L/∂(a−y)² = 0.5" in text
    assert "∂(y · (−1))/∂(−1) = y = 1 (the other factor)" in text
