"""Cross-context comparison of many scored programmes (`toc portfolio`).

`judgements()` reduces one scored programme to what is compared; `compare()` puts
the judgements of many side by side. Pure, like the rest of scoring: loading the
programmes, the worker processes and the cache are `formats/portfolio/`'s.
"""

from __future__ import annotations

from .compare import FEW_CONTEXTS, TESTED_VERDICTS, Portfolio, Refused, compare
from .judgements import Judgements, judgements

__all__ = [
    "FEW_CONTEXTS",
    "TESTED_VERDICTS",
    "Judgements",
    "Portfolio",
    "Refused",
    "compare",
    "judgements",
]
