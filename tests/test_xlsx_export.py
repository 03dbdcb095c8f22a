"""`toc export xlsx`: a workbook whose numbers are the score's, safe and reproducible."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

import toc_engine
from toc_engine.cli import run
from toc_engine.formats.report.palette import BAND_COLOURS

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import tiny

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/programme.yaml"))
SHEETS = ["Logframe", "Indicators", "Links", "Evidence", "About"]


def _toc(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return run(list(argv), out), out.getvalue()


def _score(path: Path, *extra: str) -> dict:
    code, text = _toc("score", str(path), "--format", "json", *extra)
    assert code == 0
    return json.loads(text)


def _export(path: Path, out: Path, *extra: str) -> Path:
    code, _ = _toc("export", "xlsx", str(path), "-o", str(out), *extra)
    assert code == 0
    return out


def _eu_rows(book_path: Path) -> list[dict[str, object]]:
    sheet = load_workbook(book_path)["Logframe"]
    rows = list(sheet.iter_rows(values_only=True))
    names = rows[2]
    return [dict(zip(names, row, strict=True)) for row in rows[3:]]


def _indicators(data: dict) -> dict[str, dict]:
    return {i["id"]: i for r in data["results"] for i in r["indicators"]}


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("layout", ["eu", "fcdo"])
def test_same_input_same_bytes(name: str, layout: str, tmp_path: Path) -> None:
    first = _export(ROOT / "examples" / name, tmp_path / "a.xlsx", "--layout", layout)
    second = _export(ROOT / "examples" / name, tmp_path / "b.xlsx", "--layout", layout)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assessed = _score(ROOT / "examples" / name)["assessed_at"]
    assert core.count(f"{assessed}T00:00:00Z") == 2  # created and modified


@pytest.mark.parametrize("name", EXAMPLES)
def test_logframe_numbers_are_the_scores(name: str, tmp_path: Path) -> None:
    data = _score(ROOT / "examples" / name)
    scored = _indicators(data)
    programme = toc_engine.load(ROOT / "examples" / name / "programme.yaml").programme
    scales = {i.id: i.scale for _, i in programme.indicators()}
    rows = [r for r in _eu_rows(_export(ROOT / "examples" / name, tmp_path / "s.xlsx"))
            if r["Indicator id"]]
    assert {r["Indicator id"] for r in rows} == set(scored)
    for row in rows:
        ind = scored[row["Indicator id"]]
        scale = 100 if ind["measure"] == "percentage" else 1
        if ind["actual"] is None:
            assert row["Current value"] is None
        elif ind["measure"] == "ordinal":  # the step the score counts, named on its scale
            assert row["Current value"] == scales[ind["id"]][int(ind["actual"]["value"])]
        elif isinstance(ind["actual"]["value"], float | int):
            assert row["Current value"] * scale == pytest.approx(ind["actual"]["value"])
            assert str(row["Current value year"]) == ind["actual"]["period"]
        if ind["progress"] is None:
            assert row["% of target"] is None
        else:
            assert row["% of target"] == pytest.approx(ind["progress"])


def test_every_sheet_is_there_with_frozen_headers(tmp_path: Path) -> None:
    book = load_workbook(_export(ROOT / "examples" / "bangladesh", tmp_path / "s.xlsx"))
    assert book.sheetnames == SHEETS
    assert book["Logframe"].freeze_panes == "A4"
    for name in SHEETS[1:]:
        assert book[name].freeze_panes == "A2"
        assert book[name].column_dimensions["A"].width >= 6
    fcdo = load_workbook(_export(ROOT / "examples" / "bangladesh", tmp_path / "f.xlsx",
                                 "--layout", "fcdo"))
    assert fcdo["Logframe"]["A3"].value == "IMPACT"
    assert fcdo["Logframe"].merged_cells.ranges  # statements span their indicator rows


def test_numbers_are_numbers_with_formats_and_dates_are_dates(tmp_path: Path) -> None:
    book = load_workbook(_export(ROOT / "examples" / "kosovo", tmp_path / "s.xlsx"))
    sheet = book["Logframe"]
    names = [c.value for c in sheet[3]]
    current, scale = names.index("Current value") + 1, names.index("Scale") + 1
    cells = [sheet.cell(row=r, column=current) for r in range(4, sheet.max_row + 1)
             if not sheet.cell(row=r, column=scale).value]  # ordinal values are named
    numbers = [c for c in cells if c.value is not None]
    assert numbers and all(isinstance(c.value, int | float) for c in numbers)
    assert all(c.number_format != "General" for c in numbers)
    about = {row[0].value: row[1] for row in book["About"].iter_rows(min_row=2)}
    assert about["Assessed at"].is_date
    # Kosovo is assessed on 2013-03-31, before its 2013 targets fall due (scoring.md §7)
    interim = about["Interim results"].value
    assert interim.startswith("3 of 17 result(s) are interim") and "mcsc-functioning" in interim
    assert "in progress, not failed" in interim


def test_band_colours_match_the_report(tmp_path: Path) -> None:
    data = _score(ROOT / "examples" / "kosovo")
    bands = {r["id"]: r["delivery"]["band"] for r in data["results"]}
    sheet = load_workbook(_export(ROOT / "examples" / "kosovo", tmp_path / "s.xlsx"))["Logframe"]
    names = [c.value for c in sheet[3]]
    band_col, id_col = names.index("Band") + 1, names.index("Result id") + 1
    seen = 0
    for r in range(4, sheet.max_row + 1):
        result = sheet.cell(row=r, column=id_col).value
        if result:
            fill = sheet.cell(row=r, column=band_col).fill.fgColor.rgb
            assert fill[-6:].lower() == BAND_COLOURS[bands[result]].lstrip("#").lower()
            seen += 1
    assert seen == len(bands)


def test_formula_looking_text_is_stored_as_text(tmp_path: Path) -> None:
    path = tiny(tmp_path, statement="=HYPERLINK(\\\"http://x\\\",\\\"click\\\")")
    out = _export(path, tmp_path / "s.xlsx")
    with zipfile.ZipFile(out) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)
    sheet = load_workbook(out)["Logframe"]
    statements = [sheet.cell(row=r, column=2) for r in range(4, sheet.max_row + 1)]
    hostile = [c for c in statements if str(c.value).startswith("=HYPERLINK")]
    assert hostile and all(c.data_type == "s" for c in hostile)


def test_sensitive_text_is_withheld_unless_asked(tmp_path: Path) -> None:
    example = ROOT / "examples" / "bangladesh"
    full = _score(example, "--include-sensitive")
    secret = [c["summary"] for r in full["results"] for c in r["claims"]
              if c["sensitive"] and c["summary"]]
    assert secret

    def text_of(path: Path) -> str:
        book = load_workbook(path)
        return "\n".join(str(c.value) for s in book for row in s.iter_rows() for c in row
                         if c.value is not None)

    withheld = text_of(_export(example, tmp_path / "w.xlsx"))
    assert not any(s in withheld for s in secret)
    assert "[withheld: sensitive evidence]" in withheld
    shown = text_of(_export(example, tmp_path / "i.xlsx", "--include-sensitive"))
    assert all(s in shown for s in secret)


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    out.write_bytes(b"keep me")
    code, _ = _toc("export", "xlsx", str(ROOT / "examples" / "nepal"), "-o", str(out))
    assert code == 2 and out.read_bytes() == b"keep me"
    code, _ = _toc("export", "xlsx", str(ROOT / "examples" / "nepal"), "-o", str(out),
                   "--force")
    assert code == 0 and zipfile.is_zipfile(out)
    code, _ = _toc("export", "xlsx", str(ROOT / "examples" / "nepal"), "-o", "x.csv")
    assert code == 2


def test_toc_help_does_not_import_openpyxl() -> None:
    done = subprocess.run(
        [sys.executable, "-c",
         "import runpy, sys\n"
         "sys.argv = ['toc', '--help']\n"
         "try:\n"
         "    runpy.run_module('toc_engine', run_name='__main__')\n"
         "except SystemExit:\n"
         "    pass\n"
         "print('openpyxl' in sys.modules)\n"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"


def _as_number(text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    percent = text.endswith("%")
    try:
        number = float(text.rstrip("%").replace(",", ""))
    except ValueError:
        return None
    return number / 100 if percent else number


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: apt install "
                    "libreoffice-calc --no-install-recommends")
def test_libreoffice_opens_it_and_reads_the_scores(tmp_path: Path) -> None:
    example = ROOT / "examples" / "kosovo"
    out = _export(example, tmp_path / "scored.xlsx")
    done = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
         str(tmp_path / "csv"), str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    converted = tmp_path / "csv" / "scored.csv"
    assert done.returncode == 0 and converted.exists(), done.stderr
    rows = list(csv.reader(converted.read_text(encoding="utf-8").splitlines()))
    names = rows[2]
    scored = _indicators(_score(example))
    checked = 0
    for row in rows[3:]:
        cells = dict(zip(names, row, strict=False))
        ind = scored.get(cells.get("Indicator id", ""))
        if ind is None or ind["actual"] is None or ind["measure"] == "ordinal":
            continue
        scale = 100 if ind["measure"] == "percentage" else 1
        value = _as_number(cells["Current value"])
        assert value is not None and value * scale == pytest.approx(
            ind["actual"]["value"], rel=1e-3), cells
        assert re.sub(r"\.0$", "", cells["Current value year"]) == ind["actual"]["period"]
        checked += 1
    assert checked == sum(1 for i in scored.values()
                          if i["actual"] is not None and i["measure"] != "ordinal")
