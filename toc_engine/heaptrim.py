"""Giving the heap's free pages back to the operating system after a large CSV file.

Reading 5,000,000 CSV rows holds each indicator's codes interleaved (100 MB), then splits
them into narrow columns (~35 MB) and frees the interleaved ones. glibc keeps freed memory
in its heap for later `malloc` calls, but what checking and scoring build next are small
Python objects, which CPython takes from arenas of its own, never from those holes. The
process's peak was then the heap's high-water mark plus all of them: 257 MB at 1,000
results x 5,000,000 rows, against 216 MB once the free pages are handed back. Elsewhere
than glibc (macOS, musl) there is no `malloc_trim` and nothing is done.
"""

from __future__ import annotations

import sys


def give_back_freed_memory() -> bool:
    """`malloc_trim(0)`: a few milliseconds. Whether it could be called."""
    if not sys.platform.startswith("linux"):
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
