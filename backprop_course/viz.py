"""Figures the chapters share: tangent lines now, graph drawings and training curves later."""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["plot_tangent"]


def plot_tangent(
    f: Callable[[np.ndarray], np.ndarray],
    x0: float,
    slope: float,
    *,
    ax: plt.Axes | None = None,
    span: float = 2.0,
    tangent_span: float | None = None,
    label: str = "f",
    tangent_label: str | None = None,
) -> plt.Axes:
    """Plot ``f`` around ``x0`` with the straight line through ``(x0, f(x0))`` of slope ``slope``.

    If ``slope`` is the derivative f'(x0), the line touches the curve at x0: the
    picture of what a derivative is. A wrong slope shows at a glance.

    Parameters
    ----------
    f : callable
        A function that works elementwise on a NumPy array.
    x0 : float
        Where the tangent touches.
    slope : float
        The slope to draw (typically a gradient computed by backpropagation).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.
    span : float, default 2.0
        The curve is drawn over ``[x0 - span, x0 + span]``.
    tangent_span : float, optional
        Half-width of the tangent segment (``span / 2`` by default).
    label, tangent_label : str
        Legend entries.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    xs = np.linspace(x0 - span, x0 + span, 200)
    y0 = float(np.asarray(f(np.asarray(x0, dtype=float))))
    half = span / 2 if tangent_span is None else tangent_span
    xt = np.array([x0 - half, x0 + half])
    ax.plot(xs, f(xs), color="C0", lw=2, label=label)
    ax.plot(
        xt,
        y0 + slope * (xt - x0),
        color="C3",
        lw=2,
        ls="--",
        label=tangent_label or f"slope {slope:.3g}",
    )
    ax.plot([x0], [y0], "o", color="C3", ms=6)
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return ax
