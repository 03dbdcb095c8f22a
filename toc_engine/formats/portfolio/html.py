"""The portfolio as one self-contained HTML page: the matrix of link patterns by
programme coloured by verdict (the programme report's palette), the assumption
table, the indicators across programmes and "what travelled, what did not"."""

from __future__ import annotations

from html import escape
from typing import Any

from ..report.palette import VERDICT_ORDER, VERDICT_STYLES, band_colour, verdict_name
from ..safe_text import for_display
from .data import JSON

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:80rem;padding:0 1rem;
color:#222;line-height:1.4}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f4f4f4}
table.matrix td.cell{min-width:7rem;font-size:.85rem}
td.cell .verdict{font-weight:600}
.few{color:#8a4b00;font-size:.85rem}
.interim{font-style:italic}
.legend span{display:inline-block;padding:.1rem .4rem;margin:.1rem;font-size:.85rem}
.muted{color:#666}
.bar{display:inline-block;height:.8rem;background:#4a78a8;vertical-align:middle}
"""


def _t(text: Any) -> str:
    return escape(for_display(str(text)), quote=True)


def _text_colour(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#ffffff" if red * 0.299 + green * 0.587 + blue * 0.114 < 140 else "#111111"


def render_html(data: JSON) -> str:
    contexts = data["contexts"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Portfolio: causal judgements across programmes</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Portfolio: causal judgements across programmes</h1>",
        f"<p>{len(contexts)} programme(s) compared, assessed on"
        f" {_t(', '.join(data['assessment_dates']))}. Each cell is one programme's own"
        " verdict; nothing is pooled. A pattern tested in fewer than"
        f" {data['few_contexts_below']} programmes is marked.</p>",
    ]
    parts += _lessons(data)
    parts += _matrix(data)
    parts += _assumptions(data)
    parts += _indicators(data)
    parts += _delivery(data)
    parts += _refused(data)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _context_header(c: JSON) -> str:
    interim = '<br><span class="interim">interim</span>' if c["interim"] else ""
    return (
        f'<th scope="col" data-programme="{_t(c["programme"])}">{_t(c["programme"])}'
        f'<br><span class="muted">{_t(c["country"] or "no country")} · {_t(c["assessed_at"])}'
        f"</span>{interim}</th>"
    )


def _lessons(data: JSON) -> list[str]:
    parts = ['<section id="lessons"><h2>What travelled, what did not</h2>']
    if not data["lessons"]:
        parts.append("<p>No link pattern was tested in any programme.</p>")
    else:
        parts.append("<ul>")
        for lesson in data["lessons"]:
            label = lesson["kind"].replace("_", " ")
            parts.append(
                f'<li data-kind="{_t(lesson["kind"])}"><strong>{_t(label)}</strong>:'
                f" {_t(lesson['text'])}</li>"
            )
        parts.append("</ul>")
    parts.append("</section>")
    return parts


def _legend() -> str:
    items = []
    for verdict in VERDICT_ORDER:
        colour = VERDICT_STYLES[verdict][0]
        items.append(
            f'<span style="background:{colour};color:{_text_colour(colour)}">'
            f"{_t(verdict_name(verdict))}</span>"
        )
    return f'<p class="legend">{"".join(items)}</p>'


def _matrix(data: JSON) -> list[str]:
    contexts = data["contexts"]
    parts = ['<section id="links"><h2>Links across contexts</h2>', _legend()]
    parts.append('<table class="matrix"><thead><tr><th scope="col">link pattern</th>')
    parts += [_context_header(c) for c in contexts]
    parts.append("</tr></thead><tbody>")
    for row in data["links"]:
        cells = {c["programme"]: c for c in row["cells"]}
        few = (
            f'<br><span class="few">tested in {row["tested_in"]} programme(s):'
            " fewer than three</span>"
            if row["few_contexts"]
            else ""
        )
        parts.append(f'<tr data-key="{_t(row["key"])}"><th scope="row">{_t(row["name"])}{few}</th>')
        for c in contexts:
            cell = cells.get(c["programme"])
            if cell is None:
                parts.append('<td class="cell empty" data-verdict=""></td>')
                continue
            colour = VERDICT_STYLES.get(cell["verdict"], ("#e0e0e0",))[0]
            detail = []
            if cell["posterior"] is not None:
                detail.append(f"P {cell['posterior']:.2f}")
            detail.append(f"confidence {cell['confidence']}")
            if cell["failed_assumptions"]:
                detail.append("failed: " + ", ".join(cell["failed_assumptions"]))
            interim = '<br><span class="interim">interim</span>' if cell["interim"] else ""
            parts.append(
                f'<td class="cell" data-programme="{_t(cell["programme"])}"'
                f' data-verdict="{_t(cell["verdict"])}" title="{_t(cell["reason"])}"'
                f' style="background:{colour};color:{_text_colour(colour)}">'
                f'<span class="verdict">{_t(verdict_name(cell["verdict"]))}</span>'
                f"<br>{_t(cell['link'])}<br>{_t(' · '.join(detail))}{interim}</td>"
            )
        parts.append("</tr>")
    parts.append("</tbody></table></section>")
    return parts


def _assumptions(data: JSON) -> list[str]:
    parts = [
        '<section id="assumptions"><h2>Assumptions across contexts</h2>',
        '<table><thead><tr><th scope="col">assumption</th><th scope="col">held in</th>'
        '<th scope="col">failed in</th><th scope="col">elsewhere</th></tr></thead><tbody>',
    ]
    for row in data["assumptions"]:
        other = ", ".join(
            f"{c['programme']}: {c['state'].replace('_', ' ')}"
            for c in row["cells"]
            if c["state"] not in ("holds", "failed")
        )
        parts.append(
            f'<tr data-key="{_t(row["key"])}"><th scope="row">{_t(row["name"])}</th>'
            f"<td>{_t(', '.join(row['held_in']))}</td><td>{_t(', '.join(row['failed_in']))}</td>"
            f"<td>{_t(other)}</td></tr>"
        )
    parts.append("</tbody></table></section>")
    return parts


def _indicators(data: JSON) -> list[str]:
    parts = ['<section id="indicators"><h2>Indicators across programmes</h2>']
    if not data["indicators"]:
        parts.append("<p>No library indicator is used by more than one programme.</p>")
    for ind in data["indicators"]:
        total = (
            "not combined"
            if ind["value"] is None
            else f"{ind['value']:g} {ind['unit'] or ''}".strip()
        )
        values = [c["value"] for c in ind["contributions"] if c["value"] is not None]
        top = max((abs(v) for v in values), default=0) or 1
        parts.append(
            f'<h3>{_t(ind["name"])} <span class="muted">({_t(ind["use"])})</span></h3>'
            f"<p>Combined: <strong>{_t(total)}</strong> ({_t(ind['note'])})</p>"
            '<table><thead><tr><th scope="col">programme</th><th scope="col">country</th>'
            '<th scope="col">value</th><th scope="col">period</th>'
            '<th scope="col">sample size</th><th scope="col"></th></tr></thead><tbody>'
        )
        for c in ind["contributions"]:
            value = "" if c["value"] is None else f"{c['value']:g} {c['unit'] or ''}"
            width = 0 if c["value"] is None else round(12 * abs(c["value"]) / top, 2)
            parts.append(
                f"<tr><td>{_t(c['programme'])}</td><td>{_t(c['country'] or '')}</td>"
                f"<td>{_t(value)}</td><td>{_t(c['period'] or '')}</td>"
                f"<td>{_t(c['sample_size'] or '')}</td>"
                f'<td><span class="bar" style="width:{width}rem"></span></td></tr>'
            )
        parts.append("</tbody></table>")
    parts.append("</section>")
    return parts


def _delivery(data: JSON) -> list[str]:
    parts = [
        '<section id="delivery"><h2>Delivery and design by country and level</h2>',
        '<table><thead><tr><th scope="col">country</th><th scope="col">programme</th>'
        '<th scope="col">assessed</th><th scope="col">level</th><th scope="col">score</th>'
        '<th scope="col">band</th></tr></thead><tbody>',
    ]
    for e in data["delivery"]:
        score = "" if e["score"] is None else f"{e['score']:.1f}"
        colour = band_colour(e["band"])
        interim = " (interim)" if e["interim"] else ""
        parts.append(
            f"<tr><td>{_t(e['country'] or '')}</td><td>{_t(e['programme'])}</td>"
            f"<td>{_t(e['assessed_at'])}{interim}</td><td>{_t(e['level'])}</td>"
            f'<td>{score}</td><td style="background:{colour}">'
            f"{_t(e['band'].replace('_', ' '))}</td></tr>"
        )
    parts.append("</tbody></table>")
    parts.append(
        '<table><thead><tr><th scope="col">country</th><th scope="col">programme</th>'
        '<th scope="col">design score</th><th scope="col">validity</th>'
        '<th scope="col">tested coverage</th></tr></thead><tbody>'
    )
    for e in data["design"]:
        validity = "untested" if e["validity"] is None else f"{e['validity']:.2f}"
        parts.append(
            f"<tr><td>{_t(e['country'] or '')}</td><td>{_t(e['programme'])}</td>"
            f"<td>{e['score']:.1f}</td><td>{validity}</td>"
            f"<td>{e['tested_coverage']:.2f}</td></tr>"
        )
    parts.append("</tbody></table></section>")
    return parts


def _refused(data: JSON) -> list[str]:
    if not data["refused"]:
        return []
    parts = [
        '<section id="refused"><h2>Left out: programmes that do not validate</h2>',
        '<table><thead><tr><th scope="col">folder</th><th scope="col">errors</th>'
        '<th scope="col">first error</th></tr></thead><tbody>',
    ]
    for r in data["refused"]:
        parts.append(
            f"<tr><td>{_t(r['path'])}</td><td>{r['errors']}</td><td>{_t(r['first_error'])}</td></tr>"
        )
    parts.append("</tbody></table></section>")
    return parts
