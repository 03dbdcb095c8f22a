"""The one way the engine guesses what a mistyped word was meant to be.

Every "did you mean ...?" hint, whatever the stage, comes from here, so a user sees
the same guess for the same typo everywhere and the threshold is tuned in one place.
"""

from __future__ import annotations

import difflib
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
