"""The terminal format: one line per finding, the fix hint indented below it."""

from __future__ import annotations

from collections import Counter

from ...findings.diagnostic import Diagnostic, Report, Severity
from ..safe_text import for_terminal as safe

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def line(d: Diagnostic, color: bool = False) -> str:
    severity = d.severity.label
    where = safe(str(d.span))
    if color:
        severity = f"{_COLORS[d.severity]}{severity}{_RESET}"
        where = f"{_BOLD}{where}{_RESET}"
    out = f"{where}: {severity} {d.code} {d.symbol}: {safe(d.message)}"
    if d.hint:
        hint = f"    hint: {safe(d.hint)}"
        out += "\n" + (f"{_DIM}{hint}{_RESET}" if color else hint)
    return out


def waived_summary(waived: list[Diagnostic]) -> str:
    """One line for the waived findings: `24 findings waived: TOC502 ×24`."""
    counts = Counter(d.code for d in waived)
    each = ", ".join(f"{code} ×{count}" for code, count in sorted(counts.items()))
    return f"{_plural(len(waived), 'finding')} waived: {each} (--show-waived lists them)"


def render(report: Report, color: bool = False, show_waived: bool = False) -> str:
    """The findings, then the waived ones (one summary line unless `show_waived`)."""
    lines = [line(d, color) for d in report.diagnostics]
    if show_waived:
        for d in report.waived:
            lines.append(f"{safe(str(d.span))}: waived {d.code} {d.symbol}: {safe(d.message)}\n"
                         f"    reason: {safe(d.waived or '')}")
    elif report.waived:
        lines.append(waived_summary(report.waived))
    for note in report.skipped:
        lines.append(f"note: {safe(note)}")
    errors = report.count(Severity.ERROR)
    warnings = report.count(Severity.WARNING)
    infos = report.count(Severity.INFO)
    files = _plural(len(report.files), "file")
    if not report.diagnostics:
        summary = f"no problems found in {files}"
    else:
        parts = [_plural(errors, "error"), _plural(warnings, "warning")]
        if infos:
            parts.append(_plural(infos, "note"))
        summary = f"{', '.join(parts)} in {files}"
    if report.waived:
        summary += f" ({_plural(len(report.waived), 'waived finding')})"
    lines.append(summary)
    return "\n".join(lines) + "\n"
