"""The evidence form: its choices, taken from the programme, and the item it describes."""

from __future__ import annotations

import re
from typing import Any

from ..schema.model import EvidenceKind, Finding, Programme, TestType

SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
PERIOD = re.compile(r"^[0-9][0-9A-Za-z-]*$")
CLAIMS = 3  # claim rows on the form; an item with more is written in the file


def claim_targets(programme: Programme) -> list[str]:
    """What a claim can be about: results, assumptions, rivals and links ("a -> b")."""
    targets = [r.id for r in programme.results] + [a.id for a in programme.assumptions]
    for result in programme.results:
        for link in result.contributes_to:
            targets.append(f"{result.id} -> {link.to}")
            targets += [rival.id for rival in link.rivals]
    return list(dict.fromkeys(targets))


def choices(programme: Programme) -> dict[str, Any]:
    return {
        "kinds": [k.value for k in EvidenceKind],
        "finding_choices": [f.value for f in Finding],
        "tests": [t.value for t in TestType],
        "targets": claim_targets(programme),
        "sites": programme.sites,
        "organisations": programme.programme.organisations,
        "rows": range(1, CLAIMS + 1),
    }


def evidence_from(form: dict[str, str], programme: Programme) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    get = {k: v.strip() for k, v in form.items()}.get
    item: dict[str, Any] = {"id": get("id", "")}
    if not SLUG.match(item["id"]):
        problems.append("id: a short name of letters, digits, - and _ (e.g. fgd-chakkar-2013)")
    elif item["id"] in {e.id for e in programme.evidence}:
        problems.append(f"id: '{item['id']}' is already used; choose another")
    kind = get("kind", "")
    if kind not in {k.value for k in EvidenceKind}:
        problems.append("kind: choose one from the list")
    item["kind"] = kind
    for key in ("title",):
        if get(key):
            item[key] = get(key)
    date = get("date", "")
    if date and not PERIOD.match(date):
        problems.append("date: write it as 2013, 2013-03 or 2013-03-15")
    elif date:
        item["date"] = date
    site = get("site", "")
    if site and site not in {s.id for s in programme.sites}:
        problems.append(f"site: '{site}' is not one of the programme's sites")
    elif site:
        item["site"] = site
    by = get("collected_by", "")
    if by and by not in {o.id for o in programme.programme.organisations}:
        problems.append(f"collected by: '{by}' is not one of the programme's organisations")
    elif by:
        item["collected_by"] = by
    if get("sensitive"):
        item["sensitive"] = True
    for key in ("summary", "consent", "source"):
        if get(key):
            item[key] = get(key)
    targets = set(claim_targets(programme))
    claims = []
    for row in range(1, CLAIMS + 1):
        about = get(f"claim_about_{row}", "")
        if not about:
            continue
        claim: dict[str, Any] = {"about": about, "finding": get(f"claim_finding_{row}", "")}
        if about not in targets:
            problems.append(f"claim {row}: '{about}' is not a result, assumption, rival or link")
        if claim["finding"] not in {f.value for f in Finding}:
            problems.append(f"claim {row}: finding is supports or contradicts")
        test = get(f"claim_test_{row}", "")
        if test and test not in {t.value for t in TestType}:
            problems.append(f"claim {row}: choose the test from the list")
        elif test:
            claim["test"] = test
        if get(f"claim_quote_{row}"):
            claim["quote"] = get(f"claim_quote_{row}")
        claims.append(claim)
    if not claims:
        problems.append("claims: say what the evidence is about in at least one claim")
    item["claims"] = claims
    return item, problems
