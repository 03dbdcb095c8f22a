"""Quote-free CSV files coded a block of lines at a time give exactly what csv.reader and
the row loop give: the same codes, tables in the same order, the same findings.

The references are `read_csv(..., blocks=None)` (the row loop alone) and a stream that
cannot seek back, which `read_csv` reads with csv.reader only. Chunks are made tiny here
so that a few hundred rows cross every path: the row
loop's first chunks, clean chunks coded as blocks (indicators in runs, or interleaved and
gathered), chunks with new or bad cells sent back to the row loop, giving up and retrying.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toc_engine.schema import csvblocks
from toc_engine.schema.csvdata import CsvFile, Sizes, read_csv

TINY = Sizes(chunk_chars=64, start_after_chars=0, batch_rows=7)
_SIZES = Sizes()  # what `_compare` reads with; the `tiny_chunks` fixture makes it TINY


class _OneWay(io.StringIO):
    """A stream that cannot seek back: csv.reader and the row loop read it all."""

    def seekable(self) -> bool:
        return False


def _everything(parsed: CsvFile) -> Any:
    """All that reading produced: findings, tables in order, their code columns and the
    entries the codes stand for."""
    tables = []
    dictionary = None
    for ident, table in parsed.tables.items():
        dictionary = table.dictionary
        tables.append((ident, table.file, list(table.periods), list(table.values),
                       None if table.extras is None else list(table.extras),
                       None if table.sizes is None else list(table.sizes), list(table.lines)))
    entries = None if dictionary is None else (
        dictionary.periods, dictionary.values, dictionary.extras, dictionary.sizes)
    findings = [(d.code, d.span.line, d.span.col, d.message) for d in parsed.diagnostics]
    return findings, parsed.columns, tables, entries


def _compare(text: str, sizes: Sizes | None = None) -> Any:
    chosen = sizes or _SIZES

    def again() -> io.BytesIO:  # the file opened again, for the findings' columns
        return io.BytesIO(text.encode("utf-8", "surrogatepass"))

    fast = _everything(read_csv(io.StringIO(text, newline=""), "data.csv", blocks=chosen,
                                open_again=again))
    plain = _everything(read_csv(io.StringIO(text, newline=""), "data.csv", blocks=None,
                                 open_again=again))
    assert fast == plain
    assert fast == _everything(read_csv(_OneWay(text, newline=""), "data.csv",
                                        open_again=again))
    return fast


@pytest.fixture
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Blocks from the first chunk on, chunks of a few lines, batches of a few chunks;
    counts how many chunks were coded as blocks."""
    monkeypatch.setattr(sys.modules[__name__], "_SIZES", TINY)
    seen = {"tried": 0, "coded": 0}
    add = csvblocks._Blocks.add

    def counting(self: Any, chunk: str, count: int, first_line: int) -> bool:
        coded = add(self, chunk, count, first_line)
        seen["tried"] += 1
        seen["coded"] += coded
        return coded

    monkeypatch.setattr(csvblocks._Blocks, "add", counting)
    return seen


def _rows(count: int, grouped: bool, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    indicators = [f"r{k}-i0" for k in range(12)]
    out = []
    for k in range(count):
        ind = indicators[k * len(indicators) // count] if grouped else rng.choice(indicators)
        out.append(f"{ind},2012-Q{rng.randint(1, 4)},{rng.randint(0, 9)},s{rng.randint(1, 3)}")
    return out


@pytest.mark.parametrize("grouped", [True, False], ids=["runs", "interleaved"])
def test_clean_chunks_are_coded_as_blocks(tiny_chunks: dict[str, int], grouped: bool) -> None:
    text = "indicator,period,value,site\n" + "\n".join(_rows(600, grouped)) + "\n"
    findings, _columns, tables, _entries = _compare(text)
    assert not findings and len(tables) == 12
    assert sum(len(t[-1]) for t in tables) == 600
    assert tiny_chunks["coded"] > 0.8 * tiny_chunks["tried"] > 100


def test_new_and_bad_cells_go_through_the_row_loop(tiny_chunks: dict[str, int]) -> None:
    rows = _rows(400, grouped=False)
    rows[150] = "r1-i0,2012-Q9,3,s1"  # not a period: TOC301 at its line
    rows[200] = "r2-i0,2013,x=1,s2"  # a new cell text met late, then a bad value
    rows[201] = "r2-i0,2013,=1,s2"
    rows[250] = ""  # a blank line
    rows[300] = "r3-i0,2012-Q1,4"  # too few cells
    rows[350] = " r4-i0 ,2012-Q1,4,s9"  # a new site, an indicator written with spaces
    text = "\ufeffIndicator,period,value,site\r\n" + "\r\n".join(rows)  # no final line end
    findings, _columns, tables, _entries = _compare(text)
    assert [(code, line) for code, line, _col, _message in findings] == [
        ("TOC301", 152), ("TOC016", 203), ("TOC015", 302)]
    assert len(tables) == 12 and " r4-i0 " not in [ident for ident, *_rest in tables]
    assert tiny_chunks["coded"] > 0


def test_several_extras_columns_and_sample_sizes(tiny_chunks: dict[str, int]) -> None:
    rng = random.Random(9)
    rows = [f"a{rng.randint(0, 2)},2012,{rng.randint(1, 3)},s{rng.randint(1, 2)},"
            f"{rng.choice(['female', 'male', ''])},{rng.choice(['', '40', '0', '12'])},"
            f"{rng.choice(['', 'Prishtinë', 'নারী'])}" for _ in range(500)]
    text = "indicator,period,value,site,sex,sample_size,note\n" + "\n".join(rows) + "\n"
    findings, _columns, tables, _entries = _compare(text)
    assert findings and {code for code, *_rest in findings} == {"TOC016"}  # sample_size 0
    assert tiny_chunks["coded"] > 0 and len(tables) == 3


def test_rows_too_long_and_too_short_in_one_chunk_are_found(tiny_chunks: dict[str, int]) -> None:
    rows = _rows(300, grouped=True)
    # As many commas as two rows, and every cell known: split together, they would make two
    # good rows of r8-i0.
    rows[200:202] = ["r8-i0,2012-Q1,1,s1,r8-i0", "2012-Q1,1,s1"]
    findings, *_rest = _compare("indicator,period,value,site\n" + "\n".join(rows) + "\n")
    assert [(code, line) for code, line, *_rest in findings] == [("TOC015", 202),
                                                                 ("TOC015", 203)]


def test_indicators_first_met_in_a_block_keep_the_order_of_their_first_rows(
    monkeypatch: pytest.MonkeyPatch, tiny_chunks: dict[str, int]
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "_SIZES", TINY._replace(chunk_chars=4096))
    warm = [f"a,2012-Q{q},{v},s1" for q in range(1, 5) for v in range(10)] * 10
    late = [f"{ind},2012-Q1,{v},s1" for v in range(10) for ind in ("d", "b", "c", "b")]
    _findings, _columns, tables, _entries = _compare(
        "indicator,period,value,site\n" + "\n".join(warm + late) + "\n")
    assert [ident for ident, *_rest in tables] == ["a", "d", "b", "c"]
    assert tiny_chunks["coded"] >= 1


def test_text_that_is_not_valid_unicode_is_read_as_csv_reader_reads_it(
    tiny_chunks: dict[str, int],
) -> None:
    """A caller's stream may hold a lone surrogate (a file opened with surrogateescape)."""
    rows = [f"a,2012,{k % 3},s\udc80" for k in range(200)]
    _findings, _columns, tables, _entries = _compare(
        "indicator,period,value,site\n" + "\n".join(rows) + "\n")
    assert len(tables[0][-1]) == 200 and tiny_chunks["coded"] > 0


@pytest.mark.parametrize("late", [
    'a,2012,5,"two\nlines"',  # a quoted cell over two lines
    "a,2012,5,s1\rb,2013,6,s1",  # a line ended by a carriage return alone
    "a,2012,5,s\x001",  # a NUL
])
def test_what_only_csv_reader_reads_right_is_left_to_it(
    tiny_chunks: dict[str, int], late: str
) -> None:
    rows = _rows(300, grouped=True)
    text = "indicator,period,value,site\n" + "\n".join([*rows[:250], late, *rows[250:]]) + "\n"
    _compare(text)
    assert tiny_chunks["coded"] > 0  # blocks were coded, then dropped, before it was met


def test_a_cell_past_the_field_size_limit_is_left_to_csv_reader(
    tiny_chunks: dict[str, int],
) -> None:
    limit = csv.field_size_limit(40)
    try:
        rows = _rows(200, grouped=True)
        rows[120] = "a,2012,5," + "s" * 50
        findings, *_rest = _compare("indicator,period,value,site\n" + "\n".join(rows) + "\n")
        rows[120] = "a,2012,5,s1," + "s" * 300  # a line longer than a chunk, and the limit
        more, *_rest = _compare("indicator,period,value,site\n" + "\n".join(rows) + "\n")
    finally:
        csv.field_size_limit(limit)
    assert [code for code, *_rest in findings] == ["TOC015"]
    assert [code for code, *_rest in more] == ["TOC015"]


def test_a_column_new_in_every_row_stops_the_tries(
    tiny_chunks: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[int] = []
    same_width = csvblocks._Blocks._same_width

    def counting(self: Any, chunk: str, count: int, width: int) -> bool:
        checked.append(count)
        return same_width(self, chunk, count, width)

    monkeypatch.setattr(csvblocks._Blocks, "_same_width", counting)
    rows = [f"a,2012,5,note {k}" for k in range(2000)]
    _compare("indicator,period,value,note\n" + "\n".join(rows) + "\n")
    assert tiny_chunks["coded"] == 0 and tiny_chunks["tried"] > 500  # ~one per chunk
    tries = TINY.give_up_after + tiny_chunks["tried"] / TINY.retry_every
    assert tries - 1 <= len(checked) <= tries + 1


def test_without_numpy_the_row_loop_reads_everything(
    tiny_chunks: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)  # `import numpy` raises ImportError
    _compare("indicator,period,value,site\n" + "\n".join(_rows(300, grouped=False)) + "\n")
    assert tiny_chunks["tried"] == 0


def test_a_small_file_is_read_without_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Any] = []
    monkeypatch.setattr(csvblocks._Blocks, "made",
                        classmethod(lambda cls, rows, sizes: made.append(1)))
    _compare("indicator,period,value,site\n" + "\n".join(_rows(300, grouped=False)) + "\n")
    assert not made  # 300 rows are far below Sizes().start_after_chars


def test_rows_past_the_last_line_code_go_through_the_row_loop(
    tiny_chunks: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csvblocks, "MAX_CODE", 100)
    _compare("indicator,period,value,site\n" + "\n".join(_rows(300, grouped=True)) + "\n")
    assert 0 < tiny_chunks["coded"] < tiny_chunks["tried"]


_CELL = {
    "indicator": st.sampled_from(["a", "b", " b", "c"]),
    "period": st.sampled_from(["2012", "2012-Q1", "2013-02", "20xx", ""]),
    "value": st.sampled_from(["5", "5.0", " 7 ", "x", "=1", "NaN", "1e400", ""]),
    "site": st.sampled_from(["s1", "s2", "", "Prishtinë"]),
    "sample_size": st.sampled_from(["", "40", "0", "x"]),
    "sex": st.sampled_from(["female", "male", ""]),
}


@st.composite
def _quote_free_csv(draw: Any) -> str:
    header = draw(st.sampled_from([
        ["indicator", "period", "value"],
        ["indicator", "period", "value", "site"],
        ["site", "value", "indicator", "period", "sex", "sample_size"],
    ]))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [",".join(header)]
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.integers(0, 15))
        if kind == 0:
            lines.append("")
        elif kind == 1:
            lines.append(",".join(draw(_CELL["value"]) for _ in range(draw(st.integers(1, 7)))))
        else:
            lines.append(",".join(draw(_CELL[name]) for name in header))
    return end.join(lines) + draw(st.sampled_from(["", end, end + end]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(text=_quote_free_csv(), chunk=st.integers(1, 80), batch=st.integers(1, 20))
def test_blocks_give_what_the_row_loop_gives(
    monkeypatch: pytest.MonkeyPatch, text: str, chunk: int, batch: int
) -> None:
    _compare(text, Sizes(chunk_chars=chunk, start_after_chars=0, batch_rows=batch))
