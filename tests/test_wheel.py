"""The wheel carries the indicator library and the models as package data.

`.ci/run` also installs the wheel in a fresh venv and runs `toc init` and
`toc validate` from it; this test checks the file list, which takes a few seconds
(a wheel build, no install), so it stays in the default run.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("wheel")
    # With hatchling already installed, build without an isolated environment (offline,
    # faster); otherwise pip fetches the build backend as it would for any user.
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation,
         "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    wheels = list(out.glob("toc_engine-*.whl"))
    assert len(wheels) == 1
    with zipfile.ZipFile(wheels[0]) as archive:
        return archive.namelist()


def test_the_wheel_carries_every_indicator(wheel_files: list[str]) -> None:
    shipped = {
        f"toc_engine/_data/indicators/{p.relative_to(ROOT / 'indicators').as_posix()}"
        for p in (ROOT / "indicators").glob("*/*.yaml")
    }
    assert len(shipped) >= 40
    assert shipped <= set(wheel_files)
    assert "toc_engine/_data/indicators/perceptions/feel-safe-after-dark.yaml" in wheel_files
    assert "toc_engine/_data/indicators/README.md" in wheel_files


def test_the_wheel_carries_every_model(wheel_files: list[str]) -> None:
    for model in (ROOT / "models").glob("*.yaml"):
        assert f"toc_engine/_data/models/{model.name}" in wheel_files
    assert "toc_engine/_data/models/community-security.yaml" in wheel_files


def test_the_data_in_the_wheel_is_data_only(wheel_files: list[str]) -> None:
    data = [name for name in wheel_files if name.startswith("toc_engine/_data/")]
    assert data
    assert all(name.endswith((".yaml", ".md")) for name in data), data


def test_the_wheel_has_the_package_and_the_command(wheel_files: list[str]) -> None:
    assert "toc_engine/__init__.py" in wheel_files
    assert "toc_engine/py.typed" in wheel_files
    entry_points = next(n for n in wheel_files if n.endswith(".dist-info/entry_points.txt"))
    assert entry_points
    # No stray top-level folders (tests, examples, docs) inside the wheel.
    tops = {name.split("/", 1)[0] for name in wheel_files}
    assert tops <= {"toc_engine", entry_points.split("/", 1)[0]}
