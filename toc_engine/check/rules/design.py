"""TOC5xx: design quality and participation; TOC6xx: safeguarding."""

from __future__ import annotations

from collections.abc import Iterator

from ...findings.diagnostic import Diagnostic, Severity
from ...findings.examples import VALID
from ...schema.model import Measure
from ...schema.observations import Extras, first_index
from ..context import Context, Path_
from ..registry import rule
from .indicators import misspelt

W = Severity.WARNING

_SENSITIVE_EVIDENCE = """\
evidence:
  - id: fgd-2012
    kind: focus_group
    sensitive: true
    site: village
    collected_by: partner
    summary: Women described harassment on the way to the well
    claims:
      - {about: people-feel-safer, finding: supports, test: hoop}
sites: [{id: village, name: The village}]
"""
_WITH_ORG = VALID.replace(
    "  period: {start: 2012-01-01, end: 2013-12-31}\n",
    "  period: {start: 2012-01-01, end: 2013-12-31}\n"
    "  organisations: [{id: partner, name: Local partner}]\n",
)


@rule(
    "TOC501",
    "missing-chosen-by",
    W,
    "design",
    VALID.replace("        chosen_by: community\n", "", 1),
    VALID,
    fail_at="15:9",
)
def check_chosen_by(ctx: Context) -> Iterator[Diagnostic]:
    """An indicator does not say who chose it.

    Participatory monitoring rests on knowing which indicators the community
    itself chose (`chosen_by: community`) and how (`chosen_how:`). The design
    score counts the share of community-chosen indicators.
    """
    for r, i, _result, indicator in ctx.indicators():
        path: Path_ = ("results", r, "indicators", i)
        if indicator.chosen_by is None and not misspelt(ctx, path, "chosen_by"):
            yield NO_CHOSEN_BY(
                f"indicator '{indicator.id}' does not say who chose it",
                ctx.locate(path),
                hint="add `chosen_by:` (community, partner, donor or government)",
                path=path,
            )


NO_CHOSEN_BY = check_chosen_by


@rule(
    "TOC503",
    "not-sex-disaggregated",
    W,
    "design",
    VALID.replace("        unit: meeting\n", "        unit: person\n"),
    VALID.replace(
        "        unit: meeting\n", "        unit: person\n        disaggregate_by: [sex]\n"
    ),
    fail_at="15:9",
)
def check_sex_disaggregation(ctx: Context) -> Iterator[Diagnostic]:
    """An indicator that counts people is not disaggregated by sex.

    Women and men experience insecurity differently; counting people without
    breaking the count down by sex hides exactly what community security work
    must see. Add `sex` to `disaggregate_by:`. A count of one sex needs no split:
    a unit such as `woman`, or a name that speaks of one sex only ("Female police
    officers", unit `person`).
    """
    from ...schema.units import PERSON_NOUNS, names_one_sex

    for r, i, _result, indicator in ctx.indicators():
        if indicator.measure is not Measure.unit or not indicator.unit:
            continue
        noun = ctx.units.base_noun(indicator.unit)
        one_sex = noun in ("woman", "man", "girl", "boy") or names_one_sex(indicator.name)
        if noun in PERSON_NOUNS and not one_sex and "sex" not in indicator.disaggregate_by:
            path: Path_ = ("results", r, "indicators", i)
            yield NOT_BY_SEX(
                f"indicator '{indicator.id}' counts people ({indicator.unit}) but is not "
                "disaggregated by sex",
                ctx.locate(path),
                hint="add `disaggregate_by: [sex]` and report observations with "
                "`dimensions: {sex: female}` / `{sex: male}`",
                path=path,
            )


NOT_BY_SEX = check_sex_disaggregation



@rule(
    "TOC601",
    "sensitive-without-consent",
    W,
    "safeguarding",
    _WITH_ORG + _SENSITIVE_EVIDENCE,
    _WITH_ORG + _SENSITIVE_EVIDENCE.replace(
        "    sensitive: true\n",
        "    sensitive: true\n    consent: verbal, recorded by facilitator\n",
    ),
    fail_at="42:5",
)
def check_consent(ctx: Context) -> Iterator[Diagnostic]:
    """Sensitive evidence does not record consent.

    Evidence about gender-based violence and other sensitive matters must record
    how participants consented (`consent:`). Its summary and quotes are withheld
    from every output unless `--include-sensitive` is given.
    """
    for e, item in enumerate(ctx.programme.evidence):
        if item.sensitive and not item.consent:
            yield NO_CONSENT(
                f"sensitive evidence '{item.id}' does not record consent",
                ctx.locate(("evidence", e), False),
                hint="add `consent:` saying how consent was obtained and recorded",
                path=("evidence", e),
            )


NO_CONSENT = check_consent


@rule(
    "TOC602",
    "sensitive-indicator-unprotected",
    W,
    "safeguarding",
    VALID.replace(
        "        measure: percentage\n",
        "        measure: percentage\n        sensitive: true\n        disaggregate_by: [sex]\n",
    ).replace(
        "        targets: [{period: 2013, value: 60}]\n",
        "        targets: [{period: 2013, value: 60}]\n"
        "        observations: [{period: 2012, value: 50, dimensions: {sex: female}}]\n",
    ),
    VALID.replace(
        "        measure: percentage\n",
        "        measure: percentage\n        sensitive: true\n        disaggregate_by: [sex]\n",
    ).replace(
        "        targets: [{period: 2013, value: 60}]\n",
        "        targets: [{period: 2013, value: 60}]\n"
        "        observations: [{period: 2012, value: 50, dimensions: {sex: female}, "
        "sample_size: 40}]\n",
    ),
    fail_at="39:24",
)
def check_suppressible(ctx: Context) -> Iterator[Diagnostic]:
    """A sensitive indicator has breakdowns that small-cell suppression cannot protect.

    Disaggregated and site values of sensitive indicators below the threshold
    (`scoring.suppress_below`, default 5) are hidden in every output. That needs a
    count: the value itself for `unit` measures, or `sample_size` for percentages.
    A percentage breakdown without `sample_size` could reveal a group of two.
    """
    for r, i, _result, indicator in ctx.indicators():
        if not indicator.sensitive or indicator.measure is Measure.unit:
            continue
        # the first such observation only; on CSV rows, tests run per distinct entry
        o = first_index(indicator.observations, extras=_broken_down, sample_size=_missing)
        if o is None:
            continue
        path: Path_ = ("results", r, "indicators", i, "observations", o)
        yield UNPROTECTED(
            f"sensitive indicator '{indicator.id}' has a breakdown without "
            "`sample_size`, so small groups cannot be suppressed",
            ctx.locate(path),
            hint="give `sample_size:` on disaggregated values of sensitive indicators",
            path=path,
        )


def _broken_down(extras: Extras) -> bool:
    return bool(extras.dimensions or extras.site)


def _missing(sample_size: int | None) -> bool:
    return sample_size is None


UNPROTECTED = check_suppressible
