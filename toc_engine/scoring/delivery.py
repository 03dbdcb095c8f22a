"""Delivery of a result and the DFID-style roll-up (scoring.md §2).

Bands follow DFID's written guideline (PQCalculationGuideline): A++ above
137.5, A+ above 112.5, A from 87.5, B from 62.5, C below. Scores are rounded
to nine places before banding so a boundary value always lands in one band.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..schema.model import Scale
from .arith import HUNDRED, ZERO, fmt, q9
from .result import Delivery, IndicatorScore, LevelRollup, Lines

INSUFFICIENT = "insufficient_evidence"
BANDS = ("A++", "A+", "A", "B", "C")
RUBRIC = {
    "A++": "excellent",
    "A+": "very good",
    "A": "good",
    "B": "adequate",
    "C": "poor",
    INSUFFICIENT: "insufficient evidence",
}
POINTS = {"A++": Decimal(150), "A+": Decimal(125), "A": Decimal(100), "B": Decimal(75),
          "C": Decimal(50)}


def band(score: Decimal) -> str:
    """The band of a score on the 0-150 scale, decided after rounding to nine places."""
    value = q9(score)
    if value > _A_PLUS_PLUS:
        return "A++"
    if value > _A_PLUS:
        return "A+"
    if value >= _A:
        return "A"
    if value >= _B:
        return "B"
    return "C"


_A_PLUS_PLUS, _A_PLUS, _A, _B = Decimal("137.5"), Decimal("112.5"), Decimal("87.5"), Decimal("62.5")


def band_label(code: str, scale: Scale) -> str:
    if scale is Scale.rubric:
        return RUBRIC[code]
    return "insufficient evidence" if code == INSUFFICIENT else code


_NOTHING_ASSESSED = ("no assessed indicator: insufficient evidence",)


def delivery(indicators: Sequence[IndicatorScore], scale: Scale) -> Delivery:
    """D = Σ wᵢ·pᵢ / Σ wᵢ over assessed indicators (clamped p); score = 100·D. With none,
    an interim D from the `not_yet_due` ones (scoring.md §7)."""
    used = [i for i in indicators if i.status == "assessed" and i.progress_clamped is not None]
    interim = False
    if not used:
        used = [i for i in indicators
                if i.status == "not_yet_due" and i.progress_clamped is not None]
        interim = bool(used)
    if not used:
        return Delivery(None, INSUFFICIENT, band_label(INSUFFICIENT, scale), None,
                        _NOTHING_ASSESSED)
    numerator = ZERO
    denominator = ZERO
    for i in used:
        numerator += i.weight * (i.progress_clamped or ZERO)
        denominator += i.weight
    d = numerator / denominator
    score = q9(HUNDRED * d)
    code = band(score)

    def terms() -> str:
        return " + ".join(f"{fmt(i.weight)}×{fmt(i.progress_clamped)}" for i in used)

    due = min((i.due for i in used if i.due is not None), default=None)
    word = "interim " if interim else ""
    writers = [
        lambda: f"{word}D = Σ w·p / Σ w = ({terms()}) / {fmt(denominator)} = {fmt(d)}",
        lambda: f"score = 100 × D = {fmt(score)} -> {word}band {code}"
        + (f" ({band_label(code, scale)})" if scale is Scale.rubric else ""),
    ]
    if interim:
        writers.insert(0, lambda: "interim: no indicator has fallen due, so D is taken from "
                       "the not-yet-due ones" + (f" (the first falls due on {due})" if due
                                                 else ""))
    return Delivery(score, code, band_label(code, scale), q9(d), Lines(writers), interim, due)


def rollup(
    level: str, results: Sequence[tuple[str, Decimal, Delivery]], scale: Scale
) -> LevelRollup:
    """Band points × weight over the weights of results that have a band."""
    banded = [(rid, w, d) for rid, w, d in results if d.band in POINTS]
    if not banded:
        return LevelRollup(level, None, INSUFFICIENT, band_label(INSUFFICIENT, scale),
                           len(results), 0, ("no result at this level has a band",))
    numerator = sum((w * POINTS[d.band] for _, w, d in banded), ZERO)
    denominator = sum((w for _, w, _ in banded), ZERO)
    score = q9(numerator / denominator)
    code = band(score)
    terms = " + ".join(f"{fmt(w)}×{fmt(POINTS[d.band])} ({rid} {d.band}"
                       + (" interim" if d.interim else "") + ")" for rid, w, d in banded)
    interim = sum(1 for _, _, d in banded if d.interim)
    steps: tuple[str, ...] = (
        f"roll-up = ({terms}) / {fmt(denominator)} = {fmt(score)} -> {code}",)
    if interim:
        steps += (f"{interim} of the {len(banded)} banded results are interim "
                  "(their targets have not fallen due)",)
    return LevelRollup(level, score, code, band_label(code, scale), len(results), len(banded),
                       steps, interim)
