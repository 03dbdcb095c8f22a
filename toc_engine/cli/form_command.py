"""`toc form PROGRAMME --form ID -o survey.xlsx`: an XLSForm for KoboToolbox or ODK.

Only argparse is imported here; the engine and openpyxl load inside the command."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

EXIT_OK, EXIT_FINDINGS = 0, 1
DATA_CODES = {"TOC012", "TOC015", "TOC311"}  # a data file missing, its layout, its rows


def add_parser(commands: Any, formatter_class: Any, epilog: str) -> None:
    parser = commands.add_parser(
        "form", help="an XLSForm for KoboToolbox/ODK from the indicators that name a form",
        description="Write an XLSForm (survey, choices and settings sheets) for one form "
        "declared under `forms:`: the site, dimension and date questions, and one question "
        "per indicator whose `collect:` names the form, with its labels in every language "
        "the programme uses, its choice list and `required`. The form id comes from the "
        "programme and the form; the version is a hash of the questions, so an edited "
        "framework gives a new version. Upload the file to KoboToolbox or ODK Central; "
        "list the exports under `data:` as {file: ..., form: ID}.",
        formatter_class=formatter_class, epilog=epilog)
    parser.add_argument("path", metavar="PROGRAMME", help="programme.yaml (or its folder)")
    parser.add_argument("--form", required=True, metavar="ID", help="the id of a form "
                        "under `forms:`")
    parser.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="the XLSForm to write (.xlsx)")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.add_argument("--max-size", type=float, default=20.0, metavar="MB",
                        help="refuse programme files larger than this (default: 20 MB)")


def cmd_form(args: argparse.Namespace, stdout: TextIO) -> int:
    import sys
    from pathlib import Path

    from ..check.pipeline import validate_loaded
    from ..findings.diagnostic import Severity
    from ..findings.suggest import did_you_mean
    from ..formats.validate.text import line
    from ..formats.xlsform import describe, xlsform_bytes
    from ..schema.programme import load
    from . import UsageError, programme_files, read_by
    from .output import is_special, is_stdout, refuse_inputs, write

    output = Path(args.output)
    if not (is_stdout(args.output) or is_special(output)):
        if output.suffix.lower() != ".xlsx":
            raise UsageError(f"'{args.output}' does not end in .xlsx")
        if output.exists() and not args.force:
            raise UsageError(f"'{args.output}' exists; pass --force to replace it")
    files = programme_files([args.path])
    if len(files) != 1:
        raise UsageError(f"'{args.path}' holds {len(files)} programmes; name one file")
    loaded = load(files[0], max_bytes=int(args.max_size * 1024 * 1024))
    report = validate_loaded(loaded, None, blocking_only=True)
    # A form is written before any export exists: problems in `data:` files do not stop it.
    errors = [d for d in report.diagnostics if d.severity is Severity.ERROR
              and d.code not in DATA_CODES and not d.code.startswith("TOC81")]
    if errors or loaded.programme is None:
        sys.stderr.write("\n".join(line(d) for d in errors) + "\n")
        sys.stderr.write(f"cannot write the form: {len(errors)} error(s) must be fixed "
                         "first (see `toc validate`)\n")
        return EXIT_FINDINGS
    programme = loaded.programme
    form = next((f for f in programme.forms if f.id == args.form), None)
    if form is None:
        known = [f.id for f in programme.forms]
        guess = did_you_mean(args.form, known)
        raise UsageError(
            f"the programme declares no form '{args.form}'"
            + (f"; did you mean '{guess}'?" if guess else
               f" (forms: {', '.join(known) or 'none; declare them under `forms:`'})"))
    refuse_inputs(args.output, read_by(loaded))
    write(args.output, xlsform_bytes(programme, form), stdout)
    if not is_stdout(args.output):
        about = describe(programme, form)
        stdout.write(f"wrote {args.output}: form {about['form_id']}, version "
                     f"{about['version']}, {len(about['questions'])} questions\n")
    return EXIT_OK
