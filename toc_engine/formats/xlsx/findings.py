"""The findings of `toc import logframe`: codes TOC7xx, about a workbook rather than a
programme file, so they are not in the rule catalogue (`toc rules` lists what
`toc validate` can report). Each is located at the workbook's cell: file, row, column, and
`Sheet!Cell` in the message."""

from __future__ import annotations

from dataclasses import dataclass

from ...findings.diagnostic import Diagnostic, Severity, Span


@dataclass(frozen=True)
class WorkbookRule:
    code: str
    symbol: str
    severity: Severity
    summary: str

    def __call__(self, message: str, file: str, row: int = 0, col: int = 0,
                 hint: str = "") -> Diagnostic:
        return Diagnostic(self.code, self.symbol, self.severity, message,
                          Span(file, row, col), hint)


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

NOT_A_WORKBOOK = WorkbookRule("TOC701", "not-a-workbook", E,
                              "The file is not an .xlsx workbook.")
WORKBOOK_TOO_LARGE = WorkbookRule("TOC702", "workbook-too-large", E,
                                  "The workbook would unpack to more than the limit.")
MACROS_IGNORED = WorkbookRule("TOC703", "macros-ignored", W,
                              "The workbook carries macros; they are never run.")
EXTERNAL_LINKS = WorkbookRule("TOC704", "external-links", W,
                              "The workbook links to other files; they are not opened.")
HIDDEN_SHEET = WorkbookRule("TOC705", "hidden-sheet", INFO,
                            "A hidden sheet was not read.")
ROWS_CUT = WorkbookRule("TOC706", "rows-cut", W,
                        "The sheet has more rows than are read.")
FORMULA_CELL = WorkbookRule("TOC707", "formula-cell", W,
                            "A cell holds a formula instead of a value.")
UNREADABLE_VALUE = WorkbookRule("TOC708", "unreadable-value", W,
                                "A baseline, milestone, target or achieved value is not "
                                "a number, a percentage or either with its year.")
LAYOUT_UNKNOWN = WorkbookRule("TOC709", "layout-not-recognised", E,
                              "No sheet has the headers of a known logframe layout.")
NOT_IN_WORKBOOK = WorkbookRule("TOC710", "not-in-workbook", W,
                               "Something the programme needs is not in the workbook; a "
                               "placeholder was written and marked.")
BAD_MAP = WorkbookRule("TOC711", "bad-map", E,
                       "The --map file cannot be used.")

RULES = (NOT_A_WORKBOOK, WORKBOOK_TOO_LARGE, MACROS_IGNORED, EXTERNAL_LINKS, HIDDEN_SHEET,
         ROWS_CUT, FORMULA_CELL, UNREADABLE_VALUE, LAYOUT_UNKNOWN, NOT_IN_WORKBOOK, BAD_MAP)
