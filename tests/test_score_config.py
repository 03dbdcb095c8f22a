"""`toc score` and `toc report` honour the same pyproject.toml waivers as `toc validate`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from toc_engine.cli import run
from toc_engine.findings.examples import VALID

# An error-severity finding (TOC317) that a project may have agreed to waive.
QUALITATIVE_WITH_BASELINE = VALID.replace(
    "        unit: meeting\n", "        measure: qualitative\n"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "programme.yaml").write_text(QUALITATIVE_WITH_BASELINE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "argv",
    [["score", "programme.yaml"], ["report", "programme.yaml", "-o", "report.md"]],
)
def test_an_error_blocks_scoring_until_waived_in_pyproject(project: Path, argv: list[str]) -> None:
    assert run(argv, stdout=io.StringIO()) == 1
    (project / "pyproject.toml").write_text(
        '[tool.toc-engine]\nignore = [{code = "TOC317", reason = "agreed with the donor"}]\n',
        encoding="utf-8",
    )
    assert run(argv, stdout=io.StringIO()) == 0


def test_a_broken_pyproject_stops_score_with_exit_2(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.toc-engine]\nselect = 3\n", encoding="utf-8")
    assert run(["score", "programme.yaml"], stdout=io.StringIO()) == 2
