"""Judgements cached by the content of a programme's files, in one SQLite file.

The cache lives in a folder of its own (by default the user's cache folder), never
inside a programme's folder, and can be deleted at any time: it only saves rescoring.
A key covers every file in the programme's folder (names and bytes), the configuration
file that applies to it, the folder's place and the engine's version, so any change to a
file means a rescore.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sqlite3
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...scoring.portfolio import Judgements, Refused
from ...scoring.portfolio.judgements import (
    AssumptionJudgement,
    IndicatorValue,
    LevelJudgement,
    LinkJudgement,
)

CACHE_FILE = "portfolio.sqlite3"
FORMAT = "1"  # bump when Judgements change shape

_TYPES: dict[str, type[Any]] = {
    t.__name__: t
    for t in (
        Judgements,
        Refused,
        LinkJudgement,
        AssumptionJudgement,
        LevelJudgement,
        IndicatorValue,
    )
}


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/toc-engine` (or the platform's cache folder)."""
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "toc-engine"


def _engine_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("toc-engine")
    except PackageNotFoundError:
        return "unknown"


def content_key(folder: Path) -> str:
    """A hash of every regular file under `folder`, by relative name and content, and of
    the configuration that applies to it (a `pyproject.toml` here or above, which
    changes what validates and what is waived)."""
    from ...check.config import find_pyproject

    digest = hashlib.sha256()
    digest.update(f"{FORMAT}\0{_engine_version()}\0{folder.resolve()}\0".encode())
    config = find_pyproject(folder)
    digest.update(f"{config}\0".encode())
    if config is not None:
        # unreadable: scoring reports it, and a refusal for it is never cached
        with contextlib.suppress(OSError):
            digest.update(config.read_bytes() + b"\0")
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if not path.is_file() or path.is_symlink():
                continue
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            digest.update(b"\0")
    return digest.hexdigest()


class DamagedCache(Exception):
    """The cache file exists but is not a cache (overwritten, truncated): the run goes
    on without it, since the cache only saves rescoring."""

    def __init__(self, path: Path, error: Exception) -> None:
        super().__init__(f"{path}: {error}")
        self.path = path
        self.error = error


class Cache:
    """Outcomes of earlier runs (judgements or refusals), by content key.

    Entries are JSON of the judgement records (never pickles: a cache folder may be
    shared, and reading it must not run anything); an entry that cannot be read is
    treated as missing.
    """

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / CACHE_FILE
        self._db = sqlite3.connect(self.path)
        try:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS outcomes (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
        except sqlite3.DatabaseError as err:
            self._db.close()
            raise DamagedCache(self.path, err) from None

    def get(self, key: str) -> Judgements | Refused | None:
        row = self._db.execute("SELECT value FROM outcomes WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            value = json.loads(row[0], object_hook=_decode)
        except (ValueError, TypeError, KeyError):
            return None
        return value if isinstance(value, (Judgements, Refused)) else None

    def put(self, key: str, outcome: Judgements | Refused) -> None:
        text = json.dumps(_encode(outcome), separators=(",", ":"))
        self._db.execute("INSERT OR REPLACE INTO outcomes VALUES (?, ?)", (key, text))

    def close(self) -> None:
        self._db.commit()
        self._db.close()


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"~type": type(value).__name__, **fields}
    if isinstance(value, tuple):
        return {"~tuple": [_encode(v) for v in value]}
    if isinstance(value, Decimal):
        return {"~decimal": str(value)}
    if isinstance(value, date):
        return {"~date": value.isoformat()}
    return value


def _decode(found: dict[str, Any]) -> Any:
    if "~tuple" in found:
        return tuple(found["~tuple"])
    if "~decimal" in found:
        return Decimal(found["~decimal"])
    if "~date" in found:
        return date.fromisoformat(found["~date"])
    if "~type" in found:
        kind = _TYPES[found.pop("~type")]
        return kind(**found)
    return found
