"""SARIF 2.1.0, the format code-scanning tools (GitHub code scanning among them) read."""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from ... import __version__
from ...check.rules import RULES
from ...findings.diagnostic import Report, Severity

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# `Repository` of [project.urls] in pyproject.toml (a test keeps the two equal). Each rule's
# `helpUri` is its section of docs/rules.md on the main branch, where the rules of the
# latest release are documented (a code is never reused, so the link stays right).
REPOSITORY = "https://github.com/toc-engine/toc-engine"
RULES_DOC = f"{REPOSITORY}/blob/main/docs/rules.md"


def help_uri(code: str) -> str:
    """The rule's section of docs/rules.md (its heading `## TOC201` has the anchor toc201)."""
    return f"{RULES_DOC}#{code.lower()}"


def _location(file: str) -> dict[str, str]:
    """An RFC 3986 URI for a shown path: relative to the working directory (%SRCROOT%) when
    it lies below it, else an absolute file URI. Spaces, `#`, `?`, `%` and non-ASCII letters
    are percent-encoded, so that a viewer opens this file and no other."""
    path = PurePath(file)
    if not path.is_absolute() and ".." not in path.parts:
        return {"uri": quote(path.as_posix(), safe="/"), "uriBaseId": "%SRCROOT%"}
    return {"uri": Path(os.path.abspath(file)).as_uri()}


def render(report: Report) -> str:
    codes = sorted(RULES)
    index = {code: i for i, code in enumerate(codes)}
    rules = [
        {
            "id": code,
            "name": RULES[code].symbol,
            "shortDescription": {"text": RULES[code].summary},
            "fullDescription": {"text": RULES[code].doc or RULES[code].summary},
            "help": {"text": f"Run `toc explain {code}` for examples."},
            "helpUri": help_uri(code),
            "defaultConfiguration": {"level": _LEVEL[RULES[code].severity]},
        }
        for code in codes
    ]
    results: list[dict[str, Any]] = []
    for d in [*report.diagnostics, *report.waived]:
        region: dict[str, int] = {}
        if d.span.line:
            region = {"startLine": d.span.line, "startColumn": max(d.span.col, 1)}
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": _location(d.span.file),
            }
        }
        if region:
            location["physicalLocation"]["region"] = region
        text = d.message + (f" Hint: {d.hint}" if d.hint else "")
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": _LEVEL[d.severity],
            "message": {"text": text},
            "locations": [location],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.waived is not None:
            result["suppressions"] = [{"kind": "external", "justification": d.waived}]
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "toc-engine",
                        "version": __version__,
                        "informationUri": REPOSITORY,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {
                    "%SRCROOT%": {"description": {"text": "the folder toc ran in"}}
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
