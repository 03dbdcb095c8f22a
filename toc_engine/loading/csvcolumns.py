"""Where a CSV field starts in its line, as a character column, found only for a finding.

Editors, GitHub annotations and SARIF viewers read a finding's column as a character of
the line (1-based, counting characters, not bytes), not as the number of a CSV field.
The rows are read without keeping their text (`schema/csvrows.py`), so the line a finding
is about is read again from the file when the finding is made: the file is opened again,
an index of where each block of about 64 KB of lines starts is made on the first request
(one pass, counting line ends), and the block holding the line is read and kept for the
findings that follow, which are mostly about nearby rows.
"""

from __future__ import annotations

import bisect
import io
from collections.abc import Callable
from typing import IO

BLOCK_BYTES = 1 << 16


def field_start(text: str, index: int) -> tuple[int, int] | None:
    """(lines down, column) where field `index` (0-based) of the row that `text` starts
    with begins: its first character, or the first character after its opening quote.
    Fields before it are read as csv.reader reads them (a quoted field may hold commas,
    doubled quotes and line ends). None if the row has fewer fields."""
    down, col, i, n = 0, 1, 0, len(text)
    for _ in range(index):
        if i < n and text[i] == '"':
            i, col = i + 1, col + 1
            while i < n:
                char = text[i]
                if char == '"':
                    if text.startswith('""', i):
                        i, col = i + 2, col + 2
                        continue
                    i, col = i + 1, col + 1
                    break
                if char in "\r\n":
                    i += 2 if text.startswith("\r\n", i) else 1
                    down, col = down + 1, 1
                    continue
                i, col = i + 1, col + 1
        while i < n and text[i] not in ",\r\n":
            i, col = i + 1, col + 1
        if i >= n or text[i] != ",":
            return None
        i, col = i + 1, col + 1
    if i < n and text[i] == '"':
        col += 1  # the value starts inside its quotes
    return down, col


class CsvColumns:
    """The character columns of one CSV file's fields, for the findings about its rows.

    `open_again` opens the file again as bytes (UTF-8, as it was read); `fields` are the
    header's names and their 0-based positions. A file that cannot be read again (gone,
    changed) gives column 1, the start of the row's line."""

    def __init__(self, open_again: Callable[[], IO[bytes]], fields: dict[str, int]) -> None:
        self.open_again = open_again
        self.fields = fields
        self.starts: list[int] | None = None  # the first line of each block
        self.offsets: list[int] = []  # the byte where each block starts, and the file's end
        self.block: tuple[int, list[str]] = (0, [])  # (first line, lines) of the last block

    def column(self, line: int, field: str | int) -> tuple[int, int]:
        """(line, column) where `field` (a header name or a 0-based position) of the row
        starting on `line` begins; the row's line and column 1 if it cannot be found."""
        index = self.fields.get(field, 0) if isinstance(field, str) else field
        if line < 1 or index == 0:
            return line, 1
        try:
            lines = self._lines(line)
            at = line - self.block[0]
            if not 0 <= at < len(lines):
                return line, 1
            found = field_start(lines[at], index)
            if found is None and '"' in lines[at]:  # a quoted field may run on
                text = "".join(lines[at:])
                if at >= len(lines) - 2:
                    text += "".join(self._lines(self.block[0] + len(lines)))
                found = field_start(text, index)
        except (OSError, ValueError):
            return line, 1
        if found is None:
            return line, 1
        down, col = found
        return line + down, col

    def _lines(self, line: int) -> list[str]:
        """The lines of the block holding `line` (kept for the next finding)."""
        first, lines = self.block
        if first <= line < first + len(lines):
            return lines
        if self.starts is None:
            self._index()
        assert self.starts is not None
        k = bisect.bisect_right(self.starts, line) - 1
        if k < 0 or k + 1 >= len(self.offsets):
            return lines
        with self.open_again() as stream:
            stream.seek(self.offsets[k])
            data = stream.read(self.offsets[k + 1] - self.offsets[k])
        text = data.decode("utf-8", errors="replace")
        if k == 0:
            text = text.removeprefix("\ufeff")  # the byte order mark is no character
        self.block = (self.starts[k], list(io.StringIO(text, newline="")))
        return self.block[1]

    def _index(self) -> None:
        """One pass over the file: the first line and the byte offset of each block of
        lines. Lines end as csv.reader ends them: at \\n, \\r\\n or a lone \\r."""
        starts, offsets = [1], [0]
        with self.open_again() as stream:
            line, offset, pending = 1, 0, []  # pending: read since the last "\n"
            while chunk := stream.read(BLOCK_BYTES):
                cut = chunk.rfind(b"\n") + 1
                if not cut:
                    pending.append(chunk)  # joined once a line end comes: no quadratic copy
                    continue
                piece = b"".join([*pending, chunk[:cut]])
                pending = [chunk[cut:]]
                line += piece.count(b"\n") + piece.count(b"\r") - piece.count(b"\r\n")
                offset += len(piece)
                starts.append(line)
                offsets.append(offset)
            rest = b"".join(pending)
            if rest:  # the last line has no line end
                offsets.append(offset + len(rest))
                starts.append(line + 1 + rest.count(b"\r"))
        # the last entry is the file's end: no block starts there
        self.starts, self.offsets = starts, offsets
