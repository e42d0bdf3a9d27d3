"""Figures the chapters share: tangent lines now, graph drawings and training curves later."""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from .scalar import Value, topological_order

__all__ = ["plot_tangent", "plot_descent_1d", "plot_descent_contour", "draw_graph",
           "plot_decision_boundary", "plot_curves", "plot_confusion_matrix", "plot_digits"]


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


def _margin(lo: float, hi: float, fraction: float) -> tuple[float, float]:
    """``[lo, hi]`` widened by ``fraction`` of its width on each side (by 1 if it is a point)."""
    pad = fraction * (hi - lo) if hi > lo else 1.0
    return lo - pad, hi + pad


def _descent_path(path: np.ndarray, dims: int) -> np.ndarray:
    """Check a path of iterates: shape (k,) for 1-D, (k, 2) for 2-D; at least one finite row."""
    arr = np.asarray(path, dtype=np.float64)
    expected = "(steps + 1,)" if dims == 1 else "(steps + 1, 2)"
    if arr.ndim != dims or (dims == 2 and arr.shape[1] != 2) or len(arr) == 0:
        raise ValueError(f"path must be an array of shape {expected}, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError("path contains NaN or infinite iterates; plot the finite part")
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
    """
    ws = _descent_path(path, 1)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    lo, hi = xlim if xlim is not None else _margin(float(ws.min()), float(ws.max()), 0.15)
    xs = np.linspace(lo, hi, 400)
    heights = np.asarray(f(ws), dtype=np.float64).reshape(ws.shape)
    ax.plot(xs, f(xs), color="C0", lw=2, label=label)
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
    """
    uv = _descent_path(path, 2)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    points = uv if minimum is None else np.vstack([uv, np.asarray(minimum, dtype=float)])
    x_lo, x_hi = xlim if xlim is not None else _margin(points[:, 0].min(), points[:, 0].max(), 0.2)
    y_lo, y_hi = ylim if ylim is not None else _margin(points[:, 1].min(), points[:, 1].max(), 0.2)
    grid_u, grid_v = np.meshgrid(
        np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution)
    )
    values = np.asarray(f(grid_u, grid_v), dtype=np.float64)
    if values.shape != grid_u.shape:
        raise ValueError(
            f"f(u, v) must work elementwise on two arrays of shape {grid_u.shape}, "
            f"but it returned shape {values.shape}"
        )
    if isinstance(levels, int):
        low, high = float(values.min()), float(values.max())
        spread = high - low if high > low else 1.0
        levels = low + spread * np.geomspace(1e-3, 1.0, levels)
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
        If ``root`` is not a Value.

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
    return np.asarray(out, dtype=np.float64)


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
    """
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary needs points X of shape (N, 2), got {X.shape}")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    (x_lo, y_lo), (x_hi, y_hi) = X.min(axis=0), X.max(axis=0)
    x_lo, x_hi = _margin(float(x_lo), float(x_hi), margin)
    y_lo, y_hi = _margin(float(y_lo), float(y_hi), margin)
    gx, gy = np.meshgrid(np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution))
    scores = _scores(model, np.column_stack([gx.ravel(), gy.ravel()]))
    if scores.ndim != 2 or len(scores) != gx.size:
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
    """
    if not histories:
        raise ValueError("plot_curves needs at least one curve")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    for label, values in histories.items():
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"curve {label!r} must be a non-empty list of numbers")
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
    """
    from .train import confusion_matrix  # here: viz need not load the training code

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
    """
    images, labels = np.asarray(images, dtype=np.float64), np.asarray(labels)
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
    ncols = max(1, min(ncols, len(images)))
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
    """
    import html
    import inspect
    import textwrap

    source = textwrap.dedent(inspect.getsource(obj)).rstrip("\n") + "\n"
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


def show_source(obj: object, width: int = 78) -> None:
    """Display the source of ``obj`` in a notebook, syntax-highlighted and fitted to the page.

    Used by the chapters to show package code, e.g. ``show_source(bc.Tensor.__mul__)``;
    see :func:`source_bundle` for what is displayed.
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
    ValueError
        If a block's shape is not two positive ints, or an item is neither a block
        nor an operator string.
    """
    from matplotlib.patches import Rectangle

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
    ValueError
        If the arrays are not 2-D with the same number of rows, or there are not N + 1 axes.
    """
    a_prev, delta = np.asarray(a_prev, dtype=np.float64), np.asarray(delta, dtype=np.float64)
    if a_prev.ndim != 2 or delta.ndim != 2 or a_prev.shape[0] != delta.shape[0]:
        raise ValueError(
            f"a_prev (N, D_in) and delta (N, D_out) need the same N rows, got shapes "
            f"{a_prev.shape} and {delta.shape}"
        )
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
    """
    from matplotlib.ticker import LogLocator, NullLocator

    missing = [(r, c) for r in rows for c in cols if (r, c) not in grid]
    if missing:
        raise ValueError(f"grid has no entry for {missing[0]}")
    row_titles, col_titles = row_titles or {}, col_titles or {}
    size = figsize or (2.5 * len(cols) + 0.4, 2.1 * len(rows) + 0.6)
    fig, axes = plt.subplots(len(rows), len(cols), figsize=size, squeeze=False, sharex=True)
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            ax = axes[i, j]
            lows, highs = [], []
            for k, (label, values) in enumerate(grid[(r, c)].items()):
                v = np.asarray(values, dtype=np.float64)
                if v.ndim != 1 or v.size == 0 or not (v > 0).all():
                    raise ValueError(f"{(r, c)} {label!r}: need positive values, one per layer")
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
    """
    from matplotlib.colors import BoundaryNorm

    alphas = np.asarray(alphas, dtype=np.float64)
    betas = np.asarray(betas, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
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
        Format of the numbers; ``""`` writes none.
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
    ValueError
        If ``values`` is not 2-D or a highlight is not 4 numbers and an optional colour.
    """
    from matplotlib.patches import Rectangle

    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"plot_grid draws a 2-D array, got shape {values.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * values.shape[1] + 1, 0.45 * values.shape[0] + 1))
    image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax)
    if fmt:
        for (i, j), v in np.ndenumerate(values):
            r, g, b, _ = image.cmap(image.norm(v))
            dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5  # the cell's luminance
            ax.text(j, i, fmt.format(v + 0.0), ha="center", va="center", fontsize=fontsize,
                    color="white" if dark else "black")  # + 0.0: no "-0.0"
    for box in highlight:
        if len(box) not in (4, 5):
            raise ValueError(f"a highlight is (row, col, height, width[, color]), got {box!r}")
        row, col, height, width = box[:4]
        color = box[4] if len(box) == 5 else "C3"
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
    """
    from matplotlib.patches import Rectangle

    W = np.asarray(weights, dtype=np.float64)
    if W.ndim != 2:
        raise ValueError(f"plot_hinton draws a 2-D array of weights, got shape {W.shape}")
    if not np.isfinite(W).all():
        raise ValueError("plot_hinton got NaN or infinite weights")
    if max_weight is None:
        max_weight = float(np.abs(W).max()) or 1.0
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
