"""Real, messy data never changes a score silently (TOC017, TOC318-TOC320).

The data files here are shaped like the exports M&E officers send: Excel's "CSV UTF-8"
(a byte-order mark, CRLF line ends) and KoboToolbox's (quoted cells). Each mistake gets
the answer format.md ("Values over time") gives it, checked through the command line
with its exact message and exit code.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from toc_engine.cli import run

PROGRAMME = """\
toc: 1
programme:
  id: gulu-safety
  title: Community safety in Gulu
  period: {start: 2012-01-01, end: 2013-12-31}
sites:
  - {id: laroo, name: Laroo-Pece division}
  - {id: bardege, name: Bardege division}
results:
  - id: patrols-held
    level: output
    statement: Community patrols walk the market roads every week
    contributes_to:
      - to: people-feel-safer
        rationale: Patrols deter theft on the way home
        assumptions: [police-attend]
    indicators:
      - id: patrols
        name: Community patrols held
        unit: patrol
        direction: increase
        chosen_by: community
        method: administrative
        source: Patrol log
        disaggregate_by: [site]
        baseline: {period: 2011, value: 0}
        targets: [{period: 2013, value: 20}]
        observations:
          - {period: 2012-Q2, value: 4, site: laroo}
  - id: people-feel-safer
    level: impact
    statement: People in the divisions feel safe after dark
    indicators:
      - id: feel-safe
        name: Residents who feel safe after dark
        measure: percentage
        direction: increase
        chosen_by: community
        method: survey
        source: Household survey
        baseline: {period: 2011, value: 31}
        targets: [{period: 2013, value: 50}]
assumptions:
  - id: police-attend
    statement: The district police send an officer on patrol
data:
  - data/export.csv
"""

DUPLICATE_HINT = (
    "    hint: keep one: a correction replaces the old row (the history keeps it); "
    "observations of different sites or groups each give their `site` or dimensions\n"
)


def _excel(rows: list[str]) -> str:
    """A CSV as Excel's "CSV UTF-8" writes it: byte-order mark, CRLF line ends."""
    return "\ufeff" + "\r\n".join(rows) + "\r\n"


def _programme(folder: Path, csv: str, programme: str = PROGRAMME) -> Path:
    (folder / "data").mkdir(exist_ok=True)
    (folder / "data" / "export.csv").write_bytes(csv.encode("utf-8"))
    path = folder / "programme.yaml"
    path.write_text(programme)
    return path


def _run(argv: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(cwd)
    out = io.StringIO()
    return run(argv, stdout=out), out.getvalue()


# --- duplicates (TOC318) --------------------------------------------------------------------------


def test_two_identical_rows_are_an_error_naming_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _programme(tmp_path, _excel(["indicator,period,value,site",
                                 "patrols,2012-Q3,11,bardege",
                                 "patrols,2012-Q3,11,bardege"]))
    code, out = _run(["validate", "programme.yaml"], tmp_path, monkeypatch)
    assert code == 1
    assert out == (
        "data/export.csv:3:1: error TOC318 duplicate-observation: a second observation of "
        "'patrols' for 2012-Q3 at site 'bardege' (value 11); the first is at "
        "data/export.csv:2 (value 11): it would be counted twice\n"
        + DUPLICATE_HINT + "1 error, 0 warnings in 1 file\n"
    )
    code, out = _run(["score", "programme.yaml"], tmp_path, monkeypatch)
    assert (code, out) == (1, "")  # never summed into a total: the score is refused
    assert capsys.readouterr().err.endswith(
        "cannot score: 1 error(s) must be fixed first (see `toc validate`)\n")


def test_two_rows_with_different_values_are_an_error_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # KoboToolbox quotes its cells: the rows go through csv.reader, not the block reader
    _programme(tmp_path, '"indicator","period","value","site"\r\n'
               '"patrols","2012-Q3","11","bardege"\r\n'
               '"patrols","2012-q3","13","bardege"\r\n')
    code, out = _run(["validate", "programme.yaml"], tmp_path, monkeypatch)
    assert code == 1
    assert out.splitlines()[0] == (
        "data/export.csv:3:1: error TOC318 duplicate-observation: a second observation of "
        "'patrols' for 2012-Q3 at site 'bardege' (value 13); the first is at "
        "data/export.csv:2 (value 11): it would be counted twice"
    )


def test_a_yaml_observation_repeated_in_a_csv_file_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _programme(tmp_path, _excel(["indicator,period,value,site,source",
                                 "patrols,2012-Q2,4,laroo,Patrol log"]))
    code, out = _run(["validate", "programme.yaml"], tmp_path, monkeypatch)
    assert code == 1
    assert out.splitlines()[0] == (
        "data/export.csv:2:1: error TOC318 duplicate-observation: a second observation of "
        "'patrols' for 2012-Q2 at site 'laroo' (value 4); the first is at "
        "programme.yaml:29 (value 4): it would be counted twice"
    )


def test_rows_of_other_sites_periods_and_groups_are_not_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _programme(tmp_path, _excel(["indicator,period,value,site",
                                 "patrols,2012-Q3,11,bardege",
                                 "patrols,2012-Q3,9,laroo",
                                 "patrols,2012-Q4,13,bardege",
                                 "feel-safe,2012,42,"]))
    code, out = _run(["validate", "programme.yaml"], tmp_path, monkeypatch)
    assert (code, out) == (0, "no problems found in 1 file\n")


def test_a_duplicate_deep_in_a_large_file_is_found_by_the_block_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past its first 512 KB a quote-free file is read a block at a time: the duplicate
    row, and a missing value among the blocks, are still found at their lines."""
    rows = ["indicator,period,value,site"]
    rows += [f"patrols,2012-{k % 12 + 1:02d},{k % 50},s{k // 12}" for k in range(36_000)]
    rows.insert(30_001, "patrols,2012-03,7,s5")  # again: line 64 says 2012-03 at s5
    rows.insert(31_001, "patrols,2012-04,,s7,not collected")  # a missing value among blocks
    rows = [row + ("" if row.endswith("collected") else ",") for row in rows]
    rows[0] = "indicator,period,value,site,missing"
    sites = "".join(f"  - {{id: s{k}, name: S{k}}}\n" for k in range(3000))
    _programme(tmp_path, _excel(rows), PROGRAMME.replace("sites:\n", "sites:\n" + sites))
    assert (tmp_path / "data" / "export.csv").stat().st_size > 600_000
    code, out = _run(["validate", "programme.yaml", "--format", "json"], tmp_path, monkeypatch)
    found = json.loads(out)["diagnostics"]
    assert code == 1
    assert [(d["code"], d["line"]) for d in found] == [("TOC318", 30_002), ("TOC318", 31_002)]
    assert "2012-03 at site 's5' (value 7); the first is at data/export.csv:64 (value 12)" \
        in found[0]["message"]
    assert "2012-04 at site 's7' (missing: not collected); the first is at " \
        "data/export.csv:89 (value 37)" in found[1]["message"]


# --- missing values (TOC016, TOC103, TOC320) ----------------------------------------------------


def test_a_csv_row_may_say_why_its_value_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _programme(tmp_path, _excel(["indicator,period,value,site,missing",
                                 "patrols,2012-Q3,6,bardege,",
                                 "patrols,2012-Q4,,bardege,not collected: road closed by flooding",
                                 "feel-safe,2012,42,,"]))
    code, out = _run(["validate", "programme.yaml"], tmp_path, monkeypatch)
    assert (code, out) == (0, "no problems found in 1 file\n")
    code, out = _run(["score", "programme.yaml"], tmp_path, monkeypatch)
    assert code == 0
    assert "      patrols: no value for 2012-Q4 bardege (not collected: road closed by " \
        "flooding): missing, not counted\n" in out
    code, out = _run(["score", "programme.yaml", "--format", "json"], tmp_path, monkeypatch)
    patrols = json.loads(out)["results"][0]["indicators"][0]
    assert patrols["missing"] == [{"period": "2012-Q4", "site": "bardege", "dimensions": {},
                                   "reason": "not collected: road closed by flooding"}]
    assert patrols["actual"]["period"] == "2012-Q3"  # the latest period with a value
    code, out = _run(["export", "csv", "programme.yaml"], tmp_path, monkeypatch)
    assert code == 0
    assert ("patrols-held,output,C,patrols,Community patrols "
            "held,2012-Q4 bardege,unit,patrol,increase,missing,,,,,,,,,,,,,not collected: "
            "road closed by flooding,,,,,,,,\n") in out


def test_a_missing_value_is_never_a_zero_in_the_score(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_gap = _excel(["indicator,period,value,missing", "feel-safe,2012,42,",
                       "feel-safe,2013,,survey postponed: election"])
    without = _excel(["indicator,period,value", "feel-safe,2012,42"])
    scores = []
    for name, csv in (("gap", with_gap), ("none", without)):
        folder = tmp_path / name
        folder.mkdir()
        _programme(folder, csv)
        code, out = _run(["score", "programme.yaml", "--format", "json"], folder, monkeypatch)
        assert code == 0
        indicator = json.loads(out)["results"][1]["indicators"][0]
        scores.append((indicator["progress"], indicator["actual"]))
        missing = indicator["missing"]
    assert scores[0] == scores[1]
    assert missing == []


def test_a_yaml_observation_may_say_why_its_value_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme = PROGRAMME.replace(
        "          - {period: 2012-Q2, value: 4, site: laroo}\n",
        "          - {period: 2012-Q2, value: 4, site: laroo}\n"
        "          - {period: 2012-Q3, site: laroo, missing: 'not collected: road closed'}\n")
    _programme(tmp_path, _excel(["indicator,period,value", "feel-safe,2012,42"]), programme)
    code, out = _run(["validate", "programme.yaml"], tmp_path, monkeypatch)
    assert (code, out) == (0, "no problems found in 1 file\n")
    code, out = _run(["report", "programme.yaml", "-o", "report.md"], tmp_path, monkeypatch)
    assert code == 0
    report = (tmp_path / "report.md").read_text()
    assert "*Missing values of patrols (not counted)*" in report
    assert "| 2012-Q3 laroo | not collected: road closed |" in report


def test_a_blank_yaml_value_asks_for_the_number_or_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme = PROGRAMME.replace("value: 4, site: laroo}", "value: , site: laroo}")
    _programme(tmp_path, _excel(["indicator,period,value", "feel-safe,2012,42"]), programme)
    code, out = _run(["validate", "programme.yaml"], tmp_path, monkeypatch)
    assert code == 1
    assert out == (
        "programme.yaml:29:13: error TOC320 value-or-missing: observation of 'patrols' for "
        "2012-Q2 has no value\n"
        "    hint: write the number in `value:`; if it was not collected, say why instead: "
        "`missing: not collected, road closed` (never write 0)\n"
        "1 error, 0 warnings in 1 file\n"
    )


MISSING_HINT = ("    hint: if it was not collected, leave `value` empty and say why in a "
                "`missing` column (e.g. not collected: road closed); never write 0")


@pytest.mark.parametrize(("cell", "expected"), [
    ("", "data/export.csv:2:16: error TOC016 csv-bad-value: value is empty\n"
         "    hint: write the number; " + MISSING_HINT[10:]),
    ("-", "data/export.csv:2:16: error TOC016 csv-bad-value: value '-' is not a number\n"
          + MISSING_HINT),
    ("n/a", "data/export.csv:2:16: error TOC103 wrong-type: `value` of 'feel-safe' must be a "
            "number; got 'n/a'\n    hint: if it was not collected, say why instead of giving "
            "a value: `missing: reason` in the YAML, or an empty `value` and a `missing` "
            "column in a CSV file; never write 0"),
])
def test_a_value_written_as_blank_or_n_a_points_to_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cell: str, expected: str
) -> None:
    _programme(tmp_path, _excel(["indicator,period,value", f"feel-safe,2012,{cell}"]))
    code, out = _run(["validate", "programme.yaml"], tmp_path, monkeypatch)
    assert code == 1
    assert out == expected + "\n1 error, 0 warnings in 1 file\n"


def test_a_row_with_a_value_and_a_reason_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _programme(tmp_path, _excel(["indicator,period,value,missing",
                                 "feel-safe,2012,42,not collected",
                                 "feel-safe,2013,,"]))
    code, out = _run(["validate", "programme.yaml"], tmp_path, monkeypatch)
    assert code == 1
    assert out == (
        "data/export.csv:2:19: error TOC016 csv-bad-value: the row has a value and also says "
        "it is missing ('not collected')\n"
        "    hint: keep one: empty the `missing` cell if the value was collected, or empty "
        "the `value` cell if it was not\n"
        "data/export.csv:3:16: error TOC016 csv-bad-value: value is empty and the `missing` "
        "column gives no reason\n"
        "    hint: write the number, or say in the `missing` column why there is none (e.g. "
        "not collected: road closed); never write 0\n"
        "2 errors, 0 warnings in 1 file\n"
    )


# --- percentages exported as fractions (TOC319) --------------------------------------------------


def test_a_percentage_exported_as_a_fraction_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _programme(tmp_path, _excel(["indicator,period,value", "feel-safe,2012,0.42"]))
    code, out = _run(["validate", "programme.yaml"], tmp_path, monkeypatch)
    assert code == 0
    assert out == (
        "data/export.csv:2:16: warning TOC319 percentage-scale: every observation of "
        "percentage indicator 'feel-safe' is at most 1 while its baseline or targets go up "
        "to 50: were they exported as fractions? Write 42, not 0.42\n"
        "    hint: write percentages from 0 to 100: multiply the observations by 100\n"
        "0 errors, 1 warning in 1 file\n"
    )
    code, _out = _run(["validate", "programme.yaml", "--strict"], tmp_path, monkeypatch)
    assert code == 1


def test_a_baseline_and_target_written_as_fractions_are_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme = PROGRAMME.replace("{period: 2011, value: 31}", "{period: 2011, value: 0.31}")
    programme = programme.replace("{period: 2013, value: 50}", "{period: 2013, value: 0.5}")
    _programme(tmp_path, _excel(["indicator,period,value", "feel-safe,2012,42"]), programme)
    code, out = _run(["validate", "programme.yaml"], tmp_path, monkeypatch)
    assert code == 0
    assert out.splitlines()[0] == (
        "programme.yaml:41:19: warning TOC319 percentage-scale: every observation of "
        "percentage indicator 'feel-safe' is above 1 while its baseline and targets are at "
        "most 0.5: are the baseline and targets fractions? Write 50, not 0.5 (observations "
        "such as 42 are on 0-100)"
    )


# --- a header and no rows (TOC017) ---------------------------------------------------------------


def test_a_header_only_csv_is_a_warning_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _programme(tmp_path, _excel(["indicator,period,value,site"]))
    code, out = _run(["validate", "programme.yaml"], tmp_path, monkeypatch)
    assert code == 0
    assert out == (
        "data/export.csv:1:1: warning TOC017 empty-data-file: 'data/export.csv' has a header "
        "but no rows: it adds no observation\n"
        "    hint: export the data again with its rows, or take the file out of `data:`\n"
        "0 errors, 1 warning in 1 file\n"
    )


def test_a_yaml_value_written_as_n_a_points_to_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme = PROGRAMME.replace("value: 4, site: laroo}", "value: n/a, site: laroo}")
    _programme(tmp_path, _excel(["indicator,period,value", "feel-safe,2012,42"]), programme)
    code, out = _run(["validate", "programme.yaml"], tmp_path, monkeypatch)
    assert code == 1
    assert out.splitlines()[:2] == [
        "programme.yaml:29:38: error TOC103 wrong-type: `value` of 'patrols' must be a "
        "number; got 'n/a'",
        "    hint: if it was not collected, say why instead of giving a value: `missing: "
        "reason` in the YAML, or an empty `value` and a `missing` column in a CSV file; "
        "never write 0",
    ]


def test_a_sensitive_indicator_lists_only_the_period_of_a_missing_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site, a group or a reason could point at the few people a gap concerns."""
    programme = PROGRAMME.replace("        disaggregate_by: [site]\n",
                                  "        disaggregate_by: [site]\n        sensitive: true\n")
    _programme(tmp_path, _excel(["indicator,period,value,site,missing",
                                 "patrols,2012-Q4,,bardege,survivor asked us not to record",
                                 "feel-safe,2012,42,,"]), programme)
    code, out = _run(["score", "programme.yaml", "--format", "json"], tmp_path, monkeypatch)
    assert code == 0
    patrols = json.loads(out)["results"][0]["indicators"][0]
    assert patrols["missing"] == [{"period": "2012-Q4", "site": None, "dimensions": {},
                                   "reason": None}]
    for argv in (["score", "programme.yaml"], ["export", "csv", "programme.yaml"]):
        code, out = _run(argv, tmp_path, monkeypatch)
        assert code == 0 and "survivor" not in out and "bardege" not in out
