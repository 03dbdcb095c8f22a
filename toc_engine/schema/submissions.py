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
from itertools import combinations
from pathlib import Path

from ..findings import collection as rules
from ..findings.diagnostic import Diagnostic, Span
from ..findings.suggest import did_you_mean
from .exports import ExportTable, read_export
from .forms import NUMBER_KINDS, choices_for, collected, combine, question_type
from .model import Choice, Form, Indicator, Programme
from .observations import CODE, Dictionary, Extras, ObservationTable
from .periods import Period, parse_period

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
        labels = text_of(collect.label)
        self.column = find_column(export.header, collect.question, labels)
        self.columns: dict[str, int] = {}
        if self.column is None and self.kind == "select_multiple":
            self.columns = choice_columns(export.header, collect.question, labels, self.choices)
        self.dims = [d for d in dimension_names if d in indicator.disaggregate_by]
        self.cache: dict[object, object] = {}

    @property
    def found(self) -> bool:
        return self.column is not None or bool(self.columns)

    def answer(self, cells: list[str], row: int, file: str,
               findings: list[Diagnostic]) -> object:
        """The row's answer as the code its combination counts: None when it is left out
        with a finding."""
        raw: str | tuple[str, ...]
        if self.column is not None:
            raw = cells[self.column].strip() if self.column < len(cells) else ""
        else:
            raw = tuple(cells[i].strip() if i < len(cells) else "" for i in self.columns.values())
        held = self.cache.get(raw, _UNSEEN)
        if held is not _UNSEEN:
            return held
        problem, code = self._code(raw)
        if problem:
            column = (self.column if self.column is not None else min(self.columns.values())) + 1
            findings.append(problem(file, row, column))
            return None
        self.cache[raw] = code
        return code

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


_UNSEEN = object()


# --- the reading ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Cells:
    """One indicator's answers, counted per (period, site, dimension values, answer)."""

    question: _Question
    counts: Counter[tuple[Period, str | None, tuple[str, ...], object]] = field(
        default_factory=Counter)
    first: dict[tuple[Period, str | None, tuple[str, ...]], tuple[str, int]] = field(
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
    periods: dict[str, Period | None] = {}
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
    width = len(header)
    for row, cells_ in export.rows:
        if len(cells_) < width:
            cells_ = cells_ + [""] * (width - len(cells_))
        if id_col is not None:
            sid = cells_[id_col].strip().removeprefix("uuid:")
            if sid:
                first = seen.get(sid)
                if first is not None:
                    findings.append(rules.DUPLICATE_SUBMISSION(
                        f"submission '{sid}' appears twice: {first[0]} row {first[1]} and "
                        f"{file} row {row}; the second copy is left out",
                        Span(file, row, id_col + 1),
                        hint="remove the overlap between the exports (export each period "
                        "once, or only the new submissions)"))
                    continue
                seen[sid] = (file, row)
        raw_date = cells_[date_col]
        key = raw_date[:10]
        if key not in periods:
            periods[key] = _period(raw_date, form)
        period = periods[key]
        if period is None:
            findings.append(rules.MISSING_DATE(
                f"the submission has no readable date in '{header[date_col]}' "
                f"('{raw_date.strip()[:30]}'); it is left out",
                Span(file, row, date_col + 1),
                hint="fill in the date as YYYY-MM-DD, or set the form's `date_field`"))
            continue
        if not window[0] <= period.start <= window[1]:
            findings.append(rules.DATE_OUTSIDE(
                f"the submission's date {raw_date.strip()[:10]} falls outside the programme's "
                f"period ({window[0]} to {window[1]}) and every baseline; it is left out",
                Span(file, row, date_col + 1),
                hint="delete test submissions from the export, or correct the date"))
            continue
        site = None
        if site_col is not None:
            answer = cells_[site_col]
            site = spellings.get(_fold(answer))
            if site is None:
                guess = did_you_mean(answer.strip(), site_names)
                findings.append(rules.UNKNOWN_SITE(
                    f"the site '{answer.strip()[:40]}' is not a site of the programme; the "
                    "submission is left out",
                    Span(file, row, site_col + 1),
                    hint=f"did you mean '{guess}'? Or add the spelling to the site as its "
                    "name or an alias" if guess else "add the site under `sites:` (or the "
                    "spelling as an alias of one), or correct the answer"))
                continue
        dims = {}
        for dimension, column in dim_cols.items():
            text = cells_[column].strip()
            dims[dimension] = dim_names[dimension].get(_fold(text), text)
        for q in questions:
            code = q.answer(cells_, row, file, findings)
            if code is None:
                continue
            counted = cells[q.indicator.id]
            values = tuple(dims[d] for d in q.dims)
            counted.counts[(period, site, values, code)] += 1
            counted.first.setdefault((period, site, values), (file, row))


def _period(raw: str, form: Form) -> Period | None:
    match = _DATE.match(raw)
    if not match:
        return None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    if form.period == "year":
        text = str(day.year)
    elif form.period == "month":
        text = f"{day.year}-{day.month:02d}"
    else:
        text = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return parse_period(text)


def _window(programme: Programme, form: Form) -> tuple[date, date]:
    start, end = programme.programme.period.start, programme.programme.period.end
    for indicator in collected(programme, form.id):
        if indicator.baseline is not None:
            start = min(start, indicator.baseline.period.start)
    return start, end


# --- the observations ---------------------------------------------------------------------------


Key = tuple[Period, str | None, tuple[tuple[str, str], ...]]


def _derive(counted: _Cells, columns: dict[str, dict[str, int]],
            files: list[str]) -> Iterator[Derived]:
    """The cells of one indicator: every combination of site and dimensions, and the
    total, each as the combination of the answers it holds."""
    question = counted.question
    dims = question.dims
    merged: dict[Key, Counter[object]] = {}
    first: dict[Key, tuple[str, int]] = {}
    for (period, site, values, code), n in counted.counts.items():
        where = counted.first[(period, site, values)]
        parts: list[tuple[str, str]] = [("site", site)] if site is not None else []
        parts += [(d, v) for d, v in zip(dims, values, strict=True) if v]
        for width in range(len(parts) + 1):
            for subset in combinations(parts, width):
                site_part = next((v for k, v in subset if k == "site"), None)
                key = (period, site_part, tuple((k, v) for k, v in subset if k != "site"))
                merged.setdefault(key, Counter())[code] += n
                if key not in first or where < first[key]:
                    first[key] = where
    source = ", ".join(dict.fromkeys(files))
    by_file: dict[str, list[tuple[int, Key, Decimal | str, int | None, str]]] = {}
    for key, answers in merged.items():
        made = _value(question, answers)
        if made is None:
            continue
        value, size, note = made
        file, row = first[key]
        by_file.setdefault(file, []).append((row, key, value, size, note))
    for file, cells in by_file.items():
        cells.sort(key=lambda c: (c[0], c[1][0], c[1][1] or "", c[1][2]))
        yield Derived(question.indicator.id, _table(file, cells, source),
                      columns[file])


def _value(question: _Question, answers: Counter[object]) -> tuple[
        Decimal | str, int | None, str] | None:
    blank = answers.get("", 0)
    blank_note = f", {blank} unanswered" if blank else ""
    how = question.combine
    if how == "share":
        hits, misses = answers.get("hit", 0), answers.get("miss", 0)
        valid = hits + misses
        if not valid:
            return None
        labels = {c.name: first_text(c.label, c.name) for c in question.choices}
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
    numbers = [(k, n) for k, n in answers.items() if isinstance(k, Decimal)]
    answered = sum(n for _k, n in numbers)
    if not answered:
        return None
    summed = sum((k * n for k, n in numbers), Decimal(0))
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
            dictionary.periods.append(period)
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
