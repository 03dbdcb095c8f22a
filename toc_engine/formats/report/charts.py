"""One chart per indicator: baseline, targets (and their revisions), observations over time,
95% survey intervals where the sample size is known, and the breakdown by sex.

Series that have a value at the same date (target, total, women, men of one period)
are drawn side by side, a few points apart, so no marker or interval hides another;
the plot area is then fitted so that no label runs off the figure.
"""

from __future__ import annotations

import textwrap
from datetime import date

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure
from matplotlib.transforms import Transform, offset_copy

from ..safe_text import for_display
from .mpl import new_figure, style
from .series import ACTUAL, BASELINE, BREAKDOWN, REVISED, TARGET, ChartData, Point, Series

COLOURS = {
    BASELINE: "#6b6b6b",
    TARGET: "#1f4e9c",
    REVISED: "#1f4e9c",
    ACTUAL: "#111111",
}
SEX_COLOURS = {"female": "#b0306f", "male": "#1a8a7a"}
OTHER_COLOURS = ("#8a5a00", "#5a3d9a", "#2f7d32", "#9c1f1f")
MARKERS = {BASELINE: "s", TARGET: "D", REVISED: "D", ACTUAL: "o"}
DODGE = 7.0  # points between series drawn side by side at one date
MAX_SPREAD = 36.0  # points: the widest a group of side-by-side markers may get
PAD = 4.0  # pixels kept free at the figure's edges


def _dates(points: tuple[Point, ...]) -> list[date]:
    return [p.when for p in points]


def _errors(points: tuple[Point, ...]) -> tuple[list[float], list[float]] | None:
    if not any(p.low is not None for p in points):
        return None
    below = [p.value - p.low if p.low is not None else 0.0 for p in points]
    above = [p.high - p.value if p.high is not None else 0.0 for p in points]
    return below, above


def dodge_offsets(chart: ChartData) -> list[float]:
    """Horizontal offset in points for each series: 0 unless it shares a date with another
    series, else its place in a row of such series centred on the date."""
    dates = [set(_dates(s.points)) for s in chart.series]
    shared = [
        i for i, mine in enumerate(dates)
        if any(mine & other for j, other in enumerate(dates) if j != i)
    ]
    offsets = [0.0] * len(chart.series)
    if len(shared) < 2:
        return offsets
    step = min(DODGE, MAX_SPREAD / (len(shared) - 1))
    for slot, index in enumerate(shared):
        offsets[index] = (slot - (len(shared) - 1) / 2) * step
    return offsets


def _draw_series(ax: Axes, series: Series, index: int, shift: Transform) -> None:
    kind = series.kind
    if kind == BREAKDOWN:
        sex = series.label.split(": ", 1)[-1]
        colour = SEX_COLOURS.get(sex, OTHER_COLOURS[index % len(OTHER_COLOURS)])
        marker = "^" if sex == "female" else "v"
    elif kind == TARGET and series.label != "target":
        colour, marker = OTHER_COLOURS[index % len(OTHER_COLOURS)], "D"
    else:
        colour, marker = COLOURS[kind], MARKERS[kind]
    xs, ys = _dates(series.points), [p.value for p in series.points]
    style_kw: dict[str, object] = {
        "color": colour, "marker": marker, "label": series.label, "gid": f"series-{kind}",
    }
    if kind in (BASELINE, TARGET):
        style_kw.update(linestyle="none", markersize=7)
    elif kind == REVISED:
        style_kw.update(linestyle="none", markersize=7, markerfacecolor="white")
    elif kind == ACTUAL:
        style_kw.update(linewidth=2, markersize=6)
    else:
        style_kw.update(linewidth=1.2, markersize=5, linestyle="--")
    # Offsets are set after plotting, so the axes' limits still come from the data.
    for line in ax.plot(xs, ys, **style_kw):  # type: ignore[arg-type]
        line.set_transform(shift)
    errors = _errors(series.points)
    if errors is not None:
        bars = ax.errorbar(xs, ys, yerr=[errors[0], errors[1]],  # type: ignore[arg-type]
                           fmt="none", ecolor=colour, elinewidth=1, capsize=3,
                           gid=f"interval-{kind}")
        for artist in bars.get_children():
            artist.set_transform(shift)


def _period_ticks(ax: Axes, chart: ChartData) -> None:
    """Ticks at the ends of the periods drawn, labelled as the file writes them (2012-Q4)."""
    labels: dict[date, str] = {}
    for series in chart.series:
        for point in series.points:
            held = labels.get(point.when)
            if held is None or (len(point.period), point.period) < (len(held), held):
                labels[point.when] = point.period
    days = sorted(labels)
    if len(days) > 12:  # too many to label: let matplotlib choose
        ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=8))  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_formatter(DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
        return
    ax.set_xticks(days)  # type: ignore[arg-type]
    ax.set_xticklabels([labels[d] for d in days], rotation=30, ha="right", fontsize=8)


def _fit(figure: Figure, ax: Axes) -> None:
    """Move the plot area's edges in so that its labels, title and legend stay inside the
    figure (a long ordinal scale label, a two-line title)."""
    canvas = FigureCanvasAgg(figure)
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    width, height = figure.bbox.width, figure.bbox.height
    for _ in range(2):  # a second pass settles what the first one moved
        box = ax.get_tightbbox(renderer)
        if box is None:
            return
        left = max(0.0, PAD - box.x0)
        right = max(0.0, box.x1 - (width - PAD))
        bottom = max(0.0, PAD - box.y0)
        top = max(0.0, box.y1 - (height - PAD))
        if not (left or right or bottom or top):
            return
        pos = ax.get_position()
        ax.set_position((pos.x0 + left / width, pos.y0 + bottom / height,
                         pos.width - (left + right) / width,
                         pos.height - (top + bottom) / height))


def _title(chart: ChartData, figure: Figure, ax: Axes) -> None:
    """At most two lines, wrapped narrower until they fit beside the plot's left edge."""
    room = figure.bbox.width * (1 - ax.get_position().x0) - PAD
    renderer = FigureCanvasAgg(figure).get_renderer()  # type: ignore[no-untyped-call]
    for chars in range(80, 30, -6):
        lines = textwrap.wrap(chart.title, chars)
        text = "\n".join(lines[:2]) if len(lines) <= 2 else "\n".join(
            [lines[0], textwrap.shorten(" ".join(lines[1:]), chars, placeholder=" …")])
        shown = ax.set_title(for_display(text or chart.indicator), fontsize=10, loc="left")
        if shown.get_window_extent(renderer).width <= room:
            return


def draw_chart(chart: ChartData, width: float = 6.4, height: float = 3.4) -> Figure:
    """The chart as a matplotlib Figure (not attached to pyplot)."""
    figure = new_figure(width, height)
    with style():
        ax = figure.add_axes((0.11, 0.30, 0.86, 0.58))
        offsets = dodge_offsets(chart)
        for index, series in enumerate(chart.series):
            if series.points:
                shift = offset_copy(ax.transData, figure, x=offsets[index], units="points")
                _draw_series(ax, series, index, shift)
        for index, series in enumerate(chart.series):
            if series.kind != TARGET:
                continue
            for point in series.points:
                if point.note:
                    ax.annotate("revised", (point.when, point.value), textcoords="offset points",
                                xytext=(6 + offsets[index], 6), fontsize=7,
                                color=COLOURS[TARGET])
        if chart.measure == "ordinal" and chart.scale:
            ax.set_yticks(range(len(chart.scale)))
            ax.set_yticklabels([for_display(textwrap.shorten(s, 22, placeholder="…"))
                                for s in chart.scale],
                               fontsize=7)
            ax.set_ylim(-0.5, len(chart.scale) - 0.5)
        else:
            ax.set_ylabel(for_display(chart.unit or "value"))
            if chart.measure == "percentage":
                ax.set_ylim(0, 100)
            else:
                ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
        if chart.drawable:
            _period_ticks(ax, chart)
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=4, fontsize=7,
                      frameon=False)
        else:
            ax.text(0.5, 0.5, "no values to draw", transform=ax.transAxes, ha="center")
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        if chart.notes:
            figure.text(0.01, 0.01, for_display("; ".join(chart.notes)), fontsize=7,
                        color="#555555")
        _fit(figure, ax)
        _title(chart, figure, ax)
        _fit(figure, ax)
    return figure
