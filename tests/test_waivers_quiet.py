"""Waived findings stay quiet: one summary line unless `--show-waived`; `--ignore` hides
findings of any severity, waived ones too. The machine formats keep each waived finding,
marked as such (JSON `waived`, SARIF `suppressions`); GitHub annotations never show them."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from toc_engine.check.rules import RULES
from toc_engine.cli import run

WAIVER = ("lint:\n  ignore:\n"
          "    - {code: TOC502, reason: The programme measures safety its own way}\n")


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    # A programme started from a model whose 24 library indicators it does not use: 24 notes.
    (tmp_path / "programme.yaml").write_text(RULES["TOC502"].fail, encoding="utf-8")
    return tmp_path


def _toc(folder: Path, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    old = Path.cwd()
    os.chdir(folder)
    try:
        return run(["validate", "programme.yaml", "--no-color", *argv], stdout=out), out.getvalue()
    finally:
        os.chdir(old)


def _waived(folder: Path) -> None:
    path = folder / "programme.yaml"
    path.write_text(path.read_text(encoding="utf-8") + WAIVER, encoding="utf-8")


def test_notes_are_listed_when_nothing_waives_them(folder: Path) -> None:
    code, output = _toc(folder)
    assert code == 0
    assert output.count("info TOC502 model-gap") == 24
    assert output.endswith("0 errors, 0 warnings, 24 notes in 1 file\n")


def test_waived_findings_print_as_one_line(folder: Path) -> None:
    _waived(folder)
    code, output = _toc(folder)
    assert code == 0
    assert output == (
        "24 findings waived: TOC502 ×24 (--show-waived lists them)\n"
        "no problems found in 1 file (24 waived findings)\n"
    )


def test_show_waived_lists_each_with_its_reason(folder: Path) -> None:
    _waived(folder)
    code, output = _toc(folder, "--show-waived")
    assert code == 0
    assert output.count("waived TOC502 model-gap") == 24
    assert output.count("    reason: The programme measures safety its own way\n") == 24


@pytest.mark.parametrize("waived", [False, True])
def test_ignore_hides_notes_and_waived_findings(folder: Path, waived: bool) -> None:
    if waived:
        _waived(folder)
    for argv in (["--ignore", "TOC502"], ["--ignore", "model-gap"], ["--ignore", "toc5"]):
        code, output = _toc(folder, *argv)
        assert (code, output) == (0, "no problems found in 1 file\n"), argv


def test_machine_formats_keep_each_waived_finding(folder: Path) -> None:
    _waived(folder)
    _code, text = _toc(folder, "--format", "json")
    data = json.loads(text)
    assert data["summary"]["waived"] == 24 and len(data["waived"]) == 24
    _code, text = _toc(folder, "--format", "sarif")
    results = json.loads(text)["runs"][0]["results"]
    assert len(results) == 24
    assert all(r["suppressions"][0]["kind"] == "external" for r in results)
    _code, text = _toc(folder, "--format", "github")
    assert text == "toc validate: 0 error(s), 0 warning(s) in 1 file(s)\n"
    _code, text = _toc(folder, "--format", "json", "--ignore", "TOC502")
    assert json.loads(text)["waived"] == []
