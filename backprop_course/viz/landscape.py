"""Figures of what deep training meets: gradient norms layer by layer in a grid of cases,
and filled contours of the loss on a 2-D slice through weight space.

Used by chapter 11.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from ..checks import flag, one_number, real_array
from ._common import _axes, _levels

__all__ = ["plot_layer_grid", "plot_loss_slice"]


def _size_pair(value: object, func: str, name: str) -> tuple[float, float]:
    """Two positive numbers, such as a figure's (width, height) in inches."""
    if isinstance(value, str) or not isinstance(value, tuple | list) or len(value) != 2:
        raise ValueError(f"{func}: {name} must be two positive numbers (width, height), "
                         f"got {value!r}")
    width, height = (one_number(v, name, func, positive=True) for v in value)
    return width, height


def plot_layer_grid(
    grid: dict[tuple[str, str], dict[str, np.ndarray]],
    rows: list[str],
    cols: list[str],
    *,
    row_titles: dict[str, str] | None = None,
    col_titles: dict[str, str] | None = None,
    ylabel: str = "norm",
    xlabel: str = "layer",
    figsize: tuple[float, float] | None = None,
) -> tuple[plt.Figure, np.ndarray]:
    """Small panels of per-layer curves, one panel per (row, column) case, log-scale y.

    Made for gradient norms through a deep network: rows are activations,
    columns initialisations, and each panel draws one line per quantity
    (``{"δ = ∂L/∂z": [...], "dW": [...]}``) against the layer number 1, 2, ....
    Every panel has its own y range, because the cases differ by tens of orders
    of magnitude.

    Parameters
    ----------
    grid : dict
        ``grid[(row, col)]`` is a dict ``{label: values per layer}``.
    rows, cols : list of str
        The keys in display order.
    row_titles, col_titles : dict, optional
        Display names of the keys.
    ylabel, xlabel : str
    figsize : (float, float), optional

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : numpy.ndarray of Axes, shape (len(rows), len(cols))

    Raises
    ------
    TypeError
        If ``grid``, a panel or a title mapping is not a dict, ``rows`` or ``cols`` is not
        a list of keys (a single string would be split into characters), or a curve is
        not real numbers.
    ValueError
        If ``rows`` or ``cols`` is empty, ``grid`` has no entry for a (row, col), a panel
        has no curve, a curve is not 1-D, empty, or has a value that is not positive and
        finite (the y axis is logarithmic), or ``figsize`` is not two positive numbers.
    """
    func = "plot_layer_grid"
    _check_layout(grid, rows, cols, row_titles, col_titles)
    curves = {(r, c): _panel_curves(grid[(r, c)], (r, c)) for r in rows for c in cols}
    if figsize is not None:
        figsize = _size_pair(figsize, func, "figsize")
    row_titles, col_titles = row_titles or {}, col_titles or {}
    size = figsize or (2.5 * len(cols) + 0.4, 2.1 * len(rows) + 0.6)
    fig, axes = plt.subplots(len(rows), len(cols), figsize=size, squeeze=False, sharex=True)
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            ax = axes[i, j]
            _draw_panel(ax, curves[(r, c)])
            if i == 0:
                ax.set_title(col_titles.get(c, c), fontsize=10)
            if j == 0:
                ax.set_ylabel(f"{row_titles.get(r, r)}\n{ylabel}", fontsize=9)
            if i == len(rows) - 1:
                ax.set_xlabel(xlabel, fontsize=9)
            ax.tick_params(which="both", labelsize=7)
    axes[0, 0].legend(fontsize=7, frameon=False, loc="upper left")
    fig.tight_layout()
    return fig, axes


def _check_layout(grid: object, rows: object, cols: object, row_titles: object,
                  col_titles: object) -> None:
    """:func:`plot_layer_grid`'s keys: a dict with an entry for every (row, col) of two
    non-empty lists of keys, and titles as dicts."""
    func = "plot_layer_grid"
    if not isinstance(grid, Mapping):
        raise TypeError(f"{func}: grid must be a dict {{(row, col): {{label: values}}}}, "
                        f"got {type(grid).__name__}")
    for name, keys in (("rows", rows), ("cols", cols)):
        if isinstance(keys, str) or not isinstance(keys, list | tuple):
            raise TypeError(f"{func}: {name} must be a list of keys, got {keys!r}; for one "
                            f"key write [{keys!r}]")
        if not keys:
            raise ValueError(f"{func}: {name} must hold at least one key")
    for name, titles in (("row_titles", row_titles), ("col_titles", col_titles)):
        if titles is not None and not isinstance(titles, Mapping):
            raise TypeError(f"{func}: {name} must be a dict {{key: title}}, got {titles!r}")
    missing = [(r, c) for r in rows for c in cols if (r, c) not in grid]
    if missing:
        raise ValueError(f"grid has no entry for {missing[0]}")


def _panel_curves(panel: object, key: tuple) -> dict[str, np.ndarray]:
    """One panel's curves ``{label: values per layer}``, each positive (a log axis)."""
    func = "plot_layer_grid"
    if not isinstance(panel, Mapping):
        raise TypeError(f"{func}: grid[{key}] must be a dict {{label: values}}, "
                        f"got {type(panel).__name__}")
    if not panel:
        raise ValueError(f"{func}: grid[{key}] has no curve to draw")
    curves = {}
    for label, values in panel.items():
        v = real_array(values, f"{key} {label!r}", func, float64=True)
        if v.ndim != 1 or v.size == 0 or not (v > 0).all():
            raise ValueError(f"{key} {label!r}: need positive values, one per layer")
        curves[label] = v
    return curves


def _draw_panel(ax: plt.Axes, curves: dict[str, np.ndarray]) -> None:
    """One line per curve against the layer number, on a log y axis with a grid."""
    from matplotlib.ticker import LogLocator, NullLocator

    lows, highs = [], []
    for k, (label, v) in enumerate(curves.items()):
        ax.plot(np.arange(1, v.size + 1), v, lw=1.6, ls="-" if k == 0 else "--", label=label)
        lows.append(v.min())
        highs.append(v.max())
    ax.set_yscale("log")
    if max(highs) / min(lows) > 1e3:
        # a few labelled decades, no minor ticks: readable, and quick to lay out
        ax.yaxis.set_major_locator(LogLocator(numticks=4))
        ax.yaxis.set_minor_locator(NullLocator())
    ax.grid(alpha=0.3)


def plot_loss_slice(
    alphas: np.ndarray,
    betas: np.ndarray,
    values: np.ndarray,
    ax: plt.Axes | None = None,
    *,
    levels: int | np.ndarray = 20,
    title: str | None = None,
    colorbar: bool = True,
) -> plt.Axes:
    """Filled contours of a loss on a 2-D slice through weight space, the centre starred.

    Parameters
    ----------
    alphas, betas : array_like
        Coordinates along the two directions (the x and y axes).
    values : array_like, shape (len(betas), len(alphas))
        The loss at each grid point, rows following ``betas``
        (what :func:`backprop_course.landscape.loss_slice` returns).
    ax : matplotlib.axes.Axes, optional
    levels : int or array_like, default 20
        How many contour levels, or their values; explicit values may be
        unevenly spaced (closer near the minimum), each band gets its own colour.
    title : str, optional
    colorbar : bool, default True

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.collections`` holds the filled contours; ``ax.lines[0]`` is the centre.

    Raises
    ------
    TypeError
        If an array is not real numbers, ``levels`` is neither an int nor a list of
        values, ``colorbar`` is not a bool, or ``ax`` is not Axes.
    ValueError
        If ``alphas`` or ``betas`` is not 1-D with at least two increasing values,
        ``values`` does not have the shape (len(betas), len(alphas)), anything holds NaN
        or infinite values (a loss that overflowed: shrink the slice), or ``levels`` is
        below 1 or not at least two increasing values.
    """
    from matplotlib.colors import BoundaryNorm

    func = "plot_loss_slice"
    alphas = real_array(alphas, "alphas", func, float64=True)
    betas = real_array(betas, "betas", func, float64=True)
    values = real_array(values, "values", func, float64=True)
    for name, axis in (("alphas", alphas), ("betas", betas)):
        if axis.ndim != 1 or axis.size < 2 or np.any(np.diff(axis) <= 0):
            raise ValueError(
                f"{func}: {name} must be at least two increasing coordinates (1-D), got "
                f"{np.array2string(axis, threshold=6)}"
            )
    levels = _levels(levels, func, minimum=2)
    colorbar = flag(colorbar, f"{func}: colorbar")
    _axes(ax, func)
    if values.shape != (betas.size, alphas.size):
        raise ValueError(
            f"values must have shape (len(betas), len(alphas)) = {(betas.size, alphas.size)}, "
            f"got {values.shape}"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    # explicit levels: one colour per band, however unevenly the levels are spaced
    norm = None if np.ndim(levels) == 0 else BoundaryNorm(np.asarray(levels), 256)
    filled = ax.contourf(alphas, betas, values, levels=levels, cmap="viridis", norm=norm)
    ax.contour(alphas, betas, values, levels=filled.levels, colors="k", linewidths=0.3)
    ax.plot([0.0], [0.0], "*", color="red", ms=12, label="trained weights")
    if colorbar:
        ax.figure.colorbar(filled, ax=ax, label="loss", format="%.2g")
    ax.set(xlabel=r"$\alpha$ (direction 1)", ylabel=r"$\beta$ (direction 2)")
    ax.set_aspect("equal")
    if title is not None:
        ax.set_title(title)
    return ax
