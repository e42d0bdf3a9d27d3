"""Drawings of computational graphs: every :class:`~backprop_course.scalar.Value` of an
expression with its data and grad, laid out from the leaves to the output.

Used by chapter 3 (:func:`draw_graph`).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from ..checks import flag, one_number
from ..graph import topological_order
from ..scalar import Value
from ._common import _axes

__all__ = ["draw_graph"]


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
    show_grad, fontsize, max_width = _checked_options(root, ax, fmt, show_grad, fontsize,
                                                      max_width)
    order = topological_order(root)
    bodies, width = _box_texts(order, fmt, show_grad)
    layout = _GraphLayout.of(order, width, show_grad, fontsize)
    ax, scale = _graph_axes(ax, layout, max_width)
    pen = _GraphPen(ax, layout, fontsize * scale, max(0.1, scale), scale)
    for n in order:
        kind = "root" if n is root else ("inner" if n.children else "leaf")
        pen.value_box(n, kind, bodies[n], show_grad)
        if n.children:
            pen.operation(n)
    layout.frame(ax)
    return ax


def _checked_options(root: object, ax: object, fmt: object, show_grad: object,
                     fontsize: object, max_width: object) -> tuple[bool, float, float]:
    """:func:`draw_graph`'s arguments, checked: ``show_grad``, ``fontsize``, ``max_width``."""
    if not isinstance(root, Value):
        raise TypeError(
            f"draw_graph needs a Value (the output of an expression), got {type(root).__name__}"
        )
    func = "draw_graph"
    _axes(ax, func)
    _float_format(fmt, func)
    return (flag(show_grad, f"{func}: show_grad"),
            one_number(fontsize, "fontsize", func, positive=True),
            one_number(max_width, "max_width", func, positive=True))


def _box_texts(order: list[Value], fmt: str, show_grad: bool) -> tuple[dict[Value, str], int]:
    """Every box's text, ``data`` (and ``grad``) right-aligned so that the decimal points
    line up, and the width of the widest number."""

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
    return bodies, width


@dataclass
class _GraphLayout:
    """Where everything goes, in inches at the requested font size (before any shrinking)."""

    em: float
    line_h: float
    box_w: float
    box_h: float
    radius: float
    arrow: float
    pitch: float
    column: dict[Value, int]
    x_of: dict[Value, float]
    y_of: dict[Value, float]
    routes: dict
    op_texts: dict[Value, str]
    x_min: float
    x_max: float
    y_min: float
    y_max: float

    @classmethod
    def of(cls, order: list[Value], width: int, show_grad: bool,
           fontsize: float) -> _GraphLayout:
        """Sizes for a monospace font (advance 0.6 em), columns and rows of the boxes."""
        users: dict[Value, list[Value]] = {node: [] for node in order}
        for node in order:
            for child in dict.fromkeys(node.children):  # an input used twice counts once
                users[child].append(node)
        column = _graph_columns(order, users)
        em = fontsize / 72
        char_w, line_h = 0.6 * em, 1.25 * em
        label_chars = max(len(n.label) for n in order)
        n_lines = (1 if label_chars else 0) + (2 if show_grad else 1)  # [label,] data[, grad]
        box_w = (max(5 + width, label_chars) + 1.4) * char_w
        box_h = n_lines * line_h + 0.8 * em
        op_texts = {n: n.op for n in order if n.children}
        text_w = max((len(t) for t in op_texts.values()), default=1) * 0.5 * em
        radius = max(0.8 * em, 0.5 * float(np.hypot(text_w, line_h)) + 0.1 * em)  # op fits
        arrow = 1.6 * em
        pitch = box_w + 2 * arrow + 2 * radius  # from one column of boxes to the next
        x_of = {n: column[n] * pitch for n in order}
        y_of, routes = _graph_rows(order, column, users, box_h, 1.2 * em)
        margin = 0.6 * em
        return cls(
            em, line_h, box_w, box_h, radius, arrow, pitch, column, x_of, y_of, routes, op_texts,
            x_min=-box_w / 2 - margin, x_max=max(x_of.values()) + box_w / 2 + margin,
            y_min=min(y_of.values()) - box_h / 2 - margin,
            y_max=max(y_of.values()) + box_h / 2 + margin,
        )

    def frame(self, ax: plt.Axes) -> None:
        """Show the whole drawing and nothing else, at equal scales, y growing downwards
        (the first row is at the top)."""
        ax.set_xlim(self.x_min, self.x_max)
        ax.set_ylim(self.y_max, self.y_min)
        ax.set_aspect("equal")
        ax.axis("off")


def _graph_axes(ax: plt.Axes | None, layout: _GraphLayout,
                max_width: float) -> tuple[plt.Axes, float]:
    """The axes to draw in and the scale of the drawing: a new figure at most ``max_width``
    wide, or the text shrunk (never enlarged) so that the boxes fit the given axes."""
    total_w, total_h = layout.x_max - layout.x_min, layout.y_max - layout.y_min
    if ax is None:
        scale = min(1.0, max_width / total_w)
        _, ax = plt.subplots(figsize=(total_w * scale, total_h * scale))
        ax.set_position((0.0, 0.0, 1.0, 1.0))
    else:
        fig_w, fig_h = ax.figure.get_size_inches()
        pos = ax.get_position()
        scale = min(1.0, pos.width * fig_w / total_w, pos.height * fig_h / total_h)
    return ax, scale


@dataclass
class _GraphPen:
    """Draws the boxes, operation circles and arrows of a laid-out graph on ``ax``."""

    ax: plt.Axes
    layout: _GraphLayout
    fs: float  # font size and line width, scaled
    lw: float
    scale: float

    def edge(self, points: list[tuple[float, float]]) -> None:
        codes = [Path.MOVETO] + [Path.LINETO] * (len(points) - 1)  # through any waypoints
        self.ax.add_artist(
            FancyArrowPatch(path=Path(points, codes), arrowstyle="-|>",
                            mutation_scale=10 * self.scale, lw=self.lw, color="#555555",
                            zorder=2, gid="edge")
        )

    def value_box(self, n: Value, kind: str, body: str, show_grad: bool) -> None:
        """The box of a Value: its label (if any), data and grad."""
        g, ax = self.layout, self.ax
        x, y = g.x_of[n], g.y_of[n]
        ax.add_artist(
            FancyBboxPatch(
                (x - g.box_w / 2, y - g.box_h / 2), g.box_w, g.box_h,
                boxstyle=f"round,pad=0,rounding_size={0.3 * g.em}",
                facecolor=_GRAPH_COLORS[kind], edgecolor="#444444", lw=self.lw, zorder=3,
                gid="value",
            )
        )
        top = y - g.box_h / 2 + 0.4 * g.em  # the first line of text starts below the padding
        if n.label:
            ax.text(x, top + g.line_h / 2, n.label, ha="center", va="center", fontsize=self.fs,
                    family="monospace", weight="bold", zorder=4, gid="value-label")
        body_y = top + (1 + (2 if show_grad else 1) / 2) * g.line_h if n.label else y
        ax.text(x, body_y, body, ha="center", va="center", fontsize=self.fs,
                family="monospace", linespacing=1.25, zorder=4, gid="value-text")

    def operation(self, n: Value) -> None:
        """The operation that produced ``n``, a circle just left of its box, and the arrows
        into it from its inputs (two side by side for an input used twice)."""
        g, ax = self.layout, self.ax
        x, y = g.x_of[n], g.y_of[n]
        ox = x - g.box_w / 2 - g.arrow - g.radius
        ax.add_artist(Circle((ox, y), g.radius, facecolor=_GRAPH_COLORS["op"],
                             edgecolor="#444444", lw=self.lw, zorder=3, gid="op"))
        ax.text(ox, y, g.op_texts[n], ha="center", va="center", fontsize=0.85 * self.fs,
                zorder=4, gid="op-text")
        self.edge([(ox + g.radius, y), (x - g.box_w / 2, y)])
        seen: dict[Value, int] = {}
        for child in n.children:
            k = seen[child] = seen.get(child, -1) + 1
            uses = n.children.count(child)
            points = [(g.x_of[child] + g.box_w / 2,
                       g.y_of[child] + (k - (uses - 1) / 2) * g.box_h / 3)]
            for i, via in enumerate(g.routes[(child, n)]):  # between the boxes of a column
                xc = (g.column[child] + 1 + i) * g.pitch
                points += [(xc - g.box_w / 2, g.y_of[via]), (xc + g.box_w / 2, g.y_of[via])]
            dx, dy = ox - points[-1][0], y - points[-1][1]
            dist = float(np.hypot(dx, dy))
            points.append((ox - g.radius * dx / dist, y - g.radius * dy / dist))  # on the circle
            self.edge(points)
