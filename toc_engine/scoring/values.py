"""Which numbers count: format.md's "Values over time", as plain functions.

Everything here is order-independent on purpose: the file's lists may be
written in any order and the same numbers are chosen (of two rows equal in value
and sample size, the first written is kept; only its period's spelling can show it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

from ..schema.model import Aggregation, Indicator, Measure, Observation, Target
from ..schema.observations import ObservationList, Reading, missing_values
from ..schema.periods import Period
from .result import MissingValue

Dims = tuple[tuple[str, str], ...]
BreakdownKey = tuple[str | None, Dims]
TOTAL_KEY: BreakdownKey = (None, ())
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
        from ..schema.units import conversion_factor  # lazy: pint is slow to import

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
    def key(self) -> BreakdownKey:
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
    Observation per row would cost more than scoring it, and a national programme has
    millions)."""
    if isinstance(observations, ObservationList):
        return observations.rows()
    return [o for o in observations if o.value is not None]  # a missing value never counts


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
        assert value is not None  # `readings` leaves missing values out
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


UNWEIGHTED = "weighted mean without a sample size on every site row: plain mean"


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
        return mean, total_n, UNWEIGHTED
    note = "ordinal positions are averaged, never summed" if measure is Measure.ordinal else ""
    return mean, total_n, note


def _by_site_then_value(row: Row) -> tuple[str, Decimal]:
    return (row.site or "", row.value)


def _by_site(row: Row) -> str:
    return row.site or ""


def _by_period(total: Total) -> tuple[date, date]:
    return (total.period.start, total.period.end)


def totals(rows: Sequence[Row], indicator: Indicator) -> list[Total]:
    """The total's value of each period: its total row, or its site rows combined."""
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


def breakdown_rows(rows: Sequence[Row]) -> dict[BreakdownKey, list[Row]]:
    """The rows of each breakdown (by site, by dimensions), keyed by (site, dimensions);
    the total's rows excluded."""
    out: dict[BreakdownKey, list[Row]] = {}
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
    pending: bool = False  # not fallen due by `assessed_at`, and no milestone has
    next: ChosenTarget | None = None  # the target this milestone stands in for


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


def pick_target(shape: TargetShape, day: date) -> tuple[int, str]:
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
    return best, f"the earliest target, since every target comes after {day.isoformat()}"


def missing_of(indicator: Indicator) -> tuple[MissingValue, ...]:
    """The observations of an indicator that say why a value is missing, for listing.

    They are never counted (`readings` leaves them out); a sensitive indicator's show
    only their period (see `MissingValue`)."""
    gaps = missing_values(indicator.observations)
    if indicator.sensitive:
        return tuple(MissingValue(str(o.period), None, (), None) for o in gaps)
    return tuple(
        MissingValue(str(o.period), o.site, tuple(sorted(o.dimensions.items())),
                     o.missing if isinstance(o.missing, str) else None)
        for o in gaps
    )
