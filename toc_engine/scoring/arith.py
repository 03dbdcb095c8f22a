"""Exact decimal helpers shared by progress, delivery and design.

Scores are banded after rounding to nine places (scoring.md), so the rounding
rule lives in one place and 62.5 can never become 62.4999999.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

NINE_PLACES = Decimal("1e-9")
ZERO = Decimal(0)
ONE = Decimal(1)
CLAMP_HIGH = Decimal("1.5")
HUNDRED = Decimal(100)


def q9(value: Decimal) -> Decimal:
    """Round half up to nine decimal places, the precision every band is decided at."""
    return value.quantize(NINE_PLACES, rounding=ROUND_HALF_UP)


def clamp(progress: Decimal) -> Decimal:
    """Progress as scored: overshoot counts up to 150%, shortfall never below zero."""
    return min(max(progress, ZERO), CLAMP_HIGH)


def fmt(value: Decimal | None) -> str:
    """A decimal as people write it: no exponent, no trailing zeros."""
    if value is None:
        return "n/a"
    if value.is_finite():
        return _fmt_finite(value)
    return _fmt(value)


def _fmt(value: Decimal) -> str:
    rounded = q9(value).normalize()
    text = format(rounded, "f")
    return "0" if text in ("-0", "") else text


# Reports print the same numbers many times (targets, values, per-site actuals); equal
# values always print alike (-0 prints as 0), so the text is cached by value.
_fmt_finite = lru_cache(maxsize=1 << 16)(_fmt)
