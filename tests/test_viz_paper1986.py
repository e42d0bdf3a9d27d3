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
