"""The report's content as plain blocks, so HTML and Markdown carry exactly the same content.

`build(prepared, lang)` decides what is said; `html.render` and
`markdown.render` only decide how it looks. Every string in a block is plain
text from the user or the engine: the renderers escape it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ... import __version__
from ...schema.model import Indicator, Result
from ...scoring.result import ClaimEffect, IndicatorScore, ProgrammeScore, ResultScore, TargetPoint
from .i18n import pick
from .inputs import Prepared
from .palette import band_name, verdict_name


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: str
    role: str = ""  # "" | note | banner | band


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    role: str = ""
    colours: tuple[str, ...] = ()  # optional background colour per row (band)


@dataclass(frozen=True)
class FigureBlock:
    anchor: str  # also the figure's file stem in Markdown
    role: str  # toc-figure | indicator-chart
    caption: str
    make: Callable[[], Any] = field(compare=False)  # -> matplotlib Figure (drawn lazily)
    alt: str = ""


Block = Heading | Paragraph | Bullets | Table | FigureBlock


@dataclass(frozen=True)
class Document:
    title: str
    lang: str
    blocks: tuple[Block, ...]
    banner: str | None


def num(value: Decimal | float | None, places: int = 2) -> str:
    """Numbers as people read them: no exponent, no trailing zeros."""
    if value is None:
        return "–"
    number = Decimal(str(value)) if isinstance(value, float) else value
    text = format(round(number, places).normalize(), "f")
    return "0" if text in ("-0", "") else text


def _target(point: TargetPoint | None) -> str:
    if point is None or point.value is None:
        return "–"
    text = f"{num(point.value)} ({point.period})"
    if point.revised_on is not None:
        text += (
            f" — revised {point.revised_on.isoformat()} from {num(point.revised_from)}"
            + (f": {point.revised_reason}" if point.revised_reason else "")
        )
    return text


def _score_text(value: Decimal | None) -> str:
    return "–" if value is None else num(value, 1)


def _posterior(value: float | None, band: str) -> str:
    if value is None:
        return "no qualitative evidence"
    return f"{value:.2f} ({band.replace('_', ' ')})"


def _claim_rows(effects: tuple[ClaimEffect, ...]) -> tuple[tuple[str, ...], ...]:
    rows = []
    for e in effects:
        if e.withheld:
            text = "[withheld: sensitive evidence]"
        else:
            text = " ".join(x for x in (e.summary, f"“{e.quote}”" if e.quote else None) if x)
        rows.append((
            e.evidence,
            e.kind.replace("_", " "),
            e.finding + ("" if e.found else " (looked for, not found)"),
            (e.test or "explicit").replace("_", " "),
            num(e.tempered_lr, 3) if e.tempered_lr is not None else "–",
            "yes" if e.used else f"no: {e.note}" if e.note else "no",
            text or "–",
        ))
    return tuple(rows)


CLAIM_HEADERS = ("evidence", "kind", "finding", "test", "LR (tempered)", "used", "what it says")


def _indicator_rows(
    scores: tuple[IndicatorScore, ...], model: dict[str, Indicator], lang: str
) -> tuple[tuple[str, ...], ...]:
    rows = []
    for s in scores:
        ind = model.get(s.id)
        name = pick(ind.name, lang) if ind else s.name
        baseline = (
            f"{num(s.baseline.value)} ({s.baseline.period})"
            if s.baseline and s.baseline.value is not None else "–"
        )
        actual = (
            f"{num(s.actual.value)} ({s.actual.period})"
            if s.actual and s.actual.value is not None else "–"
        )
        progress = num(s.progress, 3) if s.progress is not None else s.status.replace("_", " ")
        note = s.reason or ", ".join(s.flags) or ""
        if s.interim:
            progress = f"{progress} (interim)"
            note = "; ".join(filter(None, (_interim_note(s), note)))
        elif s.next_target is not None:
            note = "; ".join(filter(None, (
                f"milestone; next target {num(s.next_target.value)} falls due on "
                f"{s.next_due}", note)))
        rows.append((s.id, name, s.unit or "–", baseline, _target(s.target), actual, progress,
                     note))
    return tuple(rows)


def _interim_note(s: IndicatorScore) -> str:
    """What a not-yet-due indicator's row says: when it falls due, and its pace."""
    text = f"not yet due: falls due on {s.due}" if s.due else "not yet due"
    if s.trajectory_status:
        text += f"; pace {num(s.pace, 3)}, {s.trajectory_status.replace('_', ' ')}"
    return text


INDICATOR_HEADERS = (
    "indicator", "name", "unit", "baseline", "target (revision)", "actual", "progress p", "note"
)


def _series_rows(s: IndicatorScore) -> tuple[tuple[str, ...], ...]:
    rows = []
    for series in s.series:
        if series.suppressed:
            rows.append((series.label, "[suppressed]", "–", series.suppression))
            continue
        actual = (
            f"{num(series.actual.value)} ({series.actual.period})"
            if series.actual and series.actual.value is not None else "–"
        )
        if series.progress is None and series.share_of_total is not None:
            rows.append((series.label, actual, "–",
                         f"{num(series.share_of_total * 100, 1)}% of the total (a part of a "
                         "count: the target is the total's)"))
            continue
        rows.append((series.label, actual, num(series.progress, 3),
                     "interim" if s.interim and series.progress is not None else ""))
    return tuple(rows)


def _targets_table(ind: Indicator, lang: str) -> Table | None:
    """Every target as written, with any revision beside the target it changed."""
    rows = []
    for t in sorted(ind.targets, key=lambda t: (t.period.end, t.period.start)):
        who = ", ".join(([f"site={t.site}"] if t.site else [])
                        + [f"{k}={v}" for k, v in sorted(t.dimensions.items())]) or "total"
        revision = "–"
        if t.revised is not None:
            revision = (f"revised {t.revised.date.isoformat()} from {num(t.revised.from_)}: "
                        f"{pick(t.revised.reason, lang)}")
        rows.append((str(t.period), who, num(t.value) if not isinstance(t.value, str)
                     else t.value, revision))
    if not any(r[3] != "–" for r in rows):
        return None
    return Table(("period", "series", "target", "revision"), tuple(rows), role="targets")


def _maker(draw: Callable[[Any], Any], data: Any) -> Callable[[], Any]:
    """A figure drawn only when a renderer asks for it."""
    return lambda: draw(data)


DEFAULT_MAX_CHARTS = 250
MAX_GRAPH_RESULTS = 400  # beyond it the boxes' text is unreadable and drawing takes minutes


def build(
    prepared: Prepared, lang: str = "en", figures: bool = True,
    max_charts: int = DEFAULT_MAX_CHARTS,
) -> Document:
    """The report's blocks, in reading order.

    Indicator charts are drawn for the first `max_charts` chartable indicators only: a
    national programme's tens of thousands of charts would take very long to draw and
    make a report nobody scrolls; the tables still list every indicator.
    """
    from .series import chart_data, chartable

    programme, score = prepared.programme, prepared.score
    title = pick(programme.programme.title, lang)
    blocks: list[Block] = []
    info = programme.programme
    blocks.append(Heading(1, title, "top"))
    blocks.append(Paragraph(
        f"Programme {info.id}"
        + (f" · country {info.country}" if info.country else "")
        + f" · period {info.period.start.isoformat()} to {info.period.end.isoformat()}"
        + f" · assessed at {score.assessed_at.isoformat()}"
        + f" · scale {score.scale} · toc-engine {__version__}",
        role="note",
    ))
    _summary(blocks, score)
    results_by_id = {r.id: r for r in programme.results}
    # --- theory of change
    blocks.append(Heading(2, "Theory of change", "theory-of-change"))
    if figures and len(programme.results) > MAX_GRAPH_RESULTS:
        blocks.append(Paragraph(
            f"The theory of change has {len(programme.results)} results, too many to draw "
            f"legibly inside the report (at most {MAX_GRAPH_RESULTS}); `toc graph` draws it "
            "on its own page.",
            role="note",
        ))
    elif figures:
        from .tocgraph import draw_graph

        blocks.append(FigureBlock(
            "toc", "toc-figure",
            "Results by level (activity at the bottom), coloured by delivery band; edges show "
            "each link's verdict.",
            lambda: draw_graph(programme, score, lang, title=False),
            alt=f"Theory of change of {title}",
        ))
    blocks.append(Table(
        ("from", "to", "verdict", "link posterior", "confidence", "why"),
        tuple(
            (link.source, link.target, verdict_name(link.verdict),
             _posterior(link.posterior, link.hypothesis.band), link.confidence, link.reason)
            for link in score.links
        ),
        role="links",
    ))
    link_claims = [(link, link.hypothesis.effects) for link in score.links if
                   link.hypothesis.effects]
    for link, effects in link_claims:
        blocks.append(Paragraph(f"Evidence about the link {link.id}", role="caption"))
        blocks.append(Table(CLAIM_HEADERS, _claim_rows(effects), role="evidence"))
    _assumptions(blocks, score)
    # --- results
    blocks.append(Heading(2, "Results", "results"))
    budget = [max_charts if figures else 0]
    if figures:
        wanted = sum(1 for r in programme.results for i in r.indicators if chartable(i))
        if wanted > max_charts:
            drawn = (f"Charts are drawn for the first {max_charts} of {wanted} indicators"
                     if max_charts else f"No indicator charts are drawn ({wanted} could be)")
            blocks.append(Paragraph(
                f"{drawn} (--max-charts {max_charts}); the tables list every indicator.",
                role="note",
            ))
    for rs in score.results:
        model = results_by_id[rs.id]
        _result(blocks, rs, model, prepared, lang, budget, chart_data, chartable)
    _gaps(blocks, score)
    _diagnostics(blocks, prepared)
    return Document(title, lang, tuple(blocks), score.safeguarding.banner)


INTERIM_NOTE = (
    "Interim assessment: {count} of {total} results are judged only against targets that "
    "have not fallen due by {date} (marked interim). An interim band below B means in "
    "progress, not failed, and the links of such a result are untested until its targets "
    "fall due."
)


def _summary(blocks: list[Block], score: ProgrammeScore) -> None:
    blocks.append(Heading(2, "Summary", "summary"))
    safe = score.safeguarding
    blocks.append(Paragraph(
        f"Safeguarding: {safe.withheld_items} sensitive evidence item(s) withheld, "
        f"{safe.suppressed_cells} small cell(s) suppressed (threshold {safe.threshold})."
        if not safe.include_sensitive else
        f"Safeguarding: sensitive evidence shown (--include-sensitive); "
        f"{safe.suppressed_cells} small cell(s) suppressed (threshold {safe.threshold}).",
        role="note",
    ))
    blocks.append(Heading(3, "Delivery roll-up", "rollup"))
    blocks.append(Table(
        ("level", "band", "score", "results with a band"),
        tuple(
            (lv.level, band_name(lv.band, score.scale), _score_text(lv.score),
             f"{lv.banded} of {lv.results}"
             + (f" ({lv.interim} interim)" if lv.interim else ""))
            for lv in score.rollup
        ),
        role="rollup",
        colours=tuple(lv.band for lv in score.rollup),
    ))
    blocks.append(Paragraph(
        "Accountability roll-up (DFID-style band points × weight per level); not a causal "
        "claim and not evidence for higher results.", role="note"))
    interim = [r.id for r in score.results if r.delivery.interim]
    if interim:
        blocks.append(Paragraph(INTERIM_NOTE.format(
            count=len(interim), total=len(score.results), date=score.assessed_at.isoformat()),
            role="note"))
    design = score.design
    blocks.append(Heading(3, "Design score", "design"))
    blocks.append(Paragraph(
        f"Design score {num(design.score, 1)} of 100"
        + (" (validity untested: ex-ante design only)" if design.validity_untested else ""),
        role="band",
    ))
    rows = [("ex-ante design quality E", num(design.ex_ante_score * 100, 1) + " / 100",
             "mean of the four criteria below, each 0–3")]
    for c in design.criteria:
        rows.append((f"  {c.name}", f"{c.score} / 3", "; ".join(c.reasons) or "all checks pass"))
    rows.append((
        "empirical validity V",
        "–" if design.validity is None else num(design.validity * 100, 1) + " / 100",
        f"tested coverage {num(design.tested_coverage * 100, 1)}% of link weight",
    ))
    blocks.append(Table(("component", "score", "details"), tuple(rows), role="design"))


def _assumptions(blocks: list[Block], score: ProgrammeScore) -> None:
    if not score.assumptions:
        return
    blocks.append(Heading(3, "Assumptions", "assumptions"))
    blocks.append(Table(
        ("assumption", "statement", "declared", "state", "why"),
        tuple((a.id, a.statement, a.declared, a.state.replace("_", " "), a.reason)
              for a in score.assumptions),
        role="assumptions",
    ))


def _result(
    blocks: list[Block],
    rs: ResultScore,
    model: Result,
    prepared: Prepared,
    lang: str,
    charts_left: list[int],  # shared countdown: charts this report may still draw
    chart_data: Callable[..., Any],
    chartable: Callable[[Indicator], bool],
) -> None:
    score = prepared.score
    blocks.append(Heading(3, f"{rs.id} ({rs.level})", f"result-{rs.id}"))
    blocks.append(Paragraph(pick(model.statement, lang)))
    blocks.append(Paragraph(
        f"Delivery {_score_text(rs.delivery.score)} · "
        f"band {band_name(rs.delivery.band, score.scale)}"
        + (" (interim: targets not yet due)" if rs.delivery.interim else "")
        + f" · {rs.state.replace('_', ' ')} · qualitative "
        f"{_posterior(rs.posterior, rs.posterior_band)} · confidence {rs.confidence}",
        role="band",
    ))
    if rs.confidence_reasons:
        blocks.append(Bullets(tuple(f"confidence down: {r}" for r in rs.confidence_reasons)))
    if rs.coherence_note:
        blocks.append(Paragraph(f"Coherence note: {rs.coherence_note}", role="note"))
    by_id = {i.id: i for i in model.indicators}
    if rs.indicators:
        blocks.append(Table(INDICATOR_HEADERS, _indicator_rows(rs.indicators, by_id, lang),
                            role="indicators"))
    for s in rs.indicators:
        ind = by_id[s.id]
        revisions = _targets_table(ind, lang)
        if revisions is not None:
            blocks.append(Paragraph(f"Target revisions of {s.id}", role="caption"))
            blocks.append(revisions)
        if s.series:
            blocks.append(Paragraph(f"Breakdowns of {s.id}", role="caption"))
            blocks.append(Table(("series", "actual", "progress p", "note"), _series_rows(s),
                                role="series"))
        if s.missing:
            blocks.append(Paragraph(f"Missing values of {s.id} (not counted)", role="caption"))
            blocks.append(Table(("period and breakdown", "why there is no value"),
                                tuple((m.label(), m.reason or "withheld: sensitive indicator")
                                      for m in s.missing), role="missing"))
        if charts_left[0] > 0 and chartable(ind):
            charts_left[0] -= 1
            from .charts import draw_chart

            data = chart_data(prepared.programme, ind, s, lang)
            caption = f"{s.id}: " + ", ".join(
                f"{x.label} ({len(x.points)})" for x in data.series if x.points
            ) + (f". {'; '.join(data.notes)}" if data.notes else "")
            blocks.append(FigureBlock(
                f"chart-{s.id}", "indicator-chart", caption,
                _maker(draw_chart, data),
                alt=f"Chart of {pick(ind.name, lang)}",
            ))
    blocks.append(Paragraph(f"Evidence about {rs.id}", role="caption"))
    if rs.hypothesis.effects:
        blocks.append(Table(CLAIM_HEADERS, _claim_rows(rs.hypothesis.effects), role="evidence"))
    else:
        blocks.append(Paragraph("No qualitative evidence claims about this result.",
                                role="note"))


def _gaps(blocks: list[Block], score: ProgrammeScore) -> None:
    gaps = score.design.gaps
    if not gaps:
        return
    blocks.append(Heading(2, "Unanticipated outcomes (gaps in the theory)", "gaps"))
    blocks.append(Table(
        ("evidence", "valence", "next to", "statement"),
        tuple((g.evidence, g.valence, g.result or "–",
               "[withheld: sensitive evidence]" if g.withheld else (g.statement or "–"))
              for g in gaps),
        role="gaps",
    ))


def _diagnostics(blocks: list[Block], prepared: Prepared) -> None:
    items = prepared.diagnostics
    blocks.append(Heading(2, "Diagnostics", "diagnostics"))
    if not items:
        blocks.append(Paragraph("No findings: the file passes every check.", role="note"))
        return
    blocks.append(Table(
        ("severity", "code", "where", "message", "how to fix"),
        tuple(
            (d.severity.label, f"{d.code} {d.symbol}", str(d.span),
             d.message + (f" (waived: {d.waived})" if d.waived else ""), d.hint or "")
            for d in items
        ),
        role="diagnostics",
    ))
