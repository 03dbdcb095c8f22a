"""Score a validated programme: the order of the stages of scoring.md, and nothing else.

Pure: no I/O, no printing, nothing kept between calls (what a call shares between its
indicators lives in its `ScoringContext`). Findings (TOC408, TOC330) are returned with the
score, and located through the caller's source map when one is given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal

from ..findings.diagnostic import Diagnostic, Span
from ..findings.scoring import EVIDENCE_DISAGREEMENT, UNWEIGHTED_MEAN
from ..schema.model import Evidence, Programme, Result, Scale
from .arith import fmt
from .bayes import link_id, posteriors, prior_of
from .confidence import ACHIEVED, link_confidence, result_confidence
from .context import ScoringContext
from .delivery import delivery, rollup
from .design import (
    IN_PROGRESS,
    assumption_state,
    design_score,
    lag_pending,
    result_state,
    verdict,
)
from .groups import latest_only_tables
from .indicator import score_indicator
from .progress import FLAG_UNWEIGHTED
from .result import (
    AssumptionScore,
    ClaimEffect,
    Delivery,
    Gap,
    Hypothesis,
    IndicatorScore,
    LevelRollup,
    LinkScore,
    ProgrammeScore,
    ResultScore,
    RivalScore,
    Safeguarding,
)
from .safeguarding import suppress, threshold, visible, withheld_count
from .values import make_factor, missing_of, readings

Locate = Callable[[tuple[str | int, ...]], Span]


def _text(value: str | dict[str, str]) -> str:
    if isinstance(value, dict):
        return value.get("en") or next(iter(value.values()), "")
    return value


def _default_locate(path: tuple[str | int, ...]) -> Span:
    del path
    return Span(file="programme.yaml")


def _indicators(
    programme: Programme, result: Result, as_of: date, context: ScoringContext
) -> tuple[list[IndicatorScore], int]:
    scores, hidden = [], 0
    for indicator in result.indicators:
        one, count = suppress(
            score_indicator(indicator, as_of, context), threshold(programme, indicator)
        )
        gaps = missing_of(indicator)
        scores.append(replace(one, missing=gaps) if gaps else one)
        hidden += count
    return scores, hidden


def score(
    programme: Programme,
    *,
    include_sensitive: bool = False,
    locate: Locate | None = None,
) -> ProgrammeScore:
    """Delivery, confidence, link verdicts and design score for one programme."""
    return _score(programme, include_sensitive, locate)


def _score(
    programme: Programme, include_sensitive: bool, locate: Locate | None
) -> ProgrammeScore:
    where = locate or _default_locate
    as_of = programme.programme.as_of
    context = ScoringContext(make_factor(programme.units))
    scale = programme.scoring.scale
    notes: list[str] = []
    _, prior_note = prior_of(programme)
    if prior_note:
        notes.append(prior_note)

    kinds: dict[str, str] = {r.id: "result" for r in programme.results}
    kinds.update({a.id: "assumption" for a in programme.assumptions})
    link_ids: list[str] = []  # link_id of every link, in the order of the loop over links
    for r in programme.results:
        for link in r.contributes_to:
            lid = link_id(r.id, link.to)
            link_ids.append(lid)
            kinds[lid] = "link"
            for rival in link.rivals:
                kinds[rival.id] = "rival"
    hyps = posteriors(programme, kinds, include_sensitive)
    evidence = {e.id: e for e in programme.evidence}

    results: list[ResultScore] = []
    findings: list[Diagnostic] = []
    suppressed = 0
    # The large CSV tables the indicators read only the latest rows of are worked out
    # together (a national file is split into tens of thousands of small tables).
    context.tables.prefetch(
        (t for r in programme.results for i in r.indicators for t in latest_only_tables(i)),
        as_of,
    )
    for index, result in enumerate(programme.results):
        scores, hidden = _indicators(programme, result, as_of, context)
        suppressed += hidden
        _unweighted(scores, index, findings, where)
        results.append(_result_score(result, scores, scale, hyps, evidence, findings,
                                     where, index))
    states = {r.id: r.state for r in results}
    dues = {r.id: r.delivery.due for r in results if r.delivery.interim}
    by_result = {r.id: r for r in programme.results}

    assumptions = []
    assumption_states: dict[str, str] = {}
    for a in programme.assumptions:
        state, why = assumption_state(a.status, hyps[a.id])
        assumption_states[a.id] = state
        assumptions.append(
            AssumptionScore(a.id, _text(a.statement), a.status.value, state, why, hyps[a.id])
        )

    achieved_cache: dict[str, date | None] = {}

    def achieved_on(result_id: str) -> date | None:
        if result_id not in achieved_cache:
            achieved_cache[result_id] = _first_achieved(
                programme, by_result[result_id], as_of, context, hyps[result_id].effects
            )
        return achieved_cache[result_id]

    links: list[LinkScore] = []
    lids = iter(link_ids)
    for result in programme.results:
        source_state = states.get(result.id)
        for link in result.contributes_to:
            link_hyp = hyps[next(lids)]
            rivals = tuple(RivalScore(r.id, _text(r.statement), hyps[r.id]) for r in link.rivals)
            if link.assumptions:
                failed = sorted(
                    a for a in link.assumptions if assumption_states.get(a) == "failed"
                )
                at_risk = sorted(
                    a for a in link.assumptions if assumption_states.get(a) == "at_risk"
                )
            else:
                failed, at_risk = [], []
            pending = None
            if source_state == "achieved" and states.get(link.to, "unknown") != "unknown":
                pending = lag_pending(link, result.id, achieved_on, as_of)
            row, name, reason = verdict(
                result.id,
                link.to,
                states,
                link_hyp,
                [r.hypothesis for r in rivals],
                failed,
                pending,
                dues,
            )
            judgement = link_confidence(link_hyp, at_risk, evidence)
            links.append(
                LinkScore(
                    source=result.id,
                    target=link.to,
                    weight=link.weight,
                    verdict=name,
                    rule=row,
                    reason=reason,
                    hypothesis=link_hyp,
                    rivals=rivals,
                    assumptions=tuple(link.assumptions),
                    lag=link.lag.text if link.lag else None,
                    confidence=judgement.level,
                    confidence_reasons=judgement.reasons,
                )
            )

    gaps = []
    for item in sorted(programme.evidence, key=lambda e: e.id):
        for outcome in item.unanticipated:
            text, withheld = visible(item, outcome.statement, include_sensitive)
            gaps.append(Gap(item.id, text, outcome.valence.value, outcome.result, withheld))
    design = design_score(programme, links, gaps)

    return ProgrammeScore(
        programme=programme.programme.id,
        title=_text(programme.programme.title),
        assessed_at=as_of,
        scale=scale.value,
        results=tuple(results),
        links=tuple(links),
        assumptions=tuple(assumptions),
        design=design,
        rollup=_rollup(programme, results),
        safeguarding=Safeguarding(
            include_sensitive=include_sensitive,
            withheld_items=withheld_count(programme.evidence, include_sensitive),
            suppressed_cells=suppressed,
            threshold=max(3, programme.scoring.suppress_below),
        ),
        findings=tuple(findings),
        notes=tuple(notes),
    )


def _unweighted(scores: list[IndicatorScore], index: int, findings: list[Diagnostic],
                where: Locate) -> None:
    """TOC330 for each indicator whose total is a weighted mean taken without weights."""
    for k, one in enumerate(scores):
        if FLAG_UNWEIGHTED in one.flags:
            path = ("results", index, "indicators", k)
            period = one.actual.period if one.actual else "the latest period"
            findings.append(UNWEIGHTED_MEAN(
                f"indicator {one.id}: the total of {period} is a weighted mean of its site "
                "rows, but not every row gives a sample size, so a plain mean was used",
                where(path),
                hint="add `sample_size` to every site row of the period, give a total row, "
                "or set `aggregation: mean` if a plain mean is meant",
                path=path,
            ))


def _result_score(
    result: Result,
    scores: list[IndicatorScore],
    scale: Scale,
    hyps: Mapping[str, Hypothesis],
    evidence: Mapping[str, Evidence],
    findings: list[Diagnostic],
    where: Locate,
    index: int,
) -> ResultScore:
    """One result's delivery, state and confidence from its indicators' scores; a
    disagreement between them and the qualitative evidence is added to `findings`."""
    dlv = delivery(scores, scale)
    hyp = hyps[result.id]
    state, why = result_state(dlv.d, hyp, dlv.interim, dlv.due)
    # An interim D below 0.625 is progress, not a shortfall the evidence could contradict.
    judgement = result_confidence(result, scores, hyp, evidence,
                                  None if state == IN_PROGRESS else dlv.d)
    if judgement.disagreement and not result.coherence_note:
        findings.append(
            EVIDENCE_DISAGREEMENT(
                f"result {result.id}: indicators give D = {fmt(dlv.d)} "
                f"(band {dlv.band}) but the qualitative posterior is {hyp.posterior}",
                where(("results", index)),
                hint="check the evidence and the indicator data; if both stand, record "
                "why under `coherence_note`",
                path=("results", index),
            )
        )
    return ResultScore(
        id=result.id,
        level=result.level,
        statement=_text(result.statement),
        weight=result.weight,
        indicators=tuple(scores),
        delivery=dlv,
        state=state,
        state_reason=why,
        hypothesis=hyp,
        confidence=judgement.level,
        confidence_reasons=judgement.reasons,
        disagreement=judgement.disagreement,
        coherence_note=_text(result.coherence_note) if result.coherence_note else None,
    )


def _rollup(programme: Programme, results: list[ResultScore]) -> tuple[LevelRollup, ...]:
    scale = programme.scoring.scale
    order = list(programme.levels) + sorted({r.level for r in results} - set(programme.levels))
    by_level: dict[str, list[tuple[str, Decimal, Delivery]]] = {}
    for r in results:
        held = by_level.get(r.level)
        if held is None:
            by_level[r.level] = [(r.id, r.weight, r.delivery)]
        else:
            held.append((r.id, r.weight, r.delivery))
    out = []
    for level in order:
        members = by_level.get(level)
        if members:
            out.append(rollup(level, members, scale))
    return tuple(out)


def _first_achieved(
    programme: Programme,
    result: Result,
    as_of: date,
    context: ScoringContext,
    effects: tuple[ClaimEffect, ...],
) -> date | None:
    """When X was first achieved: the end of the first observation period with D ≥ 0.625.

    Without indicator data, the earliest dated evidence item that raises the odds
    that X happened stands in for it.
    """
    ends = sorted(
        {
            min(o.period.end, as_of)
            for i in result.indicators
            for o in readings(i.observations)
            if o.period.start <= as_of
        }
    )
    for day in ends:
        scores = [score_indicator(i, day, context) for i in result.indicators]
        d = delivery(scores, programme.scoring.scale).d
        if d is not None and d >= ACHIEVED:
            return day
    if any(s.status == "assessed" for s in (score_indicator(i, as_of, context)
                                            for i in result.indicators)):
        return None
    dated: list[date] = []
    by_id = {e.id: e for e in programme.evidence}
    for effect in effects:
        item = by_id.get(effect.evidence)
        ratio = effect.tempered_lr
        if item is not None and item.date is not None and ratio is not None and ratio > 1:
            dated.append(item.date.end)
    return min(dated) if dated else None

