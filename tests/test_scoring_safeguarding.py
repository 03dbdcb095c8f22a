"""Safeguarding (scoring.md §6) in every output: JSON, text and --explain."""

from __future__ import annotations

import json
from typing import Any

from test_scoring_helpers import claim, evidence, indicator, programme, result

from toc_engine.formats.score import explain, render_text, to_json
from toc_engine.schema.model import Programme
from toc_engine.scoring import score

SECRET_SUMMARY = "Survivor X described the attack near the well"
SECRET_QUOTE = "He came back twice"


def sensitive_programme(**kwargs: Any) -> Programme:
    items = [
        evidence(
            "fgd",
            [claim("r", quote=SECRET_QUOTE)],
            sensitive=True,
            consent="verbal",
            summary=SECRET_SUMMARY,
            unanticipated=[{"statement": "Retaliation against a survivor", "valence": "negative"}],
        )
    ]
    return programme([result("r", indicators=[indicator(observations=[(2013, 50)])])],
                     evidence=items, **kwargs)


def all_outputs(include: bool) -> str:
    s = score(sensitive_programme(), include_sensitive=include)
    return "\n".join([render_text(s), explain(s, "r"), json.dumps(to_json(s))])


def test_sensitive_text_is_withheld_everywhere_by_default() -> None:
    text = all_outputs(False)
    for secret in (SECRET_SUMMARY, SECRET_QUOTE, "Retaliation"):
        assert secret not in text
    s = score(sensitive_programme())
    assert s.safeguarding.withheld_items == 1
    assert s.safeguarding.banner is None
    # the claim still counts: withholding text never changes a number
    assert s.results[0].posterior == 0.6


def test_include_sensitive_shows_text_under_a_banner() -> None:
    s = score(sensitive_programme(), include_sensitive=True)
    text = render_text(s)
    assert text.startswith("SENSITIVE CONTENT INCLUDED")
    assert explain(s, "r").startswith("SENSITIVE CONTENT INCLUDED")
    data = to_json(s)
    assert data["safeguarding"]["banner"].startswith("SENSITIVE CONTENT INCLUDED")
    assert SECRET_QUOTE in json.dumps(data) and SECRET_SUMMARY in json.dumps(data)


def site_rows(*values: int) -> list[dict[str, Any]]:
    return [{"period": 2013, "value": v, "site": f"s{i}"} for i, v in enumerate(values)]


def cases(values: list[int], **extra: Any) -> Any:
    ind = indicator(unit="case", sensitive=True, safeguarding="Aggregate only",
                    observations=site_rows(*values), **extra)
    prog = programme([result("r", indicators=[ind])])
    return score(prog).results[0].indicators[0], prog


def test_small_cell_and_complementary_suppression() -> None:
    # s0 = 3 < 5 suppressed; the smallest other cell (s1 = 10) suppressed with it; s2 shown
    ind, prog = cases([3, 10, 12])
    shown = {s.site: s for s in ind.series}
    assert shown["s0"].suppressed and "fewer than 5" in shown["s0"].suppression
    assert shown["s1"].suppressed and "complementary" in shown["s1"].suppression
    assert not shown["s2"].suppressed
    assert shown["s0"].actual is None and shown["s1"].progress is None
    # the total is still 25 and still scored
    assert ind.actual is not None and int(ind.actual.value or 0) == 25
    s = score(prog)
    assert s.safeguarding.suppressed_cells == 2
    text = render_text(s) + explain(s, "r") + json.dumps(to_json(s))
    assert "s0=3" not in text and "s1=10" not in text


def test_two_small_cells_need_no_complement() -> None:
    ind, _ = cases([2, 4, 12])
    assert [s.suppressed for s in ind.series] == [True, True, False]


def test_threshold_is_never_below_three() -> None:
    # the indicator asks for 1; the floor of 3 applies: 2 hidden (plus a complement), 3 shown
    ind, _ = cases([2, 3, 30, 40], suppress_below=1)
    shown = {s.site: s for s in ind.series}
    assert shown["s0"].suppressed
    assert shown["s1"].suppressed and "complementary" in shown["s1"].suppression
    assert not shown["s2"].suppressed


def test_configured_threshold() -> None:
    ind = indicator(unit="case", sensitive=True, observations=site_rows(7, 20, 30))
    prog = programme([result("r", indicators=[ind])], scoring={"suppress_below": 10})
    series = score(prog).results[0].indicators[0].series
    assert [s.suppressed for s in series] == [True, True, False]


def test_respondents_count_for_percentages() -> None:
    rows = [
        {"period": 2013, "value": 50, "dimensions": {"sex": "female"}, "sample_size": 4},
        {"period": 2013, "value": 50, "dimensions": {"sex": "male"}, "sample_size": 40},
    ]
    ind = indicator(measure="percentage", unit=None, sensitive=True, observations=[
        {"period": 2013, "value": 50, "sample_size": 44}, *rows])
    series = score(programme([result("r", indicators=[ind])])).results[0].indicators[0].series
    assert [s.suppressed for s in series] == [True, True]


def test_non_sensitive_indicators_are_not_suppressed() -> None:
    ind = indicator(unit="case", observations=site_rows(1, 2, 30))
    series = score(programme([result("r", indicators=[ind])])).results[0].indicators[0].series
    assert not any(s.suppressed for s in series)
