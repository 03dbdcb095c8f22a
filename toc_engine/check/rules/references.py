"""TOC201, TOC202, TOC209, TOC210: ids and what refers to them.

Every reference names a defined id of the right kind (TOC201), no id is defined twice
(TOC202), every community priority is addressed (TOC209) and every result's level is
declared (TOC210). The shape of the graph is checked in `graph`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...findings.diagnostic import Diagnostic, Severity
from ...findings.examples import VALID
from ...findings.references import DANGLING
from ...findings.suggest import did_you_mean
from ...schema.model import SLUG_PATTERN
from ...schema.sites import alias_hint, name_key
from ..context import Context, Definition, Path_
from ..registry import check_for, rule

E, W = Severity.ERROR, Severity.WARNING
SLUG = re.compile(SLUG_PATTERN)


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


def article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def dangling(ctx: Context, ref: str, kinds: tuple[str, ...], path: Path_) -> Diagnostic | None:
    """A finding if `ref` is not defined as one of `kinds` (shared with the claim checks)."""
    if ref in ctx.set_aside:
        return None
    defined = ctx.kind_of(ref)
    if defined in kinds:  # the common case, called once per reference: return early
        return None
    wanted = " or ".join(kinds)
    if defined is None and kinds == ("site",):
        return _unknown_site(ctx, ref, path)
    if defined is None:
        guess = did_you_mean(ref, ctx.ids_of_kind(*kinds))
        message = f"{wanted} '{ref}' is not defined"
        if guess:
            message += f" (did you mean '{guess}'?)"
        return DANGLING(
            message,
            ctx.locate(path),
            hint=f"define {article(kinds[0])} {kinds[0]} with id '{ref}', or correct the "
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


def _unknown_site(ctx: Context, ref: str, path: Path_) -> Diagnostic:
    """A site reference that is no id: maybe a site's name as an export writes it."""
    names = ctx.site_names
    named = names.named(ref)
    if named is not None:
        return DANGLING(
            f"site '{ref}' is not defined; it is the name of site '{named}'",
            ctx.locate(path),
            hint=alias_hint(ref, named),
            path=path,
        )
    guess = did_you_mean(ref, ctx.ids_of_kind("site"))
    if not guess:
        spellings = names.spellings()
        close = did_you_mean(name_key(ref), spellings)
        guess = spellings[close] if close else ""
    message = f"site '{ref}' is not defined"
    if guess:
        message += f" (did you mean '{guess}'?)"
    if SLUG.match(ref):
        hint = f"define a site with id '{ref}', or correct the reference"
    else:  # a name, not an id: never suggest an id that would be refused
        hint = ("write the id of a defined site, or add this name to the `aliases:` of the "
                "site it means")
    return DANGLING(message, ctx.locate(path), hint=hint, path=path)


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
            # A site written by a name (an export's label) is one missing alias, whatever
            # the indicators of its rows: reported once.
            by_name = not SLUG.match(ref) or ctx.site_names.named(ref) is not None
            key = (name_key(ref), ()) if by_name else (ref, path[:4])
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
