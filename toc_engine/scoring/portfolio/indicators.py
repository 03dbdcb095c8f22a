"""Library indicators across programmes, combined only where that means something.

Programmes that `use:` the same library entry measure the same thing, as child projects
report to a parent. Counts are summed (units converted with pint), percentages combined
with their sample sizes; a level, a mean or an ordinal position is listed, never added;
entries whose definitions differ are kept apart. Every programme's contribution is
kept beside the total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ...schema.units import conversion_factor
from .judgements import IndicatorValue, Judgements


@dataclass(frozen=True, slots=True)
class Contribution:
    programme: str
    country: str | None
    indicator: str
    value: Decimal | None
    unit: str | None
    period: str | None
    sample_size: int | None
    status: str


@dataclass(frozen=True, slots=True)
class IndicatorAggregate:
    use: str
    name: str
    definition: str | None
    measure: str
    unit: str | None
    method: str  # sum | sample_weighted | not_combined
    value: Decimal | None
    sample_size: int | None
    note: str
    periods: tuple[str, ...]
    contributions: tuple[Contribution, ...]
    sensitive: bool


def aggregate_indicators(programmes: Iterable[Judgements]) -> tuple[IndicatorAggregate, ...]:
    groups: dict[tuple[str, str | None, str, str], list[tuple[Judgements, IndicatorValue]]] = {}
    for j in programmes:
        for value in j.indicators:
            key = (value.use, value.definition, value.measure, value.aggregation)
            groups.setdefault(key, []).append((j, value))
    uses: dict[str, int] = {}
    for use, *_rest in groups:
        uses[use] = uses.get(use, 0) + 1
    return tuple(
        _aggregate(members, uses[key[0]] > 1)
        for key, members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
        if len({j.programme for j, _v in members}) > 1
    )


def _aggregate(members: list[tuple[Judgements, IndicatorValue]], split: bool) -> IndicatorAggregate:
    first = members[0][1]
    contributions = tuple(
        Contribution(
            j.programme, j.country, v.id, v.value, v.unit, v.period, v.sample_size, v.status
        )
        for j, v in members
    )
    counted = [(j, v) for j, v in members if v.value is not None]
    method, total, size, note = "not_combined", None, None, ""
    if not counted:
        note = "no programme has a value yet"
    elif first.measure == "unit" and first.aggregation == "sum":
        method, total, note = _sum(counted, first.unit)
    elif first.measure == "percentage":
        if all(v.sample_size for _j, v in counted):
            size = sum(v.sample_size or 0 for _j, v in counted)
            weighted = sum((v.value or Decimal(0)) * (v.sample_size or 0) for _j, v in counted)
            method, total = "sample_weighted", weighted / Decimal(size)
            note = "percentages weighted by their sample sizes"
        else:
            note = "not combined: a percentage without its sample size cannot be weighted"
    else:
        note = f"not combined: a {first.measure} measured as {first.aggregation} is not added"
    if split:
        kept_apart = "other programmes use this entry with another definition, kept apart"
        note = f"{note}; {kept_apart}" if note else kept_apart
    periods = tuple(sorted({v.period for _j, v in counted if v.period}))
    return IndicatorAggregate(
        use=first.use,
        name=first.name,
        definition=first.definition,
        measure=first.measure,
        unit=first.unit,
        method=method,
        value=total,
        sample_size=size,
        note=note,
        periods=periods,
        contributions=contributions,
        sensitive=any(v.sensitive for _j, v in members),
    )


def _sum(
    counted: list[tuple[Judgements, IndicatorValue]], unit: str | None
) -> tuple[str, Decimal | None, str]:
    total = Decimal(0)
    converted = False
    for _j, v in counted:
        factor = Decimal(1)
        if unit and v.unit and v.unit != unit:
            found = conversion_factor(v.unit, unit, v.unit_definitions)
            if found is None:
                return "not_combined", None, f"not combined: {v.unit} is not convertible to {unit}"
            factor, converted = found, True
        total += (v.value or Decimal(0)) * factor
    return "sum", total, f"sum, converted to {unit}" if converted else "sum"
