"""The workbook examples of the import's rules (TOC7xx), built with openpyxl and imported.

A `WorkbookExample` describes a workbook cell by cell (`toc explain` shows it so); this
builds it in a folder and runs it through `toc import logframe`, as a user would."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import range_boundaries

from toc_engine.findings.catalogue import WorkbookExample
from toc_engine.findings.diagnostic import Diagnostic


def build(example: WorkbookExample, folder: Path) -> Path:
    """Write the example's workbook (and its other files) into `folder`."""
    book_path = folder / example.name
    for name, text in example.files.items():
        (folder / name).write_text(text, encoding="utf-8")
    if example.raw is not None:
        book_path.write_text(example.raw, encoding="utf-8")
        return book_path
    book = Workbook()
    book.remove(book.active)
    for name, cells in example.sheets.items():
        sheet = book.create_sheet(name)
        for ref, value in cells.items():
            sheet[ref] = value
        if name in example.hidden:
            sheet.sheet_state = "hidden"
    for where in example.merged:
        name, ref = where.split("!")
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        book[name].merge_cells(start_row=min_row, start_column=min_col, end_row=max_row,
                               end_column=max_col)
    for where, number_format in example.formats.items():
        name, ref = where.split("!")
        book[name][ref].number_format = number_format
    book.save(book_path)
    if example.members:
        with zipfile.ZipFile(book_path, "a", zipfile.ZIP_DEFLATED) as archive:
            for member, (text, times) in example.members.items():
                archive.writestr(member, text * times)
    return book_path


def imported(example: WorkbookExample, folder: Path) -> tuple[list[Diagnostic], Path]:
    """The findings of importing the example (paths relative to `folder`, which must be
    the working directory), and the folder the programme was written to."""
    from toc_engine.formats.xlsx.importer import import_logframe

    book = build(example, folder).relative_to(folder)
    args = dict(zip(example.args[::2], example.args[1::2], strict=True))
    out = Path("imported")
    result = import_logframe(
        book, out, map_path=Path(args["--map"]) if "--map" in args else None,
        sheet=args.get("--sheet"), max_rows=int(args.get("--max-rows", 5000)))
    return result.findings, folder / out
