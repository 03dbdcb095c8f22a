"""Checks: the functions that find a rule's findings in a programme, by stage.

`@rule(...)` registers a rule of the catalogue (`toc_engine.findings`) together with the
check that finds it; `@check_for(RULE, stage)` adds a check to a rule declared elsewhere
(a rule whose findings the loader reports too, such as TOC201 for a library reference).
The pipeline runs both kinds, stage by stage.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from ..findings.catalogue import STAGES, CheckFunction, Example, Rule, register
from ..findings.diagnostic import Severity

EXTRA_CHECKS: list[tuple[str, Rule, CheckFunction]] = []
"""Checks that report the findings of an already declared rule, run in their stage."""


def rule(
    code: str,
    symbol: str,
    severity: Severity,
    stage: str,
    fail: Example,
    pass_: Example,
    fail_at: str = "",
    emits: tuple[str, ...] = (),
) -> Callable[[CheckFunction], Rule]:
    """Register a check function; its docstring's first line is the summary, the rest the doc.

    `emits`: the codes of other rules whose findings the check reports as well (a claim
    about an undefined id is TOC201's finding, found by TOC402's check). Selection reads
    them: `toc score` runs a check when any code it reports would be an error."""
    if stage not in STAGES:
        raise RuntimeError(f"unknown stage {stage!r}")

    def decorate(check: CheckFunction) -> Rule:
        text = inspect.cleandoc(check.__doc__ or "")
        summary, _, doc = text.partition("\n")
        return register(
            Rule(
                code,
                symbol,
                severity,
                summary.strip(),
                doc.strip(),
                fail,
                pass_,
                fail_at,
                stage,
                check,
                emits=emits,
            )
        )

    return decorate


def check_for(target: Rule, stage: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register another check that reports findings of a declared rule."""
    if stage not in STAGES:
        raise RuntimeError(f"unknown stage {stage!r}")

    def decorate(check: CheckFunction) -> CheckFunction:
        EXTRA_CHECKS.append((stage, target, check))
        return check

    return decorate


