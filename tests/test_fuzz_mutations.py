"""Mutated example programmes (issue #6): the engine never raises, always returns a
Report, and every located finding points at a line that exists in a real file.

Complements tests/test_fuzz_validate.py (random bytes and line edits without data):
here the example's CSV data sits beside the mutated file, so CSV attachment and
CSV locations are exercised too, and the mutations are structural: scalars retyped
(number <-> text <-> list <-> mapping), mapping keys reordered, lines deleted,
duplicated, swapped, random bytes inserted, and CSV rows damaged.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toc_engine
from toc_engine.check.config import Selection
from toc_engine.check.rules import RULES
from toc_engine.findings.diagnostic import Report
from toc_engine.findings.examples import VALID

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(ROOT.glob("examples/*/programme.yaml"))
# (programme text, folder with data/ to copy or None)
SEEDS: list[tuple[str, Path | None]] = [
    (p.read_text(encoding="utf-8"), p.parent) for p in EXAMPLES
] or [(VALID, None)]
SEEDS.append((VALID, None))

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_KEY_VALUE = re.compile(r"^(\s*(?:- )?[A-Za-z_][\w-]*:) (\S.*)$")
_KEY_LINE = re.compile(r"^(\s*)[A-Za-z_][\w-]*:")
REPLACEMENTS = [
    "42",
    "-1.5",
    "1e400",
    ".nan",
    "-.inf",
    "0x1F",
    "some text",
    "'quoted: text'",
    '"2012-02-30"',
    "2013-13-01",
    "[a, 1, [nested]]",
    "[]",
    "{x: 1, y: [2]}",
    "{}",
    "~",
    "true",
    "NO",
    "!!str 12",
    "*undefined",
    "&anchor value",
    "|\n  block text",
]


def _retype(lines: list[str], i: int, replacement: str) -> None:
    candidates = [k for k in range(len(lines)) if _KEY_VALUE.match(lines[k])]
    if not candidates:
        return
    k = candidates[i % len(candidates)]
    match = _KEY_VALUE.match(lines[k])
    assert match
    lines[k] = f"{match.group(1)} {replacement}"


def _block_end(lines: list[str], start: int, indent: int) -> int:
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip(" ")) > indent
    ):
        end += 1
    return end


def _reorder(lines: list[str], i: int) -> list[str]:
    """Swap a block-mapping key (with everything nested under it) and its next sibling."""
    keys = [k for k in range(len(lines)) if _KEY_LINE.match(lines[k])]
    for offset in range(len(keys)):
        k = keys[(i + offset) % len(keys)]
        indent = len(_KEY_LINE.match(lines[k]).group(1))  # type: ignore[union-attr]
        end = _block_end(lines, k, indent)
        sibling = _KEY_LINE.match(lines[end]) if end < len(lines) else None
        if sibling and len(sibling.group(1)) == indent:
            after = _block_end(lines, end, indent)
            return lines[:k] + lines[end:after] + lines[k:end] + lines[after:]
    return lines


@st.composite
def mutated(draw: st.DrawFn) -> tuple[bytes, Path | None, bytes | None]:
    text, folder = draw(st.sampled_from(SEEDS))
    lines = text.split("\n")
    inserted: list[tuple[int, bytes]] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "retype", "reorder", "bytes"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "retype":
            _retype(lines, i, draw(st.sampled_from(REPLACEMENTS)))
        elif kind == "reorder":
            lines = _reorder(lines, i)
        else:
            inserted.append((i, draw(st.binary(min_size=1, max_size=6))))
    data = "\n".join(lines).encode("utf-8")
    for position, junk in inserted:
        at = position * len(data) // max(len(lines), 1)
        data = data[:at] + junk + data[at:]
    csv = None
    if folder is not None and draw(st.booleans()):
        rows = (folder / "data" / "observations.csv").read_bytes().split(b"\n")
        r = draw(st.integers(0, len(rows) - 1))
        damage = draw(st.sampled_from([b"", b",,,,,,,,,", b"x,2012,abc", b'"unclosed', b"\xe9"]))
        rows[r] = damage if damage != b"\xe9" else rows[r] + damage
        csv = b"\n".join(rows)
    return data, folder, csv


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="toc-mutations-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _line_count(path: Path) -> int:
    data = path.read_bytes()
    return data.count(b"\n") + data.count(b"\r") + 1


def _check(workdir: Path, data: bytes, source: Path | None, csv: bytes | None) -> Report:
    folder = workdir / "case"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    if source is not None:
        shutil.copytree(source / "data", folder / "data")
        if csv is not None:
            (folder / "data" / "observations.csv").write_bytes(csv)
    (folder / "programme.yaml").write_bytes(data)
    old = Path.cwd()
    os.chdir(folder)
    try:
        report = toc_engine.validate(Path("programme.yaml"), selection=Selection())
        assert isinstance(report, Report)
        for d in report.diagnostics:
            assert d.code in RULES, d
            assert d.message, d
            if d.span.line > 0:
                where = Path(d.span.file)
                assert where.is_file(), f"{d.code} located in {d.span.file}, which is not a file"
                assert d.span.line <= _line_count(where), f"{d.span}: past the end ({d.code})"
                assert d.span.col >= 1, d
    finally:
        os.chdir(old)
    return report


@given(mutated())
@SETTINGS
def test_mutated_examples_never_crash(
    workdir: Path, case: tuple[bytes, Path | None, bytes | None]
) -> None:
    data, source, csv = case
    _check(workdir, data, source, csv)


def test_unmutated_seeds_are_valid(workdir: Path) -> None:
    """The seeds validate cleanly, so findings under mutation come from the mutation."""
    for text, folder in SEEDS:
        report = _check(workdir, text.encode("utf-8"), folder, None)
        assert report.valid, [f"{d.span} {d.code} {d.message}" for d in report.diagnostics]


@pytest.mark.parametrize("replacement", REPLACEMENTS)
def test_every_retyping_of_every_scalar_of_valid(workdir: Path, replacement: str) -> None:
    """Deterministic sweep: each replacement in each key: value line of VALID."""
    lines = VALID.split("\n")
    for i in range(sum(1 for line in lines if _KEY_VALUE.match(line))):
        changed = list(lines)
        _retype(changed, i, replacement)
        _check(workdir, "\n".join(changed).encode("utf-8"), None, None)
