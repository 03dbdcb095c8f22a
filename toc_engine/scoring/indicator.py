"""One indicator's score (scoring.md §1): its total's progress, and each breakdown's.

`score_indicator` is what scoring calls. For an indicator that is neither cumulative nor
`latest` it takes the fast path: the counted rows grouped by period and by breakdown in
one pass (`groups.counted_groups`), the totals of the periods `assess` reads only
(`_read_totals`), and each breakdown from its first and latest periods
(`breakdowns.breakdown_record`). `score_indicator_plain` is the plain path every
indicator can take, and cumulative and `latest` ones do: every row a `Row`, every
period's `Total`, `assess` of the total and of each breakdown. The two agree to the byte:
tests/test_scoring_fast_paths.py compares them on random programmes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..schema.model import Aggregation, Baseline, Direction, Indicator, Measure, Target
from .arith import ZERO, clamp
from .breakdowns import BREAKDOWN_START, breakdown_record, score_breakdown
from .context import ScoringContext
from .groups import counted_groups
from .progress import ASSESSED, NOT_ASSESSABLE, NOT_YET_DUE, Assessment, BaseValue, assess
from .result import (
    Breakdowns,
    IndicatorScore,
    Interval,
    Lines,
    SeriesRecord,
    SeriesScore,
    SurveyStats,
    Whole,
)
from .stats import newcombe, wilson
from .targets import Choices
from .values import (
    TOTAL_KEY,
    BreakdownKey,
    Counted,
    Dims,
    Factor,
    LatestKey,
    NotUsable,
    Row,
    Total,
    breakdown_rows,
    counted,
    dims_of,
    group_total,
    indicator_unit,
    numeric,
    row_of,
    rows_of,
    totals,
)


def _survey(indicator: Indicator, result: Assessment) -> SurveyStats | None:
    """Wilson intervals, and Newcombe's interval for the change, when sample sizes allow."""
    if indicator.measure is not Measure.percentage or result.actual is None:
        return None
    actual_n = result.actual.sample_size
    base = result.baseline
    base_n = result.baseline_n
    if actual_n is None and base_n is None:
        return None

    def share(v: Decimal | None) -> float | None:
        if v is None or not ZERO <= v <= 100:
            return None
        return float(v) / 100.0

    a_share = share(result.actual.value)
    b_share = share(base.value) if base else None
    a_int = b_int = diff_int = None
    difference = significant = None
    if a_share is not None and actual_n:
        low, high = wilson(a_share, actual_n)
        a_int = Interval(100 * low, 100 * high)
    if b_share is not None and base_n:
        low, high = wilson(b_share, base_n)
        b_int = Interval(100 * low, 100 * high)
    if a_share is not None and b_share is not None and actual_n and base_n:
        d, low, high = newcombe(a_share, actual_n, b_share, base_n)
        difference = 100 * d
        diff_int = Interval(100 * low, 100 * high)
        significant = low > 0 or high < 0
    return SurveyStats(b_int, a_int, difference, diff_int, significant)


def _not_assessable(indicator: Indicator, reason: str, weight: Decimal) -> IndicatorScore:
    return IndicatorScore(
        id=indicator.id,
        name=str(indicator.name) if isinstance(indicator.name, str) else _first(indicator.name),
        measure=indicator.measure.value,
        direction=indicator.direction.value if indicator.direction else None,
        unit=indicator_unit(indicator),
        weight=weight,
        status=NOT_ASSESSABLE,
        reason=reason,
        method="none",
        baseline=None,
        target=None,
        actual=None,
        progress=None,
        progress_clamped=None,
        sensitive=indicator.sensitive,
        has_declared_baseline=indicator.baseline is not None,
        has_method=indicator.method is not None,
        has_source=bool(indicator.source),
    )


def _first(text: dict[str, str]) -> str:
    return text.get("en") or next(iter(text.values()), "")


def _base_value(indicator: Indicator, baseline: Baseline, factor: Factor) -> BaseValue:
    value = numeric(indicator, baseline.value, baseline.unit, factor, "baseline")
    return BaseValue(value, str(baseline.period), baseline.sample_size, "declared",
                     raw=str(baseline.value) if indicator.measure is Measure.ordinal else "",
                     end=baseline.period.end)


def _start_end(key: LatestKey) -> tuple[date, date]:
    return (key[1], key[0])


def _read_totals(
    indicator: Indicator,
    periods: dict[LatestKey, list[Counted]],
    baseline: BaseValue | None,
    targets: list[tuple[Target, Decimal]],
) -> list[Total]:
    """The period totals `assess` reads of a non-cumulative, non-`latest` indicator.

    It reads the first period (which becomes the baseline when none is declared and it
    predates every target) and the latest remaining period, nothing else; so only those
    totals are built, in period order. The other periods' totals would be the same
    whichever are left out: each is its own period's rows combined (`group_total`).
    """
    if not periods:
        return []
    latest = max(periods)  # LatestKey: the latest end, then the shortest period
    keys = [latest]
    if baseline is None and indicator.direction is not Direction.maintain and targets:
        first = min(periods, key=_start_end)
        if first != latest:
            keys = [first, latest]
        else:  # the first period is also the latest: the one before it, should it go
            rest = [k for k in periods if k != first]
            keys = [first, max(rest)] if rest else [first]
    aggregation, measure = indicator.effective_aggregation, indicator.measure
    return [
        group_total([row_of(item, ()) for item in periods[k]], aggregation, measure)
        for k in keys
    ]


def _breakdown_order(item: tuple[BreakdownKey, object]) -> tuple[str, Dims]:
    return (item[0][0] or "", item[0][1])


def _ordered(breakdowns: dict[BreakdownKey, dict[LatestKey, Counted]]
             ) -> list[tuple[BreakdownKey, dict[LatestKey, Counted]]]:
    """`breakdowns`' items by `_breakdown_order`: by their keys as they are (the same order
    while no site is None, or every site is), else by `_breakdown_order` (None and a site
    cannot be compared). Keys are unique, so the groups are never compared."""
    try:
        return sorted(breakdowns.items())
    except TypeError:
        return sorted(breakdowns.items(), key=_breakdown_order)


def score_indicator(indicator: Indicator, as_of: date, context: ScoringContext
                    ) -> IndicatorScore:
    """Progress of one indicator as of `as_of`, with its breakdowns beside it."""
    fast = not (indicator.cumulative or indicator.effective_aggregation is Aggregation.latest)
    return _score(indicator, as_of, context, fast)


def score_indicator_plain(indicator: Indicator, as_of: date, context: ScoringContext
                          ) -> IndicatorScore:
    """`score_indicator` the plain way, for every indicator (see the module)."""
    return _score(indicator, as_of, context, False)


def _score(indicator: Indicator, as_of: date, context: ScoringContext, fast: bool
           ) -> IndicatorScore:
    weight = indicator.weight
    if indicator.measure is Measure.qualitative:
        return _not_assessable(
            indicator, "qualitative measure: judged through evidence claims", weight
        )
    if indicator.direction is None:
        return _not_assessable(indicator, "no direction (increase, decrease, maintain)", weight)
    factor = context.factor
    rows: list[Row] = []
    periods: dict[LatestKey, list[Counted]] = {}
    groups: dict[BreakdownKey, dict[LatestKey, Counted]] = {}
    try:
        if fast:
            periods, groups = counted_groups(indicator, indicator.observations, factor, as_of,
                                             context.tables)
        else:
            rows = counted(rows_of(indicator, indicator.observations, factor), as_of)
        by_key: dict[BreakdownKey, list[tuple[Target, Decimal]]] = {}
        plain = indicator.measure is not Measure.ordinal  # numbers used as written
        for t in indicator.targets:
            value = t.value
            if not plain or t.unit or isinstance(value, str):
                value = numeric(indicator, value, t.unit, factor, f"target {t.period}")
            by_key.setdefault((t.site, dims_of(t.dimensions)), []).append((t, value))
        base = indicator.baseline
        base_key: BreakdownKey = (base.site, dims_of(base.dimensions)) if base else TOTAL_KEY
        baseline = _base_value(indicator, base, factor) if base else None
    except NotUsable as err:
        return _not_assessable(indicator, str(err), weight)

    choices = Choices(context.calendars, as_of)
    total_targets = by_key.get(TOTAL_KEY, [])
    total_baseline = baseline if base_key == TOTAL_KEY else None
    show_parts = not indicator.sensitive  # site values of sensitive indicators never leave
    result = assess(indicator,
                    _read_totals(indicator, periods, total_baseline, total_targets) if fast
                    else totals(rows, indicator),
                    total_baseline, total_targets, choices, show_parts=show_parts)

    # A part of a count (scoring.md §1) is not measured against the whole's target: it
    # reports its value and its share of the total. A level (a share, a mean, a position
    # on a scale) is measured against the total's target.
    count = (indicator.effective_aggregation is Aggregation.sum
             and indicator.measure is Measure.unit)
    parts_targets = [] if count else total_targets

    def inputs(key: BreakdownKey) -> tuple[BaseValue | None, list[tuple[Target, Decimal]], bool]:
        """A breakdown's baseline and targets, and whether the targets are its own: with
        none of its own, the total's (most breakdowns of a level; none for a count)."""
        own = by_key.get(key)
        own_baseline = baseline if key == base_key else None if own else total_baseline
        if indicator.cumulative and key != base_key:
            # A breakdown of additions starts from nothing, not from the total's baseline.
            own_baseline = BREAKDOWN_START
        return own_baseline, own or parts_targets, bool(own)

    scored: list[SeriesScore | SeriesRecord] = []
    if fast:
        # Most breakdowns have no target of their own and are not the baseline's: they
        # take the total's baseline and targets (`inputs`), worked out once here.
        shared = (total_baseline, parts_targets, False)
        memo = context.progress
        for key, per_period in _ordered(groups):
            given = inputs(key) if key in by_key or key == base_key else shared
            scored.append(breakdown_record(indicator, key, per_period, *given, choices, memo))
    else:
        for key, brows in sorted(breakdown_rows(rows).items(), key=_breakdown_order):
            scored.append(score_breakdown(indicator, key, brows, *inputs(key), choices))
    progress = result.progress if result.status in (ASSESSED, NOT_YET_DUE) else None
    whole = None
    if count and result.actual is not None and result.actual.value is not None:
        if indicator.cumulative:  # the parts add up to what was added since the baseline
            start = result.baseline.value if result.baseline is not None else None
            whole = Whole(result.actual.value - (start or ZERO), None)
        else:
            whole = Whole(result.actual.value, result.actual.period)
    return IndicatorScore(
        indicator.id,
        str(indicator.name) if isinstance(indicator.name, str) else _first(indicator.name),
        indicator.measure.value,
        indicator.direction.value,
        indicator_unit(indicator),
        weight,
        result.status,
        result.reason,
        result.method,
        result.baseline,
        result.target,
        result.actual,
        progress,
        clamp(progress) if progress is not None else None,
        tuple(result.flags),
        Lines(result.steps),
        _survey(indicator, result),
        Breakdowns(scored, whole),
        indicator.sensitive,
        indicator.baseline is not None,
        indicator.method is not None,
        bool(indicator.source),
        due=result.due,
        next_target=result.next_target,
        next_due=result.next_due,
        pace=result.pace,
        trajectory_status=result.trajectory_status,
        trajectory=indicator.trajectory.value,
        scale=tuple(str(entry) for entry in indicator.scale or ())
        if indicator.measure is Measure.ordinal else (),
    )
