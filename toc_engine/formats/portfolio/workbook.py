"""The portfolio as an Excel workbook: the matrix coloured by verdict, then the links,
assumptions, indicators, delivery and design as tables (openpyxl, loaded only here)."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ..report.palette import VERDICT_STYLES, verdict_name
from ..xlsx.cells import band_cell, fit_columns, header, put
from .data import JSON


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def workbook_bytes(data: JSON) -> bytes:
    book = Workbook()
    matrix = book.active
    matrix.title = "Matrix"
    _matrix(matrix, data)
    _links(book.create_sheet("Links"), data)
    _assumptions(book.create_sheet("Assumptions"), data)
    _indicators(book.create_sheet("Indicators"), data)
    _delivery(book.create_sheet("Delivery"), data)
    _design(book.create_sheet("Design"), data)
    _refused(book.create_sheet("Left out"), data)
    dates = data["assessment_dates"]
    if dates:
        latest = date.fromisoformat(dates[-1])
        book.properties.created = datetime(latest.year, latest.month, latest.day)
    book.properties.creator = "toc-engine"
    book.properties.title = "Portfolio: causal judgements across programmes"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _matrix(sheet: Worksheet, data: JSON) -> None:
    contexts = data["contexts"]
    header(sheet, 1, ["link pattern", "tested in", *[c["programme"] for c in contexts]])
    put(sheet, 2, 1, "country · assessed", bold=True)
    for col, c in enumerate(contexts, start=3):
        interim = " (interim)" if c["interim"] else ""
        put(sheet, 2, col, f"{c['country'] or 'no country'} · {c['assessed_at']}{interim}")
    for line, row in enumerate(data["links"], start=3):
        few = " (fewer than three)" if row["few_contexts"] else ""
        put(sheet, line, 1, row["name"], bold=True)
        put(sheet, line, 2, f"{row['tested_in']}{few}")
        cells = {cell["programme"]: cell for cell in row["cells"]}
        for col, c in enumerate(contexts, start=3):
            cell = cells.get(c["programme"])
            if cell is None:
                continue
            put(sheet, line, col, verdict_name(cell["verdict"]))
            colour = VERDICT_STYLES.get(cell["verdict"], ("#e0e0e0",))[0].lstrip("#")
            sheet.cell(row=line, column=col).fill = PatternFill("solid", fgColor=colour.upper())
    fit_columns(sheet)


def _links(sheet: Worksheet, data: JSON) -> None:
    header(sheet, 1, ["link pattern", "programme", "country", "assessed", "link", "verdict",
                      "tested", "posterior", "confidence", "failed assumptions", "interim",
                      "reason"])
    line = 2
    for row in data["links"]:
        for cell in row["cells"]:
            values = [row["name"], cell["programme"], cell["country"],
                      _day(cell["assessed_at"]), cell["link"], verdict_name(cell["verdict"]),
                      cell["tested"], cell["posterior"], cell["confidence"],
                      ", ".join(cell["failed_assumptions"]), cell["interim"], cell["reason"]]
            for col, value in enumerate(values, start=1):
                put(sheet, line, col, value)
            line += 1
    fit_columns(sheet, {12: 60})


def _assumptions(sheet: Worksheet, data: JSON) -> None:
    header(sheet, 1, ["assumption", "programme", "country", "assessed", "id", "state",
                      "posterior"])
    line = 2
    for row in data["assumptions"]:
        for cell in row["cells"]:
            values = [row["name"], cell["programme"], cell["country"],
                      _day(cell["assessed_at"]), cell["assumption"], cell["state"],
                      cell["posterior"]]
            for col, value in enumerate(values, start=1):
                put(sheet, line, col, value)
            line += 1
    fit_columns(sheet)


def _indicators(sheet: Worksheet, data: JSON) -> None:
    header(sheet, 1, ["library entry", "name", "programme", "country", "value", "unit",
                      "period", "sample size", "status", "combined", "how"])
    line = 2
    for entry in data["indicators"]:
        put(sheet, line, 1, entry["use"], bold=True)
        put(sheet, line, 2, entry["name"], bold=True)
        put(sheet, line, 3, "all", bold=True)
        put(sheet, line, 10, entry["value"])
        put(sheet, line, 6, entry["unit"])
        put(sheet, line, 8, entry["sample_size"])
        put(sheet, line, 11, entry["note"])
        line += 1
        for c in entry["contributions"]:
            values = [entry["use"], entry["name"], c["programme"], c["country"], c["value"],
                      c["unit"], c["period"], c["sample_size"], c["status"]]
            for col, value in enumerate(values, start=1):
                put(sheet, line, col, value)
            line += 1
    fit_columns(sheet, {11: 60})


def _delivery(sheet: Worksheet, data: JSON) -> None:
    header(sheet, 1, ["country", "programme", "assessed", "interim", "level", "score",
                      "band", "results", "banded"])
    for line, e in enumerate(data["delivery"], start=2):
        values = [e["country"], e["programme"], _day(e["assessed_at"]), e["interim"],
                  e["level"], e["score"]]
        for col, value in enumerate(values, start=1):
            put(sheet, line, col, value)
        band_cell(sheet, line, 7, e["band"], e["band"].replace("_", " "))
        put(sheet, line, 8, e["results"])
        put(sheet, line, 9, e["banded"])
    fit_columns(sheet)


def _design(sheet: Worksheet, data: JSON) -> None:
    header(sheet, 1, ["country", "programme", "assessed", "interim", "design score",
                      "validity", "tested coverage", "validity untested"])
    for line, e in enumerate(data["design"], start=2):
        values = [e["country"], e["programme"], _day(e["assessed_at"]), e["interim"],
                  e["score"], e["validity"], e["tested_coverage"], e["validity_untested"]]
        for col, value in enumerate(values, start=1):
            put(sheet, line, col, value)
    fit_columns(sheet)


def _refused(sheet: Worksheet, data: JSON) -> None:
    header(sheet, 1, ["folder", "errors", "first error"])
    for line, r in enumerate(data["refused"], start=2):
        for col, value in enumerate([r["path"], r["errors"], r["first_error"]], start=1):
            put(sheet, line, col, value)
    fit_columns(sheet, {3: 80})
