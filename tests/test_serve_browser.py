"""`toc serve` in a real browser (headless Chromium over the DevTools protocol): open the
Nepal example, click graph -> result -> indicator, record an observation and add an evidence
item through the forms, then check the file on disk, `toc validate` and `toc score`.

Skipped, with the reason, when Chromium or the serve extra is missing; CI installs both.
Set TOC_SERVE_SCREENSHOTS=FOLDER to keep a screenshot of each page (docs/serve/).
"""

from __future__ import annotations

import difflib
import io
import json
import os
import shutil
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("uvicorn", reason="the serve extra is not installed "
                    "(pip install 'toc-engine[serve]')")

import uvicorn

from toc_engine import load, score
from toc_engine.cli import run
from toc_engine.formats.report.document import num
from toc_engine.serve.app import create_app

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from headless import Browser, Page, find_chromium  # noqa: E402

pytestmark = pytest.mark.skipif(
    find_chromium() is None,
    reason="chromium is not installed (apt-get install -y chromium chromium-driver)",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """The app served by uvicorn in a thread, as `toc serve` runs it."""

    def __init__(self, folder: Path) -> None:
        self.port = _free_port()
        config = uvicorn.Config(create_app(folder), host="127.0.0.1", port=self.port,
                                log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def _loaded(browser: Browser, page: Page, action: Any) -> None:
    """Run `action` (which navigates) and wait until the new page has loaded."""
    browser.events.clear()
    action()
    browser.wait_for("Page.loadEventFired", page.session)
    page.evaluate("1")


def _click(page: Page, selector: str) -> None:
    """A real mouse click in the middle of the element."""
    box = json.loads(page.evaluate(
        f"(function(){{var e=document.querySelector({json.dumps(selector)});"
        "e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();"
        "return JSON.stringify({x:r.x+r.width/2,y:r.y+r.height/2});})()"
    ))
    for kind in ("mousePressed", "mouseReleased"):
        page.send("Input.dispatchMouseEvent",
                  {"type": kind, "x": box["x"], "y": box["y"], "button": "left",
                   "clickCount": 1})


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("TOC_SERVE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(Path(folder) / f"{name}.png")


def test_record_a_quarter_through_the_browser(tmp_path: Path) -> None:
    folder = tmp_path / "nepal"
    shutil.copytree(ROOT / "examples" / "nepal", folder)
    original = (folder / "programme.yaml").read_text("utf-8")
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><title>start</title>", "utf-8")
    with Server(folder) as base, Browser() as browser:
        page = browser.open(blank)
        _loaded(browser, page, lambda: page.send("Page.navigate", {"url": base + "/"}))
        assert page.evaluate("document.querySelectorAll('.graph svg').length") == 1
        _shot(page, "home")
        _loaded(browser, page, lambda: _click(page, ".graph #node-household-toilets"))
        assert page.evaluate("location.pathname") == "/result/household-toilets"
        assert "Listed households" in page.evaluate("document.body.innerText")
        _shot(page, "result")
        _loaded(browser, page, lambda: _click(page, 'a[href="/record/households-with-toilet"]'))
        assert page.evaluate("location.pathname") == "/record/households-with-toilet"
        page.evaluate(
            "document.getElementById('period').value='2013-Q1';"
            "document.getElementById('site').value='chakkar';"
            "document.getElementById('value').value='12';"
            "document.getElementById('source').value='Working-group register';1"
        )
        _shot(page, "record")
        _loaded(browser, page, lambda: _click(page, "form.record button[type=submit]"))
        assert page.evaluate("location.pathname") == "/result/household-toilets"
        text = page.evaluate("document.body.innerText")
        assert "Saved." in text
        _loaded(browser, page, lambda: _click(page, 'header a[href="/evidence/new"]'))
        page.evaluate(
            "document.getElementById('id').value='fgd-chakkar-women-2013';"
            "document.getElementById('kind').value='focus_group';"
            "document.getElementById('date').value='2013-03';"
            "document.getElementById('summary').value='Lights on the path since January';"
            "document.getElementById('claim_about_1').value='women-safer-chakkar';"
            "document.getElementById('claim_finding_1').value='supports';"
            "document.getElementById('claim_test_1').value='hoop';1"
        )
        _shot(page, "evidence")
        _loaded(browser, page, lambda: _click(page, "form.record button[type=submit]"))
        assert page.evaluate("location.pathname") == "/result/women-safer-chakkar", \
            page.evaluate("document.body.innerText")[:600]
        assert "fgd-chakkar-women-2013" in page.evaluate("document.body.innerText")
        requests = [e["params"]["request"]["url"] for e in browser.events
                    if e.get("method") == "Network.requestWillBeSent"]
        assert all(url.startswith(base) for url in requests), requests
    edited = (folder / "programme.yaml").read_text("utf-8")
    diff = [line for line in difflib.unified_diff(original.splitlines(), edited.splitlines(),
                                                  lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))]
    assert diff == ["+          - {period: 2013-Q1, value: 12, site: chakkar, "
                    "source: \"Working-group register\"}",
                    "+  - id: fgd-chakkar-women-2013", "+    kind: focus_group",
                    "+    date: 2013-03", '+    summary: "Lights on the path since January"',
                    "+    claims:",
                    "+      - {about: women-safer-chakkar, finding: supports, test: hoop}"]
    assert run(["validate", str(folder)], io.StringIO()) == 0
    loaded = load(folder / "programme.yaml")
    assert loaded.programme is not None
    result = next(r for r in score(loaded.programme).results if r.id == "household-toilets")
    assert f"Delivery {num(result.delivery.score, 1)}" in text
