"""Rule selection: pyproject.toml `[tool.toc-engine]` and a programme's `lint:` section."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from toc_engine.check.config import ConfigError, Selection, find_pyproject, load_selection
from toc_engine.check.pipeline import validate
from toc_engine.cli import run
from toc_engine.findings.diagnostic import Severity
from toc_engine.findings.examples import VALID

# Two warnings (TOC315 no method; TOC501 no chosen_by) and one error (TOC302 unknown unit).
PROGRAMME = (
    VALID.replace("        method: administrative\n", "")
    .replace("        chosen_by: community\n", "", 1)
    .replace("        unit: meeting\n", "        unit: meetngs\n")
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()  # stop the pyproject search here
    (tmp_path / "programme.yaml").write_text(PROGRAMME, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _pyproject(folder: Path, body: str) -> None:
    (folder / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.toc-engine]\n" + body, encoding="utf-8"
    )


def _cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return run(list(argv), stdout=out), out.getvalue()


def _codes(folder: Path) -> list[str]:
    return sorted(validate(folder / "programme.yaml").codes())


def test_no_configuration(folder: Path) -> None:
    assert find_pyproject(folder) is None
    assert load_selection(folder) == Selection()
    assert _codes(folder) == ["TOC302", "TOC315", "TOC501"]


def test_pyproject_without_our_table_is_ignored(folder: Path) -> None:
    (folder / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert find_pyproject(folder) is None


def test_pyproject_is_found_from_a_subfolder(folder: Path) -> None:
    _pyproject(folder, "ignore = ['TOC5']\n")
    sub = folder / "programmes" / "nepal"
    sub.mkdir(parents=True)
    assert find_pyproject(sub) == (folder / "pyproject.toml").resolve()


def test_select_by_prefix(folder: Path) -> None:
    _pyproject(folder, "select = ['TOC3']\n")
    assert _codes(folder) == ["TOC302", "TOC315"]


def test_select_by_symbol(folder: Path) -> None:
    _pyproject(folder, "select = ['missing-chosen-by']\n")
    assert _codes(folder) == ["TOC501"]


def test_ignore_with_and_without_reason(folder: Path) -> None:
    _pyproject(
        folder,
        "ignore = ['toc501', {code = 'TOC315', reason = 'Methods are in the M&E plan annex'}]\n",
    )
    report = validate(folder / "programme.yaml")
    assert report.codes() == ["TOC302"]
    [waived] = report.waived
    assert (waived.code, waived.waived) == ("TOC315", "Methods are in the M&E plan annex")
    code, output = _cli("validate", "--no-color", "--show-waived", "programme.yaml")
    assert code == 1
    assert "waived TOC315 missing-method" in output
    assert "    reason: Methods are in the M&E plan annex" in output
    assert "TOC501" not in output  # ignored without a reason: not shown at all
    assert output.endswith("1 error, 0 warnings in 1 file (1 waived finding)\n")


def test_longest_pattern_wins(folder: Path) -> None:
    _pyproject(folder, "ignore = [{code = 'TOC3', reason = 'all'}, "
                       "{code = 'TOC315', reason = 'specific'}]\n")
    reasons = {d.code: d.waived for d in validate(folder / "programme.yaml").waived}
    assert reasons == {"TOC302": "all", "TOC315": "specific"}


def test_severity_override(folder: Path) -> None:
    _pyproject(folder, "[tool.toc-engine.severity]\nTOC302 = 'warning'\nTOC501 = 'error'\n")
    report = validate(folder / "programme.yaml")
    severities = {d.code: d.severity for d in report.diagnostics}
    assert severities == {
        "TOC302": Severity.WARNING,
        "TOC315": Severity.WARNING,
        "TOC501": Severity.ERROR,
    }


def test_programme_lint_section_waives_with_reason(folder: Path) -> None:
    (folder / "programme.yaml").write_text(
        PROGRAMME + "lint:\n  ignore:\n    - {code: TOC302, reason: Defined by the donor}\n"
        "    - TOC501\n",
        encoding="utf-8",
    )
    code, output = _cli("validate", "--no-color", "--show-waived", "programme.yaml")
    assert code == 0
    assert "waived TOC302 unknown-unit: unknown unit 'meetngs'\n" in output
    assert "    reason: Defined by the donor\n" in output
    assert "TOC501" not in output


def test_programme_lint_adds_to_pyproject(folder: Path) -> None:
    _pyproject(folder, "ignore = ['TOC501']\n")
    (folder / "programme.yaml").write_text(
        PROGRAMME + "lint:\n  ignore: [TOC315]\n", encoding="utf-8"
    )
    assert _codes(folder) == ["TOC302"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("ignore = ['TOC999']\n", "'TOC999' matches no rule"),
        ("select = ['TOC99']\n", "'TOC99' matches no rule"),
        ("ignore = [{code = 'not-a-rule', reason = 'x'}]\n", "'not-a-rule' matches no rule"),
        ("select = 'TOC1'\n", "select must be a list"),
        ("ignore = [3]\n", "ignore entries are codes"),
        ("[tool.toc-engine.severity]\nTOC302 = 'fatal'\n", "unknown severity"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_bad_configuration_exits_2(
    folder: Path, body: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _pyproject(folder, body)
    with pytest.raises(ConfigError, match=words.replace("(", r"\(")):
        load_selection(folder)
    code, output = _cli("validate", "programme.yaml")
    assert code == 2
    assert output == ""
    err = capsys.readouterr().err
    assert err.startswith("toc: ") and words in err and "pyproject.toml" in err


def test_explicit_config_file(folder: Path) -> None:
    other = folder / "ci"
    other.mkdir()
    (other / "pyproject.toml").write_text("[tool.toc-engine]\nselect = ['TOC302']\n",
                                          encoding="utf-8")
    code, output = _cli("validate", "--no-color", "--config", "ci/pyproject.toml",
                        "programme.yaml")
    assert code == 1
    assert "TOC302" in output and "TOC315" not in output


def test_cli_ignore_and_select_options(folder: Path) -> None:
    code, output = _cli("validate", "--no-color", "--ignore", "TOC302", "programme.yaml")
    assert code == 0 and "TOC302" not in output and "TOC315" in output
    code, output = _cli("validate", "--no-color", "--select", "toc5", "programme.yaml")
    assert code == 0 and "TOC501" in output and "TOC315" not in output
