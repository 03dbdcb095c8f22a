"""`toc_engine.score` as a library caller meets it: it refuses what `toc score` refuses,
says what to pass, and gives flat records with plain floats for a DataFrame."""

from __future__ import annotations

import copy
import json
import pickle
from decimal import Decimal
from pathlib import Path

import pytest

import toc_engine
from toc_engine.check.config import Selection
from toc_engine.formats.score import to_json_text

ROOT = Path(__file__).resolve().parent.parent
NEPAL = ROOT / "examples" / "nepal" / "programme.yaml"
BROKEN = ROOT / "tests" / "cases" / "negative" / "one-mistake-many-findings" / "programme.yaml"


def test_a_programme_with_errors_is_refused_with_its_findings() -> None:
    loaded = toc_engine.load(BROKEN)
    copies = (copy.deepcopy(loaded.programme), pickle.loads(pickle.dumps(loaded.programme)))
    for given in (loaded, loaded.programme, *copies):
        with pytest.raises(toc_engine.InvalidProgrammeError) as raised:
            toc_engine.score(given)
        codes = sorted(d.code for d in raised.value.findings if d.severity.label == "error")
        assert codes == ["TOC101", "TOC105", "TOC309"]
        assert "has 3 errors and is not scored" in str(raised.value)
        assert "allow_errors=True" in str(raised.value)


def test_allow_errors_scores_what_is_sound() -> None:
    scored = toc_engine.score(toc_engine.load(BROKEN), allow_errors=True)
    assert [r.id for r in scored.results] == ["meetings-held", "women-feel-safer"]


def test_a_waiver_in_the_selection_lets_it_be_scored() -> None:
    waived = Selection(ignore={"TOC1": "typed by hand", "TOC309": "enumerator names"})
    scored = toc_engine.score(toc_engine.load(BROKEN), selection=waived)
    assert scored.programme == "chakkar-cs"


def test_a_file_that_could_not_be_read_is_refused_not_an_attribute_error(tmp_path: Path) -> None:
    (tmp_path / "programme.yaml").write_text("toc: 1\nprogramme: [unclosed\n", encoding="utf-8")
    loaded = toc_engine.load(tmp_path / "programme.yaml")
    assert loaded.programme is None
    with pytest.raises(toc_engine.InvalidProgrammeError) as raised:
        toc_engine.score(loaded)
    assert [d.code for d in raised.value.findings] == ["TOC001"]


@pytest.mark.parametrize(
    ("given", "words"),
    [
        (None, "score() needs a programme, got None: pass what toc_engine.load(path) returns"),
        ("programme.yaml", "got str: pass toc_engine.load(path) (a LoadedProgramme) or its "
                           ".programme, not the path itself"),
        (NEPAL, "not the path itself"),
        ({"toc": 1}, "got dict: pass toc_engine.load(path)"),
    ],
)
def test_anything_else_is_a_type_error_that_says_what_to_pass(given: object, words: str) -> None:
    with pytest.raises(TypeError) as raised:
        toc_engine.score(given)  # type: ignore[arg-type]
    assert words in str(raised.value)


@pytest.fixture(scope="module")
def nepal() -> toc_engine.scoring.ProgrammeScore:  # type: ignore[name-defined]
    return toc_engine.score(toc_engine.load(NEPAL))


def test_records_are_flat_and_plain(nepal: object) -> None:
    scored = nepal
    for kind in ("results", "indicators", "links"):
        rows = scored.records(kind)  # type: ignore[attr-defined]
        assert rows, kind
        keys = list(rows[0])
        for row in rows:
            assert list(row) == keys, kind  # the same columns in every row
            for value in row.values():
                assert value is None or type(value) in (str, float, int, bool), (kind, value)
                assert not isinstance(value, Decimal)
    results = scored.records("results")  # type: ignore[attr-defined]
    women = next(r for r in results if r["result"] == "women-safer-nepal")
    assert women["band"] == "B" and women["delivery"] == pytest.approx(79.285714286)
    indicators = scored.records("indicators")  # type: ignore[attr-defined]
    totals = [r for r in indicators if r["breakdown"] is None]
    assert len(totals) == sum(len(r.indicators) for r in scored.results)  # type: ignore[attr-defined]
    sites = [r for r in indicators if r["site"] == "manthali"]
    assert sites and all(r["breakdown"].startswith("site=manthali") for r in sites)
    with pytest.raises(ValueError, match="use one of results, indicators, links"):
        scored.records("sites")  # type: ignore[attr-defined]


def test_pandas_takes_the_records_with_numeric_columns(nepal: object) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(nepal.records("indicators"))  # type: ignore[attr-defined]
    assert str(frame["progress"].dtype) == "float64"
    assert str(frame["actual"].dtype) == "float64"
    links = pandas.DataFrame(nepal.records("links"))  # type: ignore[attr-defined]
    assert list(links.columns[1:3]) == ["source", "target"]
    assert str(links["posterior"].dtype) == "float64"


def test_python_and_json_name_a_links_ends_alike(nepal: object) -> None:
    link = nepal.links[0]  # type: ignore[attr-defined]
    data = json.loads(to_json_text(nepal))["links"][0]  # type: ignore[arg-type]
    assert (data["source"], data["target"]) == (link.source, link.target)
    assert (data["from"], data["to"]) == (link.source, link.target)  # deprecated, kept
