"""The JSON Schema of the programme format, for editors (`toc schema`).

yaml-language-server (VS Code's YAML extension) understands draft-07, while
pydantic emits 2020-12 style `$defs`; this converts and declares draft-07.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Programme

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
    return out


def _library_entries_need_no_name(indicator: dict[str, Any]) -> None:
    """An indicator written `use: folder/id` takes its name from the library."""
    required = indicator.get("required", [])
    if "name" in required:
        indicator["required"] = [f for f in required if f != "name"]
        indicator["anyOf"] = [{"required": ["name"]}, {"required": ["use"]}]


def render() -> str:
    return json.dumps(programme_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
