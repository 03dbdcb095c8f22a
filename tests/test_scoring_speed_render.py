"""The fast builders and caches of scoring and the summary give what the plain code gave.

- the summary's breakdown lines, read through their own number caches, are the lines the
  plain `short()` wrote.

Each is compared on the examples and on random programmes (zeros written several ways);
the last tests check that the comparisons catch a deliberate bug.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_scoring_breakdowns import _random_programme
from test_scoring_helpers import indicator, programme, result

from toc_engine.formats.score import render_text, to_json_text
from toc_engine.formats.score import text as render
from toc_engine.formats.score.text import short
from toc_engine.schema.model import Programme
from toc_engine.schema.programme import load
from toc_engine.scoring import score
from toc_engine.scoring.result import ResultScore

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*/programme.yaml"))


def _programmes() -> Iterator[Programme]:
    for path in EXAMPLES:
        loaded = load(path)
        assert loaded.programme is not None
        yield loaded.programme
    rng = random.Random(20261127)
    for round_ in range(3):
        yield _random_programme(rng, round_)
    yield _signed_zeros()


def _signed_zeros() -> Programme:
    """Breakdowns whose progress is 0 or -0 (A = B, T above or below B) from equal numbers,
    and the same numbers again, so a memo would be read."""
    sites = [{"id": f"s{k}", "name": f"Site {k}"} for k in range(4)]
    observations = [{"period": "2013-Q4", "value": v, "site": f"s{k}"}
                    for k, v in enumerate([Decimal(10), Decimal("10.0"), Decimal(0),
                                           Decimal("-0")])]
    indicators = [
        # `mean`: the sites are levels, each compared with the total's target (the parts
        # of a `sum` have no progress of their own)
        indicator(f"z{n}", baseline=base, targets=[(2013, target)], observations=observations,
                  direction=direction, aggregation="mean")
        for n, (base, target, direction) in enumerate([
            (10, 5, "decrease"), (10, 15, "increase"), (10, 5, "decrease"),
            (None, 5, "increase"), (None, -5, "increase"), (None, 5, "decrease"),
            (Decimal("-0"), 5, "increase"), (0, -5, "decrease"),
        ])
    ]
    return programme([result("x0", indicators=indicators)], sites=sites)


def _exact(prog: Programme) -> list[Any]:
    """Every output, and the breakdowns' numbers as written (repr tells -0 from 0)."""
    out: list[Any] = []
    for sensitive in (False, True):
        scored = score(prog, include_sensitive=sensitive)
        out.append(to_json_text(scored))
        out.append(render_text(scored))
        out.append([repr((s.progress, s.progress_clamped, s.actual))
                    for r in scored.results for i in r.indicators for s in i.series])
    return out




def test_progress_memo_keeps_zeros_apart() -> None:
    """0 and -0 are equal, but print apart: neither is remembered."""
    scored = score(_signed_zeros())
    texts = {repr(s.progress) for i in scored.results[0].indicators for s in i.series}
    assert {"Decimal('0E-9')", "Decimal('-0E-9')"} <= texts


_RESULT_BLOCK = render._result_block


def _old_result_block(r: ResultScore) -> list[str]:
    """`_result_block` as it was, with `short()` per number."""
    lines = _RESULT_BLOCK(_without_series(r))
    tail = lines[1 + len(r.indicators):]
    lines = lines[:1 + len(r.indicators)]
    for i in r.indicators:
        head = f"      {i.id} ["
        for s in i.series:
            if s.suppressed:
                lines.append(f"{head}{s.label}]: suppressed ({s.suppression})")
            elif s.progress is not None and s.actual is not None:
                lines.append(f"{head}{s.label}]: p = {short(s.progress, 3)} "
                             f"(A {short(s.actual.value, 2)})")
            elif s.share_of_total is not None and s.actual is not None:
                lines.append(f"{head}{s.label}]: A {short(s.actual.value, 2)} "
                             f"({short(s.share_of_total * 100, 1)}% of the total)")
    return lines + tail


def _without_series(r: ResultScore) -> ResultScore:
    return replace(r, indicators=tuple(replace(i, series=()) for i in r.indicators))


def test_breakdown_lines_are_the_plain_short(monkeypatch: pytest.MonkeyPatch) -> None:
    for prog in _programmes():
        for sensitive in (False, True):
            scored = score(prog, include_sensitive=sensitive)
            render._SHORT_2.clear()
            render._SHORT_3.clear()
            render._SHORT_1.clear()
            fast = [render_text(scored), render_text(scored)]  # cold, then cached
            with monkeypatch.context() as patch:
                patch.setattr(render, "_result_block", _old_result_block)
                plain = render_text(scored)
            assert fast == [plain, plain]


@pytest.mark.parametrize("text", ["0", "-0", "0.000", "-0.0004", "0.0005", "-0.0005", "1.2345",
                                  "1E+3", "-1E-12", "123456789.987654321", "2.5", "-2.5"])
def test_short_of_is_short(text: str) -> None:
    value = Decimal(text)
    for places, held in ((2, render._SHORT_2), (3, render._SHORT_3)):
        held.clear()
        assert render._short_of(value, places, held) == short(value, places)
        assert held[value] == short(value, places)


def test_the_comparisons_catch_a_deliberate_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache that prints -0 apart must be told apart."""
    scored = score(_random_programme(random.Random(20261127), 0))
    with monkeypatch.context() as patch:
        patch.setattr(render, "_result_block", _old_result_block)
        plain = render_text(scored)
    with monkeypatch.context() as patch:
        patch.setattr(render, "_short_of", lambda value, places, held: f"{value}")
        render._SHORT_2.clear()
        render._SHORT_3.clear()
        assert render_text(scored) != plain
    render._SHORT_2.clear()
    render._SHORT_3.clear()


def test_summary_pieces_are_the_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """`render_text_chunks` (what `toc score` writes) cut anywhere, down to a line a piece,
    gives the summary `render_text` gives whole; each piece ends a line."""
    for prog in [*_programmes(), _random_programme(random.Random(7), 0)]:
        scored = score(prog)
        whole = render_text(scored, explain_all=True)
        monkeypatch.setattr(render, "_CHUNK_LINES", 1)
        pieces = list(render.render_text_chunks(scored, explain_all=True))
        monkeypatch.undo()
        assert "".join(pieces) == whole
        assert len(pieces) > len(scored.results)
        assert all(piece.endswith("\n") for piece in pieces)
        expected_lines = whole.split("\n")
        assert sum(piece.count("\n") for piece in pieces) == len(expected_lines) - 1
