"""The one way the engine guesses what a mistyped word was meant to be.

Every "did you mean ...?" hint, whatever the stage, comes from here, so a user sees
the same guess for the same typo everywhere and the threshold is tuned in one place.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

CUTOFF = 0.6
"""How alike (0 to 1, difflib's ratio) a choice must be to the word to be suggested."""


def suggestions(word: str, choices: Iterable[str], n: int = 1) -> list[str]:
    """Up to `n` choices close to `word`, the closest first."""
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=CUTOFF)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """The choice closest to `word`, or "" when none is close enough."""
    close = suggestions(word, choices)
    return close[0] if close else ""


_DECIMAL_COMMA = re.compile(r"^([+-]?)(\d{1,3}(?:\.\d{3})+|\d+),(\d+)$")


def decimal_point(text: str) -> str:
    """A hint for a number written with a decimal comma ("42,5": "use a point: 42.5"),
    or "" when `text` is not one. "1,500" could be a thousands separator, so both
    readings are offered."""
    match = _DECIMAL_COMMA.match(text.strip())
    if match is None:
        return ""
    sign, whole, fraction = match.groups()
    whole = whole.replace(".", "")
    if len(fraction) == 3 and "." not in match.group(2):
        return (f"use a point for a decimal ({sign}{whole}.{fraction}) and no thousands "
                f"separator ({sign}{whole}{fraction})")
    return f"use a point: {sign}{whole}.{fraction}"
