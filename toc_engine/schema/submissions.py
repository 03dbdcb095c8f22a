"""Indicator values from raw submissions exports (KoboToolbox, ODK Central).

A `data:` entry `{file: ..., form: ...}` names an export with one row per respondent.
Each submission is placed in a period (by its date), a site (by its answer to the
form's site question) and its dimensions; then each indicator collected through the
form gets one observation per period for the total, per site, per dimension value and
per combination of them: the share of valid answers that count (percentages, with the
number of valid answers as `sample_size`), the median answer (ordinal), or the sum,
mean or count of the answers (units). Every export of a form is pooled before that.

Only these aggregates leave this module, as `ObservationTable`s that scoring reads
like CSV rows; a respondent's row never does. Problems are findings at the export's
file, row and column (`findings.collection`).
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import combinations, repeat
from operator import getitem, itemgetter, methodcaller
from pathlib import Path
from typing import Any

from ..findings import collection as rules
from ..findings.diagnostic import Diagnostic, Span
from ..findings.suggest import did_you_mean
from .forms import NUMBER_KINDS, choices_for, collected, combine, question_type
from .model import Choice, Form, Indicator, Programme
from .observations import CODE, Dictionary, Extras, ObservationTable
from .periods import parse_period
from .survey_exports import ExportTable, read_export

ID_COLUMNS = ("_uuid", "meta/instanceID", "meta-instanceID", "instanceID", "KEY")
SUBMITTED_COLUMNS = ("_submission_time", "SubmissionDate")
Problem = Callable[[str, int, int], Diagnostic]  # a finding, once its file:row:column is known
_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


@dataclass(slots=True)
class Derived:
    """The observations derived for one indicator from one export (the file of the first
    submission of each cell), with the export's columns for locating them."""

    indicator: str
    table: ObservationTable
    columns: dict[str, int]


@dataclass(slots=True)
class Submissions:
    derived: list[Derived] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def text_of(text: object) -> list[str]:
    """Every language's version of a `Text` field."""
    if text is None:
        return []
    if isinstance(text, dict):
        return [str(v) for v in text.values()]
    return [str(text)]


def first_text(text: object, default: str) -> str:
    versions = text_of(text)
    return versions[0] if versions else default


def default_label(name: str) -> str:
    """The label of a question the programme gives no label (site, dimension, date)."""
    words = name.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def site_spellings(programme: Programme) -> dict[str, str]:
    """Every spelling that names a site, folded (case, outer spaces) -> the site's id.

    The one place where site answers are matched: ids and names in every language, and
    `aliases` when sites declare them."""
    spellings: dict[str, str] = {}
    for site in programme.sites:
        names = [site.id, *text_of(site.name), *(getattr(site, "aliases", None) or [])]
        for name in names:
            spellings.setdefault(_fold(str(name)), site.id)
    return spellings


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- the header -------------------------------------------------------------------------------


def _matches(header: str, name: str, labels: Iterable[str]) -> bool:
    """A header cell names a question: its XML name, alone or after group names joined
    by `/` (KoboToolbox) or `-` (ODK Central), or its label (KoboToolbox label exports)."""
    if header == name or header.endswith("/" + name) or header.endswith("-" + name):
        return True
    folded = _fold(header.rsplit("/", 1)[-1])
    return any(folded == _fold(label) for label in labels)


def find_column(header: list[str], name: str, labels: Iterable[str] = ()) -> int | None:
    """The 0-based column of a question; an exact name wins over a group path or label."""
    labels = list(labels)
    if name in header:
        return header.index(name)
    for index, cell in enumerate(header):
        if _matches(cell, name, labels):
            return index
    return None


def choice_columns(header: list[str], name: str, labels: list[str],
                   choices: list[Choice]) -> dict[str, int]:
    """A select_multiple exported as one 0/1 column per choice: choice name -> column."""
    out: dict[str, int] = {}
    for index, cell in enumerate(header):
        for separator in ("/", "-"):
            prefix, sep, last = cell.rpartition(separator)
            if not sep or not _matches(prefix, name, labels):
                continue
            for choice in choices:
                if last == choice.name or _fold(last) in map(_fold, text_of(choice.label)):
                    out.setdefault(choice.name, index)
    return out


def answer_names(choices: list[Choice]) -> dict[str, str]:
    """Each folded spelling of a choice (its name, its label in every language) -> name."""
    names: dict[str, str] = {}
    for choice in choices:
        names.setdefault(_fold(choice.name), choice.name)
    for choice in choices:
        for label in text_of(choice.label):
            names.setdefault(_fold(label), choice.name)
    return names


# --- one indicator -----------------------------------------------------------------------------


class _Question:
    """How one indicator reads its answer from a row of one export."""

    def __init__(self, indicator: Indicator, form: Form, export: ExportTable,
                 dimension_names: list[str]) -> None:
        collect = indicator.collect
        assert collect is not None
        self.indicator = indicator
        self.combine = combine(indicator)
        self.kind = question_type(collect).kind
        self.choices = choices_for(form, indicator) or []
        self.names = answer_names(self.choices)
        self.counts_as = set(collect.counts_as)
        self.excludes = set(collect.excludes)
        self.scale = [c.name for c in self.choices]
        self.labels = {c.name: first_text(c.label, c.name) for c in self.choices}
        labels = text_of(collect.label)
        self.column = find_column(export.header, collect.question, labels)
        self.columns: dict[str, int] = {}
        if self.column is None and self.kind == "select_multiple":
            self.columns = choice_columns(export.header, collect.question, labels, self.choices)
        self.dims = [d for d in dimension_names if d in indicator.disaggregate_by]
        self.cache: dict[object, tuple[Problem | None, object]] = {}

    @property
    def found(self) -> bool:
        return self.column is not None or bool(self.columns)

    @property
    def cols(self) -> list[int]:
        """The 0-based columns its answer is read from: one, or one 0/1 column per choice."""
        return [self.column] if self.column is not None else list(self.columns.values())

    def code(self, raw: str | tuple[str, ...]) -> tuple[Problem | None, object]:
        """The answer (stripped cells) as the code its combination counts, or why it is
        left out."""
        held = self.cache.get(raw)
        if held is None:
            held = self.cache[raw] = self._code(raw)
        return held

    def _code(self, raw: str | tuple[str, ...]) -> tuple[Problem | None, object]:
        if raw == "" or raw == tuple("" for _ in self.columns):
            return None, ""
        if self.kind in NUMBER_KINDS:
            return self._number(str(raw))
        if isinstance(raw, tuple):
            chosen = [name for name, cell in zip(self.columns, raw, strict=True)
                      if cell not in ("", "0", "False", "false")]
            return None, self._selected(chosen)
        assert isinstance(raw, str)
        name = self.names.get(_fold(raw))
        if name is not None:
            return None, self._selected([name])
        if self.kind == "select_multiple":
            parts = [self.names.get(_fold(part)) for part in raw.split()]
            if parts and all(parts):
                return None, self._selected([p for p in parts if p])
        return self._outside(raw), None

    def _selected(self, names: list[str]) -> object:
        if self.combine == "median":
            return self.scale.index(names[0])
        if self.combine == "count":
            return "hit" if not self.counts_as or set(names) & self.counts_as else "miss"
        if set(names) & self.counts_as:
            return "hit"
        if names and set(names) <= self.excludes:
            return names[0]  # left out of the denominator, reported by choice
        return "miss"

    def _number(self, raw: str) -> tuple[Problem | None, object]:
        try:
            number = Decimal(raw.replace(",", ".") if raw.count(",") == 1 else raw)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or (
            self.kind == "integer" and number != number.to_integral_value()
        ):
            what = "a whole number" if self.kind == "integer" else "a number"
            question = self._question_name()

            def problem(file: str, row: int, column: int) -> Diagnostic:
                return rules.NOT_A_NUMBER(
                    f"the answer '{raw[:40]}' to '{question}' is not {what}; the "
                    "submission is left out of indicator "
                    f"'{self.indicator.id}'", Span(file, row, column),
                    hint=f"correct the answer in the export: '{question}' is an "
                    f"{self.kind} question")
            return problem, None
        if self.combine == "count":
            return None, "hit"
        return None, number

    def _question_name(self) -> str:
        assert self.indicator.collect is not None
        return self.indicator.collect.question

    def _outside(self, raw: str) -> Problem:
        names = [c.name for c in self.choices]
        guess = did_you_mean(str(raw), names)
        question = self._question_name()

        def problem(file: str, row: int, column: int) -> Diagnostic:
            return rules.ANSWER_OUTSIDE_CHOICES(
                f"the answer '{str(raw)[:40]}' to '{question}' is not one of its choices "
                f"({', '.join(names)}); it is left out of indicator '{self.indicator.id}'",
                Span(file, row, column),
                hint=f"did you mean '{guess}'?" if guess else "add the answer to the form's "
                "choice list, or correct it in the export")
        return problem


# --- the reading ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Cells:
    """One indicator's answers, counted per (period, site, dimension values, answer)."""

    question: _Question
    # keys: (period text, site id or None, the dimension values, the answer's code)
    counts: Counter[tuple[str, str | None, tuple[str, ...], object]] = field(
        default_factory=Counter)
    first: dict[tuple[str, str | None, tuple[str, ...]], tuple[str, int]] = field(
        default_factory=dict)


def read_submissions(programme: Programme,
                     exports: list[tuple[str, Path, str, str]]) -> Submissions:
    """Observations for every indicator collected through a form, from its exports
    (form id, path, path as shown, path as the programme writes it), pooled per form."""
    out = Submissions()
    forms = {form.id: form for form in programme.forms}
    seen: dict[str, tuple[str, int]] = {}  # submission id -> (file, row) of its first copy
    by_form: dict[str, list[tuple[Path, str, str]]] = {}
    for form_id, path, shown, written in exports:
        if form_id in forms:  # an unknown form is reported by TOC801
            by_form.setdefault(form_id, []).append((path, shown, written))
    for form_id, files in by_form.items():
        form = forms[form_id]
        cells: dict[str, _Cells] = {}
        columns: dict[str, dict[str, dict[str, int]]] = {}  # indicator -> file -> columns
        for path, shown, _written in files:
            export = read_export(path, shown)
            out.diagnostics.extend(export.diagnostics)
            if export.diagnostics:
                continue
            _read_one(programme, form, export, seen, cells, columns, out.diagnostics)
        for ident, counted in cells.items():
            out.derived.extend(_derive(counted, columns[ident], [w for _p, _s, w in files]))
    return out


def _read_one(programme: Programme, form: Form, export: ExportTable,
              seen: dict[str, tuple[str, int]], cells: dict[str, _Cells],
              columns: dict[str, dict[str, dict[str, int]]],
              findings: list[Diagnostic]) -> None:
    header, file = export.header, export.file
    missing: list[str] = []
    site_col = None
    if form.site_question:
        site_col = find_column(header, form.site_question, [default_label(form.site_question)])
        if site_col is None:
            missing.append(form.site_question)
    dim_cols: dict[str, int] = {}
    for dimension, question in form.dimensions.items():
        found = find_column(header, question, [default_label(question)])
        if found is None:
            missing.append(question)
        else:
            dim_cols[dimension] = found
    date_names = (form.date_field,) if form.date_field else SUBMITTED_COLUMNS
    date_col = next((c for n in date_names
                     if (c := find_column(header, n, [default_label(n)])) is not None), None)
    if date_col is None:
        missing.append(" or ".join(date_names))
    questions = [_Question(i, form, export, list(dim_cols)) for i in collected(programme, form.id)]
    missing += [q.indicator.collect.question for q in questions  # type: ignore[union-attr]
                if not q.found]
    if missing:
        findings.append(rules.EXPORT_UNREADABLE(
            f"the export of form '{form.id}' has no column for {', '.join(missing)}; "
            "it is not read",
            Span(file, 1, 1),
            hint="export again with every question (XML names or labels as headers), or "
            "correct the question names under `collect:` and `forms:`"))
        return
    assert date_col is not None
    id_col = next((header.index(n) for n in ID_COLUMNS if n in header), None)
    spellings = site_spellings(programme)
    site_names = sorted({s.id for s in programme.sites} | {
        n for s in programme.sites for n in text_of(s.name)})
    dim_names = {d: answer_names(form.choices.get(d, [])) for d in dim_cols}
    window = _window(programme, form)
    for q in questions:
        ident = q.indicator.id
        cells.setdefault(ident, _Cells(q))
        cells[ident].question = q
        used = {"indicator": (q.column if q.column is not None else min(q.columns.values())) + 1,
                "period": date_col + 1}
        used["value"] = used["indicator"]
        if site_col is not None:
            used["site"] = site_col + 1
        used.update({d: c + 1 for d, c in dim_cols.items()})
        columns.setdefault(ident, {})[file] = used
    if not questions:
        return
    # Each column is coded through a dictionary of its distinct cells (`_Codes`: map and
    # zip run at C speed), and each indicator's rows are tallied by their codes: no
    # Python work per row, only per distinct cell.
    lines, rows = export.lines, export.cells
    if id_col is not None:
        lines, rows = _first_copies(file, id_col, lines, rows, seen, findings)
    if not rows:
        return
    periods = _Codes(lambda day: _period_text(day, form, window))
    # a date and time is coded by its day: the first ten characters
    days = list(map(getitem, map(itemgetter(date_col), rows), repeat(_DAY)))
    period_codes = list(map(periods.__getitem__, days))
    problems: list[tuple[list[Any], dict[Any, Problem], int]] = []
    bad_dates = {day: _date_problem(code, day, header[date_col], window)
                 for day, code in periods.items() if code in (_NO_DATE, _OUTSIDE)}
    if bad_dates:
        problems.append((days, bad_dates, date_col))
    site_codes: list[str | None] = [None] * len(rows)
    if site_col is not None:
        sites = _Codes(lambda raw: spellings.get(_fold(raw), ""))
        site_cells = list(map(itemgetter(site_col), rows))
        site_codes = list(map(sites.__getitem__, site_cells))
        bad_sites = {raw: _site_problem(raw, site_names) for raw, code in sites.items()
                     if not code}
        if bad_sites:
            problems.append((site_cells, bad_sites, site_col))
    dim_codes: dict[str, list[str]] = {}
    for dimension, column in dim_cols.items():
        names = dim_names[dimension]
        def dimension_value(raw: str, names: dict[str, str] = names) -> str:
            if names and raw.strip() and _fold(raw) not in names:
                return _UNKNOWN  # an answer outside the declared choices: never a breakdown
            return names.get(_fold(raw), raw.strip())

        coder = _Codes(dimension_value)
        dim_cells = list(map(itemgetter(column), rows))
        dim_codes[dimension] = list(map(coder.__getitem__, dim_cells))
        bad_dims = {raw: _dimension_problem(raw, dimension, sorted(set(names.values())))
                    for raw, code in coder.items() if code == _UNKNOWN}
        if bad_dims:
            problems.append((dim_cells, bad_dims, column))
    for q in questions:
        if q.column is not None:
            answers = list(map(itemgetter(q.column), rows))
        else:
            answers = list(zip(*(map(itemgetter(c), rows) for c in q.cols), strict=True))
        def answer_code(raw: str | tuple[str, ...], q: _Question = q
                        ) -> tuple[Problem | None, object]:
            return q.code(raw.strip() if isinstance(raw, str) else tuple(c.strip() for c in raw))

        coded = _Codes(answer_code)
        answer_codes = list(map(coded.__getitem__, answers))
        bad_answers = {raw: problem for raw, (problem, _code) in coded.items() if problem}
        if bad_answers:
            problems.append((answers, bad_answers, q.cols[0]))
        keys = list(zip(period_codes, site_codes, *(dim_codes[d] for d in q.dims),
                        map(itemgetter(1), answer_codes), strict=True))
        first_line = dict(zip(reversed(keys), reversed(lines), strict=True))
        counted = cells[q.indicator.id]
        for key, n in Counter(keys).items():
            period, site, *values, code = key
            if (period in (_NO_DATE, _OUTSIDE) or site == "" or code is None
                    or _UNKNOWN in values):
                continue  # left out, with a finding
            values_ = tuple(values)
            counted.counts[(period, site, values_, code)] += n
            where = (file, first_line[key])
            cell = (period, site, values_)
            if cell not in counted.first or where < counted.first[cell]:
                counted.first[cell] = where
    for column_cells, bad, column in problems:
        for raw, line in zip(column_cells, lines, strict=True):
            problem = bad.get(raw)
            if problem is not None:
                findings.append(problem(file, line, column + 1))


class _Codes(dict[Any, Any]):
    """Cell text -> code, each distinct text coded once by `make` when first looked up."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, raw: Any) -> Any:
        code = self[raw] = self.make(raw)
        return code


def _first_copies(file: str, id_col: int, lines: list[int], rows: list[list[str]],
                  seen: dict[str, tuple[str, int]], findings: list[Diagnostic]
                  ) -> tuple[list[int], list[list[str]]]:
    """The rows whose submission id has not been seen before, in this export or an
    earlier one; each later copy is a finding naming both rows."""
    ids = list(map(_UUID, map(str.strip, map(itemgetter(id_col), rows))))
    distinct = set(ids)
    if len(distinct) == len(ids) and not distinct & seen.keys():
        seen.update(zip(ids, zip(repeat(file), lines), strict=False))  # repeat: endless
        seen.pop("", None)  # a submission without an id is never a copy
        return lines, rows
    kept_lines, kept = [], []
    for sid, line, cells in zip(ids, lines, rows, strict=True):
        if sid:
            earlier = seen.get(sid)
            if earlier is not None:
                findings.append(rules.DUPLICATE_SUBMISSION(
                    f"submission '{sid}' appears twice: {earlier[0]} row {earlier[1]} and "
                    f"{file} row {line}; the second copy is left out",
                    Span(file, line, id_col + 1),
                    hint="remove the overlap between the exports (export each period "
                    "once, or only the new submissions)"))
                continue
            seen[sid] = (file, line)
        kept_lines.append(line)
        kept.append(cells)
    return kept_lines, kept


def _date_problem(period: str, raw: str, column: str, window: tuple[date, date]) -> Problem:
    def problem(file: str, row: int, col: int) -> Diagnostic:
        if period == _NO_DATE:
            return rules.MISSING_DATE(
                f"the submission has no readable date in '{column}' ('{raw.strip()}'); it "
                "is left out",
                Span(file, row, col),
                hint="fill in the date as YYYY-MM-DD, or set the form's `date_field`")
        return rules.DATE_OUTSIDE(
            f"the submission's date {raw.strip()} falls outside the programme's period "
            f"({window[0]} to {window[1]}) and every baseline; it is left out",
            Span(file, row, col),
            hint="delete test submissions from the export, or correct the date")
    return problem


def _dimension_problem(answer: str, dimension: str, names: list[str]) -> Problem:
    guess = did_you_mean(answer.strip(), names)

    def problem(file: str, row: int, col: int) -> Diagnostic:
        return rules.ANSWER_OUTSIDE_CHOICES(
            f"the answer '{answer.strip()[:40]}' for {dimension} is not one of its choices "
            f"({', '.join(names)}); the submission is left out of the indicators broken down "
            f"by {dimension}",
            Span(file, row, col),
            hint=f"did you mean '{guess}'?" if guess else f"add the answer to the `{dimension}` "
            "choice list of the form, or correct it in the export")
    return problem


def _site_problem(answer: str, site_names: list[str]) -> Problem:
    guess = did_you_mean(answer.strip(), site_names)

    def problem(file: str, row: int, col: int) -> Diagnostic:
        return rules.UNKNOWN_SITE(
            f"the site '{answer.strip()[:40]}' is not a site of the programme; the "
            "submission is left out",
            Span(file, row, col),
            hint=f"did you mean '{guess}'? Or add the spelling to the site as its name or "
            "an alias" if guess else "add the site under `sites:` (or the spelling as an "
            "alias of one), or correct the answer")
    return problem


_DAY = slice(0, 10)  # the day of an ISO date and time
_UUID = methodcaller("removeprefix", "uuid:")  # ODK's instanceID is Kobo's _uuid, prefixed
_NO_DATE = ""  # a date that cannot be read
_UNKNOWN = "\0unknown"  # a dimension answer outside its choices
_OUTSIDE = "-"  # a date outside the programme and its baselines


def _period_text(raw: str, form: Form, window: tuple[date, date]) -> str:
    """The period a date cell falls in, as text; `_NO_DATE` or `_OUTSIDE` if none."""
    match = _DATE.match(raw)
    if not match:
        return _NO_DATE
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return _NO_DATE
    if form.period == "year":
        text = str(day.year)
    elif form.period == "month":
        text = f"{day.year}-{day.month:02d}"
    else:
        text = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if not window[0] <= parse_period(text).start <= window[1]:
        return _OUTSIDE
    return text


def _window(programme: Programme, form: Form) -> tuple[date, date]:
    start, end = programme.programme.period.start, programme.programme.period.end
    for indicator in collected(programme, form.id):
        if indicator.baseline is not None:
            start = min(start, indicator.baseline.period.start)
    return start, end


# --- the observations ---------------------------------------------------------------------------


Key = tuple[str, str | None, tuple[tuple[str, str], ...]]


def _derive(counted: _Cells, columns: dict[str, dict[str, int]],
            files: list[str]) -> Iterator[Derived]:
    """The cells of one indicator: every combination of site and dimensions, and the
    total, each as the combination of the answers it holds."""
    question = counted.question
    dims = question.dims
    numeric = question.combine in ("sum", "mean")
    answers_of: dict[tuple[str, str | None, tuple[str, ...]], dict[object, Any]] = {}
    for (period, site, values, code), n in counted.counts.items():
        answers = answers_of.setdefault((period, site, values), {})
        if numeric and isinstance(code, Decimal):  # kept as a sum and a count
            answers[_SUM] = answers.get(_SUM, 0) + code * n
            answers[_ANSWERED] = answers.get(_ANSWERED, 0) + n
        else:
            answers[code] = answers.get(code, 0) + n
    merged: dict[Key, list[Any]] = {}  # key -> [answers, (file, row) of its first]
    for cell, answers in answers_of.items():
        period, site, values = cell
        where = counted.first[cell]
        parts: list[tuple[str, str]] = [("site", site)] if site is not None else []
        parts += [(d, v) for d, v in zip(dims, values, strict=True) if v]
        for width in range(len(parts) + 1):
            for subset in combinations(parts, width):
                key: Key
                if subset and subset[0][0] == "site":
                    key = (period, subset[0][1], subset[1:])
                else:
                    key = (period, None, subset)
                held = merged.get(key)
                if held is None:
                    merged[key] = [dict(answers), where]
                    continue
                total = held[0]
                for code, n in answers.items():
                    total[code] = total.get(code, 0) + n
                if where < held[1]:
                    held[1] = where
    source = ", ".join(dict.fromkeys(files))
    by_file: dict[str, list[tuple[int, Key, Decimal | str, int | None, str]]] = {}
    for key, (answers, (file, row)) in merged.items():
        made = _value(question, answers)
        if made is None:
            continue
        value, size, note = made
        by_file.setdefault(file, []).append((row, key, value, size, note))
    for file, cells in by_file.items():
        cells.sort(key=lambda c: (c[0], c[1][0], c[1][1] or "", c[1][2]))
        yield Derived(question.indicator.id, _table(file, cells, source),
                      columns[file])


_SUM, _ANSWERED = "\0sum", "\0answered"  # numeric answers, summed per cell


def _value(question: _Question, answers: dict[object, Any]) -> tuple[
        Decimal | str, int | None, str] | None:
    blank = answers.get("", 0)
    blank_note = f", {blank} unanswered" if blank else ""
    how = question.combine
    if how == "share":
        hits, misses = answers.get("hit", 0), answers.get("miss", 0)
        valid = hits + misses
        if not valid:
            return None
        labels = question.labels
        left = [f"{n} '{labels.get(str(k), k)}'" for k, n in answers.items()
                if k not in ("hit", "miss", "")]
        note = f"{hits} of {valid} valid answers"
        if left or blank:
            note += " (" + ", ".join(left + ([f"{blank} unanswered"] if blank else [])) + \
                " left out)"
        return Decimal(100 * hits) / Decimal(valid), valid, note
    if how == "median":
        indexes = sorted((k, n) for k, n in answers.items() if isinstance(k, int))
        total = sum(n for _k, n in indexes)
        if not total:
            return None
        middle, running = (total + 1) // 2, 0
        for k, n in indexes:
            running += n
            if running >= middle:
                assert question.indicator.scale is not None
                entry = question.indicator.scale[k]
                return entry, total, f"median of {total} answers{blank_note}"
        return None
    if how == "count":
        hits = answers.get("hit", 0)
        return Decimal(hits), None, f"{hits} counted of {hits + answers.get('miss', 0)} answers"
    answered = answers.get(_ANSWERED, 0)
    if not answered:
        return None
    summed = answers[_SUM]
    if how == "mean":
        return summed / answered, answered, f"mean of {answered} answers{blank_note}"
    return summed, None, f"sum of {answered} answers{blank_note}"


def _table(file: str, cells: list[tuple[int, Key, Decimal | str, int | None, str]],
           source: str) -> ObservationTable:
    dictionary = Dictionary()
    codes: dict[str, dict[object, int]] = {"period": {}, "value": {}, "size": {None: 0}}
    columns: dict[str, array[int]] = {n: array(CODE) for n in ("p", "v", "x", "s", "l")}
    for row, (period, site, dims), value, size, note in cells:
        p = codes["period"].setdefault(period, len(dictionary.periods))
        if p == len(dictionary.periods):
            dictionary.periods.append(parse_period(period))
        v = codes["value"].setdefault(value, len(dictionary.values))
        if v == len(dictionary.values):
            dictionary.values.append(value)
        s = codes["size"].setdefault(size, len(dictionary.sizes))
        if s == len(dictionary.sizes):
            dictionary.sizes.append(size)
        dictionary.extras.append(Extras(site, dict(dims), source, note))
        columns["p"].append(p)
        columns["v"].append(v)
        columns["s"].append(s)
        columns["x"].append(len(dictionary.extras) - 1)
        columns["l"].append(row)
    return ObservationTable(file, dictionary, columns["p"], columns["v"], columns["l"],
                            columns["x"], columns["s"])
