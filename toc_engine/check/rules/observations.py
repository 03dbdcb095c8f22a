"""TOC318 to TOC320: observations that would change a score without anyone noticing.

One indicator, period, site and set of dimensions has at most one observation across the
YAML and every CSV file (TOC318): a second would be summed into the total. A percentage
whose observations all look like fractions of its baseline and targets, or the reverse,
was exported on the other scale (TOC319). An observation gives a value or says why it is
missing, never neither or both (TOC320).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from itertools import repeat
from typing import Any

from ...findings.diagnostic import Diagnostic, Severity, Span
from ...findings.examples import VALID
from ...schema.model import Indicator, Measure, Observation
from ...schema.observations import Dictionary, ObservationTable, as_list
from ..context import Context, Path_
from ..registry import rule

E, W = Severity.ERROR, Severity.WARNING

MEETINGS_TARGETS = "        targets: [{period: 2013, value: 12}]\n"
FEEL_SAFE_TARGETS = "        targets: [{period: 2013, value: 60}]\n"


def _observed(anchor: str, lines: str) -> str:
    """The valid example with `lines` of observations after the line `anchor`."""
    return VALID.replace(anchor, anchor + "        observations:\n" + lines)


Key = tuple[Any, ...]  # period start, period end, site, sorted dimensions


def _key(period: Any, site: str | None, dimensions: Any) -> Key:
    return (period.start, period.end, site, tuple(sorted(dimensions.items())))


class _Canonical:
    """Per CSV file dictionary, each period code and extras code as its part of a `Key`.

    Two spellings of one period, or two rows differing only in `source` or `note`, code
    differently but are the same observation: `injective` says whether this can happen."""

    def __init__(self, dictionary: Dictionary) -> None:
        self.periods = [(p.start, p.end) for p in dictionary.periods]
        self.extras = [(x.site, tuple(sorted(x.dimensions.items()))) for x in dictionary.extras]
        self.injective = (len(set(self.periods)) == len(self.periods)
                          and len(set(self.extras)) == len(self.extras))


def _table_keys(table: ObservationTable, canonical: _Canonical) -> Iterator[tuple[Key, int]]:
    """(key, row) of each row of a CSV table."""
    periods, extras = canonical.periods, canonical.extras
    extra_codes = repeat(0) if table.extras is None else table.extras
    for row, (p, x) in enumerate(zip(table.periods, extra_codes, strict=False)):
        yield (*periods[p], *extras[x]), row


def _distinct_declared(declared: list[Observation]) -> bool:
    """Whether no two observations written in the YAML share a key (no location looked up)."""
    keys = {(o.period.start, o.period.end, o.site,
             tuple(sorted(o.dimensions.items())) if o.dimensions else ()) for o in declared}
    return len(keys) == len(declared)


def _distinct_rows(table: ObservationTable) -> bool:
    """Whether no two rows of the table share period and extras codes (at C speed)."""
    if table.extras is None:
        return len(set(table.periods)) == len(table)
    return len(set(zip(table.periods, table.extras, strict=True))) == len(table)


@rule(
    "TOC318",
    "duplicate-observation",
    E,
    "indicators",
    _observed(MEETINGS_TARGETS, "          - {period: 2012, value: 4}\n"
              "          - {period: 2012, value: 5}\n"),
    _observed(MEETINGS_TARGETS, "          - {period: 2012, value: 4}\n"
              "          - {period: 2013, value: 5}\n"),
    fail_at="26:13",
)
def check_duplicates(ctx: Context) -> Iterator[Diagnostic]:
    """An indicator has two observations for one period, site and set of dimensions.

    An indicator, period, site and set of dimensions has at most one observation,
    across the YAML and every CSV file. A second one would be added to the total (two
    identical rows double it), so it is an error naming both places, whatever the two
    values are. A correction replaces the old row (the repository's history keeps it);
    observations of different sites or groups each name their `site` or dimensions.
    A row that records a missing value counts as an observation here too.
    """
    canonical: dict[int, _Canonical] = {}
    for r, i, _result, indicator in ctx.indicators():
        listed = as_list(indicator.observations)
        tables = [t for t in listed.tables if len(t)]
        for table in tables:
            if id(table.dictionary) not in canonical:
                canonical[id(table.dictionary)] = _Canonical(table.dictionary)
        one_source = len(tables) == 1 and not listed.declared and not listed.absent
        if one_source and canonical[id(tables[0].dictionary)].injective and _distinct_rows(
            tables[0]
        ):
            continue  # the common case: one file's rows, each distinct
        if not tables and not listed.absent and _distinct_declared(listed.declared):
            continue  # the YAML's observations alone, each distinct
        yield from _duplicates(ctx, ("results", r, "indicators", i), indicator, listed,
                               canonical)


def _duplicates(ctx: Context, base: Path_, indicator: Indicator, listed: Any,
                canonical: dict[int, _Canonical]) -> Iterator[Diagnostic]:
    # key -> where it was first seen, and its observation (or the table and row to build it)
    first: dict[Key, tuple[Span, Any]] = {}

    def seen(key: Key, where: Span, observation: Any) -> Diagnostic | None:
        found = first.setdefault(key, (where, observation))
        if found[0] is where:
            return None
        before, earlier = found
        if isinstance(earlier, tuple):
            earlier = earlier[0][earlier[1]]
        return DUPLICATE(
            f"a second observation of '{indicator.id}' for {_describe(observation)} "
            f"({_value(observation)}); the first is at {before.file}:{before.line} "
            f"({_value(earlier)}): it would be counted twice",
            where,
            hint="keep one: a correction replaces the old row (the history keeps it); "
            "observations of different sites or groups each give their `site` or dimensions",
            path=(*base, "observations"),
        )

    for o, observation in enumerate(listed.declared):
        key = _key(observation.period, observation.site, observation.dimensions)
        if (found := seen(key, ctx.locate((*base, "observations", o)), observation)):
            yield found
    for table in listed.tables:
        for key, row in _table_keys(table, canonical[id(table.dictionary)]):
            if key in first:
                where = Span(table.file, table.lines[row], 1)
                if (found := seen(key, where, table[row])):
                    yield found
            else:
                first[key] = (Span(table.file, table.lines[row], 1), (table, row))
    for file, line, observation in listed.absent:
        key = _key(observation.period, observation.site, observation.dimensions)
        if (found := seen(key, Span(file, line, 1), observation)):
            yield found


def _value(observation: Observation) -> str:
    if observation.value is None:
        return f"missing: {observation.missing}"
    return f"value {observation.value}"


def _describe(observation: Observation) -> str:
    text = str(observation.period)
    if observation.site:
        text += f" at site '{observation.site}'"
    if observation.dimensions:
        text += " (" + ", ".join(f"{k}={v}" for k, v in sorted(
            observation.dimensions.items())) + ")"
    return text


DUPLICATE = check_duplicates


@rule(
    "TOC319",
    "percentage-scale",
    W,
    "indicators",
    _observed(FEEL_SAFE_TARGETS, "          - {period: 2012, value: 0.42}\n"),
    _observed(FEEL_SAFE_TARGETS, "          - {period: 2012, value: 42}\n"),
    fail_at="38:35",
)
def check_percentage_scale(ctx: Context) -> Iterator[Diagnostic]:
    """A percentage's observations look like fractions beside its baseline and targets.

    A percentage is written from 0 to 100. A spreadsheet or survey tool that stores
    shares as fractions exports 42 % as 0.42, which would score as 0.42 % and look like
    a collapse. When every observation of a percentage indicator is at most 1 while its
    baseline or a target is above 1, the observations were very likely exported as
    fractions: multiply them by 100. The reverse (every observation above 1 while the
    baseline and every target are at most 1) means the baseline and targets are the
    fractions. An indicator whose values really all lie below 1 % keeps the warning
    quiet by writing its baseline and targets on that scale too.
    """
    for r, i, _result, indicator in ctx.indicators():
        if indicator.measure is not Measure.percentage:
            continue
        facts = ctx.observation_facts(r, i)
        if facts.low is None or facts.high is None:
            continue
        references = [v for v in _reference_values(indicator) if isinstance(v, Decimal)]
        if not references:
            continue
        base: Path_ = ("results", r, "indicators", i)
        one = Decimal(1)
        if facts.high <= one < max(references):
            example = facts.high
            yield SCALE(
                f"every observation of percentage indicator '{indicator.id}' is at most 1 "
                f"while its baseline or targets go up to {max(references)}: were they "
                f"exported as fractions? Write {_times(example, 100)}, not {example}",
                _first_observation(ctx, base, indicator),
                hint="write percentages from 0 to 100: multiply the observations by 100",
                path=(*base, "observations"),
            )
        elif facts.low > one >= max(references):
            example = facts.low
            yield SCALE(
                f"every observation of percentage indicator '{indicator.id}' is above 1 "
                f"while its baseline and targets are at most {max(references)}: are the "
                f"baseline and targets fractions? Write {_times(max(references), 100)}, "
                f"not {max(references)} (observations such as {example} are on 0-100)",
                ctx.locate((*base, "baseline") if indicator.baseline else (*base, "targets")),
                hint="write percentages from 0 to 100: multiply the baseline and targets by 100",
                path=base,
            )


SCALE = check_percentage_scale


def _reference_values(indicator: Indicator) -> list[Any]:
    values = [t.value for t in indicator.targets]
    if indicator.baseline is not None:
        values.append(indicator.baseline.value)
    return values


def _times(value: Decimal, factor: int) -> str:
    shown = (value * factor).normalize()
    return f"{shown:f}"


def _first_observation(ctx: Context, base: Path_, indicator: Indicator) -> Span:
    listed = as_list(indicator.observations)
    for o, observation in enumerate(listed.declared):
        if observation.value is not None:
            return ctx.locate((*base, "observations", o, "value"))
    return ctx.locate((*base, "observations", len(listed.declared), "value"))


@rule(
    "TOC320",
    "value-or-missing",
    E,
    "indicators",
    _observed(MEETINGS_TARGETS, "          - {period: 2012, value: }\n"),
    _observed(MEETINGS_TARGETS, "          - {period: 2012, missing: 'not collected: road "
              "closed by flooding'}\n"),
    fail_at="25:13",
)
def check_value_or_missing(ctx: Context) -> Iterator[Diagnostic]:
    """An observation gives neither a value nor a reason it is missing, or both.

    Each observation gives its `value`, or, when none was collected, `missing:` with
    the reason (`{period: 2012-Q3, site: chakkar, missing: "not collected: road closed
    by flooding"}`). A missing value is never a zero: it is not counted, and the score
    and the reports list it. In a CSV file, leave `value` empty and give the reason in
    a `missing` column (TOC016 answers a CSV row that does neither or both).
    """
    for r, i, _result, indicator in ctx.indicators():
        base: Path_ = ("results", r, "indicators", i)
        for o, observation in enumerate(as_list(indicator.observations).declared):
            reason = observation.missing
            if reason is None and observation.value is not None:
                continue  # a value, as nearly every observation has
            has_reason = isinstance(reason, str) and bool(reason.strip())
            if observation.value is None and not has_reason:
                path = (*base, "observations", o)
                yield VALUE_OR_MISSING(
                    f"observation of '{indicator.id}' for {observation.period} has no value"
                    + (" and an empty `missing` reason" if reason is not None else ""),
                    ctx.locate(path),
                    hint="write the number in `value:`; if it was not collected, say why "
                    "instead: `missing: not collected, road closed` (never write 0)",
                    path=path,
                )
            elif observation.value is not None and reason is not None:
                path = (*base, "observations", o, "missing")
                yield VALUE_OR_MISSING(
                    f"observation of '{indicator.id}' for {observation.period} gives a value "
                    "and also says it is missing",
                    ctx.locate(path),
                    hint="keep one: remove `missing:` if the value was collected, or `value:` "
                    "if it was not",
                    path=path,
                )


VALUE_OR_MISSING = check_value_or_missing
