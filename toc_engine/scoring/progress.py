"""Progress (scoring.md §1): p = (A − B) / (T − B), and when it cannot be computed.

`progress_of` is the formula, the one every path calls. `assess` applies it to the
period totals of an indicator's total (or of a breakdown, on the plain path): each
ends in one status (assessed, no_data, no_target, not_assessable) with a reason, and
every step of the arithmetic is kept as a line of text (written when read) so
`toc score --explain` can show it. `breakdown_progress` is what a breakdown reports of
it, remembered by its inputs for the breakdowns that repeat them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..schema.model import Direction, Indicator, Trajectory
from .arith import CLAMP_HIGH, ONE, ZERO, clamp, fmt, q9
from .result import (
    TargetPoint,
    ValuePoint,
)
from .targets import Choices, Targets
from .values import UNWEIGHTED, Total, latest_total, overlapping

ASSESSED, NO_DATA, NO_TARGET, NOT_ASSESSABLE = "assessed", "no_data", "no_target", "not_assessable"
NOT_YET_DUE = "not_yet_due"
ON_TRACK, AT_RISK, OFF_TRACK = "on_track", "at_risk", "off_track"
_PACE_ON_TRACK, _PACE_AT_RISK = Decimal("0.875"), Decimal("0.625")  # the A and B edges
FLAG_NO_BASELINE = "no_baseline"
FLAG_UNWEIGHTED = "weighted_mean_without_sample_sizes"  # finding TOC330
FLAG_FIRST_OBSERVATION = "baseline_from_first_observation"


@dataclass(frozen=True)
class BaseValue:
    value: Decimal
    period_text: str
    sample_size: int | None
    origin: str  # declared | first_observation
    raw: str = ""
    end: date | None = None  # the end of its period, where a linear trajectory starts


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
    due: date | None = None  # when T falls due, for a `not_yet_due` indicator
    next_target: TargetPoint | None = None  # the target a milestone stands in for
    next_due: date | None = None
    pace: Decimal | None = None  # against the pro-rata milestone of a linear trajectory
    trajectory_status: str | None = None  # on_track | at_risk | off_track


def progress_of(
    indicator: Indicator, value: Decimal, target: Decimal, base: Decimal | None
) -> Decimal | str:
    """The progress of the reading `value` towards `target` from the baseline `base`, not
    clamped; or why it cannot be computed.

    `maintain`: 1 within the tolerance of the target, else 0. With a baseline:
    (A − B) / (T − B). Without one, the ratio: A / T, or T / A for a decrease.
    """
    direction = indicator.direction
    if direction is Direction.maintain:
        return ONE if abs(value - target) <= (indicator.tolerance or ZERO) else ZERO
    if base is not None:
        if target == base:
            return "the target equals the baseline; use direction: maintain"
        return (value - base) / (target - base)
    if direction is Direction.decrease:
        if value == 0:
            return "no baseline and the actual is 0, so T/A cannot be computed"
        return target / value
    if target == 0:
        return "no baseline and the target is 0, so A/T cannot be computed"
    return value / target


ProgressMemo = dict[tuple[Decimal, Decimal, Decimal | str], tuple[Decimal, Decimal]]
"""`breakdown_progress`'s answers by (A, T, B), or (A, T, the ratio) without a baseline."""

MEMO_LIMIT = 1 << 16  # entries of a `ProgressMemo`; past it, it starts again

_NO_PROGRESS: tuple[None, None] = (None, None)


def breakdown_progress(
    indicator: Indicator,
    value: Decimal,
    target: Decimal,
    baseline: BaseValue | None,
    memo: ProgressMemo,
) -> tuple[Decimal, Decimal] | tuple[None, None]:
    """A breakdown's progress as it reports it, rounded, and clamped then rounded:
    `progress_of`; (None, None) when it cannot be computed.

    Breakdowns repeat the same numbers (value, target, baseline) many times: the pair is
    remembered by them in `memo`, which lives as long as one `score()` call.
    """
    key: tuple[Decimal, Decimal, Decimal | str] | None = None
    base = baseline.value if baseline is not None else None
    if indicator.direction is Direction.maintain:
        pass  # not remembered: it reads the tolerance too
    elif base is not None:
        key = (value, target, base)
    else:
        key = (value, target, "T/A" if indicator.direction is Direction.decrease else "A/T")
    if key is not None:
        try:
            held = memo.get(key)
        except TypeError:  # a signalling NaN cannot be hashed: its arithmetic says why
            key = held = None
        if held is not None:
            return held
    progress = progress_of(indicator, value, target, base)
    if isinstance(progress, str):
        return _NO_PROGRESS
    rounded = q9(progress)
    # clamp() returns progress itself inside [0, 1.5]: then the rounding is the same.
    kept = rounded if ZERO <= progress <= CLAMP_HIGH else q9(clamp(progress))
    if key is not None and progress:  # a zero's sign (0 or -0) is not told by equal numbers
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        memo[key] = (rounded, kept)
    return rounded, kept


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
    targets: Targets,
    choices: Choices,
    *,
    own_targets: bool = True,
    breakdown: bool = False,
    show_parts: bool = True,
) -> Assessment:
    """The progress of the total (or of a breakdown) from its period totals.

    Total and breakdown follow the same arithmetic; a breakdown (`breakdown=True`) keeps
    only what a `SeriesScore` reports: no baseline point, no explanation. Each step of the
    total's arithmetic is kept as a function that writes its line (`Line`), so the text
    costs nothing until `--explain` reads it: every name a line reads is assigned once,
    before the line is kept.
    """
    out = Assessment()
    steps: list[Line] = [] if breakdown else out.steps
    direction = indicator.direction
    remaining = list(period_totals)
    if baseline is None and remaining and direction is not Direction.maintain and targets:
        first = min(remaining, key=lambda t: (t.period.start, t.period.end))
        if first.period.end < choices.first_start(targets):
            baseline = BaseValue(first.value, str(first.period), first.sample_size,
                                 "first_observation", end=first.period.end)
            remaining = [t for t in remaining if t is not first]
            out.flags.append(FLAG_FIRST_OBSERVATION)
            steps.append(
                lambda: f"no baseline declared: the first observation ({first.period}) "
                f"predates the first target period, so it is the baseline"
            )
    if baseline is not None and not breakdown:
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
    if UNWEIGHTED in last.note:
        out.flags.append(FLAG_UNWEIGHTED)
        steps.append(
            lambda: f"   weighted_mean: not every site row of {last.period} gives a sample "
            "size, so the sites' values are averaged without weights (finding TOC330)"
        )
    chosen = choices.choose(targets, last.period.end)
    if chosen is None:
        out.status, out.reason = NO_TARGET, "no target for this series"
        return out
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
    upcoming = chosen.next
    if upcoming is not None:
        out.next_target = choices.point(upcoming, own_targets)
        out.next_due = upcoming.target.period.end
        steps.append(
            lambda: f"   next target {fmt(upcoming.value)} ({upcoming.target.period}) "
            f"falls due on {upcoming.target.period.end.isoformat()}"
        )
    if chosen.pending:
        due = out.due = chosen.target.period.end
        steps.append(
            lambda: f"   T falls due on {due.isoformat()}, after the assessment date, and no "
            "earlier target has fallen due: not yet due (interim)"
        )
    base = baseline.value if baseline is not None else None
    if direction is not Direction.maintain and base is None:
        out.flags.append(FLAG_NO_BASELINE)
        out.method = "ratio"
    progress = progress_of(indicator, value, target_value, base)
    if isinstance(progress, str):
        out.status, out.reason = NOT_ASSESSABLE, progress
        return out
    kept = out.progress = progress
    if direction is Direction.maintain:
        out.method = "maintain"
        tolerance = indicator.tolerance or ZERO
        distance = abs(value - target_value)
        relation = "<=" if distance <= tolerance else ">"
        steps.append(
            lambda: f"maintain: |A − T| = {fmt(distance)} {relation} tolerance "
            f"{fmt(tolerance)} -> p = {fmt(kept)}"
        )
    elif baseline is not None:
        out.method = "difference"
        used = baseline
        steps.append(lambda: f"B = {fmt(used.value)} ({used.period_text}, {used.origin})")
        steps.append(
            lambda: f"p = (A − B) / (T − B) = ({fmt(value)} − {fmt(used.value)}) / "
            f"({fmt(target_value)} − {fmt(used.value)}) = {fmt(kept)}"
        )
    elif direction is Direction.decrease:
        steps.append(
            lambda: f"no baseline, decreasing: p = T / A = {fmt(target_value)} / "
            f"{fmt(value)} = {fmt(kept)} (flagged; confidence drops)"
        )
    else:
        steps.append(
            lambda: f"no baseline: p = A / T = {fmt(value)} / {fmt(target_value)} = "
            f"{fmt(kept)} (flagged; confidence drops)"
        )
    clamped = clamp(kept)
    if clamped != kept:
        steps.append(lambda: f"clamped to [0, 1.5] for scoring: {fmt(clamped)}")
    out.status = ASSESSED
    if chosen.pending:
        out.status = NOT_YET_DUE
        if (indicator.trajectory is Trajectory.linear and baseline is not None
                and direction is not Direction.maintain and not breakdown):
            _trajectory(out, value, last.period.end, target_value, chosen.target.period.end,
                        baseline, direction, steps)
    return out


def _trajectory(out: Assessment, value: Decimal, day: date, target: Decimal, due: date,
                baseline: BaseValue, direction: Direction | None, steps: list[Line]) -> None:
    """The pro-rata milestone M = B + (T − B) × f and the pace (A − B) / (M − B) of a
    linear trajectory (scoring.md §7): f is the elapsed share of the time from the
    baseline's period end to T's, at the end of A's period, clamped to [0, 1]."""
    start = baseline.end
    if start is None or due <= start:
        steps.append(lambda: "trajectory linear: the baseline has no period before T's end, "
                     "so there is no pro-rata milestone")
        return
    f = min(max(Decimal((day - start).days) / Decimal((due - start).days), ZERO), ONE)
    base = baseline.value
    m = base + (target - base) * f
    if m == base:
        reached = value >= m if direction is Direction.increase else value <= m
        pace = ONE if reached else ZERO
    else:
        pace = (value - base) / (m - base)
    out.pace = pace
    status = out.trajectory_status = (
        ON_TRACK if q9(pace) >= _PACE_ON_TRACK
        else AT_RISK if q9(pace) >= _PACE_AT_RISK else OFF_TRACK
    )
    steps.append(
        lambda: f"trajectory linear: f = ({day.isoformat()} − {start.isoformat()}) / "
        f"({due.isoformat()} − {start.isoformat()}) = {(day - start).days} / "
        f"{(due - start).days} days = {fmt(f)}"
    )
    steps.append(
        lambda: f"   pro-rata milestone M = B + (T − B) × f = {fmt(base)} + "
        f"({fmt(target)} − {fmt(base)}) × {fmt(f)} = {fmt(m)}"
    )
    steps.append(
        lambda: f"   pace = (A − B) / (M − B) = ({fmt(value)} − {fmt(base)}) / "
        f"({fmt(m)} − {fmt(base)}) = {fmt(pace)} -> {status.replace('_', ' ')}"
        if m != base else f"   M = B: pace = {fmt(pace)} -> {status.replace('_', ' ')}"
    )
