"""Matrices drawn so that they can be read: as blocks of their shapes, as sums of outer
products, as coloured cells with their numbers, and as Hinton diagrams.

Used by chapter 5 (:func:`plot_matmul_shapes`, :func:`plot_outer_products`), chapter 9
(:func:`plot_hinton`, the 1986 paper's pictures of weights) and chapter 12
(:func:`plot_grid`: images, kernels, pooling).
"""

from __future__ import annotations

import numbers

import matplotlib.pyplot as plt
import numpy as np

from ..checks import one_number, real_array
from ._common import _axes, _cmap, _color

__all__ = ["plot_matmul_shapes", "plot_outer_products", "plot_hinton", "plot_grid"]


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
    func = "plot_matmul_shapes"
    _equations(rows, func)
    gap = one_number(gap, "gap", func, positive=True)
    row_gap = one_number(row_gap, "row_gap", func, positive=True)
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
        x = _draw_equation(ax, items, title_width, top - height / 2, gap)
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


def _draw_equation(ax: plt.Axes, items: list, x: float, axis_y: float, gap: float) -> float:
    """One equation's items from ``x`` rightwards, centred on the height ``axis_y``: the
    operators as text, the blocks as grids of cells. Returns where it ends."""
    for item in items:
        if isinstance(item, str):
            width = max(gap, 0.5 * len(item) + 0.6)  # room for longer text such as "σ("
            ax.text(x + width / 2, axis_y, item, ha="center", va="center", fontsize=15)
            x += width
            continue
        label, n_rows, n_cols, color = _shape_block(item)
        _draw_block(ax, x, axis_y - n_rows / 2, label, n_rows, n_cols, color)
        x += n_cols
    return x


def _draw_block(ax: plt.Axes, x: float, y0: float, label: str, n_rows: int, n_cols: int,
                color: str) -> None:
    """A matrix as ``n_rows x n_cols`` cells from ``(x, y0)``, its name above, shape below."""
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((x, y0), n_cols, n_rows, facecolor=color, alpha=0.35,
                           edgecolor=color, lw=1.5))
    for i in range(1, n_rows):
        ax.plot([x, x + n_cols], [y0 + i, y0 + i], color=color, lw=0.4, alpha=0.7)
    for j in range(1, n_cols):
        ax.plot([x + j, x + j], [y0, y0 + n_rows], color=color, lw=0.4, alpha=0.7)
    ax.text(x + n_cols / 2, y0 + n_rows + 0.25, label, ha="center", va="bottom", fontsize=12)
    ax.text(x + n_cols / 2, y0 - 0.25, f"{n_rows}×{n_cols}", ha="center", va="top",
            fontsize=9, color="0.3")


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
    a_prev, delta = _outer_inputs(a_prev, delta, axes, cmap)
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
        _label_outer_panel(ax, m.shape, k, last=k == n)
    fig.colorbar(image, ax=axes, shrink=0.8, pad=0.02)
    return axes


def _outer_inputs(a_prev: object, delta: object, axes: object,
                  cmap: object) -> tuple[np.ndarray, np.ndarray]:
    """:func:`plot_outer_products`'s arguments, checked: ``a_prev`` and ``delta`` as arrays
    with the same N >= 1 rows."""
    func = "plot_outer_products"
    a_prev = real_array(a_prev, "a_prev", func, float64=True)
    delta = real_array(delta, "delta", func, float64=True)
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
    return a_prev, delta


def _label_outer_panel(ax: plt.Axes, shape: tuple[int, int], k: int, last: bool) -> None:
    """Panel ``k``'s title, ticks (counted from 1) and axis labels, and the operator (+ or =)
    in the gap to its left."""
    ax.set_title(r"$dW = a^\top \delta$" if last else rf"$a_{k + 1}^\top \delta_{k + 1}$")
    ax.set_xticks(range(shape[1]))
    ax.set_yticks(range(shape[0]))
    ax.set_xticklabels(range(1, shape[1] + 1), fontsize=7)
    ax.set_yticklabels(range(1, shape[0] + 1) if k == 0 else [], fontsize=7)
    ax.set_xlabel("output unit $j$", fontsize=9)
    if k == 0:
        ax.set_ylabel("input $i$", fontsize=9)
    else:
        ax.annotate("=" if last else "+", (-0.2, 0.5), xycoords="axes fraction",
                    ha="center", va="center", fontsize=16, annotation_clip=False)


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
    W = real_array(weights, "weights", func, float64=True)
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
        max_weight = one_number(max_weight, "max_weight", func, positive=True)
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
        row, col = (one_number(v, "a highlight's row and col", func) for v in box[:2])
        height, width = (one_number(v, "a highlight's height and width", func, positive=True)
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
    values, fmt, vmin, vmax, fontsize = _grid_arguments(values, fmt, vmin, vmax, cmap, fontsize)
    boxes = _highlights(highlight, values.shape, func)
    _axes(ax, func)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * values.shape[1] + 1, 0.45 * values.shape[0] + 1))
    image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax)
    if fmt:
        _write_cells(ax, image, values, fmt, fontsize)
    for row, col, height, width, color in boxes:
        ax.add_patch(Rectangle((col - 0.5, row - 0.5), width, height, fill=False,
                               edgecolor=color, lw=2.5))
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=11)
    return ax


def _grid_arguments(
    values: object, fmt: object, vmin: object, vmax: object, cmap: object, fontsize: object
) -> tuple[np.ndarray, str, float | None, float | None, float]:
    """:func:`plot_grid`'s arguments, checked: a 2-D array with cells, the format, colour
    limits in order, a known colour map and a positive font size."""
    func = "plot_grid"
    values = real_array(values, "values", func, float64=True)
    if values.ndim != 2:
        raise ValueError(f"plot_grid draws a 2-D array, got shape {values.shape}")
    if values.size == 0:
        raise ValueError(f"{func}: values has no cells, shape {values.shape}")
    fmt = _cell_format(fmt, func)
    vmin = None if vmin is None else one_number(vmin, "vmin", func)
    vmax = None if vmax is None else one_number(vmax, "vmax", func)
    if vmin is not None and vmax is not None and vmin > vmax:
        raise ValueError(f"{func}: vmin must not exceed vmax, got vmin={vmin:g}, vmax={vmax:g}")
    _cmap(cmap, func)
    return values, fmt, vmin, vmax, one_number(fontsize, "fontsize", func, positive=True)


def _write_cells(ax: plt.Axes, image: object, values: np.ndarray, fmt: str,
                 fontsize: float) -> None:
    """Every entry in its cell, white on dark cells and black on light ones."""
    for (i, j), v in np.ndenumerate(values):
        r, g, b, _ = image.cmap(image.norm(v))
        dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5  # the cell's luminance
        ax.text(j, i, fmt.format(v + 0.0), ha="center", va="center", fontsize=fontsize,
                color="white" if dark else "black")  # + 0.0: no "-0.0"
