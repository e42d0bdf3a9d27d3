"""Chapter 5's figures: matrix shapes as blocks, and dW as a sum of outer products."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from backprop_course import viz  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_plot_matmul_shapes_draws_one_rectangle_per_block() -> None:
    rows = [
        ("forward", [("$z$", (4, 3)), "=", ("$x$", (4, 6), "C0"), "@", ("$W$", (6, 3), "C2")]),
        ("", [("$db$", (1, 3)), "=", ("$1$", (1, 4)), "@", (r"$\delta$", (4, 3))]),
    ]
    ax = viz.plot_matmul_shapes(rows)
    sizes = [(p.get_width(), p.get_height()) for p in ax.patches]
    assert sizes == [(3, 4), (6, 4), (3, 6), (3, 1), (4, 1), (3, 4)]
    texts = [t.get_text() for t in ax.texts]
    for expected in ("forward", "=", "@", "$x$", "4×6", "1×4"):
        assert expected in texts
    # the blocks of one row sit side by side, left to right, without overlapping
    xs = [p.get_x() for p in ax.patches[:3]]
    assert xs == sorted(xs) and xs[1] >= xs[0] + 3


def test_plot_matmul_shapes_uses_the_given_axes() -> None:
    fig, ax = plt.subplots()
    assert viz.plot_matmul_shapes([("", [("$a$", (2, 2))])], ax=ax) is ax


@pytest.mark.parametrize(
    "items",
    [[("$x$", (2, 0))], [("$x$", (2,))], [("$x$", (2, 2.5))], [3]],
)
def test_plot_matmul_shapes_rejects_bad_items(items) -> None:
    with pytest.raises(ValueError):
        viz.plot_matmul_shapes([("bad", items)])


def test_plot_outer_products_panels_add_up_to_dW() -> None:
    rng = np.random.default_rng(0)
    a_prev, delta = rng.normal(size=(3, 5)), rng.normal(size=(3, 2))
    axes = viz.plot_outer_products(a_prev, delta)
    assert len(axes) == 4
    panels = [np.asarray(ax.images[0].get_array()) for ax in axes]
    for n in range(3):
        np.testing.assert_allclose(panels[n], np.outer(a_prev[n], delta[n]))
        assert np.linalg.matrix_rank(panels[n]) == 1
    np.testing.assert_allclose(panels[-1], a_prev.T @ delta)
    np.testing.assert_allclose(sum(panels[:3]), panels[-1])
    # one colour scale for every panel, centred on zero
    limits = {ax.images[0].get_clim() for ax in axes}
    assert len(limits) == 1
    low, high = limits.pop()
    assert low == -high and high >= np.abs(panels[-1]).max()
    assert "dW" in axes[-1].get_title()


def test_plot_outer_products_checks_its_inputs() -> None:
    with pytest.raises(ValueError, match="same N rows"):
        viz.plot_outer_products(np.ones((3, 2)), np.ones((2, 2)))
    fig, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="need 3 axes"):
        viz.plot_outer_products(np.ones((2, 2)), np.ones((2, 2)), axes=list(axes))
