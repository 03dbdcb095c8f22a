"""The theory of change drawn with matplotlib: levels as rows, results coloured by delivery
band, link verdicts as edge styles, a legend for both.

Labels are wrapped to fit their boxes, measured with the renderer (not guessed),
and boxes sit in fixed slots, so no two labels overlap however many results
there are (`tests/test_report_graph.py` checks it on 40+ results).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch
from matplotlib.path import Path
from matplotlib.patheffects import withStroke

from ...schema.model import Programme
from ...scoring.result import ProgrammeScore
from ..safe_text import for_display
from .i18n import pick
from .layout import BOX, LEFT, Layout, Node, layout, route
from .mpl import new_figure, style
from .palette import (
    BAND_ORDER,
    BAND_TEXT,
    VERDICT_ORDER,
    VERDICT_STYLES,
    band_colour,
    band_name,
)

FONT_SIZE = 7.5
MAX_LINES = 6
HEADER = 1.25  # inches above the graph for the title and the legends
MIN_WIDTH = 8.5
LIFT = 0.24  # inches above a row that a link between two of its results runs at
FOOT = 0.28  # where such a link leaves and enters a box, as a share of its width from the centre


@dataclass(frozen=True)
class Label:
    id: str
    band: str
    text: str
    lines: int


def _text_width(canvas: FigureCanvasAgg, figure: Figure, text: str) -> float:
    artist = figure.text(0, 0, for_display(text), fontsize=FONT_SIZE)
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    width = float(artist.get_window_extent(renderer).width) / figure.dpi
    artist.remove()
    return width


def _wrap(statement: str, head: str, fits: float, canvas: FigureCanvasAgg,
          figure: Figure) -> list[str]:
    """Wrap to lines that fit `fits` inches; at most MAX_LINES, the last one shortened."""
    chars = 32
    while True:
        lines = [head, *textwrap.wrap(statement, chars, break_long_words=True)]
        if len(lines) > MAX_LINES:
            kept = lines[: MAX_LINES - 1]
            rest = " ".join(lines[MAX_LINES - 1 :])
            kept.append(textwrap.shorten(rest, chars, placeholder=" …") or rest[: chars - 2] + "…")
            lines = kept
        widest = max(_text_width(canvas, figure, line) for line in lines)
        if widest <= fits or chars <= 8:
            return lines
        chars -= 2


def labels(programme: Programme, score: ProgrammeScore | None, lang: str = "en") -> list[Label]:
    bands = {r.id: r.delivery.band for r in score.results} if score else {}
    scale = score.scale if score else "fcdo"
    figure = new_figure(4, 4)
    canvas = FigureCanvasAgg(figure)
    out = []
    with style():
        for result in programme.results:
            band = bands.get(result.id, "insufficient_evidence")
            short = "no band" if band == "insufficient_evidence" else band_name(band, scale)
            head = f"{short} · {result.id}"
            lines = _wrap(pick(result.statement, lang), head, BOX - 0.14, canvas, figure)
            out.append(Label(result.id, band, "\n".join(lines), len(lines)))
    return out


def _edge_points(a: Node, b: Node) -> tuple[tuple[float, float], tuple[float, float], float]:
    if b.row > a.row:
        return (a.x, a.y + a.height / 2), (b.x, b.y - b.height / 2), 0.0
    if b.row < a.row:
        return (a.x, a.y - a.height / 2), (b.x, b.y + b.height / 2), 0.0
    if b.x >= a.x:
        return (a.x + a.width / 2, a.y), (b.x - b.width / 2, b.y), -0.35
    return (a.x - a.width / 2, a.y), (b.x + b.width / 2, b.y), -0.35


def edge_route(
    a: Node, b: Node, rows: dict[int, list[Node]]
) -> tuple[list[tuple[float, float]], float]:
    """The points an edge from `a` to `b` is drawn through, and its curvature when straight.

    Rows strictly between the two (a skipped level, or the sub-rows of a wrapped one)
    are passed through gaps between their boxes, never behind a box. A link between two
    results of one row leaves the top of one box, runs above the row and comes down into
    the other: as long as the distance between them, never a stub in the gap between boxes.
    """
    if a.row == b.row:
        side = 1.0 if b.x >= a.x else -1.0
        top_a, top_b = a.y + a.height / 2, b.y + b.height / 2
        above = max(top_a, top_b) + LIFT
        x_a, x_b = a.x + side * FOOT * a.width, b.x - side * FOOT * b.width
        return [(x_a, top_a), (x_a, above), (x_b, above), (x_b, top_b)], 0.0
    start, end, rad = _edge_points(a, b)
    step = 1 if b.row > a.row else -1
    between = [rows.get(r, []) for r in range(a.row + step, b.row, step)]
    return (route(start, end, between) if between else [start, end]), rad


def draw_graph(
    programme: Programme, score: ProgrammeScore | None, lang: str = "en", title: bool = True
) -> Figure:
    """The figure; save it with `mpl.render(figure, 'svg' | 'png' | 'pdf')`."""
    items = labels(programme, score, lang)
    geometry: Layout = layout(programme, {item.id: item.lines for item in items})
    width = max(geometry.width, MIN_WIDTH)
    shift = (width - geometry.width) / 2
    height = geometry.height + HEADER
    figure = new_figure(width, height)
    verdicts = {(link.source, link.target): link.verdict for link in score.links} if score else {}
    with style():
        ax = figure.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(0, height)
        ax.axis("off")
        for index, band in enumerate(geometry.levels):
            if index % 2 == 0:
                ax.add_patch(
                    FancyBboxPatch((0.05, band.bottom), width - 0.1, band.top - band.bottom,
                                   boxstyle="square,pad=0", fc="#f4f4f4", ec="none", zorder=0)
                )
            ax.text(0.12 + shift * 0, (band.bottom + band.top) / 2, band.level, rotation=90,
                    ha="center", va="center", fontsize=8, color="#444444", fontweight="bold",
                    gid=f"level-{band.level}")
        nodes = {k: Node(n.id, n.level, n.x + shift, n.y, n.width, n.height, n.row)
                 for k, n in geometry.nodes.items()}
        rows: dict[int, list[Node]] = {}
        for node in nodes.values():
            rows.setdefault(node.row, []).append(node)
        for result in programme.results:
            for link in result.contributes_to:
                a, b = nodes.get(result.id), nodes.get(link.to)
                if a is None or b is None:
                    continue
                verdict = verdicts.get((result.id, link.to), "untested")
                colour, line, lw, _ = VERDICT_STYLES.get(verdict, VERDICT_STYLES["untested"])
                points, rad = edge_route(a, b, rows)
                lateral = a.row == b.row
                shape: dict[str, object] = (
                    {"path": Path(points)} if len(points) > 2  # bent past boxes in the way
                    else {"posA": points[0], "posB": points[-1],
                          "connectionstyle": f"arc3,rad={rad}"}
                )
                if lateral:  # drawn over the others, thicker, with a white edge to stand out
                    shape.update(mutation_scale=14, zorder=4, path_effects=[
                        withStroke(linewidth=lw * 1.6 + 3, foreground="white")])
                    lw *= 1.6
                ax.add_patch(
                    FancyArrowPatch(**{"arrowstyle": "-|>", "mutation_scale": 9, "color": colour,
                                       "linestyle": line, "linewidth": lw, "zorder": 1,
                                       "gid": f"edge-{result.id}--{link.to}",
                                       **shape})  # type: ignore[arg-type]
                )
        for item in items:
            node = nodes[item.id]
            ax.add_patch(
                FancyBboxPatch((node.x - node.width / 2, node.y - node.height / 2),
                               node.width, node.height,
                               boxstyle="round,pad=0,rounding_size=0.06",
                               fc=band_colour(item.band), ec="#555555", lw=0.8, zorder=2,
                               gid=f"node-{item.id}")
            )
            ax.text(node.x, node.y, for_display(item.text), ha="center", va="center",
                    fontsize=FONT_SIZE, linespacing=1.25,
                    color=BAND_TEXT.get(item.band, "#111111"), zorder=3, gid=f"label-{item.id}")
        top = height - 0.1
        if title:
            ax.text(LEFT, top - 0.05, for_display(pick(programme.programme.title, lang)),
                    ha="left", va="top", fontsize=10, fontweight="bold", gid="graph-title")
        scale = score.scale if score else "fcdo"
        band_handles = [
            Patch(facecolor=band_colour(b), edgecolor="#555555", label=band_name(b, scale))
            for b in BAND_ORDER
        ]
        # A scored graph's key lists the verdicts it shows: a mid-term graph whose links
        # are all untested names no failure (scoring.md §7).
        shown = set(verdicts.values()) | {"untested"} if score else set(VERDICT_ORDER)
        verdict_handles = [
            Line2D([], [], color=VERDICT_STYLES[v][0],
                   linestyle=VERDICT_STYLES[v][1],  # type: ignore[arg-type]
                   linewidth=VERDICT_STYLES[v][2], label=VERDICT_STYLES[v][3])
            for v in VERDICT_ORDER if v in shown
        ]
        first = ax.legend(handles=band_handles, title="delivery band", loc="upper left",
                          bbox_to_anchor=(LEFT / width, (top - 0.3) / height), ncol=6,
                          fontsize=7, title_fontsize=7, frameon=False, alignment="left")
        ax.add_artist(first)
        ax.legend(handles=verdict_handles, title="link verdict (edge style)", loc="upper left",
                  bbox_to_anchor=(LEFT / width, (top - 0.72) / height), ncol=4, fontsize=7,
                  title_fontsize=7, frameon=False, alignment="left", handlelength=3)
    return figure
