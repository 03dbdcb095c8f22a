"""toc-engine: check, score and report theory-of-change results frameworks.

The library API (nothing here prints or exits):

    import toc_engine
    loaded = toc_engine.load("examples/nepal/programme.yaml")   # LoadedProgramme
    report = toc_engine.validate(loaded)                         # Report: .valid, .diagnostics
    scored = toc_engine.score(loaded)                            # ProgrammeScore; raises
                                                                 # InvalidProgrammeError on errors

Names are imported on first use so that `toc --help` starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Diagnostic",
    "InvalidProgrammeError",
    "LoadedProgramme",
    "Programme",
    "Report",
    "Severity",
    "Span",
    "__version__",
    "load",
    "score",
    "validate",
]

if TYPE_CHECKING:
    from .check.pipeline import validate
    from .findings.diagnostic import Diagnostic, Report, Severity, Span
    from .schema.model import Programme
    from .schema.programme import LoadedProgramme, load
    from .scoring.api import InvalidProgrammeError, score

_LAZY = {
    "load": ("schema.programme", "load"),
    "LoadedProgramme": ("schema.programme", "LoadedProgramme"),
    "validate": ("check.pipeline", "validate"),
    "score": ("scoring.api", "score"),
    "InvalidProgrammeError": ("scoring.api", "InvalidProgrammeError"),
    "Programme": ("schema.model", "Programme"),
    "Diagnostic": ("findings.diagnostic", "Diagnostic"),
    "Report": ("findings.diagnostic", "Report"),
    "Severity": ("findings.diagnostic", "Severity"),
    "Span": ("findings.diagnostic", "Span"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module_name, attribute = _LAZY[name]
        module = importlib.import_module(f"{__name__}.{module_name}")
        value = getattr(module, attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'toc_engine' has no attribute {name!r}")
