"""`toc init` and the shipped models, and the model-gap design check (TOC502, TOC504)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from toc_engine.check.config import Selection
from toc_engine.check.pipeline import validate
from toc_engine.cli import run
from toc_engine.cli.init import InitError, init_programme
from toc_engine.loading.library import model_names

ROOT = Path(__file__).resolve().parent.parent
MODELS = sorted((ROOT / "models").glob("*.yaml"))
# A model has no baselines or targets on purpose: the programme adds its own.
EXPECTED_IN_MODELS = {"TOC314", "TOC316"}


def _run(argv: list[str], cwd: Path | None = None) -> tuple[int, str]:
    out = io.StringIO()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return run(argv, stdout=out), out.getvalue()
    finally:
        os.chdir(old)


def _programme_model(path: Path) -> object:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return data["programme"].get("model")


# --- the models ------------------------------------------------------------------------------


def test_there_are_three_models() -> None:
    assert model_names() == ["community-security", "gbv-prevention", "youth-crime-reporting"]


@pytest.mark.parametrize("model", MODELS, ids=lambda p: p.stem)
def test_models_validate_with_only_baseline_and_target_warnings(model: Path) -> None:
    report = validate(model, selection=Selection())
    others = [f"{d.span}: {d.code} {d.message}" for d in report.diagnostics
              if d.code not in EXPECTED_IN_MODELS]
    assert not others
    assert report.valid


@pytest.mark.parametrize("model", MODELS, ids=lambda p: p.stem)
def test_models_keep_their_teaching_comments(model: Path) -> None:
    text = model.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../docs/schema/programme.schema.json")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) >= 30
    assert _programme_model(model) == model.stem


# --- toc init ----------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [p.stem for p in MODELS])
def test_init_writes_a_valid_programme_that_records_its_model(model: str, tmp_path: Path) -> None:
    code, out = _run(["init", "--model", model, "new"], cwd=tmp_path)
    assert code == 0, out
    written = tmp_path / "new" / "programme.yaml"
    assert written.is_file()
    assert "wrote" in out and "toc validate" in out
    assert _programme_model(written) == model
    text = written.read_text(encoding="utf-8")
    assert "../docs/schema/" not in text  # the copy cannot point into a checkout
    assert "# Theory-of-change model" in text  # the teaching comments come along
    code, out = _run(["validate", "--no-color", "new/programme.yaml"], cwd=tmp_path)
    assert code == 0, out
    report = validate(written, selection=Selection())
    # Compared with its own model: nothing left out, and the name is known.
    assert {d.code for d in report.diagnostics} <= EXPECTED_IN_MODELS


def test_init_defaults_to_community_security(tmp_path: Path) -> None:
    target = init_programme("community-security", tmp_path / "a")
    assert _programme_model(target) == "community-security"
    code, _ = _run(["init", "b"], cwd=tmp_path)
    assert code == 0
    assert (tmp_path / "b" / "programme.yaml").read_text() == target.read_text()


def test_init_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "mine" / "programme.yaml"
    existing.parent.mkdir()
    existing.write_text("toc: 1  # my work\n", encoding="utf-8")
    code, _ = _run(["init", "--model", "community-security", "mine"], cwd=tmp_path)
    assert code == 2
    assert "already exists" in capsys.readouterr().err
    assert existing.read_text(encoding="utf-8") == "toc: 1  # my work\n"
    with pytest.raises(InitError):
        init_programme("community-security", existing.parent)


def test_init_refuses_a_file_in_place_of_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    assert _run(["init", "taken"], cwd=tmp_path)[0] == 2
    assert "not a folder" in capsys.readouterr().err
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "x"


def test_init_with_an_unknown_model_lists_the_models(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _run(["init", "--model", "comunity-security", "new"], cwd=tmp_path)
    assert code == 2
    err = capsys.readouterr().err
    for name in ("community-security", "gbv-prevention", "youth-crime-reporting"):
        assert name in err
    assert not (tmp_path / "new").exists()


def test_init_list(tmp_path: Path) -> None:
    code, out = _run(["init", "--list"], cwd=tmp_path)
    assert code == 0
    assert out.split() == ["community-security", "gbv-prevention", "youth-crime-reporting"]
    code, out = _run(["init", "--list", "ignored"], cwd=tmp_path)
    assert code == 0
    assert not (tmp_path / "ignored").exists()


def test_init_without_a_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["init", "--model", "gbv-prevention"], cwd=tmp_path)[0] == 2
    assert "DIR" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# --- comparing a programme with its model (TOC502, TOC504) --------------------------------------


def _start(tmp_path: Path, model: str = "community-security") -> Path:
    return init_programme(model, tmp_path / "p")


def _gaps(path: Path) -> list[str]:
    report = validate(path, selection=Selection())
    return [d.message for d in report.diagnostics if d.code == "TOC502"]


def test_a_dropped_result_assumption_and_indicator_are_reported(tmp_path: Path) -> None:
    path = _start(tmp_path)
    text = path.read_text(encoding="utf-8")
    # Drop the 'enough-time-for-trust' assumption (and its uses), rename a result with no
    # library indicators, and drop one library indicator of a result that stays.
    text = text.replace("  - id: enough-time-for-trust\n", "  - id: time-for-trust\n")
    text = text.replace("[enough-time-for-trust]", "[time-for-trust]")
    text = text.replace("  - id: build-vision-and-trust\n", "  - id: build-trust\n")
    text = text.replace(
        "      - use: relationships/joint-safety-meetings\n        id: joint-meetings\n"
        "        chosen_by: partner\n",
        "",
    )
    path.write_text(text, encoding="utf-8")
    gaps = _gaps(path)
    assert len(gaps) == 3, gaps
    assert any("'build-vision-and-trust'" in g and "activity" in g for g in gaps)
    assert any("assumes 'enough-time-for-trust'" in g for g in gaps)
    assert any("'joint-safety-meetings'" in g and "'inclusive-safety-groups'" in g for g in gaps)


def test_a_result_matched_by_its_library_indicators_is_not_a_gap(tmp_path: Path) -> None:
    path = _start(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace("  - id: people-feel-safer\n", "  - id: residents-feel-safe\n")
    text = text.replace("to: people-feel-safer\n", "to: residents-feel-safe\n")
    path.write_text(text, encoding="utf-8")
    assert _gaps(path) == []


def test_gaps_are_info_located_at_programme_model(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    folder.mkdir()
    from toc_engine.check.rules import RULES

    (folder / "programme.yaml").write_text(str(RULES["TOC502"].fail), encoding="utf-8")
    report = validate(folder / "programme.yaml", selection=Selection())
    gaps = [d for d in report.diagnostics if d.code == "TOC502"]
    assert len(gaps) >= 14 + 7  # every result and assumption of the model
    assert {(d.span.line, d.span.col) for d in gaps} == {(6, 10)}
    assert {d.severity.label for d in gaps} == {"info"}
    assert report.valid


def test_an_unknown_model_is_a_located_warning(tmp_path: Path) -> None:
    path = _start(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "  model: community-security", "  model: comunity-security"
    )
    path.write_text(text, encoding="utf-8")
    report = validate(path, selection=Selection())
    found = [d for d in report.diagnostics if d.code == "TOC504"]
    assert len(found) == 1
    assert found[0].severity.label == "warning"
    assert found[0].span.line == text.splitlines().index("  model: comunity-security") + 1
    assert "did you mean 'community-security'" in found[0].hint
    assert "TOC502" not in report.codes()


def test_no_model_no_comparison(tmp_path: Path) -> None:
    path = _start(tmp_path)
    text = path.read_text(encoding="utf-8").replace("  model: community-security\n", "")
    path.write_text(text, encoding="utf-8")
    codes = set(validate(path, selection=Selection()).codes())
    assert not codes & {"TOC502", "TOC504"}


def test_an_organisations_own_model_beside_the_programme(tmp_path: Path) -> None:
    path = _start(tmp_path)
    own = path.parent / "models" / "our-model.yaml"
    own.parent.mkdir()
    own.write_text(
        "toc: 1\nprogramme: {id: m, title: M, period: {start: 2020-01-01, end: 2020-12-31}}\n"
        "assumptions: [{id: donors-stay, statement: Donors stay}]\n"
        "results: [{id: build-vision-and-trust, level: activity, statement: S}]\n",
        encoding="utf-8",
    )
    text = path.read_text(encoding="utf-8").replace(
        "  model: community-security", "  model: our-model"
    )
    path.write_text(text, encoding="utf-8")
    gaps = _gaps(path)
    assert len(gaps) == 1 and "donors-stay" in gaps[0]
