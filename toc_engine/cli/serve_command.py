"""`toc serve`: argparse only at import; the web app (the optional `serve` extra) loads
inside the command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO


class ServeError(Exception):
    """The app cannot start as asked (exit 2 with this message)."""


def add_parser(commands: Any, formatter_class: Any, epilog: str) -> None:
    serve = commands.add_parser(
        "serve",
        help="a local web app to see the programme and record observations in it",
        description="Start a local web app over one programme folder (or a folder of "
        "programme folders, listed on its first page): the theory of change, "
        "a page per result, the findings and the score, and a form to add or correct "
        "observations that writes back to the programme's own files (only when the "
        "programme gains no error and nobody changed the files meanwhile). It answers on "
        "this computer only unless --host is given. Needs: pip install 'toc-engine[serve]'.",
        formatter_class=formatter_class,
        epilog=epilog,
    )
    serve.add_argument("folder", nargs="?", default=".", metavar="FOLDER",
                       help="the folder holding programme.yaml, or folders that each hold one "
                       "(default: the current folder)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this computer only)")


def programme_folder(text: str) -> Path:
    path = Path(text)
    if path.is_file() and path.name == "programme.yaml":
        path = path.parent
    if not path.is_dir():
        raise ServeError(f"'{text}' is not a folder")
    if not (path / "programme.yaml").is_file() and not holds_programmes(path):
        raise ServeError(f"no programme.yaml in '{text}', nor in any folder directly inside "
                         "it (toc init makes one)")
    return path


def holds_programmes(path: Path) -> bool:
    """A folder of programme folders (served with a page listing them)."""
    try:
        return any((child / "programme.yaml").is_file() for child in path.iterdir())
    except OSError:
        return False


def _check_port_free(host: str, port: int) -> None:
    """ServeError, before the address is printed, if the port cannot be listened on."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as err:
            raise ServeError(
                f"cannot listen on {host} port {port}: {err.strerror or err}; another program "
                "(or another toc serve) may be using it: pass another with --port"
            ) from None


def cmd_serve(args: argparse.Namespace, stdout: TextIO) -> int:
    folder = programme_folder(args.folder)
    from ..check.config import ConfigError, load_selection

    try:  # a broken configuration is said once, before anything is served
        load_selection(folder)
    except ConfigError as err:
        raise ServeError(str(err)) from None
    if not 0 < args.port < 65536:
        raise ServeError("--port must be between 1 and 65535")
    try:
        import uvicorn

        from ..serve.app import create_app
        from ..serve.security import is_loopback
    except ModuleNotFoundError as err:
        if err.name and err.name.split(".")[0] in ("starlette", "jinja2", "uvicorn",
                                                    "markupsafe"):
            from ..serve import INSTALL_HINT

            raise ServeError(INSTALL_HINT) from None
        raise
    if not is_loopback(args.host):
        sys.stderr.write(
            f"toc: warning: listening on {args.host}: anyone who can reach this computer "
            "on the network can read the programme and record values in it\n"
        )
        if args.host in ("0.0.0.0", "::"):
            sys.stderr.write(
                "toc: note: pages are answered only for this computer's own names; give "
                "the address others will type instead (--host 192.168.1.20)\n"
            )
    if (folder / "programme.yaml").is_file():
        app = create_app(folder, args.host)
    else:
        from ..serve.programmes import create_programmes_app

        app = create_programmes_app(folder, args.host)
    _check_port_free(args.host, args.port)
    shown = args.host if ":" not in args.host else f"[{args.host}]"
    stdout.write(f"toc serve: {folder.resolve()}\nopen http://{shown}:{args.port}/ "
                 "(Ctrl+C to stop)\n")
    stdout.flush()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
