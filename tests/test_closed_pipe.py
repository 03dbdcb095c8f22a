"""Every command that prints stops quietly when its reader closes the pipe (`toc rules |
head`), as Unix tools do: nothing on standard error, exit status 141 (128 + SIGPIPE)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NEPAL = str(ROOT / "examples" / "nepal" / "programme.yaml")

PRINTING = [
    ["rules"],
    ["explain", "TOC101"],
    ["schema"],
    ["library", "list"],
    ["validate", NEPAL, "--format", "json"],
    ["score", NEPAL],
    ["export", "iati", NEPAL],
    ["export", "csv", NEPAL],
    ["export", "pirs", NEPAL],
    ["validate", NEPAL, "--format", "json", "-o", "/dev/stdout"],
]


@pytest.mark.parametrize("argv", PRINTING, ids=lambda a: " ".join(a[:2]))
def test_a_closed_pipe_ends_the_command_quietly(argv: list[str]) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "toc_engine", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader leaves before the first byte is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""
