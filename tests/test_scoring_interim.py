"""Interim assessments and the parts of a count (scoring.md §1, §5, §7), and the exactness
rules ("Arithmetic is exact"), each checked on a hand-computed case through
`toc score --format json`."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_scoring_helpers import claim, document, evidence, indicator, result

from toc_engine.cli import run
from toc_engine.scoring.targets import fall_due

Data = dict[str, Any]


def _write(folder: Path, data: Data) -> Path:
    """A programme file (JSON is YAML 1.2) in its own folder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "programme.yaml"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def _score(tmp_path: Path, data: Data) -> Data:
    out = io.StringIO()
    assert run(["score", str(_write(tmp_path / "p", data)), "--format", "json"], out) == 0
    parsed: Data = json.loads(out.getvalue())
    return parsed


def _mid_term(results: Any, **extra: Any) -> Data:
    """A programme of 2012-2014 reviewed at mid-term, on 2013-06-30."""
    data = document(results, assessed_at="2013-06-30", **extra)
    data["programme"]["period"] = {"start": "2012-01-01", "end": "2014-12-31"}
    return data


def _indicators(scored: Data) -> dict[str, Data]:
    return {i["id"]: i for r in scored["results"] for i in r["indicators"]}


def _results(scored: Data) -> dict[str, Data]:
    return {r["id"]: r for r in scored["results"]}


# --- targets fall due ---------------------------------------------------------------------


def test_a_milestone_that_has_fallen_due_is_chosen_over_the_target_not_yet_due(
        tmp_path: Path) -> None:
    # A = 30 (2013-Q1). The format's rule picks the 2013 target (its period contains
    # 2013-03-31), which falls due on 2013-12-31, after the review: the 2012 milestone (40)
    # has fallen due and becomes T. p = (30 − 0) / (40 − 0) = 0.75.
    ind = indicator("built", targets=[(2012, 40), (2013, 100)],
                    observations=[("2013-Q1", 30)])
    scored = _score(tmp_path, _mid_term([result("out", indicators=[ind])]))
    built = _indicators(scored)["built"]
    assert built["status"] == "assessed"
    assert built["target"]["value"] == 40 and built["target"]["period"] == "2012"
    assert built["progress"] == 0.75
    assert built["next_target"] == {"value": 100.0, "period": "2013", "revised": None,
                                    "own": True, "due": "2013-12-31"}
    assert built["due"] is None
    out = _results(scored)["out"]
    assert out["delivery"] == {"score": 75.0, "band": "B", "band_label": "B",
                               "interim": False, "due": None}
    assert out["state"] == "achieved"


def test_without_a_milestone_the_indicator_is_not_yet_due(tmp_path: Path) -> None:
    # Only the 2014 target: it falls due on 2014-12-31. p = 30 / 100 = 0.3, still reported.
    ind = indicator("built", targets=[(2014, 100)], observations=[("2013-Q1", 30)])
    scored = _score(tmp_path, _mid_term([result("out", indicators=[ind])]))
    built = _indicators(scored)["built"]
    assert built["status"] == "not_yet_due"
    assert built["due"] == "2014-12-31"
    assert built["progress"] == 0.3 and built["progress_clamped"] == 0.3
    assert built["target"]["value"] == 100 and built["next_target"] is None


def test_an_interim_band_below_b_is_in_progress_and_above_it_achieved(tmp_path: Path) -> None:
    # slow: p = 30 / 100 -> interim D 0.3, score 30, band C: in progress, never "not
    # achieved". early: p = 70 / 100 -> interim D 0.7, band B: achieved (met early).
    slow = indicator("slow", targets=[(2014, 100)], observations=[("2013-Q1", 30)])
    early = indicator("early", targets=[(2014, 100)], observations=[("2013-Q1", 70)])
    scored = _score(tmp_path, _mid_term([result("s", indicators=[slow]),
                                         result("e", indicators=[early])]))
    s, e = _results(scored)["s"], _results(scored)["e"]
    assert s["delivery"] == {"score": 30.0, "band": "C", "band_label": "C", "interim": True,
                             "due": "2014-12-31"}
    assert s["state"] == "in_progress"
    assert s["state_reason"] == ("interim D = 0.3 < 0.625: in progress; its first target "
                                 "falls due on 2014-12-31")
    assert e["delivery"]["score"] == 70.0 and e["delivery"]["band"] == "B"
    assert e["delivery"]["interim"] is True and e["state"] == "achieved"
    [level] = scored["rollup"]["levels"]
    # (1×50 + 1×75) / 2 = 62.5, both bands interim
    assert (level["score"], level["band"], level["banded"], level["interim"]) == (62.5, "B", 2, 2)


def test_too_early_links_are_untested_and_leave_v_and_coverage(tmp_path: Path) -> None:
    # a (due: the 2012 milestone, p 1) -> b (only the 2014 target: interim D 0.3, in
    # progress) and a -> c (due, p 1). a -> c: both achieved, no claim about the link:
    # contribution not established (s = 0.5). a -> b: too early, untested (without §7 it
    # would be a theory failure, s = 0, and V would be 0.25 with coverage 1).
    # V = 1×0.5 / 1 = 0.5; tested coverage = 1 / 2 = 0.5.
    a = indicator("ia", targets=[(2012, 40), (2013, 100)], observations=[("2013-Q1", 40)])
    b = indicator("ib", targets=[(2014, 100)], observations=[("2013-Q1", 30)])
    c = indicator("ic", targets=[(2012, 40)], observations=[("2013-Q1", 40)])
    scored = _score(tmp_path, _mid_term([
        result("a", indicators=[a], links=["b", "c"]),
        result("b", level="outcome", indicators=[b]),
        result("c", level="outcome", indicators=[c]),
    ]))
    links = {link["to"]: link for link in scored["links"]}
    assert links["b"]["verdict"] == "untested" and links["b"]["rule"] == 1
    assert links["b"]["reason"] == "too early: b's target falls due on 2014-12-31"
    assert links["c"]["verdict"] == "contribution_not_established"
    design = scored["design"]
    assert design["validity"] == 0.5 and design["tested_coverage"] == 0.5
    assert design["validity_untested"] is False


# --- trajectory ------------------------------------------------------------------------------

# Baseline 0 at 2013-01-01, target 100 on 2014-02-05 (400 days later), A on 2013-04-11
# (100 days): f = 0.25, M = 25, pace = A / 25.
PACES = [
    (22, 0.88, "on_track"),
    (21.875, 0.875, "on_track"),
    (21.8, 0.872, "at_risk"),
    (15.625, 0.625, "at_risk"),
    (15.6, 0.624, "off_track"),
]


@pytest.mark.parametrize(("actual", "pace", "status"), PACES)
def test_pace_against_the_pro_rata_milestone(tmp_path: Path, actual: float, pace: float,
                                             status: str) -> None:
    ind = indicator("linear", baseline={"period": "2013-01-01", "value": 0},
                    targets=[("2014-02-05", 100)], observations=[("2013-04-11", actual)],
                    trajectory="linear")
    scored = _score(tmp_path, _mid_term([result("r", indicators=[ind])]))
    one = _indicators(scored)["linear"]
    assert one["status"] == "not_yet_due" and one["due"] == "2014-02-05"
    assert one["trajectory"] == "linear"
    assert (one["pace"], one["trajectory_status"]) == (pace, status)


def test_pace_is_explained(tmp_path: Path) -> None:
    ind = indicator("linear", baseline={"period": "2013-01-01", "value": 0},
                    targets=[("2014-02-05", 100)], observations=[("2013-04-11", 22)],
                    trajectory="linear")
    path = _write(tmp_path / "p", _mid_term([result("r", indicators=[ind])]))
    out = io.StringIO()
    assert run(["score", str(path), "--explain", "linear"], out) == 0
    text = out.getvalue()
    assert "f = (2013-04-11 − 2013-01-01) / (2014-02-05 − 2013-01-01) = 100 / 400 days = " \
           "0.25" in text
    assert "pro-rata milestone M = B + (T − B) × f = 0 + (100 − 0) × 0.25 = 25" in text
    assert "pace = (A − B) / (M − B) = (22 − 0) / (25 − 0) = 0.88 -> on track" in text


# --- parts of a count ------------------------------------------------------------------------


def test_a_sum_series_has_a_share_of_the_total_unless_it_has_its_own_target(
        tmp_path: Path) -> None:
    # Total 80 against 100 from 0: p = 0.8. Site a has its own target (50) and no baseline
    # of its own: p = A / T = 60 / 50 = 1.2. Site b has none: no p, 20 / 80 = 0.25 of the
    # total.
    rows = [(2013, 80), {"period": 2013, "value": 60, "site": "a"},
            {"period": 2013, "value": 20, "site": "b"}]
    ind = indicator("trained", targets=[(2013, 100), {"period": 2013, "value": 50, "site": "a"}],
                    observations=rows)
    sites = [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]
    scored = _score(tmp_path, document([result("r", indicators=[ind])], sites=sites))
    trained = _indicators(scored)["trained"]
    assert trained["progress"] == 0.8
    series = {s["site"]: s for s in trained["series"]}
    assert series["a"]["progress"] == 1.2 and series["a"]["target"]["own"] is True
    assert series["a"]["share_of_total"] is None
    assert series["b"]["progress"] is None and series["b"]["target"] is None
    assert series["b"]["share_of_total"] == 0.25


def test_a_percentage_series_is_compared_with_the_totals_target(tmp_path: Path) -> None:
    # women 41% against the total's 50% target from 20%: (41 − 20) / (50 − 20) = 0.7
    rows = [(2013, 45), {"period": 2013, "value": 41, "dimensions": {"sex": "female"}}]
    ind = indicator("share", measure="percentage", unit=None, baseline=20,
                    targets=[(2013, 50)], observations=rows, disaggregate_by=["sex"])
    scored = _score(tmp_path, document([result("r", indicators=[ind])]))
    [women] = _indicators(scored)["share"]["series"]
    assert women["progress"] == 0.7 and women["target"]["own"] is False
    assert women["share_of_total"] is None


# --- exactness -------------------------------------------------------------------------------


def test_posterior_thresholds_apply_to_the_exact_posterior(tmp_path: Path) -> None:
    # Prior 0.5 and one claim found, LR = Se/α supporting (α/Se contradicting): P = 0.29996
    # prints as 0.3 but is below 0.3: the assumption failed. P = 0.69996 prints as 0.7 but
    # is below 0.7: with no indicator, the result's state is unknown (0.5 ≤ P < 0.7).
    items = [
        evidence("e1", [claim("a1", test=None, sensitivity=0.70004, false_positive=0.29996,
                              finding="contradicts")]),
        evidence("e2", [claim("q", test=None, sensitivity=0.69996, false_positive=0.30004)]),
    ]
    for item in items:
        del item["claims"][0]["test"]
    data = document([result("q")], evidence=items,
                    assumptions=[{"id": "a1", "statement": "s"}])
    scored = _score(tmp_path, data)
    [assumption] = scored["assumptions"]
    assert assumption["posterior"] == 0.3 and assumption["state"] == "failed"
    assert "0.3 (unrounded 0.299960) < 0.3" in assumption["reason"]
    q = _results(scored)["q"]
    assert q["posterior"] == 0.7 and q["state"] == "unknown"
    assert q["posterior_band"] == "more_confident_than_not"


ACHIEVED = [(2013, 100)]
MISSED = [(2013, 10)]


def test_the_design_score_is_computed_from_the_exact_e_and_v(tmp_path: Path) -> None:
    # x -> y held, z -> y contribution not established, w -> y other pathway (weight 2):
    # V = (1×1 + 1×0.5) / 2 = 0.75, tested coverage 2 / 4 = 0.5. The criteria give 7 of 12
    # points: E = 7/12 = 0.58333…, reported as 0.583333333. The design score is
    # 100 × (0.4 × 7/12 + 0.6 × 0.75) = 68.3333333333… -> 68.333333333; from the rounded E
    # it would be 68.33333332.
    def ind(name: str, rows: Any) -> Data:
        return indicator(name, observations=rows)

    link = {"to": "y", "rationale": "r", "assumptions": ["a1"]}
    results = [
        result("x", indicators=[ind("ix", ACHIEVED)], links=[link]),
        result("z", indicators=[ind("iz", ACHIEVED)], links=[link]),
        result("w", indicators=[ind("iw", MISSED)], links=[{**link, "weight": 2}]),
        result("y", level="outcome", indicators=[ind("iy", ACHIEVED)]),
    ]
    data = document(results, evidence=[evidence("e", [claim("x -> y", "smoking_gun")])],
                    assumptions=[{"id": "a1", "statement": "s", "actors": ["police"]}],
                    actors=[{"id": "police", "name": "Police"}])
    design = _score(tmp_path, data)["design"]
    assert sum(c["score"] for c in design["ex_ante"].values()) == 7
    assert design["ex_ante_score"] == 0.583333333
    assert (design["validity"], design["tested_coverage"]) == (0.75, 0.5)
    assert design["score"] == 68.333333333


# --- a mid-term review with only end targets --------------------------------------------------

FORBIDDEN = ("not achieved", "not_achieved", "theory failure", "theory_failure",
             "implementation failure", "implementation_failure", "other pathway",
             "other_pathway")


def _end_targets_only() -> Data:
    """Every target is the 2014 end target; the review is on 2013-06-30. Some results are
    well short of their targets, one link has an assumption that held, another a rival."""
    def ind(name: str, value: float, **extra: Any) -> Data:
        return indicator(name, targets=[(2014, 100)], observations=[("2013-Q1", value)],
                         **extra)

    sites = [{"id": "s1", "name": "Village one"}, {"id": "s2", "name": "Village two"}]
    rows = [("2013-Q1", 12), {"period": "2013-Q1", "value": 5, "site": "s1"},
            {"period": "2013-Q1", "value": 7, "site": "s2"}]
    results = [
        result("trained", indicators=[indicator("people", targets=[(2014, 100)],
                                                observations=rows, disaggregate_by=["site"])],
               links=[{"to": "groups", "rationale": "r", "assumptions": ["a1"]}],
               addresses=["p1"]),
        result("groups", level="outcome", indicators=[ind("meetings", 10)],
               links=[{"to": "safer", "rationale": "r"}], addresses=["p1"]),
        result("safer", level="impact", indicators=[ind("feel-safe", 5)], addresses=["p1"]),
    ]
    data = _mid_term(
        results, sites=sites,
        assumptions=[{"id": "a1", "statement": "People attend", "status": "failed"}],
        evidence=[evidence("e1", [claim("groups", finding="contradicts"),
                                  claim("groups -> safer", finding="contradicts")])],
        priorities=[{"id": "p1", "concern": "Theft at night", "site": "s1", "rank": 1}],
    )
    return data


def _outputs(path: Path, tmp_path: Path) -> dict[str, str]:
    """Every output of the engine for `path`, as text."""
    from openpyxl import load_workbook

    texts: dict[str, str] = {}
    for name, argv in {
        "text": ["score", str(path)],
        "json": ["score", str(path), "--format", "json"],
        "explain": ["score", str(path), "--explain", "groups"],
        "explain-link": ["score", str(path), "--explain", "trained -> groups"],
        "csv": ["export", "csv", str(path)],
        "iati": ["export", "iati", str(path)],
        "pirs": ["export", "pirs", str(path)],
    }.items():
        out = io.StringIO()
        assert run(argv, out) == 0, name
        texts[name] = out.getvalue()
    for name, argv in {
        "md": ["report", str(path), "-o", str(tmp_path / "r.md")],
        "html": ["report", str(path), "-o", str(tmp_path / "r.html")],
        "community": ["report", str(path), "-o", str(tmp_path / "c.html"),
                      "--audience", "community"],
    }.items():
        assert run(argv, io.StringIO()) == 0, name
        texts[name] = Path(argv[3]).read_text(encoding="utf-8")
    assert run(["export", "xlsx", str(path), "-o", str(tmp_path / "b.xlsx")],
               io.StringIO()) == 0
    book = load_workbook(tmp_path / "b.xlsx")
    texts["xlsx"] = "\n".join(str(cell.value) for sheet in book for row in sheet.iter_rows()
                              for cell in row if cell.value is not None)
    return texts


def test_a_mid_term_review_with_end_targets_reports_no_failure(tmp_path: Path) -> None:
    path = _write(tmp_path / "p", _end_targets_only())
    texts = _outputs(path, tmp_path)
    for name, text in texts.items():
        lower = text.lower()
        for phrase in FORBIDDEN:
            assert phrase not in lower, (name, phrase)
        assert "interim" in lower, name
    scored = json.loads(texts["json"])
    assert {r["state"] for r in scored["results"]} == {"in_progress"}
    assert {link["verdict"] for link in scored["links"]} == {"untested"}
    assert scored["design"]["validity_untested"] is True
    assert "too early: groups's target falls due on 2014-12-31" in texts["text"]


def test_the_worked_example_of_the_docs_is_what_explain_prints() -> None:
    """docs/scoring.md's interim worked example is `--explain`'s output, verbatim."""
    root = Path(__file__).parent.parent
    out = io.StringIO()
    example = root / "examples" / "nepal-midterm" / "programme.yaml"
    assert run(["score", str(example), "--explain", "micro-enterprise-participants"], out) == 0
    text = out.getvalue()
    assert "pace = (A − B) / (M − B) = (26 − 0) / (24.01875 − 0) = 1.08248764 -> on track" \
        in text
    docs = (root / "docs" / "scoring.md").read_text(encoding="utf-8")
    assert f"```text\n{text}```" in docs


# --- properties of falling due -----------------------------------------------------------------

_BOUNDS = [(date(2012, 1, 1), date(2012, 12, 31)), (date(2013, 1, 1), date(2013, 12, 31)),
           (date(2013, 4, 1), date(2013, 6, 30)), (date(2012, 10, 1), date(2013, 3, 31)),
           (date(2014, 1, 1), date(2014, 12, 31)), (date(2013, 1, 1), date(2013, 1, 1))]
_SHAPES = st.lists(st.tuples(st.sampled_from(_BOUNDS), st.sampled_from([Decimal(1), Decimal(3)])
                             ).map(lambda t: (*t[0], t[1])), min_size=1, max_size=5).map(tuple)


@settings(max_examples=200, deadline=None)
@given(shape=_SHAPES, index=st.integers(0, 4), offset=st.integers(0, 1400))
def test_fall_due_keeps_the_target_or_takes_the_latest_due(shape: Any, index: int,
                                                            offset: int) -> None:
    """The target used has fallen due unless none has (pending); a target that has fallen
    due is kept; a milestone is the latest of those that have."""
    index %= len(shape)
    as_of = date(2011, 6, 1) + timedelta(days=offset)
    used, pending = fall_due(shape, index, as_of)
    due = [i for i, item in enumerate(shape) if item[1] <= as_of]
    if shape[index][1] <= as_of:
        assert (used, pending) == (index, False)
    elif not due:
        assert (used, pending) == (index, True)
    else:
        assert not pending and used in due
        assert shape[used][1] == max(shape[i][1] for i in due)
