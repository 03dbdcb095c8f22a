"""The framework as the logframe sheets lay it out: results in the order of the results
chain (highest level first, each child after its parent's siblings, EU numbering), each
with its indicators' baseline, targets and latest actual.

Built from the programme as written and the score's JSON data (`formats.score.to_json`),
the score's stable, versioned shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...schema.model import Indicator, Measure, Programme, Result
from ..report.i18n import pick
from ..report.series import ACTUAL, chart_data


@dataclass
class Value:
    value: float | str
    period: int | str  # a year as a number, any other period as its text


@dataclass
class IndicatorRow:
    id: str
    name: str
    unit: str
    direction: str
    percent: bool
    scale: list[str]
    source: str
    baseline: Value | None
    targets: list[Value]
    actuals: list[Value]  # the total per counted period, in order
    current: Value | None
    progress: float | None
    score: dict[str, Any]


@dataclass
class ResultRow:
    id: str
    level: str
    label: str
    statement: str
    weight: float
    contributes: list[str]
    assumptions: list[str]
    band: str | None
    band_label: str
    state: str
    indicators: list[IndicatorRow] = field(default_factory=list)


def period_cell(text: str) -> int | str:
    return int(text) if text.isdigit() and len(text) == 4 else text


def _number(value: Any) -> float | str:
    if isinstance(value, str):
        return value
    number = float(value)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _on_scale(value: float | str, scale: list[str]) -> float | str:
    """An ordinal value as its scale entry: the score counts steps, a logframe names them."""
    if isinstance(value, str) or not scale:
        return value
    step = int(value)
    return scale[step] if step == value and 0 <= step < len(scale) else value


def _total(items: list[Any]) -> list[Any]:
    return [i for i in items if not i.site and not i.dimensions]


def _indicator(programme: Programme, indicator: Indicator, data: dict[str, Any],
               lang: str) -> IndicatorRow:
    percent = indicator.measure is Measure.percentage
    chart = chart_data(programme, indicator, None, lang)
    actuals = [Value(p.value, period_cell(p.period)) for s in chart.get(ACTUAL) for p in s.points]
    base = _total([indicator.baseline] if indicator.baseline else [])
    targets = sorted(_total(indicator.targets), key=lambda t: (t.period.end, t.period.start))
    actual = data.get("actual")
    scale = list(indicator.scale or [])
    return IndicatorRow(
        indicator.id, pick(indicator.name, lang), indicator.unit or "",
        indicator.direction.value if indicator.direction else "", percent,
        scale, indicator.source or "",
        Value(_number(base[0].value), period_cell(base[0].period.text)) if base else None,
        [Value(_number(t.value), period_cell(t.period.text)) for t in targets],
        [Value(_on_scale(_number(a.value), scale), a.period) for a in actuals],
        Value(_on_scale(_number(actual["value"]), scale), period_cell(actual["period"]))
        if actual else None,
        data.get("progress"), data,
    )


def _ordered(programme: Programme) -> list[tuple[Result, str]]:
    """Results highest level first, children grouped under their first parent, with EU
    numbering (`Output 1.2` relates to `Outcome 1`)."""
    levels = list(programme.levels)
    by_level: dict[str, list[Result]] = {}
    for result in programme.results:
        by_level.setdefault(result.level, []).append(result)
    order = sorted(by_level, key=lambda lv: -levels.index(lv) if lv in levels else 1)
    numbers: dict[str, str] = {}
    counters: dict[tuple[str, str], int] = {}
    out: list[tuple[Result, str]] = []
    above: list[Result] = []
    for level in order:
        items = by_level[level]
        above_ids = [r.id for r in above]
        groups: dict[str, list[Result]] = {}
        for result in items:
            parent = next((link.to for link in result.contributes_to if link.to in above_ids), "")
            groups.setdefault(parent, []).append(result)
        single = len(items) == 1 and not above
        for parent in [*above_ids, ""]:
            prefix = numbers.get(parent, "")
            for result in groups.get(parent, []):
                counters[level, prefix] = counters.get((level, prefix), 0) + 1
                k = counters[level, prefix]
                numbers[result.id] = "" if single else (f"{prefix}.{k}" if prefix else str(k))
                out.append((result, numbers[result.id]))
        above = items
    return out


def build(programme: Programme, data: dict[str, Any], lang: str = "en") -> list[ResultRow]:
    scored = {r["id"]: r for r in data["results"]}
    statements = {a.id: pick(a.statement, lang) for a in programme.assumptions}
    rows = []
    for result, number in _ordered(programme):
        info = scored.get(result.id, {})
        delivery = info.get("delivery") or {}
        assumptions: list[str] = []
        for link in result.contributes_to:
            for aid in link.assumptions:
                text = statements.get(aid, aid)
                if text not in assumptions:
                    assumptions.append(text)
        by_id = {i["id"]: i for i in info.get("indicators", [])}
        label = result.level.replace("_", " ").replace("-", " ").capitalize()
        rows.append(ResultRow(
            result.id, result.level, f"{label} {number}".strip(), pick(result.statement, lang),
            float(result.weight), [link.to for link in result.contributes_to], assumptions,
            delivery.get("band"),
            (delivery.get("band_label") or "") + (" (interim)" if delivery.get("interim") else ""),
            info.get("state") or "",
            [_indicator(programme, ind, by_id.get(ind.id, {}), lang) for ind in result.indicators],
        ))
    return rows
