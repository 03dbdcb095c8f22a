"""Capture every output of the examples and a synthetic programme, to compare before/after.

    python tools/capture_outputs.py OUT_DIR

Runs the `toc` command of this checkout over the three examples and a generated
1,000-result programme, in every validate format, score text/JSON/explain, the HTML and
Markdown reports, the graph and every export, and writes each output to OUT_DIR. Compare
two captures with `diff -r`. A refactoring that should change nothing must leave them
byte-identical.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ("nepal", "kosovo", "bangladesh")


def toc(out: Path, name: str, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "toc_engine", *args],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    (out / name).write_text(f"exit {done.returncode}\n{done.stdout}\n--stderr--\n{done.stderr}")


def capture(out: Path, label: str, programme: str, explain: list[str], files: Path) -> None:
    for fmt in ("text", "json", "github", "sarif"):
        toc(out, f"{label}.validate.{fmt}", "validate", "--format", fmt, "--no-color", programme)
    toc(out, f"{label}.score.text", "score", programme)
    toc(out, f"{label}.score.json", "score", "--format", "json", programme)
    for number, item in enumerate(explain):
        toc(out, f"{label}.explain.{number}", "score", programme, "--explain", item)
    for kind in ("html", "md"):
        target = (files / f"{label}.report.{kind}").relative_to(ROOT)
        toc(out, f"{label}.report.{kind}.log", "report", programme, "-o", str(target))
        if target.exists():
            (out / target.name).write_bytes(target.read_bytes())
    for kind in ("iati", "pirs", "csv"):
        toc(out, f"{label}.export.{kind}", "export", kind, programme)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    out = Path(sys.argv[1]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    files = ROOT / "build" / "capture"  # fixed, so that paths in the outputs compare equal
    files.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLES:
        programme = f"examples/{name}/programme.yaml"
        scored = subprocess.run(
            [sys.executable, "-m", "toc_engine", "score", "--format", "json", programme],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )
        data = json.loads(scored.stdout)
        explain = [r["id"] for r in data["results"][:3]]
        explain += [f"{link['from']} -> {link['to']}" for link in data["links"][:3]]
        capture(out, name, programme, explain, files)
    synthetic = files / "synthetic"
    subprocess.run(
        [sys.executable, "bench/generate.py", "1000", str(synthetic.relative_to(ROOT)),
         "--no-plant"],
        cwd=ROOT, check=True, capture_output=True,
    )
    programme = str((synthetic / "programme.yaml").relative_to(ROOT))
    capture(out, "synthetic-1000", programme, ["r0001"], files)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
