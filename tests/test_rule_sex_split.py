"""Rule TOC503 (not-sex-disaggregated) and a count of one sex.

A count of people needs a split by sex, unless it counts one sex only: its unit says so
(`woman`), or its name does ("Female police officers", unit `person`). Scoring's
confidence asks the same question (tests/test_scoring_confidence.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from toc_engine.check.config import Selection
from toc_engine.check.pipeline import validate
from toc_engine.findings.examples import VALID


def _codes(tmp_path: Path, name: str, unit: str) -> list[str]:
    text = VALID.replace("        name: Working-group meetings held\n", f"        name: {name}\n")
    text = text.replace("        unit: meeting\n", f"        unit: {unit}\n")
    assert name in text and unit in text
    (tmp_path / "programme.yaml").write_text(text, encoding="utf-8")
    return validate(tmp_path / "programme.yaml", selection=Selection()).codes()


@pytest.mark.parametrize(
    ("name", "unit", "warned"),
    [
        ("Police officers", "person", True),
        ("Women and men trained", "person", True),
        ("Members of women-led committees", "member", True),
        ("Female police officers", "person", False),
        ("Girls enrolled in the course", "participant", False),
        ("Police officers", "woman", False),
        ("Working-group meetings held", "meeting", False),
    ],
)
def test_a_count_of_one_sex_needs_no_split(
    tmp_path: Path, name: str, unit: str, warned: bool
) -> None:
    assert ("TOC503" in _codes(tmp_path, name, unit)) is warned
