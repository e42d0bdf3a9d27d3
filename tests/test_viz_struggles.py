"""Chapter 11's figures: the grid of per-layer gradient norms and the loss slice."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import backprop_course as bc  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _grid(rows, cols):
    return {
        (r, c): {"delta": np.logspace(0, -i - j - 1, 6), "dW": np.full(6, 0.5)}
        for i, r in enumerate(rows)
        for j, c in enumerate(cols)
    }


def test_layer_grid_draws_one_panel_per_case_with_log_axes() -> None:
    rows, cols = ["sigmoid", "relu"], ["naive", "xavier", "he"]
    grid = _grid(rows, cols)
    fig, axes = bc.viz.plot_layer_grid(grid, rows, cols, col_titles={"he": "He"})
    assert axes.shape == (2, 3)
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            ax = axes[i, j]
            assert ax.get_yscale() == "log"
            lines = ax.get_lines()
            assert len(lines) == 2
            np.testing.assert_array_equal(lines[0].get_xdata(), np.arange(1, 7))
            np.testing.assert_array_equal(lines[0].get_ydata(), grid[r, c]["delta"])
    assert axes[0, 2].get_title() == "He" and axes[0, 0].get_title() == "naive"
    assert "sigmoid" in axes[0, 0].get_ylabel() and axes[1, 0].get_xlabel() == "layer"
    assert axes[0, 0].get_legend() is not None


def test_layer_grid_rejects_missing_cases_and_bad_values() -> None:
    grid = _grid(["a"], ["x"])
    with pytest.raises(ValueError, match="no entry"):
        bc.viz.plot_layer_grid(grid, ["a"], ["x", "y"])
    grid["a", "x"]["dW"] = np.array([1.0, 0.0])
    with pytest.raises(ValueError, match="positive"):
        bc.viz.plot_layer_grid(grid, ["a"], ["x"])


def test_loss_slice_draws_filled_contours_and_the_centre() -> None:
    a = np.linspace(-1, 1, 21)
    b = np.linspace(-0.5, 0.5, 11)
    A, B = np.meshgrid(a, b)
    values = A**2 + 4 * B**2
    levels = np.linspace(0, 2, 9) ** 2
    ax = bc.viz.plot_loss_slice(a, b, values, levels=levels, title="a bowl")
    filled = ax.collections[0]
    np.testing.assert_allclose(filled.levels, levels)
    assert filled.norm.boundaries is not None  # one colour per band
    centre = ax.get_lines()[0]
    assert (centre.get_xdata()[0], centre.get_ydata()[0]) == (0.0, 0.0)
    assert ax.get_title() == "a bowl" and "alpha" in ax.get_xlabel()
    assert len(ax.figure.axes) == 2  # and a colour bar


def test_loss_slice_checks_the_shape() -> None:
    a = np.linspace(-1, 1, 5)
    with pytest.raises(ValueError, match="len"):
        bc.viz.plot_loss_slice(a, a, np.zeros((5, 4)))
    ax = bc.viz.plot_loss_slice(a, a, np.ones((5, 5)) + a, colorbar=False)
    assert len(ax.figure.axes) == 1
