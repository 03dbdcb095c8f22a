"""Nothing lost, nothing changed (issue #6).

Every command, run against a copy of each example folder, leaves every file's
bytes and mtime as they were and adds no file to the programme's folder (except
the one `-o` names, when it names one there). `toc init` only ever creates a new
file and refuses to overwrite. Output written with `-o` is atomic: an interrupted
write leaves the previous output intact and no temporary file behind.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from toc_engine.cli import build_parser, run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent for p in ROOT.glob("examples/*/programme.yaml"))
SHIPPED = [ROOT / "indicators", ROOT / "models"]


def _commands() -> set[str]:
    parser = build_parser()
    for action in parser._actions:  # argparse keeps subcommands here
        if action.dest == "command":
            return set(action.choices)  # type: ignore[arg-type]
    return set()


COMMANDS = _commands()

# (name, argv); "{out}" is a folder outside the programme folder
RUNS: list[tuple[str, list[str]]] = [
    ("validate-text", ["validate", "programme.yaml"]),
    ("validate-json", ["validate", "programme.yaml", "--format", "json"]),
    ("validate-github", ["validate", "programme.yaml", "--format", "github"]),
    ("validate-sarif", ["validate", "programme.yaml", "--format", "sarif"]),
    ("validate-strict", ["validate", "programme.yaml", "--strict"]),
    ("validate-folder", ["validate", "."]),
    ("validate-o", ["validate", "programme.yaml", "--format", "json", "-o", "{out}/v.json"]),
    ("score-text", ["score", "programme.yaml"]),
    ("score-json", ["score", "programme.yaml", "--format", "json"]),
    ("score-explain", ["score", "programme.yaml", "--explain", "{result}"]),
    ("score-o", ["score", "programme.yaml", "-o", "{out}/score.txt"]),
    ("score-json-o", ["score", "programme.yaml", "--format", "json", "-o", "{out}/score.json"]),
    ("schema", ["schema"]),
    ("schema-o", ["schema", "-o", "{out}/schema.json"]),
    ("rules", ["rules"]),
    ("rules-json", ["rules", "--format", "json"]),
    ("rules-markdown", ["rules", "--format", "markdown"]),
    ("explain", ["explain", "TOC001"]),
    ("init-list", ["init", "--list", "unused-folder"]),  # DIR is required even with --list
    ("library-list", ["library", "list"]),
    ("library-check", ["library", "check"]),
    ("report-html", ["report", "programme.yaml", "-o", "{out}/report.html"]),
    ("report-md", ["report", "programme.yaml", "-o", "{out}/report.md"]),
    ("graph-svg", ["graph", "programme.yaml", "-o", "{out}/toc.svg"]),
    ("export-iati", ["export", "iati", "programme.yaml"]),
    ("export-pirs", ["export", "pirs", "programme.yaml"]),
    ("export-csv", ["export", "csv", "programme.yaml"]),
    ("export-csv-o", ["export", "csv", "programme.yaml", "-o", "{out}/indicators.csv"]),
    ("export-csv-observations", ["export", "csv", "--observations", "programme.yaml"]),
    ("export-xlsx-o", ["export", "xlsx", "programme.yaml", "-o", "{out}/scored.xlsx"]),
    ("portfolio-md", ["portfolio", ".", "--no-cache"]),
    ("portfolio-json-cache", ["portfolio", ".", "--format", "json", "--cache", "{out}/cache"]),
    ("portfolio-html-o", ["portfolio", ".", "-o", "{out}/p.html", "--cache", "{out}/cache"]),
    ("portfolio-xlsx-o", ["portfolio", ".", "-o", "{out}/p.xlsx", "--no-cache"]),
]
AVAILABLE = [(name, argv) for name, argv in RUNS if argv[0] in COMMANDS]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int] | None]:
    """Every file (bytes, mtime in ns) and folder (None) under `folder`, by relative path."""
    out: dict[str, tuple[bytes, int] | None] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_dir() and not path.is_symlink():
            out[key + "/"] = None
        else:
            out[key] = (path.read_bytes(), path.lstat().st_mtime_ns)
    return out


def assert_unchanged(before: dict, after: dict, allowed_new: set[str] = frozenset()) -> None:  # type: ignore[type-arg,assignment]
    added = set(after) - set(before) - allowed_new
    removed = set(before) - set(after)
    changed = [k for k in before if k in after and before[k] != after[k]]
    assert not added, f"new files appeared: {sorted(added)}"
    assert not removed, f"files disappeared: {sorted(removed)}"
    assert not changed, f"files changed (bytes or mtime): {changed}"


@pytest.fixture(params=EXAMPLES, ids=[p.name for p in EXAMPLES])
def programme(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    folder = tmp_path / "programme"
    shutil.copytree(request.param, folder)  # copy2: mtimes kept, so snapshots are exact
    return folder


def _first_result(folder: Path) -> str:
    from toc_engine.schema.programme import load

    loaded = load(folder / "programme.yaml")
    assert loaded.programme is not None
    return loaded.programme.results[0].id


def test_all_commands_are_covered() -> None:
    covered = {argv[0] for _, argv in RUNS}
    # import: tests/test_xlsx_import.py; form: test_form_changes_nothing (one example has
    # one); serve writes only what a user saves in its forms, and tests/test_serve.py checks
    # that nothing else is written
    missing = COMMANDS - covered - {"init", "import", "form", "serve"}
    assert not missing, f"commands without a no-writes check: {missing}"
    assert {"validate", "score", "schema", "rules", "explain"} <= COMMANDS


@pytest.mark.parametrize("name,argv", AVAILABLE, ids=[name for name, _ in AVAILABLE])
def test_command_changes_nothing(
    name: str,
    argv: list[str],
    programme: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = _first_result(programme) if "{result}" in argv else ""
    args = [a.replace("{out}", str(out)).replace("{result}", result) for a in argv]
    before = snapshot(programme)
    shipped_before = [snapshot(folder) for folder in SHIPPED]
    monkeypatch.chdir(programme)
    stdout = io.StringIO()
    code = run(args, stdout=stdout)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert code in (0, 1), f"{name}: exit {code}\n{captured.err}"
    assert_unchanged(before, snapshot(programme))
    for folder, earlier in zip(SHIPPED, shipped_before, strict=True):
        assert_unchanged(earlier, snapshot(folder))
    if "-o" in args:
        target = Path(args[args.index("-o") + 1])
        assert target.is_file() and target.stat().st_size > 0
        assert not [p.name for p in out.rglob("*.tmp")], "a temporary file was left behind"


def test_form_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "programme"
    shutil.copytree(ROOT / "examples" / "nepal", folder)
    out = tmp_path / "out"
    out.mkdir()
    before = snapshot(folder)
    monkeypatch.chdir(folder)
    code = run(["form", "programme.yaml", "--form", "perception-survey", "-o",
                str(out / "survey.xlsx")], stdout=io.StringIO())
    assert "Traceback" not in capsys.readouterr().err
    assert code == 0
    assert_unchanged(before, snapshot(folder))
    assert (out / "survey.xlsx").stat().st_size > 0
    assert not [p.name for p in out.rglob("*.tmp")], "a temporary file was left behind"


def test_output_inside_the_folder_adds_only_that_file(
    programme: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(programme)
    monkeypatch.chdir(programme)
    code = run(["validate", "programme.yaml", "--format", "sarif", "-o", "findings.sarif"])
    capsys.readouterr()
    assert code == 0
    assert_unchanged(before, snapshot(programme), allowed_new={"findings.sarif"})


# --- toc init ----------------------------------------------------------------------------


def test_init_writes_only_a_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code = run(["init", "--model", "community-security", "new"], stdout=io.StringIO())
    capsys.readouterr()
    assert code == 0
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "new",
        "new/programme.yaml",
    ]


def test_init_refuses_to_overwrite(
    programme: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(programme)
    monkeypatch.chdir(programme.parent)
    code = run(["init", "--model", "community-security", programme.name], stdout=io.StringIO())
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("toc: ") and "already exists" in err
    assert_unchanged(before, snapshot(programme))


def test_init_twice_keeps_the_edited_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["init", "new"], stdout=io.StringIO()) == 0
    edited = tmp_path / "new" / "programme.yaml"
    edited.write_text("# my edits\n", encoding="utf-8")
    before = snapshot(tmp_path)
    assert run(["init", "new"], stdout=io.StringIO()) == 2
    capsys.readouterr()
    assert_unchanged(before, snapshot(tmp_path))


# --- atomic output -----------------------------------------------------------------------

ATOMIC_RUNS = [
    (name, argv)
    for name, argv in AVAILABLE
    if name
    in {"validate-o", "score-o", "score-json-o", "schema-o", "export-csv-o", "report-html",
        "graph-svg"}
]


class _Interrupted(BaseException):
    """Stands in for a kill or power cut in the middle of writing."""


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
@pytest.mark.parametrize("name,argv", ATOMIC_RUNS, ids=[name for name, _ in ATOMIC_RUNS])
def test_interrupted_output_keeps_the_previous_file(
    name: str,
    argv: list[str],
    where: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "programme"
    shutil.copytree(EXAMPLES[0], folder)
    out = tmp_path / "out"
    out.mkdir()
    args = [a.replace("{out}", str(out)) for a in argv]
    target = Path(args[args.index("-o") + 1])
    target.write_bytes(b"previous output\n")
    previous = snapshot(out)
    monkeypatch.chdir(folder)

    if where == "write":  # half the bytes reach the disk, then the process dies
        real_fdopen = os.fdopen

        class HalfWriter(io.RawIOBase):
            def __init__(self, stream: io.BufferedWriter) -> None:
                self.stream = stream

            def write(self, data: bytes) -> int:  # type: ignore[override]
                self.stream.write(bytes(data)[: max(1, len(data) // 2)])
                self.stream.flush()
                raise _Interrupted()

            def close(self) -> None:
                self.stream.close()
                super().close()

            def __getattr__(self, attr: str):  # type: ignore[no-untyped-def]
                return getattr(self.stream, attr)

        def fdopen(fd: int, *a, **k):  # type: ignore[no-untyped-def]
            return HalfWriter(real_fdopen(fd, *a, **k))

        monkeypatch.setattr(os, "fdopen", fdopen)
    elif where == "fsync":

        def fsync(fd: int) -> None:
            raise _Interrupted()

        monkeypatch.setattr(os, "fsync", fsync)
    else:

        def replace(src: object, dst: object) -> None:
            raise _Interrupted()

        monkeypatch.setattr(os, "replace", replace)

    with pytest.raises(_Interrupted):
        run(args, stdout=io.StringIO())
    monkeypatch.undo()
    capsys.readouterr()
    assert target.read_bytes() == b"previous output\n"
    leftovers = sorted(p.name for p in out.rglob("*") if p.name.endswith(".tmp"))
    assert not leftovers, f"temporary files left behind: {leftovers}"
    after = snapshot(out)
    assert after[target.name] == previous[target.name]
    # only a report's figure folder may have appeared beside the target
    assert set(after) - set(previous) <= {f"{target.stem}_files/"} | {
        k for k in after if k.startswith(f"{target.stem}_files/")
    }


def test_failed_output_reports_and_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An OSError while replacing (disk full, permissions) is exit 2 with one line."""
    folder = tmp_path / "programme"
    shutil.copytree(EXAMPLES[0], folder)
    target = tmp_path / "v.json"
    target.write_bytes(b"previous output\n")
    monkeypatch.chdir(folder)

    def replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(os, "replace", replace)
    code = run(["validate", "programme.yaml", "--format", "json", "-o", str(target)])
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("toc: cannot write ") and "no space left" in err
    assert "Traceback" not in err
    assert target.read_bytes() == b"previous output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["programme", "v.json"]
