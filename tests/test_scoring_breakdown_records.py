"""`Breakdowns`: an indicator's breakdowns kept as records and made `SeriesScore`s when read.

The terminal summary and the JSON writer read the records directly; everything else
reads `SeriesScore`s. These tests check that both readings say the same, that the
sequence behaves as the tuple it replaced, and that the comparison catches a bug.
"""

from __future__ import annotations

import copy
import json
import pickle
import random
from collections.abc import Sequence
from dataclasses import replace

import pytest
from test_scoring_breakdowns import _random_programme
from test_scoring_speed_render import _programmes

from toc_engine.formats.score import to_json, to_json_chunks, to_json_text
from toc_engine.schema.model import Programme
from toc_engine.scoring import result as result_module
from toc_engine.scoring import score
from toc_engine.scoring.result import Breakdowns, SeriesScore, series_records


def _all_series(prog: Programme, sensitive: bool) -> list[Sequence[SeriesScore]]:
    scored = score(prog, include_sensitive=sensitive)
    return [i.series for r in scored.results for i in r.indicators]


def test_json_text_of_records_is_json_dumps_of_their_series_scores() -> None:
    records = 0
    for prog in _programmes():
        for sensitive in (False, True):
            scored = score(prog, include_sensitive=sensitive)
            expected = json.dumps(to_json(scored), indent=2, ensure_ascii=False)
            assert to_json_text(scored) == expected
            assert "".join(to_json_chunks(scored)) == expected
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
    """A `SeriesScore` made from a record with another origin than the JSON writer writes."""
    prog = _random_programme(random.Random(20261127), 0)

    def wrong(record: result_module.SeriesRecord) -> SeriesScore:
        site, dims, value, period, n, target, progress, kept = record
        actual = result_module.value_point(value, period, "sites", n)
        return result_module.series_score(site, dims, actual, target, progress, kept)

    monkeypatch.setattr(result_module, "_from_record", wrong)
    scored = score(prog)
    assert to_json_text(scored) != json.dumps(to_json(scored), indent=2, ensure_ascii=False)
