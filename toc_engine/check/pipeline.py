"""The validation pipeline: load, then run the rule stages in order over what loaded.

Stages never crash on partial data: if the schema stage set items aside, the
later stages run over the rest; if nothing trustworthy could be built, they
are skipped and the report says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..findings.diagnostic import Diagnostic, Report
from ..findings.volume import cap_repeats
from ..loading.files import DEFAULT_MAX_BYTES
from ..loading.yaml import SourceMap
from ..schema.model import Programme
from ..schema.programme import LoadedProgramme, load
from .config import Selection, load_selection
from .context import Context
from .rules import EXTRA_CHECKS, RULES, STAGES, Rule

_RULE_STAGES = STAGES[2:]  # files and schema findings come from the loader


def run_checks(
    loaded: LoadedProgramme, wanted: Callable[[Rule], bool] | None = None
) -> list[Diagnostic]:
    """All rule findings for one loaded programme (before selection); with `wanted`, the
    findings of the rules it accepts (the loader's own findings are always kept)."""
    found = list(loaded.diagnostics)
    if loaded.programme is None:
        return found
    ctx = Context(loaded, loaded.programme)
    for stage in _RULE_STAGES:
        for rule in RULES.values():
            if rule.stage == stage and rule.check is not None and (wanted is None or wanted(rule)):
                found.extend(rule.check(ctx))
        for extra_stage, extra_rule, check in EXTRA_CHECKS:
            if extra_stage == stage and (wanted is None or wanted(extra_rule)):
                found.extend(check(ctx))
    return found


def from_programme(programme: Programme, name: str = "<programme>") -> LoadedProgramme:
    """Wrap a programme built in Python so it can be checked like a loaded file."""
    return LoadedProgramme(Path(name), name, programme, SourceMap(name, None))


def validate_loaded(
    loaded: LoadedProgramme, selection: Selection | None = None, *, blocking_only: bool = False
) -> Report:
    """The report of one loaded programme under `selection` (and its own `lint:` section).

    With `blocking_only`, only the checks that can report an error under that selection
    run (a rule's own findings, or another rule's it `emits`), so the report has every
    error, which is all that decides whether the programme can be scored; warnings and
    notes are there only when a check that ran reported them. `toc score` prints nothing
    else of it, and the warning and note rules are a quarter of the checking time at
    10,000 results.
    """
    report = Report(files=[loaded.file])
    chosen = selection or Selection()
    if loaded.programme is not None:
        chosen = chosen.merged(loaded.programme.lint)
    found = run_checks(loaded, chosen.blocks if blocking_only else None)
    if (
        loaded.programme is None
        and not loaded.skipped
        and any(d.severity.name == "ERROR" for d in found)
    ):
        report.skipped.append(
            f"{loaded.file}: later checks did not run because the file could not be read"
        )
    report.skipped.extend(f"{loaded.file}: {reason}" for reason in loaded.skipped)
    kept, waived = chosen.apply(found)
    report.extend(cap_repeats(kept))
    report.waived.extend(waived)
    report.sort()
    return report


def validate(
    target: str | Path | Programme | LoadedProgramme,
    *,
    selection: Selection | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Check one programme (a path, a loaded programme, or a Programme built in Python).

    Returns a `Report` with `.valid` and `.diagnostics`; never raises for problems
    in the user's files. Selection comes from the nearest pyproject.toml unless given.
    """
    if isinstance(target, Programme):
        loaded = from_programme(target)
    elif isinstance(target, LoadedProgramme):
        loaded = target
    else:
        loaded = load(target, max_bytes=max_bytes)
    if selection is None:
        selection = load_selection(loaded.path.parent)
    return validate_loaded(loaded, selection)


def merge_reports(reports: Iterable[Report]) -> Report:
    merged = Report()
    for report in reports:
        merged.diagnostics.extend(report.diagnostics)
        merged.files.extend(report.files)
        merged.skipped.extend(report.skipped)
        merged.waived.extend(report.waived)
    return merged
