"""IATI 2.03 `<result>` elements from a programme (and, for tests or publishing, a minimal
activity around them).

What the IATI rulesets ask, and how this module meets it:
- result/@type from the ResultType codelist: output 1, outcome 2, impact 3, else 9 (other:
  activities have no code of their own);
- indicator/@measure from IndicatorMeasure: unit 1, percentage 2, ordinal 4, qualitative 5;
  @ascending only for increase (1) / decrease (0), never on qualitative indicators;
- qualitative indicators (measure 5) carry no @value on baseline, target or actual: their
  narrative goes into <comment>;
- every period has period-start before or on period-end; baseline/@year is required;
- disaggregation (site and dimensions) becomes <dimension name= value=> on target and actual;
- values are written exactly as the decimals in the file (no binary floating point).
Safeguarding: site and disaggregated values of sensitive indicators that the scoring
package suppresses are left out, as in every other output.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from ...schema.model import Direction, Indicator, Measure, Observation, Programme, Target
from ...schema.periods import Period
from ...scoring.result import ProgrammeScore
from ..safe_text import for_xml
from .i18n import pick

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RESULT_TYPE = {"output": "1", "outcome": "2", "impact": "3"}
MEASURE = {
    Measure.unit: "1",
    Measure.percentage: "2",
    Measure.ordinal: "4",
    Measure.qualitative: "5",
}


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


def _hidden(score: ProgrammeScore | None, indicator_id: str) -> set[tuple[str | None, tuple[
        tuple[str, str], ...]]]:
    if score is None:
        return set()
    for result in score.results:
        for ind in result.indicators:
            if ind.id == indicator_id:
                return {(s.site, s.dimensions) for s in ind.series if s.suppressed}
    return set()


def _periods(indicator: Indicator) -> list[Period]:
    seen: dict[tuple[str, str], Period] = {}
    items: list[Target | Observation] = [*indicator.targets, *indicator.observations]
    for item in items:
        if item.value is None:
            continue  # a missing observation: no value to report
        seen.setdefault((item.period.start.isoformat(), item.period.end.isoformat()),
                        item.period)
    return [seen[k] for k in sorted(seen)]


Entries = dict[tuple[date, date], list[Target | Observation]]


def _by_period(items: Iterable[Target | Observation]) -> Entries:
    """Items grouped by period, in their order: one pass, so each CSV row is built once."""
    groups: Entries = {}
    for item in items:
        if item.value is None:
            continue  # a missing observation: IATI has no way to say why
        groups.setdefault((item.period.start, item.period.end), []).append(item)
    return groups


def _entries(groups: Entries, period: Period) -> list[Target | Observation]:
    chosen = groups.get((period.start, period.end), [])
    return sorted(chosen, key=lambda i: (i.site or "", sorted(i.dimensions.items())))


def indicator_element(indicator: Indicator, lang: str, hidden: set[
        tuple[str | None, tuple[tuple[str, str], ...]]], as_of_iso: str) -> ET.Element:
    qualitative = indicator.measure is Measure.qualitative
    attrs = {"measure": MEASURE[indicator.measure]}
    if not qualitative and indicator.direction in (Direction.increase, Direction.decrease):
        attrs["ascending"] = "1" if indicator.direction is Direction.increase else "0"
    attrs["aggregation-status"] = "0"
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
    grouped = {"target": _by_period(indicator.targets),
               "actual": _by_period(indicator.observations)}
    for period in _periods(indicator):
        pnode = ET.SubElement(node, "period")
        ET.SubElement(pnode, "period-start", {"iso-date": period.start.isoformat()})
        ET.SubElement(pnode, "period-end", {"iso-date": period.end.isoformat()})
        for name, groups in grouped.items():
            for item in _entries(groups, period):
                key = (item.site, tuple(sorted(item.dimensions.items())))
                if indicator.sensitive and key in hidden:
                    continue
                if name == "actual" and item.period.start.isoformat() > as_of_iso:
                    continue
                assert item.value is not None  # `_by_period` leaves missing values out
                eattrs = {} if qualitative else {"value": _value(indicator, item.value)}
                enode = ET.SubElement(pnode, name, eattrs)
                _dimensions(enode, item.site, item.dimensions)
                notes = []
                if indicator.cumulative:
                    # IATI has no cumulative flag; say how to read the value.
                    notes.append(
                        "Running total (cumulative indicator)."
                        if name == "target"
                        else "Added in this period (cumulative indicator: the running total "
                        "is the baseline plus every addition)."
                    )
                if qualitative:
                    notes.append(str(item.value))
                if isinstance(item, Target) and item.revised is not None:
                    notes.append(
                        f"Revised {item.revised.date.isoformat()} from "
                        f"{_value(indicator, item.revised.from_)}: "
                        f"{pick(item.revised.reason, lang)}"
                    )
                if item.note:
                    notes.append(pick(item.note, lang))
                if isinstance(item, Observation) and item.sample_size:
                    notes.append(f"Sample size {item.sample_size}.")
                if notes:
                    _text_element(enode, "comment", " ".join(notes), lang)
    return node


def result_elements(
    programme: Programme, score: ProgrammeScore | None = None, lang: str = "en"
) -> list[ET.Element]:
    """One <result> per result that has at least one indicator (IATI requires one)."""
    out = []
    as_of = programme.programme.as_of.isoformat()
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


def activity_xml(programme: Programme, score: ProgrammeScore | None = None,
                 lang: str = "en") -> str:
    """A minimal, schema-valid IATI 2.03 activity file around the results."""
    info = programme.programme
    root = ET.Element("iati-activities", {"version": "2.03"})
    activity = ET.SubElement(root, "iati-activity", {XML_LANG: lang, "default-currency": "USD"})
    identifier = info.iati_identifier or f"XX-TOC-{info.id}"
    ET.SubElement(activity, "iati-identifier").text = identifier
    lead = next((o for o in info.organisations if o.role == "lead"), None)
    reporting = ET.SubElement(activity, "reporting-org",
                              {"ref": identifier.rsplit("-", 1)[0], "type": "21"})
    _narratives(reporting, lead.name if lead else info.id, lang)
    _text_element(activity, "title", info.title, lang)
    description = ET.SubElement(activity, "description", {"type": "1"})
    _narratives(description, info.description or info.title, lang)
    participating = ET.SubElement(activity, "participating-org", {"role": "4"})
    _narratives(participating, lead.name if lead else info.id, lang)
    ET.SubElement(activity, "activity-status", {"code": "2"})
    ET.SubElement(activity, "activity-date",
                  {"type": "1", "iso-date": info.period.start.isoformat()})
    ET.SubElement(activity, "activity-date",
                  {"type": "3", "iso-date": info.period.end.isoformat()})
    if info.country:
        ET.SubElement(activity, "recipient-country", {"code": info.country,
                                                      "percentage": "100"})
    for element in result_elements(programme, score, lang):
        activity.append(element)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _serialise(root) + "\n"
