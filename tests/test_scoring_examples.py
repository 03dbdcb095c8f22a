"""The worked examples tell their stories through `toc score` (docs/examples.md)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from toc_engine.formats.score import render_text, to_json
from toc_engine.scoring import ProgrammeScore, score

ROOT = Path(__file__).parent.parent
SCHEMA = json.loads((ROOT / "docs" / "schema" / "score.schema.json").read_text())


def scored(name: str) -> ProgrammeScore:
    path = ROOT / "examples" / name / "programme.yaml"
    from toc_engine.schema.programme import load

    loaded = load(path)
    assert loaded.programme is not None, [d.message for d in loaded.diagnostics]
    return score(loaded.programme, locate=loaded.locate)


def test_nepal_toilets_delivered_but_police_link_failed() -> None:
    s = scored("nepal")
    toilets = s.result("household-toilets")
    assert toilets.delivery.band == "A"
    assert toilets.state == "achieved"
    police = s.link("household-toilets", "police-gender-approach")
    assert police.verdict == "theory_failure_assumption"
    assert "police-stay-engaged" in police.reason
    assert s.result("police-gender-approach").state == "not_achieved"


def test_bangladesh_women_participation_is_c() -> None:
    s = scored("bangladesh")
    women = s.result("women-in-committees")
    (share,) = women.indicators
    assert share.actual is not None and share.actual.value == 25
    assert share.target is not None and share.target.value == 50
    assert women.delivery.band == "C"


def test_kamrangirchar_centre_delivered_but_not_sustained() -> None:
    s = scored("bangladesh")
    assert s.result("child-safety-centre").state == "achieved"
    assert s.result("centre-self-sustaining").state == "not_achieved"
    link = s.link("child-safety-centre", "centre-self-sustaining")
    assert link.verdict == "theory_failure_assumption"


def test_sensitive_site_cells_are_suppressed_in_bangladesh() -> None:
    s = scored("bangladesh")
    assert s.safeguarding.suppressed_cells >= 2
    text = render_text(s)
    assert "suppressed (fewer than 5" in text


@pytest.mark.parametrize("name", ["nepal", "bangladesh", "kosovo", "nepal-midterm"])
def test_every_example_scores_to_valid_json(name: str) -> None:
    s = scored(name)
    data = to_json(s)
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(data)
    assert data["results"] and data["links"]


def test_kishoreganj_committees_fail_on_the_quarter_that_fell_due() -> None:
    s = scored("bangladesh")
    assert s.result("committees-sustained").state == "not_achieved"
    link = next(x for x in s.links if x.target == "committees-sustained")
    assert link.verdict == "theory_failure_mechanism"


def test_nepal_mid_term_review_judges_what_was_due() -> None:
    s = scored("nepal-midterm")
    wards = s.result("cswgs-functioning").indicators[0]
    assert wards.status == "assessed" and wards.target is not None
    assert (wards.target.value, wards.progress) == (45, Decimal("1.2"))
    assert wards.next_target is not None and wards.next_target.value == 72
    enrolment = s.result("micro-enterprise")
    assert enrolment.delivery.interim and enrolment.delivery.band == "C"
    assert enrolment.state == "in_progress"
    assert enrolment.indicators[0].trajectory_status == "on_track"
    assert s.result("women-safer").state == "in_progress"
    verdicts = {(x.source, x.target): x.verdict for x in s.links}
    assert verdicts[("micro-enterprise", "women-safer")] == "untested"
    assert verdicts[("authorities-respond", "women-safer")] == "untested"
    assert s.design.validity_untested
    assert "not achieved" not in render_text(s)

