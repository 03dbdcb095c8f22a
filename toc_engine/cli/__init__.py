"""The `toc` command. `run(argv) -> int` does the work and never exits; `main` wraps it.

Heavy modules (pydantic models, pint, networkx, matplotlib) are imported inside
the subcommands, so `toc --help` and pre-commit hooks start fast.

Exit codes: 0 no error findings; 1 error findings (warnings too with --strict);
2 the command could not run (bad arguments, missing path, internal failure);
141 standard output was closed by its reader (`toc rules | head`), said nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ..check.config import Selection

from ..formats.safe_text import for_terminal, for_terminal_lines
from .output import OutputError
from .process import (
    building,
    closed_pipe,
    exit_process,
    give_back_freed_memory,
    outlive,
    own_process,
    single_threaded_blas,
)
from .progress import around, of

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
BUG_URL = "https://github.com/toc-engine/toc-engine/issues"

DESCRIPTION = """\
Check, score and report theory-of-change results frameworks written as YAML.

Start with:  toc validate examples/nepal/programme.yaml
Then:        toc score examples/nepal/programme.yaml
"""

EPILOG = """\
exit codes: 0 no errors (warnings allowed), 1 errors found (warnings too with
--strict), 2 the command could not run (bad arguments, missing path).
Documentation: docs/ (tutorial, format reference, rules, scoring).
"""


class UsageError(Exception):
    """The command cannot run as asked; exit 2 with this message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message}\nrun `{self.prog} --help` for usage")


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = _Parser(
        prog="toc", description=DESCRIPTION, epilog=EPILOG, formatter_class=_formatter
    )
    parser.add_argument("--version", action="version", version=f"toc-engine {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    validate = commands.add_parser(
        "validate",
        help="check programme files and report every problem",
        description="Check programme files: YAML, schema, references, the theory-of-change "
        "graph, indicators, units, periods, evidence and safeguarding. Every problem is "
        "reported at once, as file:line:col with a rule code and a fix hint.",
        formatter_class=_formatter,
        epilog=EPILOG,
    )
    validate.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="programme files, or folders to search for programme.yaml files",
    )
    validate.add_argument(
        "--format",
        choices=["text", "json", "github", "sarif"],
        default="text",
        help="output format (default: text; github for GitHub Actions annotations, "
        "sarif for code scanning)",
    )
    validate.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    _common_input(validate)
    validate.add_argument(
        "--select", metavar="CODES", help="only these rule codes or prefixes, comma separated"
    )
    validate.add_argument(
        "--ignore", metavar="CODES",
        help="hide these rule codes or prefixes, comma separated, whatever their severity "
        "(waived ones too)",
    )
    validate.add_argument(
        "--show-waived", action="store_true",
        help="list each finding waived by an `ignore` entry with a reason (default: one "
        "summary line)",
    )
    validate.add_argument(
        "--config", metavar="FILE", type=Path, help="pyproject.toml to read [tool.toc-engine] from"
    )
    validate.add_argument("--no-color", action="store_true", help="never colour the output")
    validate.add_argument("-o", "--output", type=Path, metavar="FILE",
                help="write to FILE (- for standard output)")

    score = commands.add_parser(
        "score",
        help="score delivery, confidence and design",
        description="Combine indicator data and qualitative evidence into a delivery score "
        "and band per result, a confidence level with reasons, a verdict per causal link, "
        "and the programme's design score.",
        formatter_class=_formatter,
        epilog=EPILOG,
    )
    score.add_argument("path", metavar="PATH", help="the programme file")
    score.add_argument("--format", choices=["text", "json"], default="text")
    score.add_argument(
        "--explain", metavar="ID", help="show the arithmetic behind one result or link (a -> b)"
    )
    score.add_argument(
        "--include-sensitive",
        action="store_true",
        help="show summaries and quotes of sensitive evidence (withheld by default)",
    )
    _common_input(score)
    score.add_argument("-o", "--output", type=Path, metavar="FILE",
             help="write to FILE (- for standard output)")

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the programme format (for editors)",
        description="Print the JSON Schema (draft-07) of the programme file format. Point "
        "VS Code's YAML extension at it with a first line such as\n"
        "  # yaml-language-server: $schema=docs/schema/programme.schema.json",
        formatter_class=_formatter,
    )
    schema.add_argument("-o", "--output", type=Path, metavar="FILE",
              help="write to FILE (- for standard output)")

    rules = commands.add_parser("rules", help="list every rule with its code and severity")
    rules.add_argument("--format", choices=["text", "json", "markdown"], default="text")

    explain = commands.add_parser(
        "explain", help="explain one rule, with a failing and a passing example"
    )
    explain.add_argument("code", metavar="CODE", help="a rule code (TOC201) or symbol")

    init = commands.add_parser(
        "init",
        help="start a new programme from a theory-of-change model",
        description="Write DIR/programme.yaml from a model in models/ (never overwrites).",
        formatter_class=_formatter,
    )
    init.add_argument(
        "directory", metavar="DIR", type=Path, nargs="?", help="folder for the new programme"
    )
    init.add_argument(
        "--model", default="community-security", help="model name (default: community-security)"
    )
    init.add_argument("--list", action="store_true", help="list the available models")

    library = commands.add_parser(
        "library",
        help="list or check the indicator library",
        description="`toc library list` prints every entry as folder/id (what `use:` takes) "
        "with its name. `toc library check` checks every entry: all PIRS fields filled, id = "
        "file name and unique, and the same rules as an indicator in a programme.",
        formatter_class=_formatter,
        epilog=EPILOG,
    )
    library.add_argument("action", choices=["list", "check"], help="what to do")
    library.add_argument(
        "directory",
        nargs="?",
        type=Path,
        metavar="DIR",
        help="a library folder (<theme>/<id>.yaml files; default: the shipped indicators/)",
    )
    library.add_argument(
        "--format", choices=["text", "json", "github", "sarif"], default="text",
        help="output format of `check` (default: text)",
    )
    library.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    library.add_argument("--no-color", action="store_true", help="never colour the output")
    library.add_argument("-o", "--output", type=Path, metavar="FILE",
               help="write to FILE (- for standard output)")
    _add_report_commands(commands)
    from . import portfolio_commands

    portfolio_commands.add_parser(commands, _formatter, EPILOG)
    COMMANDS["portfolio"] = portfolio_commands.cmd_portfolio

    from . import form_command

    form_command.add_parser(commands, _formatter, EPILOG)
    COMMANDS["form"] = form_command.cmd_form

    from . import serve_command

    serve_command.add_parser(commands, _formatter, EPILOG)
    return parser


def _add_report_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`report`, `graph` and `export` (`cli.report_commands`: argparse only at import)."""
    try:
        from . import report_commands as cli_commands
    except ModuleNotFoundError as err:
        if err.name not in ("toc_engine.formats.report", "toc_engine.cli.report_commands"):
            raise  # a bug inside the report package must not make its commands vanish
        return
    cli_commands.add_parsers(commands, _formatter, EPILOG)
    for name, function in cli_commands.COMMANDS.items():
        COMMANDS[name] = function


QUIET_HELP = ("show no progress line (shown only when standard error is a terminal, "
              "for runs longer than a second)")


def _common_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help=QUIET_HELP)
    parser.add_argument(
        "--max-size",
        type=float,
        default=20.0,
        metavar="MB",
        help="refuse programme files larger than this (default: 20 MB)",
    )


# --- commands --------------------------------------------------------------------------------


def programme_files(paths: list[str]) -> list[Path]:
    """The programme files the paths name (a folder: every programme file in it); a usage
    error for a path that is missing, unreadable or holds none."""
    found: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            matches = sorted(
                p for p in path.rglob("*.yaml")
                if (p.name == "programme.yaml" or p.name.endswith(".toc.yaml")) and p.is_file()
            )
            if not matches:
                raise UsageError(f"no programme.yaml file found in folder '{text}'")
            found.extend(matches)
        elif path.exists():
            from ..loading.files import open_regular

            try:
                with open_regular(path):
                    pass
            except OSError as err:
                reason = err.strerror or str(err)
                reason = reason[:1].lower() + reason[1:]
                raise UsageError(f"cannot read '{text}': {reason}") from None
            found.append(path)
        elif path.is_symlink():
            raise UsageError(f"'{text}' is a symbolic link that leads nowhere (or to itself)")
        else:
            raise UsageError(f"'{text}' does not exist")
    return found


def _max_bytes(megabytes: float) -> int:
    if megabytes <= 0:
        raise UsageError("--max-size must be positive")
    return int(megabytes * 1024 * 1024)


def _emit(text: str | Iterable[str], output: Path | None, stdout: TextIO,
          inputs: Iterable[Path] = ()) -> None:
    """Write the output (whole, or in pieces as they are made) where `-o` says
    (`cli.output`), never over one of the command's `inputs`."""
    from .output import refuse_inputs, write

    refuse_inputs(output, inputs)
    write(output, text, stdout)


def read_by(loaded: Any, config: Path | None = None) -> list[Path]:
    """The files a command read for `loaded`: its programme files and the configuration."""
    from ..check.config import find_pyproject

    found = list(loaded.sources)
    settings = config or find_pyproject(loaded.path.parent)
    return [*found, settings] if settings is not None else found


def _use_color(args: argparse.Namespace, stream: TextIO) -> bool:
    if getattr(args, "no_color", False) or os.environ.get("NO_COLOR") or args.output:
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def cmd_validate(args: argparse.Namespace, stdout: TextIO) -> int:
    from ..check.config import ConfigError, Selection, load_selection, normalise
    from ..check.pipeline import merge_reports, validate
    from ..findings.diagnostic import Severity
    from ..formats.validate import REPORTERS
    from ..schema.programme import load

    files = programme_files(args.paths)
    max_bytes = _max_bytes(args.max_size)
    reports = []
    inputs: list[Path] = []
    progress = of(args)
    for index, path in enumerate(files):
        try:
            selection = load_selection(path.parent, args.config)
        except ConfigError as err:
            raise UsageError(str(err)) from None
        if args.select:
            selection.select.extend(c.strip().upper() for c in args.select.split(",") if c.strip())
        if args.ignore:
            for code in args.ignore.split(","):
                if code.strip():
                    selection.hide.append(normalise(code))
        with building():
            progress.stage(f"reading {path}", len(files), index)
            loaded = load(path, max_bytes=max_bytes)
            give_back_freed_memory()
            if index == len(files) - 1:  # each other file is freed before the next is read
                outlive(loaded)  # the `toc` process ends without freeing it object by object
            progress.stage(f"checking {path}", len(files), index)
            reports.append(validate(loaded, selection=selection or Selection()))
        inputs.extend(read_by(loaded, args.config))
    report = merge_reports(reports)
    report.sort()
    _emit(REPORTERS[args.format](report, _use_color(args, stdout), args.show_waived),
          args.output, stdout, inputs)
    failing = report.count(Severity.ERROR) + (report.count(Severity.WARNING) if args.strict else 0)
    return EXIT_FINDINGS if failing else EXIT_OK


def cmd_score(args: argparse.Namespace, stdout: TextIO) -> int:
    from ..check.config import ConfigError, load_selection

    path = Path(args.path)
    if path.is_dir():
        path = path / "programme.yaml"
    path = programme_files([str(path)])[0]  # exit 2 for a missing or unreadable path
    try:
        selection = load_selection(path.parent)  # waivers in pyproject.toml apply here too
    except ConfigError as err:
        raise UsageError(str(err)) from None
    with building():
        return _score_loaded(args, path, selection, stdout)


def _score_loaded(args: argparse.Namespace, path: Path, selection: Selection,
                  stdout: TextIO) -> int:
    from ..check.pipeline import validate_loaded
    from ..findings.diagnostic import Severity
    from ..formats.validate.text import line
    from ..schema.programme import load

    progress = of(args)
    progress.stage(f"reading {path}")
    loaded = load(path, max_bytes=_max_bytes(args.max_size))
    give_back_freed_memory()
    # Only the checks that can stop scoring run: warnings are `toc validate`'s to print.
    progress.stage("checking")
    report = validate_loaded(loaded, selection, blocking_only=True)
    if not report.valid or loaded.programme is None:
        errors = [d for d in report.diagnostics if d.severity is Severity.ERROR]
        progress.close()
        sys.stderr.write("\n".join(line(d) for d in errors) + "\n")
        sys.stderr.write(
            f"cannot score: {len(errors)} error(s) must be fixed first (see `toc validate`)\n"
        )
        return EXIT_FINDINGS
    from ..formats.score import explain, render_text_chunks, to_json_chunks
    from ..scoring import score

    progress.stage("scoring")
    scored = score(loaded.programme, include_sensitive=args.include_sensitive, locate=loaded.locate)
    outlive(loaded, scored)  # the `toc` process ends without freeing them one by one
    progress.stage("writing")
    if args.explain:
        try:
            text = explain(scored, args.explain)
        except KeyError as err:
            raise UsageError(str(err.args[0]) if err.args else str(err)) from None
        if loaded.programme.forms:
            from ..formats.score.derived import derived_text

            text += derived_text(loaded.programme, loaded.path.parent, args.explain,
                                 args.include_sensitive)
        _emit(text, args.output, stdout, read_by(loaded))
    elif args.format == "json":
        # The text of json.dumps(..., indent=2), written piece by piece: at national scale
        # it is hundreds of megabytes, which need not be held whole (nor their bytes).
        _emit(chain(to_json_chunks(scored), ["\n"]), args.output, stdout, read_by(loaded))
    else:
        # Written a few thousand lines at a time: a national summary need not be held whole.
        _emit(render_text_chunks(scored), args.output, stdout, read_by(loaded))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, stdout: TextIO) -> int:
    from ..formats.editor_schema import render

    _emit(render(), args.output, stdout)
    return EXIT_OK


def cmd_rules(args: argparse.Namespace, stdout: TextIO) -> int:
    from ..check.rules import RULES

    if args.format == "json":
        import json

        stdout.write(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "symbol": r.symbol,
                        "severity": r.severity.label,
                        "family": r.family,
                        "summary": r.summary,
                    }
                    for _code, r in sorted(RULES.items())
                ],
                indent=2,
            )
            + "\n"
        )
        return EXIT_OK
    if args.format == "markdown":
        from ..formats.docs import rules_markdown

        stdout.write(rules_markdown())
        return EXIT_OK
    family = ""
    for code in sorted(RULES):
        rule = RULES[code]
        if rule.family != family:
            family = rule.family
            stdout.write(f"\n{family}\n")
        stdout.write(f"  {code}  {rule.symbol:<34} {rule.severity.label:<8} {rule.summary}\n")
    stdout.write("\nRun `toc explain CODE` for a rule's documentation and examples.\n")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace, stdout: TextIO) -> int:
    from ..check.rules import by_symbol_or_code
    from ..formats.docs import explain_rule

    rule = by_symbol_or_code(args.code)
    if rule is None:
        raise UsageError(f"no rule '{args.code}'; `toc rules` lists them")
    stdout.write(explain_rule(rule))
    return EXIT_OK


def cmd_init(args: argparse.Namespace, stdout: TextIO) -> int:
    from .init import InitError, available_models, init_programme

    if args.list:
        for name in available_models():
            stdout.write(name + "\n")
        return EXIT_OK
    if args.directory is None:
        raise UsageError("give the folder for the new programme: toc init --model NAME DIR")
    try:
        written = init_programme(args.model, args.directory)
    except InitError as err:
        raise UsageError(str(err)) from None
    stdout.write(f"wrote {written}\nnext: edit it, then run `toc validate {written}`\n")
    return EXIT_OK


def cmd_library(args: argparse.Namespace, stdout: TextIO) -> int:
    from ..loading.library import indicators_dir

    root = args.directory or indicators_dir()
    if not root.is_dir():
        raise UsageError(f"'{root}' is not a folder")
    if args.action == "list":
        from ..check.library import list_entries

        entries = list_entries(root)
        width = max((len(e.key) for e in entries), default=0)
        text = "".join(f"{entry.key:<{width}}  {entry.name}\n" for entry in entries)
        _emit(text, args.output, stdout)
        return EXIT_OK
    from ..check.library import check_library, entry_files
    from ..findings.diagnostic import Severity
    from ..formats.validate import REPORTERS

    if not entry_files(root):
        raise UsageError(f"no library entries (<theme>/<id>.yaml) in '{root}'")
    report = check_library(root)
    _emit(REPORTERS[args.format](report, _use_color(args, stdout), True), args.output, stdout)
    failing = report.count(Severity.ERROR) + (report.count(Severity.WARNING) if args.strict else 0)
    return EXIT_FINDINGS if failing else EXIT_OK


def cmd_serve(args: argparse.Namespace, stdout: TextIO) -> int:
    from .serve_command import ServeError, cmd_serve

    try:
        return cmd_serve(args, stdout)
    except ServeError as err:
        raise UsageError(str(err)) from None


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "validate": cmd_validate,
    "score": cmd_score,
    "schema": cmd_schema,
    "rules": cmd_rules,
    "explain": cmd_explain,
    "init": cmd_init,
    "library": cmd_library,
    "serve": cmd_serve,
}


def run(argv: list[str] | None = None, stdout: TextIO | None = None) -> int:
    """Run the command line; returns the exit code and never calls sys.exit."""
    out = stdout or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help(out)
            return EXIT_USAGE
        with around(args, args.command, out, sys.stderr) as (_, guarded):
            return COMMANDS[args.command](args, guarded)
    except (UsageError, OutputError) as err:
        sys.stderr.write(f"toc: {for_terminal_lines(str(err))}\n")
        return EXIT_USAGE
    except BrokenPipeError:
        return closed_pipe()
    except OSError as err:
        reason = f"{err.strerror or err}: {err.filename or ''}"
        sys.stderr.write(f"toc: {for_terminal(reason)}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("toc: interrupted\n")
        return EXIT_USAGE


def entry() -> None:
    """The `toc` command and `python -m toc_engine`: a process of its own, which may
    freeze what it loads and exit without freeing it (`cli.process`), and which asks numpy's
    OpenBLAS for no thread pool (`single_threaded_blas`); `main` stays safe to call from
    a longer-lived one."""
    own_process()
    single_threaded_blas()
    exit_process(_guarded(None))


def main(argv: list[str] | None = None) -> None:
    sys.exit(_guarded(argv))


def _guarded(argv: list[str] | None) -> int:
    """`run`, with an engine bug reported as one line instead of a traceback."""
    try:
        return run(argv)
    except SystemExit as exit_:  # argparse --help and --version
        raise exit_
    except BaseException as err:  # an engine bug must not print a traceback at users
        sys.stderr.write(
            f"toc: internal error ({type(err).__name__}: {err}). This is a bug in toc-engine; "
            f"please report it at {BUG_URL} with the command you ran.\n"
        )
        return EXIT_USAGE
