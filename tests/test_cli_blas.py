"""The `toc` process asks numpy's OpenBLAS for no thread pool; library callers and a
user's own choice are left alone. Each case runs in a fresh interpreter: OpenBLAS reads
the setting when numpy is first imported."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = """
import os
import sys
import toc_engine.cli as cli

def run(argv=None, stdout=None):
    # numpy is not imported yet: OpenBLAS reads the setting when it is
    assert "numpy" not in sys.modules
    print(os.environ.get("OPENBLAS_NUM_THREADS"))
    return 0

cli.run = run
cli.{call}()
"""


BLAS = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")


@pytest.mark.parametrize(
    ("call", "chosen", "seen"),
    [
        ("entry", {}, "1"),  # the `toc` command: no pool
        ("entry", {"OPENBLAS_NUM_THREADS": "4"}, "4"),  # the user's own choice stands
        ("entry", {"OMP_NUM_THREADS": "2"}, "None"),  # which OpenBLAS would read too
        ("main", {}, "None"),  # a library caller's process is not touched
    ],
)
def test_openblas_threads(call: str, chosen: dict[str, str], seen: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in BLAS}
    env.update(chosen)
    done = subprocess.run([sys.executable, "-c", PROBE.format(call=call)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == seen
