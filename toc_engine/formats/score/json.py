"""`toc score --format json`: the versioned structure of docs/schema/score.schema.json.

The text is `json.dumps(to_json(result), indent=2, ensure_ascii=False)`, character for
character. python-rapidjson writes it: the standard library indents in pure Python,
which takes longer than scoring itself (bench/README.md). rapidjson writes the same text
for the same data (numbers as Python's `repr`, keys in order, the same escapes) except
that it writes the escapes of control characters in upper case (`\\u001B` for
`\\u001b`) and refuses what `json.dumps` writes otherwise (keys that are not strings,
lone surrogates): such a piece is written by `json.dumps` itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import rapidjson

from ...scoring.result import ProgrammeScore

_INDENT = "  "
# How rapidjson writes a control character that json.dumps writes in lower case (also
# found in text that merely contains it: that piece is then written by json.dumps).
_UPPER_CASE_ESCAPE = re.compile(r"\\u00[01][A-F]")


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
    try:
        text = rapidjson.dumps(value, indent=2, ensure_ascii=False)
    except (TypeError, ValueError):  # what rapidjson refuses (ValueError: surrogates)
        text = None
    if text is None or _UPPER_CASE_ESCAPE.search(text):
        text = json.dumps(value, indent=2, ensure_ascii=False)
    # JSON strings hold no raw newline: every newline starts a line to indent.
    return text.replace("\n", "\n" + _INDENT * depth) if depth else text
