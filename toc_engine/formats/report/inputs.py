"""Everything an output needs, prepared once: the loaded programme, its findings, its score.

Reports are only made from programmes that validate: a report of a broken file
would print numbers nobody can trust. `prepare` raises `NotValid` with the
error findings instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ...findings.diagnostic import Diagnostic, Report, Severity
from ...loading.files import DEFAULT_MAX_BYTES
from ...schema.model import Programme
from ...schema.programme import LoadedProgramme, load
from ...scoring import ProgrammeScore, score


class NotValid(Exception):
    """The programme has error findings; `errors` lists them."""

    def __init__(self, errors: list[Diagnostic]) -> None:
        super().__init__(f"{len(errors)} error(s) must be fixed first (see `toc validate`)")
        self.errors = errors


@dataclass(frozen=True)
class Prepared:
    path: Path
    loaded: LoadedProgramme
    programme: Programme
    report: Report
    score: ProgrammeScore
    include_sensitive: bool

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Validation findings and scoring findings, in a stable order."""
        items = list(self.report.diagnostics) + list(self.score.findings)
        return sorted(items, key=Diagnostic.sort_key)


def _silent(stage: str) -> None:
    pass


def prepare(
    path: str | Path, *, include_sensitive: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
    stage: Callable[[str], None] = _silent,
) -> Prepared:
    """`stage` is told each step as it starts ("reading …", "checking", "scoring"), for a
    caller that shows progress."""
    from ...check.config import load_selection
    from ...check.pipeline import validate_loaded

    target = Path(path)
    if target.is_dir():
        target = target / "programme.yaml"
    selection = load_selection(target.parent)  # raises ConfigError for a broken pyproject
    stage(f"reading {target}")
    loaded = load(target, max_bytes=max_bytes)
    stage("checking")
    report = validate_loaded(loaded, selection)
    report.sort()
    if not report.valid or loaded.programme is None:
        errors = [d for d in report.diagnostics if d.severity is Severity.ERROR]
        raise NotValid(errors)
    stage("scoring")
    scored = score(loaded.programme, include_sensitive=include_sensitive, locate=loaded.locate)
    return Prepared(target, loaded, loaded.programme, report, scored, include_sensitive)
