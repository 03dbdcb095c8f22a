"""The portfolio as plain JSON data: the one serializer behind the JSON, CSV, Markdown
and HTML outputs (docs/schema/portfolio.schema.json describes it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...scoring.portfolio import FEW_CONTEXTS, Portfolio

SCHEMA_VERSION = "1"

JSON = dict[str, Any]


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 6))


def _post(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def portfolio_data(portfolio: Portfolio) -> JSON:
    return {
        "schema_version": SCHEMA_VERSION,
        "few_contexts_below": FEW_CONTEXTS,
        "assessment_dates": [d.isoformat() for d in portfolio.assessment_dates],
        "contexts": [
            {
                "programme": c.programme,
                "title": c.title,
                "country": c.country,
                "model": c.model,
                "assessed_at": c.assessed_at.isoformat(),
                "period": {"start": c.period_start.isoformat(), "end": c.period_end.isoformat()},
                "interim": c.interim,
                "path": c.path,
            }
            for c in portfolio.contexts
        ],
        "refused": [
            {"path": r.path, "errors": r.errors, "first_error": r.first_error}
            for r in portfolio.refused
        ],
        "links": [
            {
                "key": row.key,
                "kind": row.kind,
                "name": row.name,
                "tested_in": len(row.tested),
                "few_contexts": row.few_contexts,
                "countries": sorted({c.country or "" for c in row.cells}),
                "verdicts": row.counts,
                "failed_on": {a: list(p) for a, p in row.failed_on.items()},
                "cells": [
                    {
                        "programme": c.programme,
                        "country": c.country,
                        "assessed_at": c.assessed_at.isoformat(),
                        "link": c.link,
                        "verdict": c.verdict,
                        "tested": c.tested,
                        "reason": c.reason,
                        "posterior": _post(c.posterior),
                        "confidence": c.confidence,
                        "failed_assumptions": list(c.failed_assumptions),
                        "interim": c.interim,
                    }
                    for c in row.cells
                ],
            }
            for row in portfolio.links
        ],
        "assumptions": [
            {
                "key": row.key,
                "kind": row.kind,
                "name": row.name,
                "held_in": list(row.where("holds")),
                "failed_in": list(row.where("failed")),
                "cells": [
                    {
                        "programme": c.programme,
                        "country": c.country,
                        "assessed_at": c.assessed_at.isoformat(),
                        "assumption": c.assumption,
                        "state": c.state,
                        "posterior": _post(c.posterior),
                    }
                    for c in row.cells
                ],
            }
            for row in portfolio.assumptions
        ],
        "delivery": [
            {
                "country": e.country,
                "level": e.level,
                "programme": e.programme,
                "assessed_at": e.assessed_at.isoformat(),
                "interim": e.interim,
                "score": _num(e.score),
                "band": e.band,
                "results": e.results,
                "banded": e.banded,
            }
            for e in portfolio.delivery
        ],
        "design": [
            {
                "country": e.country,
                "programme": e.programme,
                "assessed_at": e.assessed_at.isoformat(),
                "interim": e.interim,
                "score": _num(e.score),
                "validity": _num(e.validity),
                "tested_coverage": _num(e.tested_coverage),
                "validity_untested": e.validity_untested,
            }
            for e in portfolio.design
        ],
        "indicators": [
            {
                "use": a.use,
                "name": a.name,
                "definition": a.definition,
                "measure": a.measure,
                "unit": a.unit,
                "method": a.method,
                "value": _num(a.value),
                "sample_size": a.sample_size,
                "note": a.note,
                "periods": list(a.periods),
                "sensitive": a.sensitive,
                "contributions": [
                    {
                        "programme": c.programme,
                        "country": c.country,
                        "indicator": c.indicator,
                        "value": _num(c.value),
                        "unit": c.unit,
                        "period": c.period,
                        "sample_size": c.sample_size,
                        "status": c.status,
                    }
                    for c in a.contributions
                ],
            }
            for a in portfolio.indicators
        ],
        "lessons": [{"kind": x.kind, "key": x.key, "text": x.text} for x in portfolio.lessons],
    }
