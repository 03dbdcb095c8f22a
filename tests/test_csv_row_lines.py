"""CSV rows are located by counting them, unless a quoted cell spans lines.

`csvrows.read_rows` first numbers rows 2, 3, 4, ... (a tenth of the reading time at
5,000,000 rows); if the reader used more lines than rows, or stopped on an unreadable row,
it reads the file again asking the reader for each row's line. Either way the rows and
every finding are those of the line-by-line reading, which is all a stream that cannot
seek back gets.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toc_engine.schema import csvdata, csvrows
from toc_engine.schema.csvdata import CsvFile, read_csv


class _OneWay(io.StringIO):
    """A stream that cannot seek back: only the line-by-line reading applies."""

    def seekable(self) -> bool:
        return False


def _summary(parsed: CsvFile) -> Any:
    """Findings, and per indicator its rows' lines and the entries their codes stand for."""
    tables = {}
    for ident, t in parsed.tables.items():
        d = t.dictionary
        tables[ident] = (
            list(t.lines),
            [(d.periods[p], d.values[v], d.extras[x], d.sizes[n]) for p, v, x, n in t.codes()],
        )
    return [(d.code, d.span.line, d.span.col, d.message) for d in parsed.diagnostics], tables


def _both(text: str) -> tuple[Any, Any]:
    counted = read_csv(io.StringIO(text, newline=""), "data.csv")
    asked = read_csv(_OneWay(text, newline=""), "data.csv")
    return _summary(counted), _summary(asked)


def test_a_cell_over_several_lines_keeps_every_row_located() -> None:
    text = ("indicator,period,value,note\r\n"
            'a,2012,5,"two\r\nlines"\r\n'          # lines 2-3
            "a,2013,6,\r\n"                         # line 4
            'a,2014,7,"one\nand\rtwo more"\n'      # lines 5-7
            "a,20xx,8,\n"                           # line 8: not a period
            "\n"                                    # line 9: blank
            "a,2015\n")                             # line 10: too few cells
    counted, asked = _both(text)
    assert counted == asked
    findings, tables = counted[0], counted[1]
    assert tables["a"][0] == [2, 4, 5]
    assert [(code, line) for code, line, _, _ in findings] == [("TOC301", 8), ("TOC015", 10)]


def test_an_unclosed_quote_is_located_at_its_row_start() -> None:
    text = 'indicator,period,value\na,2012,5\na,2013,"6\na,2014,7\n'
    counted, asked = _both(text)
    assert counted == asked
    [(code, line, _, message)] = counted[0]
    assert (code, line) == ("TOC015", 3)
    assert "never closed" in message
    assert counted[1]["a"][0] == [2]


def test_rows_of_one_line_are_read_once(monkeypatch: Any) -> None:
    """A file without quotes is read once, in chunks (`csvblocks`); one with a quoted cell
    over two lines is given up at its first chunk and read twice by csv.reader: counting
    rows, then asking the reader for each row's line."""
    calls: list[Any] = []
    read_rows, chunk_read = csvrows.read_rows, csvrows.Rows.read

    def counting(*args: Any, **kwargs: Any) -> bool:
        calls.append(kwargs["one_line_rows"])
        return read_rows(*args, **kwargs)

    def counting_chunk(self: Any, reader: Any, offset: int, one_line_rows: bool) -> bool:
        calls.append(("line offset", offset))
        return chunk_read(self, reader, offset, one_line_rows)

    monkeypatch.setattr(csvdata, "read_rows", counting)
    monkeypatch.setattr(csvrows.Rows, "read", counting_chunk)
    read_csv(io.StringIO("indicator,period,value\na,2012,5\n\na,2013,6\n", newline=""), "d")
    assert calls == [("line offset", 1)]  # one chunk (its line 1 is the file's line 2)
    calls.clear()
    read_csv(io.StringIO('indicator,period,value\na,2012,"5\n"\n', newline=""), "d")
    assert calls == [True, ("line offset", 0), False, ("line offset", 0)]


_CELLS = st.sampled_from(["a", "b", "2012", "2013-Q2", "20xx", "5", "7.5", "x", "",
                          "two\nlines", "cr\rlf\r\n", 'q"uote', "c,omma", " 40 "])


@st.composite
def _csv_text(draw: Any) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(["indicator", "period", "value", "note"])
    for _ in range(draw(st.integers(0, 20))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            out.write("\n")  # a blank line
        elif kind == 1:
            writer.writerow([draw(_CELLS) for _ in range(draw(st.integers(1, 5)))])
        elif kind == 2:
            out.write('a,2012,"never closed\n')
        else:
            writer.writerow([draw(st.sampled_from(["a", "b"])), draw(_CELLS), draw(_CELLS),
                             draw(_CELLS)])
    return out.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_csv_text())
def test_counting_rows_gives_what_asking_the_reader_gives(text: str) -> None:
    counted, asked = _both(text)
    assert counted == asked


def test_a_stream_is_read_again_from_where_it_was_given() -> None:
    """A caller may hand over a stream past a preamble: the rows are read again from
    there, not from the very start."""
    text = ('# exported by the survey tool\n'
            'indicator,period,value,note\na,2012,5,"x\ny"\na,2013,6,\n')
    results = []
    for stream in (io.StringIO(text, newline=""), _OneWay(text, newline="")):
        stream.readline()
        results.append(_summary(read_csv(stream, "data.csv")))
    assert results[0] == results[1]
    assert results[0] == ([], {"a": ([2, 4], results[0][1]["a"][1])})


class _ChangedOnRewind(io.StringIO):
    """A file that another program rewrites while it is being read."""

    def seek(self, position: int, whence: int = 0) -> int:
        io.StringIO.seek(self, 0)
        io.StringIO.truncate(self, 0)
        io.StringIO.write(self, "something,else\n")
        return io.StringIO.seek(self, 0)


def test_a_file_changed_between_the_two_readings_is_reported() -> None:
    text = 'indicator,period,value,note\na,2012,5,"x\ny"\n'
    parsed = read_csv(_ChangedOnRewind(text, newline=""), "data.csv")
    [finding] = parsed.diagnostics
    assert finding.code == "TOC015"
    assert "changed while it was being read" in finding.message
    assert not parsed.tables


def test_a_cell_over_lines_stops_the_counting_at_once(monkeypatch: Any) -> None:
    """The first reading stops at the first new cell text after a multi-line row, not at
    the end of the file: such a file is read about once, not twice."""
    periods = [f"{year}-{month:02d}" for year in range(2000, 2040) for month in range(1, 13)]
    rows = ['a,2012,5,"first\nnote"'] + [f"a,{period},5," for period in periods]
    text = "indicator,period,value,note\n" + "\n".join(rows) + "\n"
    coded: list[str] = []
    period = csvrows._Coder.period

    def counting(self: Any, raw: str, row: int) -> int | None:
        coded.append(raw)
        return period(self, raw, row)

    monkeypatch.setattr(csvrows._Coder, "period", counting)
    parsed = read_csv(io.StringIO(text, newline=""), "data.csv")
    assert parsed.tables["a"].lines[1] == 4  # the row after the note's two lines
    assert len(coded) <= len(periods) + 3  # the second reading codes each period once
