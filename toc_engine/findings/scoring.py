"""TOC408, TOC330: findings produced by the scorer (`toc score`), declared here so they are
documented."""

from __future__ import annotations

from .catalogue import declare
from .diagnostic import Severity
from .examples import VALID

_OBSERVED = VALID.replace(
    "        targets: [{period: 2013, value: 12}]\n",
    "        targets: [{period: 2013, value: 12}]\n"
    "        observations: [{period: 2013, value: 12}]\n",
    1,
)
_EVIDENCE = """\
evidence:
  - id: minutes-audit
    kind: document
    source: Audit of the working group's minutes, 2013
    claims:
      - about: meetings-held
        finding: contradicts
        test: doubly_decisive
        note: Most minutes were written afterwards for meetings that did not take place
"""
_EXPLAINED = _OBSERVED.replace(
    "    statement: The working group meets every month\n",
    "    statement: The working group meets every month\n"
    "    coherence_note: The register counts scheduled meetings; the audit found most did not\n"
    "      take place. The register is being corrected.\n",
    1,
)

EVIDENCE_DISAGREEMENT = declare(
    "TOC408",
    "evidence-disagreement",
    Severity.WARNING,
    "Indicator data and qualitative evidence about a result disagree.",
    """
    The indicators say a result was delivered (D ≥ 0.875) while the qualitative
    evidence makes it unlikely (posterior below 0.3), or the indicators say it was
    not delivered (D < 0.625) while the evidence makes it likely (posterior above
    0.7). One of the two is probably wrong, or they measure different things.

    The delivery band still follows the indicators, but confidence in the result
    drops one level (coherence, scoring.md §4). Check both sources; when both
    stand, record why they differ under the result's `coherence_note`, which
    removes this warning and the downgrade.
    """,
    _OBSERVED + _EVIDENCE,
    _EXPLAINED + _EVIDENCE,
    fail_at="7:5",
)


_SITES = """\
sites:
  - {id: north, name: North ward}
  - {id: south, name: South ward}
"""
_UNSIZED = VALID.replace(
    "        targets: [{period: 2013, value: 60}]\n",
    "        targets: [{period: 2013, value: 60}]\n"
    "        observations:\n"
    "          - {period: 2013, value: 50, site: north, sample_size: 120}\n"
    "          - {period: 2013, value: 62, site: south}\n",
    1,
) + _SITES
_SIZED = _UNSIZED.replace("value: 62, site: south}", "value: 62, site: south, sample_size: 80}")

UNWEIGHTED_MEAN = declare(
    "TOC330",
    "weighted-mean-without-sample-size",
    Severity.WARNING,
    "A weighted mean of site rows is asked for, but not every row gives its sample size.",
    """
    An indicator with `aggregation: weighted_mean` (the default for percentages)
    combines the site rows of a period into the total by weighting each site's
    value by its `sample_size`. When a row of the latest counted period has no
    sample size, the weights are unknown and the engine uses a plain mean
    instead: a site that asked 20 people counts as much as one that asked 500.

    The score still stands, with the plain mean; `toc score --explain` says so
    on the indicator. Add `sample_size` to every site row, give a total row for
    the period, or set `aggregation: mean` if a plain mean is what you meant.
    """,
    _UNSIZED,
    _SIZED,
    fail_at="28:9",
)
