"""`toc export iati` as IATI readers take it: a well-formed document valid against the
2.03 XSD (lxml), and the checks of IATI's standard ruleset that can be written down here:
a sector from the DAC codelist, identifiers that begin with the reporting organisation's,
periods of one indicator that do not overlap, each holding the target and the actual of the
same period; cumulative indicators as running totals; warnings for placeholders (TOC901)
and for library text exported without adaptation (TOC902)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toc_engine.cli import run
from toc_engine.formats.report.iati import reporting_periods
from toc_engine.schema.model import Indicator
from toc_engine.schema.sectors import dac_sectors

etree = pytest.importorskip("lxml.etree", reason="lxml is not installed (pip install lxml)")

ROOT = Path(__file__).resolve().parent.parent
XSD = ROOT.parent / "shared" / "iati-2.03" / "iati-activities-schema.xsd"
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/programme.yaml"))

UGANDA = """\
toc: 1
programme:
  id: uganda-cs
  title: Community safety in Gulu
  country: UG
  iati_identifier: GB-CHC-1234567-UG-2014
  sectors: [{sectors}]
  period: {{start: 2014-01-01, end: 2015-12-31}}
  organisations:
    - {{id: lead-ngo, name: Lead NGO, role: lead, iati_identifier: GB-CHC-1234567}}
results:
  - id: meetings-held
    level: output
    statement: Working groups meet police and sub-county officials
    contributes_to:
      - to: people-feel-safer
        rationale: Meeting together builds trust
    indicators:
      - id: joint-meetings
        use: relationships/joint-safety-meetings
        chosen_by: community
        cumulative: true
{own_definition}        baseline: {{period: 2013, value: 0}}
        targets: [{{period: 2014, value: 12}}, {{period: 2015, value: 24}}]
        observations:
          - {{period: 2014-Q2, value: 5}}
          - {{period: 2014-Q4, value: 6}}
          - {{period: 2015-Q2, value: 7}}
  - id: people-feel-safer
    level: impact
    statement: People in Gulu feel safe
"""


def _uganda(tmp_path: Path, sectors: str = "15220", own_definition: str = "") -> Path:
    (tmp_path / "programme.yaml").write_text(
        UGANDA.format(sectors=sectors, own_definition=own_definition), encoding="utf-8")
    return Path("programme.yaml")  # findings name it as given, relative to the working folder


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _export(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = run(["export", "iati", *argv], stdout=out)
    return code, out.getvalue(), capsys.readouterr().err


@pytest.fixture(scope="module")
def xsd() -> object:
    if not XSD.exists():
        pytest.skip(f"the IATI 2.03 schema is not at {XSD}")
    return etree.XMLSchema(etree.parse(str(XSD)))


def _ruleset(document: bytes) -> list[str]:
    """The standard ruleset's checks on an activity file that can be written down here."""
    problems = []
    codes = dac_sectors()
    for activity in etree.fromstring(document).iter("iati-activity"):
        identifier = activity.findtext("iati-identifier")
        reporting = activity.find("reporting-org").get("ref")
        if not identifier.startswith(reporting + "-"):
            problems.append(f"{identifier} does not begin with {reporting}")
        sectors = activity.findall("sector")
        if not sectors:
            problems.append("no sector")
        for sector in sectors:
            if sector.get("vocabulary") != "1" or not codes[sector.get("code")].active:
                problems.append(f"sector {sector.get('code')} is not an active DAC code")
        if sum(Decimal(s.get("percentage", "100")) for s in sectors) != 100:
            problems.append("sector percentages do not add up to 100")
        for indicator in activity.iter("indicator"):
            spans = sorted((p.find("period-start").get("iso-date"),
                            p.find("period-end").get("iso-date"))
                           for p in indicator.findall("period"))
            for (start, end), (next_start, _) in pairwise(spans):
                if next_start <= end:
                    problems.append(f"periods overlap: {start}..{end} and {next_start}")
            problems += [f"period {s}..{e} ends before it starts" for s, e in spans if e < s]
    return problems


@pytest.mark.parametrize("country", EXAMPLES)
def test_examples_export_a_valid_document(country: str, xsd: object,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, text, err = _export(str(ROOT / "examples" / country / "programme.yaml"), capsys=capsys)
    assert code == 0
    document = etree.fromstring(text.encode("utf-8"))  # well-formed, one root
    assert document.tag == "iati-activities" and len(document.findall("iati-activity")) == 1
    xsd.assertValid(document)  # type: ignore[attr-defined]
    problems = _ruleset(text.encode("utf-8"))
    # The examples have no organisation identifier (the field report gives none): the only
    # rule they break is the placeholder's, and the export says so.
    assert [p for p in problems if "does not begin" not in p] == []
    assert "TOC901" in err and "placeholder" in err
    assert "TOC109" not in err and "no `programme.sectors`" not in err


def test_nepal_periods_hold_target_and_actual_together(
        capsys: pytest.CaptureFixture[str]) -> None:
    _, text, _ = _export(str(ROOT / "examples" / "nepal" / "programme.yaml"), capsys=capsys)
    root = etree.fromstring(text.encode("utf-8"))
    periods = root.findall(".//indicator/period")
    both = [p for p in periods if p.find("target") is not None and p.find("actual") is not None]
    # 17 indicators, one target period each; only women-confident-to-complain has no
    # observation in its target's year (2013; measured in 2012), so 16 periods hold both.
    assert len(periods) == 26 and len(both) == 16
    toilets = root.xpath(".//indicator[reference/@code='households-with-toilet']")[0]
    assert toilets.get("aggregation-status") == "1"  # additions in households: summable
    [period] = toilets.findall("period")
    assert period.find("target").get("value") == "150"
    assert period.find("actual").get("value") == "150"  # 40 + 55 + 35 + 20, a running total


def test_real_identifiers_pass_the_ruleset_without_warnings(
        tmp_path: Path, xsd: object, capsys: pytest.CaptureFixture[str]) -> None:
    path = _uganda(tmp_path, own_definition="        definition: Meetings with police and "
                   "sub-county officials, with minutes\n")
    code, text, err = _export(str(path), capsys=capsys)
    assert (code, err) == (0, "")
    xsd.assertValid(etree.fromstring(text.encode("utf-8")))  # type: ignore[attr-defined]
    assert _ruleset(text.encode("utf-8")) == []
    root = etree.fromstring(text.encode("utf-8"))
    assert root.find(".//reporting-org").get("ref") == "GB-CHC-1234567"
    assert root.find(".//participating-org").get("ref") == "GB-CHC-1234567"
    actuals = [(p.find("period-start").get("iso-date"), p.find("actual").get("value"))
               for p in root.iter("period")]
    assert actuals == [("2014-01-01", "11"), ("2015-01-01", "18")]  # running totals


def test_several_sectors_keep_their_shares(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = _uganda(tmp_path, "{code: 15220, percentage: 70}, {code: 15210, percentage: 30}",
                   "        definition: Meetings with police\n")
    _, text, _ = _export(str(path), capsys=capsys)
    sectors = etree.fromstring(text.encode("utf-8")).findall(".//sector")
    assert [(s.get("code"), s.get("percentage")) for s in sectors] == [
        ("15220", "70"), ("15210", "30")]


def test_placeholders_and_missing_sector_are_warnings(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = Path("programme.yaml")
    path.write_text(UGANDA.format(sectors="15220", own_definition="").replace(
        "  sectors: [15220]\n", "").replace("iati_identifier: GB-CHC-1234567}",
                                            "iati_identifier: XX-TOC-lead}"), encoding="utf-8")
    for extra in ([], ["--activity"]):
        code, text, err = _export(str(path), *extra, capsys=capsys)
        assert code == 0 and text.startswith("<?xml")
        assert (f"{path}:9:67: warning TOC901 iati-placeholder: the lead organisation's "
                "`iati_identifier` XX-TOC-lead is a placeholder\n") in err
        assert (f"{path}:2:1: warning TOC901 iati-placeholder: no `programme.sectors`: the "
                "IATI file has no <sector>, which IATI's standard ruleset requires\n") in err


def test_no_identifier_names_the_placeholder(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = Path("programme.yaml")
    path.write_text(UGANDA.format(sectors="15220", own_definition="").replace(
        "  iati_identifier: GB-CHC-1234567-UG-2014\n", ""), encoding="utf-8")
    code, text, err = _export(str(path), capsys=capsys)
    assert code == 0
    assert "<iati-identifier>XX-TOC-uganda-cs</iati-identifier>" in text
    assert (f"{path}:2:1: warning TOC901 iati-placeholder: no `programme.iati_identifier`: "
            "the IATI file names the activity XX-TOC-uganda-cs, a placeholder no registry "
            "accepts\n") in err


def test_library_text_for_another_country_is_flagged(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text, err = _export(str(_uganda(tmp_path)), capsys=capsys)
    assert code == 0 and "union parishad" in text  # exported as it is, and said so
    assert ("programme.yaml:20:14: warning TOC902 library-text-not-adapted: "
            "indicator 'joint-meetings': its `definition` is the library's text "
            "(relationships/joint-safety-meetings), meant to be adapted: names the local "
            "authorities of Nepal (VDC) and Bangladesh (union parishad); name the programme's "
            "own\n") in err
    code, _, err = _export(str(_uganda(tmp_path, own_definition="        definition: Meetings "
                                       "with police and sub-county officials\n")),
                           capsys=capsys)
    assert code == 0 and "TOC902" not in err


def test_fragment_is_only_the_results(capsys: pytest.CaptureFixture[str]) -> None:
    nepal = str(ROOT / "examples" / "nepal" / "programme.yaml")
    code, text, err = _export(nepal, "--fragment", capsys=capsys)
    assert code == 0 and text.startswith("<result ")
    assert "TOC901" not in err  # identifiers belong to the file it is pasted into
    etree.fromstring(("<results>" + text + "</results>").encode("utf-8"))


_DAY = date(2012, 1, 1)
spans = st.tuples(st.integers(0, 700), st.integers(0, 200)).map(
    lambda p: {"start": (_DAY + timedelta(days=p[0])).isoformat(),
               "end": (_DAY + timedelta(days=p[0] + p[1])).isoformat()})


@settings(max_examples=60, deadline=None)
@given(targets=st.lists(spans, max_size=4), observations=st.lists(spans, max_size=8))
def test_reporting_periods_never_overlap_and_keep_every_item(
        targets: list[dict[str, str]], observations: list[dict[str, str]]) -> None:
    indicator = Indicator.model_validate({
        "id": "x", "name": "X", "unit": "meeting", "direction": "increase",
        "targets": [{"period": p, "value": 1} for p in targets],
        "observations": [{"period": p, "value": 1} for p in observations]})
    periods = reporting_periods(indicator, date(2100, 1, 1))
    for before, after in pairwise(periods):
        assert before.end < after.start
    assert sum(len(p.targets) for p in periods) == len(targets)
    assert sum(len(p.observations) for p in periods) == len(observations)
    for period in periods:
        for item in [*period.targets, *period.observations]:
            assert period.start <= item.period.start and item.period.end <= period.end


def test_a_waived_export_rule_stays_quiet(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = _uganda(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "lint:\n  ignore:\n    - {code: TOC902, reason: \"the definition "
                    "fits Nepal, where the programme also works\"}\n", encoding="utf-8")
    code, _, err = _export(str(path), capsys=capsys)
    assert (code, err) == (0, "")
