"""Many cases per rule, as data: `tests/rules/<CODE>.yaml`, one file per rule.

Each file names its `rule` and lists `cases`: a `name`, a `programme` (the text that
follows the standard header: `toc: 1` and a programme block for 2012-2013) and `expect`,
the positions of that rule's findings as "line:col" counted in `programme` itself, in
file order. Findings of other rules are not looked at, so a case shows only what it is
about. Adding a case is adding a few lines of YAML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

import toc_engine
from toc_engine.check.config import Selection
from toc_engine.findings.examples import HEADER

CASES_DIR = Path(__file__).parent / "rules"
HEADER_LINES = HEADER.count("\n")


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        assert path.stem == data["rule"], f"{path.name} holds the cases of {data['rule']}"
        for case in data["cases"]:
            out.append(pytest.param(data["rule"], case, id=f"{data['rule']}: {case['name']}"))
    return out


CASES = _cases()


def test_the_graph_rules_have_case_files() -> None:
    codes = {path.stem for path in CASES_DIR.glob("*.yaml")}
    graph_rules = {"TOC201", "TOC202", "TOC203", "TOC204", "TOC205", "TOC206", "TOC207",
                   "TOC208", "TOC209", "TOC210", "TOC212"}
    assert graph_rules <= codes


@pytest.mark.parametrize(("code", "case"), CASES)
def test_rule_case(code: str, case: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(HEADER + case["programme"], encoding="utf-8")
    report = toc_engine.validate(path, selection=Selection())
    found = [
        f"{d.span.line - HEADER_LINES}:{d.span.col}" for d in report.diagnostics if d.code == code
    ]
    assert found == case["expect"], [d.message for d in report.diagnostics if d.code == code]
