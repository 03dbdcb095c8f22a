"""Drive headless Chromium over the DevTools protocol (a pipe, Python's stdlib only).

Used by `tools/screenshot_report.py` and by the browser tests. No selenium, no
playwright: Chromium speaks JSON over file descriptors 3 and 4 when started
with `--remote-debugging-pipe`.

    with Browser() as browser:
        page = browser.open(Path("report.html"))
        page.errors            # console errors, exceptions, failed loads
        page.evaluate("document.title")
        page.screenshot(Path("report.png"))
        page.layout_problems()  # words broken inside, labels cut off, content too wide
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


def find_chromium() -> str | None:
    """The Chromium executable, or None (tests then skip with a reason)."""
    override = os.environ.get("TOC_CHROMIUM")
    if override:
        return override if Path(override).exists() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _high(fd: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class BrowserError(RuntimeError):
    pass


# Measured in the page, as laid out: a word (a run of letters, digits and marks) whose
# characters sit on more than one line was broken inside; an SVG label that reaches past
# its figure's box is cut off there; a page wider than the window has content too wide.
LAYOUT_PROBLEMS = r"""(() => {
  const broken = [], clipped = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('svg, style, script')) continue;
    if (!parent.getClientRects().length) continue;  // not displayed
    for (const m of node.data.matchAll(/[\p{L}\p{N}\p{M}]{2,}/gu)) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(range.getClientRects())
        .filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0] + ' in <' + parent.tagName.toLowerCase() + '>');
    }
  }
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.getBoundingClientRect();
    if (!box.width) continue;
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.width && (r.left < box.left - 1 || r.right > box.right + 1 ||
                      r.top < box.top - 1 || r.bottom > box.bottom + 1)) {
        clipped.push(t.textContent.trim().slice(0, 60));
      }
    }
  }
  const root = document.documentElement;
  return JSON.stringify({broken, clipped,
                         tooWide: root.scrollWidth > root.clientWidth + 1 ? root.scrollWidth : 0});
})()"""


class Page:
    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session
        self.errors: list[str] = []

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.call(method, params or {}, self.session)

    def evaluate(self, expression: str) -> Any:
        reply = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}
        )
        if "exceptionDetails" in reply:
            raise BrowserError(f"evaluate failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def resize(self, width: int, height: int = 800) -> None:
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def emulate(self, media: str) -> None:
        """Lay the page out for "print" or "screen" (CSS @media)."""
        self.send("Emulation.setEmulatedMedia", {"media": media})

    def layout_problems(self) -> dict[str, Any]:
        """{"broken": words broken inside, "clipped": labels cut off, "tooWide": px or 0}."""
        found: dict[str, Any] = json.loads(self.evaluate(LAYOUT_PROBLEMS))
        return found

    def screenshot(self, path: Path, width: int = 1280, height: int | None = None) -> None:
        """The whole page (at most 16,000 px), or its top `height` pixels."""
        full = int(self.evaluate("document.documentElement.scrollHeight") or 800)
        self.resize(width, min(full, height or 16000))
        data = self.send("Page.captureScreenshot", {"format": "png", "fromSurface": True})
        path.write_bytes(base64.b64decode(data["data"]))

    def pdf(self, path: Path) -> None:
        """Print as Chromium's "Save as PDF" does (the page's @page size and margins)."""
        data = self.send("Page.printToPDF", {"printBackground": True,
                                             "preferCSSPageSize": True})
        path.write_bytes(base64.b64decode(data["data"]))


class Browser:
    def __init__(self, executable: str | None = None, timeout: float = 60.0) -> None:
        exe = executable or find_chromium()
        if exe is None:
            raise BrowserError("chromium is not installed")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="toc-chromium-")
        self.log = open(Path(self.profile) / "chromium.log", "wb")  # noqa: SIM115
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # Move the child's ends above 9 so the shell's `3<&N 4>&M` can never clobber them
        # (under pytest, fds 3 and 4 are often taken by output capture).
        to_child_r, from_child_w = (_high(to_child_r), _high(from_child_w))

        # The protocol lives on fds 3 (commands in) and 4 (replies out). A tiny Python
        # trampoline puts the pipe ends there, then execs Chromium (no shell: dash cannot
        # redirect fds above 9, and pytest's capture often holds 3 and 4 in this process).
        argv = [exe, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"]
        trampoline = (
            "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
            "os.execv(sys.argv[3], sys.argv[3:])"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", trampoline, str(to_child_r), str(from_child_w), *argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            pass_fds=(to_child_r, from_child_w),
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self.writer = os.fdopen(to_child_w, "wb", buffering=0)
        self.reader = os.fdopen(from_child_r, "rb", buffering=0)
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def stderr(self) -> str:
        try:
            return (Path(self.profile) / "chromium.log").read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    # --- protocol ---------------------------------------------------------------------------

    def _read_message(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            chunk = self.reader.read(65536)
            if not chunk:
                raise BrowserError("chromium closed the protocol pipe: " + self.stderr())
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(self, method: str, params: dict[str, Any], session: str | None = None
             ) -> dict[str, Any]:
        self.next_id += 1
        ident = self.next_id
        message: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        try:
            self.writer.write(json.dumps(message).encode() + b"\0")
        except BrokenPipeError:
            raise BrowserError("chromium is gone: " + self.stderr()) from None
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            reply = self._read_message()
            if reply.get("id") == ident:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)
        raise BrowserError(f"{method}: no reply within {self.timeout} s")

    def wait_for(self, method: str, session: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        for index, event in enumerate(self.events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self.events.pop(index)
        while time.monotonic() < deadline:
            event = self._read_message()
            if event.get("method") == method and event.get("sessionId") == session:
                return event
            self.events.append(event)
        raise BrowserError(f"no {method} within {self.timeout} s")

    # --- pages ------------------------------------------------------------------------------

    def open(self, path: Path, settle: float = 0.3) -> Page:
        """Load a local file; `page.errors` collects console errors and exceptions."""
        targets = self.call("Target.getTargets", {})["targetInfos"]
        pages = [t for t in targets if t["type"] == "page"]
        if pages:
            target = pages[0]["targetId"]
        else:
            target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session)
        for domain in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
            page.send(domain)
        self.events.clear()
        page.send("Page.navigate", {"url": path.resolve().as_uri()})
        self.wait_for("Page.loadEventFired", session)
        time.sleep(settle)
        page.evaluate("1")  # flush events that arrived before this point
        for event in self.events:
            if event.get("sessionId") != session:
                continue
            name, params = event.get("method"), event.get("params", {})
            if name == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                page.errors.append("console: " + json.dumps(params.get("args"))[:300])
            elif name == "Runtime.exceptionThrown":
                page.errors.append("exception: " + json.dumps(params)[:300])
            elif name == "Log.entryAdded" and params["entry"].get("level") == "error":
                page.errors.append("log: " + params["entry"].get("text", "")[:300])
            elif name == "Network.loadingFailed":
                page.errors.append("network: " + json.dumps(params)[:300])
            elif name == "Network.requestWillBeSent":
                url = params.get("request", {}).get("url", "")
                if not url.startswith(("file:", "data:", "about:")):
                    page.errors.append(f"network request to {url}")
        return page

    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError, ValueError):
            self.call("Browser.close", {})
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for stream in (self.writer, self.reader, self.log):
            with contextlib.suppress(OSError):
                stream.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
