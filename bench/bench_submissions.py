"""Raw submissions exports (issue #21): reading 100,000 KoboToolbox submissions through
`data:` against a bare `csv` read of the same file.

The floor is `for row in csv.reader(f): pass` over the export; the engine is
`toc_engine.load(programme)`, which reads the export and derives every observation
(two indicators: a percentage and a mean, by period, site, sex and age group). Both are
timed inside their own child process, after imports, interleaved, medians of the
repetitions, in processor time (the process's own: on the shared machines wall time
swings with the other tenants' load). The engine is timed twice: as the `toc` command
loads (the garbage collector waiting, `cli.process.building`) and as a library call
with the collector on.
**Target: engine (as `toc` loads) ≤ 4 × the floor.** Prints a JSON summary; `"ok":
true` when the target is met.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

from _common import PYTHON, run

SITES = 200

PROGRAMME = """\
toc: 1
programme:
  id: bench
  title: Submissions benchmark
  period: {start: 2012-01-01, end: 2013-12-31}
sites:
SITES
forms:
  - id: survey
    site_question: village
    dimensions: {sex: respondent_sex, age_group: age_band}
    period: quarter
    choices:
      yes_no_dk:
        - {name: "yes", label: "Yes"}
        - {name: "no", label: "No"}
        - {name: dk, label: Don't know}
results:
  - id: feel-safer
    level: outcome
    statement: People feel safer
    indicators:
      - id: feel-safe
        name: Residents who feel safe after dark
        measure: percentage
        direction: increase
        chosen_by: community
        method: survey
        source: Survey
        disaggregate_by: [sex, age_group]
        baseline: {period: 2011, value: 40, sample_size: 150}
        targets: [{period: 2013, value: 60}]
        collect: {form: survey, question: safe_after_dark, type: select_one yes_no_dk,
                  counts_as: ["yes"], excludes: [dk]}
      - id: household-size
        name: Mean household size
        unit: person
        direction: maintain
        chosen_by: partner
        method: survey
        source: Survey
        disaggregate_by: [sex]
        baseline: {period: 2011, value: 5}
        targets: [{period: 2013, value: 5}]
        collect: {form: survey, question: household_size, type: integer, combine: mean}
data:
  - {file: data/export.csv, form: survey}
"""

FLOOR = """
import csv, sys, time
t = time.process_time()
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for row in csv.reader(f, delimiter=";"):
        pass
print(time.process_time() - t)
"""

ENGINE = """
import sys, time
import toc_engine
from toc_engine.cli.process import building
from toc_engine.schema import programme, submissions  # imports are not reading
t = time.process_time()
if sys.argv[2] == "toc":
    with building():  # as the `toc` command loads: the collector waits
        loaded = toc_engine.load(sys.argv[1])
else:
    loaded = toc_engine.load(sys.argv[1])
elapsed = time.process_time() - t
assert not loaded.diagnostics, loaded.diagnostics[:3]
print(elapsed)
"""


def generate(folder: Path, rows: int) -> Path:
    rng = random.Random(21)
    sites = "\n".join(f"  - {{id: v{n:03d}, name: Village {n}}}" for n in range(SITES))
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "programme.yaml").write_text(PROGRAMME.replace("SITES", sites), encoding="utf-8")
    header = ["start", "end", "today", "village", "respondent/respondent_sex",
              "respondent/age_band", "respondent/household_size", "safety/safe_after_dark",
              "_id", "_uuid", "_submission_time", "_index"]
    with open(folder / "data/export.csv", "w", encoding="utf-8-sig") as out:
        out.write(";".join(header) + "\n")
        for n in range(rows):
            day = f"2012-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            village = f"Village {rng.randrange(SITES)}" if n % 3 else f"v{rng.randrange(SITES):03d}"
            out.write(";".join([
                f"{day}T09:00:00.000+05:45", f"{day}T09:10:00.000+05:45", day, village,
                rng.choice(("female", "male")), rng.choice(("a15_24", "a25_plus")),
                str(rng.randrange(1, 12)), rng.choice(("yes", "yes", "no", "dk")),
                str(n), f"{rng.getrandbits(64):016x}-{n}", f"{day}T10:00:00", str(n + 1),
            ]) + "\n")
    return folder / "programme.yaml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        programme = generate(Path(tmp), args.rows)
        export = programme.parent / "data/export.csv"
        floors: list[float] = []
        engines: dict[str, list[float]] = {"toc": [], "library": []}
        for _ in range(args.reps):
            floor = run([PYTHON, "-c", FLOOR, str(export)])
            if floor.returncode:
                sys.stderr.write(floor.stderr)
                return 1
            floors.append(float(floor.stdout))
            for how, times in engines.items():
                engine = run([PYTHON, "-c", ENGINE, str(programme), how])
                if engine.returncode:
                    sys.stderr.write(engine.stderr)
                    return 1
                times.append(float(engine.stdout))
        floor_s = statistics.median(floors)
        toc_s, library_s = (statistics.median(engines[h]) for h in ("toc", "library"))
        summary = {"rows": args.rows, "floor_csv_s": round(floor_s, 3),
                   "toc_s": round(toc_s, 3), "toc_ratio": round(toc_s / floor_s, 2),
                   "library_s": round(library_s, 3),
                   "library_ratio": round(library_s / floor_s, 2),
                   "target": 4.0, "ok": toc_s <= 4 * floor_s}
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
