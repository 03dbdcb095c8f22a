"""An indicator's counted observations grouped as the fast path of scoring reads them.

`counted_groups` does in one pass what `values.rows_of`, `values.counted`, `values.totals`
and `values.breakdown_rows` do on the plain path (`indicator.score_indicator_plain`): it
keeps per period the rows without dimensions, and per breakdown its best row of each
period; `Row`s are built later, for the few rows read. Large CSV tables add only the rows
scoring reads (`table_rows.TableReads.rows_read`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..schema.model import Aggregation, Direction, Indicator, Measure, Observation
from ..schema.observations import Extras, ObservationList, ObservationTable, Reading
from .table_rows import TableReads
from .values import BreakdownKey, Counted, Factor, LatestKey, dims_of, numeric

_tuple_new = tuple.__new__  # a Reading from a ready tuple (see obstable.Reading)


def counted_groups(
    indicator: Indicator, observations: Iterable[Observation], factor: Factor, as_of: date,
    tables: TableReads,
) -> tuple[dict[LatestKey, list[Counted]], dict[BreakdownKey, dict[LatestKey, Counted]]]:
    """`rows_of`, `counted`, and the groups `totals` and `breakdown_rows` make, in one pass.

    Scoring reads few of an indicator's rows (a breakdown's latest periods), so `Row`s are
    built later (`row_of`) for those only. Every observation is still converted, counted
    or not, so a value that cannot be used fails the indicator as `rows_of` does. Returns
    the rows without dimensions by period (what `totals` combines), each group in the
    observations' order, and per breakdown (site, dimensions; `breakdown_rows`) its row of
    each period: the one a breakdown keeps (`best_of_period`). A large CSV table adds
    only the periods scoring reads (`TableReads.rows_read`, through `tables`): the groups of the
    first, latest and next-to-latest periods are complete, others may be missing.
    """
    groups = _Groups(indicator, factor, as_of, tables)
    if isinstance(observations, ObservationList):
        _group_observations(groups, observations.declared)
        for table in observations.tables:
            _group_table(groups, table)
    else:
        _group_observations(groups, observations)
    return groups.periods, groups.breakdowns


@dataclass
class _Groups:
    """One indicator's `counted_groups` as they are filled, and what filling them reads."""

    indicator: Indicator
    factor: Factor
    as_of: date
    tables: TableReads
    periods: dict[LatestKey, list[Counted]] = field(default_factory=dict)
    breakdowns: dict[BreakdownKey, dict[LatestKey, Counted]] = field(default_factory=dict)

    @property
    def plain(self) -> bool:
        """Numbers are used as written (no unit to convert, no scale label to look up)."""
        return self.indicator.measure is not Measure.ordinal

    @property
    def reads_first(self) -> bool:
        return reads_first(self.indicator)


def reads_first(indicator: Indicator) -> bool:
    """Whether scoring may read a breakdown's first period, which becomes its baseline when it
    has none: unless the indicator is `maintain`, has no target, or has a baseline of the
    total and targets of the total only (then every breakdown takes those; `inputs` in
    `progress.score_indicator`)."""
    if indicator.direction is Direction.maintain or not indicator.targets:
        return False
    base = indicator.baseline
    if base is None or base.site is not None or base.dimensions:
        return True
    return any(t.site is not None or t.dimensions for t in indicator.targets)


def latest_only_tables(indicator: Indicator) -> list[ObservationTable]:
    """The CSV tables that scoring `indicator` reads with `rows_read(table, as_of, False)`
    (`_group_table`), for `TableReads.prefetch` to work out together: short ones too,
    which alone are walked (an array operation costs more than their rows), but in a
    batch cost a few microseconds each. A table this misses is worked out alone (or
    walked); one it adds in vain costs only its share of a batch."""
    observations = indicator.observations
    if not isinstance(observations, ObservationList) or not observations.tables:
        return []
    if indicator.measure in (Measure.qualitative, Measure.ordinal) or indicator.direction is None:
        return []
    if indicator.cumulative or indicator.effective_aggregation is Aggregation.latest:
        return []  # the general path: every row is read
    if reads_first(indicator):
        return []
    return [t for t in observations.tables if len(t)]


def _group_observations(groups: _Groups, observations: Iterable[Observation]) -> None:
    """`counted_groups` of observations written in the YAML (objects)."""
    indicator, factor, as_of, plain = groups.indicator, groups.factor, groups.as_of, groups.plain
    periods, breakdowns = groups.periods, groups.breakdowns
    for obs in observations:
        value = obs.value
        if value is None:
            continue  # a missing value is never counted
        if not plain or obs.unit or isinstance(value, str):
            value = numeric(indicator, value, obs.unit, factor, f"observation {obs.period}")
        period = obs.period
        if period.start > as_of:
            continue
        item = (obs, value)
        site = obs.site
        when = (period.end, period.start)
        if obs.dimensions:
            key: BreakdownKey = (site, dims_of(obs.dimensions))
        else:
            group = periods.get(when)
            if group is None:
                periods[when] = [item]
            else:
                group.append(item)
            if site is None:
                continue  # a total row: not a breakdown
            key = (site, ())
        keep_best(breakdowns, key, when, item)


def keep_best(breakdowns: dict[BreakdownKey, dict[LatestKey, Counted]], key: BreakdownKey,
              when: LatestKey, item: Counted) -> None:
    """Keep `item` as its breakdown's row of its period unless a better one came first."""
    kept = breakdowns.get(key)
    if kept is None:
        breakdowns[key] = {when: item}
    else:
        held = kept.get(when)
        if held is None or best_of_period(item, held):
            kept[when] = item


def best_of_period(item: Counted, held: Counted) -> bool:
    """Whether a breakdown keeps `item` rather than `held`, a row of the same period read
    before it: the largest sample, then the largest value; on a tie, the first."""
    return (item[0].sample_size or 0, item[1]) > (held[0].sample_size or 0, held[1])


_NOT_COUNTED = (date.max, date.max)  # a period that starts after the day scored


def _group_table(groups: _Groups, table: ObservationTable) -> None:
    """`_group_observations` of one CSV table, read as codes (millions of rows nationally).

    What depends on a row's period, value or extras alone (counted or not, its group
    key, the converted value) is worked out once per distinct code; each row then costs
    a few lookups and its `Reading`. The same groups, in the same order, with the same
    error for a value that cannot be used (the first such row's, as the row walk gives).
    A table that `TableReads.rows_read` reads through its arrays adds only the rows
    scoring reads (`_group_rows_read`).
    """
    indicator, factor, as_of, plain = groups.indicator, groups.factor, groups.as_of, groups.plain
    if plain:
        read = groups.tables.rows_read(table, as_of, groups.reads_first)
        if read is not None:
            _group_rows_read(groups, table, *read)
            return
    periods, breakdowns = groups.periods, groups.breakdowns
    d = table.dictionary
    all_periods, all_values, all_extras, all_sizes = d.periods, d.values, d.extras, d.sizes
    whens: dict[int, LatestKey] = {}  # period code -> (end, start), or _NOT_COUNTED
    keys: dict[int, tuple[BreakdownKey | None, bool, str | None, Mapping[str, str]]] = {}
    converted: dict[int, Decimal] = {}  # value code -> value on the scale, when not as written
    for p, v, x, n in table.codes():
        raw = all_values[v]
        value: Decimal
        if plain and not isinstance(raw, str):
            value = raw
        else:
            held = converted.get(v)
            if held is None:
                held = converted[v] = numeric(indicator, raw, None, factor,
                                              f"observation {all_periods[p]}")
            value = held
        when = whens.get(p)
        if when is None:
            period = all_periods[p]
            when = whens[p] = (
                (period.end, period.start) if period.start <= as_of else _NOT_COUNTED
            )
        if when is _NOT_COUNTED:
            continue
        grouping = keys.get(x)
        if grouping is None:
            extras = all_extras[x]
            at, split = extras.site, extras.dimensions
            if split:
                grouping = keys[x] = ((at, dims_of(split)), False, at, split)
            else:
                grouping = keys[x] = ((at, ()) if at is not None else None, True, at, split)
        key, total_row, site, dims = grouping
        item: Counted = (
            _tuple_new(Reading, (all_periods[p], raw, None, all_sizes[n], site, dims)), value
        )
        if total_row:
            group = periods.get(when)
            if group is None:
                periods[when] = [item]
            else:
                group.append(item)
        # The grouping of `_group_observations` (`keep_best`), written out again rather
        # than called: this runs once per row of a national file.
        if key is not None:
            kept = breakdowns.get(key)
            if kept is None:
                breakdowns[key] = {when: item}
            else:
                before = kept.get(when)
                if before is None or best_of_period(item, before):
                    kept[when] = item


def _group_rows_read(
    groups: _Groups, table: ObservationTable, total_rows: list[int], breakdown_rows: list[int]
) -> None:
    """`_group_table` of the rows `TableReads.rows_read` chose, with the walk's grouping:
    periods gain their total rows in file order, breakdowns their best row of a period."""
    periods, breakdowns = groups.periods, groups.breakdowns
    d = table.dictionary
    all_periods, all_values, all_extras, all_sizes = d.periods, d.values, d.extras, d.sizes
    period_codes, value_codes = table.periods, table.values
    extras_codes, size_codes = table.extras, table.sizes
    made: dict[int, tuple[Counted, LatestKey, Extras]] = {}  # a site row is read twice
    for row in (*total_rows, *breakdown_rows):
        if row in made:
            continue
        period = all_periods[period_codes[row]]
        raw = all_values[value_codes[row]]
        assert not isinstance(raw, str)  # rows_read leaves a table with text to the walk
        extras = all_extras[extras_codes[row] if extras_codes is not None else 0]
        size = all_sizes[size_codes[row] if size_codes is not None else 0]
        reading = _tuple_new(Reading, (period, raw, None, size, extras.site, extras.dimensions))
        made[row] = ((reading, raw), (period.end, period.start), extras)
    for row in total_rows:
        item, when, _extras = made[row]
        group = periods.get(when)
        if group is None:
            periods[when] = [item]
        else:
            group.append(item)
    for row in breakdown_rows:
        item, when, extras = made[row]
        split = extras.dimensions
        keep_best(breakdowns, (extras.site, dims_of(split)) if split else (extras.site, ()), when,
                  item)


