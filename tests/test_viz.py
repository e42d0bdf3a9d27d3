"""The shared figures draw what they claim."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import backprop_course as bc  # noqa: E402


def test_plot_tangent_draws_the_curve_and_a_touching_line() -> None:
    ax = bc.viz.plot_tangent(np.sin, 0.5, np.cos(0.5), span=1.0)
    curve, tangent, point = ax.get_lines()
    xs, ys = curve.get_data()
    np.testing.assert_allclose(ys, np.sin(xs))
    (x1, x2), (y1, y2) = tangent.get_data()
    assert np.isclose((y2 - y1) / (x2 - x1), np.cos(0.5))
    assert np.isclose(y1 + (0.5 - x1) * np.cos(0.5), np.sin(0.5))  # the line passes through f(x0)
    assert tuple(point.get_data()[0]) == (0.5,)
    plt.close("all")


def test_plot_tangent_uses_the_given_axes() -> None:
    fig, ax = plt.subplots()
    assert bc.viz.plot_tangent(np.exp, 0.0, 1.0, ax=ax) is ax
    assert ax.get_legend() is not None
    plt.close(fig)
