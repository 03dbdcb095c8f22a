"""Findings in CSV data files point at the character where the value starts (1-based,
characters not bytes, quotes considered), as editors, GitHub annotations and SARIF viewers
read a column; the message names the field."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toc_engine.cli import run
from toc_engine.findings.examples import VALID
from toc_engine.loading import csvcolumns
from toc_engine.loading.csvcolumns import CsvColumns, field_start


def _written(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)  # "\r" and "\n" quoted
    return buffer.getvalue()


def _expected(cells: list[str], index: int) -> tuple[int, int]:
    """Where csv.writer puts field `index`: after the fields before it and a comma, and
    inside its quotes if it has them."""
    prefix = _written([*cells[:index], ""])[:-2]  # the fields before it, and the comma
    lines = list(io.StringIO(prefix, newline=""))  # lines as csv.reader counts them
    col = len(lines[-1]) + 1
    if _written([cells[index], "x"]).startswith('"'):  # quoted (a lone "" is no row)
        col += 1
    return len(lines) - 1, col


def test_quotes_doubled_quotes_and_other_letters_are_counted_as_written() -> None:
    assert field_start("meetings,2013,=1+2", 2) == (0, 15)
    assert field_start('"a, b",2013,x', 2) == (0, 13)
    assert field_start('"say ""hi""",2013,x', 2) == (0, 19)
    assert field_start("Ñepal पहल,2013,x", 2) == (0, 16)  # characters, not UTF-8 bytes
    assert field_start('x,"one\ntwo",5', 2) == (1, 6)  # a quoted line end: the next line
    assert field_start("a,b,\"quoted\"", 2) == (0, 6)  # inside the quotes
    assert field_start("a,b", 2) is None


cell = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(cell, min_size=2, max_size=6), st.data())
def test_every_field_is_found_where_csv_writes_it(cells: list[str], data: st.DataObject
                                                  ) -> None:
    index = data.draw(st.integers(1, len(cells) - 1))
    text = _written(cells)
    assert next(csv.reader(io.StringIO(text, newline=""))) == cells  # a row csv reads back
    assert field_start(text, index) == _expected(cells, index)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=40),
       st.sampled_from([1, 16, 64, 1 << 16]), st.booleans())
def test_a_row_is_found_in_any_block_of_the_file(rows: list[list[str]], block: int,
                                                 crlf: bool) -> None:
    """The block index (of any block size) finds each row's line as csv.reader counts
    lines, whatever the line ends and the quoted line ends inside cells."""
    ending = "\r\n" if crlf else "\n"
    if not crlf:  # csv.writer quotes a "\r" only when its line end holds one
        rows = [[c.replace("\r", "") for c in row] for row in rows]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=ending).writerows([["a", "b", "c"], *rows])
    text = buffer.getvalue()
    old = csvcolumns.BLOCK_BYTES
    csvcolumns.BLOCK_BYTES = block
    try:
        columns = CsvColumns(lambda: io.BytesIO(text.encode("utf-8")), {"a": 0, "b": 1, "c": 2})
        reader = csv.reader(io.StringIO(text, newline=""))
        next(reader)
        line = reader.line_num + 1
        for row in reader:
            down, col = _expected(row, 2)
            assert columns.column(line, "c") == (line + down, col), (line, row)
            line = reader.line_num + 1
    finally:
        csvcolumns.BLOCK_BYTES = old


PROGRAMME = VALID.replace("assumptions:\n", "data:\n  - data/obs.csv\nassumptions:\n", 1)
CSV = (
    "indicator,site,period,value,note\n"
    'meetings,"Ñepal, पहल",2013,=1+2,"one\n'
    'two"\n'
    "meetings,Kathmandu,2013-Q5,4,ok\n"
)


def _validate(folder: Path, *options: str) -> tuple[int, str]:
    (folder / "data").mkdir()
    (folder / "programme.yaml").write_text(PROGRAMME, encoding="utf-8")
    (folder / "data" / "obs.csv").write_text(CSV, encoding="utf-8")
    out = io.StringIO()
    return run(["validate", "programme.yaml", *options], out), out.getvalue()


def test_a_finding_in_a_csv_file_points_at_its_value(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, text = _validate(tmp_path)
    assert code == 1
    # `=1+2` follows a quoted site name with a comma and letters outside ASCII
    assert "data/obs.csv:2:28: error TOC016 csv-bad-value: value '=1+2' is not a number" \
        in text
    assert "data/obs.csv:4:20: error TOC301 invalid-period: `period` '2013-Q5' is not a " \
        "period" in text


def test_github_and_sarif_get_the_same_character_column(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _code, text = _validate(tmp_path, "--format", "github")
    assert "file=data/obs.csv,line=2,col=28" in text
    out = io.StringIO()
    run(["validate", "programme.yaml", "--format", "sarif"], out)
    regions = [loc["physicalLocation"]["region"]
               for result in json.loads(out.getvalue())["runs"][0]["results"]
               for loc in result["locations"]]
    assert {"startLine": 2, "startColumn": 28} in regions


def test_a_finding_made_by_a_check_points_at_the_field_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checks locate a CSV row through the programme's source map: same columns."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "programme.yaml").write_text(PROGRAMME, encoding="utf-8")
    (tmp_path / "data" / "obs.csv").write_text(
        'indicator,note,period,value\nmeetings,"a, ""quoted"" note",2013,twelve\n',
        encoding="utf-8")
    out = io.StringIO()
    assert run(["validate", "programme.yaml"], out) == 1
    assert "data/obs.csv:2:36: error TOC103" in out.getvalue(), out.getvalue()
