"""The tutorial's outputs are real: its programme is run and the shown output compared.

docs/tutorial.md builds `ward-7/programme.yaml` in step 2 and shows what `toc validate`
and `toc score` print for it. If the engine's output changes, this test fails and the
tutorial must be updated with the new output (run the commands and paste).
"""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import pytest

from toc_engine.cli import run

TUTORIAL = Path(__file__).resolve().parent.parent / "docs" / "tutorial.md"
STEP_2 = "## Step 2"
STEP_3 = "## Step 3"
STEP_6 = "## Step 6"  # the programme with a CSV file of observations
STEP_7 = "## Step 7"  # the programme collecting one indicator through a survey form


def _runs(section: str) -> list[tuple[list[str], str]]:
    runs: list[tuple[list[str], str]] = []
    for block in re.findall(r"```text\n(.*?)```", section, re.S):
        first, _, shown = block.partition("\n")
        if first.startswith("$ toc "):
            runs.append((shlex.split(first[len("$ toc ") :]), shown))
    return runs


def _sections() -> tuple[str, list[tuple[list[str], str]]]:
    text = TUTORIAL.read_text(encoding="utf-8")
    step_2 = text[text.index(STEP_2) : text.index(STEP_3)]
    programme = re.search(r"```yaml\n(.*?)```", step_2, re.S)
    assert programme, "step 2 has no yaml block"
    runs = _runs(step_2) + _runs(text[text.index("## Step 4") : text.index(STEP_6)])
    return programme.group(1), runs


def _csv_step() -> tuple[str, str, list[tuple[list[str], str]]]:
    """Step 6: the line added to the programme, the CSV file, and the runs shown."""
    text = TUTORIAL.read_text(encoding="utf-8")
    step = text[text.index(STEP_6) : text.index(STEP_7)]
    added = re.search(r"```yaml\n(.*?)```", step, re.S)
    rows = re.search(r"```csv\n(.*?)```", step, re.S)
    assert added and rows, "step 6 has no yaml or csv block"
    return added.group(1), rows.group(1), _runs(step)


PROGRAMME, RUNS = _sections()
DATA_LINE, CSV_ROWS, CSV_RUNS = _csv_step()


def test_the_tutorial_shows_commands() -> None:
    assert len(RUNS) >= 3


@pytest.mark.parametrize("argv,shown", RUNS, ids=[" ".join(a) for a, _ in RUNS])
def test_tutorial_output_is_what_the_engine_prints(
    argv: list[str], shown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ward-7"
    folder.mkdir()
    (folder / "programme.yaml").write_text(PROGRAMME, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    assert run(argv, stdout=out) == 0
    assert out.getvalue() == shown


def test_the_csv_step_shows_a_missing_value() -> None:
    assert DATA_LINE.startswith("data: [data/") and ",missing" in CSV_ROWS.splitlines()[0]
    assert CSV_RUNS


@pytest.mark.parametrize("argv,shown", CSV_RUNS, ids=[" ".join(a) for a, _ in CSV_RUNS])
def test_the_csv_step_output_is_what_the_engine_prints(
    argv: list[str], shown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ward-7"
    (folder / "data").mkdir(parents=True)
    (folder / "programme.yaml").write_text(PROGRAMME + DATA_LINE, encoding="utf-8")
    csv_name = DATA_LINE.split("[", 1)[1].split("]", 1)[0]
    (folder / csv_name).write_text(CSV_ROWS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    assert run(["validate", "ward-7/programme.yaml"], stdout=out) == 0
    assert out.getvalue() == "no problems found in 1 file\n"
    out = io.StringIO()
    assert run(argv, stdout=out) == 0
    assert out.getvalue() == shown


def _step_7() -> tuple[str, str, str, list[tuple[list[str], str]]]:
    """Step 7's form and data entry, its `collect:` block, its export, its commands."""
    text = TUTORIAL.read_text(encoding="utf-8")
    step = text[text.index(STEP_7) : text.index("## Where next")]
    forms, collect = re.findall(r"```yaml\n(.*?)```", step, re.S)
    export = re.search(r"```csv\n(.*?)```", step, re.S)
    assert export, "step 7 shows no export"
    runs = []
    for block in re.findall(r"```text\n(.*?)```", step, re.S):
        first, _, shown = block.partition("\n")
        runs.append((shlex.split(first[len("$ toc ") :]), shown))
    return forms, collect, export.group(1), runs


def test_step_7_reads_the_export_it_shows(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    forms, collect, export, runs = _step_7()
    typed = re.search(r"(        observations:\n(?:          - .*\n)+)(?=\n  - id: safer-ward)",
                      PROGRAMME)
    assert typed, "step 2's safe-after-dark observations moved"
    programme = PROGRAMME.replace(typed.group(1), collect) + "\n" + forms
    folder = tmp_path / "ward-7"
    (folder / "data").mkdir(parents=True)
    (folder / "programme.yaml").write_text(programme, encoding="utf-8")
    (folder / "data" / "survey-2025.csv").write_text(export, encoding="utf-8")
    (folder / "data" / "night-walks.csv").write_text(CSV_ROWS, encoding="utf-8")  # step 6
    monkeypatch.chdir(tmp_path)
    assert len(runs) == 2
    for argv, shown in runs:
        out = io.StringIO()
        assert run(argv, stdout=out) == 0
        assert out.getvalue() == shown, " ".join(argv)
