"""`toc export csv` read by the clients its users run: the csv module and pandas agree on
every row and column, and the numeric columns arrive as numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from toc_engine.cli import run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "programme.yaml").exists())
NUMERIC = ("progress", "progress_clamped", "weight")


@pytest.mark.parametrize("example", EXAMPLES)
def test_pandas_and_the_csv_module_read_the_same_table(example: str) -> None:
    pandas = pytest.importorskip("pandas")
    out = io.StringIO()
    assert run(["export", "csv", str(ROOT / "examples" / example)], stdout=out) == 0
    text = out.getvalue()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    assert len(set(header)) == len(header)
    frame = pandas.read_csv(io.StringIO(text), keep_default_na=False, dtype=str)
    assert list(frame.columns) == header
    assert frame.shape == (len(body), len(header))
    assert frame.values.tolist() == body  # every cell as the csv module reads it
    numbers = pandas.read_csv(io.StringIO(text))
    for column in NUMERIC:
        assert numbers[column].dtype.kind in "if", column
