"""Qualitative evidence as Bayesian updating (scoring.md §3, contribution tracing).

Each claim multiplies the odds of one hypothesis by its likelihood ratio,
tempered by methodological concern; items of one `package` share a source, so
only the package's strongest item counts. Log-odds in float are fine here:
posteriors are reported to four places, but banded and compared with thresholds
unrounded (`Hypothesis.exact`), so 0.29996 is below 0.3 although it prints as 0.3.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import NamedTuple

from ..schema.model import Concern, Evidence, Finding, Programme, TestType
from .result import ClaimEffect, Hypothesis
from .safeguarding import visible

NO_EVIDENCE = "no_qualitative_evidence"

# Van Evera tests (engine convention, after Collier 2011): (sensitivity, false positive rate).
TEST_DEFAULTS: dict[TestType, tuple[float, float]] = {
    TestType.straw_in_the_wind: (0.6, 0.4),
    TestType.hoop: (0.95, 0.6),
    TestType.smoking_gun: (0.3, 0.03),
    TestType.doubly_decisive: (0.95, 0.05),
}
TEMPER: dict[Concern, float] = {
    Concern.none: 1.0,
    Concern.minor: 0.75,
    Concern.moderate: 0.5,
    Concern.serious: 0.25,
}
BANDS: tuple[tuple[float, str], ...] = (
    (0.5, "not_supported"),
    (0.7, "more_confident_than_not"),
    (0.85, "cautiously_confident"),
    (0.95, "confident"),
    (0.99, "reasonably_certain"),
)
BAND_WORDS = {
    "not_supported": "not supported",
    "more_confident_than_not": "more confident than not",
    "cautiously_confident": "cautiously confident",
    "confident": "confident",
    "reasonably_certain": "reasonably certain",
    "practically_certain": "practically certain",
    NO_EVIDENCE: "no qualitative evidence",
}


def posterior_band(posterior: float | None) -> str:
    """Befani & Stedman-Bryce's verbal bands; each lower bound belongs to the band above it."""
    if posterior is None:
        return NO_EVIDENCE
    for upper, name in BANDS:
        if posterior < upper:
            return name
    return "reasonably_certain" if posterior <= 0.99 else "practically_certain"


def link_id(source: str, target: str) -> str:
    return f"{source} -> {target}"


def normalise_about(about: str) -> str:
    """`a->b`, `a -> b` and `a  ->  b` all name the same link."""
    if "->" in about:
        source, _, target = about.partition("->")
        return link_id(source.strip(), target.strip())
    return about.strip()


def logistic(log_odds: float) -> float:
    if log_odds >= 0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    z = math.exp(log_odds)
    return z / (1.0 + z)


def prior_of(programme: Programme) -> tuple[float, str]:
    prior = float(programme.scoring.prior)
    if 0.0 < prior < 1.0:
        return prior, ""
    return 0.5, f"scoring.prior {prior} is not strictly between 0 and 1; used 0.5"


class _Draft(NamedTuple):
    evidence: Evidence
    claim: int  # the index of the claim in its evidence item
    effect: ClaimEffect
    log_lr: float
    valid: bool


def _probabilities(
    claim_test: TestType | None,
    sensitivity: float | None,
    false_positive: float | None,
    tests: Mapping[TestType, tuple[float, float]],
) -> tuple[float, float] | str:
    se, alpha = tests[claim_test] if claim_test is not None else (None, None)
    se = sensitivity if sensitivity is not None else se
    alpha = false_positive if false_positive is not None else alpha
    if se is None or alpha is None:
        return "neither a test nor both probabilities given; claim ignored"
    if not (0.0 < se < 1.0 and 0.0 < alpha < 1.0):
        return "probabilities must lie strictly between 0 and 1; claim ignored"
    return se, alpha


def posteriors(
    programme: Programme, hypotheses: Mapping[str, str], include_sensitive: bool
) -> dict[str, Hypothesis]:
    """Every hypothesis's posterior from the claims about it (None when there are none)."""
    prior, _ = prior_of(programme)
    tests = dict(TEST_DEFAULTS)
    for test, override in programme.scoring.tests.items():
        tests[test] = (float(override.sensitivity), float(override.false_positive))
    drafts: dict[str, list[_Draft]] = {}
    abouts: dict[str, str] = {}  # claim.about as written -> normalised, per call
    for evidence in sorted(programme.evidence, key=lambda e: e.id):
        summary, withheld = visible(evidence, evidence.summary, include_sensitive)
        temper = TEMPER[evidence.quality.methodology]
        groups = tuple(evidence.participants.groups) if evidence.participants else ()
        kind = evidence.kind.value
        methodology = evidence.quality.methodology.value
        # Claims of one item mostly share their test and probabilities: the arithmetic
        # of each distinct combination is done once (the same floats, so the same result).
        weights: dict[tuple[object, ...], tuple[
            float | None, float | None, float | None, float | None, bool, str, float
        ]] = {}
        for index, claim in enumerate(evidence.claims):
            about = abouts.get(claim.about)
            if about is None:
                about = abouts[claim.about] = normalise_about(claim.about)
            if about not in hypotheses:
                continue
            quote, _ = visible(evidence, claim.quote, include_sensitive)
            key = (claim.test, claim.sensitivity, claim.false_positive, claim.found,
                   claim.finding)
            weight = weights.get(key)
            if weight is None:
                weight = weights[key] = _weight(
                    claim.test, claim.sensitivity, claim.false_positive, claim.found,
                    claim.finding, temper, tests,
                )
            se, alpha, lr, tempered, valid, note, log_lr = weight
            effect = ClaimEffect(
                evidence=evidence.id,
                claim=index,
                kind=kind,
                finding=claim.finding.value,
                found=claim.found,
                test=claim.test.value if claim.test else None,
                sensitivity=se,
                false_positive=alpha,
                lr=lr,
                temper=temper,
                tempered_lr=tempered,
                used=valid,
                note=note,
                package=evidence.package,
                sensitive=evidence.sensitive,
                quote=quote,
                summary=summary,
                withheld=withheld,
                methodology=methodology,
                groups=groups,
            )
            draft = _Draft(evidence, index, effect, log_lr, valid)
            held = drafts.get(about)
            if held is None:
                drafts[about] = [draft]
            else:
                held.append(draft)
    out: dict[str, Hypothesis] = {}
    prior_log_odds = math.log(prior / (1 - prior))
    for hid, kind in hypotheses.items():
        items = drafts.get(hid)
        if items is None:
            out[hid] = Hypothesis(hid, kind, prior, None, NO_EVIDENCE, ())
            continue
        effects, total = _combine(items)
        usable = any(e.used for e in effects)
        if usable:
            log_odds = prior_log_odds + total
            exact: float | None = logistic(log_odds)
            value: float | None = round(exact, 4) if exact is not None else None
        else:
            exact = value = None
        out[hid] = Hypothesis(hid, kind, prior, value, posterior_band(exact), tuple(effects),
                              exact)
    return out


def _weight(
    test: TestType | None,
    sensitivity: Decimal | None,
    false_positive: Decimal | None,
    found: bool,
    finding: Finding,
    temper: float,
    tests: Mapping[TestType, tuple[float, float]],
) -> tuple[float | None, float | None, float | None, float | None, bool, str, float]:
    """One claim's (se, alpha, lr, tempered lr, valid, note, log of the tempered lr)."""
    probs = _probabilities(
        test,
        float(sensitivity) if sensitivity is not None else None,
        float(false_positive) if false_positive is not None else None,
        tests,
    )
    if isinstance(probs, str):
        return None, None, None, None, False, probs, 0.0
    se, alpha = probs
    raw = se / alpha if found else (1 - se) / (1 - alpha)
    if finding is Finding.contradicts:
        raw = 1.0 / raw
    tempered = raw**temper
    return se, alpha, raw, tempered, True, "", math.log(tempered)


def _combine(items: list[_Draft]) -> tuple[list[ClaimEffect], float]:
    """Sum of log LRs; a package contributes only its single LR furthest from 1."""
    if all(draft.evidence.package is None for draft in items):
        # No package: every claim counts as it stands (what the loop below does then).
        return [d.effect for d in items], math.fsum([d.log_lr for d in items if d.effect.used])
    chosen: dict[str, _Draft] = {}
    for draft in items:
        package = draft.evidence.package
        if package is None or not draft.valid:
            continue
        held = chosen.get(package)
        # Furthest from 1 wins; on a tie, the one that lowers the posterior (conservative).
        if held is None or (abs(draft.log_lr), -draft.log_lr) > (abs(held.log_lr), -held.log_lr):
            chosen[package] = draft
    effects: list[ClaimEffect] = []
    used: list[float] = []
    for draft in items:
        effect = draft.effect
        package = draft.evidence.package
        if draft.valid and package is not None:
            best = chosen[package]
            if best is draft:
                others = sum(1 for d in items if d.evidence.package == package and d.valid) - 1
                note = (
                    f"strongest of package {package!r}: the only item of it that counts"
                    if others
                    else f"only item of package {package!r} about this hypothesis"
                )
                effect = _with(effect, used=True, note=note)
            else:
                effect = _with(
                    effect,
                    used=False,
                    note=(
                        f"package {package!r}: not independent of {best.evidence.id}, whose "
                        f"LR {best.effect.tempered_lr or 0:.4g} is further from 1"
                    ),
                )
        if effect.used:
            used.append(draft.log_lr)
        effects.append(effect)
    # fsum is exactly rounded, so the order of the file's lists cannot change a posterior.
    return effects, math.fsum(used)


def _with(effect: ClaimEffect, *, used: bool, note: str) -> ClaimEffect:
    return replace(effect, used=used, note=note)


def points_both_ways(hypothesis: Hypothesis) -> bool:
    """Claims about one hypothesis that pull in opposite directions."""
    ratios = [e.tempered_lr for e in hypothesis.effects if e.tempered_lr is not None]
    return any(r > 1 for r in ratios) and any(r < 1 for r in ratios)
