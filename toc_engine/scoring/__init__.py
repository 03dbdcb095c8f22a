"""Evidence and scoring (design/scoring.md): delivery, confidence and design.

`score(programme)` turns a validated Programme into typed, frozen objects;
`render_text`, `explain` and `to_json` present them. The package is pure: no
I/O, no printing, no plotting imports.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..gcpause import gc_paused
from .engine import Locate, score
from .jsontext import chunks, dumps
from .render import explain, render_text, render_text_chunks
from .result import SCHEMA_VERSION, ProgrammeScore


def to_json(result: ProgrammeScore) -> dict[str, Any]:
    """The documented, versioned JSON structure (docs/schema/score.schema.json)."""
    with gc_paused():
        return result.to_json()


def to_json_text(result: ProgrammeScore) -> str:
    """`json.dumps(to_json(result), indent=2, ensure_ascii=False)`, the same text, faster."""
    with gc_paused():
        return dumps(result.to_json(prewritten=True))


def to_json_chunks(result: ProgrammeScore) -> Iterator[str]:
    """`to_json_text(result)` in pieces (about one result, link or assumption each), for
    writing a large score without holding all its text at once."""
    with gc_paused():  # only while the data is built: the caller writes between pieces
        data = result.to_json(prewritten=True)
    yield from chunks(data)


__all__ = [
    "SCHEMA_VERSION",
    "Locate",
    "ProgrammeScore",
    "explain",
    "render_text",
    "render_text_chunks",
    "score",
    "to_json",
    "to_json_chunks",
    "to_json_text",
]
