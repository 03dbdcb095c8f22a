"""Scoring's fast paths give what the plain ones give, on random programmes.

`indicator.score_indicator` takes the fast path for an indicator that is neither
cumulative nor `latest`: its rows grouped in one pass, only the periods `assess` reads,
each breakdown from its first and latest periods (`breakdowns.breakdown_record`), the
rows of CSV tables picked with numpy (`table_rows.TableReads`), some of them worked out
in batches beforehand. `indicator.score_indicator_plain` is the plain path: every row, every
period's total, `assess` of the total and of each breakdown. Both are run on every
indicator of random programmes (YAML and CSV rows, nested, repeated and late periods,
ties, sites, a sex split, targets and baselines of the total and of a site) and must
write the same JSON and the same `--explain` lines. `targets.Calendars` (target choices
shared between indicators) is compared with `values.pick_target`.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_scoring_breakdowns import random_indicator, random_programme
from test_scoring_helpers import document, result
from test_scoring_speed_render import _signed_zeros

from toc_engine import load
from toc_engine.schema.model import Measure, Programme
from toc_engine.scoring.arith import q9
from toc_engine.scoring.context import ScoringContext
from toc_engine.scoring.groups import latest_only_tables
from toc_engine.scoring.indicator import score_indicator, score_indicator_plain
from toc_engine.scoring.table_rows import TableReads
from toc_engine.scoring.targets import Calendars
from toc_engine.scoring.values import make_factor, pick_target

SLOW = settings(max_examples=20, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*/programme.yaml"))

# CSV periods are single notations (a range is written only in the YAML); "2013" starts
# before 2013-Q2 and 2013-06 and ends after them, and 2014 starts after the day scored.
CSV_PERIODS = ["2011", "2012", "2013", "2012-Q1", "2012-Q4", "2013-Q2", "2013-Q4", "2012-06",
               "2013-06", "2013-12", "2014", "2014-Q1", "2012-12-31", "2013-06-30"]
CSV_VALUES = ["0", "5", "10", "10.0", "37", "40", "40.0", "55", "100"]
SITES = [{"id": f"s{n}", "name": f"Site {n}"} for n in range(3)]

# How the fast path reads CSV tables: by default; every table through the arrays; in
# batches cut small, a few tables a batch, a table a batch with the rows sorted.
TABLE_READS = st.sampled_from([
    {}, {"min_rows": 1}, {"min_rows": 1, "batch_rows": 50},
    {"min_rows": 1, "board_cells": 5}, {"min_rows": 1, "batch_rows": 1, "one_number_limit": 0},
])


def _written(scored: Any) -> tuple[str, ...]:
    """An indicator's JSON data and `--explain` lines, as text: -0 and 0 are equal numbers
    but are written apart."""
    return repr(scored.to_json()), *scored.steps


def assert_fast_is_plain(prog: Programme, tables: TableReads | None = None) -> None:
    """Every indicator of `prog`, on the day assessed and on earlier days (as
    `engine._first_achieved` asks), scored both ways, with the tables prefetched as
    `engine.score` does."""
    as_of = prog.programme.as_of
    fast = ScoringContext(make_factor(prog.units), tables=tables or TableReads())
    plain = ScoringContext(make_factor(prog.units))
    indicators = [i for _, i in prog.indicators()]
    fast.tables.prefetch((t for i in indicators for t in latest_only_tables(i)), as_of)
    for day in (as_of, date(2013, 6, 30), date(2012, 12, 31)):
        for indicator in indicators:
            assert _written(score_indicator(indicator, day, fast)) == _written(
                score_indicator_plain(indicator, day, plain)), (indicator.id, day)


def write_csv_programme(folder: Path, rng: random.Random, count: int = 40) -> Programme:
    """`count` random indicators; their rows spread over the YAML and two CSV files."""
    indicators = [random_indicator(rng, n) for n in range(count)]
    files: dict[str, list[str]] = {"a.csv": [], "b.csv": []}
    for spec in indicators:
        spec["observations"] = []
        for _ in range(rng.choice([0, 1, 5, 30, 80])):
            period, value = rng.choice(CSV_PERIODS), rng.choice(CSV_VALUES)
            site, size = rng.choice(["", "", "s0", "s1", "s2"]), rng.choice(["", "", "10", "20"])
            sex = rng.choice(["", "", "", "f", "m"])
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


@SLOW
@given(rng=st.randoms(use_true_random=True), reads=TABLE_READS)
def test_csv_programmes_score_as_the_plain_path(rng: random.Random, reads: dict[str, int]
                                                ) -> None:
    with tempfile.TemporaryDirectory() as folder:
        prog = write_csv_programme(Path(folder) / "programme", rng)
        assert_fast_is_plain(prog, TableReads(**reads))


@SLOW
@given(rng=st.randoms(use_true_random=True))
def test_yaml_programmes_score_as_the_plain_path(rng: random.Random) -> None:
    assert_fast_is_plain(random_programme(rng, 0))


def _with_random_rows(example: Path, folder: Path, rng: random.Random) -> Programme:
    """An example with random rows added to its CSV file: its own indicators (units,
    ordinal scales, sensitive ones), values that cannot be used, notes."""
    shutil.copytree(example.parent, folder)
    loaded = load(folder / "programme.yaml")
    assert loaded.programme is not None
    indicators = [i for _, i in loaded.programme.indicators()]
    sites = [s.id for s in loaded.programme.sites] + [""] * 3
    periods = ["2010", "2011", "2012-Q1", "2012-Q3", "2012-06", "2013", "2013-Q4", "2030",
               "2012-01-01/2013-06-30"]
    lines = []
    for _ in range(400):
        indicator = rng.choice(indicators)
        if indicator.measure is Measure.ordinal and indicator.scale and rng.random() < 0.7:
            value = str(rng.choice(indicator.scale))
        else:
            value = rng.choice(["0", "-0", "3", "12.5", "40", "40.0", "100", "7", "n/a", "1e400"])
        if rng.random() < 0.02:
            value = "not-a-number"
        lines.append(",".join([
            indicator.id, rng.choice(periods), value, rng.choice(sites), "",
            rng.choice(["", "", "25", "120"]), rng.choice(["", "", "female", "male"]),
            rng.choice(["", "random row"]),
        ]))
    with (folder / "data" / "observations.csv").open("a", encoding="utf-8") as csv:
        csv.write("\n".join(lines) + "\n")
    reloaded = load(folder / "programme.yaml")
    assert reloaded.programme is not None
    return reloaded.programme


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(example=st.sampled_from(EXAMPLES), rng=st.randoms(use_true_random=True),
       reads=TABLE_READS)
def test_examples_with_random_rows_score_as_the_plain_path(
    example: Path, rng: random.Random, reads: dict[str, int]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        prog = _with_random_rows(example, Path(folder) / "programme", rng)
        assert_fast_is_plain(prog, TableReads(**reads))


def test_examples_score_as_the_plain_path() -> None:
    for path in EXAMPLES:
        loaded = load(path)
        assert loaded.programme is not None
        assert_fast_is_plain(loaded.programme, TableReads(min_rows=1))


def test_the_comparison_tells_paths_apart() -> None:
    """Scored on another day, an indicator writes otherwise: the comparison can fail."""
    prog = random_programme(random.Random(5), 0)
    context = ScoringContext(make_factor(prog.units))
    differ = [
        i.id for _, i in prog.indicators()
        if _written(score_indicator(i, prog.programme.as_of, context))
        != _written(score_indicator_plain(i, date(2012, 12, 31), context))
    ]
    assert differ


BOUNDS = [(date(2012, 1, 1), date(2012, 12, 31)), (date(2013, 1, 1), date(2013, 12, 31)),
          (date(2013, 4, 1), date(2013, 6, 30)), (date(2012, 10, 1), date(2013, 3, 31)),
          (date(2013, 1, 1), date(2013, 1, 1))]
SHAPES = st.lists(st.tuples(st.sampled_from(BOUNDS),
                            st.sampled_from([Decimal("1"), Decimal("1.0"), Decimal(2), Decimal(3)])
                            ).map(lambda t: (*t[0], t[1])), min_size=1, max_size=4).map(tuple)


@settings(max_examples=100, deadline=None)
@given(asked=st.lists(st.tuples(SHAPES, st.integers(0, 1200)), min_size=1, max_size=30))
def test_shared_calendar_choices_are_pick_target(asked: list[tuple[Any, int]]) -> None:
    """A choice shared through `Calendars` is `pick_target`'s, even when a calendar first
    seen with other values (or other duplicates) is asked again."""
    calendars = Calendars()
    for shape, offset in asked:
        day = date(2011, 6, 1) + timedelta(days=offset)
        assert calendars.pick(calendars.number(shape), shape, day) == pick_target(shape, day)


def test_zeros_of_either_sign_score_as_the_plain_path() -> None:
    """0 and -0 are equal but print apart: the progress memo keeps neither."""
    assert_fast_is_plain(_signed_zeros())


class _KeepsZeros(dict[Any, Any]):
    """A careless progress memo: it remembers a zero progress too."""

    def get(self, key: Any, default: Any = None) -> Any:
        held = super().get(key, default)
        value, _target, base = key
        if held is None and isinstance(base, Decimal) and value == base:
            self[key] = (q9(Decimal(0)), q9(Decimal(0)))
        return held


def test_the_comparison_catches_a_memo_that_keeps_zeros() -> None:
    prog = _signed_zeros()
    careless = ScoringContext(make_factor(prog.units), progress=_KeepsZeros())
    plain = ScoringContext(make_factor(prog.units))
    as_of = prog.programme.as_of
    assert any(
        _written(score_indicator(i, as_of, careless)) != _written(
            score_indicator_plain(i, as_of, plain))
        for _, i in prog.indicators()
    )
