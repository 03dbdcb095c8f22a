"""The shipped indicator library and theory-of-change models.

Both are data folders (`indicators/`, `models/`) at the repository root. A wheel
carries them as `toc_engine/_data/...`; an editable install reads them from the
checkout. Either way they are found here, so callers never guess.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


def data_root() -> Path:
    """The folder that holds `indicators/` and `models/`."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "_data"
    if (packaged / "indicators").is_dir():
        return packaged
    return package.parent


def indicators_dir() -> Path:
    return data_root() / "indicators"


def models_dir() -> Path:
    return data_root() / "models"


def indicator_index(local: Path | None = None) -> dict[str, list[Path]]:
    """Every library entry by `folder/id` and by bare `id` (the latter may be ambiguous).

    `local` is an `indicators/` folder beside a programme: an organisation's own
    definitions, searched together with the shipped library. Its paths are given as found,
    not resolved: whoever reads one checks that it stays inside the programme's folder.
    """
    shipped = indicators_dir().resolve()
    index = {key: list(paths) for key, paths in _shipped_index(shipped).items()}
    if local is not None and local.is_dir() and local.resolve() != shipped:
        for key, paths in _index_of(local).items():
            index.setdefault(key, []).extend(paths)
    return index


@cache
def _shipped_index(root: Path) -> dict[str, list[Path]]:
    """The shipped library's index: it does not change while the engine runs. A
    programme's own library is listed afresh at each load, so a new entry is found."""
    return _index_of(root)


def _index_of(root: Path) -> dict[str, list[Path]]:
    index: dict[str, list[Path]] = {}
    if not root.is_dir():
        return index
    for path in sorted(root.glob("*/*.yaml")):
        folder = path.parent.name
        index.setdefault(f"{folder}/{path.stem}", []).append(path)
        index.setdefault(path.stem, []).append(path)
    return index


def model_names() -> list[str]:
    root = models_dir()
    return sorted(p.stem for p in root.glob("*.yaml")) if root.is_dir() else []
