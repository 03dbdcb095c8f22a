"""The HTML of each page, from one snapshot of the programme. Templates are Jinja2 with
autoescaping; the report's blocks (already escaped by `formats/report/html.py`) are
reused for the result pages, so sensitive evidence is withheld exactly as in the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..formats.report.document import Block, Heading
from ..formats.report.html import block_html
from ..formats.score.text import explain
from ..schema.model import Programme
from .workspace import Snapshot

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
)


def page(name: str, snapshot: Snapshot, reloaded: bool, **values: Any) -> str:
    programme = snapshot.loaded.programme
    return TEMPLATES.get_template(name).render(
        title=programme.programme.title if programme else "programme with errors",
        errors=len(snapshot.errors),
        findings=len(snapshot.findings),
        banner=snapshot.prepared.score.safeguarding.banner if snapshot.prepared else None,
        reloaded=reloaded,
        **values,
    )


def _section(blocks: tuple[Block, ...], anchor: str) -> list[Block]:
    """The blocks from the heading with this anchor to the next heading of its level."""
    out: list[Block] = []
    level = 0
    for block in blocks:
        if isinstance(block, Heading):
            if block.anchor == anchor:
                level = block.level
                continue
            if level and block.level <= level:
                break
        if level:
            out.append(block)
    return out


def blocks_html(blocks: list[Block]) -> Markup:
    return Markup("\n".join(block_html(b) for b in blocks))  # escaped by formats/report/html.py


def graph_svg(snapshot: Snapshot) -> Markup:
    from ..formats.report.mpl import inline_svg
    from ..formats.report.tocgraph import draw_graph

    assert snapshot.prepared is not None
    svg = inline_svg(draw_graph(snapshot.prepared.programme, snapshot.prepared.score,
                                title=False))
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="theory of change" ', 1))


def summary_html(snapshot: Snapshot) -> Markup:
    assert snapshot.document is not None
    return blocks_html(_section(snapshot.document.blocks, "summary"))


def result_html(snapshot: Snapshot, result: str) -> Markup:
    assert snapshot.document is not None
    return blocks_html(_section(snapshot.document.blocks, f"result-{result}"))


def links_of(snapshot: Snapshot, result: str) -> list[dict[str, str]]:
    assert snapshot.prepared is not None
    score = snapshot.prepared.score
    return [
        {"id": link.id, "source": link.source, "target": link.target,
         "verdict": link.verdict.replace("_", " "), "reason": link.reason,
         "explain": explain(score, link.id)}
        for link in score.links if result in (link.source, link.target)
    ]


def result_of_finding(programme: Programme | None, path: tuple[str | int, ...]) -> str | None:
    """The result a finding is about, when its data path is inside one."""
    if programme is None or len(path) < 2 or path[0] != "results" or not isinstance(path[1], int):
        return None
    if 0 <= path[1] < len(programme.results):
        return programme.results[path[1]].id
    return None


def explanation(snapshot: Snapshot, target: str) -> str:
    """`toc score --explain TARGET`, as text."""
    assert snapshot.prepared is not None
    return explain(snapshot.prepared.score, target)
