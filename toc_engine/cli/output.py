"""Where a command's output goes: standard output, a device or pipe, or a file.

`-o -` (or no `-o`) is standard output. A regular file (or a new one) is written
atomically: a temporary file beside it, renamed into place. A device, a named pipe or
`/dev/stdout` is written straight to, never replaced by a regular file. And a command
never writes over a file it read in the same run (the programme, an include, a CSV data
file, a library entry, the configuration): that is refused before anything is written.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..formats.atomic import write_atomic

Data = str | bytes | Iterable[str]


class OutputError(Exception):
    """The output cannot be written where it was asked to go (exit 2)."""


def is_stdout(output: str | Path | None) -> bool:
    return output is None or str(output) == "-"


def refuse_inputs(output: str | Path | None, inputs: Iterable[Path]) -> None:
    """OutputError if `output` is one of the files the command read."""
    if is_stdout(output):
        return
    target = Path(str(output))
    try:
        if not target.exists():
            return
    except OSError:
        return
    for source in inputs:
        try:
            same = os.path.samefile(target, source)
        except OSError:
            continue
        if same:
            raise OutputError(
                f"refusing to write the output over '{output}', which this command reads; "
                "choose another file for -o"
            )


def is_special(path: Path) -> bool:
    """A device, pipe or socket (also through a link such as /dev/stdout): written to as
    it is, and with no file name to tell a format by."""
    if _through_proc_or_dev(path):
        return True  # /dev/stdout and the like, even when they lead to a regular file
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # a new file: written atomically
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _through_proc_or_dev(path: Path) -> bool:
    """Whether `path` is in /dev or reaches a file through /dev or /proc (a process's
    open file, such as /dev/stdout -> /proc/self/fd/1): never to be replaced."""
    current = os.path.abspath(path)
    for _ in range(40):  # links followed one at a time, as the kernel would
        if current.startswith(("/dev/", "/proc/")):
            return True
        if not os.path.islink(current):
            return False
        target = os.readlink(current)
        current = os.path.abspath(os.path.join(os.path.dirname(current), target))
    return True  # a loop of links: not a file to replace


def write(output: str | Path | None, data: Data, stdout: TextIO) -> None:
    """Write `data` to standard output, to a device or pipe as it is, or to a file
    atomically. Raises OutputError with a plain message when it cannot."""
    if is_stdout(output):
        _to_stdout(data, stdout)
        return
    path = Path(str(output))
    if path.is_dir():
        raise OutputError(f"'{output}' is a folder; give a file name for -o")
    try:
        if is_special(path):
            _straight(path, data)
        else:
            write_atomic(path, data)
    except BrokenPipeError:  # `-o /dev/stdout | head`: the reader left, as on standard output
        raise
    except OSError as err:
        reason = (err.strerror or str(err)).lower()
        raise OutputError(f"cannot write '{output}': {reason}") from None


def _to_stdout(data: Data, stdout: TextIO) -> None:
    if isinstance(data, bytes):
        buffer = getattr(stdout, "buffer", None)
        if buffer is None:
            raise OutputError("this output is binary: give a file name for -o")
        stdout.flush()
        buffer.write(data)
        return
    if isinstance(data, str):
        stdout.write(data)
        return
    for piece in data:
        stdout.write(piece)


def _straight(path: Path, data: Data) -> None:
    """Write to a device or pipe as it is: no temporary file, no rename."""
    pieces = [data] if isinstance(data, str | bytes) else data
    with open(path, "wb", buffering=0) as stream:
        for piece in pieces:
            chunk = piece.encode("utf-8") if isinstance(piece, str) else piece
            view = memoryview(chunk)
            while view:
                written = stream.write(view)
                if not written:
                    raise OSError(28, "no space left on device")
                view = view[written:]
