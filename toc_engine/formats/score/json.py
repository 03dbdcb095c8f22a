"""`toc score --format json`: the versioned structure of docs/schema/score.schema.json.

The text is `json.dumps(to_json(result), indent=2, ensure_ascii=False)`, character for
character. orjson writes it: the standard library indents in pure Python, which takes
longer than scoring itself (bench/README.md). orjson writes the same text for the
same data, except for floats it writes in other notation (below 1e-4 it may write
`0.00001` or `1e-9` where Python writes `1e-05` and `1e-09`; infinities and NaN as
`null`) and for what it refuses (integers beyond 64 bits, lone surrogates). Such floats
are handed to it as the text `json.dumps` writes; a piece it refuses is written by
`json.dumps` itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from math import isfinite
from typing import Any

import orjson

from ...scoring.result import ProgrammeScore

_INDENT = "  "
# Dates and dataclasses are not plain data: orjson passes them to `default`, as
# `json.dumps` refuses them.
_OPTIONS = (
    orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
)


def to_json(result: ProgrammeScore) -> dict[str, Any]:
    """The score as plain data."""
    return result.to_json()


def to_json_text(result: ProgrammeScore) -> str:
    """`json.dumps(to_json(result), indent=2, ensure_ascii=False)`."""
    return "".join(to_json_chunks(result))


def to_json_chunks(result: ProgrammeScore) -> Iterator[str]:
    """`to_json_text(result)` in pieces (one result, link, assumption or finding each, or
    one other member of the top object), for writing a national score, hundreds of
    megabytes of text, without holding all of it, nor all its data, at once."""
    opening = "{"
    for key, value in result.json_members():
        head = opening + "\n" + _INDENT + _text(key, 1) + ": "
        opening = ","
        if not isinstance(value, Iterator):
            yield head + _text(value, 1)
            continue
        between = head + "["
        for item in value:
            yield between + "\n" + _INDENT * 2 + _text(item, 2)
            between = ","
        yield "\n" + _INDENT + "]" if between == "," else between + "]"
    yield "\n}"


def _text(value: Any, depth: int) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)` as written `depth` levels deep."""
    value = _python_floats(value)
    try:
        text = orjson.dumps(value, default=_python_float, option=_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError: what it refuses to write
        text = json.dumps(value, indent=2, ensure_ascii=False)
    # JSON strings hold no raw newline: every newline starts a line to indent.
    return text.replace("\n", "\n" + _INDENT * depth) if depth else text


class _PythonFloat(float):
    """A float that orjson writes otherwise than `json.dumps`: orjson hands it to
    `_python_float` (it writes no subclass of float itself); `json.dumps` writes it as
    any float."""


def _python_float(value: Any) -> orjson.Fragment:
    if type(value) is _PythonFloat:
        return orjson.Fragment(float.__repr__(value) if isfinite(value) else json.dumps(value))
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _python_floats(value: Any) -> Any:
    """`value` with its floats that orjson writes otherwise than `json.dumps` made
    `_PythonFloat`s, in place (the data was made for writing)."""
    kind = type(value)
    if kind is float:
        return value if _same_text(value) else _PythonFloat(value)
    if kind is dict:
        for key, item in value.items():
            walk = _WALK.get(type(item))
            if walk is _CONTAINER:
                _python_floats(item)
            elif walk is _FLOAT and not _same_text(item):
                value[key] = _PythonFloat(item)
    elif kind is list:
        for index, item in enumerate(value):
            walk = _WALK.get(type(item))
            if walk is _CONTAINER:
                _python_floats(item)
            elif walk is _FLOAT and not _same_text(item):
                value[index] = _PythonFloat(item)
    return value


_CONTAINER, _FLOAT = "container", "float"
_WALK = {dict: _CONTAINER, list: _CONTAINER, float: _FLOAT}  # one lookup per value


def _same_text(number: float) -> bool:
    """Whether orjson writes `number` as `json.dumps` does: zero, and numbers from 1e-4 to
    1e16, which both write in plain decimal notation with the same (shortest) digits."""
    return 1e-4 <= abs(number) < 1e16 or number == 0.0
