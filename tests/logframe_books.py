"""Logframe workbooks as donors write them, built from the examples' content (not by
`toc export xlsx`): Kosovo as an EU Logical Framework Matrix, Bangladesh as an FCDO
logframe, with merged cells, milestones, an Achieved line and values written as text
with their years."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

import toc_engine
from toc_engine.cli import run

LEVEL_ORDER = ("impact", "outcome", "output", "activity")


def scored(folder: Path) -> dict[str, Any]:
    out = io.StringIO()
    assert run(["score", str(folder), "--format", "json"], out) == 0
    return json.loads(out.getvalue())


def _num(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def _text(value: Any, percent: bool, period: Any) -> str:
    return f"{_num(value)}{'%' if percent else ''} ({period})"


def _totals(items: list[Any]) -> list[Any]:
    return [i for i in items if not i.site and not i.dimensions]


def _ordered(programme: Any) -> list[Any]:
    return sorted(programme.results, key=lambda r: LEVEL_ORDER.index(r.level))


def eu_kosovo(example: Path, path: Path, ambiguous: str = "") -> Path:
    """The EU matrix. `ambiguous`: an indicator id whose baseline is written `approx.`."""
    programme = toc_engine.load(example / "programme.yaml").programme
    data = scored(example)
    actual = {i["id"]: i["actual"] for r in data["results"] for i in r["indicators"]}
    statements = {a.id: a.statement for a in programme.assumptions}
    book = Workbook()
    sheet: Worksheet = book.active
    sheet.title = "Logframe"
    sheet["A1"] = f"Logical Framework Matrix: {programme.programme.title}, progress as of " \
                  f"{programme.programme.as_of.isoformat()}"
    heads = ["Results chain", "Intervention logic", "Indicators", "Baselines",
             "Baseline year", "Milestone 1", "Targets (incl. reference year)",
             "Current value (reference date)", "Sources and means of verification",
             "Assumptions"]
    for col, name in enumerate(heads, start=1):
        sheet.cell(row=3, column=col, value=name)
    numbers: dict[str, str] = {}
    counters: dict[str, int] = {}
    row = 4
    for result in _ordered(programme):
        parent = next((link.to for link in result.contributes_to if link.to in numbers), "")
        prefix = numbers.get(parent, "")
        counters[prefix] = counters.get(prefix, 0) + 1
        numbers[result.id] = f"{prefix}.{counters[prefix]}" if prefix else str(counters[prefix])
        label = "Impact (overall objective)" if result.level == "impact" else \
            f"{result.level.capitalize()} {numbers[result.id]}"
        if result.level == "impact":
            numbers[result.id] = ""
        first = row
        for ind in result.indicators or [None]:
            if ind is not None:
                pct = ind.measure.value == "percentage"
                sheet.cell(row=row, column=3, value=ind.name)
                base = _totals([ind.baseline] if ind.baseline else [])
                if base and ind.id == ambiguous:
                    sheet.cell(row=row, column=4, value=f"approx. {_num(base[0].value)}%")
                elif base and not isinstance(base[0].value, str):
                    cell = sheet.cell(row=row, column=4,
                                      value=float(base[0].value) / (100 if pct else 1))
                    cell.number_format = "0.0%" if pct else "0"
                    sheet.cell(row=row, column=5, value=int(str(base[0].period)[:4])
                               if str(base[0].period).isdigit() else str(base[0].period))
                elif base:
                    sheet.cell(row=row, column=4, value=base[0].value)
                targets = sorted(_totals(ind.targets), key=lambda t: t.period.end)
                if len(targets) > 1:
                    sheet.cell(row=row, column=6,
                               value=_text(targets[-2].value, pct, targets[-2].period))
                if targets:
                    sheet.cell(row=row, column=7,
                               value=_text(targets[-1].value, pct, targets[-1].period)
                               if not isinstance(targets[-1].value, str) else targets[-1].value)
                now = actual.get(ind.id)
                if now is not None:
                    sheet.cell(row=row, column=8, value=_text(now["value"], pct, now["period"]))
                sheet.cell(row=row, column=9, value=ind.source)
            row += 1
        sheet.cell(row=first, column=1, value=label)
        sheet.cell(row=first, column=2, value=result.statement)
        texts = [statements[a] for link in result.contributes_to for a in link.assumptions]
        sheet.cell(row=first, column=10, value="\n".join(f"- {t}" for t in dict.fromkeys(texts)))
        if row - 1 > first:
            for col in (1, 2, 10):
                sheet.merge_cells(start_row=first, start_column=col, end_row=row - 1,
                                  end_column=col)
    book.save(path)
    return path


def _windows(points: list[Any], actual: dict[str, Any] | None) -> dict[int, str]:
    """The column (0 baseline, 1.. milestones and target) where the latest actual goes."""
    if actual is None:
        return {}
    from toc_engine.schema.periods import parse_period

    end = parse_period(actual["period"]).end
    for k, point in enumerate(points):
        if k and point is not None and end <= point.period.end:
            return {k: actual["period"]}
    return {len(points) - 1: actual["period"]}


def fcdo_bangladesh(example: Path, path: Path) -> Path:
    programme = toc_engine.load(example / "programme.yaml").programme
    data = scored(example)
    actual = {i["id"]: i["actual"] for r in data["results"] for i in r["indicators"]}
    statements = {a.id: a.statement for a in programme.assumptions}
    results = [r for r in _ordered(programme) if r.level != "activity"]
    milestones = max(len(_totals(i.targets)) - 1 for r in results for i in r.indicators)
    book = Workbook()
    sheet: Worksheet = book.active
    sheet.title = "Logframe"
    sheet["A1"] = f"PROJECT NAME: {programme.programme.title}"
    values = ["Baseline", *[f"Milestone {n}" for n in range(1, milestones + 1)], "Target (date)"]
    tail = ["Assumptions", "Impact Weighting (%)", "Risk rating"]
    total_weight = {lv: sum(float(r.weight) for r in results if r.level == lv)
                    for lv in LEVEL_ORDER}
    counts: dict[str, int] = {}
    row = 3
    for result in results:
        counts[result.level] = counts.get(result.level, 0) + 1
        label = result.level.upper() + (f" {counts[result.level]}"
                                         if result.level == "output" else "")
        for col, name in enumerate([label, "Indicator", "", *values, *tail], start=1):
            sheet.cell(row=row, column=col, value=name)
        top = row = row + 1
        for ind in result.indicators:
            pct = ind.measure.value == "percentage"
            targets = sorted(_totals(ind.targets), key=lambda t: t.period.end)
            columns = [*(_totals([ind.baseline]) if ind.baseline else [None])]
            columns += [None] * (milestones - len(targets) + 1) + targets[:-1] + targets[-1:]
            columns = [columns[0], *targets[:-1], *[None] * (milestones - len(targets) + 1),
                       *targets[-1:]]
            sheet.cell(row=row, column=2, value=ind.name)
            for offset, line in enumerate(("Planned", "Achieved", "Source")):
                sheet.cell(row=row + offset, column=3, value=line)
            placed = _windows(columns, actual.get(ind.id))
            for k, point in enumerate(columns):
                col = 4 + k
                if point is not None:
                    sheet.cell(row=row, column=col, value=_text(point.value, pct, point.period))
                if k in placed:
                    now = actual[ind.id]
                    sheet.cell(row=row + 1, column=col, value=_text(now["value"], pct,
                                                                     now["period"]))
            sheet.cell(row=row + 2, column=4, value=ind.source)
            sheet.merge_cells(start_row=row + 2, start_column=4, end_row=row + 2,
                              end_column=4 + len(values) - 1)
            sheet.merge_cells(start_row=row, start_column=2, end_row=row + 2, end_column=2)
            row += 3
        sheet.cell(row=top, column=1, value=result.statement)
        texts = [statements[a] for link in result.contributes_to for a in link.assumptions]
        at = 4 + len(values)
        sheet.cell(row=top, column=at, value="\n".join(dict.fromkeys(texts)))
        share = sheet.cell(row=top, column=at + 1,
                           value=float(result.weight) / total_weight[result.level])
        share.number_format = "0%"
        sheet.cell(row=top, column=at + 2, value="Medium")
        for col in (1, at, at + 1, at + 2):
            sheet.merge_cells(start_row=top, start_column=col, end_row=max(row - 1, top),
                              end_column=col)
        row += 1
    book.save(path)
    return path
