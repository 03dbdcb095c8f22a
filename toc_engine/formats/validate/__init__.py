"""Formatters for validation reports, one module each, registered in one table.

Adding a format is adding an entry to REPORTERS; the CLI and tests read the table. A
renderer takes the report, whether to colour it, and whether to list waived findings one
by one (`--show-waived`; the machine formats always carry them, each marked waived).
"""

from __future__ import annotations

from collections.abc import Callable

from ...findings.diagnostic import Report

Renderer = Callable[[Report, bool, bool], str]


def _text(report: Report, color: bool, show_waived: bool = False) -> str:
    from .text import render

    return render(report, color, show_waived)


def _json(report: Report, color: bool, show_waived: bool = False) -> str:
    from .json import render

    return render(report)


def _github(report: Report, color: bool, show_waived: bool = False) -> str:
    from .github import render

    return render(report)


def _sarif(report: Report, color: bool, show_waived: bool = False) -> str:
    from .sarif import render

    return render(report)


REPORTERS: dict[str, Renderer] = {
    "text": _text,
    "json": _json,
    "github": _github,
    "sarif": _sarif,
}
