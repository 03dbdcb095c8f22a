"""What scoring finds of one indicator: its values, target, progress and breakdowns."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar, overload

JSON = dict[str, Any]


_NINE_PLACES = Decimal("1E-9")


def num(value: Decimal | None) -> float | None:
    """A Decimal as a JSON number, rounded to 9 places as the reports show it (as
    `round(value, 9)`, under the current decimal context)."""
    if value is None:
        return None
    return float(value.quantize(_NINE_PLACES))


def rounded(value: float | None, places: int = 4) -> float | None:
    """A float as a JSON number, rounded to `places`."""
    return None if value is None else round(value, places)


T = TypeVar("T")


class _Deferred(Sequence[T]):
    """A sequence whose items are made when first read, and then read like a tuple of
    them: equal to that tuple (and hashed as it), pickled and copied as it."""

    __slots__ = ()

    def _items(self) -> tuple[T, ...]:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        return self._items()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._items())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Deferred):
            return self._items() == other._items()
        if isinstance(other, tuple):
            return self._items() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._items()!r})"


class Lines(_Deferred[str]):
    """Lines of `--explain` text, written when first read.

    Scoring keeps the numbers and, per line, a function that writes the sentence: only
    `--explain` prints them, and writing every indicator's sentences cost more than its
    arithmetic. Reads like a tuple of strings (and compares equal to one); pickles and
    copies as its text.
    """

    __slots__ = ("_text", "_writers")

    def __init__(self, writers: Iterable[Callable[[], str]] = ()) -> None:
        self._writers: tuple[Callable[[], str], ...] | None = tuple(writers)
        self._text: tuple[str, ...] = ()

    @classmethod
    def of(cls, text: Iterable[str]) -> Lines:
        """Lines already written."""
        lines = cls()
        lines._writers, lines._text = None, tuple(text)
        return lines

    @property
    def text(self) -> tuple[str, ...]:
        if self._writers is not None:
            self._text = tuple(write() for write in self._writers)
            self._writers = None
        return self._text

    def _items(self) -> tuple[str, ...]:
        return self.text

    def __len__(self) -> int:
        return len(self._writers) if self._writers is not None else len(self._text)

    def __reduce__(self) -> tuple[Callable[[Iterable[str]], Lines], tuple[tuple[str, ...]]]:
        return (Lines.of, (self.text,))


class ValuePoint(NamedTuple):
    """One value as used in the arithmetic: where it came from and what it is. A named
    tuple, as `SeriesScore`: there is one per breakdown."""

    value: Decimal | None  # None when suppressed
    period: str
    origin: str = "total"  # total, sites, first_observation, declared, cumulative, series_start
    sample_size: int | None = None
    note: str = ""
    raw: str = ""  # the value as written, for ordinal scale entries

    def to_json(self) -> JSON:
        return {
            "value": num(self.value),
            "period": self.period,
            "origin": self.origin,
            "sample_size": self.sample_size,
            "note": self.note or None,
            "raw": self.raw or None,
        }


@dataclass(frozen=True, slots=True)
class TargetPoint:
    value: Decimal | None
    period: str
    revised_from: Decimal | None = None
    revised_on: date | None = None
    revised_reason: str | None = None
    own: bool = True  # False when a series is measured against the total's target

    def to_json(self) -> JSON:
        revised: JSON | None = None
        if self.revised_on is not None:
            revised = {
                "date": self.revised_on.isoformat(),
                "from": num(self.revised_from),
                "reason": self.revised_reason,
            }
        return {
            "value": num(self.value),
            "period": self.period,
            "revised": revised,
            "own": self.own,
        }


@dataclass(frozen=True, slots=True)
class Interval:
    """A 95% interval, in the indicator's own scale (percent)."""

    low: float
    high: float

    def to_json(self) -> JSON:
        return {"low": rounded(self.low), "high": rounded(self.high)}


@dataclass(frozen=True, slots=True)
class SurveyStats:
    """Wilson intervals and Newcombe's interval for the change from baseline."""

    baseline: Interval | None
    actual: Interval | None
    difference: float | None
    difference_interval: Interval | None
    significant: bool | None

    def to_json(self) -> JSON:
        return {
            "baseline_interval": self.baseline.to_json() if self.baseline else None,
            "actual_interval": self.actual.to_json() if self.actual else None,
            "difference": rounded(self.difference),
            "difference_interval": (
                self.difference_interval.to_json() if self.difference_interval else None
            ),
            "significant": self.significant,
        }


class SeriesScore(NamedTuple):
    """A disaggregated or site series, reported beside the total. A named tuple, a record
    per row: a national programme has eight or more per indicator, and building a frozen
    dataclass sets each field through `object.__setattr__`."""

    site: str | None
    dimensions: tuple[tuple[str, str], ...]
    actual: ValuePoint | None
    target: TargetPoint | None
    progress: Decimal | None
    progress_clamped: Decimal | None
    suppressed: bool = False
    suppression: str = ""
    share_of_total: Decimal | None = None  # a part of a count: its value over the total's

    @property
    def label(self) -> str:
        return series_label(self.site, self.dimensions)

    def to_json(self) -> JSON:
        return {
            "site": self.site,
            "dimensions": dict(self.dimensions),
            "actual": self.actual.to_json() if self.actual else None,
            "target": self.target.to_json() if self.target else None,
            "progress": num(self.progress),
            "progress_clamped": num(self.progress_clamped),
            "suppressed": self.suppressed,
            "suppression": self.suppression or None,
            "share_of_total": num(self.share_of_total),
        }


def series_label(site: str | None, dimensions: tuple[tuple[str, str], ...]) -> str:
    """How a breakdown is named in text: `site=s3, sex=female`."""
    parts = [f"site={site}"] if site else []
    parts += [f"{k}={v}" for k, v in dimensions]
    return ", ".join(parts)


SeriesRecord = tuple[
    str | None,  # site
    tuple[tuple[str, str], ...],  # dimensions
    Decimal,  # the actual value (of the latest counted period)
    str,  # its period
    int | None,  # its sample size
    TargetPoint | None,
    Decimal | None,  # progress, rounded
    Decimal | None,  # progress clamped
]
"""A breakdown scored from one reading, not yet a `SeriesScore`: the fields of
`SeriesScore(site, dimensions, ValuePoint(value, period, "total", sample_size), target,
progress, progress_clamped)`, which is what `Breakdowns` makes of it when read."""


def _series(item: SeriesScore | SeriesRecord) -> SeriesScore:
    if isinstance(item, SeriesScore):
        return item
    site, dims, value, period, sample_size, target, progress, kept = item
    return SeriesScore(
        site, dims, ValuePoint(value, period, "total", sample_size), target, progress, kept
    )


class Whole(NamedTuple):
    """The total a count's parts are shares of (scoring.md §1: a part of a count has no
    progress of its own; it reports its value and its share of the total)."""

    value: Decimal
    period: str | None  # parts of this period only; None: every part (running totals)

    def share(self, value: Decimal | None, period: str) -> Decimal | None:
        if value is None or not self.value or (self.period is not None
                                               and period != self.period):
            return None
        return q9_share(value / self.value)


def q9_share(value: Decimal) -> Decimal:
    return value.quantize(_NINE_PLACES)


def _part(item: SeriesScore | SeriesRecord, whole: Whole) -> SeriesScore:
    """`_series`, with the share of `whole` when it has no target of its own."""
    if isinstance(item, SeriesScore):
        if item.actual is None or (item.target is not None and item.target.own):
            return item
        return item._replace(share_of_total=whole.share(item.actual.value, item.actual.period))
    site, dims, value, period, sample_size, target, progress, kept = item
    share = None if target is not None and target.own else whole.share(value, period)
    return SeriesScore(site, dims, ValuePoint(value, period, "total", sample_size), target,
                       progress, kept, False, "", share)


class Breakdowns(_Deferred[SeriesScore]):
    """An indicator's breakdowns (`IndicatorScore.series`), made `SeriesScore`s when read.

    A national programme has eight or more breakdowns per indicator, most of them one
    site's latest reading. Scoring keeps those as `SeriesRecord` tuples (one object
    instead of a `SeriesScore` and its `ValuePoint`). Indexing keeps the `SeriesScore`s
    it builds; iterating before that builds them one at a time and keeps none, so writing
    a national score's JSON does not hold them all. Reads like a tuple (and compares equal
    to one); pickles and copies as its `SeriesScore`s.
    """

    __slots__ = ("_built", "records", "whole")

    def __init__(self, items: Iterable[SeriesScore | SeriesRecord] = (),
                 whole: Whole | None = None) -> None:
        self.records: tuple[SeriesScore | SeriesRecord, ...] = tuple(items)
        self._built: tuple[SeriesScore, ...] | None = None
        self.whole = whole  # for the parts of a count: the total they are shares of

    def _make(self) -> Callable[[SeriesScore | SeriesRecord], SeriesScore]:
        whole = self.whole
        if whole is None:
            return _series
        return lambda item: _part(item, whole)

    def _items(self) -> tuple[SeriesScore, ...]:
        if self._built is None:
            self._built = tuple(map(self._make(), self.records))
        return self._built

    def __iter__(self) -> Iterator[SeriesScore]:
        if self._built is not None:
            return iter(self._built)
        return map(self._make(), self.records)

    def __len__(self) -> int:
        return len(self.records)

    def __reduce__(self) -> tuple[type[Breakdowns], tuple[tuple[SeriesScore, ...]]]:
        return (Breakdowns, (self._items(),))


def series_records(
    series: Sequence[SeriesScore],
) -> Sequence[SeriesScore | SeriesRecord]:
    """What the terminal summary reads of `IndicatorScore.series`: a `Breakdowns`'
    records, or the `SeriesScore`s of any other sequence (safeguarding and callers may
    give tuples)."""
    return series.records if type(series) is Breakdowns else series


@dataclass(frozen=True, slots=True)
class MissingValue:
    """An observation that records why there is no value: listed, never counted.

    For a sensitive indicator only the period is shown: a site, a group or a reason
    could point at the few people the gap concerns."""

    period: str
    site: str | None
    dimensions: tuple[tuple[str, str], ...]
    reason: str | None  # None: withheld (sensitive indicator)

    def to_json(self) -> JSON:
        return {
            "period": self.period,
            "site": self.site,
            "dimensions": dict(self.dimensions),
            "reason": self.reason,
        }

    def label(self) -> str:
        """The period, site and dimensions, as one line of text."""
        where = [self.period]
        if self.site:
            where.append(self.site)
        where.extend(f"{k}={v}" for k, v in self.dimensions)
        return " ".join(where)


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    id: str
    name: str
    measure: str
    direction: str | None
    unit: str | None
    weight: Decimal
    status: str  # assessed | no_data | no_target | not_assessable
    reason: str
    method: str  # difference | ratio | maintain | none
    baseline: ValuePoint | None
    target: TargetPoint | None
    actual: ValuePoint | None
    progress: Decimal | None
    progress_clamped: Decimal | None
    flags: tuple[str, ...] = ()
    steps: Sequence[str] = ()  # the arithmetic, line by line, for --explain (Lines)
    survey: SurveyStats | None = None
    series: Sequence[SeriesScore] = ()  # a Breakdowns from scoring
    sensitive: bool = False
    has_declared_baseline: bool = False
    has_method: bool = False
    has_source: bool = False
    due: date | None = None  # T's period end, for a not_yet_due indicator
    next_target: TargetPoint | None = None  # the target a milestone stands in for
    next_due: date | None = None
    pace: Decimal | None = None  # against a linear trajectory's pro-rata milestone
    trajectory_status: str | None = None  # on_track | at_risk | off_track
    trajectory: str = "none"
    scale: tuple[str, ...] = ()  # an ordinal measure's scale, lowest first
    missing: tuple[MissingValue, ...] = ()  # observations that say why a value is missing

    def value_text(self, value: Decimal | None) -> str | None:
        """An ordinal value by its scale name (positions are what the arithmetic reads);
        None for any other value, or a position between two entries (a mean)."""
        scale = self.scale
        if value is None or not scale or not value.is_finite() or value != value.to_integral():
            return None
        position = int(value)
        return scale[position] if 0 <= position < len(scale) else None

    @property
    def interim(self) -> bool:
        """Judged against a target that has not fallen due (scoring.md §7)."""
        return self.status == "not_yet_due"

    def to_json(self) -> JSON:
        next_target: JSON | None = None
        if self.next_target is not None:
            next_target = self.next_target.to_json()
            next_target["due"] = self.next_due.isoformat() if self.next_due else None
        return {
            "id": self.id,
            "name": self.name,
            "measure": self.measure,
            "direction": self.direction,
            "unit": self.unit,
            "weight": num(self.weight),
            "status": self.status,
            "reason": self.reason or None,
            "method": self.method,
            "baseline": self.baseline.to_json() if self.baseline else None,
            "target": self.target.to_json() if self.target else None,
            "actual": self.actual.to_json() if self.actual else None,
            "progress": num(self.progress),
            "progress_clamped": num(self.progress_clamped),
            "flags": list(self.flags),
            "survey": self.survey.to_json() if self.survey else None,
            "series": [s.to_json() for s in self.series],
            "sensitive": self.sensitive,
            "due": self.due.isoformat() if self.due else None,
            "next_target": next_target,
            "trajectory": self.trajectory,
            "pace": num(self.pace),
            "trajectory_status": self.trajectory_status,
            "missing": [m.to_json() for m in self.missing],
        }
