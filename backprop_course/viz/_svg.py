"""The drawing of step_through: the graph as an SVG whose boxes the page's script fills in
step by step (private; see :mod:`backprop_course.viz.step_through`).

The layout is that of :func:`~backprop_course.viz.draw_graph`, kept simple: a node's
column is the length of the longest path from a leaf to it (a leaf sits just left of its
first user), and within a column the nodes are placed, from the output leftwards, level
with the mean of the nodes that use them, then pushed apart.
"""

from __future__ import annotations

from html import escape

from ._trace import NodeRecord
from .graphs import _spread

__all__: list[str] = []

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 112, 58, 44, 16, 8


def layout(
    nodes: tuple[NodeRecord, ...],
) -> tuple[dict[int, tuple[float, float]], dict[tuple[int, int], list[float]]]:
    """The top-left corner of each node's box, and the heights at which each arrow that
    skips columns crosses them (between their boxes, as in draw_graph)."""
    users: dict[int, list[int]] = {n.index: [] for n in nodes}
    for n in nodes:
        for i in dict.fromkeys(n.inputs):
            users[i].append(n.index)
    column: dict[int, int] = {}
    for n in nodes:  # topological: inputs first
        if n.inputs:
            column[n.index] = 1 + max(column.get(i, 0) for i in n.inputs)
    for n in nodes:
        if not n.inputs:
            column[n.index] = min((column[u] for u in users[n.index]), default=1) - 1
    lowest = min(column.values())
    # every arrow that skips columns gets a small waypoint in each column it crosses
    after: dict[object, list[object]] = {n.index: [] for n in nodes}
    col: dict[object, int] = {i: c - lowest for i, c in column.items()}
    height: dict[object, float] = {n.index: BOX_H for n in nodes}
    via: dict[tuple[int, int], list[object]] = {}
    for n in nodes:
        for i in dict.fromkeys(n.inputs):
            points: list[object] = [("via", i, n.index, c) for c in range(col[i] + 1, col[n.index])]
            via[(i, n.index)] = points
            for p in points:
                after[p] = []
                col[p], height[p] = p[3], 10.0  # type: ignore[index]
            chain = [i, *points, n.index]
            for a, b in zip(chain[:-1], chain[1:], strict=True):
                after[a].append(b)
    by_column: dict[int, list[object]] = {}
    for x in after:
        by_column.setdefault(col[x], []).append(x)
    y: dict[object, float] = {}
    for c in sorted(by_column, reverse=True):
        members = by_column[c]
        want = {x: sum(y[u] for u in after[x]) / len(after[x]) if after[x] else 0.0
                for x in members}
        members.sort(key=lambda x: (want[x], str(x)))
        pairs = zip(members[:-1], members[1:], strict=True)
        gaps = [(height[a] + height[b]) / 2 + GAP_Y for a, b in pairs]
        y.update(zip(members, _spread([want[x] for x in members], gaps), strict=True))
    top = min(y[x] - height[x] / 2 for x in y)
    corner = {n.index: (PAD + col[n.index] * (BOX_W + GAP_X), PAD + y[n.index] - BOX_H / 2 - top)
              for n in nodes}
    return corner, {e: [PAD + y[p] - top for p in ps] for e, ps in via.items()}


def _curve(points: list[tuple[float, float]]) -> str:
    """An SVG path through ``points``: an S-curve across each gap, straight across a column."""
    (x, y), rest = points[0], points[1:]
    d = [f"M{x:.1f},{y:.1f}"]
    for i, (x1, y1) in enumerate(rest):
        if i % 2 == 0:  # across a gap between columns
            mid = (x + x1) / 2
            d.append(f"C{mid:.1f},{y:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f}")
        else:  # along a column, past its boxes
            d.append(f"L{x1:.1f},{y1:.1f}")
        x, y = x1, y1
    return " ".join(d)


def _short(text: str, n: int = 14) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def svg(nodes: tuple[NodeRecord, ...], values: dict[int, str], grads: dict[int, str],
        uid: str) -> str:
    """The graph, every box showing its final value and gradient (the script resets them).

    Boxes are ``<g class="bc-st-node" data-node="i">``, whose ``tspan.bc-st-num`` hold the
    numbers; edges are ``<path class="bc-st-edge" data-src="i" data-slot="k">`` (into input
    ``k`` of node ``i``). ``uid`` keeps the arrowhead's id apart from another view's.
    """
    pos, routes = layout(nodes)
    width = max(x for x, _ in pos.values()) + BOX_W + PAD
    height = max(y for _, y in pos.values()) + BOX_H + PAD
    parts = [
        f'<svg class="bc-st-graph" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-label="The computational graph, {len(nodes)} nodes; the steps below describe it"'
        f' style="min-width: {0.9 * width:.0f}px; max-width: {width:.0f}px">',
        f'<defs><marker id="bc-st-arrow-{uid}" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" class="bc-st-arrowhead"/></marker></defs>',
    ]
    for n in nodes:
        x1, y1 = pos[n.index]
        uses = {i: n.inputs.count(i) for i in n.inputs}
        seen: dict[int, int] = {}
        for slot, i in enumerate(n.inputs):
            k = seen[i] = seen.get(i, -1) + 1
            x0, y0 = pos[i]
            dy = (k - (uses[i] - 1) / 2) * 12  # an input used twice: two arrows, side by side
            points = [(x0 + BOX_W, y0 + BOX_H / 2 + dy)]
            for c, yc in enumerate(routes[(i, n.index)], start=1):  # between the boxes
                xc = x0 + c * (BOX_W + GAP_X)
                points += [(xc, yc + dy), (xc + BOX_W, yc + dy)]
            points.append((x1, y1 + BOX_H / 2 + dy))
            parts.append(
                f'<path class="bc-st-edge" data-src="{n.index}" data-slot="{slot}" '
                f'd="{_curve(points)}" marker-end="url(#bc-st-arrow-{uid})"/>'
            )
    root = len(nodes) - 1
    for n in nodes:
        x, y = pos[n.index]
        kind = "root" if n.index == root else ("inner" if n.op else "leaf")
        head = escape(_short(n.name, 9)) + (
            f' <tspan class="bc-st-op">{escape(_short(n.op, 8))}</tspan>' if n.op else "")
        parts.append(
            f'<g class="bc-st-node bc-st-{kind}" data-node="{n.index}" '
            f'transform="translate({x:.1f},{y:.1f})">'
            f'<rect width="{BOX_W}" height="{BOX_H}" rx="6"/>'
            f'<text x="8" y="16" class="bc-st-name">{head}</text>'
            f'<text x="8" y="33" class="bc-st-value">data <tspan class="bc-st-num">'
            f"{escape(_short(values[n.index], 10))}</tspan></text>"
            f'<text x="8" y="50" class="bc-st-grad">grad <tspan class="bc-st-num">'
            f"{escape(_short(grads[n.index], 10))}</tspan></text>"
            "</g>"
        )
    parts.append('<text class="bc-st-flow" x="0" y="0"></text></svg>')
    return "".join(parts)
