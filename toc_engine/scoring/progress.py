"""Indicator progress (scoring.md §1): p = (A − B) / (T − B), and when it cannot be computed.

Each indicator ends in one status (assessed, no_data, no_target,
not_assessable) with a reason, and every step of the arithmetic is kept as a
line of text (written when read) so `toc score --explain` can show it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, getcontext

from ..schema.model import Aggregation, Baseline, Direction, Indicator, Measure, Target
from ..schema.periods import Period
from .arith import CLAMP_HIGH, ONE, ZERO, clamp, fmt, q9
from .result import (
    Breakdowns,
    IndicatorScore,
    Interval,
    Lines,
    SeriesRecord,
    SeriesScore,
    SurveyStats,
    TargetPoint,
    ValuePoint,
)
from .stats import newcombe, wilson
from .values import (
    TOTAL_KEY,
    ChosenTarget,
    Counted,
    Dims,
    Factor,
    LatestKey,
    NotUsable,
    Row,
    SeriesKey,
    TargetShape,
    Total,
    calendar_of,
    counted,
    counted_groups,
    dims_of,
    group_total,
    indicator_unit,
    latest_total,
    numeric,
    overlapping,
    pick_on,
    row_of,
    rows_of,
    series_rows,
    target_shape,
    totals,
)

ASSESSED, NO_DATA, NO_TARGET, NOT_ASSESSABLE = "assessed", "no_data", "no_target", "not_assessable"
FLAG_NO_BASELINE = "no_baseline"
FLAG_FIRST_OBSERVATION = "baseline_from_first_observation"


@dataclass(frozen=True)
class BaseValue:
    value: Decimal
    period_text: str
    sample_size: int | None
    origin: str  # declared | first_observation
    raw: str = ""


Line = Callable[[], str]  # one line of `--explain` text, written only when asked for


@dataclass
class Assessment:
    status: str = NOT_ASSESSABLE
    reason: str = ""
    method: str = "none"
    baseline: ValuePoint | None = None
    target: TargetPoint | None = None
    actual: ValuePoint | None = None
    actual_total: Total | None = None
    progress: Decimal | None = None
    flags: list[str] = field(default_factory=list)
    steps: list[Line] = field(default_factory=list)
    baseline_n: int | None = None


def _target_point(target: Target, value: Decimal, own: bool) -> TargetPoint:
    revised = target.revised
    return TargetPoint(
        value=value,
        period=str(target.period),
        revised_from=revised.from_ if revised else None,
        revised_on=revised.date if revised else None,
        revised_reason=str(revised.reason) if revised else None,
        own=own,
    )


def _describe(total: Total) -> str:
    if total.origin == "total":
        return f"{total.period}, total row"
    parts = " ".join(f"{site}={fmt(v)}" for site, v in total.parts)
    how = f"{len(total.parts)} site rows" + (f" ({parts})" if parts else "")
    return f"{total.period}, from {how}" + (f"; {total.note}" if total.note else "")


def assess(
    indicator: Indicator,
    period_totals: Sequence[Total],
    baseline: BaseValue | None,
    targets: Sequence[tuple[Target, Decimal]],
    *,
    own_targets: bool = True,
    series: bool = False,
    show_parts: bool = True,
    choices: _Choices | None = None,
) -> Assessment:
    """The progress of one series (the total, or a breakdown) from chosen values.

    Series and total follow the same arithmetic; a series (`series=True`) keeps only
    what a `SeriesScore` reports: no baseline point, no explanation. Each step of the
    total's arithmetic is kept as a function that writes its line (`Line`), so the text
    costs nothing until `--explain` reads it: every name a line reads is assigned once,
    before the line is kept.
    """
    choices = choices or _Choices()
    out = Assessment()
    steps: list[Line] = [] if series else out.steps
    direction = indicator.direction
    remaining = list(period_totals)
    if baseline is None and remaining and direction is not Direction.maintain and targets:
        first = min(remaining, key=lambda t: (t.period.start, t.period.end))
        first_target = min(t[0].period.start for t in targets)
        if first.period.end < first_target:
            baseline = BaseValue(first.value, str(first.period), first.sample_size,
                                 "first_observation")
            remaining = [t for t in remaining if t is not first]
            out.flags.append(FLAG_FIRST_OBSERVATION)
            steps.append(
                lambda: f"no baseline declared: the first observation ({first.period}) "
                f"predates the first target period, so it is the baseline"
            )
    if baseline is not None and not series:
        out.baseline = ValuePoint(baseline.value, baseline.period_text, baseline.origin,
                                  baseline.sample_size, raw=baseline.raw)
        out.baseline_n = baseline.sample_size
    if not remaining:
        out.status, out.method = NO_DATA, "none"
        out.reason = (
            "only the observation used as baseline is counted"
            if baseline is not None and baseline.origin == "first_observation"
            else "no counted observation: not assessable, never zero"
        )
        return out
    last = remaining[0] if len(remaining) == 1 else latest_total(remaining)
    if indicator.cumulative:
        start = baseline.value if baseline is not None else ZERO
        value = start + sum((t.value for t in remaining), ZERO)
        counted_periods = remaining

        def additions() -> str:
            ordered = sorted(counted_periods, key=lambda t: t.period.start)
            return " + ".join(fmt(t.value) for t in ordered)

        steps.append(
            lambda: f"cumulative: A = B + sum of counted additions = {fmt(start)} + "
            f"({additions()}) = {fmt(value)}"
        )
        if overlapping(remaining):
            out.flags.append("overlapping_periods")
            steps.append(
                lambda: "warning: counted periods overlap, so some additions may count twice"
            )
        out.actual = ValuePoint(value, str(last.period), "cumulative", None,
                                note=f"{len(remaining)} counted periods")
    else:
        value = last.value
        out.actual = ValuePoint(value, str(last.period), last.origin, last.sample_size,
                                note=last.note)
        if show_parts:
            steps.append(
                lambda: f"A = {fmt(value)} ({_describe(last)}: the latest counted period)"
            )
        else:
            steps.append(
                lambda: f"A = {fmt(value)} ({last.period}, {last.origin}: "
                "the latest counted period)"
            )
    out.actual_total = last
    if not targets:
        out.status, out.reason = NO_TARGET, "no target for this series"
        return out
    chosen = choices.choose(targets, last.period.end)
    assert chosen is not None
    target_value = chosen.value
    out.target = choices.point(chosen, own_targets)
    steps.append(
        lambda: f"T = {fmt(target_value)} ({chosen.target.period}: {chosen.rule}"
        + ("" if own_targets else "; the total's target")
        + ")"
    )
    revised = chosen.target.revised
    if revised:
        steps.append(
            lambda: f"   target revised on {revised.date} from "
            f"{fmt(revised.from_)}: {revised.reason}"
        )
    if direction is Direction.maintain:
        tolerance = indicator.tolerance or ZERO
        distance = abs(value - target_value)
        out.method = "maintain"
        kept = out.progress = Decimal(1) if distance <= tolerance else ZERO
        relation = "<=" if distance <= tolerance else ">"
        steps.append(
            lambda: f"maintain: |A − T| = {fmt(distance)} {relation} tolerance "
            f"{fmt(tolerance)} -> p = {fmt(kept)}"
        )
    elif baseline is not None:
        base = baseline.value
        if target_value == base:
            out.status = NOT_ASSESSABLE
            out.reason = "the target equals the baseline; use direction: maintain"
            return out
        used = baseline
        steps.append(lambda: f"B = {fmt(base)} ({used.period_text}, {used.origin})")
        out.method = "difference"
        kept = out.progress = (value - base) / (target_value - base)
        steps.append(
            lambda: f"p = (A − B) / (T − B) = ({fmt(value)} − {fmt(base)}) / "
            f"({fmt(target_value)} − {fmt(base)}) = {fmt(kept)}"
        )
    else:
        out.flags.append(FLAG_NO_BASELINE)
        out.method = "ratio"
        if direction is Direction.decrease:
            if value == 0:
                out.status = NOT_ASSESSABLE
                out.reason = "no baseline and the actual is 0, so T/A cannot be computed"
                return out
            kept = out.progress = target_value / value
            steps.append(
                lambda: f"no baseline, decreasing: p = T / A = {fmt(target_value)} / "
                f"{fmt(value)} = {fmt(kept)} (flagged; confidence drops)"
            )
        else:
            if target_value == 0:
                out.status = NOT_ASSESSABLE
                out.reason = "no baseline and the target is 0, so A/T cannot be computed"
                return out
            kept = out.progress = value / target_value
            steps.append(
                lambda: f"no baseline: p = A / T = {fmt(value)} / {fmt(target_value)} = "
                f"{fmt(kept)} (flagged; confidence drops)"
            )
    clamped = clamp(kept)
    if clamped != kept:
        steps.append(lambda: f"clamped to [0, 1.5] for scoring: {fmt(clamped)}")
    out.status = ASSESSED
    return out


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
                     raw=str(baseline.value) if indicator.measure is Measure.ordinal else "")


def _period_series(rows: Sequence[Row]) -> list[Total]:
    """A breakdown's own values per period (duplicates: the largest sample, then value)."""
    if len(rows) == 1:
        r = rows[0]
        return [Total(r.period, r.value, r.sample_size, "total")]
    best: dict[tuple[date, date], Row] = {}
    for row in rows:
        key = (row.period.start, row.period.end)
        held = best.get(key)
        if held is None or (row.sample_size or 0, row.value) > (held.sample_size or 0, held.value):
            best[key] = row
    return [
        Total(r.period, r.value, r.sample_size, "total")
        for r in sorted(best.values(), key=lambda r: (r.period.start, r.period.end))
    ]


_MEMO_LIMIT = 1 << 16  # entries of a progress memo; past it, it starts again
_MEMOS: dict[tuple[int, str], dict[tuple[Decimal, Decimal, Decimal | str], tuple[Decimal, Decimal]]]
_MEMOS = {}


def _progress_memo() -> dict[tuple[Decimal, Decimal, Decimal | str], tuple[Decimal, Decimal]]:
    """The shared memo of breakdown progress (rounded, kept) by (A, T, B) or (A, T, the
    ratio), for the decimal context's precision and rounding: what its division reads."""
    context = getcontext()
    return _MEMOS.setdefault((context.prec, context.rounding), {})


class _Choices:
    """One indicator's chosen targets and target points, each worked out once.

    Every breakdown measured against the total's targets asks the same question (which
    target, on which day), so its `TargetPoint` is shared; which target a day chooses is
    shared with the other indicators of the same calendar (`calendar_of`). Target lists
    are told apart by identity: they live as long as the indicator's scoring.
    """

    def __init__(self) -> None:
        self.progress = _progress_memo()
        self._points: dict[tuple[int, bool], TargetPoint] = {}  # by target (alive: the indicator's)
        self._first: dict[int, date] = {}
        self._calendars: dict[int, tuple[int, TargetShape]] = {}
        self._picked: dict[tuple[int, int, str], ChosenTarget] = {}
        self._series: dict[tuple[int, int, bool], tuple[Decimal, TargetPoint]] = {}

    def calendar(self, targets: Sequence[tuple[Target, Decimal]]) -> tuple[int, TargetShape]:
        """`targets`' calendar number (`calendar_of`) and shape, for `pick_on`."""
        held = self._calendars.get(id(targets))
        if held is None:
            shape = target_shape(targets)
            held = self._calendars[id(targets)] = (calendar_of(shape), shape)
        return held

    def _index(self, targets: Sequence[tuple[Target, Decimal]], day: date) -> tuple[int, str]:
        """`pick_target(target_shape(targets), day)`, through the calendar's shared choices."""
        calendar, shape = self.calendar(targets)
        return pick_on(calendar, shape, day)

    def choose(self, targets: Sequence[tuple[Target, Decimal]], day: date) -> ChosenTarget | None:
        """`choose_target(targets, day)`, one object per choice."""
        if not targets:
            return None
        index, rule = self._index(targets, day)
        picked = (id(targets), index, rule)
        held = self._picked.get(picked)
        if held is None:
            target, value = targets[index]
            held = self._picked[picked] = ChosenTarget(target, value, rule)
        return held

    def series_target(
        self, targets: Sequence[tuple[Target, Decimal]], day: date, own: bool
    ) -> tuple[Decimal, TargetPoint]:
        """What a breakdown reads of the target `choose` picks: its value and its point
        (not the rule, which only the total's explanation prints). `targets` is not empty."""
        index = self._index(targets, day)[0]
        key = (id(targets), index, own)
        held = self._series.get(key)
        if held is None:
            target, value = targets[index]
            held = self._series[key] = (value, self._point(target, value, own))
        return held

    def first_start(self, targets: Sequence[tuple[Target, Decimal]]) -> date:
        """The earliest target start: before it, a first observation becomes the baseline."""
        key = id(targets)
        held = self._first.get(key)
        if held is None:
            held = self._first[key] = min(t[0].period.start for t in targets)
        return held

    def point(self, chosen: ChosenTarget, own: bool) -> TargetPoint:
        return self._point(chosen.target, chosen.value, own)

    def _point(self, target: Target, value: Decimal, own: bool) -> TargetPoint:
        key = (id(target), own)  # the same target, whichever day chose it
        held = self._points.get(key)
        if held is None:
            held = self._points[key] = _target_point(target, value, own)
        return held


def _series_score(
    indicator: Indicator,
    key: SeriesKey,
    rows: Sequence[Row],
    baseline: BaseValue | None,
    targets: Sequence[tuple[Target, Decimal]],
    own_targets: bool,
    choices: _Choices,
) -> SeriesScore:
    """A breakdown scored with `assess`: any number of rows, cumulative or not."""
    one = assess(indicator, _period_series(rows), baseline, targets,
                 own_targets=own_targets, series=True, choices=choices)
    progress = one.progress if one.status == ASSESSED else None
    return SeriesScore(
        site=key[0],
        dimensions=key[1],
        actual=one.actual,
        target=one.target,
        progress=q9(progress) if progress is not None else None,
        progress_clamped=q9(clamp(progress)) if progress is not None else None,
    )


def _single_row_series(
    indicator: Indicator,
    key: SeriesKey,
    row: Row,
    baseline: BaseValue | None,
    targets: Sequence[tuple[Target, Decimal]],
    own_targets: bool,
    choices: _Choices,
) -> SeriesScore | SeriesRecord:
    """A breakdown with one counted row, of an indicator that is not cumulative."""
    return _one_reading_series(indicator, key, row.period, row.value, row.sample_size,
                               baseline, targets, own_targets, choices)


def _one_reading_series(
    indicator: Indicator,
    key: SeriesKey,
    period: Period,
    value: Decimal,
    sample_size: int | None,
    baseline: BaseValue | None,
    targets: Sequence[tuple[Target, Decimal]],
    own_targets: bool,
    choices: _Choices,
) -> SeriesScore | SeriesRecord:
    """A breakdown with one counted row (its period, value and sample size), of an
    indicator that is not cumulative.

    Most site series are this (one site reports each period), and there are many of
    them: eight per indicator in a national programme, so no `Row` is built for them.
    The arithmetic is `assess`'s with `series=True`, step for step, but without what a
    `SeriesScore` never shows (the `Assessment`, its `Total`, explanation lines). Keep
    the two in step: tests/test_scoring_breakdown_records.py and tests/test_scoring_breakdowns.py
    score the examples both ways.
    """
    if (
        baseline is None
        and indicator.direction is not Direction.maintain
        and targets
        and period.end < choices.first_start(targets)
    ):
        # Its only row predates every target: it is the baseline, so there is no data.
        return SeriesScore(key[0], key[1], None, None, None, None)
    return _latest_row_series(indicator, key, period, value, sample_size, baseline, targets,
                              own_targets, choices)


def _start_end(key: LatestKey) -> tuple[date, date]:
    return (key[1], key[0])


def _several_rows_series(
    indicator: Indicator,
    key: SeriesKey,
    per_period: dict[LatestKey, Counted],
    baseline: BaseValue | None,
    targets: Sequence[tuple[Target, Decimal]],
    own_targets: bool,
    choices: _Choices,
) -> SeriesScore | SeriesRecord:
    """A breakdown with counted rows in several periods (its row of each period, as
    `_period_series` keeps it), of an indicator that is not cumulative.

    `assess` of its `_period_series` reads two of its periods: the first (the baseline
    when there is none and it predates every target) and the latest remaining one. Only
    those are looked at, with no `Total` per period: a monthly series of a CSV file has
    dozens. tests/test_scoring_fastpath.py scores the examples both ways.
    """
    best = dict(per_period)  # popped below
    if baseline is None and indicator.direction is not Direction.maintain and targets:
        first = min(best, key=_start_end)
        if first[0] < choices.first_start(targets):
            obs, value = best.pop(first)
            baseline = BaseValue(value, str(obs.period), obs.sample_size, "first_observation")
            if not best:  # only the observation used as baseline
                return SeriesScore(key[0], key[1], None, None, None, None)
    obs, value = best[max(best)]  # LatestKey: the latest end, then the shortest period
    return _latest_row_series(indicator, key, obs.period, value, obs.sample_size, baseline,
                              targets, own_targets, choices)


def _latest_row_series(
    indicator: Indicator,
    key: SeriesKey,
    period: Period,
    value: Decimal,
    sample_size: int | None,
    baseline: BaseValue | None,
    targets: Sequence[tuple[Target, Decimal]],
    own_targets: bool,
    choices: _Choices,
) -> SeriesRecord:
    """A non-cumulative breakdown scored from its latest row (its period, value and sample
    size): `assess`'s arithmetic, kept as a `SeriesRecord` (`Breakdowns` makes the
    `SeriesScore` when one is read)."""
    site, dims = key
    text = period.text  # str(period)
    if not targets:
        return (site, dims, value, text, sample_size, None, None, None)
    target_value, target = choices.series_target(targets, period.end, own_targets)
    rounded, kept = _progress_pair(indicator, value, target_value, baseline, choices.progress)
    return (site, dims, value, text, sample_size, target, rounded, kept)


_NO_PROGRESS: tuple[None, None] = (None, None)


def _progress_pair(
    indicator: Indicator,
    value: Decimal,
    target_value: Decimal,
    baseline: BaseValue | None,
    memo: dict[tuple[Decimal, Decimal, Decimal | str], tuple[Decimal, Decimal]],
) -> tuple[Decimal, Decimal] | tuple[None, None]:
    """A breakdown's progress, rounded and kept (clamped), from its reading and target:
    `assess`'s arithmetic with `series=True`; (None, None) when it cannot be computed.

    Breakdowns repeat the same numbers (value, target, baseline) many times: the pair is
    remembered by them in `memo` (`_Choices.progress`).
    """
    direction = indicator.direction
    if direction is Direction.maintain:
        tolerance = indicator.tolerance or ZERO
        rounded = q9(ONE if abs(value - target_value) <= tolerance else ZERO)
        return rounded, rounded
    memo_key: tuple[Decimal, Decimal, Decimal | str]
    if baseline is not None:
        base = baseline.value
        if target_value == base:
            return _NO_PROGRESS
        memo_key = (value, target_value, base)
    elif direction is Direction.decrease:
        if value == 0:
            return _NO_PROGRESS
        memo_key = (value, target_value, "T/A")
    else:
        if target_value == 0:
            return _NO_PROGRESS
        memo_key = (value, target_value, "A/T")
    try:
        held = memo.get(memo_key)
    except TypeError:  # a signalling NaN cannot be hashed: its arithmetic says why
        held = None
    if held is not None:
        return held
    progress: Decimal
    if baseline is not None:
        progress = (value - base) / (target_value - base)
    elif direction is Direction.decrease:
        progress = target_value / value
    else:
        progress = value / target_value
    rounded = q9(progress)
    # clamp() returns progress itself inside [0, 1.5]: then the rounding is the same.
    kept = rounded if ZERO <= progress <= CLAMP_HIGH else q9(clamp(progress))
    if progress:  # a zero's sign (0 or -0, which print apart) is not told by equal numbers
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        memo[memo_key] = (rounded, kept)
    return rounded, kept


def _shared_point(
    target: tuple[Decimal, TargetPoint], direction: Direction | None, baseline: BaseValue | None
) -> tuple[Decimal, TargetPoint, Decimal | str | None]:
    """A target as `_shared_series` reads it: its value and point, and the third part of
    the key under which `_progress_pair` remembers a reading's progress against it, or
    None when that depends on more than the reading (`maintain`; a progress that cannot
    be computed; a decrease without baseline, undefined at 0)."""
    value, point = target
    if direction is Direction.maintain or (direction is Direction.decrease and baseline is None):
        return value, point, None
    if baseline is not None:
        return value, point, None if value == baseline.value else baseline.value
    return value, point, None if value == 0 else "A/T"


def _shared_series(
    indicator: Indicator,
    ordered: Sequence[tuple[SeriesKey, dict[LatestKey, Counted]]],
    baseline: BaseValue | None,
    targets: list[tuple[Target, Decimal]],
    choices: _Choices,
) -> list[SeriesScore | SeriesRecord]:
    """The breakdowns measured against the total's targets and baseline (none of their
    own), in order: most breakdowns of a national programme, eight or more per indicator.

    Each is `_one_reading_series` (one counted period) or `_several_rows_series` of the
    shared inputs; what those steps share is worked out once per indicator, and a
    one-reading breakdown costs a target lookup, a progress lookup and its record.
    tests/test_scoring_breakdowns.py compares it with those steps taken one by one.
    """
    out: list[SeriesScore | SeriesRecord] = []
    append = out.append
    direction = indicator.direction
    first: date | None = None
    if baseline is None and direction is not Direction.maintain and targets:
        first = choices.first_start(targets)  # a lone reading before it is the baseline
    calendar, shape = choices.calendar(targets) if targets else (0, ())
    # By target index: its value, its point, and the third part of `_progress_pair`'s memo
    # key (None: worked out by `_progress_pair` for each reading).
    points: dict[int, tuple[Decimal, TargetPoint, Decimal | str | None]] = {}
    memo = choices.progress
    for key, per_period in ordered:
        if len(per_period) != 1:
            append(_several_rows_series(indicator, key, per_period, baseline, targets, False,
                                        choices))
            continue
        for obs, value in per_period.values():  # its only reading
            period = obs.period
            end = period.end
            if first is not None and end < first:
                append(SeriesScore(key[0], key[1], None, None, None, None))
                continue
            if not targets:
                append((key[0], key[1], value, period.text, obs.sample_size, None, None, None))
                continue
            picked = pick_on(calendar, shape, end)
            held = points.get(picked[0])
            if held is None:
                held = points[picked[0]] = _shared_point(
                    choices.series_target(targets, end, False), direction, baseline
                )
            target_value, point, tag = held
            pair: tuple[Decimal, Decimal] | tuple[None, None] | None = None
            if tag is not None:
                try:  # noqa: SIM105 (contextlib.suppress costs more than the lookup)
                    pair = memo.get((value, target_value, tag))
                except TypeError:  # a signalling NaN: `_progress_pair` says why
                    pass
            if pair is None:
                pair = _progress_pair(indicator, value, target_value, baseline, memo)
            append((key[0], key[1], value, period.text, obs.sample_size, point, pair[0],
                    pair[1]))
    return out


def _total_series(
    indicator: Indicator,
    periods: dict[LatestKey, list[Counted]],
    baseline: BaseValue | None,
    targets: Sequence[tuple[Target, Decimal]],
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


_SERIES_START = BaseValue(ZERO, "start", None, "series_start")  # frozen: shared

# The general path scores every indicator when set: tests/test_scoring_fastpath.py compares
# the fast path (groups by period and breakdown, a series' first and latest periods) with it.
_GENERAL_PATH_ONLY = False


def _series_order(item: tuple[SeriesKey, object]) -> tuple[str, Dims]:
    return (item[0][0] or "", item[0][1])


def _ordered(breakdowns: dict[SeriesKey, dict[LatestKey, Counted]]
             ) -> list[tuple[SeriesKey, dict[LatestKey, Counted]]]:
    """`breakdowns`' items by `_series_order`: by their keys as they are (the same order
    while no site is None, or every site is), else by `_series_order` (None and a site
    cannot be compared). Keys are unique, so the groups are never compared."""
    try:
        return sorted(breakdowns.items())
    except TypeError:
        return sorted(breakdowns.items(), key=_series_order)


def score_indicator(indicator: Indicator, as_of: date, factor: Factor) -> IndicatorScore:
    """Progress of one indicator as of `as_of`, with its breakdowns beside it."""
    weight = indicator.weight
    if indicator.measure is Measure.qualitative:
        return _not_assessable(
            indicator, "qualitative measure: judged through evidence claims", weight
        )
    if indicator.direction is None:
        return _not_assessable(indicator, "no direction (increase, decrease, maintain)", weight)
    # Every period's total and every row of a breakdown count only when additions are
    # summed (cumulative) or site values carried forward (latest): the general path.
    general = (
        indicator.cumulative
        or indicator.effective_aggregation is Aggregation.latest
        or _GENERAL_PATH_ONLY
    )
    rows: list[Row] = []
    periods: dict[LatestKey, list[Counted]] = {}
    breakdowns: dict[SeriesKey, dict[LatestKey, Counted]] = {}
    try:
        if general:
            rows = counted(rows_of(indicator, indicator.observations, factor), as_of)
        else:
            periods, breakdowns = counted_groups(indicator, indicator.observations, factor,
                                                 as_of)
        by_key: dict[SeriesKey, list[tuple[Target, Decimal]]] = {}
        plain = indicator.measure is not Measure.ordinal  # numbers used as written
        for t in indicator.targets:
            value = t.value
            if not plain or t.unit or isinstance(value, str):
                value = numeric(indicator, value, t.unit, factor, f"target {t.period}")
            by_key.setdefault((t.site, dims_of(t.dimensions)), []).append((t, value))
        base = indicator.baseline
        base_key: SeriesKey = (base.site, dims_of(base.dimensions)) if base else TOTAL_KEY
        baseline = _base_value(indicator, base, factor) if base else None
    except NotUsable as err:
        return _not_assessable(indicator, str(err), weight)

    choices = _Choices()
    total_targets = by_key.get(TOTAL_KEY, [])
    total_baseline = baseline if base_key == TOTAL_KEY else None
    show_parts = not indicator.sensitive  # site values of sensitive indicators never leave
    period_totals = (
        totals(rows, indicator) if general
        else _total_series(indicator, periods, total_baseline, total_targets)
    )
    result = assess(indicator, period_totals, total_baseline, total_targets,
                    show_parts=show_parts, choices=choices)

    def inputs(key: SeriesKey) -> tuple[BaseValue | None, list[tuple[Target, Decimal]], bool]:
        """A breakdown's baseline and targets, and whether the targets are its own."""
        own = by_key.get(key)
        if own:
            own_baseline = baseline if key == base_key else None
        else:
            own_baseline = baseline if key == base_key else total_baseline
        if indicator.cumulative and key != base_key:
            # A breakdown of additions starts from nothing, not from the total's baseline.
            own_baseline = _SERIES_START
        return own_baseline, own or total_targets, bool(own)

    series: list[SeriesScore | SeriesRecord] = []
    if general:
        for key, srows in sorted(series_rows(rows).items(), key=_series_order):
            if len(srows) == 1 and not indicator.cumulative:
                series.append(_single_row_series(indicator, key, srows[0], *inputs(key),
                                                 choices))
            else:
                series.append(_series_score(indicator, key, srows, *inputs(key), choices))
    else:
        # A breakdown with no target of its own, which is not the baseline's, is measured
        # against the total's targets and baseline (`inputs`): most of them, so worked out
        # once. A cumulative indicator's breakdowns start from nothing.
        shared: tuple[BaseValue | None, list[tuple[Target, Decimal]], bool] = (
            _SERIES_START if indicator.cumulative else total_baseline, total_targets, False
        )
        ordered = _ordered(breakdowns)
        if base_key == TOTAL_KEY and all(key == TOTAL_KEY for key in by_key):
            # No breakdown has targets or a baseline of its own (a breakdown's key is never
            # the total's): every one takes the shared inputs.
            series += _shared_series(indicator, ordered, *shared[:2], choices)
            ordered = []
        for key, per_period in ordered:
            given = inputs(key) if key in by_key or key == base_key else shared
            if len(per_period) == 1:  # one period: its row is the series' only reading
                for obs, value in per_period.values():
                    series.append(_one_reading_series(indicator, key, obs.period, value,
                                                      obs.sample_size, *given, choices))
            else:
                series.append(_several_rows_series(indicator, key, per_period, *given,
                                                   choices))
    progress = result.progress if result.status == ASSESSED else None
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
        Breakdowns(series),
        indicator.sensitive,
        indicator.baseline is not None,
        indicator.method is not None,
        bool(indicator.source),
    )
