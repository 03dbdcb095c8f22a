"""A raw submissions export as a header and rows of text, from CSV or XLSX.

KoboToolbox and ODK Central export CSV with commas or semicolons (a setting, and the
default of many locales), often with a byte-order mark, and XLSX. Whatever the file,
the reader of submissions gets the same thing: the header's cells and, for each row,
its 1-based row number in the file and its cells as text, as many as the header has.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..findings.collection import EXPORT_UNREADABLE
from ..findings.diagnostic import Diagnostic, Span
from ..loading.files import open_regular

SEPARATORS = (",", ";", "\t")
MAX_XLSX_BYTES = 200 * 1024 * 1024


@dataclass(slots=True)
class ExportTable:
    file: str
    header: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the 1-based row number of each row
    cells: list[list[str]] = field(default_factory=list)  # each row's cells
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_export(path: Path, shown: str) -> ExportTable:
    """The export at `path` (shown to the user as `shown`); problems are findings."""
    table = ExportTable(shown)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            _read_xlsx(path, table)
        else:
            _read_csv(path, table)
    except UnicodeDecodeError as err:
        table.diagnostics.append(EXPORT_UNREADABLE(
            f"the export is not UTF-8 text ({err.reason})", Span(shown, 1, 1),
            hint="download the export again as CSV (UTF-8) or XLSX"))
    except csv.Error as err:
        table.diagnostics.append(EXPORT_UNREADABLE(
            f"the export cannot be read as CSV: {err}", Span(shown, 1, 1),
            hint="download the export again as CSV or XLSX"))
    except OSError as err:
        table.diagnostics.append(EXPORT_UNREADABLE(
            f"the export cannot be opened: {err.strerror or err}", Span(shown, 1, 1),
            hint="check that the file exists and can be read"))
    if not table.diagnostics and not table.header:
        table.diagnostics.append(EXPORT_UNREADABLE(
            "the export is empty", Span(shown, 1, 1),
            hint="download the export again: its first row names the questions"))
    table.header = [h.lstrip("\ufeff").strip() for h in table.header]
    return table


def separator(first_line: str) -> str:
    """The separator of a CSV header line: the most frequent of comma, semicolon, tab
    outside quotes (Kobo's semicolon exports, spreadsheet programs' locale defaults)."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(SEPARATORS, key=lambda s: counts[s])


def _read_csv(path: Path, table: ExportTable) -> None:
    with open_regular(path, "r", encoding="utf-8-sig", newline="") as handle:
        delimiter = separator(handle.readline())
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
        rows = list(reader)
        if not rows:
            return
        table.header, rows = rows[0], rows[1:]
        width = len(table.header)
        if reader.line_num == len(rows) + 1 and set(map(len, rows)) <= {width}:
            # one line a row, none empty or short: the row numbers are the line numbers
            table.lines = list(range(2, len(rows) + 2))
            table.cells = rows
            return
        handle.seek(0)  # a cell spans lines, or a row is empty or short: count the lines
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
        next(reader)
        start = reader.line_num + 1
        for cells in reader:
            if cells:  # not an empty line
                if len(cells) < width:
                    cells += [""] * (width - len(cells))
                table.lines.append(start)
                table.cells.append(cells)
            start = reader.line_num + 1


def _read_xlsx(path: Path, table: ExportTable) -> None:
    """The first sheet (KoboToolbox puts repeat groups on the next sheets)."""
    if path.stat().st_size > MAX_XLSX_BYTES:
        table.diagnostics.append(EXPORT_UNREADABLE(
            "the workbook is larger than an export is read", Span(table.file, 1, 1),
            hint="export as CSV instead"))
        return
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        with open_regular(path, "rb") as handle:
            book = load_workbook(handle, read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                    cells = [_cell_text(v) for v in values]
                    if number == 1:
                        table.header = cells
                    elif any(cells):
                        cells += [""] * (len(table.header) - len(cells))
                        table.lines.append(number)
                        table.cells.append(cells)
            finally:
                book.close()
    except (BadZipFile, KeyError, ValueError, IndexError) as err:
        table.diagnostics.append(EXPORT_UNREADABLE(
            f"the file is not a readable XLSX workbook ({err})", Span(table.file, 1, 1),
            hint="download the export again as XLSX, or as CSV"))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
