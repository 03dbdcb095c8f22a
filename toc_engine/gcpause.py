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
            freeze_survivors()
            gc.enable()


_FREEZE = {"enabled": False}  # set by `toc_engine.cli.entry`, the process entry point only


def freeze_after_loading(enabled: bool = True) -> None:
    """Called by `toc_engine.cli.entry` (the `toc` command, `python -m toc_engine`)."""
    _FREEZE["enabled"] = enabled


def freeze_survivors() -> None:
    """For the command line only: what a pause built lives until the process exits.

    After a pause the collector still tracks the millions of objects built during it
    as young ones, and the next collections walk them all (1.7 s of 74 collections in
    `toc score` on 10,000 results and 500,000 CSV rows) to free nothing. `gc.freeze`
    moves them out of its sight (0.01 s); garbage made afterwards is still collected.
    The price: cyclic garbage left during a pause is frozen too and never freed (about
    8 MB at 1,000 results), which a process that exits after one command can afford.
    A library caller keeps normal collection: a long-running process must be able to
    reclaim a programme it drops.
    """
    if _FREEZE["enabled"]:
        gc.freeze()
