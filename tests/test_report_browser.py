"""The HTML report and the community sheet in a real browser (headless Chromium).

Skipped, with the reason, when Chromium is not installed; CI installs it
(`apt-get install -y chromium chromium-driver`).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from toc_engine.cli import run

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(Path(__file__).parent))
from headless import Browser, find_chromium  # noqa: E402
from report_fixtures import tiny  # noqa: E402

pytestmark = pytest.mark.skipif(
    find_chromium() is None,
    reason="chromium is not installed (apt-get install -y chromium chromium-driver)",
)

COUNT = """JSON.stringify({
  toc: document.querySelectorAll('figure.toc-figure svg').length,
  tocWidth: (document.querySelector('figure.toc-figure svg') || {getBoundingClientRect:
    () => ({width: 0})}).getBoundingClientRect().width,
  charts: Array.from(document.querySelectorAll('figure.indicator-chart svg'))
    .filter(s => s.getBoundingClientRect().width > 100).length,
  scripts: document.querySelectorAll('script').length,
  lang: document.documentElement.lang
})"""


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with Browser() as b:
        yield b


def test_report_in_browser(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    path = tiny(tmp_path, statement="<script>console.error('xss')</script>")
    out = tmp_path / "report.html"
    assert run(["report", str(path), "-o", str(out)], io.StringIO()) == 0
    page = browser.open(out)
    found = json.loads(page.evaluate(COUNT))
    assert found["toc"] == 1 and found["tocWidth"] > 300
    assert found["charts"] == 2
    assert found["scripts"] == 0
    assert page.errors == []
    text = page.evaluate("document.body.innerText")
    assert "<script>console.error('xss')</script>" in text  # shown as text


@pytest.mark.parametrize("country", ["bangladesh", "nepal", "kosovo"])
def test_example_reports_in_browser(browser, tmp_path: Path, country: str  # type: ignore[no-untyped-def]
                                    ) -> None:
    import json

    programme = ROOT / "examples" / country / "programme.yaml"
    out = tmp_path / f"{country}.html"
    assert run(["report", str(programme), "-o", str(out)], io.StringIO()) == 0
    expected = out.read_text(encoding="utf-8").count('class="indicator-chart"')
    page = browser.open(out)
    found = json.loads(page.evaluate(COUNT))
    assert found["toc"] == 1
    assert found["charts"] == expected > 0
    assert page.errors == []
    page.screenshot(tmp_path / f"{country}.png")
    assert (tmp_path / f"{country}.png").stat().st_size > 10_000


@pytest.mark.parametrize(("lang", "sample"), [
    ("ne", "महिलाहरू बाहिर हैरानीमा पर्छन्"),
    ("bn", "নারীরা বাইরে হয়রানির শিকার হন"),
])
def test_community_sheet_renders_script(browser, tmp_path: Path, lang: str,  # type: ignore[no-untyped-def]
                                        sample: str) -> None:
    path = tiny(tmp_path)
    out = tmp_path / f"sheet-{lang}.html"
    assert run(["report", str(path), "--audience", "community", "--lang", lang, "-o",
                str(out)], io.StringIO()) == 0
    page = browser.open(out)
    assert page.evaluate("document.documentElement.lang") == lang
    assert sample in page.evaluate("document.body.innerText")
    # The text is laid out with real glyphs: the concern has width and height on the page.
    width = page.evaluate("document.querySelector('.concern').getBoundingClientRect().width")
    assert width > 100
    assert page.errors == []


# --- layout: no word broken inside, no label cut off, nothing wider than the page ----------

NEPAL = ROOT / "examples" / "nepal" / "programme.yaml"
A4_TEXT_WIDTH = 703  # px: 210 mm less the report's 2 x 12 mm print margins, at 96 px/inch


@pytest.fixture(scope="module")
def nepal_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("nepal")
    pages = {"report": folder / "nepal.html", "sheet": folder / "sheet.html"}
    assert run(["report", str(NEPAL), "-q", "-o", str(pages["report"])], io.StringIO()) == 0
    assert run(["report", str(NEPAL), "-q", "--audience", "community", "-o",
                str(pages["sheet"])], io.StringIO()) == 0
    return pages


def _assert_laid_out_cleanly(page, where: str) -> None:  # type: ignore[no-untyped-def]
    found = page.layout_problems()
    assert found == {"broken": [], "clipped": [], "tooWide": 0}, where


@pytest.mark.parametrize("which", ["report", "sheet"])
@pytest.mark.parametrize(("media", "width"), [("screen", 1280), ("screen", 800),
                                              ("print", A4_TEXT_WIDTH)])
def test_nepal_words_and_labels_intact(browser, nepal_pages: dict[str, Path],  # type: ignore[no-untyped-def]
                                       which: str, media: str, width: int) -> None:
    page = browser.open(nepal_pages[which])
    page.emulate(media)
    page.resize(width)
    try:
        _assert_laid_out_cleanly(page, f"{which} on {media} at {width}px")
    finally:
        page.emulate("screen")


def test_layout_check_finds_a_broken_word_and_a_cut_label(browser, tmp_path: Path  # type: ignore[no-untyped-def]
                                                          ) -> None:
    """The check above can fail: the faults the reports had are found when planted."""
    out = tmp_path / "faults.html"
    out.write_text(
        '<!DOCTYPE html><html lang="en"><body><table style="width:3rem"><tr>'
        '<td style="overflow-wrap:anywhere">confidence moderate</td></tr></table>'
        '<svg viewBox="0 0 100 40" width="100" height="40"><text x="2" y="20" '
        'text-anchor="end">classes-running</text></svg></body></html>', encoding="utf-8")
    found = browser.open(out).layout_problems()
    assert found["broken"] == ["confidence in <td>", "moderate in <td>"]
    assert found["clipped"] == ["classes-running"]


@pytest.mark.parametrize("lang", ["ne", "bn"])
def test_community_sheet_in_its_script_is_intact(browser, tmp_path: Path, lang: str  # type: ignore[no-untyped-def]
                                                 ) -> None:
    out = tmp_path / f"sheet-{lang}.html"
    assert run(["report", str(tiny(tmp_path)), "--audience", "community", "--lang", lang,
                "-o", str(out)], io.StringIO()) == 0
    page = browser.open(out)
    page.resize(A4_TEXT_WIDTH)
    _assert_laid_out_cleanly(page, f"{lang} sheet")


# --- print to PDF (Chromium), read back with pdftotext (poppler-utils) ----------------------

def _pdf_pages(pdf: Path) -> list[str]:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install -y poppler-utils)")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def test_nepal_report_prints_well(browser, nepal_pages: dict[str, Path], tmp_path: Path  # type: ignore[no-untyped-def]
                                  ) -> None:
    import json

    page = browser.open(nepal_pages["report"])
    headings = json.loads(page.evaluate(
        "JSON.stringify(Array.from(document.querySelectorAll('h1, h2, h3, h4, p.caption'))"
        ".map(h => h.textContent.trim()))"))
    pdf = tmp_path / "nepal.pdf"
    page.pdf(pdf)
    pages = _pdf_pages(pdf)
    assert len(pages) > 5
    # Page 1 holds more than the title: the summary starts under it.
    assert "Summary" in pages[0] and "Delivery roll-up" in pages[0]
    # No page ends with a heading whose content is on the next page.
    for number, text in enumerate(pages[:-1], start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        ends = {lines[-1], " ".join(lines[-2:])}  # a heading may wrap onto two lines
        alone = [h for h in headings if h in ends]
        assert not alone, f"page {number} ends with the heading {alone[0]!r}"
    # A table cut by a page break repeats its header on the next page.
    repeats = sum(1 for text in pages[1:] if text.lstrip().startswith(("from", "evidence",
                                                                         "indicator", "level")))
    assert repeats >= 1


def test_community_sheet_prints_one_page_per_site(browser, nepal_pages: dict[str, Path],  # type: ignore[no-untyped-def]
                                                  tmp_path: Path) -> None:
    import json

    page = browser.open(nepal_pages["sheet"])
    sites = json.loads(page.evaluate(
        "JSON.stringify(Array.from(document.querySelectorAll('.sheet .where strong'))"
        ".map(s => s.textContent))"))
    pdf = tmp_path / "sheet.pdf"
    page.pdf(pdf)
    pages = _pdf_pages(pdf)
    starts = [n for n, text in enumerate(pages) if "What we heard" in text]
    assert len(starts) == len(sites) >= 2
    for start, site in zip(starts, sites, strict=True):
        assert site in pages[start]
