"""Raw KoboToolbox and ODK Central exports read through `data:` (forms, collect).

Synthetic submissions are written as each tool exports them; the derived observations
and the scores are compared with values computed by hand here.
"""

from __future__ import annotations

import io
import math
from decimal import Decimal
from pathlib import Path

import pytest

import toc_engine
from toc_engine.cli import run

PROGRAMME = """\
toc: 1
programme:
  id: demo
  title: Demo programme
  period: {start: 2012-01-01, end: 2013-12-31}
sites:
  - {id: chakkar, name: Chakkar VDC}
  - {id: bhaluhi, name: {en: Bhaluhi, ne: भलुही}}
forms:
  - id: perception-survey
    title: {en: Community safety perception survey, ne: सामुदायिक सुरक्षा सर्वेक्षण}
    site_question: village
    dimensions: {sex: respondent_sex, age_group: age_band}
    period: quarter
    choices:
      yes_no_dk:
        - {name: "yes", label: {en: "Yes", ne: "हो"}}
        - {name: "no", label: {en: "No", ne: "होइन"}}
        - {name: dk, label: {en: Don't know, ne: थाहा छैन}}
      sex:
        - {name: female, label: {en: Woman, ne: महिला}}
        - {name: male, label: {en: Man, ne: पुरुष}}
      age_group:
        - {name: a15_24, label: 15-24}
        - {name: a25_plus, label: 25 or older}
  - id: score-card
    site_question: village
    period: quarter
    date_field: meeting_date
results:
  - id: people-feel-safer
    level: impact
    statement: People in the village feel safe
    indicators:
      - id: feel-safe
        name: Residents who feel safe after dark
        measure: percentage
        direction: increase
        chosen_by: community
        method: survey
        source: Household survey
        disaggregate_by: [sex, age_group]
        baseline: {period: 2011, value: 40, sample_size: 150}
        targets: [{period: 2013, value: 60}]
        collect:
          form: perception-survey
          question: safe_after_dark
          type: select_one yes_no_dk
          label:
            en: Do you feel safe outside your home after dark?
            ne: के तपाईं अँध्यारोमा सुरक्षित महसुस गर्नुहुन्छ?
          counts_as: ["yes"]
          excludes: [dk]
      - id: police-responsive
        name: Police responsiveness rated by the score card
        measure: ordinal
        scale: [very poor, poor, fair, good, very good]
        direction: increase
        chosen_by: community
        method: score_card
        source: Community score card meetings
        baseline: {period: 2011, value: poor}
        targets: [{period: 2013, value: good}]
        collect: {form: score-card, question: police_score, type: select_one}
"""

KOBO_HEADER = ["start", "end", "village", "respondent/respondent_sex", "respondent/age_band",
               "questions/safe_after_dark", "_id", "_uuid", "_submission_time", "_index"]


def kobo_rows(answers: list[tuple[str, str, str, str]], first: int = 1,
              day: str = "2012-11-02") -> list[list[str]]:
    """(village, sex, age, answer) as KoboToolbox exports them, one row each."""
    return [
        [f"{day}T08:00:00", f"{day}T08:10:00", village, sex, age, answer,
         str(100 + n), f"k-{n:05d}", f"{day}T09:00:00", str(n)]
        for n, (village, sex, age, answer) in enumerate(answers, start=first)
    ]


def write_csv(path: Path, header: list[str], rows: list[list[str]], sep: str = ",",
              bom: bool = False) -> None:
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")


def programme_dir(tmp_path: Path, data: str) -> Path:
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "programme.yaml").write_text(PROGRAMME + "data:\n" + data, encoding="utf-8")
    return tmp_path / "programme.yaml"


# 2012-Q4 answers. Chakkar: 60 valid (women 40, 30 yes; men 20, 10 yes), 8 don't know.
# Bhaluhi: 40 valid (women 20, 16 yes; men 20, 12 yes), 4 don't know.
CHAKKAR = ([("Chakkar VDC", "female", "a15_24", "yes")] * 30
           + [("chakkar", "female", "a25_plus", "no")] * 10
           + [("Chakkar VDC", "male", "a25_plus", "yes")] * 10
           + [("Chakkar VDC", "male", "a15_24", "no")] * 10
           + [("Chakkar VDC", "female", "a15_24", "dk")] * 8)
BHALUHI = ([("Bhaluhi", "female", "a15_24", "yes")] * 16
           + [("bhaluhi", "female", "a25_plus", "no")] * 4
           + [("Bhaluhi", "male", "a25_plus", "yes")] * 12
           + [("Bhaluhi", "male", "a15_24", "no")] * 8
           + [("Bhaluhi", "male", "a15_24", "dk")] * 4)


def observations(loaded: toc_engine.LoadedProgramme, ident: str) -> dict[tuple, tuple]:
    assert loaded.programme is not None
    indicator = next(i for _r, i in loaded.programme.indicators() if i.id == ident)
    return {
        (o.period.text, o.site, tuple(sorted(o.dimensions.items()))): (o.value, o.sample_size)
        for o in indicator.observations
    }


def wilson_percent(hits: int, n: int) -> tuple[float, float]:
    """The 95% Wilson interval, worked out here from its formula."""
    z = 1.959963984540054
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


def test_kobo_export_gives_exact_cells_and_survey_statistics(tmp_path: Path) -> None:
    path = programme_dir(
        tmp_path, "  - {file: data/perception-2012-q4.csv, form: perception-survey}\n")
    write_csv(tmp_path / "data/perception-2012-q4.csv", KOBO_HEADER, kobo_rows(CHAKKAR + BHALUHI),
              sep=";", bom=True)
    loaded = toc_engine.load(path)
    assert [d.code for d in loaded.diagnostics] == []
    cells = observations(loaded, "feel-safe")
    # total: 30+10+16+12 = 68 yes of 100 valid (12 don't know left out)
    assert cells[("2012-Q4", None, ())] == (Decimal(68), 100)
    assert cells[("2012-Q4", "chakkar", ())] == (Decimal(40) * 100 / 60, 60)
    assert cells[("2012-Q4", "bhaluhi", ())] == (Decimal(28) * 100 / 40, 40)
    assert cells[("2012-Q4", None, (("sex", "female"),))] == (Decimal(46) * 100 / 60, 60)
    assert cells[("2012-Q4", "chakkar", (("sex", "female"),))] == (Decimal(75), 40)
    assert cells[("2012-Q4", "chakkar", (("age_group", "a15_24"), ("sex", "female")))] == (
        Decimal(100), 30)
    report = toc_engine.validate(loaded)
    assert report.valid, [d.message for d in report.diagnostics]
    score = toc_engine.score(loaded.programme)
    feel = next(i for r in score.results for i in r.indicators if i.id == "feel-safe")
    assert feel.actual is not None and feel.actual.value == Decimal(68)
    assert feel.survey is not None and feel.survey.actual is not None
    low, high = wilson_percent(68, 100)
    assert feel.survey.actual.low == pytest.approx(low, abs=1e-6)
    assert feel.survey.actual.high == pytest.approx(high, abs=1e-6)
    # 40% of 150 at baseline against 68% of 100: Newcombe's interval excludes zero
    assert feel.survey.significant is True
    assert feel.progress == Decimal("1.4")  # (68 - 40) / (60 - 40)


ODK_HEADER = ["SubmissionDate", "start", "end", "village", "respondent-respondent_sex",
              "respondent-age_band", "questions-safe_after_dark", "meta-instanceID", "KEY",
              "SubmitterID", "ReviewState"]


def odk_rows(answers: list[tuple[str, str, str, str]], day: str) -> list[list[str]]:
    return [
        [f"{day}T10:00:00.000Z", f"{day}T09:00:00.000+05:45", f"{day}T09:10:00.000+05:45",
         village, sex, age, answer, f"uuid:o-{n:05d}", f"uuid:o-{n:05d}", "7", ""]
        for n, (village, sex, age, answer) in enumerate(answers, start=1)
    ]


def test_odk_and_kobo_exports_are_pooled_by_period(tmp_path: Path) -> None:
    path = programme_dir(
        tmp_path,
        "  - {file: data/kobo.csv, form: perception-survey}\n"
        "  - {file: data/odk.csv, form: perception-survey}\n",
    )
    write_csv(tmp_path / "data/kobo.csv", KOBO_HEADER, kobo_rows(CHAKKAR))
    write_csv(tmp_path / "data/odk.csv", ODK_HEADER, odk_rows(BHALUHI, "2012-12-20"))
    loaded = toc_engine.load(path)
    assert [d.code for d in loaded.diagnostics] == []
    cells = observations(loaded, "feel-safe")
    assert cells[("2012-Q4", None, ())] == (Decimal(68), 100)  # the same 100 as one export


def test_odk_rows_in_a_later_quarter_make_their_own_period(tmp_path: Path) -> None:
    path = programme_dir(tmp_path, "  - {file: data/odk.csv, form: perception-survey}\n")
    rows = odk_rows(BHALUHI, "2013-02-01")
    write_csv(tmp_path / "data/odk.csv", ODK_HEADER, rows)
    cells = observations(toc_engine.load(path), "feel-safe")
    assert cells[("2013-Q1", None, ())] == (Decimal(70), 40)
    assert ("2012-Q4", None, ()) not in cells


def test_labels_as_headers_and_answers_and_multi_language(tmp_path: Path) -> None:
    """KoboToolbox 'labels' exports: question labels as headers, answer labels (any
    language) as cells."""
    path = programme_dir(tmp_path, "  - {file: data/labels.csv, form: perception-survey}\n")
    header = ["Village", "Respondent sex", "Age band",
              "Do you feel safe outside your home after dark?", "_uuid", "_submission_time"]
    rows = [["Chakkar VDC", "Woman", "15-24", "Yes", "l1", "2012-11-02 09:00:00"],
            ["Chakkar VDC", "महिला", "15-24", "होइन", "l2", "2012-11-02 09:10:00"],
            ["Chakkar VDC", "Man", "25 or older", "Don't know", "l3", "2012-11-02 09:20:00"]]
    write_csv(tmp_path / "data/labels.csv", header, rows)
    loaded = toc_engine.load(path)
    assert [d.code for d in loaded.diagnostics] == []
    cells = observations(loaded, "feel-safe")
    assert cells[("2012-Q4", None, ())] == (Decimal(50), 2)
    assert cells[("2012-Q4", None, (("sex", "female"),))] == (Decimal(50), 2)


def test_ordinal_score_card_is_the_median_answer(tmp_path: Path) -> None:
    path = programme_dir(tmp_path, "  - {file: data/card.csv, form: score-card}\n")
    header = ["village", "meeting_date", "police_score", "_uuid", "_submission_time"]
    scores = ["fair", "good", "good", "very_good", "poor"]  # median: good
    rows = [["chakkar", "2013-03-10", s, f"c{n}", "2013-04-02T10:00:00"]
            for n, s in enumerate(scores)]
    write_csv(tmp_path / "data/card.csv", header, rows)
    loaded = toc_engine.load(path)
    assert [d.code for d in loaded.diagnostics] == []
    cells = observations(loaded, "police-responsive")
    assert cells[("2013-Q1", None, ())] == ("good", 5)  # the meeting date, not the upload
    assert cells[("2013-Q1", "chakkar", ())] == ("good", 5)
    score = toc_engine.score(loaded.programme)
    card = next(i for r in score.results for i in r.indicators if i.id == "police-responsive")
    assert card.actual is not None and card.actual.value == 3  # "good", 4th of the scale


def test_select_multiple_as_zero_one_columns(tmp_path: Path) -> None:
    text = PROGRAMME.replace("type: select_one yes_no_dk", "type: select_multiple yes_no_dk")
    (tmp_path / "data").mkdir()
    (tmp_path / "programme.yaml").write_text(
        text + "data:\n  - {file: data/multi.csv, form: perception-survey}\n", encoding="utf-8")
    header = ["village", "respondent_sex", "age_band", "safe_after_dark", "safe_after_dark/yes",
              "safe_after_dark/no", "safe_after_dark/dk", "_uuid", "_submission_time"]
    rows = [["chakkar", "female", "a15_24", "", "1", "0", "0", "m1", "2012-11-01"],
            ["chakkar", "female", "a15_24", "", "0", "1", "0", "m2", "2012-11-01"],
            ["chakkar", "female", "a15_24", "", "0", "0", "1", "m3", "2012-11-01"],
            ["chakkar", "female", "a15_24", "", "1", "0", "0", "m4", "2012-11-01"]]
    # one column left empty: read the 0/1 columns instead
    header.remove("safe_after_dark")
    rows = [r[:3] + r[4:] for r in rows]
    write_csv(tmp_path / "data/multi.csv", header, rows)
    loaded = toc_engine.load(tmp_path / "programme.yaml")
    assert [d.code for d in loaded.diagnostics] == []
    assert observations(loaded, "feel-safe")[("2012-Q4", None, ())] == (
        Decimal(200) / 3, 3)


def test_xlsx_export(tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    path = programme_dir(tmp_path, "  - {file: data/export.xlsx, form: perception-survey}\n")
    book = Workbook()
    sheet = book.active
    sheet.append(KOBO_HEADER)
    for row in kobo_rows(CHAKKAR):
        cells: list[object] = list(row)
        cells[8] = datetime(2012, 11, 2, 9, 0)
        cells[9] = int(row[9])
        sheet.append(cells)
    book.save(tmp_path / "data/export.xlsx")
    loaded = toc_engine.load(path)
    assert [d.code for d in loaded.diagnostics] == []
    assert observations(loaded, "feel-safe")[("2012-Q4", None, ())] == (
        Decimal(40) * 100 / 60, 60)


def test_the_usual_defects_are_located(tmp_path: Path) -> None:
    path = programme_dir(
        tmp_path,
        "  - {file: data/a.csv, form: perception-survey}\n"
        "  - {file: data/b.csv, form: perception-survey}\n",
    )
    rows = kobo_rows(CHAKKAR[:4])
    rows[1][2] = "Chakar"  # a misspelt village
    rows[2][5] = "maybe"  # outside the choices
    rows[3][8] = ""  # no date
    write_csv(tmp_path / "data/a.csv", KOBO_HEADER, rows, sep=";", bom=True)
    again = kobo_rows(CHAKKAR[:1])  # k-00001 again, in another export
    late = kobo_rows(CHAKKAR[:1], first=9, day="2015-06-01")  # after the programme
    write_csv(tmp_path / "data/b.csv", KOBO_HEADER, again + late)
    loaded = toc_engine.load(path)
    found = sorted((d.code, d.span.file.rsplit("/", 1)[-1], d.span.line, d.span.col, d.message,
                    d.hint) for d in loaded.diagnostics)
    assert [f[:4] for f in found] == [
        ("TOC812", "a.csv", 3, 3),
        ("TOC813", "a.csv", 4, 6),
        ("TOC814", "b.csv", 3, 9),
        ("TOC815", "a.csv", 5, 9),
        ("TOC816", "b.csv", 2, 8),
    ]
    messages = {f[0]: (f[4], f[5]) for f in found}
    assert "did you mean 'chakkar'?" in messages["TOC812"][1]
    assert "'maybe'" in messages["TOC813"][0]
    assert "a.csv row 2" in messages["TOC816"][0] and "b.csv row 2" in messages["TOC816"][0]
    # the rows left out are not counted; the one good row is
    assert observations(loaded, "feel-safe")[("2012-Q4", None, ())] == (Decimal(100), 1)
    code = run(["validate", str(path)], stdout := io.StringIO())
    assert code == 1
    assert "data/a.csv:3:3: error TOC812" in stdout.getvalue().replace("\\", "/")


def test_missing_question_column_is_one_finding(tmp_path: Path) -> None:
    path = programme_dir(tmp_path, "  - {file: data/a.csv, form: perception-survey}\n")
    header = [h for h in KOBO_HEADER if h != "questions/safe_after_dark"]
    write_csv(tmp_path / "data/a.csv", header, [r[:5] + r[6:] for r in kobo_rows(CHAKKAR[:2])])
    loaded = toc_engine.load(path)
    assert [(d.code, d.span.line) for d in loaded.diagnostics] == [("TOC811", 1)]
    assert "safe_after_dark" in loaded.diagnostics[0].message


def test_sensitive_indicator_small_derived_cells_are_suppressed(tmp_path: Path) -> None:
    text = PROGRAMME.replace("        disaggregate_by: [sex, age_group]\n",
                             "        disaggregate_by: [sex, age_group]\n        sensitive: true\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "programme.yaml").write_text(
        text + "data:\n  - {file: data/a.csv, form: perception-survey}\n", encoding="utf-8")
    answers = CHAKKAR + [("Bhaluhi", "female", "a15_24", "yes")] * 2  # a cell of 2
    write_csv(tmp_path / "data/a.csv", KOBO_HEADER, kobo_rows(answers))
    loaded = toc_engine.load(tmp_path / "programme.yaml")
    score = toc_engine.score(loaded.programme)
    feel = next(i for r in score.results for i in r.indicators if i.id == "feel-safe")
    bhaluhi = [s for s in feel.series if s.site == "bhaluhi" and not s.dimensions]
    assert bhaluhi and all(s.suppressed for s in bhaluhi)
    out = io.StringIO()
    assert run(["score", str(tmp_path / "programme.yaml"), "--explain", "feel-safe"], out) == 0
    text_out = out.getvalue()
    assert "Bhaluhi" not in text_out
    assert "a sensitive indicator" in text_out
    out = io.StringIO()
    assert run(["export", "csv", "--observations", str(tmp_path / "programme.yaml")], out) == 0
    exported = out.getvalue().splitlines()
    assert exported[1].startswith("feel-safe,2012-Q4,,67.74")  # the total: 42 of 62
    assert len(exported) == 2  # no site or dimension cell of a sensitive indicator


def test_explain_shows_how_each_value_was_derived(tmp_path: Path) -> None:
    path = programme_dir(tmp_path, "  - {file: data/a.csv, form: perception-survey}\n")
    write_csv(tmp_path / "data/a.csv", KOBO_HEADER, kobo_rows(CHAKKAR + BHALUHI))
    out = io.StringIO()
    assert run(["score", str(path), "--explain", "feel-safe"], out) == 0
    text = out.getvalue()
    assert "  68 of 100 valid answers (12 'Don't know' left out), 2012-Q4\n" in text
    assert "  30 of 40 valid answers (8 'Don't know' left out), Chakkar VDC, sex=Woman, " \
        "2012-Q4\n" in text
    assert "k-0000" not in text  # no submission ever leaves the engine


def test_export_observations_reads_back_as_data(tmp_path: Path) -> None:
    path = programme_dir(tmp_path, "  - {file: data/a.csv, form: perception-survey}\n")
    write_csv(tmp_path / "data/a.csv", KOBO_HEADER, kobo_rows(CHAKKAR + BHALUHI), sep=";")
    out = io.StringIO()
    assert run(["export", "csv", "--observations", str(path)], out) == 0
    text = out.getvalue()
    assert text.splitlines()[0] == "indicator,period,site,sex,age_group,value,sample_size," \
        "source,note"
    assert "feel-safe,2012-Q4,,,,68,100,data/a.csv,68 of 100 valid answers (12 'Don't know' " \
        "left out)" in text
    assert "k-0000" not in text
    derived = observations(toc_engine.load(path), "feel-safe")
    (tmp_path / "data/derived.csv").write_text(text, encoding="utf-8")
    path.write_text(PROGRAMME + "data:\n  - data/derived.csv\n", encoding="utf-8")
    again = toc_engine.load(path)
    assert [d.message for d in again.diagnostics] == []
    assert observations(again, "feel-safe") == derived


def test_the_nepal_example_collects_its_survey_share_from_a_kobo_export() -> None:
    root = Path(__file__).resolve().parent.parent
    loaded = toc_engine.load(root / "examples/nepal/programme.yaml")
    assert loaded.diagnostics == []
    cells = observations(loaded, "feel-safe-after-dark")
    assert cells == {
        ("2012", None, ()): (Decimal("57.5"), 160),
        ("2012", None, (("sex", "female"),)): (Decimal("52.5"), 80),
        ("2012", None, (("sex", "male"),)): (Decimal("62.5"), 80),
    }


def test_rows_are_located_when_a_cell_spans_lines_or_a_line_is_empty(tmp_path: Path) -> None:
    path = programme_dir(tmp_path, "  - {file: data/a.csv, form: perception-survey}\n")
    header = ["village", "respondent_sex", "age_band", "safe_after_dark", "comment", "_uuid",
              "_submission_time"]
    text = (",".join(header) + "\n"
            + 'chakkar,female,a15_24,yes,"two\nlines",u1,2012-11-01\n'
            + "\n"
            + "chakkar,female,a15_24,maybe,,u2,2012-11-01\n")
    (tmp_path / "data/a.csv").write_text(text, encoding="utf-8")
    loaded = toc_engine.load(path)
    assert [(d.code, d.span.line, d.span.col) for d in loaded.diagnostics] == [
        ("TOC813", 5, 4)]


NUMBERS = """\
toc: 1
programme:
  id: demo
  title: Demo programme
  period: {start: 2012-01-01, end: 2013-12-31}
sites:
  - {id: chakkar, name: Chakkar VDC}
  - {id: bhaluhi, name: Bhaluhi}
forms:
  - id: incident-log
    site_question: village
    dimensions: {sex: victim_sex}
    period: month
results:
  - id: safer
    level: outcome
    statement: Incidents are reported
    indicators:
      - id: reported
        name: Incidents reported to the police
        unit: incident
        direction: increase
        chosen_by: community
        method: administrative
        source: Incident log
        disaggregate_by: [sex]
        baseline: {period: 2011, value: 0}
        targets: [{period: 2013, value: 40}]
        collect: {form: incident-log, question: reported, type: integer}
      - id: days-to-response
        name: Days until the police responded
        unit: day
        direction: decrease
        chosen_by: community
        method: administrative
        source: Incident log
        baseline: {period: 2011, value: 9}
        targets: [{period: 2013, value: 3}]
        collect: {form: incident-log, question: response_days, type: decimal, combine: mean}
data:
  - {file: data/log.csv, form: incident-log}
"""


def test_numbers_are_summed_and_averaged(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "programme.yaml").write_text(NUMBERS, encoding="utf-8")
    rows = [("chakkar", "female", "2", "4.5"), ("chakkar", "male", "1", "3"),
            ("chakkar", "female", "3", ""), ("bhaluhi", "female", "0", "6"),
            ("bhaluhi", "male", "4", "1,5")]  # a decimal comma, as some phones write it
    write_csv(tmp_path / "data/log.csv",
              ["village", "victim_sex", "reported", "response_days", "_uuid",
               "SubmissionDate"],
              [[*r, f"i{n}", "2012-05-03T10:00:00.000Z"] for n, r in enumerate(rows)], sep=";")
    loaded = toc_engine.load(tmp_path / "programme.yaml")
    assert [d.message for d in loaded.diagnostics] == []
    reported = observations(loaded, "reported")
    assert reported[("2012-05", None, ())] == (Decimal(10), None)
    assert reported[("2012-05", "chakkar", (("sex", "female"),))] == (Decimal(5), None)
    assert reported[("2012-05", None, (("sex", "male"),))] == (Decimal(5), None)
    days = observations(loaded, "days-to-response")
    # (4.5 + 3 + 6 + 1.5) / 4: the unanswered one is left out
    assert days[("2012-05", None, ())] == (Decimal("3.75"), 4)
    assert days[("2012-05", "chakkar", ())] == (Decimal("3.75"), 2)


def test_a_dimension_answer_outside_its_choices_is_located_and_never_a_breakdown(
    tmp_path: Path,
) -> None:
    path = programme_dir(tmp_path, "  - {file: data/a.csv, form: perception-survey}\n")
    rows = kobo_rows(CHAKKAR[:3])
    rows[1][3] = "femme"  # one respondent's own spelling of the sex question
    write_csv(tmp_path / "data/a.csv", KOBO_HEADER, rows)
    loaded = toc_engine.load(path)
    [finding] = [d for d in loaded.diagnostics if d.code == "TOC813"]
    assert (finding.span.line, finding.span.col) == (3, 4)
    assert "'femme' for sex" in finding.message
    cells = observations(loaded, "feel-safe")
    assert not any(dict(dims).get("sex") == "femme" for _p, _s, dims in cells)
    assert cells[("2012-Q4", None, ())] == (Decimal(100), 2)  # the two other answers
