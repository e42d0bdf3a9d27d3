"""Chapter 12's figure helper: a small array drawn as annotated cells."""

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


def test_plot_grid_writes_every_entry_and_outlines_the_highlights() -> None:
    values = np.array([[1.0, -0.0, 2.5], [3.0, 4.0, -1.25]])
    ax = viz.plot_grid(values, highlight=[(0, 1, 2, 2), (1, 0, 1, 1, "C2")], title="t")
    assert [t.get_text() for t in ax.texts] == ["1.0", "0.0", "2.5", "3.0", "4.0", "-1.2"]
    first, second = ax.patches
    assert (first.get_x(), first.get_y(), first.get_width(), first.get_height()) == (
        0.5, -0.5, 2, 2)
    assert second.get_edgecolor() != first.get_edgecolor()
    assert ax.get_title() == "t"
    np.testing.assert_array_equal(ax.images[0].get_array(), values)


def test_plot_grid_draws_in_the_given_axes_without_numbers() -> None:
    fig, ax = plt.subplots()
    assert viz.plot_grid(np.eye(3), ax=ax, fmt="", vmin=-1, vmax=1) is ax
    assert len(ax.texts) == 0 and ax.images[0].get_clim() == (-1, 1)


def test_plot_grid_bad_input() -> None:
    with pytest.raises(ValueError, match=r"2-D array, got shape \(2, 2, 2\)"):
        viz.plot_grid(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="a highlight is"):
        viz.plot_grid(np.zeros((2, 2)), highlight=[(0, 0, 1)])
