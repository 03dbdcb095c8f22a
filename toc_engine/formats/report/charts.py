"""One chart per indicator: baseline, targets (and their revisions), observations over time,
95% survey intervals where the sample size is known, and the breakdown by sex."""

from __future__ import annotations

import textwrap
from datetime import date

from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure

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


def _dates(points: tuple[Point, ...]) -> list[date]:
    return [p.when for p in points]


def _errors(points: tuple[Point, ...]) -> tuple[list[float], list[float]] | None:
    if not any(p.low is not None for p in points):
        return None
    below = [p.value - p.low if p.low is not None else 0.0 for p in points]
    above = [p.high - p.value if p.high is not None else 0.0 for p in points]
    return below, above


def _draw_series(ax: Axes, series: Series, index: int) -> None:
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
    ax.plot(xs, ys, **style_kw)  # type: ignore[arg-type]
    errors = _errors(series.points)
    if errors is not None:
        ax.errorbar(xs, ys, yerr=[errors[0], errors[1]],  # type: ignore[arg-type]
                    fmt="none", ecolor=colour, elinewidth=1, capsize=3, gid=f"interval-{kind}")


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


def draw_chart(chart: ChartData, width: float = 6.4, height: float = 3.4) -> Figure:
    """The chart as a matplotlib Figure (not attached to pyplot)."""
    figure = new_figure(width, height)
    with style():
        ax = figure.add_axes((0.11, 0.30, 0.86, 0.58))
        title = for_display("\n".join(textwrap.wrap(chart.title, 80)[:2]) or chart.indicator)
        ax.set_title(title, fontsize=10, loc="left")
        for index, series in enumerate(chart.series):
            if series.points:
                _draw_series(ax, series, index)
        for series in chart.get(TARGET):
            for point in series.points:
                if point.note:
                    ax.annotate("revised", (point.when, point.value), textcoords="offset points",
                                xytext=(6, 6), fontsize=7, color=COLOURS[TARGET])
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
    return figure
