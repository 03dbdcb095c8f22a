"""TOC214, TOC215: `pattern:` names that let `toc portfolio` compare programmes.

A link or an assumption may carry `pattern:`, a name it shares with links and
assumptions of other programmes, so that programmes written independently can be
compared across contexts. The name is a slug (TOC214), and one programme uses a
link pattern, or an assumption pattern, at most once (TOC215): otherwise its
verdict in the comparison would be ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...findings.diagnostic import Diagnostic, Severity
from ...findings.examples import VALID
from ..context import Context, Path_
from ..registry import rule

E, W = Severity.ERROR, Severity.WARNING

_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")
_RATIONALE = "        rationale: Regular meetings let residents raise concerns early\n"


def _tagged(pattern: str, text: str = VALID) -> str:
    return text.replace(_RATIONALE, f"{_RATIONALE}        pattern: {pattern}\n", 1)


def _patterns(ctx: Context) -> Iterator[tuple[str, str, Path_]]:
    """(kind, pattern, path) of every `pattern:` in the programme, in file order."""
    for r, result in enumerate(ctx.programme.results):
        for k, link in enumerate(result.contributes_to):
            if link.pattern is not None:
                yield "link", link.pattern, ("results", r, "contributes_to", k, "pattern")
    for a, assumption in enumerate(ctx.programme.assumptions):
        if assumption.pattern is not None:
            yield "assumption", assumption.pattern, ("assumptions", a, "pattern")


def as_slug(text: str) -> str:
    """The slug a free-text name most likely meant: lower case, runs of other characters as
    one hyphen."""
    return re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower()).strip("-._")


@rule(
    "TOC214",
    "malformed-pattern",
    E,
    "graph",
    _tagged("Police engagement"),
    _tagged("police-engagement"),
    fail_at="13:18",
)
def check_pattern_names(ctx: Context) -> Iterator[Diagnostic]:
    """A `pattern:` is not a slug.

    Patterns are compared exactly across programmes, written by different people in
    different countries; a slug (lower-case letters, digits, `.`, `_` and `-`, starting
    with a letter or digit) leaves no room for two spellings of one name
    ("Police engagement", "police engagement ") that would silently never match.
    """
    for kind, pattern, path in _patterns(ctx):
        if not _SLUG.fullmatch(pattern):
            suggestion = as_slug(pattern)
            hint = (
                f"write it as a slug, e.g. `pattern: {suggestion}`"
                if suggestion
                else "write it as a slug: lower-case letters, digits, `.`, `_` and `-`"
            )
            yield MALFORMED_PATTERN(
                f"the {kind} pattern {pattern!r} is not a slug, so it would never match"
                " the same pattern in another programme",
                ctx.locate(path),
                hint=hint,
                path=path,
            )


MALFORMED_PATTERN = check_pattern_names

_ASSUMPTIONS = (
    "  - id: police-attend\n    statement: The district police send an officer to the meetings\n"
)


def _two_assumptions(second: str) -> str:
    return VALID.replace(
        "assumptions: [police-attend]", "assumptions: [police-attend, police-listen]"
    ).replace(
        _ASSUMPTIONS,
        _ASSUMPTIONS + "    pattern: police-engage\n"
        "  - id: police-listen\n"
        "    statement: The officer acts on what residents raise\n"
        f"    pattern: {second}\n",
    )


@rule(
    "TOC215",
    "repeated-pattern",
    W,
    "graph",
    _two_assumptions("police-engage"),
    _two_assumptions("police-act"),
    fail_at="43:14",
)
def check_repeated_patterns(ctx: Context) -> Iterator[Diagnostic]:
    """Two links (or two assumptions) of one programme share a `pattern:`.

    `toc portfolio` shows one verdict per pattern and programme; with two links of the
    same pattern the programme's entry would hide one of them. Give each link its own
    pattern, or tag only the link that stands for the shared idea.
    """
    first: dict[tuple[str, str], Path_] = {}
    for kind, pattern, path in _patterns(ctx):
        seen = first.setdefault((kind, pattern), path)
        if seen is not path:
            where = ctx.locate(seen)
            yield REPEATED_PATTERN(
                f"the {kind} pattern {pattern!r} is used twice in this programme"
                f" (first at line {where.line})",
                ctx.locate(path),
                hint=f"give this {kind} a pattern of its own, or remove `pattern:` from one",
                path=path,
            )


REPEATED_PATTERN = check_repeated_patterns
