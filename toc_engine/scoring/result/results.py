"""What scoring finds of results and links: delivery, evidence, hypotheses, verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .indicators import JSON, IndicatorScore, num, rounded


@dataclass(frozen=True, slots=True)
class Delivery:
    score: Decimal | None  # 100·D rounded to 9 places; None without assessed indicators
    band: str  # A++ | A+ | A | B | C | insufficient_evidence
    band_label: str
    d: Decimal | None = None
    steps: Sequence[str] = ()  # for --explain (Lines)
    interim: bool = False  # from indicators not yet due (scoring.md §7)
    due: date | None = None  # when the first of those falls due

    def to_json(self) -> JSON:
        return {"score": num(self.score), "band": self.band, "band_label": self.band_label,
                "interim": self.interim, "due": self.due.isoformat() if self.due else None}


@dataclass(frozen=True, slots=True)
class ClaimEffect:
    """One claim's contribution to a hypothesis, with the reason it was used or not."""

    evidence: str
    claim: int  # index of the claim in its evidence item
    kind: str
    finding: str
    found: bool
    test: str | None
    sensitivity: float | None  # None when the claim cannot be used
    false_positive: float | None
    lr: float | None  # before tempering
    temper: float
    tempered_lr: float | None
    used: bool
    note: str
    package: str | None
    sensitive: bool
    quote: str | None  # None when withheld or absent
    summary: str | None
    withheld: bool
    methodology: str
    groups: tuple[str, ...] = ()

    def to_json(self) -> JSON:
        return {
            "evidence": self.evidence,
            "claim": self.claim,
            "kind": self.kind,
            "finding": self.finding,
            "found": self.found,
            "test": self.test,
            "sensitivity": rounded(self.sensitivity, 6),
            "false_positive": rounded(self.false_positive, 6),
            "likelihood_ratio": rounded(self.lr, 6),
            "temper": self.temper,
            "tempered_likelihood_ratio": rounded(self.tempered_lr, 6),
            "used": self.used,
            "note": self.note or None,
            "package": self.package,
            "sensitive": self.sensitive,
            "withheld": self.withheld,
            "summary": self.summary,
            "quote": self.quote,
        }


@dataclass(frozen=True, slots=True)
class Hypothesis:
    """A hypothesis (result, link, assumption, rival) and its qualitative posterior."""

    id: str
    kind: str  # result | link | assumption | rival
    prior: float
    posterior: float | None  # None without claims
    band: str
    effects: tuple[ClaimEffect, ...] = ()
    exact: float | None = None  # the posterior before rounding, which thresholds read

    @property
    def judged(self) -> float | None:
        """The posterior the thresholds (0.3, 0.5, 0.7) apply to: the exact one."""
        return self.exact if self.exact is not None else self.posterior

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "kind": self.kind,
            "prior": self.prior,
            "posterior": self.posterior,
            "posterior_band": self.band,
            "claims": [e.to_json() for e in self.effects],
        }


@dataclass(frozen=True, slots=True)
class ResultScore:
    id: str
    level: str
    statement: str
    weight: Decimal
    indicators: tuple[IndicatorScore, ...]
    delivery: Delivery
    state: str  # achieved | not_achieved | unknown
    state_reason: str
    hypothesis: Hypothesis
    confidence: str
    confidence_reasons: tuple[str, ...]
    disagreement: bool = False
    coherence_note: str | None = None

    @property
    def posterior(self) -> float | None:
        return self.hypothesis.posterior

    @property
    def posterior_band(self) -> str:
        return self.hypothesis.band

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "level": self.level,
            "statement": self.statement,
            "weight": num(self.weight),
            "indicators": [i.to_json() for i in self.indicators],
            "delivery": self.delivery.to_json(),
            "state": self.state,
            "state_reason": self.state_reason,
            "posterior": self.posterior,
            "posterior_band": self.posterior_band,
            "confidence": self.confidence,
            "confidence_reasons": list(self.confidence_reasons),
            "disagreement": self.disagreement,
            "coherence_note": self.coherence_note,
            "claims": [e.to_json() for e in self.hypothesis.effects],
        }


@dataclass(frozen=True, slots=True)
class AssumptionScore:
    id: str
    statement: str
    declared: str
    state: str  # holds | at_risk | failed | unknown
    reason: str
    hypothesis: Hypothesis

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "statement": self.statement,
            "declared_status": self.declared,
            "state": self.state,
            "reason": self.reason,
            "posterior": self.hypothesis.posterior,
            "posterior_band": self.hypothesis.band,
        }


@dataclass(frozen=True, slots=True)
class RivalScore:
    id: str
    statement: str
    hypothesis: Hypothesis

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "statement": self.statement,
            "posterior": self.hypothesis.posterior,
            "posterior_band": self.hypothesis.band,
        }


@dataclass(frozen=True, slots=True)
class LinkScore:
    source: str
    target: str
    weight: Decimal
    verdict: str
    rule: int  # the row of scoring.md §5's table that matched
    reason: str
    hypothesis: Hypothesis
    rivals: tuple[RivalScore, ...]
    assumptions: tuple[str, ...]
    lag: str | None
    confidence: str
    confidence_reasons: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.source} -> {self.target}"

    @property
    def posterior(self) -> float | None:
        return self.hypothesis.posterior

    def to_json(self) -> JSON:
        return {
            "source": self.source,
            "target": self.target,
            "from": self.source,  # deprecated names of the two ends, kept for old readers
            "to": self.target,
            "weight": num(self.weight),
            "verdict": self.verdict,
            "rule": self.rule,
            "posterior": self.posterior,
            "posterior_band": self.hypothesis.band,
            "reason": self.reason,
            "assumptions": list(self.assumptions),
            "rivals": [r.to_json() for r in self.rivals],
            "lag": self.lag,
            "confidence": self.confidence,
            "confidence_reasons": list(self.confidence_reasons),
            "claims": [e.to_json() for e in self.hypothesis.effects],
        }
