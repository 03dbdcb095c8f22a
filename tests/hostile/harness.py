"""The hostile-input corpus: loading case folders and preparing them to run.

Each folder under tests/hostile/ is one case: its files plus a `case.toml` with

    description      what is broken or hostile about it
    args             the command line after `toc`, run with the case folder as cwd
    expect_exit      1 for a problem in the content, 2 when the command cannot run
    expect_code      the rule code (or a prefix such as "TOC1"); "" for exit-0/2 cases
    expect_location  a substring of the output, e.g. "programme.yaml:3:1"
    expect_message   (optional) a substring of the output
    setup            (optional) what to create at run time, see `prepare`
    skip_as_root     (optional) true when the case means nothing to root

Files that cannot or should not be committed (50 MB, symbolic links, mode 000)
are made by `prepare` in a temporary copy, so nothing here is ever modified.
Used by tests/test_hostile.py and bench/hostile_budget.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIG_FILE_BYTES = 50 * 1024 * 1024
LONG_STRING_CHARS = 1_000_000
OUTSIDE_TARGET = "/etc/passwd"
WIDE_COLUMNS = 1_000_000
BAD_ROWS = 20_000
KNOWN_KEYS = {
    "description",
    "args",
    "expect_exit",
    "expect_code",
    "expect_location",
    "expect_message",
    "setup",
    "skip_as_root",
}


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    description: str
    args: list[str]
    expect_exit: int
    expect_code: str
    expect_location: str
    expect_message: str = ""
    setup: str = ""
    skip_as_root: bool = False

    @property
    def skip_reason(self) -> str:
        if self.skip_as_root and hasattr(os, "geteuid") and os.geteuid() == 0:
            return (
                f"{self.name}: running as root, which can read a mode-000 file anyway, "
                "so the unreadable-file case cannot be reproduced"
            )
        if self.setup.startswith(("symlink", "chmod")) and os.name == "nt":
            return f"{self.name}: needs POSIX symbolic links and permissions"
        return ""


def load_cases(root: Path = HERE) -> list[Case]:
    cases = []
    for case_file in sorted(root.glob("*/case.toml")):
        with case_file.open("rb") as handle:
            spec = tomllib.load(handle)
        unknown = set(spec) - KNOWN_KEYS
        if unknown:
            raise ValueError(f"{case_file}: unknown keys {sorted(unknown)}")
        cases.append(
            Case(
                name=case_file.parent.name,
                folder=case_file.parent,
                description=spec["description"],
                args=list(spec["args"]),
                expect_exit=int(spec["expect_exit"]),
                expect_code=spec["expect_code"],
                expect_location=spec["expect_location"],
                expect_message=spec.get("expect_message", ""),
                setup=spec.get("setup", ""),
                skip_as_root=bool(spec.get("skip_as_root", False)),
            )
        )
    return cases


def _big_file(path: Path) -> None:
    """A syntactically valid programme padded with comment lines to BIG_FILE_BYTES."""
    head = path.read_bytes()
    block = (b"# " + b"x" * 1021 + b"\n") * 1024  # 1 MiB, written 50 times (little memory)
    with path.open("wb") as handle:
        handle.write(head)
        for _ in range(BIG_FILE_BYTES // len(block) + 1):
            handle.write(block)


def _long_string(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def prepare(case: Case, dest: Path) -> Path:
    """Copy the case folder to `dest` (which must not exist) and apply its setup."""
    shutil.copytree(case.folder, dest, symlinks=True)
    (dest / "case.toml").unlink()
    kind, _, argument = case.setup.partition(":")
    if kind == "big_file":
        _big_file(dest / "programme.yaml")
    elif kind == "long_string":  # a title of a million characters: allowed
        long_title = "title: " + "a" * LONG_STRING_CHARS
        _long_string(dest / "programme.yaml", "title: Demo programme", long_title)
    elif kind == "long_id":  # an id of a million characters: refused, not echoed in full
        long_id = "  - id: " + "x" * LONG_STRING_CHARS
        _long_string(dest / "programme.yaml", "  - id: people-feel-safer", long_id)
    elif kind == "chmod000":
        (dest / "programme.yaml").chmod(0)
    elif kind == "symlink_loop":
        link = dest / (argument or "programme.yaml")
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(link.name, link)
    elif kind == "symlink_out":
        link = dest / argument
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(OUTSIDE_TARGET, link)
    elif kind == "fifo":  # a named pipe with no writer: a plain open would wait forever
        target = dest / argument
        target.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(target)
    elif kind == "socket":
        target = dest / argument
        target.parent.mkdir(parents=True, exist_ok=True)
        with socket.socket(socket.AF_UNIX) as listener:
            listener.bind(str(target))
    elif kind == "wide_csv":  # a header of a million columns, written as it is made
        (dest / argument).parent.mkdir(parents=True, exist_ok=True)
        with (dest / argument).open("w", encoding="utf-8") as handle:
            handle.write("indicator,period,value")
            for column in range(WIDE_COLUMNS):
                handle.write(f",c{column}")
            handle.write("\nmeetings,2012,4" + ",x" * WIDE_COLUMNS + "\n")
    elif kind == "bad_rows":
        (dest / argument).parent.mkdir(parents=True, exist_ok=True)
        lines = ["indicator,period,value"] + [f"meetings,2012,n/a{k}" for k in range(BAD_ROWS)]
        (dest / argument).write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif kind == "mkdir":
        (dest / argument).mkdir(parents=True)
    elif kind in ("symlink_dir_out", "symlink_file_out"):
        # A library outside the case folder, beside it: readable, but not the programme's.
        outside = dest.parent / f"{dest.name}-outside"
        (outside / "local").mkdir(parents=True, exist_ok=True)
        entry = outside / "local" / "feel-safe.yaml"
        entry.write_text("id: feel-safe\nname: Text from outside the programme\n"
                         "measure: percentage\n", encoding="utf-8")
        link = dest / argument
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(outside if kind == "symlink_dir_out" else entry, link)
    elif kind:
        raise ValueError(f"{case.name}: unknown setup {case.setup!r}")
    return dest


def restore(dest: Path) -> None:
    """Undo permission changes so the temporary copy can be removed."""
    for path in [dest, *dest.rglob("*")]:
        if not path.is_symlink():
            with contextlib.suppress(OSError):
                path.chmod(0o755 if path.is_dir() else 0o644)
