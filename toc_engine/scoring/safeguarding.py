"""Safeguarding in every output (scoring.md §6): withhold sensitive text, suppress small cells.

Measuring gender-based violence must not put survivors at risk. Redaction and
suppression happen while the score objects are built, so no formatter can
forget them: a value that is withheld here never reaches any output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from ..schema.model import Evidence, Indicator, Measure, Programme
from .result import IndicatorScore, SeriesScore

MIN_THRESHOLD = 3
WITHHELD = "[withheld: sensitive evidence; use --include-sensitive]"


def visible(
    evidence: Evidence, text: str | dict[str, str] | None, include_sensitive: bool
) -> tuple[str | None, bool]:
    """The text as it may be shown, and whether it was withheld."""
    if text is None:
        return None, False
    if evidence.sensitive and not include_sensitive:
        return None, True
    if isinstance(text, dict):
        return text.get("en") or next(iter(text.values()), ""), False
    return text, False


def threshold(programme: Programme, indicator: Indicator) -> int:
    """Cells below this are hidden; never below 3, whatever the file says."""
    configured = indicator.suppress_below or programme.scoring.suppress_below
    return max(MIN_THRESHOLD, configured)


def cell_count(series: SeriesScore, measure: str) -> Decimal | None:
    """The count a cell reveals: cases for counts; respondents or cases for shares."""
    actual = series.actual
    if actual is None or actual.value is None:
        return None
    if measure == Measure.unit.value:
        return actual.value
    if actual.sample_size is None:
        return None
    respondents = Decimal(actual.sample_size)
    if measure == Measure.percentage.value:
        cases = actual.value * respondents / 100
        return min(respondents, cases)
    return respondents


def _breakdown(series: SeriesScore) -> tuple[bool, tuple[str, ...]]:
    """Cells of one breakdown: site rows, or the same set of dimension names."""
    return (series.site is not None, tuple(k for k, _ in series.dimensions))


def _hide(series: SeriesScore, why: str) -> SeriesScore:
    return series._replace(
        actual=None,
        target=None,
        progress=None,
        progress_clamped=None,
        share_of_total=None,
        suppressed=True,
        suppression=why,
    )


def suppress(score: IndicatorScore, limit: int) -> tuple[IndicatorScore, int]:
    """Primary suppression below `limit`, plus one complementary cell per breakdown."""
    if not score.sensitive or not score.series:
        return score, 0
    cells = list(score.series)
    counts = [cell_count(s, score.measure) for s in cells]
    hidden = [c is not None and c < limit for c in counts]
    groups: dict[tuple[bool, tuple[str, ...]], list[int]] = {}
    for index, cell in enumerate(cells):
        groups.setdefault(_breakdown(cell), []).append(index)
    complementary: set[int] = set()
    for members in groups.values():
        primary = [i for i in members if hidden[i]]
        others = [i for i in members if not hidden[i]]
        if len(primary) == 1 and others:
            # The smallest remaining cell: the one that reveals least when hidden.
            def size(i: int) -> tuple[Decimal, str]:
                count = counts[i]
                return (count if count is not None else Decimal(0), cells[i].label)

            complementary.add(min(others, key=size))
    out: list[SeriesScore] = []
    for index, cell in enumerate(cells):
        if hidden[index]:
            out.append(_hide(cell, f"fewer than {limit} cases or respondents"))
        elif index in complementary:
            out.append(_hide(cell, "complementary suppression (protects a small cell)"))
        else:
            out.append(cell)
    count = sum(hidden) + len(complementary)
    return replace(score, series=tuple(out)), count


def withheld_count(evidence: Sequence[Evidence], include_sensitive: bool) -> int:
    if include_sensitive:
        return 0
    return sum(
        1
        for e in evidence
        if e.sensitive and (e.summary is not None or any(c.quote for c in e.claims))
    )
