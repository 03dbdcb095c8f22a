# ruff: noqa: E501
"""Small programmes for the report tests (written to tmp_path as YAML)."""

from __future__ import annotations

from pathlib import Path

TINY = """\
toc: 1
programme:
  id: tiny
  title: {title}
  country: NP
  period: {{start: 2011-01-01, end: 2013-12-31}}
  assessed_at: 2013-06-30
sites:
  - {{id: chakkar, name: {{en: Chakkar VDC, ne: चक्कर गाविस, bn: চক্কর}}}}
priorities:
  - id: harassment-outdoors
    concern: {{en: Women are harassed outside, ne: महिलाहरू बाहिर हैरानीमा पर्छन्, bn: নারীরা বাইরে হয়রানির শিকার হন}}
    raised_by: [women]
    site: chakkar
    rank: 1
assumptions:
  - {{id: police-engaged, statement: Police stay engaged, status: holds}}
results:
  - id: toilets
    level: output
    statement: {{en: "{statement}", ne: १५० घरमा शौचालय बने, bn: ১৫০টি বাড়িতে শৌচাগার}}
    addresses: [harassment-outdoors]
    contributes_to:
      - to: safer
        rationale: Fewer trips outside after dark
        assumptions: [police-engaged]
    indicators:
      - id: toilets-built
        name: Households with a toilet
        definition: Count of listed households whose toilet is complete
        measure: unit
        unit: household
        direction: increase
        cumulative: true
        chosen_by: community
        method: administrative
        source: Construction register
        frequency: quarterly
        rationale: The working group asked for it
        limitations: Self-reported by the working group
        baseline: {{period: 2011, value: 0}}
        targets:
          - period: 2012
            value: 150
            revised: {{date: 2011-09-01, from: 200, reason: Toilets cost more than planned}}
        observations:
          - {{period: 2012-Q2, value: 60}}
          - {{period: 2012-Q4, value: 90}}
  - id: safer
    level: outcome
    statement: {{en: Women feel safer after dark, ne: महिलाहरू राति सुरक्षित महसुस गर्छन्, bn: নারীরা রাতে নিরাপদ বোধ করেন}}
    addresses: [harassment-outdoors]
    indicators:
      - id: feel-safe
        name: Share of women who feel safe after dark
        measure: percentage
        direction: increase
        chosen_by: community
        method: survey
        source: Household survey
        frequency: annual
        disaggregate_by: [sex]
        baseline: {{period: 2011, value: 38, sample_size: 150}}
        targets: [{{period: 2012, value: 60}}]
        observations:
          - {{period: 2012, value: 57, sample_size: 160}}
          - {{period: 2012, value: 61, dimensions: {{sex: female}}, sample_size: 80}}
          - {{period: 2012, value: 53, dimensions: {{sex: male}}, sample_size: 80}}
      - id: story
        name: What women say about moving around
        measure: qualitative
        chosen_by: community
        method: focus_group
evidence:
  - id: fgd-2012
    kind: focus_group
    date: 2012-11
    site: chakkar
    participants: {{count: 12, groups: [women]}}
    sensitive: true
    consent: verbal
    summary: SECRET-SUMMARY women spoke about harassment
    claims:
      - about: safer
        finding: supports
        test: straw_in_the_wind
        quote: SECRET-QUOTE we go out now
  - id: doc-2012
    kind: document
    summary: "=HYPERLINK(\\"http://x\\") committee minutes"
    claims:
      - {{about: "toilets -> safer", finding: supports, test: hoop}}
"""


def tiny(folder: Path, statement: str = "150 households have a toilet",
         title: str = "Tiny programme") -> Path:
    path = folder / "programme.yaml"
    path.write_text(TINY.format(statement=statement, title=title), encoding="utf-8")
    return path


def big(folder: Path, per_level: int = 14) -> Path:
    """A programme of 4 x per_level results with long statements (42 by default)."""
    levels = ["activity", "output", "outcome", "impact"]
    counts = [per_level, per_level, per_level - 2, 2]
    lines = [
        "toc: 1",
        "programme: {id: big, title: Many results, period: {start: 2011-01-01, end: 2013-12-31}}",
        "results:",
    ]
    for li, level in enumerate(levels):
        for k in range(counts[li]):
            rid = f"{level}-{k}"
            lines.append(f"  - id: {rid}")
            lines.append(f"    level: {level}")
            lines.append(
                f"    statement: Result number {k} at the {level} level, where district "
                "authorities, community safety working groups and police jointly "
                "implement WWWWWWWWWWWWWWWWWWWWWWWW measures agreed in the action plan"
            )
            if li + 1 < len(levels):
                target = f"{levels[li + 1]}-{k % counts[li + 1]}"
                lines.append(f"    contributes_to: [{{to: {target}, rationale: because}}]")
    path = folder / "programme.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
