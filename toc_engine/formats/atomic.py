"""Writing output files so that an interrupted run never leaves half a file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomic(
    path: Path, data: str | bytes | bytearray | memoryview | Iterable[str], encoding: str = "utf-8"
) -> None:
    """Write to a temporary file beside `path`, then rename it into place.

    `data` may be the text, the bytes, or the text in pieces (written as they come, so a
    large output need not be held whole)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    pieces = [data] if isinstance(data, str | bytes | bytearray | memoryview) else data
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            for piece in pieces:
                stream.write(piece.encode(encoding) if isinstance(piece, str) else piece)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
