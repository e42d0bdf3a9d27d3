"""Figures the chapters share: tangent lines now, graph drawings and training curves later."""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Callable, Mapping
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, is_color_like
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from .graph import topological_order
from .scalar import Value
from .tensor import _as_array

__all__ = ["plot_tangent", "plot_descent_1d", "plot_descent_contour", "draw_graph",
           "plot_decision_boundary", "plot_curves", "plot_confusion_matrix", "plot_digits"]


# ------------------------------------------------------------------ validators
# Every figure checks what it is given before it draws, so that a mistake is named by
# the function and the argument instead of surfacing deep inside NumPy or Matplotlib.
def _axes(ax: object, func: str, name: str = "ax") -> None:
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(
            f"{func}: {name} must be matplotlib Axes (e.g. from plt.subplots()) or None, got "
            f"{type(ax).__name__}"
        )


def _array(value: Any, func: str, name: str, ndim: int | None = None) -> np.ndarray:
    """Finite real numbers as float64 (TypeError for strings/complex/objects), of ``ndim``."""
    arr = _as_array(value, f"{func}: {name}").astype(np.float64, copy=False)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{func}: {name} must be a {ndim}-D array, got shape {arr.shape}")
    return arr


def _real(
    value: object, func: str, name: str, *, positive: bool = False, nonnegative: bool = False
) -> float:
    """One finite real number (a 0-d or one-entry array too), optionally > 0 or >= 0."""
    hint = {"Value": "; pass its .data", "Tensor": "; pass its .item()"}.get(
        type(value).__name__, ""
    )
    try:
        arr = np.asarray(value) if not isinstance(value, bool | str) else np.asarray(None)
    except (TypeError, ValueError):  # a ragged list
        arr = np.asarray(None)
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{func}: {name} must be a real number, got {type(value).__name__} "
            f"{repr(value)[:40]}{hint}"
        )
    if arr.size != 1:
        raise ValueError(f"{func}: {name} must be one number, got an array of shape {arr.shape}")
    number = float(arr.reshape(()))
    if not np.isfinite(number):
        raise ValueError(f"{func}: {name} must be a finite number, got {number}")
    if positive and number <= 0:
        raise ValueError(f"{func}: {name} must be positive, got {number:g}")
    if nonnegative and number < 0:
        raise ValueError(f"{func}: {name} must be at least 0, got {number:g}")
    return number


def _count(value: object, func: str, name: str, minimum: int = 1) -> int:
    """An int (not a bool, not a float) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{func}: {name} must be an int, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{func}: {name} must be an int of at least {minimum}, got {value}")
    return int(value)


def _flag(value: object, func: str, name: str) -> bool:
    """True or False: a string such as "no" would count as True."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{func}: {name} must be True or False, got {value!r}")
    return bool(value)


def _limits(value: object, func: str, name: str) -> tuple[float, float]:
    """``(low, high)``: two finite numbers, low < high."""
    if isinstance(value, str) or not isinstance(value, tuple | list | np.ndarray) or len(
        value
    ) != 2:
        raise TypeError(f"{func}: {name} must be a pair (low, high), got {value!r}")
    low, high = (_real(v, func, name) for v in value)
    if not low < high:
        raise ValueError(f"{func}: {name} must have low < high, got ({low:g}, {high:g})")
    return low, high


def _cmap(cmap: object, func: str) -> None:
    """A colormap name Matplotlib knows, or a Colormap."""
    if isinstance(cmap, Colormap):
        return
    if not isinstance(cmap, str):
        raise TypeError(f"{func}: cmap must be a colormap name such as 'viridis', got {cmap!r}")
    if cmap not in matplotlib.colormaps:
        close = difflib.get_close_matches(cmap, list(matplotlib.colormaps), n=3)
        maybe = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(f"{func}: unknown colormap {cmap!r}{maybe}")


def _color(color: object, func: str, name: str = "color") -> None:
    if not is_color_like(color):
        raise ValueError(
            f"{func}: {name} must be a colour Matplotlib knows (e.g. 'C3', 'red', "
            f"'#1f77b4'), got {color!r}"
        )


def _levels(levels: object, func: str, minimum: int) -> int | np.ndarray:
    """How many contour levels (an int >= 1) or their values (increasing, >= ``minimum``)."""
    if isinstance(levels, numbers.Integral) and not isinstance(levels, bool):
        return _count(levels, func, "levels")
    if isinstance(levels, bool | str) or not isinstance(levels, list | tuple | np.ndarray):
        raise TypeError(
            f"{func}: levels must be an int (how many) or a list of values, got {levels!r}"
        )
    values = _array(levels, func, "levels", ndim=1)
    if values.size < minimum or np.any(np.diff(values) <= 0):
        raise ValueError(
            f"{func}: levels must be at least {minimum} increasing values, got {values}"
        )
    return values


def _callable(f: object, func: str, name: str) -> None:
    if not callable(f):
        raise TypeError(
            f"{func}: {name} must be a function, got {type(f).__name__}; pass the function "
            "itself, not its value"
        )


def _elementwise(values: object, shape: tuple[int, ...], func: str, name: str) -> np.ndarray:
    """What a learner's function returned for an array of ``shape``: one number per entry
    (in that shape, or in any shape of as many entries, such as a column)."""
    try:
        out = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        out = None
    if out is not None and out.size == int(np.prod(shape)):
        return out.reshape(shape)
    if out is None or out.shape != shape:
        got = "something that is not numbers" if out is None else f"shape {out.shape}"
        raise ValueError(
            f"{func}: {name} must work elementwise on a NumPy array: for an array of shape "
            f"{shape} it returned {got}"
        )
    return out


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
    x0, slope = _real(x0, func, "x0"), _real(slope, func, "slope")
    span = _real(span, func, "span", positive=True)
    half = span / 2 if tangent_span is None else _real(
        tangent_span, func, "tangent_span", positive=True
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


def _margin(lo: float, hi: float, fraction: float) -> tuple[float, float]:
    """``[lo, hi]`` widened by ``fraction`` of its width on each side (by 1 if it is a point)."""
    pad = fraction * (hi - lo) if hi > lo else 1.0
    return lo - pad, hi + pad


def _descent_path(path: np.ndarray, dims: int) -> np.ndarray:
    """Check a path of iterates: shape (k,) for 1-D, (k, 2) for 2-D; at least one finite row."""
    func = "plot_descent_1d" if dims == 1 else "plot_descent_contour"
    try:
        arr = _array(path, func, "path")
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
    max_arrows = _count(max_arrows, func, "max_arrows", minimum=0)
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
    func = "plot_descent_contour"
    _callable(f, func, "f")
    uv = _descent_path(path, 2)
    _axes(ax, func)
    levels = _levels(levels, func, minimum=1)
    resolution = _count(resolution, func, "resolution", minimum=2)
    _color(color, func)
    if not (aspect in ("equal", "auto") or isinstance(aspect, numbers.Real)
            and not isinstance(aspect, bool) and aspect > 0):
        raise ValueError(f"{func}: aspect must be 'equal', 'auto' or a positive number, "
                         f"got {aspect!r}")
    if minimum is not None:
        minimum = tuple(_array(minimum, func, "minimum").ravel())
        if len(minimum) != 2:
            raise ValueError(f"{func}: minimum must be a point (u, v), got {len(minimum)} numbers")
    points = uv if minimum is None else np.vstack([uv, np.asarray(minimum, dtype=float)])
    x_lo, x_hi = (_limits(xlim, func, "xlim") if xlim is not None
                  else _margin(points[:, 0].min(), points[:, 0].max(), 0.2))
    y_lo, y_hi = (_limits(ylim, func, "ylim") if ylim is not None
                  else _margin(points[:, 1].min(), points[:, 1].max(), 0.2))
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
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    contours = ax.contour(grid_u, grid_v, values, levels=levels, cmap="viridis", linewidths=0.9)
    upper = contours.levels[len(contours.levels) // 2 :: 2]  # label the outer lines only
    ax.clabel(contours, upper, fontsize=7, fmt="%.3g")
    ax.plot(uv[:, 0], uv[:, 1], "o-", color=color, ms=3, lw=1.2, label=path_label, zorder=3)
    ax.plot(uv[:1, 0], uv[:1, 1], "o", color=color, ms=9, mfc="white", mew=2, zorder=4)
    if minimum is not None:
        ax.plot([minimum[0]], [minimum[1]], "*", color="black", ms=12, label="minimum", zorder=5)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_aspect(aspect)
    ax.legend(loc="upper right", framealpha=0.9)
    return ax


# ----------------------------------------------------------------- graph drawing (chapter 3)

_GRAPH_COLORS = {"leaf": "#dbe9f6", "inner": "#f2f2f2", "root": "#fde3c8", "op": "#ffffff"}


def _graph_columns(order: list[Value], users: dict[Value, list[Value]]) -> dict[Value, int]:
    """Column of each node, counted from the left.

    An operation's output sits one column right of its rightmost input, so its column
    is the length of the longest path from a leaf to it. A leaf sits just left of the
    first operation that uses it, next to where it is needed (the root, if it is a
    leaf, is in column 0).
    """
    column: dict[Value, int] = {}
    for node in order:  # topological: a node's children are placed before it
        if node.children:
            column[node] = 1 + max(column.get(c, 0) for c in node.children)
    for node in order:
        if not node.children:
            column[node] = min((column[u] for u in users[node]), default=1) - 1
    return column


def _spread(desired: list[float], gaps: list[float]) -> list[float]:
    """Positions close to ``desired`` (sorted) with ``pos[i + 1] - pos[i] >= gaps[i]``."""
    down = list(desired)
    for i in range(1, len(down)):
        down[i] = max(down[i], down[i - 1] + gaps[i - 1])
    up = list(desired)
    for i in range(len(up) - 2, -1, -1):
        up[i] = min(up[i], up[i + 1] - gaps[i])
    # both keep the spacing, so their average does too, and it is centred on the targets
    return [(d + u) / 2 for d, u in zip(down, up, strict=True)]


def _graph_rows(
    order: list[Value],
    column: dict[Value, int],
    users: dict[Value, list[Value]],
    box_h: float,
    pad: float,
) -> tuple[dict[object, float], dict[tuple[Value, Value], list[object]]]:
    """Vertical positions of the nodes, and the waypoints of the arrows that skip columns.

    An arrow from column i to column j > i + 1 gets a waypoint in every column between,
    which is placed like a small node, so that the arrow passes between the boxes of
    those columns instead of behind them. Each column is placed from right to left
    (the root alone in the last one), every node level with the mean of the nodes that
    use it (the barycentre heuristic against crossings), then pushed apart to avoid
    overlaps.
    """
    after: dict[object, list[object]] = {n: [] for n in order}  # what each node feeds, drawn
    col: dict[object, int] = dict(column)
    height: dict[object, float] = {n: box_h for n in order}
    # ties are broken by the position among the first user's inputs: a above b in a * b
    rank: dict[object, tuple[int, float]] = {
        n: (users[n][0].children.index(n) if users[n] else 0, i) for i, n in enumerate(order)
    }
    routes: dict[tuple[Value, Value], list[object]] = {}
    for child in order:
        for user in users[child]:
            via = [object() for _ in range(column[child] + 1, column[user])]
            routes[(child, user)] = via
            for k, (a, b) in enumerate(zip([child, *via], [*via, user], strict=True)):
                after[a].append(b)
                if b is not user:
                    after[b] = []
                    col[b], height[b], rank[b] = column[child] + 1 + k, pad, rank[child]
    by_column: dict[int, list[object]] = {}
    for node in after:
        by_column.setdefault(col[node], []).append(node)
    y: dict[object, float] = {}
    for c in sorted(by_column, reverse=True):
        nodes = by_column[c]
        target = {n: sum(y[u] for u in after[n]) / max(1, len(after[n])) for n in nodes}
        nodes.sort(key=lambda n: (target[n], rank[n]))
        pairs = zip(nodes[:-1], nodes[1:], strict=True)
        gaps = [(height[a] + height[b]) / 2 + pad for a, b in pairs]
        for n, pos in zip(nodes, _spread([target[n] for n in nodes], gaps), strict=True):
            y[n] = pos
    return y, routes


def _float_format(fmt: object, func: str) -> None:
    """A format specification that ``format(number, fmt)`` accepts, such as ``".4f"``."""
    if not isinstance(fmt, str):
        raise TypeError(f"{func}: fmt must be a format specification such as '.4f', got {fmt!r}")
    try:
        format(1.5, fmt)
    except ValueError:
        raise ValueError(
            f"{func}: fmt must be a format specification for a float such as '.4f' or '.3g' "
            f"(what follows the colon in '{{:.4f}}'), got {fmt!r}"
        ) from None


def draw_graph(
    root: Value,
    ax: plt.Axes | None = None,
    *,
    fmt: str = ".4f",
    show_grad: bool = True,
    fontsize: float = 10.0,
    max_width: float = 10.0,
) -> plt.Axes:
    """Draw the computational graph that produced ``root``, with every node's data and grad.

    Each :class:`~backprop_course.scalar.Value` is a box showing its label (if it
    has one), its ``data`` and its ``grad``; each operation is a small circle
    between its inputs and its output, named by the Value's ``op``. The layout is
    layered from left to right: an operation's output is in the column given by the
    length of the longest path from a leaf to it, a leaf just left of the first
    operation that uses it, so every arrow points right and the output is alone in
    the last column. An arrow that skips columns is routed between the boxes of the
    columns it crosses. A Value used twice is drawn once, with two arrows leaving it.
    Leaves are blue, the output is orange.

    Meant for graphs of up to about 30 nodes; bigger graphs are drawn, but shrunk
    to ``max_width``.

    Parameters
    ----------
    root : Value
        The output of an expression (call ``root.backward()`` first to see gradients).
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure sized to the graph (at most
        ``max_width`` inches wide). The text is scaled to fit the axes.
    fmt : str, default ".4f"
        Format specification of the numbers.
    show_grad : bool, default True
        Show the ``grad`` line (turn it off to show the forward pass alone).
    fontsize : float, default 10
        Font size in points when the drawing is not shrunk to fit.
    max_width : float, default 10
        Largest width in inches of a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The axes; boxes, operation circles and arrows are patches with ``gid``
        "value", "op" and "edge".

    Raises
    ------
    TypeError
        If ``root`` is not a Value, ``fmt`` is not a string, ``show_grad`` is not a bool,
        or ``ax`` is not Axes.
    ValueError
        If ``fmt`` is not a format specification for a float (``".4f"``, not ``"%d"``), or
        ``fontsize`` or ``max_width`` is not a positive number.

    Examples
    --------
    >>> from backprop_course import Value
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> loss = a * b + a
    >>> loss.backward()
    >>> ax = draw_graph(loss)
    >>> ax.set_title("a is used twice: dL/da = b + 1")  # doctest: +ELLIPSIS
    Text(...)
    """
    if not isinstance(root, Value):
        raise TypeError(
            f"draw_graph needs a Value (the output of an expression), got {type(root).__name__}"
        )
    func = "draw_graph"
    _axes(ax, func)
    _float_format(fmt, func)
    show_grad = _flag(show_grad, func, "show_grad")
    fontsize = _real(fontsize, func, "fontsize", positive=True)
    max_width = _real(max_width, func, "max_width", positive=True)
    order = topological_order(root)
    users: dict[Value, list[Value]] = {node: [] for node in order}
    for node in order:
        for child in dict.fromkeys(node.children):  # an input used twice counts once
            users[child].append(node)
    column = _graph_columns(order, users)

    # Text of every box; numbers right-aligned so that the decimal points line up.
    def number(x: float) -> str:
        return format(x + 0.0, fmt)  # + 0.0 turns -0.0 into 0.0

    width = max(len(number(n.data)) for n in order)
    if show_grad:
        width = max([width] + [len(number(n.grad)) for n in order])
    bodies = {
        n: f"data {number(n.data):>{width}}"
        + (f"\ngrad {number(n.grad):>{width}}" if show_grad else "")
        for n in order
    }

    # Sizes in inches at `fontsize`, for a monospace font (advance 0.6 em).
    em = fontsize / 72
    char_w, line_h = 0.6 * em, 1.25 * em
    label_chars = max(len(n.label) for n in order)
    n_lines = (1 if label_chars else 0) + (2 if show_grad else 1)  # [label,] data[, grad]
    box_w = (max(5 + width, label_chars) + 1.4) * char_w
    box_h = n_lines * line_h + 0.8 * em
    op_texts = {n: n.op for n in order if n.children}
    text_w = max((len(t) for t in op_texts.values()), default=1) * 0.5 * em
    radius = max(0.8 * em, 0.5 * float(np.hypot(text_w, line_h)) + 0.1 * em)  # the op fits
    arrow = 1.6 * em
    pitch = box_w + 2 * arrow + 2 * radius  # from one column of boxes to the next
    x_of = {n: column[n] * pitch for n in order}
    y_of, routes = _graph_rows(order, column, users, box_h, 1.2 * em)
    margin = 0.6 * em
    x_min, x_max = -box_w / 2 - margin, max(x_of.values()) + box_w / 2 + margin
    y_min = min(y_of.values()) - box_h / 2 - margin
    y_max = max(y_of.values()) + box_h / 2 + margin
    total_w, total_h = x_max - x_min, y_max - y_min

    if ax is None:
        scale = min(1.0, max_width / total_w)
        _, ax = plt.subplots(figsize=(total_w * scale, total_h * scale))
        ax.set_position((0.0, 0.0, 1.0, 1.0))
    else:  # shrink the text (never enlarge it) so that the boxes fit the axes
        fig_w, fig_h = ax.figure.get_size_inches()
        pos = ax.get_position()
        scale = min(1.0, pos.width * fig_w / total_w, pos.height * fig_h / total_h)
    fs, lw = fontsize * scale, max(0.1, scale)

    def edge(points: list[tuple[float, float]]) -> None:
        codes = [Path.MOVETO] + [Path.LINETO] * (len(points) - 1)  # through any waypoints
        ax.add_artist(
            FancyArrowPatch(path=Path(points, codes), arrowstyle="-|>", mutation_scale=10 * scale,
                            lw=lw, color="#555555", zorder=2, gid="edge")
        )

    for n in order:
        x, y = x_of[n], y_of[n]
        kind = "root" if n is root else ("inner" if n.children else "leaf")
        ax.add_artist(
            FancyBboxPatch(
                (x - box_w / 2, y - box_h / 2), box_w, box_h,
                boxstyle=f"round,pad=0,rounding_size={0.3 * em}",
                facecolor=_GRAPH_COLORS[kind], edgecolor="#444444", lw=lw, zorder=3, gid="value",
            )
        )
        top = y - box_h / 2 + 0.4 * em  # the first line of text starts below the padding
        if n.label:
            ax.text(x, top + line_h / 2, n.label, ha="center", va="center", fontsize=fs,
                    family="monospace", weight="bold", zorder=4, gid="value-label")
        body_y = top + (1 + (2 if show_grad else 1) / 2) * line_h if n.label else y
        ax.text(x, body_y, bodies[n], ha="center", va="center", fontsize=fs,
                family="monospace", linespacing=1.25, zorder=4, gid="value-text")
        if not n.children:
            continue
        # the operation that produced n: a circle just left of n's box
        ox = x - box_w / 2 - arrow - radius
        ax.add_artist(Circle((ox, y), radius, facecolor=_GRAPH_COLORS["op"], edgecolor="#444444",
                            lw=lw, zorder=3, gid="op"))
        ax.text(ox, y, op_texts[n], ha="center", va="center", fontsize=0.85 * fs, zorder=4,
                gid="op-text")
        edge([(ox + radius, y), (x - box_w / 2, y)])
        seen: dict[Value, int] = {}
        for child in n.children:
            k = seen[child] = seen.get(child, -1) + 1
            uses = n.children.count(child)  # an input used twice: two arrows, side by side
            points = [(x_of[child] + box_w / 2, y_of[child] + (k - (uses - 1) / 2) * box_h / 3)]
            for i, via in enumerate(routes[(child, n)]):  # pass between the boxes of a column
                xc = (column[child] + 1 + i) * pitch
                points += [(xc - box_w / 2, y_of[via]), (xc + box_w / 2, y_of[via])]
            dx, dy = ox - points[-1][0], y - points[-1][1]
            dist = float(np.hypot(dx, dy))
            points.append((ox - radius * dx / dist, y - radius * dy / dist))  # on the circle
            edge(points)

    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_max, y_min)  # y grows downwards: the first row is at the top
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


# ---------------------------------------------------------------- training (chapter 7)
def _scores(model: Callable[[np.ndarray], object], points: np.ndarray) -> np.ndarray:
    """The model's outputs on ``points`` as an ndarray (a Module returns a Tensor)."""
    out = model(points)
    if not isinstance(out, np.ndarray) and hasattr(out, "data"):
        out = out.data
    return _array(out, "plot_decision_boundary", "the model's scores")


def _class_labels(y: object, n: int, func: str, name: str = "y") -> np.ndarray:
    """Class labels: one per point, whole numbers from 0 (floats such as 1.0 are whole)."""
    labels = np.asarray(y) if not isinstance(y, str) else np.asarray([y])
    if labels.dtype.kind not in "biuf":
        raise TypeError(
            f"{func}: {name} must be integer class labels 0, 1, ..., got dtype {labels.dtype}"
        )
    if labels.ndim != 1:
        hint = "; for one-hot rows pass y.argmax(axis=1)" if labels.ndim == 2 else ""
        raise ValueError(
            f"{func}: {name} must be a 1-D array of class labels, got shape {labels.shape}{hint}"
        )
    if len(labels) != n:
        raise ValueError(f"{func}: X has {n} rows but {name} has {len(labels)}")
    if labels.dtype.kind == "f" and not (np.isfinite(labels).all()
                                         and np.all(labels == np.round(labels))):
        bad = labels[~(np.isfinite(labels) & (labels == np.round(labels)))]
        raise ValueError(
            f"{func}: {name} must be integer class labels 0, 1, ..., got {bad[:3].tolist()}"
        )
    if labels.size and labels.min() < 0:
        raise ValueError(
            f"{func}: {name} must be class labels 0, 1, ..., got the negative {labels.min()}"
        )
    return labels.astype(np.int64)


def plot_decision_boundary(
    model: Callable[[np.ndarray], object],
    X: np.ndarray,
    y: np.ndarray,
    ax: plt.Axes | None = None,
    *,
    resolution: int = 200,
    margin: float = 0.1,
    cmap: str = "tab10",
    title: str | None = None,
) -> plt.Axes:
    """Colour the plane by the class a 2-D classifier predicts, with the data on top.

    The model is evaluated on a ``resolution × resolution`` grid covering the data
    (plus ``margin`` of its range on each side); each grid point gets the colour of
    its predicted class (the argmax of the outputs, or ``output > 0`` for a single
    output column). Where two colours meet is the decision boundary.

    Parameters
    ----------
    model : callable
        Maps an array of points (M, 2) to scores (M, C) or (M, 1), as an ndarray
        or a Tensor (an :class:`~backprop_course.nn.Module` does).
    X : numpy.ndarray, shape (N, 2)
        The points to scatter.
    y : numpy.ndarray of int, shape (N,)
        Their classes, which set their colours.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.
    resolution : int, default 200
        Grid points along each axis.
    margin : float, default 0.1
        How far the grid extends beyond the data, as a fraction of its range.
    cmap : str, default "tab10"
        A qualitative colormap: class ``k`` gets its colour ``k``.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        The filled regions are ``ax.collections[0]`` (a contour set whose
        ``predicted`` attribute holds the grid's predicted classes, shape
        (resolution, resolution)); the scattered points are ``ax.collections[-1]``.

    Raises
    ------
    TypeError
        If ``model`` is not callable, ``X``, ``y`` or the scores are not real numbers,
        ``resolution`` is not an int, or ``ax`` is not Axes.
    ValueError
        If ``X`` is not (N, 2) with N >= 1 or holds NaN/inf; ``y`` is not one whole,
        non-negative class label per point (one-hot rows included); ``resolution`` is
        below 2; ``margin`` is negative; ``cmap`` is unknown; or the model's scores are
        not (M, C) with C >= 1, or hold NaN/inf.
    """
    func = "plot_decision_boundary"
    _callable(model, func, "model")
    X = _array(X, func, "X")
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
        raise ValueError(f"plot_decision_boundary needs points X of shape (N, 2), got {X.shape}")
    y = _class_labels(y, len(X), func)
    resolution = _count(resolution, func, "resolution", minimum=2)
    margin = _real(margin, func, "margin", nonnegative=True)
    _cmap(cmap, func)
    _axes(ax, func)
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    (x_lo, y_lo), (x_hi, y_hi) = X.min(axis=0), X.max(axis=0)
    x_lo, x_hi = _margin(float(x_lo), float(x_hi), margin)
    y_lo, y_hi = _margin(float(y_lo), float(y_hi), margin)
    gx, gy = np.meshgrid(np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution))
    scores = _scores(model, np.column_stack([gx.ravel(), gy.ravel()]))
    if scores.ndim != 2 or len(scores) != gx.size or scores.shape[1] == 0:
        raise ValueError(
            f"the model must map (M, 2) points to (M, C) scores; for M = {gx.size} it returned "
            f"shape {scores.shape}"
        )
    predicted = (scores[:, 0] > 0).astype(int) if scores.shape[1] == 1 else scores.argmax(axis=1)
    predicted = predicted.reshape(gx.shape)
    n_colors = int(max(predicted.max(), y.max() if y.size else 0)) + 1
    colors = plt.get_cmap(cmap)
    levels = np.arange(n_colors + 1) - 0.5
    palette = [colors(k % colors.N) for k in range(n_colors)]
    regions = ax.contourf(gx, gy, predicted, levels=levels, colors=palette, alpha=0.3)
    regions.predicted = predicted
    ax.contour(gx, gy, predicted, levels=levels[1:-1], colors="black", linewidths=0.6)
    ax.scatter(X[:, 0], X[:, 1], c=[palette[int(k)] for k in y], s=12, edgecolors="black",
               linewidths=0.3)
    ax.set(xlim=(x_lo, x_hi), ylim=(y_lo, y_hi), xlabel="$x_1$", ylabel="$x_2$")
    ax.set_aspect("equal")
    if title is not None:
        ax.set_title(title)
    return ax


def plot_curves(
    histories: dict[str, list[float]],
    ax: plt.Axes | None = None,
    *,
    xlabel: str = "epoch",
    ylabel: str = "loss",
    logy: bool = False,
    title: str | None = None,
) -> plt.Axes:
    """Draw several training curves on one axes, one line per entry, with a legend.

    Parameters
    ----------
    histories : dict of str to list of float
        ``{"SGD": history_a.loss, "Adam": history_b.loss}``: a label and its values,
        one per epoch (or per step). Point ``i`` is drawn at x = i + 1.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.
    xlabel, ylabel : str
    logy : bool, default False
        A logarithmic y axis (losses that fall by orders of magnitude).
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        One line per entry of ``histories``, in order.

    Raises
    ------
    TypeError
        If ``histories`` is not a dict (one curve is ``{"loss": values}``), a curve is
        not real numbers, ``logy`` is not a bool, or ``ax`` is not Axes.
    ValueError
        If there is no curve, a curve is empty, not 1-D, or holds NaN or infinite values
        (a diverged run: plot its finite part), or ``logy`` meets a value <= 0.
    """
    func = "plot_curves"
    if not isinstance(histories, Mapping):
        raise TypeError(
            f"plot_curves: histories must be a dict {{label: values}}, got "
            f"{type(histories).__name__}; for one curve pass {{'loss': values}}"
        )
    if not histories:
        raise ValueError("plot_curves needs at least one curve")
    logy = _flag(logy, func, "logy")
    _axes(ax, func)
    curves = {}
    for label, values in histories.items():
        values = _array(values, func, f"curve {label!r}")
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"curve {label!r} must be a non-empty list of numbers")
        if logy and (values <= 0).any():
            k = int(np.argmax(values <= 0))
            raise ValueError(
                f"plot_curves: logy needs positive values, but curve {label!r} has "
                f"{values[k]:g} at entry {k}"
            )
        curves[label] = values
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    for label, values in curves.items():
        ax.plot(np.arange(1, values.size + 1), values, lw=1.8, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if title is not None:
        ax.set_title(title)
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return ax


def plot_confusion_matrix(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    ax: plt.Axes | None = None,
    *,
    n_classes: int | None = None,
    cmap: str = "Blues",
    title: str | None = None,
) -> plt.Axes:
    """Draw the confusion matrix: row = true class, column = predicted class, with counts.

    Entry (i, j) counts the examples of class i that were predicted as j, so a
    perfect classifier has numbers only on the diagonal; each off-diagonal number
    is a kind of mistake.

    Parameters
    ----------
    y_true, y_pred : numpy.ndarray of int, shape (N,)
        True and predicted classes, in ``0 .. n_classes - 1``.
    ax : matplotlib.axes.Axes, optional
    n_classes : int, optional
        By default one more than the largest class seen.
    cmap : str, default "Blues"
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        The counts are the image's data, ``ax.images[0].get_array()``, and are
        written in the cells (zeros are left blank).

    Raises
    ------
    TypeError
        If ``ax`` is not Axes.
    ValueError
        If ``cmap`` is unknown, or the classes are not what
        :func:`~backprop_course.train.confusion_matrix` accepts (1-D integer arrays of
        one length, classes >= 0, ``n_classes`` above the largest).
    """
    from .train import confusion_matrix  # here: viz need not load the training code

    _axes(ax, "plot_confusion_matrix")
    _cmap(cmap, "plot_confusion_matrix")
    counts = confusion_matrix(y_true, y_pred, n_classes)
    n = len(counts)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
    ax.imshow(counts, cmap=cmap)
    threshold = counts.max() / 2 if counts.size else 0
    for i in range(n):
        for j in range(n):
            if counts[i, j]:
                color = "white" if counts[i, j] > threshold else "black"
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8,
                        color=color)
    ax.set(xticks=range(n), yticks=range(n), xlabel="predicted class", ylabel="true class")
    if title is not None:
        ax.set_title(title)
    return ax


def plot_digits(
    images: np.ndarray,
    labels: np.ndarray,
    predictions: np.ndarray | None = None,
    *,
    ncols: int = 8,
    shape: tuple[int, int] = (8, 8),
    size: float = 1.2,
    title: str | None = None,
) -> plt.Figure:
    """Show small grey-scale images in a grid, each titled with its label (and prediction).

    Parameters
    ----------
    images : numpy.ndarray, shape (K, H*W) or (K, H, W)
        The images, e.g. rows of the 8×8 digits data set.
    labels : numpy.ndarray of int, shape (K,)
        The true labels.
    predictions : numpy.ndarray of int, shape (K,), optional
        If given, each title reads "true 3, pred 5", in red where they differ.
    ncols : int, default 8
        Images per row.
    shape : (int, int), default (8, 8)
        The shape of one image, when ``images`` holds flattened rows.
    size : float, default 1.2
        Width and height of one image, in inches.
    title : str, optional
        A title over the whole grid.

    Returns
    -------
    matplotlib.figure.Figure
        Its first ``K`` axes hold the images, in order (unused cells are hidden).

    Raises
    ------
    TypeError
        If ``images`` is not real numbers, or ``ncols`` or a side of ``shape`` is not
        an int.
    ValueError
        If ``images`` is not (K, H*W) or (K, H, W) with K >= 1 or holds NaN/inf, there is
        not one label (and prediction) per image in a 1-D array, ``shape`` is not two
        positive ints matching the pixels, ``ncols`` is below 1, or ``size`` is not
        positive.
    """
    func = "plot_digits"
    images = _array(images, func, "images")
    labels = np.asarray(labels)
    if (isinstance(shape, str) or not isinstance(shape, tuple | list)
            or len(shape) != 2):
        raise ValueError(f"{func}: shape must be two ints (height, width), got {shape!r}")
    shape = (_count(shape[0], func, "shape[0]"), _count(shape[1], func, "shape[1]"))
    ncols = _count(ncols, func, "ncols")
    size = _real(size, func, "size", positive=True)
    for name, given in (("labels", labels), ("predictions", predictions)):
        if given is not None and np.ndim(given) != 1:
            raise ValueError(
                f"{func}: {name} must be a 1-D array, one per image, got shape {np.shape(given)}"
            )
    if images.ndim == 2:
        if images.shape[1] != shape[0] * shape[1]:
            raise ValueError(
                f"images have {images.shape[1]} pixels each, but shape={shape} needs "
                f"{shape[0] * shape[1]}"
            )
        images = images.reshape(len(images), *shape)
    if images.ndim != 3 or len(images) == 0:
        raise ValueError(f"images must be (K, H*W) or (K, H, W) with K >= 1, got {images.shape}")
    if len(labels) != len(images) or (predictions is not None and len(predictions) != len(images)):
        raise ValueError("need one label (and one prediction, if given) per image")
    ncols = min(ncols, len(images))
    nrows = -(-len(images) // ncols)
    extra = 0.35 if title else 0.0
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(size * ncols, size * nrows * 1.15 + extra), squeeze=False
    )
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= len(images):
            continue
        ax.imshow(images[k], cmap="gray_r", interpolation="nearest")
        if predictions is None:
            ax.set_title(f"{labels[k]}", fontsize=9)
        else:
            wrong = predictions[k] != labels[k]
            ax.set_title(f"true {labels[k]}, pred {predictions[k]}", fontsize=8,
                         color="C3" if wrong else "black")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def source_bundle(obj: object, width: int = 78) -> dict[str, str]:
    """The source of ``obj`` as a notebook display bundle that fits the book's width.

    ``text/plain`` is the exact source, dedented (what nbval compares, and what
    a console shows); ``text/html`` is the same source syntax-highlighted, in a
    font scaled down so that its longest line fits in ``width`` characters of
    normal code text (longer lines wrap instead of scrolling sideways).

    Parameters
    ----------
    obj : function, method or class
        Anything :func:`inspect.getsource` accepts.
    width : int, default 78
        How many characters of normal-size code fit on a line of the book.

    Returns
    -------
    dict
        ``{"text/plain": ..., "text/html": ...}``, for ``IPython.display.display(bundle,
        raw=True)``; :func:`show_source` does that.

    Raises
    ------
    TypeError
        If ``obj`` has no Python source: a name given as a string (pass the object), a
        number, or a built-in or compiled function such as ``len`` or ``np.exp``; or if
        ``width`` is not an int.
    ValueError
        If ``width`` is below 1.
    """
    import html
    import textwrap

    width = _count(width, "source_bundle", "width")
    source = textwrap.dedent(_source(obj)).rstrip("\n") + "\n"
    longest = max(len(line) for line in source.splitlines())
    scale = min(1.0, width / longest)
    # At 0.84em, about 80 characters fill the output area of the book's pages.
    style = f"font-size: {0.84 * scale:.3f}em; white-space: pre-wrap; line-height: 1.3"
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer

        body = highlight(
            source, PythonLexer(), HtmlFormatter(noclasses=True, nobackground=True, prestyles=style)
        )
    except ImportError:  # pragma: no cover - pygments comes with IPython
        body = f'<pre style="{style}">{html.escape(source)}</pre>'
    return {"text/plain": source, "text/html": body}


def _source(obj: object) -> str:
    """The source of a function, method or class, or TypeError saying why there is none."""
    import inspect

    if isinstance(obj, str):
        raise TypeError(
            f"source_bundle: pass the function or class itself, not its name: got the str {obj!r}"
        )
    try:
        return inspect.getsource(obj)  # type: ignore[arg-type]
    except (TypeError, OSError):
        raise TypeError(
            f"source_bundle: {repr(obj)[:60]} has no Python source to show (a function, method "
            "or class written in Python has; a built-in, a compiled NumPy function or a "
            "number has not)"
        ) from None


def show_source(obj: object, width: int = 78) -> None:
    """Display the source of ``obj`` in a notebook, syntax-highlighted and fitted to the page.

    Used by the chapters to show package code, e.g. ``show_source(bc.Tensor.__mul__)``;
    see :func:`source_bundle` for what is displayed, and for the errors it raises.
    """
    from IPython.display import display

    display(source_bundle(obj, width), raw=True)


__all__ += ["source_bundle", "show_source"]


# ------------------------------------------------ chapter 5: the matrix form of backprop
def _shape_block(item: object) -> tuple[str, int, int, str]:
    """``(label, (rows, cols)[, color])`` -> ``(label, rows, cols, color)``, or a clear error."""
    if not (isinstance(item, tuple | list) and len(item) in (2, 3)):
        raise ValueError(f"an item must be an operator string or (label, shape), got {item!r}")
    label, shape = item[0], item[1]
    if not (
        isinstance(shape, tuple | list)
        and len(shape) == 2
        and all(isinstance(s, int | np.integer) and not isinstance(s, bool) for s in shape)
        and min(shape) >= 1
    ):
        raise ValueError(f"the shape of {label!r} must be two positive ints, got {shape!r}")
    return str(label), int(shape[0]), int(shape[1]), item[2] if len(item) == 3 else "C0"


def _equations(rows: object, func: str) -> None:
    """``[(title, items), ...]``: a title string and a list of items per row; blocks checked."""
    if isinstance(rows, str) or not isinstance(rows, list | tuple):
        raise TypeError(f"{func}: rows must be a list of (title, items) pairs, got {rows!r}")
    if not rows:
        raise ValueError(f"{func}: rows must hold at least one (title, items) pair")
    for k, row in enumerate(rows):
        if not isinstance(row, list | tuple) or len(row) != 2:
            raise TypeError(f"{func}: rows[{k}] must be a pair (title, items), got {row!r}")
        title, items = row
        if not isinstance(title, str):
            raise TypeError(f"{func}: the title of rows[{k}] must be a str, got {title!r}")
        if not isinstance(items, list | tuple):
            raise TypeError(
                f"{func}: the items of rows[{k}] must be a list such as [('x', (2, 3)), '@', "
                f"('W', (3, 4))], got {items!r}"
            )
        for item in items:
            if not isinstance(item, str):
                _, _, _, color = _shape_block(item)
                _color(color, func, f"the colour of {item[0]!r}")


def plot_matmul_shapes(
    rows: list[tuple[str, list]],
    ax: plt.Axes | None = None,
    *,
    gap: float = 1.4,
    row_gap: float = 2.2,
) -> plt.Axes:
    """Draw matrix equations as blocks, one cell per entry, so that their shapes can be read.

    Each row is an equation such as ``z = x @ W + b``: every matrix is drawn as a
    rectangle of ``rows x cols`` unit cells, with its name above and its shape
    below, and operators between the blocks. Seen this way, the shapes alone
    say which products are possible.

    Parameters
    ----------
    rows : list of (str, list)
        ``(title, items)`` per equation, drawn top to bottom. ``items`` are drawn left
        to right; each is an operator string (``"="``, ``"@"``, ``"+"``, ...) or a
        block ``(label, (n_rows, n_cols))`` or ``(label, (n_rows, n_cols), color)``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.
    gap : float, default 1.4
        Horizontal room (in cells) for an operator between two blocks.
    row_gap : float, default 2.2
        Vertical room (in cells) between two equations, for the labels.

    Returns
    -------
    matplotlib.axes.Axes
        One :class:`~matplotlib.patches.Rectangle` per block in ``ax.patches``, in
        the order drawn.

    Raises
    ------
    TypeError
        If ``rows`` is not a list of ``(title, items)`` pairs with a string title and a
        list of items (a string of items would be split into characters), ``gap`` or
        ``row_gap`` is not a number, or ``ax`` is not Axes.
    ValueError
        If there is no row, a block's shape is not two positive ints, a colour is unknown,
        an item is neither a block nor an operator string, or a gap is not positive.
    """
    from matplotlib.patches import Rectangle

    func = "plot_matmul_shapes"
    _equations(rows, func)
    gap = _real(gap, func, "gap", positive=True)
    row_gap = _real(row_gap, func, "row_gap", positive=True)
    _axes(ax, func)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 5))
    # the titles go in a column on the left, about 0.42 cells per character at fontsize 11
    title_width = 0.42 * max((len(title) for title, _ in rows), default=0) + 0.8 * any(
        title for title, _ in rows
    )
    top = 0.0
    right = 0.0
    for title, items in rows:
        blocks = [_shape_block(it) for it in items if not isinstance(it, str)]
        height = max((n_rows for _, n_rows, _, _ in blocks), default=1)
        x = title_width
        for item in items:
            if isinstance(item, str):
                width = max(gap, 0.5 * len(item) + 0.6)  # room for longer text such as "σ("
                ax.text(x + width / 2, top - height / 2, item, ha="center", va="center",
                        fontsize=15)
                x += width
                continue
            label, n_rows, n_cols, color = _shape_block(item)
            y0 = top - height / 2 - n_rows / 2  # blocks centred on the row's axis
            ax.add_patch(Rectangle((x, y0), n_cols, n_rows, facecolor=color, alpha=0.35,
                                   edgecolor=color, lw=1.5))
            for i in range(1, n_rows):
                ax.plot([x, x + n_cols], [y0 + i, y0 + i], color=color, lw=0.4, alpha=0.7)
            for j in range(1, n_cols):
                ax.plot([x + j, x + j], [y0, y0 + n_rows], color=color, lw=0.4, alpha=0.7)
            ax.text(x + n_cols / 2, y0 + n_rows + 0.25, label, ha="center", va="bottom",
                    fontsize=12)
            ax.text(x + n_cols / 2, y0 - 0.25, f"{n_rows}×{n_cols}", ha="center", va="top",
                    fontsize=9, color="0.3")
            x += n_cols
        if title:
            ax.text(title_width - 0.6, top - height / 2, title, ha="right", va="center",
                    fontsize=11)
        right = max(right, x)
        top -= height + row_gap
    ax.set_xlim(0.0, right + 0.5)
    ax.set_ylim(top + row_gap - 1.2, 1.2)
    ax.set_aspect("equal")
    ax.set_anchor("N")  # drawings of different heights start at the same top line
    ax.axis("off")
    return ax


def plot_outer_products(
    a_prev: np.ndarray,
    delta: np.ndarray,
    axes: list[plt.Axes] | None = None,
    *,
    cmap: str = "RdBu_r",
) -> list[plt.Axes]:
    """Show a weight gradient ``dW = a_prevᵀ δ`` as the sum of one outer product per example.

    Panel n is the (D_in, D_out) matrix ``outer(a_prev[n], delta[n])``: the gradient
    that example n alone asks for. Every such panel has rank one (each row is
    a multiple of δ_n), and the last panel is their sum, ``a_prev.T @ delta``. All
    panels share one colour scale, centred on zero.

    Parameters
    ----------
    a_prev : numpy.ndarray, shape (N, D_in)
        The layer's inputs (``x``, or the activations of the layer below).
    delta : numpy.ndarray, shape (N, D_out)
        The layer's error signal δ = dL/dz.
    axes : list of matplotlib.axes.Axes, optional
        N + 1 axes to draw in; by default a new figure with one row of panels.
    cmap : str, default "RdBu_r"
        A diverging colour map (positive red, negative blue).

    Returns
    -------
    list of matplotlib.axes.Axes
        N + 1 axes; ``axes[-1].images[0].get_array()`` is ``a_prev.T @ delta``.

    Raises
    ------
    TypeError
        If an array is not real numbers, or ``axes`` is not a list of Axes.
    ValueError
        If the arrays are not 2-D with the same number N >= 1 of rows and at least one
        column, hold NaN or infinite values, there are not N + 1 axes, or ``cmap`` is
        unknown.
    """
    func = "plot_outer_products"
    a_prev, delta = _array(a_prev, func, "a_prev"), _array(delta, func, "delta")
    if a_prev.ndim != 2 or delta.ndim != 2 or a_prev.shape[0] != delta.shape[0]:
        raise ValueError(
            f"a_prev (N, D_in) and delta (N, D_out) need the same N rows, got shapes "
            f"{a_prev.shape} and {delta.shape}"
        )
    if 0 in a_prev.shape or 0 in delta.shape:
        raise ValueError(
            f"{func}: needs at least one example and one unit on each side, got shapes "
            f"{a_prev.shape} and {delta.shape}"
        )
    _cmap(cmap, func)
    if axes is not None:
        if not isinstance(axes, list | tuple | np.ndarray):
            raise TypeError(f"{func}: axes must be a list of Axes, got {type(axes).__name__}")
        for k, one in enumerate(np.ravel(np.asarray(axes, dtype=object))):
            _axes(one, func, f"axes[{k}]")
    n = a_prev.shape[0]
    terms = [np.outer(a_prev[k], delta[k]) for k in range(n)]
    total = a_prev.T @ delta
    if axes is None:
        fig, axes_arr = plt.subplots(
            1, n + 1, figsize=(2.4 * (n + 1) + 0.8, 3.4), gridspec_kw={"wspace": 0.35}
        )
        axes = list(np.atleast_1d(axes_arr))
    else:
        axes = list(axes)
        fig = axes[0].figure
    if len(axes) != n + 1:
        raise ValueError(f"{n} examples need {n + 1} axes (one per example and the sum), "
                         f"got {len(axes)}")
    vmax = max(float(np.abs(m).max()) for m in [*terms, total]) or 1.0
    for k, (ax, m) in enumerate(zip(axes, [*terms, total], strict=True)):
        image = ax.imshow(m, cmap=cmap, vmin=-vmax, vmax=vmax)
        last = k == n
        ax.set_title(r"$dW = a^\top \delta$" if last else rf"$a_{k + 1}^\top \delta_{k + 1}$")
        ax.set_xticks(range(m.shape[1]))
        ax.set_yticks(range(m.shape[0]))
        ax.set_xticklabels(range(1, m.shape[1] + 1), fontsize=7)
        ax.set_yticklabels(range(1, m.shape[0] + 1) if k == 0 else [], fontsize=7)
        ax.set_xlabel("output unit $j$", fontsize=9)
        if k == 0:
            ax.set_ylabel("input $i$", fontsize=9)
        else:  # the operator, in the gap to the left of the panel
            ax.annotate("=" if last else "+", (-0.2, 0.5), xycoords="axes fraction",
                        ha="center", va="center", fontsize=16, annotation_clip=False)
    fig.colorbar(image, ax=axes, shrink=0.8, pad=0.02)
    return axes


__all__ += ["plot_matmul_shapes", "plot_outer_products"]


# ------------------------------------------------ chapter 11: when backprop struggles
def _size_pair(value: object, func: str, name: str) -> tuple[float, float]:
    """Two positive numbers, such as a figure's (width, height) in inches."""
    if isinstance(value, str) or not isinstance(value, tuple | list) or len(value) != 2:
        raise ValueError(f"{func}: {name} must be two positive numbers (width, height), "
                         f"got {value!r}")
    return _real(value[0], func, name, positive=True), _real(value[1], func, name, positive=True)


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
    from matplotlib.ticker import LogLocator, NullLocator

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
    curves: dict[tuple, dict[str, np.ndarray]] = {}
    for r in rows:
        for c in cols:
            panel = grid[(r, c)]
            if not isinstance(panel, Mapping):
                raise TypeError(f"{func}: grid[{(r, c)}] must be a dict {{label: values}}, "
                                f"got {type(panel).__name__}")
            if not panel:
                raise ValueError(f"{func}: grid[{(r, c)}] has no curve to draw")
            curves[(r, c)] = {}
            for label, values in panel.items():
                v = _array(values, func, f"{(r, c)} {label!r}")
                if v.ndim != 1 or v.size == 0 or not (v > 0).all():
                    raise ValueError(f"{(r, c)} {label!r}: need positive values, one per layer")
                curves[(r, c)][label] = v
    if figsize is not None:
        figsize = _size_pair(figsize, func, "figsize")
    row_titles, col_titles = row_titles or {}, col_titles or {}
    size = figsize or (2.5 * len(cols) + 0.4, 2.1 * len(rows) + 0.6)
    fig, axes = plt.subplots(len(rows), len(cols), figsize=size, squeeze=False, sharex=True)
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            ax = axes[i, j]
            lows, highs = [], []
            for k, (label, v) in enumerate(curves[(r, c)].items()):
                ax.plot(np.arange(1, v.size + 1), v, lw=1.6, ls="-" if k == 0 else "--",
                        label=label)
                lows.append(v.min())
                highs.append(v.max())
            ax.set_yscale("log")
            if max(highs) / min(lows) > 1e3:
                # a few labelled decades, no minor ticks: readable, and quick to lay out
                ax.yaxis.set_major_locator(LogLocator(numticks=4))
                ax.yaxis.set_minor_locator(NullLocator())
            ax.grid(alpha=0.3)
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
    alphas = _array(alphas, func, "alphas")
    betas = _array(betas, func, "betas")
    values = _array(values, func, "values")
    for name, axis in (("alphas", alphas), ("betas", betas)):
        if axis.ndim != 1 or axis.size < 2 or np.any(np.diff(axis) <= 0):
            raise ValueError(
                f"{func}: {name} must be at least two increasing coordinates (1-D), got "
                f"{np.array2string(axis, threshold=6)}"
            )
    levels = _levels(levels, func, minimum=2)
    colorbar = _flag(colorbar, func, "colorbar")
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


__all__ += ["plot_layer_grid", "plot_loss_slice"]


# ------------------------------------------------ chapter 12: beyond dense networks
def _cell_format(fmt: object, func: str) -> str:
    """A ``str.format`` pattern with one field for a float, or "" for no numbers."""
    if fmt is None or fmt == "":
        return ""
    if not isinstance(fmt, str):
        raise TypeError(f"{func}: fmt must be a pattern such as '{{:.1f}}', got {fmt!r}")
    try:
        written = fmt.format(1.5)
    except (ValueError, IndexError, KeyError):
        written = None
    if written is None or "{" not in fmt:
        raise ValueError(
            f"{func}: fmt must be a str.format pattern with one field for a number, such as "
            f"'{{:.1f}}' or '{{:.0f}}', got {fmt!r}"
        )
    return fmt


def _highlights(
    highlight: object, shape: tuple[int, ...], func: str
) -> list[tuple[float, float, float, float, object]]:
    """``(row, col, height, width[, color])`` rectangles that lie inside the array."""
    if isinstance(highlight, str) or not isinstance(highlight, list | tuple):
        raise TypeError(f"{func}: highlight must be a list of rectangles, got {highlight!r}")
    if highlight and isinstance(highlight[0], numbers.Number):
        one = (f"; for one rectangle write [{tuple(highlight)!r}]"
               if len(highlight) in (4, 5) else "")
        raise ValueError(
            f"{func}: highlight must be a list of (row, col, height, width[, color]) "
            f"rectangles{one}, got {highlight!r}"
        )
    boxes = []
    for box in highlight:
        if isinstance(box, str) or not isinstance(box, list | tuple) or len(box) not in (4, 5):
            raise ValueError(f"a highlight is (row, col, height, width[, color]), got {box!r}")
        row, col = (_real(v, func, "a highlight's row and col") for v in box[:2])
        height, width = (_real(v, func, "a highlight's height and width", positive=True)
                         for v in box[2:4])
        color = box[4] if len(box) == 5 else "C3"
        _color(color, func, "the highlight's colour")
        if row < 0 or col < 0 or row + height > shape[0] or col + width > shape[1]:
            raise ValueError(
                f"{func}: the highlight {tuple(box)!r} reaches outside the {shape[0]}x"
                f"{shape[1]} array (rows 0..{shape[0] - 1}, cols 0..{shape[1] - 1})"
            )
        boxes.append((row, col, height, width, color))
    return boxes


def plot_grid(
    values: np.ndarray,
    ax: plt.Axes | None = None,
    *,
    fmt: str = "{:.1f}",
    cmap: str = "Blues",
    vmin: float | None = None,
    vmax: float | None = None,
    highlight: list[tuple] = (),
    title: str | None = None,
    fontsize: float = 9,
) -> plt.Axes:
    """Draw a small 2-D array as coloured cells with every entry written in its cell.

    Made for the pictures of chapter 12: an image and a kernel, a convolution's
    output, a pooling layer's winners and where its gradient goes. Outlined
    rectangles mark windows or cells.

    Parameters
    ----------
    values : array_like, shape (rows, cols)
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.
    fmt : str, default "{:.1f}"
        Format of the numbers, a ``str.format`` pattern with one field; ``""`` (or None)
        writes none.
    cmap : str, default "Blues"
    vmin, vmax : float, optional
        Colour limits; by default the array's range.
    highlight : list of tuples
        ``(row, col, height, width)`` or ``(row, col, height, width, color)``:
        a rectangle outlined around those cells (colour "C3" by default).
    title : str, optional
    fontsize : float, default 9
        Size of the numbers (the title's is 11).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.texts`` holds one text per cell (when ``fmt`` is not empty), and
        ``ax.patches`` one rectangle per highlight, in order.

    Raises
    ------
    TypeError
        If ``values`` is not real numbers, ``fmt`` is not a string, ``vmin``/``vmax`` or a
        highlight's numbers are not numbers, or ``ax`` is not Axes.
    ValueError
        If ``values`` is not 2-D with at least one cell or holds NaN/inf; ``fmt`` is not a
        pattern such as ``"{:.2f}"`` (``"%.1f"`` would be written as it is in every
        cell); ``vmin > vmax``; ``cmap`` is unknown; ``highlight`` is one rectangle
        instead of a list of them, or a rectangle is not (row, col, height, width[,
        color]) with a positive size inside the array, or has an unknown colour.
    """
    from matplotlib.patches import Rectangle

    func = "plot_grid"
    values = _array(values, func, "values")
    if values.ndim != 2:
        raise ValueError(f"plot_grid draws a 2-D array, got shape {values.shape}")
    if values.size == 0:
        raise ValueError(f"{func}: values has no cells, shape {values.shape}")
    fmt = _cell_format(fmt, func)
    vmin = None if vmin is None else _real(vmin, func, "vmin")
    vmax = None if vmax is None else _real(vmax, func, "vmax")
    if vmin is not None and vmax is not None and vmin > vmax:
        raise ValueError(f"{func}: vmin must not exceed vmax, got vmin={vmin:g}, vmax={vmax:g}")
    _cmap(cmap, func)
    fontsize = _real(fontsize, func, "fontsize", positive=True)
    boxes = _highlights(highlight, values.shape, func)
    _axes(ax, func)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * values.shape[1] + 1, 0.45 * values.shape[0] + 1))
    image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax)
    if fmt:
        for (i, j), v in np.ndenumerate(values):
            r, g, b, _ = image.cmap(image.norm(v))
            dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5  # the cell's luminance
            ax.text(j, i, fmt.format(v + 0.0), ha="center", va="center", fontsize=fontsize,
                    color="white" if dark else "black")  # + 0.0: no "-0.0"
    for row, col, height, width, color in boxes:
        ax.add_patch(Rectangle((col - 0.5, row - 0.5), width, height, fill=False,
                               edgecolor=color, lw=2.5))
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=11)
    return ax


__all__ += ["plot_grid"]


# ------------------------------------------------ chapter 9: the 1986 experiments
def plot_hinton(
    weights: np.ndarray,
    ax: plt.Axes | None = None,
    max_weight: float | None = None,
    row_labels: list[str] | None = None,
    col_labels: list[str] | None = None,
    title: str | None = None,
) -> plt.Axes:
    """A Hinton diagram, as in the 1986 paper's figures: one square per weight.

    White squares are positive weights, black ones negative, on a grey ground;
    the area of a square is proportional to the weight's magnitude.

    Parameters
    ----------
    weights : numpy.ndarray, shape (rows, cols)
        Drawn as laid out: ``weights[i, j]`` at row i (from the top), column j.
    ax : matplotlib Axes, optional
    max_weight : float, optional
        The magnitude of a full-size square; the largest magnitude by default.
    row_labels, col_labels : list of str, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``weights`` is not real numbers, ``max_weight`` is not a number, a list of
        labels is a string, or ``ax`` is not Axes.
    ValueError
        If ``weights`` is not 2-D with at least one weight or holds NaN/inf,
        ``max_weight`` is not positive, or a list of labels does not have one label per
        row (column).
    """
    from matplotlib.patches import Rectangle

    func = "plot_hinton"
    W = _array(weights, func, "weights")
    if W.ndim != 2 or W.size == 0:
        raise ValueError(f"plot_hinton draws a 2-D array of weights, got shape {W.shape}")
    for name, labels, n in (("row_labels", row_labels, W.shape[0]),
                            ("col_labels", col_labels, W.shape[1])):
        if labels is None:
            continue
        if isinstance(labels, str) or not isinstance(labels, list | tuple | np.ndarray):
            raise TypeError(f"{func}: {name} must be a list of {n} labels, got {labels!r}")
        if len(labels) != n:
            raise ValueError(f"{func}: {name} needs one label per {name[:3]} ({n}), got "
                             f"{len(labels)}")
    _axes(ax, func)
    if max_weight is None:
        max_weight = float(np.abs(W).max()) or 1.0
    else:
        max_weight = _real(max_weight, func, "max_weight", positive=True)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.4 * W.shape[1] + 1.5, 0.4 * W.shape[0] + 1))
    ax.set_facecolor("0.55")
    for (i, j), w in np.ndenumerate(W):
        side = np.sqrt(min(abs(w) / max_weight, 1.0))
        ax.add_patch(Rectangle((j - side / 2, i - side / 2), side, side,
                               facecolor="white" if w > 0 else "black", edgecolor="none"))
    ax.set_xlim(-0.5, W.shape[1] - 0.5)
    ax.set_ylim(W.shape[0] - 0.5, -0.5)
    ax.set_aspect("equal")
    ax.set_xticks(range(W.shape[1]), col_labels if col_labels is not None else [])
    ax.set_yticks(range(W.shape[0]), row_labels if row_labels is not None else [])
    ax.tick_params(length=0)
    if title is not None:
        ax.set_title(title)
    return ax


__all__ += ["plot_hinton"]
