"""Open an HTML report (or community sheet) in headless Chromium and save a screenshot.

    .venv/bin/python tools/screenshot_report.py docs/reports/bangladesh.html -o shot.png
    .venv/bin/python tools/screenshot_report.py sheet.html -o sheet.png --pdf sheet.pdf

Prints the figures found and any console errors; exits 1 if there were errors.
Needs Chromium (Debian: apt-get install -y chromium).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from headless import Browser, find_chromium

COUNT_FIGURES = """JSON.stringify({
  toc: document.querySelectorAll('figure.toc-figure svg').length,
  charts: document.querySelectorAll('figure.indicator-chart svg').length,
  lang: document.documentElement.lang,
  title: document.title
})"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("html", type=Path)
    parser.add_argument("-o", "--output", type=Path, help="PNG to write (default: beside it)")
    parser.add_argument("--pdf", type=Path, help="also print the page to this PDF")
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args(argv)
    if find_chromium() is None:
        print("chromium is not installed (apt-get install -y chromium)", file=sys.stderr)
        return 2
    output = args.output or args.html.with_suffix(".png")
    with Browser() as browser:
        page = browser.open(args.html)
        print(page.evaluate(COUNT_FIGURES))
        page.screenshot(output, width=args.width)
        if args.pdf:
            page.pdf(args.pdf)
        for error in page.errors:
            print("error:", error, file=sys.stderr)
    print(f"wrote {output}")
    return 1 if page.errors else 0


if __name__ == "__main__":
    sys.exit(main())
