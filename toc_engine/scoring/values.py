"""Which numbers count: format.md's "Values over time", as plain functions.

Everything here is order-independent on purpose: the file's lists may be
written in any order and the same numbers are chosen (of two rows equal in value
and sample size, the first written is kept; only its period's spelling can show it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import count, pairwise

from ..schema.model import Aggregation, Direction, Indicator, Measure, Observation, Target
from ..schema.observations import Extras, ObservationList, ObservationTable, Reading
from ..schema.periods import Period
from .codegroups import prefetched_read, rows_read

_tuple_new = tuple.__new__  # a Reading from a ready tuple (see obstable.Reading)

Dims = tuple[tuple[str, str], ...]
SeriesKey = tuple[str | None, Dims]
TOTAL_KEY: SeriesKey = (None, ())
ZERO = Decimal(0)


class NotUsable(ValueError):
    """A value the arithmetic cannot use; the message says why, for the report."""


def dims_of(dimensions: Mapping[str, str]) -> Dims:
    if not dimensions:  # most rows: no breakdown by dimension
        return ()
    return tuple(sorted(dimensions.items()))


def indicator_unit(indicator: Indicator) -> str | None:
    if indicator.unit:
        return indicator.unit
    if indicator.measure is Measure.percentage:
        return "percent"
    return None


Factor = Callable[[str, str], Decimal]


def make_factor(definitions: Sequence[str]) -> Factor:
    """A unit-conversion function that imports pint only when units really differ."""
    frozen = tuple(definitions)

    def factor(source: str, target: str) -> Decimal:
        if source.strip() == target.strip():
            return Decimal(1)
        from ..schema.units import conversion_factor  # lazy: pint costs 0.2 s to import

        try:
            value = conversion_factor(source, target, frozen)  # cached per unit pair
        except Exception as err:  # pint raises many kinds; all mean "cannot convert"
            raise NotUsable(f"cannot convert {source!r} to {target!r}: {err}") from None
        if value is None:
            raise NotUsable(f"cannot convert {source!r} to {target!r}: they measure "
                            "different things")
        return value

    return factor


def numeric(
    indicator: Indicator, value: Decimal | str, unit: str | None, factor: Factor, where: str
) -> Decimal:
    """The value on the indicator's own scale: a scale position, or converted units."""
    if indicator.measure is Measure.ordinal:
        scale = indicator.scale or []
        text = str(value) if isinstance(value, str) else None
        if text is None or text not in scale:
            raise NotUsable(f"{where} value {value!r} is not an entry of the ordinal scale")
        return Decimal(scale.index(text))
    if isinstance(value, str):
        raise NotUsable(f"{where} value {value!r} is not a number")
    target_unit = indicator_unit(indicator)
    if unit and target_unit and unit != target_unit:
        return value * factor(unit, target_unit)
    if unit and not target_unit:
        raise NotUsable(f"{where} has unit {unit!r} but the indicator declares none")
    return value


@dataclass(frozen=True)
class Row:
    """An observation on the indicator's scale."""

    period: Period
    value: Decimal
    raw: str
    sample_size: int | None
    site: str | None
    dims: Dims

    @property
    def key(self) -> SeriesKey:
        return (self.site, self.dims)


_new = object.__new__
_set = object.__setattr__


def _row(period: Period, value: Decimal, raw: str, sample_size: int | None, site: str | None,
         dims: Dims) -> Row:
    """`Row(...)` without the frozen dataclass's `__setattr__` per field (one per observation)."""
    row = _new(Row)
    _set(row, "__dict__", {"period": period, "value": value, "raw": raw,
                           "sample_size": sample_size, "site": site, "dims": dims})
    return row


def readings(observations: Iterable[Observation]) -> Iterable[Observation | Reading]:
    """What scoring reads of each observation: CSV rows as `Reading`s (building an
    Observation per row costs ~3 µs, and a national programme has millions)."""
    if isinstance(observations, ObservationList):
        return observations.rows()
    return observations


def has_sex_split(observations: Iterable[Observation]) -> bool:
    """Whether any observation is disaggregated by sex; CSV rows are tested per distinct
    (site, dimensions) entry."""
    if isinstance(observations, ObservationList):
        return observations.first_index(extras=lambda e: "sex" in e.dimensions) is not None
    return any("sex" in o.dimensions for o in observations)


def rows_of(
    indicator: Indicator, observations: Iterable[Observation], factor: Factor
) -> list[Row]:
    rows = []
    plain = indicator.measure is not Measure.ordinal  # numbers, used as written without a unit
    for obs in readings(observations):
        value = obs.value
        if not plain or obs.unit or isinstance(value, str):
            value = numeric(indicator, value, obs.unit, factor, f"observation {obs.period}")
        dims = obs.dimensions
        rows.append(
            _row(
                obs.period,
                value,
                str(obs.value),
                obs.sample_size,
                obs.site,
                dims_of(dims) if dims else (),
            )
        )
    return rows


Counted = tuple[Observation | Reading, Decimal]  # a counted observation, its value on the scale
LatestKey = tuple[date, date]  # a period as (end, start): the latest period is the largest


def counted_groups(
    indicator: Indicator, observations: Iterable[Observation], factor: Factor, as_of: date
) -> tuple[dict[LatestKey, list[Counted]], dict[SeriesKey, dict[LatestKey, Counted]]]:
    """`rows_of`, `counted`, and the groups `totals` and `series_rows` make, in one pass.

    Scoring reads few of an indicator's rows (a series' latest periods), so `Row`s are
    built later (`row_of`) for those only. Every observation is still converted, counted
    or not, so a value that cannot be used fails the indicator as `rows_of` does. Returns
    the rows without dimensions by period (what `totals` combines), each group in the
    observations' order, and per breakdown (site, dimensions; `series_rows`) its row of
    each period: the one a breakdown's series keeps (`best_of_period`). A large CSV table
    adds only the periods scoring reads (`codegroups.rows_read`): the groups of the
    first, latest and next-to-latest periods are complete, others may be missing.
    """
    groups = _Groups(indicator, factor, as_of)
    if isinstance(observations, ObservationList):
        _group_observations(groups, observations.declared)
        for table in observations.tables:
            _group_table(groups, table)
    else:
        _group_observations(groups, observations)
    return groups.periods, groups.series


@dataclass
class _Groups:
    """One indicator's `counted_groups` as they are filled, and what filling them reads."""

    indicator: Indicator
    factor: Factor
    as_of: date
    periods: dict[LatestKey, list[Counted]] = field(default_factory=dict)
    series: dict[SeriesKey, dict[LatestKey, Counted]] = field(default_factory=dict)

    @property
    def plain(self) -> bool:
        """Numbers are used as written (no unit to convert, no scale label to look up)."""
        return self.indicator.measure is not Measure.ordinal

    @property
    def reads_first(self) -> bool:
        return reads_first(self.indicator)


def reads_first(indicator: Indicator) -> bool:
    """Whether scoring may read a series' first period, which becomes its baseline when it
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
    (`_group_table`), for `codegroups.prefetched` to work out together: short ones too,
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
    periods, series = groups.periods, groups.series
    for obs in observations:
        value = obs.value
        if not plain or obs.unit or isinstance(value, str):
            value = numeric(indicator, value, obs.unit, factor, f"observation {obs.period}")
        period = obs.period
        if period.start > as_of:
            continue
        item = (obs, value)
        site = obs.site
        when = (period.end, period.start)
        if obs.dimensions:
            key: SeriesKey = (site, dims_of(obs.dimensions))
        else:
            group = periods.get(when)
            if group is None:
                periods[when] = [item]
            else:
                group.append(item)
            if site is None:
                continue  # a total row: not a breakdown
            key = (site, ())
        # `keep_best`, written out: this runs once per observation of the YAML.
        kept = series.get(key)
        if kept is None:
            series[key] = {when: item}
        else:
            held = kept.get(when)
            if held is None or best_of_period(item, held):
                kept[when] = item


def keep_best(series: dict[SeriesKey, dict[LatestKey, Counted]], key: SeriesKey,
              when: LatestKey, item: Counted) -> None:
    """Keep `item` as its breakdown's row of its period unless a better one came first."""
    kept = series.get(key)
    if kept is None:
        series[key] = {when: item}
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
    A table of VECTOR_MIN_ROWS or more, or one `codegroups.prefetched` worked out, adds
    only the rows scoring reads (`_group_rows_read`).
    """
    indicator, factor, as_of, plain = groups.indicator, groups.factor, groups.as_of, groups.plain
    if plain:
        if len(table) >= VECTOR_MIN_ROWS:
            read = rows_read(table, as_of, groups.reads_first)
        else:
            ready = None if groups.reads_first else prefetched_read(table, as_of)
            read = None if ready is None else ready[0]
        if read is not None:
            _group_rows_read(groups, table, *read)
            return
    periods, series = groups.periods, groups.series
    d = table.dictionary
    all_periods, all_values, all_extras, all_sizes = d.periods, d.values, d.extras, d.sizes
    whens: dict[int, LatestKey] = {}  # period code -> (end, start), or _NOT_COUNTED
    keys: dict[int, tuple[SeriesKey | None, bool, str | None, Mapping[str, str]]] = {}
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
        # than called: a call per row would cost about a tenth of scoring at 5,000,000 rows.
        if key is not None:
            kept = series.get(key)
            if kept is None:
                series[key] = {when: item}
            else:
                before = kept.get(when)
                if before is None or best_of_period(item, before):
                    kept[when] = item


VECTOR_MIN_ROWS = 64
"""A table this long is grouped from the rows scoring reads (`codegroups.rows_read`); below
it, walking the rows costs less than the array operations."""


def _group_rows_read(
    groups: _Groups, table: ObservationTable, total_rows: list[int], breakdown_rows: list[int]
) -> None:
    """`_group_table` of the rows `codegroups.rows_read` chose, with the walk's grouping:
    periods gain their total rows in file order, breakdowns their best row of a period."""
    periods, series = groups.periods, groups.series
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
        keep_best(series, (extras.site, dims_of(split)) if split else (extras.site, ()), when,
                  item)


def row_of(item: Counted, dims: Dims) -> Row:
    """The `Row` that `rows_of` makes of a counted observation (`dims`: its dimensions)."""
    obs, value = item
    return _row(obs.period, value, str(obs.value), obs.sample_size, obs.site, dims)


def counted(rows: Iterable[Row], as_of: date) -> list[Row]:
    """An observation counts once its period has started on or before `as_of`."""
    return [r for r in rows if r.period.start <= as_of]


def latest_key(period: Period) -> tuple[date, int]:
    """Latest end first; on a tie, the shorter period."""
    return (period.end, -period.days)


def period_id(period: Period) -> tuple[date, date]:
    return (period.start, period.end)


@dataclass(frozen=True)
class Total:
    period: Period
    value: Decimal
    sample_size: int | None
    origin: str  # total | sites
    parts: tuple[tuple[str, Decimal], ...] = ()
    note: str = ""


def _total(period: Period, value: Decimal, sample_size: int | None, origin: str,
           parts: tuple[tuple[str, Decimal], ...], note: str) -> Total:
    """`Total(...)`, built as `_row` is."""
    total = _new(Total)
    _set(total, "__dict__", {"period": period, "value": value, "sample_size": sample_size,
                             "origin": origin, "parts": parts, "note": note})
    return total


def _combine(
    rows: Sequence[Row], aggregation: Aggregation, measure: Measure
) -> tuple[Decimal, int | None, str]:
    sizes = [r.sample_size for r in rows]
    all_sized = None not in sizes
    total_n = sum(s for s in sizes if s is not None) if all_sized else None
    if aggregation is Aggregation.sum and measure is not Measure.ordinal:
        return sum((r.value for r in rows), Decimal(0)), total_n, ""
    if aggregation is Aggregation.weighted_mean and all_sized and total_n:
        weighted = sum((r.value * (r.sample_size or 0) for r in rows), Decimal(0))
        return weighted / total_n, total_n, ""
    mean = sum((r.value for r in rows), Decimal(0)) / len(rows)
    if aggregation is Aggregation.weighted_mean:
        return mean, total_n, "weighted mean without a sample size on every site row: plain mean"
    note = "ordinal positions are averaged, never summed" if measure is Measure.ordinal else ""
    return mean, total_n, note


def _by_site_then_value(row: Row) -> tuple[str, Decimal]:
    return (row.site or "", row.value)


def _by_site(row: Row) -> str:
    return row.site or ""


def _by_period(total: Total) -> tuple[date, date]:
    return (total.period.start, total.period.end)


def totals(rows: Sequence[Row], indicator: Indicator) -> list[Total]:
    """The total series: per period, the total row, or the site rows combined."""
    aggregation = indicator.effective_aggregation
    measure = indicator.measure
    by_period: dict[tuple[date, date], list[Row]] = {}
    for row in rows:
        if row.dims:
            continue
        period = row.period
        key = (period.start, period.end)
        group = by_period.get(key)
        if group is None:
            by_period[key] = [row]
        else:
            group.append(row)
    site_rows: list[Row] | None = None
    out: list[Total] = []
    for group in by_period.values():
        if aggregation is not Aggregation.latest or any(r.site is None for r in group):
            out.append(group_total(group, aggregation, measure))
            continue
        period = group[0].period
        if site_rows is None:
            site_rows = [r for r in rows if r.site is not None and not r.dims]
        parts_rows = _carry_forward(site_rows, period)
        inner = Aggregation.sum if measure is Measure.unit else Aggregation.weighted_mean
        value, n, note = _combine(parts_rows, inner, measure)
        note = "; ".join(x for x in ("each site's latest value carried forward", note) if x)
        ordered = sorted(parts_rows, key=_by_site) if len(parts_rows) > 1 else parts_rows
        parts = tuple((r.site or "", r.value) for r in ordered)
        out.append(Total(period, value, n, "sites", parts, note))
    out.sort(key=_by_period)
    return out


def group_total(group: Sequence[Row], aggregation: Aggregation, measure: Measure) -> Total:
    """One period's total: its total row (the largest sample), or its site rows combined.

    Not for site rows of a `latest` indicator: those carry forward other periods' rows
    (`totals`).
    """
    period = group[0].period
    if len(group) == 1 and aggregation is not Aggregation.latest:
        # One row for the period (the common case): itself, or its only site.
        row = group[0]
        if row.site is None:
            return _total(period, row.value, row.sample_size, "total", (), "")
        if aggregation is Aggregation.sum and measure is not Measure.ordinal:
            # _combine of one row: 0 + its value, its sample size
            return _total(period, ZERO + row.value, row.sample_size, "sites",
                          ((row.site, row.value),), "")
        value, n, note = _combine(group, aggregation, measure)
        return _total(period, value, n, "sites", ((row.site, row.value),), note)
    whole = [r for r in group if r.site is None]
    if whole:
        best = max(whole, key=lambda r: (r.sample_size or 0, r.value))
        note = "several total rows for this period; used the largest sample" if len(
            whole
        ) > 1 else ""
        return Total(period, best.value, best.sample_size, "total", (), note)
    parts_rows = sorted(group, key=_by_site_then_value) if len(group) > 1 else group
    value, n, note = _combine(parts_rows, aggregation, measure)
    ordered = sorted(parts_rows, key=_by_site) if len(parts_rows) > 1 else parts_rows
    parts = tuple((r.site or "", r.value) for r in ordered)
    return Total(period, value, n, "sites", parts, note)


def _carry_forward(site_rows: Sequence[Row], period: Period) -> list[Row]:
    latest: dict[str, Row] = {}
    for row in site_rows:
        if row.period.end > period.end or row.site is None:
            continue
        held = latest.get(row.site)
        if held is None or (latest_key(row.period), row.value) > (
            latest_key(held.period),
            held.value,
        ):
            latest[row.site] = row
    return [latest[s] for s in sorted(latest)]


def series_rows(rows: Sequence[Row]) -> dict[SeriesKey, list[Row]]:
    """Disaggregated and site series, keyed by (site, dimensions); the total excluded."""
    out: dict[SeriesKey, list[Row]] = {}
    for row in rows:
        if row.site is None and not row.dims:
            continue  # a total row
        key = (row.site, row.dims)
        group = out.get(key)
        if group is None:
            out[key] = [row]
        else:
            group.append(row)
    return out


def latest_total(items: Sequence[Total]) -> Total:
    return max(items, key=lambda t: latest_key(t.period))


def overlapping(items: Sequence[Total]) -> bool:
    ordered = sorted(items, key=lambda t: (t.period.start, t.period.end))
    return any(b.period.start <= a.period.end for a, b in pairwise(ordered))


@dataclass(frozen=True)
class ChosenTarget:
    target: Target
    value: Decimal
    rule: str


TargetShape = tuple[tuple[date, date, Decimal], ...]  # per target: start, end, value


def target_shape(targets: Sequence[tuple[Target, Decimal]]) -> TargetShape:
    """All that choosing a target reads: its period and value."""
    return tuple((t[0].period.start, t[0].period.end, t[1]) for t in targets)


def choose_target(
    targets: Sequence[tuple[Target, Decimal]],
    day: date,
    shape: TargetShape | None = None,
) -> ChosenTarget | None:
    """The target whose period contains `day`; else the latest ending before; else the earliest.

    `shape` is `target_shape(targets)`, when the caller already has it.
    """
    if not targets:
        return None
    index, rule = pick_target(shape if shape is not None else target_shape(targets), day)
    target, value = targets[index]
    return ChosenTarget(target, value, rule)


def _pick(shape: TargetShape, day: date) -> tuple[int, str]:
    """`choose_target` on periods and values: the index chosen, and the rule that chose it."""

    def days(i: int) -> int:
        return (shape[i][1] - shape[i][0]).days + 1

    containing = [i for i, (start, end, _) in enumerate(shape) if start <= day <= end]
    if containing:
        # The most specific (shortest) containing period wins; ties by end, then value.
        best = min(containing, key=lambda i: (days(i), shape[i][1], shape[i][2]))
        return best, f"its period contains {day.isoformat()}"
    before = [i for i, (_, end, _) in enumerate(shape) if end < day]
    if before:
        # latest_key: the latest end, then the shorter period; then the larger value.
        best = max(before, key=lambda i: ((shape[i][1], -days(i)), shape[i][2]))
        return best, f"the latest target ending before {day.isoformat()}"
    best = min(range(len(shape)), key=lambda i: shape[i])
    return best, "no target period reaches back that far: the earliest"


# Cached: the indicators of a programme share a few target calendars and observation days,
# and each breakdown asks again (for its own latest day).
pick_target = lru_cache(maxsize=1 << 14)(_pick)


_CALENDARS: dict[tuple[tuple[date, date], ...] | TargetShape, int] = {}
_PICKS: dict[tuple[int, date], tuple[int, str]] = {}
_calendar_numbers = count()
_SHARED_LIMIT = 1 << 16  # entries; past it a table starts again (numbers are never reused)


def calendar_of(shape: TargetShape) -> int:
    """A number that stands for what `pick_target` reads of `shape`, for `pick_on`.

    A target's value decides only between targets of the same period, so target lists
    whose periods all differ are told apart by their periods alone: the indicators of a
    programme, each with its own target values, mostly share a few calendars ("2012,
    2013"), and a choice made for one serves them all. Hashing the calendar once per
    target list, instead of the whole shape (dates and Decimals) once per breakdown, is
    the point.
    """
    periods = tuple([item[:2] for item in shape])
    key = periods if len(set(periods)) == len(periods) else shape
    number = _CALENDARS.get(key)
    if number is None:
        if len(_CALENDARS) >= _SHARED_LIMIT:
            _CALENDARS.clear()
        number = _CALENDARS[key] = next(_calendar_numbers)
    return number


def pick_on(calendar: int, shape: TargetShape, day: date) -> tuple[int, str]:
    """`pick_target(shape, day)`, shared by every target list of the calendar
    (`calendar_of(shape)`)."""
    key = (calendar, day)
    held = _PICKS.get(key)
    if held is None:
        if len(_PICKS) >= _SHARED_LIMIT:
            _PICKS.clear()
        held = _PICKS[key] = _pick(shape, day)
    return held
