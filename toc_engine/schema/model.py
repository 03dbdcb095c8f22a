"""The programme file as typed objects (format version 1, `design/format.md`).

These pydantic models *are* the format: the JSON Schema (`toc schema`) and
the format reference in `docs/` are generated from them. Every model forbids
unknown keys so that a typo is reported, never silently ignored. Checks that
relate one field to another (levels, references, units, targets) live in the
rule stages, where they can be reported with their own codes.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .periods import Duration, Period, PeriodError, parse_date, parse_duration, parse_period

SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
MAX_ABS_VALUE = Decimal("1e15")


# --- field types -----------------------------------------------------------------------------


class Interning:
    """One object per distinct period spelling and whole number, for one validation.

    A large programme writes the same few periods and numbers hundreds of thousands of
    times; `Period` and `Decimal` are immutable, so one parse per distinct spelling is
    enough, and equal whole numbers as one object hash once (scoring looks numbers up by
    value). `schema.validation` passes one as pydantic's validation context; without one,
    every value is parsed afresh. Nothing is kept between validations.
    """

    __slots__ = ("periods", "whole")

    def __init__(self) -> None:
        self.periods: dict[tuple[type, Any], Period] = {}
        self.whole: dict[int, Decimal] = {}


def _interning(info: ValidationInfo) -> Interning | None:
    context = info.context
    return context if type(context) is Interning else None


def _to_period(value: Any, info: ValidationInfo) -> Period:
    interning = _interning(info)
    if interning is None or not isinstance(value, str | int):
        return _parse_period(value)
    key = (type(value), value)
    period = interning.periods.get(key)
    if period is None:
        period = interning.periods[key] = _parse_period(value)
    return period


def _parse_period(value: Any) -> Period:
    try:
        return parse_period(value)
    except PeriodError as err:
        raise PydanticCustomError("toc_period", str(err), {"hint": err.hint}) from None


def _to_date(value: Any) -> date:
    try:
        return parse_date(value)
    except PeriodError as err:
        raise PydanticCustomError("toc_period", str(err), {"hint": err.hint}) from None


def _to_duration(value: Any) -> Duration:
    try:
        return parse_duration(value)
    except PeriodError as err:
        raise PydanticCustomError("toc_period", str(err)) from None


def _to_number(value: Any, info: ValidationInfo) -> Decimal:
    """Numbers stay decimal as written, so 62.5 never becomes 62.4999999."""
    if isinstance(value, bool):
        raise PydanticCustomError("toc_number", "expected a number, got {value}", {"value": value})
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        # Whole numbers repeat (0, 1, 12, 40...): one Decimal each (`Interning`).
        interning = _interning(info)
        if interning is None:
            number = Decimal(value)
        else:
            held = interning.whole.get(value)
            if held is None:
                held = interning.whole[value] = Decimal(value)
            number = held
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise PydanticCustomError(
                "toc_non_finite", "{value} is not a usable number", {"value": value}
            )
        number = Decimal(repr(value))
    else:
        raise PydanticCustomError(
            "toc_number", "expected a number, got '{value}'", {"value": str(value)[:60]}
        )
    try:
        finite = number.is_finite() and abs(number) <= MAX_ABS_VALUE
    except InvalidOperation:
        finite = False
    if not finite:
        raise PydanticCustomError(
            "toc_non_finite",
            "{value} is not a usable number (NaN, infinity, or larger than 1e15)",
            {"value": str(value)[:60]},
        )
    return number


def _to_value(value: Any, info: ValidationInfo) -> Decimal | str:
    """A measured value: a number, or a scale entry for ordinal indicators."""
    if isinstance(value, str):
        return value
    return _to_number(value, info)


def _to_text(value: Any) -> Any:
    # Free text may be written as a bare number or date ("chosen_how: 2011"); keep it as text.
    if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
        return str(value)
    return value


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=200)]
LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
Text = Annotated[str | dict[LangCode, str], BeforeValidator(_to_text)]
"""Free text; may be given per language, e.g. `{en: Women feel safer, ne: ...}`."""
PlainText = Annotated[str, BeforeValidator(_to_text)]
_PERIOD_TEXT = r"^\d{4}(-([Qq][1-4]|\d{2}(-\d{2})?))?$"
_PERIOD_SCHEMA: dict[str, Any] = {
    "description": "A year (2012), quarter (2012-Q4), month (2012-11), date (2012-11-15) "
    "or a range {start, end}",
    "anyOf": [
        {"type": "integer", "minimum": 1000, "maximum": 9999},
        {"type": "string", "pattern": _PERIOD_TEXT},
        {
            "type": "object",
            "properties": {
                "start": {"type": ["string", "integer"], "description": "First day (a "
                          "date, or the first day of a year, quarter or month)."},
                "end": {"type": ["string", "integer"], "description": "Last day (a date, "
                        "or the last day of a year, quarter or month)."},
            },
            "required": ["start", "end"],
            "additionalProperties": False,
        },
    ],
}

Number = Annotated[
    Decimal, BeforeValidator(_to_number), WithJsonSchema({"type": "number"})
]
Value = Annotated[
    Decimal | str,
    BeforeValidator(_to_value),
    WithJsonSchema(
        {"type": ["number", "string"], "description": "A number, or a scale entry (ordinal)"}
    ),
]
PeriodField = Annotated[Period, BeforeValidator(_to_period), WithJsonSchema(_PERIOD_SCHEMA)]
DateField = Annotated[
    date,
    BeforeValidator(_to_date),
    WithJsonSchema({"type": "string", "format": "date", "description": "YYYY-MM-DD"}),
]
DurationField = Annotated[
    Duration,
    BeforeValidator(_to_duration),
    WithJsonSchema(
        {"type": "string", "pattern": "^P(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?$",
         "description": "ISO 8601 duration, e.g. P6M"}
    ),
]
Probability = Annotated[Number, Field(description="A probability strictly between 0 and 1")]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        arbitrary_types_allowed=True,
        use_enum_values=False,
    )


# --- enumerations ----------------------------------------------------------------------------


class Measure(str, Enum):
    unit = "unit"
    percentage = "percentage"
    ordinal = "ordinal"
    qualitative = "qualitative"


class Direction(str, Enum):
    increase = "increase"
    decrease = "decrease"
    maintain = "maintain"


class Aggregation(str, Enum):
    sum = "sum"
    mean = "mean"
    weighted_mean = "weighted_mean"
    latest = "latest"


class Trajectory(str, Enum):
    none = "none"
    linear = "linear"


class ChosenBy(str, Enum):
    community = "community"
    partner = "partner"
    donor = "donor"
    government = "government"


class Method(str, Enum):
    survey = "survey"
    focus_group = "focus_group"
    key_informant = "key_informant"
    administrative = "administrative"
    observation = "observation"
    crime_map = "crime_map"
    score_card = "score_card"
    other = "other"


class AssumptionStatus(str, Enum):
    holds = "holds"
    at_risk = "at_risk"
    failed = "failed"
    unknown = "unknown"


class EvidenceKind(str, Enum):
    focus_group = "focus_group"
    key_informant = "key_informant"
    case_study = "case_study"
    msc_story = "msc_story"
    outcome_harvest = "outcome_harvest"
    document = "document"
    observation = "observation"
    media = "media"


class Concern(str, Enum):
    none = "none"
    minor = "minor"
    moderate = "moderate"
    serious = "serious"


class Finding(str, Enum):
    supports = "supports"
    contradicts = "contradicts"


class TestType(str, Enum):
    straw_in_the_wind = "straw_in_the_wind"
    hoop = "hoop"
    smoking_gun = "smoking_gun"
    doubly_decisive = "doubly_decisive"


class Valence(str, Enum):
    positive = "positive"
    negative = "negative"
    mixed = "mixed"


class Scale(str, Enum):
    fcdo = "fcdo"
    rubric = "rubric"


# --- programme header ------------------------------------------------------------------------


class DateRange(_Model):
    start: DateField
    end: DateField

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> DateRange:
        if self.end < self.start:
            raise PydanticCustomError(
                "toc_period",
                "the period ends ({end}) before it starts ({start}): swap `start` and `end`",
                {"start": self.start.isoformat(), "end": self.end.isoformat()},
            )
        return self


class Organisation(_Model):
    id: Slug
    name: Text
    role: PlainText | None = Field(None, description="lead, partner, donor, government ...")
    iati_identifier: PlainText | None = None


class Sector(_Model):
    """An OECD DAC 5-digit purpose code (IATI sector vocabulary 1); a bare code is enough."""

    code: PlainText
    percentage: Number | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_code(cls, value: Any) -> Any:
        if isinstance(value, int | str) and not isinstance(value, bool):
            return {"code": str(value)}
        if isinstance(value, dict) and isinstance(value.get("code"), int):
            return {**value, "code": str(value["code"])}
        return value


class ProgrammeInfo(_Model):
    id: Slug
    title: Text
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = Field(
        None, description="ISO 3166-1 alpha-2 code (XK for Kosovo, as IATI uses)"
    )
    period: DateRange
    assessed_at: DateField | None = Field(
        None, description="'As of' date for scoring; defaults to the period's end"
    )
    model: PlainText | None = Field(None, description="The model in models/ it started from")
    organisations: list[Organisation] = Field(default_factory=list)
    description: Text | None = None
    iati_identifier: PlainText | None = Field(None, description="IATI activity identifier")
    sectors: list[Sector] = Field(default_factory=list)

    @property
    def as_of(self) -> date:
        return self.assessed_at or self.period.end


class Site(_Model):
    id: Slug
    name: Text
    district: PlainText | None = None
    region: PlainText | None = None
    population: Annotated[int, Field(ge=0)] | None = None
    partner: Slug | None = Field(None, description="Organisation id working at this site")
    description: Text | None = None
    aliases: list[PlainText] = Field(
        default_factory=list,
        description="Names of the site as data exports write them (a KoboToolbox label, a "
        "spreadsheet's spelling). A CSV `site` cell or a value's `site:` that matches one, "
        "ignoring case and outer spaces, means this site; one that gives the site's `name` "
        "instead is an error whose hint names the alias to add",
    )


class Actor(_Model):
    id: Slug
    name: Text
    kind: (
        Literal["community", "security_provider", "authority", "civil_society", "other"] | None
    ) = None
    site: Slug | None = None


class Priority(_Model):
    id: Slug
    concern: Text
    raised_by: list[PlainText] = Field(default_factory=list, description="Groups that raised it")
    site: Slug | None = None
    rank: Annotated[int, Field(ge=1)] | None = None


class Assumption(_Model):
    id: Slug
    statement: Text
    status: AssumptionStatus = AssumptionStatus.unknown
    actors: list[Slug] = Field(
        default_factory=list, description="Actors whose behaviour the assumption is about"
    )
    note: Text | None = None
    pattern: PlainText | None = Field(
        None,
        description="A name this assumption shares with other programmes, so `toc portfolio`"
        " can compare it across contexts (a slug, e.g. police-stay-engaged)",
    )


# --- collection through forms (KoboToolbox, ODK) -------------------------------------------

XmlName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9._-]*$", max_length=200)]
"""An XLSForm `name`: what the form calls a question or a choice in its exports."""


class Choice(_Model):
    """One answer of a choice list, as the XLSForm's `choices` sheet writes it."""

    name: XmlName = Field(description="The answer's XML name, as exports write it")
    label: Text | None = Field(None, description="What the respondent sees, per language")


class Form(_Model):
    """A KoboToolbox or ODK form whose submissions give indicator values."""

    id: Slug
    title: Text | None = None
    site_question: XmlName | None = Field(
        None, description="The question naming the site; answers are matched to site ids, "
        "names and aliases"
    )
    dimensions: dict[Slug, XmlName] = Field(
        default_factory=dict, description="Dimension -> the question answering it, e.g. "
        "{sex: respondent_sex}; its choices are the choice list named like the dimension"
    )
    period: Literal["year", "quarter", "month"] = Field(
        "quarter", description="Submissions are bucketed by their date into periods of this kind"
    )
    date_field: XmlName | None = Field(
        None, description="The question holding the interview date; default: the date the "
        "server received it (`_submission_time` in KoboToolbox, `SubmissionDate` in ODK)"
    )
    choices: dict[XmlName, list[Choice]] = Field(
        default_factory=dict, description="Choice lists by name, each declared once"
    )


class Collect(_Model):
    """Which question of which form gives an indicator's values, and how they combine."""

    form: Slug = Field(description="The id of a form under `forms:`")
    question: XmlName = Field(description="The question's XLSForm `name`")
    type: PlainText = Field(
        description="The XLSForm type: `select_one LIST`, `select_multiple LIST`, `integer` "
        "or `decimal`; an ordinal indicator may write `select_one` alone to ask its `scale`"
    )
    label: Text | None = Field(None, description="The question as asked, per language")
    hint: Text | None = Field(
        None, description="Help shown under the question on the phone, per language"
    )
    required: bool = Field(
        True, description="Whether the form insists on an answer before it can be sent"
    )
    counts_as: list[XmlName] = Field(
        default_factory=list, description="Percentage: the share of valid answers among these "
        "choices; count: the answers counted"
    )
    excludes: list[XmlName] = Field(
        default_factory=list, description="Answers left out of the denominator (reported), "
        "e.g. don't know"
    )
    combine: Literal["sum", "mean", "count"] | None = Field(
        None, description="For a unit indicator: sum (default for numbers), mean, or count "
        "of the answers"
    )


class DataFile(_Model):
    """A `data:` entry written as a mapping: a raw submissions export of a form."""

    file: PlainText = Field(description="A CSV or XLSX file, relative to the programme file")
    form: Slug | None = Field(
        None, description="The form whose raw export the file is (KoboToolbox or ODK Central)"
    )


# --- indicators ------------------------------------------------------------------------------


class Revision(_Model):
    date: DateField
    from_: Number = Field(alias="from")
    reason: Text


class Baseline(_Model):
    period: PeriodField
    value: Value
    unit: PlainText | None = None
    sample_size: Annotated[int, Field(ge=1)] | None = None
    source: PlainText | None = None
    site: Slug | None = None
    dimensions: dict[Slug, PlainText] = Field(default_factory=dict)
    note: Text | None = None


class Target(_Model):
    period: PeriodField
    value: Value
    unit: PlainText | None = None
    dimensions: dict[Slug, PlainText] = Field(default_factory=dict)
    site: Slug | None = None
    revised: Revision | None = None
    note: Text | None = None


class Observation(_Model):
    period: PeriodField
    value: Value | None = Field(
        None, description="The value measured; leave it out when `missing` says why there is none"
    )
    missing: PlainText | None = Field(
        None,
        description="Instead of `value`: why there is no value for this period (never a zero), "
        "e.g. 'not collected: road closed by flooding'",
    )
    unit: PlainText | None = None
    site: PlainText | None = Field(
        None, description="A site id, or one of a site's `aliases` (as data exports write it)"
    )
    dimensions: dict[Slug, PlainText] = Field(default_factory=dict)
    source: PlainText | None = None
    sample_size: Annotated[int, Field(ge=1)] | None = None
    note: Text | None = None


def _observation_list(observations: Any) -> Any:
    """Any sequence of observations as the list the schema promises, for pydantic to
    serialise as one (so the serialisation JSON Schema is that list's too)."""
    return observations if isinstance(observations, list) else list(observations)


if TYPE_CHECKING:
    from collections.abc import Sequence

    Observations = Sequence[Observation]
else:
    # To pydantic a list: validation, its messages and the JSON Schema stay those of a
    # list. After loading, CSV rows make it an `observations.ObservationList` (a read-only
    # Sequence that builds each CSV observation on access), hence Sequence above.
    Observations = Annotated[
        list[Observation], PlainSerializer(_observation_list, return_type=list[Observation])
    ]


class Indicator(_Model):
    id: Slug
    use: PlainText | None = Field(None, description="Library entry it starts from: folder/id")
    adapt: dict[str, PlainText] = Field(
        default_factory=dict,
        description="In a library entry: the fields whose text must be adapted to each "
        "programme's context, each with what to change (kept only for fields a programme "
        "takes from the library unchanged)",
    )
    name: Text
    definition: Text | None = None
    measure: Measure = Measure.unit
    unit: PlainText | None = None
    scale: list[PlainText] | None = Field(None, description="Ordinal scale, lowest first")
    direction: Direction | None = None
    tolerance: Number | None = Field(None, description="For maintain: allowed distance")
    cumulative: bool = False
    aggregation: Aggregation | None = None
    trajectory: Trajectory = Field(
        Trajectory.none,
        description="linear: a pro-rata milestone and a pace before the target falls due "
        "(interim reviews; default none, since most outcomes do not move in a straight line)",
    )
    chosen_by: ChosenBy | None = None
    chosen_how: Text | None = None
    method: Method | None = None
    source: PlainText | None = None
    frequency: PlainText | None = None
    disaggregate_by: list[Slug] = Field(default_factory=list)
    sensitive: bool = False
    suppress_below: Annotated[int, Field(ge=1)] | None = Field(
        None, description="Hide disaggregated/site values below this (sensitive indicators)"
    )
    weight: Annotated[Number, Field(gt=0)] = Decimal(1)
    rationale: Text | None = None
    limitations: Text | None = None
    safeguarding: Text | None = None
    references: list[PlainText] = Field(default_factory=list)
    baseline: Baseline | None = None
    targets: list[Target] = Field(default_factory=list)
    observations: Observations = Field(default_factory=list)
    collect: Collect | None = Field(
        None, description="How the indicator is collected through a form (`forms:`)"
    )

    @property
    def effective_aggregation(self) -> Aggregation:
        if self.aggregation is not None:
            return self.aggregation
        if self.measure is Measure.percentage:
            return Aggregation.weighted_mean
        return Aggregation.sum


# --- results and links -----------------------------------------------------------------------


class Rival(_Model):
    id: Slug
    statement: Text


class Link(_Model):
    to: Slug
    rationale: Text | None = None
    assumptions: list[Slug] = Field(default_factory=list)
    weight: Annotated[Number, Field(gt=0)] = Decimal(1)
    lag: DurationField | None = None
    rivals: list[Rival] = Field(default_factory=list)
    pattern: PlainText | None = Field(
        None,
        description="A name this link shares with other programmes, so `toc portfolio` can"
        " compare it across contexts (a slug, e.g. community-groups-engage-police)",
    )


class Result(_Model):
    id: Slug
    level: Slug
    statement: Text
    weight: Annotated[Number, Field(gt=0)] = Decimal(1)
    addresses: list[Slug] = Field(default_factory=list)
    actors: list[Slug] = Field(default_factory=list)
    sites: list[Slug] = Field(default_factory=list)
    contributes_to: list[Link] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    coherence_note: Text | None = Field(
        None, description="Why quantitative and qualitative evidence disagree, if they do"
    )
    description: Text | None = None


# --- evidence --------------------------------------------------------------------------------


class Participants(_Model):
    count: Annotated[int, Field(ge=0)] | None = None
    groups: list[PlainText] = Field(default_factory=list)


class Quality(_Model):
    """CERQual concerns about one evidence item."""

    methodology: Concern = Concern.none
    coherence: Concern = Concern.none
    adequacy: Concern = Concern.none
    relevance: Concern = Concern.none


class Claim(_Model):
    about: PlainText = Field(description="A result, assumption or rival id, or 'a -> b' link")
    finding: Finding
    test: TestType | None = None
    sensitivity: Probability | None = None
    false_positive: Probability | None = None
    found: bool = True
    quote: Text | None = None
    note: Text | None = None


class Unanticipated(_Model):
    statement: Text
    valence: Valence = Valence.mixed
    result: Slug | None = Field(None, description="The result it sits next to, if any")


class Evidence(_Model):
    id: Slug
    kind: EvidenceKind
    title: Text | None = None
    date: PeriodField | None = None
    site: Slug | None = None
    collected_by: Slug | None = None
    participants: Participants | None = None
    package: Slug | None = None
    sensitive: bool = False
    quality: Quality = Field(default_factory=Quality)
    summary: Text | None = None
    consent: PlainText | None = None
    source: PlainText | None = None
    claims: list[Claim] = Field(default_factory=list)
    unanticipated: list[Unanticipated] = Field(default_factory=list)


# --- configuration ---------------------------------------------------------------------------


class TestOverride(_Model):
    sensitivity: Probability
    false_positive: Probability


class ScoringConfig(_Model):
    scale: Scale = Scale.fcdo
    prior: Probability = Decimal("0.5")
    suppress_below: Annotated[int, Field(ge=3)] = Field(
        5, description="Safeguarding: hide sensitive cells below this count (never below 3)"
    )
    tests: dict[TestType, TestOverride] = Field(default_factory=dict)


class IgnoreEntry(_Model):
    code: PlainText
    reason: Text | None = None


class LintConfig(_Model):
    select: list[PlainText] = Field(default_factory=list)
    ignore: list[PlainText | IgnoreEntry] = Field(default_factory=list)
    severity: dict[PlainText, Literal["error", "warning", "info"]] = Field(default_factory=dict)


DEFAULT_LEVELS = ["activity", "output", "outcome", "impact"]


class Programme(_Model):
    """A whole programme: the root of `programme.yaml` after includes are merged."""

    toc: Literal[1] = Field(description="Format version")
    programme: ProgrammeInfo
    levels: list[Slug] = Field(default_factory=lambda: list(DEFAULT_LEVELS), min_length=1)
    units: list[PlainText] = Field(default_factory=list)
    include: list[PlainText] = Field(default_factory=list)
    sites: list[Site] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    priorities: list[Priority] = Field(default_factory=list)
    assumptions: list[Assumption] = Field(default_factory=list)
    results: list[Result]
    forms: list[Form] = Field(default_factory=list)
    data: list[PlainText | DataFile] = Field(default_factory=list)
    ignore_columns: list[PlainText] = Field(
        default_factory=list,
        description="Columns of the `data:` files that are not read, matched ignoring case: "
        "what an export adds beside the values (an enumerator's name, KoboToolbox's _uuid "
        "and _submission_time). Any other column that no indicator declares in "
        "`disaggregate_by` is an error (TOC309), once per file",
    )
    evidence: list[Evidence] = Field(default_factory=list)
    scoring: ScoringConfig = Field(default_factory=ScoringConfig)
    lint: LintConfig = Field(default_factory=LintConfig)
    # What the load that built this programme found (its errors, the ids it set aside), so
    # that scoring the Programme alone judges it as the whole load would; None when built
    # in Python. Kept on the object, never in a module table, and copied with it.
    _load_record: Any = PrivateAttr(default=None)

    def indicators(self) -> list[tuple[Result, Indicator]]:
        return [(r, i) for r in self.results for i in r.indicators]
