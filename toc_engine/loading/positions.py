"""Where every key and item of the user's YAML was written.

`PosDict` and `PosList` are the plain dicts and lists the loader builds, each carrying the
packed (line, column) of itself and of its keys and items; `SourceMap` answers "where is
this path written?" for every later finding, across `include:`d files too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..findings.diagnostic import Span
from .csvcolumns import CsvColumns

SHIFT = 1 << 24  # columns up to 16 million characters


def pack(line: int, col: int) -> int:
    return line * SHIFT + col


def unpack(packed: int) -> tuple[int, int]:
    line, col = divmod(packed, SHIFT)
    return line, col


class PosDict(dict[str, Any]):
    """A mapping that remembers where it, and each of its keys and values, started."""

    __slots__ = ("keypos", "start", "valpos")

    def __init__(self) -> None:
        super().__init__()
        self.start = 0
        self.keypos: dict[str, int] = {}
        self.valpos: dict[str, int] = {}


class PosList(list[Any]):
    """A sequence that remembers where it, and each of its items, started."""

    __slots__ = ("itempos", "start")

    def __init__(self) -> None:
        super().__init__()
        self.start = 0
        self.itempos: list[int] = []


@dataclass(slots=True)
class Appended:
    """Items appended to a list from other files (CSV rows added to `observations`).

    The lines are kept per file as the compact sequence the CSV reader made (an
    `array`), not as a (file, line) tuple per row: a national programme has millions.
    """

    start: int  # index of the first appended item
    segments: list[tuple[str, Sequence[int]]]  # (file, line of each item), in append order
    columns: dict[str, CsvColumns]  # file -> where its fields start, in characters

    def __len__(self) -> int:
        return sum(len(lines) for _file, lines in self.segments)

    def row(self, index: int) -> tuple[str, int] | None:
        """(file, line) of the appended item at `index` of the whole list, if appended."""
        index -= self.start
        if index < 0:
            return None
        for file, lines in self.segments:
            if index < len(lines):
                return file, lines[index]
            index -= len(lines)
        return None


@dataclass(slots=True)
class SourceMap:
    """Maps a data path such as ('results', 3, 'indicators', 0, 'unit') to a span.

    Positions live on the loaded containers themselves, so the map is the root
    plus the file name, and looking a path up walks the data. Containers merged
    in from other files (includes) are listed in `origins`; rows appended from
    CSV files in `appended`.
    """

    file: str
    root: Any
    origins: dict[int, str] = field(default_factory=dict)
    appended: dict[tuple[str | int, ...], Appended] = field(default_factory=dict)

    def span(self, path: tuple[str | int, ...], key: bool = False) -> Span:
        """The span of the value at `path` (or of its key, with key=True).

        A path that goes further than the data (a missing field) falls back to the
        closest container that exists, which is where the user must add it.
        """
        node = self.root
        file = self.origins.get(id(node), self.file)
        best = node.start if isinstance(node, PosDict | PosList) else pack(1, 1)
        last = len(path) - 1
        # Rows appended from CSV are checked first: the list they were appended to
        # may not exist in the YAML at all (an indicator without `observations:`).
        for depth in range(1, len(path)) if self.appended else ():
            extra = self.appended.get(path[:depth])
            part = path[depth]
            if extra is None or not isinstance(part, int):
                continue
            found = extra.row(part)
            if found is not None:
                csv_file, line = found
                field_name = path[depth + 1] if depth < last else ""
                if field_name == "dimensions" and depth + 2 <= last:
                    field_name = path[depth + 2]  # a dimension is its own column
                characters = extra.columns.get(csv_file)
                if characters is None:
                    return Span(csv_file, line, 1)
                return Span(csv_file, *characters.column(line, str(field_name)))
        for depth, part in enumerate(path):
            if isinstance(node, PosDict) and isinstance(part, str) and part in node:
                best = node.keypos[part] if key and depth == last else node.valpos[part]
                node = node[part]
                file = self.origins.get(id(node), file)
            elif isinstance(node, PosList) and isinstance(part, int) and 0 <= part < len(node):
                best = node.itempos[part]
                node = node[part]
                file = self.origins.get(id(node), file)
            else:
                break
        line, col = unpack(best)
        return Span(file, line, col)


