"""Whatever bytes arrive, `validate` returns a Report and never raises."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toc_engine.check.config import Selection
from toc_engine.check.pipeline import validate
from toc_engine.check.rules import RULES
from toc_engine.findings.diagnostic import Report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(ROOT.glob("examples/*/programme.yaml"))
SEEDS = [p.read_bytes() for p in EXAMPLES] + [
    (ROOT / "tests" / "cases" / "positive" / "minimal" / "programme.yaml").read_bytes()
]
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_folder = Path(tempfile.mkdtemp(prefix="toc-fuzz-"))


def _check(data: bytes, folder: Path = _folder) -> Report:
    path = folder / "programme.yaml"
    path.write_bytes(data)
    old = Path.cwd()
    os.chdir(folder)
    try:
        report = validate(Path("programme.yaml"), selection=Selection())
    finally:
        os.chdir(old)
    assert isinstance(report, Report)
    for d in report.diagnostics:
        assert d.code in RULES, d
        assert d.message
        assert d.span.line >= 0 and d.span.col >= 0
    return report


@given(st.binary(max_size=2000))
@SETTINGS
def test_random_bytes(data: bytes) -> None:
    _check(data)


YAMLISH = st.text(
    alphabet=st.sampled_from([*"abc01-: \n\t[]{},&*!|>'\"#%@`?.~\\", "é", "\u2028", "\x00"]),
    max_size=400,
)


@given(YAMLISH)
@SETTINGS
def test_random_yamlish_text(text: str) -> None:
    _check(text.encode("utf-8"))


@given(YAMLISH)
@SETTINGS
def test_random_text_after_a_valid_header(text: str) -> None:
    header = b"toc: 1\nprogramme: {id: p, title: P, period: {start: 2012-01-01, end: 2012-12-31}}\n"
    _check(header + b"results:\n  - " + text.encode("utf-8"))


@st.composite
def mutated_examples(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(SEEDS)).split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "indent"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "insert":
            junk = draw(st.binary(min_size=1, max_size=8))
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + junk + lines[i][at:]
        else:
            lines[i] = b"  " + lines[i]
    return b"\n".join(lines)


@given(mutated_examples())
@SETTINGS
def test_mutated_examples(data: bytes) -> None:
    _check(data)


def test_examples_are_valid() -> None:
    """The seeds themselves load and validate without errors (else mutations test little)."""
    assert EXAMPLES
    for example in EXAMPLES:
        old = Path.cwd()
        os.chdir(example.parent)
        try:
            report = validate(Path("programme.yaml"), selection=Selection())
        finally:
            os.chdir(old)
        assert report.valid, [f"{d.span} {d.code} {d.message}" for d in report.diagnostics]
