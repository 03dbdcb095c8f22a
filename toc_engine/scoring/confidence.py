"""Confidence in each judgement (scoring.md §4, after GRADE-CERQual).

Start at high and drop one level per concern that applies, never below very
low. Every drop carries its reason, because a confidence level without the
reason cannot be acted on by the programme team.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..schema.model import Evidence, Indicator, Method, Result
from ..schema.units import names_one_sex
from .bayes import points_both_ways
from .progress import ASSESSED, FLAG_NO_BASELINE, NOT_YET_DUE
from .result import Hypothesis, IndicatorScore
from .values import has_sex_split as observations_split_by_sex

LEVELS = ("high", "moderate", "low", "very_low")
AGREE_HIGH = Decimal("0.875")
ACHIEVED = Decimal("0.625")

FAMILY_OF_METHOD: dict[str, str] = {
    Method.survey.value: "survey",
    Method.administrative.value: "records",
    Method.crime_map.value: "records",
    Method.focus_group.value: "participatory",
    Method.key_informant.value: "participatory",
    Method.score_card.value: "participatory",
    Method.observation.value: "direct observation",
}
FAMILY_OF_KIND: dict[str, str] = {
    "document": "records",
    "focus_group": "participatory",
    "key_informant": "participatory",
    "score_card": "participatory",
    "msc_story": "participatory",
    "outcome_harvest": "participatory",
    "case_study": "participatory",
    "observation": "direct observation",
    "media": "direct observation",
}
_PERSONS = """person persons people woman women man men girl girls boy boys youth youths child
children adolescent adolescents resident residents respondent respondents participant
participants member members survivor survivors student students pupil pupils individual
individuals adult adults officer officers"""
PERSON_NOUNS = frozenset(_PERSONS.split())


def lower(level: str, steps: int) -> str:
    return LEVELS[min(LEVELS.index(level) + steps, len(LEVELS) - 1)]


ONE_SEX_NOUNS = frozenset(["woman", "women", "man", "men", "girl", "girls", "boy", "boys"])


def is_person_unit(indicator: Indicator) -> bool:
    """Whether the indicator counts people of both sexes, so a split by sex can be asked
    for. A count of women (or men, girls, boys) is one sex already, as rule TOC503 says,
    and so is a count whose name speaks of one sex only ("Female police officers")."""
    return _person_unit(indicator.unit) and not names_one_sex(indicator.name)


@lru_cache(maxsize=1024)
def _person_unit(unit: str | None) -> bool:
    """`is_person_unit` of a unit as written (files repeat a handful of units)."""
    noun = (unit or "").strip().lower()
    return noun in PERSON_NOUNS and noun not in ONE_SEX_NOUNS


def needs_sex_split(indicator: Indicator) -> bool:
    return is_person_unit(indicator) or "sex" in indicator.disaggregate_by


def has_sex_split(indicator: Indicator) -> bool:
    return observations_split_by_sex(indicator.observations)


def disagree(d: Decimal | None, posterior: float | None) -> bool:
    """Quantitative and qualitative evidence point opposite ways (§4 concern 2)."""
    if d is None or posterior is None:
        return False
    return (d >= AGREE_HIGH and posterior < 0.3) or (d < ACHIEVED and posterior > 0.7)


def _methodology(hyp: Hypothesis, evidence: Mapping[str, Evidence]) -> str | None:
    if not hyp.effects:
        return None
    items = sorted({e.evidence for e in hyp.effects})
    weak = [i for i in items if evidence[i].quality.methodology.value in ("moderate", "serious")]
    if items and 2 * len(weak) > len(items):
        return (
            f"{len(weak)} of {len(items)} evidence items carry a moderate or serious "
            f"methodology concern ({', '.join(weak)})"
        )
    return None


def _families(hyp: Hypothesis, methods: Sequence[str]) -> set[str]:
    families = {FAMILY_OF_KIND[e.kind] for e in hyp.effects if e.kind in FAMILY_OF_KIND}
    families |= {FAMILY_OF_METHOD[m] for m in methods if m in FAMILY_OF_METHOD}
    return families


@dataclass(frozen=True)
class Judgement:
    level: str
    reasons: tuple[str, ...]
    disagreement: bool


def result_confidence(
    result: Result,
    scores: Sequence[IndicatorScore],
    hyp: Hypothesis,
    evidence: Mapping[str, Evidence],
    d: Decimal | None,
) -> Judgement:
    reasons: list[str] = []
    # The indicators behind D: the assessed ones, or for an interim D the ones not yet due.
    assessed = ([s for s in scores if s.status == ASSESSED]
                or [s for s in scores if s.status == NOT_YET_DUE])
    # 1. Methodological limitations (counted once however many apply).
    limits = []
    weak = _methodology(hyp, evidence)
    if weak:
        limits.append(weak)
    for s in assessed:
        missing = []
        if FLAG_NO_BASELINE in s.flags:
            missing.append("a baseline")
        if not s.has_method:
            missing.append("a method")
        if not s.has_source:
            missing.append("a source")
        if missing:
            limits.append(f"indicator {s.id} lacks {' and '.join(missing)}")
    if limits:
        reasons.append("methodological limitations: " + "; ".join(limits))
    # 2. Coherence.
    posterior = hyp.posterior
    disagreement = disagree(d, hyp.judged)
    both_ways = points_both_ways(hyp)
    if (disagreement or both_ways) and not result.coherence_note:
        parts = []
        if disagreement:
            parts.append(
                f"delivery D = {d} but the qualitative posterior is {posterior}"
            )
        if both_ways:
            parts.append("claims about this result point both ways")
        reasons.append(
            "coherence: " + "; ".join(parts) + " (no coherence_note explains it)"
        )
    # 3. Adequacy.
    methods: list[str] = []
    if assessed:
        by_id = {i.id: i for i in result.indicators}
        methods = [m.value for s in assessed if (m := by_id[s.id].method) is not None]
    families = _families(hyp, methods)
    if len(families) < 2:
        have = ", ".join(sorted(families)) or "none"
        reasons.append(f"adequacy: fewer than two method families behind it ({have})")
    # 4. Relevance and voice.
    voice = []
    community = any(i.chosen_by is not None and i.chosen_by.value == "community"
                    for i in result.indicators)
    groups = any(e.groups for e in hyp.effects)
    if not community and not groups:
        voice.append("no community-chosen indicator and no evidence naming participant groups")
    unsplit = [i for i in result.indicators if needs_sex_split(i) and not has_sex_split(i)]
    for indicator in sorted(unsplit, key=lambda i: i.id):
        voice.append(f"indicator {indicator.id} counts people but has no sex-disaggregated "
                     "observation")
    if voice:
        reasons.append("relevance and voice: " + "; ".join(voice))
    return Judgement(lower("high", len(reasons)), tuple(reasons), disagreement)


def link_confidence(
    hyp: Hypothesis, at_risk: Sequence[str], evidence: Mapping[str, Evidence]
) -> Judgement:
    """Confidence in a link verdict: its own evidence, and assumptions at risk."""
    if not hyp.effects and not at_risk:
        return _NO_LINK_EVIDENCE  # most links of a national file: what the steps below give
    reasons: list[str] = []
    if at_risk:
        reasons.append(f"assumption at risk: {', '.join(sorted(at_risk))}")
    weak = _methodology(hyp, evidence)
    if weak:
        reasons.append("methodological limitations: " + weak)
    if points_both_ways(hyp):
        reasons.append("coherence: claims about this link point both ways")
    families = _families(hyp, [])
    if len(families) < 2:
        have = ", ".join(sorted(families)) or "none"
        reasons.append(f"adequacy: fewer than two method families about the link ({have})")
    return Judgement(lower("high", len(reasons)), tuple(reasons), False)


_NO_LINK_EVIDENCE = Judgement(
    lower("high", 1),
    ("adequacy: fewer than two method families about the link (none)",),
    False,
)
