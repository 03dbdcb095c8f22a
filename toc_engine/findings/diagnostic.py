"""Findings and the report that every output format renders.

One `Diagnostic` type serves every stage (YAML, schema, graph, indicators,
evidence, design, safeguarding) so that formatters, filters and tests never
need to know which stage produced a finding.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace


class Severity(enum.IntEnum):
    """Ordered so that `max()` over findings gives the worst one."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}: use error, warning or info") from None


@dataclass(frozen=True, slots=True)
class Span:
    """A place in a source file. Lines and columns are 1-based, as editors show them."""

    file: str
    line: int = 0
    col: int = 0
    end_line: int = 0
    end_col: int = 0

    @property
    def located(self) -> bool:
        return self.line > 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: what is wrong, where, and how to fix it."""

    code: str
    symbol: str
    severity: Severity
    message: str
    span: Span
    hint: str = ""
    path: tuple[str | int, ...] = ()
    waived: str | None = None  # the reason given by an `ignore` entry, if waived
    more: int = 0  # findings like this one that it stands for (`volume.cap_repeats`)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.file, self.span.line, self.span.col, self.code, self.message)

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def data_path(self) -> str:
        """The data path written the way users read it: `results[2].indicators[0].unit`."""
        out = ""
        for part in self.path:
            if isinstance(part, int):
                out += f"[{part}]"
            else:
                out += ("." if out else "") + part
        return out


@dataclass(slots=True)
class Report:
    """The outcome of validating one or more programme files."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # stages not run, and why
    waived: list[Diagnostic] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    def count(self, severity: Severity) -> int:
        return sum(1 + d.more for d in self.diagnostics if d.severity is severity)

    def codes(self) -> list[str]:
        return [d.code for d in self.diagnostics]

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(items)

    def sort(self) -> None:
        self.diagnostics.sort(key=Diagnostic.sort_key)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.diagnostics)
