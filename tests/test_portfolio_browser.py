"""The portfolio report in a real browser (headless Chromium), as the programme report is
checked in test_report_browser.py. Skipped, with the reason, when Chromium is missing."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from toc_engine.cli import run

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from headless import Browser, find_chromium  # noqa: E402

pytestmark = pytest.mark.skipif(
    find_chromium() is None,
    reason="chromium is not installed (apt-get install -y chromium chromium-driver)",
)

EXAMPLES = [str(ROOT / "examples" / c) for c in ("kosovo", "nepal", "bangladesh")]

CELLS = """JSON.stringify(Array.from(document.querySelectorAll('table.matrix td.cell'))
  .filter(td => td.dataset.verdict)
  .map(td => ({verdict: td.dataset.verdict, background: getComputedStyle(td).backgroundColor,
               width: td.getBoundingClientRect().width})))"""


def test_portfolio_report_in_browser(tmp_path: Path) -> None:
    from toc_engine.formats.report.palette import VERDICT_STYLES

    out = tmp_path / "portfolio.html"
    code = run([*["portfolio"], *EXAMPLES, "-o", str(out), "--cache", str(tmp_path / "c")],
               io.StringIO())
    assert code == 0
    with Browser() as browser:
        page = browser.open(out)
        cells = json.loads(page.evaluate(CELLS))
        assert len(cells) == 4  # two patterns, each in two of the three programmes
        for cell in cells:
            colour = VERDICT_STYLES[cell["verdict"]][0]
            rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
            assert cell["background"] == f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})"
            assert cell["width"] > 50
        assert page.evaluate("document.querySelectorAll('script').length") == 0
        text = page.evaluate("document.body.innerText")
        assert "What travelled, what did not" in text
        assert page.errors == []
        page.screenshot(tmp_path / "portfolio.png")
    assert (tmp_path / "portfolio.png").stat().st_size > 10_000
