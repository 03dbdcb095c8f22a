"""`toc import logframe`: recognise the layout, read the logframe, write the skeleton.

Exit 0 when imported cleanly, 1 when imported with findings to look at, 2 when nothing
was written (unreadable workbook, unknown layout, a programme already there)."""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from ...findings.diagnostic import Diagnostic, Severity
from . import eu, fcdo
from .findings import BAD_MAP, LAYOUT_UNKNOWN, NOT_IN_WORKBOOK
from .layouts import EU, EU_HEADERS, FCDO, LAYOUT_NAMES, fold
from .model import Logframe
from .reading import Book, Grid, Unreadable, open_book
from .skeleton import Builder, slug

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
AS_OF = re.compile(r"\bas of (\d{4}-\d{2}-\d{2})\b", re.I)
MAP_ROLES = (*EU_HEADERS, "milestone N", "milestone N year")


class Refused(Exception):
    """Nothing can be imported; `finding` says why."""

    def __init__(self, finding: Diagnostic) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _title(grid: Grid, before: int) -> tuple[str, str | None]:
    for row in range(1, before):
        for col in range(1, grid.max_col + 1):
            cell = grid.cells.get((row, col))
            if cell is not None and isinstance(cell.value, str) and cell.value.strip():
                text = " ".join(cell.value.split())
                found = AS_OF.search(text)
                title = re.sub(r"\s*[:–-]\s*logframe\b.*$", "", text, flags=re.I)
                title = re.sub(r"^(?:project|programme|logical framework matrix|logframe)"
                               r"(?: name| title)?\s*:\s*", "", title, flags=re.I)
                title = re.sub(r",?\s*progress as of \d{4}-\d{2}-\d{2}$", "", title, flags=re.I)
                return title, found.group(1) if found else None
    return "", None


def _assessed_from_about(book: Book) -> str | None:
    """`Assessed at` on an About sheet, as `toc export xlsx` writes it."""
    if "About" not in book.workbook.sheetnames:
        return None
    for row in book.workbook["About"].iter_rows(max_row=50, max_col=2, values_only=True):
        if row and fold(row[0]) == "assessed at":
            value = row[1]
            if isinstance(value, datetime):
                return value.date().isoformat()
            if isinstance(value, date):
                return value.isoformat()
    return None


def _mapped(book: Book, map_path: Path, shown: str, sheet: str | None) -> Logframe:
    from openpyxl.utils import column_index_from_string
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    def refuse(message: str) -> Refused:
        return Refused(BAD_MAP(f"{map_path}: {message}", str(map_path),
                               hint="see `toc import logframe --help` and docs/reports.md "
                               "for an example map"))

    try:
        text = map_path.read_text(encoding="utf-8")
        spec = YAML(typ="safe").load(text) if len(text) < 100_000 else None
    except (OSError, UnicodeDecodeError, YAMLError) as err:
        raise refuse(f"cannot be read: {err}") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), dict):
        raise refuse("needs `columns:`, a mapping of roles to columns (e.g. indicator: C)")
    name = sheet or spec.get("sheet") or (book.visible or book.workbook.sheetnames)[0]
    if name not in book.workbook.sheetnames:
        raise refuse(f"names sheet {name!r}; the sheets are "
                     f"{', '.join(book.workbook.sheetnames)}")
    grid = book.grid(name)
    header_row = spec.get("header_row", 1)
    if not isinstance(header_row, int) or header_row < 1:
        raise refuse("`header_row` must be a row number (1 or more)")
    roles: dict[str, int] = {}
    headers = {fold(c.value): c.col for (r, _), c in grid.cells.items() if r == header_row}
    for role, where in spec["columns"].items():
        key = fold(role)
        if not key.startswith("milestone"):
            key = key.replace(" ", "_")  # `baseline year` and `baseline_year` alike
        if key not in EU_HEADERS and not re.fullmatch(r"milestone \d+( year)?", key):
            raise refuse(f"unknown column role {role!r}; roles: {', '.join(MAP_ROLES)}")
        key = re.sub(r"^(milestone \d+)$", r"\1 value", key)
        text = str(where).strip()
        if re.fullmatch(r"[A-Za-z]{1,3}", text):
            roles[key] = column_index_from_string(text.upper())
        elif fold(text) in headers:
            roles[key] = headers[fold(text)]
        else:
            raise refuse(f"column {where!r} of {role!r} is neither a column letter nor a "
                         f"header of row {header_row}")
    if "indicator" not in roles or not ({"statement", "chain"} & set(roles)):
        raise refuse("`columns:` must name at least `indicator` and `statement` (or `chain`)")
    levels = {fold(k).split(" ")[0]: str(v) for k, v in (spec.get("levels") or {}).items()}
    logframe = Logframe("map", name, header_row)
    logframe.title, logframe.assessed_at = _title(grid, header_row)
    reader = eu.Reader(grid, header_row, roles, levels)
    reader.read(logframe)
    book.findings += reader.findings
    return logframe


def recognise(book: Book, shown: str, sheet: str | None) -> Logframe:
    names = [sheet] if sheet else book.visible
    for name in names:
        if name not in book.workbook.sheetnames:
            raise Refused(LAYOUT_UNKNOWN(f"'{shown}' has no sheet {name!r}; its sheets: "
                                         f"{', '.join(book.workbook.sheetnames)}", shown))
        grid = book.grid(name)
        blocks = fcdo.find_blocks(grid)
        if blocks:
            logframe = Logframe(FCDO, name, blocks[0])
            logframe.title, logframe.assessed_at = _title(grid, blocks[0])
            fcdo_reader = fcdo.Reader(grid)
            fcdo_reader.read(logframe)
            book.findings += fcdo_reader.findings
            return logframe
        header = eu.find_header(grid)
        if header is not None:
            row, roles = header
            logframe = Logframe(EU, name, row)
            logframe.title, logframe.assessed_at = _title(grid, row)
            eu_reader = eu.Reader(grid, row, roles)
            eu_reader.read(logframe)
            book.findings += eu_reader.findings
            return logframe
    raise Refused(LAYOUT_UNKNOWN(
        f"no sheet of '{shown}' has the headers of the EU Logical Framework Matrix (a "
        "results-chain or intervention-logic column, Indicators, Baseline, Target) or of "
        "the FCDO logframe (IMPACT / OUTCOME / OUTPUT blocks with Baseline and Target)",
        shown, hint="describe the layout in a map file and pass --map map.yaml"))


def outputs(folder: Path) -> tuple[Path, Path]:
    """Where the import writes: programme.yaml and data/observations.csv."""
    return folder / "programme.yaml", folder / "data" / "observations.csv"


@dataclass
class Imported:
    """What an import did: its exit code, its findings, and (when it wrote) what it says."""

    code: int
    findings: list[Diagnostic]
    summary: str = ""


def import_logframe(book_path: Path, folder: Path, *, map_path: Path | None = None,
                    sheet: str | None = None, programme_id: str | None = None,
                    max_rows: int = 5000) -> Imported:
    """Read the workbook and write FOLDER/programme.yaml (and the observations); the
    caller has checked that the book is a file and that nothing would be overwritten
    unless meant."""
    from ..atomic import write_atomic

    target, csv_path = outputs(folder)
    shown = str(book_path)
    findings: list[Diagnostic] = []
    try:
        book = open_book(book_path, shown, max_rows)
        try:
            if map_path is not None:
                logframe = _mapped(book, map_path, shown, sheet)
            else:
                logframe = recognise(book, shown, sheet)
            logframe.assessed_at = logframe.assessed_at or _assessed_from_about(book)
        finally:
            findings += book.findings
            book.workbook.close()
    except (Unreadable, Refused) as err:
        findings.append(err.finding)
        return Imported(EXIT_USAGE, findings)
    if not logframe.results:
        findings.append(LAYOUT_UNKNOWN(
            f"sheet {logframe.sheet!r} of '{shown}' has the headers of a logframe (row "
            f"{logframe.header_row}) but no results under them", shown, logframe.header_row,
            1, hint="write the results below the header row: a results-chain label (e.g. "
            "Output 1), its statement and its indicators"))
        return Imported(EXIT_USAGE, findings)
    programme_id = programme_id or slug(book_path.stem) or "programme"
    units = _unknown_units(logframe)
    skeleton = Builder(logframe, shown, programme_id, units).build()
    if units:
        findings.append(NOT_IN_WORKBOOK(
            f"unit(s) {', '.join(units)} are not known to the engine; programme.yaml declares "
            "each as a count of its own under `units:`", shown,
            hint="check the declarations (e.g. `taka = [currency] = Tk` for money)"))
    findings += skeleton.findings
    write_atomic(target, skeleton.yaml)
    if skeleton.csv is not None:
        write_atomic(csv_path, skeleton.csv)
    indicators = sum(len(r.indicators) for r in logframe.results)
    name = LAYOUT_NAMES.get(logframe.layout, "the layout of the map file")
    summary = (f"recognised: {name} on sheet {logframe.sheet!r} (row {logframe.header_row})"
               f"\nwrote {target} ({len(logframe.results)} results, {indicators} "
               "indicators)" + (f" and {csv_path}" if skeleton.csv is not None else "") + "\n")
    serious = [d for d in findings if d.severity in (Severity.ERROR, Severity.WARNING)]
    return Imported(EXIT_FINDINGS if serious else EXIT_OK, findings, summary)


def run_import(args: argparse.Namespace, stdout: TextIO) -> int:
    """`toc import logframe`: the findings on standard error, what was written on standard
    output."""
    from ..validate.text import line

    imported = import_logframe(Path(args.book), Path(args.output),
                               map_path=Path(args.map) if args.map else None,
                               sheet=args.sheet, programme_id=args.id, max_rows=args.max_rows)
    _report(imported.findings, line)
    stdout.write(imported.summary)
    return imported.code


def _unknown_units(logframe: Logframe) -> tuple[str, ...]:
    """Units the engine does not know that can be declared as counts of their own (the
    units registry is the engine's; asking it is better than a second list)."""
    from ...schema.units import UnitTable

    table = UnitTable()
    found: list[str] = []
    for result in logframe.results:
        for ind in result.indicators:
            unit = ind.unit.strip()
            if (not unit or ind.scale or ind.percent or unit in found
                    or not re.fullmatch(r"[a-z][a-z_]*", unit)):
                continue
            if table.problem(unit) is not None:
                found.append(unit)
    return tuple(found)


def _report(findings: list[Diagnostic], line: Any) -> None:
    import sys

    for finding in findings:
        sys.stderr.write(line(finding) + "\n")
