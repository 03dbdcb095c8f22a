"""The "Indicators", "Links" and "Evidence" sheets: flat tables a programme manager
filters and sorts, from the score's JSON data. Sensitive text arrives already withheld
(the scorer withholds it), and is shown the way the other outputs show it."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from ..report.palette import verdict_name
from .cells import PROBABILITY, band_cell, fit_columns, header, put, put_period
from .frame import ResultRow, period_cell

WITHHELD = "[withheld: sensitive evidence]"


def _period_key(text: str) -> tuple[str, int, str]:
    from ...schema.periods import parse_period
    from .values import as_period

    period = parse_period(as_period(text))
    return (period.end.isoformat(), -period.days, text)


def indicators(sheet: Worksheet, rows: list[ResultRow]) -> None:
    """One row per indicator and series; a target and an actual column per period."""
    periods: set[str] = set()
    for result in rows:
        for ind in result.indicators:
            periods |= {str(t.period) for t in ind.targets}
            periods |= {str(a.period) for a in ind.actuals}
    ordered = sorted(periods, key=_period_key)
    names = ["Result", "Level", "Indicator", "Indicator id", "Series", "Unit", "Baseline",
             "Baseline period"]
    for period in ordered:
        names += [f"{period} target", f"{period} actual"]
    names += ["Latest actual", "Latest period", "% of target", "Band"]
    header(sheet, 1, names)
    at = {name: i for i, name in enumerate(names, start=1)}
    line = 2
    for result in rows:
        for ind in result.indicators:
            pct = ind.percent
            put(sheet, line, at["Result"], result.statement)
            put(sheet, line, at["Level"], result.level)
            put(sheet, line, at["Indicator"], ind.name)
            put(sheet, line, at["Indicator id"], ind.id)
            put(sheet, line, at["Series"], "total")
            put(sheet, line, at["Unit"], ind.unit)
            if ind.baseline:
                put(sheet, line, at["Baseline"], ind.baseline.value, percent=pct)
                put_period(sheet, line, at["Baseline period"], ind.baseline.period)
            for t in ind.targets:
                put(sheet, line, at[f"{t.period} target"], t.value, percent=pct)
            for a in ind.actuals:
                put(sheet, line, at[f"{a.period} actual"], a.value, percent=pct)
            if ind.current is not None:
                put(sheet, line, at["Latest actual"], ind.current.value, percent=pct)
                put_period(sheet, line, at["Latest period"], ind.current.period)
            if ind.progress is not None:
                put(sheet, line, at["% of target"], ind.progress * 100, percent=True)
            band_cell(sheet, line, at["Band"], result.band, result.band_label)
            line += 1
            for series in ind.score.get("series", []):
                label = ", ".join([f"site={series['site']}"] if series.get("site") else []
                                  + [f"{k}={v}" for k, v in sorted(series["dimensions"].items())])
                put(sheet, line, at["Indicator id"], ind.id)
                put(sheet, line, at["Indicator"], ind.name)
                put(sheet, line, at["Series"], label)
                put(sheet, line, at["Unit"], ind.unit)
                actual = series.get("actual")
                if series.get("suppressed"):
                    put(sheet, line, at["Latest actual"], series.get("suppression") or
                        "suppressed (safeguarding: small cell)")
                elif actual:
                    put(sheet, line, at["Latest actual"], actual["value"], percent=pct)
                    put_period(sheet, line, at["Latest period"], period_cell(actual["period"]))
                    if series.get("progress") is not None:
                        put(sheet, line, at["% of target"], series["progress"] * 100,
                            percent=True)
                line += 1
    fit_columns(sheet, {at["Result"]: 40, at["Indicator"]: 40})


def links(sheet: Worksheet, data: dict[str, Any]) -> None:
    names = ["From", "To", "Weight", "Verdict", "Rule", "Posterior", "Posterior band",
             "Confidence", "Confidence reasons", "Reason", "Assumptions", "Rivals", "Lag"]
    header(sheet, 1, names)
    for line, link in enumerate(data["links"], start=2):
        cells = [link["from"], link["to"], link["weight"], verdict_name(link["verdict"]),
                 link["rule"], link["posterior"], link["posterior_band"].replace("_", " "),
                 link["confidence"], "\n".join(link["confidence_reasons"]), link["reason"],
                 ", ".join(link["assumptions"]),
                 ", ".join(r if isinstance(r, str) else r.get("id", "") for r in link["rivals"]),
                 link["lag"]]
        for col, value in enumerate(cells, start=1):
            put(sheet, line, col, value, fmt=PROBABILITY if col == 6 else None)
    fit_columns(sheet, {10: 60, 9: 45})


def _claims(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for result in data["results"]:
        out += [(result["id"], c) for c in result["claims"]]
    for link in data["links"]:
        out += [(f"{link['from']} -> {link['to']}", c) for c in link["claims"]]
    for assumption in data["assumptions"]:
        out += [(assumption["id"], c) for c in assumption.get("claims", [])]
    return out


def evidence(sheet: Worksheet, data: dict[str, Any]) -> None:
    names = ["Evidence", "Kind", "About", "Finding", "Found", "Test", "Likelihood ratio",
             "Used", "Package", "Note", "Summary", "Quote"]
    header(sheet, 1, names)
    line = 2
    for about, claim in _claims(data):
        withheld = claim.get("withheld")
        cells = [claim["evidence"], claim["kind"].replace("_", " "), about, claim["finding"],
                 claim["found"], (claim.get("test") or "").replace("_", " "),
                 claim.get("tempered_likelihood_ratio"), claim["used"], claim.get("package"),
                 claim.get("note"), WITHHELD if withheld else claim.get("summary"),
                 WITHHELD if withheld and claim.get("quote") is None else claim.get("quote")]
        for col, value in enumerate(cells, start=1):
            put(sheet, line, col, value, fmt=PROBABILITY if col == 7 else None)
        line += 1
    gaps = data["design"].get("gaps", [])
    if gaps:
        line += 1
        put(sheet, line, 1, "Unanticipated changes", bold=True)
        line += 1
        for gap in gaps:
            put(sheet, line, 1, gap["evidence"])
            put(sheet, line, 2, gap["valence"])
            put(sheet, line, 3, gap.get("result"))
            put(sheet, line, 11, WITHHELD if gap.get("withheld") else gap.get("statement"))
            line += 1
    fit_columns(sheet, {11: 60, 12: 45, 10: 40})
