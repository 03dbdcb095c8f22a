"""The portfolio as text people read: Markdown, and CSV of the link matrix."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..report.palette import verdict_name
from .data import JSON

CSV_COLUMNS = (
    "key",
    "kind",
    "name",
    "tested_in",
    "few_contexts",
    "programme",
    "country",
    "assessed_at",
    "link",
    "verdict",
    "tested",
    "posterior",
    "confidence",
    "failed_assumptions",
    "interim",
    "reason",
)


def render_csv(data: JSON) -> str:
    """One row per link pattern and programme: the matrix in long form."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in data["links"]:
        for cell in row["cells"]:
            writer.writerow(
                [
                    row["key"],
                    row["kind"],
                    row["name"],
                    row["tested_in"],
                    _flag(row["few_contexts"]),
                    cell["programme"],
                    cell["country"] or "",
                    cell["assessed_at"],
                    cell["link"],
                    cell["verdict"],
                    _flag(cell["tested"]),
                    "" if cell["posterior"] is None else cell["posterior"],
                    cell["confidence"],
                    ";".join(cell["failed_assumptions"]),
                    _flag(cell["interim"]),
                    _safe_cell(cell["reason"]),
                ]
            )
    return out.getvalue()


def _flag(value: bool) -> str:
    return "yes" if value else "no"


def _safe_cell(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _md(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(data: JSON) -> str:
    lines = ["# Portfolio: causal judgements across programmes", ""]
    contexts = data["contexts"]
    dates = data["assessment_dates"]
    lines.append(
        f"{len(contexts)} programme(s) compared, assessed on {len(dates)} date(s)"
        f" ({', '.join(dates)}); {len(data['refused'])} left out because they do not"
        " validate."
    )
    lines.append("")
    lines += [
        "## Programmes",
        "",
        "| programme | country | model | assessed | interim |",
        "|---|---|---|---|---|",
    ]
    for c in contexts:
        lines.append(
            f"| {_md(c['programme'])} | {c['country'] or ''} | {_md(c['model'] or '')} |"
            f" {c['assessed_at']} | {'interim' if c['interim'] else ''} |"
        )
    if data["refused"]:
        lines += [
            "",
            "## Left out (do not validate)",
            "",
            "| path | errors | first error |",
            "|---|---|---|",
        ]
        for r in data["refused"]:
            lines.append(f"| {_md(r['path'])} | {r['errors']} | {_md(r['first_error'])} |")
    lines += ["", "## What travelled, what did not", ""]
    for lesson in data["lessons"]:
        lines.append(f"- **{lesson['kind'].replace('_', ' ')}**: {_md(lesson['text'])}")
    if not data["lessons"]:
        lines.append("No link pattern was tested in any programme.")
    lines += ["", "## Links across contexts", ""]
    for row in data["links"]:
        few = " (fewer than three tested contexts)" if row["few_contexts"] else ""
        lines += [
            f"### {_md(row['name'])}{few}",
            "",
            "| programme | country | assessed | link | verdict | posterior | confidence |"
            " failed assumptions |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for cell in row["cells"]:
            verdict = verdict_name(cell["verdict"]) + (" (interim)" if cell["interim"] else "")
            posterior = "" if cell["posterior"] is None else f"{cell['posterior']:.2f}"
            lines.append(
                f"| {_md(cell['programme'])} | {cell['country'] or ''} | {cell['assessed_at']} |"
                f" {_md(cell['link'])} | {verdict} | {posterior} | {cell['confidence']} |"
                f" {_md(', '.join(cell['failed_assumptions']))} |"
            )
        lines.append("")
    lines += [
        "## Assumptions across contexts",
        "",
        "| assumption | held in | failed in | other states |",
        "|---|---|---|---|",
    ]
    for row in data["assumptions"]:
        other = ", ".join(
            f"{c['programme']}: {c['state']}"
            for c in row["cells"]
            if c["state"] not in ("holds", "failed")
        )
        lines.append(
            f"| {_md(row['name'])} | {_md(', '.join(row['held_in']))} |"
            f" {_md(', '.join(row['failed_in']))} | {_md(other)} |"
        )
    lines += ["", "## Indicators across programmes", ""]
    if not data["indicators"]:
        lines.append("No library indicator is used by more than one programme.")
    for ind in data["indicators"]:
        total = "" if ind["value"] is None else f"{ind['value']:g} {ind['unit'] or ''}".strip()
        lines += [
            f"### {_md(ind['name'])} (`{ind['use']}`)",
            "",
            f"Combined: {total or 'not combined'} ({_md(ind['note'])}).",
            "",
            "| programme | country | value | unit | period | sample size |",
            "|---|---|---|---|---|---|",
        ]
        for c in ind["contributions"]:
            value = "" if c["value"] is None else f"{c['value']:g}"
            lines.append(
                f"| {_md(c['programme'])} | {c['country'] or ''} | {value} | {c['unit'] or ''} |"
                f" {c['period'] or ''} | {c['sample_size'] or ''} |"
            )
        lines.append("")
    if lines[-1]:
        lines.append("")
    lines += [
        "## Delivery by country and level",
        "",
        "| country | level | programme | assessed | score | band |",
        "|---|---|---|---|---|---|",
    ]
    for e in data["delivery"]:
        score = "" if e["score"] is None else f"{e['score']:.1f}"
        interim = " (interim)" if e["interim"] else ""
        lines.append(
            f"| {e['country'] or ''} | {_md(e['level'])} | {_md(e['programme'])} |"
            f" {e['assessed_at']}{interim} | {score} | {e['band']} |"
        )
    lines += [
        "",
        "## Design by country",
        "",
        "| country | programme | assessed | design score | validity | tested coverage |",
        "|---|---|---|---|---|---|",
    ]
    for e in data["design"]:
        validity = "untested" if e["validity"] is None else f"{e['validity']:.2f}"
        lines.append(
            f"| {e['country'] or ''} | {_md(e['programme'])} | {e['assessed_at']} |"
            f" {e['score']:.1f} | {validity} | {e['tested_coverage']:.2f} |"
        )
    return "\n".join(lines) + "\n"
