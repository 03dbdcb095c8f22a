"""Rules whose findings the load and schema stages report as well as the checks.

A library `use:` that names no entry (TOC201) or several (TOC213), a period that cannot
be read (TOC301) and a CSV row naming an unknown indicator (TOC311) are found while
files are read; their catalogue entries live here, below every stage that reports them.
"""

from __future__ import annotations

from .catalogue import declare
from .diagnostic import Severity
from .examples import VALID

E = Severity.ERROR

_MEETINGS_TARGETS = "        targets: [{period: 2013, value: 12}]\n"


def _with_targets(text: str) -> str:
    return VALID.replace(_MEETINGS_TARGETS, text)


DANGLING = declare(
    "TOC201",
    "dangling-reference",
    E,
    "A reference names an id that is not defined.",
    """
    Links, assumptions on links, priorities, sites, actors, organisations, claims
    and library `use:` entries must name ids defined somewhere in the programme
    (or the library). The hint suggests the closest defined id of the right kind.
    A site in observations (a CSV `site` cell, a value's `site:`) may also be one
    of the site's `aliases`, the names data exports write; a site's `name` written
    there is reported with the alias to add.
    Items that failed the schema check still count as defined, so one typo does
    not cause a cascade of follow-on findings.
    """,
    VALID.replace("      - to: people-feel-safer\n", "      - to: people-feel-safe\n"),
    VALID,
    fail_at="11:13",
)

AMBIGUOUS_LIBRARY = declare(
    "TOC213",
    "ambiguous-library-reference",
    E,
    "A library `use:` reference matches entries in more than one folder.",
    """
    Write `use: folder/id` so the engine knows which library entry you mean. The
    library is the shipped `indicators/` folder plus, if present, an `indicators/`
    folder beside the programme file (your organisation's own definitions).
    """,
    {
        "programme.yaml": VALID.replace(
            "      - id: feel-safe\n", "      - id: feel-safe\n        use: shared-id\n"
        ),
        "indicators/one/shared-id.yaml": "id: shared-id\nname: One\n",
        "indicators/two/shared-id.yaml": "id: shared-id\nname: Two\n",
    },
    {
        "programme.yaml": VALID.replace(
            "      - id: feel-safe\n", "      - id: feel-safe\n        use: one/shared-id\n"
        ),
        "indicators/one/shared-id.yaml": "id: shared-id\nname: One\n",
        "indicators/two/shared-id.yaml": "id: shared-id\nname: Two\n",
    },
    fail_at="29:14",
)

INVALID_PERIOD = declare(
    "TOC301",
    "invalid-period",
    E,
    "A period or date cannot be read, is not a real date, or ends before it starts.",
    """
    Periods are a year (2012), a quarter (2012-Q4), a month (2012-11), a date
    (2012-11-15) or a range {start: ..., end: ...}. Impossible dates such as
    2012-02-30 are errors, not silently moved to March, and so is a range whose
    end comes before its start (the programme's own period included: every target
    and observation would otherwise seem to lie outside it). Dates and quarters as
    spreadsheets and survey exports write them (31/03/2013, 2013/03/31, Q1 2013,
    2013Q1) get a hint with the accepted spelling; a date whose day and month could
    be swapped (03/04/2013) gets both readings, never a guess.
    """,
    _with_targets("        targets: [{period: 2013-02-30, value: 12}]\n"),
    VALID,
    fail_at="23:28",
)

UNKNOWN_INDICATOR = declare(
    "TOC311",
    "unknown-indicator",
    E,
    "An observation in a CSV data file names an indicator that does not exist.",
    """
    The `indicator` column must hold the id of an indicator defined in the
    programme. The finding gives the CSV file, row and column.
    """,
    {
        "programme.yaml": VALID + "data:\n  - data/obs.csv\n",
        "data/obs.csv": "indicator,period,value\nmeeting,2012,4\n",
    },
    {
        "programme.yaml": VALID + "data:\n  - data/obs.csv\n",
        "data/obs.csv": "indicator,period,value\nmeetings,2012,4\n",
    },
    fail_at="2:1",
)
