"""Causal judgements side by side across programmes: which links held where.

Links are compared by `pattern:` (programmes written independently) and, for
programmes started from the same model, by the model's link ids. Nothing is pooled:
every row keeps each programme's own verdict, posterior, confidence and assessment
date; a row tested in fewer than three programmes says so; interim and untested
judgements stay labelled.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from .indicators import IndicatorAggregate, aggregate_indicators
from .judgements import AssumptionJudgement, Judgements, LinkJudgement

TESTED_VERDICTS = (
    "theory_held",
    "contribution_not_established",
    "theory_failure_assumption",
    "theory_failure_mechanism",
)
"""Verdicts that test the link itself (scoring.md §5, rules 4-7)."""

FEW_CONTEXTS = 3
"""A comparison tested in fewer programmes than this is shown as such."""


@dataclass(frozen=True, slots=True)
class Context:
    """One programme of the portfolio: a column of the matrix."""

    programme: str
    title: str
    country: str | None
    model: str | None
    assessed_at: date
    period_start: date
    period_end: date
    interim: bool
    path: str


@dataclass(frozen=True, slots=True)
class LinkCell:
    programme: str
    country: str | None
    assessed_at: date
    link: str
    verdict: str
    reason: str
    posterior: float | None
    confidence: str
    failed_assumptions: tuple[str, ...]
    interim: bool

    @property
    def tested(self) -> bool:
        return self.verdict in TESTED_VERDICTS


@dataclass(frozen=True, slots=True)
class LinkRow:
    """One link pattern (or one model link) across the programmes that have it."""

    key: str  # "pattern:NAME" or "model:MODEL:SOURCE -> TARGET"
    kind: str  # pattern | model
    name: str
    cells: tuple[LinkCell, ...]

    @property
    def tested(self) -> tuple[LinkCell, ...]:
        return tuple(c for c in self.cells if c.tested)

    @property
    def few_contexts(self) -> bool:
        return len(self.tested) < FEW_CONTEXTS

    @property
    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(c.verdict for c in self.cells).items()))

    @property
    def failed_on(self) -> dict[str, tuple[str, ...]]:
        """Assumption id -> the programmes where the link failed on it."""
        found: dict[str, list[str]] = {}
        for cell in self.cells:
            if cell.verdict == "theory_failure_assumption":
                for assumption in cell.failed_assumptions:
                    found.setdefault(assumption, []).append(cell.programme)
        return {a: tuple(p) for a, p in sorted(found.items())}


@dataclass(frozen=True, slots=True)
class AssumptionCell:
    programme: str
    country: str | None
    assessed_at: date
    assumption: str
    state: str
    posterior: float | None


@dataclass(frozen=True, slots=True)
class AssumptionRow:
    key: str  # "pattern:NAME" or "model:MODEL:ID"
    kind: str
    name: str
    cells: tuple[AssumptionCell, ...]

    def where(self, state: str) -> tuple[str, ...]:
        return tuple(c.programme for c in self.cells if c.state == state)


@dataclass(frozen=True, slots=True)
class LevelEntry:
    """One programme's roll-up of one level, never averaged with another's."""

    country: str | None
    level: str
    programme: str
    assessed_at: date
    interim: bool
    score: Decimal | None
    band: str
    results: int
    banded: int


@dataclass(frozen=True, slots=True)
class DesignEntry:
    country: str | None
    programme: str
    assessed_at: date
    interim: bool
    score: Decimal
    validity: Decimal | None
    tested_coverage: Decimal
    validity_untested: bool


@dataclass(frozen=True, slots=True)
class Refused:
    """A programme left out of the comparison because it does not validate."""

    path: str
    errors: int
    first_error: str


@dataclass(frozen=True, slots=True)
class Lesson:
    """One line of "what travelled, what did not", built from a row's cells."""

    kind: str  # travelled | did_not_travel | failed | not_implemented
    key: str
    text: str


@dataclass(frozen=True, slots=True)
class Portfolio:
    contexts: tuple[Context, ...]
    links: tuple[LinkRow, ...]
    assumptions: tuple[AssumptionRow, ...]
    delivery: tuple[LevelEntry, ...]
    design: tuple[DesignEntry, ...]
    indicators: tuple[IndicatorAggregate, ...]
    lessons: tuple[Lesson, ...]
    refused: tuple[Refused, ...]

    @property
    def assessment_dates(self) -> tuple[date, ...]:
        return tuple(sorted({c.assessed_at for c in self.contexts}))


def compare(programmes: Iterable[Judgements], refused: Sequence[Refused] = ()) -> Portfolio:
    """The cross-context comparison of programmes that validated and were scored."""
    ordered = sorted(
        _distinct(programmes), key=lambda j: (j.country or "", j.programme, j.assessed_at, j.path)
    )
    contexts = tuple(
        Context(
            j.programme,
            j.title,
            j.country,
            j.model,
            j.assessed_at,
            j.period_start,
            j.period_end,
            j.interim,
            j.path,
        )
        for j in ordered
    )
    link_rows = _link_rows(ordered)
    interim = {c.programme for c in contexts if c.interim}
    return Portfolio(
        contexts=contexts,
        links=link_rows,
        assumptions=_assumption_rows(ordered),
        delivery=tuple(
            LevelEntry(
                j.country,
                lv.level,
                j.programme,
                j.assessed_at,
                j.interim,
                lv.score,
                lv.band,
                lv.results,
                lv.banded,
            )
            for j in ordered
            for lv in j.levels
        ),
        design=tuple(
            DesignEntry(
                j.country,
                j.programme,
                j.assessed_at,
                j.interim,
                j.design_score,
                j.validity,
                j.tested_coverage,
                j.validity_untested,
            )
            for j in ordered
        ),
        indicators=aggregate_indicators(ordered),
        lessons=tuple(lesson for row in link_rows if (lesson := _lesson(row, interim)) is not None),
        refused=tuple(sorted(refused, key=lambda r: r.path)),
    )


def _distinct(programmes: Iterable[Judgements]) -> list[Judgements]:
    """Programmes named so that each is one column: an id given by two folders (two
    reviews of one programme, say) becomes `ID @ DATE`, and `ID @ DATE (FOLDER)` if the
    dates are the same too."""
    found = list(programmes)
    ids = Counter(j.programme for j in found)
    dated = Counter((j.programme, j.assessed_at) for j in found)
    named = []
    for j in found:
        if ids[j.programme] > 1:
            label = f"{j.programme} @ {j.assessed_at.isoformat()}"
            if dated[(j.programme, j.assessed_at)] > 1:
                label += f" ({j.path})"
            j = replace(j, programme=label)
        named.append(j)
    return named


def _link_cell(j: Judgements, link: LinkJudgement) -> LinkCell:
    return LinkCell(
        j.programme,
        j.country,
        j.assessed_at,
        link.id,
        link.verdict,
        link.reason,
        link.posterior,
        link.confidence,
        link.failed_assumptions,
        link.interim,
    )


def _link_rows(programmes: Sequence[Judgements]) -> tuple[LinkRow, ...]:
    rows: dict[str, tuple[str, str, list[LinkCell]]] = {}
    for j in programmes:
        for link in j.links:
            keys = []
            if link.pattern:
                keys.append((f"pattern:{link.pattern}", "pattern", link.pattern))
            if j.model:
                keys.append((f"model:{j.model}:{link.id}", "model", f"{j.model}: {link.id}"))
            for key, kind, name in keys:
                rows.setdefault(key, (kind, name, []))[2].append(_link_cell(j, link))
    return tuple(
        LinkRow(key, kind, name, tuple(cells))
        for key, (kind, name, cells) in sorted(rows.items(), key=_row_order)
        if kind == "pattern" or len({c.programme for c in cells}) > 1
    )


def _row_order(item: tuple[str, tuple[str, str, Any]]) -> tuple[int, str]:
    key, (kind, _name, _cells) = item
    return (0 if kind == "pattern" else 1, key)


def _assumption_rows(programmes: Sequence[Judgements]) -> tuple[AssumptionRow, ...]:
    rows: dict[str, tuple[str, str, list[AssumptionCell]]] = {}
    for j in programmes:
        for a in j.assumptions:
            keys = []
            if a.pattern:
                keys.append((f"pattern:{a.pattern}", "pattern", a.pattern))
            if j.model:
                keys.append((f"model:{j.model}:{a.id}", "model", f"{j.model}: {a.id}"))
            for key, kind, name in keys:
                rows.setdefault(key, (kind, name, []))[2].append(_assumption_cell(j, a))
    return tuple(
        AssumptionRow(key, kind, name, tuple(cells))
        for key, (kind, name, cells) in sorted(rows.items(), key=_row_order)
        if kind == "pattern" or len({c.programme for c in cells}) > 1
    )


def _assumption_cell(j: Judgements, a: AssumptionJudgement) -> AssumptionCell:
    return AssumptionCell(j.programme, j.country, j.assessed_at, a.id, a.state, a.posterior)


def _by_country(cells: Sequence[LinkCell]) -> str:
    """'3 programmes (BD, NP)': how many, and where, without listing every programme."""
    countries = sorted({c.country or "no country" for c in cells})
    plural = "s" if len(cells) != 1 else ""
    return f"{len(cells)} programme{plural} ({', '.join(countries)})"


def _failures(cells: Sequence[LinkCell]) -> str:
    """Per country, what the link failed on: its failed assumptions, or its mechanism."""
    reasons: dict[str, set[str]] = {}
    for cell in cells:
        found = reasons.setdefault(cell.country or "no country", set())
        if cell.verdict == "theory_failure_assumption" and cell.failed_assumptions:
            found.update(f"on {a}" for a in cell.failed_assumptions)
        else:
            found.add("in its mechanism")
    return "; ".join(
        f"{country} {', '.join(sorted(why))}" for country, why in sorted(reasons.items())
    )


def _lesson(row: LinkRow, interim: set[str]) -> Lesson | None:
    """Which kind of lesson the row's verdicts make, in words taken from the data."""
    tested = row.tested
    held = [c for c in tested if c.verdict == "theory_held"]
    failed = [c for c in tested if c.verdict.startswith("theory_failure")]
    few = f"; tested in fewer than {FEW_CONTEXTS} programmes" if row.few_contexts else ""
    early = sum(1 for c in tested if c.programme in interim)
    if early:
        few += f"; {early} of the {len(tested)} tested from interim reviews"
    if not tested:
        if row.cells and all(c.verdict == "implementation_failure" for c in row.cells):
            return Lesson(
                "not_implemented",
                row.key,
                f"{row.name}: not implemented in {_by_country(row.cells)}",
            )
        return None
    if held and not failed:
        return Lesson(
            "travelled",
            row.key,
            f"{row.name}: held in {len(held)} of {len(tested)} tested programmes"
            f" ({', '.join(sorted({c.country or 'no country' for c in held}))}){few}",
        )
    failures = f"failed in {_by_country(failed)}: {_failures(failed)}" if failed else ""
    if held and failed:
        return Lesson(
            "did_not_travel", row.key, f"{row.name}: held in {_by_country(held)}; {failures}{few}"
        )
    if failed:
        return Lesson("failed", row.key, f"{row.name}: {failures}{few}")
    return None
