"""Where each result sits in the drawn theory of change: levels as rows, low to high.

Pure geometry (no matplotlib): rows are the programme's levels, bottom to top;
a level with more results than fit in one row wraps onto several sub-rows; the
order within a row follows the results it links to (barycentre sweeps), so
arrows cross less. Units are inches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from ...schema.model import Programme

MAX_PER_ROW = 7
SLOT = 2.15  # horizontal space per result
BOX = 1.95  # box width (the rest is the gap between boxes)
LEFT = 0.55  # room for the level names
ROW_GAP = 0.55  # vertical room for arrows between rows
LINE = 7.5 * 1.25 / 72  # one label line at 7.5 pt


@dataclass(frozen=True)
class Node:
    id: str
    level: str
    x: float  # centre
    y: float  # centre
    width: float
    height: float
    row: int


@dataclass(frozen=True)
class Band:
    level: str
    bottom: float
    top: float


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    nodes: dict[str, Node]
    levels: tuple[Band, ...]


def level_order(programme: Programme) -> list[str]:
    declared = list(programme.levels)
    extra = sorted({r.level for r in programme.results} - set(declared))
    return declared + extra


def _order_rows(programme: Programme, rows: list[list[str]]) -> list[list[str]]:
    """Barycentre ordering: each result moves towards the results it links to."""
    neighbours: dict[str, list[str]] = {r.id: [] for r in programme.results}
    for r in programme.results:
        for link in r.contributes_to:
            if link.to in neighbours:
                neighbours[r.id].append(link.to)
                neighbours[link.to].append(r.id)
    position = {rid: (i + 0.5) / len(row) for row in rows for i, rid in enumerate(row)}
    for sweep in range(6):
        indices = range(len(rows)) if sweep % 2 == 0 else range(len(rows) - 1, -1, -1)
        for index in indices:
            row = rows[index]
            here = {rid: i for i, rid in enumerate(row)}

            def centre(rid: str, here: dict[str, int] = here) -> tuple[float, int]:
                linked = [position[n] for n in neighbours[rid] if n in position]
                return ((sum(linked) / len(linked)) if linked else position[rid], here[rid])

            row.sort(key=centre)
            for i, rid in enumerate(row):
                position[rid] = (i + 0.5) / len(row)
    return rows


def layout(programme: Programme, lines: dict[str, int]) -> Layout:
    """Positions for every result; `lines` is the number of label lines per result."""
    by_level: dict[str, list[str]] = {}
    for r in programme.results:
        by_level.setdefault(r.level, []).append(r.id)
    levels = [lv for lv in level_order(programme) if lv in by_level]
    rows = _order_rows(programme, [list(by_level[lv]) for lv in levels])
    columns = max((min(len(row), MAX_PER_ROW) for row in rows), default=1)
    width = LEFT + columns * SLOT + 0.2
    nodes: dict[str, Node] = {}
    bands: list[Band] = []
    y = 0.25
    row_index = 0
    for level, row in zip(levels, rows, strict=True):
        chunks = math.ceil(len(row) / MAX_PER_ROW)
        # Balanced sub-rows (7 + 6, not 7 + 1), highest sub-row first in file order.
        size = math.ceil(len(row) / chunks)
        parts = [row[i : i + size] for i in range(0, len(row), size)]
        bottom = y
        for part in parts:
            height = max(lines.get(rid, 1) for rid in part) * LINE + 0.22
            centre_y = y + height / 2
            offset = LEFT + (columns - len(part)) * SLOT / 2
            for i, rid in enumerate(part):
                box_height = lines.get(rid, 1) * LINE + 0.22
                nodes[rid] = Node(rid, level, offset + (i + 0.5) * SLOT, centre_y, BOX,
                                  box_height, row_index)
            y += height + ROW_GAP
            row_index += 1
        bands.append(Band(level, bottom - ROW_GAP / 4, y - ROW_GAP * 3 / 4))
    return Layout(width, y, nodes, tuple(bands))


Point = tuple[float, float]
MARGIN = 0.06  # clearance kept between a routed edge and a box it passes


def _crosses(x0: float, x1: float, node: Node) -> bool:
    """Whether a horizontal span [x0, x1] touches `node`'s box (with the margin)."""
    low, high = min(x0, x1), max(x0, x1)
    return high >= node.x - node.width / 2 - MARGIN and low <= node.x + node.width / 2 + MARGIN


def route(start: Point, end: Point, between: list[list[Node]]) -> list[Point]:
    """Waypoints for an edge from `start` to `end` past the rows of boxes `between` them.

    A link that skips a level (or a wrapped sub-row) would otherwise run straight
    through the boxes in between and vanish behind them. For each row in its way, in
    order from `start`, the edge keeps its straight course if that misses every box at
    the row's height, and otherwise bends through the gap between boxes nearest to it.
    Returns the points to draw through, `start` and `end` included.
    """
    points = [start]
    for row in between:
        if not row:
            continue
        top = max(n.y + n.height / 2 for n in row)
        bottom = min(n.y - n.height / 2 for n in row)
        (x0, y0), (x1, y1) = points[-1], end

        def x_at(y: float, x0: float = x0, y0: float = y0, x1: float = x1, y1: float = y1) -> float:
            return x0 if y1 == y0 else x0 + (x1 - x0) * (y - y0) / (y1 - y0)

        span = (x_at(bottom), x_at(top))
        if not any(_crosses(span[0], span[1], n) for n in row):
            continue
        ordered = sorted(row, key=lambda n: n.x)
        gaps = [ordered[0].x - ordered[0].width / 2 - (SLOT - BOX) / 2]
        gaps += [(a.x + b.x) / 2 for a, b in pairwise(ordered)]
        gaps.append(ordered[-1].x + ordered[-1].width / 2 + (SLOT - BOX) / 2)
        centre = x_at((top + bottom) / 2)
        gap = min(gaps, key=lambda g: (abs(g - centre), g))
        points.append((gap, bottom if y1 > y0 else top))
        points.append((gap, top if y1 > y0 else bottom))
    points.append(end)
    return points
