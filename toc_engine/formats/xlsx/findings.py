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
