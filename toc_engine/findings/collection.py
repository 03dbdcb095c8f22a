"""TOC811 to TOC817: problems in a raw submissions export (KoboToolbox, ODK Central).

They are found while the export is read (`schema.submissions`), below the checks, so
they are declared here. Each is located at the export's file, row and column.
"""

from __future__ import annotations

from .catalogue import declare
from .diagnostic import Severity
from .examples import VALID

E, W = Severity.ERROR, Severity.WARNING

FORMS = """\
forms:
  - id: perception-survey
    title: Community safety perception survey
    site_question: village
    choices:
      yes_no_dk:
        - {name: "yes", label: "Yes"}
        - {name: "no", label: "No"}
        - {name: dk, label: Don't know}
"""

COLLECT = """\
        collect:
          form: perception-survey
          question: safe_after_dark
          type: select_one yes_no_dk
          counts_as: ["yes"]
          excludes: [dk]
"""

_FEEL_SAFE_TARGETS = "        targets: [{period: 2013, value: 60}]\n"


def collecting(collect: str) -> str:
    """The valid example with the feel-safe indicator collected as `collect` says."""
    return VALID.replace(_FEEL_SAFE_TARGETS, _FEEL_SAFE_TARGETS + collect) + FORMS


_PROGRAMME = (
    collecting(COLLECT)
    + "sites:\n  - {id: chakkar, name: Chakkar VDC}\n"
    + "data:\n  - {file: data/survey.csv, form: perception-survey}\n"
)

_EXPORT = """\
_index,_uuid,_submission_time,village,safe_after_dark
1,a1,2012-11-02T09:10:00,chakkar,yes
2,a2,2012-11-02T09:40:00,Chakkar VDC,no
3,a3,2012-11-03T10:05:00,chakkar,dk
"""


def _export(text: str) -> dict[str, str]:
    return {"programme.yaml": _PROGRAMME, "data/survey.csv": text}


PASSING = _export(_EXPORT)

EXPORT_UNREADABLE = declare(
    "TOC811",
    "export-unreadable",
    E,
    "A submissions export cannot be read, or lacks a column the form needs.",
    """
    A `data:` entry with a `form:` names a raw export of that form: a CSV (comma,
    semicolon or tab separated, with or without a byte-order mark) or an XLSX file,
    as KoboToolbox or ODK Central writes it. Its header must hold every question
    that the form's indicators, its site question and its dimensions use (by XML
    name, with or without group prefixes, or by label), and the date column
    (`_submission_time`, `SubmissionDate`, or the form's `date_field`). Export
    again with every column, or correct the question names in `collect:`.
    """,
    _export(_EXPORT.replace("safe_after_dark", "safe_at_night")),
    PASSING,
    fail_at="1:1",
)

UNKNOWN_SITE = declare(
    "TOC812",
    "unknown-site-answer",
    E,
    "A submission names a site that the programme does not know.",
    """
    The answer to the form's site question is matched, ignoring case and outer
    spaces, against each site's id and name (and its aliases). A submission for a
    site that matches none is left out. Add the spelling to the site (as its name,
    or as an alias), or correct the answer in the export.
    """,
    _export(_EXPORT.replace("3,a3,2012-11-03T10:05:00,chakkar", "3,a3,2012-11-03T10:05:00,Chakar")),
    PASSING,
    fail_at="4:4",
)

ANSWER_OUTSIDE_CHOICES = declare(
    "TOC813",
    "answer-outside-choices",
    E,
    "An answer in an export is not one of the question's choices.",
    """
    Answers to a select question must be choice names (or labels, in any language
    the form declares). An answer outside the list is left out of the indicator's
    value (neither a valid answer nor an excluded one): the form and the programme
    disagree about the choices. Add the choice to the form's list, or correct the
    answer.
    """,
    _export(_EXPORT.replace(",no\n", ",nah\n")),
    PASSING,
    fail_at="3:5",
)

DATE_OUTSIDE = declare(
    "TOC814",
    "submission-outside-periods",
    W,
    "A submission's date falls outside the programme's period and every baseline.",
    """
    Submissions are bucketed by their date into periods of the form's `period`
    kind. A date before the programme and outside every baseline period of the
    form's indicators, or after the programme's end, is probably a test submission
    or a wrong phone clock; it is left out. Delete the test submissions, or correct
    the date.
    """,
    _export(_EXPORT.replace("2012-11-03T10:05:00", "2019-11-03T10:05:00")),
    PASSING,
    fail_at="4:3",
)

MISSING_DATE = declare(
    "TOC815",
    "submission-without-date",
    W,
    "A submission has no readable date, so it belongs to no period.",
    """
    The date column (`_submission_time`, `SubmissionDate`, or the form's
    `date_field`) must hold an ISO date (2012-11-02, or a date and time). A
    submission without one is left out. Fill in the date, or choose another
    `date_field` for the form.
    """,
    _export(_EXPORT.replace("2012-11-03T10:05:00", "")),
    PASSING,
    fail_at="4:3",
)

DUPLICATE_SUBMISSION = declare(
    "TOC816",
    "duplicate-submission",
    E,
    "The same submission appears twice, in one export or in two.",
    """
    Every submission carries an id (`_uuid` or `meta/instanceID` in KoboToolbox,
    `meta-instanceID` or `KEY` in ODK Central). Pooling two overlapping exports, or
    an export edited by hand, would count a respondent twice; the second copy is left
    out and both rows are named. Remove the overlap between the exports.
    """,
    _export(_EXPORT.replace("3,a3,", "3,a2,")),
    PASSING,
    fail_at="4:2",
)

NOT_A_NUMBER = declare(
    "TOC817",
    "answer-not-a-number",
    E,
    "An answer to an integer or decimal question is not a number.",
    """
    Numeric questions are summed or averaged; an answer that is not a number (or not
    a whole number, for `integer`) is left out. Correct the answer in the export.
    """,
    {
        "programme.yaml": VALID.replace(
            "        targets: [{period: 2013, value: 12}]\n",
            "        targets: [{period: 2013, value: 12}]\n        collect: "
            "{form: meeting-log, question: meetings_held, type: integer}\n",
        )
        + "forms:\n  - {id: meeting-log}\n"
        + "data:\n  - {file: data/log.csv, form: meeting-log}\n",
        "data/log.csv": "_uuid,_submission_time,meetings_held\nb1,2012-06-30,three\n",
    },
    {
        "programme.yaml": VALID.replace(
            "        targets: [{period: 2013, value: 12}]\n",
            "        targets: [{period: 2013, value: 12}]\n        collect: "
            "{form: meeting-log, question: meetings_held, type: integer}\n",
        )
        + "forms:\n  - {id: meeting-log}\n"
        + "data:\n  - {file: data/log.csv, form: meeting-log}\n",
        "data/log.csv": "_uuid,_submission_time,meetings_held\nb1,2012-06-30,3\n",
    },
    fail_at="2:3",
)
