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
