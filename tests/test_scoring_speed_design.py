"""The graph-free `plausible` and the label-on-failure `testable` judge as before.

`plausible` found cycles with `nx.strongly_connected_components` on a graph built for
the purpose; it now walks the links (iterative Tarjan, `design._on_cycles`). `testable`
wrote a label for every completeness check; it now writes only the failing ones. Both
are compared with the code they replace on random graphs and indicators, and the last
tests check that the comparison catches a deliberate bug.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_scoring_helpers import programme, result

from toc_engine.schema.model import Measure, Programme
from toc_engine.scoring import design
from toc_engine.scoring.result import Check, Criterion

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- the code the fast paths replace -------------------------------------------------------


def _cyclic_networkx(children: dict[str, list[str]]) -> set[str]:
    """The cycle members as `plausible` found them before."""
    graph = nx.DiGraph()
    graph.add_nodes_from(children)
    graph.add_edges_from((n, c) for n, cs in children.items() for c in cs)
    cyclic: set[str] = set()
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            cyclic |= component
    cyclic |= {n for n in graph.nodes if graph.has_edge(n, n)}
    return cyclic


def _plausible_networkx(prog: Programme) -> Criterion:
    """`design.plausible` before it stopped building a graph."""
    rank = design._level_index(prog)
    ids = {r.id for r in prog.results}
    levels = {r.id: rank.get(r.level, -1) for r in prog.results}
    top = max(levels.values(), default=-1)
    graph = nx.DiGraph()
    graph.add_nodes_from(ids)
    links = design._links(prog)
    for r, link in links:
        if link.to in ids:
            graph.add_edge(r.id, link.to)
    reach = design._reaching(graph.pred, [r for r in ids if levels[r] == top])
    path = design._check(
        "every result has a path to the top level",
        [(r, r in reach) for r in sorted(ids) if levels[r] != top],
    )
    skips = []
    for r, link in links:
        if link.to not in levels:
            continue
        skipped = levels[link.to] - levels[r.id] > 1
        skips.append((f"{r.id} -> {link.to}", not skipped or bool(link.rationale)))
    skip = design._check("no level skipping without a rationale", skips)
    rationale = design._check(
        "every link has a rationale",
        [(f"{r.id} -> {link.to}", bool(link.rationale)) for r, link in links],
    )
    cyclic = _cyclic_networkx(
        {n: list(graph.successors(n)) for n in graph.nodes}
    )
    cycles = design._check("no cycles", [(r, r not in cyclic) for r in sorted(ids)])
    return design._criterion("plausible", [path, skip, rationale, cycles], "no results to judge")


def _complete_labelled(indicators: list[Any]) -> Check | None:
    """The completeness check of `testable` before: a label for every field."""
    return design._check(
        "complete", [item for i in indicators for item in design._completeness(i)]
    )


# --- random inputs ---------------------------------------------------------------------------

NODES = [f"n{k}" for k in range(9)]


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
    levels = ["activity", "output", "outcome", "impact", "elsewhere"]
    results = []
    for rid in ids:
        links = [
            {"to": to, **({"rationale": "Because"} if draw(st.booleans()) else {})}
            for to in draw(st.lists(st.sampled_from([*ids, "ghost"]), max_size=4))
        ]
        results.append(result(rid, draw(st.sampled_from(levels)), links=links))
    return programme(results, levels=levels[:4])


@st.composite
def indicators(draw: st.DrawFn) -> list[Any]:
    out = []
    for k in range(draw(st.integers(0, 6))):
        out.append(SimpleNamespace(
            id=draw(st.sampled_from([f"i{k}", "i0", "b"])),
            measure=draw(st.sampled_from(list(Measure))),
            method=draw(st.sampled_from([None, "survey"])),
            source=draw(st.sampled_from(["", None, "Register"])),
            frequency=draw(st.sampled_from(["", "annual"])),
            baseline=draw(st.sampled_from([None, 0])),
            targets=draw(st.sampled_from([[], [1]])),
            unit=draw(st.sampled_from([None, "", "people"])),
            scale=draw(st.sampled_from([[], ["low", "high"]])),
        ))
    return out


def _complete_fast(items: list[Any]) -> Check | None:
    total, failing = design._incomplete(items)
    return design._tally("complete", total, failing)


# --- the comparisons --------------------------------------------------------------------------


@FAST
@given(graphs())
def test_cycle_members_are_those_of_networkx(children: dict[str, list[str]]) -> None:
    assert design._on_cycles(children) == _cyclic_networkx(children)


def test_cycle_members_on_a_long_chain_without_recursion() -> None:
    n = 50_000
    children = {f"n{k}": [f"n{k + 1}"] for k in range(n)}
    children[f"n{n}"] = ["n0"]
    assert design._on_cycles(children) == set(children)
    children[f"n{n}"] = [f"n{n}"]
    assert design._on_cycles(children) == {f"n{n}"}


@FAST
@given(programmes())
def test_plausible_is_what_the_graph_gave(prog: Programme) -> None:
    assert design.plausible(prog) == _plausible_networkx(prog)


@FAST
@given(indicators())
def test_completeness_labels_only_failures_alike(items: list[Any]) -> None:
    assert _complete_fast(items) == _complete_labelled(items)


# --- the comparisons catch deliberate bugs ----------------------------------------------------


def test_the_cycle_comparison_catches_a_deliberate_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """A walk that forgets self-links, or the root of a component, must be told apart."""
    prog = programme([
        result("a", "output", links=["b"]),
        result("b", "outcome", links=["a"]),
        result("c", "outcome", links=["c", "d"]),
        result("d", "impact"),
    ])
    assert design.plausible(prog) == _plausible_networkx(prog)
    on_cycles = design._on_cycles

    def without_self_links(children: Any) -> set[str]:
        return on_cycles({n: [c for c in cs if c != n] for n, cs in children.items()})

    def without_roots(children: Any) -> set[str]:
        return on_cycles(children) - {min(on_cycles(children), default="")}

    for bug in (without_self_links, without_roots):
        with monkeypatch.context() as patch:
            patch.setattr(design, "_on_cycles", bug)
            assert design.plausible(prog) != _plausible_networkx(prog)


def test_the_completeness_comparison_catches_a_deliberate_bug(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = [SimpleNamespace(id="i", measure=Measure.ordinal, method=None, source="s",
                             frequency="f", baseline=0, targets=[1], unit=None, scale=[])]
    assert _complete_fast(items) == _complete_labelled(items)
    incomplete = design._incomplete

    def forgets_scales(indicators: Any) -> tuple[int, list[str]]:
        total, failing = incomplete(indicators)
        return total, [label for label in failing if not label.endswith("(scale)")]

    with monkeypatch.context() as patch:
        patch.setattr(design, "_incomplete", forgets_scales)
        assert _complete_fast(items) != _complete_labelled(items)
