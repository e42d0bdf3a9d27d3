"""`bc.viz.draw_graph` draws every Value and operation once, and nothing on top of another."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import backprop_course as bc  # noqa: E402
from backprop_course.scalar import topological_order  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def tanh_example() -> bc.Value:
    """The chapter's example L = tanh(a b + c), with labels."""
    a, b, c = bc.Value(2.0, label="a"), bc.Value(-0.5, label="b"), bc.Value(0.5, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    loss = d.tanh()
    loss.label = "L"
    return loss


def random_graph(seed: int, n_ops: int = 14) -> bc.Value:
    """A random expression with fan-out: every operation picks its inputs among all nodes so far."""
    rng = np.random.default_rng(seed)
    nodes = [bc.Value(float(rng.uniform(-1, 1)), label=f"x{i}") for i in range(4)]
    for _ in range(n_ops):
        u, v = (nodes[int(i)] for i in rng.integers(0, len(nodes), size=2))
        kind = int(rng.integers(0, 4))
        nodes.append([u + v, u * v, u.tanh(), (u * v).sigmoid()][kind])
    unused = [n for n in nodes if not any(n in m.children for m in nodes)]
    root = unused[0]
    for n in unused[1:]:
        root = root + n
    return root


def patches(ax: plt.Axes, gid: str) -> list:
    return [p for p in ax.patches if p.get_gid() == gid]


def texts(ax: plt.Axes) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_one_box_per_value_and_one_circle_per_operation() -> None:
    loss = tanh_example()
    nodes = topological_order(loss)
    ax = bc.viz.draw_graph(loss)
    assert len(patches(ax, "value")) == len(nodes) == 6
    assert len(patches(ax, "op")) == sum(1 for n in nodes if n.op) == 3
    op_names = sorted(t.get_text() for t in ax.texts if t.get_gid() == "op-text")
    assert op_names == sorted(["*", "+", "tanh"])
    # one arrow per input of each operation, and one from each operation to its output
    assert len(patches(ax, "edge")) == sum(len(n.children) + 1 for n in nodes if n.op)


def test_boxes_show_label_data_and_grad_before_and_after_backward() -> None:
    loss = tanh_example()
    ax = bc.viz.draw_graph(loss)
    shown = "\n".join(texts(ax))
    for label in "abcdeL":
        assert texts(ax).count(label) == 1
    assert "data -0.4621" in shown and "grad  0.0000" in shown
    assert "grad  0.7864" not in shown

    loss.backward()
    ax = bc.viz.draw_graph(loss)
    shown = "\n".join(texts(ax))
    for node in topological_order(loss):
        assert f"{node.data:.4f}" in shown
        assert f"{node.grad:.4f}" in shown
    assert "grad  1.5729" in shown  # dL/db = (1 - tanh(d)^2) a
    assert "grad  0.7864" in shown


def test_format_and_forward_only() -> None:
    loss = tanh_example()
    ax = bc.viz.draw_graph(loss, fmt=".2f", show_grad=False)
    shown = "\n".join(texts(ax))
    assert "data -0.46" in shown and "-0.4621" not in shown
    assert "grad" not in shown


def test_a_value_used_twice_is_drawn_once() -> None:
    x = bc.Value(3.0, label="x")
    y = x * x
    y.backward()
    ax = bc.viz.draw_graph(y)
    assert len(patches(ax, "value")) == 2
    assert texts(ax).count("x") == 1
    assert len(patches(ax, "op")) == 1
    assert len(patches(ax, "edge")) == 3  # two arrows into the *, one out of it
    assert "grad 6.0000" in "\n".join(texts(ax))


def test_a_single_leaf() -> None:
    ax = bc.viz.draw_graph(bc.Value(1.5, label="w"))
    assert len(patches(ax, "value")) == 1 and not patches(ax, "op")
    assert "data 1.5000" in "\n".join(texts(ax))


def _boxes(ax: plt.Axes) -> list[tuple[float, float, float, float]]:
    return [
        (p.get_x(), p.get_y(), p.get_x() + p.get_width(), p.get_y() + p.get_height())
        for p in patches(ax, "value")
    ]


def _circles(ax: plt.Axes) -> list[tuple[float, float, float]]:
    return [(*p.center, p.radius) for p in patches(ax, "op")]


@pytest.mark.parametrize("seed", range(8))
def test_nothing_overlaps_in_graphs_of_about_thirty_nodes(seed: int) -> None:
    root = random_graph(seed)
    n_nodes = len(topological_order(root))
    assert 15 <= n_nodes <= 40
    root.backward()
    ax = bc.viz.draw_graph(root)
    boxes, circles = _boxes(ax), _circles(ax)
    assert len(boxes) == n_nodes
    for (a0, b0, a1, b1), (c0, d0, c1, d1) in itertools.combinations(boxes, 2):
        assert a1 <= c0 or c1 <= a0 or b1 <= d0 or d1 <= b0, "two boxes overlap"
    for (x, y, r), (a0, b0, a1, b1) in itertools.product(circles, boxes):
        nearest = (min(max(x, a0), a1), min(max(y, b0), b1))
        assert np.hypot(x - nearest[0], y - nearest[1]) >= r, "a circle overlaps a box"
    for (x1, y1, r1), (x2, y2, r2) in itertools.combinations(circles, 2):
        assert np.hypot(x1 - x2, y1 - y2) >= r1 + r2, "two circles overlap"


@pytest.mark.parametrize("seed", range(8))
def test_arrows_do_not_pass_behind_boxes(seed: int) -> None:
    ax = bc.viz.draw_graph(random_graph(seed))
    boxes = _boxes(ax)
    shrink = 0.02 * min(b[2] - b[0] for b in boxes)  # arrow tips touch the box edges
    for arrow in patches(ax, "edge"):
        points = arrow.get_path().interpolated(20).vertices  # data coordinates, head included
        for a0, b0, a1, b1 in boxes:
            inside = (
                (points[:, 0] > a0 + shrink)
                & (points[:, 0] < a1 - shrink)
                & (points[:, 1] > b0 + shrink)
                & (points[:, 1] < b1 - shrink)
            )
            assert not inside.any(), "an arrow runs through a box"


def test_draws_into_given_axes_and_shrinks_text_to_fit() -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(6, 2))
    assert bc.viz.draw_graph(tanh_example(), ax=right) is right
    assert not left.patches
    sizes = {t.get_fontsize() for t in right.texts if t.get_gid() == "value-text"}
    assert len(sizes) == 1 and sizes.pop() < 10  # a 3-inch axes cannot hold it at 10 pt


def test_a_chain_of_a_thousand_nodes_does_not_raise() -> None:
    v = bc.Value(0.5, label="x")
    for _ in range(999):
        v = v.tanh()
    v.backward()
    ax = bc.viz.draw_graph(v)
    assert len(patches(ax, "value")) == 1000
    assert len(patches(ax, "op")) == 999
    width, _ = ax.figure.get_size_inches()
    assert width <= 10.0 + 1e-9


@pytest.mark.parametrize(
    ("bad", "name"),
    [(3.0, "float"), (np.array([1.0]), "ndarray"), (None, "NoneType"), ("L", "str")],
)
def test_not_a_value_raises_type_error_naming_the_type(bad: object, name: str) -> None:
    with pytest.raises(TypeError, match=f"got {name}"):
        bc.viz.draw_graph(bad)  # type: ignore[arg-type]


def test_a_tensor_is_not_a_value() -> None:
    with pytest.raises(TypeError, match="got Tensor"):
        bc.viz.draw_graph(bc.Tensor(np.ones(2), requires_grad=True).sum())  # type: ignore[arg-type]
