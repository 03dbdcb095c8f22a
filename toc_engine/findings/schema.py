"""TOC1xx: the file's structure. These findings come from translating pydantic's errors."""

from __future__ import annotations

from .catalogue import declare
from .diagnostic import Severity
from .examples import HEADER, VALID

E, W = Severity.ERROR, Severity.WARNING

UNKNOWN_KEY = declare(
    "TOC101",
    "unknown-key",
    E,
    "A key that the format does not define.",
    """
    Unknown keys are errors, never silently ignored: a misspelt `basline` would
    otherwise make an indicator look as if it had no baseline. The hint suggests
    the closest valid key. A misspelt required key (`Level:`) is one finding, which
    says that the field is therefore missing. A decimal comma inside `{...}`
    (`{value: 31,5}`, read as `value: 31` and a key `5`) is named as such, with the
    number written with a point.
    """,
    VALID.replace("    statement: People in the village feel safe\n",
                  "    statment: People in the village feel safe\n"),
    VALID,
    fail_at="26:5",
)

MISSING_FIELD = declare(
    "TOC102",
    "missing-field",
    E,
    "A required field is missing.",
    """
    See the table of required fields in the format reference. Indicators need a
    `direction` (except qualitative ones) and a `unit` (for `measure: unit`).
    """,
    VALID.replace("    statement: People in the village feel safe\n", ""),
    VALID,
    fail_at="24:5",
)

WRONG_TYPE = declare(
    "TOC103",
    "wrong-type",
    E,
    "A value has the wrong type (text where a number is expected, and so on).",
    """
    The message names the expected type. Numbers must be written without quotes or
    units (`value: 12`, not `value: "12 households"`); lists use `[a, b]` or one
    `- item` per line. A number written with a decimal comma (`42,5`, as spreadsheets
    in many locales save it) gets the hint to use a point: 42.5.
    """,
    VALID.replace("    statement: The working group meets every month\n",
                  "    statement: The working group meets every month\n    weight: heavy\n"),
    VALID,
    fail_at="10:13",
)

INVALID_VALUE = declare(
    "TOC104",
    "invalid-value",
    E,
    "A value is not one of the allowed choices or is out of range.",
    """
    Fields such as `direction`, `measure`, `method` and `kind` take one of a fixed
    set of words; the message lists them and suggests the closest.
    """,
    VALID.replace("        direction: increase\n        chosen_by: community\n        method: "
                  "administrative", "        direction: up\n        chosen_by: community\n"
                  "        method: administrative"),
    VALID,
    fail_at="18:20",
)

INVALID_ID = declare(
    "TOC105",
    "invalid-id",
    E,
    "An id is not a slug.",
    """
    Ids are lower-case slugs: letters, digits, `.`, `_` and `-`, starting with a
    letter or digit (`women-feel-safer`). They are used in links, claims and
    reports, so spaces and capitals are not allowed.
    """,
    VALID.replace("  - id: people-feel-safer\n", "  - id: People Feel Safer\n").replace(
        "      - to: people-feel-safer\n", "      - to: People Feel Safer\n"),
    VALID,
    fail_at="11:13",
)

UNSUPPORTED_VERSION = declare(
    "TOC106",
    "unsupported-version",
    E,
    "`toc:` names a format version this engine does not know.",
    """
    This engine reads format version 1 (`toc: 1`).
    """,
    HEADER.replace("toc: 1", "toc: 2") + "results: []\n",
    VALID,
    fail_at="1:6",
)

NON_FINITE = declare(
    "TOC107",
    "non-finite-number",
    E,
    "A number is NaN, infinite, or absurdly large.",
    """
    `.nan`, `.inf` and values beyond 1e15 cannot be scored. They usually come from
    a spreadsheet formula that failed.
    """,
    VALID.replace("targets: [{period: 2013, value: 12}]", "targets: [{period: 2013, value: .inf}]"),
    VALID,
    fail_at="23:41",
)
