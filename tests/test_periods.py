"""Periods and durations as users write them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toc_engine.schema.periods import Period, PeriodError, parse_date, parse_duration, parse_period


@pytest.mark.parametrize(
    ("written", "start", "end", "text"),
    [
        (2012, date(2012, 1, 1), date(2012, 12, 31), "2012"),
        ("2012", date(2012, 1, 1), date(2012, 12, 31), "2012"),
        ("2012-Q1", date(2012, 1, 1), date(2012, 3, 31), "2012-Q1"),
        ("2012-q4", date(2012, 10, 1), date(2012, 12, 31), "2012-Q4"),
        ("2012-02", date(2012, 2, 1), date(2012, 2, 29), "2012-02"),
        ("2013-02", date(2013, 2, 1), date(2013, 2, 28), "2013-02"),
        ("2012-11-15", date(2012, 11, 15), date(2012, 11, 15), "2012-11-15"),
        (" 2012-11 ", date(2012, 11, 1), date(2012, 11, 30), "2012-11"),
        (date(2012, 5, 6), date(2012, 5, 6), date(2012, 5, 6), "2012-05-06"),
        ({"start": "2012-01-01", "end": "2012-06-30"}, date(2012, 1, 1), date(2012, 6, 30),
         "2012-01-01/2012-06-30"),
        ({"start": 2011, "end": "2012-Q2"}, date(2011, 1, 1), date(2012, 6, 30), "2011/2012-Q2"),
    ],
)
def test_accepted_periods(written: object, start: date, end: date, text: str) -> None:
    period = parse_period(written)
    assert (period.start, period.end, period.text, str(period)) == (start, end, text, text)


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("2012-02-30", "February 2012 has 29 days"),
        ("2013-02-29", "February 2013 has 28 days"),
        ("2012-13", "months run from 01 to 12"),
        ("2012-00-10", "months run from 01 to 12"),
        ("2012-Q5", "not a period"),
        ("12", "not a period"),
        ("2012/2013", "not a period"),
        ("soon", "not a period"),
        (True, "not a period"),
        (1.5, "not a period"),
        ({"start": "2012-06-01"}, "needs exactly `start` and `end`"),
        ({"start": 2012, "end": 2013, "step": 1}, "needs exactly `start` and `end`"),
        ({"start": "2013", "end": "2012"}, "before it starts"),
    ],
)
def test_rejected_periods_say_why(written: object, words: str) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(written)
    assert words in str(raised.value)


def test_period_helpers() -> None:
    period = parse_period("2012-Q1")
    assert period.days == 31 + 29 + 31
    assert period.contains(date(2012, 3, 31)) and not period.contains(date(2012, 4, 1))
    assert parse_period(period) is period
    assert parse_period("2012") < parse_period("2012-Q2")  # ordered by start, then end
    assert isinstance(period, Period)


def test_ranges_may_be_one_day_or_more() -> None:
    assert parse_period({"start": "2012-03-01", "end": "2012-03-01"}).days == 1


@pytest.mark.parametrize("bad", ["2012-02-30", "2012-11", "15/11/2012", "", "2012-1-5"])
def test_parse_date_rejects(bad: str) -> None:
    with pytest.raises(PeriodError):
        parse_date(bad)


def test_parse_date_accepts() -> None:
    assert parse_date("2012-02-29") == date(2012, 2, 29)
    assert parse_date(date(2012, 1, 2)) == date(2012, 1, 2)


@pytest.mark.parametrize(
    ("written", "start", "after"),
    [
        ("P6M", date(2012, 1, 31), date(2012, 7, 31)),
        ("P1M", date(2012, 1, 31), date(2012, 2, 29)),
        ("P1Y", date(2012, 2, 29), date(2013, 2, 28)),
        ("P2W", date(2012, 1, 1), date(2012, 1, 15)),
        ("P90D", date(2012, 1, 1), date(2012, 3, 31)),
        ("P1Y6M", date(2012, 12, 15), date(2014, 6, 15)),
        ("P11M", date(2012, 3, 1), date(2013, 2, 1)),
    ],
)
def test_durations(written: str, start: date, after: date) -> None:
    assert parse_duration(written).after(start) == after


@pytest.mark.parametrize("bad", ["P", "6M", "P6X", "PT6H", "", "P-1M"])
def test_bad_durations(bad: str) -> None:
    with pytest.raises(PeriodError):
        parse_duration(bad)


@pytest.mark.parametrize(
    ("written", "words", "hint"),
    [
        ("31/03/2013", "a date is written YYYY-MM-DD", "did you mean 2013-03-31?"),
        ("12/31/2013", "a date is written YYYY-MM-DD", "did you mean 2013-12-31?"),
        ("31.03.2013", "a date is written YYYY-MM-DD", "did you mean 2013-03-31?"),
        ("2013/03/31", "a date is written YYYY-MM-DD", "did you mean 2013-03-31?"),
        ("04/04/2013", "a date is written YYYY-MM-DD", "did you mean 2013-04-04?"),
        ("03/04/2013", "could be day first or month first",
         "write 2013-04-03 if the day comes first, 2013-03-04 if the month does"),
        ("03/2013", "a month is written YYYY-MM", "did you mean 2013-03?"),
        ("2013-3", "a month is written YYYY-MM", "did you mean 2013-03?"),
        ("2013/11", "a month is written YYYY-MM", "did you mean 2013-11?"),
        ("2013-3-5", "a date is written YYYY-MM-DD", "did you mean 2013-03-05?"),
        ("Q1 2013", "a quarter is written YYYY-Qn", "did you mean 2013-Q1?"),
        ("2013 Q1", "a quarter is written YYYY-Qn", "did you mean 2013-Q1?"),
        ("2013Q1", "a quarter is written YYYY-Qn", "did you mean 2013-Q1?"),
        ("2024Q4", "a quarter is written YYYY-Qn", "did you mean 2024-Q4?"),
        ("q2-2012", "a quarter is written YYYY-Qn", "did you mean 2012-Q2?"),
        ("32/13/2013", "is not a period; write a year", ""),
        ("31/02/2013", "is not a period; write a year", ""),
        ("2013 Q5", "is not a period; write a year", ""),
    ],
)
def test_local_spellings_get_a_did_you_mean(written: str, words: str, hint: str) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(written)
    assert words in str(raised.value)
    assert raised.value.hint == hint


def test_a_local_date_where_a_date_belongs_gets_the_same_hint() -> None:
    with pytest.raises(PeriodError) as raised:
        parse_date("31/03/2013")
    assert raised.value.hint == "did you mean 2013-03-31?"


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("42,5", "use a point: 42.5"),
        (" -0,42 ", "use a point: -0.42"),
        ("1.234,5", "use a point: 1234.5"),
        ("1,500", "use a point for a decimal (1.500) and no thousands separator (1500)"),
        ("42.5", ""),
        ("1,2,3", ""),
        ("n/a", ""),
    ],
)
def test_decimal_commas_get_a_point(written: str, hint: str) -> None:
    from toc_engine.findings.suggest import decimal_point

    assert decimal_point(written) == hint


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
       st.sampled_from(["/", ".", "-"]), st.booleans(), st.booleans())
def test_property_a_local_date_is_never_guessed_wrong(day: date, sep: str, day_first: bool,
                                                       padded: bool) -> None:
    """Whatever the order and separator, the hint names the date that was written; when
    day and month could be swapped it names both readings, never one silently."""
    first, second = (day.day, day.month) if day_first else (day.month, day.day)
    width = 2 if padded else 1
    written = f"{first:0{width}d}{sep}{second:0{width}d}{sep}{day.year}"
    with pytest.raises(PeriodError) as raised:
        parse_period(written)
    hint = raised.value.hint
    assert day.isoformat() in hint
    swapped_is_a_date = day.day <= 12 and day.day != day.month
    assert ("if the day comes first" in hint) == swapped_is_a_date


@given(st.integers(1000, 9999), st.integers(1, 4),
       st.sampled_from(["Q{q} {y}", "{y} Q{q}", "{y}Q{q}", "q{q}-{y}", "{y}/q{q}", "Q{q}/{y}"]))
def test_property_every_quarter_spelling_points_at_one_quarter(year: int, quarter: int,
                                                               form: str) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(form.format(q=quarter, y=year))
    assert raised.value.hint == f"did you mean {year}-Q{quarter}?"
