"""The indicator library: complete PIRS-depth entries, checked like programmes, and `use:`.

Covers `toc library check/list`, the loader's resolution of `use: folder/id`
(unknown, ambiguous, override semantics) and the data-only rule for the shipped
`indicators/` and `models/` folders.
"""

from __future__ import annotations

import io
import os
import textwrap
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from toc_engine.check.config import Selection
from toc_engine.check.library import PIRS_FIELDS, check_entry, check_library, list_entries
from toc_engine.check.pipeline import validate
from toc_engine.cli import run
from toc_engine.loading.library import indicator_index, indicators_dir, models_dir
from toc_engine.schema.model import Measure
from toc_engine.schema.programme import load

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = sorted((ROOT / "indicators").glob("*/*.yaml"))


def _read(path: Path) -> dict[str, object]:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return run(argv, stdout=out), out.getvalue()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)  # spans are shown relative to the working directory
    yield tmp_path


# --- the shipped library ---------------------------------------------------------------------


def test_the_library_is_found_from_the_checkout() -> None:
    assert indicators_dir().resolve() == (ROOT / "indicators").resolve()
    assert models_dir().resolve() == (ROOT / "models").resolve()


def test_the_library_has_at_least_40_entries_in_theme_folders() -> None:
    assert len(ENTRIES) >= 40
    themes = {p.parent.name for p in ENTRIES}
    assert {"perceptions", "trust", "gbv", "small-arms", "governance"} <= themes


@pytest.mark.parametrize("path", ENTRIES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_entry_fills_every_pirs_field(path: Path) -> None:
    entry = _read(path)
    required = list(PIRS_FIELDS) + (["scale"] if entry.get("measure") == "ordinal" else [])
    for key in required:
        value = entry.get(key)
        assert value is not None, f"{path.name}: `{key}` is missing"
        if isinstance(value, str | list | dict):
            assert value, f"{path.name}: `{key}` is empty"
        if isinstance(value, str):
            assert value.strip(), f"{path.name}: `{key}` is blank"
    assert isinstance(entry.get("sensitive"), bool), f"{path.name}: say `sensitive: true/false`"
    assert entry["id"] == path.stem
    if entry["sensitive"]:
        assert len(str(entry["safeguarding"])) > 80, "sensitive entries need real notes"


def test_the_pirs_fields_are_the_ones_the_issue_lists() -> None:
    assert set(PIRS_FIELDS) == {
        "id", "name", "definition", "measure", "unit", "direction", "method", "source",
        "frequency", "disaggregate_by", "rationale", "limitations", "safeguarding", "references",
    }


def test_ids_are_unique_across_the_library() -> None:
    ids = [_read(p)["id"] for p in ENTRIES]
    assert len(ids) == len(set(ids))


def test_every_library_entry_passes_the_library_check() -> None:
    report = check_library(ROOT / "indicators")
    assert len(report.files) == len(ENTRIES)
    assert not report.diagnostics, "\n".join(
        f"{d.span}: {d.code} {d.message}" for d in report.diagnostics
    )


def test_toc_library_check_passes_on_the_shipped_library() -> None:
    code, out = _run(["library", "check", "--no-color"])
    assert code == 0, out
    assert f"no problems found in {len(ENTRIES)} files" in out


def test_toc_library_list_prints_folder_id_and_name() -> None:
    code, out = _run(["library", "list"])
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(ENTRIES)
    line = next(li for li in lines if li.startswith("perceptions/feel-safe-after-dark "))
    assert "Share of residents who feel safe outside their home after dark" in line
    assert [e.key for e in list_entries()] == [f"{p.parent.name}/{p.stem}" for p in ENTRIES]


@pytest.mark.parametrize("folder", ["indicators", "models"])
def test_data_folders_hold_no_code(folder: str) -> None:
    files = [p for p in (ROOT / folder).rglob("*") if p.is_file()]
    assert files
    assert all(p.suffix in (".yaml", ".md") for p in files), [
        str(p) for p in files if p.suffix not in (".yaml", ".md")
    ]


# --- a broken library ------------------------------------------------------------------------

BROKEN = """\
# Origin: a test
id: feel-safer
name: Share who feel safe
definition: Respondents who feel safe after dark
measure: percentage
unit: household
direction: increase
method: survey
source: Household survey
frequency: annual
disaggregate_by: [sex]
rationale: ""
limitations: Perceptions move with rumours
safeguarding: No personal data is kept
sensitive: false
references: [Saferworld 2014]
baseline: {period: 2020, value: 30}
"""

INCOMPLETE = """\
id: feel-safer
name: Number of people who report crimes
measure: unit
unit: persn
direction: increase
metod: survey
"""


def _write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _found(report_items: list[object]) -> set[tuple[str, str, int, int]]:
    out = set()
    for d in report_items:
        out.add((d.span.file, d.code, d.span.line, d.span.col))  # type: ignore[attr-defined]
    return out


def test_a_broken_library_gives_located_findings(in_tmp: Path) -> None:
    _write(in_tmp, "lib/perceptions/feel-safe.yaml", BROKEN)
    _write(in_tmp, "lib/trust/feel-safer.yaml", INCOMPLETE)
    _write(in_tmp, "lib/trust/syntax.yaml", "id: [\n")
    report = check_library(in_tmp / "lib")
    found = _found(list(report.diagnostics))
    one, two, three = "lib/perceptions/feel-safe.yaml", "lib/trust/feel-safer.yaml", \
        "lib/trust/syntax.yaml"
    expected = {
        (one, "TOC104", 2, 5),  # id differs from the file name
        (one, "TOC304", 6, 7),  # a percentage in households: the programme rule, at its line
        (one, "TOC102", 12, 12),  # rationale left empty
        (one, "TOC101", 17, 1),  # baseline belongs to the programme
        (two, "TOC102", 1, 1),  # the missing PIRS fields, listed in one finding
        (two, "TOC202", 1, 5),  # the id is already used by the first file
        (two, "TOC302", 4, 7),  # unknown unit, as in a programme
        (two, "TOC101", 6, 1),  # a typo in a key
        (three, "TOC001", 2, 1),  # YAML syntax
    }
    assert expected <= found, sorted(found - expected)
    assert not report.valid
    missing = next(d for d in report.diagnostics if d.code == "TOC102" and d.span.file == two)
    for key in ("definition", "method", "source", "rationale", "safeguarding", "sensitive"):
        assert f"`{key}`" in missing.message
    unknown_key = next(d for d in report.diagnostics if d.code == "TOC101" and d.span.file == two)
    assert "did you mean 'method'" in unknown_key.hint


def test_programme_only_rules_do_not_apply_to_a_definition(in_tmp: Path) -> None:
    """No baseline, no targets, no `chosen_by` is right for a library entry."""
    path = _write(in_tmp, "lib/perceptions/feel-safe.yaml", BROKEN.replace(
        "unit: household", "unit: percent").replace('rationale: ""', "rationale: Why").replace(
        "baseline: {period: 2020, value: 30}\n", "").replace("feel-safer", "feel-safe"))
    assert check_entry(path) == []


def test_a_person_count_without_sex_breakdown_is_flagged_in_the_library(in_tmp: Path) -> None:
    text = BROKEN.replace("measure: percentage\nunit: household", "measure: unit\nunit: person")
    text = text.replace("disaggregate_by: [sex]", "disaggregate_by: [site]")
    path = _write(in_tmp, "lib/trust/feel-safer.yaml", text)
    codes = {d.code for d in check_entry(path)}
    assert "TOC503" in codes


def test_toc_library_check_on_a_broken_folder_exits_1(in_tmp: Path) -> None:
    _write(in_tmp, "lib/trust/feel-safer.yaml", INCOMPLETE)
    code, out = _run(["library", "check", "lib", "--no-color"])
    assert code == 1
    assert "lib/trust/feel-safer.yaml:4:7: error TOC302 unknown-unit" in out
    code, out = _run(["library", "check", "lib", "--format", "json"])
    assert code == 1 and '"TOC302"' in out


def test_toc_library_check_on_a_missing_or_empty_folder_exits_2(in_tmp: Path) -> None:
    assert _run(["library", "check", "nowhere"])[0] == 2
    (in_tmp / "empty").mkdir()
    assert _run(["library", "check", "empty"])[0] == 2


# --- `use:` in a programme ---------------------------------------------------------------------

PROGRAMME = """\
toc: 1
programme:
  id: demo
  title: Demo
  period: {start: 2012-01-01, end: 2013-12-31}
results:
  - id: women-feel-safer
    level: impact
    statement: Women feel safe after dark
    indicators:
      - use: USE
        id: safe-after-dark
        chosen_by: community
        baseline: {period: 2011, value: 38, sample_size: 150}
        targets: [{period: 2013, value: 60}]
"""


def _programme(folder: Path, use: str, extra: str = "") -> Path:
    text = PROGRAMME.replace("USE", use)
    if extra:
        text = text.replace("        chosen_by: community\n", "        chosen_by: community\n"
                            + textwrap.indent(extra, "        "))
    return _write(folder, "programme.yaml", text)


def test_unknown_use_is_a_dangling_reference_at_the_use_line(in_tmp: Path) -> None:
    _programme(in_tmp, "perceptions/feel-safe-after-drak")
    report = validate(Path("programme.yaml"), selection=Selection())
    found = [d for d in report.diagnostics if d.code == "TOC201"]
    assert len(found) == 1
    assert (found[0].span.file, found[0].span.line, found[0].span.col) == ("programme.yaml", 11, 14)
    assert "perceptions/feel-safe-after-dark" in found[0].hint


def test_ambiguous_use_is_toc213_at_the_use_line(in_tmp: Path) -> None:
    # The organisation's own library beside the programme has an entry with the same id.
    _write(in_tmp, "indicators/local/feel-safe-after-dark.yaml",
           "id: feel-safe-after-dark\nname: Our own\n")
    _programme(in_tmp, "feel-safe-after-dark")
    report = validate(Path("programme.yaml"), selection=Selection())
    found = [d for d in report.diagnostics if d.code == "TOC213"]
    assert len(found) == 1
    assert (found[0].span.line, found[0].span.col) == (11, 14)
    assert "local/feel-safe-after-dark" in found[0].message
    assert "perceptions/feel-safe-after-dark" in found[0].message
    # Naming the folder resolves it.
    _programme(in_tmp, "perceptions/feel-safe-after-dark")
    report = validate(Path("programme.yaml"), selection=Selection())
    assert "TOC213" not in report.codes()


def test_use_fills_fields_and_the_programme_wins(in_tmp: Path) -> None:
    _programme(in_tmp, "perceptions/feel-safe-after-dark",
               "disaggregate_by: [sex]\nsource: Our own survey\n")
    loaded = load("programme.yaml")
    assert loaded.programme is not None, [d.message for d in loaded.diagnostics]
    indicator = loaded.programme.results[0].indicators[0]
    library = _read(ROOT / "indicators/perceptions/feel-safe-after-dark.yaml")
    # from the programme
    assert indicator.id == "safe-after-dark"
    assert indicator.disaggregate_by == ["sex"]
    assert indicator.source == "Our own survey"
    assert indicator.baseline is not None and indicator.baseline.value == Decimal(38)
    # from the library
    assert indicator.name == library["name"]
    assert indicator.measure is Measure.percentage
    assert indicator.unit == "percent"
    assert indicator.method is not None and indicator.method.value == "survey"
    assert indicator.definition == library["definition"]
    assert indicator.safeguarding == library["safeguarding"]
    assert indicator.use == "perceptions/feel-safe-after-dark"
    report = validate(loaded, selection=Selection())
    assert report.valid, [f"{d.span} {d.code} {d.message}" for d in report.diagnostics]


def test_a_finding_about_a_library_field_points_at_the_use_line(in_tmp: Path) -> None:
    """The user did not write the library's fields; the place to act is the `use:` line."""
    _programme(in_tmp, "gbv/women-safe-from-harassment",
               "observations: [{period: 2012, value: 40, dimensions: {sex: female}}]\n")
    report = validate(Path("programme.yaml"), selection=Selection())
    assert any(d.code == "TOC602" for d in report.diagnostics)  # sensitive comes from the library


def test_bare_id_use_works_when_unambiguous(in_tmp: Path) -> None:
    _programme(in_tmp, "feel-safe-after-dark")
    report = validate(Path("programme.yaml"), selection=Selection())
    assert report.valid, [f"{d.span} {d.code} {d.message}" for d in report.diagnostics]


def test_an_edited_library_entry_is_read_again_by_the_next_load(in_tmp: Path) -> None:
    """A long-running process (`toc serve`) loads a programme many times; an entry edited
    between two loads must give its new fields, not those of the first load."""
    entry = "id: own-count\nname: Meetings held\nmeasure: unit\nunit: meeting\n"
    _write(in_tmp, "indicators/local/own-count.yaml", entry)
    _programme(in_tmp, "local/own-count")
    first = load("programme.yaml").programme
    assert first is not None and first.results[0].indicators[0].unit == "meeting"
    _write(in_tmp, "indicators/local/own-count.yaml", entry.replace("meeting", "session"))
    second = load("programme.yaml").programme
    assert second is not None and second.results[0].indicators[0].unit == "session"
    assert first.results[0].indicators[0].unit == "meeting"


def test_every_model_use_resolves() -> None:
    index = indicator_index()
    for model in sorted((ROOT / "models").glob("*.yaml")):
        for line in model.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("- use:"):
                reference = stripped.split(":", 1)[1].split("#")[0].strip()
                assert len(index.get(reference, [])) == 1, (model.name, reference)


def test_library_check_does_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    report = check_library()
    assert report.valid
    assert all(os.path.isabs(f) or f.startswith("..") for f in report.files)


def test_adapt_must_name_a_field_the_entry_writes(in_tmp: Path) -> None:
    marked = BROKEN.replace('rationale: ""\n', "rationale: Safety as people feel it\n").replace(
        "baseline: {period: 2020, value: 30}\n",
        "adapt:\n  defintion: names Nepal's VDCs; name the programme's own\n")
    _write(in_tmp, "lib/perceptions/feel-safe.yaml", marked)
    report = check_library(in_tmp / "lib")
    [finding] = [d for d in report.diagnostics if "adapt" in d.message]
    assert (finding.code, finding.span.line) == ("TOC101", 18)
    assert finding.message == "`adapt:` names `defintion`, which this entry does not write"
    assert finding.hint == "did you mean 'definition'?"
    fixed = marked.replace("  defintion:", "  definition:")
    _write(in_tmp, "lib/perceptions/feel-safe.yaml", fixed)
    assert not [d for d in check_library(in_tmp / "lib").diagnostics if "adapt" in d.message]
