"""What a `collect:` block means: the question's kind, its choices, and how answers combine.

The checks, the reader of raw exports and the XLSForm writer all ask these questions;
answering them in one place keeps the three in agreement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Choice, Collect, Form, Indicator, Measure, Programme

SELECT_KINDS = ("select_one", "select_multiple")
NUMBER_KINDS = ("integer", "decimal")
KINDS = SELECT_KINDS + NUMBER_KINDS


@dataclass(frozen=True, slots=True)
class QuestionType:
    kind: str  # one of KINDS, or what was written when it is none of them
    list_name: str | None  # the choice list of a select, if written

    @property
    def known(self) -> bool:
        return self.kind in KINDS


def question_type(collect: Collect) -> QuestionType:
    """`select_one yes_no` -> (select_one, yes_no); `integer` -> (integer, None)."""
    parts = collect.type.split()
    if not parts:
        return QuestionType("", None)
    return QuestionType(parts[0], parts[1] if len(parts) > 1 else None)


def scale_name(entry: str) -> str:
    """An ordinal scale entry as an XLSForm choice name (`Very poor` -> `very_poor`)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", entry.strip()).strip("_").lower()
    return name if name and (name[0].isalpha() or name[0] == "_") else f"_{name}"


def scale_choices(indicator: Indicator) -> list[Choice]:
    return [Choice(name=scale_name(entry), label=entry) for entry in indicator.scale or []]


def list_name(indicator: Indicator) -> str | None:
    """The name of the choice list an indicator's question uses (None: not a select)."""
    assert indicator.collect is not None
    qtype = question_type(indicator.collect)
    if qtype.kind not in SELECT_KINDS:
        return None
    return qtype.list_name or f"{indicator.id.replace('-', '_')}_scale"


def choices_for(form: Form, indicator: Indicator) -> list[Choice] | None:
    """The choices of an indicator's question: the form's list it names, or, for an
    ordinal indicator, its `scale`. None when the question is no select or the list is
    not declared."""
    assert indicator.collect is not None
    qtype = question_type(indicator.collect)
    if qtype.kind not in SELECT_KINDS:
        return None
    if qtype.list_name is not None:
        return form.choices.get(qtype.list_name)
    if indicator.measure is Measure.ordinal and indicator.scale:
        return scale_choices(indicator)
    return None


def combine(indicator: Indicator) -> str:
    """How answers become a value: share, median, sum, mean or count."""
    assert indicator.collect is not None
    if indicator.measure is Measure.percentage:
        return "share"
    if indicator.measure is Measure.ordinal:
        return "median"
    collect = indicator.collect
    if collect.combine is not None:
        return collect.combine
    return "sum" if question_type(collect).kind in NUMBER_KINDS else "count"


def forms_by_id(programme: Programme) -> dict[str, Form]:
    return {form.id: form for form in programme.forms}


def collected(programme: Programme, form_id: str) -> list[Indicator]:
    """The indicators that name a form, in file order."""
    return [
        indicator
        for _result, indicator in programme.indicators()
        if indicator.collect is not None and indicator.collect.form == form_id
    ]
