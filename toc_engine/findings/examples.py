"""Small programme files that rule examples are built from.

Each rule's failing and passing example is a complete file; most differ from
this skeleton in a few lines, so they are written as `HEADER + "..."`. The rules of
`toc import logframe` are shown on workbooks instead, built from `LOGFRAME`.
"""

from .catalogue import WorkbookExample

HEADER = """\
toc: 1
programme:
  id: demo
  title: Demo programme
  period: {start: 2012-01-01, end: 2013-12-31}
"""

VALID = (
    HEADER
    + """\
results:
  - id: meetings-held
    level: output
    statement: The working group meets every month
    contributes_to:
      - to: people-feel-safer
        rationale: Regular meetings let residents raise concerns early
        assumptions: [police-attend]
    indicators:
      - id: meetings
        name: Working-group meetings held
        unit: meeting
        direction: increase
        chosen_by: community
        method: administrative
        source: Meeting minutes
        baseline: {period: 2011, value: 0}
        targets: [{period: 2013, value: 12}]
  - id: people-feel-safer
    level: impact
    statement: People in the village feel safe
    indicators:
      - id: feel-safe
        name: Residents who feel safe after dark
        measure: percentage
        direction: increase
        chosen_by: community
        method: survey
        source: Household survey
        baseline: {period: 2011, value: 40}
        targets: [{period: 2013, value: 60}]
assumptions:
  - id: police-attend
    statement: The district police send an officer to the meetings
"""
)

LOGFRAME = WorkbookExample(
    {
        "Logframe": {
            "A1": "Results chain", "B1": "Intervention logic", "C1": "Indicators",
            "D1": "Unit", "E1": "Baseline", "F1": "Baseline year", "G1": "Target",
            "H1": "Target year", "I1": "Sources of data", "J1": "Assumptions",
            "A2": "Impact", "B2": "People in the village feel safe",
            "C2": "Residents who feel safe after dark", "D2": "percent", "E2": 40,
            "F2": 2011, "G2": 60, "H2": 2013, "I2": "Household survey",
            "A3": "Output 1", "B3": "The working group meets every month",
            "C3": "Working-group meetings held", "D3": "meeting", "E3": 0, "F3": 2011,
            "G3": 12, "H3": 2013, "I3": "Meeting minutes",
            "J3": "The district police send an officer to the meetings",
        }
    }
)
"""A small EU Logical Framework Matrix that imports cleanly (the content of `VALID`):
the workbook that the examples of the import's rules (TOC7xx) are built from."""
