"""TOC801 to TOC805: indicators collected through a form (`forms:`, `collect:`).

A `collect:` block names a declared form (TOC801), a question type that can give the
indicator's measure (TOC802), a choice list the form declares (TOC804), answers that
are in that list (TOC803) and, for a percentage, the answers that count (TOC805). The
raw exports themselves are checked while they are read (`findings.collection`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...findings.collection import COLLECT, collecting
from ...findings.diagnostic import Diagnostic, Severity
from ...findings.suggest import did_you_mean
from ...schema.forms import NUMBER_KINDS, SELECT_KINDS, choices_for, forms_by_id, question_type
from ...schema.model import DataFile, Indicator, Measure
from ..context import Context, Path_
from ..registry import rule

E, W = Severity.ERROR, Severity.WARNING

GOOD = collecting(COLLECT)


def _collected(ctx: Context) -> Iterator[tuple[Path_, Indicator]]:
    for r, i, _result, indicator in ctx.indicators():
        if indicator.collect is not None:
            yield ("results", r, "indicators", i, "collect"), indicator


@rule(
    "TOC801",
    "unknown-form",
    E,
    "indicators",
    collecting(COLLECT.replace("form: perception-survey", "form: perception-survy")),
    GOOD,
    fail_at="38:17",
)
def check_unknown_form(ctx: Context) -> Iterator[Diagnostic]:
    """A `collect:` block or a `data:` entry names a form that `forms:` does not declare.

    Declare the form under `forms:` (its id, the site question, the dimension questions
    and its choice lists) or correct the id; the hint suggests the closest declared one.
    """
    forms = forms_by_id(ctx.programme)
    for path, indicator in _collected(ctx):
        assert indicator.collect is not None
        name = indicator.collect.form
        if name not in forms:
            yield _unknown(ctx, name, (*path, "form"), list(forms), f"indicator '{indicator.id}'")
    for d, entry in enumerate(ctx.programme.data):
        if isinstance(entry, DataFile) and entry.form is not None and entry.form not in forms:
            yield _unknown(ctx, entry.form, ("data", d, "form"), list(forms), f"'{entry.file}'")


def _unknown(ctx: Context, name: str, path: Path_, known: list[str], who: str) -> Diagnostic:
    guess = did_you_mean(name, known)
    return UNKNOWN_FORM(
        f"{who} names the form '{name}', which `forms:` does not declare",
        ctx.locate(path),
        hint=f"did you mean '{guess}'?" if guess else "declare it under `forms:` "
        "(- id: ..., site_question: ..., choices: ...) or correct the id",
        path=path,
    )


UNKNOWN_FORM = check_unknown_form

_EXPECTED = {
    Measure.percentage: "select_one LIST or select_multiple LIST (a share of answers)",
    Measure.ordinal: "select_one (its answers are the scale)",
    Measure.unit: "integer or decimal (summed or averaged), or a select counted",
    Measure.qualitative: "nothing: a qualitative indicator is judged through evidence",
}


@rule(
    "TOC802",
    "question-type-mismatch",
    E,
    "indicators",
    collecting(COLLECT.replace("type: select_one yes_no_dk", "type: integer")),
    GOOD,
    fail_at="40:17",
)
def check_question_type(ctx: Context) -> Iterator[Diagnostic]:
    """A question's XLSForm type cannot give the indicator's measure.

    A percentage is the share of answers to a `select_one` or `select_multiple`
    question; an ordinal indicator is asked as a `select_one` of its scale; a unit
    indicator sums or averages an `integer` or `decimal` question, or counts the
    answers of a select (`combine: count`). A qualitative indicator is not collected
    through a form. Other XLSForm types (text, geopoint, ...) give no indicator value.
    """
    for path, indicator in _collected(ctx):
        assert indicator.collect is not None
        qtype = question_type(indicator.collect)
        measure = indicator.measure
        fits = (
            (measure is Measure.percentage and qtype.kind in SELECT_KINDS)
            or (measure is Measure.ordinal and qtype.kind == "select_one")
            or (measure is Measure.unit and qtype.kind in NUMBER_KINDS)
            or (measure is Measure.unit and qtype.kind in SELECT_KINDS
                and indicator.collect.combine == "count")
        )
        if not fits:
            written = indicator.collect.type.strip() or "(empty)"
            yield QUESTION_TYPE(
                f"indicator '{indicator.id}' is a {measure.value} indicator, but its question "
                f"'{indicator.collect.question}' has type '{written}'",
                ctx.locate((*path, "type")),
                hint=f"write `type:` as {_EXPECTED[measure]}",
                path=(*path, "type"),
            )


QUESTION_TYPE = check_question_type


@rule(
    "TOC803",
    "answer-not-in-choices",
    E,
    "indicators",
    collecting(COLLECT.replace('counts_as: ["yes"]', 'counts_as: ["yes", often]')),
    GOOD,
    fail_at="41:30",
)
def check_answers_in_choices(ctx: Context) -> Iterator[Diagnostic]:
    """`counts_as` or `excludes` names an answer that is not in the question's choices.

    They are choice names (the XLSForm `name`, as exports write them), not labels. An
    answer that is not in the list would never be counted, and the percentage would
    quietly read zero.
    """
    forms = forms_by_id(ctx.programme)
    for path, indicator in _collected(ctx):
        collect = indicator.collect
        assert collect is not None
        form = forms.get(collect.form)
        choices = None if form is None else choices_for(form, indicator)
        if choices is None:
            continue
        names = [c.name for c in choices]
        for field in ("counts_as", "excludes"):
            for k, answer in enumerate(getattr(collect, field)):
                if answer not in names:
                    guess = did_you_mean(answer, names)
                    yield ANSWER_NOT_IN_CHOICES(
                        f"`{field}` of indicator '{indicator.id}' names '{answer}', which is "
                        f"not a choice of its question (choices: {', '.join(names)})",
                        ctx.locate((*path, field, k)),
                        hint=f"did you mean '{guess}'?" if guess else "write choice names "
                        "(the XLSForm `name`), or add the answer to the choice list",
                        path=(*path, field, k),
                    )


ANSWER_NOT_IN_CHOICES = check_answers_in_choices


@rule(
    "TOC804",
    "unknown-choice-list",
    E,
    "indicators",
    collecting(COLLECT.replace("type: select_one yes_no_dk", "type: select_one yes_no")),
    GOOD,
    fail_at="40:17",
)
def check_choice_list(ctx: Context) -> Iterator[Diagnostic]:
    """A select question names a choice list its form does not declare.

    Declare each list once under the form (`choices: {yes_no_dk: [{name: yes, label:
    ...}, ...]}`); an ordinal indicator may write `type: select_one` alone, and its
    `scale` becomes the list.
    """
    forms = forms_by_id(ctx.programme)
    for path, indicator in _collected(ctx):
        collect = indicator.collect
        assert collect is not None
        form = forms.get(collect.form)
        qtype = question_type(collect)
        if form is None or qtype.kind not in SELECT_KINDS:
            continue
        if choices_for(form, indicator) is not None:
            continue
        if qtype.list_name is None:
            hint = f"write `type: {qtype.kind} LIST` and declare LIST under the form's `choices:`"
        else:
            guess = did_you_mean(qtype.list_name, list(form.choices))
            hint = (f"did you mean '{guess}'?" if guess else
                    f"declare `{qtype.list_name}:` under `choices:` of form '{form.id}'")
        yield UNKNOWN_CHOICE_LIST(
            f"the question '{collect.question}' of indicator '{indicator.id}' uses the choice "
            f"list '{qtype.list_name or ''}', which form '{form.id}' does not declare",
            ctx.locate((*path, "type")),
            hint=hint,
            path=(*path, "type"),
        )


UNKNOWN_CHOICE_LIST = check_choice_list


@rule(
    "TOC805",
    "nothing-counts",
    E,
    "indicators",
    collecting(COLLECT.replace('          counts_as: ["yes"]\n', "")),
    GOOD,
    fail_at="37:9",
)
def check_counts_as(ctx: Context) -> Iterator[Diagnostic]:
    """A percentage collected through a form does not say which answers count.

    The value is the share of valid answers that are in `counts_as` (e.g. `[yes]`);
    without it there is no numerator.
    """
    for path, indicator in _collected(ctx):
        collect = indicator.collect
        assert collect is not None
        if indicator.measure is Measure.percentage and not collect.counts_as:
            yield NOTHING_COUNTS(
                f"percentage indicator '{indicator.id}' is collected through question "
                f"'{collect.question}' but does not say which answers count",
                ctx.locate(path, key=True),
                hint="add `counts_as: [ANSWER, ...]`: the percentage is the share of valid "
                "answers among these choices",
                path=path,
            )


NOTHING_COUNTS = check_counts_as
