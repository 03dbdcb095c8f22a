"""`toc serve` on the Nepal example (issue #23): how long a page takes after the first
load, and how long a save takes from the POST to the next page shown with the new score.

Targets: a page under 200 ms after the first load; a save round trip about 0.5 s.
Run: .venv/bin/python bench/bench_serve.py [--repeat N]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from starlette.testclient import TestClient

from toc_engine.serve.app import create_app

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("/", "/result/household-toilets", "/result/women-safer-chakkar", "/findings",
         "/record/households-with-toilet")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "nepal"
        shutil.copytree(ROOT / "examples" / "nepal", folder)
        client = TestClient(create_app(folder), base_url="http://127.0.0.1:8000")
        print(f"page (median of {args.repeat} after the first load; first load beside it)")
        for url in PAGES:
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            first = time.perf_counter() - start
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - start)
            print(f"  {url:<36} {_ms(statistics.median(times)):>8}   first {_ms(first)}")
        saves = []
        for quarter in range(args.repeat):
            page = client.get("/record/households-with-toilet").text
            form = dict(re.findall(r'name="(csrf|digest)" value="([^"]*)"', page))
            start = time.perf_counter()
            response = client.post("/record/households-with-toilet", data={
                **form, "period": f"{2013 + quarter // 4}-Q{quarter % 4 + 1}",
                "value": "3", "site": "chakkar"})
            saves.append(time.perf_counter() - start)
            assert response.status_code == 200 and "Saved." in response.text
        print(f"save round trip (POST, validate a scratch copy, write, reload, score, the "
              f"result page): median {_ms(statistics.median(saves))}, "
              f"max {_ms(max(saves))} over {len(saves)} saves")


if __name__ == "__main__":
    main()
