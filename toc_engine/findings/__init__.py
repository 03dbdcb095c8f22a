"""Findings: the one type every stage reports (`Diagnostic`) and the rule catalogue.

Every finding has a stable code with documentation and a failing and a passing example
(`catalogue`). The rules that the load, schema and scoring stages and the workbook
import report are declared here, below those stages; the rules found by checks are
declared with their checks in `toc_engine.check.rules`. This package imports nothing
else of the engine.
"""

from . import collection, exports, files, references, schema, scoring, workbook
from .catalogue import RULES, STAGES, Rule, by_symbol_or_code, declare
from .diagnostic import Diagnostic, Report, Severity, Span

__all__ = [
    "RULES",
    "STAGES",
    "Diagnostic",
    "Report",
    "Rule",
    "Severity",
    "Span",
    "by_symbol_or_code",
    "collection",
    "declare",
    "exports",
    "files",
    "references",
    "schema",
    "scoring",
    "workbook",
]
