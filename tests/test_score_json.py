"""`toc score --format json`: the text is `json.dumps(to_json(score), indent=2,
ensure_ascii=False)`, whole and in pieces, for the examples, random programmes and any
numbers and strings a score can hold; it validates against the published schema."""

from __future__ import annotations

import copy
import json
import math
import pickle
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import rapidjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_scoring_output import rich
from test_scoring_properties import documents

from toc_engine.cli import run
from toc_engine.formats.score import explain, to_json, to_json_chunks, to_json_text
from toc_engine.schema.model import Programme
from toc_engine.schema.programme import load
from toc_engine.scoring import score
from toc_engine.scoring.result import (
    ClaimEffect,
    Lines,
    ProgrammeScore,
    SeriesScore,
    TargetPoint,
    ValuePoint,
)

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*/programme.yaml"))
SCHEMA = json.loads(
    (Path(__file__).parent.parent / "docs" / "schema" / "score.schema.json").read_text()
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _written_as_json_dumps(scored: ProgrammeScore) -> str:
    """The text, checked to be `json.dumps` of the data whole and in pieces."""
    expected = json.dumps(to_json(scored), indent=2, ensure_ascii=False)
    assert to_json_text(scored) == expected
    assert "".join(to_json_chunks(scored)) == expected
    return expected


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("sensitive", [False, True])
def test_json_text_is_json_dumps(path: Path, sensitive: bool) -> None:
    loaded = load(path)
    assert loaded.programme is not None
    scored = score(loaded.programme, include_sensitive=sensitive, locate=loaded.locate)
    _written_as_json_dumps(scored)
    pieces = list(to_json_chunks(scored))
    # written a result, link or assumption at a time, not whole
    assert len(pieces) > len(scored.results) + len(scored.links) + len(scored.assumptions)


def test_the_command_writes_the_text_and_a_newline(tmp_path: Path) -> None:
    path = EXAMPLES[0]
    loaded = load(path)
    assert loaded.programme is not None
    out = tmp_path / "score.json"
    assert run(["score", str(path), "--format", "json", "-o", str(out)]) == 0
    expected = to_json_text(score(loaded.programme, locate=loaded.locate)) + "\n"
    assert out.read_text(encoding="utf-8") == expected


@FAST
@given(documents())
def test_random_programmes_are_written_as_json_dumps_and_validate(data: dict[str, Any]) -> None:
    scored = score(Programme.model_validate(data))
    text = _written_as_json_dumps(scored)
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    validator.validate(json.loads(text))


def test_empty_lists_and_every_member_are_written() -> None:
    scored = score(rich())
    bare = replace(scored, results=(), links=(), assumptions=(), findings=(), notes=())
    text = _written_as_json_dumps(bare)
    for key in ('"results": []', '"links": []', '"assumptions": []', '"findings": []',
                '"notes": []'):
        assert f"\n  {key}" in text


# Floats at the edges of Python's notations, and ordinary ones.
ODD_FLOATS = [1e-05, -2.5e-05, 1e-09, 9.999999999999999e-05, 1e-07, 1e-10, 5e-324, 0.0001,
              1e16, 1.5e16, 1e300, -0.0, 0.0, 0.1, 12.0, math.inf, -math.inf, math.nan]


def test_control_characters_are_escaped_otherwise_by_rapidjson() -> None:
    """Why the writer hands text with control characters to json.dumps: rapidjson alone
    escapes them in upper case (if it ever writes them as Python does, the test data
    below no longer needs them)."""
    assert rapidjson.dumps("\x1b", ensure_ascii=False) == '"\\u001B"'
    assert json.dumps("\x1b", ensure_ascii=False) == '"\\u001b"'


def _with_numbers(scored: ProgrammeScore, number: float, decimal: Decimal,
                  text: str, count: int) -> ProgrammeScore:
    """`scored` with its first result's posterior and claim numbers, its first indicator's
    values, a breakdown and a note set to the given number, decimal, text and count."""
    first = scored.results[0]
    hypothesis = first.hypothesis
    effect = ClaimEffect("e", 0, "survey", text, True, "hoop", number, number, number,
                         number, number, True, text, text, False, text, text, False, text)
    hypothesis = replace(hypothesis, posterior=number, prior=number,
                         effects=(*hypothesis.effects, effect))
    point = ValuePoint(decimal, text, text, count, text, text)
    target = TargetPoint(decimal, text, decimal, scored.assessed_at, text, False)
    indicator = replace(
        first.indicators[0], name=text, weight=decimal, actual=point, baseline=point,
        target=target, progress=decimal, progress_clamped=decimal,
        series=(SeriesScore(text, ((text, text),), point, target, decimal, decimal),),
    )
    first = replace(first, statement=text, weight=decimal, hypothesis=hypothesis,
                    indicators=(indicator, *first.indicators[1:]))
    return replace(scored, results=(first, *scored.results[1:]), notes=(text,))


RICH = score(rich())


@settings(max_examples=300, deadline=None)
@given(
    number=st.one_of(st.floats(), st.sampled_from(ODD_FLOATS)),
    decimal=st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=None),
        st.decimals(min_value=Decimal("-1e-3"), max_value=Decimal("1e-3")),
        st.sampled_from([Decimal("1E-9"), Decimal("-0"), Decimal("0E-9"),
                         Decimal("0.0000100"), Decimal("NaN")]),
    ).filter(lambda d: d.is_nan() or abs(d) < Decimal("1e15")),
    text=st.text(),
    count=st.one_of(st.integers(0, 10**6), st.just(2**64), st.just(-(10**30))),
)
def test_any_numbers_and_strings_are_written_as_json_dumps(
    number: float, decimal: Decimal, text: str, count: int
) -> None:
    _written_as_json_dumps(_with_numbers(RICH, number, decimal, text, count))


@pytest.mark.parametrize("number", ODD_FLOATS)
@pytest.mark.parametrize("text", ["plain", "quote \" back\\slash \n nul\x00 नेपाल 🙂 \u2028",
                                  "escape \x1b and \x1f", "written \\u001B", "lone \ud800"])
def test_odd_floats_and_strings_are_written_as_json_dumps(number: float, text: str) -> None:
    _written_as_json_dumps(_with_numbers(RICH, number, Decimal("1E-7"), text, 40))


@pytest.mark.parametrize("count", [2**63 - 1, 2**64, -(10**30)])
def test_integers_beyond_64_bits_are_written_as_json_dumps(count: int) -> None:
    _written_as_json_dumps(_with_numbers(RICH, 1e-05, Decimal("1E-7"), "text", count))


def test_lines_are_written_once_when_read() -> None:
    calls: list[int] = []

    def write() -> str:
        calls.append(1)
        return "one"

    lines = Lines([write, lambda: "two"])
    assert len(lines) == 2 and not calls
    assert list(lines) == ["one", "two"] and lines[1] == "two" and lines[:1] == ("one",)
    assert lines == ("one", "two") and lines == Lines.of(["one", "two"])
    assert hash(lines) == hash(("one", "two"))
    assert len(calls) == 1
    assert pickle.loads(pickle.dumps(lines)) == lines
    assert copy.deepcopy(lines) == lines


def test_steps_of_a_scored_indicator_read_like_text() -> None:
    loaded = load(EXAMPLES[0])
    assert loaded.programme is not None
    scored = score(loaded.programme)
    indicator = next(i for r in scored.results for i in r.indicators if i.status == "assessed")
    assert all(isinstance(step, str) for step in indicator.steps)
    assert "\n".join(f"  {s}" for s in indicator.steps) in explain(scored, indicator.id)
    assert pickle.loads(pickle.dumps(scored)) == scored
