"""Property tests: ranges, monotonicity, order independence, and the published schema."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_scoring_helpers import document, indicator, programme, result

from toc_engine.formats.score import to_json
from toc_engine.schema.model import Programme
from toc_engine.scoring import score

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "docs" / "schema" / "score.schema.json").read_text()
)
PERIODS = ["2011", "2012", "2012-Q3", "2012-Q4", "2013", "2013-Q1", "2014"]
LEVELS = ["output", "outcome", "impact"]
TESTS = ["straw_in_the_wind", "hoop", "smoking_gun", "doubly_decisive"]
CONCERNS = ["none", "minor", "moderate", "serious"]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

values = st.decimals(min_value=-500, max_value=500, places=2, allow_nan=False,
                     allow_infinity=False)


@st.composite
def indicators(draw: st.DrawFn, ident: str) -> dict[str, Any]:
    obs = draw(st.lists(st.tuples(st.sampled_from(PERIODS), values), max_size=4))
    sites = draw(st.lists(st.tuples(st.sampled_from(PERIODS), st.sampled_from(["a", "b"]),
                                    st.integers(0, 40)), max_size=3))
    rows: list[dict[str, Any]] = [{"period": p, "value": v} for p, v in obs]
    rows += [{"period": p, "value": v, "site": s} for p, s, v in sites]
    targets = draw(st.lists(st.tuples(st.sampled_from(PERIODS[1:6]), values), min_size=0,
                            max_size=2, unique_by=lambda t: t[0]))
    baseline = draw(st.one_of(st.none(), values))
    return indicator(
        ident,
        baseline=baseline,
        targets=targets,
        observations=rows,
        direction=draw(st.sampled_from(["increase", "decrease", "maintain"])),
        cumulative=draw(st.booleans()),
        tolerance=draw(st.sampled_from([0, 1, 5])),
        weight=draw(st.sampled_from([1, 2, Decimal("0.5")])),
        sensitive=draw(st.booleans()),
    )


@st.composite
def claims(draw: st.DrawFn, abouts: list[str]) -> dict[str, Any]:
    return {
        "about": draw(st.sampled_from(abouts)),
        "finding": draw(st.sampled_from(["supports", "contradicts"])),
        "test": draw(st.sampled_from(TESTS)),
        "found": draw(st.booleans()),
    }


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 4))
    ids = [f"r{i}" for i in range(count)]
    results = []
    abouts = [*ids, "a1"]
    for i, rid in enumerate(ids):
        inds = [draw(indicators(f"{rid}-i{j}")) for j in range(draw(st.integers(0, 2)))]
        links = []
        if i + 1 < count:
            links.append({"to": ids[i + 1], "rationale": "r", "assumptions": ["a1"],
                          "lag": draw(st.sampled_from([None, "P6M"])) or "P0D"})
            abouts.append(f"{rid} -> {ids[i + 1]}")
        results.append(result(rid, level=LEVELS[min(i, 2)], indicators=inds, links=links,
                              weight=draw(st.sampled_from([1, 2]))))
    evidence = []
    for k in range(draw(st.integers(0, 4))):
        evidence.append({
            "id": f"e{k}",
            "kind": draw(st.sampled_from(["focus_group", "document", "observation"])),
            "package": draw(st.sampled_from([None, "p", "q"])),
            "quality": {"methodology": draw(st.sampled_from(CONCERNS))},
            "claims": draw(st.lists(claims(abouts), min_size=1, max_size=3)),
        })
    for item in evidence:
        if item["package"] is None:
            del item["package"]
    status = draw(st.sampled_from(["holds", "at_risk", "failed", "unknown"]))
    return document(results, evidence=evidence,
                    assumptions=[{"id": "a1", "statement": "s", "status": status}])


def numbers(data: dict[str, Any]) -> dict[str, Any]:
    """Every number and verdict of a score, keyed by id rather than by position."""
    s = score(Programme.model_validate(data))
    out: dict[str, Any] = {}
    for r in s.results:
        out[r.id] = (r.delivery.score, r.delivery.band, r.state, r.posterior, r.confidence,
                     sorted((i.id, i.status, i.progress, tuple(
                         (x.site, x.dimensions, x.progress, x.suppressed) for x in i.series))
                         for i in r.indicators))
    for link in s.links:
        out[link.id] = (link.verdict, link.posterior, link.confidence)
    out["design"] = (s.design.score, s.design.validity, s.design.tested_coverage,
                     [(c.name, c.score, c.mean_share) for c in s.design.criteria])
    out["rollup"] = sorted((level.level, level.score, level.band) for level in s.rollup)
    return out


@FAST
@given(documents())
def test_scores_and_posteriors_stay_in_range(data: dict[str, Any]) -> None:
    s = score(Programme.model_validate(data))
    for r in s.results:
        for i in r.indicators:
            if i.progress_clamped is not None:
                assert 0 <= i.progress_clamped <= Decimal("1.5")
        if r.delivery.score is not None:
            assert 0 <= r.delivery.score <= 150
        assert r.posterior is None or 0 <= r.posterior <= 1
    for link in s.links:
        assert link.posterior is None or 0 <= link.posterior <= 1
    assert 0 <= s.design.score <= 100
    assert 0 <= s.design.tested_coverage <= 1
    assert s.design.validity is None or 0 <= s.design.validity <= 1


@FAST
@given(documents())
def test_json_validates_against_published_schema(data: dict[str, Any]) -> None:
    output = to_json(score(Programme.model_validate(data)))
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(output)
    json.dumps(output, allow_nan=False)


@FAST
@given(documents(), st.randoms(use_true_random=False))
def test_reordering_lists_never_changes_a_number(data: dict[str, Any], rnd: Any) -> None:
    shuffled = copy.deepcopy(data)
    rnd.shuffle(shuffled["results"])
    rnd.shuffle(shuffled["evidence"])
    for r in shuffled["results"]:
        rnd.shuffle(r["indicators"])
        for i in r["indicators"]:
            rnd.shuffle(i["observations"])
            rnd.shuffle(i["targets"])
    for item in shuffled["evidence"]:
        rnd.shuffle(item["claims"])
    assert numbers(shuffled) == numbers(data)


@FAST
@given(
    documents(),
    st.sampled_from(TESTS),
    st.sampled_from([None, "p", "q"]),
    st.sampled_from(CONCERNS),
)
def test_a_found_supporting_claim_never_lowers_a_posterior(
    data: dict[str, Any], test: str, package: str | None, concern: str
) -> None:
    before = score(Programme.model_validate(data))
    extra: dict[str, Any] = {
        "id": "zz-new",
        "kind": "key_informant",
        "quality": {"methodology": concern},
        "claims": [{"about": "r0", "finding": "supports", "test": test}],
    }
    if package:
        extra["package"] = package
    more = copy.deepcopy(data)
    more["evidence"].append(extra)
    after = score(Programme.model_validate(more))
    old, new = before.results[0].posterior, after.results[0].posterior
    assert new is not None
    assert old is None or new >= old


@FAST
@given(
    st.integers(-100, 100),
    st.integers(-100, 100).filter(lambda x: x != 0),
    st.fractions(min_value=0, max_value=1),
    st.fractions(min_value=0, max_value=1),
)
def test_an_observation_closer_to_target_never_lowers_progress(
    base: int, gap: int, f1: Any, f2: Any
) -> None:
    # A' = B + f'·(T − B) with f ≤ f' ≤ 1 lies between A and T; it is the newer observation
    low, high = sorted((f1, f2))
    b, t = Decimal(base), Decimal(base + gap)
    a1 = b + Decimal(low.numerator) / Decimal(low.denominator) * (t - b)
    a2 = b + Decimal(high.numerator) / Decimal(high.denominator) * (t - b)
    direction = "increase" if gap > 0 else "decrease"
    ind = indicator(baseline=base, targets=[(2013, base + gap)], direction=direction,
                    observations=[(2012, a1)])
    closer = copy.deepcopy(ind)
    closer["observations"].append({"period": 2013, "value": a2})
    p1 = score(programme([result("r", indicators=[ind])])).results[0].indicators[0]
    p2 = score(programme([result("r", indicators=[closer])])).results[0].indicators[0]
    assert p1.progress is not None and p2.progress is not None
    assert p2.progress >= p1.progress - Decimal("1e-20")
