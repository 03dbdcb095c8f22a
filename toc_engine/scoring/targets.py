"""Which target a reading is measured against, each choice worked out once.

`values.choose_target` is the rule (format.md: the target whose period contains the day;
else the latest ending before; else the earliest). Breakdowns ask it again and again with
the same target lists and days, so the choices are shared: `Calendars` across the
indicators of one `score()` call, `Choices` within one indicator.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ..schema.model import Target
from .result import TargetPoint
from .values import ChosenTarget, TargetShape, pick_target, target_shape

Targets = Sequence[tuple[Target, Decimal]]  # a target and its value on the indicator's scale


class Calendars:
    """The target choices shared by the indicators of one `score()` call.

    A target's value decides only between targets of the same period, so target lists
    whose periods all differ are told apart by their periods alone: the indicators of a
    programme, each with its own target values, mostly share a few calendars ("2012,
    2013"), and a choice made for one serves them all. Each calendar gets a number, so a
    choice is looked up by (number, day) rather than by the whole shape.
    """

    def __init__(self) -> None:
        self._numbers: dict[tuple[tuple[date, date], ...] | TargetShape, int] = {}
        self._picks: dict[tuple[int, date], tuple[int, str]] = {}

    def number(self, shape: TargetShape) -> int:
        """The number that stands for what `pick_target` reads of `shape`."""
        periods = tuple([item[:2] for item in shape])
        key = periods if len(set(periods)) == len(periods) else shape
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = len(self._numbers)
        return number

    def pick(self, calendar: int, shape: TargetShape, day: date) -> tuple[int, str]:
        """`pick_target(shape, day)`, shared by every target list of the calendar
        (`number(shape)`)."""
        key = (calendar, day)
        held = self._picks.get(key)
        if held is None:
            held = self._picks[key] = pick_target(shape, day)
        return held


def target_point(target: Target, value: Decimal, own: bool) -> TargetPoint:
    revised = target.revised
    return TargetPoint(
        value=value,
        period=str(target.period),
        revised_from=revised.from_ if revised else None,
        revised_on=revised.date if revised else None,
        revised_reason=str(revised.reason) if revised else None,
        own=own,
    )


def fall_due(shape: TargetShape, index: int, as_of: date) -> tuple[int, bool]:
    """Whether target `index` has fallen due by `as_of` (scoring.md §7), and if not, the
    latest target that has (a milestone): (the index used, pending). Pending when neither
    it nor any earlier target has fallen due."""
    if shape[index][1] <= as_of:
        return index, False
    due = [i for i, item in enumerate(shape) if item[1] <= as_of]
    if not due:
        return index, True
    # as `pick_target` orders targets ending before a day: the latest end, the shorter
    # period, then the larger value
    return max(due, key=lambda i: (shape[i][1], shape[i][0], shape[i][2])), False


class Choices:
    """One indicator's chosen targets and target points, each worked out once.

    Every breakdown measured against the total's targets asks the same question (which
    target, on which day), so its `TargetPoint` is shared; which target a day chooses is
    shared with the other indicators of the same calendar (`Calendars`). Target lists
    are told apart by identity: they live as long as the indicator's scoring.
    """

    def __init__(self, calendars: Calendars, as_of: date | None = None) -> None:
        self._shared = calendars
        self._as_of = as_of  # targets not fallen due by then give way to milestones
        self._points: dict[tuple[int, bool], TargetPoint] = {}  # by target (the indicator's)
        self._first: dict[int, date] = {}
        self._calendars: dict[int, tuple[int, TargetShape]] = {}
        self._picked: dict[tuple[int, int, str], ChosenTarget] = {}
        self._breakdown: dict[tuple[int, int, bool], tuple[Decimal, TargetPoint]] = {}

    def _index(self, targets: Targets, day: date) -> tuple[int, str]:
        """`pick_target(target_shape(targets), day)`, through the calendar's shared choices."""
        held = self._calendars.get(id(targets))
        if held is None:
            shape = target_shape(targets)
            held = self._calendars[id(targets)] = (self._shared.number(shape), shape)
        return self._shared.pick(held[0], held[1], day)

    def _due(self, targets: Targets, index: int) -> tuple[int, bool]:
        """`fall_due` of target `index` by the assessment date (none: every target due)."""
        as_of = self._as_of
        if as_of is None or targets[index][0].period.end <= as_of:
            return index, False
        return fall_due(self._calendars[id(targets)][1], index, as_of)

    def choose(self, targets: Targets, day: date) -> ChosenTarget | None:
        """`choose_target(targets, day)`, one object per choice; a target not fallen due
        gives way to the latest milestone that has (scoring.md §7)."""
        if not targets:
            return None
        index, rule = self._index(targets, day)
        picked = (id(targets), index, rule)
        held = self._picked.get(picked)
        if held is None:
            target, value = targets[index]
            used, pending = self._due(targets, index)
            held = ChosenTarget(target, value, rule, pending)
            if used != index:
                milestone, mvalue = targets[used]
                held = ChosenTarget(
                    milestone, mvalue,
                    f"a milestone: the target {target.period} ({rule}) falls due on "
                    f"{target.period.end.isoformat()}, after the assessment date "
                    f"{self._as_of}; this is the latest target fallen due by then", next=held)
            self._picked[picked] = held
        return held

    def breakdown_target(self, targets: Targets, day: date, own: bool
                         ) -> tuple[Decimal, TargetPoint]:
        """What a breakdown reads of the target `choose` picks: its value and its point
        (not the rule, which only the total's explanation prints). `targets` is not empty."""
        index = self._index(targets, day)[0]
        key = (id(targets), index, own)
        held = self._breakdown.get(key)
        if held is None:
            target, value = targets[self._due(targets, index)[0]]
            held = self._breakdown[key] = (value, self._point(target, value, own))
        return held

    def first_start(self, targets: Targets) -> date:
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
            held = self._points[key] = target_point(target, value, own)
        return held
