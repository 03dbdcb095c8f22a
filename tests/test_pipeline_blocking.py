"""`validate_loaded(..., blocking_only=True)`: the checks `toc score` runs before scoring.

It runs only the rules whose findings would be errors under the selection in force, so
it must find exactly the errors the full run finds: on every rule's examples, under the
default selection and under selections that escalate, downgrade, ignore or select rules.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import write_example

from toc_engine.check.config import Selection
from toc_engine.check.context import Context
from toc_engine.check.pipeline import validate_loaded
from toc_engine.check.rules import EXTRA_CHECKS, RULES
from toc_engine.cli import run
from toc_engine.findings.catalogue import WorkbookExample
from toc_engine.findings.diagnostic import Diagnostic, Report, Severity
from toc_engine.findings.examples import VALID
from toc_engine.schema.programme import load

SELECTIONS = {
    "default": Selection(),
    "every rule an error": Selection(severity={"TOC": Severity.ERROR}),
    "graph rules warnings": Selection(severity={"TOC2": Severity.WARNING}),
    "graph rules ignored": Selection(ignore={"TOC2": "", "TOC301": "waived"}),
    "indicator rules only": Selection(select=["TOC3", "dangling-reference"]),
    # Checks that also report other rules' findings, switched off as rules of their own.
    "claim and scale checks ignored": Selection(ignore={"TOC402": "", "TOC312": ""}),
    "evidence rules warnings": Selection(severity={"TOC4": Severity.WARNING}),
}


def _errors(report_diagnostics: list[Diagnostic]) -> list[tuple[str, str, int, int, str]]:
    return sorted(
        (d.code, d.span.file, d.span.line, d.span.col, d.message)
        for d in report_diagnostics
        if d.severity is Severity.ERROR
    )


# rules whose examples are programmes (the workbook import's are workbooks, not validated)
PROGRAMME_RULES = sorted(c for c, r in RULES.items() if not isinstance(r.fail, WorkbookExample))


@pytest.mark.parametrize("selection_name", sorted(SELECTIONS))
@pytest.mark.parametrize("code", PROGRAMME_RULES)
def test_blocking_checks_find_exactly_the_errors(
    code: str, selection_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    selection = SELECTIONS[selection_name]
    for name, example in (("fail", RULES[code].fail), ("pass", RULES[code].pass_)):
        folder = tmp_path / name
        folder.mkdir()
        programme, options = write_example(example, folder)
        kwargs = {"max_bytes": int(options["--max-size"])} if "--max-size" in options else {}
        full = validate_loaded(load(programme.relative_to(tmp_path), **kwargs), selection)
        loaded = load(programme.relative_to(tmp_path), **kwargs)
        blocking = validate_loaded(loaded, selection, blocking_only=True)
        assert _errors(blocking.diagnostics) == _errors(full.diagnostics), (code, name)
        assert blocking.valid == full.valid
        # Anything else it holds, the full report holds too (what the loader found, and
        # other findings of a check that ran for an error it may report).
        def keys(report: Report) -> set[tuple[str, int, int, str]]:
            return {(d.code, d.span.line, d.span.col, d.message) for d in report.diagnostics}

        assert keys(blocking) <= keys(full), (code, name)


def test_blocking_only_leaves_warnings_out() -> None:
    """The failing example of a warning rule: the full run reports it, the blocking one
    does not run the rule at all."""
    warning = next(r for r in RULES.values() if r.severity is Severity.WARNING and r.check)
    assert warning.check is not None
    assert not Selection().blocks(warning)
    assert Selection(severity={warning.code: Severity.ERROR}).blocks(warning)
    assert not Selection(
        severity={warning.code: Severity.ERROR}, ignore={warning.code: ""}
    ).blocks(warning)
    error = RULES["TOC201"]
    assert Selection().blocks(error)
    assert not Selection(select=["TOC3"]).blocks(error)
    assert Selection(select=["TOC3", "dangling-reference"]).blocks(error)
    assert not Selection(severity={"TOC2": Severity.WARNING}).blocks(error)
    assert Selection(severity={"TOC2": Severity.WARNING, "TOC201": Severity.ERROR}).blocks(error)


# Two warnings (TOC315 no method, TOC501 no chosen_by) and no error.
WARNED = VALID.replace("        method: administrative\n", "").replace(
    "        chosen_by: community\n", "", 1
)


def _score(folder: Path) -> tuple[int, str]:
    out = io.StringIO()
    return run(["score", str(folder / "programme.yaml")], stdout=out), out.getvalue()


def test_score_runs_despite_warnings_and_stops_for_an_escalated_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()  # stop the pyproject search here
    (tmp_path / "programme.yaml").write_text(WARNED, encoding="utf-8")
    code, output = _score(tmp_path)
    assert code == 0 and "Results" in output
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.toc-engine.severity]\nTOC501 = 'error'\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    code, output = _score(tmp_path)
    assert code == 1 and output == ""
    err = capsys.readouterr().err
    assert "TOC501" in err and "cannot score: 1 error(s)" in err


CLAIM_ABOUT_NOTHING = VALID + (
    "evidence:\n"
    "  - id: fgd-1\n"
    "    kind: focus_group\n"
    "    date: 2013-05\n"
    "    quality: {methodology: minor, coherence: none, adequacy: none, relevance: none}\n"
    "    claims:\n"
    "      - {about: people-feel-saferr, finding: supports, test: straw_in_the_wind}\n"
)
TEXT_TARGET = VALID.replace("targets: [{period: 2013, value: 12}]",
                            "targets: [{period: 2013, value: twelve}]")


def test_every_check_declares_the_codes_it_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `blocks` relies on: a check reports its own rule's code and those it `emits`,
    nothing else (run on every rule's examples and on two that reach the other codes)."""
    monkeypatch.chdir(tmp_path)
    reported: dict[str, set[str]] = {}
    examples = [(code, side, example) for code in PROGRAMME_RULES
                for side, example in (("fail", RULES[code].fail), ("pass", RULES[code].pass_))]
    examples += [("claim", "extra", CLAIM_ABOUT_NOTHING), ("text", "extra", TEXT_TARGET)]
    for n, (code, side, example) in enumerate(examples):
        folder = tmp_path / f"{n}-{side}"
        folder.mkdir()
        programme, _ = write_example(example, folder)
        loaded = load(programme.relative_to(tmp_path), max_bytes=10**9)
        if loaded.programme is None:
            continue
        ctx = Context(loaded, loaded.programme)
        for checked in RULES.values():
            if checked.check is not None:
                found = {d.code for d in checked.check(ctx)}
                reported.setdefault(checked.code, set()).update(found)
        for _stage, target, check in EXTRA_CHECKS:
            assert {d.code for d in check(ctx)} <= {target.code}, (code, target.code)
    undeclared = {
        code: sorted(found - {code, *RULES[code].emits})
        for code, found in reported.items()
        if found - {code, *RULES[code].emits}
    }
    assert not undeclared
    assert reported["TOC402"] >= {"TOC402", "TOC201"}  # the examples did reach both
    assert reported["TOC312"] >= {"TOC312", "TOC103"}


@pytest.mark.parametrize(
    ("text", "ignored", "code"),
    [(CLAIM_ABOUT_NOTHING, "TOC402", "TOC201"), (TEXT_TARGET, "TOC312", "TOC103")],
)
def test_an_error_reported_by_another_rules_check_still_blocks(
    text: str, ignored: str, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "programme.yaml").write_text(text, encoding="utf-8")
    selection = Selection(ignore={ignored: ""})
    full = validate_loaded(load("programme.yaml"), selection)
    blocking = validate_loaded(load("programme.yaml"), selection, blocking_only=True)
    assert code in full.codes() and not full.valid
    assert _errors(blocking.diagnostics) == _errors(full.diagnostics)
