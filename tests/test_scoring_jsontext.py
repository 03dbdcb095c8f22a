"""The fast JSON text and the deferred explanation lines give what the slow paths gave."""

from __future__ import annotations

import copy
import json
import math
import pickle
from pathlib import Path
from typing import Any

import pytest

from toc_engine.formats.score import explain, to_json, to_json_chunks, to_json_text
from toc_engine.schema.programme import load
from toc_engine.scoring import score
from toc_engine.scoring.jsontext import chunks, dumps
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
    pieces = list(to_json_chunks(scored))
    assert "".join(pieces) == expected
    assert len(pieces) > len(scored.results)  # written a piece at a time, not whole


def _nested_lists(depth: int, inner: Any) -> Any:
    for _ in range(depth):
        inner = [inner]
    return inner


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
        # deeper than the shared indentation table, and more keys than it remembers
        _nested_lists(40, {"x": [1, {"y": None}]}),
        {f"key {n}": n for n in range(5000)},
        "top-level string",
        3.5,
        None,
    ],
)
def test_dumps_matches_the_standard_library(data: Any) -> None:
    assert dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)
    assert "".join(chunks(data)) == json.dumps(data, indent=2, ensure_ascii=False)


def test_dumps_hands_other_values_to_the_standard_library() -> None:
    data = {"tuple": (1, 2), "int keys": {1: "a", None: "b"}, "nested": [{"x": (3,)}]}
    assert dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)
    # In pieces, a value the fast writer does not write is handed over alone, indented
    # to its depth; a top level with keys that are not strings is handed over whole.
    data["list"] = [(1, 2), {"k": (3, {"deeper": [4]})}, "plain", []]
    for document in (data, {1: "x", "b": [1]}, {"a": [{"x": (1,)}], None: 2}):
        assert "".join(chunks(document)) == json.dumps(document, indent=2, ensure_ascii=False)


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


def test_series_text_is_the_series_json() -> None:
    from datetime import date
    from decimal import Decimal

    from toc_engine.scoring.result import SeriesScore, SeriesText, TargetPoint, ValuePoint

    shared = TargetPoint(Decimal("40"), "2013", Decimal("35.50"), date(2013, 2, 1), "why \"", False)
    series = (
        SeriesScore("s0", (), ValuePoint(Decimal("37"), "2012-Q1"), shared,
                    Decimal("-0"), Decimal("0E-9")),
        SeriesScore(None, (("sex", "f"), ("age", "नेपाल")),
                    ValuePoint(Decimal("1E+2"), "2012", "sites", 40, "a note", "raw"),
                    TargetPoint(Decimal("0.123456789123"), "2013"), Decimal("1.5"), Decimal("1.5")),
        SeriesScore("s2", (), None, None, None, None, True, "fewer than 3"),
        SeriesScore("s3", (), ValuePoint(Decimal("2.50"), "2012"), shared, None, None),
    )
    for data in ({"series": SeriesText(series)}, [{"a": {"series": SeriesText(())}}],
                 {"series": SeriesText(series), "tuple": (1,)}):
        def plain(value: Any) -> Any:
            if isinstance(value, SeriesText):
                return value.plain()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        assert dumps(data) == json.dumps(plain(data), indent=2, ensure_ascii=False)


def test_series_records_are_written_as_their_series_json() -> None:
    """A breakdown kept as a `SeriesRecord` tuple (one reading) is written from its
    template's pieces: the same text as its `SeriesScore`'s dict, in every field's forms
    (a site or dimensions, a sample size or none, no target, progress kept as it is or
    clamped, a signed zero, no progress)."""
    from datetime import date
    from decimal import Decimal

    from toc_engine.scoring.result import Breakdowns, SeriesText, TargetPoint

    shared = TargetPoint(Decimal("40"), "2013", Decimal("35.50"), date(2013, 2, 1), "why \"", False)
    own = TargetPoint(Decimal("0.123456789123"), "2013-Q4")
    kept = Decimal("0.975")
    records = Breakdowns((
        ("s0", (), Decimal("37"), "2012-Q1", None, shared, kept, kept),
        (None, (("sex", "f"), ("age", "नेपाल")), Decimal("1E+2"), "2012", 40, own,
         Decimal("2.5"), Decimal("1.5")),
        ("s \"2\"", (), Decimal("-0"), "2013", 0, shared, Decimal("-0"), Decimal("0E-9")),
        ("s3", (("group", "dalit"),), Decimal("2.50"), "2012-03", None, None, None, None),
        ("s4", (), Decimal("12"), "2013", None, shared, Decimal("0.3"), Decimal("0.30")),
    ))
    for depth_data in ({"series": SeriesText(records)},
                       [{"a": {"b": [{"series": SeriesText(records)}]}}]):
        plain = json.loads(json.dumps(depth_data, default=lambda v: v.plain()))
        assert dumps(depth_data) == json.dumps(plain, indent=2, ensure_ascii=False)


def test_indicators_text_is_the_indicators_json() -> None:
    """`IndicatorsText` writes what `json.dumps` writes of the indicators' dicts: every
    field empty and full (a survey, flags, a revised target, breakdowns, odd numbers)."""
    from datetime import date
    from decimal import Decimal

    from toc_engine.scoring.result import (
        IndicatorScore,
        IndicatorsText,
        Interval,
        SeriesScore,
        SurveyStats,
        TargetPoint,
        ValuePoint,
    )

    revised = TargetPoint(Decimal("50"), "2013", Decimal("60"), date(2012, 6, 1), "cut", True)
    full = IndicatorScore(
        "i-1", "Women \"and\" men नेपाल", "percentage", "increase", "percent",
        Decimal("0.5"), "assessed", "", "difference",
        ValuePoint(Decimal("25"), "2010", "declared", 400, "", ""),
        revised,
        ValuePoint(Decimal("40.0"), "2013", "sites", 380, "3 site rows", "high"),
        Decimal("0.6"), Decimal("-0"),
        flags=("no_baseline", "overlapping_periods"),
        survey=SurveyStats(Interval(20.1234567, 30.0), None, 15.0, Interval(-1.5, 31.25), True),
        series=(SeriesScore("s1", (("sex", "f"),), ValuePoint(Decimal("1E+2"), "2013"),
                            revised, Decimal("1.5"), Decimal("1.5")),),
        sensitive=True,
    )
    bare = IndicatorScore("i-2", "Count", "unit", None, None, Decimal("0"), "not_assessable",
                          "no direction", "none", None, None, None, None, None)
    for indicators in ((full, bare), (bare,), ()):
        expected = json.dumps({"indicators": [i.to_json() for i in indicators]}, indent=2,
                              ensure_ascii=False)
        assert dumps({"indicators": IndicatorsText(indicators)}) == expected
        nested = [{"a": {"indicators": IndicatorsText(indicators)}}]
        assert dumps(nested) == json.dumps(
            [{"a": {"indicators": [i.to_json() for i in indicators]}}], indent=2,
            ensure_ascii=False,
        )


def test_result_and_link_text_are_their_json() -> None:
    """`ResultText` and `LinkText` write what `json.dumps` writes of `ResultScore.to_json`
    and `LinkScore.to_json`: every field empty and full (claims used, unused and withheld,
    a package, rivals, a lag, reasons, a coherence note, no delivery score, odd numbers),
    as items of a list (how `chunks` writes them) and nested deeper."""
    from decimal import Decimal

    from toc_engine.scoring.jsontext import Prewritten
    from toc_engine.scoring.result import (
        ClaimEffect,
        Delivery,
        Hypothesis,
        IndicatorScore,
        LinkScore,
        LinkText,
        ResultScore,
        ResultText,
        RivalScore,
    )

    used = ClaimEffect("ev-1", 0, "focus_group", "supports", True, "hoop", 0.95, 0.6,
                       1.5833333333, 0.8333333333, 1.411, True, "", "pkg \"a\"", False,
                       "“quoted” नेपाल", "summary", False, "interview")
    unused = ClaimEffect("ev-2", 3, "case_study", "contradicts", False, None, None, None,
                         None, 1.0, None, False, "weaker item of package pkg", None, True,
                         None, None, True, "records")
    full_hyp = Hypothesis("r-1", "result", 0.5, 0.812345678, "likely", (used, unused))
    bare_hyp = Hypothesis("r-2", "result", 0.5, None, "no_qualitative_evidence")
    indicator = IndicatorScore("i-1", "Count", "unit", "increase", "person", Decimal("1"),
                               "no_data", "no counted observation", "none", None, None,
                               None, None, None)
    results = (
        ResultScore("r-1", "outcome", "Women \"feel\" safer\n", Decimal("2.5"), (indicator,),
                    Delivery(Decimal("62.5"), "B", "Moderately met"), "achieved", "D ≥ 0.625",
                    full_hyp, "low", ("adequacy: one family", "coherence: disagrees"),
                    True, "a note"),
        ResultScore("r-2", "output", "", Decimal("0"), (),
                    Delivery(None, "insufficient_evidence", "insufficient evidence"),
                    "unknown", "", bare_hyp, "very_low", ()),
    )
    links = (
        LinkScore("r-1", "r-2", Decimal("1.0"), "theory_held", 3, "held \"well\"", full_hyp,
                  (RivalScore("rv-1", "Another NGO", bare_hyp),
                   RivalScore("rv-2", "Police reform", full_hyp)),
                  ("a-1", "a-2"), "P12M", "moderate", ("assumption at risk: a-1",)),
        LinkScore("r-2", "r-1", Decimal("-0"), "untested", 1, "", bare_hyp, (), (), None,
                  "high", ()),
    )
    for made, plain in ((ResultText(r), r.to_json()) for r in results):
        assert isinstance(made, Prewritten)
        for data, expected in (([made], [plain]), ({"a": [{"b": made}]}, {"a": [{"b": plain}]})):
            assert dumps(data) == json.dumps(expected, indent=2, ensure_ascii=False)
            assert "".join(chunks({"results": data})) == json.dumps(
                {"results": expected}, indent=2, ensure_ascii=False
            )
    for link in links:
        expected = json.dumps({"links": [link.to_json()]}, indent=2, ensure_ascii=False)
        assert "".join(chunks({"links": [LinkText(link)]})) == expected
        assert dumps({"links": [LinkText(link)]}) == expected


def test_remembered_numbers_follow_the_decimal_context() -> None:
    """Numbers are written from remembered texts, kept per decimal precision and rounding:
    a caller who writes a score under another context gets `json.dumps` of `to_json`
    under it (found by a review: the texts were remembered by value alone)."""
    from decimal import ROUND_HALF_UP, Decimal, localcontext

    from toc_engine.scoring.result import Hypothesis, LinkScore, LinkText

    link = LinkScore("a", "b", Decimal("0.0000000005"), "untested", 1, "",
                     Hypothesis("l", "link", 0.5, None, "no_qualitative_evidence"),
                     (), (), None, "low", ())

    def same() -> bool:
        return dumps([LinkText(link)]) == json.dumps([link.to_json()], indent=2,
                                                     ensure_ascii=False)

    assert same()
    with localcontext(rounding=ROUND_HALF_UP):
        assert same()
        assert '"weight": 1e-09' in dumps([LinkText(link)])
    assert same()


def test_series_text_is_its_json_at_every_depth_it_is_written() -> None:
    """One `SeriesText` written twice, at two depths, gives each depth's text (a target's
    text was once remembered on the object, indented for the first depth only)."""
    from decimal import Decimal

    from toc_engine.scoring.result import SeriesScore, SeriesText, TargetPoint, ValuePoint

    shared = TargetPoint(Decimal("40"), "2013")
    text = SeriesText((SeriesScore("s0", (), ValuePoint(Decimal("37"), "2012"), shared,
                                   Decimal("0.5"), Decimal("0.5")),))
    plain = text.plain()
    assert dumps({"a": text, "b": [text]}) == json.dumps({"a": plain, "b": [plain]}, indent=2,
                                                         ensure_ascii=False)


def test_templates_name_the_keys_of_to_json_in_order() -> None:
    """The key tuples the JSON templates are cut from are `to_json`'s keys, in its order
    (the text tests would fail too; this says which template is out of step)."""
    from decimal import Decimal

    from toc_engine.scoring import result as R

    hypothesis = R.Hypothesis("r", "result", 0.5, None, "no_qualitative_evidence")
    claim = R.ClaimEffect("ev", 0, "survey", "supports", True, None, None, None, None, 1.0,
                          None, False, "", None, False, None, None, False, "survey")
    indicator = R.IndicatorScore("i", "I", "unit", None, None, Decimal("1"), "no_data", "",
                                 "none", None, None, None, None, None)
    result = R.ResultScore("r", "output", "", Decimal("1"), (),
                           R.Delivery(None, "insufficient_evidence", "x"), "unknown", "",
                           hypothesis, "low", ())
    link = R.LinkScore("a", "b", Decimal("1"), "untested", 1, "", hypothesis, (), (), None,
                       "low", ())
    assert tuple(claim.to_json()) == R._CLAIM_KEYS
    assert tuple(indicator.to_json()) == R._INDICATOR_KEYS
    assert tuple(result.to_json()) == R._RESULT_KEYS
    assert tuple(result.delivery.to_json()) == R._DELIVERY_KEYS
    assert tuple(link.to_json()) == R._LINK_KEYS


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


def test_key_prefixes_are_remembered_within_a_bound() -> None:
    """The writer remembers how each key is written at each depth, for every call; a
    document with thousands of distinct keys (dimension values, say) does not grow it
    past its bound."""
    from toc_engine.scoring import jsontext

    data = {"outer": {f"distinct key {n}": n for n in range(jsontext._PREFIX_LIMIT + 500)}}
    assert dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)
    assert all(len(prefixes) <= jsontext._PREFIX_LIMIT for _, prefixes in jsontext._LEVELS)
