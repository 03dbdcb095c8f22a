"""A one-page feedback sheet per site for the community working group (phase 7 of the
community security cycle: results go back to the people who named the problems).

Written for rooms where not everyone reads: each community priority, what was
done about it, and whether it changed, shown with large pictorial bars, a big
status sign, and few words. Text comes in the reader's language (`--lang`);
the page declares it and names fonts for Devanagari and Bengali. Inline CSS
and SVG only: it prints on one A4 sheet per site and needs no network.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ...schema.model import Indicator, Priority, Programme, Result
from ...scoring.result import IndicatorScore, ProgrammeScore, ResultScore
from ..safe_text import for_xml
from .html import esc
from .i18n import font_stack, pick, word

STATUS_COLOURS = {"yes": "#1b7837", "partly": "#e0a100", "no": "#b2182b", "unknown": "#8a8a8a"}
HIGH_LEVELS = ("outcome", "impact")


@dataclass(frozen=True)
class Bars:
    before: float | None
    now: float | None
    goal: float | None
    top: float
    unit: str
    hidden: bool = False
    names: tuple[str, ...] = ()  # an ordinal scale: values are shown by their names


CSS = """
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: FONTS; margin: 0; color: #111; font-size: 18px; line-height: 1.35; }
.sheet { max-width: 190mm; margin: 0 auto; padding: 6mm 0; break-after: page; }
.sheet:last-child { break-after: auto; }
h1 { font-size: 26px; margin: 0 0 4px; }
.where { font-size: 16px; color: #444; margin-bottom: 10px; }
.priority { border: 3px solid #333; border-radius: 14px; padding: 10px 14px; margin: 12px 0;
  display: grid; grid-template-columns: 84px 1fr; gap: 6px 14px; break-inside: avoid; }
.sign { grid-row: span 3; }
.concern { font-size: 22px; font-weight: bold; }
.done { font-size: 17px; }
.label { font-weight: bold; color: #333; }
.bars svg { width: 100%; max-width: 150mm; height: auto; }
.rank { display: inline-block; min-width: 34px; height: 34px; border-radius: 17px;
  background: #333; color: #fff; text-align: center; line-height: 34px; margin-right: 8px; }
@media print { body { font-size: 16px; } }
"""


def _sign(status: str, label: str) -> str:
    colour = STATUS_COLOURS[status]
    marks = {
        "yes": '<path d="M22 42 L36 56 L62 28" stroke="#fff" stroke-width="9" fill="none" '
               'stroke-linecap="round" stroke-linejoin="round"/>',
        "partly": '<path d="M40 8 A32 32 0 0 1 40 72 Z" fill="#fff" opacity="0.85"/>',
        "no": '<path d="M24 40 L56 40" stroke="#fff" stroke-width="9" stroke-linecap="round"/>',
        "unknown": '<text x="40" y="54" font-size="40" text-anchor="middle" fill="#fff" '
                   'font-family="sans-serif" font-weight="bold">?</text>',
    }
    return (
        f'<svg class="sign" viewBox="0 0 80 80" width="80" height="80" role="img" '
        f'aria-label="{esc(label)}"><circle cx="40" cy="40" r="36" fill="{colour}"/>'
        f"{marks[status]}</svg>"
    )


def _bars_svg(bars: Bars, lang: str) -> str:
    if bars.hidden:
        return ""
    rows = [(word("before", lang), bars.before, "#9e9e9e"),
            (word("now", lang), bars.now, "#1f4e9c"),
            (word("goal", lang), bars.goal, "#ffffff")]
    rows = [r for r in rows if r[1] is not None]
    if not rows:
        return ""
    height = 46 * len(rows) + 4
    # Wide enough for the longest value label beside the longest bar (24px bold digits
    # are at most about 16px wide), so no label is cut off at the right edge.
    longest = max(len(f"{_shown(value, bars)}{bars.unit}") for _, value, _ in rows
                  if value is not None)
    width = max(600, 540 + 16 * longest + 8)
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="'
             + esc(", ".join(f"{name} {_shown(value, bars)}" for name, value, _ in rows
                             if value is not None))
             + '">']
    for index, (name, value, colour) in enumerate(rows):
        assert value is not None
        y = 4 + index * 46
        bar = 0 if bars.top <= 0 else max(4.0, 420 * value / bars.top)
        stroke = ' stroke="#1f4e9c" stroke-width="4" stroke-dasharray="10 6"' if colour == (
            "#ffffff") else ""
        parts.append(
            f'<text x="0" y="{y + 28}" font-size="22">{esc(name)}</text>'
            f'<rect x="110" y="{y}" width="{bar:.1f}" height="38" rx="8" fill="{colour}"'
            f"{stroke}/>"
            f'<text x="{110 + bar + 10:.1f}" y="{y + 28}" font-size="24" '
            f'font-weight="bold">{esc(_shown(value, bars))}{esc(bars.unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _shown(value: float, bars: Bars) -> str:
    """A value as the sheet prints it: an ordinal position by its scale name."""
    if bars.names and value == int(value) and 0 <= value < len(bars.names):
        return bars.names[int(value)]
    return f"{value:g}"


def _number(point_value: Decimal | None) -> float | None:
    return None if point_value is None else float(point_value)


def _bars(indicator: Indicator, score: IndicatorScore, site: str, local: bool) -> Bars:
    """Before / now / goal of this site's own values (scoring.md §1: a site's page never
    shows a programme-wide number or goal as if it were the site's): its series, with a
    goal only when the target is its own; or the indicator's totals when the result is
    this site's alone (`local`: every priority it addresses is the site's)."""
    hidden = not local
    actual, target = (score.actual, score.target) if local else (None, None)
    before = _number(score.baseline.value) if local and score.baseline else None
    for series in score.series:
        if series.site == site and not series.dimensions:
            hidden = series.suppressed
            actual = series.actual
            target = series.target if series.target is not None and series.target.own else None
            before = None
    now = _number(actual.value) if actual else None
    goal = _number(target.value) if target else None
    if indicator.measure.value == "percentage":
        top, unit = 100.0, "%"
    elif indicator.measure.value == "ordinal" and indicator.scale:
        top, unit = float(len(indicator.scale) - 1), ""
    else:
        top, unit = max([v for v in (before, now, goal) if v is not None] or [1.0]), ""
    names = tuple(str(n) for n in indicator.scale or ()) if indicator.measure.value == (
        "ordinal") else ()
    return Bars(before, now, goal, top, unit, hidden, names)


def _status(results: list[ResultScore]) -> str:
    judged = [r for r in results if r.level in HIGH_LEVELS] or results
    states = {r.state for r in judged}
    if not judged or states == {"unknown"}:
        return "unknown"
    if states <= {"achieved", "unknown"}:
        return "yes"
    if "achieved" in states or "in_progress" in states or any(
        r.delivery.d is not None and r.delivery.d > 0 for r in judged
    ):
        return "partly"
    return "no"


def _priority(programme: Programme, score: ProgrammeScore, priority: Priority, site: str,
              lang: str) -> str:
    addressing: list[Result] = [r for r in programme.results if priority.id in r.addresses]
    scores = {r.id: r for r in score.results}
    judged = [scores[r.id] for r in addressing if r.id in scores]
    status = _status(judged) if addressing else "unknown"
    done = [pick(r.statement, lang) for r in addressing if r.level not in HIGH_LEVELS] or [
        pick(r.statement, lang) for r in addressing
    ]
    rank = f'<span class="rank">{priority.rank}</span>' if priority.rank else ""
    parts = [
        '<section class="priority">',
        _sign(status, word(status, lang)),
        f'<div class="concern">{rank}{esc(pick(priority.concern, lang))}</div>',
        f'<div class="done"><span class="label">{esc(word("done", lang))}:</span> '
        + (esc(" · ".join(done)) if done else esc(word("no_action", lang)))
        + "</div>",
        f'<div class="changed"><span class="label">{esc(word("changed", lang))}</span> '
        f"<strong>{esc(word(status, lang))}</strong></div>",
    ]
    high = [r for r in addressing if r.level in HIGH_LEVELS] or addressing
    shown = 0
    for result in high:
        rs = scores.get(result.id)
        if rs is None:
            continue
        by_id = {i.id: i for i in result.indicators}
        local = bool(result.addresses) and all(
            p.site == site for p in programme.priorities if p.id in result.addresses)
        for ind_score in rs.indicators:
            indicator = by_id.get(ind_score.id)
            if (indicator is None or ind_score.status not in ("assessed", "not_yet_due")
                    or shown >= 2):
                continue
            svg = _bars_svg(_bars(indicator, ind_score, site, local), lang)
            if svg:
                interim = f" ({word('interim', lang)})" if ind_score.interim else ""
                parts.append(f'<div class="bars" style="grid-column: 2">'
                             f'<div>{esc(pick(indicator.name, lang) + interim)}</div>{svg}</div>')
                shown += 1
    parts.append("</section>")
    return "\n".join(parts)


def sheet(programme: Programme, score: ProgrammeScore, site: str, lang: str = "en") -> str:
    """One site's sheet (a <div class="sheet">)."""
    site_model = next((s for s in programme.sites if s.id == site), None)
    name = pick(site_model.name, lang) if site_model else site
    priorities = sorted(
        (p for p in programme.priorities if p.site == site),
        key=lambda p: (p.rank if p.rank is not None else 10**6, p.id),
    )
    parts = [
        f'<div class="sheet" id="site-{esc(site)}">',
        f"<h1>{esc(word('title', lang))}</h1>",
        f'<div class="where">{esc(word("site", lang))}: <strong>{esc(name)}</strong> · '
        f"{esc(word('as_of', lang))}: {score.assessed_at.isoformat()}</div>",
    ]
    parts.extend(_priority(programme, score, p, site, lang) for p in priorities)
    parts.append("</div>")
    return "\n".join(parts)


def render(programme: Programme, score: ProgrammeScore, sites: list[str], lang: str = "en"
           ) -> str:
    title = f"{word('title', lang)} — {pick(programme.programme.title, lang)}"
    body = "\n".join(sheet(programme, score, s, lang) for s in sites)
    return for_xml(
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        f"<style>{CSS.replace('FONTS', font_stack(lang))}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )
