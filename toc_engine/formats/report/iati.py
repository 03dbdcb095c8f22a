"""An IATI 2.03 activity file from a programme (`toc export iati`), or only its `<result>`
elements to paste into a file of one's own (`--fragment`).

What the IATI rulesets ask, and how this module meets it:
- result/@type from the ResultType codelist: output 1, outcome 2, impact 3, else 9 (other:
  activities have no code of their own);
- indicator/@measure from IndicatorMeasure: unit 1, percentage 2, ordinal 4, qualitative 5;
  @ascending only for increase (1) / decrease (0), never on qualitative indicators;
- qualitative indicators (measure 5) carry no @value on baseline, target or actual: their
  narrative goes into <comment>;
- every period has period-start before or on period-end; baseline/@year is required;
- an indicator's periods never overlap: targets and observations whose periods overlap
  share one reporting period, which holds the target and the actual of that time;
- the activity has a sector (OECD DAC, vocabulary 1) and an identifier that begins with the
  reporting organisation's; what the programme lacks is a placeholder and a warning
  (`export_findings`, TOC901);
- disaggregation (site and dimensions) becomes <dimension name= value=> on target and actual;
- values are written exactly as the decimals in the file (no binary floating point).
Safeguarding: site and disaggregated values of sensitive indicators that the scoring
package suppresses are left out, as in every other output.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ...findings.diagnostic import Diagnostic, Span
from ...schema.model import (
    Direction,
    Indicator,
    Measure,
    Observation,
    Organisation,
    Programme,
    Target,
)
from ...scoring.result import ProgrammeScore
from ..safe_text import for_xml
from .i18n import pick

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
Locate = Callable[..., Span]  # LoadedProgramme.locate: a data path to where it is written
RESULT_TYPE = {"output": "1", "outcome": "2", "impact": "3"}
MEASURE = {
    Measure.unit: "1",
    Measure.percentage: "2",
    Measure.ordinal: "4",
    Measure.qualitative: "5",
}
Series = tuple[str | None, tuple[tuple[str, str], ...]]  # (site, dimensions): one value series


def _narratives(parent: ET.Element, text: str | dict[str, str] | None, lang: str) -> None:
    if isinstance(text, dict):
        for code in sorted(text, key=lambda c: (c != lang, c)):
            node = ET.SubElement(parent, "narrative")
            if code != lang:
                node.set(XML_LANG, code)
            node.text = text[code]
        return
    ET.SubElement(parent, "narrative").text = text or ""


def _text_element(parent: ET.Element, name: str, text: str | dict[str, str] | None,
                  lang: str) -> None:
    if text is None or text == "" or text == {}:
        return
    _narratives(ET.SubElement(parent, name), text, lang)


def _value(indicator: Indicator, value: Decimal | str) -> str:
    if indicator.measure is Measure.ordinal and indicator.scale and isinstance(value, str):
        return str(indicator.scale.index(value)) if value in indicator.scale else value
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text == "-0" else text
    return str(value)


def _dimensions(parent: ET.Element, site: str | None, dims: dict[str, str]) -> None:
    if site:
        ET.SubElement(parent, "dimension", {"name": "site", "value": site})
    for name in sorted(dims):
        ET.SubElement(parent, "dimension", {"name": name, "value": dims[name]})


def _hidden(score: ProgrammeScore | None, indicator_id: str) -> set[Series]:
    if score is None:
        return set()
    for result in score.results:
        for ind in result.indicators:
            if ind.id == indicator_id:
                return {(s.site, s.dimensions) for s in ind.series if s.suppressed}
    return set()


def _series(item: Target | Observation) -> Series:
    return item.site, tuple(sorted(item.dimensions.items()))


@dataclass
class ReportingPeriod:
    """One IATI `<period>`: the targets and the measured values whose periods overlap,
    directly or through each other, so that no two periods of an indicator overlap."""

    start: date
    end: date
    targets: list[Target] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)


def reporting_periods(indicator: Indicator, as_of: date) -> list[ReportingPeriod]:
    """The indicator's targets and counted observations (begun by `as_of`), grouped into
    reporting periods: items whose periods overlap share one, which spans them all."""
    items: list[Target | Observation] = [*indicator.targets]
    items += [o for o in indicator.observations
              if getattr(o, "value", None) is not None and o.period.start <= as_of]
    items.sort(key=lambda i: (i.period.start, i.period.end))
    out: list[ReportingPeriod] = []
    for item in items:
        if not out or item.period.start > out[-1].end:
            out.append(ReportingPeriod(item.period.start, item.period.end))
        current = out[-1]
        current.end = max(current.end, item.period.end)
        if isinstance(item, Target):
            current.targets.append(item)
        else:
            current.observations.append(item)
    return out


def _latest(observations: list[Observation]) -> Observation:
    """The value a period reports for a level: the latest measured (latest end; on a tie
    the shorter period), as the scoring reads it."""
    return max(observations, key=lambda o: (o.period.end, o.period.start))


def _actuals(indicator: Indicator, periods: list[ReportingPeriod]) -> list[
        list[tuple[Observation, Decimal | str]]]:
    """Per reporting period, one actual per series: its latest value, or for a cumulative
    indicator the running total (the baseline plus every addition so far), as its targets
    are written."""
    running: dict[Series, Decimal] = {}
    base = indicator.baseline
    if (indicator.cumulative and base is not None and isinstance(base.value, Decimal)
            and not base.site and not base.dimensions):
        running[(None, ())] = base.value
    out = []
    for period in periods:
        by_series: dict[Series, list[Observation]] = {}
        for item in period.observations:
            by_series.setdefault(_series(item), []).append(item)
        chosen = []
        for key in sorted(by_series, key=lambda k: (k[0] or "", k[1])):
            group = by_series[key]
            latest = _latest(group)
            assert latest.value is not None  # reporting_periods keeps counted values only
            value: Decimal | str = latest.value
            if indicator.cumulative and all(isinstance(o.value, Decimal) for o in group):
                total = running.get(key, Decimal(0))
                for item in group:
                    total += item.value  # type: ignore[operator]
                running[key] = total
                value = total
            chosen.append((latest, value))
        out.append(chosen)
    return out


def _span_note(item: Target | Observation, period: ReportingPeriod, what: str) -> str:
    """Say the item's own period when the reporting period is wider."""
    if (item.period.start, item.period.end) == (period.start, period.end):
        return ""
    return f"{what} {item.period.start.isoformat()} to {item.period.end.isoformat()}."


def _measured(parent: ET.Element, name: str, indicator: Indicator, item: Target | Observation,
              value: Decimal | str, notes: list[str], lang: str) -> None:
    qualitative = indicator.measure is Measure.qualitative
    node = ET.SubElement(parent, name, {} if qualitative else {"value": _value(indicator, value)})
    _dimensions(node, item.site, item.dimensions)
    text = " ".join(n if n.endswith((".", "!", "?")) else f"{n}." for n in notes if n)
    if text:
        _text_element(node, "comment", text, lang)


def indicator_element(indicator: Indicator, lang: str, hidden: set[Series],
                      as_of: date) -> ET.Element:
    qualitative = indicator.measure is Measure.qualitative
    attrs = {"measure": MEASURE[indicator.measure]}
    if not qualitative and indicator.direction in (Direction.increase, Direction.decrease):
        attrs["ascending"] = "1" if indicator.direction is Direction.increase else "0"
    # Additions in a unit (households, meetings) add up across activities; levels,
    # shares and scale positions do not.
    summable = indicator.cumulative and indicator.measure is Measure.unit
    attrs["aggregation-status"] = "1" if summable else "0"
    node = ET.Element("indicator", attrs)
    _text_element(node, "title", indicator.name, lang)
    _text_element(node, "description", indicator.definition, lang)
    ET.SubElement(node, "reference", {"vocabulary": "99", "code": indicator.id})
    base = indicator.baseline
    if base is not None:
        battrs = {"year": str(base.period.start.year), "iso-date": base.period.start.isoformat()}
        if not qualitative:
            battrs["value"] = _value(indicator, base.value)
        bnode = ET.SubElement(node, "baseline", battrs)
        if base.site or base.dimensions:
            _dimensions(bnode, base.site, base.dimensions)
        comment = pick(base.note, lang) if base.note else ""
        if qualitative:
            comment = " ".join(x for x in (str(base.value), comment) if x)
        if indicator.measure is Measure.ordinal and indicator.scale:
            comment = " ".join(x for x in (f"scale position of '{base.value}'", comment) if x)
        if comment:
            _text_element(bnode, "comment", comment, lang)
    periods = reporting_periods(indicator, as_of)
    for period, actuals in zip(periods, _actuals(indicator, periods), strict=True):
        targets = [t for t in sorted(period.targets, key=lambda t: (
            t.site or "", sorted(t.dimensions.items()), t.period.start))
            if not (indicator.sensitive and _series(t) in hidden)]
        actuals = [a for a in actuals if not (indicator.sensitive and _series(a[0]) in hidden)]
        if not targets and not actuals:
            continue
        pnode = ET.SubElement(node, "period")
        ET.SubElement(pnode, "period-start", {"iso-date": period.start.isoformat()})
        ET.SubElement(pnode, "period-end", {"iso-date": period.end.isoformat()})
        for target in targets:
            notes = [_span_note(target, period, "Target for")]
            if indicator.cumulative:
                notes.append("Running total (cumulative indicator).")
            if qualitative:
                notes.append(str(target.value))
            if target.period.end > as_of:
                # scoring.md §7: progress against it is interim, never a shortfall
                notes.append(f"Interim: this target falls due on {target.period.end.isoformat()}, "
                             f"after the assessment date {as_of.isoformat()}.")
            if target.revised is not None:
                notes.append(
                    f"Revised {target.revised.date.isoformat()} from "
                    f"{_value(indicator, target.revised.from_)}: "
                    f"{pick(target.revised.reason, lang)}"
                )
            if target.note:
                notes.append(pick(target.note, lang))
            _measured(pnode, "target", indicator, target, target.value, notes, lang)
        for observation, value in actuals:
            notes = [] if indicator.cumulative else [_span_note(observation, period, "Measured")]
            if indicator.cumulative:
                notes.append("Running total (cumulative indicator): the baseline plus every "
                             "addition to the end of this period.")
            if qualitative:
                notes.append(str(observation.value))
            if observation.note:
                notes.append(pick(observation.note, lang))
            if observation.sample_size:
                notes.append(f"Sample size {observation.sample_size}.")
            _measured(pnode, "actual", indicator, observation, value, notes, lang)
    return node


def result_elements(
    programme: Programme, score: ProgrammeScore | None = None, lang: str = "en"
) -> list[ET.Element]:
    """One <result> per result that has at least one indicator (IATI requires one)."""
    out = []
    as_of = programme.programme.as_of
    for result in programme.results:
        if not result.indicators:
            continue
        node = ET.Element("result", {"type": RESULT_TYPE.get(result.level, "9"),
                                     "aggregation-status": "0"})
        _text_element(node, "title", result.statement, lang)
        _text_element(node, "description", result.description, lang)
        for indicator in result.indicators:
            node.append(indicator_element(indicator, lang, _hidden(score, indicator.id), as_of))
        out.append(node)
    return out


def _serialise(element: ET.Element) -> str:
    ET.indent(element, space="  ")
    return for_xml(ET.tostring(element, encoding="unicode", short_empty_elements=True))


def results_xml(programme: Programme, score: ProgrammeScore | None = None,
                lang: str = "en") -> str:
    """The <result> elements, one after another (a fragment to paste into an activity)."""
    parts = [_serialise(e) for e in result_elements(programme, score, lang)]
    return "\n".join(parts) + "\n"


PLACEHOLDER_PREFIX = "XX-"  # not a registration agency: an identifier still to be found


def lead_organisation(programme: Programme) -> Organisation | None:
    """The organisation whose `role` is lead: the IATI reporting organisation."""
    return next((o for o in programme.programme.organisations
                 if (o.role or "").strip().lower() == "lead"), None)


def identifiers(programme: Programme) -> tuple[str, str]:
    """The activity's IATI identifier and its reporting organisation's, a placeholder
    (`XX-TOC-...`) standing in for one not declared; `export_findings` warns of each."""
    info = programme.programme
    lead = lead_organisation(programme)
    organisation = (lead.iati_identifier if lead is not None and lead.iati_identifier
                    else f"XX-TOC-{lead.id if lead is not None else info.id}")
    return info.iati_identifier or f"XX-TOC-{info.id}", organisation


def activity_xml(programme: Programme, score: ProgrammeScore | None = None,
                 lang: str = "en") -> str:
    """An IATI 2.03 activity file (an `iati-activities` document) holding the results."""
    info = programme.programme
    root = ET.Element("iati-activities", {"version": "2.03"})
    activity = ET.SubElement(root, "iati-activity", {XML_LANG: lang, "default-currency": "USD"})
    identifier, organisation = identifiers(programme)
    ET.SubElement(activity, "iati-identifier").text = identifier
    lead = lead_organisation(programme)
    reporting = ET.SubElement(activity, "reporting-org", {"ref": organisation, "type": "21"})
    _narratives(reporting, lead.name if lead else info.id, lang)
    _text_element(activity, "title", info.title, lang)
    description = ET.SubElement(activity, "description", {"type": "1"})
    _narratives(description, info.description or info.title, lang)
    participating = ET.SubElement(activity, "participating-org", {"role": "4"})
    if lead is not None and lead.iati_identifier:
        participating.set("ref", lead.iati_identifier)
    _narratives(participating, lead.name if lead else info.id, lang)
    ET.SubElement(activity, "activity-status", {"code": "2"})
    ET.SubElement(activity, "activity-date",
                  {"type": "1", "iso-date": info.period.start.isoformat()})
    ET.SubElement(activity, "activity-date",
                  {"type": "3", "iso-date": info.period.end.isoformat()})
    if info.country:
        ET.SubElement(activity, "recipient-country", {"code": info.country,
                                                      "percentage": "100"})
    _sectors(activity, programme)
    for element in result_elements(programme, score, lang):
        activity.append(element)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _serialise(root) + "\n"


def _sectors(activity: ET.Element, programme: Programme) -> None:
    """`<sector>` per OECD DAC purpose code (vocabulary 1); percentages when each has one,
    100 for a single sector."""
    sectors = programme.programme.sectors
    shares = [s.percentage for s in sectors]
    for sector, share in zip(sectors, shares, strict=True):
        attrs = {"vocabulary": "1", "code": sector.code}
        if len(sectors) == 1:
            attrs["percentage"] = "100"
        elif all(s is not None for s in shares):
            attrs["percentage"] = _value_text(share)
        ET.SubElement(activity, "sector", attrs)


def _value_text(number: Decimal | None) -> str:
    text = format((number or Decimal(0)).normalize(), "f")
    return "0" if text == "-0" else text


# --- what the export had to do without (TOC9xx, printed by `toc export iati`) ----------------

EXPORTED_TEXT = ("name", "definition")  # an indicator's texts in the IATI file


def export_findings(programme: Programme, locate: Locate) -> list[Diagnostic]:
    """Warnings about the IATI file: placeholder identifiers, no sector (TOC901), and library
    text meant for adaptation exported unchanged (TOC902)."""
    from ...findings.exports import IATI_PLACEHOLDER, LIBRARY_TEXT_NOT_ADAPTED

    info = programme.programme
    found: list[Diagnostic] = []
    header = locate(("programme",), True)
    identifier, organisation = identifiers(programme)
    if not info.iati_identifier:
        found.append(IATI_PLACEHOLDER(
            f"no `programme.iati_identifier`: the IATI file names the activity {identifier}, "
            "a placeholder no registry accepts", header,
            hint="add `iati_identifier:` under `programme:`: your organisation identifier, a "
            "hyphen and the programme's own code (e.g. GB-CHC-1234567-NP-2010)",
            path=("programme",)))
    elif info.iati_identifier.startswith(PLACEHOLDER_PREFIX):
        found.append(IATI_PLACEHOLDER(
            f"`programme.iati_identifier` {info.iati_identifier} is a placeholder (XX- is not "
            "a registration agency)", locate(("programme", "iati_identifier")),
            hint="replace it with your organisation identifier and the programme's code",
            path=("programme", "iati_identifier")))
    lead = lead_organisation(programme)
    if lead is None:
        found.append(IATI_PLACEHOLDER(
            f"no organisation has `role: lead`: the reporting organisation is {organisation}, "
            "a placeholder", header,
            hint="list the reporting organisation under `programme.organisations` with "
            "`role: lead` and its `iati_identifier`", path=("programme",)))
    else:
        where = ("programme", "organisations", info.organisations.index(lead))
        if not lead.iati_identifier:
            found.append(IATI_PLACEHOLDER(
                f"the lead organisation '{lead.id}' has no `iati_identifier`: the reporting "
                f"organisation is {organisation}, a placeholder", locate(where),
                hint="add `iati_identifier:` to it (a registration agency and number, e.g. "
                "GB-CHC-1234567; see org-id.guide)", path=where))
        elif lead.iati_identifier.startswith(PLACEHOLDER_PREFIX):
            found.append(IATI_PLACEHOLDER(
                f"the lead organisation's `iati_identifier` {lead.iati_identifier} is a "
                "placeholder", locate((*where, "iati_identifier")),
                hint="replace it with the organisation's registered identifier (org-id.guide)",
                path=(*where, "iati_identifier")))
        elif info.iati_identifier and not info.iati_identifier.startswith(
                lead.iati_identifier + "-"):
            found.append(IATI_PLACEHOLDER(
                f"the activity identifier {info.iati_identifier} does not begin with the "
                f"reporting organisation's identifier {lead.iati_identifier}",
                locate(("programme", "iati_identifier")),
                hint=f"IATI activity identifiers are the reporting organisation's identifier, a "
                f"hyphen and the activity's own code: {lead.iati_identifier}-...",
                path=("programme", "iati_identifier")))
    if not info.sectors:
        found.append(IATI_PLACEHOLDER(
            "no `programme.sectors`: the IATI file has no <sector>, which IATI's standard "
            "ruleset requires", header,
            hint="add `sectors: [15220]` under `programme:` (15220: civilian peace-building, "
            "conflict prevention and resolution), or the OECD DAC codes that fit",
            path=("programme",)))
    for r_index, result in enumerate(programme.results):
        for i_index, indicator in enumerate(result.indicators):
            for name in (n for n in EXPORTED_TEXT if n in indicator.adapt):
                at: tuple[str | int, ...] = ("results", r_index, "indicators", i_index)
                found.append(LIBRARY_TEXT_NOT_ADAPTED(
                    f"indicator '{indicator.id}': its `{name}` is the library's text "
                    f"({indicator.use}), meant to be adapted: {indicator.adapt[name]}",
                    locate((*at, "use")),
                    hint=f"write the indicator's own `{name}:` for this programme",
                    path=(*at, name)))
    return found
