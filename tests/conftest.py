"""Shared helpers: materialise rule examples and case files into temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from toc_engine.findings.catalogue import Example

ROOT = Path(__file__).resolve().parent.parent


def write_example(example: Example, folder: Path) -> tuple[Path, dict[str, str]]:
    """Write an example's files; returns the programme path and CLI-style options."""
    files = {"programme.yaml": example} if isinstance(example, str) else dict(example)
    options = {k: v for k, v in files.items() if k.startswith("--")}
    for name, content in files.items():
        if name.startswith("--"):
            continue
        if name.endswith(".bytes"):
            target = folder / name[: -len(".bytes")]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(bytes.fromhex(content))
        else:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
    return folder / "programme.yaml", options


@pytest.fixture
def root() -> Path:
    return ROOT
