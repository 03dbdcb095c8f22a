"""Small programme files that rule examples are built from.

Each rule's failing and passing example is a complete file; most differ from
this skeleton in a few lines, so they are written as `HEADER + "..."`.
"""

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
