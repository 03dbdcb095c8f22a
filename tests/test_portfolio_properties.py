"""Properties of the cross-context comparison (hypothesis): it does not depend on the
order programmes arrive in (workers finish in any order), every judgement lands in
exactly the rows its link belongs to, and `few_contexts` is what it says."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from toc_engine.scoring.portfolio import FEW_CONTEXTS, TESTED_VERDICTS, compare
from toc_engine.scoring.portfolio.judgements import Judgements, LinkJudgement

VERDICTS = [*TESTED_VERDICTS, "implementation_failure", "other_pathway", "untested"]
LINKS = [("a", "b"), ("b", "c"), ("c", "d")]


@st.composite
def programmes(draw: st.DrawFn) -> list[Judgements]:
    count = draw(st.integers(1, 8))
    found = []
    for index in range(count):
        links = []
        for source, target in LINKS:
            if draw(st.booleans()):
                verdict = draw(st.sampled_from(VERDICTS))
                links.append(LinkJudgement(
                    source=source, target=target,
                    pattern=draw(st.sampled_from([None, f"p-{source}"])),
                    verdict=verdict, reason="", posterior=None, confidence="low",
                    assumptions=("x",),
                    failed_assumptions=("x",) if verdict == "theory_failure_assumption" else (),
                    interim=False,
                ))
        found.append(Judgements(
            path=f"folder-{index}", programme=f"prog-{index}", title="t",
            country=draw(st.sampled_from(["BD", "NP", "XK", None])),
            model=draw(st.sampled_from([None, "m"])),
            period_start=date(2025, 1, 1), period_end=date(2027, 12, 31),
            assessed_at=draw(st.sampled_from([date(2026, 6, 30), date(2027, 12, 31)])),
            links=tuple(links), assumptions=(), levels=(), design_score=Decimal(50),
            validity=None, tested_coverage=Decimal(0), validity_untested=True, indicators=(),
        ))
    return found


@settings(max_examples=150, deadline=None)
@given(programmes(), st.randoms(use_true_random=False))
def test_order_does_not_matter(found: list[Judgements], rnd: random.Random) -> None:
    shuffled = list(found)
    rnd.shuffle(shuffled)
    assert compare(shuffled) == compare(found)


@settings(max_examples=150, deadline=None)
@given(programmes())
def test_every_judgement_is_in_its_rows(found: list[Judgements]) -> None:
    portfolio = compare(found)
    rows = {row.key: row for row in portfolio.links}
    models_with = {
        (j.model, link.id): {k.programme for k in found if k.model == j.model
                             for other in k.links if other.id == link.id}
        for j in found for link in j.links if j.model
    }
    for j in found:
        for link in j.links:
            expected = []
            if link.pattern:
                expected.append(f"pattern:{link.pattern}")
            if j.model and len(models_with[(j.model, link.id)]) > 1:
                expected.append(f"model:{j.model}:{link.id}")
            for key in expected:
                cells = [c for c in rows[key].cells if c.programme == j.programme]
                assert [(c.link, c.verdict) for c in cells] == [(link.id, link.verdict)]
    for row in portfolio.links:
        assert sum(row.counts.values()) == len(row.cells)
        tested = sum(1 for c in row.cells if c.verdict in TESTED_VERDICTS)
        assert row.few_contexts == (tested < FEW_CONTEXTS)
        assert len({c.programme for c in row.cells}) == len(row.cells)
