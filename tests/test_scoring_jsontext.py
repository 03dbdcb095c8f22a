"""The fast JSON text and the deferred explanation lines give what the slow paths gave."""

from __future__ import annotations

import copy
import json
import math
import pickle
from pathlib import Path
from typing import Any

import pytest

from toc_engine.loader import load
from toc_engine.scoring import explain, score, to_json, to_json_text
from toc_engine.scoring.jsontext import dumps
from toc_engine.scoring.result import Lines

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*/programme.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("sensitive", [False, True])
def test_json_text_is_json_dumps(path: Path, sensitive: bool) -> None:
    loaded = load(path)
    assert loaded.programme is not None
    scored = score(loaded.programme, include_sensitive=sensitive, locate=loaded.locate)
    expected = json.dumps(to_json(scored), indent=2, ensure_ascii=False)
    assert to_json_text(scored) == expected


@pytest.mark.parametrize(
    "data",
    [
        {},
        [],
        {"a": [], "b": {}, "c": [{}], "d": [[1, 2], [3]]},
        {"s": "quote \" back\\slash \n tab\t nul\x00 नेपाल 🙂", "e": "", "u": "\u2028"},
        {"f": [0.1, -0.0, 1e300, 1e-300, 12.0, math.inf, -math.inf, math.nan]},
        {"i": [0, -1, 10**30, True, False, None]},
        [{"deep": [{"deeper": [{"deepest": 1}]}]}],
        "top-level string",
        3.5,
        None,
    ],
)
def test_dumps_matches_the_standard_library(data: Any) -> None:
    assert dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)


def test_dumps_hands_other_values_to_the_standard_library() -> None:
    data = {"tuple": (1, 2), "int keys": {1: "a", None: "b"}, "nested": [{"x": (3,)}]}
    assert dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)


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
    path = EXAMPLES[0]
    loaded = load(path)
    assert loaded.programme is not None
    scored = score(loaded.programme)
    indicator = next(i for r in scored.results for i in r.indicators if i.status == "assessed")
    assert all(isinstance(step, str) for step in indicator.steps)
    assert "\n".join(f"  {s}" for s in indicator.steps) in explain(scored, indicator.id)
    assert pickle.loads(pickle.dumps(scored)) == scored
