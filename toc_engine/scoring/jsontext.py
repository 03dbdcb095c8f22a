"""The score's JSON text, as `json.dumps(data, indent=2, ensure_ascii=False)` writes it.

The standard library encodes indented JSON in pure Python, a generator per container;
for a national programme that took longer than scoring it. This writer produces the same
characters for the plain data `to_json` returns (dicts with string keys, lists, strings,
ints, floats, booleans, None) with one list of pieces and cached key prefixes; anything
else is handed to `json.dumps` (the whole document, or with `chunks` the piece that
holds it), so the text is the same either way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring
from math import isfinite
from typing import Any

_INDENT = "  "


class Prewritten:
    """A value that writes its own JSON text: for long lists of same-shaped records, where
    building dicts for the generic writer cost more than writing the characters directly.

    `text(depth)` returns what `json.dumps(plain(), indent=2, ...)` writes for the value
    nested `depth` levels deep; `plain()` is the data itself (the standard library's
    fallback writes that).
    """

    def text(self, depth: int) -> str:
        raise NotImplementedError

    def plain(self) -> Any:
        raise NotImplementedError


def _plain(value: Any) -> Any:
    if isinstance(value, Prewritten):
        return value.plain()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class _Unplain(Exception):
    """A value the fast path does not write; `json.dumps` writes the document (or piece)."""


def _scalar(value: Any) -> str:
    """A leaf value as json.dumps writes it (raises _Unplain for containers and others)."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return float.__repr__(value) if isfinite(value) else json.dumps(value)
    raise _Unplain


scalar_text = _scalar  # for writers of `Prewritten` values


def dumps(data: Any) -> str:
    """`json.dumps(data, indent=2, ensure_ascii=False)`, faster for plain data."""
    return _nested(data, 0)


def chunks(data: Any) -> Iterator[str]:
    """`dumps(data)` in pieces: a dict's members one by one, and the items of its lists
    one by one, so a national programme's score (hundreds of megabytes of text) can be
    written without holding the whole text, its pieces and its bytes at once."""
    if type(data) is not dict or not data or any(type(key) is not str for key in data):
        yield dumps(data)
        return
    inner, deeper = "\n" + _INDENT, "\n" + _INDENT * 2
    comma = "{"
    for key, value in data.items():
        prefix = comma + inner + encode_basestring(key) + ": "
        if type(value) is list and value:
            yield prefix + "["
            between = deeper
            for item in value:
                yield between + _nested(item, 2)
                between = "," + deeper
            yield inner + "]"
        else:
            yield prefix + _nested(value, 1)
        comma = ","
    yield "\n}"


def _nested(data: Any, depth: int) -> str:
    """`dumps(data)` as written `depth` levels deep (each new line indented that much more)."""
    try:
        return _write(data, depth)
    except _Unplain:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=_plain)
        # Strings in JSON text hold no raw newline, so every one starts an indented line.
        return text.replace("\n", "\n" + _INDENT * depth) if depth else text


nested_text = _nested  # for writers of `Prewritten` values: a nested value at its depth


_SHARED_DEPTHS = 32  # a score is 8 levels deep
# Per depth: "\n" + its indentation, and the '<newline>"key": ' prefixes written at it.
_LEVELS: tuple[tuple[str, dict[str, str]], ...] = tuple(
    ("\n" + _INDENT * depth, {}) for depth in range(_SHARED_DEPTHS)
)
_PREFIX_LIMIT = 4096  # keys remembered per depth: the format's own, and a few more


def _level(depth: int) -> tuple[str, dict[str, str]]:
    """The newline and indentation of `depth`, and the key prefixes written at it.

    Shared by every call: a national score is written a result or link at a time
    (`chunks`), and working these out again for each of them cost a third of the writing.
    """
    if depth < _SHARED_DEPTHS:
        return _LEVELS[depth]
    return "\n" + _INDENT * depth, {}


def _write(data: Any, start: int = 0) -> str:
    out: list[str] = []
    _write_value(data, start, out.append)
    return "".join(out)


def _write_value(value: Any, depth: int, push: Callable[[str], Any]) -> None:
    """Push the pieces of `value`'s text at `depth`; raise _Unplain for what it does not
    write (the caller then hands the piece to `json.dumps`)."""
    kind = type(value)
    if kind is dict:
        if not value:
            push("{}")
            return
        close, _ = _level(depth)
        inner, prefixes = _level(depth + 1)
        comma = "{"
        for key, item in value.items():
            prefix = prefixes.get(key)
            if prefix is None:
                if type(key) is not str:
                    raise _Unplain
                prefix = inner + encode_basestring(key) + ": "
                if len(prefixes) < _PREFIX_LIMIT:
                    prefixes[key] = prefix
            kind = type(item)
            if kind is str:
                push(comma + prefix + encode_basestring(item))
            elif item is None:  # the commonest leaves, written without a call
                push(comma + prefix + "null")
            elif kind is bool:
                push(comma + prefix + ("true" if item else "false"))
            elif kind is dict or kind is list:
                push(comma + prefix)
                _write_value(item, depth + 1, push)
            elif isinstance(item, Prewritten):
                push(comma + prefix + item.text(depth + 1))
            else:
                push(comma + prefix + _scalar(item))
            comma = ","
        push(close + "}")
    elif kind is list:
        if not value:
            push("[]")
            return
        close, _ = _level(depth)
        inner, _ = _level(depth + 1)
        comma = "["
        for item in value:
            kind = type(item)
            if kind is dict or kind is list:
                push(comma + inner)
                _write_value(item, depth + 1, push)
            elif isinstance(item, Prewritten):
                push(comma + inner + item.text(depth + 1))
            else:
                push(comma + inner + _scalar(item))
            comma = ","
        push(close + "]")
    elif isinstance(value, Prewritten):
        push(value.text(depth))
    else:
        push(_scalar(value))
