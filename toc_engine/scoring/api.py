"""`toc_engine.score`: the scorer as library callers reach it.

It refuses what `toc score` refuses: a programme with errors is not scored (its numbers
would go into a report as if they were sound) unless the caller says so. The scoring
steps (`engine.score`) assume a valid programme and are called directly by the command
line and the reports, which have validated it already.
"""

from __future__ import annotations

from ..check.config import Selection
from ..check.pipeline import validate_loaded
from ..findings.diagnostic import Diagnostic, Severity
from ..schema.model import Programme
from ..schema.programme import LoadedProgramme, as_loaded
from .engine import Locate
from .engine import score as score_valid
from .result import ProgrammeScore


class InvalidProgrammeError(ValueError):
    """The programme has errors, so it is not scored; `findings` are the errors (and any
    other findings the checks that ran reported)."""

    def __init__(self, findings: list[Diagnostic], file: str) -> None:
        self.findings: tuple[Diagnostic, ...] = tuple(findings)
        errors = [d for d in findings if d.severity is Severity.ERROR]
        first = errors[0] if errors else None
        shown = f"; the first: {first.span}: {first.code} {first.message}" if first else ""
        super().__init__(
            f"{file} has {len(errors)} error{'s' if len(errors) != 1 else ''} and is not "
            f"scored{shown}. Fix them (toc_engine.validate lists them), or pass "
            "allow_errors=True to score what is sound anyway"
        )


def score(
    programme: Programme | LoadedProgramme,
    *,
    include_sensitive: bool = False,
    locate: Locate | None = None,
    allow_errors: bool = False,
    selection: Selection | None = None,
) -> ProgrammeScore:
    """Delivery, confidence, link verdicts and design score of a programme without errors.

    `programme` is what `toc_engine.load(path)` returns, or its `.programme` (or one built
    in Python). Raises `InvalidProgrammeError` if it has errors (under `selection` and its
    own `lint:` section, as `toc score` decides) unless `allow_errors`, and `TypeError`
    for anything else than a programme.
    """
    loaded = _loaded(programme)
    if loaded.programme is None:
        raise InvalidProgrammeError(loaded.diagnostics, loaded.file)
    if not allow_errors:
        report = validate_loaded(loaded, selection, blocking_only=True)
        if not report.valid:
            raise InvalidProgrammeError(report.diagnostics, loaded.file)
    if locate is None and isinstance(programme, LoadedProgramme):
        locate = programme.locate
    return score_valid(loaded.programme, include_sensitive=include_sensitive, locate=locate)


def _loaded(programme: object) -> LoadedProgramme:
    if isinstance(programme, LoadedProgramme):
        return programme
    if isinstance(programme, Programme):
        return as_loaded(programme)  # with what its load found, if `load` built it
    if programme is None:
        raise TypeError(
            "score() needs a programme, got None: pass what toc_engine.load(path) returns "
            "(a LoadedProgramme; when its .programme is None the file could not be read, "
            "and its .diagnostics say why)"
        )
    raise TypeError(
        f"score() needs a programme, got {type(programme).__name__}: pass "
        "toc_engine.load(path) (a LoadedProgramme) or its .programme"
        + (", not the path itself" if isinstance(programme, str) or hasattr(programme,
                                                                            "__fspath__")
           else "")
    )
