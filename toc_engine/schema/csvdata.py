"""Observations from CSV `data:` files, read without pydantic for speed.

`read_csv` checks the header, then codes the rows: a block of lines at a time where the
file holds no quote (`csvblocks`), else row by row (`csvrows`); both give the same codes
and findings.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Collection
from typing import IO, Any

from ..findings import files as file_rules
from ..findings.diagnostic import Span
from ..loading.csvcolumns import CsvColumns
from .csvblocks import Sizes, read_blocks
from .csvrows import KNOWN, REQUIRED, CsvFile, Rows, read_rows
from .model import SLUG_PATTERN
from .sites import SiteNames

__all__ = ["CsvFile", "Sizes", "read_csv"]


BLOCKS = Sizes()
MAX_COLUMNS = 1_000  # far more than indicator, period, value, site and the dimensions


def read_csv(text_stream: IO[str], file: str, *, blocks: Sizes | None = BLOCKS,
             open_again: Callable[[], IO[bytes]] | None = None,
             sites: SiteNames | None = None, ignore: Collection[str] = ()) -> CsvFile:
    """Parse one data file; structural problems stop it, cell problems skip the row.

    `blocks=None` codes every row with the row loop alone: the plain reading, which the
    block reader (`csvblocks`, for large quote-free files) must match code for code.
    `open_again` opens the file again as bytes, to find the character column of a field
    that a finding is about (without it, a finding points at the start of its row).
    `sites` turns the site names of `aliases:` into site ids as cells are coded; the
    columns named in `ignore` (lower case: `ignore_columns:`) are not read."""
    result = _read_csv(text_stream, file, blocks, open_again, sites, ignore)
    if not result.tables and not result.missing and not result.diagnostics:
        result.diagnostics.append(
            file_rules.EMPTY_DATA(
                f"'{file}' has a header but no rows: it adds no observation",
                Span(file, 1, 1),
                hint="export the data again with its rows, or take the file out of `data:`",
            )
        )
    return result


def _read_csv(text_stream: IO[str], file: str, blocks: Sizes | None,
              open_again: Callable[[], IO[bytes]] | None, sites: SiteNames | None,
              ignore: Collection[str]) -> CsvFile:
    import re

    slug = re.compile(SLUG_PATTERN)
    result = CsvFile(file)
    start = _position(text_stream)  # where the rows can be read again from, if need be
    # strict: an unclosed quote is an error, not a cell that swallows the rest of the file
    reader = csv.reader(text_stream, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        result.diagnostics.append(
            file_rules.CSV_STRUCTURE(
                "the CSV file is empty",
                Span(file, 1, 1),
                hint="add a header row: indicator,period,value",
            )
        )
        return result
    except csv.Error as err:
        result.diagnostics.append(
            file_rules.CSV_STRUCTURE(f"cannot read the header: {err}", Span(file, 1, 1))
        )
        return result
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    if open_again is not None:
        fields: dict[str, int] = {}
        for index, name in enumerate(names):
            fields.setdefault(name, index)
        result.characters = CsvColumns(open_again, fields)
    if len(names) == 1 and (";" in header[0] or "\t" in header[0]):
        sep = "semicolons" if ";" in header[0] else "tabs"
        result.diagnostics.append(
            file_rules.CSV_STRUCTURE(
                f"the columns are separated by {sep}, not commas",
                Span(file, 1, 1),
                hint="save the file as 'CSV (comma delimited)'; spreadsheet programs in many "
                "locales use ';' by default",
            )
        )
        return result
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        result.diagnostics.append(
            file_rules.CSV_STRUCTURE(
                f"the header lacks the column(s) {', '.join(missing)}",
                Span(file, 1, 1),
                hint="the first row must name at least: indicator,period,value",
            )
        )
        return result
    if len(names) > MAX_COLUMNS:
        result.diagnostics.append(
            file_rules.CSV_STRUCTURE(
                f"the header has {len(names):,} columns, more than the {MAX_COLUMNS:,} a data "
                "file may have; the file is not read",
                Span(file, 1, 1),
                hint="a data file holds indicator, period and value, optionally site, "
                "sample_size, source, note and missing, and a column per dimension: save only "
                "those",
            )
        )
        return result
    first: dict[str, int] = {}
    for index, name in enumerate(names, start=1):
        if name in first:
            result.diagnostics.append(
                file_rules.CSV_STRUCTURE(
                    f"column '{header[index - 1].strip()}' appears twice in the header "
                    f"(columns {first[name]} and {index}); the file is not read",
                    result.locate(1, index - 1),
                    hint="delete or rename one of the two columns: each column is read once",
                )
            )
            return result
        first[name] = index
    result.columns = {name: i + 1 for i, name in enumerate(names)}
    for name, index in result.columns.items():
        if name not in KNOWN and name not in ignore and not slug.match(name):
            result.diagnostics.append(
                file_rules.CSV_STRUCTURE(
                    f"column '{header[index - 1]}' is not a valid dimension name",
                    result.locate(1, index - 1),
                    hint="dimension columns are slugs such as sex or age_group; a column the "
                    f"export adds is left unread by naming it: `ignore_columns: [{name}]`",
                )
            )
            return result
    position = {name: i for i, name in enumerate(names)
                if name in REQUIRED or name not in ignore}
    if start is not None and blocks is not None:
        # Most files hold no quote: their rows are coded a block at a time. A file that
        # has one is read again from its header with csv.reader.
        rows = Rows(result, position, len(names), sites)
        if read_blocks(text_stream, rows, reader.line_num, blocks):
            rows.finish(result)
            return result
        reader = _reader_again(text_stream, start, header, result)
        if reader is None:
            return result
        if read_rows(reader, result, position, len(names), one_line_rows=True, sites=sites):
            return result
        # A quoted cell spans lines: read the rows again, asking the reader for each line.
        reader = _reader_again(text_stream, start, header, result)
        if reader is None:
            return result
    read_rows(reader, result, position, len(names), one_line_rows=False, sites=sites)
    return result


def _reader_again(stream: IO[str], start: int, header: list[str],
                  result: CsvFile) -> Any:
    """A csv reader from `start` again, past the header; None (and a finding) if the
    header is no longer the one read the first time."""
    stream.seek(start)
    reader = csv.reader(stream, strict=True)
    try:
        again = next(reader)  # the header, as read the first time
    except (StopIteration, csv.Error):
        again = None
    if again != header:
        result.diagnostics.append(
            file_rules.CSV_STRUCTURE(
                "the file changed while it was being read", Span(result.file, 1, 1),
                hint="run again once whatever writes the file has finished",
            )
        )
        return None
    return reader


def _position(stream: IO[str]) -> int | None:
    """Where `stream` stands, if it can be taken back there (`seek`); else None."""
    try:
        return stream.tell() if stream.seekable() else None
    except OSError:  # a stream that says it seeks but cannot tell
        return None


