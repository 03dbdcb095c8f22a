"""TOC9xx: what an export needs from the programme and had to do without. Reported by
`toc export` (on standard error, as warnings), not by `toc validate`: a programme that is
never exported needs none of it."""

from __future__ import annotations

from .catalogue import declare
from .diagnostic import Severity
from .examples import HEADER, VALID

_REST = VALID[len(HEADER):]
_IDENTIFIED = HEADER + """\
  iati_identifier: GB-CHC-1234567-DEMO-1
  sectors: [15220]
  organisations:
    - {id: lead-ngo, name: Lead NGO, role: lead, iati_identifier: GB-CHC-1234567}
""" + _REST

IATI_PLACEHOLDER = declare(
    "TOC901",
    "iati-placeholder",
    Severity.WARNING,
    "The IATI export had to use a placeholder identifier, or lacks a sector.",
    """
    An IATI file names the activity (`programme.iati_identifier`, which begins with the
    reporting organisation's identifier), the organisation that reports it (the
    `iati_identifier` of the organisation whose `role` is `lead`) and what it works on
    (`programme.sectors`, OECD DAC purpose codes). Without an identifier, `toc export iati`
    writes a placeholder beginning `XX-TOC-`, which no IATI registry accepts; an identifier
    that itself begins with `XX-` is a placeholder too. Organisation identifiers are a
    registration agency and a number (e.g. `GB-CHC-` and a charity number, `NP-SWC-` and a
    Social Welfare Council number): find yours at org-id.guide. The export is still
    written, and `toc export iati` exits 0.
    """,
    VALID,
    _IDENTIFIED,
    fail_at="2:1",
)

LIBRARY_TEXT_NOT_ADAPTED = declare(
    "TOC902",
    "library-text-not-adapted",
    Severity.WARNING,
    "Library text meant to be adapted to each programme is exported unchanged.",
    """
    Some indicator library entries describe their measure with the places and institutions
    of the programmes they came from (a VDC in Nepal, a union parishad in Bangladesh); the
    entry marks that text under `adapt:`, saying what to change. An indicator that `use:`s
    the entry and keeps such a field as it is would carry another country's institutions
    into the programme's IATI file. Write the field in the programme itself (e.g. its own
    `definition:`); the library's `adapt:` note then no longer applies.
    """,
    {
        "programme.yaml": _IDENTIFIED.replace(
            "      - id: feel-safe\n",
            "      - id: plans-adopted\n        use: governance/plans-adopted\n"
            "      - id: feel-safe\n"),
        "indicators/governance/plans-adopted.yaml": """\
id: plans-adopted
name: Action plans adopted by the local authority
definition: Plans adopted by a village development committee or union parishad
adapt:
  definition: names the local authorities of Nepal and Bangladesh; name the programme's own
measure: unit
unit: plan
direction: increase
chosen_by: community
""",
    },
    {
        "programme.yaml": _IDENTIFIED.replace(
            "      - id: feel-safe\n",
            "      - id: plans-adopted\n        use: governance/plans-adopted\n"
            "        definition: Plans adopted by a sub-county council\n"
            "      - id: feel-safe\n"),
        "indicators/governance/plans-adopted.yaml": """\
id: plans-adopted
name: Action plans adopted by the local authority
definition: Plans adopted by a village development committee or union parishad
adapt:
  definition: names the local authorities of Nepal and Bangladesh; name the programme's own
measure: unit
unit: plan
direction: increase
chosen_by: community
""",
    },
)
