"""Time and memory budget of every hostile-input case (issue #6).

Each case of tests/hostile/ runs as its own `python -m toc_engine ...` child in a
temporary copy of its folder. Wall time is measured around the child; peak memory
is the child's maximum resident set size as GNU time (/usr/bin/time) reports it,
or, without GNU time, the child's own ru_maxrss from os.wait4 (an over-estimate:
a forked child starts at its parent's size). Prints a table and exits 1 if any case takes
longer than --seconds (default 5) or more than --megabytes (default 500), if a
case gives the wrong exit code, or if a traceback reaches stderr.

    python bench/hostile_budget.py            # all cases
    python bench/hostile_budget.py deep-flow  # some cases
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "hostile"
GNU_TIME = "/usr/bin/time"
HARD_TIMEOUT = 120.0  # a hang is killed here and reported as over budget
TIGHTER = {"file-50mb": 1.0}  # refused by the size limit before reading: within a second


def _harness():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("hostile_harness", HOSTILE / "harness.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile_harness"] = module
    spec.loader.exec_module(module)
    return module


def _gnu_time() -> str | None:
    """GNU time, whose own child starts small (a forked child's ru_maxrss starts at its
    parent's, so measuring from this Python process would add its size to every case)."""
    if sys.platform != "linux" or not os.path.exists(GNU_TIME):
        return None
    probe = subprocess.run(
        [GNU_TIME, "-f", "%M", "true"], capture_output=True, text=True, check=False
    )
    return GNU_TIME if probe.returncode == 0 and probe.stderr.strip().isdigit() else None


def run_child(args: list[str], cwd: Path) -> tuple[int, float, float, str, str]:
    """(exit code, seconds, peak MB, stdout, stderr) of one fresh child process."""
    env = {**os.environ, "NO_COLOR": "1"}
    command = [sys.executable, "-m", "toc_engine", *args]
    timer = _gnu_time()
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".time") as measured,
    ):
        if timer:
            command = [timer, "-f", "%M", "-o", measured.name, *command]
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=env)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > HARD_TIMEOUT:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        lines = measured.read().split()
    if timer and lines and lines[-1].isdigit():
        megabytes = int(lines[-1]) / 1024  # GNU time: kilobytes
    else:  # ru_maxrss of this child: kilobytes on Linux, bytes on macOS
        megabytes = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return child.returncode, seconds, megabytes, stdout, stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--seconds", type=float, default=5.0, help="time budget per case")
    parser.add_argument("--megabytes", type=float, default=500.0, help="memory budget per case")
    options = parser.parse_args(argv)
    harness = _harness()
    cases = [c for c in harness.load_cases() if not options.cases or c.name in options.cases]
    if not cases:
        print("no such case", file=sys.stderr)
        return 2
    rows = []
    failures = []
    with tempfile.TemporaryDirectory(prefix="toc-hostile-") as scratch:
        for case in cases:
            if case.skip_reason:
                rows.append((case.name, "skip", "", "", "", case.skip_reason))
                continue
            folder = harness.prepare(case, Path(scratch) / case.name)
            try:
                code, seconds, megabytes, stdout, stderr = run_child(case.args, folder)
            finally:
                harness.restore(folder)
            problems = []
            limit = min(options.seconds, TIGHTER.get(case.name, options.seconds))
            if seconds > limit:
                problems.append(f"time over {limit:g} s")
            if megabytes > options.megabytes:
                problems.append(f"memory over {options.megabytes:g} MB")
            if code != case.expect_exit:
                problems.append(f"exit {code}, expected {case.expect_exit}")
            if "Traceback" in stderr or "internal error" in stderr:
                problems.append("traceback")
            if case.expect_location not in stdout + stderr:
                problems.append(f"{case.expect_location!r} not in output")
            status = "FAIL" if problems else "ok"
            rows.append(
                (
                    case.name,
                    status,
                    f"{seconds:.2f}",
                    f"{megabytes:.0f}",
                    str(code),
                    "; ".join(problems),
                )
            )
            if problems:
                failures.append(case.name)
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  status  time (s)  peak (MB)  exit  notes")
    for name, status, seconds, megabytes, code, notes in rows:
        print(f"{name:<{width}}  {status:<6}  {seconds:>8}  {megabytes:>9}  {code:>4}  {notes}")
    measured = [r for r in rows if r[2]]
    if measured:
        slowest = max(measured, key=lambda r: float(r[2]))
        largest = max(measured, key=lambda r: float(r[3]))
        print(
            f"\n{len(measured)} cases run, {len(rows) - len(measured)} skipped; "
            f"max time {slowest[2]} s ({slowest[0]}), max memory {largest[3]} MB ({largest[0]}); "
            f"budget {options.seconds:g} s, {options.megabytes:g} MB per case"
        )
    if failures:
        print(f"{len(failures)} case(s) broke the budget or the contract: {', '.join(failures)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
