"""Judgements cached by the content of a programme's files, in one SQLite file.

The cache lives in a folder of its own (by default the user's cache folder), never
inside a programme's folder, and can be deleted at any time: it only saves rescoring.
A key covers every file in the programme's folder (names and bytes), the folder's
place and the engine's version, so any change to a file means a rescore.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import sys
from pathlib import Path

from ...scoring.portfolio import Judgements, Refused

CACHE_FILE = "portfolio.sqlite3"
FORMAT = "1"  # bump when Judgements change shape


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
    """A hash of every regular file under `folder`, by relative name and content."""
    digest = hashlib.sha256()
    digest.update(f"{FORMAT}\0{_engine_version()}\0{folder.resolve()}\0".encode())
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


class Cache:
    """Outcomes of earlier runs (judgements or refusals), by content key.

    The file is the user's own (written only by this class, in a folder they chose or
    their cache folder); an entry that cannot be read is treated as missing.
    """

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / CACHE_FILE
        self._db = sqlite3.connect(self.path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS outcomes (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
        )

    def get(self, key: str) -> Judgements | Refused | None:
        row = self._db.execute("SELECT value FROM outcomes WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            value = pickle.loads(row[0])
        except Exception:
            return None
        return value if isinstance(value, (Judgements, Refused)) else None

    def put(self, key: str, outcome: Judgements | Refused) -> None:
        blob = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        self._db.execute("INSERT OR REPLACE INTO outcomes VALUES (?, ?)", (key, blob))

    def close(self) -> None:
        self._db.commit()
        self._db.close()
