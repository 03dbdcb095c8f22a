"""HTML, Markdown, IATI, PIRS, CSV and community outputs: content, safety, determinism."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from toc_engine.cli import run
from toc_engine.formats.report.inputs import prepare

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import tiny

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT.parent / "shared" / "iati-2.03" / "iati-activities-schema.xsd"
GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/programme.yaml"))
UPDATE = bool(os.environ.get("TOC_UPDATE_GOLDEN"))


def _toc(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return run(list(argv), out), out.getvalue()


def test_html_escapes_user_text(tmp_path: Path) -> None:
    path = tiny(tmp_path, statement="<script>alert(1)</script> & more")
    code, _ = _toc("report", str(path), "-o", str(tmp_path / "r.html"))
    assert code == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    for external in ('src="http', "href=\"http", "<link", "@import", "url(http"):
        assert external not in page  # no network: nothing to fetch


def test_html_content_and_determinism(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    for name in ("a.html", "b.html"):
        assert _toc("report", str(path), "-o", str(tmp_path / name))[0] == 0
    first = (tmp_path / "a.html").read_bytes()
    assert first == (tmp_path / "b.html").read_bytes()
    page = first.decode()
    assert page.count('class="toc-figure"') == 1
    assert page.count('class="indicator-chart"') == 2  # the qualitative one has no chart
    assert "revised 2011-09-01 from 200: Toilets cost more than planned" in page
    assert "Delivery roll-up" in page and "Design score" in page and "Diagnostics" in page
    assert "TOC207" in page  # the full diagnostics
    assert "SECRET" not in page  # sensitive evidence withheld
    assert "[withheld: sensitive evidence]" in page


def test_max_charts_caps_the_indicator_charts(tmp_path: Path) -> None:
    from toc_engine.cli import report_commands as cli_commands
    from toc_engine.formats.report import document

    assert cli_commands.DEFAULT_MAX_CHARTS == document.DEFAULT_MAX_CHARTS
    path = tiny(tmp_path)
    assert _toc("report", str(path), "--max-charts", "1", "-o", str(tmp_path / "one.html"))[0] == 0
    page = (tmp_path / "one.html").read_text(encoding="utf-8")
    assert page.count('class="indicator-chart"') == 1
    assert "Charts are drawn for the first 1 of 2 indicators (--max-charts 1)" in page
    assert _toc("report", str(path), "--max-charts", "2", "-o", str(tmp_path / "two.html"))[0] == 0
    page = (tmp_path / "two.html").read_text(encoding="utf-8")
    assert page.count('class="indicator-chart"') == 2  # every chart fits: no note
    assert "Charts are drawn for the first" not in page
    assert _toc("report", str(path), "--max-charts", "0", "-o", str(tmp_path / "none.html"))[0] == 0
    page = (tmp_path / "none.html").read_text(encoding="utf-8")
    assert page.count('class="indicator-chart"') == 0
    assert "No indicator charts are drawn (2 could be) (--max-charts 0)" in page
    assert _toc("report", str(path), "--max-charts", "-1", "-o", str(tmp_path / "x.html"))[0] == 2


def test_a_huge_theory_is_not_drawn_inside_the_report(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from toc_engine.formats.report import document

    monkeypatch.setattr(document, "MAX_GRAPH_RESULTS", 1)
    path = tiny(tmp_path)
    assert _toc("report", str(path), "-o", str(tmp_path / "r.html"))[0] == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count('class="toc-figure"') == 0
    assert "too many to draw legibly inside the report (at most 1); `toc graph` draws it" in page


def test_include_sensitive_says_so_at_the_top(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    _toc("report", str(path), "-o", str(tmp_path / "r.html"), "--include-sensitive")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "SECRET-SUMMARY" in page and "SECRET-QUOTE" in page
    body = page.split("<body>", 1)[1]
    assert body.lstrip().startswith('<p class="banner"')
    _toc("report", str(path), "-o", str(tmp_path / "r.md"), "--include-sensitive")
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("> **SENSITIVE")


def test_markdown_has_same_content_and_figures(tmp_path: Path) -> None:
    path = tiny(tmp_path, statement="<b>bold</b> | pipe")
    code, text = _toc("report", str(path), "-o", str(tmp_path / "r.md"))
    assert code == 0, text
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    figures = sorted(p.name for p in (tmp_path / "r_files").iterdir())
    assert figures == ["chart-feel-safe.svg", "chart-toilets-built.svg", "toc.svg"]
    for name in figures:
        assert f"(r_files/{name})" in md
    assert "<b>" not in md and "\\<b\\>" in md
    assert "SECRET" not in md
    assert "revised 2011-09-01 from 200" in md


def test_markdown_png_figures(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    assert _toc("report", str(path), "-o", str(tmp_path / "r.md"), "--figures", "png")[0] == 0
    assert (tmp_path / "r_files" / "toc.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("country", EXAMPLES)
def test_markdown_golden(country: str, tmp_path: Path) -> None:
    out = tmp_path / f"{country}.md"
    code, _ = _toc("report", f"examples/{country}/programme.yaml", "-o", str(out))
    assert code == 0
    golden = GOLDEN / f"report-{country}.md"
    text = out.read_text(encoding="utf-8").replace(f"{country}_files/", "FIGURES/")
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden.name} missing: run with TOC_UPDATE_GOLDEN=1 and review it"
    assert text == golden.read_text(encoding="utf-8"), "rerun with TOC_UPDATE_GOLDEN=1"


@pytest.mark.parametrize("country", EXAMPLES)
def test_iati_golden_and_schema(country: str) -> None:
    xmlschema = pytest.importorskip("xmlschema")
    if not SCHEMA.exists():
        pytest.skip(f"IATI schema not found at {SCHEMA}")
    code, activity = _toc("export", "iati", f"examples/{country}/programme.yaml")
    assert code == 0
    golden = GOLDEN / f"iati-{country}.xml"
    if UPDATE:
        golden.write_text(activity, encoding="utf-8")
    assert golden.exists(), f"{golden.name} missing: run with TOC_UPDATE_GOLDEN=1 and review it"
    assert activity == golden.read_text(encoding="utf-8"), "rerun with TOC_UPDATE_GOLDEN=1"
    schema = xmlschema.XMLSchema(str(SCHEMA))
    schema.validate(activity)
    assert _toc("export", "iati", "--activity", f"examples/{country}/programme.yaml") == (
        0, activity)
    # The fragment is exactly what the activity carries.
    code, fragment = _toc("export", "iati", "--fragment", f"examples/{country}/programme.yaml")
    assert code == 0 and fragment.strip().splitlines()[0].strip() in activity


def test_iati_rules_for_qualitative_and_revisions(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    xmlschema = pytest.importorskip("xmlschema")
    path = tiny(tmp_path)
    code, activity = _toc("export", "iati", "--activity", str(path))
    assert code == 0
    if SCHEMA.exists():  # the structural checks below run either way
        xmlschema.XMLSchema(str(SCHEMA)).validate(activity)
    root = ET.fromstring(activity.encode())
    indicators = {i.find("reference").get("code"): i  # type: ignore[union-attr]
                  for i in root.iter("indicator")}
    story = indicators["story"]
    assert story.get("measure") == "5" and story.get("ascending") is None
    assert all(e.get("value") is None for e in story.iter() if e.tag in (
        "baseline", "target", "actual"))
    toilets = indicators["toilets-built"]
    assert toilets.get("measure") == "1" and toilets.get("ascending") == "1"
    target = next(toilets.iter("target"))
    assert target.get("value") == "150"
    assert "Revised 2011-09-01 from 200" in "".join(target.itertext())
    safe = indicators["feel-safe"]
    dims = sorted(d.get("value") for d in safe.iter("dimension"))  # type: ignore[type-var]
    assert dims == ["female", "male"]
    for period in root.iter("period"):
        start = period.find("period-start").get("iso-date")  # type: ignore[union-attr]
        end = period.find("period-end").get("iso-date")  # type: ignore[union-attr]
        assert start <= end  # type: ignore[operator]


def test_pirs_sheet(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    code, _ = _toc("export", "pirs", str(path), "-o", str(tmp_path / "sheet.md"))
    assert code == 0
    text = (tmp_path / "sheet.md").read_text(encoding="utf-8")
    assert text.count("\n## ") == 3
    for field in ("Definition", "Unit", "Disaggregation", "Rationale", "Data source",
                  "Collection method", "Frequency", "Baseline", "Targets",
                  "Known limitations"):
        assert f"| {field} |" in text
    assert "revised 2011-09-01 from 200" in text
    assert "Self-reported by the working group" in text


def test_csv_neutralises_formulas(tmp_path: Path) -> None:
    path = tiny(tmp_path, statement="=cmd|' /C calc'!A0")
    (tmp_path / "programme.yaml").write_text(
        (tmp_path / "programme.yaml").read_text().replace(
            "name: Households with a toilet", "name: '@SUM(1+1)'"), encoding="utf-8")
    code, text = _toc("export", "csv", str(path))
    assert code == 0
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["result", "level", "result_band", "indicator"]
    for row in rows[1:]:
        for cell in row:
            if cell[:1] in ("=", "+", "@", "\t", "\r"):
                pytest.fail(f"live formula in cell {cell!r}")
            if cell.startswith("-"):
                float(cell)  # only numbers may start with a minus
    assert any(cell == "'@SUM(1+1)" for row in rows for cell in row)


def test_csv_neutralise_unit() -> None:
    from toc_engine.formats.report.csv_export import Number, neutralise

    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("-2+3") == "'-2+3"
    assert neutralise("+x") == "'+x" and neutralise("@x") == "'@x"
    assert neutralise(Number("-0.5")) == "-0.5"
    assert neutralise("plain") == "plain"


@pytest.mark.parametrize(("lang", "sample", "script"), [
    ("ne", "महिलाहरू बाहिर हैरानीमा पर्छन्", "Noto Sans Devanagari"),
    ("bn", "নারীরা বাইরে হয়রানির শিকার হন", "Noto Sans Bengali"),
])
def test_community_sheet_languages(tmp_path: Path, lang: str, sample: str, script: str) -> None:
    path = tiny(tmp_path)
    out = tmp_path / f"sheet-{lang}.html"
    code, _ = _toc("report", str(path), "--audience", "community", "--site", "chakkar",
                   "--lang", lang, "-o", str(out))
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    assert sample in page
    assert script in page
    assert "<svg" in page and 'class="sign"' in page
    assert page.count('class="priority"') == 1


def test_community_sheet_english_default(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    out = tmp_path / "sheet.html"
    assert _toc("report", str(path), "--audience", "community", "-o", str(out))[0] == 0
    page = out.read_text(encoding="utf-8")
    assert "Women are harassed outside" in page and '<html lang="en">' in page


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    assert _toc("report", str(path), "-o", str(tmp_path / "r.txt"))[0] == 2
    assert _toc("report", str(path), "--audience", "community", "--site", "nowhere",
                "-o", str(tmp_path / "s.html"))[0] == 2
    assert _toc("graph", str(path), "-o", str(tmp_path / "g.jpg"))[0] == 2
    assert _toc("export", "pirs", str(path), "--indicator", "nope")[0] == 2
    assert _toc("report", str(path), "--lang", "Nepali!", "-o", str(tmp_path / "r.html"))[0] == 2
    assert _toc("report", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "r.html"))[0] == 2


def test_invalid_programme_exit_1(tmp_path: Path) -> None:
    (tmp_path / "programme.yaml").write_text("toc: 1\nresults: []\n", encoding="utf-8")
    assert _toc("report", str(tmp_path / "programme.yaml"), "-o",
                str(tmp_path / "r.html"))[0] == 1
    assert not (tmp_path / "r.html").exists()


def test_matplotlib_is_not_imported_by_the_core() -> None:
    code = (
        "import sys, io\n"
        "import toc_engine, toc_engine.cli, toc_engine.schema.programme\n"
        "import toc_engine.check.pipeline\n"
        "import toc_engine.scoring, toc_engine.cli.report_commands\n"
        "from toc_engine.cli import run\n"
        "run(['validate', 'examples/nepal/programme.yaml'], io.StringIO())\n"
        "run(['export', 'csv', 'examples/nepal/programme.yaml'], io.StringIO())\n"
        "run(['export', 'iati', 'examples/nepal/programme.yaml'], io.StringIO())\n"
        "print('matplotlib' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "False"


def test_prepare_reuses_scoring_suppression() -> None:
    prepared = prepare(ROOT / "examples" / "bangladesh" / "programme.yaml")
    assert prepared.score.safeguarding.include_sensitive is False
