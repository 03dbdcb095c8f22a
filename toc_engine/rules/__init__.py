"""The rule catalogue. Importing this package registers every rule, in code order."""

from . import design, evidence, files, graph, indicators, models, schema, scoring_rules
from .registry import EXTRA_CHECKS, RULES, STAGES, Rule, by_symbol_or_code

__all__ = [
    "EXTRA_CHECKS",
    "RULES",
    "STAGES",
    "Rule",
    "by_symbol_or_code",
    "design",
    "evidence",
    "files",
    "graph",
    "indicators",
    "models",
    "schema",
    "scoring_rules",
]
