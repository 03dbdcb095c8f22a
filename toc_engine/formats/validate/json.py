"""The JSON format (schema_version 1.0, documented in docs/output-formats.md)."""

from __future__ import annotations

import json
from typing import Any

from ... import __version__
from ...findings.diagnostic import Diagnostic, Report, Severity

SCHEMA_VERSION = "1.0"


def diagnostic_dict(d: Diagnostic) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": d.code,
        "symbol": d.symbol,
        "severity": d.severity.label,
        "message": d.message,
        "hint": d.hint,
        "file": d.span.file,
        "line": d.span.line or None,
        "column": d.span.col or None,
        "path": d.data_path(),
    }
    if d.waived is not None:
        out["waived_reason"] = d.waived
    return out


def as_dict(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "toc-engine", "version": __version__},
        "valid": report.valid,
        "summary": {
            "files": report.files,
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
            "waived": len(report.waived),
        },
        "skipped": report.skipped,
        "diagnostics": [diagnostic_dict(d) for d in report.diagnostics],
        "waived": [diagnostic_dict(d) for d in report.waived],
    }


def render(report: Report) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
