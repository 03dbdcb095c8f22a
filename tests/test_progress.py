"""Progress on a terminal for long runs, and nowhere else.

Run in real pseudo-terminals: standard error a terminal (progress shown once a run takes
over a second), a pipe (never), machine formats and --quiet (never).
"""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

import pytest

from toc_engine.cli.progress import CLEAR, Progress, wanted

ROOT = Path(__file__).resolve().parent.parent
TOC = [sys.executable, "-m", "toc_engine"]
NEPAL = str(ROOT / "examples" / "nepal" / "programme.yaml")


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A programme of 2,500 results: a few seconds to validate and score."""
    folder = tmp_path_factory.mktemp("national")
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "2500", str(folder),
                    "--no-plant"], check=True, capture_output=True)
    return str(folder / "programme.yaml")


def _terminal(argv: list[str], both: bool = False) -> tuple[int, str, str]:
    """Run `toc argv` with standard error (and with `both`, standard output too) on a
    pseudo-terminal 120 columns wide; returns the exit code, stdout and the terminal's text."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("TERM", "CI")}
    env["TERM"] = "xterm"
    # A file, not a pipe: the child would block on a full pipe while the terminal is read.
    captured = tempfile.TemporaryFile()  # noqa: SIM115
    process = subprocess.Popen(
        [*TOC, *argv], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
        stdout=slave if both else captured, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    code = process.wait()
    os.close(master)
    captured.seek(0)
    out = captured.read().decode()
    captured.close()
    return code, out, b"".join(chunks).decode("utf-8", "replace")


def test_report_on_a_terminal_counts_the_figures(tmp_path: Path) -> None:
    out = tmp_path / "nepal.html"
    code, stdout, terminal = _terminal(["report", NEPAL, "-o", str(out)])
    assert code == 0 and stdout == f"wrote {out}\n"
    assert "toc: drawing 18 figures [" in terminal
    assert "/18 " in terminal
    assert terminal.endswith(CLEAR)  # the line is removed at the end


def test_validate_on_a_terminal_names_the_stage(national: str) -> None:
    code, stdout, terminal = _terminal(["validate", national])
    assert code == 0
    assert f"toc: reading {national}" in terminal or f"toc: checking {national}" in terminal
    assert terminal.endswith(CLEAR)
    assert "toc:" not in stdout


@pytest.mark.parametrize("argv", [
    ["validate", "--format", "json"],
    ["validate", "--format", "sarif"],
    ["validate", "--format", "github"],
    ["validate", "--quiet"],
    ["score", "--format", "json"],
])
def test_no_progress_for_machines_or_with_quiet(national: str, argv: list[str]) -> None:
    code, stdout, terminal = _terminal([*argv, national])
    assert code == 0 and stdout
    assert terminal == ""


def test_no_progress_in_a_pipe(national: str) -> None:
    run = subprocess.run([*TOC, "score", national], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "TERM": "xterm"})
    assert run.returncode == 0
    assert run.stderr == ""
    assert "\r" not in run.stdout and "\x1b" not in run.stdout


def test_output_on_the_same_terminal_stays_intact(national: str) -> None:
    code, _, terminal = _terminal(["score", national], both=True)
    assert code == 0
    assert "toc: scoring" in terminal
    # Everything after the last cleared line is the command's output, untouched.
    output = terminal.rsplit(CLEAR, 1)[1]
    assert "toc: " not in output and "\x1b" not in output
    assert output.count("\n") > 100


def test_line_fits_the_terminal_and_keeps_the_count() -> None:
    progress = Progress(io.StringIO(), enabled=False)
    progress.stage("checking " + "very/long/" * 20 + "programme.yaml", total=8, done=3)
    line = progress.line(60)
    assert len(line) == 60
    assert line.startswith("toc: …") and "[#######.............] 3/8 0s" in line


def test_quick_runs_show_nothing() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    assert wanted(stream) and not wanted(stream, quiet=True) and not wanted(stream, fmt="json")
    assert not wanted(io.StringIO())
    with Progress(stream, enabled=True) as progress:
        progress.stage("checking")
        time.sleep(0.2)
    assert stream.getvalue() == ""
