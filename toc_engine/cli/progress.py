"""What a long command is doing, on one line of standard error rewritten in place.

National programmes take tens of seconds to read, check, score and draw; without a
sign of life users think the command hangs. The line appears only when standard
error is a terminal (never in pipes, files or CI logs), the output is for people
(not `--format json`, `sarif` or `github`), `--quiet` was not given and `TERM` is
not `dumb`; and only once a command has run for `DELAY` seconds, so quick runs
(pre-commit hooks) look exactly as before. A daemon thread redraws it at most
`1 / INTERVAL` times a second: the work itself never writes to or waits on the
terminal. Plain text and ANSI "erase line", so no library is needed.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from argparse import Namespace

DELAY = 1.0  # seconds before anything is shown
INTERVAL = 0.25  # seconds between redraws
BAR = 20  # characters of the bar, when the stage has a count
CLEAR = "\r\x1b[K"


def wanted(stream: TextIO, *, quiet: bool = False, fmt: str = "text") -> bool:
    """Whether progress may be shown on `stream` for this command."""
    if quiet or fmt != "text" or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False


class Progress:
    """`stage(name, total)` starts a stage, `advance()` counts one step of it; `close()`
    (or leaving the `with` block) removes the line. Disabled, every method does nothing."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.started = time.monotonic()
        self.name = ""
        self.done = 0
        self.total: int | None = None
        self.shown = False
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        if enabled:
            self.thread = threading.Thread(target=self._run, name="toc-progress", daemon=True)
            self.thread.start()

    def stage(self, name: str, total: int | None = None, done: int = 0) -> None:
        self.name, self.total, self.done = name, total, done

    def advance(self, steps: int = 1) -> None:
        self.done += steps

    def line(self, width: int = 80) -> str:
        """The text shown now (without the control characters), at most `width` long:
        the stage's name is shortened first, the count and the seconds stay."""
        seconds = int(time.monotonic() - self.started)
        count = ""
        if self.total:
            filled = min(BAR, BAR * self.done // self.total)
            count = f" [{'#' * filled}{'.' * (BAR - filled)}] {self.done}/{self.total}"
        head, tail = "toc: ", f"{count} {seconds}s"
        room = width - len(head) - len(tail)
        name = self.name if len(self.name) <= room else "…" + self.name[-max(room - 1, 0):]
        return (head + name + tail)[:width]

    def _width(self) -> int:
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            columns = 0
        return columns - 1 if columns >= 20 else 79

    def _run(self) -> None:
        if self.stopping.wait(DELAY):
            return
        while True:
            with self.lock:
                if self.stopping.is_set():
                    return
                self._write(CLEAR + self.line(self._width()))
                self.shown = True
            if self.stopping.wait(INTERVAL):
                return

    def _write(self, text: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.stream.write(text)
            self.stream.flush()

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Clear the line while something else is written to the terminal (a warning)."""
        if not self.enabled:
            yield
            return
        with self.lock:
            if self.shown:
                self._write(CLEAR)
                self.shown = False
            yield

    def close(self) -> None:
        if self.thread is None:
            return
        with self.lock:
            self.stopping.set()
            if self.shown:
                self._write(CLEAR)
                self.shown = False
        self.thread.join()
        self.thread = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# `toc portfolio` draws its own progress (cli/portfolio_commands.py).
LONG_COMMANDS = frozenset({"validate", "score", "report", "graph", "export", "import"})


class _Guarded:
    """Standard output that clears the progress line for good before anything is written
    to it, when it is the same terminal (the command's output then stays intact)."""

    def __init__(self, stream: TextIO, progress: Progress) -> None:
        self._stream = stream
        self._progress = progress
        isatty = getattr(stream, "isatty", None)
        try:
            self._terminal = bool(isatty and isatty())
        except (OSError, ValueError):
            self._terminal = False

    def write(self, text: str) -> int:
        if self._terminal:
            self._progress.close()
        return self._stream.write(text)

    def __getattr__(self, name: str) -> object:
        if self._terminal and name != "isatty":
            self._progress.close()
        return getattr(self._stream, name)


@contextlib.contextmanager
def around(args: Namespace, command: str, stdout: TextIO, stderr: TextIO
           ) -> Iterator[tuple[Progress, TextIO]]:
    """The progress of one command (set as `args.progress`, see `stage`) and the standard
    output it writes to; the line is removed when the command ends, however it ends."""
    enabled = command in LONG_COMMANDS and wanted(
        stderr, quiet=bool(getattr(args, "quiet", False)),
        fmt=str(getattr(args, "format", None) or "text"))
    progress = Progress(stderr, enabled)
    progress.stage(command)
    args.progress = progress
    guarded: TextIO = _Guarded(stdout, progress) if enabled else stdout  # type: ignore[assignment]
    try:
        yield progress, guarded
    finally:
        progress.close()


def of(args: Namespace) -> Progress:
    """The command's progress (a disabled one when the command runs without `run`)."""
    found = getattr(args, "progress", None)
    return found if isinstance(found, Progress) else Progress(sys.stderr, False)
