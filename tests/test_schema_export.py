"""The exported JSON Schema (`toc schema`, docs/schema/programme.schema.json) for editors."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from toc_engine.formats.editor_schema import render
from toc_engine.loading.yaml import load_yaml_text

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "docs" / "schema" / "programme.schema.json"
FILES = sorted(
    [
        *ROOT.glob("examples/*/programme.yaml"),
        *ROOT.glob("models/*.yaml"),
        *(ROOT / "tests" / "cases" / "positive").glob("*/programme.yaml"),
    ]
)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    schema = json.loads(render())
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def test_committed_schema_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        "regenerate it: toc schema -o docs/schema/programme.schema.json"
    )


def test_schema_declares_draft_07() -> None:
    schema = json.loads(render())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in json.dumps(schema)
    assert set(schema["required"]) >= {"toc", "programme", "results"}


def test_there_are_files_to_check() -> None:
    names = {p.parent.name for p in FILES if p.name == "programme.yaml"}
    assert {"kosovo", "nepal", "bangladesh", "minimal"} <= names
    assert any(p.parent.name == "models" for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_file_validates_against_the_schema(path: Path, validator: Draft7Validator) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    loaded = load_yaml_text(text, path.name)
    assert not loaded.diagnostics
    errors = sorted(validator.iter_errors(_plain(loaded.data)), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_schema_rejects_a_typo(validator: Draft7Validator) -> None:
    data = {
        "toc": 1,
        "programme": {"id": "p", "title": "P", "period": {"start": "2012-01-01",
                                                          "end": "2012-12-31"}},
        "results": [{"id": "a", "level": "impact", "statment": "x"}],
    }
    messages = [e.message for e in validator.iter_errors(data)]
    assert any("statment" in m for m in messages), messages


def test_library_indicator_needs_only_use_and_id(validator: Draft7Validator) -> None:
    data = {
        "toc": 1,
        "programme": {"id": "p", "title": "P", "period": {"start": "2012-01-01",
                                                          "end": "2012-12-31"}},
        "results": [
            {
                "id": "a",
                "level": "impact",
                "statement": "x",
                "indicators": [{"id": "safe", "use": "perceptions/feel-safe-after-dark"}],
            }
        ],
    }
    assert not list(validator.iter_errors(data))
    del data["results"][0]["indicators"][0]["use"]
    assert list(validator.iter_errors(data)), "without `use`, `name` must be required"


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every (path, property schema) of the schema, nested range objects included."""
    out: list[tuple[str, dict[str, Any]]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, prop in node.get("properties", {}).items():
                out.append((f"{path}/{key}", prop))
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{path}/{i}")

    walk(schema, "")
    return out


def test_every_property_has_a_description() -> None:
    properties = _properties(json.loads(render()))
    assert len(properties) > 150
    missing = [path for path, prop in properties if not prop.get("description")]
    assert not missing


def test_descriptions_are_those_of_the_format_reference() -> None:
    """One source: the hover text of a field is its row's description in docs/format.md."""
    schema = json.loads(render())
    reference = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    rationale = schema["definitions"]["Link"]["properties"]["rationale"]["description"]
    assert f"| `rationale` | text, or text per language | optional | {rationale} |" in reference
    measure = schema["definitions"]["Indicator"]["properties"]["measure"]
    assert measure["description"].startswith("The kind of measure (as in IATI).")
    assert "- ordinal: an entry of the indicator's `scale:`" in measure["description"]
    assert "- `ordinal`: an entry of the indicator's `scale:`" in reference
    assert "$ref" not in measure  # draft-07 would ignore a description beside it
    assert measure["enum"] == ["unit", "percentage", "ordinal", "qualitative"]
    programme = schema["properties"]["programme"]
    assert programme["allOf"] == [{"$ref": "#/definitions/ProgrammeInfo"}]
    assert programme["description"] == "Who, where and when."


def test_defaults_have_the_type_of_their_field() -> None:
    validator_types = {"number": (int, float), "integer": (int,), "string": (str,),
                       "boolean": (bool,)}
    wrong = []
    for path, prop in _properties(json.loads(render())):
        if "default" not in prop or prop["default"] is None:
            continue
        kinds = [prop.get("type"), *(o.get("type") for o in prop.get("anyOf", []))]
        allowed = tuple(t for k in kinds if isinstance(k, str) for t in validator_types.get(k, ()))
        if allowed and not isinstance(prop["default"], allowed):
            wrong.append((path, prop["default"]))
    assert not wrong
    schema = json.loads(render())
    assert schema["definitions"]["Result"]["properties"]["weight"]["default"] == 1
    assert schema["definitions"]["ScoringConfig"]["properties"]["prior"]["default"] == 0.5


def test_level_offers_the_default_levels() -> None:
    level = json.loads(render())["definitions"]["Result"]["properties"]["level"]
    assert level["examples"] == ["activity", "output", "outcome", "impact"]
    assert "enum" not in level  # a programme may declare levels of its own


def test_every_documented_section_is_reached_from_the_programme() -> None:
    """A section whose class is defined after its first use is left as a forward reference
    until something rebuilds the models; the reference and the schema would then depend
    on what ran before them."""
    from toc_engine.formats.docs import MODEL_DOCS, models_in_order

    reached = {model.__name__ for model, _ in models_in_order()}
    assert set(MODEL_DOCS) <= reached
