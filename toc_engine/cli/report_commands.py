"""`toc report`, `toc graph`, `toc export {iati,pirs,csv,xlsx}` and `toc import logframe`.

Only argparse and typing are imported here: the reports, matplotlib and the
scoring engine load inside each command, so `toc validate` stays fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TextIO

from . import workbook_commands

EXIT_OK, EXIT_FINDINGS = 0, 1
DEFAULT_MAX_CHARTS = 250  # report.document's default, repeated: importing it costs time
FIGURE_FORMATS = ("svg", "png", "pdf")


def _input(parser: argparse.ArgumentParser, sensitive: bool = True) -> None:
    parser.add_argument("path", metavar="PATH", help="the programme file (or its folder)")
    if sensitive:
        parser.add_argument(
            "--include-sensitive",
            action="store_true",
            help="show summaries and quotes of sensitive evidence (withheld by default; "
            "the output then says so at the top)",
        )
    parser.add_argument("--lang", default="en", metavar="CODE",
                        help="language of text given per language, e.g. ne or bn (default en)")
    parser.add_argument("--max-size", type=float, default=20.0, metavar="MB",
                        help="refuse programme files larger than this (default: 20 MB)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="show no progress line (shown only when standard error is a "
                        "terminal, for runs longer than a second)")


def add_parsers(commands: Any, formatter_class: Any, epilog: str) -> None:
    report = commands.add_parser(
        "report",
        help="write an HTML or Markdown report with the ToC graph and indicator charts",
        description="Write a report people read: a self-contained HTML page (-o x.html) or "
        "Markdown with its figures beside it (-o x.md, figures in x_files/). With "
        "--audience community --site ID, a one-page pictorial feedback sheet per site.",
        formatter_class=formatter_class,
        epilog=epilog,
    )
    _input(report)
    report.add_argument("-o", "--output", metavar="FILE", required=True,
                        help="report.html, report.md (or .markdown); - for HTML on "
                        "standard output")
    report.add_argument("--audience", choices=["programme", "community"], default="programme",
                        help="programme (default): the full report; community: the "
                        "feedback sheet for working groups")
    report.add_argument("--site", action="append", metavar="ID",
                        help="site for the community sheet (repeat for several; default all)")
    report.add_argument("--max-charts", type=int, default=DEFAULT_MAX_CHARTS, metavar="N",
                        help="draw indicator charts for the first N indicators only "
                        f"(default {DEFAULT_MAX_CHARTS}); tables list all")
    report.add_argument("--figures", choices=["svg", "png"], default="svg",
                        help="figure format beside a Markdown report (default svg)")

    graph = commands.add_parser(
        "graph",
        help="draw the theory of change (svg, png or pdf)",
        description="Draw the theory of change: levels as rows, results coloured by delivery "
        "band, link verdicts as edge styles, with a legend.",
        formatter_class=formatter_class,
        epilog=epilog,
    )
    _input(graph, sensitive=False)
    graph.add_argument("-o", "--output", metavar="FILE", required=True,
                       help="toc.svg, toc.png or toc.pdf; - for SVG on standard output")

    export = commands.add_parser(
        "export",
        help="export for donors and spreadsheets: iati, pirs, csv, xlsx",
        description="Export the programme: an IATI 2.03 activity file, Performance Indicator "
        "Reference Sheets (Markdown), the scored indicator table (CSV), or the scored "
        "framework as an Excel logframe workbook (xlsx).",
        formatter_class=formatter_class,
        epilog=epilog,
    )
    kinds = export.add_subparsers(dest="kind", metavar="KIND", required=True,
                                  parser_class=type(export))
    iati = kinds.add_parser(
        "iati", help="an IATI 2.03 activity file with the results",
        description="Write an IATI 2.03 activity file (an iati-activities document): the "
        "programme's identifier, reporting organisation, sectors and dates, and its results "
        "with indicators, baselines and reporting periods that hold the target and the "
        "actual of the same period. What the file had to do without (a placeholder "
        "identifier, no sector, library text not adapted: TOC901, TOC902) is printed on "
        "standard error as warnings.",
        formatter_class=formatter_class, epilog=epilog)
    _input(iati, sensitive=False)
    shape = iati.add_mutually_exclusive_group()
    shape.add_argument("--fragment", action="store_true",
                       help="only the <result> elements, one after another, to paste into an "
                       "activity file of your own (not a document by itself)")
    shape.add_argument("--activity", action="store_true",
                       help="the whole activity file (the default; kept for older scripts)")
    iati.add_argument("-o", "--output", metavar="FILE",
                      help="write to FILE (default, or -: standard output)")
    pirs = kinds.add_parser("pirs", help="a Performance Indicator Reference Sheet per indicator",
                            formatter_class=formatter_class, epilog=epilog)
    _input(pirs, sensitive=False)
    pirs.add_argument("--indicator", metavar="ID", help="only this indicator")
    pirs.add_argument("-o", "--output", metavar="FILE",
                      help="write to FILE (default, or -: standard output)")
    table = kinds.add_parser("csv", help="the scored indicator table (spreadsheet-safe)",
                             formatter_class=formatter_class, epilog=epilog)
    _input(table, sensitive=False)
    table.add_argument("--observations", action="store_true",
                       help="instead, the observations derived from raw submissions exports "
                       "(`data:` entries with a `form:`), in the layout of a data CSV file "
                       "that reads back as data")
    table.add_argument("-o", "--output", metavar="FILE",
                       help="write to FILE (default, or -: standard output)")
    workbook_commands.add_export_parser(kinds, formatter_class, epilog, _input)
    workbook_commands.add_import_parser(commands, formatter_class, epilog)


def _prepare(args: argparse.Namespace) -> Any:
    """The prepared programme, or None after printing why it cannot be reported."""
    import sys
    from pathlib import Path

    from ..check.config import ConfigError
    from ..formats.report.inputs import NotValid, prepare
    from ..formats.validate.text import line
    from . import UsageError
    from .progress import of

    if args.max_size <= 0:
        raise UsageError("--max-size must be positive")
    path = Path(args.path)
    if not path.exists():
        raise UsageError(f"'{args.path}' does not exist")
    if path.is_dir() and not (path / "programme.yaml").exists():
        raise UsageError(f"no programme.yaml in folder '{args.path}'")
    try:
        prepared = prepare(path, include_sensitive=getattr(args, "include_sensitive", False),
                           max_bytes=int(args.max_size * 1024 * 1024), stage=of(args).stage)
    except ConfigError as err:
        raise UsageError(str(err)) from None
    except NotValid as err:
        of(args).close()
        sys.stderr.write("\n".join(line(d) for d in err.errors) + "\n")
        sys.stderr.write(f"cannot report: {err}\n")
        return None
    with of(args).paused():
        args.lang = _language(args.lang, prepared.programme)
    of(args).stage("preparing the output")
    return prepared


def _language(lang: str, programme: Any) -> str:
    """`lang` if the programme has text in it; else English, with a warning that says so
    (an output must never declare a language it is not written in)."""
    import sys

    from ..formats.report.i18n import DEFAULT_LANG, usable_language, written_languages

    if usable_language(lang, programme) is not None:
        return lang
    written = sorted(written_languages(programme) - {DEFAULT_LANG})
    has = f"it has {', '.join(written)} besides English" if written else "its text is English only"
    sys.stderr.write(
        f"toc: warning: --lang {lang}: the programme has no text in '{lang}' ({has}); "
        f"writing English instead (declared as '{DEFAULT_LANG}'). To add it, write texts "
        f"per language, e.g. statement: {{en: ..., {lang}: ...}}\n"
    )
    return DEFAULT_LANG


def _check_lang(lang: str) -> None:
    import re

    from . import UsageError

    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", lang):
        raise UsageError(f"--lang {lang!r} is not a language code (e.g. en, ne, bn)")


def _emit(data: str | bytes, output: str | None, stdout: TextIO, prepared: Any) -> None:
    """Write where `-o` says (`cli.output`), never over a file the command read."""
    from . import read_by
    from .output import refuse_inputs, write

    refuse_inputs(output, read_by(prepared.loaded))
    write(output, data, stdout)


def _nameless(output: str) -> bool:
    """Standard output, a device or a pipe: no file name to tell the format by (the
    default is used: HTML for reports, SVG for drawings)."""
    from pathlib import Path

    from .output import is_special, is_stdout

    return is_stdout(output) or is_special(Path(output))


def _wrote(output: Any, stdout: TextIO, what: str = "") -> None:
    """Say where the output went, unless it went to standard output itself."""
    from .output import is_stdout

    if not is_stdout(output):
        stdout.write(f"wrote {output}{what}\n")


def cmd_report(args: argparse.Namespace, stdout: TextIO) -> int:
    from pathlib import Path

    from . import UsageError

    _check_lang(args.lang)
    output = Path(args.output)
    suffix = ".html" if _nameless(args.output) else output.suffix.lower()
    if suffix not in (".html", ".htm", ".md", ".markdown"):
        raise UsageError(f"cannot tell the report format from '{args.output}': "
                         "use a name ending in .html or .md")
    if args.audience == "community" and suffix not in (".html", ".htm"):
        raise UsageError("the community sheet is HTML: use -o sheet.html")
    if args.site and args.audience != "community":
        raise UsageError("--site is for --audience community")
    if args.max_charts < 0:
        raise UsageError("--max-charts must be 0 or more")
    prepared = _prepare(args)
    if prepared is None:
        return EXIT_FINDINGS
    if args.audience == "community":
        from ..formats.report.community import render as render_sheet

        known = [s.id for s in prepared.programme.sites]
        sites = args.site or [s for s in known if any(
            p.site == s for p in prepared.programme.priorities)]
        unknown = [s for s in sites if s not in known]
        if unknown:
            raise UsageError(f"no site {', '.join(unknown)}; sites: {', '.join(known)}")
        if not sites:
            raise UsageError("no site has community priorities to report back on")
        sheet = render_sheet(prepared.programme, prepared.score, sites, args.lang)
        _emit(sheet, args.output, stdout, prepared)
        _wrote(args.output, stdout)
        return EXIT_OK
    from ..formats.report.document import build

    document = _counting_figures(build(prepared, args.lang, max_charts=args.max_charts), args)
    if suffix in (".html", ".htm"):
        from ..formats.report.html import render

        _emit(render(document), args.output, stdout, prepared)
        _wrote(args.output, stdout)
    else:
        from ..formats.report.markdown import write
        from . import read_by
        from .output import refuse_inputs

        refuse_inputs(output, read_by(prepared.loaded))
        written = write(document, output, args.figures)
        stdout.write(f"wrote {output} and {len(written) - 1} figure(s) in "
                     f"{output.stem}_files/\n")
    return EXIT_OK


def _counting_figures(document: Any, args: argparse.Namespace) -> Any:
    """The document with each figure counted on the progress line as it is drawn."""
    from dataclasses import replace

    from ..formats.report.document import FigureBlock
    from .progress import of

    progress = of(args)
    total = sum(isinstance(b, FigureBlock) for b in document.blocks)
    progress.stage(f"drawing {total} figures", total)

    def counted(block: FigureBlock) -> FigureBlock:
        def make() -> Any:
            try:
                return block.make()
            finally:
                progress.advance()
        return replace(block, make=make)

    return replace(document, blocks=tuple(
        counted(b) if isinstance(b, FigureBlock) else b for b in document.blocks))


def cmd_graph(args: argparse.Namespace, stdout: TextIO) -> int:
    from pathlib import Path

    from . import UsageError

    _check_lang(args.lang)
    output = Path(args.output)
    fmt = "svg" if _nameless(args.output) else output.suffix.lower().lstrip(".")
    if fmt not in FIGURE_FORMATS:
        raise UsageError(f"cannot draw to '{args.output}': use .svg, .png or .pdf")
    prepared = _prepare(args)
    if prepared is None:
        return EXIT_FINDINGS
    from ..formats.report.mpl import render
    from ..formats.report.tocgraph import draw_graph

    figure = draw_graph(prepared.programme, prepared.score, args.lang)
    drawn = render(figure, fmt, dpi=150 if fmt == "png" else 100)
    _emit(drawn, args.output, stdout, prepared)
    _wrote(args.output, stdout)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, stdout: TextIO) -> int:
    _check_lang(args.lang)
    if args.kind == "xlsx":
        workbook_commands.check_export(args)
    prepared = _prepare(args)
    if prepared is None:
        return EXIT_FINDINGS
    if args.kind == "iati":
        import sys

        from ..formats.report.iati import activity_xml, export_findings, results_xml
        from ..formats.validate.text import line
        from .progress import of

        make = results_xml if args.fragment else activity_xml
        _emit(make(prepared.programme, prepared.score, args.lang), args.output, stdout, prepared)
        found = export_findings(prepared.programme, prepared.loaded.locate)
        if args.fragment:  # identifiers and sectors belong to the activity file around it
            found = [f for f in found if f.code != "TOC901"]
        of(args).close()  # the findings are printed where the progress line was
        for finding in _selected(found, prepared):
            sys.stderr.write(line(finding) + "\n")
    elif args.kind == "xlsx":
        return workbook_commands.write_export(args, prepared, stdout)
    elif args.kind == "pirs":
        from ..formats.report.pirs import render as render_pirs
        from . import UsageError

        ids = [i.id for _, i in prepared.programme.indicators()]
        if args.indicator and args.indicator not in ids:
            raise UsageError(f"no indicator '{args.indicator}'")
        pirs = render_pirs(prepared.programme, args.lang, args.indicator)
        _emit(pirs, args.output, stdout, prepared)
    elif args.observations:
        from ..formats.report.observations_csv import render as render_observations

        text = render_observations(prepared.programme, prepared.loaded.path.parent)
        _emit(text, args.output, stdout, prepared)
    else:
        from ..formats.report.csv_export import render as render_csv

        _emit(render_csv(prepared.score, prepared.programme, args.lang), args.output, stdout,
              prepared)
    _wrote(args.output, stdout)
    return EXIT_OK


def _selected(found: list[Any], prepared: Any) -> list[Any]:
    """An export's findings under the rule selection `toc validate` uses (pyproject.toml and
    the programme's `lint:`), so a waived rule stays quiet here too."""
    from ..check.config import load_selection

    selection = load_selection(prepared.path.parent).merged(prepared.programme.lint)
    kept, _waived = selection.apply(found)
    return kept


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "report": cmd_report,
    "graph": cmd_graph,
    "export": cmd_export,
    "import": workbook_commands.cmd_import,
}
