"""`Context.links` (plain dicts) has the nodes, edges and link paths of `Context.graph`
(networkx), and `has_cycle` says exactly when networkx finds a circle; checking a
programme without one never imports networkx.

Results here are bare namespaces, so ids can repeat and links can point nowhere, as in
a file being written.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from toc_engine.check.context import Context
from toc_engine.check.linkgraph import LinkGraph

ROOT = Path(__file__).resolve().parent.parent
IDS = [f"r{k}" for k in range(7)]


def _result(rid: str, targets: list[str]) -> SimpleNamespace:
    return SimpleNamespace(id=rid, contributes_to=[SimpleNamespace(to=t) for t in targets])


@st.composite
def result_lists(draw: st.DrawFn) -> list[SimpleNamespace]:
    ids = draw(st.lists(st.sampled_from(IDS), max_size=9))  # repeated ids too
    return [
        _result(rid, draw(st.lists(st.sampled_from([*IDS, "ghost"]), max_size=4)))
        for rid in ids
    ]


def _context(results: list[Any]) -> Context:
    return Context(loaded=None, programme=SimpleNamespace(results=results))  # type: ignore[arg-type]


@settings(max_examples=400, deadline=None)
@given(result_lists())
def test_links_are_the_networkx_graph(results: list[SimpleNamespace]) -> None:
    ctx = _context(results)
    links, graph = ctx.links, ctx.graph
    assert list(links.index) == list(graph.nodes)
    assert links.index == {node: data["index"] for node, data in graph.nodes(data=True)}
    assert set(links.paths) == set(graph.edges)
    assert links.paths == {edge: graph.edges[edge]["path"] for edge in graph.edges}
    for node in graph.nodes:
        assert links.successors[node] == list(graph.successors(node))
        assert sorted(links.predecessors[node]) == sorted(graph.predecessors(node))
    for source in [*IDS, "ghost"]:
        assert (source in links) == (source in graph)
        for target in [*IDS, "ghost"]:
            assert links.has_edge(source, target) == graph.has_edge(source, target)
    assert links.has_cycle() == (not nx.is_directed_acyclic_graph(graph))


def test_circles_found_and_not_found() -> None:
    line = [_result("a", ["b"]), _result("b", ["c"]), _result("c", [])]
    assert not LinkGraph.of(line).has_cycle()
    assert LinkGraph.of([*line[:2], _result("c", ["a"])]).has_cycle()
    assert LinkGraph.of([_result("a", ["a"])]).has_cycle()  # a link to itself
    assert not LinkGraph.of([_result("a", ["ghost"])]).has_cycle()  # a dangling link
    # A second definition of `c` brings its link back to `a`: the first definition is the
    # node, but every definition's links count, as in the networkx graph.
    assert LinkGraph.of([*line, _result("c", ["a"])]).has_cycle()
    assert not LinkGraph.of([]).has_cycle()


def test_checking_the_examples_does_not_import_networkx() -> None:
    probe = (
        "import sys, toc_engine\n"
        "for name in ('kosovo', 'nepal', 'bangladesh'):\n"
        "    report = toc_engine.validate(f'examples/{name}/programme.yaml')\n"
        "    assert report.valid, report.diagnostics\n"
        "print('networkx' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


CIRCLE_AMONG_OTHERS = """\
toc: 1
programme: {id: demo, title: Demo programme, period: {start: 2012-01-01, end: 2013-12-31}}
results:
  - {id: a, level: output, statement: s, contributes_to: [{to: x, rationale: r}]}
  - {id: x, level: outcome, statement: s, contributes_to: [{to: y, rationale: r}]}
  - id: y
    level: outcome
    statement: s
    contributes_to: [{to: x, rationale: r}, {to: d, rationale: r}]
  - {id: d, level: impact, statement: s}
  - {id: e, level: impact, statement: s}
"""


def test_a_circle_is_named_alike_in_every_run(tmp_path: Path) -> None:
    """TOC203 names a circle from its first result in the file, whatever the hash seed.
    (Naming it through a networkx subgraph view walked the members in hash order: with
    seeds 0, 2 and 4 this circle came out as y -> x -> y.)"""
    path = tmp_path / "programme.yaml"
    path.write_text(CIRCLE_AMONG_OTHERS, encoding="utf-8")
    messages = set()
    for seed in ("0", "1", "2", "4"):
        done = subprocess.run(
            [sys.executable, "-m", "toc_engine", "validate", str(path), "--format", "json"],
            capture_output=True, text=True, timeout=120, check=False, cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.returncode == 1, done.stderr
        found = json.loads(done.stdout)["diagnostics"]
        messages |= {d["message"] for d in found if d["code"] == "TOC203"}
    assert messages == {"results contribute to each other in a circle: x -> y -> x"}
