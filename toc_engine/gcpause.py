"""Pausing the garbage collector while large, long-lived object graphs are built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Loading, checking and scoring allocate millions of small objects that all survive;
    a collection in between walks them all and frees nothing (2-3x the parse time), so
    the collector waits until the end. Nesting is safe: only the outermost call re-enables."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
