"""Observations from CSV files kept as compact columns, not as millions of objects.

A national programme can send millions of CSV rows. As pydantic `Observation`
objects they cost about 1 KB each; here every row of one indicator (from one
file) is a handful of 4-byte codes in `array` columns: indexes into small tables
of the distinct periods, values, sample sizes and "extras" (site, dimensions,
source, note) that the file holds, shared by all indicators of that file, plus
the row's line number in the file. An `ObservationTable` is a read-only
`Sequence[Observation]` that builds an observation only when it is asked for one
(identical to the object the loader used to keep) and does not keep it.

`Indicator.observations` stays one sequence in today's order: the observations
declared in the YAML first, then CSV rows in file order. When CSV rows arrive,
the loader replaces the declared list by an `ObservationList` that chains the list
and the tables. Code that iterates `indicator.observations` keeps working; code
that walks every observation of a large programme uses the column-wise helpers
(`distinct`, `first_rows`, `indexes`, `first_index`, `rows`) that test each
distinct value once instead of building an object per row.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import repeat
from operator import attrgetter
from typing import Any, NamedTuple, overload

from .model import Observation
from .periods import Period

CODE = "I"  # unsigned 32-bit on every platform CPython supports
CODE_SIZE = array(CODE).itemsize
assert CODE_SIZE >= 4
MAX_CODE = 2**32 - 1


class Extras(NamedTuple):
    """The fields of a CSV row that rarely vary independently: one code for all four."""

    site: str | None
    dimensions: dict[str, str]
    source: str | None
    note: str | dict[str, str] | None  # CSV notes are text; declared ones may be per language


NO_EXTRAS = Extras(None, {}, None, None)

# What exports and spreadsheets write for "no value": each is answered with `missing:`.
NOT_A_VALUE = frozenset({
    "", "-", "--", "—", "–", ".", "..", "...", "?", "n/a", "na", "#n/a", "n.a.", "none",
    "null", "nil", "nan", "missing", "no data", "nd", "not available",
})

Value = Decimal | str


class Reading(NamedTuple):
    """What scoring reads of an observation, without building one.

    The field names are `Observation`'s, so code that reads these six attributes takes
    either. `dimensions` is shared by every row with the same extras: never change it.
    """

    period: Period
    value: Value
    unit: str | None
    sample_size: int | None
    site: str | None
    dimensions: Mapping[str, str]


_tuple_new = tuple.__new__  # a Reading from a ready tuple: a third of Reading(...)'s cost

Test = Callable[[Any], bool]
COLUMNS = ("period", "value", "extras", "sample_size")


class Dictionary:
    """The distinct cell values of one CSV file; every table of the file codes into it.

    Entry 0 of `extras` and `sizes` is the empty one (no site, dimensions, source,
    note; no sample size), used by files that lack those columns.
    """

    # __weakref__: scoring keeps what it derives from a dictionary only while it lives.
    __slots__ = ("__weakref__", "extras", "periods", "sizes", "values")
    _STATE = ("extras", "periods", "sizes", "values")

    # Slotted classes pickle with every protocol only when they say what their state is.
    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._STATE}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)

    def __init__(self) -> None:
        self.periods: list[Period] = []
        self.values: list[Value] = []
        self.extras: list[Extras] = [NO_EXTRAS]
        self.sizes: list[int | None] = [None]

    def column(self, name: str) -> Sequence[Any]:
        """The table behind a column name of `COLUMNS`."""
        tables: dict[str, Sequence[Any]] = {
            "period": self.periods,
            "value": self.values,
            "extras": self.extras,
            "sample_size": self.sizes,
        }
        return tables[name]


def _first_rows(codes: array[int]) -> dict[int, int]:
    """Each distinct code with the row it first occurs in, in order of first occurrence.

    `dict.fromkeys` finds the distinct codes in first-occurrence order at C speed; each
    `index` scan then starts where the previous first occurrence was, so the whole walk
    reads the column about twice, never once per distinct code.
    """
    out: dict[int, int] = {}
    start = 0
    for code in dict.fromkeys(codes):
        start = codes.index(code, start)
        out[code] = start
    return out


class ObservationTable(Sequence[Observation]):
    """The CSV rows of one indicator from one file, column-wise; read-only.

    Each observation is built (unvalidated: the loader checked every cell) when indexed
    or iterated, and not kept: a national programme then costs a few bytes per row
    instead of a kilobyte. Scoring and the checks read the columns instead.
    """

    __slots__ = ("dictionary", "extras", "file", "lines", "periods", "sizes", "values")

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)

    def __init__(
        self,
        file: str,
        dictionary: Dictionary,
        periods: array[int],
        values: array[int],
        lines: array[int],
        extras: array[int] | None = None,
        sizes: array[int] | None = None,
    ) -> None:
        self.file = file
        self.dictionary = dictionary
        self.periods = periods
        self.values = values
        self.lines = lines  # 1-based line of each row in `file` (the header is line 1)
        self.extras = extras  # None: the file has no site/dimension/source/note column
        self.sizes = sizes  # None: the file has no sample_size column

    def __len__(self) -> int:
        return len(self.lines)

    def __repr__(self) -> str:
        return f"ObservationTable({self.file!r}, {len(self)} rows)"

    @overload
    def __getitem__(self, index: int) -> Observation: ...

    @overload
    def __getitem__(self, index: slice) -> list[Observation]: ...

    def __getitem__(self, index: int | slice) -> Observation | list[Observation]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("observation index out of range")
        return self._build(
            self.periods[index],
            self.values[index],
            0 if self.extras is None else self.extras[index],
            0 if self.sizes is None else self.sizes[index],
        )

    def __iter__(self) -> Iterator[Observation]:
        build = self._build
        for codes in self.codes():
            yield build(*codes)

    def codes(self) -> Iterator[tuple[int, int, int, int]]:
        """(period, value, extras, sample_size) codes of each row, in file order: indexes
        into `dictionary.periods`, `.values`, `.extras` and `.sizes`."""
        extras = repeat(0) if self.extras is None else self.extras
        sizes = repeat(0) if self.sizes is None else self.sizes
        return zip(self.periods, self.values, extras, sizes, strict=False)

    def _build(self, period: int, value: int, extras: int, size: int) -> Observation:
        d = self.dictionary
        site, dimensions, source, note = d.extras[extras]
        return Observation.model_construct(
            period=d.periods[period],
            value=d.values[value],
            site=site,
            dimensions=dimensions.copy(),  # each observation owns its dict, as before
            source=source,
            sample_size=d.sizes[size],
            note=note,
        )

    # --- column-wise reading ---------------------------------------------------------------

    def rows(self) -> Iterator[Reading]:
        """(period, value, unit, sample_size, site, dimensions) per row, no Observation built.

        For scoring, which reads only these fields. `dimensions` is shared by every row
        with the same extras: read it, never change it.
        """
        d = self.dictionary
        periods, values, all_extras, sizes = d.periods, d.values, d.extras, d.sizes
        for p, v, x, n in self.codes():
            extras = all_extras[x]
            yield _tuple_new(Reading, (periods[p], values[v], None, sizes[n], extras.site,
                                       extras.dimensions))

    def _column(self, name: str) -> array[int] | None:
        """The codes of a column of `COLUMNS`; None when every row has the empty entry 0."""
        columns = {
            "period": self.periods,
            "value": self.values,
            "extras": self.extras,
            "sample_size": self.sizes,
        }
        return columns[name]

    def distinct(self, name: str) -> list[Any]:
        """The distinct entries of a column, in order of first occurrence."""
        table = self.dictionary.column(name)
        codes = self._column(name)
        if codes is None:
            return [table[0]] if len(self) else []
        return [table[code] for code in dict.fromkeys(codes)]

    def first_rows(self, name: str) -> list[tuple[Any, int]]:
        """Each distinct entry of a column with the row it first occurs in, in that order."""
        table = self.dictionary.column(name)
        codes = self._column(name)
        if codes is None:
            return [(table[0], 0)] if len(self) else []
        return [(table[code], row) for code, row in _first_rows(codes).items()]

    def _passing(self, tests: Mapping[str, Test]) -> list[tuple[array[int], set[int]]]:
        """Per tested column: its codes and the set of codes whose entry passes the test.

        A column that is absent (all rows hold entry 0) is left out when entry 0 passes;
        when it fails, no row can pass and the result holds an empty set for it.
        """
        out: list[tuple[array[int], set[int]]] = []
        for name, test in tests.items():
            table = self.dictionary.column(name)
            codes = self._column(name)
            if codes is None:
                if not test(table[0]):
                    return [(array(CODE), set())]
                continue
            out.append((codes, {code for code in dict.fromkeys(codes) if test(table[code])}))
        return out

    def indexes(self, **tests: Test) -> Iterator[int]:
        """Rows (ascending) whose entries pass every test, given per column of `COLUMNS`.

        Each test runs once per distinct entry of its column, not once per row.
        """
        passing = self._passing(tests)
        if not passing:
            yield from range(len(self))
            return
        if any(not codes for _column, codes in passing):
            return
        if len(passing) == 1:
            column, codes = passing[0]
            for row, code in enumerate(column):
                if code in codes:
                    yield row
            return
        columns = [column for column, _codes in passing]
        wanted = [codes for _column, codes in passing]
        for row, row_codes in enumerate(zip(*columns, strict=True)):
            if all(code in ok for code, ok in zip(row_codes, wanted, strict=True)):
                yield row

    def first_index(self, **tests: Test) -> int | None:
        """The first row whose entries pass every test (see `indexes`), or None."""
        passing = self._passing(tests)
        if len(passing) == 1:
            column, codes = passing[0]
            # The first distinct code (in first-occurrence order) that passes occurs
            # before every other passing row: one scan finds it.
            for code in dict.fromkeys(column):
                if code in codes:
                    return column.index(code)
            return None
        return next(self.indexes(**tests), None)


def _extras_of(observation: Observation) -> Extras:
    return Extras(observation.site, observation.dimensions, observation.source, observation.note)


_ENTRY: dict[str, Callable[[Observation], Any]] = {
    "period": attrgetter("period"),
    "value": attrgetter("value"),
    "extras": _extras_of,
    "sample_size": attrgetter("sample_size"),
}
"""How a declared observation's entry for each column name of `COLUMNS` is read."""


class ObservationList(Sequence[Observation]):
    """An indicator's observations: those declared in the YAML, then its CSV tables.

    Why a Sequence and not a list: a list would have to hold every row as an object,
    which is what this module exists to avoid. The model declares `observations` as a
    list to pydantic (so validation, its error messages and the JSON Schema are those
    of a list), and as `Sequence[Observation]` to the type checker (so nothing may
    append to it); it serialises as a list (see `model.Observations`). It compares
    equal to any sequence holding equal observations, a plain list included.
    """

    __slots__ = ("absent", "declared", "tables")

    def __reduce__(self) -> tuple[Any, ...]:
        return (ObservationList, (self.declared, self.tables, self.absent))

    def __init__(
        self, declared: list[Observation], tables: Iterable[ObservationTable] = (),
        absent: Iterable[tuple[str, int, Observation]] = (),
    ) -> None:
        self.declared = declared  # shared, not copied: the model's own list
        self.tables: list[ObservationTable] = list(tables)
        # CSV rows that say why their value is missing, as (file, line, observation): not
        # part of the sequence, so they are never counted (a YAML one stays in `declared`)
        self.absent: list[tuple[str, int, Observation]] = list(absent)

    def __len__(self) -> int:
        return len(self.declared) + sum(len(t) for t in self.tables)

    def __repr__(self) -> str:
        rows = sum(len(t) for t in self.tables)
        return f"ObservationList({len(self.declared)} declared, {rows} from CSV)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal to a list, so unhashable like one

    @overload
    def __getitem__(self, index: int) -> Observation: ...

    @overload
    def __getitem__(self, index: slice) -> list[Observation]: ...

    def __getitem__(self, index: int | slice) -> Observation | list[Observation]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if index < 0:
            raise IndexError("observation index out of range")
        if index < len(self.declared):
            return self.declared[index]
        index -= len(self.declared)
        for table in self.tables:
            if index < len(table):
                return table[index]
            index -= len(table)
        raise IndexError("observation index out of range")

    def __iter__(self) -> Iterator[Observation]:
        yield from self.declared
        for table in self.tables:
            yield from table

    def parts(self) -> Iterator[tuple[int, Sequence[Observation]]]:
        """(index of the first item, part) for the declared list and each table."""
        offset = 0
        for part in (self.declared, *self.tables):
            yield offset, part
            offset += len(part)

    def rows(self) -> Iterator[Reading]:
        """(period, value, unit, sample_size, site, dimensions) of each observation, in order.

        The fast way for scoring to read every observation: CSV rows build no
        Observation. Treat `dimensions` as read-only.
        """
        for o in self.declared:
            if o.value is not None:  # a missing value is never counted
                yield Reading(o.period, o.value, o.unit, o.sample_size, o.site, o.dimensions)
        for table in self.tables:
            yield from table.rows()

    def indexes(self, **tests: Test) -> Iterator[int]:
        """Indexes (ascending) of observations whose entries pass every test.

        Tests are given per column name of `COLUMNS` ("extras" tests an `Extras`);
        on CSV rows each runs once per distinct entry.
        """
        yield from self._declared_indexes(tests)
        offset = len(self.declared)
        for table in self.tables:
            for row in table.indexes(**tests):
                yield offset + row
            offset += len(table)

    def first_index(self, **tests: Test) -> int | None:
        """The index of the first observation passing every test (see `indexes`), or None."""
        found = next(self._declared_indexes(tests), None)
        if found is not None:
            return found
        offset = len(self.declared)
        for table in self.tables:
            row = table.first_index(**tests)
            if row is not None:
                return offset + row
            offset += len(table)
        return None

    def _declared_indexes(self, tests: Mapping[str, Test]) -> Iterator[int]:
        checks = [(_ENTRY[name], test) for name, test in tests.items()]
        for o, observation in enumerate(self.declared):
            if all(test(entry(observation)) for entry, test in checks):
                yield o


def as_list(observations: Sequence[Observation]) -> ObservationList:
    """The observations as an `ObservationList` (a plain list becomes its declared part)."""
    if isinstance(observations, ObservationList):
        return observations
    return ObservationList(observations if isinstance(observations, list) else list(observations))


def indexes(observations: Sequence[Observation], **tests: Test) -> Iterator[int]:
    """`ObservationList.indexes` for any sequence of observations."""
    return as_list(observations).indexes(**tests)


def first_index(observations: Sequence[Observation], **tests: Test) -> int | None:
    """`ObservationList.first_index` for any sequence of observations."""
    return as_list(observations).first_index(**tests)


def missing_values(observations: Sequence[Observation]) -> list[Observation]:
    """The observations that record why a value is missing, YAML first, then CSV rows."""
    listed = as_list(observations)
    return [o for o in listed.declared if o.value is None] + [o for _f, _l, o in listed.absent]
