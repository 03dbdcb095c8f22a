"""From loaded data to a typed `Programme`, with pydantic's errors in plain words.

Every pydantic error is translated into a located TOC1xx finding. When some
parts of the file are invalid, the smallest list items that hold the errors are
set aside and the rest is validated again, so that graph, indicator and
evidence checks still run over everything that is sound (a user wants every
problem in one run). Ids of set-aside items are remembered, so references to
them do not cause misleading "not defined" follow-on findings.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from ..findings import schema as schema_rules
from ..findings.diagnostic import Diagnostic, Span
from ..findings.references import INVALID_PERIOD
from ..findings.suggest import decimal_point, did_you_mean
from ..loading.positions import PosDict, PosList
from .model import Interning, Programme

Path_ = tuple[str | int, ...]
Locate = Callable[[Path_, bool], Span]

MAX_PRUNE_ROUNDS = 4
# Required free-text fields: when missing, a placeholder keeps the item (and its links and
# indicators) in the later checks; the missing field itself is still reported.
FILLABLE = frozenset({"statement", "name", "title", "concern", "reason"})
# Optional fields whose absence triggers no other finding: an invalid value there is dropped
# (the field falls back to its default) instead of setting the whole item aside.
SOFT_FIELDS = frozenset(
    {
        "country", "weight", "model", "description", "role", "district", "region",
        "population", "rank", "raised_by", "status", "frequency", "aggregation", "tolerance",
        "sample_size", "lag", "note", "quote", "package", "date", "summary", "source",
        "chosen_how", "definition", "rationale", "limitations", "safeguarding", "references",
        "iati_identifier", "methodology", "coherence", "adequacy", "relevance", "count",
        "groups", "valence", "title", "assessed_at", "prior", "suppress_below",
    }
)


@dataclass(slots=True)
class Validated:
    programme: Programme | None
    diagnostics: list[Diagnostic]
    remaps: dict[Path_, list[int]] = field(default_factory=dict)
    set_aside: set[str] = field(default_factory=set)  # ids of items that did not validate
    skipped_reason: str = ""


# --- looking up what the format allows at a path ---------------------------------------------


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types behind Optional, unions and Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def _model_at(path: Path_) -> type[BaseModel] | None:
    """The pydantic model class describing the mapping at `path`, if there is one."""
    current: list[Any] = [Programme]
    for part in path:
        following: list[Any] = []
        for annotation in current:
            for concrete in _unwrap(annotation):
                origin = typing.get_origin(concrete)
                if isinstance(part, int) and origin is list:
                    following.extend(_unwrap(typing.get_args(concrete)[0]))
                elif isinstance(part, str) and isinstance(concrete, type) and issubclass(
                    concrete, BaseModel
                ):
                    info = _fields(concrete).get(part)
                    if info is not None:
                        following.append(info)
                elif isinstance(part, str) and origin is dict:
                    following.extend(_unwrap(typing.get_args(concrete)[1]))
        current = following
    for annotation in current:
        for concrete in _unwrap(annotation):
            if isinstance(concrete, type) and issubclass(concrete, BaseModel):
                return concrete
    return None


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        out[info.alias or name] = info.annotation
    return out


def allowed_keys(path: Path_) -> list[str]:
    model = _model_at(path)
    return list(_fields(model)) if model else []


def _enum_choices(path: Path_) -> list[str]:
    parent = _model_at(path[:-1])
    if parent is None or not isinstance(path[-1], str):
        return []
    annotation = _fields(parent).get(path[-1])
    for concrete in _unwrap(annotation):
        if isinstance(concrete, type) and issubclass(concrete, Enum):
            return [str(member.value) for member in concrete]
        if typing.get_origin(concrete) is typing.Literal:
            return [str(arg) for arg in typing.get_args(concrete)]
    return []


# --- translating errors ----------------------------------------------------------------------

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value pairs)",
    "model_type": "a mapping (key: value pairs)",
    "model_attributes_type": "a mapping (key: value pairs)",
    "decimal_type": "a number",
    "toc_number": "a number",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
}


def _clean_loc(loc: tuple[Any, ...], data: Any) -> Path_:
    """Drop the parts of pydantic's loc that name union branches rather than data keys."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(part, int):
            out.append(part)
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            continue
        text = str(part)
        if isinstance(node, dict) and text in node:
            out.append(text)
            node = node[text]
            continue
        looks_like_branch = (
            "[" in text
            or "(" in text
            or text[:1].isupper()
            or text in {"str", "int", "float", "bool", "decimal", "date", "none", "list", "dict"}
        )
        if looks_like_branch:
            continue
        out.append(text)
        node = None
    return tuple(out)


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _name(path: Path_) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "item"


def _where(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out or "the top level"


def translate(error: Any, data: Any, locate: Locate) -> Diagnostic:
    kind = str(error["type"])
    path = _clean_loc(tuple(error["loc"]), data)
    value = error.get("input")
    name = _name(path)
    if kind == "extra_forbidden":
        key = str(path[-1])
        split = _split_number(path, data)
        if split:
            return schema_rules.UNKNOWN_KEY(
                f"unknown key '{key}' in {_where(path[:-1])}: `{split[0]}: {split[1]},{key}` "
                f"was read as {split[1]} and a key '{key}', since a comma separates entries "
                "in {...}",
                locate(path, True),
                decimal_point(f"{split[1]},{key}"),
                path,
            )
        choices = allowed_keys(path[:-1])
        guess = did_you_mean(key, choices)
        hint = f"did you mean '{guess}'?" if guess else "allowed here: " + ", ".join(choices)
        return schema_rules.UNKNOWN_KEY(
            f"unknown key '{key}' in {_where(path[:-1])}", locate(path, True), hint, path
        )
    if kind == "missing":
        return schema_rules.MISSING_FIELD(
            f"{_where(path[:-1])} is missing the required field `{name}`",
            locate(path[:-1], False),
            f"add `{name}:`; see the required fields in docs/format.md",
            path,
        )
    if kind == "literal_error" and path == ("toc",):
        return schema_rules.UNSUPPORTED_VERSION(
            f"format version {_show(value)} is not supported; this engine reads `toc: 1`",
            locate(path, False),
            "write `toc: 1` at the top of the file",
            path,
        )
    if kind in ("enum", "literal_error"):
        choices = _enum_choices(path)
        guess = did_you_mean(str(value), choices)
        hint = f"did you mean '{guess}'?" if guess else f"use one of: {', '.join(choices)}"
        listed = ", ".join(choices) if choices else str(error.get("msg", ""))
        return schema_rules.INVALID_VALUE(
            f"`{name}` must be one of {listed}; got {_show(value)}", locate(path, False), hint, path
        )
    if kind == "string_pattern_mismatch":
        if name in ("country",):
            return schema_rules.INVALID_VALUE(
                f"`country` must be a two-letter ISO 3166-1 code; got {_show(value)}",
                locate(path, False),
                "e.g. NP for Nepal, BD for Bangladesh, XK for Kosovo",
                path,
            )
        slug = str(value).strip().lower().replace(" ", "-")
        return schema_rules.INVALID_ID(
            f"{_show(value)} is not a valid id (`{_where(path)}`)",
            locate(path, False),
            f"use lower-case letters, digits, '-', '_' or '.', e.g. '{slug}'",
            path,
        )
    if kind == "toc_period":
        hint = (error.get("ctx") or {}).get("hint") or "see 'Values over time' in docs/format.md"
        return INVALID_PERIOD(str(error["msg"]), locate(path, False), hint, path)
    if kind == "toc_non_finite":
        return schema_rules.NON_FINITE(
            f"`{name}`: {error['msg']}", locate(path, False), "write a plain finite number", path
        )
    if kind in _TYPE_WORDS:
        expected = _TYPE_WORDS[kind]
        hint = "put quotes around text that looks like a number or date"
        if expected == "a number":
            hint = "write the number alone, without quotes or units (the unit is on the indicator)"
        elif expected == "a whole number":
            hint = "write a whole number without quotes or words, e.g. 12"
        elif expected == "true or false":
            hint = "write true or false"
        elif expected == "a list":
            hint = "write a list as [a, b] or with one '- item' per line"
        return schema_rules.WRONG_TYPE(
            f"`{name}` must be {expected}; got {_show(value)}", locate(path, False), hint, path
        )
    message = str(error.get("msg", kind))
    return schema_rules.INVALID_VALUE(
        f"`{name}`: {message[0].lower() + message[1:]}; got {_show(value)}",
        locate(path, False),
        "see the format reference in docs/format.md",
        path,
    )


def _split_number(path: Path_, data: Any) -> tuple[str, str] | None:
    """(key, number) when the unknown key at `path` is the decimals of the number before it:
    `{value: 31,5}` reads as `value: 31` and a key `5` with no value."""
    node = data
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    key = path[-1]
    if not isinstance(node, dict) or not str(key).isdigit() or node.get(key) is not None:
        return None
    keys = list(node)
    at = keys.index(key) if key in keys else 0
    if at == 0:
        return None
    before, number = keys[at - 1], node[keys[at - 1]]
    if isinstance(number, bool) or not isinstance(number, int | Decimal) or "." in str(number):
        return None
    return str(before), str(number)


def _deduplicate(found: list[Diagnostic]) -> list[Diagnostic]:
    """One finding per place; a type complaint about a container yields to findings inside it."""
    seen: set[tuple[Path_, str]] = set()
    paths = [d.path for d in found]
    out: list[Diagnostic] = []
    for diagnostic in found:
        key = (diagnostic.path, diagnostic.code)
        if key in seen:
            continue
        if diagnostic.code == schema_rules.WRONG_TYPE.code and any(
            len(other) > len(diagnostic.path) and other[: len(diagnostic.path)] == diagnostic.path
            for other in paths
        ):
            continue
        seen.add(key)
        out.append(diagnostic)
    return out


def _fold_misspelt_required(found: list[Diagnostic]) -> list[Diagnostic]:
    """A required field written with a typo (`Level:`) is one mistake: the unknown key
    says that the field is therefore missing, and no second finding says it again."""
    unknown = {
        (d.path[:-1], str(d.path[-1])): d
        for d in found
        if d.code == schema_rules.UNKNOWN_KEY.code and d.path
    }
    if not unknown:
        return found
    folded: dict[int, Diagnostic] = {}
    dropped: set[int] = set()
    for index, diagnostic in enumerate(found):
        if diagnostic.code != schema_rules.MISSING_FIELD.code or not diagnostic.path:
            continue
        parent, name = diagnostic.path[:-1], str(diagnostic.path[-1])
        for (where, key), typo in unknown.items():
            if where == parent and (key.lower() == name or did_you_mean(key, [name])):
                dropped.add(index)
                folded[id(typo)] = replace(
                    typo, message=f"{typo.message}, so the required `{name}` is missing"
                )
                break
    return [folded.get(id(d), d) for i, d in enumerate(found) if i not in dropped]


# --- validating, and setting aside what does not validate ------------------------------------


def _innermost_item(path: Path_, data: Any) -> Path_ | None:
    """The path of the innermost list item (with an id) that contains `path`."""
    best: Path_ | None = None
    node = data
    for depth, part in enumerate(path):
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            best = path[: depth + 1]
            node = node[part]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            break
    return best


def _prune(
    data: Any,
    drop: set[Path_],
    prefix: Path_,
    remaps: dict[Path_, list[int]],
    fill: frozenset[Path_] = frozenset(),
) -> Any:
    """Copy `data` without the list items and mapping keys at `drop` (and with placeholder
    text at `fill`), sharing untouched branches."""
    touched = drop | fill
    if not any(p[: len(prefix)] == prefix and len(p) > len(prefix) for p in touched):
        return data
    if isinstance(data, dict):
        copy = PosDict() if isinstance(data, PosDict) else {}
        for key, value in data.items():
            if (*prefix, key) in drop:
                continue
            copy[key] = _prune(value, drop, (*prefix, key), remaps, fill)
        for path in fill:
            if path[:-1] == prefix and isinstance(path[-1], str) and path[-1] not in copy:
                copy[path[-1]] = ""
        return copy
    if isinstance(data, list):
        kept: list[Any] = []
        originals: list[int] = []
        for index, value in enumerate(data):
            if (*prefix, index) in drop:
                continue
            originals.append(index)
            kept.append(_prune(value, drop, (*prefix, index), remaps, fill))
        remaps[prefix] = originals
        return kept
    return data


def _optional_key(path: Path_, data: Any) -> Path_ | None:
    """The path of the mapping key holding an error, if dropping it leaves a default."""
    for end in range(len(path), 0, -1):
        part = path[end - 1]
        if not isinstance(part, str):
            continue
        parent = _model_at(path[: end - 1])
        if parent is None:
            return None
        fields = {info.alias or name: info for name, info in parent.model_fields.items()}
        info = fields.get(part)
        if info is None or info.is_required():
            return None
        node = data
        for step in path[:end]:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                return None
        return path[:end]
    return None


def _compose_remaps(outer: dict[Path_, list[int]], inner: dict[Path_, list[int]]) -> None:
    """Fold a later round's index maps (in pruned indices) into the original-index maps."""
    for pruned_prefix, indices in inner.items():
        original_prefix = to_original(pruned_prefix, outer)
        if original_prefix in outer:
            base = outer[original_prefix]
            outer[original_prefix] = [base[i] for i in indices]
        else:
            outer[original_prefix] = indices


def to_original(path: Path_, remaps: dict[Path_, list[int]]) -> Path_:
    """Translate a path in the validated (pruned) programme back to the file's own indices."""
    out: list[str | int] = []
    for part in path:
        prefix = tuple(out)
        if isinstance(part, int) and prefix in remaps and 0 <= part < len(remaps[prefix]):
            out.append(remaps[prefix][part])
        else:
            out.append(part)
    return tuple(out)


def _ids_within(node: Any, found: set[str]) -> None:
    """The ids of a set-aside item and of everything in it (a result's indicators), each
    also as the id its TOC105 hint proposes: what refers to them follows from the cause."""
    if isinstance(node, dict):
        ident = node.get("id")
        if isinstance(ident, str):
            found.add(ident)
            found.add(ident.strip().lower().replace(" ", "-"))
        for value in node.values():
            if isinstance(value, dict | list):
                _ids_within(value, found)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, dict | list):
                _ids_within(item, found)


def validate_data(data: Any, locate: Locate) -> Validated:
    """Validate, translating errors; set aside bad list items and try again."""
    if not isinstance(data, dict):
        return Validated(None, [], skipped_reason="the top level is not a mapping")
    try:
        return Validated(Programme.model_validate(data, context=Interning()), [])
    except ValidationError as err:
        first_errors = err.errors(include_url=False)
    diagnostics = _fold_misspelt_required(
        _deduplicate([translate(e, data, locate) for e in first_errors])
    )
    remaps: dict[Path_, list[int]] = {}
    set_aside: set[str] = set()
    current: Any = data
    errors = first_errors
    for _ in range(MAX_PRUNE_ROUNDS):
        drop: set[Path_] = set()
        fill: set[Path_] = set()
        for error in errors:
            where = _clean_loc(tuple(error["loc"]), current)
            if error["type"] == "missing" and where and where[-1] in FILLABLE:
                fill.add(where)
                continue
            if error["type"] == "extra_forbidden" and where:
                drop.add(where)
                continue
            soft = _optional_key(where, current)
            if soft is not None and soft[-1] in SOFT_FIELDS and error["type"] != "missing":
                drop.add(soft)
                continue
            item = _innermost_item(where, current)
            if item is None:
                # Outside any list: an optional field falls back to its default.
                key = None if error["type"] == "missing" else _optional_key(where, current)
                if key is None:
                    return Validated(
                        None,
                        diagnostics,
                        skipped_reason="graph, indicator and evidence checks did not run: fix "
                        f"the errors in `{_where(where[:1])}` first",
                    )
                drop.add(key)
                continue
            drop.add(item)
        for item in drop:
            if not isinstance(item[-1], int):
                continue
            node = current
            for part in item:
                node = node[part]
            _ids_within(node, set_aside)
        round_remaps: dict[Path_, list[int]] = {}
        current = _prune(current, drop, (), round_remaps, frozenset(fill))
        _compose_remaps(remaps, round_remaps)
        try:
            programme = Programme.model_validate(current, context=Interning())
        except ValidationError as err:
            errors = err.errors(include_url=False)
            continue
        return Validated(programme, diagnostics, remaps, set_aside)
    return Validated(
        None, diagnostics, skipped_reason="later checks did not run: too many schema errors"
    )


__all__ = ["Validated", "allowed_keys", "to_original", "validate_data"]
_ = PosList  # re-exported type used by callers' isinstance checks
