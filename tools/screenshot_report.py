"""Open an HTML report (or community sheet) in headless Chromium and save a screenshot.

    .venv/bin/python tools/screenshot_report.py docs/reports/bangladesh.html -o shot.png
    .venv/bin/python tools/screenshot_report.py sheet.html -o sheet.png --pdf sheet.pdf
    .venv/bin/python tools/screenshot_report.py report.html -o top.png --height 1800 \\
        --print-pages pages.png --pages 3

Prints the figures found, the layout problems measured in the page (words broken
inside, labels cut off, content wider than the window) and any console errors; exits 1
if there were any. --print-pages prints the page to PDF and draws its first pages side
by side (needs pdftoppm, from poppler-utils). Images are saved with a reduced palette,
small enough to commit. Needs Chromium (Debian: apt-get install -y chromium).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from headless import Browser, find_chromium

COUNT_FIGURES = """JSON.stringify({
  toc: document.querySelectorAll('figure.toc-figure svg').length,
  charts: document.querySelectorAll('figure.indicator-chart svg').length,
  lang: document.documentElement.lang,
  title: document.title
})"""
COLOURS = 96  # palette of a saved image: text and flat colours stay sharp, files stay small


def compact(path: Path, width: int | None = None) -> None:
    """Rewrite a PNG with a reduced palette (and at most `width` pixels wide)."""
    from PIL import Image

    with Image.open(path) as image:
        picture = image.convert("RGB")
    if width and picture.width > width:
        picture = picture.resize((width, round(picture.height * width / picture.width)),
                                 Image.Resampling.LANCZOS)
    picture.quantize(COLOURS, dither=Image.Dither.NONE).save(path, optimize=True)


def print_pages(pdf: Path, output: Path, pages: int, dpi: int = 50) -> None:
    """The PDF's first `pages` pages side by side, each framed, as one PNG."""
    from PIL import Image, ImageOps

    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is not installed (apt-get install -y poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "page"
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", str(pages),
                        str(pdf), str(prefix)], check=True)
        images = [ImageOps.expand(Image.open(p).convert("RGB"), border=1, fill="#888888")
                  for p in sorted(Path(folder).glob("page*.png"))]
        gap = 12
        sheet = Image.new("RGB", (sum(i.width for i in images) + gap * (len(images) + 1),
                                  max(i.height for i in images) + 2 * gap), "#e8e8e8")
        x = gap
        for image in images:
            sheet.paste(image, (x, gap))
            x += image.width + gap
        sheet.save(output)
    compact(output)


def main(argv: list[str] | None = None) -> int:
    import json

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("html", type=Path)
    parser.add_argument("-o", "--output", type=Path, help="PNG to write (default: beside it)")
    parser.add_argument("--pdf", type=Path, help="also print the page to this PDF")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, help="only the top HEIGHT pixels of the page")
    parser.add_argument("--print-pages", type=Path, metavar="PNG",
                        help="also print to PDF and save its first pages side by side here")
    parser.add_argument("--pages", type=int, default=3, help="pages for --print-pages")
    args = parser.parse_args(argv)
    if find_chromium() is None:
        print("chromium is not installed (apt-get install -y chromium)", file=sys.stderr)
        return 2
    output = args.output or args.html.with_suffix(".png")
    with Browser() as browser:
        page = browser.open(args.html)
        print(page.evaluate(COUNT_FIGURES))
        page.resize(args.width)
        problems = page.layout_problems()
        page.screenshot(output, width=args.width, height=args.height)
        compact(output)
        if args.pdf or args.print_pages:
            with tempfile.TemporaryDirectory() as folder:
                pdf = args.pdf or Path(folder) / "printed.pdf"
                page.pdf(pdf)
                if args.print_pages:
                    print_pages(pdf, args.print_pages, args.pages)
                    print(f"wrote {args.print_pages}")
        for error in page.errors:
            print("error:", error, file=sys.stderr)
    found = {k: v for k, v in problems.items() if v}
    if found:
        print("layout problems:", json.dumps(found, ensure_ascii=False), file=sys.stderr)
    print(f"wrote {output}")
    return 1 if page.errors or found else 0


if __name__ == "__main__":
    sys.exit(main())
