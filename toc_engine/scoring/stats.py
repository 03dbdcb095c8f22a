"""Survey uncertainty: Wilson score intervals and Newcombe's hybrid score interval.

Why these two: the Wald interval misbehaves for the small samples and extreme
shares common in community surveys (it can leave [0, 1]); Wilson does not, and
Newcombe's method 10 (1998) builds the interval for a difference of two
independent proportions from the two Wilson intervals, with good coverage.
"""

from __future__ import annotations

import math

Z95 = 1.959963984540054  # two-sided 95% normal quantile


def wilson(share: float, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion `share` (0-1) observed in `n` respondents."""
    if n <= 0:
        raise ValueError("a Wilson interval needs a sample size of at least 1")
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"a proportion must lie in [0, 1], got {share}")
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (share + z2 / (2 * n)) / denominator
    half = z * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(
    share1: float, n1: int, share2: float, n2: int, z: float = Z95
) -> tuple[float, float, float]:
    """Difference share1 - share2 with Newcombe's hybrid score 95% interval (method 10)."""
    low1, high1 = wilson(share1, n1, z)
    low2, high2 = wilson(share2, n2, z)
    difference = share1 - share2
    lower = difference - math.sqrt((share1 - low1) ** 2 + (high2 - share2) ** 2)
    upper = difference + math.sqrt((high1 - share1) ** 2 + (share2 - low2) ** 2)
    return difference, lower, upper
