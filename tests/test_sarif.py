"""`toc validate --format sarif` against the official SARIF 2.1.0 JSON Schema."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from toc_engine.check.rules import RULES
from toc_engine.cli import run

SHARED = Path(__file__).resolve().parents[2] / "shared"
SARIF_SCHEMA = SHARED / "sarif-2.1.0" / "sarif-schema-2.1.0.json"
CASES = Path(__file__).resolve().parent / "cases"


def _sarif(folder: Path, monkeypatch: pytest.MonkeyPatch, *paths: str) -> dict:
    monkeypatch.chdir(folder)
    out = io.StringIO()
    code = run(["validate", "--format", "sarif", *paths], stdout=out)
    assert code in (0, 1)
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def validator():
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is not available at {SARIF_SCHEMA}")
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_sarif_validates_against_the_schema(validator, monkeypatch) -> None:
    # several findings, in the YAML and in a CSV file, and a waived finding
    document = _sarif(
        CASES,
        monkeypatch,
        "negative/dangling-reference",
        "negative/csv-unknown-indicator",
        "negative/wrong-types",
        "positive/waived-warning",
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    results = document["runs"][0]["results"]
    assert len(results) >= 7
    assert any(r.get("suppressions") for r in results)


def test_sarif_of_a_clean_programme_validates(validator, monkeypatch) -> None:
    document = _sarif(CASES / "positive" / "minimal", monkeypatch, "programme.yaml")
    assert not list(validator.iter_errors(document))
    assert document["runs"][0]["results"] == []


def test_rule_ids_are_stable_and_indexed(monkeypatch) -> None:
    document = _sarif(CASES / "negative" / "wrong-types", monkeypatch, "programme.yaml")
    run_ = document["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    assert [r["name"] for r in rules] == [RULES[c].symbol for c in sorted(RULES)]
    for result in run_["results"]:
        assert result["ruleId"] in RULES
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")


def test_uris_are_relative(monkeypatch) -> None:
    document = _sarif(CASES, monkeypatch, "negative/csv-unknown-indicator")
    uris = [
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in document["runs"][0]["results"]
        for loc in result["locations"]
    ]
    assert uris == ["negative/csv-unknown-indicator/data/observations.csv"]
    for uri in uris:
        assert not uri.startswith("/") and "\\" not in uri and ".." not in uri
    region = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 1}
