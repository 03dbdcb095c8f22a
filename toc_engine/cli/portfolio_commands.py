"""`toc portfolio`: causal judgements compared across many programmes.

Only argparse is imported here; the engine loads inside the command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FORMATS = ("html", "json", "csv", "md", "xlsx")
SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
    ".md": "md",
    ".xlsx": "xlsx",
}


def add_parser(commands: Any, formatter_class: Any, epilog: str) -> None:
    parser = commands.add_parser(
        "portfolio",
        help="compare causal judgements across programmes: portfolio PATH... -o out.html",
        description="Load, validate and score many programmes (programme folders, or folders "
        "of programme folders) and compare them: for each link pattern (`pattern:` on a "
        "link) and each link of a shared model (`programme.model`), in which programmes it "
        "held, failed on an assumption, failed in its mechanism, was not implemented or is "
        "untested; where each assumption held and failed; library indicators combined "
        "across programmes; delivery and design by country and level. Nothing is pooled: "
        "each programme's verdict keeps its date and confidence. A programme that does not "
        "validate is listed with its error count and left out. Exit 0: compared; 1: "
        "compared, but some programmes were left out; 2: nothing compared (no programme "
        "found, bad arguments).",
        formatter_class=formatter_class,
        epilog=epilog,
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a programme folder (or its programme.yaml), or a folder of them",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (default: standard output); its suffix (.html, "
        ".json, .csv, .md, .xlsx) sets the format unless --format is given",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="html (the report), json (docs/schema/portfolio.schema.json), "
        "csv (one row per link pattern and programme), md, or xlsx (a workbook: the "
        "matrix coloured by verdict and the tables; needs -o); default: from the suffix "
        "of -o, else md",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes (default: one per core; 1 scores in this process)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        metavar="DIR",
        help="keep each programme's judgements in DIR, keyed by the content of "
        "its files, so a re-run rescores only changed programmes (default: "
        "toc-engine in your cache folder; safe to delete)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="score every programme and keep nothing"
    )


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.output and args.output != "-":
        return SUFFIXES.get(Path(args.output).suffix.lower(), "md")
    return "md"


class _Progress:
    """Programmes done, failed and remaining, on one line of a terminal's standard error."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, done: int, failed: int, remaining: int) -> None:
        self.stream.write(f"\rportfolio: {done} done, {failed} failed, {remaining} remaining ")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _input_files(folders: list[Path]) -> Iterator[Path]:
    """Every file a programme may read (its YAML, CSV and workbooks, wherever `data:` and
    `include:` point inside its folder), so that `-o` never writes over one of them."""
    for folder in folders:
        yield folder / "programme.yaml"
        for pattern in ("*.yaml", "*.yml", "*.csv", "*.xlsx"):
            yield from folder.rglob(pattern)


def cmd_portfolio(args: argparse.Namespace, stdout: TextIO) -> int:
    from ..formats.portfolio.cache import Cache, DamagedCache, default_cache_dir
    from ..formats.portfolio.data import portfolio_data
    from ..formats.portfolio.run import NoProgrammes, assess_all, find_programmes
    from ..scoring.portfolio import compare
    from . import UsageError, output

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    kind = _format(args)
    if kind == "xlsx" and output.is_stdout(args.output):
        raise UsageError("an Excel workbook needs a file: add -o portfolio.xlsx")
    try:
        folders = find_programmes(args.paths)
    except NoProgrammes as err:
        raise UsageError(str(err)) from None
    output.refuse_inputs(args.output, _input_files(folders))
    cache = None
    if not args.no_cache:
        where = args.cache or default_cache_dir()
        if any(_inside(where, f) for f in folders):
            raise UsageError(
                f"the cache folder '{where}' is inside a programme's folder; "
                "choose another with --cache"
            )
        try:
            cache = Cache(where)
        except DamagedCache as damaged:
            sys.stderr.write(
                f"toc: warning: the cache file '{damaged.path}' is damaged ({damaged.error});"
                " scoring every programme without it. Delete that file, or pass --no-cache,"
                " to silence this warning.\n"
            )
        except Exception as err:
            raise UsageError(f"cannot use the cache folder '{where}': {err}") from None
    progress = _Progress(sys.stderr) if sys.stderr.isatty() else None
    try:
        found = assess_all(folders, jobs=args.jobs, cache=cache, progress=progress)
    finally:
        if progress:
            progress.close()
        if cache:
            cache.close()
    data = portfolio_data(compare(found.judgements, found.refused))
    text: str | bytes
    if kind == "json":
        import json

        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif kind == "csv":
        from ..formats.portfolio.tables import render_csv

        text = render_csv(data)
    elif kind == "xlsx":
        from ..formats.portfolio.workbook import workbook_bytes

        text = workbook_bytes(data)
    elif kind == "html":
        from ..formats.portfolio.html import render_html

        text = render_html(data)
    else:
        from ..formats.portfolio.tables import render_markdown

        text = render_markdown(data)
    output.write(args.output, text, stdout)
    for refused in found.refused:
        sys.stderr.write(
            f"toc: left out {refused.path}: {refused.errors} error(s); first: "
            f"{refused.first_error}\n"
        )
    return EXIT_FINDINGS if found.refused else EXIT_OK


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True
