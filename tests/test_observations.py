"""Observations read from CSV files (`data:`), as the library's user sees them.

The loader keeps CSV rows column-wise, not as one object per row, and the checks and
scoring read those columns directly. None of that may show: a programme whose
observations come from a CSV file loads, validates and scores exactly as the same
programme with the rows written into its YAML, and each observation it hands out is
the one the row describes, located at the row's line and column.
"""

from __future__ import annotations

import csv
import io
import pickle
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toc_engine
from toc_engine.findings.examples import VALID
from toc_engine.schema.model import Indicator, Observation
from toc_engine.schema.periods import parse_period

# An ordinal indicator beside VALID's count and percentage ones, so that values off a
# scale are among what the rows can get wrong.
_FEEL_SAFE_TARGETS = "        targets: [{period: 2013, value: 60}]\n"
PROGRAMME = VALID.replace(
    _FEEL_SAFE_TARGETS,
    _FEEL_SAFE_TARGETS
    + "      - id: patrols\n"
    "        name: How often patrols pass\n"
    "        measure: ordinal\n"
    "        scale: [never, sometimes, often]\n"
    "        disaggregate_by: [sex]\n"  # so that a sex column is a breakdown, not a stray
    "        direction: increase\n"
    "        chosen_by: community\n"
    "        method: survey\n"
    "        source: Household survey\n"
    "        baseline: {period: 2011, value: never}\n"
    "        targets: [{period: 2013, value: often}]\n",
)
TARGETS = {  # the line each indicator's observations follow in PROGRAMME
    "meetings": "        targets: [{period: 2013, value: 12}]\n",
    "feel-safe": _FEEL_SAFE_TARGETS,
    "patrols": "        targets: [{period: 2013, value: often}]\n",
}
PATHS = {"meetings": (0, 0), "feel-safe": (1, 0), "patrols": (1, 1)}  # (result, indicator)
COLUMNS = {"indicator", "period", "value", "site", "source", "sample_size", "note"}


def _cells(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text)))
    names = [h.strip().lower() for h in rows[0]]
    return [dict(zip(names, (c.strip() for c in cells), strict=True)) for cells in rows[1:]]


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


def _observation(cell: dict[str, str]) -> Observation:
    """What a well-formed row means, read cell by cell (the reading the loader replaced)."""
    period = cell["period"]
    value = cell["value"]
    number = _number(value)
    return Observation.model_construct(
        period=parse_period(int(period) if period.isdigit() else period),
        value=value if number is None else number,
        site=cell.get("site") or None,
        dimensions={n: v for n, v in cell.items() if n not in COLUMNS and v},
        source=cell.get("source") or None,
        sample_size=int(cell["sample_size"]) if cell.get("sample_size") else None,
        note=cell.get("note") or None,
    )


def _yaml_item(cell: dict[str, str]) -> str:
    """The row written as a YAML observation (numbers as numbers, the rest quoted)."""
    value = cell["value"]
    parts = [f"period: '{cell['period']}'",
             f"value: {value}" if _number(value) is not None else f"value: '{value}'"]
    parts += [f"{k}: '{cell[k]}'" for k in ("site", "source", "note") if cell.get(k)]
    if cell.get("sample_size"):
        parts.append(f"sample_size: {cell['sample_size']}")
    dimensions = [f"{n}: '{v}'" for n, v in cell.items() if n not in COLUMNS and v]
    if dimensions:
        parts.append("dimensions: {" + ", ".join(dimensions) + "}")
    return "{" + ", ".join(parts) + "}"


def _with_observations(text: str, items: dict[str, list[str]]) -> str:
    for ident, written in items.items():
        if written:
            text = text.replace(
                TARGETS[ident],
                TARGETS[ident]
                + "        observations:\n"
                + "".join(f"          - {item}\n" for item in written),
            )
    return text


def _write_both(folder: Path, rows: str, declared: int = 0) -> tuple[Path, Path]:
    """The programme with `rows` as a CSV file, and with them written into the YAML.

    `declared` observations of `meetings` are in the YAML of both, before the rows.
    """
    head = [f"{{period: {2012 + k}, value: {k}}}" for k in range(declared)]
    in_yaml: dict[str, list[str]] = {ident: list(head) if ident == "meetings" else []
                                     for ident in TARGETS}
    for cell in _cells(rows):
        in_yaml[cell["indicator"]].append(_yaml_item(cell))
    from_csv, from_yaml = folder / "csv", folder / "yaml"
    from_csv.mkdir()
    from_yaml.mkdir()
    (from_csv / "programme.yaml").write_text(
        _with_observations(PROGRAMME, {"meetings": head}) + "data: [rows.csv]\n"
    )
    (from_csv / "rows.csv").write_text(rows)
    (from_yaml / "programme.yaml").write_text(_with_observations(PROGRAMME, in_yaml))
    return from_csv / "programme.yaml", from_yaml / "programme.yaml"


def _answers(path: Path) -> tuple[Any, list[tuple[Any, ...]], Any]:
    """(indicators as JSON, findings without their positions, score) of one programme."""
    loaded = toc_engine.load(path)
    assert loaded.programme is not None, [d.message for d in loaded.diagnostics]
    report = toc_engine.validate(loaded)
    # A duplicate names the file and line of its first observation: a CSV row's or the YAML's.
    findings = [(d.code, d.path, d.severity, re.sub(r" at \S+:\d+ ", " at … ", d.message), d.hint)
                for d in report.diagnostics]
    indicators = [i.model_dump(mode="json") for _r, i in loaded.programme.indicators()]
    as_json = [i.model_dump_json() for _r, i in loaded.programme.indicators()]
    scored = toc_engine.score(loaded.programme, allow_errors=True)  # the sample has errors
    return (indicators, as_json), sorted(findings, key=repr), scored


def _assert_same_programme(folder: Path, rows: str, declared: int = 0) -> None:
    from_csv, from_yaml = _write_both(folder, rows, declared)
    csv_data, csv_findings, csv_score = _answers(from_csv)
    yaml_data, yaml_findings, yaml_score = _answers(from_yaml)
    empty = [f for f in csv_findings if f[0] == "TOC017"]  # a header-only file says so
    assert bool(empty) == (not _cells(rows)), empty
    csv_findings = [f for f in csv_findings if f[0] != "TOC017"]
    assert csv_data == yaml_data
    assert csv_findings == yaml_findings
    assert csv_score == yaml_score


# --- one worked sample ---------------------------------------------------------------------------

SAMPLE = (
    "indicator,period,value,site,sample_size,sex,note\n"
    "meetings,2012,10,s1,40,female,\n"
    "feel-safe,2012-Q1,3.50,,,,first\n"
    "meetings, 2012-02 ,12,s2,,male,\n"
    "meetings,2014,often,s1,40,,\n"
    "feel-safe,2012-Q2,150,s1,7,female,again\n"
    "patrols,2013,sometims,,,,\n"
)


@pytest.fixture()
def sample(tmp_path: Path) -> Any:
    (tmp_path / "programme.yaml").write_text(
        _with_observations(PROGRAMME, {"meetings": ["{period: 2011-06, value: 1}"]})
        + "data: [rows.csv]\n"
    )
    (tmp_path / "rows.csv").write_text(SAMPLE)
    return toc_engine.load(tmp_path / "programme.yaml")


def _observations(loaded: Any, ident: str) -> Any:
    r, i = PATHS[ident]
    return loaded.programme.results[r].indicators[i].observations


def test_each_row_is_the_observation_it_describes_after_the_declared_ones(sample: Any) -> None:
    by_indicator: dict[str, list[Observation]] = {ident: [] for ident in TARGETS}
    for cell in _cells(SAMPLE):
        by_indicator[cell["indicator"]].append(_observation(cell))
    declared = Observation.model_validate({"period": "2011-06", "value": 1})
    by_indicator["meetings"].insert(0, declared)
    for ident, expected in by_indicator.items():
        got = list(_observations(sample, ident))
        assert got == expected, ident
        for built, want in zip(got, expected, strict=True):
            assert built.model_dump() == want.model_dump()
            assert list(built.model_dump()) == list(Observation.model_fields)  # field order
            assert built.model_fields_set == want.model_fields_set


def test_the_observations_are_a_read_only_sequence(sample: Any) -> None:
    observations = _observations(sample, "meetings")
    every = list(observations)
    assert len(observations) == len(every) == 4
    assert [observations[k] for k in range(-4, 4)] == every + every
    assert observations[1:3] == every[1:3]
    assert observations[::-1] == every[::-1]
    assert observations[9:] == []
    assert list(reversed(observations)) == every[::-1]
    assert observations.index(every[2]) == 2
    assert every[3] in observations
    assert observations == every and every == observations
    assert observations != every[:-1]
    for beyond in (4, -5):
        with pytest.raises(IndexError):
            observations[beyond]
    assert not hasattr(observations, "append")


def test_each_observation_owns_its_dimensions(sample: Any) -> None:
    observations = _observations(sample, "meetings")
    observations[1].dimensions["sex"] = "changed"
    assert observations[1].dimensions == {"sex": "female"}


def test_findings_about_rows_point_at_their_cells(sample: Any) -> None:
    report = toc_engine.validate(sample)
    in_csv = [d for d in report.diagnostics if Path(d.span.file).name == "rows.csv"]
    at = {(d.code, d.span.line, d.span.col) for d in in_csv}
    # columns are characters of the line, where the cell starts
    assert at == {
        ("TOC201", 2, 18),  # site s1, first used on line 2: `meetings,2012,10,s1`
        ("TOC201", 4, 23),  # site s2, after the period ` 2012-02 ` with its spaces
        ("TOC309", 2, 24),  # sex, not declared by meetings
        ("TOC313", 5, 10),  # 2014: after the programme's end
        ("TOC103", 5, 15),  # text for a count
        ("TOC308", 6, 19),  # 150 percent: `feel-safe,2012-Q2,150`
        ("TOC201", 6, 23),  # s1 again, now for feel-safe
        ("TOC309", 6, 28),
        ("TOC312", 7, 14),  # off the scale: `patrols,2013,sometims`
    }
    locate = sample.locate
    meetings = ("results", 0, "indicators", 0, "observations")
    assert locate((*meetings, 0, "value")).file == sample.file  # the declared one
    assert (locate((*meetings, 1, "value")).line, locate((*meetings, 1, "value")).col) == (2, 15)
    assert (locate((*meetings, 2, "period")).line, locate((*meetings, 2, "period")).col) == (
        4, 10)


def test_the_sample_validates_and_scores_as_if_written_in_yaml(tmp_path: Path) -> None:
    _assert_same_programme(tmp_path, SAMPLE, declared=1)


def test_a_programme_with_csv_rows_pickles_with_every_protocol(sample: Any) -> None:
    programme = sample.programme
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        copy = pickle.loads(pickle.dumps(programme, protocol=protocol))
        assert copy == programme
        assert copy.model_dump() == programme.model_dump()
        assert list(_observations(sample, "meetings")) == list(copy.results[0].indicators[0]
                                                                  .observations)


def test_observations_serialise_as_the_list_of_the_json_schema() -> None:
    """Both JSON Schemas (what is read, what is written) say `observations` is a list of
    Observation objects: the serialised form of CSV rows is that list."""
    for mode in ("validation", "serialization"):
        schema = Indicator.model_json_schema(mode=mode)  # type: ignore[arg-type]
        assert schema["properties"]["observations"]["type"] == "array", mode
        assert schema["properties"]["observations"]["items"] == {"$ref": "#/$defs/Observation"}


# --- the reader's own findings -------------------------------------------------------------------


def _load_rows(folder: Path, rows: str) -> Any:
    (folder / "programme.yaml").write_text(PROGRAMME + "data: [rows.csv]\n")
    (folder / "rows.csv").write_text(rows)
    return toc_engine.load(folder / "programme.yaml")


def test_unknown_indicators_are_reported_per_row(tmp_path: Path) -> None:
    loaded = _load_rows(
        tmp_path, "site,value,period,indicator\n,7,2013-Q1,meetings\n,8,2013-Q2,nobody\n"
    )
    found = [d for d in loaded.diagnostics if "unknown indicator" in d.message]
    assert [(d.span.line, d.span.col) for d in found] == [(3, 12)]  # `,8,2013-Q2,nobody`
    assert found[0].message == "observation for unknown indicator 'nobody'"


def test_whole_numbers_may_carry_leading_zeros_but_not_19_significant_digits(
    tmp_path: Path,
) -> None:
    padded = _load_rows(
        tmp_path, "indicator,period,value,sample_size\nmeetings,0000000000000002013,1,"
        "0000000000000000040\n"
    )
    assert not padded.diagnostics  # as int() read them before the 18-digit limit
    (only,) = list(_observations(padded, "meetings"))
    assert only.period == parse_period(2013) and only.sample_size == 40
    (tmp_path / "bad").mkdir()
    bad = _load_rows(
        tmp_path / "bad",
        "indicator,period,value,sample_size\n"
        "meetings,2013,1,0\n"
        "meetings,2013,1," + "1" * 19 + "\n"
        "meetings," + "2" * 5000 + ",1,5\n",
    )
    messages = [d.message for d in bad.diagnostics]
    assert messages[0] == "sample_size '0' is not a positive whole number"
    assert messages[1].endswith("is not a positive whole number of at most 18 digits")
    assert "is not a period" in messages[2] and len(messages[2]) < 400


# --- any rows: CSV and YAML agree ----------------------------------------------------------------

_PERIODS = st.sampled_from(["2012", "2013", "2014", "2012-Q3", "2014-05", "2013-11-02"])
_VALUES = st.sampled_from(
    ["1", "1.0", "1.00", "-2", "0.5", "7", "100", "150", "often", "never", "sometims"]
)
_TEXT = st.sampled_from(["", "x", "y", "z"])
_SIZES = st.sampled_from(["", "1", "40", "150"])


@st.composite
def _csv_rows(draw: Any) -> str:
    optional = draw(st.lists(st.sampled_from(["site", "sample_size", "sex", "note", "source"]),
                             unique=True))
    header = ["indicator", "period", "value", *optional]
    lines = [",".join(header)]
    for _ in range(draw(st.integers(0, 20))):
        cells = [draw(st.sampled_from(sorted(TARGETS))), draw(_PERIODS), draw(_VALUES)]
        for name in optional:
            cells.append(draw(_SIZES) if name == "sample_size" else draw(_TEXT))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=_csv_rows(), declared=st.integers(0, 2))
def test_property_csv_rows_validate_and_score_as_yaml_ones(
    tmp_path_factory: pytest.TempPathFactory, rows: str, declared: int
) -> None:
    _assert_same_programme(tmp_path_factory.mktemp("rows"), rows, declared)
