"""TOC302 to TOC304, TOC308, TOC309, TOC312, TOC315, TOC317: how an indicator's values are written.

An indicator has the fields its measure needs (TOC102), a known unit (TOC302, TOC303,
TOC304), percentages within 0 to 100 (TOC308), breakdowns it declares (TOC309), values
on its scale (TOC312) or none at all when qualitative (TOC317), and a method and source
(TOC315). Targets, baselines and their periods are checked in `targets`; the helpers
here (`misspelt`, `numeric`) serve both.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from decimal import Decimal

from ...findings.diagnostic import Diagnostic, Severity, Span
from ...findings.examples import VALID
from ...findings.schema import MISSING_FIELD, WRONG_TYPE
from ...findings.suggest import decimal_point, did_you_mean
from ...schema.model import Indicator, Measure
from ...schema.observations import NOT_A_VALUE, Extras, Test, indexes
from ..context import Context, Path_
from ..registry import check_for, rule

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

MEETINGS_TARGETS = "        targets: [{period: 2013, value: 12}]\n"


def with_targets(text: str) -> str:
    """The valid example with other targets for its meetings indicator."""
    return VALID.replace(MEETINGS_TARGETS, text)


def misspelt(ctx: Context, path: Path_, field: str) -> bool:
    """Whether the mapping at `path`, as written, has an unknown key that is a typo of `field`.

    The schema stage reports the typo (TOC101, with a "did you mean" hint) and drops the
    key; a "field is missing" finding on top of it would be a misleading follow-on.
    """
    node = ctx.written(path)
    if not isinstance(node, dict) or field in node:
        return False
    return any(
        isinstance(key, str) and did_you_mean(key, [field]) == field for key in node
    )


def _values(
    indicator: Indicator, base: Path_, observations: bool = True, **tests: Test
) -> Iterator[tuple[str, Path_, object]]:
    """(role, path, value) for the baseline, each target and (unless told not to, because
    the observation facts show nothing to report) each observation.

    `tests` (per column: period, value, extras, sample_size; see `schema.observations`) narrow the
    observations to those that may be reported; on CSV rows they run once per distinct
    entry, so millions of rows cost a scan of codes, not an object each. The caller
    still checks every item it gets, so a test only has to let through all that matter.
    """
    if indicator.baseline is not None:
        yield "baseline", (*base, "baseline"), indicator.baseline
    for t, target in enumerate(indicator.targets):
        yield "target", (*base, "targets", t), target
    if observations:
        every = indicator.observations
        for o in indexes(every, **tests):
            yield "observation", (*base, "observations", o), every[o]


@check_for(MISSING_FIELD, "indicators")
def check_required_by_measure(ctx: Context) -> Iterator[Diagnostic]:
    """Indicators need `direction` unless qualitative, and `unit` when measure is unit."""
    for r, i, _result, indicator in ctx.indicators():
        path: Path_ = ("results", r, "indicators", i)
        if indicator.measure is not Measure.qualitative and indicator.direction is None:
            yield MISSING_FIELD(
                f"indicator '{indicator.id}' has no `direction`",
                ctx.locate(path),
                hint="add `direction: increase`, `decrease` or `maintain`",
                path=(*path, "direction"),
            )
        if indicator.measure is Measure.unit and not indicator.unit:
            yield MISSING_FIELD(
                f"indicator '{indicator.id}' has no `unit`",
                ctx.locate(path),
                hint="add e.g. `unit: household`, `unit: person` or `unit: incident`",
                path=(*path, "unit"),
            )


@rule(
    "TOC302",
    "unknown-unit",
    E,
    "indicators",
    VALID.replace("        unit: meeting\n", "        unit: meetngs\n"),
    VALID,
    fail_at="17:15",
)
def check_units(ctx: Context) -> Iterator[Diagnostic]:
    """An indicator's unit is not a known unit.

    Units are read by pint (kilometre, hour, dollar, ...) plus the count nouns the
    engine defines (household, person, incident, meeting, case, school, village,
    ...), each its own dimension. Declare others under `units:`, e.g.
    `taka = [currency] = Tk = BDT`.
    """
    if ctx.units.definition_errors() and any(i.unit for _r, _i, _res, i in ctx.indicators()):
        pass  # bad definitions are reported by TOC303; units that use them still get checked
    checked: dict[str, str | None] = {}
    for r, i, _result, indicator in ctx.indicators():
        if not indicator.unit or indicator.measure is Measure.percentage:
            continue
        unit = indicator.unit
        if unit not in checked:
            checked[unit] = ctx.units.problem(unit)
        problem = checked[unit]
        if problem:
            path: Path_ = ("results", r, "indicators", i, "unit")
            message, _, hint = problem.partition("; ")
            yield UNKNOWN_UNIT(message, ctx.locate(path), hint=hint, path=path)


UNKNOWN_UNIT = check_units


@rule(
    "TOC303",
    "bad-unit-definition",
    E,
    "indicators",
    VALID + "units:\n  - taka = 3 * flurb\n",
    VALID + "units:\n  - taka = [currency] = Tk = BDT\n",
    fail_at="41:5",
)
def check_unit_definitions(ctx: Context) -> Iterator[Diagnostic]:
    """A definition under `units:` cannot be read.

    Definitions use pint's syntax: `name = [dimension] = symbol = alias` for a new
    base unit (a currency or a count), or `name = factor * other_unit`.
    """
    for index, message in ctx.units.definition_errors():
        path: Path_ = ("units", index)
        yield BAD_DEFINITION(
            f"unit definition cannot be read: {message}",
            ctx.locate(path),
            hint="write e.g. `taka = [currency] = Tk = BDT` or `lakh = 100000 * person`",
            path=path,
        )


BAD_DEFINITION = check_unit_definitions


@rule(
    "TOC304",
    "percentage-unit",
    E,
    "indicators",
    VALID.replace(
        "        measure: percentage\n", "        measure: percentage\n        unit: household\n"
    ),
    VALID.replace(
        "        measure: percentage\n", "        measure: percentage\n        unit: percent\n"
    ),
    fail_at="31:15",
)
def check_percentage_units(ctx: Context) -> Iterator[Diagnostic]:
    """A `percentage` indicator gives a unit other than percent.

    `measure: percentage` means values from 0 to 100 in percent; leave `unit` out
    or write `unit: percent`. For a count of people use `measure: unit`.
    """
    for r, i, _result, indicator in ctx.indicators():
        percentage = indicator.measure is Measure.percentage
        if percentage and indicator.unit and not ctx.units.is_percent(indicator.unit):
            path: Path_ = ("results", r, "indicators", i, "unit")
            yield PERCENT_UNIT(
                f"percentage indicator '{indicator.id}' has unit '{indicator.unit}'",
                ctx.locate(path),
                hint="write `unit: percent` (or omit it), or use `measure: unit` for counts",
                path=path,
            )


PERCENT_UNIT = check_percentage_units


def _clip(text: str, limit: int = 60) -> str:
    """User text inside a message, shortened so one finding stays one readable line."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def numeric(value: object) -> Decimal | None:
    """A value as a number; None for a text value (a scale entry or a typing error)."""
    return value if isinstance(value, Decimal) else None


def _outside_percent(value: object) -> bool:
    number = numeric(value)
    return number is not None and not Decimal(0) <= number <= Decimal(100)


def _is_text(value: object) -> bool:
    return isinstance(value, str)


@rule(
    "TOC308",
    "percentage-out-of-range",
    E,
    "indicators",
    VALID.replace("baseline: {period: 2011, value: 40}", "baseline: {period: 2011, value: 140}"),
    VALID,
    fail_at="35:41",
)
def check_percentages(ctx: Context) -> Iterator[Diagnostic]:
    """A percentage value is below 0 or above 100.

    Percentages are written as 0-100 (57.5, not 0.575 and not 575).
    """
    for r, i, _result, indicator in ctx.indicators():
        if indicator.measure is not Measure.percentage:
            continue
        facts = ctx.observation_facts(r, i)
        outside = (facts.low is not None and facts.low < 0) or (
            facts.high is not None and facts.high > 100
        )
        base: Path_ = ("results", r, "indicators", i)
        for _role, path, item in _values(indicator, base, outside, value=_outside_percent):
            value = numeric(getattr(item, "value", None))
            if value is not None and not Decimal(0) <= value <= Decimal(100):
                yield PERCENT_RANGE(
                    f"percentage {value} of '{indicator.id}' is outside 0-100",
                    ctx.locate((*path, "value")),
                    hint="write percentages as 0-100, e.g. 57.5 for 57.5%",
                    path=(*path, "value"),
                )


PERCENT_RANGE = check_percentages


@rule(
    "TOC309",
    "undeclared-dimension",
    E,
    "indicators",
    with_targets(
        MEETINGS_TARGETS
        + "        observations: [{period: 2012, value: 3, dimensions: {sex: female}}]\n"
    ),
    with_targets(
        "        disaggregate_by: [sex]\n"
        + MEETINGS_TARGETS
        + "        observations: [{period: 2012, value: 3, dimensions: {sex: female}}]\n"
    ),
    fail_at="24:62",
)
def check_dimensions(ctx: Context) -> Generator[Diagnostic, None, None]:
    """A value is broken down by a dimension the indicator does not declare.

    List every breakdown under `disaggregate_by:` (e.g. [sex, age_group]); reports
    and the sex-disaggregation checks rely on it. `site` needs no declaring. A column
    of a CSV data file that no indicator declares is reported once, at its header: an
    export's own column (an enumerator's name, KoboToolbox's `_uuid`) is named under
    `ignore_columns:` instead, and is then not read.
    """
    columns = yield from _undeclared_columns(ctx)
    for r, i, _result, indicator in ctx.indicators():
        declared = set(indicator.disaggregate_by)
        reported: set[str] = set(columns)  # reported once, at the column
        undeclared = bool(ctx.observation_facts(r, i).dimensions - declared)
        base_path: Path_ = ("results", r, "indicators", i)
        def has_undeclared(extras: Extras, declared: set[str] = declared) -> bool:
            return any(name not in declared for name in extras.dimensions)

        for _role, path, item in _values(
            indicator, base_path, undeclared, extras=has_undeclared
        ):
            for name in getattr(item, "dimensions", {}) or {}:
                if name in declared or name in reported:
                    continue
                reported.add(name)
                yield UNDECLARED(
                    f"'{indicator.id}' has values broken down by '{name}', which is not in its "
                    "`disaggregate_by`",
                    ctx.locate((*path, "dimensions", name), True),
                    hint=f"add '{name}' to `disaggregate_by:` of the indicator",
                    path=(*path, "dimensions", name),
                )


UNDECLARED = check_dimensions

# Columns that KoboToolbox, ODK and spreadsheets add to an export: who, when, which device.
EXPORT_COLUMNS = frozenset({
    "enumerator", "start", "end", "today", "deviceid", "username", "subscriberid",
    "simserial", "phonenumber", "audit", "instanceid", "instancename", "_id", "_uuid",
    "_submission_time", "_submitted_by", "_index", "_status", "_version", "__version__",
    "_validation_status", "_notes", "_tags", "_parent_index", "_xform_id_string",
    "_geolocation", "_attachments", "_duration", "timestamp", "submitted_by", "collector",
})


def _undeclared_columns(ctx: Context) -> Generator[Diagnostic, None, set[str]]:
    """One finding per CSV column that no indicator declares and `ignore_columns:` does not
    name (not one per indicator whose rows it touches); returns their names."""
    declared = {name for _r, _i, _res, ind in ctx.indicators() for name in ind.disaggregate_by}
    names: set[str] = set()
    for file, dimensions in ctx.loaded.data_dimensions.items():
        for name, column in dimensions.items():
            if name in declared:
                continue
            names.add(name)
            if name in EXPORT_COLUMNS:
                hint = (f"the export adds it: name it under `ignore_columns: [{name}]` so "
                        "that it is not read")
            else:
                hint = (f"if it breaks the values down, add '{name}' to `disaggregate_by:` of "
                        f"the indicators it describes; if not, name it under "
                        f"`ignore_columns: [{name}]`")
            yield UNDECLARED(
                f"column '{name}' is neither a column the engine reads nor a breakdown "
                "that an indicator declares",
                Span(file, 1, column),
                hint=hint,
            )
    return names


@rule(
    "TOC312",
    "ordinal-scale",
    E,
    "indicators",
    VALID.replace(
        "        unit: meeting\n        direction: increase\n",
        "        measure: ordinal\n        scale: [none, some, most]\n"
        "        direction: increase\n",
    ).replace("value: 0}", "value: none}").replace("value: 12}", "value: al}"),
    VALID.replace(
        "        unit: meeting\n        direction: increase\n",
        "        measure: ordinal\n        scale: [none, some, most]\n"
        "        direction: increase\n",
    ).replace("value: 0}", "value: none}").replace("value: 12}", "value: most}"),
    fail_at="24:41",
    emits=("TOC103",),
)
def check_ordinal(ctx: Context) -> Iterator[Diagnostic]:
    """An ordinal indicator has no scale, or a value that is not on its scale.

    Ordinal measures list their `scale` lowest first (e.g. [never, sometimes,
    often]); values must be entries of that scale. Text values of other measures are reported
    as TOC103 (wrong-type).
    """
    for r, i, _result, indicator in ctx.indicators():
        base: Path_ = ("results", r, "indicators", i)
        if indicator.measure is Measure.ordinal:
            if not indicator.scale:
                yield ORDINAL(
                    f"ordinal indicator '{indicator.id}' has no `scale`",
                    ctx.locate(base),
                    hint="add `scale: [lowest, ..., highest]`",
                    path=(*base, "scale"),
                )
                continue
            scale = set(indicator.scale)
            facts = ctx.observation_facts(r, i)
            off_scale = bool(facts.texts - scale) or facts.low is not None
            def off(value: object, scale: set[str] = scale) -> bool:
                return str(value) not in scale

            for _role, path, item in _values(indicator, base, off_scale, value=off):
                value = getattr(item, "value", None)
                if value is not None and str(value) not in scale:  # None: a missing value
                    guess = did_you_mean(str(value), list(indicator.scale))
                    yield ORDINAL(
                        f"'{_clip(str(value))}' is not on the scale of '{indicator.id}' "
                        f"({', '.join(indicator.scale)})",
                        ctx.locate((*path, "value")),
                        hint=f"did you mean '{guess}'?"
                        if guess
                        else "use one of the scale entries",
                        path=(*path, "value"),
                    )
        elif indicator.measure is not Measure.qualitative:
            has_text = bool(ctx.observation_facts(r, i).texts)
            for _role, path, item in _values(indicator, base, has_text, value=_is_text):
                value = getattr(item, "value", None)
                if isinstance(value, str):
                    # Text where a number belongs is a type error (TOC103), as its docs say.
                    yield WRONG_TYPE(
                        f"`value` of '{indicator.id}' must be a number; got '{_clip(value)}'",
                        ctx.locate((*path, "value")),
                        hint=decimal_point(value) or _not_a_number_hint(value),
                        path=(*path, "value"),
                    )


ORDINAL = check_ordinal


@rule(
    "TOC315",
    "missing-method",
    W,
    "indicators",
    VALID.replace("        method: administrative\n", ""),
    VALID,
    fail_at="15:9",
)
def check_methods(ctx: Context) -> Iterator[Diagnostic]:
    """An indicator lacks a data-collection `method` or `source`.

    Reviewers and donors need to know how each figure is collected; confidence in
    a judgement drops when an assessed indicator lacks either.
    """
    for r, i, _result, indicator in ctx.indicators():
        path: Path_ = ("results", r, "indicators", i)
        missing = [
            name
            for name in ("method", "source")
            if not getattr(indicator, name) and not misspelt(ctx, path, name)
        ]
        if missing:
            yield NO_METHOD(
                f"indicator '{indicator.id}' has no {' or '.join(missing)}",
                ctx.locate(path),
                hint="add `method:` (survey, focus_group, administrative, ...) and `source:`",
                path=path,
            )


NO_METHOD = check_methods


@rule(
    "TOC317",
    "qualitative-with-values",
    E,
    "indicators",
    VALID.replace("        unit: meeting\n", "        measure: qualitative\n"),
    VALID,
    fail_at="22:19",
)
def check_qualitative(ctx: Context) -> Iterator[Diagnostic]:
    """A qualitative indicator has a baseline or targets.

    Qualitative indicators are narrative: they are judged through evidence claims,
    not progress, so numeric baselines and targets would be ignored.
    """
    for r, i, _result, indicator in ctx.indicators():
        if indicator.measure is not Measure.qualitative:
            continue
        base: Path_ = ("results", r, "indicators", i)
        if indicator.baseline is not None or indicator.targets:
            part = "baseline" if indicator.baseline is not None else "targets"
            yield QUALITATIVE(
                f"qualitative indicator '{indicator.id}' has {part}, which cannot be scored",
                ctx.locate((*base, part)),
                hint="remove them and record evidence claims instead, or choose another measure",
                path=(*base, part),
            )


QUALITATIVE = check_qualitative


def _not_a_number_hint(value: str) -> str:
    if value.strip().lower() in NOT_A_VALUE:
        return ("if it was not collected, say why instead of giving a value: `missing: reason` "
                "in the YAML, or an empty `value` and a `missing` column in a CSV file; "
                "never write 0")
    return ("write the number alone, without quotes or units (the unit is on the indicator); "
            "text values need `measure: ordinal` and a scale")
