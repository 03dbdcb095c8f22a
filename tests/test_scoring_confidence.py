"""Confidence (scoring.md §4): one level down per concern, each with its reason."""

from __future__ import annotations

from typing import Any

import pytest
from test_scoring_helpers import claim, evidence, indicator, programme, result

from toc_engine.findings.diagnostic import Severity, Span
from toc_engine.scoring import score
from toc_engine.scoring.result import ResultScore


def survey_indicator(**extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "measure": "percentage",
        "unit": None,
        "method": "survey",
        "baseline": 40,
        "targets": [(2013, 60)],
        "observations": [(2013, 60)],
    }
    fields.update(extra)
    return indicator("share", **fields)


def fgd(*claims: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return evidence("fgd", list(claims) or [claim("r")],
                    participants={"count": 10, "groups": ["women"]}, **extra)


def judged(results: list[dict[str, Any]], items: list[dict[str, Any]], **kw: Any) -> ResultScore:
    return score(programme(results, evidence=items, **kw)).results[0]


def test_high_when_no_concern_applies() -> None:
    # survey + focus group = two families; community-chosen; baseline, method, source present
    r = judged([result("r", indicators=[survey_indicator()])], [fgd()])
    assert (r.confidence, r.confidence_reasons) == ("high", ())


def test_methodological_limitations_counted_once() -> None:
    items = [
        fgd(quality={"methodology": "serious"}),
        evidence("kii", [claim("r")], kind="key_informant", quality={"methodology": "moderate"}),
        evidence("doc", [claim("r")], kind="document"),
    ]
    # 2 of 3 items carry a moderate/serious concern, and the indicator has no baseline:
    # one concern, one drop
    r = judged([result("r", indicators=[survey_indicator(baseline=None)])], items)
    assert r.confidence == "moderate"
    (reason,) = r.confidence_reasons
    assert reason.startswith("methodological limitations")
    assert "2 of 3" in reason and "lacks a baseline" in reason


def test_half_of_items_is_not_more_than_half() -> None:
    items = [fgd(quality={"methodology": "serious"}), evidence("doc", [claim("r")],
                                                               kind="document")]
    r = judged([result("r", indicators=[survey_indicator()])], items)
    assert r.confidence == "high"


def test_disagreement_drops_confidence_and_is_a_located_warning() -> None:
    # D = 1 but doubly decisive contradicting evidence gives P = 0.05 < 0.3
    items = [fgd(claim("r", "doubly_decisive", finding="contradicts"))]
    results = [result("r", indicators=[survey_indicator()])]

    def locate(path: tuple[str | int, ...]) -> Span:
        return Span("programme.yaml", line=10 + int(path[1]), col=5)

    s = score(programme(results, evidence=items), locate=locate)
    r = s.results[0]
    assert r.disagreement and r.confidence == "moderate"
    assert r.confidence_reasons[0].startswith("coherence")
    (finding,) = s.findings
    assert (finding.code, finding.symbol, finding.severity) == (
        "TOC408", "evidence-disagreement", Severity.WARNING)
    assert (finding.span.line, finding.span.col, finding.path) == (10, 5, ("results", 0))
    # the band still follows the indicators
    assert r.delivery.band == "A"


def test_disagreement_the_other_way() -> None:
    # D = 0 (no change) but P = 0.95 > 0.7
    items = [fgd(claim("r", "doubly_decisive"))]
    results = [result("r", indicators=[survey_indicator(observations=[(2013, 40)])])]
    s = score(programme(results, evidence=items))
    assert s.results[0].disagreement
    assert [f.code for f in s.findings] == ["TOC408"]


def test_coherence_note_explains_the_disagreement() -> None:
    items = [fgd(claim("r", "doubly_decisive", finding="contradicts"))]
    results = [result("r", indicators=[survey_indicator()], coherence_note="Survey was early")]
    s = score(programme(results, evidence=items))
    assert s.results[0].confidence == "high"
    assert s.findings == ()


def test_claims_pointing_both_ways() -> None:
    items = [fgd(claim("r"), claim("r", "hoop", found=False))]
    r = judged([result("r", indicators=[survey_indicator()])], items)
    assert r.confidence == "moderate"
    assert "point both ways" in r.confidence_reasons[0]


def test_adequacy_needs_two_method_families() -> None:
    # survey only: one family
    r = judged([result("r", indicators=[survey_indicator()])], [])
    assert any(x.startswith("adequacy") for x in r.confidence_reasons)
    # survey + records (administrative): two families, no drop for adequacy
    two = judged([result("r", indicators=[survey_indicator(), indicator(
        "count", observations=[(2013, 100)])])], [])
    assert not any(x.startswith("adequacy") for x in two.confidence_reasons)


def test_voice_people_indicator_without_sex_split() -> None:
    people = indicator("people", unit="participants", observations=[(2013, 100)])
    r = judged([result("r", indicators=[survey_indicator(), people])], [fgd()])
    assert r.confidence == "moderate"
    assert "indicator people counts people but has no sex-disaggregated observation" in (
        r.confidence_reasons[0])
    split = indicator("people", unit="participants", observations=[
        (2013, 100), {"period": 2013, "value": 100, "dimensions": {"sex": "female"}}])
    ok = judged([result("r", indicators=[survey_indicator(), split])], [fgd()])
    assert ok.confidence == "high"


def test_voice_a_count_of_one_sex_needs_no_split() -> None:
    # As rule TOC503: a count of women is one sex already (it was downgraded before).
    for unit in ("women", "girls", "boy"):
        women = indicator("women", unit=unit, observations=[(2013, 100)])
        r = judged([result("r", indicators=[survey_indicator(), women])], [fgd()])
        assert r.confidence == "high", (unit, r.confidence_reasons)


@pytest.mark.parametrize(
    ("name", "one_sex"),
    [
        ("Female police officers", True),
        ({"en": "Girls who completed the course", "ne": "पाठ्यक्रम पूरा गर्ने"}, True),
        ("Men and boys reached by the campaign", True),
        ("Police officers", False),
        ("Women and men who attended", False),
        ("Members of women-led committees", False),  # the committees, not the members
    ],
)
def test_voice_a_count_whose_name_is_of_one_sex_needs_no_split(
    name: Any, one_sex: bool
) -> None:
    """As rule TOC503: a count of people whose name speaks of one sex only."""
    officers = indicator("officers", unit="person", name=name, observations=[(2013, 100)])
    r = judged([result("r", indicators=[survey_indicator(), officers])], [fgd()])
    assert (r.confidence == "high") is one_sex, r.confidence_reasons


def test_voice_without_community_choice_or_groups() -> None:
    r = judged([result("r", indicators=[survey_indicator(chosen_by="donor")])],
               [evidence("doc", [claim("r")], kind="document")])
    assert any(x.startswith("relevance and voice") for x in r.confidence_reasons)


def test_floor_is_very_low() -> None:
    # methodology (no baseline), coherence (both ways), adequacy (one family),
    # voice (donor-chosen, no groups): four concerns, three steps to the floor
    items = [evidence("doc", [claim("r"), claim("r", "hoop", found=False)], kind="document")]
    ind = indicator("c", chosen_by="donor", baseline=None, targets=[(2013, 100)],
                    observations=[(2013, 100)])
    r = judged([result("r", indicators=[ind])], items)
    assert len(r.confidence_reasons) == 4
    assert r.confidence == "very_low"
