"""Pausing the garbage collector while large, long-lived object graphs are built."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn


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


_OUTLIVING: list[object] = []  # what the `toc` process keeps until it ends (`outlive`)


def outlive(*objects: object) -> None:
    """For the command line only: keep `objects` (a loaded programme, its score) until the
    process ends, and end it without freeing them one by one (`exit_process`).

    Freeing a national programme object by object takes 0.5-0.9 s at 10,000-20,000
    results, only for the process to exit; the operating system reclaims it at once. A
    library caller frees as usual: nothing is kept unless `cli.entry` asked for it.
    """
    if _FREEZE["enabled"]:
        _OUTLIVING.extend(objects)


def exit_process(code: int) -> NoReturn:
    """End the `toc` process with `code`: at once (standard streams flushed, nothing torn
    down) when `outlive` kept something, else by the usual `sys.exit`."""
    if not _OUTLIVING:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`toc score | head`), a closed stream
            code = code or 2
    os._exit(code)


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
