"""Layering at run time: the core never loads the command line, the formatters or
matplotlib, and `toc --help` loads none of the heavy libraries (so pre-commit hooks start
fast). The import contract itself (layers, no cycles) is `lint-imports`'s, in .ci/run.

Each check runs in a fresh interpreter, because this test process has imported
everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CORE = [
    "toc_engine",
    "toc_engine.scoring",
    "toc_engine.schema.programme",
    "toc_engine.check.pipeline",
    "toc_engine.schema.model",
    "toc_engine.check.rules",
    "toc_engine.check.library",
]
NOT_IN_CORE = [
    "matplotlib",
    "toc_engine.cli",
    "toc_engine.formats.report",
    "toc_engine.formats.validate",
]
HEAVY = ["pydantic", "pint", "networkx", "matplotlib"]


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True, text=True, timeout=120, check=False, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


@pytest.mark.parametrize("module", CORE)
def test_the_core_does_not_import_cli_formatters_or_matplotlib(module: str) -> None:
    modules = _modules_after(f"import {module}")
    assert module in modules
    leaked = [name for name in NOT_IN_CORE if _loaded(modules, name)]
    assert not leaked, f"importing {module} imports {leaked}"


def test_validating_a_programme_does_not_import_cli_formatters_or_matplotlib() -> None:
    modules = _modules_after(
        "import toc_engine\n"
        "loaded = toc_engine.load('examples/nepal/programme.yaml')\n"
        "report = toc_engine.validate(loaded)\n"
        "assert report.valid, report.diagnostics\n"
    )
    assert "toc_engine.check.pipeline" in modules
    leaked = [name for name in NOT_IN_CORE if _loaded(modules, name)]
    assert not leaked


def test_toc_help_imports_no_heavy_library() -> None:
    done = subprocess.run(
        [sys.executable, "-c",
         "import runpy, sys, json\n"
         "sys.argv = ['toc', '--help']\n"
         "try:\n"
         "    runpy.run_module('toc_engine', run_name='__main__')\n"
         "except SystemExit:\n"
         "    pass\n"
         "print(json.dumps(sorted(sys.modules)))\n"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "validate" in done.stdout
    modules = set(json.loads(done.stdout.strip().splitlines()[-1]))
    heavy = [name for name in HEAVY if _loaded(modules, name)]
    assert not heavy, f"`python -m toc_engine --help` imports {heavy}"


def test_python_m_toc_engine_help_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "toc_engine", "--help"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0
    assert "library" in done.stdout and "init" in done.stdout
