"""What an indicator chart shows, as plain data (no matplotlib here).

The values come from the scoring package's own functions (`scoring.values`), so
a chart always shows the totals the score used; sensitive indicators go through
the scoring package's small-cell suppression, period by period.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from ...schema.model import Indicator, Measure, Programme
from ...scoring.result import IndicatorScore, SeriesScore, ValuePoint
from ...scoring.safeguarding import suppress, threshold
from ...scoring.stats import wilson
from ...scoring.values import (
    NotUsable,
    Row,
    breakdown_rows,
    counted,
    dims_of,
    indicator_unit,
    make_factor,
    numeric,
    rows_of,
    totals,
)
from .i18n import pick

BASELINE, TARGET, REVISED, ACTUAL, BREAKDOWN = (
    "baseline", "target", "revised", "actual", "breakdown"
)


@dataclass(frozen=True)
class Point:
    when: date  # the end of the period
    value: float
    period: str
    low: float | None = None  # 95% survey interval, when the sample size is known
    high: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Series:
    label: str
    kind: str  # baseline | target | revised | actual | breakdown
    points: tuple[Point, ...]


@dataclass(frozen=True)
class ChartData:
    indicator: str
    title: str
    unit: str
    measure: str
    scale: tuple[str, ...]
    series: tuple[Series, ...]
    notes: tuple[str, ...] = ()

    @property
    def drawable(self) -> bool:
        return any(s.points for s in self.series)

    def get(self, kind: str) -> list[Series]:
        return [s for s in self.series if s.kind == kind]


def chartable(indicator: Indicator) -> bool:
    """Qualitative indicators have no numbers to draw; they are judged through evidence."""
    return indicator.measure is not Measure.qualitative


def _interval(measure: Measure, value: Decimal, n: int | None) -> tuple[float | None, float | None]:
    if measure is not Measure.percentage or n is None or not 0 <= value <= 100:
        return None, None
    low, high = wilson(float(value) / 100.0, n)
    return round(low * 100, 4), round(high * 100, 4)


def _hidden_series(
    programme: Programme, indicator: Indicator, score: IndicatorScore | None, rows: list[Row]
) -> set[tuple[str | None, tuple[tuple[str, str], ...]]]:
    """Breakdowns of a sensitive indicator that must not be drawn: the scoring package's
    suppression applied to each period's cells, plus whatever the score itself hid."""
    hidden = set()
    if score is not None:
        hidden |= {(s.site, s.dimensions) for s in score.series if s.suppressed}
    if not indicator.sensitive:
        return hidden
    limit = threshold(programme, indicator)
    by_period: dict[tuple[date, date], list[Row]] = {}
    for key, items in breakdown_rows(rows).items():
        del key
        for row in items:
            by_period.setdefault((row.period.start, row.period.end), []).append(row)
    template = score or IndicatorScore(
        indicator.id, "", indicator.measure.value, None, None, Decimal(1), "no_data", "",
        "none", None, None, None, None, None, sensitive=True,
    )
    for period_rows in by_period.values():
        cells = tuple(
            SeriesScore(
                r.site, r.dims,
                ValuePoint(r.value, str(r.period), sample_size=r.sample_size),
                None, None, None,
            )
            for r in period_rows
        )
        checked, _ = suppress(replace(template, sensitive=True, series=cells), limit)
        hidden |= {(c.site, c.dimensions) for c in checked.series if c.suppressed}
    return hidden


def chart_data(
    programme: Programme,
    indicator: Indicator,
    score: IndicatorScore | None = None,
    lang: str = "en",
) -> ChartData:
    """Baseline, targets (with revisions), the total series and the breakdown by sex."""
    unit = indicator_unit(indicator) or ""
    scale = tuple(indicator.scale or ())
    title = pick(indicator.name, lang)
    empty = ChartData(indicator.id, title, unit, indicator.measure.value, scale, ())
    if not chartable(indicator):
        return replace(empty, notes=("qualitative: judged through evidence, no chart",))
    factor = make_factor(programme.units)
    as_of = programme.programme.as_of
    try:
        all_rows = rows_of(indicator, indicator.observations, factor)
        base = (
            numeric(indicator, indicator.baseline.value, indicator.baseline.unit, factor,
                    "baseline")
            if indicator.baseline is not None
            else None
        )
        targets = [
            (t, numeric(indicator, t.value, t.unit, factor, f"target {t.period}"))
            for t in indicator.targets
        ]
    except NotUsable as err:
        return replace(empty, notes=(str(err),))
    rows = counted(all_rows, as_of)
    notes: list[str] = []
    later = len(all_rows) - len(rows)
    if later:
        notes.append(f"{later} observation(s) after {as_of.isoformat()} not shown (not counted)")
    out: list[Series] = []
    measure = indicator.measure
    baseline = indicator.baseline
    total_baseline = (
        base if baseline is not None and not baseline.site and not baseline.dimensions else None
    )
    if baseline is not None and base is not None:
        low, high = _interval(measure, base, baseline.sample_size)
        label = "baseline" if total_baseline is not None else "baseline (" + ", ".join(
            [f"site={baseline.site}"] if baseline.site else []
            + [f"{k}={v}" for k, v in sorted(baseline.dimensions.items())]
        ) + ")"
        out.append(Series(label, BASELINE, (
            Point(baseline.period.end, float(base), str(baseline.period), low, high),
        )))

    def target_label(site: str | None, dims: tuple[tuple[str, str], ...]) -> str:
        parts = ([f"site={site}"] if site else []) + [f"{k}={v}" for k, v in dims]
        return "target" + (f" ({', '.join(parts)})" if parts else "")

    groups: dict[str, list[Point]] = {}
    revised: list[Point] = []
    for target, value in sorted(targets, key=lambda t: (t[0].period.end, t[0].period.start)):
        label = target_label(target.site, dims_of(target.dimensions))
        note = ""
        if target.revised is not None:
            rev = target.revised
            note = f"revised {rev.date.isoformat()} from {rev.from_}: {pick(rev.reason, lang)}"
            try:
                before = numeric(indicator, rev.from_, target.unit, factor, "revision")
            except NotUsable:
                before = rev.from_
            revised.append(Point(target.period.end, float(before), str(target.period), note=note))
        groups.setdefault(label, []).append(
            Point(target.period.end, float(value), str(target.period), note=note)
        )
    for label in sorted(groups, key=lambda x: (x != "target", x)):
        out.append(Series(label, TARGET, tuple(groups[label])))
    if revised:
        out.append(Series("target before revision", REVISED, tuple(revised)))

    running = total_baseline if total_baseline is not None else Decimal(0)
    points: list[Point] = []
    for total in totals(rows, indicator):
        value = total.value
        if indicator.cumulative:
            running += value
            value = running
        low, high = _interval(measure, value, total.sample_size)
        points.append(Point(total.period.end, float(value), str(total.period), low, high))
    out.append(Series("actual (total)", ACTUAL, tuple(points)))

    hidden = _hidden_series(programme, indicator, score, rows)
    breakdowns = breakdown_rows(rows)
    suppressed = 0
    for key in sorted(breakdowns, key=lambda k: (k[0] or "", k[1])):
        site, dims = key
        if site is not None or len(dims) != 1 or dims[0][0] != "sex":
            continue
        if key in hidden:
            suppressed += 1
            continue
        acc = Decimal(0)
        sex_points = []
        best: dict[tuple[date, date], Row] = {}
        for row in breakdowns[key]:
            held = best.get((row.period.start, row.period.end))
            if held is None or (row.sample_size or 0, row.value) > (
                held.sample_size or 0, held.value
            ):
                best[(row.period.start, row.period.end)] = row
        for row in sorted(best.values(), key=lambda r: (r.period.start, r.period.end)):
            value = row.value
            if indicator.cumulative:
                acc += value
                value = acc
            low, high = _interval(measure, value, row.sample_size)
            sex_points.append(Point(row.period.end, float(value), str(row.period), low, high))
        out.append(Series(f"sex: {dims[0][1]}", BREAKDOWN, tuple(sex_points)))
    if suppressed:
        notes.append(
            f"{suppressed} breakdown(s) by sex suppressed (safeguarding: small cells)"
        )
    return ChartData(indicator.id, title, unit, measure.value, scale, tuple(out), tuple(notes))
