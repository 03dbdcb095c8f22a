"""What every check gets: the programme, where things are written, and derived indexes.

Indexes (ids, the graph, units) are built once, lazily, and shared by all rules,
so adding a rule never adds another pass over a large programme.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from ..findings.diagnostic import Span
from ..schema.model import Indicator, Programme, Result
from ..schema.observations import as_list
from ..schema.sites import SiteNames
from .linkgraph import LinkGraph, Path_

if TYPE_CHECKING:
    import networkx as nx

    from ..schema.programme import LoadedProgramme
    from ..schema.units import UnitTable

__all__ = ["Context", "Definition", "ObservationFacts", "Path_", "observation_facts_of"]


class Definition(NamedTuple):
    """Where an id is defined. A tuple: a national programme defines ~100,000 ids, and a
    frozen dataclass takes nearly twice as long to build (0.44 against 0.25 µs)."""

    kind: str  # result, indicator, assumption, rival, site, actor, priority, organisation, ...
    id: str
    path: Path_


@dataclass(slots=True)
class ObservationFacts:
    """What the rules need to know about one indicator's observations, from one pass.

    A national programme can have millions of CSV observations; four rules each walking
    all of them cost seconds. They read these facts and look at single rows only where
    the facts say there is something to report.
    """

    low: Decimal | None = None  # smallest numeric value
    high: Decimal | None = None  # largest numeric value
    texts: set[str] = field(default_factory=set)  # distinct text values
    dimensions: set[str] = field(default_factory=set)  # dimension names used
    sites: dict[str, int] = field(default_factory=dict)  # site -> first observation index


def observation_facts_of(indicator: Indicator) -> ObservationFacts:
    """One pass over the declared observations; CSV tables are read per distinct entry.

    The facts come out exactly as a row-by-row pass would make them: distinct values
    and extras are visited in order of first occurrence, so the first row holding the
    smallest value (or a new site) is the one found.
    """
    facts = ObservationFacts()
    observations = as_list(indicator.observations)
    declared = observations.declared
    _add_values(facts, [observation.value for observation in declared])
    for index, observation in enumerate(declared):
        if observation.dimensions:
            facts.dimensions.update(observation.dimensions)
        site = observation.site
        if site is not None and site not in facts.sites:
            facts.sites[site] = index
    offset = len(observations.declared)
    for table in observations.tables:
        _add_values(facts, table.distinct("value"))
        for extras, row in table.first_rows("extras"):
            if extras.dimensions:
                facts.dimensions.update(extras.dimensions)
            site = extras.site
            if site is not None and site not in facts.sites:
                facts.sites[site] = offset + row
        offset += len(table)
    return facts


def _add_values(facts: ObservationFacts, values: list[Any]) -> None:
    """Fold values into the facts in one pass of builtins, not a call per value.

    min() and max() keep the first of equal extremes, and the facts are replaced only by
    a strictly smaller or larger one: the first row holding an extreme (40 before 40.0)
    is the one kept, as a row-by-row walk would keep it.
    """
    numbers = [value for value in values if isinstance(value, Decimal)]
    if len(numbers) != len(values):
        facts.texts.update(value for value in values if isinstance(value, str))
    if not numbers:
        return
    low, high = min(numbers), max(numbers)
    if facts.low is None or low < facts.low:
        facts.low = low
    if facts.high is None or high > facts.high:
        facts.high = high


@dataclass
class Context:
    loaded: LoadedProgramme
    programme: Programme
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return self.loaded.file

    def locate(self, path: Path_, key: bool = False) -> Span:
        return self.loaded.locate(path, key)

    @property
    def set_aside(self) -> set[str]:
        """Ids of items that failed the schema stage: referring to them is not an error."""
        return self.loaded.set_aside

    def written(self, path: Path_) -> Any:
        """What the file itself holds at `path` of the programme, None if nothing.

        The schema stage may have set items aside or dropped misspelt keys; rules look at
        what was written to avoid follow-on findings about what they cannot see.
        """
        from ..schema.validation import to_original

        node = self.loaded.data
        for part in to_original(path, self.loaded.remaps):
            in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
            in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
            if not (in_dict or in_list):
                return None
            node = node[part]
        return node

    def had_items(self, path: Path_) -> bool:
        """Whether the file itself has a non-empty list at `path` (some items may have been
        set aside by the schema stage)."""
        node = self.written(path)
        return isinstance(node, list) and len(node) > 0

    # --- indexes -----------------------------------------------------------------------------

    @cached_property
    def definitions(self) -> list[Definition]:
        """Every id the programme defines, in file order (duplicates included)."""
        p = self.programme
        out: list[Definition] = []
        for i, org in enumerate(p.programme.organisations):
            out.append(Definition("organisation", org.id, ("programme", "organisations", i, "id")))
        sections: list[tuple[str, str, list[Any]]] = [
            ("site", "sites", p.sites),
            ("actor", "actors", p.actors),
            ("priority", "priorities", p.priorities),
            ("assumption", "assumptions", p.assumptions),
        ]
        for kind, name, items in sections:
            for i, item in enumerate(items):
                out.append(Definition(kind, item.id, (name, i, "id")))
        for r, result in enumerate(p.results):
            out.append(Definition("result", result.id, ("results", r, "id")))
            for k, link in enumerate(result.contributes_to):
                for v, rival in enumerate(link.rivals):
                    out.append(
                        Definition(
                            "rival",
                            rival.id,
                            ("results", r, "contributes_to", k, "rivals", v, "id"),
                        )
                    )
            for i, indicator in enumerate(result.indicators):
                out.append(
                    Definition("indicator", indicator.id, ("results", r, "indicators", i, "id"))
                )
        for e, item in enumerate(p.evidence):
            out.append(Definition("evidence", item.id, ("evidence", e, "id")))
        return out

    @cached_property
    def ids(self) -> dict[str, Definition]:
        """First definition of each id."""
        out: dict[str, Definition] = {}
        for definition in self.definitions:
            out.setdefault(definition.id, definition)
        return out

    @cached_property
    def site_names(self) -> SiteNames:
        """The sites' names and aliases, for hints about a site written by name."""
        return SiteNames((s.id, s.name, s.aliases) for s in self.programme.sites)

    def kind_of(self, item_id: str) -> str | None:
        found = self.ids.get(item_id)
        return found.kind if found else None

    def ids_of_kind(self, *kinds: str) -> list[str]:
        return [d.id for d in self.definitions if d.kind in kinds]

    @cached_property
    def results_by_id(self) -> dict[str, tuple[int, Result]]:
        out: dict[str, tuple[int, Result]] = {}
        for index, result in enumerate(self.programme.results):
            out.setdefault(result.id, (index, result))
        return out

    @cached_property
    def level_rank(self) -> dict[str, int]:
        return {level: rank for rank, level in enumerate(self.programme.levels)}

    @property
    def top_rank(self) -> int:
        return len(self.programme.levels) - 1

    @cached_property
    def links(self) -> LinkGraph:
        """Results as nodes, `contributes_to` links (to defined results) as edges, in plain
        dicts: what the checks ask of the graph unless a circle must be named."""
        return LinkGraph.of(self.programme.results)

    @cached_property
    def graph(self) -> nx.DiGraph:
        """Results as nodes, `contributes_to` links (to defined results) as edges: `links`
        as networkx's graph, in the same order (imported only when this is asked for)."""
        import networkx as nx

        links = self.links
        graph = nx.DiGraph()
        for node, index in links.index.items():
            graph.add_node(node, index=index)
        for edge, path in links.paths.items():
            graph.add_edge(*edge, path=path)
        return graph

    @cached_property
    def units(self) -> UnitTable:
        from ..schema.units import UnitTable

        return UnitTable(self.programme.units)

    def observation_facts(self, r: int, i: int) -> ObservationFacts:
        """Facts about the observations of results[r].indicators[i], computed once."""
        key = f"observations:{r}:{i}"
        facts = self.cache.get(key)
        if facts is None:
            facts = self.cache[key] = observation_facts_of(self.programme.results[r].indicators[i])
        assert isinstance(facts, ObservationFacts)
        return facts

    def indicators(self) -> list[tuple[int, int, Result, Indicator]]:
        """Indicators to check; those whose library `use:` failed are left out (the failed
        reference is the finding, not the fields the library would have supplied)."""
        cached = self.cache.get("indicators")
        if cached is None:
            skip = self.loaded.unresolved_library
            cached = self.cache["indicators"] = [
                (r, i, result, indicator)
                for r, result in enumerate(self.programme.results)
                for i, indicator in enumerate(result.indicators)
                if indicator.id not in skip
            ]
        assert isinstance(cached, list)
        return cached
