"""Figures of derivatives and descent: a tangent line, and gradient descent on a loss curve
or on the contour lines of a loss of two weights.

Used by chapter 1 (:func:`plot_descent_1d`, :func:`plot_descent_contour`) and
chapters 2 and 4 (:func:`plot_tangent`).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np

from ..checks import int_at_least, one_number, real_array
from ._common import _axes, _callable, _color, _elementwise, _levels, _limits, _margin

__all__ = ["plot_tangent", "plot_descent_1d", "plot_descent_contour"]


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

    Raises
    ------
    TypeError
        If ``f`` is not a function, ``x0`` or ``slope`` is not a real number (a one-entry
        array is one; a Value or Tensor is not: pass ``.data`` or ``.item()``), or ``ax``
        is not Axes.
    ValueError
        If ``x0`` or ``slope`` is NaN, infinite or several numbers, a span is not positive,
        or ``f`` does not work elementwise (one number per entry of an array).
    """
    func = "plot_tangent"
    _callable(f, func, "f")
    x0, slope = one_number(x0, "x0", func), one_number(slope, "slope", func)
    span = one_number(span, "span", func, positive=True)
    half = span / 2 if tangent_span is None else one_number(
        tangent_span, "tangent_span", func, positive=True
    )
    _axes(ax, func)
    xs = np.linspace(x0 - span, x0 + span, 200)
    y0 = float(_elementwise(f(np.asarray(x0, dtype=float)), (), func, "f"))
    ys = _elementwise(f(xs), xs.shape, func, "f")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    xt = np.array([x0 - half, x0 + half])
    ax.plot(xs, ys, color="C0", lw=2, label=label)
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


def _descent_path(path: np.ndarray, dims: int) -> np.ndarray:
    """Check a path of iterates: shape (k,) for 1-D, (k, 2) for 2-D; at least one finite row."""
    func = "plot_descent_1d" if dims == 1 else "plot_descent_contour"
    try:
        arr = real_array(path, "path", func, float64=True)
    except ValueError as err:  # NaN or inf: say what to do about it
        raise ValueError(f"{err}; plot the finite part of a diverged run") from None
    expected = "(steps + 1,)" if dims == 1 else "(steps + 1, 2)"
    if arr.ndim != dims or (dims == 2 and arr.shape[1] != 2) or len(arr) == 0:
        raise ValueError(
            f"{func}: path must be an array of shape {expected}, got shape {arr.shape}"
        )
    return arr


def plot_descent_1d(
    f: Callable[[np.ndarray], np.ndarray],
    path: np.ndarray,
    ax: plt.Axes | None = None,
    *,
    xlim: tuple[float, float] | None = None,
    label: str = "loss",
    path_label: str = "gradient descent",
    color: str = "C3",
    max_arrows: int = 30,
) -> plt.Axes:
    """Draw a 1-D loss curve with the iterates of gradient descent on it.

    Each iterate :math:`w_k` is drawn at height :math:`f(w_k)`, and an arrow joins
    it to the next one, so the steps can be followed along the curve: short
    steps creeping down, steps that overshoot the minimum, or steps that climb
    out of the valley when the learning rate is too large.

    Parameters
    ----------
    f : callable
        The loss, working elementwise on a NumPy array of weights.
    path : array_like
        The iterates, shape ``(steps + 1,)`` (as returned by
        :func:`~backprop_course.descent.gradient_descent` for a scalar weight).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.
    xlim : (float, float), optional
        The range of weights to draw the curve over; by default the range of
        the path with a margin of 15 % on each side.
    label, path_label : str
        Legend entries of the curve and of the path.
    color : str
        Colour of the path.
    max_arrows : int, default 30
        Draw arrows for the first ``max_arrows`` steps only (the path's markers
        show the rest), so that long runs stay readable.

    Returns
    -------
    matplotlib.axes.Axes
        The lines, in order: the curve, the path (markers at
        :math:`(w_k, f(w_k))`), and the starting point.

    Raises
    ------
    TypeError
        If ``f`` is not a function, ``path`` is not real numbers, ``max_arrows`` is not an
        int, or ``ax`` is not Axes.
    ValueError
        If ``path`` is not 1-D and non-empty or holds NaN/inf, ``xlim`` is not (low, high)
        with low < high, ``max_arrows`` is negative, ``color`` is unknown, or ``f`` does not
        work elementwise.
    """
    func = "plot_descent_1d"
    _callable(f, func, "f")
    ws = _descent_path(path, 1)
    _axes(ax, func)
    lo, hi = (_limits(xlim, func, "xlim") if xlim is not None
              else _margin(float(ws.min()), float(ws.max()), 0.15))
    max_arrows = int_at_least(max_arrows, 0, "max_arrows", func)
    _color(color, func)
    xs = np.linspace(lo, hi, 400)
    heights = _elementwise(f(ws), ws.shape, func, "f")
    curve = _elementwise(f(xs), xs.shape, func, "f")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot(xs, curve, color="C0", lw=2, label=label)
    ax.plot(ws, heights, "o", color=color, ms=4, label=path_label, zorder=3)
    ax.plot(ws[:1], heights[:1], "o", color=color, ms=9, mfc="white", mew=2, zorder=4)
    for k in range(min(len(ws) - 1, max_arrows)):
        ax.annotate(
            "",
            xy=(ws[k + 1], heights[k + 1]),
            xytext=(ws[k], heights[k]),
            arrowprops={"arrowstyle": "->", "color": color, "lw": 1.2, "shrinkA": 2, "shrinkB": 2},
        )
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return ax


def plot_descent_contour(
    f: Callable[[np.ndarray, np.ndarray], np.ndarray],
    path: np.ndarray,
    ax: plt.Axes | None = None,
    *,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    levels: int | np.ndarray = 15,
    minimum: tuple[float, float] | None = None,
    path_label: str = "gradient descent",
    color: str = "C3",
    resolution: int = 200,
    aspect: str | float = "equal",
) -> plt.Axes:
    """Draw the contour lines of a function of two weights with a descent path on top.

    The loss surface is seen from above: each contour line joins the weights
    of equal loss, and the path of gradient descent crosses the lines at right
    angles (the gradient is perpendicular to them), which makes it zigzag in a
    long narrow valley.

    Parameters
    ----------
    f : callable
        ``f(u, v)``, the loss as a function of the two weights, working
        elementwise on two arrays of the same shape (a grid).
    path : array_like
        The iterates, shape ``(steps + 1, 2)``: column 0 is drawn along the
        x axis, column 1 along the y axis.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.
    xlim, ylim : (float, float), optional
        The window; by default the range of the path (and of ``minimum``) with a
        margin of 20 % on each side.
    levels : int or array_like, default 15
        The loss values of the contour lines, or how many to draw. An int gives
        levels spaced geometrically above the lowest loss in the window, so that
        the bottom of a bowl gets as many lines as its walls.
    minimum : (float, float), optional
        A point to mark with a star, typically the exact minimizer.
    path_label : str
        Legend entry of the path.
    color : str
        Colour of the path.
    resolution : int, default 200
        Grid points along each axis.
    aspect : "equal", "auto" or float, default "equal"
        Passed to ``ax.set_aspect``. With "equal" one unit is as long on both
        axes, so that right angles (between the path and the contours) look right.

    Returns
    -------
    matplotlib.axes.Axes
        Its lines, in order: the path, the starting point, then the minimum's
        star if given; the contour set is in ``ax.collections``.

    Raises
    ------
    TypeError
        If ``f`` is not a function, ``path`` is not real numbers, ``levels`` or
        ``resolution`` is of the wrong kind, or ``ax`` is not Axes.
    ValueError
        If ``path`` is not (steps + 1, 2) or holds NaN/inf, ``minimum`` is not two finite
        numbers, a window is not (low, high) with low < high, ``levels`` is below 1 or not
        increasing, ``resolution`` is below 2, ``aspect`` or ``color`` is unknown, or
        ``f`` is not finite anywhere in the window. Where ``f`` is NaN or infinite in
        part of the window (a loss defined only for some weights), no line is drawn.
    """
    uv, levels, resolution, minimum = _contour_arguments(f, path, ax, levels, resolution, color,
                                                         aspect, minimum)
    window = _window(uv, minimum, xlim, ylim, "plot_descent_contour")
    grid_u, grid_v, values, levels = _loss_on_grid(f, window, resolution, levels)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    contours = ax.contour(grid_u, grid_v, values, levels=levels, cmap="viridis", linewidths=0.9)
    upper = contours.levels[len(contours.levels) // 2 :: 2]  # label the outer lines only
    ax.clabel(contours, upper, fontsize=7, fmt="%.3g")
    _draw_path(ax, uv, minimum, color, path_label)
    _frame(ax, window, aspect)
    return ax


def _contour_arguments(
    f: object, path: object, ax: object, levels: object, resolution: object, color: object,
    aspect: object, minimum: object,
) -> tuple[np.ndarray, int | np.ndarray, int, tuple[float, float] | None]:
    """:func:`plot_descent_contour`'s arguments, checked: the path ``uv``, the levels, the
    resolution and the point to mark (or None)."""
    func = "plot_descent_contour"
    _callable(f, func, "f")
    uv = _descent_path(path, 2)
    _axes(ax, func)
    levels = _levels(levels, func, minimum=1)
    resolution = int_at_least(resolution, 2, "resolution", func)
    _color(color, func)
    _check_aspect(aspect, func)
    return uv, levels, resolution, _point(minimum, func)


def _draw_path(ax: plt.Axes, uv: np.ndarray, minimum: tuple[float, float] | None, color: str,
               path_label: str) -> None:
    """The descent path, its starting point (a ring) and the minimum (a star), if given."""
    ax.plot(uv[:, 0], uv[:, 1], "o-", color=color, ms=3, lw=1.2, label=path_label, zorder=3)
    ax.plot(uv[:1, 0], uv[:1, 1], "o", color=color, ms=9, mfc="white", mew=2, zorder=4)
    if minimum is not None:
        ax.plot([minimum[0]], [minimum[1]], "*", color="black", ms=12, label="minimum", zorder=5)


def _frame(ax: plt.Axes, window: tuple[float, float, float, float], aspect: str | float) -> None:
    x_lo, x_hi, y_lo, y_hi = window
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_aspect(aspect)
    ax.legend(loc="upper right", framealpha=0.9)


def _check_aspect(aspect: object, func: str) -> None:
    if not (aspect in ("equal", "auto") or isinstance(aspect, numbers.Real)
            and not isinstance(aspect, bool) and aspect > 0):
        raise ValueError(f"{func}: aspect must be 'equal', 'auto' or a positive number, "
                         f"got {aspect!r}")


def _point(minimum: object, func: str) -> tuple[float, float] | None:
    """The point to mark, ``(u, v)``, or None."""
    if minimum is None:
        return None
    minimum = tuple(real_array(minimum, "minimum", func, float64=True).ravel())
    if len(minimum) != 2:
        raise ValueError(f"{func}: minimum must be a point (u, v), got {len(minimum)} numbers")
    return minimum


def _window(uv: np.ndarray, minimum: tuple[float, float] | None, xlim: object, ylim: object,
            func: str) -> tuple[float, float, float, float]:
    """``(x_lo, x_hi, y_lo, y_hi)``: the limits given, or the range of the path (and of
    ``minimum``) with a margin of 20 % on each side."""
    points = uv if minimum is None else np.vstack([uv, np.asarray(minimum, dtype=float)])
    x_lo, x_hi = (_limits(xlim, func, "xlim") if xlim is not None
                  else _margin(points[:, 0].min(), points[:, 0].max(), 0.2))
    y_lo, y_hi = (_limits(ylim, func, "ylim") if ylim is not None
                  else _margin(points[:, 1].min(), points[:, 1].max(), 0.2))
    return x_lo, x_hi, y_lo, y_hi


def _loss_on_grid(
    f: Callable, window: tuple[float, float, float, float], resolution: int,
    levels: int | np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ma.MaskedArray, np.ndarray]:
    """The grid over the window, ``f`` on it (NaN and infinities masked) and the contour
    levels: an int of them spaced geometrically above the lowest loss in the window."""
    func = "plot_descent_contour"
    x_lo, x_hi, y_lo, y_hi = window
    grid_u, grid_v = np.meshgrid(
        np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution)
    )
    values = _elementwise(f(grid_u, grid_v), grid_u.shape, func, "f(u, v)")
    finite = np.isfinite(values)
    if not finite.any():
        raise ValueError(f"{func}: f(u, v) is NaN or infinite everywhere in the window "
                         f"u in [{x_lo:g}, {x_hi:g}], v in [{y_lo:g}, {y_hi:g}]")
    values = np.ma.masked_invalid(values)
    if isinstance(levels, int):
        low, high = float(values[finite].min()), float(values[finite].max())
        spread = high - low if high > low else 1.0
        levels = low + spread * np.geomspace(1e-3, 1.0, levels)
    return grid_u, grid_v, values, levels
