"""The row loop of CSV `data:` files: each distinct cell text checked once, rows coded.

National programmes keep millions of observations in CSV. Each distinct cell text is
checked once by hand-written code (a period, one Decimal per value) and each row becomes
five integer codes in an array (see `observations`): no object per row. Every problem is
still a finding located at file, row and column. `csvdata.read_csv` is the entry point.
"""

from __future__ import annotations

import csv
import sys
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import Any

from ..findings import files as file_rules
from ..findings.diagnostic import Diagnostic, Span
from ..findings.references import INVALID_PERIOD
from ..loading.csvcolumns import CsvColumns
from .model import MAX_ABS_VALUE, Observation
from .observations import (
    CODE,
    CODE_SIZE,
    MAX_CODE,
    NOT_A_VALUE,
    Dictionary,
    Extras,
    ObservationTable,
)
from .periods import PeriodError, parse_period
from .sites import SiteNames

REQUIRED = ("indicator", "period", "value")
KNOWN = {"indicator", "period", "value", "site", "source", "sample_size", "note", "missing"}

MISSING_HINT = ("if it was not collected, leave `value` empty and say why in a `missing` column "
                "(e.g. not collected: road closed); never write 0")

csv.field_size_limit(10 * 1024 * 1024)
_MAX_EXPONENT = 10_000  # as in yamlload: keeps every later Decimal operation in range


Locate = Callable[[int, int], Span]
"""(row's first line, 0-based field) -> the span where the field's value starts."""


@dataclass(slots=True)
class CsvFile:
    file: str
    columns: dict[str, int] = field(default_factory=dict)  # column name -> 1-based index
    # indicator id -> its rows, column-wise, in order of the id's first row
    tables: dict[str, ObservationTable] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # character columns of the fields, read again from the file for a finding (None: the
    # file cannot be opened again, and a finding points at the start of its row)
    characters: CsvColumns | None = None
    # rows that say why their value is missing: (indicator id, line, observation)
    missing: list[tuple[str, int, Observation]] = field(default_factory=list)

    def span(self, row: int, column: str) -> Span:
        return self.locate(row, self.columns.get(column, 1) - 1)

    def locate(self, row: int, index: int) -> Span:
        """Where field `index` (0-based) of the row on line `row` starts, in characters."""
        if self.characters is None:
            return Span(self.file, row, 1)
        return Span(self.file, *self.characters.column(row, index))


def _number(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    # copy_abs() and adjusted() never signal: abs() would raise Overflow on 1e999999999
    if not number.is_finite() or number.copy_abs() > MAX_ABS_VALUE:
        return None
    if number and number.adjusted() < -_MAX_EXPONENT:  # dividing by it would overflow
        return None
    return number


def _not_usable(text: str) -> str:
    """Why a cell that parses as a number (NaN, 1e400) cannot be used; "" if it does not parse."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return ""
    if not number.is_finite():
        return "is not a finite number"
    if number.copy_abs() > MAX_ABS_VALUE:
        return "is out of range (at most 1e15)"
    return "is too close to zero to compute with"


_MAX_DIGITS = 18  # int() refuses texts over 4,300 digits; no count or year needs 19


def _is_digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() is also true of '²', which int() refuses."""
    return text.isascii() and text.isdigit()


def _whole_number(text: str) -> int | None:
    """The whole number `text` writes (leading zeros allowed), or None: not ASCII digits,
    or more than _MAX_DIGITS significant ones."""
    if not _is_digits(text):
        return None
    significant = text.lstrip("0") or "0"
    return int(significant) if len(significant) <= _MAX_DIGITS else None


# Interleaved codes freed (800,000 rows and more) past which the heap's free pages are given
# back to the operating system (`heaptrim`).
NARROW_FROM_ROWS = 64  # rows a table on average, from which code columns are narrowed
CACHE = 100_000  # distinct cell texts remembered per column (values repeat; notes may not)
_STRIDE = 5  # codes per row while reading: period, value, extras, sample_size, line


class _RowLines:
    """(line, cells) of each row, the line asked of the reader after every row: right
    even when a quoted cell spans lines (`end`: the last line read of the rows so far)."""

    def __init__(self, reader: Any, offset: int = 0) -> None:
        self.reader = reader
        self.offset = offset
        self.end = offset + reader.line_num

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        reader, offset = self.reader, self.offset
        for cells in reader:
            yield self.end + 1, cells
            self.end = offset + reader.line_num


class _Coder:
    """Turns the cells of rows into codes of the file's `Dictionary`.

    The hot loop (`_read_rows`) looks each raw cell up in a dictionary of codes; only
    a cell text not seen before comes here, where it is stripped, parsed and checked
    once. A cell that fails its check is not cached: each such row gets its finding,
    located at its own line, exactly as before.
    """

    def __init__(self, file: str, position: dict[str, int], bad: list[Diagnostic],
                 locate: Locate, sites: SiteNames | None = None) -> None:
        self.file = file
        self.bad = bad
        self.locate = locate
        # site names as exports write them -> ids; only when a site has `aliases`
        self.sites = sites if sites is not None and sites.has_aliases else None
        self._site_of: dict[str, str] = {}  # site cell text -> site id
        self.table = Dictionary()
        self.i_per, self.i_val = position["period"], position["value"]
        self.i_site = position.get("site")
        self.i_src = position.get("source")
        self.i_n = position.get("sample_size")
        self.i_note = position.get("note")
        self.i_miss = position.get("missing")
        self.dims = [(name, i) for name, i in position.items() if name not in KNOWN]
        # raw cell -> code; the loop reads these directly
        self.periods: dict[str, int] = {}
        self.values: dict[str, int] = {}
        self.sizes: dict[str, int] = {}
        self.extras: dict[Any, int] = {}
        # stripped text -> code (or why it is not a period)
        self._period_of: dict[str, int | str] = {}
        self._value_of: dict[str, int] = {}
        self._period_hint: dict[str, str] = {}  # why a text is not a period -> its hint

    def period(self, raw: str, row: int) -> int | None:
        text = raw.strip()
        code = self._period_of.get(text)
        if code is None:
            try:
                whole = _whole_number(text)
                period = parse_period(whole if whole is not None else text)
            except PeriodError as err:
                code = str(err)
                if err.hint:
                    self._period_hint[code] = err.hint
            else:
                code = len(self.table.periods)
                self.table.periods.append(period)
            self._period_of[text] = code
        if isinstance(code, str):
            self.bad.append(INVALID_PERIOD(f"`period` {code}", self.locate(row, self.i_per),
                                           hint=self._period_hint.get(code, "")))
            return None
        self.periods[raw] = code
        return code

    def value(self, raw: str, row: int) -> int | None:
        text = raw.strip()
        code = self._value_of.get(text)
        if code is None:
            value: Decimal | str | None = _number(text)
            if value is None:
                unusable = _not_usable(text)
                if text and text[0] not in "=+-@" and text.isprintable() and not unusable:
                    value = text  # maybe an ordinal scale entry; checked later
                else:
                    self.bad.append(self._bad_value(text, unusable, row))
                    return None
            code = len(self.table.values)
            self.table.values.append(value)  # Decimal is immutable: sharing is safe
            if len(self._value_of) < CACHE:
                self._value_of[text] = code
        if len(self.values) < CACHE:
            self.values[raw] = code
        return code

    def _bad_value(self, text: str, unusable: str, row: int) -> Diagnostic:
        where = self.locate(row, self.i_val)
        if not text:
            if self.i_miss is None:
                return file_rules.CSV_VALUE("value is empty", where,
                                            hint="write the number; " + MISSING_HINT)
            return file_rules.CSV_VALUE(
                "value is empty and the `missing` column gives no reason", where,
                hint="write the number, or say in the `missing` column why there is none "
                "(e.g. not collected: road closed); never write 0")
        shown = repr(text[:40]) + ("…" if len(text) > 40 else "")
        return file_rules.CSV_VALUE(
            f"value {shown} {unusable or 'is not a number'}", where,
            hint=MISSING_HINT if text.lower() in NOT_A_VALUE
            else "write a plain number such as 12 or 57.5; no units, no formulas",
        )

    def _site(self, site: str | None) -> str | None:
        """A site cell as a site id where it is one of a site's `aliases`."""
        if site is None or self.sites is None:
            return site
        known = self._site_of.get(site)
        if known is None:  # each distinct site text is matched once
            known = self._site_of[site] = self.sites.resolve(site)
        return known

    def missing_row(self, cells: list[str], period: int) -> Observation:
        """The observation of a row whose value is empty and whose `missing` cell says why."""
        assert self.i_miss is not None
        i_site, i_src, i_note = self.i_site, self.i_src, self.i_note
        return Observation.model_construct(
            period=self.table.periods[period],
            value=None,
            missing=cells[self.i_miss].strip(),
            site=self._site((cells[i_site].strip() or None) if i_site is not None else None),
            dimensions={name: cells[i].strip() for name, i in self.dims if cells[i].strip()},
            source=(cells[i_src].strip() or None) if i_src is not None else None,
            sample_size=None,
            note=(cells[i_note].strip() or None) if i_note is not None else None,
        )

    def size(self, raw: str, row: int) -> int | None:
        text = raw.strip()
        if not text:
            code = 0  # no sample size
        elif (number := _whole_number(text)) is None or number < 1:
            assert self.i_n is not None
            too_long = _is_digits(text) and number is None
            self.bad.append(
                file_rules.CSV_VALUE(
                    f"sample_size {text[:40]!r}{'…' if len(text) > 40 else ''} is not a "
                    "positive whole number"
                    + (f" of at most {_MAX_DIGITS} digits" if too_long else ""),
                    self.locate(row, self.i_n),
                    hint="give the number of respondents, e.g. 150",
                )
            )
            return None
        else:
            code = len(self.table.sizes)
            self.table.sizes.append(number)
        if len(self.sizes) < CACHE:
            self.sizes[raw] = code
        return code

    def extra_positions(self) -> list[int]:
        """The cells that make up a row's `Extras`; together they are its cache key."""
        # `missing` is part of the key: a row with a value and a reason is refused per row
        named = [self.i_site, self.i_src, self.i_note, self.i_miss]
        return [i for i in named if i is not None] + [i for _name, i in self.dims]

    def extra(self, key: Any, cells: list[str], row: int) -> int | None:
        i_site, i_src, i_note = self.i_site, self.i_src, self.i_note
        if self.i_miss is not None and (reason := cells[self.i_miss].strip()):
            shown = repr(reason[:40]) + ("…" if len(reason) > 40 else "")
            self.bad.append(file_rules.CSV_VALUE(
                f"the row has a value and also says it is missing ({shown})",
                self.locate(row, self.i_miss),
                hint="keep one: empty the `missing` cell if the value was collected, or "
                "empty the `value` cell if it was not"))
            return None
        extras = Extras(
            self._site((cells[i_site].strip() or None) if i_site is not None else None),
            {name: cells[i].strip() for name, i in self.dims if cells[i].strip()}
            if self.dims
            else {},
            (cells[i_src].strip() or None) if i_src is not None else None,
            (cells[i_note].strip() or None) if i_note is not None else None,
        )
        code = len(self.table.extras)
        self.table.extras.append(extras)
        if len(self.extras) < CACHE:
            self.extras[key] = code
        return code


class Rows:
    """One file's rows as they are coded: what every way of reading them shares.

    The coder (each distinct cell text checked once), the findings in row order, and per
    indicator the interleaved codes of its rows, in order of the indicator's first good
    row. `read` codes rows from a csv reader; `csvblocks` codes many rows at once and
    appends them to the same arrays.
    """

    def __init__(self, result: CsvFile, position: dict[str, int], width: int,
                 sites: SiteNames | None = None) -> None:
        self.file = file = result.file
        self.width = width
        self.bad: list[Diagnostic] = []
        self.coder = _Coder(file, position, self.bad, result.locate, sites)
        self.i_ind = position["indicator"]
        self.positions = self.coder.extra_positions()
        self.extra_key = itemgetter(*self.positions) if self.positions else None
        self.codes: dict[str, array[int]] = {}  # indicator id -> interleaved codes of its rows
        self.sinks: dict[str, Any] = {}  # raw indicator cell -> `extend` of its codes
        self.missing: list[tuple[str, int, Observation]] = []  # see `CsvFile.missing`
        self.stopped = False  # a line number past MAX_CODE: nothing more is read

    def array_of(self, ident: str) -> array[int]:
        """The interleaved codes of an indicator, made when its first row is added."""
        found = self.codes.get(ident)
        if found is None:
            found = self.codes[ident] = array(CODE)
        return found

    def sink(self, raw: str) -> Any:
        extend = self.array_of(raw.strip()).extend
        if len(self.sinks) < CACHE:
            self.sinks[raw] = extend
        return extend

    def read(self, reader: Any, offset: int, one_line_rows: bool) -> bool:
        """Code the rows `reader` gives; a row is on line `offset + reader.line_num`.

        This loop runs once per row of files with millions of rows, so it does no more
        than index the cells, look them up in the code dictionaries and extend one
        array; everything else happens once per distinct cell text, in `_Coder`.

        With `one_line_rows`, a row's line is counted rather than asked of the reader (a
        tenth of the loop): that holds while no quoted cell spans lines. If one does, or
        the reader fails, False is returned at once: the caller reads the rows again
        without it (what was coded so far must then be dropped). The count is checked at
        the end and whenever a cell text is met for the first time (a cell over several
        lines is seldom met before), so such a file is mostly read once.
        """
        file, width, coder, bad = self.file, self.width, self.coder, self.bad
        i_ind, i_per, i_val, i_n = self.i_ind, coder.i_per, coder.i_val, coder.i_n
        i_miss = coder.i_miss
        extra_key = self.extra_key
        period_get, value_get = coder.periods.get, coder.values.get
        size_get, extra_get = coder.sizes.get, coder.extras.get
        sinks = self.sinks
        # A quoted cell may span lines: rows are located by their first.
        row = header_end = offset + reader.line_num
        located = _RowLines(reader, offset)
        try:
            for row, cells in enumerate(reader, header_end + 1) if one_line_rows else located:
                if len(cells) != width:
                    if one_line_rows and offset + reader.line_num != row:
                        return False
                    _wrong_width(cells, width, Span(file, row, 1), bad)
                    continue
                p = period_get(cells[i_per])
                v = value_get(cells[i_val])
                n: int | None = 0 if i_n is None else size_get(cells[i_n])
                x: int | None = 0
                if extra_key is not None:
                    key = extra_key(cells)
                    x = extra_get(key)
                add = sinks.get(cells[i_ind])
                if p is None or v is None or n is None or x is None or add is None:
                    # A cell text met for the first time (checked, coded, kept), or a bad one.
                    if one_line_rows and offset + reader.line_num != row:
                        return False
                    if p is None and (p := coder.period(cells[i_per], row)) is None:
                        continue
                    if v is None:
                        if (i_miss is not None and not cells[i_val].strip()
                                and cells[i_miss].strip()):
                            self.missing.append((cells[i_ind].strip(), row,
                                                 coder.missing_row(cells, p)))
                            continue
                        if (v := coder.value(cells[i_val], row)) is None:
                            continue
                    if n is None and (n := coder.size(cells[i_n], row)) is None:  # type: ignore[index]
                        continue
                    if x is None and (x := coder.extra(key, cells, row)) is None:
                        continue
                    if add is None:
                        add = self.sink(cells[i_ind])
                add((p, v, x, n, row))
        except csv.Error as err:
            if one_line_rows:
                return False
            bad.append(_unreadable(err, Span(file, located.end + 1, 1)))
        except OverflowError:  # a line number past 4,294,967,295: the rows before it are kept
            self.stop()
        return not (one_line_rows and offset + reader.line_num != row)  # a row took two lines

    def stop(self) -> None:
        """A line number past what a code holds: the rows read so far are kept."""
        self.stopped = True
        self.bad.append(
            file_rules.CSV_STRUCTURE(
                f"the file has more than {MAX_CODE:,} lines; the rest is not read",
                Span(self.file, 1, 1),
                hint="split the file into several listed under `data:`",
            )
        )

    def finish(self, result: CsvFile) -> None:
        """Hand the findings and each indicator's table to `result`."""
        result.diagnostics.extend(self.bad)
        result.missing.extend(self.missing)
        # Each indicator's interleaved codes are freed as soon as they are split into
        # columns, so the two are never all held at once (5,000,000 rows: 100 and 34 MB).
        # The `extend` methods kept for the loop hold them too.
        self.sinks.clear()
        codes, has_extras = self.codes, self.extra_key is not None
        freed = sum(map(len, codes.values())) * CODE_SIZE
        # Narrowing costs a few microseconds a table: worth it when tables are long. It is
        # decided for the whole file, so that its tables' columns stay alike (`table_rows`
        # joins them in one call).
        narrow = freed >= NARROW_FROM_ROWS * _STRIDE * CODE_SIZE * len(codes)
        for ident in list(codes):
            result.tables[ident] = _table(self.file, self.coder, codes.pop(ident), has_extras,
                                          narrow)


def read_rows(reader: Any, result: CsvFile, position: dict[str, int], width: int,
               one_line_rows: bool, sites: SiteNames | None = None) -> bool:
    """The rows after the header, all through `reader` (see `Rows.read`). Returns True
    when `result` holds the rows and their findings; False when they must be read again
    with one_line_rows=False (nothing is kept then)."""
    rows = Rows(result, position, width, sites)
    if not rows.read(reader, 0, one_line_rows):
        return False
    rows.finish(result)
    return True


def _table(file: str, coder: _Coder, interleaved: array[int], has_extras: bool,
           narrow: bool = False) -> ObservationTable:
    """Split one indicator's interleaved codes into its columns (C-speed slices).

    With `narrow`, a code column is kept as narrow as the file's dictionary allows: one
    byte a row when it has at most 256 entries (5,000,000 rows: 5 MB, not 20), two up to
    65,536.
    """
    del interleaved[len(interleaved) - len(interleaved) % _STRIDE :]  # a row cut by overflow
    d = coder.table
    if not narrow:
        return ObservationTable(
            file,
            d,
            periods=interleaved[0::_STRIDE],
            values=interleaved[1::_STRIDE],
            extras=interleaved[2::_STRIDE] if has_extras else None,
            sizes=interleaved[3::_STRIDE] if coder.i_n is not None else None,
            lines=interleaved[4::_STRIDE],
        )
    words = memoryview(interleaved).cast("B")
    return ObservationTable(
        file,
        d,
        periods=_narrow(interleaved, words, 0, len(d.periods)),
        values=_narrow(interleaved, words, 1, len(d.values)),
        extras=_narrow(interleaved, words, 2, len(d.extras)) if has_extras else None,
        sizes=_narrow(interleaved, words, 3, len(d.sizes)) if coder.i_n is not None else None,
        lines=interleaved[4::_STRIDE],
    )


_LITTLE = sys.byteorder == "little"


def _narrow(interleaved: array[int], words: memoryview, column: int, entries: int) -> array[int]:
    """Column `column` of the interleaved codes, in the narrowest typecode that holds codes
    below `entries`: the low byte (or two) of each 4-byte code, sliced from its bytes."""
    for typecode in ("B", "H"):
        size = array(typecode).itemsize
        if entries <= 1 << (8 * size):
            per_code = CODE_SIZE // size
            low = 0 if _LITTLE else per_code - 1  # where the low part of a code lies
            view = words if size == 1 else words.cast(typecode)
            return array(typecode, view[column * per_code + low :: _STRIDE * per_code].tobytes())
    return interleaved[column::_STRIDE]


def _wrong_width(cells: list[str], width: int, where: Span, bad: list[Diagnostic]) -> None:
    if not any(c.strip() for c in cells):
        return  # a blank line
    bad.append(
        file_rules.CSV_STRUCTURE(
            f"row has {len(cells)} cells but the header has {width}",
            where,
            hint="check for an unquoted comma inside a cell, or a missing cell",
        )
    )


def _unreadable(err: csv.Error, where: Span) -> Diagnostic:
    start = where.line  # the line the unreadable row starts on
    unclosed = "unexpected end of data" in str(err)
    return file_rules.CSV_STRUCTURE(
        f"a quoted cell in the row starting on line {start} is never closed"
        if unclosed
        else f"cannot read the row starting on line {start}: {err}",
        where,
        hint='close the quote; a quote inside a quoted cell is written twice ("")'
        if unclosed
        else "check the quotes in this row: a quoted cell must end at a comma",
    )
