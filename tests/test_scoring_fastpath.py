"""Scoring reads only the periods that decide a series; the result is what reading all gave.

For an indicator that is neither cumulative nor `latest`, scoring groups its rows by period
and by breakdown in one pass (`values.counted_groups`, which keeps a breakdown's best row of
each period), builds the totals of the first and latest periods only
(`progress._total_series`) and scores a breakdown from its first and latest periods
(`progress._several_rows_series`, `_one_reading_series`). All of it is compared here with
the general path it stands for (every row a `Row`, every period's `Total`, then `assess`),
on the examples and on random indicators with nested, repeated and late periods.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_scoring_helpers import indicator, programme, result

from toc_engine.formats.score import explain, to_json
from toc_engine.schema.model import Programme
from toc_engine.schema.programme import load
from toc_engine.scoring import progress, score

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*/programme.yaml"))


def _both_ways(prog: Programme, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    def outputs() -> Any:
        scored = score(prog, include_sensitive=True)
        ids = [i.id for r in scored.results for i in r.indicators]
        return to_json(scored), [explain(scored, i) for i in ids]

    fast = outputs()
    with monkeypatch.context() as patch:
        patch.setattr(progress, "_GENERAL_PATH_ONLY", True)
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


def test_a_breakdown_keeps_its_best_row_of_a_period(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows of one site in one period (written two ways): the largest sample wins, then the
    largest value, and on a full tie the first row, whichever path scores it."""
    whole_2013 = {"start": "2013-01-01", "end": "2013-12-31"}
    cases = [  # (rows of site s0, the period text and value the breakdown must report)
        ([("2013", 40, None), (whole_2013, 40, None)], "2013", Decimal(40)),
        ([(whole_2013, 40, None), ("2013", 40, None)], "2013-01-01/2013-12-31", Decimal(40)),
        ([("2013", 45, 10), (whole_2013, 40, 20)], "2013-01-01/2013-12-31", Decimal(40)),
        ([("2013", 40, 20), (whole_2013, 45, 20)], "2013-01-01/2013-12-31", Decimal(45)),
    ]
    for extra_period in ([], [("2012", 30, None)]):  # one period, or several
        indicators = [
            indicator(f"i{n}", baseline=10, targets=[("2013", 60)], observations=[
                {"period": period, "value": value, "site": "s0"}
                | ({"sample_size": size} if size else {})
                for period, value, size in extra_period + rows
            ])
            for n, (rows, _, _) in enumerate(cases)
        ]
        prog = programme([result("r", indicators=indicators)],
                         sites=[{"id": "s0", "name": "Site 0"}])
        fast, general = _both_ways(prog, monkeypatch)
        assert fast == general
        scored = score(prog)
        for scored_indicator, (_, period, value) in zip(
            scored.results[0].indicators, cases, strict=True
        ):
            [breakdown] = scored_indicator.series
            assert breakdown.actual is not None
            assert (breakdown.actual.period, breakdown.actual.value) == (period, value)
