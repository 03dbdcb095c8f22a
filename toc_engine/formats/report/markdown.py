"""The report as Markdown, with its figures written beside it as SVG (or PNG).

`report.md` gets a folder `report_files/` holding `toc.svg` and one
`chart-<indicator>.svg` per indicator; the Markdown links them relatively, so
the pair can be committed, zipped or opened in any Markdown viewer.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..safe_text import for_display
from .document import Block, Bullets, Document, FigureBlock, Heading, Paragraph, Table

_SPECIAL = re.compile(r"([\\`*_\[\]{}<>|#!~])")


def esc(text: str) -> str:
    """Escape Markdown and HTML syntax so user text is shown, never interpreted (and
    control characters, which no reader shows, as U+FFFD)."""
    text = for_display(text).replace("&", "&amp;")
    text = _SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split("\n"))


def _cell(text: str) -> str:
    return esc(text).replace("\\|", "&#124;") if text else " "


def figure_name(block: FigureBlock, fmt: str) -> str:
    return f"{block.anchor}.{fmt}"


def block_md(block: Block, folder: str, fmt: str) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {esc(block.text)}\n"
    if isinstance(block, Paragraph):
        text = esc(block.text)
        if block.role == "band":
            return f"**{text}**\n"
        if block.role == "caption":
            return f"*{text}*\n"
        if block.role == "banner":
            return f"> **{text}**\n"
        return text + "\n"
    if isinstance(block, Bullets):
        return "\n".join(f"- {esc(item)}" for item in block.items) + "\n"
    if isinstance(block, Table):
        lines = ["| " + " | ".join(_cell(h) for h in block.headers) + " |",
                 "|" + "|".join("---" for _ in block.headers) + "|"]
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
        return "\n".join(lines) + "\n"
    name = figure_name(block, fmt)
    alt = esc(block.alt or block.caption)
    return f"![{alt}]({folder}/{name})\n\n*{esc(block.caption)}*\n"


def render(document: Document, folder: str, fmt: str = "svg") -> str:
    parts = []
    if document.banner:
        parts.append(f"> **{esc(document.banner)}**\n")
    parts.extend(block_md(b, folder, fmt) for b in document.blocks)
    return "\n".join(parts)


def figures(document: Document, fmt: str = "svg") -> dict[str, bytes]:
    """Every figure of the report as file name -> bytes."""
    from .mpl import render as render_figure

    return {
        figure_name(b, fmt): render_figure(b.make(), fmt)
        for b in document.blocks
        if isinstance(b, FigureBlock)
    }


def write(document: Document, output: Path, fmt: str = "svg") -> list[Path]:
    """Write `output` and its figures folder; returns every path written."""
    from ..atomic import write_atomic

    folder = output.parent / f"{output.stem}_files"
    written = []
    for name, data in figures(document, fmt).items():
        path = folder / name
        write_atomic(path, data)
        written.append(path)
    write_atomic(output, render(document, folder.name, fmt))
    written.append(output)
    return written
