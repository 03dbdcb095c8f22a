"""`toc portfolio` over many programmes of the examples' size (issue #24).

    .venv/bin/python bench/bench_portfolio.py            # 100 and 1,000 programmes
    .venv/bin/python bench/bench_portfolio.py --sizes 1000

The portfolio is the three country examples (with their CSV data) copied N/3 times
each, every copy with its own programme id. For each size, three whole `toc portfolio`
processes (JSON to a file, cache in a fresh folder):

1. cold: every programme scored (worker processes, one per core);
2. warm: nothing changed, every programme from the cache;
3. one changed: one programme's file edited; the run must rescore exactly one (the
   "scored" column counts the outcomes the run added to the cache).

Reported: wall and processor time, and the peak resident memory of the largest single
process (the parent or one worker: GNU time's %M), which must not grow with N.
Target (the issue): 1,000 programmes in about two minutes on the shared 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PYTHON, ROOT, run

EXAMPLES = ("kosovo", "nepal", "bangladesh")


def build(root: Path, count: int) -> list[Path]:
    folders = []
    for index in range(count):
        country = EXAMPLES[index % len(EXAMPLES)]
        source = ROOT / "examples" / country
        target = root / f"{country}-{index:05d}"
        shutil.copytree(source, target)
        programme = target / "programme.yaml"
        text = programme.read_text(encoding="utf-8")
        old = next(line for line in text.splitlines() if line.startswith("  id: "))
        programme.write_text(text.replace(old, f"{old}-{index:05d}", 1), encoding="utf-8")
        folders.append(target)
    return folders


def portfolio(root: Path, cache: Path, out: Path) -> tuple[float, float, float, int]:
    argv = [PYTHON, "-m", "toc_engine", "portfolio", str(root), "--format", "json",
            "-o", str(out), "--cache", str(cache)]
    result = run(argv)
    if result.returncode != 0:
        raise SystemExit(f"toc portfolio exited {result.returncode}: {result.stderr[-2000:]}")
    contexts = len(json.loads(out.read_text(encoding="utf-8"))["contexts"])
    return result.wall, result.cpu, result.maxrss_mb, contexts


def entries(cache: Path) -> int:
    """Outcomes in the cache: a run that scores a programme adds one (hits add none)."""
    with sqlite3.connect(cache / "portfolio.sqlite3") as db:
        return int(db.execute("SELECT count(*) FROM outcomes").fetchone()[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args(argv)
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()}")
    print(f"{'programmes':>10} {'run':>12} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}"
          f" {'scored':>8}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="toc-portfolio-bench-") as tmp:
            base = Path(tmp)
            folders = build(base / "programmes", size)
            cache, out = base / "cache", base / "portfolio.json"
            before = 0
            for label in ("cold", "warm", "one changed"):
                if label == "one changed":
                    changed = folders[size // 2] / "programme.yaml"
                    changed.write_text(changed.read_text(encoding="utf-8") + "\n# edited\n",
                                       encoding="utf-8")
                wall, cpu, peak, contexts = portfolio(base / "programmes", cache, out)
                assert contexts == size, (contexts, size)
                scored = entries(cache) - before if label != "cold" else size
                before = entries(cache)
                print(f"{size:>10} {label:>12} {wall:>8.1f} {cpu:>8.1f} {peak:>8.0f}"
                      f" {scored:>8}")
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
