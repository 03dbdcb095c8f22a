"""One self-contained HTML page: inline CSS and inline SVG figures, no script, no network.

Every piece of user text goes through `esc` (a statement containing `<script>`
shows as text). Figures are matplotlib SVG with fixed ids and no dates, so the
same input gives the same bytes.
"""

from __future__ import annotations

import html as _html
import re

from ..safe_text import for_xml
from .document import Block, Bullets, Document, FigureBlock, Heading, Paragraph, Table
from .i18n import font_stack
from .palette import BAND_COLOURS, BAND_TEXT, band_colour

CSS = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); margin: 0 auto; max-width: 70rem;
  padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid var(--ink); margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
p.note, p.caption { color: var(--muted); font-size: .9rem; }
p.caption { font-weight: bold; margin-bottom: .2rem; }
p.band { font-weight: bold; }
.banner { background: #b2182b; color: #fff; padding: .7rem 1rem; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .85rem; }
th, td { border: 1px solid var(--rule); padding: .25rem .4rem; text-align: left;
  vertical-align: top; overflow-wrap: break-word; word-break: normal; hyphens: manual; }
th { background: #f0f0f0; }
figure { margin: 1rem 0; }
figure.toc-figure { overflow-x: auto; }
figure.toc-figure svg { height: auto; min-width: 48rem; max-width: 100%; }
figure.indicator-chart svg { width: 100%; max-width: 40rem; height: auto; }
figcaption { font-size: .85rem; color: var(--muted); }
nav ul { columns: 2; font-size: .9rem; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-before: page; }
  nav + h2 { break-before: auto; }
  h1, h2, h3, p.caption, p.band { break-after: avoid; break-inside: avoid; }
  /* A heading reserves room for the start of what follows it (a box that cannot break
     reaching 5em below): where that room is not left on the page, it moves on too. */
  h2::after, h3::after, p.caption::after { content: ""; display: block; height: 5em;
    margin-bottom: -5em; }
  thead { display: table-header-group; }
  figure, tr, .banner { break-inside: avoid; }
  p, li { orphans: 3; widows: 3; }
  figure.toc-figure { overflow: visible; }
  figure.toc-figure svg { min-width: 0; width: 100%; }
  nav { display: none; }
}
"""


def esc(text: str) -> str:
    return _html.escape(text, quote=True)


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-") or "section"


def _svg(figure_block: FigureBlock) -> str:
    from .mpl import inline_svg

    svg = inline_svg(figure_block.make())
    # Label the figure for assistive technology and for tests that look for it.
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{esc(figure_block.alt or figure_block.caption)}" ',
        1,
    )


def _row_style(band: str) -> str:
    if band not in BAND_COLOURS:
        return ""
    colour = BAND_TEXT.get(band, "#111111")
    return f' style="background:{band_colour(band)};color:{colour}"'


def block_html(block: Block) -> str:
    if isinstance(block, Heading):
        anchor = f' id="{esc(_anchor(block.anchor))}"' if block.anchor else ""
        return f"<h{block.level}{anchor}>{esc(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        role = f' class="{block.role}"' if block.role else ""
        return f"<p{role}>{esc(block.text)}</p>"
    if isinstance(block, Bullets):
        items = "".join(f"<li>{esc(item)}</li>" for item in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Table):
        head = "".join(f"<th>{esc(h)}</th>" for h in block.headers)
        body = []
        for index, row in enumerate(block.rows):
            style = _row_style(block.colours[index]) if index < len(block.colours) else ""
            cells = "".join(f"<td>{esc(c)}</td>" for c in row)
            body.append(f"<tr{style}>{cells}</tr>")
        role = f' class="{block.role}"' if block.role else ""
        return (f"<table{role}><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table>")
    return (
        f'<figure class="{block.role}" id="{esc(_anchor(block.anchor))}">{_svg(block)}'
        f"<figcaption>{esc(block.caption)}</figcaption></figure>"
    )


def render(document: Document) -> str:
    """The whole page as text (UTF-8 when written)."""
    nav = "".join(
        f'<li><a href="#{esc(_anchor(b.anchor))}">{esc(b.text)}</a></li>'
        for b in document.blocks
        if isinstance(b, Heading) and b.level == 2
    )
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(document.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="toc-engine">',
        f"<title>{esc(document.title)}</title>",
        f"<style>{CSS.replace('FONTS', font_stack(document.lang))}</style>",
        "</head>",
        "<body>",
    ]
    if document.banner:
        parts.append(f'<p class="banner" role="alert">{esc(document.banner)}</p>')
    body = [block_html(b) for b in document.blocks]
    # The navigation goes after the title and the programme line.
    parts.extend(body[:2])
    parts.append(f'<nav aria-label="contents"><ul>{nav}</ul></nav>')
    parts.extend(body[2:])
    parts.extend(["</body>", "</html>", ""])
    return for_xml("\n".join(parts))
