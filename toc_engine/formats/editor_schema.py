"""The JSON Schema `toc schema` writes for editors: the format's structure
(`schema.jsonschema`) with the description of every section, field and choice taken from
the text that docs/format.md is generated from, so a hover says what the reference says."""

from __future__ import annotations

import typing
from enum import Enum
from typing import Any

from ..schema.jsonschema import programme_schema
from ..schema.jsonschema import render as render_json
from .docs import ENUM_DOCS, FIELD_EXAMPLES, MODEL_DOCS, field_description, models_in_order


def editor_schema() -> dict[str, Any]:
    schema = programme_schema()
    _describe(schema)
    return schema


def render() -> str:
    return render_json(editor_schema())


def _describe(schema: dict[str, Any]) -> None:
    from ..schema.model import Programme

    definitions = schema["definitions"]
    for name, choices in ENUM_DOCS.items():
        if name in definitions:
            definitions[name]["description"] = _choices_text(choices)
    for model, _where in models_in_order():
        node = schema if model is Programme else definitions.get(model.__name__)
        if node is None:
            continue
        if MODEL_DOCS.get(model.__name__):
            node["description"] = MODEL_DOCS[model.__name__]
        properties = node.get("properties", {})
        for field_name, info in model.model_fields.items():
            key = info.alias or field_name
            if key in properties:
                properties[key] = _described(properties[key], model, field_name, info,
                                             definitions)


def _described(prop: dict[str, Any], model: type[Any], field_name: str, info: Any,
               definitions: dict[str, Any]) -> dict[str, Any]:
    key = info.alias or field_name
    text = field_description(model, field_name, info)
    enum = _enum_of(info.annotation)
    if enum is not None and enum.__name__ in ENUM_DOCS:
        text = f"{text}\n\n{_choices_text(ENUM_DOCS[enum.__name__])}".strip()
    if enum is not None and prop.get("$ref") == f"#/definitions/{enum.__name__}":
        # inlined: an editor's hover shows a referenced schema's text, not the field's
        inline = {k: v for k, v in definitions[enum.__name__].items()
                  if k not in ("title", "description")}
        prop = {**inline, **{k: v for k, v in prop.items() if k != "$ref"}}
    elif "$ref" in prop:  # draft-07 ignores the siblings of $ref, descriptions too: wrap it
        prop = {"allOf": [{"$ref": prop["$ref"]}],
                **{k: v for k, v in prop.items() if k != "$ref"}}
    prop.pop("title", None)  # "Contributes To" says less than the description
    if text:
        prop["description"] = text
    examples = FIELD_EXAMPLES.get(model.__name__, {}).get(key)
    if examples:
        prop["examples"] = list(examples)
    return prop


def _choices_text(choices: dict[str, str]) -> str:
    """One line per choice, plain text: editors show a description as text, not Markdown."""
    return "\n".join(f"- {value}: {meaning}" for value, meaning in choices.items())


def _enum_of(annotation: Any) -> type[Enum] | None:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation
    for arg in typing.get_args(annotation):
        found = _enum_of(arg)
        if found is not None:
            return found
    return None
