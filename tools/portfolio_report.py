"""Regenerate the committed portfolio report of the three country examples:
docs/portfolio.html (and, with --screenshot, docs/portfolio.png).

    .venv/bin/python tools/portfolio_report.py               # rewrite the report
    .venv/bin/python tools/portfolio_report.py --screenshot  # and its screenshot (Chromium)
    .venv/bin/python tools/portfolio_report.py --check       # exit 1 if it is out of date

Run from anywhere: the programmes are named relative to the repository root, so the
output is the same on every machine.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "portfolio.html"
EXAMPLES = ["examples/kosovo", "examples/nepal", "examples/bangladesh"]


def render() -> str:
    from toc_engine.cli import run

    os.chdir(ROOT)
    out = io.StringIO()
    code = run(["portfolio", *EXAMPLES, "--format", "html", "--no-cache", "--jobs", "1"], out)
    if code != 0:
        raise SystemExit(f"toc portfolio exited {code}")
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report a stale report")
    parser.add_argument("--screenshot", action="store_true", help="also write docs/portfolio.png")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    page = render()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != page:
            print(f"{OUT.relative_to(ROOT)} is out of date: run tools/portfolio_report.py")
            return 1
        return 0
    from toc_engine.formats.atomic import write_atomic

    write_atomic(OUT, page)
    print(f"wrote {OUT.relative_to(ROOT)}")
    if args.screenshot:
        sys.path.insert(0, str(ROOT / "tools"))
        from headless import Browser, find_chromium

        if find_chromium() is None:
            print("chromium is not installed (apt-get install -y chromium)", file=sys.stderr)
            return 2
        shot = OUT.with_suffix(".png")
        with Browser() as browser:
            browser.open(OUT).screenshot(shot, width=1280)
        print(f"wrote {shot.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
