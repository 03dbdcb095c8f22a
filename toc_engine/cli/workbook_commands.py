"""`toc export xlsx` and `toc import logframe`: Excel logframes in and out.

Only argparse is imported here; openpyxl and the engine load inside the commands, so
`toc --help` and `toc validate` stay fast."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TextIO

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
LAYOUT_HELP = "eu (EU Logical Framework Matrix, default) or fcdo (FCDO/DFID logframe)"


def add_export_parser(kinds: Any, formatter_class: Any, epilog: str,
                      add_input: Callable[..., None]) -> None:
    book = kinds.add_parser(
        "xlsx", help="the scored framework as an Excel workbook (logframe and tables)",
        description="Write the scored framework as an Excel workbook: the logframe in the "
        "EU or FCDO layout with the latest actuals, bands and states, an indicator "
        "performance tracking table, the links' verdicts, the evidence (sensitive text "
        "withheld unless --include-sensitive) and what the scores mean. `toc import "
        "logframe` reads the logframe back.",
        formatter_class=formatter_class, epilog=epilog)
    add_input(book)
    book.add_argument("-o", "--output", metavar="FILE", required=True, help="scored.xlsx")
    book.add_argument("--layout", choices=["eu", "fcdo"], default="eu", help=LAYOUT_HELP)
    book.add_argument("--force", action="store_true", help="replace FILE if it exists")


def add_import_parser(commands: Any, formatter_class: Any, epilog: str) -> None:
    parser = commands.add_parser(
        "import",
        help="start a programme from an Excel logframe: import logframe BOOK.xlsx -o FOLDER",
        description="Import a programme skeleton from elsewhere. `toc import logframe` reads "
        "an Excel logframe (the EU Logical Framework Matrix or the FCDO/DFID logframe, "
        "recognised by their headers; any other layout through --map) and writes "
        "FOLDER/programme.yaml, plus FOLDER/data/observations.csv for achieved values. "
        "Values the workbook leaves ambiguous become comments naming their cell and "
        "findings, never guesses.",
        formatter_class=formatter_class, epilog=epilog)
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True,
                                  parser_class=type(parser))
    logframe = kinds.add_parser(
        "logframe", help="a programme skeleton from a logframe workbook (.xlsx)",
        description="Read a logframe workbook (.xlsx) and write FOLDER/programme.yaml "
        "(and FOLDER/data/observations.csv for achieved values). Exit 0: imported; 1: "
        "imported with findings to look at (ambiguous values left as comments); 2: nothing "
        "written (unreadable workbook, unrecognised layout, existing programme without "
        "--force).",
        formatter_class=formatter_class, epilog=epilog)
    logframe.add_argument("book", metavar="BOOK.xlsx", help="the logframe workbook")
    logframe.add_argument("-o", "--output", metavar="FOLDER", required=True,
                          help="folder for programme.yaml (created if missing)")
    logframe.add_argument("--map", metavar="MAP.yaml",
                          help="a mapping file for any other layout: which sheet, which "
                          "header row, which column is what (see docs/reports.md)")
    logframe.add_argument("--sheet", metavar="NAME",
                          help="the sheet to read (default: the first visible sheet whose "
                          "headers are recognised)")
    logframe.add_argument("--id", metavar="SLUG", help="the programme id (default: from the "
                          "file name)")
    logframe.add_argument("--max-rows", type=int, default=5000, metavar="N",
                          help="read at most N rows of a sheet (default 5000)")
    logframe.add_argument("--force", action="store_true",
                          help="replace an existing programme.yaml")


def check_export(args: argparse.Namespace) -> None:
    from pathlib import Path

    from . import UsageError
    from .output import is_special, is_stdout

    output = Path(args.output)
    if is_stdout(args.output) or is_special(output):
        return  # standard output, a device or a pipe: written to as it is
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"'{args.output}' does not end in .xlsx")
    if output.exists() and not args.force:
        raise UsageError(f"'{args.output}' exists; pass --force to replace it")


def write_export(args: argparse.Namespace, prepared: Any, stdout: TextIO) -> int:
    from ..formats.xlsx.export import workbook_bytes
    from . import read_by
    from .output import is_stdout, refuse_inputs, write

    refuse_inputs(args.output, read_by(prepared.loaded))
    write(args.output, workbook_bytes(prepared, args.layout, args.lang), stdout)
    if not is_stdout(args.output):
        stdout.write(f"wrote {args.output}\n")
    return EXIT_OK


def cmd_import(args: argparse.Namespace, stdout: TextIO) -> int:
    from pathlib import Path

    from ..formats.xlsx.importer import outputs, run_import
    from . import UsageError

    if args.max_rows < 1:
        raise UsageError("--max-rows must be 1 or more")
    if not Path(args.book).is_file():
        raise UsageError(f"'{args.book}' does not exist or is not a file")
    if args.map and not Path(args.map).is_file():
        raise UsageError(f"--map '{args.map}' does not exist or is not a file")
    existing = [p for p in outputs(Path(args.output)) if p.exists()]
    if existing and not args.force:
        raise UsageError(f"'{existing[0]}' exists; pass --force to replace it")
    return run_import(args, stdout)
