"""The "Logframe" sheet in the EU or the FCDO layout, with the latest actuals, bands and
states filled in: a workbook that goes back to the donor, and that `toc import logframe`
reads back."""

from __future__ import annotations

from datetime import date

from openpyxl.worksheet.worksheet import Worksheet

from ...schema.periods import parse_period
from .cells import band_cell, fit_columns, header, merge_down, put, put_period, title
from .frame import IndicatorRow, ResultRow, Value
from .layouts import SCALE_SEPARATOR
from .values import as_period

LINES = ("Planned", "Achieved", "Date", "Achieved date", "Source")


def _milestones(rows: list[ResultRow]) -> int:
    return max((len(i.targets) - 1 for r in rows for i in r.indicators), default=0)


def _split(targets: list[Value], milestones: int) -> tuple[list[Value | None], Value | None]:
    """Earlier targets as milestones 1..n, the last as the target."""
    if not targets:
        return [None] * milestones, None
    early: list[Value | None] = list(targets[:-1])
    return early + [None] * (milestones - len(early)), targets[-1]


def bullets(items: list[str]) -> str:
    """One item a line, each after a dash, as logframes list assumptions."""
    return "\n".join(f"- {item}" for item in items)


def _end(value: Value) -> date:
    return parse_period(as_period(str(value.period))).end


def _windows(columns: list[Value | None], actuals: list[Value]) -> list[Value | None]:
    """For each column, the latest actual after the previous column's date and by its own
    (the last column takes every later one too): what was achieved by that milestone."""
    ends = [_end(c) if c is not None else None for c in columns]
    out: list[Value | None] = []
    previous = None
    for k, end in enumerate(ends):
        last = k == len(ends) - 1
        inside = [a for a in actuals if (previous is None or _end(a) > previous)
                  and (last or end is None or _end(a) <= end)]
        out.append(max(inside, key=_end) if inside and end is not None else None)
        if end is not None:
            previous = end
    return out


def eu(sheet: Worksheet, heading: str, rows: list[ResultRow]) -> None:
    milestones = _milestones(rows)
    names = ["Results chain", "Intervention logic", "Indicators", "Unit", "Direction",
             "Scale", "Baseline", "Baseline year"]
    for n in range(1, milestones + 1):
        names += [f"Milestone {n}", f"Milestone {n} year"]
    names += ["Target", "Target year", "Current value", "Current value year", "% of target",
              "Band", "State", "Sources of data", "Assumptions", "Contributes to",
              "Result id", "Indicator id"]
    col = {name: i for i, name in enumerate(names, start=1)}
    title(sheet, heading, len(names))
    header(sheet, 3, names)
    line = 4
    for result in rows:
        first = line
        indicators: list[IndicatorRow | None] = list(result.indicators) or [None]
        for ind in indicators:
            if ind is not None:
                pct = ind.percent
                put(sheet, line, col["Indicators"], ind.name)
                put(sheet, line, col["Unit"], ind.unit)
                put(sheet, line, col["Direction"], ind.direction)
                put(sheet, line, col["Scale"], SCALE_SEPARATOR.join(ind.scale))
                if ind.baseline:
                    put(sheet, line, col["Baseline"], ind.baseline.value, percent=pct)
                    put_period(sheet, line, col["Baseline year"], ind.baseline.period)
                early, final = _split(ind.targets, milestones)
                for n, value in enumerate(early, start=1):
                    if value is not None:
                        put(sheet, line, col[f"Milestone {n}"], value.value, percent=pct)
                        put_period(sheet, line, col[f"Milestone {n} year"], value.period)
                if final is not None:
                    put(sheet, line, col["Target"], final.value, percent=pct)
                    put_period(sheet, line, col["Target year"], final.period)
                if ind.current is not None:
                    put(sheet, line, col["Current value"], ind.current.value, percent=pct)
                    put_period(sheet, line, col["Current value year"], ind.current.period)
                if ind.progress is not None:
                    put(sheet, line, col["% of target"], ind.progress * 100, percent=True)
                put(sheet, line, col["Sources of data"], ind.source)
                put(sheet, line, col["Indicator id"], ind.id)
            line += 1
        last = line - 1
        put(sheet, first, col["Results chain"], result.label)
        put(sheet, first, col["Intervention logic"], result.statement)
        band_cell(sheet, first, col["Band"], result.band, result.band_label)
        put(sheet, first, col["State"], result.state.replace("_", " "))
        put(sheet, first, col["Assumptions"], bullets(result.assumptions))
        put(sheet, first, col["Contributes to"], ", ".join(result.contributes))
        put(sheet, first, col["Result id"], result.id)
        for name in ("Results chain", "Intervention logic", "Band", "State", "Assumptions",
                     "Contributes to", "Result id"):
            merge_down(sheet, col[name], first, last)
    fit_columns(sheet, {col["Intervention logic"]: 50, col["Assumptions"]: 45})


def fcdo(sheet: Worksheet, heading: str, rows: list[ResultRow]) -> None:
    milestones = _milestones(rows)
    values = ["Baseline", *[f"Milestone {n}" for n in range(1, milestones + 1)], "Target"]
    tail = ["Assumptions", "Impact weighting (%)", "Risk rating", "Band", "State",
            "Contributes to", "Result id", "Indicator id", "Unit", "Direction", "Scale"]
    names = ["", "Indicator", "", *values, *tail]
    col = {name: i for i, name in enumerate(names, start=1) if name}
    title(sheet, heading, len(names))
    totals: dict[str, float] = {}
    for result in rows:
        totals[result.level] = totals.get(result.level, 0.0) + result.weight
    line = 3
    for result in rows:
        block = [result.label.upper(), "Indicator", "", *values, *tail]
        header(sheet, line, block, freeze=False)
        top = line + 1
        line = top
        listed: list[IndicatorRow | None] = list(result.indicators) or [None]
        for ind in listed:
            if ind is None:
                line += 1
                continue
            pct = ind.percent
            early, final = _split(ind.targets, milestones)
            columns = [ind.baseline, *early, final]
            put(sheet, line, col["Indicator"], ind.name)
            for offset, label in enumerate(LINES):
                put(sheet, line + offset, 3, label)
            for k, (value, achieved) in enumerate(zip(columns, _windows(columns, ind.actuals),
                                                       strict=True)):
                c = 4 + k
                if value is not None:
                    put(sheet, line, c, value.value, percent=pct)
                    put_period(sheet, line + 2, c, value.period)
                if achieved is not None and k > 0:
                    put(sheet, line + 1, c, achieved.value, percent=pct)
                    put_period(sheet, line + 3, c, achieved.period)
            put(sheet, line + 4, 4, ind.source)
            put(sheet, line, col["Indicator id"], ind.id)
            put(sheet, line, col["Unit"], ind.unit)
            put(sheet, line, col["Direction"], ind.direction)
            put(sheet, line, col["Scale"], SCALE_SEPARATOR.join(ind.scale))
            merge_down(sheet, col["Indicator"], line, line + len(LINES) - 1)
            line += len(LINES)
        put(sheet, top, 1, result.statement)
        merge_down(sheet, 1, top, line - 1)
        share = result.weight / totals[result.level] * 100 if totals[result.level] else None
        put(sheet, top, col["Impact weighting (%)"], share, percent=True)
        band_cell(sheet, top, col["Band"], result.band, result.band_label)
        put(sheet, top, col["State"], result.state.replace("_", " "))
        put(sheet, top, col["Assumptions"], bullets(result.assumptions))
        put(sheet, top, col["Contributes to"], ", ".join(result.contributes))
        put(sheet, top, col["Result id"], result.id)
        for name in ("Assumptions", "Impact weighting (%)", "Band", "State", "Contributes to",
                     "Result id"):
            merge_down(sheet, col[name], top, line - 1)
        line += 1
    sheet.freeze_panes = "C3"
    fit_columns(sheet, {1: 45, 2: 40, col["Assumptions"]: 45})
