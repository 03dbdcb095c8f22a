"""Reading the FCDO/DFID logframe: IMPACT, OUTCOME and OUTPUT n blocks, each with a header
row (Baseline, Milestone 1..n, Target, with dates in the header or on a Date line), and
per indicator a Planned line, an Achieved line, and Source; Assumptions, Impact weighting
(%) and Risk rating beside the block."""

from __future__ import annotations

from ...findings.diagnostic import Diagnostic
from .eu import _lines, _text, scale_entry
from .findings import unreadable_value
from .layouts import (
    FCDO_COLUMNS,
    FCDO_LINES,
    MILESTONE,
    fold,
    level_of,
    role_of,
    split_scale,
)
from .model import IndicatorIn, Logframe, Point, ResultIn
from .reading import Grid
from .values import period_in_header, read_period, read_value


def block_header(grid: Grid, row: int) -> tuple[int, str, str, dict[str, int]] | None:
    """(label column, level, number, column roles) when `row` opens a block."""
    label_col = None
    found = None
    for col in range(1, min(grid.max_col, 3) + 1):
        cell = grid.cells.get((row, col))
        if cell is not None:
            found = level_of(cell.value)
            label_col = col
            break
    if found is None or label_col is None:
        return None
    roles: dict[str, int] = {}
    for col in range(label_col + 1, grid.max_col + 1):
        cell = grid.cells.get((row, col))
        if cell is None:
            continue
        name = fold(str(cell.value).split("(")[0])
        milestone = MILESTONE.match(name)
        if milestone:
            roles[f"milestone {int(milestone.group(1)):03d}"] = col
            continue
        role = role_of(name, FCDO_COLUMNS)
        if role is not None:
            roles.setdefault(role, col)
    if "baseline" not in roles or "target" not in roles:
        return None
    return label_col, found[0], found[1], roles


def find_blocks(grid: Grid) -> list[int]:
    return [row for row in range(1, grid.max_row + 1) if block_header(grid, row)]


def _line_col(grid: Grid, first: int, last: int) -> int | None:
    for row in range(first, last + 1):
        for col in range(1, min(grid.max_col, 6) + 1):
            cell = grid.cells.get((row, col))
            if cell is not None and fold(cell.value) in FCDO_LINES:
                return col
    return None


class Reader:
    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.findings: list[Diagnostic] = []

    def read(self, logframe: Logframe) -> None:
        starts = find_blocks(self.grid)
        for k, start in enumerate(starts):
            end = (starts[k + 1] - 1) if k + 1 < len(starts) else self.grid.max_row
            self._block(logframe, start, end)

    def _block(self, logframe: Logframe, start: int, end: int) -> None:
        grid = self.grid
        opened = block_header(grid, start)
        assert opened is not None
        label_col, level, number, roles = opened
        label = _text(grid.value(start, label_col))
        statement = ""
        where = grid.where(start + 1, label_col)
        for row in range(start + 1, end + 1):
            text = _text(grid.value(row, label_col))
            if text:
                statement, where = text, grid.where(*grid.block_of(row, label_col))
                break
        result = ResultIn(statement or label, level, number, where, label)
        top = start + 1

        def beside(role: str) -> object:
            col = roles.get(role)
            return None if col is None else grid.value(top, col)

        result.id = _text(beside("result_id"))
        if "contributes" in roles:
            result.contributes = [p.strip() for p in _text(beside("contributes")).split(",")
                                  if p.strip()]
        result.assumptions = _lines(beside("assumptions"))
        weight = beside("weight")
        if weight is not None:
            col = roles["weight"]
            cell = grid.at(top, col)
            reading = read_value(weight, cell.number_format if cell else "General")
            if reading.value is not None:
                result.weight = reading.value
            else:
                self._unreadable(grid.where(*grid.block_of(top, col)), reading.text,
                                 "impact weighting", top, col)
                result.notes.append(f"{grid.where(top, col)}: impact weighting "
                                    f"{reading.text!r} not read")
        risk = _text(beside("risk"))
        if risk:
            result.notes.append(f"{grid.where(top, roles['risk'])}: risk rating: {risk}")
        if not statement:
            result.notes.append(f"{where}: the block has no statement; its label was used")
        line_col = _line_col(grid, top, end)
        if line_col is not None:
            self._indicators(result, roles, top, end, line_col, label_col, start)
        logframe.results.append(result)

    def _indicators(self, result: ResultIn, roles: dict[str, int], top: int, end: int,
                    line_col: int, label_col: int, header_row: int) -> None:
        grid = self.grid
        value_cols = [roles["baseline"], *[roles[k] for k in sorted(roles)
                                           if k.startswith("milestone")], roles["target"]]
        header_periods = {c: period_in_header(grid.value(header_row, c)) for c in value_cols}
        current: IndicatorIn | None = None
        lines: dict[str, int] = {}
        groups: list[tuple[IndicatorIn, dict[str, int], int]] = []
        for row in range(top, end + 1):
            kind = FCDO_LINES.get(fold(grid.value(row, line_col)))
            names = [(c, grid.block_of(row, c)) for c in range(label_col + 1, line_col)]
            name = next((_text(grid.value(row, c)) for c, _ in names
                         if _text(grid.value(row, c))), "")
            if kind == "planned" or (kind and current is None):
                current = IndicatorIn(name or f"Indicator of {result.label}",
                                      grid.where(row, label_col + 1))
                lines = {}
                groups.append((current, lines, row))
                current.id = _text(grid.value(row, roles["indicator_id"])) \
                    if "indicator_id" in roles else ""
                current.unit = _text(grid.value(row, roles["unit"])) if "unit" in roles else ""
                current.direction = (_text(grid.value(row, roles["direction"])).lower()
                                     if "direction" in roles else "")
                current.scale = (split_scale(grid.value(row, roles["scale"]))
                                 if "scale" in roles else [])
            if kind and kind not in lines:
                lines[kind] = row
        for ind, found, _ in groups:
            dates = {c: read_period(grid.value(found["date"], c)) if "date" in found else None
                     for c in value_cols}
            when = {c: read_period(grid.value(found["achieved_date"], c))
                    if "achieved_date" in found else None for c in value_cols}
            if "source" in found:
                ind.source = next((_text(grid.value(found["source"], c))
                                   for c in range(line_col + 1, grid.max_col + 1)
                                   if _text(grid.value(found["source"], c))), "")
            for k, col in enumerate(value_cols):
                period = dates[col] or header_periods[col]
                planned = self._point(found.get("planned"), col, period, ind.scale,
                                      "target" if k else "baseline")
                achieved = self._point(found.get("achieved"), col, when[col] or period,
                                       ind.scale, "achieved" if k else "baseline")
                if k == 0:  # the baseline: written on either line
                    base = planned or achieved
                    if base is not None and base.value is None and base.label is None:
                        base.kind = "baseline"
                        ind.unread.append(base)
                    elif base is not None:
                        ind.baseline = base
                    continue
                for point, into, kind in ((planned, ind.targets, "target"),
                                          (achieved, ind.achieved, "achieved")):
                    if point is not None:
                        point.kind = kind
                        read = point.value is not None or point.label is not None
                        (into if read else ind.unread).append(point)
            result.indicators.append(ind)

    def _point(self, row: int | None, col: int, period: str | None,
               scale: list[str], kind: str) -> Point | None:
        if row is None:
            return None
        cell = self.grid.at(row, col)
        if cell is None:
            return None
        where = self.grid.where(*self.grid.block_of(row, col))
        reading = read_value(cell.value, cell.number_format)
        entry = scale_entry(scale, reading.text)
        if reading.value is None and entry is not None:
            return Point(None, period, where, label=entry)
        if reading.value is None:
            self._unreadable(where, reading.text, kind, row, col)
            return Point(None, period, where, reading.text)
        return Point(reading.value, reading.period or period, where, percent=reading.percent)

    def _unreadable(self, where: str, text: str, kind: str, row: int, col: int) -> None:
        self.findings.append(unreadable_value(where, text, kind, self.grid.file, row, col))
