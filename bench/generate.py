"""Synthetic programmes for the benchmarks (issues #2 and #6).

    python bench/generate.py N OUT_DIR [--csv-rows ROWS] [--no-plant]

writes OUT_DIR/programme.yaml with N results (levels activity/output/outcome/impact,
links with rationale and assumptions, 2 indicators per result with unit, direction,
baseline and targets, one evidence item per result with claims) and prints a JSON line
with the file's path, size and the planted error's line.

Without --csv-rows every indicator has 8 inline observations written as flow mappings
(`{period: 2012-Q1, value: 3, site: s12}`). With --csv-rows the YAML has no inline
observations and ROWS observation rows go to OUT_DIR/data/observations.csv instead,
spread evenly over the indicators.

Exactly ONE dangling reference is planted: one link's `to:` names a result that does not
exist. The benchmark checks that the engine reports TOC201 at exactly that line.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

LEVELS = ("activity", "output", "outcome", "impact")
QUARTERS = [f"{y}-Q{q}" for y in (2011, 2012, 2013) for q in (1, 2, 3, 4)]
MONTHS = [f"{y}-{m:02d}" for y in (2010, 2011, 2012, 2013) for m in range(1, 13)]
PLANTED_TARGET = "no-such-result-planted"


def _level_of(index: int, n: int) -> int:
    """40% activities, 30% outputs, 20% outcomes, 10% impacts (in file order)."""
    share = index / n
    if share < 0.4:
        return 0
    if share < 0.7:
        return 1
    if share < 0.9:
        return 2
    return 3


def generate(
    n: int,
    out_dir: Path,
    csv_rows: int = 0,
    plant: bool = True,
    seed: int = 1,
    name: str = "programme.yaml",
    write_csv: bool = True,
) -> dict:
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    n_sites = max(10, n // 10)
    n_assumptions = max(5, n // 20)
    levels = [_level_of(i, n) for i in range(n)]
    by_level: list[list[int]] = [[] for _ in LEVELS]
    for i, level in enumerate(levels):
        by_level[level].append(i)
    plant_at = n // 2 if plant else -1  # this result's first link is the planted error
    lines: list[str] = []
    add = lines.append
    add("# Synthetic programme for toc-engine benchmarks (bench/generate.py)")
    add("toc: 1")
    add("programme:")
    add(f"  id: bench-{n}")
    add(f"  title: Synthetic national programme with {n} results")
    add("  country: BD")
    add("  period: {start: 2010-01-01, end: 2013-12-31}")
    add("  assessed_at: 2013-12-31")
    add("  organisations:")
    add("    - {id: lead-org, name: Lead organisation, role: lead}")
    add("    - {id: partner-org, name: Partner organisation, role: partner}")
    add("levels: [activity, output, outcome, impact]")
    add("sites:")
    for s in range(n_sites):
        add(f"  - {{id: s{s}, name: Site {s}, district: District {s % 64}}}")
    add("assumptions:")
    for a in range(n_assumptions):
        add(f"  - id: a{a}")
        add(f"    statement: Partners in cluster {a} stay engaged for the whole period")
        add(f"    status: {('holds', 'at_risk', 'unknown')[a % 3]}")
    add("results:")
    planted_line = 0
    indicator_ids: list[str] = []
    for i in range(n):
        level = levels[i]
        add(f"  - id: r{i}")
        add(f"    level: {LEVELS[level]}")
        add(f"    statement: Result {i} at the {LEVELS[level]} level improves safety in cluster "
            f"{i % 97}")
        if level < 3:
            higher = by_level[level + 1]
            targets = sorted({higher[rng.randrange(len(higher))] for _ in range(2)})
            add("    contributes_to:")
            for k, t in enumerate(targets):
                if i == plant_at and k == 0:
                    add(f"      - to: {PLANTED_TARGET}")
                    planted_line = len(lines)
                else:
                    add(f"      - to: r{t}")
                add(f"        rationale: Result {i} removes a barrier that result {t} depends on")
                add(f"        assumptions: [a{(i + k) % n_assumptions}]")
        add("    indicators:")
        for j in range(2):
            ind = f"r{i}-i{j}"
            indicator_ids.append(ind)
            percent = j == 1
            add(f"      - id: {ind}")
            add(f"        name: Indicator {j} of result {i}")
            if percent:
                add("        measure: percentage")
                add("        unit: percent")
            else:
                add("        unit: household")
            add("        direction: increase")
            add("        chosen_by: community")
            add("        method: survey" if percent else "        method: administrative")
            add(f"        source: Cluster {i % 97} monitoring register")
            base = rng.randint(10, 40)
            add(f"        baseline: {{period: 2010, value: {base}}}")
            add("        targets:")
            add(f"          - {{period: 2012, value: {base + 20}}}")
            add(f"          - {{period: 2013, value: {base + 30}}}")
            if not csv_rows:
                add("        observations:")
                for o in range(8):
                    period = QUARTERS[4 + o]
                    value = base + 2 * o + rng.randint(0, 3)
                    site = (i * 7 + o) % n_sites
                    add(f"          - {{period: {period}, value: {value}, site: s{site}}}")
    add("evidence:")
    for i in range(n):
        add(f"  - id: ev{i}")
        add("    kind: focus_group")
        add(f"    date: {2011 + i % 3}-{1 + i % 12:02d}")
        add(f"    site: s{i % n_sites}")
        add("    collected_by: partner-org")
        add("    quality: {methodology: minor, coherence: none, adequacy: none, relevance: none}")
        add(f"    summary: Participants in cluster {i % 97} described the change in result {i}")
        add("    claims:")
        add(f"      - about: r{i}")
        add("        finding: supports")
        add("        test: straw_in_the_wind")
    csv_path = None
    if csv_rows:
        add("data:")
        add("  - data/observations.csv")
        csv_path = out_dir / "data" / "observations.csv"
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        if write_csv or not csv_path.exists():
            _write_csv(csv_path, indicator_ids, csv_rows, n_sites)
    text = "\n".join(lines) + "\n"
    path = out_dir / name
    path.write_text(text, encoding="utf-8")
    info = {
        "path": str(path),
        "results": n,
        "bytes": len(text.encode()),
        "planted_line": planted_line,
        "planted_code": "TOC201" if plant else None,
    }
    if csv_path is not None:
        info["csv"] = str(csv_path)
        info["csv_rows"] = csv_rows
        info["csv_bytes"] = csv_path.stat().st_size
    return info


def _write_csv(path: Path, indicators: list[str], rows: int, n_sites: int) -> None:
    per = max(1, rows // len(indicators))
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("indicator,period,value,site\n")
        written = 0
        buf: list[str] = []
        k = 0
        while written < rows:
            ind = indicators[k % len(indicators)]
            count = min(per, rows - written)
            # an indicator met again (more rows than indicators × per) goes on where its
            # first rows stopped: one row per indicator, period and site, never a duplicate
            first = (k // len(indicators)) * per
            for o in range(first, first + count):
                period = MONTHS[o % 48]
                site = (k * 13 + o // 48) % n_sites
                buf.append(f"{ind},{period},{10 + (o * 7 + k) % 90},s{site}\n")
            written += count
            k += 1
            if len(buf) > 100_000:
                handle.write("".join(buf))
                buf.clear()
        handle.write("".join(buf))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--csv-rows", type=int, default=0)
    parser.add_argument("--no-plant", action="store_true")
    args = parser.parse_args()
    print(json.dumps(generate(args.results, args.out_dir, args.csv_rows, not args.no_plant)))


if __name__ == "__main__":
    main()
