"""TOC2xx: ids, references and the shape of the theory-of-change graph."""

from __future__ import annotations

from collections.abc import Iterator

from ...findings.diagnostic import Diagnostic, Severity
from ...findings.examples import VALID
from ...findings.references import DANGLING
from ...findings.suggest import did_you_mean
from ..context import Context, Definition, Path_
from ..registry import check_for, rule

E, W = Severity.ERROR, Severity.WARNING

_SKIP_OUTPUT = VALID.replace("level: output", "level: activity")

# --- references ------------------------------------------------------------------------------


_KIND_OF_REFERENCE: list[tuple[str, tuple[str, ...]]] = [
    ("result", ("result",)),
    ("assumption", ("assumption",)),
    ("priority", ("priority",)),
    ("actor", ("actor",)),
    ("site", ("site",)),
    ("organisation", ("organisation",)),
]


def _references(ctx: Context) -> Iterator[tuple[str, tuple[str, ...], Path_]]:
    """Every (id, acceptable kinds, path) reference in the programme except claims."""
    p = ctx.programme
    for i, site in enumerate(p.sites):
        if site.partner:
            yield site.partner, ("organisation",), ("sites", i, "partner")
    for i, actor in enumerate(p.actors):
        if actor.site:
            yield actor.site, ("site",), ("actors", i, "site")
    for i, priority in enumerate(p.priorities):
        if priority.site:
            yield priority.site, ("site",), ("priorities", i, "site")
    for i, assumption in enumerate(p.assumptions):
        for k, actor_id in enumerate(assumption.actors):
            yield actor_id, ("actor",), ("assumptions", i, "actors", k)
    for r, result in enumerate(p.results):
        base: Path_ = ("results", r)
        for k, link in enumerate(result.contributes_to):
            yield link.to, ("result",), (*base, "contributes_to", k, "to")
            for a, assumption_id in enumerate(link.assumptions):
                yield assumption_id, ("assumption",), (*base, "contributes_to", k, "assumptions", a)
        for k, priority_id in enumerate(result.addresses):
            yield priority_id, ("priority",), (*base, "addresses", k)
        for k, actor_id in enumerate(result.actors):
            yield actor_id, ("actor",), (*base, "actors", k)
        for k, site_id in enumerate(result.sites):
            yield site_id, ("site",), (*base, "sites", k)
        for i, indicator in enumerate(result.indicators):
            ipath: Path_ = (*base, "indicators", i)
            if indicator.baseline and indicator.baseline.site:
                yield indicator.baseline.site, ("site",), (*ipath, "baseline", "site")
            for t, target in enumerate(indicator.targets):
                if target.site:
                    yield target.site, ("site",), (*ipath, "targets", t, "site")
            # Each distinct site once, at its first observation (there may be millions).
            for site_id, o in ctx.observation_facts(r, i).sites.items():
                yield site_id, ("site",), (*ipath, "observations", o, "site")
    for e, item in enumerate(p.evidence):
        if item.site:
            yield item.site, ("site",), ("evidence", e, "site")
        if item.collected_by:
            yield item.collected_by, ("organisation", "actor"), ("evidence", e, "collected_by")
        for u, change in enumerate(item.unanticipated):
            if change.result:
                yield change.result, ("result",), ("evidence", e, "unanticipated", u, "result")


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def dangling(ctx: Context, ref: str, kinds: tuple[str, ...], path: Path_) -> Diagnostic | None:
    """A finding if `ref` is not defined as one of `kinds` (shared with the claim checks)."""
    if ref in ctx.set_aside:
        return None
    defined = ctx.kind_of(ref)
    if defined in kinds:  # the common case, called once per reference: return early
        return None
    wanted = " or ".join(kinds)
    if defined is None:
        guess = did_you_mean(ref, ctx.ids_of_kind(*kinds))
        message = f"{wanted} '{ref}' is not defined"
        if guess:
            message += f" (did you mean '{guess}'?)"
        return DANGLING(
            message,
            ctx.locate(path),
            hint=f"define {_article(kinds[0])} {kinds[0]} with id '{ref}', or correct the "
            "reference",
            path=path,
        )
    if defined not in kinds:
        return DANGLING(
            f"'{ref}' is a {defined}, not a {wanted}",
            ctx.locate(path),
            hint=f"refer to a {wanted} here",
            path=path,
        )
    return None


@check_for(DANGLING, "graph")
def check_references(ctx: Context) -> Iterator[Diagnostic]:
    """TOC201 (`toc_engine.findings.references`): every reference names a defined id."""
    seen: set[Path_] = set()
    # Observation sites can repeat a million times: report each unknown site once per indicator.
    reported_sites: set[tuple[str, Path_]] = set()
    fine: set[tuple[str, tuple[str, ...]]] = set()  # (ref, kinds) already found defined
    for ref, kinds, path in _references(ctx):
        if path in seen:
            continue
        seen.add(path)
        if (ref, kinds) in fine:
            continue
        if ref not in ctx.set_aside and ctx.kind_of(ref) in kinds:
            fine.add((ref, kinds))
            continue
        if path[-1] == "site" and "observations" in path:
            key = (ref, path[:4])
            if key in reported_sites:
                continue
            finding = dangling(ctx, ref, kinds, path)
            if finding:
                reported_sites.add(key)
                yield finding
            continue
        finding = dangling(ctx, ref, kinds, path)
        if finding:
            yield finding


# --- ids -------------------------------------------------------------------------------------


@rule(
    "TOC202",
    "duplicate-id",
    E,
    "graph",
    VALID.replace("  - id: police-attend\n", "  - id: meetings-held\n").replace(
        "assumptions: [police-attend]", "assumptions: [meetings-held]"
    ),
    VALID,
    fail_at="38:9",
)
def check_duplicate_ids(ctx: Context) -> Iterator[Diagnostic]:
    """An id is defined twice.

    All ids share one namespace (results, indicators, assumptions, rivals, sites,
    actors, priorities, organisations and evidence), so that a claim's `about:`
    or a reference is never ambiguous.
    """
    by_id: dict[str, list[Definition]] = {}
    for definition in ctx.definitions:
        by_id.setdefault(definition.id, []).append(definition)
    for same in by_id.values():
        if len(same) < 2:
            continue
        # Report the later ones in file order, pointing back at the first.
        placed = sorted(same, key=lambda d: (ctx.locate(d.path).line, ctx.locate(d.path).col))
        yield from _duplicates(ctx, placed)


def _duplicates(ctx: Context, placed: list[Definition]) -> Iterator[Diagnostic]:
    original = placed[0]
    where = ctx.locate(original.path)
    for definition in placed[1:]:
        yield DUPLICATE_ID_RULE(
            f"id '{definition.id}' is already used by the {original.kind} at line {where.line}",
            ctx.locate(definition.path),
            hint="ids are unique across the whole programme; rename one of them",
            path=definition.path,
        )


DUPLICATE_ID_RULE = check_duplicate_ids

# --- graph shape -----------------------------------------------------------------------------


@rule(
    "TOC210",
    "unknown-level",
    E,
    "graph",
    VALID.replace("    level: impact\n", "    level: goal\n"),
    VALID,
    fail_at="25:12",
)
def check_levels(ctx: Context) -> Iterator[Diagnostic]:
    """A result's `level` is not one of the programme's `levels`.

    The default levels are activity, output, outcome, impact; a programme may
    declare its own list under `levels:` (lowest first).
    """
    levels = ctx.programme.levels
    for r, result in enumerate(ctx.programme.results):
        if result.level not in ctx.level_rank:
            guess = did_you_mean(result.level, levels)
            yield UNKNOWN_LEVEL(
                f"level '{result.level}' is not one of the programme's levels "
                f"({', '.join(levels)})",
                ctx.locate(("results", r, "level")),
                hint=f"did you mean '{guess}'?" if guess else "use a declared level, or add it "
                "to `levels:` in order, lowest first",
                path=("results", r, "level"),
            )


UNKNOWN_LEVEL = check_levels


def _closing_order(ctx: Context, edge: tuple[str, str]) -> tuple[int, object, object]:
    """Sort key: the link that goes down (or sideways) is the one that closes a circle."""
    ranks = ctx.level_rank
    results = ctx.results_by_id
    low = ranks.get(results[edge[0]][1].level, 0)
    high = ranks.get(results[edge[1]][1].level, 0)
    path = ctx.graph.edges[edge]["path"]
    return (high - low, path[1], path[3])


def _cycle_order(ctx: Context, members: set[str]) -> list[str]:
    """A circle through `members`, named from the first of them defined in the file.

    The graph of the members alone is built in file order: a networkx subgraph *view*
    walks a small set of members in hash order, so the circle's first result (and the
    message) changed from one run to the next.
    """
    import networkx as nx

    links = ctx.links
    ordered = sorted(members, key=links.index.__getitem__)
    sub = nx.DiGraph()
    sub.add_nodes_from(ordered)
    sub.add_edges_from(
        (node, child) for node in ordered for child in links.successors[node] if child in members
    )
    try:
        cycle = nx.find_cycle(sub)
        return [edge[0] for edge in cycle]
    except nx.NetworkXNoCycle:
        return ordered


@rule(
    "TOC203",
    "cycle",
    E,
    "graph",
    VALID.replace(
        "    statement: People in the village feel safe\n",
        "    statement: People in the village feel safe\n"
        "    contributes_to: [{to: meetings-held, rationale: Safer people attend more}]\n",
    ),
    VALID,
    fail_at="27:27",
)
def check_cycles(ctx: Context) -> Iterator[Diagnostic]:
    """Results contribute to each other in a circle.

    A theory of change explains how lower results lead to higher ones; a circle
    makes the order meaningless and scoring impossible. Each circle (strongly
    connected set of results) is reported once, at one of its links, naming its
    members.
    """
    if not ctx.links.has_cycle():
        return  # the common case, answered without importing networkx
    import networkx as nx

    graph = ctx.graph
    for component in nx.strongly_connected_components(graph):
        if len(component) == 1:
            node = next(iter(component))
            if not graph.has_edge(node, node):
                continue
        order = _cycle_order(ctx, set(component))
        closing = min(graph.subgraph(component).edges, key=lambda e: _closing_order(ctx, e))
        first = graph.edges[closing]["path"]
        circle = " -> ".join([*order, order[0]])
        yield CYCLE(
            f"results contribute to each other in a circle: {circle}",
            ctx.locate((*first, "to")),
            hint="remove or reverse one of these links so that contributions only lead upward",
            path=first,
        )


CYCLE = check_cycles


def _link_ranks(ctx: Context) -> Iterator[tuple[int, int, Path_, int, int]]:
    """(result index, link index, link path, from rank, to rank) of links between leveled
    results."""
    ranks = ctx.level_rank
    for r, result in enumerate(ctx.programme.results):
        if result.level not in ranks:
            continue
        for k, link in enumerate(result.contributes_to):
            target = ctx.results_by_id.get(link.to)
            if target is None or target[1].level not in ranks:
                continue
            yield r, k, ("results", r, "contributes_to", k), ranks[result.level], ranks[
                target[1].level
            ]


@rule(
    "TOC204",
    "downward-link",
    E,
    "graph",
    VALID.replace("    level: output\n", "    level: impact\n", 1).replace(
        "    level: impact\n    statement: People", "    level: outcome\n    statement: People"
    ),
    VALID,
    fail_at="11:13",
)
def check_downward_links(ctx: Context) -> Iterator[Diagnostic]:
    """A link goes from a higher level to a lower one.

    `contributes_to` leads upward (activity -> output -> outcome -> impact). Links
    within one level are normal (intermediate outcomes chain).
    """
    levels = ctx.programme.levels
    for r, _k, path, low, high in _link_ranks(ctx):
        if high < low:
            result = ctx.programme.results[r]
            target = path[3]
            assert isinstance(target, int)
            to = result.contributes_to[target].to
            yield DOWNWARD(
                f"'{result.id}' ({levels[low]}) contributes to '{to}', which is at a lower "
                f"level ({levels[high]})",
                ctx.locate((*path, "to")),
                hint="reverse the link, or correct one of the two levels",
                path=path,
            )


DOWNWARD = check_downward_links


@rule(
    "TOC206",
    "level-skip",
    W,
    "graph",
    _SKIP_OUTPUT.replace(
        "        rationale: Regular meetings let residents raise concerns early\n", ""
    ),
    _SKIP_OUTPUT,
    fail_at="11:13",
)
def check_level_skips(ctx: Context) -> Iterator[Diagnostic]:
    """A link skips a level (activity -> outcome) without a rationale.

    Skipping a level is sometimes right, but the reader needs to know why the
    intermediate result is not needed: give the link a `rationale`.
    """
    levels = ctx.programme.levels
    for r, k, path, low, high in _link_ranks(ctx):
        link = ctx.programme.results[r].contributes_to[k]
        if high - low > 1 and not link.rationale:
            skipped = ", ".join(levels[low + 1 : high])
            yield LEVEL_SKIP(
                f"'{ctx.programme.results[r].id}' links straight to '{link.to}', skipping "
                f"{skipped}, with no rationale",
                ctx.locate((*path, "to")),
                hint="add `rationale:` explaining why no intermediate result is needed",
                path=path,
            )


LEVEL_SKIP = check_level_skips


@rule(
    "TOC212",
    "link-without-rationale",
    W,
    "graph",
    VALID.replace("        rationale: Regular meetings let residents raise concerns early\n", "")
    .replace("    level: output\n", "    level: outcome\n"),
    VALID.replace("    level: output\n", "    level: outcome\n"),
    fail_at="11:13",
)
def check_rationales(ctx: Context) -> Iterator[Diagnostic]:
    """A link has no rationale.

    The rationale says *why* the lower result should lead to the higher one: it
    is the theory in "theory of change", and reviewers and evaluators test it.
    """
    skipping = {(r, k) for r, k, _p, low, high in _link_ranks(ctx) if high - low > 1}
    for r, result in enumerate(ctx.programme.results):
        for k, link in enumerate(result.contributes_to):
            if not link.rationale and (r, k) not in skipping:
                path: Path_ = ("results", r, "contributes_to", k)
                yield NO_RATIONALE(
                    f"the link '{result.id}' -> '{link.to}' has no rationale",
                    ctx.locate((*path, "to")),
                    hint="add `rationale:` saying why this result should lead to the next",
                    path=path,
                )


NO_RATIONALE = check_rationales


@rule(
    "TOC205",
    "result-without-indicator",
    W,
    "graph",
    VALID[: VALID.index("    indicators:\n      - id: feel-safe")]
    + VALID[VALID.index("assumptions:\n  - id: police") :],
    VALID,
    fail_at="24:5",
)
def check_results_have_indicators(ctx: Context) -> Iterator[Diagnostic]:
    """A result has no indicator.

    Without an indicator a result can only be judged from qualitative evidence.
    That can be right for an impact statement (waive it with a reason under
    `lint: ignore:`), but it is usually a gap in the results framework.
    """
    for r, result in enumerate(ctx.programme.results):
        if not result.indicators and not ctx.had_items(("results", r, "indicators")):
            yield NO_INDICATOR(
                f"result '{result.id}' has no indicator",
                ctx.locate(("results", r), False),
                hint="add `indicators:`, or waive with "
                "`lint: {ignore: [{code: TOC205, reason: ...}]}`",
                path=("results", r),
            )


NO_INDICATOR = check_results_have_indicators


@rule(
    "TOC208",
    "dead-end-result",
    W,
    "graph",
    VALID.replace(
        "    contributes_to:\n      - to: people-feel-safer\n        rationale: Regular meetings "
        "let residents raise concerns early\n        assumptions: [police-attend]\n",
        "",
    ),
    VALID,
    fail_at="7:5",
)
def check_dead_ends(ctx: Context) -> Iterator[Diagnostic]:
    """A result below the top level contributes to nothing.

    Every result below the highest level should say which higher result it serves
    (`contributes_to`); otherwise it is outside the theory of change.
    """
    top = ctx.top_rank
    for r, result in enumerate(ctx.programme.results):
        rank = ctx.level_rank.get(result.level)
        if rank is None or rank == top or result.contributes_to:
            continue
        if ctx.had_items(("results", r, "contributes_to")):
            continue  # its links were set aside by the schema stage
        yield DEAD_END(
            f"result '{result.id}' ({result.level}) contributes to no higher result",
            ctx.locate(("results", r), False),
            hint="add `contributes_to: [{to: <higher result id>, rationale: ...}]`",
            path=("results", r),
        )


DEAD_END = check_dead_ends


@rule(
    "TOC207",
    "unreachable-result",
    W,
    "graph",
    VALID.replace(
        "assumptions:\n  - id: police",
        "  - id: posters\n    level: activity\n    statement: Posters are put up\n"
        "    contributes_to: [{to: side-goal, rationale: r, assumptions: [police-attend]}]\n"
        "  - id: side-goal\n    level: output\n    statement: Residents know the hotline\n"
        "assumptions:\n  - id: police",
    ),
    VALID,
)
def check_reachability(ctx: Context) -> Iterator[Diagnostic]:
    """A result's links never lead to a top-level result.

    Following `contributes_to` upward from any result should reach a result at
    the highest level (usually `impact`). The finding sits on the result whose
    chain stops short.
    """
    graph = ctx.links
    top = ctx.top_rank
    tops = [
        result.id
        for result in ctx.programme.results
        if ctx.level_rank.get(result.level) == top and result.id in graph
    ]
    # Results whose own links are broken (a dangling `to`, reported by TOC201) or were set
    # aside by the schema stage count as reaching: their chain is reported elsewhere, and
    # everything below them would only be a follow-on finding.
    broken = [
        result.id
        for r, result in enumerate(ctx.programme.results)
        if result.id in graph
        and (
            any(link.to not in graph for link in result.contributes_to)
            or _links_set_aside(ctx, r, len(result.contributes_to))
        )
    ]
    reaching: set[str] = set(tops) | set(broken)
    frontier = list(reaching)
    while frontier:
        node = frontier.pop()
        for parent in graph.predecessors[node]:
            if parent not in reaching:
                reaching.add(parent)
                frontier.append(parent)
    for r, result in enumerate(ctx.programme.results):
        if result.id in reaching or not result.contributes_to:
            continue
        if ctx.level_rank.get(result.level) is None:
            continue
        if any(link.to not in graph for link in result.contributes_to):
            continue  # a broken link is reported by TOC201; do not add a follow-on
        top_level = ctx.programme.levels[top]
        yield UNREACHABLE(
            f"result '{result.id}' has no path to {_article(top_level)} {top_level}-level result",
            ctx.locate(("results", r), False),
            hint="link the end of its chain to a higher result, or check the levels",
            path=("results", r),
        )


UNREACHABLE = check_reachability


def _links_set_aside(ctx: Context, r: int, kept: int) -> bool:
    """Whether the schema stage set aside some of result r's links (so its chain is unknown)."""
    from ...schema.validation import to_original

    node = ctx.loaded.data
    for part in to_original(("results", r, "contributes_to"), ctx.loaded.remaps):
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_dict or in_list):
            return False
        node = node[part]
    return isinstance(node, list) and len(node) > kept


@rule(
    "TOC209",
    "unaddressed-priority",
    W,
    "graph",
    VALID
    + "priorities:\n  - id: dark-lanes\n    concern: Lanes are unlit at night\n    rank: 1\n",
    VALID.replace("    statement: The working group meets every month\n",
                  "    statement: The working group meets every month\n"
                  "    addresses: [dark-lanes]\n")
    + "priorities:\n  - id: dark-lanes\n    concern: Lanes are unlit at night\n    rank: 1\n",
    fail_at="41:5",
)
def check_priorities(ctx: Context) -> Iterator[Diagnostic]:
    """A community priority is addressed by no result.

    Priorities are the concerns the community raised and ranked. A priority that
    no result `addresses` should be explained to the community, or addressed.
    """
    addressed = {p for result in ctx.programme.results for p in result.addresses}
    for i, priority in enumerate(ctx.programme.priorities):
        if priority.id not in addressed:
            yield UNADDRESSED(
                f"community priority '{priority.id}' is not addressed by any result",
                ctx.locate(("priorities", i), False),
                hint="list it under `addresses:` of the result that responds to it, or record "
                "why it is out of scope",
                path=("priorities", i),
            )


UNADDRESSED = check_priorities
