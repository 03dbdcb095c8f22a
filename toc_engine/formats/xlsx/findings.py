"""The findings of `toc import logframe` (TOC7xx, declared in `findings/workbook.py`),
made at a workbook's cell: the file, its row and column (`Sheet!Cell` goes in the
message)."""

from __future__ import annotations

from dataclasses import dataclass

from ...findings import workbook
from ...findings.catalogue import Rule
from ...findings.diagnostic import Diagnostic, Span


@dataclass(frozen=True)
class WorkbookRule:
    rule: Rule

    def __call__(self, message: str, file: str, row: int = 0, col: int = 0,
                 hint: str = "") -> Diagnostic:
        return self.rule(message, Span(file, row, col), hint)


NOT_A_WORKBOOK = WorkbookRule(workbook.NOT_A_WORKBOOK)
WORKBOOK_TOO_LARGE = WorkbookRule(workbook.WORKBOOK_TOO_LARGE)
MACROS_IGNORED = WorkbookRule(workbook.MACROS_IGNORED)
EXTERNAL_LINKS = WorkbookRule(workbook.EXTERNAL_LINKS)
HIDDEN_SHEET = WorkbookRule(workbook.HIDDEN_SHEET)
ROWS_CUT = WorkbookRule(workbook.ROWS_CUT)
FORMULA_CELL = WorkbookRule(workbook.FORMULA_CELL)
UNREADABLE_VALUE = WorkbookRule(workbook.UNREADABLE_VALUE)
LAYOUT_UNKNOWN = WorkbookRule(workbook.LAYOUT_UNKNOWN)
NOT_IN_WORKBOOK = WorkbookRule(workbook.NOT_IN_WORKBOOK)
BAD_MAP = WorkbookRule(workbook.BAD_MAP)


_YAML = {
    "baseline": "`baseline: {period: 2012, value: 40}`",
    "target": "a `targets:` entry `{period: 2016, value: 60}`",
    "achieved": "a row `ID,2014,55` in data/observations.csv",
}


def unreadable_value(where: str, text: str, kind: str, file: str, row: int,
                     col: int) -> Diagnostic:
    """A value cell that is not read (TOC708), saying exactly what would be read."""
    if kind in _YAML:
        hint = (f"write a number in {where} (40, 40%, or with its year: '40% (2016)') and "
                f"import again, or write {_YAML[kind]} under the indicator in programme.yaml, "
                f"where the comment names {where}; a stage of a scale is read when the "
                "indicator's Scale column lists the stages, lowest first (a < b < c)")
    else:
        hint = f"write a number in {where} (e.g. 25 or 25%) and import again"
    return UNREADABLE_VALUE(
        f"{where}: {kind} {text!r} is not a number, a percentage or either with its year; "
        "it was left as a comment in programme.yaml", file, row, col, hint=hint)
