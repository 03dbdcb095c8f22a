"""Colours and line styles shared by every output, so the legend means the same everywhere."""

from __future__ import annotations

from ...scoring.delivery import RUBRIC

BAND_COLOURS: dict[str, str] = {
    "A++": "#1b7837",
    "A+": "#5aae61",
    "A": "#a6dba0",
    "B": "#fee08b",
    "C": "#f46d43",
    "insufficient_evidence": "#e0e0e0",
}
BAND_TEXT: dict[str, str] = {"A++": "#ffffff"}
BAND_ORDER = ("A++", "A+", "A", "B", "C", "insufficient_evidence")

# verdict -> (colour, matplotlib line style, width, short description)
LineStyle = str | tuple[int, tuple[int, int]]
VERDICT_STYLES: dict[str, tuple[str, LineStyle, float, str]] = {
    "theory_held": ("#1b7837", "solid", 2.2, "theory held"),
    "contribution_not_established": ("#5aae61", "dashed", 1.6, "contribution not established"),
    "other_pathway": ("#762a83", "dashdot", 1.6, "other pathway"),
    "implementation_failure": ("#e08214", "dotted", 1.8, "implementation failure"),
    "theory_failure_assumption": ("#b2182b", "dashed", 2.0, "theory failure (assumption)"),
    "theory_failure_mechanism": ("#b2182b", "solid", 2.0, "theory failure (mechanism)"),
    "untested": ("#9e9e9e", (0, (1, 3)), 1.0, "untested"),
}
VERDICT_ORDER = tuple(VERDICT_STYLES)
CSS_DASH = {"solid": "solid", "dashed": "dashed", "dashdot": "dashed", "dotted": "dotted"}


def band_colour(band: str) -> str:
    return BAND_COLOURS.get(band, BAND_COLOURS["insufficient_evidence"])


def band_name(band: str, scale: str = "fcdo") -> str:
    if scale == "rubric":
        return RUBRIC.get(band, band)
    return "insufficient evidence" if band == "insufficient_evidence" else band


def verdict_name(verdict: str) -> str:
    return VERDICT_STYLES.get(verdict, ("", "", 0.0, verdict.replace("_", " ")))[3]
