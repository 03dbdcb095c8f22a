"""What scoring finds of the whole programme: design, roll-up, safeguarding, and the
`ProgrammeScore` that holds everything, with its versioned JSON data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ...findings.diagnostic import Diagnostic
from .indicators import JSON, num
from .records import records
from .results import AssumptionScore, LinkScore, ResultScore

SCHEMA_VERSION = "1.1"


@dataclass(frozen=True, slots=True)
class Check:
    """One ex-ante check: the share of items that pass, and the ones that fail."""

    name: str
    share: Decimal
    failing: tuple[str, ...]

    def to_json(self) -> JSON:
        return {"name": self.name, "share": num(self.share), "failing": list(self.failing)}


@dataclass(frozen=True, slots=True)
class Criterion:
    name: str  # plausible | testable | participatory | contextualised
    score: int  # 0-3
    mean_share: Decimal | None
    checks: tuple[Check, ...]
    reasons: tuple[str, ...]

    def to_json(self) -> JSON:
        return {
            "score": self.score,
            "mean_share": num(self.mean_share),
            "checks": [c.to_json() for c in self.checks],
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class Gap:
    """An unanticipated outcome: a gap in the theory, not a penalty."""

    evidence: str
    statement: str | None  # None when withheld (sensitive evidence)
    valence: str
    result: str | None
    withheld: bool = False

    def to_json(self) -> JSON:
        return {
            "evidence": self.evidence,
            "statement": self.statement,
            "valence": self.valence,
            "result": self.result,
            "withheld": self.withheld,
        }


@dataclass(frozen=True, slots=True)
class DesignScore:
    score: Decimal
    ex_ante_score: Decimal  # E, 0-1
    criteria: tuple[Criterion, ...]
    validity: Decimal | None  # V, None without tested links
    tested_coverage: Decimal
    validity_untested: bool
    gaps: tuple[Gap, ...]
    steps: tuple[str, ...] = ()

    def to_json(self) -> JSON:
        return {
            "score": num(self.score),
            "ex_ante_score": num(self.ex_ante_score),
            "ex_ante": {c.name: c.to_json() for c in self.criteria},
            "validity": num(self.validity),
            "tested_coverage": num(self.tested_coverage),
            "validity_untested": self.validity_untested,
            "gaps": [g.to_json() for g in self.gaps],
        }


@dataclass(frozen=True, slots=True)
class LevelRollup:
    level: str
    score: Decimal | None
    band: str
    band_label: str
    results: int
    banded: int
    steps: tuple[str, ...] = ()
    interim: int = 0  # banded results whose band is interim (scoring.md §7)

    def to_json(self) -> JSON:
        return {
            "level": self.level,
            "score": num(self.score),
            "band": self.band,
            "band_label": self.band_label,
            "results": self.results,
            "banded": self.banded,
            "interim": self.interim,
        }


ROLLUP_NOTE = (
    "Accountability roll-up (DFID-style band points x weight per level); "
    "not a causal claim and not evidence for higher results."
)


@dataclass(frozen=True, slots=True)
class Safeguarding:
    include_sensitive: bool
    withheld_items: int
    suppressed_cells: int
    threshold: int
    notes: tuple[str, ...] = ()

    @property
    def banner(self) -> str | None:
        if self.include_sensitive:
            return (
                "SENSITIVE CONTENT INCLUDED: summaries and quotes of sensitive evidence are "
                "shown (--include-sensitive). Do not share this output."
            )
        return None

    def to_json(self) -> JSON:
        return {
            "include_sensitive": self.include_sensitive,
            "banner": self.banner,
            "withheld_items": self.withheld_items,
            "suppressed_cells": self.suppressed_cells,
            "suppress_below": self.threshold,
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class ProgrammeScore:
    programme: str
    title: str
    assessed_at: date
    scale: str
    results: tuple[ResultScore, ...]
    links: tuple[LinkScore, ...]
    assumptions: tuple[AssumptionScore, ...]
    design: DesignScore
    rollup: tuple[LevelRollup, ...]
    safeguarding: Safeguarding
    findings: tuple[Diagnostic, ...] = ()
    notes: tuple[str, ...] = ()
    schema_version: str = field(default=SCHEMA_VERSION)

    def result(self, result_id: str) -> ResultScore:
        for item in self.results:
            if item.id == result_id:
                return item
        raise KeyError(result_id)

    def link(self, source: str, target: str) -> LinkScore:
        for item in self.links:
            if item.source == source and item.target == target:
                return item
        raise KeyError(f"{source} -> {target}")

    def records(self, kind: str) -> list[dict[str, str | float | int | bool | None]]:
        """Flat records for a table (`pandas.DataFrame(score.records("indicators"))`):
        "results", "indicators" (each indicator's total, then its breakdowns) or
        "links"; plain floats, never Decimals. See `result.records`."""
        return records(self.programme, self.results, self.links, kind)

    def to_json(self) -> JSON:
        """The versioned JSON data (docs/schema/score.schema.json)."""
        return {
            key: list(value) if isinstance(value, Iterator) else value
            for key, value in self.json_members()
        }

    def json_members(self) -> Iterator[tuple[str, Any]]:
        """The members of `to_json()`, in order, its lists of records as iterators of
        their items' data: a writer can take a national score a result at a time."""
        yield "schema_version", self.schema_version
        yield "programme", {"id": self.programme, "title": self.title, "scale": self.scale}
        yield "assessed_at", self.assessed_at.isoformat()
        yield "safeguarding", self.safeguarding.to_json()
        yield "results", (r.to_json() for r in self.results)
        yield "links", (link.to_json() for link in self.links)
        yield "assumptions", (a.to_json() for a in self.assumptions)
        yield "design", self.design.to_json()
        yield "rollup", {
            "note": ROLLUP_NOTE,
            "levels": [level.to_json() for level in self.rollup],
        }
        yield "findings", (_finding_json(d) for d in self.findings)
        yield "notes", list(self.notes)


def _finding_json(d: Diagnostic) -> JSON:
    return {
        "code": d.code,
        "symbol": d.symbol,
        "severity": d.severity.label,
        "message": d.message,
        "hint": d.hint or None,
        "file": d.span.file,
        "line": d.span.line,
        "col": d.span.col,
        "path": d.data_path(),
    }
