"""The JSON Schema of the programme format, for editors (`toc schema`).

yaml-language-server (VS Code's YAML extension) understands draft-07, while
pydantic emits 2020-12 style `$defs`; this converts and declares draft-07. The
descriptions editors show are added by `formats.editor_schema`, from the same text as
docs/format.md.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .model import DEFAULT_LEVELS, Programme

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = value.replace("#/$defs/", "#/definitions/")
            else:
                out[key] = _rewrite_refs(value)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


def programme_schema() -> dict[str, Any]:
    schema = Programme.model_json_schema(by_alias=True, mode="validation")
    definitions = schema.pop("$defs", {})
    out: dict[str, Any] = {
        "$schema": DRAFT_07,
        "$id": "https://toc-engine.org/schema/programme-1.json",
        "title": "toc-engine programme file (format version 1)",
    }
    out.update(_rewrite_refs(schema))
    out["definitions"] = _rewrite_refs(definitions)
    _library_entries_need_no_name(out["definitions"].get("Indicator", {}))
    _level_examples(out["definitions"])
    _bare_sector_codes(out["definitions"])
    _numbers_as_numbers(out)
    return out


def _level_examples(definitions: dict[str, Any]) -> None:
    """Completion for `level`: a programme may declare its own levels, so the defaults are
    offered as examples, not enforced as an enum."""
    level = definitions.get("Result", {}).get("properties", {}).get("level")
    if level is not None:
        level["examples"] = list(DEFAULT_LEVELS)


def _bare_sector_codes(definitions: dict[str, Any]) -> None:
    """`sectors: [15220]`: a sector may be its code alone. The object keywords apply only
    to a mapping, the pattern only to text, the bounds only to a number."""
    sector = definitions.get("Sector")
    if sector is not None:
        sector.update({"type": ["object", "integer", "string"], "minimum": 10000,
                       "maximum": 99999, "pattern": "^[0-9]{5}$"})
        sector["properties"]["code"] = {"type": ["string", "integer"], "pattern": "^[0-9]{5}$",
                                        "minimum": 10000, "maximum": 99999}


def _numbers_as_numbers(node: Any) -> None:
    """pydantic writes Decimal defaults as strings (`weight: "1"`); editors would then
    offer a string where the format wants a number."""
    if isinstance(node, dict):
        default = node.get("default")
        if isinstance(default, str) and _is_number_schema(node):
            number = Decimal(default)
            node["default"] = int(number) if number == number.to_integral_value() else float(
                number)
        for value in node.values():
            _numbers_as_numbers(value)
    elif isinstance(node, list):
        for item in node:
            _numbers_as_numbers(item)


def _is_number_schema(node: dict[str, Any]) -> bool:
    kinds = [node.get("type"), *(option.get("type") for option in node.get("anyOf", []))]
    return any(kind in ("number", "integer") for kind in kinds)


def _library_entries_need_no_name(indicator: dict[str, Any]) -> None:
    """An indicator written `use: folder/id` takes its name from the library."""
    required = indicator.get("required", [])
    if "name" in required:
        indicator["required"] = [f for f in required if f != "name"]
        indicator["anyOf"] = [{"required": ["name"]}, {"required": ["use"]}]


def render(schema: dict[str, Any] | None = None) -> str:
    """`schema` (by default the bare `programme_schema()`) as the text `toc schema` writes."""
    chosen = programme_schema() if schema is None else schema
    return json.dumps(chosen, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
