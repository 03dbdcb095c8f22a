"""Delivery, bands and the roll-up (scoring.md §2), hand-computed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_scoring_helpers import indicator, one_indicator, programme, result

from toc_engine.scoring import score
from toc_engine.scoring.delivery import band

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("150", "A++"),
        ("137.500000001", "A++"),
        ("137.5", "A+"),  # "above 137.5" is strict
        ("137.5000000004", "A+"),  # rounds to 137.500000000 first
        ("112.500000001", "A+"),
        ("112.5", "A"),
        ("87.5", "A"),
        ("87.499999999", "B"),
        ("62.5", "B"),
        ("62.4999999995", "B"),  # rounds half up to 62.500000000
        ("62.4999999994", "C"),  # rounds to 62.499999999
        ("0", "C"),
    ],
)
def test_band_boundaries(value: str, expected: str) -> None:
    assert band(D(value)) == expected


def test_p_exactly_five_eighths_is_b() -> None:
    # B 1, T 9, A 6: p = 5/8 = 0.625 -> score 62.5 -> B, never C
    r = score(one_indicator(baseline=1, targets=[(2013, 9)], observations=[(2013, 6)])).results[0]
    assert r.delivery.score == D("62.5")
    assert r.delivery.band == "B"


def test_decimal_boundary_is_b() -> None:
    # B 10.1, T 10.5, A 10.35: p = 0.25/0.4 = 0.625 -> 62.5 -> B
    r = score(one_indicator(baseline=10.1, targets=[(2013, 10.5)],
                            observations=[(2013, 10.35)])).results[0]
    assert (r.delivery.score, r.delivery.band) == (D("62.5"), "B")


def test_weighted_delivery_over_assessed_indicators_only() -> None:
    # weights 1 and 3, p 1 and 0.5: (1×1 + 3×0.5) / 4 = 0.625 -> 62.5 B
    # a third indicator without data is not assessed and does not dilute D
    prog = programme([result("r", indicators=[
        indicator("a", observations=[(2013, 100)]),
        indicator("b", weight=3, observations=[(2013, 50)]),
        indicator("c", observations=[]),
    ])])
    r = score(prog).results[0]
    assert r.delivery.d == D("0.625")
    assert r.delivery.band == "B"


def test_clamped_progress_enters_delivery() -> None:
    # p = 2 is scored as 1.5 -> 150 -> A++
    r = score(one_indicator(observations=[(2013, 200)])).results[0]
    assert (r.delivery.score, r.delivery.band) == (D(150), "A++")


def test_insufficient_evidence_without_assessed_indicator() -> None:
    r = score(one_indicator(observations=[])).results[0]
    assert r.delivery.score is None
    assert r.delivery.band == "insufficient_evidence"


def test_rubric_scale_renames_bands() -> None:
    prog = programme(
        [result("r", indicators=[indicator(observations=[(2013, 70)])])],
        scoring={"scale": "rubric"},
    )
    r = score(prog).results[0]
    assert (r.delivery.band, r.delivery.band_label) == ("B", "adequate")


def test_rollup_uses_band_points_and_weights() -> None:
    # outputs: a is A (100 points, weight 1), b is C (50 points, weight 3), c has no band
    # (100×1 + 50×3) / (1 + 3) = 250 / 4 = 62.5 -> B
    prog = programme([
        result("a", indicators=[indicator("ia", observations=[(2013, 100)])]),
        result("b", weight=3, indicators=[indicator("ib", observations=[(2013, 10)])]),
        result("c", indicators=[indicator("ic", observations=[])]),
        result("d", level="outcome", indicators=[indicator("id", observations=[(2013, 90)])]),
    ])
    levels = {level.level: level for level in score(prog).rollup}
    assert levels["output"].score == D("62.5")
    assert levels["output"].band == "B"
    assert (levels["output"].banded, levels["output"].results) == (2, 3)
    assert levels["outcome"].band == "A"
