"""The checks, by family. Importing this package registers every rule of the catalogue:
those declared in `toc_engine.findings` and those declared here with their checks."""

from ... import findings
from ...findings.catalogue import RULES, STAGES, Rule, by_symbol_or_code
from ..registry import EXTRA_CHECKS
from . import design, evidence, graph, indicators, models, text

__all__ = [
    "EXTRA_CHECKS",
    "RULES",
    "STAGES",
    "Rule",
    "by_symbol_or_code",
    "design",
    "evidence",
    "findings",
    "graph",
    "indicators",
    "models",
    "text",
]
