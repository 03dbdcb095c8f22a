"""The programme as the app sees it: loaded, validated and scored once per version of
its files, and made again when any file it read changes on disk (checked on each request,
so an edit in a text editor or a `git pull` shows on the next page)."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..check.config import ConfigError, load_selection
from ..check.pipeline import validate_loaded
from ..findings.diagnostic import Diagnostic, Report, Severity
from ..formats.report.document import Document, build
from ..formats.report.inputs import Prepared
from ..schema.programme import LoadedProgramme, load
from ..scoring import score


@dataclass
class Snapshot:
    """One version of the programme's files and everything made from it."""

    stamp: tuple[tuple[str, int, int], ...]
    digest: str  # hash of the content of every file read: carried by forms
    loaded: LoadedProgramme
    report: Report
    prepared: Prepared | None  # None while the programme has errors
    document: Document | None
    pages: dict[str, str] = field(default_factory=dict)  # rendered pages of this version

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.report.diagnostics if d.severity is Severity.ERROR]

    @property
    def findings(self) -> list[Diagnostic]:
        if self.prepared is not None:
            return self.prepared.diagnostics
        return list(self.report.diagnostics)


def _stamp(files: list[Path]) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in files:
        try:
            info = path.stat()
            out.append((str(path), info.st_mtime_ns, info.st_size))
        except OSError:
            out.append((str(path), -1, -1))
    return tuple(out)


def content_digest(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing")
    return digest.hexdigest()


def analyse(path: Path) -> tuple[LoadedProgramme, Report, Prepared | None]:
    """Load, validate and (when valid) score, never raising for the user's files."""
    try:
        selection, config_problem = load_selection(path.parent), ""
    except ConfigError as err:  # edited while the app runs: judge with every rule
        selection, config_problem = None, f"rule selection not applied: {err}"
    loaded = load(path)
    report = validate_loaded(loaded, selection)
    if config_problem:
        report.skipped.append(config_problem)
    report.sort()
    if not report.valid or loaded.programme is None:
        return loaded, report, None
    scored = score(loaded.programme, include_sensitive=False, locate=loaded.locate)
    return loaded, report, Prepared(path, loaded, loaded.programme, report, scored, False)


class Workspace:
    """One programme folder; `snapshot()` is always the current version of its files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.path = self.folder / "programme.yaml"
        self._lock = threading.Lock()
        self.saving = threading.Lock()  # held by a save from its check to its write
        self._current: Snapshot | None = None

    def files(self) -> list[Path]:
        if self._current is None:
            return [self.path]
        return list(dict.fromkeys([self.path, *self._current.loaded.sources]))

    def snapshot(self) -> Snapshot:
        with self._lock:
            current = self._current
            if current is not None and _stamp(self.files()) == current.stamp:
                return current
            loaded, report, prepared = analyse(self.path)
            files = list(dict.fromkeys([self.path, *loaded.sources]))
            document = build(prepared) if prepared is not None else None
            self._current = Snapshot(_stamp(files), content_digest(files), loaded, report,
                                     prepared, document)
            return self._current
