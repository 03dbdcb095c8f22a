"""toc-engine: check, score and report theory-of-change results frameworks.

The library API (nothing here prints or exits):

    import toc_engine
    loaded = toc_engine.load("examples/nepal/programme.yaml")   # LoadedProgramme
    report = toc_engine.validate(loaded)                         # Report: .valid, .diagnostics
    scored = toc_engine.score(loaded.programme)                  # ProgrammeScore

Names are imported on first use so that `toc --help` starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Diagnostic",
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
    from .diagnostics import Diagnostic, Report, Severity, Span
    from .loader import LoadedProgramme, load
    from .model import Programme
    from .pipeline import validate
    from .scoring import score

_LAZY = {
    "load": ("loader", "load"),
    "LoadedProgramme": ("loader", "LoadedProgramme"),
    "validate": ("pipeline", "validate"),
    "score": ("scoring", "score"),
    "Programme": ("model", "Programme"),
    "Diagnostic": ("diagnostics", "Diagnostic"),
    "Report": ("diagnostics", "Report"),
    "Severity": ("diagnostics", "Severity"),
    "Span": ("diagnostics", "Span"),
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
