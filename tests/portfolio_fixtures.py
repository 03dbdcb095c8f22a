"""A portfolio generated from the three models in models/, with planted outcomes.

Each model is started in six countries at two review dates (36 programmes). In every
programme three links of its model have their ends decided by evidence (a doubly
decisive claim for or against each result and for the link), chosen so that no other
link of the model joins two decided results:

- `hold`: both results achieved and the link supported, everywhere;
- `fail`: the lower result achieved, the higher not, and the link's assumption declared
  failed, in Nepal and Kenya; held (assumption holds) elsewhere;
- `never`: neither result achieved (the link was never implemented), everywhere.

The expected table is built from this plan, not from the engine's output. The links
are also tagged with shared patterns (`planted-hold`, `planted-fail`, `planted-never`)
so the three models meet in the pattern rows; the failing assumptions share the pattern
`planted-assumption`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent

# model -> (hold link, fail link with its assumption, never link)
PLAN: dict[str, tuple[tuple[str, str], tuple[str, str, str], tuple[str, str]]] = {
    "community-security": (
        ("build-vision-and-trust", "inclusive-safety-groups"),
        ("priority-concerns-tackled", "people-feel-safer", "threats-not-displaced"),
        ("providers-respond", "responsive-security-provision"),
    ),
    "gbv-prevention": (
        ("women-identify-unsafe-places", "protective-facilities-in-use"),
        (
            "engage-men-and-boys",
            "community-aware-of-rights-and-help",
            "engaging-men-does-not-backfire",
        ),
        ("strengthen-referral-and-policing", "female-officers-and-referrals"),
    ),
    "youth-crime-reporting": (
        ("form-youth-group", "youth-active-in-safety"),
        ("run-skills-and-jobs-centre", "youth-in-work-or-training", "jobs-for-skills"),
        ("record-crimes-with-consent", "crime-patterns-shared"),
    ),
}
COUNTRIES = ("BD", "CO", "KE", "NP", "UG", "XK")
FAILING_IN = ("KE", "NP")
REVIEWS = {"mid": "2026-06-30", "end": None}  # None: assessed at the period's end


@dataclass
class Planted:
    folders: list[Path] = field(default_factory=list)
    # row key -> {programme: (verdict, failed assumptions)}
    links: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = field(default_factory=dict)
    # assumption row key -> {programme: state}
    assumptions: dict[str, dict[str, str]] = field(default_factory=dict)
    interim: set[str] = field(default_factory=set)
    broken: Path | None = None
    # programme -> (value, sample size) of the library indicator planted in community-security
    # programmes (governance/action-plans-with-community-indicators, a percentage)
    indicator: dict[str, tuple[int, int]] = field(default_factory=dict)


def _plant_indicator(doc: dict[str, Any], planted: Planted, programme: str, index: int) -> None:
    """An observation with its sample size, on a result no planted link touches (so the
    planted verdicts stay as planned: the indicator has no target, so no delivery score)."""
    value, size = 40 + index % 7 * 5, 20 + index
    for result in doc["results"]:
        for indicator in result.get("indicators") or []:
            if indicator.get("use") == "governance/action-plans-with-community-indicators":
                indicator["observations"] = [
                    {"period": 2026, "value": value, "sample_size": size}
                ]
                planted.indicator[programme] = (value, size)


def _claim(about: str, supports: bool) -> dict[str, object]:
    return {
        "about": about,
        "finding": "supports" if supports else "contradicts",
        "test": "doubly_decisive",
    }


def _expect(planted: Planted, key: str, programme: str, verdict: str,
            failed: tuple[str, ...] = ()) -> None:
    planted.links.setdefault(key, {})[programme] = (verdict, failed)


def build(root: Path, *, broken: bool = True) -> Planted:
    """Write the portfolio under `root` (one folder per programme) and return the plan."""
    yaml = YAML()
    planted = Planted()
    for model, (hold, fail, never) in PLAN.items():
        text = (ROOT / "models" / f"{model}.yaml").read_text(encoding="utf-8")
        for country in COUNTRIES:
            for review, assessed in REVIEWS.items():
                doc = yaml.load(text)
                programme = f"{model}-{country.lower()}-{review}"
                info = doc["programme"]
                info["id"] = programme
                info["title"] = f"{model} in {country} ({review} review)"
                info["country"] = country
                if assessed:
                    info["assessed_at"] = assessed
                    planted.interim.add(programme)
                failing = country in FAILING_IN
                source, target, assumption = fail
                for entry in doc["assumptions"]:
                    if entry["id"] == assumption:
                        entry["status"] = "failed" if failing else "holds"
                        entry["pattern"] = "planted-assumption"
                for result in doc["results"]:
                    for link in result.get("contributes_to") or []:
                        pair = (result["id"], link["to"])
                        for name, planted_link in (("hold", hold), ("fail", fail[:2]),
                                                   ("never", never)):
                            if pair == planted_link:
                                link["pattern"] = f"planted-{name}"
                claims = [
                    _claim(hold[0], True), _claim(hold[1], True),
                    _claim(f"{hold[0]} -> {hold[1]}", True),
                    _claim(source, True), _claim(target, not failing),
                    _claim(never[0], False), _claim(never[1], False),
                ]
                if not failing:
                    claims.append(_claim(f"{source} -> {target}", True))
                if model == "community-security":
                    _plant_indicator(doc, planted, programme, len(planted.folders))
                doc["evidence"] = [{
                    "id": "planted-review",
                    "kind": "document",
                    "date": "2026-03",
                    "claims": claims,
                }]
                folder = root / model / programme
                folder.mkdir(parents=True)
                with open(folder / "programme.yaml", "w", encoding="utf-8") as handle:
                    yaml.dump(doc, handle)
                planted.folders.append(folder)
                fail_verdict = ("theory_failure_assumption", (assumption,)) if failing else (
                    "theory_held", ())
                for prefix, pair, expected in (
                    ("hold", hold, ("theory_held", ())),
                    ("fail", fail[:2], fail_verdict),
                    ("never", never, ("implementation_failure", ())),
                ):
                    link_id = f"{pair[0]} -> {pair[1]}"
                    _expect(planted, f"pattern:planted-{prefix}", programme, *expected)
                    _expect(planted, f"model:{model}:{link_id}", programme, *expected)
                state = "failed" if failing else "holds"
                planted.assumptions.setdefault("pattern:planted-assumption", {})[programme] = state
                planted.assumptions.setdefault(f"model:{model}:{assumption}", {})[programme] = state
    if broken:
        folder = root / "broken"
        folder.mkdir()
        (folder / "programme.yaml").write_text(
            "toc: 1\nprogramme:\n  id: broken\n  title: Broken\n"
            "  period: {start: 2025-01-01, end: 2027-12-31}\n"
            "results:\n  - id: a\n    level: output\n    statement: A\n"
            "    contributes_to: [{to: nowhere, rationale: R}]\n",
            encoding="utf-8",
        )
        planted.broken = folder.resolve()
    return planted
