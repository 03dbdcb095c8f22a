"""Large CSV tables: scoring picks the rows it reads with numpy (`codegroups.rows_read`).

The scores must be the row walk's (`values._group_observations` over every row), whatever
the rows: nested periods (one that starts first and ends last), a period written two
ways, periods after the day scored, several rows of a site in one period (sample sizes,
equal values written apart: 40 and 40.0), total and site rows, a sex split, rows in two
CSV files and in the YAML, indicators with and without a baseline.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_scoring_breakdowns import _outputs
from test_scoring_csv_groups import _row_walk
from test_scoring_fastpath import _random_indicator as fastpath_indicator
from test_scoring_helpers import document, indicator, result

from toc_engine.schema.model import Programme
from toc_engine.schema.programme import load
from toc_engine.scoring import codegroups, engine, score, values

# CSV periods are single notations (a range is written only in the YAML); "2013" starts
# before 2013-Q2 and 2013-06 and ends after them, and 2014 starts after the day scored.
PERIODS = ["2011", "2012", "2013", "2012-Q1", "2012-Q4", "2013-Q2", "2013-Q4", "2012-06",
           "2013-06", "2013-12", "2014", "2014-Q1", "2012-12-31", "2013-06-30"]
VALUES = ["0", "5", "10", "10.0", "37", "40", "40.0", "55", "100"]
SITES = [{"id": f"s{n}", "name": f"Site {n}"} for n in range(3)]


def _random_indicator(rng: random.Random, n: int) -> dict[str, Any]:
    """test_scoring_fastpath's random indicator (directions, baselines, targets of the total
    and of a site, measures, aggregations); its rows are drawn here, for CSV."""
    spec = fastpath_indicator(rng, n)
    spec["observations"] = []
    return spec


def _random_row(rng: random.Random) -> list[str]:
    return [
        rng.choice(PERIODS),
        rng.choice(VALUES),
        rng.choice(["", "", "s0", "s1", "s2"]),
        rng.choice(["", "", "10", "20"]),
        rng.choice(["", "", "", "f", "m"]),
    ]


def _write_programme(folder: Path, seed: int, count: int = 120) -> Programme:
    """`count` random indicators; their rows spread over the YAML and two CSV files."""
    rng = random.Random(seed)
    indicators = [_random_indicator(rng, n) for n in range(count)]
    files: dict[str, list[str]] = {"a.csv": [], "b.csv": []}
    for spec in indicators:
        for _ in range(rng.choice([0, 1, 5, 30, 80])):
            period, value, site, size, sex = _random_row(rng)
            if rng.random() < 0.05:  # written in the YAML, sometimes as a range
                row: dict[str, Any] = {"period": period, "value": value}
                if rng.random() < 0.3:
                    row["period"] = rng.choice([{"start": "2012-04-01", "end": "2013-06-30"},
                                                {"start": "2010-07-01", "end": "2013-12-31"}])
                if site:
                    row["site"] = site
                if size:
                    row["sample_size"] = int(size)
                if sex:
                    row["dimensions"] = {"sex": sex}
                spec["observations"].append(row)
                continue
            name = rng.choice(list(files))
            files[name].append(",".join([spec["id"], period, value, site, size, sex]))
    data = document([result("r", indicators=indicators)], sites=SITES,
                    data=[f"data/{name}" for name in files])
    (folder / "data").mkdir(parents=True)
    (folder / "programme.yaml").write_text(json.dumps(data, indent=1), encoding="utf-8")
    for name, lines in files.items():
        header = "indicator,period,value,site,sample_size,sex\n"
        (folder / "data" / name).write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    loaded = load(folder / "programme.yaml")
    assert loaded.programme is not None
    assert not loaded.diagnostics, loaded.diagnostics[:3]
    return loaded.programme


def _numpy_and_walked(programme: Programme, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    with monkeypatch.context() as patch:
        patch.setattr(values, "VECTOR_MIN_ROWS", 1)  # every table through numpy
        chosen = _outputs(programme)
    with monkeypatch.context() as patch:
        patch.setattr(values, "_group_table", _row_walk)
        walked = _outputs(programme)
    return chosen, walked


@pytest.mark.parametrize("seed", range(6))
def test_rows_chosen_with_numpy_score_as_the_row_walk(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme = _write_programme(tmp_path / "programme", seed)
    chosen, walked = _numpy_and_walked(programme, monkeypatch)
    assert chosen == walked


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
    indicators = [indicator(ident, baseline=baseline, targets=targets)
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


def _reported(programme: Programme) -> list[str]:
    """Per case: the reading and progress of its total or site s0, as the API gives them
    (the outputs print 40 and 40.0 alike)."""
    reported = []
    for scored_indicator, case in zip(score(programme).results[0].indicators, CASES,
                                      strict=True):
        shown: Any = scored_indicator if case[-2] == "total" else scored_indicator.series[0]
        reported.append(f"{shown.actual.period} {shown.actual.value} p={shown.progress:.9f}"
                        if shown.actual else "no reading")
    return reported


def test_the_rows_that_decide_a_score_are_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme = _cases_programme(tmp_path / "programme")
    chosen, walked = _numpy_and_walked(programme, monkeypatch)
    assert chosen == walked
    with monkeypatch.context() as patch:
        patch.setattr(values, "VECTOR_MIN_ROWS", 1)
        assert _reported(programme) == EXPECTED
    with monkeypatch.context() as patch:
        patch.setattr(values, "_group_table", _row_walk)
        assert _reported(programme) == EXPECTED


def _only_latest_and_first(kept: list[int], rows: Any, latest: Any, first: Any,
                           breakdown: Any) -> list[int]:
    """Of the rows chosen, those in their breakdown's latest or first period."""
    at = np.searchsorted(rows, kept)
    keys = breakdown[at].tolist()
    top: dict[int, int] = {}
    low: dict[int, int] = {}
    for i, key in zip(at.tolist(), keys, strict=True):
        top[key] = max(top.get(key, latest[i]), latest[i])
        low[key] = min(low.get(key, first[i]), first[i])
    return [row for row, i, key in zip(kept, at.tolist(), keys, strict=True)
            if latest[i] == top[key] or first[i] == low[key]]


def _reversed(*arrays: Any) -> list[Any]:
    return [a[::-1].copy() for a in arrays]


MISTAKES: dict[str, dict[str, Any]] = {
    "breakdowns-without-first-period": {"_breakdown_rows": lambda f, np_, rows, latest, first,
                                        *rest: f(np_, rows, latest, -latest, *rest)},
    "breakdowns-without-period-before-latest": {
        "_breakdown_rows": lambda f, np_, rows, latest, first, breakdown, *rest:
        _only_latest_and_first(f(np_, rows, latest, first, breakdown, *rest), rows, latest,
                               first, breakdown)},
    "breakdowns-keep-last-of-equal-rows": {
        "_breakdown_rows": lambda f, np_, *arrays: f(np_, *_reversed(*arrays))},
    "breakdowns-keep-smallest-value": {
        "_breakdown_rows": lambda f, np_, rows, latest, first, breakdown, size, value:
        f(np_, rows, latest, first, breakdown, size, -value)},
    "totals-of-latest-period-only": {
        "_total_rows": lambda f, np_, rows, latest, first, total:
        rows[total & (latest == latest[total].max())].tolist() if total.any() else []},
    "totals-without-period-before-latest": {
        "_total_rows": lambda f, np_, rows, latest, first, total:
        _only_latest_and_first(f(np_, rows, latest, first, total), rows, latest, first,
                               np.zeros_like(latest))},
    "latest-keep-last-of-equal-rows": {
        "_latest_breakdown_rows": lambda f, np_, *arrays: f(np_, *_reversed(*arrays))},
    "latest-keep-smallest-sample": {
        "_latest_breakdown_rows": lambda f, np_, rows, order, breakdown:
        f(np_, rows, -order, breakdown)},
    "latest-totals-of-earliest-period": {
        "_latest_total_rows": lambda f, np_, rows, latest, total:
        rows[total & (latest == latest[total].min())].tolist()},
    "reads-first-never": {"reads_first": False},
    # The same choices when the tables are worked out together (`codegroups.prefetched`).
    "batch-keep-last-of-equal-rows": {
        "_prefetch": True,
        "_batch_best_rows": lambda f, np_, owner, breakdown, inside, order, *rest:
        (len(owner) - 1) - f(np_, owner[::-1].copy(), breakdown[::-1].copy(),
                             len(owner) - 1 - inside, order, *rest)},
    "batch-keep-smallest": {
        "_prefetch": True,
        "_batch_best_rows": lambda f, np_, owner, breakdown, inside, order, *rest:
        f(np_, owner, breakdown, inside, order.max(initial=0) - order, *rest)},
    "batch-totals-of-earliest-period": {
        "_prefetch": True,
        "_batch_total_rows": lambda f, np_, owner, starts, latest, total: np_.flatnonzero(
            total & (latest == np_.minimum.reduceat(
                np_.where(total, latest, latest.max(initial=0) + 1), starts)[owner]))},
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_the_cases_catch_a_wrong_choice(
    mistake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each way of choosing the wrong rows changes what some case reports."""
    programme = _cases_programme(tmp_path / "programme")
    with monkeypatch.context() as patch:
        patch.setattr(values, "VECTOR_MIN_ROWS", 1)
        if not MISTAKES[mistake].get("_prefetch"):  # a mistake of the one-table functions
            patch.setattr(engine, "latest_only_tables", lambda indicator: [])
        for name, wrong in MISTAKES[mistake].items():
            if name == "_prefetch":
                continue
            if name == "reads_first":
                patch.setattr(values._Groups, "reads_first", wrong)
                continue
            right = getattr(codegroups, name)
            patch.setattr(codegroups, name,
                          lambda *args, right=right, wrong=wrong: wrong(right, *args))
        assert _reported(programme) != EXPECTED


def test_text_values_and_crowded_dictionaries_are_walked(tmp_path: Path) -> None:
    """A table holding a text value, or a file with too many distinct entries, is left to
    the row walk (which reports the text value), never chosen from."""
    programme = _write_programme(tmp_path / "programme", 0, count=10)
    tables = [t for _, i in programme.indicators()
              for t in getattr(i.observations, "tables", []) if len(t)]
    table = tables[0]
    assert codegroups.rows_read(table, programme.programme.as_of) is not None
    table.dictionary.values.append("many")  # a new entry: the arrays are built again
    text_code = len(table.dictionary.values) - 1
    original = table.values[0]
    table.values[0] = text_code
    try:
        assert codegroups.rows_read(table, programme.programme.as_of) is None
    finally:
        table.values[0] = original
    assert codegroups.rows_read(table, programme.programme.as_of) is not None
    table.dictionary.values.extend([values.ZERO] * codegroups.MAX_ENTRIES)
    assert codegroups.rows_read(table, programme.programme.as_of) is None


@pytest.mark.parametrize(
    ("batch_rows", "board_cells", "one_number_limit"),
    [(codegroups.BATCH_ROWS, codegroups.BOARD_CELLS, codegroups.ONE_NUMBER_LIMIT),
     (50, codegroups.BOARD_CELLS, codegroups.ONE_NUMBER_LIMIT),  # many batches
     (codegroups.BATCH_ROWS, 5, codegroups.ONE_NUMBER_LIMIT),  # a few tables a batch
     (1, codegroups.BOARD_CELLS, 0)],  # a table a batch, sorted instead of a board
)
def test_tables_worked_out_together_read_as_one_by_one(
    batch_rows: int, board_cells: int, one_number_limit: int, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`prefetched` gives every table exactly what `rows_read(table, day, False)` gives it
    alone: on random tables (nested periods, ties, sites, sex, sample sizes, uncounted
    rows), on several days, in batches of every size, and for a table holding text."""
    from datetime import date

    monkeypatch.setattr(codegroups, "BATCH_ROWS", batch_rows)
    monkeypatch.setattr(codegroups, "BOARD_CELLS", board_cells)
    monkeypatch.setattr(codegroups, "ONE_NUMBER_LIMIT", one_number_limit)
    tables = []
    for seed in range(2):
        programme = _write_programme(tmp_path / f"programme-{seed}", seed)
        tables += [t for _, i in programme.indicators()
                   for t in getattr(i.observations, "tables", [])]
    text_table = next(t for t in tables if len(t) > 3)
    text_table.dictionary.values.append("many")
    text_table.values[2] = len(text_table.dictionary.values) - 1
    for day in (date(2011, 6, 30), date(2012, 12, 31), date(2013, 6, 30), date(2015, 1, 1)):
        alone = [codegroups.rows_read(t, day, False) for t in tables]
        assert alone[tables.index(text_table)] is None
        assert sum(read is not None and read != ([], []) for read in alone) > 50
        with codegroups.prefetched(tables, day):
            together = [codegroups.rows_read(t, day, False) for t in tables]
            assert len(codegroups._PREFETCHED) == sum(1 for t in tables if len(t))
        assert together == alone
        assert not codegroups._PREFETCHED  # forgotten after the block
