"""Scoring reads only the periods that decide a series; the result is what reading all gave.

`progress._total_series` builds the totals of the first and latest periods only, and
`progress._several_rows_series` scores a breakdown from its first and latest periods. Both
are compared here with the general path they stand for (every period's `Total`, then
`assess`), on the examples and on random indicators with nested, repeated and late periods.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_scoring_helpers import indicator, programme, result

from toc_engine.loader import load
from toc_engine.model import Indicator, Programme, Target
from toc_engine.scoring import explain, progress, score, to_json
from toc_engine.scoring.values import Counted, LatestKey, SeriesKey, Total, row_of, totals

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*/programme.yaml"))


def _all_totals(
    indicator: Indicator,
    periods: dict[LatestKey, list[Counted]],
    baseline: Any,
    targets: Any,
) -> list[Total]:
    del baseline, targets
    return totals([row_of(item, ()) for group in periods.values() for item in group], indicator)


def _all_periods(
    indicator: Indicator,
    key: SeriesKey,
    items: Sequence[Counted],
    baseline: Any,
    targets: Sequence[tuple[Target, Decimal]],
    own_targets: bool,
    choices: Any,
) -> Any:
    rows = [row_of(item, key[1]) for item in items]
    return progress._series_score(indicator, key, rows, baseline, targets, own_targets, choices)


def _both_ways(prog: Programme, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    def outputs() -> Any:
        scored = score(prog, include_sensitive=True)
        ids = [i.id for r in scored.results for i in r.indicators]
        return to_json(scored), [explain(scored, i) for i in ids]

    fast = outputs()
    with monkeypatch.context() as patch:
        patch.setattr(progress, "_total_series", _all_totals)
        patch.setattr(progress, "_several_rows_series", _all_periods)
        general = outputs()
    return fast, general


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_examples_score_as_with_every_period(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load(path)
    assert loaded.programme is not None
    fast, general = _both_ways(loaded.programme, monkeypatch)
    assert fast == general


# Nested periods (2013 holds 2013-Q2 holds 2013-06), one period written two ways, one that
# ends on the day a target starts, and periods after the assessment date (not counted).
PERIODS = ["2011", "2012", "2013", "2012-Q1", "2012-Q4", "2013-Q2", "2013-Q4", "2012-06",
           "2013-06", "2013-12", "2014", "2014-Q1", {"start": "2012-01-01", "end": "2012-12-31"},
           {"start": "2012-04-01", "end": "2013-06-30"},
           {"start": "2012-12-01", "end": "2013-01-01"}]


def _random_indicator(rng: random.Random, n: int) -> dict[str, Any]:
    observations = []
    for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 12])):
        obs: dict[str, Any] = {"period": rng.choice(PERIODS),
                               "value": rng.choice([0, 5, 10, 37, 40, 55, 100])}
        if rng.random() < 0.7:
            obs["site"] = rng.choice(["s0", "s1"])
        if rng.random() < 0.2:
            obs["dimensions"] = {"sex": rng.choice(["f", "m"])}
        if rng.random() < 0.4:
            obs["sample_size"] = rng.choice([10, 20])
        observations.append(obs)
    targets: list[Any] = [(p, rng.choice([0, 40, 60, 100])) for p in
                          rng.sample(["2012", "2013", "2013-Q2", "2014"], rng.choice([0, 1, 2]))]
    if rng.random() < 0.3:
        targets.append({"period": "2013", "value": 50, "site": "s0"})
    baseline: Any = rng.choice([None, 10, {"period": 2011, "value": 20, "site": "s1"}])
    extra: dict[str, Any] = {"direction": rng.choice(["increase", "decrease", "maintain"])}
    if extra["direction"] == "maintain":
        extra["tolerance"] = 5
    if rng.random() < 0.5:
        extra.update(measure="percentage", unit="percent")
    if rng.random() < 0.3:
        extra["aggregation"] = rng.choice(["sum", "mean", "weighted_mean"])
    return indicator(f"i{n}", baseline=baseline, targets=targets, observations=observations,
                     **extra)


def test_random_indicators_score_as_with_every_period(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(20240611)
    for round_ in range(6):
        indicators = [_random_indicator(rng, n) for n in range(300)]
        prog = programme([result(f"r{round_}", indicators=indicators)],
                         sites=[{"id": "s0", "name": "Site 0"}, {"id": "s1", "name": "Site 1"}])
        assert prog.programme.as_of == date(2013, 12, 31)
        fast, general = _both_ways(prog, monkeypatch)
        assert fast == general
