"""A logframe as read from a workbook, before it becomes a programme: what each layout's
reader produces and what the YAML writer consumes. Every item remembers its cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Point:
    """A baseline, milestone, target or achieved value, or the note that it was not read."""

    value: Decimal | None
    period: str | None
    where: str  # Sheet!Cell
    text: str = ""  # the cell as written, when it was not read
    percent: bool = False
    label: str | None = None  # an ordinal indicator's value: an entry of its scale
    kind: str = ""  # baseline, target or achieved: where the value was meant to go


@dataclass
class IndicatorIn:
    name: str
    where: str
    id: str = ""
    unit: str = ""
    direction: str = ""
    source: str = ""
    scale: list[str] = field(default_factory=list)  # ordinal: entries lowest first
    baseline: Point | None = None
    targets: list[Point] = field(default_factory=list)
    achieved: list[Point] = field(default_factory=list)
    unread: list[Point] = field(default_factory=list)  # written as comments
    notes: list[str] = field(default_factory=list)

    @property
    def percent(self) -> bool:
        if self.unit:
            return self.unit.strip().lower() in ("percent", "%", "per cent", "percentage")
        points = [p for p in [self.baseline, *self.targets, *self.achieved] if p]
        return any(p.percent for p in points)


@dataclass
class ResultIn:
    statement: str
    level: str
    number: str
    where: str
    label: str = ""
    id: str = ""
    weight: Decimal | None = None
    contributes: list[str] | None = None  # ids or labels, when the workbook names them
    assumptions: list[str] = field(default_factory=list)
    indicators: list[IndicatorIn] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Logframe:
    layout: str  # eu, fcdo or map
    sheet: str
    header_row: int
    title: str = ""
    assessed_at: str | None = None
    results: list[ResultIn] = field(default_factory=list)
