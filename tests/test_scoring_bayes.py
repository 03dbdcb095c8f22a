"""Bayesian updating of qualitative claims (scoring.md §3), hand-computed."""

from __future__ import annotations

from typing import Any

import pytest
from test_scoring_helpers import claim, evidence, programme, result

from toc_engine.scoring import score
from toc_engine.scoring.bayes import posterior_band


def posterior_of(*items: dict[str, Any], **kwargs: Any) -> float | None:
    prog = programme([result("r")], evidence=list(items), **kwargs)
    return score(prog).results[0].posterior


@pytest.mark.parametrize(
    ("claim_fields", "expected"),
    [
        # straw in the wind, found: LR = 0.6/0.4 = 1.5 -> 1.5/2.5 = 0.6
        ({"test": "straw_in_the_wind"}, 0.6),
        # hoop, not found: LR = 0.05/0.4 = 0.125 -> 0.125/1.125 = 0.1111
        ({"test": "hoop", "found": False}, 0.1111),
        # smoking gun, found: LR = 0.3/0.03 = 10 -> 10/11 = 0.9091
        ({"test": "smoking_gun"}, 0.9091),
        # doubly decisive, found: LR = 0.95/0.05 = 19 -> 19/20 = 0.95
        ({"test": "doubly_decisive"}, 0.95),
        # contradicts, found: LR = 1/19 -> 1/20 = 0.05
        ({"test": "doubly_decisive", "finding": "contradicts"}, 0.05),
        # contradicts, hoop not found: LR = 1/0.125 = 8 -> 8/9 = 0.8889
        ({"test": "hoop", "finding": "contradicts", "found": False}, 0.8889),
        # explicit probabilities: 0.6/0.2 = 3 -> 3/4
        ({"test": None, "sensitivity": 0.6, "false_positive": 0.2}, 0.75),
    ],
)
def test_single_claim(claim_fields: dict[str, Any], expected: float) -> None:
    data = claim("r")
    data.update(claim_fields)
    data = {k: v for k, v in data.items() if v is not None}
    assert posterior_of(evidence("e", [data])) == expected


def test_tempering_by_methodology_concern() -> None:
    # moderate: LR 1.5^0.5 = 1.224745 -> 1.224745/2.224745 = 0.5505
    item = evidence("e", [claim("r")], quality={"methodology": "moderate"})
    assert posterior_of(item) == 0.5505
    # serious: 10^0.25 = 1.778279 -> 0.6401
    item = evidence("e", [claim("r", "smoking_gun")], quality={"methodology": "serious"})
    assert posterior_of(item) == 0.6401


def test_package_counts_only_its_strongest_item() -> None:
    # same package: only LR 10 counts -> 0.9091; independent: 1.5 × 10 = 15 -> 15/16 = 0.9375
    weak = evidence("a", [claim("r")], package="visit")
    strong = evidence("b", [claim("r", "smoking_gun")], package="visit")
    assert posterior_of(weak, strong) == 0.9091
    del weak["package"], strong["package"]
    assert posterior_of(weak, strong) == 0.9375
    prog = programme([result("r")], evidence=[
        evidence("a", [claim("r")], package="visit"),
        evidence("b", [claim("r", "smoking_gun")], package="visit"),
    ])
    effects = {e.evidence: e for e in score(prog).results[0].hypothesis.effects}
    assert effects["b"].used and not effects["a"].used
    assert "not independent of b" in effects["a"].note


def test_package_keeps_the_item_furthest_from_one_even_if_contradicting() -> None:
    # LR 1.5 vs 1/19: |ln(1/19)| = 2.94 > |ln 1.5| = 0.41 -> only 1/19 counts -> 0.05
    items = [
        evidence("a", [claim("r")], package="p"),
        evidence("b", [claim("r", "doubly_decisive", finding="contradicts")], package="p"),
    ]
    assert posterior_of(*items) == 0.05


def test_scoring_overrides_tests_and_prior() -> None:
    # hoop overridden to Se 0.9, α 0.3: LR 3 -> 0.75
    item = evidence("e", [claim("r", "hoop")])
    overrides = {"tests": {"hoop": {"sensitivity": 0.9, "false_positive": 0.3}}}
    assert posterior_of(item, scoring=overrides) == 0.75
    # prior 0.2: odds 0.25 × 1.5 = 0.375 -> 0.375/1.375 = 0.2727
    assert posterior_of(evidence("e", [claim("r")]), scoring={"prior": 0.2}) == 0.2727


def test_no_claim_means_null_posterior_not_the_prior() -> None:
    r = score(programme([result("r")])).results[0]
    assert r.posterior is None
    assert r.posterior_band == "no_qualitative_evidence"


def test_claims_about_links_accept_either_arrow_spacing() -> None:
    prog = programme(
        [result("x", links=["y"]), result("y", level="outcome")],
        evidence=[evidence("e", [claim("x->y", "smoking_gun")])],
    )
    assert score(prog).links[0].posterior == 0.9091


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0.4999, "not_supported"),
        (0.5, "more_confident_than_not"),
        (0.6999, "more_confident_than_not"),
        (0.7, "cautiously_confident"),
        (0.85, "confident"),
        (0.95, "reasonably_certain"),
        (0.99, "reasonably_certain"),
        (0.9901, "practically_certain"),
        (None, "no_qualitative_evidence"),
    ],
)
def test_posterior_bands(value: float | None, band: str) -> None:
    assert posterior_band(value) == band
