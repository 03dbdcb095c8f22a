"""Hypothesis properties of the theory-of-change graph checks (TOC2xx)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toc_engine
from toc_engine.check.config import Selection
from toc_engine.check.rules import RULES
from toc_engine.findings.diagnostic import Diagnostic

LEVELS = ["activity", "output", "outcome", "impact"]
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _programme(results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "toc": 1,
        "programme": {"id": "p", "title": "P",
                      "period": {"start": "2012-01-01", "end": "2013-12-31"}},
        "assumptions": [{"id": "holds", "statement": "It holds"}],
        "results": results,
    }


def _findings(data: dict[str, Any]) -> list[Diagnostic]:
    """Every finding of `toc validate` on the programme, written as a file (JSON is YAML)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "programme.yaml"
        path.write_text(json.dumps(data), encoding="utf-8")
        report = toc_engine.validate(path, selection=Selection())
    assert not report.skipped, report.skipped
    return report.diagnostics


def _graph_findings(data: dict[str, Any]) -> list[Diagnostic]:
    return [d for d in _findings(data) if d.code.startswith("TOC2")]


@st.composite
def layered_dags(draw: st.DrawFn) -> list[dict[str, Any]]:
    """1..40 results over the default levels; every non-top result links to 1..3 results
    of the same or a higher level that come later in a topological order (no cycles)."""
    count = draw(st.integers(1, 40))
    ranks = sorted(draw(st.lists(st.integers(0, 3), min_size=count, max_size=count)))
    if ranks[-1] != 3:
        ranks[-1] = 3  # at least one impact result for the chains to reach
    results: list[dict[str, Any]] = []
    for index, rank in enumerate(ranks):
        result: dict[str, Any] = {
            "id": f"r{index}",
            "level": LEVELS[rank],
            "statement": f"Result {index}",
            "indicators": [
                {"id": f"i{index}", "name": "Count", "unit": "person", "direction": "increase"}
            ],
        }
        if rank < 3:
            # Later results in this order have the same or a higher rank; linking only
            # forward keeps the graph acyclic. Always include one higher-level result
            # so that every chain reaches the top.
            later = list(range(index + 1, count))
            higher = [j for j in later if ranks[j] > rank]
            first = draw(st.sampled_from(higher))
            extra = draw(st.lists(st.sampled_from(later), max_size=2, unique=True))
            targets = [first, *[j for j in extra if j != first]]
            result["contributes_to"] = [
                {"to": f"r{j}", "rationale": "Because", "assumptions": ["holds"]}
                for j in targets
            ]
        results.append(result)
    return results


@given(layered_dags())
@SETTINGS
def test_valid_dags_have_no_graph_errors(results: list[dict[str, Any]]) -> None:
    findings = _graph_findings(_programme(results))
    assert [f"{d.code} {d.message}" for d in findings] == []


@st.composite
def dags_with_back_edge(draw: st.DrawFn) -> tuple[list[dict[str, Any]], str, str]:
    results = draw(layered_dags())
    linked = [r for r in results if r.get("contributes_to")]
    if not linked:
        # a single impact result: a self-loop is the only possible cycle
        results[0].setdefault("contributes_to", []).append(
            {"to": results[0]["id"], "rationale": "r", "assumptions": ["holds"]}
        )
        return results, results[0]["id"], results[0]["id"]
    source = draw(st.sampled_from(linked))
    # follow a path upward from `source`, then link its end back to `source`
    by_id = {r["id"]: r for r in results}
    node = source
    steps = draw(st.integers(1, 5))
    for _ in range(steps):
        links = node.get("contributes_to", [])
        if not links:
            break
        node = by_id[draw(st.sampled_from(links))["to"]]
    if node is source:
        node = by_id[source["contributes_to"][0]["to"]]
    existing = {link["to"] for link in node.get("contributes_to", [])}
    if source["id"] not in existing:
        node.setdefault("contributes_to", []).append(
            {"to": source["id"], "rationale": "Back", "assumptions": ["holds"]}
        )
    return results, node["id"], source["id"]


@given(dags_with_back_edge())
@SETTINGS
def test_one_back_edge_gives_exactly_one_cycle(case: tuple[list[dict[str, Any]], str, str]) -> None:
    results, _from, _to = case
    findings = _graph_findings(_programme(results))
    cycles = [d for d in findings if d.code == "TOC203"]
    assert len(cycles) == 1, [d.message for d in cycles]
    assert "circle" in cycles[0].message


ids = st.sampled_from([f"r{i}" for i in range(12)] + ["ghost", "r0"])


@st.composite
def arbitrary_graphs(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Random edges, self-loops, unknown levels, duplicated ids, links to nowhere."""
    count = draw(st.integers(0, 25))
    results = []
    for _ in range(count):
        level = draw(st.sampled_from([*LEVELS, "goal", "activity", "impact"]))
        links = draw(st.lists(ids, max_size=4))
        result: dict[str, Any] = {
            "id": draw(ids),
            "level": level,
            "statement": "s",
        }
        if links:
            result["contributes_to"] = [
                {"to": t, **({"rationale": "r"} if draw(st.booleans()) else {})} for t in links
            ]
        if draw(st.booleans()):
            result["indicators"] = [{"id": draw(ids), "name": "n", "unit": "person",
                                     "direction": "increase"}]
        results.append(result)
    return results


@given(arbitrary_graphs(), st.booleans())
@SETTINGS
def test_validate_never_crashes_on_random_graphs(
    results: list[dict[str, Any]], custom_levels: bool
) -> None:
    data = _programme(results)
    if custom_levels:
        data["levels"] = ["output", "impact"]
    findings = _findings(data)
    assert all(d.code in RULES for d in findings)
    # every cycle is reported once: never more cycle findings than results
    assert sum(d.code == "TOC203" for d in findings) <= len(results)
