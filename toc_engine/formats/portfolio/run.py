"""Many programmes loaded, validated and scored, each reduced to its judgements.

Programmes are scored in worker processes (one per core by default); each worker
sends back only the programme's `Judgements`, so memory stays bounded by the
programmes in flight, not by the portfolio. Judgements are cached by the content of
the programme's files (`cache.py`), so a re-run rescores only what changed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ...scoring.portfolio import Judgements, Refused
from .cache import Cache, content_key

Progress = Callable[[int, int, int], None]
"""Called with (done, failed, remaining) as programmes finish."""

PROGRAMME_FILE = "programme.yaml"


class NoProgrammes(ValueError):
    """A path names no programme (no `programme.yaml` in it or below it)."""


def find_programmes(paths: Sequence[str | Path]) -> list[Path]:
    """Programme folders named by `paths`: a programme folder or its `programme.yaml`, or a
    folder of programme folders (searched below, never inside a programme's own folder)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            if path.name != PROGRAMME_FILE:
                raise NoProgrammes(
                    f"{raw}: name a programme's folder (or its {PROGRAMME_FILE}), or a folder"
                    " of programme folders"
                )
            found.append(path.parent)
            continue
        if not path.is_dir():
            raise NoProgrammes(f"{raw}: no such file or folder")
        before = len(found)
        found.extend(_walk(path))
        if len(found) == before:
            raise NoProgrammes(f"{raw}: no {PROGRAMME_FILE} in this folder or the folders below it")
    unique: dict[Path, Path] = {}
    for folder in found:
        unique.setdefault(folder.resolve(), _shown(folder))
    return sorted(unique.values())


def _shown(folder: Path) -> Path:
    """The folder as a user names it: relative to the working folder when inside it."""
    absolute = folder.resolve()
    try:
        return absolute.relative_to(Path.cwd().resolve())
    except ValueError:
        return absolute


def _walk(folder: Path) -> Iterator[Path]:
    if (folder / PROGRAMME_FILE).is_file():
        yield folder
        return
    for child in sorted(folder.iterdir()):
        if child.is_dir() and not child.is_symlink() and not child.name.startswith("."):
            yield from _walk(child)


def assess(folder: str) -> Judgements | Refused:
    """Validate and score one programme; never raises for a problem in its files."""
    return _assessed(folder)[0]


def _assessed(folder: str) -> tuple[Judgements | Refused, bool]:
    """The outcome, and whether it may be cached: judgements and validation failures
    may; a broken configuration may not (it is reported, not remembered)."""
    from ...check.config import ConfigError
    from ...scoring.portfolio import judgements
    from ..report.inputs import NotValid, prepare

    try:
        prepared = prepare(folder)
    except NotValid as invalid:
        first = invalid.errors[0] if invalid.errors else None
        text = f"{first.code} {first.message}" if first else "does not validate"
        return Refused(folder, len(invalid.errors), text), bool(invalid.errors)
    except ConfigError as error:
        return Refused(folder, 1, f"pyproject.toml: {error}"), False
    return judgements(folder, prepared.programme, prepared.score), True


@dataclass
class Run:
    """What a run found: judgements and refusals, and how many came from the cache."""

    judgements: list[Judgements] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    scored: list[str] = field(default_factory=list)  # folders scored in this run
    cached: int = 0


def assess_all(
    folders: Sequence[Path],
    *,
    jobs: int | None = None,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> Run:
    """Judgements of every programme, from the cache where its files have not changed."""
    run = Run()
    pending: list[tuple[str, str]] = []
    for folder in folders:
        key = content_key(folder)
        hit = cache.get(key) if cache else None
        if hit is not None:
            run.cached += 1
            _keep(run, _relocated(hit, str(folder)))
        else:
            pending.append((str(folder), key))
    failed = len(run.refused)
    done = run.cached
    total = len(folders)
    if progress:
        progress(done, failed, total - done)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
    for done_folder, key, outcome, cacheable in _results(pending, workers):
        run.scored.append(done_folder)
        _keep(run, outcome)
        if cache and cacheable:
            cache.put(key, outcome)
        done += 1
        failed += isinstance(outcome, Refused)
        if progress:
            progress(done, failed, total - done)
    return run


def _results(
    pending: list[tuple[str, str]], workers: int
) -> Iterator[tuple[str, str, Judgements | Refused, bool]]:
    """(folder, key, outcome, cacheable); a crash is never cacheable, so the next run
    tries the programme again."""
    if workers == 1:
        for folder, key in pending:
            try:
                outcome, cacheable = _assessed(folder)
            except Exception as error:  # as a worker's failure: the programme is reported
                outcome, cacheable = Refused(folder, 0, f"could not be scored: {error}"), False
            yield folder, key, outcome, cacheable
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_assessed, folder): (folder, key) for folder, key in pending}
        for future in as_completed(futures):
            folder, key = futures[future]
            try:
                outcome, cacheable = future.result()
            except Exception as error:  # a worker that died: the programme is reported
                outcome, cacheable = Refused(folder, 0, f"could not be scored: {error}"), False
            yield folder, key, outcome, cacheable


def _keep(run: Run, outcome: Judgements | Refused) -> None:
    if isinstance(outcome, Refused):
        run.refused.append(outcome)
    else:
        run.judgements.append(outcome)


def _relocated(outcome: Judgements | Refused, folder: str) -> Judgements | Refused:
    """A cached outcome with the folder it was found in this time."""
    from dataclasses import replace

    return replace(outcome, path=folder)
