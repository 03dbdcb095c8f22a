"""Plain-text views of a ProgrammeScore: the terminal summary and `--explain ID`.

Rendering reads only the score objects, which safeguarding has already
redacted, so nothing printed here can reveal a withheld or suppressed value.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from ...findings.suggest import suggestions
from ...scoring.arith import fmt
from ...scoring.bayes import BAND_WORDS, normalise_about
from ...scoring.result import (
    Breakdowns,
    ClaimEffect,
    Hypothesis,
    IndicatorScore,
    LinkScore,
    MissingValue,
    ProgrammeScore,
    ResultScore,
    SeriesScore,
    series_label,
    series_records,
)
from ..safe_text import for_terminal_lines

VERDICT_WORDS = {
    "untested": "untested",
    "implementation_failure": "implementation failure",
    "theory_held": "theory held",
    "contribution_not_established": "contribution not established",
    "theory_failure_assumption": "theory failure (assumption)",
    "theory_failure_mechanism": "theory failure (mechanism)",
    "other_pathway": "other pathway",
}


def short(value: Decimal | None, places: int) -> str:
    """A number for the summary view; `--explain` and JSON keep full precision."""
    if value is None:
        return "n/a"
    if value.is_finite():
        return _short_finite(value, places)
    return _short(value, places)


def _short(value: Decimal, places: int) -> str:
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return fmt(rounded)


# The summary prints tens of thousands of numbers, most of them repeated; equal values
# print alike (every zero, -0 too, prints 0), so the text is cached by value and places.
_short_finite = lru_cache(maxsize=1 << 16)(_short)

# The breakdown lines' own caches, read with one dict lookup per number (`_cached_short`).
_SHORT_2: dict[Decimal, str] = {}
_SHORT_3: dict[Decimal, str] = {}
_SHORT_1: dict[Decimal, str] = {}  # shares of a total, in percent
_SHORT_LIMIT = 1 << 16  # entries; past it a cache starts again


def _cached_short(value: Decimal, places: int, held: dict[Decimal, str]) -> str:
    """`short(value, places)`, by value from `held` (a signalling NaN, which cannot be
    hashed, is written as any other miss)."""
    try:
        text = held.get(value)
    except TypeError:
        text = None
    return text if text is not None else _short_of(value, places, held)


def _short_of(value: Decimal, places: int, held: dict[Decimal, str]) -> str:
    """`short(value, places)`, kept in `held` (the cache of `places`) when finite; a cache
    miss of the breakdown loop comes here."""
    text = short(value, places)
    if value.is_finite():
        if len(held) >= _SHORT_LIMIT:
            held.clear()
        held[value] = text
    return text


def _p(value: float | None) -> str:
    return "none" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")


def _posterior(h: Hypothesis) -> str:
    if h.posterior is None:
        return "no qualitative evidence"
    return f"P {_p(h.posterior)} ({BAND_WORDS[h.band]})"


def _indicator_line(i: IndicatorScore) -> str:
    unit = f" {i.unit}" if i.unit else ""
    if i.status == "not_yet_due":
        a = short(i.actual.value, 2) if i.actual else "?"
        t = short(i.target.value, 2) if i.target else "?"
        b = (f" from B {short(i.baseline.value, 2)}"
             if i.baseline and i.method == "difference" else "")
        line = (f"    {i.id}: interim p = {short(i.progress, 3)} — A {a}{unit} vs T {t}{b} "
                f"(not yet due: falls due on {i.due})")
        if i.trajectory_status:
            line += (f" — pace {short(i.pace, 3)}, "
                     f"{i.trajectory_status.replace('_', ' ')}")
        return line
    if i.status != "assessed":
        return f"    {i.id}: {i.status.replace('_', ' ')} — {i.reason}"
    a = short(i.actual.value, 2) if i.actual else "?"
    t = short(i.target.value, 2) if i.target else "?"
    b = f" from B {short(i.baseline.value, 2)}" if i.baseline and i.method == "difference" else ""
    extra = ""
    if i.progress is not None and i.progress_clamped != i.progress:
        extra = f" (scored {short(i.progress_clamped, 3)})"
    flags = f" [{', '.join(i.flags)}]" if i.flags else ""
    line = f"    {i.id}: p = {short(i.progress, 3)}{extra} — A {a}{unit} vs T {t}{b}{flags}"
    if i.survey and i.survey.significant is not None:
        line += " — change " + ("significant" if i.survey.significant else "not significant")
        line += " at 95%"
    if i.next_target is not None:
        line += (f" (milestone; next target {short(i.next_target.value, 2)} falls due on "
                 f"{i.next_due})")
    return line


def _result_block(r: ResultScore) -> list[str]:
    d = r.delivery
    score = f"{short(d.score, 1)} {d.band_label}" if d.score is not None else d.band_label
    if d.interim:
        score = f"{score} (interim)"
    lines = [
        f"  {r.id} ({r.level}): delivery {score} · {r.state.replace('_', ' ')} · "
        f"{_posterior(r.hypothesis)} · confidence {r.confidence.replace('_', ' ')}"
    ]
    lines += [_indicator_line(i) for i in r.indicators]
    add = lines.append
    short_3, short_2 = _SHORT_3.get, _SHORT_2.get
    for i in r.indicators:
        if not i.series:
            continue
        head = f"      {i.id} ["
        whole = i.series.whole if isinstance(i.series, Breakdowns) else None
        for s in series_records(i.series):
            if not isinstance(s, SeriesScore):  # a SeriesRecord: one reading, never suppressed
                site, dims, reading, period, _, _, record_progress, _ = s
                if record_progress is None:
                    share = whole.share(reading, period) if whole is not None else None
                    if share is not None:
                        add(f"{head}{series_label(site, dims)}]: {_part_text(reading, share)}")
                    continue
                try:  # `_cached_short`, its hits inline: this runs once per breakdown
                    p_text = short_3(record_progress) or _short_of(record_progress, 3, _SHORT_3)
                    a_text = short_2(reading) or _short_of(reading, 2, _SHORT_2)
                except TypeError:  # a signalling NaN cannot be hashed
                    p_text = _cached_short(record_progress, 3, _SHORT_3)
                    a_text = _cached_short(reading, 2, _SHORT_2)
                if dims or not site:
                    add(f"{head}{series_label(site, dims)}]: p = {p_text} (A {a_text})")
                else:
                    add(f"{head}site={site}]: p = {p_text} (A {a_text})")
                continue
            assert isinstance(s, SeriesScore)
            if s.suppressed:
                add(f"{head}{s.label}]: suppressed ({s.suppression})")
                continue
            progress, actual = s.progress, s.actual
            if progress is None and actual is not None and (s.target is None
                                                             or not s.target.own):
                share = s.share_of_total
                if share is None and whole is not None and actual.value is not None:
                    share = whole.share(actual.value, actual.period)
                if share is not None:
                    add(f"{head}{s.label}]: {_part_text(actual.value, share)}")
                continue
            if progress is None or actual is None:
                continue
            p_text = _cached_short(progress, 3, _SHORT_3)
            value = actual.value
            a_text = "n/a" if value is None else _cached_short(value, 2, _SHORT_2)
            if s.dimensions or not s.site:
                add(f"{head}{s.label}]: p = {p_text} (A {a_text})")
            else:  # s.label, without building its list for a site series (most of them)
                add(f"{head}site={s.site}]: p = {p_text} (A {a_text})")
    for i in r.indicators:
        lines += [f"      {i.id}: {_missing_text(m)}" for m in i.missing]
    lines += [f"    - confidence down: {reason}" for reason in r.confidence_reasons]
    return lines


def _part_text(value: Decimal | None, share: Decimal) -> str:
    """A part of a count: its value and its share of the total (no progress: the target
    is the whole programme's)."""
    a_text = "n/a" if value is None else _cached_short(value, 2, _SHORT_2)
    return f"A {a_text} ({_cached_short(share * 100, 1, _SHORT_1)}% of the total)"


def _link_line(link: LinkScore) -> list[str]:
    lines = [
        f"  {link.id}: {VERDICT_WORDS[link.verdict]} — {link.reason}",
        f"    link {_posterior(link.hypothesis)} · confidence "
        f"{link.confidence.replace('_', ' ')}",
    ]
    lines += [f"    - confidence down: {reason}" for reason in link.confidence_reasons]
    return lines


def render_text(score: ProgrammeScore, *, explain_all: bool = False) -> str:
    """The terminal summary of `toc score`."""
    return "".join(render_text_chunks(score, explain_all=explain_all))


_CHUNK_LINES = 4096  # lines of the summary joined into one piece (`render_text_chunks`)


def render_text_chunks(score: ProgrammeScore, *, explain_all: bool = False) -> Iterator[str]:
    """`render_text` in pieces; the programme's text with control characters escaped."""
    for piece in _summary_chunks(score, explain_all=explain_all):
        yield for_terminal_lines(piece)


def _summary_chunks(score: ProgrammeScore, *, explain_all: bool = False) -> Iterator[str]:
    """`render_text` in pieces of a few thousand lines (each ending in a newline).

    A national summary has hundreds of thousands of lines (every breakdown): holding them
    all, and then their text, was ~30 MB of `toc score`'s peak memory at 1,000 results x
    5,000,000 rows. The pieces are written as they come.
    """
    out: list[str] = []
    if score.safeguarding.banner:
        out += [score.safeguarding.banner, ""]
    out.append(f"{score.title} ({score.programme}) — assessed at {score.assessed_at}")
    out += ["", "Results"]
    for r in score.results:
        out += _result_block(r)
        if len(out) >= _CHUNK_LINES:
            yield "\n".join(out) + "\n"
            out.clear()
    if score.links:
        out += ["", "Links"]
        for link in score.links:
            out += _link_line(link)
            if len(out) >= _CHUNK_LINES:
                yield "\n".join(out) + "\n"
                out.clear()
    design = score.design
    v = short(design.validity, 2) if design.validity is not None else "untested"
    out += [
        "",
        f"Design score {short(design.score, 1)}: ex-ante E {short(design.ex_ante_score, 2)}, "
        f"empirical validity V {v}, tested coverage {short(design.tested_coverage, 2)}"
        + (" (validity_untested: score is 100 × E)" if design.validity_untested else ""),
    ]
    for c in design.criteria:
        out.append(f"  {c.name} {c.score}/3: {'; '.join(c.reasons)}")
    if design.gaps:
        out += ["", "Gaps in the theory (unanticipated outcomes; not a penalty)"]
        for g in design.gaps:
            text = g.statement if not g.withheld else "[withheld: sensitive evidence]"
            near = f" near {g.result}" if g.result else ""
            out.append(f"  {g.evidence} ({g.valence}{near}): {text}")
    out += ["", "Roll-up by level (accountability roll-up, not a causal claim)"]
    for level in score.rollup:
        value = fmt(level.score) if level.score is not None else "-"
        interim = f", {level.interim} interim" if level.interim else ""
        out.append(
            f"  {level.level}: {value} {level.band_label} "
            f"({level.banded} of {level.results} results banded{interim})"
        )
    if score.findings:
        out += ["", "Findings"]
        for d in score.findings:
            out.append(f"  {d.span}: {d.severity.label} {d.code} {d.symbol}: {d.message}")
    safe = score.safeguarding
    if safe.withheld_items or safe.suppressed_cells:
        out += [
            "",
            f"Safeguarding: {safe.withheld_items} sensitive evidence items withheld, "
            f"{safe.suppressed_cells} small cells suppressed (threshold {safe.threshold}).",
        ]
    for note in score.notes:
        out.append(f"Note: {note}")
    if explain_all:
        for r in score.results:
            out += ["", explain(score, r.id)]
    yield "\n".join(out) + "\n"


def _effect_line(e: ClaimEffect) -> list[str]:
    head = f"  {e.evidence} ({e.kind}) claim {e.claim + 1}: {e.finding}"
    head += f", {e.test}" if e.test else ", explicit probabilities"
    head += ", found" if e.found else ", looked for and not found"
    if e.lr is None or e.sensitivity is None or e.false_positive is None:
        return [head, f"    ignored: {e.note}"]
    se, alpha = e.sensitivity, e.false_positive
    if e.found:
        formula = f"Se/α = {se:g}/{alpha:g}"
    else:
        formula = f"(1 − Se)/(1 − α) = {1 - se:g}/{1 - alpha:g}"
    if e.finding == "contradicts":
        formula = f"1 / [{formula}]"
    lines = [head, f"    LR = {formula} = {e.lr:.4g}"]
    if e.temper != 1.0:
        lines.append(
            f"    methodology concern {e.methodology}: LR^{e.temper:g} = {e.tempered_lr:.4g}"
        )
    lines.append("    " + ("used" if e.used else "not used") + (f": {e.note}" if e.note else ""))
    if e.withheld:
        lines.append("    summary and quote withheld (sensitive evidence)")
    elif e.quote:
        lines.append(f'    quote: "{e.quote}"')
    return lines


def explain_hypothesis(h: Hypothesis) -> list[str]:
    if not h.effects or h.posterior is None:
        return [f"Qualitative evidence about {h.id}: none usable -> posterior null "
                "(no_qualitative_evidence)"]
    odds = h.prior / (1 - h.prior)
    lines = [f"Qualitative evidence about {h.id}: prior {h.prior:g} (odds {odds:.4g})"]
    product = 1.0
    for e in h.effects:
        lines += _effect_line(e)
        if e.used and e.tempered_lr is not None:
            product *= e.tempered_lr
    posterior_odds = odds * product if math.isfinite(odds * product) else math.inf
    lines.append(
        f"  posterior odds = {odds:.4g} × {product:.4g} = {posterior_odds:.4g} -> "
        f"P = {_p(h.posterior)} ({BAND_WORDS[h.band]})"
    )
    return lines


def _missing_text(m: MissingValue) -> str:
    why = f" ({m.reason})" if m.reason else ""
    return f"no value for {m.label()}{why}: missing, not counted"


def _explain_indicator(i: IndicatorScore) -> list[str]:
    lines = [f"Indicator {i.id} ({i.measure}, {i.direction or 'no direction'}): {i.status}"
             + (f" — {i.reason}" if i.reason else "")]
    lines += [f"  {step}" for step in i.steps]
    if i.survey:
        s = i.survey
        if s.baseline:
            low, high = s.baseline.low, s.baseline.high
            lines.append(f"  baseline 95% Wilson interval {low:.1f}–{high:.1f}")
        if s.actual:
            lines.append(f"  actual 95% Wilson interval {s.actual.low:.1f}–{s.actual.high:.1f}")
        if s.difference_interval is not None and s.difference is not None:
            lines.append(
                f"  change {s.difference:+.1f} points, Newcombe 95% interval "
                f"{s.difference_interval.low:+.1f} to {s.difference_interval.high:+.1f}: "
                + ("distinguishable from zero" if s.significant else "not distinguishable "
                   "from zero")
            )
    for cell in i.series:
        if cell.suppressed:
            lines.append(f"  series [{cell.label}]: suppressed ({cell.suppression})")
        elif cell.actual is not None and cell.progress is None and cell.target is None:
            share = (f", {fmt(cell.share_of_total * 100)}% of the total"
                     if cell.share_of_total is not None else "")
            lines.append(
                f"  series [{cell.label}]: A {fmt(cell.actual.value)} ({cell.actual.period})"
                f"{share}: a part of the total, with no target of its own"
            )
        elif cell.actual is not None:
            target = "its own target" if cell.target and cell.target.own else "the total's target"
            lines.append(
                f"  series [{cell.label}]: A {fmt(cell.actual.value)} ({cell.actual.period}), "
                f"p = {fmt(cell.progress)} against {target}"
            )
    lines += [f"  {_missing_text(m)}" for m in i.missing]
    return lines


def _explain_result(r: ResultScore) -> list[str]:
    lines = [f"Result {r.id} ({r.level}): {r.statement}", ""]
    for i in r.indicators:
        lines += [*_explain_indicator(i), ""]
    lines.append("Delivery")
    lines += [f"  {step}" for step in r.delivery.steps]
    lines += ["", *explain_hypothesis(r.hypothesis), ""]
    lines.append(f"State: {r.state} — {r.state_reason}")
    lines.append("Confidence: starts high")
    for reason in r.confidence_reasons:
        lines.append(f"  down one level: {reason}")
    lines.append(f"  = {r.confidence}")
    return lines


def _explain_link(score: ProgrammeScore, link: LinkScore) -> list[str]:
    states = {r.id: r for r in score.results}
    lines = [f"Link {link.id} (weight {fmt(link.weight)})"]
    for rid in (link.source, link.target):
        r = states.get(rid)
        lines.append(f"  {rid}: {r.state} — {r.state_reason}" if r else f"  {rid}: unknown")
    lines += ["", *explain_hypothesis(link.hypothesis)]
    for rival in link.rivals:
        lines.append(f"  rival {rival.id}: {_posterior(rival.hypothesis)}")
    for a in score.assumptions:
        if a.id in link.assumptions:
            lines.append(f"  assumption {a.id}: {a.state} — {a.reason}")
    if link.lag:
        lines.append(f"  lag {link.lag}")
    lines += ["", f"Verdict (rule {link.rule} of the table): {link.verdict} — {link.reason}"]
    lines.append("Confidence: starts high")
    lines += [f"  down one level: {reason}" for reason in link.confidence_reasons]
    lines.append(f"  = {link.confidence}")
    return lines


def _candidates(score: ProgrammeScore) -> list[str]:
    names = [r.id for r in score.results] + [link.id for link in score.links]
    names += [i.id for r in score.results for i in r.indicators]
    names += [a.id for a in score.assumptions] + ["design"]
    return names


def explain(score: ProgrammeScore, target: str) -> str:
    """The arithmetic behind one result, link, indicator or assumption (or `design`)."""
    return for_terminal_lines(_explanation(score, target))


def _explanation(score: ProgrammeScore, target: str) -> str:
    key = normalise_about(target)
    lines: list[str] = []
    if score.safeguarding.banner:
        lines += [score.safeguarding.banner, ""]
    for r in score.results:
        if r.id == key:
            return "\n".join(lines + _explain_result(r)) + "\n"
    for link in score.links:
        if link.id == key:
            return "\n".join(lines + _explain_link(score, link)) + "\n"
    for r in score.results:
        for i in r.indicators:
            if i.id == key:
                return "\n".join(lines + _explain_indicator(i)) + "\n"
    for a in score.assumptions:
        if a.id == key:
            body = [f"Assumption {a.id}: {a.state} — {a.reason}", *explain_hypothesis(a.hypothesis)]
            return "\n".join(lines + body) + "\n"
    if key == "design":
        body = ["Design score", *[f"  {s}" for s in score.design.steps]]
        for c in score.design.criteria:
            body.append(f"  {c.name}: {c.score}/3 (mean pass share {fmt(c.mean_share)})")
            body += [f"    {ch.name}: {fmt(ch.share)}" for ch in c.checks]
            body += [f"    - {reason}" for reason in c.reasons]
        return "\n".join(lines + body) + "\n"
    close = suggestions(key, _candidates(score), n=3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise KeyError(
        f"{target!r} is not a result, link ('a -> b'), indicator or assumption of "
        f"{score.programme}{hint}"
    )
