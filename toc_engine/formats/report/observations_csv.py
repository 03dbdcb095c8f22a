"""`toc export csv --observations`: the observations derived from raw submissions exports,
in the layout of a `data:` CSV file.

An officer can check the derived values in a spreadsheet beside the export, and the file
reads back as data (indicator, period, site, a column per dimension, value, sample_size,
source, note). Only aggregates are written. For a sensitive indicator only its totals
with at least the safeguarding threshold of answers are written: its site and dimension
cells, which could single people out, are left out.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ...schema.model import Programme
from ...schema.observations import as_list
from ...scoring.safeguarding import threshold
from ..score.derived import export_files
from .csv_export import neutralise

FIXED = ("indicator", "period", "site")
TAIL = ("value", "sample_size", "source", "note")


def derived_rows(programme: Programme, base_dir: Path) -> tuple[list[str], list[list[str]]]:
    exports = export_files(programme, base_dir)
    dimensions: dict[str, None] = {}
    found = []
    for _result, indicator in programme.indicators():
        if indicator.collect is None:
            continue
        limit = threshold(programme, indicator)
        for table in as_list(indicator.observations).tables:
            if table.file not in exports:
                continue
            for obs in table:
                if indicator.sensitive and (obs.site or obs.dimensions
                                            or (obs.sample_size or 0) < limit):
                    continue
                dimensions.update(dict.fromkeys(obs.dimensions))
                found.append((indicator.id, obs))
    declared = list(dict.fromkeys(d for form in programme.forms for d in form.dimensions))
    dimensions = dict.fromkeys(sorted(dimensions, key=declared.index))  # as the forms list them
    header = [*FIXED, *dimensions, *TAIL]
    rows = []
    for ident, obs in found:
        assert obs.value is not None  # a derived cell always has a value
        value = (neutralise(obs.value) if isinstance(obs.value, str)
                 else format(obs.value.normalize(), "f"))  # every digit: it reads back exact
        rows.append([
            ident, obs.period.text, obs.site or "",
            *(neutralise(obs.dimensions.get(d, "")) for d in dimensions),
            value, "" if obs.sample_size is None else str(obs.sample_size),
            neutralise(obs.source), neutralise(obs.note),
        ])
    return header, rows


def render(programme: Programme, base_dir: Path) -> str:
    header, rows = derived_rows(programme, base_dir)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
