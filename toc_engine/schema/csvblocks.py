"""Rows of quote-free CSV files, coded a block of lines at a time.

Most exports hold no quote character. In such a file every row is one line and its cells
lie between commas: what csv.reader gives, found with str.split at a fraction of its cost.
Lines are read in chunks. A chunk whose every line has the header's width and whose every
cell text is already coded becomes columns of codes with one dictionary lookup per cell
at C speed (numpy), and its rows are appended by indicator to the arrays the row loop
fills (`csvrows.Rows`). Any other chunk (a cell text met for the first time, which may
be a finding; a blank line; a row of the wrong width) goes through the row loop itself,
so the codes and findings are exactly the row loop's, in the same order.

The first `Sizes.start_after_chars` characters always go through the row loop: they code most
distinct cell texts, and a small file never imports numpy. A file holding a quote, a NUL,
a lone carriage return or a cell past csv's size limit is left to csv.reader whole
(`read_blocks` returns False), since only it reads those right.
"""

from __future__ import annotations

import csv
import io
from array import array
from typing import TYPE_CHECKING, Any, NamedTuple

from .csvrows import CACHE, Rows
from .observations import MAX_CODE

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray



class Sizes(NamedTuple):
    """How the block reader cuts a file; tests pass small sizes to exercise every edge."""

    chunk_chars: int = 1 << 18  # characters read at a time
    start_after_chars: int = 1 << 19  # characters that always go through the row loop first
    batch_rows: int = 1 << 17  # rows of several chunks gathered by indicator together
    # After this many chunks in a row that were not clean (a column of notes, say, makes
    # every chunk new), only one chunk in `retry_every` is tried: a failed try costs part
    # of the row loop's work on it.
    give_up_after: int = 8
    retry_every: int = 8


def read_blocks(stream: Any, rows: Rows, header_end: int, sizes: Sizes) -> bool:
    """Code every row after the header into `rows`; False if csv.reader must read the
    file instead (nothing read here may be used then)."""
    blocks: _Blocks | None = None
    line = header_end + 1  # the line of the next row
    read = 0  # characters coded so far
    rest = ""  # the start of a line whose end is not read yet
    limit = csv.field_size_limit()
    while not rows.stopped:
        data = stream.read(sizes.chunk_chars)
        text = rest + data if rest else data
        if data:
            cut = text.rfind("\n") + 1
            chunk, rest = text[:cut], text[cut:]
            if len(rest) > limit:
                return False  # a line past the size limit: csv.reader locates the error
            if not chunk:
                continue
        elif text:
            chunk, rest = text, ""  # the last line, with no line end
        else:
            break
        if '"' in chunk or "\0" in chunk:
            return False
        if "\r" in chunk:
            chunk = chunk.replace("\r\n", "\n")
            if "\r" in chunk:  # a line ended by "\r" alone
                return False
        if not chunk.endswith("\n"):
            chunk += "\n"  # the last line, ended by the end of the file
        if len(chunk) > limit and max(map(len, chunk.replace("\n", ",").split(","))) > limit:
            return False
        count = chunk.count("\n")
        if blocks is None and read >= sizes.start_after_chars:
            blocks = _Blocks.made(rows, sizes)
        if blocks is None or not blocks.add(chunk, count, line):
            if blocks is not None:
                blocks.flush()  # rows stay in file order
            lines = io.StringIO(chunk, newline="")  # one line at a time, not a list of them
            if not rows.read(csv.reader(lines, strict=True), line - 1, one_line_rows=True):
                return False
        line += count
        read += len(chunk)
    if blocks is not None:
        blocks.flush()
    return True


class _Blocks:
    """Codes clean chunks column-wise and appends their rows to the indicators' arrays."""

    def __init__(self, rows: Rows, numpy: Any, sizes: Sizes) -> None:
        self.np = numpy
        self.rows = rows
        self.sizes = sizes
        self.index: dict[str, int] = {}  # raw indicator cell -> number of its array
        self.number: dict[str, int] = {}  # indicator id -> number of its array
        self.targets: list[array[int]] = []  # the arrays of `rows.codes`, by number
        self.pending: list[tuple[NDArray[np.uint32], NDArray[np.uint32]]] = []
        self.pending_rows = 0
        self.misses = 0  # chunks in a row that were not clean

    @classmethod
    def made(cls, rows: Rows, sizes: Sizes) -> _Blocks | None:
        try:
            import numpy
        except ImportError:  # matplotlib brings numpy; without it, the row loop reads all
            return None
        return cls(rows, numpy, sizes)

    def add(self, chunk: str, count: int, first_line: int) -> bool:
        """Code the `count` lines of a clean chunk, each ended by "\\n" (False, with nothing
        done: the chunk is not clean)."""
        give_up, every = self.sizes.give_up_after, self.sizes.retry_every
        if self.misses >= give_up and (self.misses - give_up) % every:
            self.misses += 1
            return False
        np, rows = self.np, self.rows
        coder, width = rows.coder, rows.width
        if first_line + count - 1 > MAX_CODE or not self._same_width(chunk, count, width):
            return self._missed()
        cells = chunk.replace("\n", ",").split(",")  # then each line's cells are `width` apart
        cells.pop()  # after the last line end
        block = np.zeros((count, 5), np.uint32)  # period, value, extras, sample_size, line
        try:
            if rows.positions:
                columns = [cells[i::width] for i in rows.positions]
                keys = columns[0] if len(columns) == 1 else zip(*columns, strict=False)
                block[:, 2] = self._coded(coder.extras, keys, count)
            block[:, 1] = self._coded(coder.values, cells[coder.i_val :: width], count)
            block[:, 0] = self._coded(coder.periods, cells[coder.i_per :: width], count)
            if coder.i_n is not None:
                block[:, 3] = self._coded(coder.sizes, cells[coder.i_n :: width], count)
        except KeyError:  # a cell text not coded yet, or not codable: the row loop's work
            return self._missed()
        numbers = self._indicators(cells[rows.i_ind :: width], count)
        if numbers is None:
            return self._missed()
        block[:, 4] = np.arange(first_line, first_line + count, dtype=np.uint32)
        self.misses = 0
        self.pending.append((numbers, block))
        self.pending_rows += count
        if self.pending_rows >= self.sizes.batch_rows:
            self.flush()
        return True

    def _same_width(self, chunk: str, count: int, width: int) -> bool:
        """Whether each of the chunk's lines holds width - 1 commas (the row loop's
        `len(cells) == width` for rows without quotes), from the bytes' positions."""
        np = self.np
        # "," and "\n" are one byte in UTF-8, and no other character's bytes hold theirs.
        text = np.frombuffer(chunk.encode("utf-8", "surrogatepass"), np.uint8)
        ends = np.flatnonzero(text == 10)
        commas = np.flatnonzero(text == 44)
        if len(commas) != count * (width - 1):
            return False
        # Sorted: with as many commas as the lines need, the k-th width - 1 of them must
        # lie between the k-th line's start and its end.
        per_line = commas.reshape(count, width - 1)
        return bool((per_line[:, -1] < ends).all() and (per_line[1:, 0] > ends[:-1]).all())

    def _coded(self, codes: dict[Any, int], cells: Any, n: int) -> NDArray[np.uint32]:
        """The code of each cell; KeyError if one has none (met first, or not codable)."""
        coded: NDArray[np.uint32] = self.np.fromiter(map(codes.__getitem__, cells),
                                                     self.np.uint32, n)
        return coded

    def _missed(self) -> bool:
        self.misses += 1
        return False

    def _indicators(self, cells: list[str], n: int) -> NDArray[np.uint32] | None:
        """The number of each row's indicator array; None if some cell has none cached."""
        try:
            return self._coded(self.index, cells, n)
        except KeyError:
            pass
        # Registered in order of first row: every row of this chunk is good, and every
        # earlier chunk is coded, so the arrays are made in the row loop's order.
        for raw in dict.fromkeys(cells):
            if raw not in self.index:
                self._register(raw)
        try:
            return self._coded(self.index, cells, n)
        except KeyError:  # more distinct indicator cells than are remembered
            return None

    def _register(self, raw: str) -> None:
        ident = raw.strip()
        number = self.number.get(ident)
        if number is None:
            number = self.number[ident] = len(self.targets)
            self.targets.append(self.rows.array_of(ident))
        if len(self.index) < CACHE:
            self.index[raw] = number

    def flush(self) -> None:
        """Append the pending rows to their indicators' arrays, in file order."""
        if not self.pending:
            return
        np = self.np
        if len(self.pending) == 1:
            [(numbers, block)] = self.pending
        else:
            numbers = np.concatenate([numbers for numbers, _block in self.pending])
            block = np.concatenate([block for _numbers, block in self.pending])
        self.pending, self.pending_rows = [], 0
        n = len(numbers)
        starts = np.flatnonzero(numbers[1:] != numbers[:-1]) + 1
        if len(starts) > n // 8:  # the indicators' rows interleave: gather each one's
            order = np.argsort(numbers, kind="stable")
            numbers, block = numbers[order], block[order]
            starts = np.flatnonzero(numbers[1:] != numbers[:-1]) + 1
        bounds = [0, *starts.tolist(), n]
        as_bytes = block.view(np.uint8)  # array.frombytes takes bytes, not uint32 rows
        targets = self.targets
        for number, begin, end in zip(numbers[bounds[:-1]].tolist(), bounds, bounds[1:],
                                      strict=False):
            targets[number].frombytes(as_bytes[begin:end])
