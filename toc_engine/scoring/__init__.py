"""Evidence and scoring (design/scoring.md): delivery, confidence and design.

`score(programme)` turns a validated Programme into typed, frozen objects; the
formats (`toc_engine.formats.score`) present them. The package is pure: no I/O,
no printing, no plotting imports.
"""

from __future__ import annotations

from .engine import Locate, score
from .result import SCHEMA_VERSION, ProgrammeScore

__all__ = ["SCHEMA_VERSION", "Locate", "ProgrammeScore", "score"]
