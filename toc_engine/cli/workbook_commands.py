"""`toc export xlsx`: the scored framework as an Excel logframe workbook.

Only argparse is imported here; openpyxl and the engine load inside the command, so
`toc --help` and `toc validate` stay fast."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TextIO

EXIT_OK = 0
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


def check_export(args: argparse.Namespace) -> None:
    from pathlib import Path

    from . import UsageError

    output = Path(args.output)
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"'{args.output}' does not end in .xlsx")
    if output.exists() and not args.force:
        raise UsageError(f"'{args.output}' exists; pass --force to replace it")


def write_export(args: argparse.Namespace, prepared: Any, stdout: TextIO) -> int:
    from pathlib import Path

    from ..formats.atomic import write_atomic
    from ..formats.xlsx.export import workbook_bytes

    write_atomic(Path(args.output), workbook_bytes(prepared, args.layout, args.lang))
    stdout.write(f"wrote {args.output}\n")
    return EXIT_OK
