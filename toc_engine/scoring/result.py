"""Typed, frozen results of scoring, and their versioned JSON form.

Every number a report prints lives in one of these objects, so the terminal
text, `--explain`, JSON and other formatters can never disagree. Objects are
built after safeguarding, so no output can leak a withheld or suppressed value.
The JSON form is a contract (docs/schema/score.schema.json): rename nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, getcontext
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any, TypeVar, overload

from ..findings.diagnostic import Diagnostic
from .jsontext import Prewritten, nested_text, scalar_text
from .quick import quick_init

SCHEMA_VERSION = "1.0"

JSON = dict[str, Any]


def num(value: Decimal | None, places: int = 9) -> float | None:
    """A Decimal as a JSON number, rounded as the reports show it."""
    if value is None:
        return None
    rounded = round(value, places).normalize()
    return float(rounded)


_NUMBER_TEXT_LIMIT = 1 << 16  # texts remembered per decimal context; past it, it starts again
_NUMBER_TEXTS: dict[tuple[int, str], dict[Decimal, str]] = {}


def number_text(value: Decimal | None) -> str:
    """`num(value)` as JSON text. Scores repeat numbers (targets, values, progress), so the
    text is remembered by value, for the decimal context's precision and rounding (what
    `num`'s rounding reads: a caller may write under another context); zeros are not
    remembered (0 and -0 are equal but write 0.0 and -0.0)."""
    if value is None:
        return "null"
    if not value or not value.is_finite():
        return scalar_text(num(value))
    context = getcontext()
    key = (context.prec, context.rounding)
    texts = _NUMBER_TEXTS.get(key)
    if texts is None:
        texts = _NUMBER_TEXTS[key] = {}
    held = texts.get(value)
    if held is None:
        if len(texts) >= _NUMBER_TEXT_LIMIT:
            texts.clear()
        held = texts[value] = scalar_text(num(value))
    return held


def _round(value: float | None, places: int = 4) -> float | None:
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


@quick_init
@dataclass(frozen=True)
class ValuePoint:
    """One value as used in the arithmetic: where it came from and what it is."""

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


@quick_init
@dataclass(frozen=True)
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


@quick_init
@dataclass(frozen=True)
class Interval:
    """A 95% interval, in the indicator's own scale (percent)."""

    low: float
    high: float

    def to_json(self) -> JSON:
        return {"low": _round(self.low), "high": _round(self.high)}


@quick_init
@dataclass(frozen=True)
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
            "difference": _round(self.difference),
            "difference_interval": (
                self.difference_interval.to_json() if self.difference_interval else None
            ),
            "significant": self.significant,
        }


@quick_init
@dataclass(frozen=True)
class SeriesScore:
    """A disaggregated or site series, reported beside the total."""

    site: str | None
    dimensions: tuple[tuple[str, str], ...]
    actual: ValuePoint | None
    target: TargetPoint | None
    progress: Decimal | None
    progress_clamped: Decimal | None
    suppressed: bool = False
    suppression: str = ""

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
        }


def series_label(site: str | None, dimensions: tuple[tuple[str, str], ...]) -> str:
    """How a breakdown is named in text: `site=s3, sex=female`."""
    parts = [f"site={site}"] if site else []
    parts += [f"{k}={v}" for k, v in dimensions]
    return ", ".join(parts)


_new = object.__new__
_set = object.__setattr__


def value_point(
    value: Decimal | None, period: str, origin: str, sample_size: int | None, note: str = ""
) -> ValuePoint:
    """`ValuePoint(value, period, origin, sample_size, note=note)`, built without the frozen
    dataclass's `__setattr__` per field: scoring builds one per breakdown."""
    point = _new(ValuePoint)
    _set(point, "__dict__", {"value": value, "period": period, "origin": origin,
                             "sample_size": sample_size, "note": note, "raw": ""})
    return point


def series_score(
    site: str | None,
    dimensions: tuple[tuple[str, str], ...],
    actual: ValuePoint | None,
    target: TargetPoint | None,
    progress: Decimal | None,
    progress_clamped: Decimal | None,
) -> SeriesScore:
    """`SeriesScore(...)` (not suppressed), built as `value_point` is."""
    series = _new(SeriesScore)
    _set(series, "__dict__", {"site": site, "dimensions": dimensions, "actual": actual,
                              "target": target, "progress": progress,
                              "progress_clamped": progress_clamped, "suppressed": False,
                              "suppression": ""})
    return series


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
`series_score(site, dimensions, value_point(value, period, "total", sample_size), target,
progress, progress_clamped)`, which is what `Breakdowns` makes of it when read."""


def _from_record(record: SeriesRecord) -> SeriesScore:
    site, dims, value, period, sample_size, target, progress, kept = record
    return series_score(
        site, dims, value_point(value, period, "total", sample_size), target, progress, kept
    )


class Breakdowns(_Deferred[SeriesScore]):
    """An indicator's breakdowns (`IndicatorScore.series`), made `SeriesScore`s when read.

    A national programme has eight or more breakdowns per indicator, most of them one
    site's latest reading. Scoring keeps those as `SeriesRecord` tuples (one object
    instead of a `SeriesScore` and its `ValuePoint`); the terminal summary and the JSON
    writer read the records (`records`), everything else reads `SeriesScore`s, built on
    first access. Reads like a tuple (and compares equal to one); pickles and copies as
    its `SeriesScore`s.
    """

    __slots__ = ("_built", "records")

    def __init__(self, items: Iterable[SeriesScore | SeriesRecord] = ()) -> None:
        self.records: tuple[SeriesScore | SeriesRecord, ...] = tuple(items)
        self._built: tuple[SeriesScore, ...] | None = None

    def _items(self) -> tuple[SeriesScore, ...]:
        if self._built is None:
            self._built = tuple(
                _from_record(item) if type(item) is tuple else item  # type: ignore[misc]
                for item in self.records
            )
        return self._built

    def __len__(self) -> int:
        return len(self.records)

    def __reduce__(self) -> tuple[type[Breakdowns], tuple[tuple[SeriesScore, ...]]]:
        return (Breakdowns, (self._items(),))


def series_records(
    series: Sequence[SeriesScore],
) -> Sequence[SeriesScore | SeriesRecord]:
    """What a writer reads of `IndicatorScore.series`: a `Breakdowns`' records, or the
    `SeriesScore`s of any other sequence (safeguarding and callers may give tuples)."""
    return series.records if type(series) is Breakdowns else series


class _ItemText(Prewritten):
    """One score object written as JSON text by its subclass's `text`; its plain data is
    the object's `to_json()`."""

    __slots__ = ("item",)

    def __init__(self, item: Any) -> None:
        self.item = item

    def plain(self) -> JSON:
        return self.item.to_json()  # type: ignore[no-any-return]


class _ItemsText(Prewritten):
    """A list of score objects written as JSON text by its subclass's `text`; its plain
    data is each object's `to_json()`."""

    __slots__ = ("items",)

    def __init__(self, items: Sequence[Any]) -> None:
        self.items = items

    def plain(self) -> list[JSON]:
        return [item.to_json() for item in self.items]


class SeriesText(_ItemsText):
    """An indicator's breakdowns as JSON text, written straight from the `SeriesScore`s.

    A national programme has eight or more breakdowns per indicator: building their dicts
    and walking them in the generic writer cost more than scoring them. The text is
    exactly `json.dumps([s.to_json() for s in series], indent=2, ...)` at its depth: the
    same keys in the same order as `SeriesScore.to_json`, `ValuePoint.to_json` and
    `TargetPoint.to_json` (keep them in step; test_scoring_jsontext compares the two).
    """

    __slots__ = ()
    items: Sequence[SeriesScore]

    def text(self, depth: int) -> str:
        if not self.items:
            return "[]"
        series, value, target, n0, n2, n3 = _series_templates(depth)
        c0, c1, c2, c3, c4, c5, c6, c7, c8 = _record_parts(depth)
        # A target point is shared by many breakdowns: its text at this depth, by identity.
        targets: dict[int, str] = {}

        def target_text(point: TargetPoint) -> str:
            held = targets.get(id(point))
            if held is None:
                held = targets[id(point)] = _target_text(point, target, n3)
            return held

        out = []
        for s in series_records(self.items):
            if type(s) is tuple:  # a SeriesRecord: as `_from_record` would make it
                site, dims, reading, period, sample_size, point, progress, kept = s
                progress_text = number_text(progress)
                # Joined from the template's pieces: `%` would scan its ~800 characters.
                out.append("".join((
                    c0, scalar_text(site),
                    c1, _dims_text(dims, n2, n3) if dims else "{}",
                    c2, number_text(reading),
                    c3, scalar_text(period),
                    c4, "null" if sample_size is None else scalar_text(sample_size),
                    c5, "null" if point is None else target_text(point),
                    c6, progress_text,
                    c7, progress_text if kept is progress else number_text(kept),
                    c8,
                )))
                continue
            assert isinstance(s, SeriesScore)
            out.append(series % (
                scalar_text(s.site),
                _dims_text(s.dimensions, n2, n3),
                _value_text(s.actual, value),
                "null" if s.target is None else target_text(s.target),
                number_text(s.progress),
                number_text(s.progress_clamped),
                scalar_text(s.suppressed),
                scalar_text(s.suppression or None),
            ))
        return "[" + ",".join(out) + n0 + "]"


def _target_text(point: TargetPoint, template: str, inner: str) -> str:
    """`point.to_json()` as JSON text, with `template` (of `_series_templates`) and the
    newline of its keys (`inner`)."""
    if point.revised_on is not None:
        deeper = inner + "  "
        revised = (
            "{" + deeper + '"date": ' + scalar_text(point.revised_on.isoformat())
            + "," + deeper + '"from": ' + number_text(point.revised_from)
            + "," + deeper + '"reason": ' + scalar_text(point.revised_reason)
            + inner + "}"
        )
    else:
        revised = "null"
    return template % (
        number_text(point.value), scalar_text(point.period), revised, scalar_text(point.own)
    )


def _value_text(point: ValuePoint | None, template: str) -> str:
    """`point.to_json()` as JSON text, with `template` (of `_series_templates`)."""
    if point is None:
        return "null"
    return template % (
        number_text(point.value),
        scalar_text(point.period),
        scalar_text(point.origin),
        scalar_text(point.sample_size),
        scalar_text(point.note or None),
        scalar_text(point.raw or None),
    )


class IndicatorsText(_ItemsText):
    """A result's indicators as JSON text (`ResultScore.indicators`), written from the
    `IndicatorScore`s with one template each, as `SeriesText` writes their breakdowns.

    A national score has tens of thousands of indicators; their dicts and the generic
    writer's walk over them were most of writing its JSON. The text is exactly
    `json.dumps([i.to_json() for i in indicators], indent=2, ...)` at its depth: the keys
    of `IndicatorScore.to_json`, in its order (keep them in step; test_scoring_jsontext
    compares the two).
    """

    __slots__ = ()
    items: Sequence[IndicatorScore]

    def text(self, depth: int) -> str:
        if not self.items:
            return "[]"
        record, value, target, n0, n2, n3 = _indicator_templates(depth)
        out = []
        for i in self.items:
            flags = i.flags
            out.append(record % (
                scalar_text(i.id),
                scalar_text(i.name),
                scalar_text(i.measure),
                scalar_text(i.direction),
                scalar_text(i.unit),
                number_text(i.weight),
                scalar_text(i.status),
                scalar_text(i.reason or None),
                scalar_text(i.method),
                _value_text(i.baseline, value),
                "null" if i.target is None else _target_text(i.target, target, n3),
                _value_text(i.actual, value),
                number_text(i.progress),
                number_text(i.progress_clamped),
                "[" + ",".join(n3 + scalar_text(f) for f in flags) + n2 + "]" if flags else "[]",
                "null" if i.survey is None else nested_text(i.survey.to_json(), depth + 2),
                SeriesText(i.series).text(depth + 2),
                scalar_text(i.sensitive),
            ))
        return "[" + ",".join(out) + n0 + "]"


def _dims_text(dims: tuple[tuple[str, str], ...], inner: str, deeper: str) -> str:
    """A breakdown's `dimensions` object as JSON text (the last value of a repeated key)."""
    if not dims:
        return "{}"
    pairs = dict(dims).items()
    return "{" + ",".join(deeper + scalar_text(k) + ": " + scalar_text(v) for k, v in pairs) + (
        inner + "}"
    )


@lru_cache(maxsize=64)
def _series_templates(depth: int) -> tuple[str, str, str, str, str, str]:
    """%-templates of a breakdown, its actual and its target, for a list at `depth`, and
    the newlines they use: one string operation per record instead of dozens."""
    n0 = "\n" + "  " * depth
    n1, n2, n3 = n0 + "  ", n0 + "    ", n0 + "      "

    def record(newline: str, close: str, keys: tuple[str, ...]) -> str:
        body = ",".join(newline + f'"{key}": %s' for key in keys)
        return "{" + body + close + "}"

    series = n1 + record(n2, n1, ("site", "dimensions", "actual", "target", "progress",
                                  "progress_clamped", "suppressed", "suppression"))
    value = record(n3, n2, ("value", "period", "origin", "sample_size", "note", "raw"))
    target = record(n3, n2, ("value", "period", "revised", "own"))
    return series, value, target, n0, n2, n3


@lru_cache(maxsize=64)
def _record_parts(depth: int) -> tuple[str, ...]:
    """`_series_templates(depth)`'s breakdown with a `SeriesRecord`'s actual written in
    (origin "total", no note, no raw) and never suppressed, cut where the site, dimensions,
    value, period, sample size, target and the two progresses go: nine pieces."""
    series, value, _, _, _, _ = _series_templates(depth)
    actual = value % ("%s", "%s", '"total"', "%s", "null", "null")
    # The keys hold no "%": every "%s" left is a place to fill.
    parts = tuple((series % ("%s", "%s", actual, "%s", "%s", "%s", "false", "null")).split("%s"))
    if len(parts) != 9:
        raise RuntimeError(f"a breakdown's template has {len(parts) - 1} places, not 8")
    return parts


_INDICATOR_KEYS = (
    "id", "name", "measure", "direction", "unit", "weight", "status", "reason", "method",
    "baseline", "target", "actual", "progress", "progress_clamped", "flags", "survey",
    "series", "sensitive",
)


@lru_cache(maxsize=64)
def _indicator_templates(depth: int) -> tuple[str, str, str, str, str, str]:
    """The %-template of an indicator in a list at `depth` (`IndicatorsText`), with the
    value and target templates and newlines of `_series_templates(depth)`: an indicator's
    values and target sit as deep as a breakdown's."""
    _, value, target, n0, n2, n3 = _series_templates(depth)
    n1 = n0 + "  "
    record = n1 + "{" + ",".join(n2 + f'"{key}": %s' for key in _INDICATOR_KEYS) + n1 + "}"
    return record, value, target, n0, n2, n3


@lru_cache(maxsize=256)
def _object_pieces(keys: tuple[str, ...], depth: int) -> tuple[str, ...]:
    """The constant text of a JSON object with `keys` (in order) as `json.dumps(indent=2)`
    writes it `depth` levels deep, cut where the values go: len(keys) + 1 pieces, to be
    joined with the values' texts between them."""
    inner = "\n" + "  " * (depth + 1)
    return (
        "{" + inner + encode_basestring(keys[0]) + ": ",
        *["," + inner + encode_basestring(key) + ": " for key in keys[1:]],
        "\n" + "  " * depth + "}",
    )


def _strings_text(items: Sequence[str], depth: int) -> str:
    """A list of strings (reasons, ids) as JSON text `depth` levels deep."""
    if not items:
        return "[]"
    inner = "\n" + "  " * (depth + 1)
    return "[" + ",".join(inner + scalar_text(item) for item in items) + "\n" + "  " * depth + "]"


_CLAIM_KEYS = (
    "evidence", "claim", "kind", "finding", "found", "test", "sensitivity", "false_positive",
    "likelihood_ratio", "temper", "tempered_likelihood_ratio", "used", "note", "package",
    "sensitive", "withheld", "summary", "quote",
)


def _claims_text(effects: Sequence[ClaimEffect], depth: int) -> str:
    """`[e.to_json() for e in effects]` as JSON text `depth` levels deep: the keys of
    `ClaimEffect.to_json`, in its order (keep them in step; test_scoring_jsontext compares
    the two)."""
    if not effects:
        return "[]"
    c = _object_pieces(_CLAIM_KEYS, depth + 1)
    inner = "\n" + "  " * (depth + 1)
    out = []
    for e in effects:
        out.append(inner + "".join((
            c[0], scalar_text(e.evidence),
            c[1], scalar_text(e.claim),
            c[2], scalar_text(e.kind),
            c[3], scalar_text(e.finding),
            c[4], scalar_text(e.found),
            c[5], scalar_text(e.test),
            c[6], scalar_text(_round(e.sensitivity, 6)),
            c[7], scalar_text(_round(e.false_positive, 6)),
            c[8], scalar_text(_round(e.lr, 6)),
            c[9], scalar_text(e.temper),
            c[10], scalar_text(_round(e.tempered_lr, 6)),
            c[11], scalar_text(e.used),
            c[12], scalar_text(e.note or None),
            c[13], scalar_text(e.package),
            c[14], scalar_text(e.sensitive),
            c[15], scalar_text(e.withheld),
            c[16], scalar_text(e.summary),
            c[17], scalar_text(e.quote),
            c[18],
        )))
    return "[" + ",".join(out) + "\n" + "  " * depth + "]"


@quick_init
@dataclass(frozen=True)
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

    def to_json(self) -> JSON:
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
        }


def indicator_score(
    id: str,
    name: str,
    measure: str,
    direction: str | None,
    unit: str | None,
    weight: Decimal,
    status: str,
    reason: str,
    method: str,
    baseline: ValuePoint | None,
    target: TargetPoint | None,
    actual: ValuePoint | None,
    progress: Decimal | None,
    progress_clamped: Decimal | None,
    flags: tuple[str, ...],
    steps: Sequence[str],
    survey: SurveyStats | None,
    series: Sequence[SeriesScore],
    sensitive: bool,
    has_declared_baseline: bool,
    has_method: bool,
    has_source: bool,
) -> IndicatorScore:
    """`IndicatorScore(...)` with every field given in order, built as `value_point` is:
    scoring builds one per indicator, and the frozen `__init__` sets 22 fields one by one.
    The same object (equal, hashable, `replace`-able); tests/test_scoring_speed_render.py
    compares the two."""
    score = _new(IndicatorScore)
    _set(score, "__dict__", {
        "id": id, "name": name, "measure": measure, "direction": direction, "unit": unit,
        "weight": weight, "status": status, "reason": reason, "method": method,
        "baseline": baseline, "target": target, "actual": actual, "progress": progress,
        "progress_clamped": progress_clamped, "flags": flags, "steps": steps,
        "survey": survey, "series": series, "sensitive": sensitive,
        "has_declared_baseline": has_declared_baseline, "has_method": has_method,
        "has_source": has_source,
    })
    return score


@quick_init
@dataclass(frozen=True)
class Delivery:
    score: Decimal | None  # 100·D rounded to 9 places; None without assessed indicators
    band: str  # A++ | A+ | A | B | C | insufficient_evidence
    band_label: str
    d: Decimal | None = None
    steps: Sequence[str] = ()  # for --explain (Lines)

    def to_json(self) -> JSON:
        return {"score": num(self.score), "band": self.band, "band_label": self.band_label}


@quick_init
@dataclass(frozen=True)
class ClaimEffect:
    """One claim's contribution to a hypothesis, with the reason it was used or not."""

    evidence: str
    claim: int  # index of the claim in its evidence item
    kind: str
    finding: str
    found: bool
    test: str | None
    sensitivity: float | None  # None when the claim cannot be used
    false_positive: float | None
    lr: float | None  # before tempering
    temper: float
    tempered_lr: float | None
    used: bool
    note: str
    package: str | None
    sensitive: bool
    quote: str | None  # None when withheld or absent
    summary: str | None
    withheld: bool
    methodology: str
    groups: tuple[str, ...] = ()

    def to_json(self) -> JSON:
        return {
            "evidence": self.evidence,
            "claim": self.claim,
            "kind": self.kind,
            "finding": self.finding,
            "found": self.found,
            "test": self.test,
            "sensitivity": _round(self.sensitivity, 6),
            "false_positive": _round(self.false_positive, 6),
            "likelihood_ratio": _round(self.lr, 6),
            "temper": self.temper,
            "tempered_likelihood_ratio": _round(self.tempered_lr, 6),
            "used": self.used,
            "note": self.note or None,
            "package": self.package,
            "sensitive": self.sensitive,
            "withheld": self.withheld,
            "summary": self.summary,
            "quote": self.quote,
        }


@quick_init
@dataclass(frozen=True)
class Hypothesis:
    """A hypothesis (result, link, assumption, rival) and its qualitative posterior."""

    id: str
    kind: str  # result | link | assumption | rival
    prior: float
    posterior: float | None  # None without claims
    band: str
    effects: tuple[ClaimEffect, ...] = ()

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "kind": self.kind,
            "prior": self.prior,
            "posterior": self.posterior,
            "posterior_band": self.band,
            "claims": [e.to_json() for e in self.effects],
        }


@quick_init
@dataclass(frozen=True)
class ResultScore:
    id: str
    level: str
    statement: str
    weight: Decimal
    indicators: tuple[IndicatorScore, ...]
    delivery: Delivery
    state: str  # achieved | not_achieved | unknown
    state_reason: str
    hypothesis: Hypothesis
    confidence: str
    confidence_reasons: tuple[str, ...]
    disagreement: bool = False
    coherence_note: str | None = None

    @property
    def posterior(self) -> float | None:
        return self.hypothesis.posterior

    @property
    def posterior_band(self) -> str:
        return self.hypothesis.band

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "level": self.level,
            "statement": self.statement,
            "weight": num(self.weight),
            "indicators": [i.to_json() for i in self.indicators],
            "delivery": self.delivery.to_json(),
            "state": self.state,
            "state_reason": self.state_reason,
            "posterior": self.posterior,
            "posterior_band": self.posterior_band,
            "confidence": self.confidence,
            "confidence_reasons": list(self.confidence_reasons),
            "disagreement": self.disagreement,
            "coherence_note": self.coherence_note,
            "claims": [e.to_json() for e in self.hypothesis.effects],
        }


_RESULT_KEYS = (
    "id", "level", "statement", "weight", "indicators", "delivery", "state", "state_reason",
    "posterior", "posterior_band", "confidence", "confidence_reasons", "disagreement",
    "coherence_note", "claims",
)
_DELIVERY_KEYS = ("score", "band", "band_label")


class ResultText(_ItemText):
    """One result as JSON text, written from its `ResultScore` with one template (its
    indicators as `IndicatorsText`, its claims as `_claims_text`), as a list of them is
    written a result at a time (`jsontext.chunks`). A national score has tens of thousands
    of results: building their dicts and walking them cost most of what was left of
    writing the JSON. The text is exactly `json.dumps(result.to_json(), indent=2, ...)` at
    its depth: the keys of `ResultScore.to_json` and `Delivery.to_json`, in their order
    (keep them in step; test_scoring_jsontext compares the two).
    """

    __slots__ = ()
    item: ResultScore

    def text(self, depth: int) -> str:
        r = self.item
        c = _object_pieces(_RESULT_KEYS, depth)
        d = _object_pieces(_DELIVERY_KEYS, depth + 1)
        delivery = r.delivery
        hypothesis = r.hypothesis
        return "".join((
            c[0], scalar_text(r.id),
            c[1], scalar_text(r.level),
            c[2], scalar_text(r.statement),
            c[3], number_text(r.weight),
            c[4], IndicatorsText(r.indicators).text(depth + 1),
            c[5], d[0], number_text(delivery.score), d[1], scalar_text(delivery.band),
            d[2], scalar_text(delivery.band_label), d[3],
            c[6], scalar_text(r.state),
            c[7], scalar_text(r.state_reason),
            c[8], scalar_text(hypothesis.posterior),
            c[9], scalar_text(hypothesis.band),
            c[10], scalar_text(r.confidence),
            c[11], _strings_text(r.confidence_reasons, depth + 1),
            c[12], scalar_text(r.disagreement),
            c[13], scalar_text(r.coherence_note),
            c[14], _claims_text(hypothesis.effects, depth + 1),
            c[15],
        ))


@quick_init
@dataclass(frozen=True)
class AssumptionScore:
    id: str
    statement: str
    declared: str
    state: str  # holds | at_risk | failed | unknown
    reason: str
    hypothesis: Hypothesis

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "statement": self.statement,
            "declared_status": self.declared,
            "state": self.state,
            "reason": self.reason,
            "posterior": self.hypothesis.posterior,
            "posterior_band": self.hypothesis.band,
        }


@quick_init
@dataclass(frozen=True)
class RivalScore:
    id: str
    statement: str
    hypothesis: Hypothesis

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "statement": self.statement,
            "posterior": self.hypothesis.posterior,
            "posterior_band": self.hypothesis.band,
        }


@quick_init
@dataclass(frozen=True)
class LinkScore:
    source: str
    target: str
    weight: Decimal
    verdict: str
    rule: int  # the row of scoring.md §5's table that matched
    reason: str
    hypothesis: Hypothesis
    rivals: tuple[RivalScore, ...]
    assumptions: tuple[str, ...]
    lag: str | None
    confidence: str
    confidence_reasons: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.source} -> {self.target}"

    @property
    def posterior(self) -> float | None:
        return self.hypothesis.posterior

    def to_json(self) -> JSON:
        return {
            "from": self.source,
            "to": self.target,
            "weight": num(self.weight),
            "verdict": self.verdict,
            "rule": self.rule,
            "posterior": self.posterior,
            "posterior_band": self.hypothesis.band,
            "reason": self.reason,
            "assumptions": list(self.assumptions),
            "rivals": [r.to_json() for r in self.rivals],
            "lag": self.lag,
            "confidence": self.confidence,
            "confidence_reasons": list(self.confidence_reasons),
            "claims": [e.to_json() for e in self.hypothesis.effects],
        }


_LINK_KEYS = (
    "from", "to", "weight", "verdict", "rule", "posterior", "posterior_band", "reason",
    "assumptions", "rivals", "lag", "confidence", "confidence_reasons", "claims",
)


class LinkText(_ItemText):
    """One link as JSON text, written from its `LinkScore` with one template, as
    `ResultText` writes a result: the keys of `LinkScore.to_json`, in its order (keep them
    in step; test_scoring_jsontext compares the two)."""

    __slots__ = ()
    item: LinkScore

    def text(self, depth: int) -> str:
        link = self.item
        c = _object_pieces(_LINK_KEYS, depth)
        hypothesis = link.hypothesis
        rivals = (
            nested_text([r.to_json() for r in link.rivals], depth + 1) if link.rivals else "[]"
        )
        return "".join((
            c[0], scalar_text(link.source),
            c[1], scalar_text(link.target),
            c[2], number_text(link.weight),
            c[3], scalar_text(link.verdict),
            c[4], scalar_text(link.rule),
            c[5], scalar_text(hypothesis.posterior),
            c[6], scalar_text(hypothesis.band),
            c[7], scalar_text(link.reason),
            c[8], _strings_text(link.assumptions, depth + 1),
            c[9], rivals,
            c[10], scalar_text(link.lag),
            c[11], scalar_text(link.confidence),
            c[12], _strings_text(link.confidence_reasons, depth + 1),
            c[13], _claims_text(hypothesis.effects, depth + 1),
            c[14],
        ))


@quick_init
@dataclass(frozen=True)
class Check:
    """One ex-ante check: the share of items that pass, and the ones that fail."""

    name: str
    share: Decimal
    failing: tuple[str, ...]

    def to_json(self) -> JSON:
        return {"name": self.name, "share": num(self.share), "failing": list(self.failing)}


@quick_init
@dataclass(frozen=True)
class Criterion:
    name: str  # plausible | testable | participatory | contextualised
    score: int  # 0-3
    mean_share: Decimal | None
    checks: tuple[Check, ...]
    reasons: tuple[str, ...]

    def to_json(self) -> JSON:
        return {
            "score": self.score,
            "mean_share": num(self.mean_share),
            "checks": [c.to_json() for c in self.checks],
            "reasons": list(self.reasons),
        }


@quick_init
@dataclass(frozen=True)
class Gap:
    """An unanticipated outcome: a gap in the theory, not a penalty."""

    evidence: str
    statement: str | None  # None when withheld (sensitive evidence)
    valence: str
    result: str | None
    withheld: bool = False

    def to_json(self) -> JSON:
        return {
            "evidence": self.evidence,
            "statement": self.statement,
            "valence": self.valence,
            "result": self.result,
            "withheld": self.withheld,
        }


@quick_init
@dataclass(frozen=True)
class DesignScore:
    score: Decimal
    ex_ante_score: Decimal  # E, 0-1
    criteria: tuple[Criterion, ...]
    validity: Decimal | None  # V, None without tested links
    tested_coverage: Decimal
    validity_untested: bool
    gaps: tuple[Gap, ...]
    steps: tuple[str, ...] = ()

    def to_json(self) -> JSON:
        return {
            "score": num(self.score),
            "ex_ante_score": num(self.ex_ante_score),
            "ex_ante": {c.name: c.to_json() for c in self.criteria},
            "validity": num(self.validity),
            "tested_coverage": num(self.tested_coverage),
            "validity_untested": self.validity_untested,
            "gaps": [g.to_json() for g in self.gaps],
        }


@quick_init
@dataclass(frozen=True)
class LevelRollup:
    level: str
    score: Decimal | None
    band: str
    band_label: str
    results: int
    banded: int
    steps: tuple[str, ...] = ()

    def to_json(self) -> JSON:
        return {
            "level": self.level,
            "score": num(self.score),
            "band": self.band,
            "band_label": self.band_label,
            "results": self.results,
            "banded": self.banded,
        }


ROLLUP_NOTE = (
    "Accountability roll-up (DFID-style band points x weight per level); "
    "not a causal claim and not evidence for higher results."
)


@quick_init
@dataclass(frozen=True)
class Safeguarding:
    include_sensitive: bool
    withheld_items: int
    suppressed_cells: int
    threshold: int
    notes: tuple[str, ...] = ()

    @property
    def banner(self) -> str | None:
        if self.include_sensitive:
            return (
                "SENSITIVE CONTENT INCLUDED: summaries and quotes of sensitive evidence are "
                "shown (--include-sensitive). Do not share this output."
            )
        return None

    def to_json(self) -> JSON:
        return {
            "include_sensitive": self.include_sensitive,
            "banner": self.banner,
            "withheld_items": self.withheld_items,
            "suppressed_cells": self.suppressed_cells,
            "suppress_below": self.threshold,
            "notes": list(self.notes),
        }


@quick_init
@dataclass(frozen=True)
class ProgrammeScore:
    programme: str
    title: str
    assessed_at: date
    scale: str
    results: tuple[ResultScore, ...]
    links: tuple[LinkScore, ...]
    assumptions: tuple[AssumptionScore, ...]
    design: DesignScore
    rollup: tuple[LevelRollup, ...]
    safeguarding: Safeguarding
    findings: tuple[Diagnostic, ...] = ()
    notes: tuple[str, ...] = ()
    schema_version: str = field(default=SCHEMA_VERSION)

    def result(self, result_id: str) -> ResultScore:
        for item in self.results:
            if item.id == result_id:
                return item
        raise KeyError(result_id)

    def link(self, source: str, target: str) -> LinkScore:
        for item in self.links:
            if item.source == source and item.target == target:
                return item
        raise KeyError(f"{source} -> {target}")

    def to_json(self, *, prewritten: bool = False) -> JSON:
        """The versioned JSON data; `prewritten` is for `jsontext.dumps` only: each
        result and link becomes a `ResultText` or `LinkText` (its indicators and their
        breakdowns `IndicatorsText` and `SeriesText`), which write their own text (the same
        as `json.dumps` of the plain data)."""
        return {
            "schema_version": self.schema_version,
            "programme": {"id": self.programme, "title": self.title, "scale": self.scale},
            "assessed_at": self.assessed_at.isoformat(),
            "safeguarding": self.safeguarding.to_json(),
            "results": (
                [ResultText(r) for r in self.results] if prewritten
                else [r.to_json() for r in self.results]
            ),
            "links": (
                [LinkText(link) for link in self.links] if prewritten
                else [link.to_json() for link in self.links]
            ),
            "assumptions": [a.to_json() for a in self.assumptions],
            "design": self.design.to_json(),
            "rollup": {
                "note": ROLLUP_NOTE,
                "levels": [level.to_json() for level in self.rollup],
            },
            "findings": [
                {
                    "code": d.code,
                    "symbol": d.symbol,
                    "severity": d.severity.label,
                    "message": d.message,
                    "hint": d.hint or None,
                    "file": d.span.file,
                    "line": d.span.line,
                    "col": d.span.col,
                    "path": d.data_path(),
                }
                for d in self.findings
            ],
            "notes": list(self.notes),
        }
