"""Issue #6: national scale, observations in CSV `data:` files.

    .venv/bin/python bench/bench_scale.py [--full] [--reps 3] [--sizes 1000,10000,20000]

For each number of results (default 1,000 / 10,000 / 20,000) a programme is generated whose
observations sit in one CSV file of 500,000 rows (with --full also 5,000,000 rows, which
takes long on a 2-core machine). Within each repetition, interleaved:

- floor YAML: PyYAML's C loader on the programme file, the collector off during the load;
- floor CSV: Python's `csv` module merely reading the CSV (`for row in csv.reader(f): pass`);
- `python -m toc_engine validate FILE --format json` on the programme with one planted
  dangling reference (TOC201 must be reported at its exact line);
- `python -m toc_engine score FILE --format json` on the same programme without the planted
  error (score refuses a programme with errors), the measure the targets are judged on;
  and `python -m toc_engine score FILE` (the text summary, the default), reported beside it;
- once per size (it is slow, and has no target): `python -m toc_engine report FILE -o
  bench/out/report-N-ROWS.html` (default chart cap: 250 indicator charts).

Reported per size: wall time (median, of the whole child process) and peak memory (ru_maxrss
of that child, from os.wait4); processor time too, with the same budget worked out from
the floors' processor time, since wall time on a shared machine drifts with other tenants.
Targets: score <= 1.8 x floor YAML + 4 x floor CSV; growth with size no worse than the
floors' own growth; peak memory <= 3 x the floors' (the sum of the two floor processes'
peaks). Results: bench/out/scale.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    FLOOR_CSV,
    FLOOR_YAML,
    OUT,
    PYTHON,
    engine_cli,
    ensure_bytecode,
    floor_csv,
    floor_yaml,
    generate_in_child,
    instructions,
    median,
    planted_found,
    run,
    write_results,
)

TIME_YAML, TIME_CSV, MEMORY = 1.8, 4.0, 3.0


def bench_report(path: Path, n: int, rows: int) -> dict:
    """`toc report` to HTML, once: wall time, peak memory and the page's size."""
    page = OUT / f"report-{n}-{rows}.html"
    r = run([PYTHON, "-m", "toc_engine", "report", str(path), "-o", str(page),
             "--max-size", "1000"])
    if r.returncode != 0:
        return {"report_measured": False, "report_error": (r.stderr or r.stdout)[-400:]}
    return {"report_measured": True, "report_s": r.wall, "report_maxrss_mb": r.maxrss_mb,
            "report_bytes": page.stat().st_size}


def count_instructions(row: dict, planted: Path, clean: Path, csv_file: Path) -> None:
    """`--instructions` (not judged): the floors and `toc score --format json` counted
    once each under valgrind (`_common.instructions`), and the score against the same
    budget in instructions. Other tenants change seconds, not these counts; but an
    instruction of PyYAML's C parser does more than one of the interpreter's, so this
    budget is a different yardstick from the wall-time one, not a second reading of it."""
    floor_yaml = instructions([PYTHON, "-c", FLOOR_YAML, str(planted)])
    floor_csv = instructions([PYTHON, "-c", FLOOR_CSV, str(csv_file)])
    score = instructions([PYTHON, "-m", "toc_engine", "score", str(clean), "--format", "json",
                          "--max-size", "1000"])
    counted: dict[str, float | None] = {"floor_yaml": floor_yaml, "floor_csv": floor_csv,
                                        "score": score}
    if floor_yaml and floor_csv and score:
        budget = TIME_YAML * floor_yaml + TIME_CSV * floor_csv
        counted["budget"] = budget
        counted["score_vs_budget"] = score / budget
    row["instructions"] = counted


def bench_one(n: int, rows: int, reps: int, score: bool, report: bool = True,
              count: bool = False) -> dict:
    folder = OUT / "gen" / f"scale-{n}-{rows}"
    csv_file = folder / "data" / "observations.csv"
    fresh = not (csv_file.exists() and (folder / "programme.yaml").exists())
    info = generate_in_child(n, folder, rows, write_csv=fresh)
    clean = generate_in_child(n, folder, rows, plant=False, name="clean.yaml", write_csv=False)
    planted, clean_path = Path(info["path"]), Path(clean["path"])
    samples: dict[str, list[float]] = {k: [] for k in ("floor_yaml", "floor_csv", "validate",
                                                       "score", "score_text")}
    rss: dict[str, list[float]] = {k: [] for k in samples}
    cpu: dict[str, list[float]] = {k: [] for k in samples}  # processor time, beside wall
    located, score_ok, score_error = True, score, ""
    for _ in range(reps):
        fy = floor_yaml(planted)
        fc = floor_csv(csv_file)
        v = engine_cli("validate", planted)
        located = located and planted_found(v, info["planted_line"])
        for key, r in (("floor_yaml", fy), ("floor_csv", fc), ("validate", v)):
            samples[key].append(r.wall)
            rss[key].append(r.maxrss_mb)
            cpu[key].append(r.cpu)
        if score_ok:
            s = engine_cli("score", clean_path)
            if s.returncode != 0:
                score_ok = False
                score_error = (s.stderr or s.stdout)[-400:]
            else:
                samples["score"].append(s.wall)
                rss["score"].append(s.maxrss_mb)
                cpu["score"].append(s.cpu)
                t = run([PYTHON, "-m", "toc_engine", "score", str(clean_path),
                         "--max-size", "1000"])
                if t.returncode == 0:
                    samples["score_text"].append(t.wall)
                    rss["score_text"].append(t.maxrss_mb)
                    cpu["score_text"].append(t.cpu)
    row = {
        "results": n,
        "csv_rows": rows,
        "yaml_bytes": info["bytes"],
        "csv_bytes": info["csv_bytes"],
        "located": located,
        "score_measured": score_ok,
        "score_error": score_error,
    }
    for key in samples:
        if samples[key]:
            row[f"{key}_s"] = median(samples[key])
            row[f"{key}_maxrss_mb"] = median(rss[key])
            row[f"{key}_cpu_s"] = median(cpu[key])
    budget = TIME_YAML * row["floor_yaml_s"] + TIME_CSV * row["floor_csv_s"]
    floor_rss = row["floor_yaml_maxrss_mb"] + row["floor_csv_maxrss_mb"]
    row["time_budget_s"] = budget
    row["floor_maxrss_mb"] = floor_rss
    row["validate_vs_budget"] = row["validate_s"] / budget
    row["validate_memory_ratio"] = row["validate_maxrss_mb"] / floor_rss
    if score_ok:
        row["score_vs_budget"] = row["score_s"] / budget
        row["score_memory_ratio"] = row["score_maxrss_mb"] / floor_rss
    if "score_text_s" in row:
        row["score_text_vs_budget"] = row["score_text_s"] / budget
        row["score_text_memory_ratio"] = row["score_text_maxrss_mb"] / floor_rss
    # The same budget in processor time (beside the wall-time targets, not instead of them).
    cpu_budget = TIME_YAML * row["floor_yaml_cpu_s"] + TIME_CSV * row["floor_csv_cpu_s"]
    row["cpu_budget_s"] = cpu_budget
    for key in ("validate", "score", "score_text"):
        if f"{key}_cpu_s" in row:
            row[f"{key}_cpu_vs_budget"] = row[f"{key}_cpu_s"] / cpu_budget
    row["samples"] = samples
    row["cpu_samples"] = cpu
    if report:
        row.update(bench_report(clean_path, n, rows))
    if count:
        count_instructions(row, planted, clean_path, csv_file)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,20000")
    parser.add_argument("--rows", default="500000")
    parser.add_argument("--full", action="store_true", help="also 5,000,000 CSV rows (slow)")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-score", action="store_true")
    parser.add_argument("--no-report", action="store_true", help="skip `toc report` (slow)")
    parser.add_argument(
        "--instructions", action="store_true",
        help="also count the instructions of the floors and of score --format json under "
        "valgrind, once per size (~20x their run time; not judged)",
    )
    args = parser.parse_args()
    ensure_bytecode()  # time the engine as installed: with its bytecode
    sizes = [int(s) for s in args.sizes.split(",") if s]
    row_counts = [int(r) for r in args.rows.split(",") if r]
    if args.full and 5_000_000 not in row_counts:
        row_counts.append(5_000_000)
    table = []
    for rows in row_counts:
        for n in sizes:
            reps = args.reps if rows <= 500_000 else max(1, args.reps // 2)
            print(f"... {n} results, {rows} CSV rows ({reps} reps)", file=sys.stderr, flush=True)
            table.append(bench_one(n, rows, reps, not args.no_score, not args.no_report,
                                   args.instructions))
    # growth relative to the smallest size with the same number of CSV rows
    ok = True
    for row in table:
        first = next(r for r in table if r["csv_rows"] == row["csv_rows"])
        floor_now = row["floor_yaml_s"] + row["floor_csv_s"]
        floor_then = first["floor_yaml_s"] + first["floor_csv_s"]
        row["floor_growth"] = floor_now / floor_then
        key = "score_s" if row["score_measured"] else "validate_s"
        row["engine_growth"] = row[key] / first[key]
        checks = [row["located"], row["validate_vs_budget"] <= 1.0,
                  row["validate_memory_ratio"] <= MEMORY,
                  row["engine_growth"] <= row["floor_growth"] * 1.1]
        if row["score_measured"]:
            checks += [row["score_vs_budget"] <= 1.0, row["score_memory_ratio"] <= MEMORY]
        row["targets_met"] = all(checks)
        ok = ok and row["targets_met"]
    out = write_results("scale.json", {"python": sys.version.split()[0], "rows": table})
    print(f"\n{'results':>7} {'rows':>9} | {'floorY s':>8} {'floorC s':>8} {'budget':>7} |"
          f" {'validate':>8} {'x bud':>5} {'score':>7} {'x bud':>5} |"
          f" {'MB flY+C':>8} {'MB val':>7} {'MB score':>8} | growth fl/eng  ok")
    for r in table:
        score_s = f"{r['score_s']:>7.2f} {r['score_vs_budget']:>5.2f}" if r["score_measured"] \
            else f"{'n/a':>7} {'':>5}"
        score_mb = f"{r['score_maxrss_mb']:>8.0f}" if r["score_measured"] else f"{'n/a':>8}"
        print(
            f"{r['results']:>7} {r['csv_rows']:>9} | {r['floor_yaml_s']:>8.2f}"
            f" {r['floor_csv_s']:>8.2f} {r['time_budget_s']:>7.2f} | {r['validate_s']:>8.2f}"
            f" {r['validate_vs_budget']:>5.2f} {score_s} | {r['floor_maxrss_mb']:>8.0f}"
            f" {r['validate_maxrss_mb']:>7.0f} {score_mb} |"
            f" {r['floor_growth']:>5.2f}/{r['engine_growth']:<5.2f}"
            f" {'yes' if r['targets_met'] else 'NO'}{'' if r['located'] else ' (WRONG LINE)'}"
        )
        if "score_text_s" in r:
            print(f"        score as text: {r['score_text_s']:.2f} s "
                  f"({r['score_text_vs_budget']:.2f} x budget), {r['score_text_maxrss_mb']:.0f} MB "
                  f"({r['score_text_memory_ratio']:.1f}x the floors)")
        shown = [f"{name} {r[key + '_cpu_vs_budget']:.2f}" for key, name in
                 (("validate", "validate"), ("score", "score"), ("score_text", "text"))
                 if key + "_cpu_vs_budget" in r]
        print(f"        processor time x its budget ({r['cpu_budget_s']:.2f} s): "
              + ", ".join(shown))
        counted = r.get("instructions")
        if counted and counted.get("score_vs_budget"):
            print(f"        instructions: score {counted['score'] / 1e9:.2f} G against a budget "
                  f"of {counted['budget'] / 1e9:.2f} G (floors {counted['floor_yaml'] / 1e9:.2f}"
                  f" + {counted['floor_csv'] / 1e9:.2f} G): {counted['score_vs_budget']:.2f}")
        elif counted is not None:
            print("        instructions: not counted (valgrind missing or failed)")
        if r.get("report_measured"):
            print(f"        report: {r['report_s']:.1f} s, {r['report_maxrss_mb']:.0f} MB, "
                  f"{r['report_bytes'] / 1e6:.1f} MB of HTML")
        elif r.get("report_error"):
            print(f"        report failed: {r['report_error'].strip().splitlines()[-1]}")
        if not r["score_measured"] and r["score_error"]:
            print(f"        score did not run: {r['score_error'].strip().splitlines()[-1]}")
    print(f"\nwrote {out}")
    print(json.dumps({"ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
