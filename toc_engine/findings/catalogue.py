"""The rule registry: every finding the engine can produce has an entry here.

A rule is a stable code (`TOC201`), a readable symbol (`dangling-reference`), a
default severity, a family, documentation, and one failing and one passing
example. The examples are complete programme files: `toc explain` prints them
and `tests/test_rule_examples.py` runs them, so the documentation cannot rot.

Rules either carry a `check` function (run by the pipeline in their stage) or
are emitted by a stage that has to do the work anyway (the YAML loader, the
schema translator, the scorer); both kinds are listed, selected and
documented the same way.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .diagnostic import Diagnostic, Severity, Span

Example = str | dict[str, str]
"""A programme file's text, or {relative path: text} when the example needs several files."""

CheckFunction = Callable[[Any], Iterable[Diagnostic]]
"""A check (`toc_engine.check.registry`): the findings of one rule in one programme context."""

FAMILIES = {
    "0": "yaml-and-files",
    "1": "schema",
    "2": "graph",
    "3": "indicators",
    "4": "evidence",
    "5": "design",
    "6": "safeguarding",
    "8": "collection",
}

STAGES = ("files", "schema", "graph", "indicators", "evidence", "design", "safeguarding")


@dataclass(frozen=True)
class Rule:
    code: str
    symbol: str
    severity: Severity
    summary: str
    doc: str
    fail: Example
    pass_: Example
    fail_at: str = ""  # "line:col" where the failing example's first finding is expected
    stage: str = ""
    check: CheckFunction | None = field(default=None, compare=False)
    aliases: tuple[str, ...] = ()
    emits: tuple[str, ...] = ()  # other rules' codes its check reports too (see `rule`)

    @property
    def family(self) -> str:
        return FAMILIES[self.code[3]]

    def __call__(
        self,
        message: str,
        span: Span,
        hint: str = "",
        path: tuple[str | int, ...] = (),
        severity: Severity | None = None,
    ) -> Diagnostic:
        """Make a finding of this rule."""
        return Diagnostic(
            code=self.code,
            symbol=self.symbol,
            severity=severity or self.severity,
            message=message,
            span=span,
            hint=hint,
            path=path,
        )


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.code in RULES:
        raise RuntimeError(f"rule code {rule.code} registered twice")
    if rule.code[3] not in FAMILIES:
        raise RuntimeError(f"rule code {rule.code} is outside the known families")
    RULES[rule.code] = rule
    return rule


def declare(
    code: str,
    symbol: str,
    severity: Severity,
    summary: str,
    doc: str,
    fail: Example,
    pass_: Example,
    fail_at: str = "",
) -> Rule:
    """Register a rule whose findings are produced by a stage rather than a check function."""
    return register(
        Rule(code, symbol, severity, summary, inspect.cleandoc(doc), fail, pass_, fail_at)
    )


def by_symbol_or_code(name: str) -> Rule | None:
    key = name.strip()
    if key.upper() in RULES:
        return RULES[key.upper()]
    for item in RULES.values():
        if item.symbol == key or key in item.aliases:
            return item
    return None
