"""Indicator progress (scoring.md §1) and "Values over time" (format.md), hand-computed."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest
from test_scoring_helpers import indicator, one_indicator, programme, result

from toc_engine.scoring import score
from toc_engine.scoring.result import IndicatorScore
from toc_engine.scoring.stats import newcombe, wilson

D = Decimal


def scored(**kwargs: Any) -> IndicatorScore:
    return score(one_indicator(**kwargs)).results[0].indicators[0]


def test_decreasing_indicator_signs_cancel() -> None:
    # incidents B 120, T 80, A 95: (95 - 120) / (80 - 120) = -25 / -40 = 0.625
    i = scored(baseline=120, targets=[(2013, 80)], observations=[(2013, 95)],
               direction="decrease")
    assert i.status == "assessed"
    assert i.progress == D("0.625")


def test_exact_decimal_arithmetic() -> None:
    # (10.35 - 10.1) / (10.5 - 10.1) = 0.25 / 0.4 = 0.625 exactly; binary floats give 0.62499...
    i = scored(baseline=10.1, targets=[(2013, 10.5)], observations=[(2013, 10.35)])
    assert i.progress == D("0.625")


def test_overshoot_is_reported_raw_and_clamped_for_scoring() -> None:
    # B 0, T 100, A 200: p = 2, scored as 1.5
    i = scored(observations=[(2013, 200)])
    assert (i.progress, i.progress_clamped) == (D(2), D("1.5"))
    # A below the baseline: B 50, T 100, A 40 -> p = -10/50 = -0.2, scored as 0
    j = scored(baseline=50, observations=[(2013, 40)])
    assert (j.progress, j.progress_clamped) == (D("-0.2"), D(0))


@pytest.mark.parametrize(("actual", "expected"), [(10.5, 1), (9, 1), (11.5, 0), (8.9, 0)])
def test_maintain_within_tolerance(actual: float, expected: int) -> None:
    # T 10, tolerance 1: |A - T| <= 1 scores 1, otherwise 0
    i = scored(direction="maintain", tolerance=1, targets=[(2013, 10)],
               observations=[(2013, actual)])
    assert i.progress == D(expected)
    assert i.method == "maintain"


def test_cumulative_actual_is_baseline_plus_counted_additions() -> None:
    # B 10; additions 5 + 7 + 8 counted, 2014's 100 not (after assessed_at 2013-12-31)
    # A = 10 + 20 = 30; T 40 -> p = 20 / 30
    i = scored(
        baseline=10,
        cumulative=True,
        targets=[(2013, 40)],
        observations=[("2012-Q1", 5), ("2012-Q2", 7), ("2013-Q3", 8), (2014, 100)],
    )
    assert i.actual is not None and i.actual.value == D(30)
    assert i.actual.period == "2013-Q3"
    assert i.progress == D(20) / D(30)


def test_first_observation_becomes_baseline_when_it_predates_targets() -> None:
    # obs 2011 = 20 (before the 2012 target) is B; A = 35; T 50 -> 15 / 30 = 0.5
    i = scored(baseline=None, targets=[(2012, 50)], observations=[(2011, 20), (2012, 35)])
    assert i.progress == D("0.5")
    assert "baseline_from_first_observation" in i.flags
    assert i.baseline is not None and i.baseline.origin == "first_observation"


def test_only_the_baseline_observation_means_no_data() -> None:
    i = scored(baseline=None, targets=[(2012, 50)], observations=[(2011, 20)])
    assert i.status == "no_data"


def test_no_baseline_increase_uses_a_over_t() -> None:
    # A 30 / T 40 = 0.75, flagged
    i = scored(baseline=None, targets=[(2012, 40)], observations=[(2012, 30)])
    assert (i.progress, i.method) == (D("0.75"), "ratio")
    assert "no_baseline" in i.flags


def test_no_baseline_decrease_uses_t_over_a() -> None:
    # T 20 / A 25 = 0.8
    i = scored(baseline=None, direction="decrease", targets=[(2012, 20)],
               observations=[(2012, 25)])
    assert i.progress == D("0.8")
    zero = scored(baseline=None, direction="decrease", targets=[(2012, 20)],
                  observations=[(2012, 0)])
    assert zero.status == "not_assessable"
    assert "0" in zero.reason


def test_target_equal_to_baseline_is_not_assessable() -> None:
    i = scored(baseline=50, targets=[(2013, 50)], observations=[(2013, 50)])
    assert i.status == "not_assessable"
    assert "maintain" in i.reason


def test_statuses_without_data_or_target() -> None:
    assert scored(observations=[]).status == "no_data"
    # an observation whose period starts after assessed_at does not count
    assert scored(observations=[(2014, 80)]).status == "no_data"
    no_target = scored(targets=[], observations=[(2013, 80)])
    assert no_target.status == "no_target"
    assert no_target.actual is not None and no_target.actual.value == D(80)
    qualitative = scored(measure="qualitative", unit=None, baseline=None, targets=[])
    assert qualitative.status == "not_assessable"


def test_observation_counts_once_its_period_has_started() -> None:
    # assessed_at 2013-12-31: the 2013 observation has started and counts
    i = scored(observations=[(2012, 20), (2013, 60)])
    assert i.progress == D("0.6")


@pytest.mark.parametrize(
    ("observation", "expected_target"),
    [
        (("2012-Q4", 50), D(100)),  # 2012 contains 2012-12-31
        (("2011-Q2", 50), D(100)),  # nothing contains or precedes it: the earliest target
    ],
)
def test_target_choice(observation: tuple[str, int], expected_target: Decimal) -> None:
    i = scored(targets=[(2012, 100), (2013, 200)], observations=[observation])
    assert i.target is not None and i.target.value == expected_target


def test_the_earliest_target_says_why_it_was_chosen() -> None:
    from datetime import date

    from toc_engine.scoring.values import pick_target

    shape = ((date(2012, 1, 1), date(2012, 12, 31), D(100)),
             (date(2013, 1, 1), date(2013, 12, 31), D(200)))
    assert pick_target(shape, date(2011, 6, 30)) == (
        0, "the earliest target, since every target comes after 2011-06-30")


def test_latest_target_ending_before_the_actual() -> None:
    prog = programme(
        [result("r", indicators=[indicator(targets=[(2012, 100), (2013, 200)],
                                           observations=[("2014-Q1", 150)])])],
        assessed_at="2014-06-30",
    )
    i = score(prog).results[0].indicators[0]
    # 2014-Q1 ends 2014-03-31; no target contains it; the latest ending before is 2013's
    assert i.target is not None and i.target.value == D(200)
    assert i.progress == D("0.75")


def test_shortest_containing_target_wins() -> None:
    i = scored(targets=[(2012, 100), ("2012-Q4", 80)], observations=[("2012-Q4", 40)])
    assert i.target is not None and i.target.value == D(80)
    assert i.progress == D("0.5")


def test_actual_is_latest_end_and_shorter_period_on_a_tie() -> None:
    # both end 2012-12-31; the quarter is shorter, so A = 60
    i = scored(targets=[(2012, 100)], observations=[(2012, 50), ("2012-Q4", 60)])
    assert i.actual is not None and i.actual.value == D(60)


def test_site_rows_are_summed_without_a_total_row() -> None:
    rows = [{"period": 2013, "value": 30, "site": "a"}, {"period": 2013, "value": 20, "site": "b"}]
    i = scored(observations=rows)
    assert i.actual is not None and (i.actual.value, i.actual.origin) == (D(50), "sites")
    with_total = scored(observations=[*rows, {"period": 2013, "value": 45}])
    assert with_total.actual is not None and with_total.actual.value == D(45)


def _share_rows(sizes: bool) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"period": 2013, "value": 40, "site": "a"},
        {"period": 2013, "value": 60, "site": "b"},
    ]
    if sizes:
        rows[0]["sample_size"], rows[1]["sample_size"] = 100, 300
    return rows


def test_percentage_sites_use_weighted_mean() -> None:
    # (40×100 + 60×300) / 400 = 22000 / 400 = 55
    i = scored(measure="percentage", unit=None, targets=[(2013, 100)],
               observations=_share_rows(True))
    assert i.actual is not None and i.actual.value == D(55)
    assert i.actual.sample_size == 400
    # without sample sizes the weighted mean falls back to the plain mean, (40 + 60) / 2
    j = scored(measure="percentage", unit=None, targets=[(2013, 100)],
               observations=_share_rows(False))
    assert j.actual is not None and j.actual.value == D(50)
    assert "plain mean" in j.actual.note


def test_mean_aggregation() -> None:
    i = scored(aggregation="mean", observations=_share_rows(True))
    assert i.actual is not None and i.actual.value == D(50)


def test_latest_aggregation_carries_each_site_forward() -> None:
    # at 2013-Q2: site a's latest is 10 (Q1), site b's is 5 (Q2) -> 15
    rows = [
        {"period": "2013-Q1", "value": 10, "site": "a"},
        {"period": "2013-Q2", "value": 5, "site": "b"},
    ]
    i = scored(aggregation="latest", observations=rows)
    assert i.actual is not None and i.actual.value == D(15)


def test_ordinal_progress_uses_scale_positions() -> None:
    # positions: none 0, low 1, medium 2, high 3; B low, T high, A medium -> (2-1)/(3-1)
    i = scored(
        measure="ordinal",
        unit=None,
        scale=["none", "low", "medium", "high"],
        baseline="low",
        targets=[(2013, "high")],
        observations=[(2013, "medium")],
    )
    assert i.progress == D("0.5")
    bad = scored(measure="ordinal", unit=None, scale=["low", "high"], baseline="low",
                 targets=[(2013, "high")], observations=[(2013, "huge")])
    assert bad.status == "not_assessable"


def test_values_in_compatible_units_are_converted() -> None:
    # 1500 m = 1.5 km; B 0, T 3 km -> 0.5
    i = scored(unit="km", targets=[(2013, 3)],
               observations=[{"period": 2013, "value": 1500, "unit": "m"}])
    assert i.progress == D("0.5")
    j = scored(observations=[{"period": 2013, "value": 10, "unit": "person"}])
    assert j.status == "not_assessable"
    assert "person" in j.reason


def test_disaggregated_series_against_total_or_own_target() -> None:
    rows = [
        {"period": 2013, "value": 80},
        {"period": 2013, "value": 60, "dimensions": {"sex": "female"}},
        {"period": 2013, "value": 60, "dimensions": {"sex": "male"}},
    ]
    i = scored(observations=rows, targets=[(2013, 100),
               {"period": 2013, "value": 50, "dimensions": {"sex": "female"}}])
    assert i.progress == D("0.8")  # the total only
    series = {dict(s.dimensions)["sex"]: s for s in i.series}
    assert series["female"].progress == D("1.2")  # own target: 60 / 50
    assert series["female"].target is not None and series["female"].target.own
    # a part of a count (aggregation sum) without a target of its own has no progress: the
    # target of 100 is the whole programme's; it reports its share of the total, 60 / 80
    assert series["male"].progress is None and series["male"].target is None
    assert series["male"].share_of_total == D("0.75")


def test_level_series_against_the_totals_target() -> None:
    rows = [
        {"period": 2013, "value": 45},
        {"period": 2013, "value": 41, "dimensions": {"sex": "female"}},
    ]
    i = scored(measure="percentage", unit=None, baseline=20, targets=[(2013, 50)],
               observations=rows)
    [women] = i.series
    # a share is a level: women 41% against the 50% target, (41 − 20) / (50 − 20) = 0.7
    assert women.progress == D("0.7")
    assert women.target is not None and not women.target.own
    assert women.share_of_total is None


def test_wilson_matches_newcombe_1998() -> None:
    # Newcombe (1998a) example: 81/263 -> 0.2553 to 0.3662
    low, high = wilson(81 / 263, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    # closed form check for 50% of 100: centre 0.5, half-width z·sqrt(0.0025+z²/40000)/(1+z²/100)
    z = 1.959963984540054
    half = z * math.sqrt(0.25 / 100 + z * z / 40000) / (1 + z * z / 100)
    assert wilson(0.5, 100) == pytest.approx((0.5 - half, 0.5 + half))


def test_newcombe_hybrid_matches_newcombe_1998() -> None:
    # Newcombe (1998b) example (a): 56/70 - 48/80 = 0.8 - 0.6 = 0.2, interval 0.0524 to 0.3339
    d, low, high = newcombe(56 / 70, 70, 48 / 80, 80)
    assert (round(d, 4), round(low, 4), round(high, 4)) == (0.2, 0.0524, 0.3339)


def test_survey_significance_needs_both_sample_sizes() -> None:
    base = {"period": 2011, "value": 38, "sample_size": 150}
    i = scored(measure="percentage", unit=None, baseline=base, targets=[(2013, 60)],
               observations=[{"period": 2013, "value": 57, "sample_size": 160}])
    assert i.survey is not None and i.survey.significant is True
    small = scored(measure="percentage", unit=None,
                   baseline={"period": 2011, "value": 38, "sample_size": 10},
                   targets=[(2013, 60)],
                   observations=[{"period": 2013, "value": 57, "sample_size": 10}])
    assert small.survey is not None and small.survey.significant is False
    one_side = scored(measure="percentage", unit=None, baseline=38, targets=[(2013, 60)],
                      observations=[{"period": 2013, "value": 57, "sample_size": 160}])
    assert one_side.survey is not None
    assert one_side.survey.significant is None and one_side.survey.actual is not None


def test_cumulative_site_series_start_from_zero() -> None:
    # total: B 10 + (5 + 3) + 7 = 25 -> (25 - 10) / (40 - 10) = 0.5
    # site a: 0 + 5 + 7 = 12, a part of the 15 added since the baseline: 0.8, no progress
    rows = [
        {"period": "2012-Q1", "value": 5, "site": "a"},
        {"period": "2012-Q1", "value": 3, "site": "b"},
        {"period": "2012-Q2", "value": 7, "site": "a"},
    ]
    i = scored(baseline=10, cumulative=True, targets=[(2013, 40)], observations=rows)
    assert i.progress == D("0.5")
    series = {s.site: s for s in i.series}
    assert series["a"].progress is None
    assert series["a"].share_of_total == D("0.8")
