"""Observations from CSV `data:` files, read without pydantic for speed.

National programmes keep millions of observations in CSV. Each row is checked
by hand-written code (a period cache, one Decimal per value) and becomes an
`Observation` through `model_construct`, which skips pydantic's per-field
validation; every problem is still a finding located at file, row and column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .diagnostics import Diagnostic, Span
from .model import MAX_ABS_VALUE, SLUG_PATTERN, Observation
from .periods import Period, PeriodError, parse_period
from .rules import files as file_rules

REQUIRED = ("indicator", "period", "value")
KNOWN = {"indicator", "period", "value", "site", "source", "sample_size", "note"}

csv.field_size_limit(10 * 1024 * 1024)
_MAX_EXPONENT = 10_000  # as in yamlload: keeps every later Decimal operation in range


@dataclass(slots=True)
class CsvRow:
    indicator: str
    observation: Observation
    row: int  # 1-based line number of the row in the file (the header is line 1)


@dataclass(slots=True)
class CsvFile:
    file: str
    columns: dict[str, int] = field(default_factory=dict)  # column name -> 1-based index
    rows: list[CsvRow] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def span(self, row: int, column: str) -> Span:
        return Span(self.file, row, self.columns.get(column, 1))


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


def _is_whole(text: str) -> bool:
    """ASCII digits only: str.isdigit() is also true of '²', which int() refuses."""
    return text.isascii() and text.isdigit()


_UNSEEN = object()
_NUMBER_CACHE = 100_000
_PASSED = ("period", "value", "site", "dimensions", "source", "sample_size", "note")


def _observation_constructor() -> Any:
    """`Observation.model_construct`, minus its per-call loop over the fields (3x faster).

    It builds exactly what model_construct(period=..., ..., note=...) builds: the same
    `__dict__` (fields in declaration order, `unit` defaulted to None), the same
    fields-set, no extra and no private attributes. If the model ever changes shape
    (a new field with a non-None default, a post-init hook), it falls back to
    model_construct itself.
    """
    cls = Observation
    fields = cls.model_fields
    defaults_ok = all(
        fields[name].default is None and fields[name].default_factory is None
        for name in fields
        if name not in _PASSED
    )
    if (
        not set(_PASSED) <= set(fields)
        or not defaults_ok
        or any(f.alias not in (None, name) for name, f in fields.items())
        or cls.__pydantic_post_init__
        or cls.__pydantic_root_model__
        or cls.model_config.get("extra") == "allow"
    ):
        return cls.model_construct
    blank = dict.fromkeys(fields)  # every field None, in declaration order
    copy = blank.copy
    new = object.__new__
    set_attr = object.__setattr__

    def construct(**values: Any) -> Observation:
        obj = new(cls)
        data = copy()
        data.update(values)  # keeps the declaration order of the keys
        set_attr(obj, "__dict__", data)
        set_attr(obj, "__pydantic_fields_set__", set(values))
        set_attr(obj, "__pydantic_extra__", None)
        set_attr(obj, "__pydantic_private__", None)
        return obj

    return construct


def _lines(handle: io.TextIOBase) -> Iterator[str]:
    yield from handle


def read_csv(text_stream: io.TextIOBase, file: str) -> CsvFile:
    """Parse one data file; structural problems stop it, cell problems skip the row."""
    import re

    slug = re.compile(SLUG_PATTERN)
    result = CsvFile(file)
    # strict: an unclosed quote is an error, not a cell that swallows the rest of the file
    reader = csv.reader(_lines(text_stream), strict=True)
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
    result.columns = {name: i + 1 for i, name in enumerate(names)}
    for name, index in result.columns.items():
        if name not in KNOWN and not slug.match(name):
            result.diagnostics.append(
                file_rules.CSV_STRUCTURE(
                    f"column '{header[index - 1]}' is not a valid dimension name",
                    Span(file, 1, index),
                    hint="dimension columns are slugs such as sex or age_group",
                )
            )
            return result
    position = {name: i for i, name in enumerate(names)}
    i_ind, i_per, i_val = position["indicator"], position["period"], position["value"]
    i_site = position.get("site")
    i_src = position.get("source")
    i_n = position.get("sample_size")
    i_note = position.get("note")
    dims = [(name, i) for name, i in position.items() if name not in KNOWN]
    width = len(names)
    periods: dict[str, Period | str] = {}
    construct = _observation_constructor()
    numbers: dict[str, Any] = {}  # values repeat: parse each distinct text once
    bad = result.diagnostics
    row_end = reader.line_num  # a quoted cell may span lines: rows are located by their first
    try:
        for cells in reader:
            row = row_end + 1
            row_end = reader.line_num
            if len(cells) != width:
                if not any(c.strip() for c in cells):
                    continue
                bad.append(
                    file_rules.CSV_STRUCTURE(
                        f"row has {len(cells)} cells but the header has {width}",
                        Span(file, row, 1),
                        hint="check for an unquoted comma inside a cell, or a missing cell",
                    )
                )
                continue
            period_text = cells[i_per].strip()
            period = periods.get(period_text)
            if period is None:
                try:
                    period = parse_period(
                        int(period_text) if _is_whole(period_text) else period_text
                    )
                except PeriodError as err:
                    period = str(err)
                periods[period_text] = period
            if isinstance(period, str):
                from .rules.indicators import INVALID_PERIOD

                bad.append(INVALID_PERIOD(period, Span(file, row, i_per + 1)))
                continue
            raw_value = cells[i_val].strip()
            value: Any = numbers.get(raw_value, _UNSEEN)
            if value is _UNSEEN:
                value = _number(raw_value)
                if len(numbers) < _NUMBER_CACHE:
                    numbers[raw_value] = value  # Decimal is immutable: sharing is safe
            if value is None:
                unusable = _not_usable(raw_value)
                if (
                    raw_value
                    and raw_value[0] not in "=+-@"
                    and raw_value.isprintable()
                    and not unusable
                ):
                    value = raw_value  # maybe an ordinal scale entry; checked later
                else:
                    shown = repr(raw_value[:40]) + ("…" if len(raw_value) > 40 else "")
                    bad.append(
                        file_rules.CSV_VALUE(
                            f"value {shown} {unusable or 'is not a number'}",
                            Span(file, row, i_val + 1),
                            hint="write a plain number such as 12 or 57.5; no units, no formulas",
                        )
                    )
                    continue
            sample_size = None
            if i_n is not None and cells[i_n].strip():
                n_text = cells[i_n].strip()
                if not _is_whole(n_text) or int(n_text) < 1:
                    bad.append(
                        file_rules.CSV_VALUE(
                            f"sample_size {n_text[:40]!r} is not a positive whole number",
                            Span(file, row, i_n + 1),
                            hint="give the number of respondents, e.g. 150",
                        )
                    )
                    continue
                sample_size = int(n_text)
            dimensions = (
                {name: cells[i].strip() for name, i in dims if cells[i].strip()} if dims else {}
            )
            site = cells[i_site].strip() or None if i_site is not None else None
            result.rows.append(
                CsvRow(
                    cells[i_ind].strip(),
                    construct(
                        period=period,
                        value=value,
                        site=site,
                        dimensions=dimensions,
                        source=(cells[i_src].strip() or None) if i_src is not None else None,
                        sample_size=sample_size,
                        note=(cells[i_note].strip() or None) if i_note is not None else None,
                    ),
                    row,
                )
            )
    except csv.Error as err:
        start = row_end + 1  # the line the unreadable row starts on
        unclosed = "unexpected end of data" in str(err)
        bad.append(
            file_rules.CSV_STRUCTURE(
                f"a quoted cell in the row starting on line {start} is never closed"
                if unclosed
                else f"cannot read the row starting on line {start}: {err}",
                Span(file, start, 1),
                hint='close the quote; a quote inside a quoted cell is written twice ("")'
                if unclosed
                else "check the quotes in this row: a quoted cell must end at a comma",
            )
        )
    return result
