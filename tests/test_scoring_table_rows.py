"""Large CSV tables: scoring picks the rows it reads with numpy (`table_rows.TableReads`).

The cases below are the choices that decide a score, with what the score must then
report; tests/test_scoring_fast_paths.py compares the picks with the plain path (every
row read) on random programmes. Here too: a table holding text, or a file with too many
distinct entries, is left to the walk; tables worked out together in batches read as
one by one.
"""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_scoring_fast_paths import assert_fast_is_plain, write_csv_programme
from test_scoring_helpers import document, indicator, result

from toc_engine import load, score
from toc_engine.schema.model import Programme
from toc_engine.scoring.context import ScoringContext
from toc_engine.scoring.indicator import score_indicator
from toc_engine.scoring.table_rows import MAX_ENTRIES, TableReads
from toc_engine.scoring.values import ZERO, make_factor

SITES = [{"id": f"s{n}", "name": f"Site {n}"} for n in range(3)]


# The choices that decide a score, one indicator each: (id, baseline, targets, CSV rows
# as period,value,site,sample_size, what its total or site s0 then reports: its reading
# and progress). With a baseline of the total and targets of the total, only the latest
# periods are read (`_Groups.reads_first`); without one, the first too.
CASES: list[tuple[str, int | None, list[Any], list[str], str, str]] = [
    # Equal rows of a period (same sample, equal values): the first written is kept.
    ("tie", None, [("2013", 100)], ["2012,5,s0,", "2013,40,s0,", "2013,40.0,s0,"],
     "s0", "2013 40 p=0.368421053"),
    ("tie-reversed", None, [("2013", 100)], ["2012,5,s0,", "2013,40.0,s0,", "2013,40,s0,"],
     "s0", "2013 40.0 p=0.368421053"),
    ("latest-tie", 10, [("2013", 100)], ["2012,5,s0,", "2013,40.0,s0,", "2013,40,s0,"],
     "s0", "2013 40.0 p=0.333333333"),
    # Same sample: the larger value; else the larger sample.
    ("larger-value", None, [("2013", 100)], ["2012,5,s0,20", "2013,40,s0,20", "2013,45,s0,20"],
     "s0", "2013 45 p=0.421052632"),
    ("latest-larger-sample", 10, [("2013", 100)],
     ["2012,5,s0,", "2013,40,s0,30", "2013,45,s0,20", "2013,50,s0,"],
     "s0", "2013 40 p=0.333333333"),
    ("latest-total", 10, [("2013", 100)], ["2012,5,,", "2013,40,,", "2011,70,,"],
     "total", "2013 40 p=0.333333333"),
    # The first period (2013) starts first and ends last; ending before every target, it
    # is the baseline (10), and the latest of the rest is the reading.
    ("nested-site", None, [("2014", 100)], ["2013,10,s0,", "2013-Q2,20,s0,", "2013-06,30,s0,"],
     "s0", "2013-06 30 p=0.222222222"),
    ("nested-total", None, [("2014", 100)], ["2013,10,,", "2013-Q2,20,,", "2013-06,30,,"],
     "total", "2013-06 30 p=0.222222222"),
    # No baseline: the first period's row (2011: 10) is the baseline.
    ("first-site", None, [("2013", 100)], ["2011,10,s0,", "2012,20,s0,", "2013,30,s0,"],
     "s0", "2013 30 p=0.222222222"),
    ("first-total", None, [("2013", 100)], ["2011,10,,", "2012,20,,", "2013,30,,"],
     "total", "2013 30 p=0.222222222"),
    # A target of site s0's own: s0 has no baseline, so its first row is one.
    ("own-target", 50, [("2013", 100), {"period": "2013", "value": 90, "site": "s0"}],
     ["2011,10,s0,", "2012,20,s0,", "2013,30,s0,"], "s0", "2013 30 p=0.250000000"),
]
EXPECTED = [case[-1] for case in CASES]


def _cases_programme(folder: Path) -> Programme:
    # `mean`: each site is a level compared with the total's target (a part of a `sum`
    # has no progress of its own), so the progress shows which rows were read
    indicators = [indicator(ident, baseline=baseline, targets=targets, aggregation="mean")
                  for ident, baseline, targets, *_ in CASES]
    data = document([result("r", indicators=indicators)], sites=SITES, data=["data/cases.csv"])
    (folder / "data").mkdir(parents=True)
    (folder / "programme.yaml").write_text(json.dumps(data, indent=1), encoding="utf-8")
    lines = [f"{ident},{row}" for ident, _, _, rows, *_ in CASES for row in rows]
    (folder / "data" / "cases.csv").write_text(
        "indicator,period,value,site,sample_size\n" + "\n".join(lines) + "\n", encoding="utf-8")
    loaded = load(folder / "programme.yaml")
    assert loaded.programme is not None
    assert not loaded.diagnostics, loaded.diagnostics[:3]
    return loaded.programme


def _shown(scored_indicator: Any, case: Any) -> str:
    """The reading and progress of a case's total or site s0 (the outputs print 40 and
    40.0 alike)."""
    shown: Any = scored_indicator if case[-2] == "total" else scored_indicator.series[0]
    return (f"{shown.actual.period} {shown.actual.value} p={shown.progress:.9f}"
            if shown.actual else "no reading")


def _reported(programme: Programme) -> list[str]:
    """Per case, `_shown` as the API gives it."""
    return [_shown(one, case) for one, case in
            zip(score(programme, allow_errors=True).results[0].indicators, CASES, strict=True)]


def test_the_rows_that_decide_a_score_are_chosen(tmp_path: Path) -> None:
    programme = _cases_programme(tmp_path / "programme")
    assert _reported(programme) == EXPECTED
    # Short tables are walked: the same rows picked through the arrays, and both paths.
    for tables in (TableReads(min_rows=1), TableReads(min_rows=1, batch_rows=1,
                                                      one_number_limit=0)):
        assert_fast_is_plain(programme, tables)
        context = ScoringContext(make_factor(programme.units), tables=tables)
        as_of = programme.programme.as_of
        scored = [score_indicator(i, as_of, context) for _, i in programme.indicators()]
        assert [_shown(one, case) for one, case in zip(scored, CASES, strict=True)] == EXPECTED


def test_text_values_and_crowded_dictionaries_are_walked(tmp_path: Path) -> None:
    """A table holding a text value, or a file with too many distinct entries, is left to
    the row walk (which reports the text value), never chosen from."""
    programme = write_csv_programme(tmp_path / "programme", random.Random(0), count=10)
    tables = [t for _, i in programme.indicators()
              for t in getattr(i.observations, "tables", []) if len(t)]
    table = tables[0]
    assert TableReads(min_rows=1).rows_read(table, programme.programme.as_of) is not None
    table.dictionary.values.append("many")  # a new entry: the arrays are built again
    text_code = len(table.dictionary.values) - 1
    original = table.values[0]
    table.values[0] = text_code
    try:
        assert TableReads(min_rows=1).rows_read(table, programme.programme.as_of) is None
    finally:
        table.values[0] = original
    assert TableReads(min_rows=1).rows_read(table, programme.programme.as_of) is not None
    table.dictionary.values.extend([ZERO] * MAX_ENTRIES)
    assert TableReads(min_rows=1).rows_read(table, programme.programme.as_of) is None


@pytest.mark.parametrize(
    "sizes",
    [{}, {"batch_rows": 50},  # many batches
     {"board_cells": 5},  # a few tables a batch
     {"batch_rows": 1, "one_number_limit": 0}],  # a table a batch, sorted, not a board
)
def test_tables_worked_out_together_read_as_one_by_one(sizes: dict[str, int], tmp_path: Path
                                                       ) -> None:
    """`prefetch` gives every table exactly what `rows_read(table, day, False)` gives it
    alone: on random tables (nested periods, ties, sites, sex, sample sizes, uncounted
    rows), on several days, in batches of every size, and for a table holding text."""
    tables = []
    for seed in range(2):
        programme = write_csv_programme(tmp_path / f"programme-{seed}", random.Random(seed),
                                        count=120)
        tables += [t for _, i in programme.indicators()
                   for t in getattr(i.observations, "tables", [])]
    text_table = next(t for t in tables if len(t) > 3)
    text_table.dictionary.values.append("many")
    text_table.values[2] = len(text_table.dictionary.values) - 1
    for day in (date(2011, 6, 30), date(2012, 12, 31), date(2013, 6, 30), date(2015, 1, 1)):
        alone = [TableReads(min_rows=0).rows_read(t, day, False) for t in tables]
        assert alone[tables.index(text_table)] is None
        assert sum(read is not None and read != ([], []) for read in alone) > 50
        together = TableReads(**sizes)
        together.prefetch(tables, day)
        assert all(together.prefetched(t, day) is not None for t in tables if len(t))
        assert [together.rows_read(t, day, False) for t in tables] == alone
