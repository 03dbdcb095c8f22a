"""`toc validate --format sarif` against the official SARIF 2.1.0 JSON Schema."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from toc_engine.check.rules import RULES
from toc_engine.cli import run

SHARED = Path(__file__).resolve().parents[2] / "shared"
SARIF_SCHEMA = SHARED / "sarif-2.1.0" / "sarif-schema-2.1.0.json"
CASES = Path(__file__).resolve().parent / "cases"
ROOT = Path(__file__).resolve().parent.parent


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


def _project_urls() -> dict[str, str]:
    import tomllib

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["urls"]


def test_each_rule_links_to_its_section_of_the_rule_reference(monkeypatch) -> None:
    """helpUri: the project's repository (pyproject's [project.urls]) and the rule's
    heading in docs/rules.md, whose anchor is the code in lower case."""
    repository = _project_urls()["Repository"]
    document = _sarif(CASES / "negative" / "wrong-types", monkeypatch, "programme.yaml")
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == repository
    headings = set(re.findall(r"^## (TOC\d{3})$", (ROOT / "docs" / "rules.md").read_text(
        encoding="utf-8"), re.M))
    for rule in driver["rules"]:
        assert rule["helpUri"] == f"{repository}/blob/main/docs/rules.md#{rule['id'].lower()}"
        assert rule["id"] in headings


def _spaced_folder(tmp_path: Path) -> Path:
    """A programme with one CSV finding, in a folder whose name has a space and letters
    outside ASCII (Ñ, Devanagari)."""
    folder = tmp_path / "My programmes" / "Ñepal पहल"
    shutil.copytree(CASES / "negative" / "csv-unknown-indicator", folder)
    return folder


def test_artifact_uris_are_percent_encoded_relative_references(tmp_path, monkeypatch) -> None:
    folder = _spaced_folder(tmp_path)
    document = _sarif(folder.parent, monkeypatch, folder.name)
    [result] = document["runs"][0]["results"]
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "%C3%91epal%20%E0%A4%AA%E0%A4%B9%E0%A4%B2/data/observations.csv",
                        "uriBaseId": "%SRCROOT%"}
    assert (folder.parent / unquote(artifact["uri"])).is_file()


def test_a_sarif_reader_finds_each_finding_in_its_file(tmp_path, monkeypatch) -> None:
    """sarif-tools (PyPI; `.ci/run` installs it) reads SARIF written for a folder with a
    space and letters outside ASCII in its name, and finds the finding, its rule and its
    file and line; its HTML report links the rule to its documentation."""
    sarif = shutil.which("sarif", path=str(Path(sys.executable).parent)) or shutil.which(
        "sarif")
    if sarif is None:
        pytest.skip("sarif-tools is not installed (pip install sarif-tools; .ci/run does)")
    folder = _spaced_folder(tmp_path)
    document = _sarif(folder.parent, monkeypatch, folder.name)
    written = folder / "résultats toc.sarif"
    written.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    listing = folder / "findings.csv"
    subprocess.run([sarif, "csv", "-o", str(listing), str(written)], check=True,
                   capture_output=True)
    with listing.open(encoding="utf-8", newline="") as stream:
        [row] = list(csv.DictReader(stream))
    assert (row["Severity"], row["Code"], row["Line"]) == ("error", "TOC311", "3")
    assert "unknown indicator 'safe-after-drak'" in row["Description"]
    assert (folder.parent / unquote(row["Location"])).resolve() == (
        folder / "data" / "observations.csv").resolve()
    page = folder / "report.html"
    subprocess.run([sarif, "html", "-o", str(page), str(written)], check=True,
                   capture_output=True)
    assert "/blob/main/docs/rules.md#toc311" in page.read_text(encoding="utf-8")
