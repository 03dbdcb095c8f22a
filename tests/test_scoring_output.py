"""The JSON contract, its schema, the text views and the TOC408 rule examples."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from test_scoring_helpers import claim, evidence, indicator, programme, result

from toc_engine.findings.scoring import EVIDENCE_DISAGREEMENT
from toc_engine.formats.score import explain, render_text, to_json
from toc_engine.schema.model import Programme
from toc_engine.scoring import score

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "docs" / "schema" / "score.schema.json").read_text()
)


def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def rich() -> Programme:
    return programme(
        [
            result("x", indicators=[indicator("ix", observations=[(2013, 100)])],
                   links=[{"to": "y", "rationale": "r", "assumptions": ["a1"],
                           "rivals": [{"id": "rain", "statement": "Rain"}]}]),
            result("y", level="outcome", indicators=[indicator(
                "iy", measure="percentage", unit=None,
                baseline={"period": 2011, "value": 30, "sample_size": 100},
                targets=[(2013, 60)],
                observations=[{"period": 2013, "value": 45, "sample_size": 120},
                              {"period": 2013, "value": 50, "dimensions": {"sex": "female"}}],
            )]),
        ],
        evidence=[evidence("e", [claim("x -> y", "hoop"), claim("rain", found=False)],
                           quality={"methodology": "minor"}, package="p",
                           unanticipated=[{"statement": "More trade", "valence": "positive"}])],
        assumptions=[{"id": "a1", "statement": "Police stay", "status": "at_risk"}],
    )


def test_schema_is_draft07() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_json_contract_names_and_validation() -> None:
    data = to_json(score(rich()))
    validator().validate(data)
    assert data["schema_version"] == "1.1"
    assert {"schema_version", "programme", "assessed_at", "results", "links", "design",
            "rollup"} <= set(data)
    y = data["results"][1]
    assert {"id", "level", "indicators", "delivery", "state", "posterior", "posterior_band",
            "confidence", "confidence_reasons"} <= set(y)
    assert {"id", "progress", "progress_clamped", "status"} <= set(y["indicators"][0])
    # (45 - 30) / (60 - 30) = 0.5 -> 50 -> C
    assert y["indicators"][0]["progress"] == 0.5
    assert (y["delivery"]["score"], y["delivery"]["band"]) == (50.0, "C")
    link = data["links"][0]
    assert {"from", "to", "verdict", "posterior", "reason"} <= set(link)
    assert {"score", "ex_ante", "validity", "tested_coverage"} <= set(data["design"])
    assert set(data["design"]["ex_ante"]) == {"plausible", "testable", "participatory",
                                              "contextualised"}
    json.dumps(data, allow_nan=False)


def test_schema_rejects_a_broken_contract() -> None:
    data = to_json(score(rich()))
    data["results"][0]["delivery"]["band"] = "D"
    with pytest.raises(jsonschema.ValidationError):
        validator().validate(data)


def test_render_text_lists_results_links_design_and_rollup() -> None:
    text = render_text(score(rich()))
    for needle in ("x (output): delivery 100 A", "x -> y:", "Design score", "plausible",
                   "Roll-up by level", "accountability", "More trade", "confidence down"):
        assert needle in text


def test_explain_shows_the_arithmetic() -> None:
    s = score(rich())
    text = explain(s, "y")
    assert "p = (A − B) / (T − B) = (45 − 30) / (60 − 30) = 0.5" in text
    assert "Newcombe" in text and "Wilson" in text
    link = explain(s, "x->y")
    assert "LR = Se/α = 0.95/0.6" in link
    assert "LR^0.75" in link
    assert "Verdict (rule" in link
    assert "Design score" in explain(s, "design")


def test_explain_unknown_id_raises_a_helpful_key_error() -> None:
    with pytest.raises(KeyError, match="did you mean 'x'"):
        explain(score(rich()), "xx")


def test_toc408_rule_examples() -> None:
    failing = Programme.model_validate(yaml.safe_load(EVIDENCE_DISAGREEMENT.fail))
    passing = Programme.model_validate(yaml.safe_load(EVIDENCE_DISAGREEMENT.pass_))
    assert [d.code for d in score(failing).findings] == ["TOC408"]
    assert score(passing).findings == ()
    line, col = EVIDENCE_DISAGREEMENT.fail_at.split(":")
    assert EVIDENCE_DISAGREEMENT.fail.splitlines()[int(line) - 1][int(col) - 1:].startswith("id:")
