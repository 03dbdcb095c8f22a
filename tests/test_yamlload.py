"""The YAML loader: 1.2 semantics, exact positions, and refusing hostile input safely."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest

from toc_engine.loading.files import decode
from toc_engine.loading.positions import PosDict, PosList, unpack
from toc_engine.loading.yaml import MAX_DEPTH, load_yaml_text
from toc_engine.schema.programme import load


def _data(text: str):
    loaded = load_yaml_text(text, "t.yaml")
    assert loaded.diagnostics == [], [d.message for d in loaded.diagnostics]
    return loaded.data


def _codes(text: str) -> list[str]:
    return [d.code for d in load_yaml_text(text, "t.yaml").diagnostics]


# --- YAML 1.2 core schema ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("NO", "NO"),
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("Off", "Off"),
        ("y", "y"),
        ("010", 10),
        ("0o17", 15),
        ("0x1F", 31),
        ("1:20", "1:20"),
        ("1_000", "1_000"),
        ("1.5", Decimal("1.5")),
        ("62.5", Decimal("62.5")),
        ("-3", -3),
        ("1e3", Decimal("1e3")),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("2012-11-15", "2012-11-15"),
        ("2012", 2012),
        ("'010'", "010"),
        ('"1.5"', "1.5"),
        ("!!str 12", "12"),
        ("!!float 3", Decimal(3)),
    ],
)
def test_scalars_follow_yaml_1_2(written: str, value: object) -> None:
    loaded = _data(f"x: {written}\n")["x"]
    assert loaded == value
    assert type(loaded) is type(value)


def test_country_no_stays_norway() -> None:
    assert _data("programme: {country: NO}\n") == {"programme": {"country": "NO"}}


def test_infinity_loads_and_the_schema_flags_it(tmp_path: Path, monkeypatch) -> None:
    assert _data("x: .inf\n")["x"] == float("inf")
    from toc_engine.check.config import Selection
    from toc_engine.check.pipeline import validate
    from toc_engine.findings.examples import VALID

    monkeypatch.chdir(tmp_path)
    Path("programme.yaml").write_text(
        VALID.replace("value: 12}", "value: .inf}"), encoding="utf-8"
    )
    report = validate(Path("programme.yaml"), selection=Selection())
    assert "TOC107" in report.codes()


def test_keys_are_text() -> None:
    data = _data("2012: a\ntrue: b\n1.5: c\n")
    assert list(data) == ["2012", "true", "1.5"]


# --- positions -----------------------------------------------------------------------------


def test_positions_of_keys_and_values_are_exact() -> None:
    text = textwrap.dedent(
        """\
        toc: 1
        programme:
          id: demo
          title:   Spaced title
        results:
          - id: a
            level: impact
          - {id: b, level: output}
        """
    )
    data = _data(text)
    assert isinstance(data, PosDict)
    assert unpack(data.keypos["programme"]) == (2, 1)
    assert unpack(data.valpos["toc"]) == (1, 6)
    programme = data["programme"]
    assert unpack(programme.keypos["title"]) == (4, 3)
    assert unpack(programme.valpos["title"]) == (4, 12)
    results = data["results"]
    assert isinstance(results, PosList)
    assert [unpack(p) for p in results.itempos] == [(6, 5), (8, 5)]
    assert unpack(results[0].valpos["level"]) == (7, 12)
    assert unpack(results[1].keypos["level"]) == (8, 13)
    assert unpack(results[1].valpos["level"]) == (8, 20)


def test_source_map_span_of_key_and_value() -> None:
    loaded = load_yaml_text("a:\n  b: [x, {c: y}]\n", "t.yaml")
    span = loaded.source.span
    assert (span(("a", "b", 1, "c")).line, span(("a", "b", 1, "c")).col) == (2, 14)
    assert (span(("a", "b", 1, "c"), True).line, span(("a", "b", 1, "c"), True).col) == (2, 11)
    missing = span(("a", "b", 1, "nope"))  # falls back to the closest container
    assert (missing.line, missing.col) == (2, 10)


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_bom_and_crlf_keep_line_numbers(prefix: bytes, newline: bytes) -> None:
    raw = prefix + newline.join([b"toc: 1", b"# comment", b"results:", b"  - id: x", b""])
    text = decode(raw, "t.yaml").text
    assert text is not None
    data = _data(text)
    assert data["results"][0]["id"] == "x"
    assert unpack(data["results"][0].valpos["id"]) == (4, 9)
    assert unpack(data.keypos["toc"]) == (1, 1)


# --- problems become findings ----------------------------------------------------------------


def test_duplicate_key_is_reported_at_the_second_key() -> None:
    loaded = load_yaml_text("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n", "t.yaml")
    [finding] = loaded.diagnostics
    assert finding.code == "TOC002"
    assert (finding.span.line, finding.span.col) == (5, 3)
    assert "line 3, column 3" in finding.message
    assert loaded.data["b"]["c"] == 1  # the first value is kept


def test_small_aliases_are_fine() -> None:
    data = _data("base: &b {unit: person}\none: *b\ntwo: *b\nlist: &l [1, 2]\nagain: *l\n")
    assert data["one"] == {"unit": "person"} and data["again"] == [1, 2]


def test_billion_laughs_is_refused_quickly() -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    started = time.perf_counter()
    loaded = load_yaml_text(text, "t.yaml")
    elapsed = time.perf_counter() - started
    assert [d.code for d in loaded.diagnostics] == ["TOC008"]
    assert loaded.data is None
    assert elapsed < 5  # a generous guard; the real budget is measured in bench/


def test_nesting_just_below_the_limit_loads() -> None:
    depth = MAX_DEPTH - 2  # the top-level mapping and `a` count too
    data = _data("a: " + "[" * depth + "]" * depth + "\n")
    assert isinstance(data["a"], list)


def test_nesting_too_deep_is_refused() -> None:
    loaded = load_yaml_text("a: " + "[" * 100 + "]" * 100 + "\n", "t.yaml")
    [finding] = loaded.diagnostics
    assert finding.code == "TOC009"
    assert finding.span.line == 1


def test_deep_block_nesting_is_refused() -> None:
    text = "".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "v: 1\n"
    assert _codes(text) == ["TOC009"]


DEEP_SHAPES = {
    "balanced": 'text = "[" * DEPTH + "]" * DEPTH',
    "unclosed": 'text = "[" * DEPTH',
    "mappings": 'text = "a: " + "{a: " * DEPTH',
}


@pytest.mark.parametrize("shape", sorted(DEEP_SHAPES))
@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_very_deep_nesting_is_refused_without_crashing(depth: int, shape: str) -> None:
    """libyaml's recursive composer segfaults near 100k levels: run in a subprocess.

    Unclosed brackets once skipped the cheap pre-check and crashed the interpreter.
    """
    code = (
        f"DEPTH = {depth}\n{DEEP_SHAPES[shape]}\n"
        "from toc_engine.loading.yaml import load_yaml_text\n"
        "print(','.join(d.code for d in load_yaml_text(text, 't.yaml').diagnostics))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    assert done.stdout.split() == ["TOC009"]


def test_python_tags_are_refused_and_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "constructed"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\n"
    loaded = load_yaml_text(text, "t.yaml")
    [finding] = loaded.diagnostics
    assert finding.code == "TOC007"
    assert (finding.span.line, finding.span.col) == (1, 4)
    assert loaded.data is None
    assert not marker.exists()


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object:collections.OrderedDict {}\n",
        "a: !!python/name:os.system\n",
        "a: !custom 1\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!set {x}\n",
        "a: !!int abc\n",
    ],
)
def test_other_tags_are_refused(text: str) -> None:
    assert _codes(text) == ["TOC007"]


def test_multiple_documents() -> None:
    loaded = load_yaml_text("toc: 1\n---\ntoc: 2\n", "t.yaml")
    [finding] = loaded.diagnostics
    assert finding.code == "TOC014"
    assert finding.span.line == 2


def test_leading_document_marker_is_fine() -> None:
    assert _data("---\ntoc: 1\n") == {"toc": 1}


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "   \n# x\n"])
def test_empty_file(text: str) -> None:
    assert _codes(text) == ["TOC005"]


def test_syntax_error_is_a_located_finding() -> None:
    loaded = load_yaml_text("a: [1, 2\nb: 3\n", "t.yaml")
    [finding] = loaded.diagnostics
    assert finding.code == "TOC001"
    assert finding.span.line >= 1


@pytest.mark.parametrize(
    ("raw", "line", "col"),
    [
        (b"toc: 1\ntitle: caf\xe9\n", 2, 11),
        (b"\xff\n", 1, 1),
        (b"a: 1\nb: \xc3\xa9 ok \x80\n", 2, 9),
    ],
)
def test_non_utf8_byte_is_located(raw: bytes, line: int, col: int) -> None:
    result = decode(raw, "t.yaml")
    assert result.text is None
    [finding] = result.diagnostics
    assert finding.code == "TOC004"
    assert (finding.span.line, finding.span.col) == (line, col)
    assert f"line {line}, column {col}" in finding.message


def test_not_utf8_message_is_one_line() -> None:
    raw = b"toc: 1\nprogramme:\n  title: S\xe9curit\xe9 \xe0 Chakkar\n"
    [finding] = decode(raw, "t.yaml").diagnostics
    assert "\n" not in finding.message and "\r" not in finding.message


def test_utf16_is_reported() -> None:
    [finding] = decode("toc: 1\n".encode("utf-16"), "t.yaml").diagnostics
    assert finding.code == "TOC004"


def test_load_reports_file_problems_as_findings(tmp_path: Path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_bytes(b"toc: 1\x00\n")
    loaded = load(path)
    assert loaded.programme is None
    assert [d.code for d in loaded.diagnostics] == ["TOC013"]
    loaded = load(tmp_path / "missing.yaml")
    assert [d.code for d in loaded.diagnostics] == ["TOC012"]


def test_a_tab_after_a_dash_is_called_separation_not_indentation() -> None:
    from toc_engine.loading.yaml import load_yaml_text

    head = "toc: 1\nresults:\n"
    for text, words in ((head + "  -\tid: a\n", "a tab separates '-' from what follows"),
                        (head + "\t- id: a\n", "a tab character is used for indentation")):
        loaded = load_yaml_text(text, "p.yaml")
        [finding] = [d for d in loaded.diagnostics if d.code == "TOC003"]
        assert words in finding.message
