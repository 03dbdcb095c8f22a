"""Process-level tuning for the `toc` command, and nowhere else.

A library call leaves the interpreter as it found it. The `toc` process is different: it
builds one large, long-lived object graph, prints it and exits. Here, and only here, it
may pause the garbage collector while building, freeze what it built, hand freed heap
pages back to the operating system, and exit without freeing object by object.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

_PROCESS = {"own": False}  # set by `cli.entry`: this interpreter is the `toc` process


def own_process(enabled: bool = True) -> None:
    """Called by `cli.entry` only (the `toc` command, `python -m toc_engine`)."""
    _PROCESS["own"] = enabled


@contextmanager
def building() -> Iterator[None]:
    """The collector waits while a command loads, checks and scores.

    Those stages allocate millions of small objects that all survive; a collection in
    between walks them all and frees nothing. In the `toc` process what was built is then
    frozen (`gc.freeze`), so later collections do not walk it again either. Nesting is
    safe: only the outermost call re-enables the collector.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if _PROCESS["own"]:
                gc.freeze()
            gc.enable()


_OUTLIVING: list[object] = []  # what the `toc` process keeps until it ends (`outlive`)


def outlive(*objects: object) -> None:
    """Keep `objects` (a loaded programme, its score) until the `toc` process ends, and end
    it without freeing them one by one (`exit_process`): the operating system reclaims the
    memory at once. In any other interpreter nothing is kept."""
    if _PROCESS["own"]:
        _OUTLIVING.extend(objects)


CLOSED_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a Unix tool whose reader left


def closed_pipe() -> int:
    """Standard output's reader has gone (`toc rules | head`): stop quietly, as Unix tools
    do. In the `toc` process, what is still buffered goes to the null device, so that
    the flush at exit does not fail a second time and print a warning."""
    if _PROCESS["own"]:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
    return CLOSED_PIPE


def exit_process(code: int) -> NoReturn:
    """End the `toc` process with `code`: at once (standard streams flushed, nothing torn
    down) when `outlive` kept something, else by the usual `sys.exit`."""
    if not _OUTLIVING:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # `toc score | head`: the reader has gone
            code = code or CLOSED_PIPE
        except (OSError, ValueError):  # a closed stream
            code = code or 2
    os._exit(code)


def give_back_freed_memory() -> bool:
    """Return the heap's free pages to the operating system (glibc's `malloc_trim(0)`).

    Reading a large CSV file frees its interleaved codes once they are split into columns;
    glibc keeps that memory for later `malloc` calls, but what checking and scoring build
    next are small Python objects from CPython's own arenas, so the process's peak would be
    the heap's high-water mark plus all of them. Elsewhere than glibc (macOS, musl) nothing
    is done. Whether it could be called."""
    if not _PROCESS["own"] or not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        trim = ctypes.CDLL(None).malloc_trim
    except (ImportError, OSError, AttributeError):  # a Python built without ctypes, no C
        return False  # library to ask, or one without malloc_trim (musl)
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    trim(0)
    return True


_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")


def single_threaded_blas(environ: dict[str, str] | None = None) -> None:
    """Ask numpy's OpenBLAS for no thread pool, unless the user chose a size.

    Scoring a large CSV table imports numpy, and OpenBLAS then starts a thread per core
    that spins for work on the other cores. The engine does no linear algebra. Any of the
    variables OpenBLAS reads (`_BLAS_THREADS`), set by the user, is left alone."""
    target = os.environ if environ is None else environ
    if not any(name in target for name in _BLAS_THREADS):
        target["OPENBLAS_NUM_THREADS"] = "1"
