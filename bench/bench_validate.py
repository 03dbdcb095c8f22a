"""Issue #2: how much slower than a bare C parse is `toc validate`?

    .venv/bin/python bench/bench_validate.py [--sizes 1000,10000] [--reps 5]

For each size, a synthetic programme (bench/generate.py, one planted dangling reference)
is measured, interleaved within each repetition so that load on the machine hits floor and
engine alike:

- floor (process): `python -c` reading the file and running
  `yaml.load(text, Loader=yaml.CSafeLoader)` with the collector disabled, wall time;
- engine (process): `python -m toc_engine validate FILE --format json`, wall time;
- floor (in-process): the yaml.load call alone, timed inside the floor process;
- engine (in-process): `toc_engine.validate(FILE)` (read + load + schema + every rule),
  timed inside its process after the imports.

Ratios are of medians. The planted error must be reported as TOC201 at its exact line.

Issue #3: on the same programme without the planted error (`score` refuses programmes
with errors), `python -m toc_engine score FILE` (text, the default; target <= 1.2x) and
`... score FILE --format json` against `python -m toc_engine validate FILE --format json`,
whole processes, interleaved in each repetition.
Also measured: `python -m toc_engine --help` start-up (floor: `python -c pass`) and
`toc validate` on each examples/*/programme.yaml. Results go to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    OUT,
    PYTHON,
    ROOT,
    engine_cli,
    engine_inproc,
    ensure_bytecode,
    floor_yaml,
    generate_in_child,
    inner_time,
    instructions,
    median,
    planted_found,
    run,
    write_results,
)

TARGET_RATIO = 1.5
TARGET_SCORE = 1.2
TARGET_STARTUP = 0.25


def bench_size(n: int, reps: int) -> dict:
    info = generate_in_child(n, OUT / "gen" / f"validate-{n}")
    path = Path(info["path"])
    line = info["planted_line"]
    clean = Path(generate_in_child(n, OUT / "gen" / f"validate-{n}", plant=False,
                                   name="clean.yaml")["path"])
    floor_p, engine_p, floor_i, engine_i = [], [], [], []
    validate_c, score_c, score_text_c = [], [], []
    validate_cpu, score_text_cpu = [], []
    scored = True
    located = True
    rss_floor, rss_engine = [], []
    for _ in range(reps):
        f = floor_yaml(path)
        e = engine_cli("validate", path)
        fi = inner_time(f)
        ei_run = engine_inproc(path)
        floor_p.append(f.wall)
        engine_p.append(e.wall)
        floor_i.append(fi)
        engine_i.append(inner_time(ei_run))
        rss_floor.append(f.maxrss_mb)
        rss_engine.append(e.maxrss_mb)
        v = engine_cli("validate", clean)
        sc = engine_cli("score", clean)
        st = run([PYTHON, "-m", "toc_engine", "score", str(clean), "--max-size", "1000"])
        validate_c.append(v.wall)
        score_c.append(sc.wall)
        score_text_c.append(st.wall)
        validate_cpu.append(v.cpu)
        score_text_cpu.append(st.cpu)
        scored = scored and v.returncode == 0 and sc.returncode == 0 and _is_score(sc.stdout)
        scored = scored and st.returncode == 0 and st.stdout.startswith("Synthetic")
        located = located and planted_found(e, line) and f"('TOC201', {line})" in ei_run.stdout
        if e.returncode != 1:
            print(f"  unexpected exit {e.returncode}: {e.stderr[-500:]}", file=sys.stderr)
            located = False
    row = {
        "results": n,
        "bytes": info["bytes"],
        "planted_line": line,
        "clean_path": str(clean),
        "located": located,
        "floor_process_s": median(floor_p),
        "engine_process_s": median(engine_p),
        "ratio_process": median(engine_p) / median(floor_p),
        "floor_inproc_s": median(floor_i),
        "engine_inproc_s": median(engine_i),
        "ratio_inproc": median(engine_i) / median(floor_i),
        "validate_clean_s": median(validate_c),
        "score_s": median(score_c),
        "ratio_score": median(score_c) / median(validate_c),
        "score_text_s": median(score_text_c),
        "ratio_score_text": median(score_text_c) / median(validate_c),
        # the same two commands' processor time (less disturbed by other tenants)
        "validate_clean_cpu_s": median(validate_cpu),
        "score_text_cpu_s": median(score_text_cpu),
        "ratio_score_text_cpu": median(score_text_cpu) / median(validate_cpu),
        "scored": scored,
        "floor_maxrss_mb": median(rss_floor),
        "engine_maxrss_mb": median(rss_engine),
        "samples": {
            "floor_process_s": floor_p,
            "engine_process_s": engine_p,
            "floor_inproc_s": floor_i,
            "engine_inproc_s": engine_i,
            "validate_clean_s": validate_c,
            "score_s": score_c,
            "score_text_s": score_text_c,
            "validate_clean_cpu_s": validate_cpu,
            "score_text_cpu_s": score_text_cpu,
        },
    }
    return row


def count_instructions(row: dict, clean: Path) -> None:
    """`--instructions`: #3's ratio as instructions executed, which the machine's other
    tenants do not change (`_common.instructions`). Counted once each: a count repeats."""
    common = [str(clean), "--max-size", "1000"]
    validate = instructions([PYTHON, "-m", "toc_engine", "validate", *common, "--format", "json"])
    score = instructions([PYTHON, "-m", "toc_engine", "score", *common])
    row["instructions"] = {"validate": validate, "score_text": score}
    if validate and score:
        row["instructions"]["ratio_score_text"] = score / validate


def _is_score(text: str) -> bool:
    """The start of a score's JSON (only the first MB of the output is read back)."""
    return text.startswith("{") and '"results": [' in text


def bench_startup(reps: int) -> dict:
    floor, help_ = [], []
    for _ in range(reps):
        floor.append(run([PYTHON, "-c", "pass"]).wall)
        help_.append(run([PYTHON, "-m", "toc_engine", "--help"]).wall)
    return {
        "python_pass_s": median(floor),
        "toc_help_s": median(help_),
        "target_s": TARGET_STARTUP,
        "samples": {"python_pass_s": floor, "toc_help_s": help_},
    }


def bench_examples(reps: int) -> list[dict]:
    rows = []
    for path in sorted((ROOT / "examples").glob("*/programme.yaml")):
        walls, codes = [], set()
        for _ in range(reps):
            r = run([PYTHON, "-m", "toc_engine", "validate", str(path), "--format", "json"])
            walls.append(r.wall)
            codes.add(r.returncode)
        rows.append(
            {
                "example": path.parent.name,
                "validate_s": median(walls),
                "exit_codes": sorted(codes),
                "samples": walls,
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--skip-extras", action="store_true", help="sizes only")
    parser.add_argument(
        "--instructions", action="store_true",
        help="also count the instructions of validate and score (#3) under valgrind, a "
        "ratio the machine's load does not change (~20x slower: ~7 min at 10,000 results)",
    )
    args = parser.parse_args()
    ensure_bytecode()  # time the engine as installed: with its bytecode
    sizes = [int(s) for s in args.sizes.split(",") if s]
    payload: dict = {"python": sys.version.split()[0], "sizes": []}
    for n in sizes:
        row = bench_size(n, args.reps)
        if args.instructions:
            count_instructions(row, Path(row["clean_path"]))
        payload["sizes"].append(row)
    if not args.skip_extras:
        payload["startup"] = bench_startup(max(args.reps, 7))
        payload["examples"] = bench_examples(args.reps)
    out = write_results("results.json", payload)

    print(f"\n{'results':>8} {'MB':>6} {'floor proc':>10} {'toc proc':>9} {'ratio':>6}"
          f" {'floor in':>9} {'toc in':>8} {'ratio':>6} {'RSS fl/toc MB':>14} located"
          f" {'validate':>9} {'score':>7} {'score/val':>9} {'text':>7} {'text/val':>8}")
    ok = True
    for row in payload["sizes"]:
        good = row["ratio_process"] <= TARGET_RATIO and row["ratio_inproc"] <= TARGET_RATIO
        good = good and row["ratio_score_text"] <= TARGET_SCORE and row["scored"]
        ok = ok and good and row["located"]
        print(
            f"{row['results']:>8} {row['bytes'] / 1e6:>6.1f} {row['floor_process_s']:>10.3f}"
            f" {row['engine_process_s']:>9.3f} {row['ratio_process']:>5.2f}x"
            f" {row['floor_inproc_s']:>9.3f} {row['engine_inproc_s']:>8.3f}"
            f" {row['ratio_inproc']:>5.2f}x"
            f" {row['floor_maxrss_mb']:>6.0f}/{row['engine_maxrss_mb']:<7.0f}"
            f" {'line ' + str(row['planted_line']) if row['located'] else 'WRONG'}"
            f" {row['validate_clean_s']:>9.3f} {row['score_s']:>7.3f}"
            f" {row['ratio_score']:>8.2f}x {row['score_text_s']:>7.3f}"
            f" {row['ratio_score_text']:>7.2f}x{'' if row['scored'] else ' FAILED'}"
        )
        print(
            f"{'':>8} processor time: validate {row['validate_clean_cpu_s']:.3f} s, score as"
            f" text {row['score_text_cpu_s']:.3f} s, text/val {row['ratio_score_text_cpu']:.2f}x"
        )
        counted = row.get("instructions")
        if counted:
            if "ratio_score_text" in counted:
                print(f"{'':>8} instructions: validate {counted['validate'] / 1e9:.2f} G, score as"
                      f" text {counted['score_text'] / 1e9:.2f} G,"
                      f" text/val {counted['ratio_score_text']:.3f}x (not judged: see README)")
            else:
                print(f"{'':>8} instructions: not counted (valgrind missing or failed)")
    if "startup" in payload:
        s = payload["startup"]
        print(f"\nstart-up: python -c pass {s['python_pass_s']:.3f} s;"
              f" python -m toc_engine --help {s['toc_help_s']:.3f} s (target {TARGET_STARTUP} s)")
        ok = ok and s["toc_help_s"] <= TARGET_STARTUP
        print("\nexamples (toc validate, wall):")
        for e in payload["examples"]:
            print(f"  {e['example']:<12} {e['validate_s']:.3f} s  exit {e['exit_codes']}")
    print(f"\ntargets {TARGET_RATIO}x (validate/floor), {TARGET_SCORE}x (score/validate):"
          f" {'met' if ok else 'NOT met'}; wrote {out}")
    print(json.dumps({"ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
