"""Periods as users write them (`2012`, `2012-Q4`, `2012-11`, `2012-11-15`, `{start, end}`).

Every period becomes a closed interval of calendar dates, so comparisons
("does the target's period contain the observation's end?") are plain date
arithmetic and never depend on how the period was written.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DURATION = re.compile(
    r"^P(?:(?P<y>\d+)Y)?(?:(?P<m>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?$"
)

PERIOD_HELP = (
    "write a year (2012), a quarter (2012-Q4), a month (2012-11), a date (2012-11-15) "
    "or a range {start: 2012-01-01, end: 2012-06-30}"
)


class PeriodError(ValueError):
    """A period that cannot be read; the message says what would be accepted, and `hint`
    what the user probably meant (a local date or quarter spelt the accepted way)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True, slots=True, order=True)
class Period:
    start: date
    end: date
    text: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.text


def _checked_date(year: int, month: int, day: int, text: str) -> date:
    if not 1 <= month <= 12:
        raise PeriodError(f"'{text}' has month {month:02d}; months run from 01 to 12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise PeriodError(
            f"'{text}' is not a real date: {calendar.month_name[month]} {year} has {last} days"
        )
    return date(year, month, day)


def parse_date(value: Any) -> date:
    """A single calendar day written as YYYY-MM-DD (or a `date` already)."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DATE.match(text)
    if not match:
        local = _local_spelling(text)
        hint = local[1] if local is not None and "Q" not in local[1] else ""
        raise PeriodError(f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2012-11-15",
                          hint)
    year, month, day = (int(g) for g in match.groups())
    return _checked_date(year, month, day, text)


def _parse_single(text: str) -> Period:
    if m := _YEAR.match(text):
        year = int(m.group(1))
        return Period(date(year, 1, 1), date(year, 12, 31), text)
    if m := _QUARTER.match(text):
        year, quarter = int(m.group(1)), int(m.group(2))
        first = 3 * quarter - 2
        last = first + 2
        return Period(
            date(year, first, 1),
            date(year, last, calendar.monthrange(year, last)[1]),
            f"{year}-Q{quarter}",
        )
    if m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        start = _checked_date(year, month, 1, text)
        return Period(start, date(year, month, calendar.monthrange(year, month)[1]), text)
    if _DATE.match(text):
        day = parse_date(text)
        return Period(day, day, text)
    shown = text if len(text) <= 40 else text[:40] + "…"  # a 1,000,000-character cell
    local = _local_spelling(text)
    if local is not None:
        raise PeriodError(f"'{shown}' is not a period: {local[0]}", local[1])
    raise PeriodError(f"'{shown}' is not a period; {PERIOD_HELP}")


# Spellings that spreadsheets and survey exports use for dates and quarters.
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")
_YEAR_MONTH_DAY = re.compile(r"^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})[/.-](\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_LOOSE_QUARTER = re.compile(
    r"^(?:[Qq]([1-4])[\s/_-]*(\d{4})|(\d{4})(?:\s*|[/_]|\s*-\s+|\s+-\s*)[Qq]([1-4]))$"
)


def _real(year: int, month: int, day: int) -> str:
    """The ISO spelling of a real date, or ""."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


def _local_spelling(text: str) -> tuple[str, str] | None:
    """(what is wrong, the hint) for a date or quarter written another way; None if `text`
    is not one. Both readings of a date are given when day and month could be swapped."""
    if m := _LOOSE_QUARTER.match(text):
        quarter, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return "a quarter is written YYYY-Qn", f"did you mean {year}-Q{quarter}?"
    if m := _YEAR_MONTH_DAY.match(text):
        iso = _real(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        if iso:
            return "a date is written YYYY-MM-DD", f"did you mean {iso}?"
        return None
    if m := _YEAR_MONTH.match(text):
        year, month = m.group(1), int(m.group(2))
        if 1 <= month <= 12:
            return "a month is written YYYY-MM", f"did you mean {year}-{month:02d}?"
        return None
    if m := _MONTH_YEAR.match(text):
        month, year = int(m.group(1)), m.group(2)
        if 1 <= month <= 12:
            return "a month is written YYYY-MM", f"did you mean {year}-{month:02d}?"
        return None
    if m := _DAY_MONTH_YEAR.match(text):
        first, second, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        day_first, month_first = _real(year, second, first), _real(year, first, second)
        if day_first and month_first and day_first != month_first:
            return (
                "the date could be day first or month first; a date is written YYYY-MM-DD",
                f"write {day_first} if the day comes first, {month_first} if the month does",
            )
        if day_first or month_first:
            return "a date is written YYYY-MM-DD", f"did you mean {day_first or month_first}?"
    return None


def parse_period(value: Any) -> Period:
    """Read any accepted period notation; raise PeriodError with a fix otherwise."""
    if isinstance(value, Period):
        return value
    if isinstance(value, bool):
        raise PeriodError(f"'{value}' is not a period; {PERIOD_HELP}")
    if isinstance(value, int):
        return _parse_single(str(value))
    if isinstance(value, date):
        return Period(value, value, value.isoformat())
    if isinstance(value, str):
        return _parse_single(value.strip())
    if isinstance(value, dict):
        unknown = set(value) - {"start", "end"}
        if unknown or "start" not in value or "end" not in value:
            raise PeriodError(f"a period range needs exactly `start` and `end`; {PERIOD_HELP}")
        start = _parse_single(str(value["start"]).strip())
        end = _parse_single(str(value["end"]).strip())
        if end.end < start.start:
            raise PeriodError(
                f"the range ends ({end.text}) before it starts ({start.text}); swap them"
            )
        return Period(start.start, end.end, f"{start.text}/{end.text}")
    raise PeriodError(f"{value!r} is not a period; {PERIOD_HELP}")


@dataclass(frozen=True, slots=True)
class Duration:
    """An ISO 8601 duration such as P6M, kept as years, months and days."""

    years: int
    months: int
    days: int
    text: str

    def after(self, day: date) -> date:
        months = day.month - 1 + self.months + 12 * self.years
        year = day.year + months // 12
        month = months % 12 + 1
        clipped = min(day.day, calendar.monthrange(year, month)[1])
        return date(year, month, clipped) + timedelta(days=self.days)


def parse_duration(value: Any) -> Duration:
    text = str(value).strip()
    match = _DURATION.match(text)
    if not match or text == "P":
        raise PeriodError(
            f"'{text}' is not an ISO 8601 duration; write e.g. P6M (six months), P1Y or P90D"
        )
    parts = {k: int(v) if v else 0 for k, v in match.groupdict().items()}
    return Duration(parts["y"], parts["m"], parts["d"] + 7 * parts["w"], text)
