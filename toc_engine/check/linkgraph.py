"""The results and their `contributes_to` links as plain dicts, for the checks that only ask
simple questions of them.

Is there a link from a to b, which results link to this one, is there a circle at all:
none of that needs a graph library, and importing networkx costs about 0.1 s (some 300
modules) of every `toc validate` and `toc score`, a quarter of checking a small
programme. networkx is still what finds and names a circle (`rules.graph.check_cycles`),
and is imported only when there is one (`has_cycle`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..schema.model import Result

Path_ = tuple[str | int, ...]  # where an item is written: keys and list indexes


@dataclass
class LinkGraph:
    """A node per result id (its first definition), an edge per link to a defined result
    (the first such link between two results; its path kept), in file order.
    `Context.graph`, networkx's graph of the same, is built from these."""

    index: dict[str, int] = field(default_factory=dict)  # result id -> its first definition
    successors: dict[str, list[str]] = field(default_factory=dict)
    predecessors: dict[str, list[str]] = field(default_factory=dict)
    paths: dict[tuple[str, str], Path_] = field(default_factory=dict)  # edge -> its link

    @classmethod
    def of(cls, results: Iterable[Result]) -> LinkGraph:
        graph = cls()
        listed = list(results)
        for index, result in enumerate(listed):
            if result.id not in graph.index:
                graph.index[result.id] = index
                graph.successors[result.id] = []
                graph.predecessors[result.id] = []
        for index, result in enumerate(listed):
            for k, link in enumerate(result.contributes_to):
                edge = (result.id, link.to)
                if link.to in graph.index and edge not in graph.paths:
                    graph.paths[edge] = ("results", index, "contributes_to", k)
                    graph.successors[result.id].append(link.to)
                    graph.predecessors[link.to].append(result.id)
        return graph

    def __contains__(self, node: object) -> bool:
        return node in self.index

    def has_edge(self, source: str, target: str) -> bool:
        return (source, target) in self.paths

    def has_cycle(self) -> bool:
        """Whether some results contribute to each other in a circle (a link from a result
        to itself included): Kahn's walk, which removes results no remaining link points
        to, leaves some behind exactly when there is one."""
        waiting = {node: len(parents) for node, parents in self.predecessors.items()}
        ready = [node for node, count in waiting.items() if count == 0]
        removed = 0
        while ready:
            node = ready.pop()
            removed += 1
            for child in self.successors[node]:
                waiting[child] -= 1
                if waiting[child] == 0:
                    ready.append(child)
        return removed < len(waiting)
