"""CSV code columns are as narrow as the file's dictionary allows, and the `toc` process
gives the heap's free pages back to the operating system after loading."""

from __future__ import annotations

import io
import sys
from array import array
from typing import Any

import pytest

from toc_engine.cli import process
from toc_engine.schema import csvrows
from toc_engine.schema.csvdata import read_csv
from toc_engine.schema.observations import CODE


def _read(text: str) -> Any:
    return read_csv(io.StringIO(text, newline=""), "data.csv")


def _csv(values: int, rows: int = 0) -> str:
    rows = max(rows, values)
    lines = [f"a,{2000 + k % 30},{k % values},s{k % 3},{k % 2 + 1}" for k in range(rows)]
    return "indicator,period,value,site,sample_size\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize(("values", "typecode"), [(256, "B"), (257, "H"), (65_536, "H"),
                                                  (65_537, CODE)])
def test_each_column_takes_the_narrowest_typecode_its_codes_fit(values: int,
                                                               typecode: str) -> None:
    table = _read(_csv(values)).tables["a"]
    assert len(table.dictionary.values) == values
    assert table.values.typecode == typecode
    assert table.periods.typecode == table.extras.typecode == table.sizes.typecode == "B"
    assert table.lines.typecode == CODE  # line numbers run past any small dictionary
    assert list(table.values) == [k % values for k in range(values)]
    assert list(table.lines) == list(range(2, values + 2))
    assert [table.dictionary.periods[p].start.year for p in table.periods[:31]] == [
        2000 + k % 30 for k in range(31)]


def test_a_file_of_short_tables_keeps_full_codes_in_all_of_them() -> None:
    """Narrowing costs more than it saves on short tables; the choice is the file's, so its
    tables' columns stay alike."""
    short = [f"i{k % 50},2012,{k % 5},s1" for k in range(1000)]  # 20 rows a table
    long = [f"a,2012,{k % 5},s1" for k in range(1000)]  # and one of 1,000: 39 rows on average
    parsed = _read("indicator,period,value,site\n" + "\n".join(short + long) + "\n")
    assert {t.values.typecode for t in parsed.tables.values()} == {CODE}
    parsed = _read("indicator,period,value,site\n" + "\n".join(short[:10] + long) + "\n")
    assert {t.values.typecode for t in parsed.tables.values()} == {"B"}  # 11 tables: 92 rows


def test_the_low_bytes_are_found_on_a_big_endian_machine_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    codes = [(k % 200, k % 300, k % 7, k % 70_000, 10 + k) for k in range(50)]
    interleaved = array(CODE, [c for row in codes for c in row])
    for little in (True, False):
        held = array(CODE, interleaved)
        if little != (sys.byteorder == "little"):
            held.byteswap()  # the bytes as the other byte order stores the same codes
        monkeypatch.setattr(csvrows, "_LITTLE", little)
        words = memoryview(held).cast("B")
        narrow = csvrows._narrow(held, words, 0, 200)
        wider = csvrows._narrow(held, words, 1, 300)
        del words
        if little != (sys.byteorder == "little"):
            wider.byteswap()
        assert narrow.typecode == "B" and list(narrow) == [c[0] for c in codes]
        assert wider.typecode == "H" and list(wider) == [c[1] for c in codes]


def test_trimming_asks_the_c_library_and_survives_its_absence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ctypes

    glibc = sys.platform.startswith("linux") and hasattr(ctypes.CDLL(None), "malloc_trim")
    assert process.give_back_freed_memory() is False  # only in the `toc` process
    monkeypatch.setitem(process._PROCESS, "own", True)
    assert process.give_back_freed_memory() == glibc

    def no_library(name: Any) -> Any:
        raise OSError("no C library")

    monkeypatch.setattr(ctypes, "CDLL", no_library)
    assert process.give_back_freed_memory() is False
    monkeypatch.setitem(sys.modules, "ctypes", None)  # a Python built without ctypes
    assert process.give_back_freed_memory() is False
    monkeypatch.setattr(sys, "platform", "darwin")
    assert process.give_back_freed_memory() is False
