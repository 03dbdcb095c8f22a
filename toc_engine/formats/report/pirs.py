"""Performance Indicator Reference Sheets (after USAID's PIRS), one per indicator, as Markdown.

Each sheet answers the questions a new M&E officer or an auditor asks of an
indicator: what exactly is counted, in what unit, broken down how, why this
indicator, where the data come from and how, how often, from what baseline to
what targets (with revisions), and what is known to be weak about it.
"""

from __future__ import annotations

from ...schema.model import Indicator, Programme, Result
from .i18n import pick
from .markdown import esc

MISSING = "*not stated: add it to the programme file*"


def _value(value: object) -> str:
    text = str(value)
    return text


def sheet(programme: Programme, result: Result, indicator: Indicator, lang: str = "en") -> str:
    def field(value: str | dict[str, str] | None) -> str:
        text = pick(value, lang)
        return esc(text) if text else MISSING

    rows: list[tuple[str, str]] = [
        ("Result", f"{esc(result.id)} ({esc(result.level)}): {field(result.statement)}"),
        ("Definition", field(indicator.definition)),
        ("Measure", indicator.measure.value + (
            f" (scale, lowest first: {esc(', '.join(indicator.scale))})"
            if indicator.scale else "")),
        ("Unit", esc(indicator.unit or ("percent" if indicator.measure.value == "percentage"
                                        else "")) or MISSING),
        ("Direction", indicator.direction.value if indicator.direction else "–"),
        ("Values over time", "cumulative: each value is what was added in its period"
         if indicator.cumulative else "each value is the level in its period"),
        ("Disaggregation", esc(", ".join(indicator.disaggregate_by)) or "none"),
        ("Rationale", field(indicator.rationale)),
        ("Chosen by", (indicator.chosen_by.value if indicator.chosen_by else MISSING)
         + (f" — {esc(pick(indicator.chosen_how, lang))}" if indicator.chosen_how else "")),
        ("Data source", esc(indicator.source) if indicator.source else MISSING),
        ("Collection method", indicator.method.value.replace("_", " ")
         if indicator.method else MISSING),
        ("Frequency", esc(indicator.frequency) if indicator.frequency else MISSING),
        ("Baseline", (
            f"{esc(_value(indicator.baseline.value))} ({esc(str(indicator.baseline.period))})"
            + (f", n = {indicator.baseline.sample_size}"
               if indicator.baseline.sample_size else "")
        ) if indicator.baseline else MISSING),
    ]
    targets = []
    for t in sorted(indicator.targets, key=lambda t: (t.period.end, t.period.start)):
        who = ", ".join(([f"site={t.site}"] if t.site else [])
                        + [f"{k}={v}" for k, v in sorted(t.dimensions.items())])
        line = f"{esc(str(t.period))}: {esc(_value(t.value))}" + (f" ({esc(who)})" if who else "")
        if t.revised is not None:
            line += (f" — revised {t.revised.date.isoformat()} from "
                     f"{esc(_value(t.revised.from_))}: {esc(pick(t.revised.reason, lang))}")
        if t.period.end > programme.programme.as_of:  # scoring.md §7
            line += (f" — falls due {t.period.end.isoformat()}, after the assessment "
                     f"({programme.programme.as_of.isoformat()}): progress on it is interim")
        targets.append(line)
    rows.append(("Targets", "<br>".join(targets) if targets else (
        "none (qualitative: judged through evidence)" if indicator.measure.value ==
        "qualitative" else MISSING)))
    rows.append(("Known limitations", field(indicator.limitations)))
    if indicator.sensitive or indicator.safeguarding:
        threshold = max(3, indicator.suppress_below or programme.scoring.suppress_below)
        rows.append(("Safeguarding", "sensitive: values below "
                     f"{threshold} are suppressed in every output"
                     + (f". {esc(pick(indicator.safeguarding, lang))}"
                        if indicator.safeguarding else "")))
    if indicator.references:
        rows.append(("References", esc("; ".join(indicator.references))))
    if indicator.use:
        rows.append(("Library entry", esc(indicator.use)))
    body = "\n".join(f"| {name} | {text} |" for name, text in rows)
    return (
        f"## {esc(indicator.id)}: {esc(pick(indicator.name, lang))}\n\n"
        f"| field | |\n|---|---|\n{body}\n"
    )


def render(programme: Programme, lang: str = "en", only: str | None = None) -> str:
    title = pick(programme.programme.title, lang)
    parts = [
        f"# Performance Indicator Reference Sheets: {esc(title)}\n",
        f"Programme {esc(programme.programme.id)}. One sheet per indicator; fields marked "
        "*not stated* are missing from the programme file.\n",
    ]
    for result, indicator in programme.indicators():
        if only and indicator.id != only:
            continue
        parts.append(sheet(programme, result, indicator, lang))
    return "\n".join(parts)
