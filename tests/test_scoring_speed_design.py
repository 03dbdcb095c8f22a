"""The design score's plausibility checks, through the public API, and the one fast path
they take: cycle members found without networkx (`design.cycle_members`), compared with
the plain way beside it (`design.cycle_members_plain`) on random graphs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_scoring_helpers import indicator, programme, result

from toc_engine import score
from toc_engine.schema.model import Programme
from toc_engine.scoring.design import cycle_members, cycle_members_plain
from toc_engine.scoring.result import Check

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NODES = [f"n{k}" for k in range(9)]
LEVELS = ["activity", "output", "outcome", "impact"]


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, list[str]]:
    nodes = draw(st.lists(st.sampled_from(NODES), min_size=0, max_size=9, unique=True))
    children: dict[str, list[str]] = {n: [] for n in nodes}
    if nodes:
        for source, target in draw(st.lists(
            st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=25
        )):
            children[source].append(target)
    return children


@st.composite
def programmes(draw: st.DrawFn) -> Programme:
    ids = draw(st.lists(st.sampled_from(NODES), min_size=1, max_size=8, unique=True))
    results = []
    for rid in ids:
        links = [
            {"to": to, **({"rationale": "Because"} if draw(st.booleans()) else {})}
            for to in draw(st.lists(st.sampled_from([*ids, "ghost"]), max_size=4))
        ]
        results.append(result(rid, draw(st.sampled_from([*LEVELS, "elsewhere"])),
                              links=links))
    return programme(results, levels=LEVELS)


def _check(prog: Programme, criterion: str, name: str) -> Check | None:
    [found] = [c for c in score(prog, allow_errors=True).design.criteria if c.name == criterion]
    return next((c for c in found.checks if c.name == name), None)


@FAST
@given(graphs())
def test_cycle_members_are_those_of_networkx(children: dict[str, list[str]]) -> None:
    assert cycle_members(children) == cycle_members_plain(children)


def test_cycle_members_on_a_long_chain_without_recursion() -> None:
    n = 50_000
    children = {f"n{k}": [f"n{k + 1}"] for k in range(n)}
    children[f"n{n}"] = ["n0"]
    assert cycle_members(children) == set(children)
    children[f"n{n}"] = [f"n{n}"]
    assert cycle_members(children) == {f"n{n}"}


@FAST
@given(programmes())
def test_plausible_names_the_results_on_cycles_and_those_cut_off(prog: Programme) -> None:
    """The cycle check fails exactly the results on a cycle; the path check exactly the
    results below the top level with no path up to it."""
    ids = {r.id for r in prog.results}
    graph = nx.DiGraph()
    graph.add_nodes_from(ids)
    graph.add_edges_from((r.id, link.to) for r in prog.results for link in r.contributes_to
                         if link.to in ids)
    cyclic = cycle_members_plain({n: list(graph.successors(n)) for n in graph.nodes})
    cycles = _check(prog, "plausible", "no cycles")
    assert cycles is not None and cycles.failing == tuple(sorted(cyclic))
    rank = {r.id: LEVELS.index(r.level) if r.level in LEVELS else -1 for r in prog.results}
    top = max(rank.values())
    tops = {r for r in ids if rank[r] == top}
    reach = tops.union(*(nx.ancestors(graph, t) for t in tops))
    path = _check(prog, "plausible", "every result has a path to the top level")
    below = sorted(r for r in ids if rank[r] != top)
    if not below:
        assert path is None
    else:
        assert path is not None and path.failing == tuple(r for r in below if r not in reach)


def test_completeness_counts_each_field_and_names_the_missing() -> None:
    missing: dict[str, Any] = {"method": None, "source": "", "frequency": ""}
    indicators = [
        indicator("full", frequency="annual"),
        indicator("bare", baseline=None, targets=(), **missing),
        indicator("scale", measure="ordinal", scale=[], unit=None, frequency="annual"),
        indicator("said", measure="qualitative", direction=None, baseline=None,
                  targets=(), unit=None, frequency="annual"),
    ]
    complete = _check(programme([result("r", indicators=indicators)]), "testable",
                      "indicators have baseline, targets, unit, method, source, frequency")
    assert complete is not None
    assert complete.failing == ("bare (baseline)", "bare (frequency)", "bare (method)",
                                "bare (source)", "bare (targets)", "scale (scale)")
    # 6 fields each for the unit and ordinal indicators, 6 for the bare unit one, 3 for
    # the qualitative one: 21 checked, 6 failing.
    assert complete.share == (Decimal(15) / Decimal(21)).quantize(Decimal("1e-9"))
