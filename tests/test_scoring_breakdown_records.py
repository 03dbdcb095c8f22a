"""`Breakdowns`: an indicator's breakdowns kept as records and made `SeriesScore`s when read.

The terminal summary reads the records directly; everything else, JSON too, reads
`SeriesScore`s. These tests check that both readings say the same, that the sequence
behaves as the tuple it replaced, and that the comparison catches a bug; and that the
breakdowns scored from one reading, and their targets, are those of the general rule.
"""

from __future__ import annotations

import copy
import pickle
import random
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest
from test_scoring_breakdowns import _random_programme
from test_scoring_speed_render import _programmes

from toc_engine.formats.score import render_text
from toc_engine.schema.model import Programme
from toc_engine.scoring import score
from toc_engine.scoring.result import (
    Breakdowns,
    ProgrammeScore,
    SeriesScore,
    ValuePoint,
    series_records,
)
from toc_engine.scoring.result import indicators as result_indicators


def _all_series(prog: Programme, sensitive: bool) -> list[Sequence[SeriesScore]]:
    scored = score(prog, include_sensitive=sensitive)
    return [i.series for r in scored.results for i in r.indicators]


def _as_series_scores(scored: ProgrammeScore) -> ProgrammeScore:
    """`scored` with every indicator's breakdowns read as `SeriesScore`s, not records."""
    return replace(scored, results=tuple(
        replace(r, indicators=tuple(replace(i, series=tuple(i.series)) for i in r.indicators))
        for r in scored.results
    ))


def test_the_summary_of_records_is_the_summary_of_their_series_scores() -> None:
    records = 0
    for prog in _programmes():
        for sensitive in (False, True):
            scored = score(prog, include_sensitive=sensitive)
            assert render_text(scored) == render_text(_as_series_scores(scored))
            records += sum(
                type(item) is tuple
                for r in scored.results
                for i in r.indicators
                for item in series_records(i.series)
            )
    assert records > 1000  # the record path was exercised


def test_breakdowns_read_as_the_tuple_they_replace() -> None:
    seen = 0
    for prog in _programmes():
        for series in _all_series(prog, sensitive=False):
            if not isinstance(series, Breakdowns) or not series:
                continue
            seen += 1
            plain = tuple(series)
            assert all(type(s) is SeriesScore for s in plain)
            assert len(series) == len(plain) == len(series.records)
            assert series[0] == plain[0] and series[-1] == plain[-1]
            assert series[1:] == plain[1:]
            assert series == plain and plain == series
            assert series == Breakdowns(plain) and hash(series) == hash(plain)
            assert series != plain[:-1]
            assert repr(series) == f"Breakdowns({plain!r})"
            for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
                assert pickle.loads(pickle.dumps(series, protocol)) == plain
            assert copy.deepcopy(series) == plain and copy.copy(series) == plain
            assert [s.label for s in series] == [s.label for s in plain]
    assert seen > 100


def test_an_indicator_score_with_breakdowns_compares_and_replaces() -> None:
    for prog in _programmes():
        scored = score(prog)
        for r in scored.results:
            for i in r.indicators:
                as_tuple = replace(i, series=tuple(i.series))
                assert as_tuple == i and hash(as_tuple) == hash(i)
                assert pickle.loads(pickle.dumps(i)) == i


def test_the_comparison_catches_a_record_read_wrongly(monkeypatch: pytest.MonkeyPatch) -> None:
    """A `SeriesScore` made from a record with another reading than the summary prints."""
    prog = _random_programme(random.Random(20261127), 0)

    def wrong(item: SeriesScore | result_indicators.SeriesRecord) -> SeriesScore:
        if isinstance(item, SeriesScore):
            return item
        site, dims, value, period, n, target, progress, kept = item
        actual = ValuePoint(value + 1, period, "total", n)
        return SeriesScore(site, dims, actual, target, progress, kept)

    scored = score(prog)
    monkeypatch.setattr(result_indicators, "_series", wrong)
    assert render_text(scored) != render_text(_as_series_scores(scored))


def test_cached_target_choice_is_the_rule() -> None:
    """`pick_target` (cached, on periods and values) chooses as the rule reads, ties too."""
    import random
    from datetime import date, timedelta
    from decimal import Decimal

    from toc_engine.schema.model import Target
    from toc_engine.schema.periods import parse_period
    from toc_engine.scoring.values import choose_target, latest_key

    def reference(targets: list[tuple[Any, Decimal]], day: date) -> tuple[Any, Decimal]:
        containing = [t for t in targets if t[0].period.contains(day)]
        if containing:
            return min(containing, key=lambda t: (t[0].period.days, t[0].period.end, t[1]))
        before = [t for t in targets if t[0].period.end < day]
        if before:
            return max(before, key=lambda t: (latest_key(t[0].period), t[1]))
        return min(targets, key=lambda t: (t[0].period.start, t[0].period.end, t[1]))

    rng = random.Random(3)
    texts = ["2012", "2013", "2012-Q4", "2013-Q1", "2013-02", "2012-11-15"]
    for _ in range(300):
        targets = []
        for _ in range(rng.randint(1, 4)):
            text = rng.choice(texts)
            value = Decimal(rng.choice(["1", "1.0", "2", "3"]))
            targets.append((Target(period=parse_period(text), value=value), value))
        day = date(2011, 6, 1) + timedelta(days=rng.randint(0, 1200))
        chosen = choose_target(targets, day)
        assert chosen is not None
        expected = reference(targets, day)
        assert chosen.target is expected[0] and chosen.value is expected[1]
