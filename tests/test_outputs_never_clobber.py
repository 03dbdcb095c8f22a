"""No command writes over a file it read, and devices and pipes are written to, never
replaced (issue #18). `-o -` is standard output for every command that takes `-o`."""

from __future__ import annotations

import io
import os
import shutil
import stat
import threading
from pathlib import Path

import pytest

import toc_engine
from toc_engine.cli import run

ROOT = Path(__file__).resolve().parent.parent
NEPAL = ROOT / "examples" / "nepal"

# Every command that takes -o, with "{o}" where the output goes.
WRITERS = {
    "validate": ["validate", "programme.yaml", "-o", "{o}"],
    "validate-json": ["validate", "programme.yaml", "--format", "json", "-o", "{o}"],
    "score": ["score", "programme.yaml", "-o", "{o}"],
    "score-json": ["score", "programme.yaml", "--format", "json", "-o", "{o}"],
    "report-html": ["report", "programme.yaml", "-o", "{o}"],
    "graph": ["graph", "programme.yaml", "-o", "{o}"],
    "export-iati": ["export", "iati", "programme.yaml", "-o", "{o}"],
    "export-pirs": ["export", "pirs", "programme.yaml", "-o", "{o}"],
    "export-csv": ["export", "csv", "programme.yaml", "-o", "{o}"],
    "export-xlsx": ["export", "xlsx", "programme.yaml", "--force", "-o", "{o}"],
    "portfolio": ["portfolio", ".", "--format", "json", "--no-cache", "-o", "{o}"],
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "nepal"
    shutil.copytree(NEPAL, copy)
    monkeypatch.chdir(copy)
    return copy


def _run(args: list[str], output: str) -> tuple[int, str]:
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    code = run([a.replace("{o}", output) for a in args], stdout=stdout)
    stdout.flush()
    return code, stdout.buffer.getvalue().decode("utf-8", "replace")  # type: ignore[attr-defined]


def _inputs(folder: Path) -> list[Path]:
    read = toc_engine.load(folder / "programme.yaml").sources
    assert len(read) >= 2  # the programme and its CSV data at least
    return read


@pytest.mark.parametrize("name", list(WRITERS))
def test_no_command_writes_over_a_file_it_read(
    name: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suffix = {"report-html": ".html", "graph": ".svg", "export-xlsx": ".xlsx"}.get(name, ".out")
    for source in _inputs(folder):
        before = source.read_bytes()
        # the same file by its own name, by a symbolic link and by a hard link (named so
        # that report and graph accept the name)
        link, hard = folder / f"alias{suffix}", folder / f"hard{suffix}"
        for alias in (link, hard):
            alias.unlink(missing_ok=True)
        link.symlink_to(source)
        os.link(source, hard)
        for target in (str(source), str(source.relative_to(folder)), str(link), str(hard)):
            code, _out = _run(WRITERS[name], target)
            assert code == 2, (name, target)
            err = capsys.readouterr().err
            if target in (str(link), str(hard)) or suffix == ".out":
                assert "which this command reads" in err, (name, target, err)
            assert source.read_bytes() == before, (name, target)
        assert link.is_symlink()


@pytest.mark.parametrize("name", list(WRITERS))
def test_devices_are_written_to_not_replaced(name: str, folder: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, _out = _run(WRITERS[name], "/dev/null")
    assert code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    if Path("/dev/full").exists():
        code, _out = _run(WRITERS[name], "/dev/full")
        assert code == 2
        assert "no space left on device" in capsys.readouterr().err
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.parametrize("name", ["validate", "score-json", "export-csv", "graph"])
def test_a_named_pipe_gets_the_output_and_stays_a_pipe(name: str, folder: Path) -> None:
    pipe = folder / "out.fifo"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    code, _out = _run(WRITERS[name], str(pipe))
    reader.join(timeout=60)
    assert code == 0 and received and received[0]
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


@pytest.mark.parametrize("name", list(WRITERS))
def test_dash_means_standard_output(name: str, folder: Path) -> None:
    code, out = _run(WRITERS[name], "-")
    assert code == 0 and out.strip()
    assert not (folder / "-").exists()
    assert "wrote" not in out[:10]


def test_binary_output_needs_a_byte_stream(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A caller's text-only stream cannot take a drawing: a plain refusal, nothing written."""
    assert run(["graph", "programme.yaml", "-o", "-"], stdout=io.StringIO()) == 2
    assert "binary" in capsys.readouterr().err
    assert not (folder / "-").exists()


def test_a_link_to_standard_output_is_written_through_not_replaced(folder: Path) -> None:
    """`-o /dev/stdout` with standard output redirected to a file: the link stays a link
    and the output goes to the file. (A link of our own to /proc/self/fd/1 stands in for
    /dev/stdout, so a failure cannot break the machine's.)"""
    import subprocess
    import sys

    if not Path("/proc/self/fd/1").exists():
        pytest.skip("no /proc/self/fd on this system")
    link = folder / "stdout-link"
    link.symlink_to("/proc/self/fd/1")
    received = folder / "received.txt"
    with received.open("wb") as sink:
        done = subprocess.run(
            [sys.executable, "-m", "toc_engine", "validate", "programme.yaml", "-o", str(link)],
            cwd=folder, stdout=sink, stderr=subprocess.PIPE, timeout=120, check=False,
        )
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert "no problems found" in received.read_text(encoding="utf-8")
