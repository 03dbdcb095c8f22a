"""One programme reduced to the judgements a portfolio compares.

A portfolio holds hundreds of programmes; a scored programme holds every observation
and claim behind its numbers. `judgements()` keeps only what the comparison reads (link
verdicts, assumption states, level roll-ups, library indicators' latest values) as small
frozen, picklable records, so a worker process can send them back and the programme
itself can be freed before the next one is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ...schema.model import Programme
from ..result import ProgrammeScore

INTERIM_STATES = frozenset({"in_progress"})
"""Result states that mean "too early to judge" (scoring.md §7)."""


@dataclass(frozen=True, slots=True)
class LinkJudgement:
    source: str
    target: str
    pattern: str | None
    verdict: str
    reason: str
    posterior: float | None
    confidence: str
    assumptions: tuple[str, ...]
    failed_assumptions: tuple[str, ...]  # ids of the link's assumptions whose state is failed
    interim: bool  # a result of the link is still in progress (its target not yet due)

    @property
    def id(self) -> str:
        return f"{self.source} -> {self.target}"


@dataclass(frozen=True, slots=True)
class AssumptionJudgement:
    id: str
    pattern: str | None
    statement: str
    state: str
    posterior: float | None


@dataclass(frozen=True, slots=True)
class LevelJudgement:
    level: str
    score: Decimal | None
    band: str
    results: int
    banded: int


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    """A library indicator's latest value in one programme, as its score reports it."""

    use: str
    id: str
    name: str
    definition: str | None
    measure: str
    unit: str | None
    aggregation: str
    status: str
    value: Decimal | None
    period: str | None
    sample_size: int | None
    sensitive: bool
    unit_definitions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Judgements:
    """Everything a portfolio compares about one programme."""

    path: str
    programme: str
    title: str
    country: str | None
    model: str | None
    period_start: date
    period_end: date
    assessed_at: date
    links: tuple[LinkJudgement, ...]
    assumptions: tuple[AssumptionJudgement, ...]
    levels: tuple[LevelJudgement, ...]
    design_score: Decimal
    validity: Decimal | None
    tested_coverage: Decimal
    validity_untested: bool
    indicators: tuple[IndicatorValue, ...]

    @property
    def interim(self) -> bool:
        """Assessed before the programme's period ended: a mid-term or annual review."""
        return self.assessed_at < self.period_end


def judgements(path: str, programme: Programme, scored: ProgrammeScore) -> Judgements:
    """Reduce a scored programme to what a portfolio compares."""
    info = programme.programme
    patterns = {
        (result.id, link.to): link.pattern
        for result in programme.results
        for link in result.contributes_to
    }
    assumption_patterns = {a.id: a.pattern for a in programme.assumptions}
    states = {r.id: r.state for r in scored.results}
    assumption_states = {a.id: a.state for a in scored.assumptions}
    links = tuple(
        LinkJudgement(
            source=link.source,
            target=link.target,
            pattern=patterns.get((link.source, link.target)),
            verdict=link.verdict,
            reason=link.reason,
            posterior=link.posterior,
            confidence=link.confidence,
            assumptions=tuple(link.assumptions),
            failed_assumptions=tuple(
                a for a in link.assumptions if assumption_states.get(a) == "failed"
            ),
            interim=bool({states.get(link.source), states.get(link.target)} & INTERIM_STATES),
        )
        for link in scored.links
    )
    assumptions = tuple(
        AssumptionJudgement(
            id=a.id,
            pattern=assumption_patterns.get(a.id),
            statement=a.statement,
            state=a.state,
            posterior=a.hypothesis.posterior,
        )
        for a in scored.assumptions
    )
    levels = tuple(
        LevelJudgement(r.level, r.score, r.band, r.results, r.banded) for r in scored.rollup
    )
    return Judgements(
        path=path,
        programme=info.id,
        title=str(info.title),
        country=info.country,
        model=info.model,
        period_start=info.period.start,
        period_end=info.period.end,
        assessed_at=info.as_of,
        links=links,
        assumptions=assumptions,
        levels=levels,
        design_score=scored.design.score,
        validity=scored.design.validity,
        tested_coverage=scored.design.tested_coverage,
        validity_untested=scored.design.validity_untested,
        indicators=_library_indicators(programme, scored),
    )


def _library_indicators(programme: Programme, scored: ProgrammeScore) -> tuple[IndicatorValue, ...]:
    by_id = {i.id: i for r in scored.results for i in r.indicators}
    definitions = tuple(programme.units)
    found = []
    for result in programme.results:
        for indicator in result.indicators:
            if not indicator.use:
                continue
            score = by_id.get(indicator.id)
            if score is None:
                continue
            actual = score.actual
            found.append(
                IndicatorValue(
                    use=indicator.use.split("/")[-1],
                    id=indicator.id,
                    name=str(indicator.name),
                    definition=str(indicator.definition) if indicator.definition else None,
                    measure=indicator.measure.value,
                    unit=indicator.unit,
                    aggregation=indicator.effective_aggregation.value,
                    status=score.status,
                    value=actual.value if actual else None,
                    period=actual.period if actual else None,
                    sample_size=actual.sample_size if actual else None,
                    sensitive=indicator.sensitive,
                    unit_definitions=definitions,
                )
            )
    return tuple(found)
