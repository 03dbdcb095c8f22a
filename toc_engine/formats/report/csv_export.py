"""The scored indicator table as CSV, safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@` (also after spaces or line breaks), a
tab or a line break is prefixed with an apostrophe, so Excel, LibreOffice and
Google Sheets show it as text and never run it as a formula (OWASP "CSV
injection"). A line break inside a cell is written as a quoted line feed, so no
reader splits the row. Numbers are written as plain numbers and are not touched (a
negative number is data, not a formula).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from ...schema.model import Programme
from ...scoring.result import IndicatorScore, ProgrammeScore, SeriesScore
from .document import num
from .i18n import DEFAULT_LANG, pick

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMULA = ("=", "+", "-", "@")  # also after leading spaces or line breaks
HEADERS = (
    "result", "level", "result_band", "indicator", "name", "series", "measure", "unit",
    "direction", "status", "baseline", "baseline_period", "target", "target_period",
    "target_revised_from", "target_revised_on", "actual", "actual_period", "progress",
    "progress_clamped", "weight", "flags", "note", "result_state", "interim", "due",
    "next_target", "next_target_due", "share_of_total", "pace", "trajectory_status",
)


class Number(str):
    """A number already formatted: written as it is (a leading minus is data)."""


def neutralise(cell: object) -> str:
    """A cell as text that no spreadsheet will evaluate."""
    if cell is None:
        return ""
    if isinstance(cell, Number):
        return str(cell)
    if isinstance(cell, Decimal | int | float) and not isinstance(cell, bool):
        return num(Decimal(str(cell)), 9)
    # A carriage return inside a cell would end the row for some readers unless quoted,
    # and the writer quotes line feeds only: a line break in a cell is written as "\n".
    text = str(cell).replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith(DANGEROUS) or text.lstrip(" \t\n").startswith(FORMULA):
        return "'" + text
    return text


def _d(value: Decimal | None) -> str:
    return "" if value is None else Number(num(value, 9))


def _value(ind: IndicatorScore, value: Decimal | None) -> str:
    """A value as written: an ordinal position by its scale name."""
    name = ind.value_text(value)
    return name if name is not None else _d(value)


def rows(score: ProgrammeScore, programme: Programme | None = None,
         lang: str = DEFAULT_LANG) -> list[list[str]]:
    """One row per indicator and breakdown; names in `lang` when the programme is given."""
    names = ({i.id: pick(i.name, lang) for _, i in programme.indicators()}
             if programme is not None else {})
    out = []
    for result in score.results:
        for ind in result.indicators:
            name = names.get(ind.id) or ind.name
            lines: list[tuple[str, SeriesScore | None]] = [("total", None)]
            lines += [(s.label, s) for s in ind.series]
            for label, series in lines:
                actual = series.actual if series else ind.actual
                target = series.target if series else ind.target
                progress = series.progress if series else ind.progress
                clamped = series.progress_clamped if series else ind.progress_clamped
                note = (series.suppression if series and series.suppressed
                        else "" if series else ind.reason)
                cells: list[object] = [
                    result.id, result.level, result.delivery.band, ind.id, name, label,
                    ind.measure, ind.unit, ind.direction, ind.status if not series else
                    ("suppressed" if series.suppressed else "series"),
                    _value(ind, ind.baseline.value) if ind.baseline and not series else "",
                    ind.baseline.period if ind.baseline and not series else "",
                    _value(ind, target.value) if target else "", target.period if target else "",
                    _d(target.revised_from) if target else "",
                    target.revised_on.isoformat() if target and target.revised_on else "",
                    _value(ind, actual.value) if actual else "",
                    actual.period if actual else "",
                    _d(progress), _d(clamped), _d(ind.weight),
                    " ".join(ind.flags) if not series else "", note,
                    result.state, "interim" if ind.interim or result.delivery.interim else "",
                    ind.due.isoformat() if ind.due and not series else "",
                    _d(ind.next_target.value) if ind.next_target and not series else "",
                    ind.next_due.isoformat() if ind.next_due and not series else "",
                    _d(series.share_of_total) if series else "",
                    _d(ind.pace) if not series else "",
                    ind.trajectory_status or "" if not series else "",
                ]
                out.append([neutralise(c) for c in cells])
            for gap in ind.missing:  # listed, never counted: no value in any column
                cells = [result.id, result.level, result.delivery.band, ind.id, ind.name,
                         gap.label(), ind.measure, ind.unit, ind.direction, "missing",
                         *[""] * 11, "", gap.reason or "withheld: sensitive indicator"]
                cells += [""] * (len(HEADERS) - len(cells))  # a row as wide as the header
                out.append([neutralise(c) for c in cells])
    return out


def render(score: ProgrammeScore, programme: Programme | None = None,
           lang: str = DEFAULT_LANG) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADERS)
    table = rows(score, programme, lang)
    assert all(len(row) == len(HEADERS) for row in table)
    writer.writerows(table)
    return buffer.getvalue()
