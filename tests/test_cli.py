"""Acceptance tests of the `toc` command over the case folders, and its exit codes.

tests/cases/negative/<name>/ holds a programme.yaml (and any data files) plus
expected.txt, the exact output of `toc validate programme.yaml --no-color` run in
that folder; tests/cases/positive/<name>/ holds programmes that must pass cleanly.

Regenerate the goldens with `TOC_UPDATE_GOLDEN=1 pytest tests/test_cli.py`, then
READ every changed expected.txt: a golden is a reviewed statement of what the
engine should say (location, code, message, hint), not a snapshot of what it says.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest

from toc_engine.check.rules import RULES
from toc_engine.cli import run

CASES = Path(__file__).resolve().parent / "cases"
NEGATIVE = sorted(p for p in (CASES / "negative").iterdir() if p.is_dir())
POSITIVE = sorted(p for p in (CASES / "positive").iterdir() if p.is_dir())
UPDATE = os.environ.get("TOC_UPDATE_GOLDEN") == "1"

# Cases whose expected.txt states the correct output while the engine is still wrong.
# strict: the test fails once the engine is fixed, so the entry gets removed.
KNOWN_BUGS: dict[str, str] = {}


def _run(argv: list[str], cwd: Path | None = None) -> tuple[int, str]:
    out = io.StringIO()
    if cwd is None:
        return run(argv, stdout=out), out.getvalue()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return run(argv, stdout=out), out.getvalue()
    finally:
        os.chdir(old)


def _expected_exit(output: str) -> int:
    summary = output.rstrip("\n").splitlines()[-1]
    match = re.match(r"(\d+) errors?", summary)
    return 1 if match and int(match.group(1)) > 0 else 0


# --- case folders ------------------------------------------------------------------------------


def test_every_family_has_a_case() -> None:
    names = {p.name for p in NEGATIVE}
    assert len(NEGATIVE) >= 27
    assert {"bom-crlf"} <= {p.name for p in POSITIVE}
    assert "schema-and-graph" in names
    for case in NEGATIVE:
        assert (case / "programme.yaml").is_file(), case
        assert UPDATE or (case / "expected.txt").is_file(), f"{case.name}: no expected.txt"


@pytest.mark.parametrize("case", NEGATIVE, ids=[p.name for p in NEGATIVE])
def test_negative_case_output_matches_golden(case: Path, request: pytest.FixtureRequest) -> None:
    if case.name in KNOWN_BUGS and not UPDATE:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_BUGS[case.name], strict=True))
    code, output = _run(["validate", "programme.yaml", "--no-color"], cwd=case)
    golden = case / "expected.txt"
    if UPDATE and case.name not in KNOWN_BUGS:
        golden.write_text(output, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    assert output == expected
    assert code == _expected_exit(expected)
    assert "no problems found" not in output


@pytest.mark.parametrize("case", NEGATIVE, ids=[p.name for p in NEGATIVE])
def test_negative_case_fails_under_strict(case: Path) -> None:
    code, output = _run(["validate", "programme.yaml", "--strict", "--no-color"], cwd=case)
    assert code == 1, output


@pytest.mark.parametrize("case", POSITIVE, ids=[p.name for p in POSITIVE])
def test_positive_case_passes(case: Path) -> None:
    code, output = _run(["validate", "programme.yaml", "--strict", "--no-color"], cwd=case)
    assert code == 0, output
    assert output.splitlines()[-1].startswith("no problems found in 1 file"), output


def test_schema_and_graph_errors_in_one_run() -> None:
    code, output = _run(["validate", "programme.yaml", "--no-color"],
                        cwd=CASES / "negative" / "schema-and-graph")
    assert code == 1
    codes = re.findall(r" (TOC\d{3}) ", output)
    assert any(c.startswith("TOC1") for c in codes), output
    assert any(c.startswith("TOC2") for c in codes), output


def test_bom_and_crlf_keep_line_numbers() -> None:
    """The BOM+CRLF file reports problems on the same lines as the plain file would."""
    folder = CASES / "positive" / "bom-crlf"
    data = (folder / "programme.yaml").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    broken = data.replace(b"unit: meeting\r\n", b"unit: meetngs\r\n", 1)
    line = data[: data.index(b"unit: meeting\r\n")].count(b"\n") + 1
    from toc_engine.check.config import Selection
    from toc_engine.check.pipeline import validate

    with _temporary_copy(broken) as path:
        report = validate(path, selection=Selection())
    [finding] = report.diagnostics
    assert (finding.code, finding.span.line, finding.span.col) == ("TOC302", line, 15)


class _temporary_copy:
    def __init__(self, data: bytes) -> None:
        import tempfile

        self.folder = Path(tempfile.mkdtemp())
        self.path = self.folder / "programme.yaml"
        self.path.write_bytes(data)

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc: object) -> None:
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)


# --- exit codes ----------------------------------------------------------------------------------

CLEAN = CASES / "positive" / "minimal"
WARNS = CASES / "negative" / "sensitive-without-consent"
ERRORS = CASES / "negative" / "unknown-unit"


def test_exit_0_when_clean() -> None:
    assert _run(["validate", "programme.yaml"], cwd=CLEAN)[0] == 0


def test_exit_1_on_errors() -> None:
    assert _run(["validate", "programme.yaml"], cwd=ERRORS)[0] == 1


def test_warnings_exit_0_but_1_with_strict() -> None:
    assert _run(["validate", "programme.yaml"], cwd=WARNS)[0] == 0
    assert _run(["validate", "--strict", "programme.yaml"], cwd=WARNS)[0] == 1


def test_exit_2_for_a_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _run(["validate", str(tmp_path / "nope.yaml")])
    assert code == 2
    assert output == ""
    assert "does not exist" in capsys.readouterr().err


def test_a_usage_error_keeps_its_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _run(["form", str(CASES.parent.parent / "examples" / "nepal")])
    assert (code, output) == (2, "")
    assert capsys.readouterr().err == (
        "toc: the following arguments are required: --form, -o/--output\n"
        "run `toc form --help` for usage\n")


def test_a_usage_error_escapes_control_characters(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _output = _run(["validate", str(tmp_path / "a\x1b[2Jb.yaml")])
    assert code == 2
    assert capsys.readouterr().err == f"toc: '{tmp_path}/a\\x1b[2Jb.yaml' does not exist\n"


def test_exit_2_for_a_folder_without_programmes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    code, _ = _run(["validate", str(tmp_path)])
    assert code == 2
    assert "no programme.yaml" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["validate"],
        ["validate", "--format", "xml", "programme.yaml"],
        ["validate", "--max-size", "0", "programme.yaml"],
        ["frobnicate"],
        ["validate", "--no-such-option", "programme.yaml"],
    ],
)
def test_exit_2_for_bad_arguments(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _run(argv, cwd=CLEAN)
    assert code == 2
    assert capsys.readouterr().err.startswith("toc: ")


def test_exit_2_for_an_unknown_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _run(["explain", "TOC999"])
    assert code == 2
    assert output == ""
    assert "TOC999" in capsys.readouterr().err


def test_unknown_code_in_ignore_option_is_usable() -> None:
    """--ignore by code hides that rule's findings."""
    code, output = _run(["validate", "--ignore", "TOC302", "programme.yaml"], cwd=ERRORS)
    assert code == 0, output


def test_select_keeps_only_selected_codes() -> None:
    code, output = _run(["validate", "--select", "TOC1", "--no-color", "programme.yaml"],
                        cwd=CASES / "negative" / "schema-and-graph")
    assert code == 1
    assert set(re.findall(r" (TOC\d{3}) ", output)) == {"TOC104"}


def test_folder_is_searched_recursively() -> None:
    code, output = _run(["validate", "--no-color", "positive"], cwd=CASES)
    assert code == 0, output
    assert output.splitlines()[-1].startswith(f"no problems found in {len(POSITIVE)} files")


def test_several_paths_merge_into_one_report() -> None:
    code, output = _run(
        ["validate", "--no-color", "negative/unknown-unit", "negative/bad-enum"], cwd=CASES
    )
    assert code == 1
    assert "negative/unknown-unit/programme.yaml:29:15: error TOC302" in output
    assert "negative/bad-enum/programme.yaml:64:20: error TOC104" in output
    assert output.splitlines()[-1] == "2 errors, 0 warnings in 2 files"


# --- formats -------------------------------------------------------------------------------------


def test_json_format() -> None:
    code, output = _run(["validate", "--format", "json", "programme.yaml"],
                        cwd=CASES / "negative" / "dangling-reference")
    assert code == 1
    data = json.loads(output)
    assert data["schema_version"] == "1.0"
    assert data["valid"] is False
    found = [(d["code"], d["line"], d["column"], d["severity"]) for d in data["diagnostics"]]
    assert found == [("TOC201", 40, 13, "error"), ("TOC201", 59, 23, "error")]
    assert data["diagnostics"][0]["file"] == "programme.yaml"
    assert data["diagnostics"][0]["path"] == "results[1].contributes_to[0].to"
    assert data["summary"]["errors"] == 2


def test_json_format_of_a_clean_programme() -> None:
    code, output = _run(["validate", "--format", "json", "programme.yaml"], cwd=CLEAN)
    data = json.loads(output)
    assert code == 0
    assert data["valid"] is True
    assert data["diagnostics"] == []


def test_json_format_lists_waivers() -> None:
    code, output = _run(["validate", "--format", "json", "programme.yaml"],
                        cwd=CASES / "positive" / "waived-warning")
    data = json.loads(output)
    assert code == 0
    [waived] = data["waived"]
    assert waived["code"] == "TOC315"
    assert waived["waived_reason"] == "The survey design is annexed to the proposal"


def test_github_format_lines() -> None:
    code, output = _run(["validate", "--format", "github", "programme.yaml"],
                        cwd=CASES / "negative" / "dangling-reference")
    assert code == 1
    lines = output.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == 2
    for line in annotations:
        assert re.match(
            r"::(error|warning|notice) file=programme\.yaml,line=\d+,col=\d+,title=", line
        )
    assert annotations[0].startswith("::error file=programme.yaml,line=40,col=13,title=TOC201 ")
    assert "%0Ahint: " in annotations[0]
    assert lines[-1] == "toc validate: 2 error(s), 0 warning(s) in 1 file(s)"


def test_github_format_escapes_percent_and_newlines(tmp_path: Path) -> None:
    (tmp_path / "programme.yaml").write_text(
        'toc: 1\n"50%\\nshare": 1\n', encoding="utf-8"
    )
    code, output = _run(["validate", "--format", "github", "programme.yaml"], cwd=tmp_path)
    assert code == 1
    lines = output.splitlines()
    for line in lines[:-1]:
        assert re.match(r"::(error|warning|notice) ", line), line
    unknown = [line for line in lines if "TOC101" in line]
    assert unknown, output
    assert "50%25%0Ashare" in unknown[0]
    assert "50%\n" not in output


def test_github_renderer_escapes_properties() -> None:
    from toc_engine.findings.diagnostic import Diagnostic, Report, Severity, Span
    from toc_engine.formats.validate.github import render

    d = Diagnostic("TOC001", "yaml-syntax", Severity.WARNING, "100% bad\r\nreally",
                   Span("a,b:c.yaml", 2, 3))
    [line, _summary] = render(Report([d], ["a,b:c.yaml"])).splitlines()
    assert line == (
        "::warning file=a%2Cb%3Ac.yaml,line=2,col=3,title=TOC001 yaml-syntax"
        "::100%25 bad%0D%0Areally"
    )


def test_text_format_shows_waiver_reason() -> None:
    code, output = _run(["validate", "--no-color", "programme.yaml"],
                        cwd=CASES / "positive" / "waived-warning")
    assert code == 0
    assert output == ("1 finding waived: TOC315 ×1 (--show-waived lists them)\n"
                      "no problems found in 1 file (1 waived finding)\n")
    code, output = _run(["validate", "--no-color", "--show-waived", "programme.yaml"],
                        cwd=CASES / "positive" / "waived-warning")
    assert code == 0
    assert "waived TOC315 missing-method" in output
    assert "    reason: The survey design is annexed to the proposal" in output


def test_output_file_is_written_atomically_and_nothing_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toc_engine.formats.atomic as atomic

    target = tmp_path / "out" / "report.json"
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        replaced.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", spy)
    code, output = _run(
        ["validate", "--format", "json", "-o", str(target), "programme.yaml"], cwd=ERRORS
    )
    assert code == 1
    assert output == ""
    assert json.loads(target.read_text(encoding="utf-8"))["valid"] is False
    [(src, dst)] = replaced
    assert Path(dst) == target and Path(src).parent == target.parent and src != dst
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"]
    # The file holds exactly what would have been printed.
    _, printed = _run(["validate", "--format", "json", "programme.yaml"], cwd=ERRORS)
    assert target.read_text(encoding="utf-8") == printed


def test_output_file_text_has_no_colour(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    code, output = _run(["validate", "-o", str(target), "programme.yaml"], cwd=ERRORS)
    assert (code, output) == (1, "")
    assert "\033[" not in target.read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8") == (ERRORS / "expected.txt").read_text(
        encoding="utf-8"
    )


# --- other commands ------------------------------------------------------------------------------


def test_rules_lists_every_code() -> None:
    code, output = _run(["rules"])
    assert code == 0
    for rule_code, rule in RULES.items():
        assert re.search(rf"^  {rule_code}  {re.escape(rule.symbol)} ", output, re.MULTILINE), (
            rule_code
        )


def test_rules_json_lists_every_code() -> None:
    code, output = _run(["rules", "--format", "json"])
    assert code == 0
    assert sorted(r["code"] for r in json.loads(output)) == sorted(RULES)


def test_explain_prints_the_failing_example() -> None:
    code, output = _run(["explain", "TOC201"])
    assert code == 0
    rule = RULES["TOC201"]
    assert output.startswith("TOC201 dangling-reference (error, graph)")
    assert "Failing example (reported at 11:13):" in output
    assert "      - to: people-feel-safe\n" in output
    failing = output.split("Failing example", 1)[1].split("Passing example", 1)[0]
    assert isinstance(rule.fail, str)
    for line in rule.fail.splitlines():
        if line.strip():
            assert "    " + line in failing


def test_explain_by_symbol() -> None:
    code, output = _run(["explain", "cycle"])
    assert code == 0
    assert output.startswith("TOC203 cycle")


def test_schema_prints_draft_07() -> None:
    code, output = _run(["schema"])
    assert code == 0
    schema = json.loads(output)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "results" in schema["properties"]


def test_schema_to_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    code, output = _run(["schema", "-o", str(target)])
    assert (code, output) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["$schema"].startswith(
        "http://json-schema.org/draft-07/"
    )
