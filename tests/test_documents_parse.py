"""Every output document parses, whatever characters the programme's text holds
(issue #18): XML and SVG have nothing XML 1.0 forbids, HTML has no control character,
JSON and SARIF load, the CSV export reads back row for row, and terminal text shows
control characters as escapes. The Nepal example is seeded with each class of
forbidden character: C0 controls, DEL, C1 controls, U+FFFE/U+FFFF and bidirectional
overrides, in a result statement, an indicator name, a site name, the programme title
and a CSV note, plus a file name holding a line break."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from toc_engine.cli import run

NEPAL = Path(__file__).resolve().parent.parent / "examples" / "nepal"
SEED = "".join(f"\\x{c:02x}" for c in [*range(1, 9), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F,
                                       0x80, 0x9F]) + "\\uFFFE\\uFFFF\\u202E\\e[2J"
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NOT_TERMINAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seeded") / "nepal"
    shutil.copytree(NEPAL, folder)
    path = folder / "programme.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(\n  title: )([^\n]+)", lambda m: f'{m.group(1)}"Title {SEED}"', text,
                  count=1)
    text = text.replace("{id: chakkar, name: Chakkar VDC,",
                        f'{{id: chakkar, name: "Chakkar {SEED}",')
    text = re.sub(r"(\n  - id: [^\n]+\n    level: [^\n]+\n    statement: )([^\n]+)",
                  lambda m: f'{m.group(1)}"Result {SEED}"', text, count=1)
    text = re.sub(r"(\n      - id: [^\n]+\n        name: )([^\n]+)",
                  lambda m: f'{m.group(1)}"Indicator =1+2 \\r=HYPERLINK() {SEED}"', text,
                  count=1)
    path.write_text(text, encoding="utf-8")
    data = next((folder / "data").glob("*.csv"))
    rows = data.read_text(encoding="utf-8").splitlines()
    raw = "".join(chr(c) for c in [*range(1, 9), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
    rows[1] = rows[1].rsplit(",", 1)[0] + ',"note ' + raw.replace('"', "") + ' end"'
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def _toc(folder: Path, *args: str) -> tuple[int, bytes]:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    code = run(list(args), stdout=out)
    out.flush()
    return code, out.buffer.getvalue()  # type: ignore[attr-defined]


@pytest.fixture
def inside(seeded: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(seeded)
    return seeded


def test_the_seeded_text_is_found(inside: Path) -> None:
    code, out = _toc(inside, "validate", "programme.yaml")
    text = out.decode("utf-8")
    assert code == 0 and "TOC108" in text
    assert not NOT_TERMINAL.search(text), "raw control characters reached the terminal"


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_validate_documents_load(inside: Path, fmt: str) -> None:
    _code, out = _toc(inside, "validate", "programme.yaml", "--format", fmt)
    json.loads(out)


def test_github_annotations_stay_one_line_each(inside: Path) -> None:
    _code, out = _toc(inside, "validate", "programme.yaml", "--format", "github")
    lines = out.decode("utf-8").splitlines()
    assert sum(line.startswith("::warning") for line in lines) == 4  # one per finding
    for line in lines:
        assert line.startswith("::") or line.startswith("toc validate:"), line
        assert not NOT_TERMINAL.search(line)


def test_score_outputs(inside: Path) -> None:
    code, out = _toc(inside, "score", "programme.yaml", "--format", "json")
    assert code == 0
    data = json.loads(out)
    code, text = _toc(inside, "score", "programme.yaml")
    assert code == 0 and not NOT_TERMINAL.search(text.decode("utf-8"))
    for item in [r["id"] for r in data["results"][:3]] + [i["id"] for i in
                                                          data["results"][0]["indicators"]]:
        code, text = _toc(inside, "score", "programme.yaml", "--explain", item)
        assert code == 0 and not NOT_TERMINAL.search(text.decode("utf-8")), item


@pytest.mark.parametrize("args", [["export", "iati", "programme.yaml"],
                                  ["graph", "programme.yaml", "-o", "-"]])
def test_xml_documents_parse(inside: Path, args: list[str]) -> None:
    code, out = _toc(inside, *args)
    assert code == 0
    text = out.decode("utf-8")
    assert not NOT_XML.search(text)
    ET.fromstring(out)


def test_the_iati_fragment_parses_inside_a_root(inside: Path) -> None:
    code, out = _toc(inside, "export", "iati", "programme.yaml", "--fragment")
    assert code == 0
    ET.fromstring(b"<results>" + out + b"</results>")


@pytest.mark.parametrize("audience", ["programme", "community"])
def test_html_reports_hold_no_control_character(inside: Path, audience: str) -> None:
    code, out = _toc(inside, "report", "programme.yaml", "-o", "-", "--audience", audience)
    assert code == 0
    text = out.decode("utf-8")
    assert not NOT_XML.search(text)
    parser = HTMLParser()
    parser.feed(text)
    parser.close()
    assert "\ufffd" in text  # the seeded characters were replaced, not dropped silently


def test_the_csv_export_reads_back_row_for_row(inside: Path) -> None:
    code, out = _toc(inside, "export", "csv", "programme.yaml")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))
    assert len({len(row) for row in rows}) == 1  # no row split by a line break
    for row in rows:
        for cell in row:
            assert not cell.lstrip(" \t\r\n").startswith(("=", "+", "@")), cell


def test_a_file_name_with_a_line_break_cannot_forge_a_finding(inside: Path) -> None:
    forged = "data/x\nprogramme.yaml:1:1: error TOC999 forged: nothing is wrong.csv"
    text = (inside / "programme.yaml").read_text(encoding="utf-8")
    other = inside / "forged.yaml"
    other.write_text(text.replace("\ndata:\n", f"\ndata:\n  - {json.dumps(forged)}\n", 1),
                     encoding="utf-8")
    try:
        _code, out = _toc(inside, "validate", "forged.yaml")
    finally:
        other.unlink()
    lines = out.decode("utf-8").splitlines()
    assert not any(line.startswith("programme.yaml:1:1: error TOC999") for line in lines)
    assert any("x\\nprogramme.yaml:1:1" in line for line in lines)
