"""Round trip: `toc export xlsx` then `toc import logframe` gives back the same results,
indicators, links, assumptions, baselines and targets, for generated programmes."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toc_engine
from toc_engine.cli import run

WORDS = ["women", "police", "safer", "village", "groups", "meet", "plans", "trust", "schools",
         "=SUM(A1:A9)", "#hash", "key: value", "\"quoted\"", "'single'", "चक्कर", "100%",
         "2012-01-01", "yes", "null", "- dash", "(brackets)", "1.5", "x{y}z", "a,b"]
LEVELS = ["impact", "outcome", "output", "activity"]
UNITS = ["person", "household", "meeting", "school"]


def _text(draw: st.DrawFn, index: int, tag: str) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5))
    return " ".join(words) + f" {tag}{index}"


@st.composite
def programmes(draw: st.DrawFn) -> dict:
    counts = [1, draw(st.integers(1, 3)), draw(st.integers(0, 3)), draw(st.integers(0, 2))]
    results: list[dict] = []
    assumptions: list[dict] = []
    indicator_no = 0
    for depth, (level, count) in enumerate(zip(LEVELS, counts, strict=True)):
        higher = [r["id"] for r in results]
        for k in range(count):
            rid = f"{level}-{k}"
            result: dict = {"id": rid, "level": level,
                            "statement": _text(draw, len(results), "r")}
            if depth:
                targets = draw(st.lists(st.sampled_from(higher), min_size=1, max_size=2,
                                        unique=True))
                shared = []
                if draw(st.booleans()):
                    aid = f"assume-{len(assumptions)}"
                    assumptions.append({"id": aid,
                                        "statement": _text(draw, len(assumptions), "a")})
                    shared = [aid]
                result["contributes_to"] = [{"to": t, "rationale": "because",
                                             "assumptions": shared} for t in targets]
            indicators = []
            for _ in range(draw(st.integers(0, 2))):
                indicator_no += 1
                percent = draw(st.booleans())
                base = draw(st.integers(0, 40))
                values = draw(st.lists(st.integers(41, 90), min_size=1, max_size=3))
                years = sorted(draw(st.lists(st.integers(2011, 2013), min_size=len(values),
                                             max_size=len(values), unique=True)))
                periods: list[object] = list(years)
                if draw(st.booleans()):  # a range of dates instead of the first year
                    periods[0] = {"start": f"{years[0]}-01", "end": f"{years[0]}-06"}
                ind: dict = {"id": f"ind-{indicator_no}",
                             "name": _text(draw, indicator_no, "i"),
                             "direction": "increase", "chosen_by": "partner",
                             "method": "survey", "source": "register",
                             "baseline": {"period": 2010, "value": base},
                             "targets": [{"period": y, "value": v}
                                         for y, v in zip(periods, sorted(values), strict=True)]}
                if percent:
                    ind.update(measure="percentage", unit="percent")
                else:
                    ind.update(measure="unit", unit=draw(st.sampled_from(UNITS)))
                if draw(st.booleans()):
                    ind["observations"] = [{"period": periods[0], "value": sorted(values)[0]}]
                indicators.append(ind)
            if indicators:
                result["indicators"] = indicators
            results.append(result)
    return {"toc": 1,
            "programme": {"id": "generated", "title": "Generated programme",
                          "period": {"start": "2010-01-01", "end": "2013-12-31"}},
            "assumptions": assumptions, "results": results}


def _view(programme: object) -> dict:
    statements = {a.id: a.statement for a in programme.assumptions}  # type: ignore[attr-defined]
    view: dict = {"results": {}, "indicators": {}, "links": {}}
    for r in programme.results:  # type: ignore[attr-defined]
        view["results"][r.id] = (r.level, r.statement)
        for link in r.contributes_to:
            view["links"][r.id, link.to] = sorted(statements[a] for a in link.assumptions)
        for i in r.indicators:
            view["indicators"][i.id] = (
                i.name, i.measure.value, i.unit, i.direction.value,
                (str(i.baseline.period), i.baseline.value) if i.baseline else None,
                [(str(t.period), t.value) for t in i.targets])
    return view


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programmes(), st.sampled_from(["eu", "fcdo"]))
def test_export_then_import_gives_back_the_framework(data: dict, layout: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "p").mkdir()
        (folder / "p" / "programme.yaml").write_text(json.dumps(data, ensure_ascii=False),
                                                     encoding="utf-8")
        original = toc_engine.load(folder / "p" / "programme.yaml")
        assert original.programme is not None, [d.message for d in original.diagnostics]
        out = io.StringIO()
        book = folder / "scored.xlsx"
        assert run(["export", "xlsx", str(folder / "p"), "-o", str(book), "--layout",
                    layout], out) == 0
        assert run(["import", "logframe", str(book), "-o", str(folder / "q")], out) in (0, 1)
        back = toc_engine.load(folder / "q" / "programme.yaml")
        assert back.programme is not None, [d.message for d in back.diagnostics]
        assert _view(back.programme) == _view(original.programme)
