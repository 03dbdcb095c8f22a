"""Builders for small programmes in the scoring tests (no tests here).

Programmes are plain dicts validated by the real model, exactly as a loaded
file would be, so the tests exercise the same objects `toc score` does.
"""

from __future__ import annotations

from typing import Any

from toc_engine.schema.model import Programme

Data = dict[str, Any]


def indicator(
    id: str = "ind",
    *,
    baseline: Any = 0,
    targets: Any = ((2013, 100),),
    observations: Any = (),
    **extra: Any,
) -> Data:
    """An indicator; `baseline` is a value for 2011 (None for no baseline)."""
    data: Data = {
        "id": id,
        "name": f"Indicator {id}",
        "unit": "household",
        "direction": "increase",
        "method": "administrative",
        "source": "Register",
        "chosen_by": "community",
    }
    if baseline is not None:
        data["baseline"] = baseline if isinstance(baseline, dict) else {
            "period": 2011, "value": baseline}
    data["targets"] = [
        t if isinstance(t, dict) else {"period": t[0], "value": t[1]} for t in targets
    ]
    data["observations"] = [
        o if isinstance(o, dict) else {"period": o[0], "value": o[1]} for o in observations
    ]
    data.update(extra)
    return data


def result(
    id: str, level: str = "output", indicators: Any = (), links: Any = (), **extra: Any
) -> Data:
    data: Data = {
        "id": id,
        "level": level,
        "statement": f"Result {id}",
        "indicators": list(indicators),
        "contributes_to": [
            link if isinstance(link, dict) else {"to": link, "rationale": "Because"}
            for link in links
        ],
    }
    data.update(extra)
    return data


def claim(about: str, test: str = "straw_in_the_wind", **extra: Any) -> Data:
    data: Data = {"about": about, "finding": "supports", "test": test}
    data.update(extra)
    return data


def evidence(id: str, claims: Any, kind: str = "focus_group", **extra: Any) -> Data:
    data: Data = {"id": id, "kind": kind, "claims": list(claims)}
    data.update(extra)
    return data


def document(
    results: Any,
    *,
    evidence: Any = (),
    assumptions: Any = (),
    assessed_at: str | None = "2013-12-31",
    **extra: Any,
) -> Data:
    info: Data = {
        "id": "demo",
        "title": "Demo programme",
        "period": {"start": "2012-01-01", "end": "2013-12-31"},
    }
    if assessed_at is not None:
        info["assessed_at"] = assessed_at
    data: Data = {
        "toc": 1,
        "programme": info,
        "results": list(results),
        "evidence": list(evidence),
        "assumptions": list(assumptions),
    }
    data.update(extra)
    return data


def programme(results: Any, **kwargs: Any) -> Programme:
    return Programme.model_validate(document(results, **kwargs))


def one_indicator(**kwargs: Any) -> Programme:
    """A programme with a single result holding one indicator built from kwargs."""
    return programme([result("r", indicators=[indicator(**kwargs)])])
