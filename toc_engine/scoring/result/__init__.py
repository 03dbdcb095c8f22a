"""Typed, frozen results of scoring, and their versioned JSON data.

Every number a report prints lives in one of these objects, so the terminal
text, `--explain`, JSON and other formatters can never disagree. Objects are
built after safeguarding, so no output can leak a withheld or suppressed value.
Each has `to_json()`: its part of the JSON contract (docs/schema/score.schema.json),
as plain data; rename nothing. The text is written in formats/score/json.py.
"""

from .indicators import (
    Breakdowns,
    IndicatorScore,
    Interval,
    Lines,
    MissingValue,
    SeriesRecord,
    SeriesScore,
    SurveyStats,
    TargetPoint,
    ValuePoint,
    Whole,
    num,
    series_label,
    series_records,
)
from .programme import (
    ROLLUP_NOTE,
    SCHEMA_VERSION,
    Check,
    Criterion,
    DesignScore,
    Gap,
    LevelRollup,
    ProgrammeScore,
    Safeguarding,
)
from .results import (
    AssumptionScore,
    ClaimEffect,
    Delivery,
    Hypothesis,
    LinkScore,
    ResultScore,
    RivalScore,
)

__all__ = [
    "ROLLUP_NOTE",
    "SCHEMA_VERSION",
    "AssumptionScore",
    "Breakdowns",
    "Check",
    "ClaimEffect",
    "Criterion",
    "Delivery",
    "DesignScore",
    "Gap",
    "Hypothesis",
    "IndicatorScore",
    "Interval",
    "LevelRollup",
    "Lines",
    "LinkScore",
    "MissingValue",
    "ProgrammeScore",
    "ResultScore",
    "RivalScore",
    "Safeguarding",
    "SeriesRecord",
    "SeriesScore",
    "SurveyStats",
    "TargetPoint",
    "ValuePoint",
    "Whole",
    "num",
    "series_label",
    "series_records",
]
