"""Writing cells the way a spreadsheet user expects: numbers as numbers with a number
format, dates as dates, user text always as text (never a formula), headers frozen and
styled, columns wide enough, bands in the report's colours."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from ..report.palette import BAND_TEXT, band_colour

HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")
THIN = Side(style="thin", color="B0B0B0")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MIN_WIDTH, MAX_WIDTH = 6, 60

INTEGER, DECIMAL = "#,##0", "#,##0.0########"
PERCENT, PERCENT_DECIMAL = "0%", "0.0########%"
PROBABILITY = "0.00##"
DATE = "yyyy-mm-dd"
YEAR = "0"


def number_format(value: float, percent: bool = False) -> str:
    whole = float(value).is_integer() if not percent else float(value * 100).is_integer()
    if percent:
        return PERCENT if whole else PERCENT_DECIMAL
    return INTEGER if whole else DECIMAL


def put(sheet: Worksheet, row: int, col: int, value: Any, *, percent: bool = False,
        fmt: str | None = None, bold: bool = False) -> None:
    """Write one cell: text stays text (even `=SUM(...)`), numbers and dates keep their
    type with a number format."""
    cell = sheet.cell(row=row, column=col)
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, bool):
        cell.value = "yes" if value else "no"
    elif isinstance(value, int | float):
        number = value / 100 if percent else value
        cell.value = number
        cell.number_format = fmt or number_format(number, percent)
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE
    else:
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.data_type = "s"  # a leading '=' is the user's text, not a formula
    cell.alignment = WRAP
    if bold:
        cell.font = HEADER_FONT


def put_period(sheet: Worksheet, row: int, col: int, period: int | str) -> None:
    """A period: a year as a plain number (2012, not 2,012), anything else as text."""
    put(sheet, row, col, period, fmt=YEAR)


def header(sheet: Worksheet, row: int, names: Sequence[str], freeze: bool = True) -> None:
    for col, name in enumerate(names, start=1):
        put(sheet, row, col, name)
        cell = sheet.cell(row=row, column=col)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BOX
    if freeze:
        sheet.freeze_panes = sheet.cell(row=row + 1, column=1)


def title(sheet: Worksheet, text: str, width: int) -> None:
    put(sheet, 1, 1, text)
    sheet.cell(row=1, column=1).font = TITLE_FONT
    sheet.cell(row=1, column=1).alignment = Alignment(vertical="top")
    if width > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


def band_cell(sheet: Worksheet, row: int, col: int, band: str | None, label: str) -> None:
    put(sheet, row, col, label)
    if band:
        colour = band_colour(band).lstrip("#")
        cell = sheet.cell(row=row, column=col)
        cell.fill = PatternFill("solid", fgColor=colour)
        cell.font = Font(color=BAND_TEXT.get(band, "#000000").lstrip("#"))


def merge_down(sheet: Worksheet, col: int, first: int, last: int) -> None:
    """Merge a column's cells from `first` to `last`, as `Worksheet.merge_cells` would.

    `merge_cells` compares each new range with every merged range so far, which grows
    with the square of a long logframe; these ranges never overlap by construction, so
    the range joins the sheet's set of merged ranges directly. The cells it covers below
    the first are then removed and `MergedCellRange.format` makes them merged cells,
    giving them the first cell's borders (what `merge_cells` does after its check)."""
    if last > first:
        letter = get_column_letter(col)
        merged = MergedCellRange(sheet, f"{letter}{first}:{letter}{last}")
        sheet.merged_cells.ranges.add(merged)
        for row in range(first + 1, last + 1):
            del sheet[f"{letter}{row}"]
        merged.format()


def fit_columns(sheet: Worksheet, widths: dict[int, int] | None = None) -> None:
    """Column widths from the longest line of each column, within sensible bounds."""
    longest: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.value is None:
                continue
            if isinstance(cell.value, float | int):
                size = len(f"{cell.value:,.2f}")
            else:
                size = max((len(part) for part in str(cell.value).splitlines()), default=0)
            longest[cell.column] = max(longest.get(cell.column, 0), size)
    for col, size in longest.items():
        width = (widths or {}).get(col) or min(MAX_WIDTH, max(MIN_WIDTH, size + 2))
        sheet.column_dimensions[get_column_letter(col)].width = width
