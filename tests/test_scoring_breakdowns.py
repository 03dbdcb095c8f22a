"""Breakdowns (by site, by dimensions) through the public API, and the random programmes
that other scoring tests draw (nested, repeated and late periods, targets of the total
and of a site, zeros written several ways).
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

from test_scoring_helpers import indicator, programme, result

from toc_engine import score
from toc_engine.formats.score import explain, render_text, to_json
from toc_engine.schema.model import Programme

# Nested periods (2013 holds 2013-Q2 holds 2013-06), one period written two ways, one that
# ends on the day a target starts, and periods after the assessment date (not counted).
PERIODS = ["2011", "2012", "2013", "2012-Q1", "2012-Q4", "2013-Q2", "2013-Q4", "2012-06",
           "2013-06", "2013-12", "2014", "2014-Q1", {"start": "2012-01-01", "end": "2012-12-31"},
           {"start": "2012-04-01", "end": "2013-06-30"},
           {"start": "2012-12-01", "end": "2013-01-01"}]


def random_indicator(rng: random.Random, n: int) -> dict[str, Any]:
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


def _site_indicator(rng: random.Random, n: int) -> dict[str, Any]:
    """One reading per site (the common national shape), targets sometimes sharing a period
    with different values, zeros and equal values written several ways."""
    values = ["0", "-0", "0.0", "5", "5.00", "37", "40", "1E+1", "100", "0.125", "-3"]
    observations = [
        {"period": rng.choice(["2011", "2012-Q1", "2012-Q4", "2013-Q2", "2013-Q4", "2014"]),
         "value": Decimal(rng.choice(values)), "site": f"s{k}"}
        for k in range(rng.randint(0, 6))
    ]
    periods = ["2012", "2013", "2013-Q2", "2014"]
    targets: list[Any] = [(rng.choice(periods), Decimal(rng.choice(values[3:])))
                          for _ in range(rng.choice([0, 1, 2, 3]))]
    extra: dict[str, Any] = {"direction": rng.choice(["increase", "decrease", "maintain"])}
    if extra["direction"] == "maintain":
        extra["tolerance"] = 5
    baseline = rng.choice([None, 0, 10, Decimal("-0")])
    return indicator(f"i{n}", baseline=baseline, targets=targets, observations=observations,
                     **extra)


def random_programme(rng: random.Random, round_: int) -> Programme:
    indicators = [
        (_site_indicator if rng.random() < 0.6 else random_indicator)(rng, n)
        for n in range(150)
    ]
    levels = ["activity", "output", "outcome", "impact"]
    results = []
    for k in range(12):
        links = sorted({f"x{rng.randrange(12)}" for _ in range(rng.randint(0, 2))})
        results.append(result(f"x{k}", level=rng.choice(levels), links=links,
                              indicators=indicators[k::12]))
    sites = [{"id": f"s{k}", "name": f"Site {k}"} for k in range(6)]
    prog = programme(results, sites=sites)
    assert prog.programme.as_of == date(2013, 12, 31), round_
    return prog



_random_programme = random_programme  # the name other test modules import


def outputs(prog: Programme) -> Any:
    """Every output of scoring `prog`: JSON, the summary and each indicator's --explain,
    without and with sensitive items."""
    out = []
    for sensitive in (False, True):
        scored = score(prog, include_sensitive=sensitive)
        ids = [i.id for r in scored.results for i in r.indicators]
        out.append((to_json(scored), render_text(scored), [explain(scored, i) for i in ids]))
    return out


def test_a_breakdown_keeps_its_best_row_of_a_period() -> None:
    """Rows of one site in one period (written two ways): the largest sample wins, then the
    largest value, and on a full tie the first row."""
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
        # two rows of one period are a duplicate (TOC318); scored anyway, the best row wins
        scored = score(prog, allow_errors=True)
        for scored_indicator, (_, period, value) in zip(
            scored.results[0].indicators, cases, strict=True
        ):
            [breakdown] = scored_indicator.series
            assert breakdown.actual is not None
            assert (breakdown.actual.period, breakdown.actual.value) == (period, value)
