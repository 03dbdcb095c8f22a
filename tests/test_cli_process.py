"""Process-level tuning (`cli.process`) happens in the `toc` process only."""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from toc_engine.cli import process
from toc_engine.cli.process import building


@pytest.fixture
def restore_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    process.own_process(False)
    gc.unfreeze()
    if enabled:
        gc.enable()


def test_building_restores_collection_and_nests(restore_gc: None) -> None:
    gc.enable()
    with building():
        assert not gc.isenabled()
        with building():
            assert not gc.isenabled()
        assert not gc.isenabled()  # only the outermost pause re-enables
    assert gc.isenabled()


def test_outside_the_toc_process_nothing_is_frozen(restore_gc: None) -> None:
    gc.enable()
    gc.unfreeze()
    with building():
        kept = [[i] for i in range(1000)]
    assert gc.get_freeze_count() == 0
    assert kept


def test_the_process_freezes_what_it_built(restore_gc: None) -> None:
    gc.enable()
    gc.unfreeze()
    process.own_process()
    with building():
        kept = [[i] for i in range(1000)]
    assert gc.get_freeze_count() >= 1000  # the lists moved out of the collector's sight
    assert gc.isenabled()
    assert kept


def test_library_calls_leave_the_interpreter_as_they_found_it(
    monkeypatch: pytest.MonkeyPatch, restore_gc: None
) -> None:
    """load, validate and score neither pause nor freeze the collector."""
    import toc_engine

    gc.enable()
    gc.unfreeze()
    touched: list[str] = []
    for name in ("disable", "freeze"):
        monkeypatch.setattr(gc, name, lambda name=name: touched.append(name))
    loaded = toc_engine.load(EXAMPLE)
    assert toc_engine.validate(loaded).valid
    assert loaded.programme is not None
    toc_engine.score(loaded.programme)
    assert touched == []
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_only_the_process_entry_point_owns_the_process(monkeypatch: pytest.MonkeyPatch,
                                                       restore_gc: None) -> None:
    from toc_engine import cli

    monkeypatch.setattr(cli.sys, "argv", ["toc", "rules"])
    with pytest.raises(SystemExit):
        cli.main()  # a caller inside a longer-lived process
    assert not process._PROCESS["own"]
    with pytest.raises(SystemExit):
        cli.entry()  # the `toc` command
    assert process._PROCESS["own"]


def test_library_callers_keep_nothing_until_exit(restore_gc: None) -> None:
    """`outlive` keeps objects only in the `toc` process; elsewhere they are freed."""
    process._OUTLIVING.clear()
    process.outlive(object())
    assert process._OUTLIVING == []
    process.own_process()
    kept = object()
    process.outlive(kept)
    assert [kept] == process._OUTLIVING
    process._OUTLIVING.clear()


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "nepal" / "programme.yaml"


# Buffered standard streams, as most users have them: unflushed output would be lost.
BUFFERED = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def _toc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toc_engine", *args], capture_output=True,
                          text=True, timeout=300, check=False, env=BUFFERED)


def test_the_process_exits_at_once_with_its_whole_output(tmp_path: Path) -> None:
    """The `toc` process ends without freeing the programme (`exit_process`): its output
    is still complete and flushed, and its exit code the command's."""
    from toc_engine.cli import run

    done = _toc("score", str(EXAMPLE), "--format", "json")
    assert done.returncode == 0, done.stderr
    expected = io.StringIO()
    assert run(["score", str(EXAMPLE), "--format", "json"], stdout=expected) == 0
    assert done.stdout == expected.getvalue() and json.loads(done.stdout)["results"]
    broken = tmp_path / "programme.yaml"
    broken.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        "contributes_to:\n      - to: ", "contributes_to:\n      - to: no-such-", 1),
        encoding="utf-8")
    for command in ("validate", "score"):
        done = _toc(command, str(broken))
        assert done.returncode == 1, (command, done.stderr)
        assert "TOC201" in done.stdout + done.stderr
    done = _toc("validate", str(EXAMPLE), str(broken), "--format", "json")
    assert done.returncode == 1 and len(json.loads(done.stdout)["summary"]["files"]) == 2


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    """`toc score ... | head -c 100`: the pipe closes under the writer."""
    reader = subprocess.Popen(["head", "-c", "100"], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL)
    assert reader.stdin is not None
    done = subprocess.run(
        [sys.executable, "-m", "toc_engine", "score", str(EXAMPLE), "--format", "json"],
        stdout=reader.stdin, stderr=subprocess.PIPE, text=True, timeout=300, check=False,
        env=BUFFERED,
    )
    reader.stdin.close()
    reader.wait(timeout=60)
    assert done.stderr == ""  # quiet, as Unix tools are (tests/test_closed_pipe.py)
    assert done.returncode in (0, 141)
