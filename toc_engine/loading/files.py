"""Reading the user's files safely: size limits, encodings, and paths kept inside a folder.

Nothing here writes; every problem becomes a located finding.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..findings import files as file_rules
from ..findings.diagnostic import Diagnostic, Span

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class TextFile:
    text: str | None
    diagnostics: list[Diagnostic]


class NotAFile(OSError):
    """The path names something other than a regular file: a folder, a named pipe, a
    socket or a device. Reading a pipe or a device can wait forever or never end."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def open_regular(path: Path, mode: str = "rb", **options: Any) -> IO[Any]:
    """Open `path` for reading if it is a regular file; `NotAFile` otherwise.

    The file is opened without waiting (a named pipe with no writer would block a plain
    `open`) and asked again what it is, so nothing swapped in meanwhile is read from."""
    kind = os.stat(path).st_mode  # a socket cannot even be opened: say what it is
    if not stat.S_ISREG(kind):
        raise NotAFile(errno.EINVAL, f"it is {_kind(kind)}, not a file", str(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        kind = os.fstat(fd).st_mode
        if not stat.S_ISREG(kind):
            raise NotAFile(errno.EINVAL, f"it is {_kind(kind)}, not a file", str(path))
        os.set_blocking(fd, True)
        return open(fd, mode, **options)
    except BaseException:
        os.close(fd)
        raise


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
        guess = _cp1252_reading(data, err.start)
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


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def utf8_problem(path: Path, file: str, chunk_size: int = 1 << 20) -> Diagnostic | None:
    """The first place a (possibly very large) data file stops being UTF-8, or None.

    Read in chunks, so it costs no memory on a large CSV file. Bytes that are not
    UTF-8 are decoded as lone surrogates (surrogateescape), which valid UTF-8 never
    produces, so the first one found is the first bad byte.
    """
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    line, col = 1, 0  # col: characters before the current position on its line
    with open_regular(path) as handle:
        head = handle.read(chunk_size)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return file_rules.NOT_UTF8(
                "the file is UTF-16, not UTF-8",
                Span(file, 1, 1),
                hint="re-save it as UTF-8 (in Excel: Save As, 'CSV UTF-8 (comma delimited)')",
            )
        chunk = head[len(_UTF8_BOM) :] if head.startswith(_UTF8_BOM) else head
        while True:
            final = not chunk
            text = decoder.decode(chunk, final)
            found = _ESCAPED_BYTE.search(text)
            before = text[: found.start()] if found else text
            newlines = before.count("\n")
            if newlines:
                line += newlines
                col = len(before) - before.rfind("\n") - 1
            else:
                col += len(before)
            if found:
                index = found.start()
                byte = ord(found.group()) - 0xDC00
                raw_before = text[max(0, index - 20) : index].encode("utf-8", "surrogateescape")
                raw_after = text[index : index + 20].encode("utf-8", "surrogateescape")
                guess = _cp1252_reading(raw_before + raw_after, len(raw_before))
                return file_rules.NOT_UTF8(
                    f"byte 0x{byte:02X} at line {line}, column {col + 1} is not UTF-8{guess}",
                    Span(file, line, col + 1),
                    hint="re-save the file as UTF-8 (in Excel: 'CSV UTF-8 (comma delimited)')",
                )
            if final:
                return None
            chunk = handle.read(chunk_size)


def _either(data: bytes) -> str:
    """UTF-8 if it is, else Windows-1252 (a Latin-1 file has more than one bad byte)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _cp1252_reading(data: bytes, offset: int) -> str:
    """How the text around the bad byte at `offset` reads if that byte is Windows-1252.

    Only the bad byte's own line is shown (a message stays on one line).
    """
    start = max(data.rfind(b"\n", 0, offset) + 1, offset - 20)
    end = data.find(b"\n", offset)
    end = min(len(data) if end < 0 else end, offset + 20)
    try:
        middle = data[offset : offset + 1].decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D are unassigned
        return ""
    before, after = _either(data[start:offset]), _either(data[offset + 1 : end])
    sample = "".join(c for c in before + middle + after if c.isprintable()).strip()
    return f" (in Windows-1252 it would read …{sample}…)" if sample else ""


def read_text(path: Path, file: str, max_bytes: int = DEFAULT_MAX_BYTES) -> TextFile:
    """Read a text file the user named, refusing oversized files before reading them."""
    try:
        size = path.stat().st_size
    except OSError as err:
        return TextFile(None, [unreadable(file, err, Span(file))])
    if path.is_dir():
        return TextFile(
            None,
            [
                file_rules.FILE_MISSING(
                    "this is a folder, not a file", Span(file), hint="name the .yaml or .csv file"
                )
            ],
        )
    if size > max_bytes and path.is_file():
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
        with open_regular(path) as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        return TextFile(None, [unreadable(file, err, Span(file))])
    if len(data) > max_bytes:  # grew while we looked
        return read_text(path, file, max_bytes)
    return decode(data, file)


def unreadable(file: str, err: OSError, span: Span) -> Diagnostic:
    """TOC012 for a file that could not be opened, or is not a regular file."""
    reason = err.strerror or str(err)
    if isinstance(err, NotAFile):
        return file_rules.FILE_MISSING(
            f"'{file}' is not read: {reason}",
            span,
            hint="name a regular file; pipes, sockets and devices are never read",
        )
    return file_rules.FILE_MISSING(
        f"cannot read '{file}': {reason.lower()}",
        span,
        hint="check the spelling (paths are relative to the programme file) and the "
        "file's permissions",
    )


def is_symlink_loop(base_dir: Path, relative: str) -> bool:
    """Whether `relative` under `base_dir` is a chain of symbolic links that never ends.

    `resolve_inside` refuses it (nothing can be opened); this tells the user why. Asked
    of the operating system (ELOOP): `Path.resolve` raises on a loop in Python 3.11-3.12
    but returns the path unresolved in 3.13.
    """
    if "\0" in relative:
        return False
    try:
        os.stat(base_dir / relative)
    except OSError as err:
        return err.errno == errno.ELOOP
    return False


def resolve_inside(base_dir: Path, relative: str) -> Path | None:
    """The real path of `relative` under `base_dir`, or None if it leads outside.

    Symbolic links are resolved first, so a link that points out of the folder is
    refused just like `../..`.
    """
    if not relative or os.path.isabs(relative) or relative.startswith("~") or "\0" in relative:
        return None  # a NUL cannot be in a file name: the operating system would refuse it
    if is_symlink_loop(base_dir, relative):
        return None
    root = base_dir.resolve()
    try:
        target = (root / relative).resolve(strict=False)
    except (OSError, RuntimeError):  # symlink loops
        return None
    if target == root or root not in target.parents:
        return None
    return target
