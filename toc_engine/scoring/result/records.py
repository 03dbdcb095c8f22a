"""Flat records of a score: one plain dict per result, indicator breakdown or link.

Every value is a `str`, `float`, `int`, `bool` or `None` (decimals become floats rounded
as the JSON rounds them), and every record of a kind has the same keys in the same
order, so `pandas.DataFrame(score.records("indicators"))` has typed columns, and so
has a CSV writer. They are made from the score's objects, after safeguarding: a
withheld or suppressed value is `None` here too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from .indicators import IndicatorScore, SeriesScore, TargetPoint, ValuePoint, num, series_label
from .results import LinkScore, ResultScore

Scalar = str | float | int | bool | None
Record = dict[str, Scalar]
KINDS = ("results", "indicators", "links")


def records(programme: str, results: Sequence[ResultScore], links: Sequence[LinkScore],
            kind: str) -> list[Record]:
    """The records of one kind of a programme's score: "results", "indicators" (a row
    for each indicator's total, then one per breakdown) or "links"."""
    if kind == "results":
        return list(_results(programme, results))
    if kind == "indicators":
        return list(_indicators(programme, results))
    if kind == "links":
        return list(_links(programme, links))
    raise ValueError(f"unknown kind of record {kind!r}: use one of {', '.join(KINDS)}")


def _float(value: Decimal | float | None) -> float | None:
    if value is None:
        return None
    return num(value) if isinstance(value, Decimal) else float(value)


def _results(programme: str, results: Sequence[ResultScore]) -> Iterator[Record]:
    for result in results:
        yield {
            "programme": programme,
            "result": result.id,
            "level": result.level,
            "weight": _float(result.weight),
            "delivery": _float(result.delivery.score),
            "band": result.delivery.band,
            "band_label": result.delivery.band_label,
            "state": result.state,
            "posterior": _float(result.posterior),
            "posterior_band": result.posterior_band,
            "confidence": result.confidence,
            "indicators": len(result.indicators),
        }


def _indicators(programme: str, results: Sequence[ResultScore]) -> Iterator[Record]:
    for result in results:
        for indicator in result.indicators:
            yield _indicator_row(programme, result.id, indicator, None)
            for series in indicator.series:
                yield _indicator_row(programme, result.id, indicator, series)


def _indicator_row(programme: str, result: str, indicator: IndicatorScore,
                   series: SeriesScore | None) -> Record:
    dimensions: tuple[tuple[str, str], ...]
    if series is None:
        actual, target = indicator.actual, indicator.target
        progress, clamped = indicator.progress, indicator.progress_clamped
        site, dimensions, suppressed = None, (), False
    else:
        actual, target = series.actual, series.target
        progress, clamped = series.progress, series.progress_clamped
        site, dimensions, suppressed = series.site, series.dimensions, series.suppressed
    baseline = indicator.baseline
    return {
        "programme": programme,
        "result": result,
        "indicator": indicator.id,
        "breakdown": series_label(site, dimensions) if series is not None else None,
        "site": site,
        "dimensions": ", ".join(f"{k}={v}" for k, v in dimensions) or None,
        "measure": indicator.measure,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "status": indicator.status,
        "baseline": _value(baseline),
        "baseline_period": baseline.period if baseline else None,
        "target": _target(target),
        "target_period": target.period if target else None,
        "actual": _value(actual),
        "actual_period": actual.period if actual else None,
        "sample_size": actual.sample_size if actual else None,
        "progress": _float(progress),
        "progress_clamped": _float(clamped),
        "suppressed": suppressed,
        "sensitive": indicator.sensitive,
    }


def _value(point: ValuePoint | None) -> float | None:
    return None if point is None else _float(point.value)


def _target(point: TargetPoint | None) -> float | None:
    return None if point is None else _float(point.value)


def _links(programme: str, links: Sequence[LinkScore]) -> Iterator[Record]:
    for link in links:
        yield {
            "programme": programme,
            "source": link.source,
            "target": link.target,
            "weight": _float(link.weight),
            "verdict": link.verdict,
            "rule": link.rule,
            "posterior": _float(link.posterior),
            "posterior_band": link.hypothesis.band,
            "confidence": link.confidence,
            "assumptions": ", ".join(link.assumptions) or None,
            "lag": link.lag,
        }
