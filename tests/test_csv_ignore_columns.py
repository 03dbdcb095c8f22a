"""`ignore_columns:` leaves an export's own columns unread, in the row loop and the block
reader alike; a column no indicator declares is one finding per file, at its header."""

from __future__ import annotations

import io
from pathlib import Path

import toc_engine
from toc_engine.findings.examples import VALID
from toc_engine.schema.csvdata import Sizes, read_csv

TINY = Sizes(chunk_chars=64, start_after_chars=0, batch_rows=7)
HEADER = "start,indicator,period,value,enumerator,_uuid\n"


def _rows(count: int) -> str:
    return "".join(
        f"2012-0{i % 9 + 1}-01T09:00:00,meetings,2012-Q{i % 4 + 1},{i},Akello,a{i:04d}\n"
        for i in range(count)
    )


def test_ignored_columns_are_not_read_in_blocks_or_rows() -> None:
    text = HEADER + _rows(300)
    ignore = {"start", "enumerator", "_uuid"}
    for blocks in (TINY, None):
        parsed = read_csv(io.StringIO(text, newline=""), "data.csv", blocks=blocks,
                          ignore=ignore)
        assert parsed.diagnostics == []
        table = parsed.tables["meetings"]
        assert table.extras is None  # nothing but indicator, period and value is read
        assert len(table.lines) == 300


def test_an_unnamed_export_column_stops_the_file_with_the_fix() -> None:
    text = HEADER + _rows(3)
    parsed = read_csv(io.StringIO(text, newline=""), "data.csv",
                      open_again=lambda: io.BytesIO(text.encode()))
    [finding] = parsed.diagnostics
    # the character where `_uuid` starts in the header line
    assert (finding.code, finding.span.line, finding.span.col) == (
        "TOC015", 1, HEADER.index("_uuid") + 1)
    assert finding.hint.endswith("a column the export adds is left unread by naming it: "
                                 "`ignore_columns: [_uuid]`")


def test_an_undeclared_column_is_one_finding_per_file(tmp_path: Path) -> None:
    (tmp_path / "programme.yaml").write_text(
        VALID + "data: [a.csv, b.csv]\nignore_columns: [Start, _UUID]\n", encoding="utf-8")
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text(HEADER + _rows(40), encoding="utf-8")
    report = toc_engine.validate(tmp_path / "programme.yaml")
    found = [(d.span.file.rsplit("/", 1)[-1], d.span.line, d.span.col, d.hint)
             for d in report.diagnostics if d.code == "TOC309"]
    hint = "the export adds it: name it under `ignore_columns: [enumerator]` so that it is not read"
    assert found == [("a.csv", 1, 5, hint), ("b.csv", 1, 5, hint)]
