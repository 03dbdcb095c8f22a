"""The checks, by family. Importing this package registers every rule of the catalogue:
those declared in `toc_engine.findings` and those declared here with their checks.

Where a rule's check lives, by code (each module's docstring lists its codes):

- TOC201, TOC202, TOC209, TOC210 (ids and references): `references`
- TOC203 to TOC208, TOC212 (the shape of the graph): `graph`
- TOC302 to TOC304, TOC308, TOC309, TOC312, TOC315, TOC317 (values): `indicators`
- TOC323 (the names a site goes by): `sites`
- TOC305 to TOC307, TOC310, TOC313, TOC314, TOC316 (targets, baselines): `targets`
- TOC318 to TOC320 (duplicates, percentage scale, missing values): `observations`
- TOC401 to TOC407 (evidence and assumptions): `evidence`
- TOC501, TOC503, TOC601, TOC602 (design quality, participation, safeguarding): `design`
- TOC502, TOC504 (the programme's model): `models`
- TOC108 (control characters): `text`; TOC109 (sector codes): `sectors`
- TOC214, TOC215 (`pattern:` names compared across programmes): `patterns`
- TOC801 to TOC805 (indicators collected through a form): `collection`

The loader's and scoring's own codes (TOC0xx, TOC1xx, TOC213, TOC301, TOC311, TOC330,
TOC408) have no check here: `toc_engine.findings` declares them.

The order in which the modules register their rules decides nothing a user sees: checks
report findings that are sorted by position, and listings are sorted by code.
"""

from ... import findings
from ...findings.catalogue import RULES, STAGES, Rule, by_symbol_or_code
from ..registry import EXTRA_CHECKS
from . import (
    collection,
    design,
    evidence,
    graph,
    indicators,
    models,
    observations,
    patterns,
    references,
    sectors,
    sites,
    targets,
    text,
)

__all__ = [
    "EXTRA_CHECKS",
    "RULES",
    "STAGES",
    "Rule",
    "by_symbol_or_code",
    "collection",
    "design",
    "evidence",
    "findings",
    "graph",
    "indicators",
    "models",
    "observations",
    "patterns",
    "references",
    "sectors",
    "sites",
    "targets",
    "text",
]
