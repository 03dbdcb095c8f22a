"""Which rows of a large CSV table scoring reads, found on its code columns with numpy.

The fast path of scoring (`indicator.score_indicator`) reads few of an indicator's counted
rows: of the rows without dimensions, those of three periods: the first (it may become the
baseline), the latest and the latest before it; of each breakdown (site, dimensions), its
best row (`groups.best_of_period`) in the same three periods of its own. When no
breakdown can lack a baseline, no first period becomes one and only the latest is read.
Walking every row in Python to find them is most of `toc score` when an indicator's CSV
file holds millions of rows. Here they are found with a few array operations per table,
and only they become objects (`groups._group_table`). When only the latest rows are read,
the tables of one file are worked out together beforehand (`TableReads.prefetch`): a
national file is split into tens of thousands of small tables, and a numpy call costs more
than a few hundred rows.

What is worked out (a file's ranked codes, the prefetched rows) lives in one `TableReads`,
made for one `score()` call and dropped with it: nothing is kept between calls.

Why the three periods of each table are enough when an indicator has several sources
(the YAML's observations, then tables in order): a period that is the first, the latest
or the one before the latest of all of an indicator's rows is also one of these three in
every source holding rows of it, so each such period's rows all arrive, in order. The
groups then differ from the row walk's only by periods nobody reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..schema.observations import Dictionary, ObservationTable

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    IntArray = NDArray[np.int64]

MAX_ENTRIES = 1 << 18
"""Past this many distinct entries in a column (notes make every row's extras distinct),
ranking the column would cost more than walking the rows: the caller walks them."""


class _Ranked:
    """What choosing rows reads of a file's `Dictionary`, per code, as arrays.

    Built once per dictionary (its distinct periods, values, extras and sample sizes: a
    few thousand entries), shared by every indicator of the file.
    """

    def __init__(self, d: Dictionary) -> None:
        import numpy as np

        self.np = np
        periods = d.periods
        latest_keys = sorted({(p.end, p.start) for p in periods})
        latest = {key: rank for rank, key in enumerate(latest_keys)}
        first = {(end, start): rank for rank, (start, end) in
                 enumerate(sorted((start, end) for end, start in latest_keys))}
        # period code -> rank of (end, start) (`values.LatestKey`) and of (start, end)
        self.latest = np.array([latest[(p.end, p.start)] for p in periods], dtype=np.int64)
        self.first = np.array([first[(p.end, p.start)] for p in periods], dtype=np.int64)
        self._starts = [p.start for p in periods]
        self._counted: dict[date, Any] = {}
        # value code -> rank by number (equal numbers, 40 and 40.0, share a rank); text
        self.text = np.array([isinstance(v, str) for v in d.values], dtype=bool)
        self.any_text = bool(self.text.any())
        numbers = sorted({v for v in d.values if isinstance(v, Decimal)})
        rank = {v: r for r, v in enumerate(numbers)}  # equal Decimals hash alike
        self.value = np.array([rank.get(v, 0) if isinstance(v, Decimal) else 0
                               for v in d.values], dtype=np.int64)
        # sample-size code -> rank of the size compared (none counts as 0)
        sizes = [n or 0 for n in d.sizes]
        size_rank = {n: r for r, n in enumerate(sorted(set(sizes)))}
        self.size = np.array([size_rank[n] for n in sizes], dtype=np.int64)
        # One number per row orders a breakdown's rows as scoring prefers them: the latest
        # period, then the largest sample, then the largest value (below 2**54).
        self.value_span = len(numbers) or 1
        self.size_span = len(size_rank) * self.value_span
        self.latest_scaled = self.latest * self.size_span
        self.order_span = (len(latest_keys) or 1) * self.size_span  # every order is below it
        self.size_scaled = self.size * self.value_span
        # extras code -> breakdown number (-1: a total row, no breakdown), no dimensions
        keys: dict[tuple[str | None, tuple[tuple[str, str], ...]], int] = {}
        breakdown = []
        for extras in d.extras:
            if extras.site is None and not extras.dimensions:
                breakdown.append(-1)
                continue
            key = (extras.site, tuple(sorted(extras.dimensions.items())))
            breakdown.append(keys.setdefault(key, len(keys)))
        self.breakdown = np.array(breakdown, dtype=np.int64)
        self.breakdowns = len(keys)
        self.total = np.array([not e.dimensions for e in d.extras], dtype=bool)

    def counted(self, as_of: date) -> Any:
        """Period code -> whether it counts on `as_of` (started by then); None: all do."""
        if as_of in self._counted:
            return self._counted[as_of]
        counted = self.np.array([start <= as_of for start in self._starts], dtype=bool)
        held = self._counted[as_of] = None if counted.all() else counted
        return held


Read = tuple[list[int], list[int]]
"""The rows scoring reads of a table: (total rows, breakdown rows), row numbers."""

MIN_ROWS = 64
"""A table this long is read through the arrays; below it, walking its rows costs less."""

BATCH_ROWS = 1 << 15
"""Rows of the tables worked out together (`TableReads.prefetch`): enough to spread the
cost of each array operation over tens or hundreds of tables, few enough to keep the
arrays of a batch small (they count towards the peak memory of `toc score`)."""

BOARD_CELLS = 1 << 20
"""Tables x breakdowns of a batch at most: the cells (eight bytes each) of its board of
best rows."""

ONE_NUMBER_LIMIT = 1 << 62
"""Below it, a row's order and place fit one int64 (`_batch_best_rows`)."""


class TableReads:
    """The rows scoring reads of large CSV tables, for one `score()` call.

    Holds what is worked out on the way: each file's ranked codes (`_Ranked`, shared by
    its tables) and the latest rows of tables prefetched in batches. The sizes are
    parameters so that tests can send short tables through the arrays and cut batches
    small; scoring uses the defaults.
    """

    def __init__(self, min_rows: int = MIN_ROWS, batch_rows: int = BATCH_ROWS,
                 board_cells: int = BOARD_CELLS,
                 one_number_limit: int = ONE_NUMBER_LIMIT) -> None:
        self.min_rows = min_rows
        self.batch_rows, self.board_cells = batch_rows, board_cells
        self.one_number_limit = one_number_limit
        # by id: the object is held beside what was worked out, so the id stays its own
        self._ranked: dict[int, tuple[Dictionary, _Ranked | None]] = {}
        self._latest: dict[tuple[int, date], tuple[ObservationTable, Read | None]] = {}

    def ranked(self, d: Dictionary) -> _Ranked | None:
        """`d`'s codes ranked; None when a column has too many distinct entries."""
        held = self._ranked.get(id(d))
        if held is None:
            shape = (len(d.periods), len(d.values), len(d.extras), len(d.sizes))
            held = self._ranked[id(d)] = (d, _Ranked(d) if max(shape) <= MAX_ENTRIES else None)
        return held[1]

    def prefetched(self, table: ObservationTable, as_of: date) -> tuple[Read | None] | None:
        """`(rows_read(table, as_of, False),)` if `prefetch` worked it out; else None."""
        held = self._latest.get((id(table), as_of))
        return None if held is None else (held[1],)

    def prefetch(self, tables: Iterable[ObservationTable], as_of: date) -> None:
        """Work out `rows_read(table, as_of, with_first=False)` of each of `tables`
        together, for `prefetched` to look up.

        A national CSV file is split into tens of thousands of tables (one per indicator)
        of a few hundred rows, and each array operation costs more than their rows: one
        table at a time, the array operations were most of the cost. Together they cost a
        few array operations per batch, with the same rows, table by table.
        """
        for table, read in self._latest_rows_of_many(tables, as_of):
            self._latest.setdefault((id(table), as_of), (table, read))

    def rows_read(self, table: ObservationTable, as_of: date, with_first: bool = True
                  ) -> Read | None:
        """The rows of `table` that scoring reads on `as_of`, for a numeric indicator;
        None when they are to be found by walking every row (`groups._group_table`).

        Returns (total rows, breakdown rows): the rows without dimensions of the table's
        first, latest and next-to-latest counted periods, in file order; and each
        breakdown's best row of each of its own three such periods. Without `with_first`
        (no breakdown can lack a baseline, so no first period becomes one), the latest
        period only (of the total rows, and of each breakdown its own). None when the rows
        must be walked: a value is text (the walk reports it), a column has too many
        distinct entries, or the table is shorter than `min_rows` and was not prefetched
        (walking a few rows costs less than the array operations).
        """
        if not with_first:
            held = self.prefetched(table, as_of)
            if held is not None:
                return held[0]
        if len(table) < self.min_rows:
            return None
        if not with_first:
            if not len(table):
                return [], []
            ranked = self.ranked(table.dictionary)
            if ranked is None:
                return None
            return next(self._latest_rows_of_batch(ranked, [table], as_of))[1]
        ranked = self.ranked(table.dictionary)
        if ranked is None:
            return None
        np = ranked.np

        def codes(column: Any, count: int) -> Any:
            return _codes(np, column, count)

        count = len(table)
        periods, values = codes(table.periods, count), codes(table.values, count)
        if ranked.any_text and ranked.text[values].any():
            return None
        extras, sizes = codes(table.extras, count), codes(table.sizes, count)
        counted = ranked.counted(as_of)
        rows: IntArray
        if counted is None or (counted := counted[periods]).all():
            rows = np.arange(count)
        else:
            rows = np.flatnonzero(counted)
            periods, values, extras, sizes = (periods[rows], values[rows], extras[rows],
                                              sizes[rows])
        if not len(rows):
            return [], []
        latest, first = ranked.latest[periods], ranked.first[periods]
        total, breakdown = ranked.total[extras], ranked.breakdown[extras]
        return (
            _total_rows(np, rows, latest, first, total),
            _breakdown_rows(np, rows, latest, first, breakdown, ranked.size[sizes],
                            ranked.value[values]),
        )

    def _latest_rows_of_many(
        self, tables: Iterable[ObservationTable], as_of: date
    ) -> Iterator[tuple[ObservationTable, Read | None]]:
        """`rows_read(table, as_of, False)` of each table, batched by file (`Dictionary`)."""
        by_file: dict[int, tuple[Dictionary, list[ObservationTable]]] = {}
        for table in tables:
            if len(table):
                by_file.setdefault(id(table.dictionary), (table.dictionary, []))[1].append(table)
        for dictionary, listed in by_file.values():
            ranked = self.ranked(dictionary)
            if ranked is None:
                continue  # `rows_read` leaves them to the walk
            most = max(1, self.board_cells // max(1, ranked.breakdowns))  # tables a batch
            batch: list[ObservationTable] = []
            rows = 0
            for table in listed:
                batch.append(table)
                rows += len(table)
                if rows >= self.batch_rows or len(batch) >= most:
                    yield from self._latest_rows_of_batch(ranked, batch, as_of)
                    batch, rows = [], 0
            if batch:
                yield from self._latest_rows_of_batch(ranked, batch, as_of)

    def _latest_rows_of_batch(
        self, ranked: _Ranked, tables: list[ObservationTable], as_of: date
    ) -> Iterator[tuple[ObservationTable, Read | None]]:
        """`rows_read(table, as_of, False)` of tables of one file (none empty), worked out
        on their rows laid end to end: `owner` tells each row's table, and what is done
        per table is done per table, or per (table, breakdown) cell, here."""
        np = ranked.np
        count = len(tables)
        lengths = np.array([len(t) for t in tables], dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        owner = np.repeat(np.arange(count), lengths)

        def column(name: str) -> Any:
            """The tables' code column end to end: their buffers joined in one call when they
            are alike (a file's tables are), else table by table."""
            columns = [getattr(t, name) for t in tables]
            first = columns[0]
            if first is None and all(c is None for c in columns):
                return np.zeros(len(owner), dtype=np.intp)  # the file lacks the column
            if first is not None and all(c is not None and c.itemsize == first.itemsize
                                         for c in columns):
                return np.frombuffer(b"".join(columns), dtype=np.dtype(f"u{first.itemsize}"))
            pairs = zip(columns, tables, strict=True)
            return np.concatenate([_codes(np, c, len(t)) for c, t in pairs])

        periods, values, extras = column("periods"), column("values"), column("extras")
        has_text = (
            np.logical_or.reduceat(ranked.text[values], starts) if ranked.any_text
            else np.zeros(count, dtype=bool)
        )
        counted = ranked.counted(as_of)
        counts = np.ones(len(periods), dtype=bool) if counted is None else counted[periods]
        latest = ranked.latest[periods]
        total_rows = _batch_total_rows(np, owner, starts, latest, ranked.total[extras] & counts)
        breakdown = ranked.breakdown[extras]
        inside = np.flatnonzero(counts & (breakdown >= 0))
        order = (ranked.latest_scaled[periods[inside]] + ranked.value[values[inside]]
                 + ranked.size_scaled[column("sizes")[inside]])
        best_rows = _batch_best_rows(np, owner, breakdown, inside, order,
                                     ranked.order_span, ranked.breakdowns,
                                     self.one_number_limit)
        totals_of = _per_table(np, total_rows, owner, starts, count)
        best_of = _per_table(np, best_rows, owner, starts, count)
        for index, table in enumerate(tables):
            yield table, (None if has_text[index] else (totals_of[index], best_of[index]))


def _codes(np: Any, column: Any, count: int) -> Any:
    """A code column as an array (without copying); entry 0 for every row when the file
    lacks the column."""
    if column is None:
        return np.zeros(count, dtype=np.intp)
    return np.frombuffer(column, dtype=np.dtype(f"u{column.itemsize}"))


def _batch_total_rows(np: Any, owner: IntArray, starts: IntArray, latest: IntArray,
                      total: Any) -> IntArray:
    """The counted rows without dimensions (`total`) in their table's latest period
    among them, in order, of every table at once."""
    top = np.maximum.reduceat(np.where(total, latest, -1), starts)
    result: IntArray = np.flatnonzero(total & (latest == top[owner]))
    return result


def _batch_best_rows(np: Any, owner: IntArray, breakdown: IntArray, inside: IntArray,
                     order: IntArray, span: int, breakdowns: int, limit: int) -> IntArray:
    """Each (table, breakdown)'s best row among `inside` (the counted breakdown rows): the
    largest `order` (period, sample, value; below `span`), the first written of equal
    ones; by table, then breakdown.

    Each row is one number, `order * n + (n - 1 - row)`, put on a board of (table,
    breakdown) cells that `maximum.at` fills in one pass; when that number could overflow,
    the rows are sorted instead.
    """
    n = len(owner)
    if span * n < limit:
        cells = (int(owner.max()) + 1 if n else 0) * breakdowns
        board = np.full(cells, -1, dtype=np.int64)
        np.maximum.at(board, owner[inside] * breakdowns + breakdown[inside],
                      order * n + (n - 1 - inside))
        best = board[board >= 0]  # by table, then breakdown
        result: IntArray = (n - 1) - best % n
        return result
    ranked = inside[np.lexsort((-order, breakdown[inside], owner[inside]))]
    head = np.ones(len(ranked), dtype=bool)
    head[1:] = (owner[ranked[1:]] != owner[ranked[:-1]]) | (
        breakdown[ranked[1:]] != breakdown[ranked[:-1]])
    result = ranked[head]
    return result


def _per_table(np: Any, rows: IntArray, owner: IntArray, starts: IntArray, count: int
               ) -> list[list[int]]:
    """Rows laid end to end (grouped by table, in table order) as each table's own row
    numbers, one list per table."""
    owners = owner[rows]
    local: list[int] = (rows - starts[owners]).tolist()
    bounds: list[int] = np.searchsorted(owners, np.arange(count + 1)).tolist()
    return [local[bounds[k]:bounds[k + 1]] for k in range(count)]


def _total_rows(np: Any, rows: IntArray, latest: IntArray, first: IntArray, total: Any
                ) -> list[int]:
    """The rows without dimensions in the first, latest and next-to-latest of their periods."""
    if not total.any():
        return []
    own_latest = latest[total]
    top = own_latest.max()
    wanted = (latest == top) | (latest == own_latest[first[total].argmin()])
    below = own_latest[own_latest < top]
    if len(below):
        wanted |= latest == below.max()
    result: list[int] = rows[total & wanted].tolist()
    return result


def _breakdown_rows(np: Any, rows: IntArray, latest: IntArray, first: IntArray,
                    breakdown: IntArray, size: IntArray, value: IntArray) -> list[int]:
    """Each breakdown's best row (largest sample, then value, then the first written) of
    each of its first, latest and next-to-latest periods."""
    inside = np.flatnonzero(breakdown >= 0)
    if not len(inside):
        return []
    key, when, start = breakdown[inside], latest[inside], first[inside]
    # By breakdown, then period; within a period the best row first.
    order = np.lexsort((inside, -value[inside], -size[inside], when, key))
    sorted_key, sorted_when = key[order], when[order]
    head = np.ones(len(order), dtype=bool)
    head[1:] = (sorted_key[1:] != sorted_key[:-1]) | (sorted_when[1:] != sorted_when[:-1])
    best = order[head]  # one row per (breakdown, period), by breakdown then period
    best_key, best_start = key[best], start[best]
    starts = np.flatnonzero(np.concatenate(([True], best_key[1:] != best_key[:-1])))
    ends = np.concatenate((starts[1:], [len(best)])) - 1
    pick = np.zeros(len(best), dtype=bool)
    pick[ends] = True  # each breakdown's latest period
    before = ends - 1
    pick[before[before >= starts]] = True  # and the one before it
    earliest = np.minimum.reduceat(best_start, starts)
    pick |= best_start == np.repeat(earliest, ends - starts + 1)  # and its first
    result: list[int] = rows[inside[best[pick]]].tolist()
    return result
