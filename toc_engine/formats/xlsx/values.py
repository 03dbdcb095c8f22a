"""Reading a logframe's value cells: a number, a percentage, or either with its period
(`41% (2013)`, `40% by 2016`, `2012: 150`), and a number cell formatted as percent.
Anything else (`approx. 40%`, `at least half`, `30-40`) is not read: the caller writes it
as a comment naming its cell, never a guess."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ...schema.periods import PeriodError, parse_period

NUMBER = r"[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−]?\d+(?:\.\d+)?"
PERIOD = r"\d{4}(?:-[Qq][1-4]|-\d{2}(?:-\d{2})?)?"
FORMS = [
    re.compile(rf"^(?P<n>{NUMBER})\s*(?P<p>%|percent|per cent)?$", re.I),
    re.compile(rf"^(?P<n>{NUMBER})\s*(?P<p>%|percent|per cent)?\s*[(\[]\s*(?:in\s+)?"
               rf"(?P<y>{PERIOD})\s*[)\]]$", re.I),
    re.compile(rf"^(?P<n>{NUMBER})\s*(?P<p>%|percent|per cent)?\s*,?\s*(?:by|in|at|for|as of"
               rf"|end of|-|–)\s+(?P<y>{PERIOD})$", re.I),
    re.compile(rf"^(?P<y>{PERIOD})\s*[:=–-]\s*(?P<n>{NUMBER})\s*(?P<p>%|percent|per cent)?$",
               re.I),
]


@dataclass(frozen=True)
class Reading:
    """A value cell as read: `value` is None when the cell could not be read."""

    value: Decimal | None
    percent: bool = False
    period: str | None = None
    text: str = ""  # the cell as written, for the comment when it was not read


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("−", "-"))


def _clean(value: Decimal) -> Decimal:
    """`41.0` -> `41`, `0.41*100` -> `41`: the number as a person would write it."""
    value = value.quantize(Decimal("1e-9")).normalize() if value == value else value
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def read_value(value: Any, number_format: str = "General") -> Reading:
    if isinstance(value, bool):
        return Reading(None, text=str(value))
    if isinstance(value, int | float):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            return Reading(None, text=str(value))
        if not number.is_finite():
            return Reading(None, text=str(value))
        if "%" in number_format:
            return Reading(_clean(number * 100), True)
        return Reading(_clean(number))
    text = " ".join(str(value).split())
    for form in FORMS:
        match = form.match(text)
        if match:
            period = match.groupdict().get("y")
            if period:
                try:
                    parse_period(period)
                except PeriodError:
                    return Reading(None, text=text)
            return Reading(_clean(_decimal(match.group("n"))), bool(match.group("p")), period,
                           text)
    return Reading(None, text=text)


def read_period(value: Any) -> str | None:
    """A period cell: a year (number or text), a quarter, a month or a date."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    text = re.sub(r"^(?:by|in|end of|as of|date:?)\s+", "", text, flags=re.I)
    span = re.fullmatch(rf"({PERIOD})\s*/\s*({PERIOD})", text)
    if span:  # a range, as the engine writes {start, end}
        try:
            parse_period({"start": span.group(1), "end": span.group(2)})
        except PeriodError:
            return None
        return f"{span.group(1).upper()}/{span.group(2).upper()}"
    if not re.fullmatch(PERIOD, text):
        match = re.fullmatch(rf"(?:[A-Za-z]+\.?\s+)?({PERIOD})", text)
        if match is None:
            return None
        text = match.group(1)
    try:
        parse_period(text)
    except PeriodError:
        return None
    return text.upper() if "q" in text else text


def as_period(text: str) -> Any:
    """A period as read (`2012`, `2012-Q4`, `2012-01/2012-06`) in the form the format takes."""
    if "/" in text:
        start, end = text.split("/", 1)
        return {"start": start, "end": end}
    return text


def period_in_header(text: Any) -> str | None:
    """`Milestone 1 (Mar 2012)`, `Target (2013)`: the period in a header, if any."""
    match = re.search(rf"[(\[]\s*(?:[A-Za-z]+\.?\s+)?({PERIOD})\s*[)\]]", str(text or ""))
    return read_period(match.group(1)) if match else None
