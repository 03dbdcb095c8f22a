"""Commands that make a document say where they wrote it, all in the same words."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from toc_engine.cli import run

NEPAL = str(Path(__file__).resolve().parent.parent / "examples" / "nepal" / "programme.yaml")


@pytest.mark.parametrize("kind,name", [("iati", "results.xml"), ("csv", "table.csv"),
                                       ("pirs", "pirs.md")])
def test_export_to_a_file_says_wrote_file(tmp_path: Path, kind: str, name: str) -> None:
    target = tmp_path / name
    out = io.StringIO()
    assert run(["export", kind, NEPAL, "-o", str(target)], stdout=out) == 0
    assert out.getvalue() == f"wrote {target}\n"
    assert target.stat().st_size > 0


def test_export_to_standard_output_prints_only_the_export() -> None:
    out = io.StringIO()
    assert run(["export", "csv", NEPAL], stdout=out) == 0
    assert "wrote" not in out.getvalue()
