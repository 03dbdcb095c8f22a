"""From a logframe as read to `programme.yaml` and `data/observations.csv`.

The YAML is meant to be edited by hand: results in the order of the workbook, ids made
from the statements, and a comment naming the cell wherever the workbook was ambiguous or
silent (each with a finding). Nothing is guessed: an unread value stays a comment."""

from __future__ import annotations

import csv as csv_module
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from ...findings.diagnostic import Diagnostic
from ...schema.periods import parse_period
from .findings import NOT_IN_WORKBOOK, UNREADABLE_VALUE
from .layouts import FCDO, LAYOUT_NAMES, fold
from .model import IndicatorIn, Logframe, Point, ResultIn
from .values import as_period

LEVELS = ("activity", "output", "outcome", "impact")
DIRECTIONS = ("increase", "decrease", "maintain")
PLAIN = re.compile(r"^[A-Za-z0-9(][^\n]*$")
KEYWORDS = {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"}
SLUG_WORDS = 6
LOOSE_ENDS = {"a", "an", "the", "of", "to", "in", "on", "and", "or", "for", "with", "by", "at",
              "when", "who", "that", "as", "from", "is", "are"}


@dataclass
class Skeleton:
    yaml: str
    csv: str | None
    findings: list[Diagnostic] = field(default_factory=list)


def slug(text: str, limit: int = 48) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words[:SLUG_WORDS]:
        if out and len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}" if out else word[:limit]
    parts = out.split("-")
    while len(parts) > 1 and parts[-1] in LOOSE_ENDS:
        parts.pop()
    return "-".join(parts) or "item"


class Ids:
    """One namespace for every id, as the format requires."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, given: str, text: str) -> str:
        base = given if given and re.fullmatch(r"[a-z0-9][a-z0-9._-]*", given) else slug(text)
        name, n = base, 2
        while name in self.used:
            name, n = f"{base}-{n}", n + 1
        self.used.add(name)
        return name


def scalar(text: str) -> str:
    """A string as YAML: plain when that reads back as the same string, else quoted."""
    text = " ".join(text.split())
    if (PLAIN.match(text) and text.lower() not in KEYWORDS and ": " not in text
            and " #" not in text and not text.endswith(":")
            and not re.fullmatch(r"[-+]?[\d._:]+([eE][-+]?\d+)?|\d{4}-.*|0[xo].*", text)):
        return text
    return json.dumps(text, ensure_ascii=False)


def number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text[:-2] if text.endswith(".0") else text


def value_text(point: Point) -> str:
    return point.label if point.label is not None else number(point.value or Decimal(0))


def value_yaml(point: Point) -> str:
    return scalar_in_flow(point.label) if point.label is not None else value_text(point)


def scalar_in_flow(text: str) -> str:
    """A string inside `{...}` or `[...]`: quoted unless it is a plain slug-like word."""
    return text if re.fullmatch(r"[A-Za-z][\w.-]*", text) and text.lower() not in KEYWORDS \
        else json.dumps(text, ensure_ascii=False)


def period_yaml(period: str) -> str:
    if "/" in period:
        start, end = period.split("/", 1)
        return f"{{start: {period_yaml(start)}, end: {period_yaml(end)}}}"
    return period if re.fullmatch(r"\d{4}", period) else json.dumps(period)


class Builder:
    def __init__(self, logframe: Logframe, file: str, programme_id: str,
                 units: tuple[str, ...] = ()) -> None:
        self.lf, self.file, self.programme_id = logframe, file, programme_id
        self.units = units  # units to declare: counts of their own the engine does not know
        self.findings: list[Diagnostic] = []
        self.ids = Ids()
        self.assumptions: dict[str, str] = {}  # statement -> id
        self.observations: list[tuple[str, str, str]] = []

    def _note(self, where: str, message: str, hint: str) -> None:
        sheet_cell = re.match(r"^(.*)!([A-Z]+)(\d+)$", where)
        row, col = 0, 0
        if sheet_cell:
            from openpyxl.utils import column_index_from_string

            row, col = int(sheet_cell.group(3)), column_index_from_string(sheet_cell.group(2))
        self.findings.append(NOT_IN_WORKBOOK(f"{where}: {message}", self.file, row, col,
                                             hint=hint))

    def build(self) -> Skeleton:
        results = self.lf.results
        for result in results:
            result.id = self.ids.take(result.id, result.statement)
            for ind in result.indicators:
                ind.id = self.ids.take(ind.id, ind.name)
        for result in results:
            for text in result.assumptions:
                if text not in self.assumptions:
                    self.assumptions[text] = self.ids.take("", text)
        links = {r.id: self._links(r) for r in results}
        periods = [p.period for r in results for i in r.indicators
                   for p in [i.baseline, *i.targets, *i.achieved] if p and p.period]
        lines = self._head(periods)
        if self.units:
            lines += ["", "units:   # declared by the import as counts of their own: check"]
            lines += [f"  - {unit} = [{unit}]" for unit in self.units]
        if self.assumptions:
            lines += ["", "assumptions:"]
            for text, aid in self.assumptions.items():
                lines += [f"  - id: {aid}", f"    statement: {scalar(text)}"]
        lines += ["", "results:"]
        for result in results:
            lines += self._result(result, links[result.id])
        csv = None
        if self.observations:
            lines += ["", "data:", "  - data/observations.csv   # achieved values"]
            buffer = io.StringIO()
            writer = csv_module.writer(buffer, lineterminator="\n")
            writer.writerow(["indicator", "period", "value"])
            writer.writerows(self.observations)
            csv = buffer.getvalue()
        return Skeleton("\n".join(lines) + "\n", csv, self.findings)

    def _head(self, periods: list[str]) -> list[str]:
        lf = self.lf
        shown = f"{LAYOUT_NAMES.get(lf.layout, 'mapped layout')}, sheet {lf.sheet!r}"
        lines = [
            f"# Imported from {self.file} ({shown}, headers on row {lf.header_row})",
            "# by `toc import logframe`. Each comment naming a cell (Sheet!A1) marks where the",
            "# workbook was ambiguous or silent: check it, then run `toc validate`.",
            "toc: 1", "", "programme:", f"  id: {self.programme_id}",
            f"  title: {scalar(lf.title or self.programme_id)}",
        ]
        if periods:
            parsed = [parse_period(as_period(p)) for p in periods]
            start = min(p.start for p in parsed).replace(month=1, day=1)
            end = max(p.end for p in parsed).replace(month=12, day=31)
            lines.append(f"  period: {{start: {start.isoformat()}, end: {end.isoformat()}}}")
        else:
            self._note(f"{lf.sheet}!A1", "no baseline, target or achieved value has a year, "
                       "so the programme's period is a placeholder (2000)",
                       "in programme.yaml, replace the placeholder under `programme:` with "
                       "the programme's dates, e.g. `period: {start: 2012-01-01, end: "
                       "2016-12-31}`; or write each value with its year in the workbook "
                       "('40% (2016)') and import again")
            lines.append("  period: {start: 2000-01-01, end: 2000-12-31}   # placeholder: "
                         "the workbook gives no years")
        if lf.assessed_at:
            lines.append(f"  assessed_at: {lf.assessed_at}")
        return lines

    def _links(self, result: ResultIn) -> list[str]:
        results = self.lf.results
        present = [lv for lv in LEVELS if any(r.level == lv for r in results)]
        above = (present[present.index(result.level) + 1]
                 if result.level in present and result.level != present[-1] else None)
        if result.contributes is not None:
            out = []
            for entry in result.contributes:
                target = next((r.id for r in results if r.id == entry), None) or next(
                    (r.id for r in results if r.label and fold(r.label) == fold(entry)), None
                ) or next((r.id for r in results if above and r.level == above and (
                    (r.number and r.number == entry.strip())
                    or fold(r.statement) == fold(entry))), None)
                if target is None:
                    self._note(result.where, f"contributes to {entry!r}, which is no result "
                               "of the logframe; the link was left out",
                               "write a result id or label (e.g. Outcome 1)")
                elif target not in out:
                    out.append(target)
            return out
        if above is None:
            return []
        candidates = [r for r in results if r.level == above]
        if "." in result.number:
            prefix = result.number.rsplit(".", 1)[0]
            numbered = [r for r in candidates if r.number == prefix]
            if numbered:
                return [numbered[0].id]
        if len(candidates) == 1:
            return [candidates[0].id]
        if self.lf.layout == FCDO:
            under = self._block_above(result, above)
            if under is not None:
                return [under.id]
        ids = ", ".join(r.id for r in candidates)
        if self.lf.layout == FCDO:
            hint = (f"in programme.yaml, add to '{result.id}' `contributes_to: [{{to: ID}}]` "
                    f"with the id of its {above} ({ids}); or, in the workbook, number the "
                    f"block under its {above} (e.g. {result.level.upper()} 2.1 for "
                    f"{above.upper()} 2), list each {above}'s {result.level} blocks right "
                    f"after it, or add a 'Contributes to' column to the block's header row "
                    f"naming it (e.g. {above.capitalize()} 2), and import again")
        else:
            hint = (f"in programme.yaml, add to '{result.id}' `contributes_to: [{{to: ID}}]` "
                    f"with the id of its {above} ({ids}); or, in the workbook, number it "
                    f"under its {above} (e.g. {result.level.capitalize()} 1.2 under "
                    f"{above.capitalize()} 1), or add a 'Contributes to' column naming it, "
                    "and import again")
        self._note(result.where, f"the workbook does not say which {above} '{result.label}' "
                   f"relates to; it was linked to none", hint)
        return []

    def _block_above(self, result: ResultIn, above: str) -> ResultIn | None:
        """The block of level `above` that `result` is listed under, in an FCDO logframe
        whose blocks say it by their order: each block of level `above` is followed by the
        blocks of `result`'s level that serve it, before the next one. None when the
        order does not say (the blocks of a level listed together, or a block of `above`
        with none after it)."""
        blocks = [r for r in self.lf.results if r.level in (above, result.level)]
        if not blocks or blocks[0].level != above:
            return None
        for here, after in zip(blocks, [*blocks[1:], None], strict=True):
            if here.level == above and (after is None or after.level == above):
                return None  # a block of `above` with nothing listed under it
        current = None
        for block in blocks:
            if block.level == above:
                current = block
            elif block is result:
                return current
        return None

    def _result(self, result: ResultIn, links: list[str]) -> list[str]:
        out = ["", f"  - id: {result.id}", f"    level: {result.level}"]
        if result.weight is not None:
            out.append(f"    weight: {number(result.weight)}")
        out.append(f"    statement: {scalar(result.statement)}")
        out.append(f"    # {result.where}" + (f" ({result.label})" if result.label else ""))
        out += [f"    # {note}" for note in result.notes]
        assumption_ids = [self.assumptions[a] for a in result.assumptions]
        if links:
            out.append("    contributes_to:")
            for target in links:
                out.append(f"      - to: {target}")
                if assumption_ids:
                    out.append(f"        assumptions: [{', '.join(assumption_ids)}]")
        elif assumption_ids:
            out.append(f"    # assumptions of this row (no link to attach them to): "
                       f"{', '.join(assumption_ids)}")
        if result.indicators:
            out.append("    indicators:")
            for ind in result.indicators:
                out += self._indicator(ind)
        return out

    def _indicator(self, ind: IndicatorIn) -> list[str]:
        out = [f"      - id: {ind.id}", f"        name: {scalar(ind.name)}"]
        percent = ind.percent
        if ind.scale:
            out += ["        measure: ordinal",
                    f"        scale: [{', '.join(scalar_in_flow(e) for e in ind.scale)}]"]
        elif percent:
            out += ["        measure: percentage", "        unit: percent"]
        elif ind.unit:
            out += [f"        unit: {scalar(ind.unit)}"]
        else:
            out += [f"        unit: count   # {ind.where}: no unit in the workbook; write what "
                    "is counted"]
            self._note(ind.where, f"indicator '{ind.name}' has no unit; `count` was written "
                       "as a placeholder",
                       f"in programme.yaml, replace `unit: count` of indicator '{ind.id}' with "
                       "what one counts (e.g. `unit: person`, `household`, `meeting`), or "
                       "`measure: percentage` for a share; or add a Unit column to the "
                       "workbook and import again")
        out += self._direction(ind)
        if ind.source:
            out.append(f"        source: {scalar(ind.source)}")
        out += self._unread(ind, "baseline")
        if ind.baseline is not None and self._dated(ind.baseline, ind, "baseline"):
            out.append(f"        baseline: {{period: {period_yaml(str(ind.baseline.period))}, "
                       f"value: {value_yaml(ind.baseline)}}}")
        out += self._unread(ind, "target")
        targets = [t for t in ind.targets if self._dated(t, ind, "target")]
        if targets:
            out.append("        targets:")
            out += [f"          - {{period: {period_yaml(str(t.period))}, value: "
                    f"{value_yaml(t)}}}" for t in targets]
        seen = set()
        spans = []  # observations over a range of dates: the CSV takes single periods
        for point in ind.achieved:
            if self._dated(point, ind, "achieved value") and point.period not in seen:
                seen.add(point.period)
                assert point.period is not None
                if "/" in point.period:
                    spans.append(point)
                else:
                    self.observations.append((ind.id, point.period, value_text(point)))
        if spans:
            out.append("        observations:")
            out += [f"          - {{period: {period_yaml(str(p.period))}, value: "
                    f"{value_yaml(p)}}}" for p in spans]
        out += self._unread(ind, "achieved")
        out += [f"        # {note}" for note in ind.notes]
        return out

    @staticmethod
    def _unread(ind: IndicatorIn, kind: str) -> list[str]:
        """Values the workbook gives in words: a comment naming the cell, never a guess."""
        return [f"        # {p.where}: {json.dumps(p.text, ensure_ascii=False)} ({kind}"
                + (f" {p.period}" if p.period else "") + ", not read)"
                for p in ind.unread if (p.kind or "achieved") == kind]

    def _direction(self, ind: IndicatorIn) -> list[str]:
        if ind.direction in DIRECTIONS:
            return [f"        direction: {ind.direction}"]
        base = ind.baseline.value if ind.baseline else None
        final = ind.targets[-1].value if ind.targets else None
        if base is not None and final is not None:
            way = "increase" if final > base else "decrease" if final < base else "maintain"
            assert ind.baseline is not None
            return [f"        direction: {way}   # from the baseline ({ind.baseline.where}) "
                    f"and the target ({ind.targets[-1].where}): check"]
        self._note(ind.where, f"indicator '{ind.name}' says neither its direction nor a "
                   "baseline and a target to read it from; `increase` was written as a "
                   "placeholder",
                   f"in programme.yaml, set `direction:` of indicator '{ind.id}' to increase, "
                   "decrease or maintain (which way is better); or add a Direction column "
                   "to the workbook and import again")
        return [f"        direction: increase   # {ind.where}: no direction in the workbook; "
                "write increase, decrease or maintain"]

    def _dated(self, point: Point, ind: IndicatorIn, what: str) -> bool:
        if point.period:
            return True
        ind.notes.append(f"{point.where}: {what} {value_text(point)} has no year, so it was "
                         "not used")
        sheet_cell = re.match(r"^(.*)!([A-Z]+)(\d+)$", point.where)
        row, col = 0, 0
        if sheet_cell:
            from openpyxl.utils import column_index_from_string

            row, col = int(sheet_cell.group(3)), column_index_from_string(sheet_cell.group(2))
        self.findings.append(UNREADABLE_VALUE(
            f"{point.where}: {what} {value_text(point)} of '{ind.name}' has "
            "no year; it was left as a comment", self.file, row, col,
            hint="write the year with the value, e.g. '40% (2016)', or in the year column"))
        return False
