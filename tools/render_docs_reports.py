"""Regenerate the committed example reports: docs/reports/<country>.html (and the community
sheet of the first site with priorities, docs/reports/<country>-community.html).

    .venv/bin/python tools/render_docs_reports.py          # rewrite them
    .venv/bin/python tools/render_docs_reports.py --check  # exit 1 if any is out of date
    .venv/bin/python tools/render_docs_reports.py --screenshots  # and the pictures in
                                                                  # docs/reports.md

--screenshots also saves what a reader sees of the Nepal report, on screen and printed,
and of its community sheet printed (SCREENSHOTS; headless Chromium and pdftoppm from
poppler-utils). Pixels differ a little between machines and fonts, so --check leaves
them alone; regenerate them when the reports' look changes.

Run from anywhere; paths in the reports are relative to the repository root, so the
output is the same on every machine. tests/test_report_docs.py runs --check.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "reports"
# picture -> (page, what is taken): the screen's top, or the first printed pages
SCREENSHOTS = {
    "nepal-screen.png": ("nepal.html", "screen"),
    "nepal-print.png": ("nepal.html", "print"),
    "nepal-community-print.png": ("nepal-community.html", "print"),
}


def render_all() -> dict[Path, str]:
    from toc_engine.formats.report.community import render as community
    from toc_engine.formats.report.document import build
    from toc_engine.formats.report.html import render
    from toc_engine.formats.report.inputs import prepare

    pages: dict[Path, str] = {}
    os.chdir(ROOT)
    for programme in sorted(Path("examples").glob("*/programme.yaml")):
        country = programme.parent.name
        prepared = prepare(programme)
        pages[OUT / f"{country}.html"] = render(build(prepared))
        sites = [s.id for s in prepared.programme.sites
                 if any(p.site == s.id for p in prepared.programme.priorities)]
        if sites:
            pages[OUT / f"{country}-community.html"] = community(
                prepared.programme, prepared.score, sites[:1])
    return pages


def screenshots() -> int:
    """Save SCREENSHOTS from the committed pages; 1 if a page has layout problems."""
    sys.path.insert(0, str(ROOT / "tools"))
    from screenshot_report import main as screenshot

    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        for name, (page, kind) in SCREENSHOTS.items():
            target = OUT / name
            if kind == "screen":
                argv = [str(OUT / page), "-o", str(target), "--height", "1700"]
            else:
                pages = "1" if "community" in page else "3"
                argv = [str(OUT / page), "-o", str(Path(folder) / name),
                        "--print-pages", str(target), "--pages", pages]
            failed |= screenshot(argv)
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report stale files")
    parser.add_argument("--screenshots", action="store_true",
                        help="also save the screenshots shown in docs/reports.md")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from toc_engine.formats.atomic import write_atomic

    stale = []
    for path, text in render_all().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            write_atomic(path, text)
            print(f"wrote {path.relative_to(ROOT)}")
    if args.check and stale:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        print("run: .venv/bin/python tools/render_docs_reports.py", file=sys.stderr)
        return 1
    if args.screenshots:
        return screenshots()
    return 0


if __name__ == "__main__":
    sys.exit(main())
