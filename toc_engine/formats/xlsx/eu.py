"""Reading the EU Logical Framework Matrix (and any layout described by a --map file,
which names the same column roles): a results-chain column, the intervention logic, then
indicators, baselines, targets, sources and assumptions, one indicator a row, a result's
cells merged over its indicators' rows."""

from __future__ import annotations

import re
from typing import Any

from ...findings.diagnostic import Diagnostic
from .findings import NOT_IN_WORKBOOK, unreadable_value
from .layouts import EU_HEADERS, MILESTONE, fold, level_of, role_of, split_scale
from .model import IndicatorIn, Logframe, Point, ResultIn
from .reading import Grid
from .values import read_period, read_value

HEADER_SCAN = 30
NUMBERED = re.compile(r"^\s*(?:[A-Za-z]{1,3}\.?\s*)?(\d+(?:\.\d+)*)[.:)\s-]+\s*(?=\S)")


def find_header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    """The first row (of the first 30) naming an indicator column and a results column."""
    for row in range(1, min(grid.max_row, HEADER_SCAN) + 1):
        roles = columns(grid, row)
        if "indicator" in roles and ("chain" in roles or "statement" in roles) and (
                "baseline" in roles or "target" in roles):
            return row, roles
    return None


def columns(grid: Grid, row: int) -> dict[str, int]:
    roles: dict[str, int] = {}
    for col in range(1, grid.max_col + 1):
        cell = grid.cells.get((row, col))  # a header is its own cell, not a merged block
        if cell is None:
            continue
        name = fold(cell.value)
        milestone = MILESTONE.match(name)
        if milestone:
            kind = "year" if milestone.group(2) in ("year", "date") else "value"
            roles.setdefault(f"milestone {milestone.group(1)} {kind}", col)
            continue
        role = role_of(cell.value, EU_HEADERS)
        if role is None and name.startswith(("baseline", "target")) and "year" in name:
            role = name.split()[0] + "_year"
        if role is None and re.match(r"^(baseline|target)s?\b", name):
            role = name.split()[0].rstrip("s")
        if role is not None:
            roles.setdefault(role, col)
    return roles


def scale_entry(scale: list[str] | None, text: str) -> str | None:
    """The scale entry a cell names (ignoring case), if the indicator is ordinal."""
    for entry in scale or []:
        if entry.lower() == text.strip().lower():
            return entry
    return None


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _lines(value: Any) -> list[str]:
    items = []
    for line in str(value or "").splitlines():
        line = re.sub(r"^\s*(?:[-•*·]|\d+[.)]|[a-z][.)])\s+", "", line).strip()
        if line:
            items.append(line)
    return items


class Reader:
    """One sheet, read with a map of column roles."""

    def __init__(self, grid: Grid, header_row: int, roles: dict[str, int],
                 levels: dict[str, str] | None = None) -> None:
        self.grid, self.header_row, self.roles = grid, header_row, roles
        self.levels = levels or {}
        self.findings: list[Diagnostic] = []

    def cell(self, row: int, role: str) -> Any:
        col = self.roles.get(role)
        return None if col is None else self.grid.value(row, col)

    def point(self, row: int, value_role: str, year_role: str | None,
              scale: list[str] | None = None) -> Point | None:
        col = self.roles.get(value_role)
        if col is None:
            return None
        cell = self.grid.at(row, col)
        if cell is None:
            return None
        where = self.grid.where(*self.grid.block_of(row, col))
        reading = read_value(cell.value, cell.number_format)
        period = reading.period
        if year_role and self.roles.get(year_role) is not None:
            period = read_period(self.cell(row, year_role)) or period
        entry = scale_entry(scale, reading.text)
        if reading.value is None and entry is not None:
            return Point(None, period, where, label=entry)
        if reading.value is None:
            kind = {"baseline": "baseline", "current": "achieved"}.get(value_role, "target")
            self.findings.append(unreadable_value(where, reading.text, kind, self.grid.file,
                                                  *self.grid.block_of(row, col)))
            return Point(None, period, where, reading.text)
        return Point(reading.value, period, where, percent=reading.percent)

    def _level(self, row: int) -> tuple[str, str, str] | None:
        label = _text(self.cell(row, "chain"))
        if not label:
            return None
        mapped = self.levels.get(fold(label).split(" ")[0]) if self.levels else None
        found = level_of(label)
        if mapped:
            number = re.search(r"(\d+(?:\.\d+)*)", label)
            return mapped, number.group(1) if number else "", label
        return (found[0], found[1], label) if found else None

    def _new_label(self, row: int) -> bool:
        """True (with a finding) where the results-chain column starts a label that names
        no level."""
        col = self.roles.get("chain")
        if col is None or self.grid.block_of(row, col) != (row, col):
            return False
        label = _text(self.grid.value(row, col))
        if not label:
            return False
        self.findings.append(NOT_IN_WORKBOOK(
            f"{self.grid.where(row, col)}: {label!r} names no level the import knows "
            "(impact, outcome, output, activity and their usual names); its rows were not "
            "read", self.grid.file, row, col,
            hint="rename it (e.g. Outcome 2) or give a --map file with `levels:`"))
        return True

    def read(self, logframe: Logframe) -> None:
        statement_col = self.roles.get("statement", self.roles.get("chain"))
        indicator_col = self.roles["indicator"]
        current: ResultIn | None = None
        level: tuple[str, str, str] | None = None
        last_block: tuple[int, int] | None = None
        last_indicator: tuple[int, int] | None = None
        for row in range(self.header_row + 1, self.grid.max_row + 1):
            found = self._level(row)
            if found is not None:
                level = found
            elif self._new_label(row):
                level = None  # a label the import does not know: its rows are not guessed at
            assert statement_col is not None
            block = self.grid.block_of(row, statement_col)
            statement = _text(self.grid.value(row, statement_col))
            if "statement" not in self.roles:
                statement = ""
            if statement and block != last_block and level is not None:
                last_block = block
                number = level[1]
                numbered = NUMBERED.match(statement)
                if not number and numbered:
                    number = numbered.group(1)
                current = ResultIn(statement, level[0], number,
                                   self.grid.where(*block), level[2])
                current.id = _text(self.cell(row, "result_id"))
                linked = _text(self.cell(row, "contributes"))
                if "contributes" in self.roles:
                    current.contributes = [p.strip() for p in linked.split(",") if p.strip()]
                current.assumptions = _lines(self.cell(row, "assumptions"))
                logframe.results.append(current)
            if current is None:
                continue
            name_block = self.grid.block_of(row, indicator_col)
            name = _text(self.grid.value(row, indicator_col))
            if not name or name_block == last_indicator:
                continue
            last_indicator = name_block
            current.indicators.append(self._indicator(row, name))

    def _indicator(self, row: int, name: str) -> IndicatorIn:
        ind = IndicatorIn(name, self.grid.where(row, self.roles["indicator"]))
        ind.id = _text(self.cell(row, "indicator_id"))
        ind.unit = _text(self.cell(row, "unit"))
        ind.direction = _text(self.cell(row, "direction")).lower()
        ind.source = _text(self.cell(row, "source"))
        ind.scale = split_scale(self.cell(row, "scale"))
        points: list[tuple[str, Point | None]] = []
        scale = ind.scale
        points.append(("baseline", self.point(row, "baseline", "baseline_year", scale)))
        milestones = sorted({int(r.split()[1]) for r in self.roles if r.startswith("milestone")})
        for n in milestones:
            points.append(("target", self.point(row, f"milestone {n} value",
                                                f"milestone {n} year", scale)))
        points.append(("target", self.point(row, "target", "target_year", scale)))
        points.append(("achieved", self.point(row, "current", "current_year", scale)))
        for kind, point in points:
            if point is None:
                continue
            if point.value is None and point.label is None:
                point.kind = kind
                ind.unread.append(point)
            elif kind == "baseline":
                ind.baseline = point
            elif kind == "target":
                ind.targets.append(point)
            else:
                ind.achieved.append(point)
        return ind
