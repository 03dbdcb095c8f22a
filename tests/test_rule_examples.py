"""Every rule's documented failing and passing examples, run through the real pipeline.

The examples are what `toc explain` prints and docs/rules.md shows, so these tests
keep the documentation honest: the failing example must produce the rule's code
(at the documented line:col), the passing example must not. The examples of the
import's rules (TOC7xx) are workbooks: they are built and run through `toc import
logframe`, and the programme it writes is validated too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import write_example
from openpyxl.utils import get_column_letter

from toc_engine.check.config import Selection
from toc_engine.check.pipeline import validate
from toc_engine.check.rules import RULES, Rule
from toc_engine.findings.catalogue import Example, WorkbookExample
from toc_engine.findings.diagnostic import Diagnostic

# Rules whose findings come from the scorer (`toc score`), not from `toc validate`.
SCORER_RULES = {"TOC408", "TOC330"}
# Rules whose findings come from an export (`toc export iati`).
EXPORT_RULES = {"TOC901", "TOC902"}

CODES = sorted(RULES)


def _findings(example: Example, folder: Path, code: str) -> list[Diagnostic]:
    if isinstance(example, WorkbookExample):
        return _imported(example, folder)
    programme, options = write_example(example, folder)
    kwargs = {}
    if "--max-size" in options:
        kwargs["max_bytes"] = int(options["--max-size"])
    relative = programme.relative_to(folder)
    if code in SCORER_RULES:
        from toc_engine.schema.programme import load
        from toc_engine.scoring import score

        loaded = load(relative, **kwargs)
        assert loaded.programme is not None, [d.message for d in loaded.diagnostics]
        scored = score(loaded.programme, locate=loaded.locate)
        return list(scored.findings)
    if code in EXPORT_RULES:
        from toc_engine.formats.report.iati import export_findings
        from toc_engine.schema.programme import load

        loaded = load(relative, **kwargs)
        assert loaded.programme is not None, [d.message for d in loaded.diagnostics]
        return export_findings(loaded.programme, loaded.locate)
    report = validate(relative, selection=Selection(), **kwargs)
    return report.diagnostics


def _imported(example: WorkbookExample, folder: Path) -> list[Diagnostic]:
    """The import's findings, then those of validating the programme it wrote (if any)."""
    from workbook_examples import imported

    findings, written = imported(example, folder)
    if (written / "programme.yaml").exists():
        relative = (written / "programme.yaml").relative_to(folder)
        findings += validate(relative, selection=Selection()).diagnostics
    return findings


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # spans are relative to the working directory
    return tmp_path


@pytest.mark.parametrize("code", CODES)
def test_failing_example_produces_the_code(code: str, in_tmp: Path) -> None:
    rule = RULES[code]
    found = [d for d in _findings(rule.fail, in_tmp, code) if d.code == code]
    assert found, f"{code}'s failing example does not produce {code}"
    if rule.fail_at:
        first = min(found, key=lambda d: (d.span.file, d.span.line, d.span.col))
        at = f"{first.span.line}:{first.span.col}"
        if rule.fail_at.endswith(":"):  # only the line is documented
            assert at.startswith(rule.fail_at), (code, at, first.message)
        else:
            assert at == rule.fail_at, (code, at, first.message)
    for finding in found:
        assert finding.hint, f"{code}: {finding.message!r} says not how to fix it"
    if isinstance(rule.fail, WorkbookExample) and rule.fail_at:
        # a finding about a cell names it as a spreadsheet user finds it: Sheet!D14
        first = min(found, key=lambda d: (d.span.line, d.span.col))
        cell = f"{get_column_letter(first.span.col)}{first.span.line}"
        assert f"!{cell}" in first.message, (code, cell, first.message)


@pytest.mark.parametrize("code", CODES)
def test_passing_example_does_not_produce_the_code(code: str, in_tmp: Path) -> None:
    rule = RULES[code]
    found = [d for d in _findings(rule.pass_, in_tmp, code) if d.code == code]
    assert not found, [f"{d.span}: {d.message}" for d in found]


@pytest.mark.parametrize("code", CODES)
def test_passing_example_is_clean_of_errors(code: str, in_tmp: Path) -> None:
    """A passing example should not teach a broken programme (no error of any rule)."""
    rule = RULES[code]
    errors = [
        f"{d.span}: {d.code} {d.message}"
        for d in _findings(rule.pass_, in_tmp, "")
        if d.severity.name == "ERROR"
    ]
    assert not errors


@pytest.mark.parametrize("code", CODES)
def test_rule_is_documented(code: str) -> None:
    rule: Rule = RULES[code]
    assert re.fullmatch(r"TOC\d{3}", rule.code)
    assert rule.code == code
    assert rule.summary.strip()
    assert rule.fail and rule.pass_
    assert rule.fail != rule.pass_
    assert rule.family
    if rule.fail_at:
        assert re.fullmatch(r"\d+:\d*", rule.fail_at), rule.fail_at
    if rule.stage:
        assert rule.check is not None


def test_symbols_are_unique_slugs() -> None:
    symbols = [rule.symbol for rule in RULES.values()]
    assert len(symbols) == len(set(symbols))
    for symbol in symbols:
        assert re.fullmatch(r"[a-z][a-z0-9-]*", symbol), symbol


def test_scorer_rules_are_registered_without_the_scorer() -> None:
    """`toc rules` and config validation see scorer rules without importing the scorer."""
    import subprocess
    import sys

    code = (
        "import sys; from toc_engine.check.rules import RULES; "
        f"missing = {sorted(SCORER_RULES)!r}; "
        "assert 'toc_engine.scoring' not in sys.modules; "
        "sys.exit(0 if all(c in RULES for c in missing) else 1)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
