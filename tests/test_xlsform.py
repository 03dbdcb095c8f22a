"""`toc form` end to end: XLSForms converted with pyxform (as KoboToolbox and ODK do),
filled with synthetic submissions exported as each tool would, read back through
`data:`, and scored to values worked out here by hand.

pyxform converts without ODK Validate (`validate=False`): Validate needs Java and checks
the XForm's logic, which these forms (no constraints, no skip logic) do not have.
"""

from __future__ import annotations

import io
import math
import random
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from test_submissions import PROGRAMME, write_csv

import toc_engine
from toc_engine.cli import run

pyxform = pytest.importorskip("pyxform")
XF = "{http://www.w3.org/2002/xforms}"


def make_form(tmp_path: Path, form: str) -> tuple[Path, ET.Element, list[str]]:
    """The XLSForm `toc form` writes, converted; (workbook, XForm root, warnings)."""
    from pyxform.xls2xform import convert

    out = tmp_path / f"{form}.xlsx"
    stdout = io.StringIO()
    assert run(["form", str(tmp_path / "programme.yaml"), "--form", form, "-o", str(out)],
               stdout) == 0
    assert stdout.getvalue().startswith(f"wrote {out}: form demo-{form}, version ")
    warnings: list[str] = []
    result = convert(xlsform=str(out), validate=False, warnings=warnings)
    return out, ET.fromstring(result.xform), warnings


def instance_fields(root: ET.Element) -> list[str]:
    model = root.find(f".//{XF}model")
    assert model is not None
    main = model.find(f"{XF}instance")
    assert main is not None
    data = next(iter(main))
    return [child.tag.removeprefix(XF) for child in data]


def choice_names(root: ET.Element, list_name: str) -> list[str]:
    for instance in root.iter(f"{XF}instance"):
        if instance.get("id") == list_name:
            return [item.findtext(f"{XF}name") or "" for item in instance.iter(f"{XF}item")]
    raise AssertionError(f"no choice list {list_name}")


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "programme.yaml").write_text(
        PROGRAMME + "data:\n"
        "  - {file: data/perception-kobo.csv, form: perception-survey}\n"
        "  - {file: data/perception-odk.csv, form: perception-survey}\n"
        "  - {file: data/score-card.csv, form: score-card}\n",
        encoding="utf-8")
    return tmp_path


def test_forms_convert_fill_and_score_back(programme: Path) -> None:
    _xlsx, survey, warnings = make_form(programme, "perception-survey")
    assert warnings == []
    fields = instance_fields(survey)
    assert fields == ["start", "end", "village", "respondent_sex", "age_band",
                      "safe_after_dark", "meta"]
    languages = {t.get("lang") for t in survey.iter(f"{XF}translation")}
    assert languages == {"English (en)", "Nepali (ne)"}
    assert choice_names(survey, "yes_no_dk") == ["yes", "no", "dk"]
    _xlsx, card, warnings = make_form(programme, "score-card")
    assert warnings == []
    assert instance_fields(card) == ["start", "end", "meeting_date", "village",
                                     "police_score", "meta"]
    scale = choice_names(card, "police_responsive_scale")
    assert scale == ["very_poor", "poor", "fair", "good", "very_good"]

    rng = random.Random(21)
    sites, sexes = choice_names(survey, "sites"), choice_names(survey, "sex")
    ages, answers = choice_names(survey, "age_group"), choice_names(survey, "yes_no_dk")

    def respondents(n: int) -> list[tuple[str, str, str, str]]:
        return [(rng.choice(sites), rng.choice(sexes), rng.choice(ages),
                 rng.choices(answers, weights=[6, 3, 1])[0]) for _ in range(n)]

    q4, q2 = respondents(120), respondents(140)
    # KoboToolbox: semicolons, a byte-order mark, group-free XML names, _uuid and friends
    kobo_header = [*fields[:-1], "meta/instanceID", "_id", "_uuid", "_submission_time",
                   "_index"]
    write_csv(programme / "data/perception-kobo.csv", kobo_header, [
        ["2012-11-05T08:00:00", "2012-11-05T08:09:00", *r, f"uuid:k{n}", str(n), f"k{n}",
         "2012-11-05T09:00:00", str(n)] for n, r in enumerate(q4)], sep=";", bom=True)
    # ODK Central: SubmissionDate first, meta-instanceID, KEY
    odk_header = ["SubmissionDate", *fields[:-1], "meta-instanceID", "KEY", "SubmitterID"]
    write_csv(programme / "data/perception-odk.csv", odk_header, [
        ["2013-05-02T10:00:00.000Z", "2013-05-02T09:00:00.000+05:45",
         "2013-05-02T09:07:00.000+05:45", *r, f"uuid:o{n}", f"uuid:o{n}", "3"]
        for n, r in enumerate(q2)])
    card_answers = ["fair", "good", "good", "poor", "very_good", "good", "fair"]
    write_csv(programme / "data/score-card.csv",
              ["SubmissionDate", "start", "end", "meeting_date", "village", "police_score",
               "meta-instanceID", "KEY"],
              [["2013-06-20T10:00:00.000Z", "", "", "2013-06-12", "chakkar", a, f"uuid:c{n}",
                f"uuid:c{n}"] for n, a in enumerate(card_answers)])

    loaded = toc_engine.load(programme / "programme.yaml")
    assert [d.message for d in loaded.diagnostics] == []
    scored = toc_engine.score(loaded.programme)
    feel = next(i for r in scored.results for i in r.indicators if i.id == "feel-safe")
    # by hand: the latest period (2013-Q2) is the actual; "don't know" left out
    yes = sum(1 for r in q2 if r[3] == "yes")
    valid = sum(1 for r in q2 if r[3] != "dk")
    assert feel.actual is not None and feel.actual.period == "2013-Q2"
    assert feel.actual.value == Decimal(100 * yes) / Decimal(valid)
    assert feel.actual.sample_size == valid
    z = 1.959963984540054

    def wilson(p: float, n: int) -> tuple[float, float]:
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return centre - half, centre + half

    p1, p0 = yes / valid, 0.40
    low1, high1 = wilson(p1, valid)
    low0, high0 = wilson(p0, 150)
    assert feel.survey is not None and feel.survey.actual is not None
    assert feel.survey.actual.low == pytest.approx(100 * low1, abs=1e-6)
    assert feel.survey.actual.high == pytest.approx(100 * high1, abs=1e-6)
    newcombe_low = (p1 - p0) - math.sqrt((p1 - low1) ** 2 + (high0 - p0) ** 2)
    newcombe_high = (p1 - p0) + math.sqrt((high1 - p1) ** 2 + (p0 - low0) ** 2)
    assert feel.survey.significant is (newcombe_low > 0 or newcombe_high < 0)
    assert feel.survey.significant is True  # about 67% against 40% of 150
    # the Kobo quarter is there too, as its own period and site cells
    cells = {(o.period.text, o.site, tuple(o.dimensions.items())): o
             for o in next(i for _r, i in loaded.programme.indicators()
                           if i.id == "feel-safe").observations}
    chakkar_q4 = [r for r in q4 if r[0] == "chakkar" and r[3] != "dk"]
    held = cells[("2012-Q4", "chakkar", ())]
    assert held.sample_size == len(chakkar_q4)
    assert held.value == Decimal(100 * sum(r[3] == "yes" for r in chakkar_q4)) / len(chakkar_q4)
    card_score = next(i for r in scored.results for i in r.indicators
                      if i.id == "police-responsive")
    # by hand: sorted fair fair good good good poor very_good by the scale -> median good
    assert card_score.actual is not None and card_score.actual.value == 3


def test_every_question_has_a_label_in_every_language(programme: Path) -> None:
    # pyxform writes "-" for a translation left empty, and the phone shows that, not the
    # default language: a built-in question (respondent_sex) keeps its text in Nepali too.
    _xlsx, survey, _warnings = make_form(programme, "perception-survey")
    for translation in survey.iter(f"{XF}translation"):
        shown = {text.get("id"): text.findtext(f"{XF}value")
                 for text in translation.iter(f"{XF}text")}
        assert shown["/data/respondent_sex:label"] == "Respondent sex"
        assert "-" not in shown.values(), translation.get("lang")


def test_the_version_follows_the_questions(programme: Path) -> None:
    from openpyxl import load_workbook

    def version() -> str:
        out, _root, _w = make_form(programme, "perception-survey")
        sheet = load_workbook(out)["settings"]
        header = [c.value for c in sheet[1]]
        value = sheet[2][header.index("version")].value
        out.unlink()
        return str(value)

    first = version()
    assert version() == first  # unchanged framework, same version
    path = programme / "programme.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "{name: dk, label:", "{name: dont_know, label:").replace("excludes: [dk]",
                                                                 "excludes: [dont_know]"),
        encoding="utf-8")
    assert version() != first


def test_unknown_form_is_a_usage_error(programme: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    code = run(["form", str(programme / "programme.yaml"), "--form", "perception-survy",
                "-o", str(programme / "x.xlsx")], io.StringIO())
    assert code == 2
    assert "did you mean 'perception-survey'?" in capsys.readouterr().err
    assert not (programme / "x.xlsx").exists()
