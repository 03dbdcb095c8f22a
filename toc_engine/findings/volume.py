"""Keeping a report readable whatever the input: repeated findings are summarised.

One mistake in a generated or exported file (a header of a million columns, a column
of bad values) can repeat a finding of one rule in one file thousands of times. The
first ones say everything; the rest are one line that counts them.
"""

from __future__ import annotations

from collections import Counter

from .diagnostic import Diagnostic

REPEATS_SHOWN = 50  # findings of one rule in one file shown before the rest are counted


def cap_repeats(found: list[Diagnostic], shown: int = REPEATS_SHOWN) -> list[Diagnostic]:
    """`found` with at most `shown` findings per (rule, file), in order, each group that
    had more followed by one finding that counts the others."""
    counts = Counter((d.code, d.span.file) for d in found)
    if not counts or max(counts.values()) <= shown:
        return found
    kept: list[Diagnostic] = []
    seen: Counter[tuple[str, str]] = Counter()
    for d in found:
        key = (d.code, d.span.file)
        seen[key] += 1
        if seen[key] <= shown:
            kept.append(d)
        elif seen[key] == shown + 1:
            more = counts[key] - shown
            kept.append(
                Diagnostic(
                    code=d.code,
                    symbol=d.symbol,
                    severity=d.severity,
                    message=f"and {more:,} more {d.code} findings in {d.span.file} like the "
                    f"{shown} above (the first of them here)",
                    span=d.span,
                    hint="fix the first ones: the rest are most likely the same mistake",
                    more=more - 1,
                )
            )
    return kept
