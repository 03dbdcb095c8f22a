"""`toc import logframe`: donors' logframe workbooks to programmes that validate and score
like the originals; ambiguous cells become comments and findings; hostile workbooks are
refused or read safely."""

from __future__ import annotations

import io
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

import toc_engine
from toc_engine.cli import run

sys.path.insert(0, str(Path(__file__).parent))
from logframe_books import eu_kosovo, fcdo_bangladesh, scored

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/programme.yaml"))


def _toc(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return run(list(argv), out), out.getvalue()


def _import(book: Path, folder: Path, *extra: str,
            capsys: pytest.CaptureFixture[str] | None = None) -> tuple[int, str, str]:
    code, out = _toc("import", "logframe", str(book), "-o", str(folder), *extra)
    err = capsys.readouterr().err if capsys is not None else ""
    return code, out, err


def _valid(folder: Path) -> None:
    report = toc_engine.validate(folder / "programme.yaml")
    assert not [d for d in report.diagnostics if d.severity.name == "ERROR"], [
        f"{d.span} {d.code} {d.message}" for d in report.diagnostics
        if d.severity.name == "ERROR"]


def _bands_by_statement(data: dict) -> dict[str, str]:
    return {r["statement"]: r["delivery"]["band"] for r in data["results"]}


def test_kosovo_eu_matrix_imports_and_scores_like_the_original(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = ROOT / "examples" / "kosovo"
    book = eu_kosovo(example, tmp_path / "kosovo.xlsx", ambiguous="distrust-judiciary")
    code, out, err = _import(book, tmp_path / "k", capsys=capsys)
    assert code == 1  # imported, with findings to look at
    assert "recognised: EU Logical Framework Matrix on sheet 'Logframe' (row 3)" in out
    _valid(tmp_path / "k")
    text = (tmp_path / "k" / "programme.yaml").read_text(encoding="utf-8")
    assert '# Logframe!D5: "approx. 22.3%" (baseline, not read)' in text
    assert "Logframe!D5: baseline 'approx. 22.3%' is not a number" in err and "TOC708" in err
    assert ("hint: write a number in Logframe!D5 (40, 40%, or with its year: '40% (2016)') "
            "and import again, or write `baseline: {period: 2012, value: 40}` under the "
            "indicator in programme.yaml, where the comment names Logframe!D5") in err
    # a placeholder for what the matrix does not say names its cell, and what to write
    assert "unit: count   # Logframe!C7: no unit in the workbook; write what is counted" in text
    assert "indicator 'mcscs-that-held-the-six-meetings' with what one counts" in err
    assert "direction: increase   # Logframe!C11: no direction in the workbook; write " \
        "increase, decrease or maintain" in text
    assert "direction: decrease   # from the baseline (Logframe!D9) and the target " \
        "(Logframe!G9): check" in text
    assert "assessed_at: 2013-06-30" in text
    assert "  title: Community safety and security policy in Kosovo\n" in text
    original = scored(example)
    imported = scored(tmp_path / "k")
    ordinal = {r["statement"] for r in original["results"]
               if any(i["measure"] == "ordinal" for i in r["indicators"])}
    ambiguous = {r["statement"] for r in original["results"]
                 if any(i["id"] == "distrust-judiciary" for i in r["indicators"])}
    before, after = _bands_by_statement(original), _bands_by_statement(imported)
    assert set(after) == set(before)
    # an EU matrix carries no ordinal scale, and one baseline was written in words
    compared = set(before) - ordinal - ambiguous
    assert len(compared) >= 12
    assert {s: after[s] for s in compared} == {s: before[s] for s in compared}
    # EU numbering (Output 1.1 relating to Outcome 1) gives each output and activity the
    # first link of the original; outcomes relate to the one impact
    ids = {r["statement"]: r["id"] for r in original["results"]}
    back = {r["id"]: r["statement"] for r in imported["results"]}
    level = {r["id"]: r["level"] for r in imported["results"]}
    old_links = {(link["from"], link["to"]) for link in original["links"]}
    numbered = [link for link in imported["links"]
                if level[link["from"]] in ("output", "activity")]
    assert len(numbered) >= 8
    for link in numbered:
        assert (ids[back[link["from"]]], ids[back[link["to"]]]) in old_links
    assert all(level[link["to"]] == "impact" for link in imported["links"]
               if level[link["from"]] == "outcome")


def test_bangladesh_fcdo_logframe_imports_and_scores_like_the_original(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = ROOT / "examples" / "bangladesh"
    book = fcdo_bangladesh(example, tmp_path / "bangladesh.xlsx")
    code, out, err = _import(book, tmp_path / "b", "--id", "bangladesh", capsys=capsys)
    assert code == 1
    assert "recognised: FCDO/DFID logframe" in out
    _valid(tmp_path / "b")
    text = (tmp_path / "b" / "programme.yaml").read_text(encoding="utf-8")
    assert "  id: bangladesh\n" in text
    assert "  title: Community security in Kishoreganj and Kamrangirchar\n" in text
    assert "risk rating: Medium" in text
    assert (tmp_path / "b" / "data" / "observations.csv").read_text().startswith(
        "indicator,period,value\n")
    assert "which outcome 'OUTPUT 1' relates to" in err  # several outcomes: not guessed
    original = scored(example)
    imported = scored(tmp_path / "b")
    before, after = _bands_by_statement(original), _bands_by_statement(imported)
    assert len(after) == 13 and set(after) <= set(before)  # no activities in an FCDO logframe
    assert after == {s: before[s] for s in after}
    weights = {r["statement"]: r["weight"] for r in imported["results"] if r["level"] == "output"}
    assert sum(weights.values()) == pytest.approx(100)


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("layout", ["eu", "fcdo"])
def test_exported_workbook_imports_back(name: str, layout: str, tmp_path: Path) -> None:
    example = ROOT / "examples" / name
    book = tmp_path / "scored.xlsx"
    assert _toc("export", "xlsx", str(example), "-o", str(book), "--layout", layout)[0] == 0
    code, _, _ = _import(book, tmp_path / "p")
    assert code in (0, 1)
    _valid(tmp_path / "p")
    original, imported = scored(example), scored(tmp_path / "p")
    assert {r["id"]: (r["level"], r["delivery"]["band"]) for r in imported["results"]} == {
        r["id"]: (r["level"], r["delivery"]["band"]) for r in original["results"]}
    assert {(link["from"], link["to"]) for link in imported["links"]} == {
        (link["from"], link["to"]) for link in original["links"]}
    actual = {i["id"]: i["actual"] and (i["actual"]["value"], i["actual"]["period"])
              for r in original["results"] for i in r["indicators"]}
    assert {i["id"]: i["actual"] and (i["actual"]["value"], i["actual"]["period"])
            for r in imported["results"] for i in r["indicators"]} == actual


def test_refuses_to_overwrite_a_programme(tmp_path: Path) -> None:
    book = tmp_path / "s.xlsx"
    _toc("export", "xlsx", str(ROOT / "examples" / "nepal"), "-o", str(book))
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "programme.yaml").write_text("keep", encoding="utf-8")
    assert _import(book, tmp_path / "p")[0] == 2
    assert (tmp_path / "p" / "programme.yaml").read_text(encoding="utf-8") == "keep"
    assert _import(book, tmp_path / "p", "--force")[0] in (0, 1)
    _valid(tmp_path / "p")


def test_import_writes_only_the_programme_and_leaves_the_workbook(tmp_path: Path) -> None:
    book = tmp_path / "in" / "s.xlsx"
    book.parent.mkdir()
    _toc("export", "xlsx", str(ROOT / "examples" / "kosovo"), "-o", str(book))
    before = (book.read_bytes(), book.stat().st_mtime_ns)
    assert _import(book, tmp_path / "out")[0] in (0, 1)
    assert (book.read_bytes(), book.stat().st_mtime_ns) == before
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "in", "in/s.xlsx", "out", "out/data", "out/data/observations.csv",
        "out/programme.yaml"]


def _donor_book(path: Path, rows: list[list[object]], header: list[str],
                hidden: bool = False) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if hidden:
        book.create_sheet("Old version").sheet_state = "hidden"
    book.save(path)
    return path


SMALL_HEADER = ["Level", "Description", "Indicator", "Baseline", "Target", "Source"]
SMALL_ROWS: list[list[object]] = [
    ["Goal", "Villages are safer", "Residents who feel safe", "38% (2011)", "60% by 2013",
     "Survey"],
    ["Purpose 1", "Working groups act on community priorities", "Plans carried out",
     "0 (2011)", "at least half", "Working-group minutes"],
    ["Output 1.1", "Working groups are trained", "Members trained", "2011: 0", "2012: 90",
     "Attendance sheets"],
    ["Workstream A", "Radio shows are aired", "Shows aired", "0 (2011)", "20 (2012)", "Logs"],
]


def test_values_are_read_or_left_as_comments(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    book = _donor_book(tmp_path / "b.xlsx", SMALL_ROWS, SMALL_HEADER)
    code, out, err = _import(book, tmp_path / "p", capsys=capsys)
    assert code == 1 and "EU Logical Framework Matrix" in out
    text = (tmp_path / "p" / "programme.yaml").read_text(encoding="utf-8")
    assert "baseline: {period: 2011, value: 38}" in text
    assert "- {period: 2013, value: 60}" in text and "measure: percentage" in text
    assert "- {period: 2012, value: 90}" in text
    assert '# Results!E3: "at least half" (target, not read)' in text
    assert "Results!E3: target 'at least half' is not a number" in err
    assert "to: villages-are-safer" in text and "to: working-groups-act-on-community" in text
    assert "Radio shows" not in text  # an unknown level label is not guessed at
    assert "Results!A5: 'Workstream A' names no level" in err
    _valid(tmp_path / "p")


def test_units_the_engine_does_not_know_are_declared(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = ["Level", "Description", "Indicator", "Unit", "Baseline", "Target"]
    rows: list[list[object]] = [
        ["Goal", "Villages are safer", "Savings per household", "taka", "0 (2011)",
         "500 (2013)"],
        ["Purpose 1", "Groups act on priorities", "Meetings held", "meeting", "0 (2011)",
         "12 (2013)"],
        ["Output 1.1", "Groups are trained", "Loans given", "taka", "0 (2011)", "90 (2012)"],
    ]
    book = _donor_book(tmp_path / "b.xlsx", rows, header)
    code, _out, err = _import(book, tmp_path / "p", capsys=capsys)
    assert code == 1
    text = (tmp_path / "p" / "programme.yaml").read_text(encoding="utf-8")
    assert "units:   # declared by the import as counts of their own: check\n" \
        "  - taka = [taka]\n" in text
    assert "meeting = " not in text
    assert "unit(s) taka are not known to the engine" in err
    _valid(tmp_path / "p")


def test_a_map_file_reads_any_layout(tmp_path: Path) -> None:
    header = ["Tier", "What", "KPI", "Start value", "Start year", "Goal value", "Goal year"]
    rows: list[list[object]] = [
        ["Impact", "Villages are safer", "Residents who feel safe", 0.38, 2011, 0.6, 2013],
        ["Outcome", "Groups act on priorities", "Plans carried out", 0, 2011, 12, 2013],
    ]
    book = _donor_book(tmp_path / "b.xlsx", rows, header)
    from openpyxl import load_workbook

    wb = load_workbook(book)
    for cell in ("D2", "F2"):
        wb["Results"][cell].number_format = "0%"
    wb.save(book)
    assert _import(book, tmp_path / "unmapped")[0] == 2  # no known layout
    (tmp_path / "map.yaml").write_text(
        "sheet: Results\nheader_row: 1\ncolumns:\n  chain: A\n  statement: What\n"
        "  indicator: C\n  baseline: D\n  baseline year: E\n  target: F\n  target year: G\n"
        "levels: {tier: output}\n", encoding="utf-8")
    code, out, _ = _import(book, tmp_path / "p", "--map", str(tmp_path / "map.yaml"))
    assert code == 1 and "the layout of the map file" in out
    text = (tmp_path / "p" / "programme.yaml").read_text(encoding="utf-8")
    assert "baseline: {period: 2011, value: 38}" in text and "value: 60}" in text
    assert "level: impact" in text and "level: outcome" in text
    _valid(tmp_path / "p")
    (tmp_path / "bad.yaml").write_text("columns: {indicater: C}\n", encoding="utf-8")
    assert _import(book, tmp_path / "q", "--map", str(tmp_path / "bad.yaml"))[0] == 2


def _with_members(source: Path, target: Path, extra: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w",
                                                        zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename not in extra:
                new.writestr(item, old.read(item.filename))
        for name, data in extra.items():
            new.writestr(name, data)
    return target


def test_hostile_workbooks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = _donor_book(tmp_path / "plain.xlsx", SMALL_ROWS, SMALL_HEADER, hidden=True)
    # not a workbook at all
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0 an old binary workbook")
    code, _, err = _import(tmp_path / "old.xls", tmp_path / "a", capsys=capsys)
    assert code == 2 and "TOC701" in err and "save it from Excel" in err
    assert not (tmp_path / "a").exists()
    # a zip bomb: refused by its declared sizes, before anything is unpacked
    bomb = _with_members(plain, tmp_path / "bomb.xlsx", {"xl/media/big.bin": bytes(8 << 20)})
    code, _, err = _import(bomb, tmp_path / "b", capsys=capsys)
    assert code == 2 and "TOC702" in err
    # macros, external links, a hidden sheet: read, and said so
    odd = _with_members(plain, tmp_path / "odd.xlsx", {
        "xl/vbaProject.bin": b"not run", "xl/externalLinks/externalLink1.xml": b"<x/>"})
    code, _, err = _import(odd, tmp_path / "c", capsys=capsys)
    assert code == 1
    assert {"TOC703", "TOC704", "TOC705"} <= {w for w in err.split() if w.startswith("TOC")}
    _valid(tmp_path / "c")
    # formulas instead of values
    rows = [list(r) for r in SMALL_ROWS]
    rows[2][4] = "=40+50"
    formulas = _donor_book(tmp_path / "f.xlsx", rows, SMALL_HEADER)
    code, _, err = _import(formulas, tmp_path / "d", capsys=capsys)
    assert code == 1 and "TOC707" in err and "had none (first Results!E4)" in err


def test_a_million_row_sheet_is_cut_not_read(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    plain = _donor_book(tmp_path / "plain.xlsx", SMALL_ROWS, SMALL_HEADER)
    with zipfile.ZipFile(plain) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'
                   for n in range(5, 1_000_001))
    sheet = sheet.replace("</sheetData>", rows + "</sheetData>")
    sheet = sheet.replace('<dimension ref="A1:F4"/>', '<dimension ref="A1:F1000000"/>')
    huge = _with_members(plain, tmp_path / "huge.xlsx",
                         {"xl/worksheets/sheet1.xml": sheet.encode()})
    started = time.monotonic()
    code, _, err = _import(huge, tmp_path / "p", "--max-rows", "200", capsys=capsys)
    assert time.monotonic() - started < 60
    assert code == 1 and "TOC706" in err and "more than 200 rows" in err
    _valid(tmp_path / "p")


def test_a_merged_value_cell_is_read_for_every_row_it_covers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Merged cells are layout: a baseline merged over two indicators' rows is each one's
    (the merged ranges come from the sheet's own part of the workbook)."""
    from workbook_examples import imported

    from toc_engine.findings.examples import LOGFRAME

    monkeypatch.chdir(tmp_path)
    example = LOGFRAME.replace(
        cells={"Logframe!C4": "Residents attending the meetings", "Logframe!D4": "person",
               "Logframe!G4": 40, "Logframe!H4": 2013},
        merged=("Logframe!A3:A4", "Logframe!B3:B4", "Logframe!E3:E4", "Logframe!F3:F4"))
    findings, folder = imported(example, tmp_path)
    assert not findings, [d.message for d in findings]
    text = (folder / "programme.yaml").read_text(encoding="utf-8")
    assert text.count("baseline: {period: 2011, value: 0}") == 2, text


def _fcdo_book(path: Path, blocks: list[tuple[str, str, str]], column: str = "") -> Path:
    """A small FCDO logframe: (label, statement, what the `column` header names) a block."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Logframe"
    row = 1
    for n, (label, statement, linked) in enumerate(blocks):
        heads = [label, "Indicator", "", "Baseline", "Target", *([column] if column else [])]
        for col, name in enumerate(heads, start=1):
            sheet.cell(row=row, column=col, value=name)
        sheet.cell(row=row + 1, column=1, value=statement)
        sheet.cell(row=row + 1, column=2, value=f"Indicator {n + 1}")
        for offset, line in enumerate(("Planned", "Achieved", "Source")):
            sheet.cell(row=row + 1 + offset, column=3, value=line)
        sheet.cell(row=row + 1, column=4, value="10 (2011)")
        sheet.cell(row=row + 1, column=5, value="20 (2013)")
        sheet.cell(row=row + 3, column=4, value="Monitoring records")
        if column and linked:
            sheet.cell(row=row + 1, column=6, value=linked)
        row += 5
    book.save(path)
    return path


def _fcdo_links(tmp_path: Path, blocks: list[tuple[str, str, str]], column: str = ""
                ) -> tuple[dict[str, str], str]:
    book = _fcdo_book(tmp_path / "fcdo.xlsx", blocks, column)
    _code, _out, _err = _import(book, tmp_path / "p")
    text = (tmp_path / "p" / "programme.yaml").read_text(encoding="utf-8")
    programme = toc_engine.load(tmp_path / "p" / "programme.yaml").programme
    statement = {r.id: r.statement for r in programme.results}
    links = {statement[r.id]: statement[link.to] for r in programme.results
             for link in r.contributes_to}
    return links, text


IMPACT = ("IMPACT", "Fewer violent incidents", "")


def test_fcdo_outputs_listed_under_their_outcome_are_linked_to_it(tmp_path: Path) -> None:
    links, _ = _fcdo_links(tmp_path, [
        IMPACT, ("OUTCOME 1", "Police respond", ""), ("OUTPUT 1", "Patrols run", ""),
        ("OUTPUT 2", "Officers trained", ""), ("OUTCOME 2", "Women report", ""),
        ("OUTPUT 3", "Help desks open", "")])
    assert links == {"Police respond": "Fewer violent incidents",
                     "Women report": "Fewer violent incidents",
                     "Patrols run": "Police respond", "Officers trained": "Police respond",
                     "Help desks open": "Women report"}


def test_fcdo_output_numbering_names_the_outcome(tmp_path: Path) -> None:
    links, _ = _fcdo_links(tmp_path, [
        IMPACT, ("OUTCOME 1", "Police respond", ""), ("OUTCOME 2", "Women report", ""),
        ("OUTPUT 2.1", "Help desks open", ""), ("OUTPUT 1.1", "Patrols run", "")])
    assert links["Help desks open"] == "Women report"
    assert links["Patrols run"] == "Police respond"


def test_an_fcdo_contributes_to_column_names_the_outcome(tmp_path: Path) -> None:
    links, _ = _fcdo_links(tmp_path, [
        IMPACT, ("OUTCOME 1", "Police respond", ""), ("OUTCOME 2", "Women report", ""),
        ("OUTPUT 1", "Help desks open", "Outcome 2"), ("OUTPUT 2", "Patrols run", "1")],
        column="Outcome")
    assert links["Help desks open"] == "Women report"
    assert links["Patrols run"] == "Police respond"


def test_fcdo_outputs_after_all_outcomes_are_not_guessed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    links, _text = _fcdo_links(tmp_path, [
        IMPACT, ("OUTCOME 1", "Police respond", ""), ("OUTCOME 2", "Women report", ""),
        ("OUTPUT 1", "Patrols run", ""), ("OUTPUT 2", "Help desks open", "")])
    assert "Patrols run" not in links and "Help desks open" not in links
    err = capsys.readouterr().err
    assert ("fcdo.xlsx:17:1: warning TOC710 not-in-workbook: Logframe!A17: the workbook does "
            "not say which outcome 'OUTPUT 1' relates to; it was linked to none") in err
    assert ("hint: in programme.yaml, add to 'patrols-run' `contributes_to: [{to: ID}]` with "
            "the id of its outcome (police-respond, women-report); or, in the workbook, "
            "number the block under its outcome (e.g. OUTPUT 2.1 for OUTCOME 2)") in err
