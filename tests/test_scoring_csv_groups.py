"""Scoring groups CSV rows by their codes (`values._group_table`), not row by row.

It must give what the row walk gives (`_group_observations` over the table's `Reading`s):
the same groups in the same order, and the same error for a value that cannot be used.
(Tables of `values.VECTOR_MIN_ROWS` rows or more add only the periods scoring reads; the
scores are compared, and tests/test_scoring_codegroups.py tests that choice.)
The examples are scored both ways with hundreds of random rows added to their CSV files
(sites, sex, sample sizes, periods after the day scored, ordinal labels, bad values).
"""

from __future__ import annotations

import random
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_scoring_breakdowns import _outputs

from toc_engine.schema.model import Measure, Programme
from toc_engine.schema.observations import ObservationTable
from toc_engine.schema.programme import load
from toc_engine.scoring import values

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*/programme.yaml"))


def _row_walk(groups: Any, table: ObservationTable) -> None:
    values._group_observations(groups, table.rows())


def _with_random_rows(example: Path, folder: Path, seed: int) -> Programme:
    shutil.copytree(example.parent, folder)
    loaded = load(folder / "programme.yaml")
    assert loaded.programme is not None
    rng = random.Random(seed)
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
            indicator.id,
            rng.choice(periods),
            value,
            rng.choice(sites),
            "",  # source
            rng.choice(["", "", "25", "120"]),
            rng.choice(["", "", "female", "male"]),
            rng.choice(["", "random row"]),
        ]))
    with (folder / "data" / "observations.csv").open("a", encoding="utf-8") as csv:
        csv.write("\n".join(lines) + "\n")
    reloaded = load(folder / "programme.yaml")
    assert reloaded.programme is not None
    return reloaded.programme


@pytest.mark.parametrize("vector_min_rows", [values.VECTOR_MIN_ROWS, 1],
                         ids=["default", "every-table-by-numpy"])
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.parent.name)
def test_code_groups_score_as_the_row_walk(
    example: Path, seed: int, vector_min_rows: int, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    programme = _with_random_rows(example, tmp_path / "programme", seed)
    with monkeypatch.context() as patch:
        patch.setattr(values, "VECTOR_MIN_ROWS", vector_min_rows)
        fast = _outputs(programme)
    with monkeypatch.context() as patch:
        patch.setattr(values, "_group_table", _row_walk)
        walked = _outputs(programme)
    assert fast == walked


def test_the_comparison_catches_a_wrong_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A grouping that also counts rows whose period starts after the day scored."""
    monkeypatch.chdir(tmp_path)
    programme = _with_random_rows(EXAMPLES[0], tmp_path / "programme", 1)
    walked = _outputs(programme)

    def counts_the_future(groups: Any, table: ObservationTable) -> None:
        groups.as_of = date.max
        values._group_observations(groups, table.rows())

    with monkeypatch.context() as patch:
        patch.setattr(values, "_group_table", counts_the_future)
        assert _outputs(programme) != walked
