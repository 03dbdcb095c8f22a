"""TOC4xx: qualitative evidence, claims and assumptions."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ...findings.diagnostic import Diagnostic, Severity
from ...findings.examples import VALID
from ..context import Context, Path_
from ..registry import rule
from .references import dangling

E, W = Severity.ERROR, Severity.WARNING

_EVIDENCE = """\
evidence:
  - id: fgd-2012
    kind: focus_group
    date: 2012-11
    participants: {count: 10, groups: [women]}
    claims:
      - about: people-feel-safer
        finding: supports
        test: hoop
"""


def parse_link(about: str) -> tuple[str, str] | None:
    """'a -> b' as (a, b); None if `about` is not written as a link."""
    if "->" not in about:
        return None
    left, _, right = about.partition("->")
    return left.strip(), right.strip()


@rule(
    "TOC401",
    "link-without-assumptions",
    W,
    "evidence",
    VALID.replace("        assumptions: [police-attend]\n", ""),
    VALID,
    fail_at="11:13",
)
def check_link_assumptions(ctx: Context) -> Iterator[Diagnostic]:
    """A link states no assumptions.

    Assumptions are what must hold for the lower result to lead to the higher
    one (the police keep attending; prices stay stable). They are where theories
    fail, and the design score tests them.
    """
    for r, result in enumerate(ctx.programme.results):
        for k, link in enumerate(result.contributes_to):
            if not link.assumptions:
                path: Path_ = ("results", r, "contributes_to", k)
                yield NO_ASSUMPTIONS(
                    f"the link '{result.id}' -> '{link.to}' states no assumptions",
                    ctx.locate((*path, "to")),
                    hint="add `assumptions: [id, ...]` naming entries of the `assumptions:` list",
                    path=path,
                )


NO_ASSUMPTIONS = check_link_assumptions


@rule(
    "TOC402",
    "claim-target",
    E,
    "evidence",
    VALID + _EVIDENCE.replace("about: people-feel-safer", "about: meetings-held -> feel-safe"),
    VALID
    + _EVIDENCE.replace("about: people-feel-safer", "about: meetings-held -> people-feel-safer"),
    fail_at="46:16",
    emits=("TOC201",),
)
def check_claim_targets(ctx: Context) -> Iterator[Diagnostic]:
    """A claim is about something that is not a result, assumption, rival or link.

    `about:` names a result, an assumption or a rival by id, or a link written
    "lower-result -> higher-result" that exists in `contributes_to`. (An id that
    is defined nowhere is reported as TOC201.)
    """
    graph = ctx.links
    for e, item in enumerate(ctx.programme.evidence):
        for c, claim in enumerate(item.claims):
            path: Path_ = ("evidence", e, "claims", c, "about")
            link = parse_link(claim.about)
            if link is None:
                kind = ctx.kind_of(claim.about)
                if kind is None:
                    finding = dangling(ctx, claim.about, ("result", "assumption", "rival"), path)
                    if finding:
                        yield finding
                elif kind not in ("result", "assumption", "rival"):
                    yield CLAIM_TARGET(
                        f"the claim is about '{claim.about}', which is a {kind}",
                        ctx.locate(path),
                        hint="claims are about a result, an assumption, a rival or a link 'a -> b'",
                        path=path,
                    )
                continue
            source, target = link
            if source in ctx.set_aside or target in ctx.set_aside:
                continue
            undefined = [end for end in (source, target) if ctx.kind_of(end) is None]
            if undefined:
                finding = dangling(ctx, undefined[0], ("result",), path)
                if finding:
                    yield finding
                continue
            if not graph.has_edge(source, target):
                yield CLAIM_TARGET(
                    f"the claim is about the link '{source} -> {target}', "
                    "which is not in the theory",
                    ctx.locate(path),
                    hint="write an existing link exactly as 'lower-result-id -> higher-result-id'",
                    path=path,
                )


CLAIM_TARGET = check_claim_targets


@rule(
    "TOC403",
    "probability-range",
    E,
    "evidence",
    VALID + _EVIDENCE.replace("test: hoop", "sensitivity: 1.2\n        false_positive: 0.2"),
    VALID + _EVIDENCE.replace("test: hoop", "sensitivity: 0.8\n        false_positive: 0.2"),
    fail_at="48:22",
)
def check_probabilities(ctx: Context) -> Iterator[Diagnostic]:
    """A probability is not strictly between 0 and 1.

    `sensitivity`, `false_positive` and `scoring.prior` are probabilities; 0 and 1
    would claim certainty that no evidence gives (and break the arithmetic).
    """
    zero, one = Decimal(0), Decimal(1)
    prior = ctx.programme.scoring.prior
    if not zero < prior < one:
        yield PROBABILITY(
            f"`scoring.prior` is {prior}; it must lie strictly between 0 and 1",
            ctx.locate(("scoring", "prior")),
            hint="0.5 (the default) means no prior leaning either way",
            path=("scoring", "prior"),
        )
    for e, item in enumerate(ctx.programme.evidence):
        for c, claim in enumerate(item.claims):
            for name in ("sensitivity", "false_positive"):
                value = getattr(claim, name)
                if value is not None and not zero < value < one:
                    path: Path_ = ("evidence", e, "claims", c, name)
                    yield PROBABILITY(
                        f"`{name}` is {value}; it must lie strictly between 0 and 1",
                        ctx.locate(path),
                        hint="e.g. 0.95 for very likely, 0.05 for very unlikely",
                        path=path,
                    )


PROBABILITY = check_probabilities


@rule(
    "TOC404",
    "uninformative-claim",
    E,
    "evidence",
    VALID + _EVIDENCE.replace("test: hoop", "sensitivity: 0.3\n        false_positive: 0.4"),
    VALID + _EVIDENCE.replace("test: hoop", "sensitivity: 0.6\n        false_positive: 0.2"),
    fail_at="48:22",
)
def check_informative(ctx: Context) -> Iterator[Diagnostic]:
    """A claim's sensitivity is not above its false-positive rate.

    Evidence supports a hypothesis only if it is more likely to be found when the
    hypothesis is true (sensitivity) than when it is false (false_positive). With
    sensitivity ≤ false_positive, "supporting" evidence says nothing or points
    the other way.
    """
    for e, item in enumerate(ctx.programme.evidence):
        for c, claim in enumerate(item.claims):
            se, fp = claim.sensitivity, claim.false_positive
            if se is None or fp is None or se > fp:
                continue
            path: Path_ = ("evidence", e, "claims", c, "sensitivity")
            yield UNINFORMATIVE(
                f"sensitivity {se} is not above false_positive {fp}: this evidence cannot "
                "support the claim",
                ctx.locate(path),
                hint="sensitivity = P(evidence | claim true), false_positive = "
                "P(evidence | claim false); check they are not swapped",
                path=path,
            )


UNINFORMATIVE = check_informative


@rule(
    "TOC405",
    "sensitive-evidence-unlocated",
    W,
    "evidence",
    VALID
    + _EVIDENCE.replace(
        "    kind: focus_group\n",
        "    kind: focus_group\n    sensitive: true\n    consent: verbal\n",
    ),
    VALID.replace(
        "  period: {start: 2012-01-01, end: 2013-12-31}\n",
        "  period: {start: 2012-01-01, end: 2013-12-31}\n"
        "  organisations: [{id: insec, name: INSEC}]\n",
    )
    + _EVIDENCE.replace("    kind: focus_group\n", "    kind: focus_group\n    sensitive: true\n"
                        "    consent: verbal\n    site: chakkar\n    collected_by: insec\n")
    + "sites: [{id: chakkar, name: Chakkar}]\n",
    fail_at="41:5",
)
def check_sensitive_location(ctx: Context) -> Iterator[Diagnostic]:
    """Sensitive evidence does not say where it was collected or by whom.

    For sensitive material (for example about gender-based violence) the
    programme must be able to trace who holds the raw notes and where, to
    protect and, if needed, withdraw them.
    """
    for e, item in enumerate(ctx.programme.evidence):
        if item.sensitive and (not item.site or not item.collected_by):
            missing = [n for n in ("site", "collected_by") if not getattr(item, n)]
            yield UNLOCATED(
                f"sensitive evidence '{item.id}' has no {' or '.join(missing)}",
                ctx.locate(("evidence", e), False),
                hint="record `site:` and `collected_by:` so the raw material can be traced "
                "and protected",
                path=("evidence", e),
            )


UNLOCATED = check_sensitive_location


@rule(
    "TOC406",
    "claim-without-test",
    E,
    "evidence",
    VALID + _EVIDENCE.replace("        test: hoop\n", ""),
    VALID + _EVIDENCE,
    fail_at="46:16",
)
def check_claim_strength(ctx: Context) -> Iterator[Diagnostic]:
    """A claim gives neither a test type nor both probabilities.

    Each claim needs `test:` (straw_in_the_wind, hoop, smoking_gun,
    doubly_decisive) or both `sensitivity:` and `false_positive:`, so the engine
    knows how much it should move the judgement.
    """
    for e, item in enumerate(ctx.programme.evidence):
        for c, claim in enumerate(item.claims):
            has_both = claim.sensitivity is not None and claim.false_positive is not None
            has_one = (claim.sensitivity is None) != (claim.false_positive is None)
            if (claim.test is None and not has_both) or has_one:
                path: Path_ = ("evidence", e, "claims", c)
                what = "only one of the two probabilities" if has_one else "no test type"
                yield NO_TEST(
                    f"the claim about '{claim.about}' gives {what}",
                    ctx.locate((*path, "about")),
                    hint="add `test: hoop` (or straw_in_the_wind, smoking_gun, doubly_decisive), "
                    "or both `sensitivity:` and `false_positive:`",
                    path=path,
                )


NO_TEST = check_claim_strength


@rule(
    "TOC407",
    "evidence-without-claims",
    E,
    "evidence",
    VALID
    + "evidence:\n  - id: fgd-2012\n    kind: focus_group\n    summary: Women spoke freely\n",
    VALID + _EVIDENCE,
    fail_at="41:5",
)
def check_evidence_has_content(ctx: Context) -> Iterator[Diagnostic]:
    """An evidence item has neither claims nor unanticipated outcomes.

    Evidence enters the judgement through its `claims` (what it supports or
    contradicts) or records `unanticipated` changes; without either it is a note.
    """
    for e, item in enumerate(ctx.programme.evidence):
        if not item.claims and not item.unanticipated:
            if ctx.had_items(("evidence", e, "claims")):
                continue  # its claims were set aside by the schema stage
            yield NO_CLAIMS(
                f"evidence '{item.id}' has no claims and no unanticipated outcomes",
                ctx.locate(("evidence", e), False),
                hint="add `claims: [{about: <result id>, finding: supports, test: hoop}]`",
                path=("evidence", e),
            )


NO_CLAIMS = check_evidence_has_content
