"""Invariants of the observations derived from raw exports (hypothesis).

Whatever the submissions: the order of the rows does not matter; splitting an export in
two (pooled through two `data:` entries) gives the same observations; and each site's
valid answers add up to the total's, as do each sex's.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from test_submissions import KOBO_HEADER, PROGRAMME, kobo_rows, observations, write_csv

import toc_engine

ANSWER = st.tuples(
    st.sampled_from(["Chakkar VDC", "chakkar", "Bhaluhi", "bhaluhi"]),
    st.sampled_from(["female", "male", "Woman", "Man"]),
    st.sampled_from(["a15_24", "a25_plus", ""]),
    st.sampled_from(["yes", "no", "dk", "", "Yes", "Don't know"]),
)
SUBMISSIONS = st.lists(ANSWER, min_size=1, max_size=60)


def _load(folder: Path, parts: list[list[list[str]]]) -> dict[tuple, tuple]:
    (folder / "data").mkdir(parents=True, exist_ok=True)
    entries = "".join(f"  - {{file: data/part{n}.csv, form: perception-survey}}\n"
                      for n in range(len(parts)))
    (folder / "programme.yaml").write_text(PROGRAMME + "data:\n" + entries, encoding="utf-8")
    for n, rows in enumerate(parts):
        write_csv(folder / f"data/part{n}.csv", KOBO_HEADER, rows, sep=";")
    loaded = toc_engine.load(folder / "programme.yaml")
    assert [d.code for d in loaded.diagnostics] == []
    return observations(loaded, "feel-safe")


def _values(cells: dict[tuple, tuple]) -> dict[tuple, tuple]:
    return {key: (value, size) for key, (value, size) in cells.items()}


@settings(max_examples=25, deadline=None)
@given(SUBMISSIONS, st.randoms(use_true_random=False), st.integers(0, 60))
def test_order_and_pooling_do_not_change_the_observations(
        tmp_path_factory, answers: list[tuple[str, str, str, str]], rng: random.Random,
        cut: int) -> None:
    rows = kobo_rows(answers)
    one = _load(tmp_path_factory.mktemp("one"), [rows])
    shuffled = rows[:]
    rng.shuffle(shuffled)
    assert _values(_load(tmp_path_factory.mktemp("shuffled"), [shuffled])) == _values(one)
    split = [shuffled[:cut], shuffled[cut:]] if 0 < cut < len(shuffled) else [shuffled]
    assert _values(_load(tmp_path_factory.mktemp("split"), split)) == _values(one)


@settings(max_examples=25, deadline=None)
@given(SUBMISSIONS)
def test_breakdowns_add_up_to_the_total(tmp_path_factory,
                                        answers: list[tuple[str, str, str, str]]) -> None:
    cells = _load(tmp_path_factory.mktemp("p"), [kobo_rows(answers)])
    total = cells.get(("2012-Q4", None, ()))
    valid = sum(1 for a in answers if a[3] in ("yes", "no", "Yes"))
    if not valid:
        assert total is None
        return
    yes = sum(1 for a in answers if a[3] in ("yes", "Yes"))
    assert total == (Decimal(100 * yes) / valid, valid)
    by_site = [(v, n) for (_p, site, dims), (v, n) in cells.items() if site and not dims]
    by_sex = [(v, n) for (_p, site, dims), (v, n) in cells.items()
              if site is None and len(dims) == 1 and dims[0][0] == "sex"]
    for parts in (by_site, by_sex):
        assert sum(n for _v, n in parts) == valid
        # shares are exact to 28 digits: their weighted sum is the total's count of yes
        assert abs(sum(v * n for v, n in parts) / 100 - yes) < Decimal("1e-20")
