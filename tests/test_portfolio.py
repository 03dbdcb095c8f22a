"""`toc portfolio`: a generated portfolio with planted outcomes, the country examples,
the cache, and what the command refuses."""

from __future__ import annotations

import io
import json
import sys
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

import toc_engine
from toc_engine.cli import run

sys.path.insert(0, str(Path(__file__).parent))
import portfolio_fixtures

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [ROOT / "examples" / name for name in ("kosovo", "nepal", "bangladesh")]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[portfolio_fixtures.Planted, Path]:
    root = tmp_path_factory.mktemp("portfolio")
    return portfolio_fixtures.build(root / "programmes"), root


def _portfolio(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = run(["portfolio", *args], out)
    captured = capsys.readouterr()
    return code, out.getvalue(), captured.err


def _conforms(data: object) -> None:
    """The JSON follows its published schema (docs/schema/portfolio.schema.json)."""
    import jsonschema

    schema = json.loads((ROOT / "docs" / "schema" / "portfolio.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.Draft7Validator(schema).validate(data)


def _table(rows: list[dict[str, object]]) -> dict[str, dict[str, tuple[str, tuple[str, ...]]]]:
    """Row key -> {programme: (verdict, failed assumptions)} for rows with a judgement
    beyond `untested`."""
    table = {}
    for row in rows:
        cells = row["cells"]
        assert isinstance(cells, list)
        if all(c["verdict"] == "untested" for c in cells):
            continue
        table[str(row["key"])] = {
            c["programme"]: (c["verdict"], tuple(c["failed_assumptions"])) for c in cells
        }
    return table


def test_planted_portfolio_gives_exactly_the_planted_table_in_json(
    planted: tuple[portfolio_fixtures.Planted, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    plan, root = planted
    code, text, err = _portfolio(
        [str(root / "programmes"), "--format", "json", "--cache", str(root / "cache")], capsys
    )
    assert code == 1  # the broken programme is left out
    data = json.loads(text)
    _conforms(data)
    assert _table(data["links"]) == plan.links
    assert len(data["contexts"]) == 36
    assert {c["programme"] for c in data["contexts"] if c["interim"]} == plan.interim
    assert data["assessment_dates"] == ["2026-06-30", "2027-12-31"]
    [refused] = data["refused"]
    assert Path(refused["path"]).resolve() == plan.broken
    assert refused["errors"] == 1
    assert refused["first_error"] == "TOC201 result 'nowhere' is not defined"
    assert "left out" in err and "1 error(s)" in err
    rows = {row["key"]: row for row in data["links"]}
    fail = rows["pattern:planted-fail"]
    failing = sorted(p for p in plan.links["pattern:planted-fail"] if "-ke-" in p or "-np-" in p)
    assert fail["failed_on"] == {
        "engaging-men-does-not-backfire": [p for p in failing if p.startswith("gbv")],
        "jobs-for-skills": [p for p in failing if p.startswith("youth")],
        "threats-not-displaced": [p for p in failing if p.startswith("community")],
    }
    assert rows["pattern:planted-hold"]["tested_in"] == 36
    assert rows["pattern:planted-never"]["tested_in"] == 0  # implementation failure tests nothing
    assert rows["pattern:planted-never"]["few_contexts"] is True
    assumptions = {
        row["key"]: {c["programme"]: c["state"] for c in row["cells"]}
        for row in data["assumptions"]
        if row["key"] in plan.assumptions
    }
    assert assumptions == plan.assumptions
    measured = [i for i in data["indicators"] if i["method"] != "not_combined"]
    assert all(i["note"] == "no programme has a value yet" for i in data["indicators"]
               if i not in measured)
    [indicator] = measured
    assert indicator["use"] == "action-plans-with-community-indicators"
    assert indicator["method"] == "sample_weighted"
    assert {
        c["programme"]: (c["value"], c["sample_size"]) for c in indicator["contributions"]
    } == plan.indicator
    size = sum(n for _v, n in plan.indicator.values())
    assert indicator["sample_size"] == size
    assert indicator["value"] == pytest.approx(
        sum(v * n for v, n in plan.indicator.values()) / size
    )
    lessons = {x["key"]: x["kind"] for x in data["lessons"] if x["key"].startswith("pattern:")}
    assert lessons == {
        "pattern:planted-hold": "travelled",
        "pattern:planted-fail": "did_not_travel",
        "pattern:planted-never": "not_implemented",
    }


class _Matrix(HTMLParser):
    """The verdict in each cell of the HTML matrix: row key -> {programme: verdict}."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, dict[str, str]] = {}
        self.row: str | None = None
        self.in_matrix = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and found.get("class") == "matrix":
            self.in_matrix = True
        elif self.in_matrix and tag == "tr" and found.get("data-key"):
            self.row = found["data-key"]
            self.cells[self.row or ""] = {}
        elif self.row and tag == "td" and found.get("data-programme"):
            self.cells[self.row][found["data-programme"] or ""] = found.get("data-verdict") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.in_matrix = False


def _matrix(html: str) -> dict[str, dict[str, str]]:
    parser = _Matrix()
    parser.feed(html)
    return parser.cells


def test_planted_portfolio_html_matrix(
    planted: tuple[portfolio_fixtures.Planted, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    plan, root = planted
    out = root / "portfolio.html"
    code, _text, _err = _portfolio(
        [str(root / "programmes"), "-o", str(out), "--cache", str(root / "cache")], capsys
    )
    assert code == 1
    html = out.read_text(encoding="utf-8")
    matrix = {
        key: cells
        for key, cells in _matrix(html).items()
        if any(v != "untested" for v in cells.values())
    }
    assert matrix == {
        key: {p: verdict for p, (verdict, _failed) in cells.items()}
        for key, cells in plan.links.items()
    }
    assert "<script" not in html
    assert "Left out: programmes that do not validate" in html


def test_csv_and_markdown(
    planted: tuple[portfolio_fixtures.Planted, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    import csv

    plan, root = planted
    code, text, _err = _portfolio(
        [str(root / "programmes"), "--format", "csv", "--cache", str(root / "cache")], capsys
    )
    assert code == 1
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["key"] == "pattern:planted-fail"]
    assert {r["programme"]: r["verdict"] for r in rows} == {
        p: v for p, (v, _f) in plan.links["pattern:planted-fail"].items()
    }
    code, text, _err = _portfolio(
        [str(root / "programmes"), "--format", "md", "--cache", str(root / "cache")], capsys
    )
    assert "- **travelled**: planted-hold: held in 36 of 36 tested programmes" in text


def test_rerun_rescores_only_the_changed_programme(tmp_path: Path) -> None:
    from toc_engine.formats.portfolio.cache import Cache
    from toc_engine.formats.portfolio.run import assess_all, find_programmes

    plan = portfolio_fixtures.build(tmp_path / "programmes", broken=False)
    folders = find_programmes([tmp_path / "programmes"])
    cache = Cache(tmp_path / "cache")
    first = assess_all(folders, jobs=2, cache=cache)
    assert len(first.scored) == 36 and first.cached == 0
    again = assess_all(folders, jobs=1, cache=cache)
    assert again.scored == [] and again.cached == 36
    assert sorted(j.programme for j in again.judgements) == sorted(
        j.programme for j in first.judgements
    )
    changed = plan.folders[5] / "programme.yaml"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    third = assess_all(folders, jobs=1, cache=cache)
    cache.close()
    assert [Path(p).resolve() for p in third.scored] == [plan.folders[5].resolve()]
    assert third.cached == 35
    assert not any(p.name.endswith(".sqlite3") for p in (tmp_path / "programmes").rglob("*"))


def test_progress_is_never_written_to_a_pipe(
    planted: tuple[portfolio_fixtures.Planted, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _plan, root = planted
    _code, text, err = _portfolio(
        [str(root / "programmes"), "--format", "json", "--cache", str(root / "cache")], capsys
    )
    assert "remaining" not in err and "remaining" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nonexistent/folder"], "toc: /nonexistent/folder: no such file or folder\n"),
        (["--jobs", "0", "examples/kosovo"], "toc: --jobs must be 1 or more\n"),
    ],
)
def test_usage_errors(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, text, err = _portfolio(args, capsys)
    assert (code, text, err) == (2, "", message)


def test_folder_without_programmes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _text, err = _portfolio([str(tmp_path)], capsys)
    assert code == 2
    assert err == f"toc: {tmp_path}: no programme.yaml in this folder or the folders below it\n"


def test_cache_inside_a_programme_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inside = EXAMPLES[0] / "cache"
    code, _text, err = _portfolio([str(EXAMPLES[0]), "--cache", str(inside)], capsys)
    assert code == 2
    assert "is inside a programme's folder; choose another with --cache" in err
    assert not inside.exists()


def _own_verdicts() -> dict[str, dict[str, str]]:
    """Each example's own verdict of each link, from `toc_engine.score`."""
    verdicts = {}
    for folder in EXAMPLES:
        loaded = toc_engine.load(folder / "programme.yaml")
        assert loaded.programme is not None
        scored = toc_engine.score(loaded.programme)
        verdicts[loaded.programme.programme.id] = {link.id: link.verdict for link in scored.links}
    return verdicts


def test_country_examples_compared_with_their_own_verdicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, _err = _portfolio(
        [*map(str, EXAMPLES), "--format", "json", "--cache", str(tmp_path)], capsys
    )
    assert code == 0
    data = json.loads(text)
    _conforms(data)
    own = _own_verdicts()
    rows = {row["key"]: row for row in data["links"]}
    assert set(rows) == {
        "pattern:community-groups-engage-police",
        "pattern:community-groups-sustain-themselves",
    }
    for row in rows.values():
        assert row["few_contexts"] is True  # three programmes, each pattern in two
        for cell in row["cells"]:
            assert cell["verdict"] == own[cell["programme"]][cell["link"]]
    police_cells = rows["pattern:community-groups-engage-police"]["cells"]
    police = {c["country"]: c["link"] for c in police_cells}
    assert police == {
        "BD": "crime-maps -> police-patrols",
        "NP": "household-toilets -> police-gender-approach",
    }
    sustain_cells = rows["pattern:community-groups-sustain-themselves"]["cells"]
    sustain = {c["country"]: c["link"] for c in sustain_cells}
    assert sustain == {
        "XK": "forum-for-security -> fis-sustainable",
        "BD": "kg-committees-trained -> committees-sustained",
    }
    assumption = {row["key"]: row for row in data["assumptions"]}["pattern:police-stay-engaged"]
    assert {c["assumption"] for c in assumption["cells"]} == {
        "police-act-on-maps",
        "police-stay-engaged",
    }


def test_committed_portfolio_report_matches_the_examples() -> None:
    """docs/portfolio.html shows each example's own verdicts (regenerate it with
    `python tools/portfolio_report.py` when an example's verdicts change)."""
    html = (ROOT / "docs" / "portfolio.html").read_text(encoding="utf-8")
    own = _own_verdicts()
    links = {}
    for folder in EXAMPLES:
        loaded = toc_engine.load(folder / "programme.yaml")
        assert loaded.programme is not None
        for result in loaded.programme.results:
            for link in result.contributes_to:
                if link.pattern:
                    links[(f"pattern:{link.pattern}", loaded.programme.programme.id)] = (
                        f"{result.id} -> {link.to}"
                    )
    matrix = _matrix(html)
    expected: dict[str, dict[str, str]] = {}
    for (key, programme), link_id in links.items():
        expected.setdefault(key, {})[programme] = own[programme][link_id]
    assert matrix == expected, "docs/portfolio.html is stale: run tools/portfolio_report.py"


def test_indicators_are_combined_only_where_meaningful() -> None:
    from toc_engine.scoring.portfolio import compare
    from toc_engine.scoring.portfolio.judgements import IndicatorValue, Judgements

    def programme(name: str, country: str, *values: IndicatorValue) -> Judgements:
        return Judgements(
            path=name, programme=name, title=name, country=country, model=None,
            period_start=date(2025, 1, 1), period_end=date(2027, 12, 31),
            assessed_at=date(2027, 12, 31), links=(), assumptions=(), levels=(),
            design_score=Decimal(50), validity=None, tested_coverage=Decimal(0),
            validity_untested=True, indicators=values,
        )

    def value(use: str, measure: str, unit: str, aggregation: str, number: str,
              size: int | None = None, definition: str = "as defined") -> IndicatorValue:
        return IndicatorValue(
            use=use, id=use, name=use, definition=definition, measure=measure, unit=unit,
            aggregation=aggregation, status="assessed", value=Decimal(number), period="2027",
            sample_size=size, sensitive=False, unit_definitions=(),
        )

    portfolio = compare([
        programme("a", "NP", value("trained", "unit", "person", "sum", "40"),
                  value("safe", "percentage", "percent", "weighted_mean", "50", 100),
                  value("distance", "unit", "km", "sum", "2"),
                  value("rank", "ordinal", "level", "latest", "2")),
        programme("b", "BD", value("trained", "unit", "person", "sum", "60"),
                  value("safe", "percentage", "percent", "weighted_mean", "80", 300),
                  value("distance", "unit", "m", "sum", "500"),
                  value("rank", "ordinal", "level", "latest", "3")),
        programme("c", "XK", value("trained", "unit", "person", "sum", "7", definition="other")),
    ])
    found = {(a.use, a.definition): a for a in portfolio.indicators}
    assert found[("trained", "as defined")].value == Decimal(100)
    assert len(found[("trained", "as defined")].contributions) == 2
    assert ("trained", "other") not in found  # one programme alone: nothing to combine
    assert "another definition, kept apart" in found[("trained", "as defined")].note
    assert found[("safe", "as defined")].value == Decimal("72.5")  # (50·100 + 80·300) / 400
    assert found[("safe", "as defined")].sample_size == 400
    distance = found[("distance", "as defined")]  # in the unit of the first (BD) programme
    assert (distance.value, distance.unit) == (Decimal(2500), "m")  # 500 m + 2 km
    assert distance.note == "sum, converted to m"
    assert found[("rank", "as defined")].method == "not_combined"
    assert found[("rank", "as defined")].value is None


def test_malformed_pattern_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from toc_engine.findings.examples import VALID

    rationale = "        rationale: Regular meetings let residents raise concerns early\n"
    failing = VALID.replace(rationale, rationale + "        pattern: Police engagement\n")
    (tmp_path / "programme.yaml").write_text(failing, encoding="utf-8")
    out = io.StringIO()
    assert run(["validate", str(tmp_path / "programme.yaml")], out) == 1
    assert (
        "13:18: error TOC214 malformed-pattern: the link pattern 'Police engagement' is not"
        " a slug, so it would never match the same pattern in another programme" in out.getvalue()
    )
    assert "write it as a slug, e.g. `pattern: police-engagement`" in out.getvalue()


def test_cache_keeps_judgements_exactly_and_ignores_a_damaged_entry(tmp_path: Path) -> None:
    import sqlite3

    from toc_engine.formats.portfolio.cache import Cache
    from toc_engine.formats.portfolio.run import assess

    cache = Cache(tmp_path)
    outcomes = [assess(str(folder)) for folder in EXAMPLES]
    for index, outcome in enumerate(outcomes):
        cache.put(f"k{index}", outcome)
    cache.close()
    cache = Cache(tmp_path)
    assert [cache.get(f"k{index}") for index in range(3)] == outcomes
    cache.close()
    with sqlite3.connect(tmp_path / "portfolio.sqlite3") as db:
        db.execute("UPDATE outcomes SET value = '{\"~type\": \"os.system\"}' WHERE key = 'k0'")
        db.execute("UPDATE outcomes SET value = 'not json' WHERE key = 'k1'")
    cache = Cache(tmp_path)
    assert cache.get("k0") is None and cache.get("k1") is None
    assert cache.get("k2") == outcomes[2]
    cache.close()


def test_workbook_matrix(
    planted: tuple[portfolio_fixtures.Planted, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    from toc_engine.formats.report.palette import VERDICT_STYLES, verdict_name

    plan, root = planted
    out = root / "portfolio.xlsx"
    code, _text, _err = _portfolio(
        [str(root / "programmes"), "-o", str(out), "--cache", str(root / "cache")], capsys
    )
    assert code == 1
    sheet = openpyxl.load_workbook(out)["Matrix"]
    rows = list(sheet.iter_rows(values_only=True))
    programmes = rows[0][2:]
    found = {}
    for line, row in enumerate(rows[2:], start=3):
        key = f"pattern:{row[0]}"
        if key in plan.links:
            found[key] = {p: v for p, v in zip(programmes, row[2:], strict=True) if v}
            fill = sheet.cell(row=line, column=3).fill.fgColor.rgb
            first = plan.links[key][str(programmes[0])][0]
            assert fill == "00" + VERDICT_STYLES[first][0].lstrip("#").upper()
    assert found == {
        key: {p: verdict_name(v) for p, (v, _f) in cells.items()}
        for key, cells in plan.links.items()
        if key.startswith("pattern:")
    }


def test_workbook_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, text, err = _portfolio([str(EXAMPLES[0]), "--format", "xlsx", "--no-cache"], capsys)
    message = "toc: an Excel workbook needs a file: add -o portfolio.xlsx\n"
    assert (code, text, err) == (2, "", message)


def test_progress_on_a_terminal_stays_off_the_json(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess

    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "toc_engine", "portfolio", *map(str, EXAMPLES),
             "--format", "json", "--jobs", "1", "--cache", str(tmp_path)],
            stdout=subprocess.PIPE, stderr=terminal, timeout=300, check=False,
        )
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
    assert done.returncode == 0
    assert len(json.loads(done.stdout)["contexts"]) == 3
    assert b"remaining" not in done.stdout
    assert b"portfolio: 3 done, 0 failed, 0 remaining" in shown


def test_a_file_other_than_programme_yaml_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    readme = ROOT / "models" / "README.md"
    code, text, err = _portfolio([str(readme), "--no-cache"], capsys)
    assert (code, text) == (2, "")
    assert err == (
        f"toc: {readme}: name a programme's folder (or its programme.yaml), or a folder of"
        " programme folders\n"
    )


def test_two_reviews_of_one_programme_are_two_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    for name, assessed in (("mid", "2012-12-31"), ("later", "2013-03-31"), ("copy", "2013-03-31")):
        folder = tmp_path / name
        shutil.copytree(EXAMPLES[1], folder)
        path = folder / "programme.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("assessed_at: 2013-03-31", f"assessed_at: {assessed}"),
                        encoding="utf-8")
    code, text, _err = _portfolio(
        [str(tmp_path), "--format", "json", "--cache", str(tmp_path / ".cache")], capsys
    )
    assert code == 0
    data = json.loads(text)
    names = [c["programme"] for c in data["contexts"]]
    assert names == [
        "nepal-community-security @ 2012-12-31",
        f"nepal-community-security @ 2013-03-31 ({tmp_path / 'copy'})",
        f"nepal-community-security @ 2013-03-31 ({tmp_path / 'later'})",
    ]
    [row] = [r for r in data["links"] if r["key"] == "pattern:community-groups-engage-police"]
    assert [c["programme"] for c in row["cells"]] == names


def test_a_damaged_cache_file_is_a_warning_and_the_run_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = tmp_path / "portfolio.sqlite3"
    damaged.write_bytes(b"this is not a database, it was overwritten\n" * 100)
    before = damaged.read_bytes()
    code, text, err = _portfolio(
        [str(EXAMPLES[0]), "--format", "json", "--cache", str(tmp_path)], capsys
    )
    assert code == 0
    assert len(json.loads(text)["contexts"]) == 1
    assert err.startswith(f"toc: warning: the cache file '{damaged}' is damaged (")
    assert (
        "scoring every programme without it. Delete that file, or pass --no-cache, to"
        " silence this warning.\n"
    ) in err
    assert damaged.read_bytes() == before


def test_a_changed_configuration_above_the_folder_means_a_rescore(tmp_path: Path) -> None:
    import shutil

    from toc_engine.formats.portfolio.cache import Cache, content_key
    from toc_engine.formats.portfolio.run import assess_all

    (tmp_path / ".git").mkdir()  # the configuration search stops here
    folder = tmp_path / "programmes" / "kosovo"
    shutil.copytree(EXAMPLES[0], folder)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.toc-engine]\nignore = []\n", encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    first = assess_all([folder], jobs=1, cache=cache)
    again = assess_all([folder], jobs=1, cache=cache)
    assert len(first.scored) == 1 and again.scored == [] and again.cached == 1
    key = content_key(folder)
    pyproject.write_text(
        '[tool.toc-engine]\nignore = [{code = "TOC205", reason = "reviewed"}]\n',
        encoding="utf-8",
    )
    assert content_key(folder) != key
    third = assess_all([folder], jobs=1, cache=cache)
    cache.close()
    assert third.scored == [str(folder)] and third.cached == 0


def test_a_programme_that_could_not_be_scored_is_tried_again_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toc_engine.formats.portfolio import run as portfolio_run
    from toc_engine.formats.portfolio.cache import Cache, content_key
    from toc_engine.formats.report import inputs

    def crash(folder: str) -> object:
        raise MemoryError("worker ran out of memory")

    cache = Cache(tmp_path)
    with monkeypatch.context() as patch:
        patch.setattr(inputs, "prepare", crash)
        crashed = portfolio_run.assess_all([EXAMPLES[0]], jobs=1, cache=cache)
    assert crashed.refused[0].first_error == "could not be scored: worker ran out of memory"
    assert cache.get(content_key(EXAMPLES[0])) is None
    again = portfolio_run.assess_all([EXAMPLES[0]], jobs=1, cache=cache)
    cache.close()
    assert again.scored == [str(EXAMPLES[0])] and again.refused == []
    assert len(again.judgements) == 1


@pytest.mark.parametrize("paths", [EXAMPLES[:1], EXAMPLES])
def test_every_markdown_heading_follows_a_blank_line(
    paths: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, _err = _portfolio([*map(str, paths), "--format", "md", "--no-cache"], capsys)
    assert code == 0
    lines = text.splitlines()
    headings = [i for i, line in enumerate(lines) if line.startswith("#")]
    assert len(headings) >= 7
    assert headings[0] == 0
    assert [lines[i] for i in headings[1:] if lines[i - 1] != ""] == []
