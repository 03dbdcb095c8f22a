"""Opening a workbook someone sent us without trusting it.

The zip directory is checked before openpyxl sees the file (a zip bomb is refused by its
declared sizes); sheets are read in openpyxl's read-only mode and at most `max_rows` rows;
macros are never run and external links never followed; a formula's saved value is used
and said so. Merged cells are read as the block they cover."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries

from ...findings.diagnostic import Diagnostic
from .findings import (
    EXTERNAL_LINKS,
    FORMULA_CELL,
    HIDDEN_SHEET,
    MACROS_IGNORED,
    NOT_A_WORKBOOK,
    ROWS_CUT,
    WORKBOOK_TOO_LARGE,
)

MAX_UNPACKED = 200 * 1024 * 1024  # bytes the whole zip may unpack to
MAX_RATIO = 200  # a member that unpacks to more than this many times its packed size
MAX_COLUMNS = 200
MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")


class Unreadable(Exception):
    """The workbook cannot be read at all; `finding` says why."""

    def __init__(self, finding: Diagnostic) -> None:
        super().__init__(finding.message)
        self.finding = finding


@dataclass(frozen=True)
class Cell:
    value: Any
    number_format: str
    row: int
    col: int

    @property
    def ref(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"


@dataclass
class Grid:
    """One sheet's values by (row, column), merged blocks resolved to their first cell."""

    sheet: str
    file: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    origin: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    max_row: int = 0
    max_col: int = 0

    def at(self, row: int, col: int) -> Cell | None:
        """The cell, or the first cell of the merged block covering it."""
        return self.cells.get(self.origin.get((row, col), (row, col)))

    def value(self, row: int, col: int) -> Any:
        cell = self.at(row, col)
        return None if cell is None else cell.value

    def block_of(self, row: int, col: int) -> tuple[int, int]:
        return self.origin.get((row, col), (row, col))

    def where(self, row: int, col: int) -> str:
        return f"{self.sheet}!{get_column_letter(col)}{row}"


@dataclass
class Book:
    path: Path
    workbook: Any
    visible: list[str]
    findings: list[Diagnostic]
    max_rows: int

    def grid(self, name: str) -> Grid:
        return _grid(self, name)


def _check_zip(path: Path, shown: str) -> list[Diagnostic]:
    if not zipfile.is_zipfile(path):
        hint = ("save it from Excel or LibreOffice as .xlsx (Excel Workbook)"
                if path.suffix.lower() in (".xls", ".csv", ".ods") else
                "give an .xlsx workbook")
        raise Unreadable(NOT_A_WORKBOOK(f"'{shown}' is not an .xlsx workbook (not a zip "
                                        "file)", shown, hint=hint))
    out = []
    with zipfile.ZipFile(path) as archive:
        items = archive.infolist()
        total = sum(i.file_size for i in items)
        swollen = [i for i in items if i.file_size > 1024 * 1024
                   and i.file_size > MAX_RATIO * max(i.compress_size, 1)]
        if total > MAX_UNPACKED or swollen:
            ratio = ""
            if swollen:
                worst = swollen[0]
                ratio = (f" ({worst.filename} is packed "
                         f"{worst.file_size // max(worst.compress_size, 1)} to 1)")
            raise Unreadable(WORKBOOK_TOO_LARGE(
                f"'{shown}' would unpack to {total / 1024 / 1024:.0f} MB{ratio}; the limit "
                f"is {MAX_UNPACKED // 1024 // 1024} MB, at most {MAX_RATIO} to 1 a part",
                shown, hint="a logframe is a few hundred rows: save only the logframe "
                "sheet in a new workbook"))
        names = [i.filename for i in items]
        if "[Content_Types].xml" not in names or not any(
                n.startswith("xl/workbook") for n in names):
            raise Unreadable(NOT_A_WORKBOOK(f"'{shown}' is a zip file but not an .xlsx "
                                            "workbook", shown, hint="give an .xlsx workbook"))
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            out.append(MACROS_IGNORED(f"'{shown}' carries macros; they were not run (only "
                                      "the saved cell values are read)", shown,
                                      hint="if macros fill the logframe's cells, let them "
                                      "run in Excel and save the workbook as .xlsx first"))
        if any(n.startswith("xl/externalLinks/") for n in names):
            out.append(EXTERNAL_LINKS(f"'{shown}' links to other workbooks; they were not "
                                      "opened, and cells that use them show their saved "
                                      "values", shown, hint="paste the values in place of "
                                      "the links before importing"))
    return out


def open_book(path: Path, shown: str, max_rows: int) -> Book:
    """The workbook, read-only; raises Unreadable with a finding."""
    from openpyxl import load_workbook

    findings = _check_zip(path, shown)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as err:  # openpyxl raises many kinds for a broken package
        raise Unreadable(NOT_A_WORKBOOK(f"'{shown}' cannot be read as a workbook: {err}",
                                        shown, hint="open and save it again in Excel or "
                                        "LibreOffice")) from None
    visible = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            findings.append(HIDDEN_SHEET(f"sheet '{sheet.title}' is hidden and was not read",
                                         shown, hint="name it with --sheet to read it"))
        else:
            visible.append(sheet.title)
    return Book(path, workbook, visible, findings, max_rows)


def _sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name -> its part in the zip, from the workbook's own index (xl/workbook.xml
    and its relationships), as any .xlsx reader finds them."""
    import posixpath
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        try:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        except (KeyError, ElementTree.ParseError):  # openpyxl has read it: seldom here
            return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts = {}
    for sheet in book.iter(f"{main}sheet"):
        target = targets.get(sheet.get(rel_id))
        if target:
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
            if part in names:
                parts[sheet.get("name", "")] = part
    return parts


def _merged(book: Book, name: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a sheet, found in its XML without parsing the rows again
    (a read-only openpyxl sheet does not give them)."""
    member = _sheet_parts(book.path).get(name)
    if not member:
        return []
    out = []
    with zipfile.ZipFile(book.path) as archive, archive.open(member) as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            for match in MERGE.finditer(data):
                out.append(range_boundaries(match.group(1).decode()))
            tail = data[-200:]
    return sorted(set(out))


def _formulas(book: Book, name: str, rows: int) -> list[tuple[int, int]]:
    """Cells of the first `rows` rows that hold a formula (read without saved values)."""
    from openpyxl import load_workbook

    raw = load_workbook(book.path, read_only=True, data_only=False, keep_links=False)
    try:
        out = []
        for row in raw[name].iter_rows(max_row=rows, max_col=MAX_COLUMNS):
            for cell in row:
                if getattr(cell, "data_type", "") == "f":
                    out.append((cell.row, cell.column))
        return out
    finally:
        raw.close()


def _grid(book: Book, name: str) -> Grid:
    grid = Grid(name, str(book.path))
    sheet = book.workbook[name]
    sheet.reset_dimensions()  # the declared size may lie: read what is there, up to the bound
    count = 0
    for row in sheet.iter_rows(max_col=MAX_COLUMNS):
        count += 1
        if count > book.max_rows:
            book.findings.append(ROWS_CUT(
                f"sheet '{name}' has more than {book.max_rows} rows; only the first "
                f"{book.max_rows} were read, not {grid.where(book.max_rows + 1, 1)} and "
                "below", grid.file, book.max_rows + 1, 1,
                hint=f"delete the empty or unrelated rows below the logframe, or pass "
                f"--max-rows with a number above {book.max_rows}"))
            break
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            key = (cell.row, cell.column)
            grid.cells[key] = Cell(value, cell.number_format or "General", *key)
            grid.max_row = max(grid.max_row, cell.row)
            grid.max_col = max(grid.max_col, cell.column)
    for min_col, min_row, max_col, max_row in _merged(book, name):
        for r in range(min_row, min(max_row, book.max_rows) + 1):
            for c in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                if (r, c) != (min_row, min_col):
                    grid.origin[r, c] = (min_row, min_col)
    formulas = _formulas(book, name, min(count, book.max_rows))
    missing = [f for f in formulas if f not in grid.cells]
    if formulas:
        first = formulas[0]
        book.findings.append(FORMULA_CELL(
            f"{len(formulas)} cell(s) of sheet '{name}' hold formulas (first "
            f"{grid.where(*first)}); their saved values were read"
            + (f", and {len(missing)} had none (first {grid.where(*missing[0])})"
               if missing else ""),
            grid.file, first[0], first[1],
            hint="a logframe should hold values: paste values over the formulas"))
    return grid
