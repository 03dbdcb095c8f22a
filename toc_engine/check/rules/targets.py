"""TOC305 to TOC307, TOC310, TOC313, TOC314, TOC316: targets, baselines and their periods.

An indicator has a baseline (TOC314) and targets (TOC316), dated in order (TOC310), the
targets inside the programme's period (TOC305) and on the side of the baseline its
direction says (TOC306, TOC307); observations after the programme's end are noted as
follow-up (TOC313). How values are written (units, percentages, scales, breakdowns) is
checked in `indicators`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ...findings.diagnostic import Diagnostic, Severity
from ...findings.examples import VALID
from ...schema.model import Direction, Indicator, Measure
from ...schema.observations import first_index
from ...schema.periods import Period
from ..context import Context, Path_
from ..registry import rule
from .indicators import MEETINGS_TARGETS, misspelt, numeric, with_targets

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@rule(
    "TOC305",
    "target-outside-period",
    E,
    "indicators",
    with_targets("        targets: [{period: 2015, value: 12}]\n"),
    VALID,
    fail_at="23:28",
)
def check_target_periods(ctx: Context) -> Iterator[Diagnostic]:
    """A target's period lies outside the programme's period.

    Targets are promises for the programme's lifetime. A baseline may precede the
    programme, and observations may follow it (follow-up), but targets may not.
    """
    span = ctx.programme.programme.period
    for r, i, _result, indicator in ctx.indicators():
        for t, target in enumerate(indicator.targets):
            if target.period.start < span.start or target.period.end > span.end:
                path: Path_ = ("results", r, "indicators", i, "targets", t, "period")
                yield TARGET_OUTSIDE(
                    f"target period {target.period} of '{indicator.id}' is outside the programme "
                    f"period ({span.start} to {span.end})",
                    ctx.locate(path),
                    hint="move the target inside the programme period, "
                    "or extend `programme.period`",
                    path=path,
                )


TARGET_OUTSIDE = check_target_periods


def _main_targets(indicator: Indicator) -> Iterator[tuple[int, Decimal]]:
    for t, target in enumerate(indicator.targets):
        number = numeric(target.value)
        if number is not None and not target.dimensions and not target.site:
            yield t, number


@rule(
    "TOC306",
    "target-equals-baseline",
    E,
    "indicators",
    with_targets("        targets: [{period: 2013, value: 0}]\n"),
    VALID,
    fail_at="23:41",
)
def check_target_equals_baseline(ctx: Context) -> Iterator[Diagnostic]:
    """An increase or decrease indicator's target equals its baseline.

    Progress is (actual − baseline) / (target − baseline), which is undefined when
    they are equal. If the aim is to hold a level, use `direction: maintain`.
    """
    for r, i, _result, indicator in ctx.indicators():
        if indicator.direction not in (Direction.increase, Direction.decrease):
            continue
        if indicator.baseline is None or indicator.baseline.dimensions or indicator.baseline.site:
            continue
        base = numeric(indicator.baseline.value)
        for t, value in _main_targets(indicator):
            if base is not None and value == base:
                path: Path_ = ("results", r, "indicators", i, "targets", t, "value")
                yield TARGET_EQUALS(
                    f"target {value} of '{indicator.id}' equals its baseline",
                    ctx.locate(path),
                    hint="set a target that differs from the baseline, "
                    "or use `direction: maintain`",
                    path=path,
                )


TARGET_EQUALS = check_target_equals_baseline


@rule(
    "TOC307",
    "target-wrong-side",
    E,
    "indicators",
    VALID.replace(
        "        direction: increase\n        chosen_by: community\n        method: administrative",
        "        direction: decrease\n        chosen_by: community\n        method: administrative",
    ),
    VALID,
    fail_at="23:41",
)
def check_target_direction(ctx: Context) -> Iterator[Diagnostic]:
    """A target lies on the wrong side of the baseline for the indicator's direction.

    An `increase` indicator needs a target above its baseline, a `decrease`
    indicator one below. Usually the direction is wrong, sometimes the target.
    """
    for r, i, _result, indicator in ctx.indicators():
        if indicator.direction not in (Direction.increase, Direction.decrease):
            continue
        if indicator.baseline is None or indicator.baseline.dimensions or indicator.baseline.site:
            continue
        base = numeric(indicator.baseline.value)
        if base is None:
            continue
        for t, compared in _main_targets(indicator):
            value = compared
            wrong = (indicator.direction is Direction.increase and compared < base) or (
                indicator.direction is Direction.decrease and compared > base
            )
            if wrong:
                path: Path_ = ("results", r, "indicators", i, "targets", t, "value")
                side = "below" if compared < base else "above"
                yield WRONG_SIDE(
                    f"target {value} of '{indicator.id}' is {side} its baseline {base}, but the "
                    f"direction is {indicator.direction.value}",
                    ctx.locate(path),
                    hint="correct `direction`, or the target",
                    path=path,
                )


WRONG_SIDE = check_target_direction


@rule(
    "TOC310",
    "baseline-after-target",
    E,
    "indicators",
    VALID.replace("baseline: {period: 2011, value: 0}", "baseline: {period: 2013, value: 0}")
    .replace("targets: [{period: 2013, value: 12}]", "targets: [{period: 2012, value: 12}]"),
    VALID,
    fail_at="22:28",
)
def check_baseline_order(ctx: Context) -> Iterator[Diagnostic]:
    """The baseline's period starts after a target's period ends.

    A baseline is the starting point; a target after it says where you want to
    be. A baseline dated after a target is usually a typing error in a year.
    """
    for r, i, _result, indicator in ctx.indicators():
        if indicator.baseline is None or not indicator.targets:
            continue
        first_end = min(t.period.end for t in indicator.targets)
        if indicator.baseline.period.start > first_end:
            path: Path_ = ("results", r, "indicators", i, "baseline", "period")
            yield BASELINE_AFTER(
                f"baseline period {indicator.baseline.period} of '{indicator.id}' is after its "
                f"first target (ending {first_end})",
                ctx.locate(path),
                hint="check the years of the baseline and targets",
                path=path,
            )


BASELINE_AFTER = check_baseline_order


@rule(
    "TOC313",
    "observation-after-end",
    INFO,
    "indicators",
    with_targets(MEETINGS_TARGETS + "        observations: [{period: 2014, value: 9}]\n"),
    with_targets(MEETINGS_TARGETS + "        observations: [{period: 2013, value: 9}]\n"),
    fail_at="24:33",
)
def check_follow_up(ctx: Context) -> Iterator[Diagnostic]:
    """An observation falls after the programme's end (a follow-up).

    Allowed: follow-up observations show whether results lasted. This note only
    makes sure it is intended.
    """
    end = ctx.programme.programme.period.end

    def after_end(period: Period) -> bool:
        return period.start > end

    for r, i, _result, indicator in ctx.indicators():
        # the first such observation only; on CSV rows, one test per distinct period
        o = first_index(indicator.observations, period=after_end)
        if o is None:
            continue
        observation = indicator.observations[o]
        path: Path_ = ("results", r, "indicators", i, "observations", o, "period")
        yield FOLLOW_UP(
            f"observation {observation.period} of '{indicator.id}' is after the programme "
            f"ended ({end}): treated as follow-up",
            ctx.locate(path),
            hint="nothing to fix if this is a follow-up measurement",
            path=path,
        )


FOLLOW_UP = check_follow_up


@rule(
    "TOC314",
    "missing-baseline",
    W,
    "indicators",
    VALID.replace("        baseline: {period: 2011, value: 0}\n", ""),
    VALID,
    fail_at="15:9",
)
def check_baselines(ctx: Context) -> Iterator[Diagnostic]:
    """An indicator has no baseline.

    Without a baseline, progress falls back to actual/target and confidence in the
    judgement drops one level.
    """
    for r, i, _result, indicator in ctx.indicators():
        if indicator.measure is Measure.qualitative or indicator.baseline is not None:
            continue
        path: Path_ = ("results", r, "indicators", i)
        if misspelt(ctx, path, "baseline"):
            continue
        yield NO_BASELINE(
            f"indicator '{indicator.id}' has no baseline",
            ctx.locate(path),
            hint="add `baseline: {period: ..., value: ...}` "
            "(a value measured before the work began)",
            path=path,
        )


NO_BASELINE = check_baselines


@rule(
    "TOC316",
    "missing-targets",
    W,
    "indicators",
    VALID.replace(MEETINGS_TARGETS, ""),
    VALID,
    fail_at="15:9",
)
def check_targets_present(ctx: Context) -> Iterator[Diagnostic]:
    """A quantitative indicator has no target.

    Without a target, progress cannot be computed and the indicator is reported
    as `no_target`.
    """
    for r, i, _result, indicator in ctx.indicators():
        if indicator.measure is Measure.qualitative or indicator.targets:
            continue
        if indicator.direction is Direction.maintain and indicator.baseline is not None:
            continue
        path: Path_ = ("results", r, "indicators", i)
        if ctx.had_items((*path, "targets")) or misspelt(ctx, path, "targets"):
            continue  # its targets were set aside by the schema stage
        yield NO_TARGET(
            f"indicator '{indicator.id}' has no target",
            ctx.locate(path),
            hint="add `targets: [{period: ..., value: ...}]`",
            path=path,
        )


NO_TARGET = check_targets_present
