"""TOC203 to TOC208, TOC212: the shape of the theory-of-change graph.

Results lead upward through their `contributes_to` links, without circles (TOC203),
downward links (TOC204) or skipped levels (TOC206), each link with a rationale (TOC212);
every result is measured (TOC205), leads somewhere (TOC208) and reaches the top level
(TOC207). Ids and references are checked in `references`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...findings.diagnostic import Diagnostic, Severity
from ...findings.examples import VALID
from ..context import Context, Path_
from ..registry import rule
from .references import article

E, W = Severity.ERROR, Severity.WARNING

_SKIP_OUTPUT = VALID.replace("level: output", "level: activity")


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
            f"result '{result.id}' has no path to {article(top_level)} {top_level}-level result",
            ctx.locate(("results", r), False),
            hint="link the end of its chain to a higher result, or check the levels",
            path=("results", r),
        )


UNREACHABLE = check_reachability


def _links_set_aside(ctx: Context, r: int, kept: int) -> bool:
    """Whether the schema stage set aside some of result r's links (so its chain is unknown)."""
    node = ctx.written(("results", r, "contributes_to"))
    return isinstance(node, list) and len(node) > kept
