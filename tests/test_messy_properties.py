"""No input changes a score silently.

Hypothesis writes random programmes whose observations lie partly in the YAML and partly
in a CSV file, then makes one of the mistakes real exports make: a row written twice
(with the same or another value, in the same file or the other one), a value dropped
from its row (left blank, or written as `n/a` or `-`), every observation of a percentage
exported as a fraction, or a row that records a missing value added or taken away. Each
change must either be reported as a new finding, or leave every score as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toc_engine
from toc_engine.findings.diagnostic import Severity

HEAD = """\
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
        targets: [{period: 2013, value: 40}]
PATROLS
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
        baseline: {period: 2011, value: BASELINE}
        targets: [{period: 2013, value: TARGET}]
FEEL_SAFE
assumptions:
  - id: police-attend
    statement: The district police send an officer on patrol
data: [data/export.csv]
"""

PERIODS = ["2012", "2012-Q1", "2012-Q2", "2012-Q3", "2012-Q4", "2013", "2013-Q1"]


@dataclass(frozen=True)
class Row:
    indicator: str
    period: str
    site: str  # "" for none
    value: str  # "" with a reason: missing
    reason: str = ""
    in_csv: bool = True

    def key(self) -> tuple[str, str, str]:
        return self.indicator, self.period, self.site


@st.composite
def programmes(draw: Any) -> tuple[int, int, list[Row]]:
    baseline = draw(st.integers(5, 60))
    target = draw(st.integers(baseline + 5, 100))
    keys = draw(st.lists(
        st.one_of(
            st.tuples(st.just("patrols"), st.sampled_from(PERIODS),
                      st.sampled_from(["", "laroo", "bardege"])),
            st.tuples(st.just("feel-safe"), st.sampled_from(PERIODS), st.just("")),
        ),
        min_size=1, max_size=12, unique=True,
    ))
    rows = []
    for indicator, period, site in keys:
        low = 0 if indicator == "patrols" else 2  # a percentage above 1: on 0-100
        value = str(draw(st.integers(low, 100)))
        rows.append(Row(indicator, period, site, value, in_csv=draw(st.booleans())))
    return baseline, target, rows


def _yaml_item(row: Row) -> str:
    site = f", site: {row.site}" if row.site else ""
    if row.reason:
        return f"          - {{period: {row.period}{site}, missing: '{row.reason}'}}\n"
    value = row.value if row.value not in ("", "-", "n/a") else f"'{row.value}'"
    return f"          - {{period: {row.period}{site}, value: {value}}}\n"


def _write(folder: Path, baseline: int, target: int, rows: list[Row]) -> Path:
    text = HEAD.replace("BASELINE", str(baseline)).replace("TARGET", str(target))
    for ident, marker in (("patrols", "PATROLS\n"), ("feel-safe", "FEEL_SAFE\n")):
        items = [_yaml_item(r) for r in rows if r.indicator == ident and not r.in_csv]
        text = text.replace(marker, "        observations:\n" + "".join(items) if items else "")
    (folder / "data").mkdir(parents=True)
    lines = ["indicator,period,value,site,missing"]
    lines += [f"{r.indicator},{r.period},{r.value},{r.site},{r.reason}" for r in rows if r.in_csv]
    # As Excel writes it: a byte-order mark and CRLF line ends.
    (folder / "data" / "export.csv").write_bytes(
        ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    path = folder / "programme.yaml"
    path.write_text(text)
    return path


def _without_missing(data: Any) -> Any:
    """The score's JSON without the lists of missing values (which say what was left out)."""
    if isinstance(data, dict):
        return {k: _without_missing(v) for k, v in data.items() if k != "missing"}
    if isinstance(data, list):
        return [_without_missing(v) for v in data]
    return data


def _outcome(folder: Path, baseline: int, target: int, rows: list[Row]) -> tuple[set[str], Any]:
    """(codes of the findings, the score without its missing lists, or None if refused)."""
    loaded = toc_engine.load(_write(folder, baseline, target, rows))
    report = toc_engine.validate(loaded)
    codes = {d.code for d in report.diagnostics}
    if any(d.severity is Severity.ERROR for d in report.diagnostics):
        return codes, None
    assert loaded.programme is not None
    return codes, _without_missing(toc_engine.score(loaded.programme).to_json())


def _mutated(draw: Any, rows: list[Row]) -> tuple[str, list[Row]]:
    kind = draw(st.sampled_from(["duplicate", "duplicate-other-value", "drop-value",
                                 "rescale", "add-missing", "drop-missing"]))
    k = draw(st.integers(0, len(rows) - 1))
    row = rows[k]
    at = draw(st.integers(0, len(rows)))
    if kind == "duplicate":
        copy = replace(row, in_csv=draw(st.booleans()))
        return kind, [*rows[:at], copy, *rows[at:]]
    if kind == "duplicate-other-value":
        copy = replace(row, value=str(int(row.value or 0) + 1), reason="",
                       in_csv=draw(st.booleans()))
        return kind, [*rows[:at], copy, *rows[at:]]
    if kind == "drop-value":
        dropped = replace(row, value=draw(st.sampled_from(["", "-", "n/a"])), reason="")
        return kind, [*rows[:k], dropped, *rows[k + 1 :]]
    if kind == "rescale":  # every percentage observation exported as a fraction
        return kind, [replace(r, value=str(int(r.value) / 100))
                      if r.indicator == "feel-safe" and r.value else r for r in rows]
    taken = {r.key() for r in rows}
    free = [(i, p, s) for i, p, s in (("patrols", p, s) for p in PERIODS
                                      for s in ("", "laroo", "bardege"))
            if (i, p, s) not in taken]
    if kind == "add-missing" and free:
        indicator, period, site = draw(st.sampled_from(free))
        gap = Row(indicator, period, site, "", "not collected: road closed",
                  in_csv=draw(st.booleans()))
        return kind, [*rows[:at], gap, *rows[at:]]
    # drop-missing: the base programme with a missing row, against the one without it
    return "drop-missing", rows


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(base=programmes(), data=st.data())
def test_a_change_to_the_data_is_reported_or_changes_no_score(
    tmp_path_factory: pytest.TempPathFactory, base: tuple[int, int, list[Row]],
    data: st.DataObject,
) -> None:
    baseline, target, rows = base
    kind, changed = _mutated(data.draw, rows)
    if kind == "drop-missing":
        gap = Row("patrols", "2013-Q1", "bardege", "", "survey postponed: election")
        if gap.key() in {r.key() for r in rows}:
            return
        rows, changed = [*rows, gap], rows
    before_codes, before = _outcome(tmp_path_factory.mktemp("before"), baseline, target, rows)
    assert before is not None, before_codes  # the generated programme is valid
    after_codes, after = _outcome(tmp_path_factory.mktemp("after"), baseline, target, changed)
    new = after_codes - before_codes
    if not new:
        assert after == before, kind
    expected = {"duplicate": "TOC318", "duplicate-other-value": "TOC318", "rescale": "TOC319"}
    if kind in expected and (kind != "rescale" or changed != rows):
        assert expected[kind] in new, (kind, new)
    if kind == "drop-value":
        assert new & {"TOC016", "TOC103", "TOC320"}, new
