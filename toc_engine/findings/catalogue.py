"""The rule registry: every finding the engine can produce has an entry here.

A rule is a stable code (`TOC201`), a readable symbol (`dangling-reference`), a
default severity, a family, documentation, and one failing and one passing
example. The examples are complete programme files (workbooks for the rules of
`toc import logframe`): `toc explain` prints them and `tests/test_rule_examples.py`
runs them, so the documentation cannot rot.

Rules either carry a `check` function (run by the pipeline in their stage) or
are emitted by a stage that has to do the work anyway (the YAML loader, the
schema translator, the scorer); both kinds are listed, selected and
documented the same way.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .diagnostic import Diagnostic, Severity, Span


@dataclass(frozen=True)
class WorkbookExample:
    """A small workbook, described cell by cell, for the rules of `toc import logframe`.

    The tests build it with openpyxl (`tests/workbook_examples.py`) and import it;
    `toc explain` shows it as a table of cells."""

    sheets: dict[str, dict[str, Any]]  # sheet -> {cell such as "D14": value}
    merged: tuple[str, ...] = ()  # ranges such as "Logframe!A2:A3"
    formats: dict[str, str] = field(default_factory=dict)  # "Sheet!D14" -> number format
    hidden: tuple[str, ...] = ()  # sheets saved as hidden
    members: dict[str, tuple[str, int]] = field(default_factory=dict)  # zip part -> (text, times)
    raw: str | None = None  # the file holds this text instead of a workbook
    files: dict[str, str] = field(default_factory=dict)  # other files, such as a --map file
    args: tuple[str, ...] = ()  # further arguments of `toc import logframe`
    name: str = "logframe.xlsx"

    def replace(self, **changes: Any) -> WorkbookExample:
        """A copy with some fields changed; `cells={"Sheet!D14": value}` changes cells
        (None removes one)."""
        cells = changes.pop("cells", {})
        sheets = {name: dict(values) for name, values in self.sheets.items()}
        for where, value in cells.items():
            sheet, ref = where.split("!")
            if value is None:
                sheets.setdefault(sheet, {}).pop(ref, None)
            else:
                sheets.setdefault(sheet, {})[ref] = value
        return dataclasses.replace(self, sheets=sheets, **changes)


Example = str | dict[str, str] | WorkbookExample
"""A programme file's text, {relative path: text} when the example needs several files, or
a workbook for the rules of `toc import logframe`."""

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
    "7": "workbook-import",
    "8": "collection",
    "9": "export",
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
