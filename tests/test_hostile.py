"""Hostile and broken input (issue #6): every case in tests/hostile/ gives a located,
human finding and the documented exit code, and never a traceback.

Each case runs in-process through `toc_engine.cli.run` in a temporary copy of its
folder (the corpus itself is never touched); a representative few also run as
`python -m toc_engine` to prove nothing reaches stderr as a traceback. Time and
memory budgets are checked by bench/hostile_budget.py, not here.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib.util
import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from toc_engine.cli import run

HOSTILE = Path(__file__).resolve().parent / "hostile"
_spec = importlib.util.spec_from_file_location("hostile_harness", HOSTILE / "harness.py")
assert _spec and _spec.loader
harness = importlib.util.module_from_spec(_spec)
sys.modules["hostile_harness"] = harness
_spec.loader.exec_module(harness)

CASES = harness.load_cases()
BY_NAME = {case.name: case for case in CASES}
MAX_OUTPUT = 100_000  # a hostile input must not make the report itself huge

SUBPROCESS_CASES = [
    "syntax-unclosed-bracket",
    "tab-indentation",
    "encoding-utf16",
    "alias-billion-laughs",
    "deep-flow",
    "file-50mb",
    "tag-python-object",
    "csv-formula",
    "data-symlink-out",
    "path-missing",
    "path-symlink-loop",
    "data-fifo",
    "include-fifo",
    "programme-fifo",
]


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40, f"only {len(CASES)} cases in {HOSTILE}"
    assert set(SUBPROCESS_CASES) <= set(BY_NAME)


def test_every_case_is_well_formed() -> None:
    for case in CASES:
        assert case.description, case.name
        assert case.args and case.args[0] in {"validate", "score", "schema", "rules", "export"}, (
            case.name
        )
        assert case.expect_exit in (0, 1, 2), case.name
        assert case.expect_location, case.name
        if case.expect_exit == 1:
            assert case.expect_code.startswith("TOC"), case.name
        if case.expect_exit == 2:
            assert case.expect_code == "", case.name


@pytest.fixture
def prepared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    case = request.param
    if case.skip_reason:
        pytest.skip(case.skip_reason)
    dest = harness.prepare(case, tmp_path / case.name)
    try:
        yield dest
    finally:
        harness.restore(dest)


@contextlib.contextmanager
def _hang_guard(name: str, seconds: int = 60) -> Iterator[None]:
    """Fail, rather than wait forever, if a case blocks (a pipe opened for reading)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError(f"{name}: still running after {seconds} s (blocked?)")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _check_output(case, code: int, out: str, err: str) -> None:  # type: ignore[no-untyped-def]
    both = out + err
    assert "Traceback" not in both, f"{case.name}: traceback\n{both}"
    assert "internal error" not in both, f"{case.name}: internal error\n{both}"
    assert code == case.expect_exit, (
        f"{case.name}: exit {code}, expected {case.expect_exit}\n{both[:3000]}"
    )
    assert len(both) < MAX_OUTPUT, f"{case.name}: {len(both)} characters of output"
    assert case.expect_location in both, (
        f"{case.name}: {case.expect_location!r} not in the output\n{both[:3000]}"
    )
    if case.expect_message:
        assert case.expect_message in both, f"{case.name}: {case.expect_message!r} not in\n{both}"
    if case.expect_exit == 1:
        # the finding itself is located: one line holds the location and the code
        lines = [  # `toc score` prints the findings that stop it on stderr
            line
            for line in both.splitlines()
            if case.expect_location in line and f" {case.expect_code}" in line
        ]
        assert lines, (
            f"{case.name}: no {case.expect_code} finding at {case.expect_location}\n{both}"
        )
        assert ": error " in lines[0] or ("--strict" in case.args and ": warning " in lines[0]), (
            lines[0]
        )
        assert case.args[0] != "score" or "cannot score" in err, err
    elif case.expect_exit == 2:
        assert err.startswith("toc: "), f"{case.name}: expected one 'toc: ...' message\n{err}"
        assert len(err.strip().splitlines()) <= 2, err


@pytest.mark.parametrize("prepared", CASES, ids=[c.name for c in CASES], indirect=True)
def test_case_in_process(
    prepared: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = BY_NAME[prepared.name]
    monkeypatch.chdir(prepared)
    stdout = io.StringIO()
    with _hang_guard(case.name):
        code = run(list(case.args), stdout=stdout)
    captured = capsys.readouterr()
    _check_output(case, code, stdout.getvalue() + captured.out, captured.err)


@pytest.mark.parametrize(
    "prepared", [BY_NAME[n] for n in SUBPROCESS_CASES], ids=SUBPROCESS_CASES, indirect=True
)
def test_case_as_subprocess(prepared: Path) -> None:
    case = BY_NAME[prepared.name]
    env = {**os.environ, "PYTHONFAULTHANDLER": "1", "NO_COLOR": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "toc_engine", *case.args],
        cwd=prepared,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    _check_output(case, completed.returncode, completed.stdout, completed.stderr)
    assert "Fatal Python error" not in completed.stderr


# --- paths outside the folder are never opened -------------------------------------------


class _OpenRecorder:
    """Records every path opened through builtins.open, io.open, os.open and Path.open."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        real_open, real_os_open = builtins.open, os.open
        real_path_open = Path.open

        def record(target: object) -> None:
            if isinstance(target, str | bytes | os.PathLike):
                self.paths.append(os.path.realpath(os.fsdecode(os.fspath(target))))

        def fake_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
            record(file)
            return real_open(file, *args, **kwargs)

        def fake_os_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
            record(path)
            return real_os_open(path, *args, **kwargs)

        def fake_path_open(self_path, *args, **kwargs):  # type: ignore[no-untyped-def]
            record(self_path)
            return real_path_open(self_path, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", fake_open)
        monkeypatch.setattr(io, "open", fake_open)
        monkeypatch.setattr(os, "open", fake_os_open)
        monkeypatch.setattr(Path, "open", fake_path_open)


OUTSIDE_CASES = [c for c in CASES if c.expect_code == "TOC011" or c.setup.startswith("symlink_out")]


@pytest.mark.parametrize(
    "prepared", OUTSIDE_CASES, ids=[c.name for c in OUTSIDE_CASES], indirect=True
)
def test_outside_paths_are_never_opened(
    prepared: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = BY_NAME[prepared.name]
    monkeypatch.chdir(prepared)
    recorder = _OpenRecorder(monkeypatch)
    code = run(list(case.args), stdout=io.StringIO())
    monkeypatch.undo()
    capsys.readouterr()
    assert os.path.realpath(harness.OUTSIDE_TARGET) not in recorder.paths
    assert not any("passwd" in p or "secrets" in p for p in recorder.paths), recorder.paths
    # the recorder works: it saw the programme file being read
    assert os.path.realpath(prepared / "programme.yaml") in recorder.paths
    assert code == 1


SECRET_CSV = "indicator,period,value\nmeetings,2012,4\n"
SECRET_YAML = "sites:\n  - {id: secret-site, name: Secret}\n"


def _secret_layout(tmp_path: Path, how: str) -> tuple[Path, Path]:
    """A programme folder and, beside it (outside), a readable, valid secret file."""
    from toc_engine.findings.examples import VALID

    folder = tmp_path / "prog"
    folder.mkdir()
    secret = tmp_path / ("secret.csv" if how.startswith("data") else "secret.yaml")
    secret.write_text(SECRET_CSV if how.startswith("data") else SECRET_YAML, encoding="utf-8")
    section = "data" if how.startswith("data") else "include"
    if how.endswith("dotdot"):
        entry = f"../{secret.name}"
    elif how.endswith("absolute"):
        entry = str(secret)
    elif how.endswith("nested-dotdot"):
        (folder / "sub").mkdir()
        entry = f"sub/../../{secret.name}"
    else:  # a symbolic link inside the folder that leads to the secret
        (folder / "inside").mkdir()
        os.symlink(secret, folder / "inside" / secret.name)
        entry = f"inside/{secret.name}"
    (folder / "programme.yaml").write_text(VALID + f"{section}:\n  - {entry}\n", encoding="utf-8")
    return folder, secret


LAYOUTS = [
    f"{section}-{how}"
    for section in ("data", "include")
    for how in ("dotdot", "absolute", "nested-dotdot", "symlink")
]


@pytest.mark.skipif(os.name == "nt", reason="needs POSIX symbolic links")
@pytest.mark.parametrize("how", LAYOUTS)
def test_existing_outside_file_is_never_opened(
    how: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, secret = _secret_layout(tmp_path, how)
    monkeypatch.chdir(folder)
    recorder = _OpenRecorder(monkeypatch)
    stdout = io.StringIO()
    code = run(["validate", "programme.yaml", "--format", "json"], stdout=stdout)
    monkeypatch.undo()
    capsys.readouterr()
    assert str(secret.resolve()) not in recorder.paths, f"{secret} was opened"
    assert str(folder.resolve() / "programme.yaml") in recorder.paths
    assert code == 1
    found = [
        (d["code"], d["file"], d["line"], d["column"])
        for d in json.loads(stdout.getvalue())["diagnostics"]
    ]
    assert ("TOC011", "programme.yaml", 41, 5) in found, found
    assert "secret-site" not in stdout.getvalue()
