"""The committed example reports in docs/reports/ match what the engine renders now."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_docs_reports_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location(
        "render_docs_reports", ROOT / "tools" / "render_docs_reports.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cwd = os.getcwd()
    try:
        pages = module.render_all()
    finally:
        os.chdir(cwd)
    assert pages, "no example reports were rendered"
    stale = [str(p.relative_to(ROOT)) for p, text in pages.items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    assert not stale, (f"out of date: {stale}; run .venv/bin/python "
                       "tools/render_docs_reports.py")
