"""An observation written into a `data:` CSV file: a row appended, or the row of the same
indicator, period, site and dimensions replaced in place. Every other byte stays."""

from __future__ import annotations

import csv
import io
from typing import Any

from .yaml_edit import EditRefused

FIXED = ("indicator", "period", "value", "site", "source", "sample_size", "note", "missing")


def _key(row: dict[str, str], dimensions: list[str]) -> tuple[str, ...]:
    return tuple((row.get(c) or "").strip() for c in ("indicator", "period", "site", *dimensions))


def has_rows_of(text: str, indicator: str) -> bool:
    reader = csv.DictReader(io.StringIO(text))
    return any((row.get("indicator") or "").strip() == indicator for row in reader)


def with_observation(text: str, indicator: str, observation: dict[str, Any]) -> tuple[str, str]:
    lines = text.splitlines(keepends=True)
    if not lines:
        raise EditRefused("the CSV file is empty; it needs its header row first")
    header = next(csv.reader([lines[0]]))
    names = [h.strip() for h in header]
    dimensions = [n for n in names if n not in FIXED]
    row = {"indicator": indicator, **{k: str(v) for k, v in observation.items()
                                      if k != "dimensions"}}
    row.update({k: str(v) for k, v in observation.get("dimensions", {}).items()})
    if "missing" in row and "missing" not in names:
        raise EditRefused("the CSV file has no `missing` column to say why the value is "
                          "missing; add a `missing` column to its header (every row may "
                          "leave it empty), or write the observation in the programme YAML")
    missing = [k for k in row if k not in names]
    if missing:
        raise EditRefused(f"the CSV file has no column {', '.join(missing)}; add the column "
                          "to its header first")
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerow([row.get(n, "") for n in names])
    new_line = out.getvalue()
    key = _key(row, dimensions)
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) == len(lines):  # one row per line: a row can be replaced where it stands
        for index, cells in enumerate(rows[1:], start=1):
            existing = dict(zip(names, cells, strict=False))
            if _key(existing, dimensions) == key:
                lines[index] = new_line
                return "".join(lines), "corrected"
    if not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    lines.append(new_line)
    return "".join(lines), "added"
