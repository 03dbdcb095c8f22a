"""The shared target choices, the Row-free single-row breakdowns (one by one, and in a batch
of the total's inputs: `_shared_series`), their order, and the one-walk reach of
`plausible` give what the general paths gave (JSON, summary text and `--explain`).

Each fast path is compared with the code it stands for, on the examples and on random
indicators (nested, repeated and late periods, targets of the same period, zeros written
several ways); the last test checks that the comparison catches a deliberate bug.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from test_scoring_fastpath import _random_indicator
from test_scoring_helpers import indicator, programme, result

from toc_engine.formats.score import explain, render_text, to_json
from toc_engine.schema.model import Programme
from toc_engine.schema.programme import load
from toc_engine.scoring import design, progress, score
from toc_engine.scoring import values as values_module
from toc_engine.scoring.values import calendar_of, pick_on, pick_target

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*/programme.yaml"))


# --- the general paths the fast ones stand for -------------------------------------------------


def _one_reading_via_assess(
    indicator: Any, key: Any, period: Any, value: Any, sample_size: Any, *rest: Any
) -> Any:
    """`_one_reading_series` as `assess` of the breakdown's one `Row`."""
    row = values_module._row(period, value, "", sample_size, key[0], key[1])
    return progress._series_score(indicator, key, [row], *rest)


def _shared_one_by_one(
    indicator: Any, ordered: Any, baseline: Any, targets: Any, choices: Any
) -> list[Any]:
    """`_shared_series` as the loop it replaced: each breakdown on its own, through
    `_one_reading_series` (itself replaced by `_one_reading_via_assess` here) or
    `_several_rows_series`, with the shared inputs."""
    out = []
    for key, per_period in ordered:
        if len(per_period) == 1:
            for obs, value in per_period.values():
                out.append(progress._one_reading_series(
                    indicator, key, obs.period, value, obs.sample_size, baseline, targets,
                    False, choices))
        else:
            out.append(progress._several_rows_series(indicator, key, per_period, baseline,
                                                     targets, False, choices))
    return out


def _sorted_by_series_order(breakdowns: Any) -> list[Any]:
    return sorted(breakdowns.items(), key=progress._series_order)


def _pick_uncached(calendar: int, shape: Any, day: date) -> tuple[int, str]:
    del calendar
    return values_module._pick(shape, day)


def _reaching_per_top(parents: Any, tops: Any) -> set[str]:
    """The reach as `plausible` found it before: `nx.ancestors` of each top node."""
    graph = nx.DiGraph()
    graph.add_nodes_from(parents)
    graph.add_edges_from((p, child) for child, ps in parents.items() for p in ps)
    reach = set(tops)
    for top in tops:
        reach |= nx.ancestors(graph, top)
    return reach


GENERAL: dict[str, tuple[Any, str, Callable[..., Any]]] = {
    "one_reading": (progress, "_one_reading_series", _one_reading_via_assess),
    "shared": (progress, "_shared_series", _shared_one_by_one),
    "ordered": (progress, "_ordered", _sorted_by_series_order),
    "pick_on": (progress, "pick_on", _pick_uncached),
    "reaching": (design, "_reaching", _reaching_per_top),
}


@contextmanager
def _general(monkeypatch: pytest.MonkeyPatch, **replacements: Callable[..., Any]) -> Iterator[None]:
    with monkeypatch.context() as patch:
        for name, (module, attribute, general) in GENERAL.items():
            patch.setattr(module, attribute, replacements.get(name, general))
        values_module._PICKS.clear()
        yield
    values_module._PICKS.clear()


def _outputs(prog: Programme) -> Any:
    out = []
    for sensitive in (False, True):
        scored = score(prog, include_sensitive=sensitive)
        ids = [i.id for r in scored.results for i in r.indicators]
        out.append((to_json(scored), render_text(scored), [explain(scored, i) for i in ids]))
    return out


def _both_ways(
    prog: Programme, monkeypatch: pytest.MonkeyPatch, **replacements: Callable[..., Any]
) -> tuple[Any, Any]:
    fast = _outputs(prog)
    with _general(monkeypatch, **replacements):
        general = _outputs(prog)
    return fast, general


# --- the comparisons --------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_examples_score_and_print_as_the_general_path(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load(path)
    assert loaded.programme is not None
    fast, general = _both_ways(loaded.programme, monkeypatch)
    assert fast == general


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


def _random_programme(rng: random.Random, round_: int) -> Programme:
    indicators = [
        (_site_indicator if rng.random() < 0.6 else _random_indicator)(rng, n)
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


def test_random_programmes_score_and_print_as_the_general_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(20261127)
    for round_ in range(5):
        prog = _random_programme(rng, round_)
        fast, general = _both_ways(prog, monkeypatch)
        assert fast == general


def test_shared_calendar_choices_are_pick_target() -> None:
    """`pick_on(calendar_of(shape), ...)` answers as `pick_target(shape, ...)`, even when a
    calendar first seen with other values (or other duplicates) is asked again."""
    rng = random.Random(7)
    bounds = [(date(2012, 1, 1), date(2012, 12, 31)), (date(2013, 1, 1), date(2013, 12, 31)),
              (date(2013, 4, 1), date(2013, 6, 30)), (date(2012, 10, 1), date(2013, 3, 31)),
              (date(2013, 1, 1), date(2013, 1, 1))]
    for _ in range(3000):
        shape = tuple((*rng.choice(bounds), Decimal(rng.choice(["1", "1.0", "2", "3"])))
                      for _ in range(rng.randint(1, 4)))
        day = date(2011, 6, 1) + timedelta(days=rng.randint(0, 1200))
        assert pick_on(calendar_of(shape), shape, day) == pick_target(shape, day)


def test_the_comparison_catches_a_deliberate_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """A general path that differs (here: the latest target ignored) must be told apart."""

    def first_target(calendar: int, shape: Any, day: date) -> tuple[int, str]:
        del calendar
        return 0, values_module._pick(shape, day)[1]

    prog = programme(
        [result("x0", indicators=[indicator(
            "i0", baseline=10, targets=[(2012, 50), (2013, 90)],
            observations=[{"period": "2013-Q4", "value": 40, "site": "s0"}])])],
        sites=[{"id": "s0", "name": "Site 0"}],
    )
    fast, general = _both_ways(prog, monkeypatch, pick_on=first_target)
    assert fast != general
    fast, general = _both_ways(prog, monkeypatch)
    assert fast == general
