"""`toc score --format json`: the versioned structure of docs/schema/score.schema.json."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...scoring.jsontext import chunks, dumps
from ...scoring.result import ProgrammeScore


def to_json(result: ProgrammeScore) -> dict[str, Any]:
    """The score as plain data."""
    return result.to_json()


def to_json_text(result: ProgrammeScore) -> str:
    """`json.dumps(to_json(result), indent=2, ensure_ascii=False)`."""
    return dumps(result.to_json(prewritten=True))


def to_json_chunks(result: ProgrammeScore) -> Iterator[str]:
    """`to_json_text(result)` in pieces (about one result, link or assumption each), for
    writing a large score without holding all its text at once."""
    yield from chunks(result.to_json(prewritten=True))
