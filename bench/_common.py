"""Shared helpers for the benchmarks: timed child processes with their own peak memory."""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
PYTHON = sys.executable


@dataclass
class Run:
    wall: float  # seconds, measured by the parent around the whole child process
    maxrss_mb: float  # the child's peak resident memory (ru_maxrss), in MiB
    returncode: int
    stdout: str
    stderr: str
    cpu: float = 0.0  # the child's own processor time (user + system), in seconds


MAX_OUTPUT = 4 * 1024 * 1024


GNU_TIME = Path("/usr/bin/time")


def run(argv: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> Run:
    """Run a child process; return its wall time, ITS OWN peak memory and its processor
    time.

    The targets are judged on wall time. Processor time is reported beside it because
    on the shared 2-core machines the wall time of the same run varies by 10-40% from
    one minute to the next (other tenants), and a ratio of processor times varies less.

    Peak memory: Linux carries a process's peak resident size across fork and exec, so
    a child's own ru_maxrss is never below that of the process that forked it (this
    harness, ~25-50 MB as it goes; once, after it had read a 73 MB score, 348 MB for every
    child). Every small child (the CSV floor above all, ~10 MB) looked that large, which
    shrank the engine's memory ratios. So the child is started through GNU time, itself
    a small process, which reports the peak of the program it starts (`%M`); without
    /usr/bin/time, ru_maxrss from os.wait4 is used, and small children read too large.
    Only the first MAX_OUTPUT bytes of a child's output are read back.
    """
    with (tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err,
          tempfile.NamedTemporaryFile("r", suffix=".time") as peak):
        timed = [str(GNU_TIME), "-f", "%M", "-o", peak.name, *argv] if GNU_TIME.exists() \
            else argv
        start = time.perf_counter()
        proc = subprocess.Popen(timed, cwd=cwd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        maxrss_kib = float(usage.ru_maxrss)  # Linux reports KiB
        if timed is not argv:
            reported = peak.read().split()
            if reported and reported[-1].isdigit():
                maxrss_kib = float(reported[-1])
        return Run(
            wall,
            maxrss_kib / 1024,
            proc.returncode,
            out.read(MAX_OUTPUT).decode("utf-8", "replace"),
            err.read(MAX_OUTPUT).decode("utf-8", "replace"),
            usage.ru_utime + usage.ru_stime,  # the child's own, and GNU time's (~ms)
        )


VALGRIND = shutil.which("valgrind")
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def instructions(argv: list[str], cwd: Path = ROOT) -> int | None:
    """The instructions a child process executes, counted by valgrind's cachegrind
    (`--cache-sim=no`: counting only), or None without valgrind or if it failed.

    Unlike seconds, the count does not depend on what else the machine is doing: the
    same program on the same input executes the same instructions (to a few parts in
    a million; string hashing is fixed with PYTHONHASHSEED=0). A ratio of two such
    counts is a ratio of work done, which wall time on a shared machine blurs by
    10-40%. It is not a ratio of seconds: an instruction that waits on memory costs more
    than one that does not. Under cachegrind a program runs ~20x slower.
    """
    if VALGRIND is None:
        return None
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryFile() as err:
        subprocess.run(
            [VALGRIND, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
             *argv],
            cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err, check=False,
        )
        err.seek(0)
        found = _REFS.findall(err.read().decode("utf-8", "replace"))
    if not found:  # valgrind itself failed (an exit code of 1 is the program's findings)
        return None
    return int(found[-1].replace(",", ""))


def ensure_bytecode() -> None:
    """Compile the engine's modules to bytecode before anything is timed.

    A pip-installed package comes with its bytecode, as PyYAML and the `csv` module of
    the floors do. The checkout does not, and where PYTHONDONTWRITEBYTECODE is set (it is
    on the shared benchmark machines) Python never caches it: every `toc` child then
    compiled the engine's ~75 modules again, ~0.1 s per process that an installed engine
    does not spend. Importing still reads only what is compiled here.
    """
    import compileall

    if not compileall.compile_dir(str(ROOT / "toc_engine"), quiet=1):
        raise SystemExit("bench: the engine's modules do not compile")


def inner_time(result: Run) -> float:
    """The child's own measurement, printed as the last line `TIME <seconds>`."""
    for line in reversed(result.stdout.splitlines()):
        if line.startswith("TIME "):
            return float(line.split()[1])
    raise RuntimeError(f"child printed no TIME line:\n{result.stdout[-2000:]}\n{result.stderr}")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --- child programs --------------------------------------------------------------------------

# The floor: PyYAML's C loader on the same text, the collector off during the load.
FLOOR_YAML = """
import gc, sys, time
import yaml
text = open(sys.argv[1], encoding="utf-8").read()
t = time.perf_counter()
gc.disable()
data = yaml.load(text, Loader=yaml.CSafeLoader)
gc.enable()
print("TIME", time.perf_counter() - t)
"""

# The CSV floor: Python's csv module merely reading the file.
FLOOR_CSV = """
import csv, sys, time
t = time.perf_counter()
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for row in csv.reader(f):
        pass
print("TIME", time.perf_counter() - t)
"""

# In-process engine: load + validate (the library call `toc validate` makes), timed inside,
# the collector off during the call as for the floor (and as the `toc` process does).
ENGINE_INPROC = """
import gc, sys, time
from toc_engine import validate
t = time.perf_counter()
gc.disable()
report = validate(sys.argv[1], max_bytes=1000 * 1024 * 1024)
gc.enable()
elapsed = time.perf_counter() - t
found = [(d.code, d.span.line) for d in report.diagnostics if d.code == "TOC201"]
print("FOUND", found)
print("TIME", elapsed)
"""


def floor_yaml(path: Path) -> Run:
    return run([PYTHON, "-c", FLOOR_YAML, str(path)])


def floor_csv(path: Path) -> Run:
    return run([PYTHON, "-c", FLOOR_CSV, str(path)])


def engine_cli(command: str, path: Path, *extra: str) -> Run:
    return run(
        [PYTHON, "-m", "toc_engine", command, str(path), "--format", "json",
         "--max-size", "1000", *extra]
    )


def engine_inproc(path: Path) -> Run:
    return run([PYTHON, "-c", ENGINE_INPROC, str(path)])


def planted_found(cli: Run, line: int) -> bool:
    """Whether the JSON report holds TOC201 at exactly the planted line."""
    try:
        report = json.loads(cli.stdout)
    except json.JSONDecodeError:
        return False
    return any(d["code"] == "TOC201" and d["line"] == line for d in report["diagnostics"])


def write_results(name: str, payload: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path


def generate_in_child(n: int, folder: Path, rows: int = 0, **options: object) -> dict:
    """`generate(...)` in a child process, so this process stays small.

    A child's peak memory (ru_maxrss) starts from the peak of the process it was forked
    from (see `run`): generating 5,000,000 rows here would inflate every later child's.
    """
    code = (
        "import json, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        "from generate import generate;"
        "print(json.dumps(generate(int(sys.argv[2]), Path(sys.argv[3]), "
        "csv_rows=int(sys.argv[4]), **json.loads(sys.argv[5]))))"
    )
    done = run([PYTHON, "-c", code, str(BENCH), str(n), str(folder),
                str(rows), json.dumps(options)])
    if done.returncode != 0:
        raise RuntimeError(f"generate failed: {done.stderr[-400:]}")
    return dict(json.loads(done.stdout))
