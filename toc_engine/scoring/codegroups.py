"""Which rows of a large CSV table scoring reads, found on its code columns with numpy.

Scoring an indicator that is neither cumulative nor `latest` reads few of its counted rows
(`progress._total_series`, `progress._several_rows_series`): of the rows without
dimensions, those of three periods: the first (it may become the baseline), the latest
and the latest before it; of each breakdown (site, dimensions), its best row
(`values.best_of_period`) in the same three periods of its own. When no series can lack
a baseline, no first period becomes one and only the latest is read. Walking every row in
Python to find them costs ~0.7 µs a row: most of `toc score` when an indicator's CSV
file holds 5,000,000 rows. Here they are found with a few array operations per table,
and only they become objects (`values._group_table`).

Why the three periods of each table are enough when an indicator has several sources
(the YAML's observations, then tables in order): a period that is the first, the latest
or the one before the latest of all of an indicator's rows is also one of these three in
every source holding rows of it, so each such period's rows all arrive, in order. The
groups then differ from the row walk's only by periods nobody reads.
"""

from __future__ import annotations

import weakref
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..obstable import Dictionary, ObservationTable

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
        self.total = np.array([not e.dimensions for e in d.extras], dtype=bool)

    def counted(self, as_of: date) -> Any:
        """Period code -> whether it counts on `as_of` (started by then); None: all do."""
        if as_of in self._counted:
            return self._counted[as_of]
        counted = self.np.array([start <= as_of for start in self._starts], dtype=bool)
        held = self._counted[as_of] = None if counted.all() else counted
        return held


_RANKED: weakref.WeakKeyDictionary[Dictionary, tuple[tuple[int, ...], _Ranked | None]] = (
    weakref.WeakKeyDictionary()
)


def _ranked(d: Dictionary) -> _Ranked | None:
    shape = (len(d.periods), len(d.values), len(d.extras), len(d.sizes))
    held = _RANKED.get(d)
    if held is not None and held[0] == shape:  # a dictionary is filled once, by the loader
        return held[1]
    ranked = _Ranked(d) if max(shape) <= MAX_ENTRIES else None
    _RANKED[d] = (shape, ranked)
    return ranked


def rows_read(
    table: ObservationTable, as_of: date, with_first: bool = True
) -> tuple[list[int], list[int]] | None:
    """The rows of `table` that scoring reads on `as_of`, for a numeric indicator.

    Returns (total rows, breakdown rows): the rows without dimensions of the table's
    first, latest and next-to-latest counted periods, in file order; and each breakdown's
    best row of each of its own three such periods. Without `with_first` (no series can
    lack a baseline, so no first period becomes one), the latest period only (of the
    total rows, and of each breakdown its own). None when the rows must be walked: a
    value is text (the walk reports it), or a column has too many distinct entries.
    """
    ranked = _ranked(table.dictionary)
    if ranked is None:
        return None
    np = ranked.np

    def codes(column: Any, count: int) -> Any:
        if column is None:  # the file lacks the column: every row holds entry 0
            return np.zeros(count, dtype=np.intp)
        return np.frombuffer(column, dtype=np.dtype(f"u{column.itemsize}"))

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
        periods, values, extras, sizes = periods[rows], values[rows], extras[rows], sizes[rows]
    if not len(rows):
        return [], []
    latest = ranked.latest[periods]
    total, breakdown = ranked.total[extras], ranked.breakdown[extras]
    if not with_first:
        order = ranked.latest_scaled[periods] + ranked.size_scaled[sizes] + ranked.value[values]
        return (_latest_total_rows(np, rows, latest, total),
                _latest_breakdown_rows(np, rows, order, breakdown))
    first = ranked.first[periods]
    return (
        _total_rows(np, rows, latest, first, total),
        _breakdown_rows(np, rows, latest, first, breakdown, ranked.size[sizes],
                        ranked.value[values]),
    )


def _latest_total_rows(np: Any, rows: IntArray, latest: IntArray, total: Any) -> list[int]:
    """The rows without dimensions of their latest period, in file order."""
    if total.all():
        result: list[int] = rows[latest == latest.max()].tolist()
        return result
    if not total.any():
        return []
    result = rows[total & (latest == latest[total].max())].tolist()
    return result


def _latest_breakdown_rows(np: Any, rows: IntArray, order: IntArray, breakdown: IntArray
                           ) -> list[int]:
    """Each breakdown's best row of its latest period: the largest `order` (period,
    sample, value); the first written of equal ones."""
    inside = np.flatnonzero(breakdown >= 0)
    if not len(inside):
        return []
    key = breakdown[inside]
    ranked = np.lexsort((inside, -order[inside], key))  # by breakdown, the best first
    sorted_key = key[ranked]
    head = np.empty(len(ranked), dtype=bool)
    head[0] = True
    np.not_equal(sorted_key[1:], sorted_key[:-1], out=head[1:])
    result: list[int] = rows[inside[ranked[head]]].tolist()
    return result


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
