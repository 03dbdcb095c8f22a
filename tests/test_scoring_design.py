"""Design (scoring.md §5): states, link verdicts row by row, validity, ex-ante criteria."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from test_scoring_helpers import claim, evidence, indicator, programme, result

from toc_engine.schema.model import Programme
from toc_engine.scoring import score
from toc_engine.scoring.result import LinkScore

D = Decimal
ACHIEVED = [(2013, 100)]  # p = 1
MISSED = [(2013, 10)]  # p = 0.1


def chain(
    x: Any = ACHIEVED,
    y: Any = ACHIEVED,
    link: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Programme:
    y_indicators = [indicator("iy", observations=y)] if y is not None else []
    link_data = {"to": "y", "rationale": "Because", "assumptions": ["a1"]}
    link_data.update(link or {})
    kwargs.setdefault("assumptions", [{"id": "a1", "statement": "Partners stay"}])
    return programme(
        [
            result("x", indicators=[indicator("ix", observations=x)], links=[link_data]),
            result("y", level="outcome", indicators=y_indicators),
        ],
        **kwargs,
    )


def link_of(prog: Programme) -> LinkScore:
    return score(prog).links[0]


def test_row1_unknown_state_is_untested() -> None:
    v = link_of(chain(y=None))
    assert (v.rule, v.verdict) == (1, "untested")
    assert "y" in v.reason


def test_row1_lag_not_elapsed() -> None:
    # x first achieved at the end of 2012 (observation 2012 = 100); lag P1Y -> due 2013-12-31
    x = [(2012, 100)]
    early = link_of(chain(x=x, link={"lag": "P1Y"}, assessed_at="2013-06-30"))
    assert (early.rule, early.verdict) == (1, "untested")
    assert "2013-12-31" in early.reason
    late = link_of(chain(x=x, link={"lag": "P1Y"}, assessed_at="2013-12-31"))
    assert late.verdict != "untested"


def test_lag_counts_from_first_achievement_not_first_observation() -> None:
    # 2012: p 0.1 (not achieved); 2013-Q1: p 1 -> achieved at 2013-03-31; P6M -> 2013-09-30
    x = [(2012, 10), ("2013-Q1", 100)]
    before = link_of(chain(x=x, link={"lag": "P6M"}, assessed_at="2013-09-29"))
    assert before.verdict == "untested"
    after = link_of(chain(x=x, link={"lag": "P6M"}, assessed_at="2013-09-30"))
    assert after.verdict != "untested"


def test_row2_other_pathway() -> None:
    v = link_of(chain(x=MISSED, y=ACHIEVED))
    assert (v.rule, v.verdict) == (2, "other_pathway")


def test_row3_implementation_failure() -> None:
    v = link_of(chain(x=MISSED, y=MISSED))
    assert (v.rule, v.verdict) == (3, "implementation_failure")


def test_row4_theory_held() -> None:
    # link posterior: smoking gun found -> 10/11 = 0.9091 >= 0.7, no rival
    v = link_of(chain(evidence=[evidence("e", [claim("x -> y", "smoking_gun")])]))
    assert (v.rule, v.verdict, v.posterior) == (4, "theory_held", 0.9091)


def test_row5_rival_above_link() -> None:
    # rival: doubly decisive found -> 0.95 > link's 0.9091
    link = {"rivals": [{"id": "rain", "statement": "A good harvest"}]}
    items = [evidence("e", [claim("x -> y", "smoking_gun"), claim("rain", "doubly_decisive")])]
    v = link_of(chain(link=link, evidence=items))
    assert (v.rule, v.verdict) == (5, "contribution_not_established")
    assert "rain" in v.reason


def test_row5_without_link_claims() -> None:
    v = link_of(chain())
    assert (v.rule, v.verdict, v.posterior) == (5, "contribution_not_established", None)


def test_row6_failed_assumption() -> None:
    v = link_of(chain(y=MISSED, assumptions=[{"id": "a1", "statement": "s", "status": "failed"}]))
    assert (v.rule, v.verdict) == (6, "theory_failure_assumption")


def test_row6_assumption_failed_by_claims() -> None:
    # declared unknown; doubly decisive contradicting evidence: P = 0.05 < 0.3 -> failed
    items = [evidence("e", [claim("a1", "doubly_decisive", finding="contradicts")])]
    prog = chain(y=MISSED, evidence=items)
    s = score(prog)
    assert s.assumptions[0].state == "failed"
    assert s.links[0].verdict == "theory_failure_assumption"


def test_row7_mechanism() -> None:
    v = link_of(chain(y=MISSED, assumptions=[{"id": "a1", "statement": "s", "status": "holds"}]))
    assert (v.rule, v.verdict) == (7, "theory_failure_mechanism")


def test_at_risk_assumption_lowers_link_confidence_only() -> None:
    prog = chain(y=MISSED, assumptions=[{"id": "a1", "statement": "s", "status": "at_risk"}])
    v = link_of(prog)
    assert v.verdict == "theory_failure_mechanism"
    assert any("at risk" in r for r in v.confidence_reasons)


@pytest.mark.parametrize(
    ("test", "finding", "state"),
    [
        ("doubly_decisive", "supports", "achieved"),  # 0.95 >= 0.7
        ("straw_in_the_wind", "supports", "unknown"),  # 0.6 between 0.5 and 0.7
        ("straw_in_the_wind", "contradicts", "not_achieved"),  # 0.4 < 0.5
    ],
)
def test_result_state_from_posterior_alone(test: str, finding: str, state: str) -> None:
    prog = programme([result("r")], evidence=[evidence("e", [claim("r", test,
                                                                   finding=finding)])])
    assert score(prog).results[0].state == state


def test_delivery_decides_state_when_both_exist() -> None:
    items = [evidence("e", [claim("x", "doubly_decisive", finding="contradicts")])]
    s = score(chain(evidence=items))
    assert s.result("x").state == "achieved"  # D = 1 despite P = 0.05


def three_links(**kwargs: Any) -> Programme:
    """x -> y held (w 1), z -> y contribution not established (w 1), w -> y other pathway (w 2)."""
    results = [
        result("x", indicators=[indicator("ix", observations=ACHIEVED)],
               links=[{"to": "y", "rationale": "r", "assumptions": ["a1"]}]),
        result("z", indicators=[indicator("iz", observations=ACHIEVED)],
               links=[{"to": "y", "rationale": "r", "assumptions": ["a1"]}]),
        result("w", indicators=[indicator("iw", observations=MISSED)],
               links=[{"to": "y", "rationale": "r", "assumptions": ["a1"], "weight": 2}]),
        result("y", level="outcome", indicators=[indicator("iy", observations=ACHIEVED)]),
    ]
    return programme(
        results,
        evidence=[evidence("e", [claim("x -> y", "smoking_gun")])],
        assumptions=[{"id": "a1", "statement": "s", "actors": ["police"]}],
        **kwargs,
    )


def test_validity_and_tested_coverage() -> None:
    s = score(three_links())
    verdicts = {link.source: link.verdict for link in s.links}
    assert verdicts == {"x": "theory_held", "z": "contribution_not_established",
                        "w": "other_pathway"}
    design = s.design
    # V = (1×1 + 1×0.5) / 2 = 0.75; coverage = 2 / 4 = 0.5
    assert design.validity == D("0.75")
    assert design.tested_coverage == D("0.5")
    assert not design.validity_untested
    # design score = 100 × (0.4 E + 0.6 V), from the exact E (criterion points / 12), not
    # from the rounded E it reports
    exact_e = D(sum(c.score for c in design.criteria)) / D(12)
    assert design.ex_ante_score == exact_e.quantize(D("1e-9"))
    expected = (D(100) * (D("0.4") * exact_e + D("0.6") * D("0.75"))).quantize(D("1e-9"))
    assert design.score == expected


def test_design_score_is_ex_ante_only_below_half_coverage() -> None:
    s = score(chain(x=MISSED, y=MISSED))  # only an implementation failure: coverage 0
    assert s.design.tested_coverage == D(0)
    assert s.design.validity is None and s.design.validity_untested
    assert s.design.score == (D(100) * s.design.ex_ante_score).quantize(D("1e-9"))


def test_ex_ante_criteria_name_failing_items() -> None:
    # plausible: path 1, skip 1, rationale 2/3, cycles 1 -> mean 0.916666667 -> 2
    results = [
        result("a", links=[{"to": "d"}], indicators=[indicator("ia")]),
        result("b", links=[{"to": "d", "rationale": "r"}], indicators=[indicator("ib")]),
        result("c", links=[{"to": "d", "rationale": "r"}], indicators=[indicator("ic")]),
        result("d", level="outcome", indicators=[indicator("id")]),
    ]
    s = score(programme(results))
    plausible = {c.name: c for c in s.design.criteria}["plausible"]
    assert plausible.mean_share == D("0.916666667")
    assert plausible.score == 2
    assert any("a -> d" in reason for reason in plausible.reasons)


def test_ex_ante_mean_and_thresholds() -> None:
    s = score(three_links())
    criteria = {c.name: c for c in s.design.criteria}
    # every link has a rationale, no cycles, all reach y: plausible 3
    assert criteria["plausible"].score == 3
    # contextualised: actors on assumptions 1, actors on results 0 -> mean 0.5 -> 1
    assert criteria["contextualised"].mean_share == D("0.5")
    assert criteria["contextualised"].score == 1
    # participatory: community chosen 1, no priorities recorded 0 -> 0.5 -> 1
    assert criteria["participatory"].score == 1
    e = D(sum(c.score for c in criteria.values())) / 4 / 3
    assert s.design.ex_ante_score == e.quantize(D("1e-9"))


def test_cycle_and_level_skip_checks() -> None:
    results = [
        result("a", links=[{"to": "b", "rationale": "r"}]),
        result("b", level="outcome", links=[{"to": "a", "rationale": "r"}]),
        result("c", level="activity", links=["i"]),
        result("i", level="impact"),
    ]
    s = score(programme(results))
    checks = {c.name: c for c in {c.name: c for c in s.design.criteria}["plausible"].checks}
    assert checks["no cycles"].failing == ("a", "b")
    # c -> i skips two levels but has a rationale, so it passes
    assert checks["no level skipping without a rationale"].share == D(1)


def test_unanticipated_outcomes_are_gaps_not_penalties() -> None:
    items = [{"id": "story", "kind": "msc_story", "unanticipated": [
        {"statement": "Men escort girls to school", "valence": "positive", "result": "x"}]}]
    with_gap = score(chain(evidence=items))
    without = score(chain())
    assert [g.statement for g in with_gap.design.gaps] == ["Men escort girls to school"]
    assert with_gap.design.score == without.design.score
