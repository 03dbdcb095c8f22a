"""A breakdown's progress (by site, by dimensions), reported beside the indicator's total.

`score_breakdown` is the plain way: its rows become period totals (`period_totals`) and
`progress.assess` reads them as it reads the total's. `breakdown_record` is the fast way,
for indicators that are neither cumulative nor `latest`: from a breakdown's best row of
each period (`groups.counted_groups`), it reads only the two periods `assess` would read
(the first, which becomes the baseline when there is none and it predates every target,
and the latest remaining) and keeps the result as a `SeriesRecord`, one tuple, since a
national programme has eight or more breakdowns per indicator. The two must agree:
tests/test_scoring_fast_paths.py compares them on random programmes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..schema.model import Direction, Indicator
from .arith import ZERO, clamp, q9
from .progress import (
    ASSESSED,
    NOT_YET_DUE,
    BaseValue,
    ProgressMemo,
    assess,
    breakdown_progress,
)
from .result import SeriesRecord, SeriesScore
from .targets import Choices, Targets
from .values import BreakdownKey, Counted, LatestKey, Row, Total

BREAKDOWN_START = BaseValue(ZERO, "start", None, "series_start")
"""Where a breakdown of a cumulative indicator starts: additions count from nothing."""


def period_totals(rows: Sequence[Row]) -> list[Total]:
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


def score_breakdown(
    indicator: Indicator,
    key: BreakdownKey,
    rows: Sequence[Row],
    baseline: BaseValue | None,
    targets: Targets,
    own_targets: bool,
    choices: Choices,
) -> SeriesScore:
    """A breakdown scored with `assess` from its rows: any number, cumulative or not."""
    one = assess(indicator, period_totals(rows), baseline, targets, choices,
                 own_targets=own_targets, breakdown=True)
    progress = one.progress if one.status in (ASSESSED, NOT_YET_DUE) else None
    return SeriesScore(
        site=key[0],
        dimensions=key[1],
        actual=one.actual,
        target=one.target,
        progress=q9(progress) if progress is not None else None,
        progress_clamped=q9(clamp(progress)) if progress is not None else None,
    )


def _start_end(key: LatestKey) -> tuple[date, date]:
    return (key[1], key[0])


def breakdown_record(
    indicator: Indicator,
    key: BreakdownKey,
    per_period: dict[LatestKey, Counted],
    baseline: BaseValue | None,
    targets: Targets,
    own_targets: bool,
    choices: Choices,
    memo: ProgressMemo,
) -> SeriesScore | SeriesRecord:
    """`score_breakdown` of a breakdown of an indicator that is not cumulative, from its
    best row of each period (`per_period`; not empty): the same numbers, from the two
    periods `assess` reads."""
    site, dims = key
    if baseline is None and targets and indicator.direction is not Direction.maintain:
        first = next(iter(per_period)) if len(per_period) == 1 else min(per_period,
                                                                           key=_start_end)
        if first[0] < choices.first_start(targets):  # its end predates every target
            if len(per_period) == 1:  # only the observation used as baseline
                return SeriesScore(site, dims, None, None, None, None)
            obs, value = per_period[first]
            baseline = BaseValue(value, str(obs.period), obs.sample_size, "first_observation")
            per_period = {when: item for when, item in per_period.items() if when != first}
    if len(per_period) == 1:  # most breakdowns: one site's one reading
        [(obs, value)] = per_period.values()
    else:  # LatestKey: the latest end, then the shortest period
        obs, value = per_period[max(per_period)]
    period = obs.period
    if not targets:
        return (site, dims, value, period.text, obs.sample_size, None, None, None)
    target_value, point = choices.breakdown_target(targets, period.end, own_targets)
    rounded, kept = breakdown_progress(indicator, value, target_value, baseline, memo)
    return (site, dims, value, period.text, obs.sample_size, point, rounded, kept)


