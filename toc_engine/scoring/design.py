"""Design: did the theory hold? (scoring.md §5)

Delivery asks whether results happened; design asks whether the causal links
between them worked. Keeping the two apart is what lets an evaluation say
"the toilets were built, but the police link failed" instead of one blended
number. Ex-ante quality is judged from the file alone; empirical validity from
the link verdicts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..schema.model import AssumptionStatus, Indicator, Link, Measure, Programme, Result
from .arith import HUNDRED, ONE, ZERO, fmt, q9
from .confidence import ACHIEVED, is_person_unit
from .result import Check, Criterion, DesignScore, Gap, Hypothesis, LinkScore
from .values import has_sex_split

ACHIEVED_STATE, NOT_ACHIEVED, UNKNOWN = "achieved", "not_achieved", "unknown"
IN_PROGRESS = "in_progress"  # an interim D below 0.625: nothing has fallen due (§7)
VALIDITY_POINTS = {
    "theory_held": Decimal(1),
    "contribution_not_established": Decimal("0.5"),
    "theory_failure_assumption": ZERO,
    "theory_failure_mechanism": ZERO,
}


def assumption_state(declared: AssumptionStatus, hyp: Hypothesis) -> tuple[str, str]:
    """The declared status wins unless it is `unknown`; then the claims decide."""
    if declared is not AssumptionStatus.unknown:
        return declared.value, f"declared {declared.value} in the file"
    p, shown = hyp.judged, _shown(hyp)
    if p is None:
        return UNKNOWN, "declared unknown and no claims about it"
    if p < 0.3:
        return "failed", f"claims give P = {shown} < 0.3"
    if p >= 0.7:
        return "holds", f"claims give P = {shown} ≥ 0.7"
    return UNKNOWN, f"claims give P = {shown}, between 0.3 and 0.7"


_THRESHOLDS = (0.3, 0.5, 0.7)


def _shown(hyp: Hypothesis) -> str:
    """The posterior as reported, with its unrounded value when the rounding lands on a
    threshold it does not reach (0.29996 prints as 0.3 but is below 0.3)."""
    p, exact = hyp.posterior, hyp.exact
    if p in _THRESHOLDS and exact is not None and exact != p:
        return f"{p} (unrounded {exact:.6f})"
    return str(p)


def result_state(d: Decimal | None, hyp: Hypothesis, interim: bool = False,
                 due: date | None = None) -> tuple[str, str]:
    """D decides when it exists; otherwise the qualitative posterior; else unknown. An
    interim D (targets not yet due) below 0.625 means in progress, not failed (§7)."""
    if d is not None:
        if interim:
            if d >= ACHIEVED:
                return ACHIEVED_STATE, f"interim D = {fmt(d)} ≥ 0.625: met before its " \
                    "target falls due"
            when = f"; its first target falls due on {due.isoformat()}" if due else ""
            return IN_PROGRESS, f"interim D = {fmt(d)} < 0.625: in progress{when}"
        if d >= ACHIEVED:
            return ACHIEVED_STATE, f"D = {fmt(d)} ≥ 0.625 (band B or better)"
        return NOT_ACHIEVED, f"D = {fmt(d)} < 0.625"
    p, shown = hyp.judged, _shown(hyp)
    if p is None:
        return UNKNOWN, "no assessable indicator and no qualitative evidence"
    if p >= 0.7:
        return ACHIEVED_STATE, f"no assessable indicator; qualitative P = {shown} ≥ 0.7"
    if p < 0.5:
        return NOT_ACHIEVED, f"no assessable indicator; qualitative P = {shown} < 0.5"
    return UNKNOWN, f"no assessable indicator; qualitative P = {shown} is between 0.5 and 0.7"


def verdict(
    source: str,
    target: str,
    states: Mapping[str, str],
    link_hyp: Hypothesis,
    rivals: Sequence[Hypothesis],
    failed_assumptions: Sequence[str],
    lag_pending: str | None,
    dues: Mapping[str, date | None] | None = None,
) -> tuple[int, str, str]:
    """The first row of §5's table that matches: (row, verdict, reason). A result in
    progress (§7) leaves the link untested: too early, with the date its target falls
    due (`dues`)."""
    x, y = states.get(source, UNKNOWN), states.get(target, UNKNOWN)
    if x == UNKNOWN or y == UNKNOWN:
        which = [r for r, s in ((source, x), (target, y)) if s == UNKNOWN]
        return 1, "untested", f"state of {' and '.join(which)} unknown"
    if y == IN_PROGRESS or x == IN_PROGRESS:
        early = target if y == IN_PROGRESS else source
        due = (dues or {}).get(early)
        when = f" on {due.isoformat()}" if due else " later"
        return 1, "untested", f"too early: {early}'s target falls due{when}"
    if lag_pending:
        return 1, "untested", lag_pending
    if x == NOT_ACHIEVED and y == ACHIEVED_STATE:
        return 2, "other_pathway", (
            f"{target} was achieved although {source} was not: the link may not be necessary"
        )
    if x == NOT_ACHIEVED:
        return 3, "implementation_failure", (
            f"{source} was not achieved, so the link itself is untested"
        )
    p, shown = link_hyp.judged, _shown(link_hyp)
    if y == ACHIEVED_STATE:
        stronger = [r.id for r in rivals if (rp := r.judged) is not None and p is not None
                    and rp > p]
        if p is not None and p >= 0.7 and not stronger:
            return 4, "theory_held", (
                f"both results achieved, link posterior {shown} ≥ 0.7 and no rival above it"
            )
        if p is None:
            why = "no claims about the link itself"
        elif p < 0.7:
            why = f"link posterior {shown} < 0.7"
        else:
            why = f"rival {', '.join(stronger)} has a higher posterior than the link ({shown})"
        return 5, "contribution_not_established", f"{target} achieved, but {why}"
    if failed_assumptions:
        return 6, "theory_failure_assumption", (
            f"{source} achieved, {target} not; assumption {', '.join(failed_assumptions)} failed"
        )
    return 7, "theory_failure_mechanism", (
        f"{source} achieved, {target} not, and no stated assumption failed: the mechanism did "
        "not work as theorised"
    )


def lag_pending(
    link: Link, source: str, achieved_on: Callable[[str], date | None], as_of: date
) -> str | None:
    """Why the link cannot be judged yet because of its lag, or None."""
    if link.lag is None:
        return None
    start = achieved_on(source)
    if start is None:
        return f"lag {link.lag.text}: no dated observation or evidence shows when {source} " \
               "was achieved"
    due = link.lag.after(start)
    if due > as_of:
        return (
            f"lag {link.lag.text} from {start.isoformat()} has not elapsed by "
            f"{as_of.isoformat()} (due {due.isoformat()})"
        )
    return None


# --- empirical validity ----------------------------------------------------------------------


def validity(links: Sequence[LinkScore]) -> tuple[Decimal | None, Decimal, list[str]]:
    """V over links with verdicts 4-7, and their share of all link weight, rounded."""
    v, coverage, steps = _validity(links)
    return (q9(v) if v is not None else None), q9(coverage), steps


def _validity(links: Sequence[LinkScore]) -> tuple[Decimal | None, Decimal, list[str]]:
    """`validity`, exact: the design score and the coverage threshold read these."""
    tested = [link for link in links if link.verdict in VALIDITY_POINTS]
    total_weight = sum((link.weight for link in links), ZERO)
    tested_weight = sum((link.weight for link in tested), ZERO)
    coverage = tested_weight / total_weight if total_weight else ZERO
    steps = [
        f"tested coverage = {fmt(tested_weight)} / {fmt(total_weight)} = {fmt(coverage)}"
    ]
    if not tested:
        steps.append("V: no link has a verdict that tests the theory (rows 4-7)")
        return None, coverage, steps
    numerator = sum((link.weight * VALIDITY_POINTS[link.verdict] for link in tested), ZERO)
    v = numerator / tested_weight
    terms = " + ".join(f"{fmt(link.weight)}×{fmt(VALIDITY_POINTS[link.verdict])}" for link in
                       tested)
    steps.append(f"V = ({terms}) / {fmt(tested_weight)} = {fmt(v)}")
    return v, coverage, steps


# --- ex-ante criteria ------------------------------------------------------------------------


def _share(passing: int, total: int) -> Decimal:
    return q9(Decimal(passing) / Decimal(total))


def _check(name: str, items: Sequence[tuple[str, bool]]) -> Check | None:
    """A check over labelled items; None when there is nothing to check (left out of
    the mean)."""
    return _tally(name, len(items), [label for label, ok in items if not ok])


def _criterion(name: str, checks: Sequence[Check | None], empty: str) -> Criterion:
    present = [c for c in checks if c is not None]
    if not present:
        return Criterion(name, 0, None, (), (empty,))
    mean = q9(sum((c.share for c in present), ZERO) / len(present))
    if mean >= Decimal("0.95"):
        score = 3
    elif mean >= Decimal("0.8"):
        score = 2
    elif mean >= Decimal("0.5"):
        score = 1
    else:
        score = 0
    reasons = []
    for c in present:
        if c.failing:
            shown = ", ".join(c.failing[:8]) + (" …" if len(c.failing) > 8 else "")
            percent = (c.share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            reasons.append(f"{c.name}: {percent}% pass; failing: {shown}")
    if not reasons:
        reasons.append("all checks pass")
    return Criterion(name, score, mean, tuple(present), tuple(reasons))


def _links(programme: Programme) -> list[tuple[Result, Link]]:
    return [(r, link) for r in programme.results for link in r.contributes_to]


def _tally(name: str, total: int, failing: list[str]) -> Check | None:
    """A check over `total` items of which `failing` are the labels of those that fail;
    None when there is nothing to check (left out of the mean).

    National files have tens of thousands of items and almost all pass: callers write
    labels only for the failing ones, the only ones a `Check` keeps.
    """
    if not total:
        return None
    failing.sort()
    return Check(name, _share(total - len(failing), total), tuple(failing))


def _level_index(programme: Programme) -> dict[str, int]:
    return {level: i for i, level in enumerate(programme.levels)}


def _reaching(parents: Mapping[str, Iterable[str]], tops: Sequence[str]) -> set[str]:
    """The nodes of `tops` and every node with a path to one of them (`parents`: a node's
    predecessors, as `DiGraph.pred`).

    That is `tops` with the `nx.ancestors` of each, found in one walk up the links
    instead of one walk per top node: a national programme has a thousand of them, and
    their ancestors overlap.
    """
    reach = set(tops)
    stack = list(tops)
    while stack:
        for parent in parents[stack.pop()]:
            if parent not in reach:
                reach.add(parent)
                stack.append(parent)
    return reach


def cycle_members_plain(children: Mapping[str, Sequence[str]]) -> set[str]:
    """The nodes that lie on a cycle (`children`: every node a key; every child a key
    too): members of a strongly connected component of more than one node, and nodes
    with a link to themselves, found with networkx."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(children)
    graph.add_edges_from((n, c) for n, cs in children.items() for c in cs)
    cyclic: set[str] = set()
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            cyclic |= component
    return cyclic | {n for n in graph.nodes if graph.has_edge(n, n)}


def cycle_members(children: Mapping[str, Sequence[str]]) -> set[str]:
    """`cycle_members_plain`, found by an iterative Tarjan walk over `children` without
    building a graph: `toc score` does not otherwise import networkx, whose import costs
    more than scoring a small programme. tests/test_scoring_speed_design.py compares the
    two on random graphs.
    """
    cyclic: set[str] = set()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    counter = 0
    for root in children:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work: list[tuple[str, Iterator[str]]] = [(root, iter(children[root]))]
        while work:
            node, edges = work[-1]
            descended = False
            for child in edges:
                if child == node:
                    cyclic.add(node)
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(children[child])))
                    descended = True
                    break
                if child in on_stack and index[child] < low[node]:
                    low[node] = index[child]
            if descended:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[node] < low[parent]:
                    low[parent] = low[node]
            if low[node] == index[node]:
                member = stack.pop()
                on_stack.discard(member)
                if member != node:
                    cyclic.add(member)
                    while member != node:
                        member = stack.pop()
                        on_stack.discard(member)
                        cyclic.add(member)
    return cyclic


def plausible(programme: Programme) -> Criterion:
    rank = _level_index(programme)
    levels = {r.id: rank.get(r.level, -1) for r in programme.results}
    ids = sorted(levels)
    top = max(levels.values(), default=-1)
    links = _links(programme)
    children: dict[str, list[str]] = {r: [] for r in ids}
    parents: dict[str, list[str]] = {r: [] for r in ids}
    for r, link in links:
        if link.to in levels:
            children[r.id].append(link.to)
            parents[link.to].append(r.id)
    reach = _reaching(parents, [r for r in ids if levels[r] == top])
    below = [r for r in ids if levels[r] != top]
    path = _tally(
        "every result has a path to the top level",
        len(below),
        [r for r in below if r not in reach],
    )
    skipping, skipped, unexplained = 0, [], []
    for r, link in links:
        if not link.rationale:
            unexplained.append(f"{r.id} -> {link.to}")
        to = levels.get(link.to)
        if to is None:
            continue
        skipping += 1
        if to - levels[r.id] > 1 and not link.rationale:
            skipped.append(f"{r.id} -> {link.to}")
    skip = _tally("no level skipping without a rationale", skipping, skipped)
    rationale = _tally("every link has a rationale", len(links), unexplained)
    cyclic = cycle_members(children)
    cycles = _tally("no cycles", len(ids), [r for r in ids if r in cyclic])
    return _criterion("plausible", [path, skip, rationale, cycles], "no results to judge")


def _incomplete(indicators: Iterable[Indicator]) -> tuple[int, list[str]]:
    """How many fields the completeness check counts over `indicators` (method, source,
    frequency; and but for qualitative ones baseline, targets, and the unit or scale
    their measure needs), and the labels of the failing ones (written only for those)."""
    total = 0
    failing: list[str] = []
    qualitative, unit, ordinal = Measure.qualitative, Measure.unit, Measure.ordinal
    for indicator in indicators:
        missing = []
        if indicator.method is None:
            missing.append("method")
        if not indicator.source:
            missing.append("source")
        if not indicator.frequency:
            missing.append("frequency")
        measure = indicator.measure
        if measure is qualitative:
            total += 3
        else:
            total += 5
            if indicator.baseline is None:
                missing.append("baseline")
            if not indicator.targets:
                missing.append("targets")
            if measure is unit:
                total += 1
                if not indicator.unit:
                    missing.append("unit")
            elif measure is ordinal:
                total += 1
                if not indicator.scale:
                    missing.append("scale")
        if missing:
            failing.extend(f"{indicator.id} ({name})" for name in missing)
    return total, failing


def testable(programme: Programme) -> Criterion:
    has_indicator = _tally(
        "every result has an indicator",
        len(programme.results),
        [r.id for r in programme.results if not r.indicators],
    )
    total, failing = _incomplete(i for _, i in programme.indicators())
    complete = _tally(
        "indicators have baseline, targets, unit, method, source, frequency", total, failing
    )
    links = _links(programme)
    assumptions = _tally(
        "critical links have assumptions stated (every link counts as critical)",
        len(links),
        [f"{r.id} -> {link.to}" for r, link in links if not link.assumptions],
    )
    return _criterion("testable", [has_indicator, complete, assumptions], "nothing to test")


def participatory(programme: Programme) -> Criterion:
    indicators = [i for _, i in programme.indicators()]
    chosen = _check(
        "indicators chosen by the community",
        [(i.id, i.chosen_by is not None and i.chosen_by.value == "community")
         for i in indicators],
    )
    ranked = [p for p in programme.priorities if p.rank is not None] or list(programme.priorities)
    measured = {
        pid for r in programme.results if r.indicators for pid in r.addresses
    }
    if ranked:
        priorities = _check(
            "community priorities addressed by a result with an indicator",
            [(p.id, p.id in measured) for p in ranked],
        )
    else:
        priorities = Check(
            "community priorities addressed by a result with an indicator",
            ZERO,
            ("no community priorities recorded",),
        )
    people = [i for i in indicators if is_person_unit(i)]
    sex = _check(
        "people-level indicators disaggregated by sex",
        [(i.id, "sex" in i.disaggregate_by
          or has_sex_split(i.observations)) for i in people],
    )
    return _criterion("participatory", [chosen, priorities, sex], "nothing to judge")


def contextualised(programme: Programme) -> Criterion:
    if programme.assumptions:
        actors = _check(
            "assumptions about other actors explicit (actors named on assumptions)",
            [(a.id, bool(a.actors)) for a in programme.assumptions],
        )
    else:
        actors = Check(
            "assumptions about other actors explicit (actors named on assumptions)",
            ZERO,
            ("no assumptions stated",),
        )
    named = _check(
        "actors named on results", [(r.id, bool(r.actors)) for r in programme.results]
    )
    safeguarded = _check(
        "safeguarding set on sensitive indicators",
        [(i.id, bool(i.safeguarding)) for _, i in programme.indicators() if i.sensitive],
    )
    return _criterion("contextualised", [actors, named, safeguarded], "nothing to judge")


def design_score(
    programme: Programme, links: Sequence[LinkScore], gaps: Sequence[Gap]
) -> DesignScore:
    criteria = (
        plausible(programme),
        testable(programme),
        participatory(programme),
        contextualised(programme),
    )
    exact_e = Decimal(sum(c.score for c in criteria)) / Decimal(len(criteria)) / Decimal(3)
    e = q9(exact_e)
    exact_v, exact_coverage, steps = _validity(links)
    v = q9(exact_v) if exact_v is not None else None
    coverage = q9(exact_coverage)
    steps.insert(
        0,
        "E = mean criterion score / 3 = ("
        + " + ".join(f"{c.score} {c.name}" for c in criteria)
        + f") / 4 / 3 = {fmt(e)}",
    )
    untested = exact_coverage < Decimal("0.5") or exact_v is None
    if untested:
        score = q9(HUNDRED * exact_e)
        steps.append(
            f"tested coverage {fmt(coverage)} < 0.5: design score = 100 × E = {fmt(score)} "
            "(validity_untested)"
        )
    else:
        assert exact_v is not None
        # From the exact E and V, rounded once (scoring.md: composite numbers).
        score = q9(HUNDRED * (Decimal("0.4") * exact_e + Decimal("0.6") * exact_v))
        steps.append(
            f"design score = 100 × (0.4 × {fmt(e)} + 0.6 × {fmt(v)}) = {fmt(score)}"
        )
    assert ZERO <= e <= ONE
    return DesignScore(score, e, criteria, v, coverage, untested, tuple(gaps), tuple(steps))
