"""The column-wise store of CSV observations (toc_engine/obstable.py).

The store must be invisible: every observation it builds equals the one the loader
used to keep (same fields, same fields-set), in the same order, at the same file,
line and column; and its column-wise helpers answer as a row-by-row walk would.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toc_engine.check.context import ObservationFacts, observation_facts_of
from toc_engine.findings.diagnostic import Span
from toc_engine.findings.examples import VALID
from toc_engine.schema.csvdata import read_csv
from toc_engine.schema.model import Indicator, Observation
from toc_engine.schema.observations import (
    Extras,
    ObservationList,
    ObservationTable,
    as_list,
    first_index,
    indexes,
)
from toc_engine.schema.periods import parse_period
from toc_engine.schema.programme import load

# --- a reference: the row-by-row reading the store replaced ----------------------------------

KNOWN = {"indicator", "period", "value", "site", "source", "sample_size", "note"}


def _reference(text: str) -> dict[str, list[tuple[Observation, int]]]:
    """(observation, line) per indicator for the rows the old reader accepted.

    Only for the well-formed cells the generator below writes: every period parses,
    every value is a number or a plain word, every sample size is blank or positive.
    """
    rows = list(csv.reader(io.StringIO(text)))
    names = [h.strip().lower() for h in rows[0]]
    out: dict[str, list[tuple[Observation, int]]] = {}
    for line, cells in enumerate(rows[1:], start=2):
        cell = dict(zip(names, (c.strip() for c in cells), strict=True))
        period_text = cell["period"]
        value_text = cell["value"]
        try:
            value: Decimal | str = Decimal(value_text)
        except ArithmeticError:
            value = value_text
        observation = Observation.model_construct(
            period=parse_period(int(period_text) if period_text.isdigit() else period_text),
            value=value,
            site=cell.get("site") or None,
            dimensions={n: v for n, v in cell.items() if n not in KNOWN and v},
            source=cell.get("source") or None,
            sample_size=int(cell["sample_size"]) if cell.get("sample_size") else None,
            note=cell.get("note") or None,
        )
        out.setdefault(cell["indicator"], []).append((observation, line))
    return out


def _read(text: str) -> Any:
    return read_csv(io.StringIO(text, newline=""), "data.csv")


def _same(built: Observation, expected: Observation) -> None:
    assert built == expected
    assert built.__dict__ == expected.__dict__
    assert list(built.__dict__) == list(expected.__dict__)  # declaration order
    assert built.model_fields_set == expected.model_fields_set
    assert built.model_dump() == expected.model_dump()


SAMPLE = (
    "indicator,period,value,site,sample_size,sex,note\n"
    "a,2012,10,s1,40,female,\n"
    "b,2012-Q1,3.50,,,,first\n"
    "a, 2012-02 ,12,s2,,male,\n"
    "a,2013,often,s1,40,,\n"
    "b,2012-Q2,3.5,s1,7,female,again\n"
)


def test_materialised_observations_equal_the_row_by_row_ones() -> None:
    parsed = _read(SAMPLE)
    assert not parsed.diagnostics
    expected = _reference(SAMPLE)
    assert list(parsed.tables) == ["a", "b"]  # in order of each indicator's first row
    for ident, table in parsed.tables.items():
        assert len(table) == len(expected[ident])
        for built, (want, _line) in zip(table, expected[ident], strict=True):
            _same(built, want)
        assert list(table.lines) == [line for _o, line in expected[ident]]
        for k, (want, _line) in enumerate(expected[ident]):
            _same(table[k], want)


def test_each_observation_owns_its_dimensions() -> None:
    table = _read(SAMPLE).tables["a"]
    first = table[0]
    first.dimensions["sex"] = "changed"
    assert table[0].dimensions == {"sex": "female"}
    assert table[0] is not table[0]  # built on access, not kept


def test_table_sequence_protocol() -> None:
    table = _read(SAMPLE).tables["a"]
    every = list(table)
    assert len(table) == 3
    assert table[-1] == every[-1]
    assert table[1:] == every[1:]
    assert table[::-1] == every[::-1]
    assert table[5:] == []
    assert list(reversed(table)) == every[::-1]
    assert table.index(every[1]) == 1
    assert every[2] in table
    with pytest.raises(IndexError):
        table[3]
    with pytest.raises(IndexError):
        table[-4]


def test_rows_accessor_matches_the_observations() -> None:
    table = _read(SAMPLE).tables["a"]
    assert list(table.rows()) == [
        (o.period, o.value, o.unit, o.sample_size, o.site, o.dimensions) for o in table
    ]


def test_chain_keeps_declared_observations_first() -> None:
    parsed = _read(SAMPLE)
    declared = [Observation.model_construct(period=parse_period(2011), value=Decimal(1))]
    chain = ObservationList(declared, [parsed.tables["a"], parsed.tables["b"]])
    plain = declared + list(parsed.tables["a"]) + list(parsed.tables["b"])
    assert len(chain) == len(plain) == 6
    assert list(chain) == plain
    assert chain == plain and plain == chain
    assert chain[0] is declared[0]
    assert [chain[k] for k in range(-6, 6)] == plain[-6:] + plain
    assert chain[2:5] == plain[2:5]
    assert list(chain.rows()) == [
        (o.period, o.value, o.unit, o.sample_size, o.site, o.dimensions) for o in plain
    ]
    assert [offset for offset, _part in chain.parts()] == [0, 1, 4]
    with pytest.raises(IndexError):
        chain[6]
    assert chain != plain[:-1]
    assert as_list(declared).declared is declared  # wrapped, not copied


def test_indicator_with_a_chain_dumps_and_compares_as_with_a_list() -> None:
    parsed = _read(SAMPLE)
    data = {"id": "a", "name": "A", "observations": [{"period": 2011, "value": 1}]}
    with_list = Indicator.model_validate(data)
    with_chain = Indicator.model_validate(data)
    with_list.observations.extend(parsed.tables["a"])  # type: ignore[attr-defined]
    with_chain.__dict__["observations"] = ObservationList(
        list(with_chain.observations), [parsed.tables["a"]]
    )
    assert with_chain == with_list
    assert with_chain.model_dump() == with_list.model_dump()
    assert with_chain.model_dump_json() == with_list.model_dump_json()
    assert with_chain.model_dump(mode="json", exclude={"observations": {0}}) == (
        with_list.model_dump(mode="json", exclude={"observations": {0}})
    )


def test_observations_serialise_as_the_list_of_the_json_schema() -> None:
    """Both JSON Schemas (what is read, what is written) say `observations` is a list of
    Observation objects: the serialised form of a CSV-backed sequence is that list."""
    for mode in ("validation", "serialization"):
        schema = Indicator.model_json_schema(mode=mode)  # type: ignore[arg-type]
        assert schema["properties"]["observations"]["type"] == "array", mode
        assert schema["properties"]["observations"]["items"] == {"$ref": "#/$defs/Observation"}


# --- column-wise helpers agree with a row-by-row walk ----------------------------------------


def _naive_facts(observations: list[Observation]) -> ObservationFacts:
    facts = ObservationFacts()
    for index, o in enumerate(observations):
        if isinstance(o.value, str):
            facts.texts.add(o.value)
        else:
            if facts.low is None or o.value < facts.low:
                facts.low = o.value
            if facts.high is None or o.value > facts.high:
                facts.high = o.value
        facts.dimensions.update(o.dimensions)
        if o.site is not None and o.site not in facts.sites:
            facts.sites[o.site] = index
    return facts


def _check_helpers(chain: ObservationList) -> None:
    plain = list(chain)
    indicator = Indicator.model_validate({"id": "x", "name": "X"})
    indicator.__dict__["observations"] = chain
    facts, naive = observation_facts_of(indicator), _naive_facts(plain)
    assert facts == naive
    assert str(facts.low) == str(naive.low) and str(facts.high) == str(naive.high)
    assert list(facts.sites.items()) == list(naive.sites.items())  # order matters too

    def late(period: Any) -> bool:
        return bool(period.start.year >= 2013)

    def broken(extras: Extras) -> bool:
        return bool(extras.dimensions or extras.site)

    def unsized(size: int | None) -> bool:
        return size is None

    want = [k for k, o in enumerate(plain) if o.period.start.year >= 2013]
    assert list(indexes(chain, period=late)) == want
    assert first_index(chain, period=late) == (want[0] if want else None)
    want = [k for k, o in enumerate(plain) if (o.dimensions or o.site) and o.sample_size is None]
    assert list(chain.indexes(extras=broken, sample_size=unsized)) == want
    assert chain.first_index(extras=broken, sample_size=unsized) == (want[0] if want else None)
    assert list(chain.indexes()) == list(range(len(plain)))


def test_helpers_on_the_sample() -> None:
    parsed = _read(SAMPLE)
    declared = [Observation.model_construct(period=parse_period(2014), value=Decimal("1.0"))]
    _check_helpers(ObservationList(declared, parsed.tables.values()))
    _check_helpers(ObservationList([], parsed.tables.values()))


def test_a_file_without_optional_columns() -> None:
    text = "indicator,period,value\na,2012,1\na,2014,2\n"
    table = _read(text).tables["a"]
    assert table.extras is None and table.sizes is None
    assert table[1].site is None and table[1].dimensions == {} and table[1].sample_size is None
    _check_helpers(ObservationList([], [table]))
    assert table.distinct("extras") == [Extras(None, {}, None, None)]
    assert table.first_rows("sample_size") == [(None, 0)]


_PERIODS = st.sampled_from(["2012", "2013", "2012-Q3", " 2014-05", "2013-11-02"])
_VALUES = st.sampled_from(["1", "1.0", "1.00", "-2", "0.5", " 7 ", "often", "never", "100"])
_TEXT = st.sampled_from(["", " ", "x", "y ", "z"])
_SIZES = st.sampled_from(["", "1", "40", " 40", "150"])


@st.composite
def _csv_text(draw: Any) -> str:
    header = ["indicator", "period", "value"]
    optional = draw(st.lists(st.sampled_from(["site", "sample_size", "sex", "note", "source"]),
                             unique=True))
    header += optional
    lines = [",".join(header)]
    for _ in range(draw(st.integers(0, 25))):
        cells = [draw(st.sampled_from(["a", "b", "c"])), draw(_PERIODS), draw(_VALUES)]
        for name in optional:
            cells.append(draw(_SIZES) if name == "sample_size" else draw(_TEXT))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_csv_text(), declared=st.integers(0, 2))
def test_property_store_equals_row_by_row_reading(text: str, declared: int) -> None:
    parsed = _read(text)
    assert not parsed.diagnostics
    expected = _reference(text)
    assert list(parsed.tables) == list(expected)
    for ident, table in parsed.tables.items():
        assert list(table.lines) == [line for _o, line in expected[ident]]
        for built, (want, _line) in zip(table, expected[ident], strict=True):
            _same(built, want)
    head = [
        Observation.model_construct(period=parse_period(2012 + k), value=Decimal(k))
        for k in range(declared)
    ]
    _check_helpers(ObservationList(head, parsed.tables.values()))


# --- loading: order, locations, findings -----------------------------------------------------

PROGRAMME = VALID.replace(
    "        targets: [{period: 2013, value: 12}]\n",
    "        targets: [{period: 2013, value: 12}]\n"
    "        observations: [{period: 2012, value: 5}]\n",
) + "data: [one.csv, two.csv]\n"
ONE = "indicator,period,value,site\nmeetings,2012-06,6,\nfeel-safe,2012,50,\nmeetings,2013,9,\n"
TWO = "site,value,period,indicator,sex\nx,7,2013-Q1,meetings,female\nx,8,2013-Q2,nobody,\n"


@pytest.fixture()
def loaded(tmp_path: Path) -> Any:
    (tmp_path / "programme.yaml").write_text(PROGRAMME)
    (tmp_path / "one.csv").write_text(ONE)
    (tmp_path / "two.csv").write_text(TWO)
    return load(tmp_path / "programme.yaml")


def test_loading_chains_yaml_then_csv_rows_in_file_order(loaded: Any) -> None:
    meetings = loaded.programme.results[0].indicators[0]
    assert isinstance(meetings.observations, ObservationList)
    assert [str(o.value) for o in meetings.observations] == ["5", "6", "9", "7"]
    assert [o.dimensions for o in meetings.observations][-1] == {"sex": "female"}
    feel_safe = loaded.programme.results[1].indicators[0]
    assert [str(o.value) for o in feel_safe.observations] == ["50"]
    assert "observations" not in feel_safe.model_fields_set  # as when rows were appended
    assert all(isinstance(t, ObservationTable) for t in meetings.observations.tables)


def test_locations_point_into_the_csv_files(loaded: Any) -> None:
    one = next(f for f in loaded.source.appended.values()).columns
    assert one  # the files' columns are recorded
    path = ("results", 0, "indicators", 0, "observations")
    file = loaded.file
    declared = loaded.locate((*path, 0, "value"))
    assert declared.file == file and declared.line == 24
    locate = loaded.locate
    one_csv, two_csv = (str(Path(file).parent / name) for name in ("one.csv", "two.csv"))
    assert locate((*path, 1, "value")) == Span(one_csv, 2, 3)
    assert locate((*path, 2, "period")) == Span(one_csv, 4, 2)
    assert locate((*path, 3, "value")) == Span(two_csv, 2, 2)
    assert locate((*path, 3, "dimensions", "sex")) == Span(two_csv, 2, 5)
    assert locate((*path, 3)) == Span(two_csv, 2, 1)
    assert locate(("results", 1, "indicators", 0, "observations", 0, "value")) == Span(
        one_csv, 3, 3
    )
    assert len(loaded.source.appended[path]) == 3


def test_unknown_indicators_are_reported_per_row(loaded: Any) -> None:
    found = [d for d in loaded.diagnostics if "unknown indicator" in d.message]
    assert [(d.span.line, d.span.col) for d in found] == [(3, 4)]
    assert found[0].message == "observation for unknown indicator 'nobody'"


def test_scoring_reads_csv_rows_as_readings_with_the_same_fields() -> None:
    from toc_engine.schema.observations import Reading
    from toc_engine.scoring.values import has_sex_split, readings

    parsed = _read(SAMPLE)
    declared = [Observation.model_construct(period=parse_period(2011), value=Decimal(1))]
    chain = ObservationList(declared, [parsed.tables["a"], parsed.tables["b"]])
    fields = ("period", "value", "unit", "sample_size", "site", "dimensions")
    read = list(readings(chain))
    assert all(isinstance(r, Reading) for r in read)
    assert [tuple(getattr(r, f) for f in fields) for r in read] == [
        tuple(getattr(o, f) for f in fields) for o in chain
    ]
    assert readings(declared) is declared  # a plain list is read as it is
    assert has_sex_split(chain) and has_sex_split(list(chain))
    no_sex = _read("indicator,period,value,site\na,2012,1,s1\n").tables["a"]
    assert not has_sex_split(ObservationList([], [no_sex]))
    assert not has_sex_split(list(no_sex))


def test_whole_numbers_may_carry_leading_zeros_but_not_19_significant_digits() -> None:
    padded = _read(
        "indicator,period,value,sample_size\n"
        "a,0000000000000002013,1,0000000000000000040\n"
    )
    assert not padded.diagnostics  # as int() read them before the 18-digit limit
    (only,) = list(padded.tables["a"])
    assert only.period == parse_period(2013) and only.sample_size == 40
    bad = _read(
        "indicator,period,value,sample_size\n"
        "a,2013,1,0\n"
        "a,2013,1," + "1" * 19 + "\n"
        "a," + "2" * 5000 + ",1,5\n"
    )
    messages = [d.message for d in bad.diagnostics]
    assert messages[0] == "sample_size '0' is not a positive whole number"
    assert messages[1].endswith("is not a positive whole number of at most 18 digits")
    assert "is not a period" in messages[2] and len(messages[2]) < 400


def test_a_loaded_indicator_with_csv_rows_pickles_with_every_protocol() -> None:
    import pickle

    parsed = _read(SAMPLE)
    declared = [Observation.model_construct(period=parse_period(2011), value=Decimal(1))]
    chain = ObservationList(declared, [parsed.tables["a"], parsed.tables["b"]])
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        copy = pickle.loads(pickle.dumps(chain, protocol=protocol))
        assert isinstance(copy, ObservationList)
        assert copy == chain and list(copy.rows()) == list(chain.rows())
        assert [line for t in copy.tables for line in t.lines] == [
            line for t in chain.tables for line in t.lines]
