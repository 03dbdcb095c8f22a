"""GitHub Actions workflow commands, so findings appear as annotations on a pull request."""

from __future__ import annotations

from ...findings.diagnostic import Report, Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
MAX_ANNOTATIONS = 5000  # GitHub shows no more than this per run


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for d in report.diagnostics[:MAX_ANNOTATIONS]:
        props = [f"file={_property(d.span.file)}"]
        if d.span.line:
            props += [f"line={d.span.line}", f"col={d.span.col}"]
        props.append(f"title={_property(f'{d.code} {d.symbol}')}")
        message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
        lines.append(f"::{_COMMAND[d.severity]} {','.join(props)}::{_data(message)}")
    hidden = len(report.diagnostics) - MAX_ANNOTATIONS
    if hidden > 0:
        lines.append(f"::warning::{hidden} more findings not shown (GitHub's annotation limit)")
    errors = report.count(Severity.ERROR)
    warnings = report.count(Severity.WARNING)
    files = len(report.files)
    lines.append(f"toc validate: {errors} error(s), {warnings} warning(s) in {files} file(s)")
    return "\n".join(lines) + "\n"
