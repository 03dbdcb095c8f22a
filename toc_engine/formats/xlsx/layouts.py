"""The logframe layouts donors use, as header vocabularies shared by export and import.

A header is recognised after folding case, spacing and punctuation, and through common
synonyms, because every donor office retypes the template a little differently."""

from __future__ import annotations

import re

EU, FCDO = "eu", "fcdo"
LAYOUTS = (EU, FCDO)
LAYOUT_NAMES = {EU: "EU Logical Framework Matrix", FCDO: "FCDO/DFID logframe"}

# Column roles -> headers that name them (folded: see `fold`). The first is what the
# export writes.
EU_HEADERS: dict[str, tuple[str, ...]] = {
    "chain": ("results chain", "result chain", "results", "level", "hierarchy of objectives"),
    "statement": ("intervention logic", "narrative summary", "description", "statement",
                  "objectives", "result statement", "results statement"),
    "indicator": ("indicators", "indicator", "objectively verifiable indicators",
                  "ovi", "indicator name"),
    "unit": ("unit", "unit of measure", "units"),
    "direction": ("direction", "desired direction"),
    "scale": ("scale", "ordinal scale", "scale lowest first"),
    "baseline": ("baseline", "baselines", "baseline value", "baseline incl reference year",
                 "baseline value and reference year", "baselines values and years"),
    "baseline_year": ("baseline year", "baseline reference year", "baseline date",
                      "reference year"),
    "target": ("target", "targets", "target value", "targets incl reference year",
               "target value and reference year", "targets values and years"),
    "target_year": ("target year", "target reference year", "target date"),
    "current": ("current value", "latest value", "actual", "current value reference date"),
    "current_year": ("current value year", "current year", "current value date",
                     "actual year"),
    "progress": ("% of target", "percent of target", "progress"),
    "band": ("band", "rating", "score"),
    "state": ("state", "status"),
    "source": ("sources of data", "source of data", "sources", "source",
               "sources and means of verification", "means of verification", "sources of "
               "verification"),
    "assumptions": ("assumptions", "assumption", "assumptions and risks", "risks and "
                    "assumptions"),
    "contributes": ("contributes to", "contributes", "linked to", "parent"),
    "result_id": ("result id", "id"),
    "indicator_id": ("indicator id",),
}
MILESTONE = re.compile(r"^milestone ?(\d+)(?: (value|year|date))?$")
TARGET_YEAR_SUFFIX = " year"

# Results-chain labels (folded, first word or words) -> level.
LEVEL_WORDS: dict[str, str] = {
    "impact": "impact", "overall objective": "impact", "overall objectives": "impact",
    "goal": "impact", "wider objective": "impact",
    "outcome": "outcome", "outcomes": "outcome", "specific objective": "outcome",
    "specific objectives": "outcome", "purpose": "outcome",
    "output": "output", "outputs": "output", "expected result": "output",
    "expected results": "output", "result": "output",
    "activity": "activity", "activities": "activity", "input": "activity",
    "inputs": "activity",
}

FCDO_LINES = {"planned": "planned", "achieved": "achieved", "actual": "achieved",
              "source": "source", "sources": "source", "date": "date", "dates": "date",
              "achieved date": "achieved_date", "date achieved": "achieved_date"}
FCDO_COLUMNS: dict[str, tuple[str, ...]] = {
    "baseline": ("baseline",),
    "target": ("target",),
    "assumptions": ("assumptions", "assumption"),
    "weight": ("impact weighting", "impact weighting %", "weighting", "impact weight"),
    "risk": ("risk rating", "risk"),
    "band": ("band",),
    "state": ("state",),
    "contributes": ("contributes to", "contributes to outcome", "contributes to impact",
                    "outcome", "linked outcome", "relates to", "relates to outcome"),
    "result_id": ("result id",),
    "indicator_id": ("indicator id",),
    "unit": ("unit",),
    "direction": ("direction",),
    "scale": ("scale",),
}


SCALE_SEPARATOR = " < "


def split_scale(text: object) -> list[str]:
    return [p.strip() for p in str(text or "").split("<") if p.strip()]


def fold(text: object) -> str:
    """A header as compared: lower case, punctuation to spaces, single spaces."""
    if text is None:
        return ""
    out = re.sub(r"[^\w%]+", " ", str(text).lower()).strip()
    return re.sub(r"\s+", " ", out)


def role_of(header: object, vocabulary: dict[str, tuple[str, ...]]) -> str | None:
    key = fold(header)
    if not key:
        return None
    for role, names in vocabulary.items():
        if key in names:
            return role
    return None


def level_of(label: object) -> tuple[str, str] | None:
    """(level, numbering) of a results-chain label such as `Output 1.2` or `OUTCOME`."""
    key = fold(label)
    for words in sorted(LEVEL_WORDS, key=len, reverse=True):
        if key == words or key.startswith(words + " "):
            rest = key[len(words):].strip()
            number = re.match(r"^(\d+(?:[ .]\d+)*)", rest)
            return LEVEL_WORDS[words], number.group(1).replace(" ", ".") if number else ""
    return None
