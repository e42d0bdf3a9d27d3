"""The Hinton diagram of chapter 9."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from backprop_course import viz  # noqa: E402


def test_plot_hinton_draws_one_square_per_weight() -> None:
    W = np.array([[1.0, -0.25], [0.0, -4.0], [2.0, 0.5]])
    ax = viz.plot_hinton(W, row_labels=["a", "b", "c"], col_labels=["u", "v"], title="t")
    squares = ax.patches
    assert len(squares) == W.size
    colours = [tuple(p.get_facecolor()[:3]) for p in squares]
    assert colours.count((1.0, 1.0, 1.0)) == 3  # the positive weights are white
    sides = np.array([p.get_width() for p in squares]).reshape(W.shape)
    np.testing.assert_allclose(sides**2, np.abs(W) / 4.0)  # area ~ magnitude
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    assert ax.get_title() == "t"
    plt.close("all")


def test_plot_hinton_with_a_fixed_scale_clips_large_weights() -> None:
    _, ax = plt.subplots()
    viz.plot_hinton(np.array([[10.0, 0.5]]), ax=ax, max_weight=1.0)
    assert [p.get_width() for p in ax.patches] == [1.0, pytest.approx(np.sqrt(0.5))]
    plt.close("all")


@pytest.mark.parametrize("bad", [np.zeros(3), np.array([[np.nan]])])
def test_plot_hinton_rejects_bad_input(bad) -> None:
    with pytest.raises(ValueError, match="plot_hinton"):
        viz.plot_hinton(bad)


def test_plot_person_units_draws_fig_4s_layout() -> None:
    """Six units, each two rows of 12 (English above Italian), on one scale."""
    people = [f"E{i}" for i in range(12)] + [f"I{i}" for i in range(12)]
    W = np.arange(144, dtype=float).reshape(24, 6) - 70.0
    fig = viz.plot_person_units(W, people, [f"u{k}" for k in range(6)])
    axes = fig.axes
    assert len(axes) == 6 and [ax.get_title() for ax in axes] == [f"u{k}" for k in range(6)]
    scale = np.abs(W).max()
    for k, ax in enumerate(axes):
        sides = np.array([p.get_width() for p in ax.patches]).reshape(2, 12)
        np.testing.assert_allclose(sides**2, np.abs(W[:, k].reshape(2, 12)) / scale)
        colours = np.array([p.get_facecolor()[0] for p in ax.patches]).reshape(2, 12)
        np.testing.assert_array_equal(colours == 1.0, W[:, k].reshape(2, 12) > 0)
    assert [t.get_text() for t in axes[0].get_yticklabels()] == ["English", "Italian"]
    assert [t.get_text() for t in axes[4].get_xticklabels()] == people[:12]
    plt.close("all")
