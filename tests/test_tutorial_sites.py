"""The tutorial's paragraph on sites named as exports name them (Step 6) tells the truth:
its `sites:` with `aliases:` and its CSV rows validate cleanly on the Step 2 programme,
and the error it shows for a site's name is what the engine prints."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from toc_engine.cli import run

TUTORIAL = Path(__file__).resolve().parent.parent / "docs" / "tutorial.md"
TEXT = TUTORIAL.read_text(encoding="utf-8")
PROGRAMME = re.findall(r"```yaml\n(.*?)```", TEXT[TEXT.index("## Step 2"):], re.S)[0]
SECTION = TEXT[TEXT.index('<a id="sites-by-name"></a>'):]
SECTION = SECTION[: SECTION.index("\n## ")]
[ADDED] = re.findall(r"```yaml\n(.*?)```", SECTION, re.S)
[ROWS] = re.findall(r"```csv\n(.*?)```", SECTION, re.S)
[SHOWN] = re.findall(r"```text\n(.*?)```", SECTION, re.S)


def _validate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: str) -> tuple[int, str]:
    folder = tmp_path / "ward-7"
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "programme.yaml").write_text(PROGRAMME + ADDED, encoding="utf-8")
    (folder / "data" / "lights-by-tole.csv").write_text(rows, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    return run(["validate", "--no-color", "ward-7/programme.yaml"], stdout=out), out.getvalue()


def test_the_rows_with_aliases_validate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "aliases:" in ADDED and ROWS.startswith("indicator,period,value,site\n")
    assert _validate(tmp_path, monkeypatch, ROWS) == (0, "no problems found in 1 file\n")


def test_a_sites_name_gets_the_error_shown(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    named = ROWS.replace("  WARD 7 - hatiya tole", "Hatiya Tole")
    assert named != ROWS
    code, output = _validate(tmp_path, monkeypatch, named)
    assert code == 1
    assert output == SHOWN + "1 error, 0 warnings in 1 file\n"
