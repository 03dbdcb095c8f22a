"""`--lang`: outputs declare the language they are written in, and say when it is not the
one asked for; every output that shows programme text honours it (CSV too)."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest

from toc_engine.cli import run

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import tiny

WARNING = (
    "toc: warning: --lang ach: the programme has no text in 'ach' (it has bn, ne besides "
    "English); writing English instead (declared as 'en'). To add it, write texts per "
    "language, e.g. statement: {en: ..., ach: ...}\n"
)


def _toc(*argv: str) -> int:
    return run(list(argv), io.StringIO())


def test_sheet_in_a_language_without_text_warns_and_declares_english(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sheet.html"
    assert _toc("report", str(tiny(tmp_path)), "--audience", "community", "--lang", "ach",
                "-o", str(out)) == 0
    assert capsys.readouterr().err == WARNING
    page = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and 'lang="ach"' not in page
    assert "Women are harassed outside" in page


@pytest.mark.parametrize("argv", [
    ("report", "-o", "r.html"),
    ("export", "iati", "--activity", "-o", "r.xml"),
    ("export", "csv", "-o", "r.csv"),
])
def test_every_output_warns_the_same_way(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         argv: tuple[str, ...]) -> None:
    path = tiny(tmp_path)
    args = [a if not a.startswith("r.") else str(tmp_path / a) for a in argv]
    assert _toc(*args[:-2], str(path), "--lang", "ach", *args[-2:]) == 0
    assert capsys.readouterr().err.startswith(WARNING)  # the export's own findings follow
    text = (tmp_path / argv[-1]).read_text(encoding="utf-8")
    assert '"ach"' not in text  # no lang="ach", xml:lang="ach"


def test_a_language_the_programme_has_is_used_without_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    assert _toc("report", str(tiny(tmp_path)), "--lang", "ne-NP", "-o", str(out)) == 0
    assert capsys.readouterr().err == ""
    page = out.read_text(encoding="utf-8")
    assert '<html lang="ne-NP">' in page and "१५० घरमा शौचालय बने" in page


def test_plain_text_programme_warns_that_it_is_english_only(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "sheet.html"
    assert _toc("report", str(root / "examples" / "nepal" / "programme.yaml"), "--audience",
                "community", "--lang", "bn", "-o", str(out)) == 0
    assert "(its text is English only)" in capsys.readouterr().err
    assert '<html lang="en">' in out.read_text(encoding="utf-8")


def test_csv_export_honours_lang(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "name: Households with a toilet",
        "name: {en: Households with a toilet, ne: शौचालय भएका घरधुरी}")
    path.write_text(text, encoding="utf-8")
    names = {}
    for lang in ("en", "ne"):
        out = tmp_path / f"{lang}.csv"
        assert _toc("export", "csv", str(path), "--lang", lang, "-o", str(out)) == 0
        with out.open(encoding="utf-8", newline="") as stream:
            rows = [r for r in csv.DictReader(stream) if r["indicator"] == "toilets-built"]
        names[lang] = {r["name"] for r in rows}
    assert names == {"en": {"Households with a toilet"}, "ne": {"शौचालय भएका घरधुरी"}}
