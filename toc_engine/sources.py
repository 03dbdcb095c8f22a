"""Reading the user's files safely: size limits, encodings, and paths kept inside a folder.

Nothing here writes; every problem becomes a located finding.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, Span
from .rules import files as file_rules

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class TextFile:
    text: str | None
    diagnostics: list[Diagnostic]


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as users should see it: relative to the working directory when possible."""
    try:
        return os.path.relpath(path, base or Path.cwd())
    except ValueError:  # another drive on Windows
        return str(path)


def _position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[line_start:offset].decode("utf-8", errors="replace")
    return line, len(prefix) + 1


def decode(data: bytes, file: str) -> TextFile:
    """UTF-8 text (a BOM is dropped, CRLF kept for the parser); anything else is a finding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return TextFile(
            None,
            [
                file_rules.NOT_UTF8(
                    "the file is UTF-16, not UTF-8",
                    Span(file, 1, 1),
                    hint="re-save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)",
                )
            ],
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _position_of_byte(data, nul)
        return TextFile(
            None,
            [
                file_rules.BINARY(
                    f"the file contains binary data (a NUL byte at line {line}, column {col})",
                    Span(file, line, col),
                    hint="this is not a text file; check you are validating the .yaml "
                    "and not a spreadsheet or archive",
                )
            ],
        )
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        return TextFile(data.decode("utf-8"), [])
    except UnicodeDecodeError as err:
        line, col = _position_of_byte(data, err.start)
        byte = data[err.start]
        guess = ""
        try:
            sample = data[max(0, err.start - 20) : err.start + 20].decode("cp1252")
            guess = f" (in Windows-1252 it would read …{sample.strip()}…)"
        except UnicodeDecodeError:
            pass
        return TextFile(
            None,
            [
                file_rules.NOT_UTF8(
                    f"byte 0x{byte:02X} at line {line}, column {col} is not UTF-8{guess}",
                    Span(file, line, col),
                    hint="re-save the file as UTF-8 in your editor",
                )
            ],
        )


def read_text(path: Path, file: str, max_bytes: int = DEFAULT_MAX_BYTES) -> TextFile:
    """Read a text file the user named, refusing oversized files before reading them."""
    try:
        size = path.stat().st_size
    except OSError as err:
        return TextFile(None, [_missing(file, err, Span(file))])
    if path.is_dir():
        return TextFile(
            None,
            [
                file_rules.FILE_MISSING(
                    "this is a folder, not a file", Span(file), hint="name the .yaml or .csv file"
                )
            ],
        )
    if size > max_bytes:
        return TextFile(
            None,
            [
                file_rules.FILE_TOO_LARGE(
                    f"the file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit",
                    Span(file, 1, 1),
                    hint="move observations into CSV files listed under `data:` (much faster "
                    "to read), or raise the limit with --max-size",
                )
            ],
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        return TextFile(None, [_missing(file, err, Span(file))])
    if len(data) > max_bytes:  # grew while we looked
        return read_text(path, file, max_bytes)
    return decode(data, file)


def _missing(file: str, err: OSError, span: Span) -> Diagnostic:
    reason = err.strerror or str(err)
    return file_rules.FILE_MISSING(
        f"cannot read '{file}': {reason.lower()}",
        span,
        hint="check the path and the file's permissions",
    )


def resolve_inside(base_dir: Path, relative: str) -> Path | None:
    """The real path of `relative` under `base_dir`, or None if it leads outside.

    Symbolic links are resolved first, so a link that points out of the folder is
    refused just like `../..`.
    """
    if not relative or os.path.isabs(relative) or relative.startswith("~"):
        return None
    root = base_dir.resolve()
    try:
        target = (root / relative).resolve(strict=False)
    except (OSError, RuntimeError):  # symlink loops
        return None
    if target == root or root not in target.parents:
        return None
    return target
