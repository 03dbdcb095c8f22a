"""`toc form`: an XLSForm (survey, choices, settings) for one form of the programme.

The questions come from the indicators that name the form (`collect:`), plus the site,
dimension and date questions the form declares, so the form asks exactly what the
indicators need and its exports read back through `data:` without a mapping. Labels are
written in every language the programme's text uses. The version is a hash of the
questions and choices: an edited framework yields a new version, an unchanged one the
same, as KoboToolbox and ODK expect.
"""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

from ..schema.forms import choices_for, collected, list_name, question_type
from ..schema.model import Choice, Form, Indicator, Programme
from ..schema.submissions import default_label, first_text, text_of

LANGUAGE_NAMES = {
    "en": "English", "ne": "Nepali", "bn": "Bangla", "sq": "Albanian", "sr": "Serbian",
    "fr": "French", "es": "Spanish", "ar": "Arabic", "hi": "Hindi", "pt": "Portuguese",
}
SITES_LIST = "sites"
METADATA_DATES = {"today": "today", "start": "start", "end": "end"}


def languages(programme: Programme, form: Form) -> list[str]:
    """The language codes the form's text is written in, in order of first use; [] when
    every text is written once."""
    found: dict[str, None] = {}

    def note(text: object) -> None:
        if isinstance(text, dict):
            found.update(dict.fromkeys(text))

    note(form.title)
    for choices in form.choices.values():
        for choice in choices:
            note(choice.label)
    for indicator in collected(programme, form.id):
        assert indicator.collect is not None
        note(indicator.collect.label)
        note(indicator.collect.hint)
        note(indicator.name)
    for site in programme.sites:
        note(site.name)
    return list(found)


def _column(code: str) -> str:
    return f"{LANGUAGE_NAMES.get(code, code)} ({code})"


def _labels(kind: str, text: object, fallback: str, langs: list[str]) -> dict[str, str]:
    """The label columns of one row: one per language, each falling back to another
    language's text; an empty cell would not fall back on the phone, since pyxform
    writes "-" for a missing translation."""
    if not langs:
        return {kind: first_text(text, fallback)}
    default = first_text(text, fallback)
    return {
        f"{kind}::{_column(code)}": (text.get(code, default) if isinstance(text, dict)
                                     else default)
        for code in langs
    }


def form_rows(programme: Programme, form: Form) -> tuple[list[dict[str, str]],
                                                         list[dict[str, str]], list[str]]:
    """(survey rows, choice rows, languages): the content of the two main sheets."""
    langs = languages(programme, form)
    survey: list[dict[str, str]] = [{"type": "start", "name": "start"},
                                    {"type": "end", "name": "end"}]
    lists: dict[str, list[Choice]] = {}
    if form.date_field:
        kind = METADATA_DATES.get(form.date_field, "date")
        row = {"type": kind, "name": form.date_field}
        if kind == "date":
            row.update(_labels("label", None, default_label(form.date_field), langs))
            row["required"] = "yes"
        survey.append(row)
    if form.site_question:
        lists[SITES_LIST] = [Choice(name=s.id, label=s.name) for s in programme.sites]
        survey.append({"type": f"select_one {SITES_LIST}", "name": form.site_question,
                       **_labels("label", None, default_label(form.site_question), langs),
                       "required": "yes"})
    for dimension, question in form.dimensions.items():
        row = {"name": question,
               **_labels("label", None, default_label(question), langs), "required": "yes"}
        if dimension in form.choices:
            lists[dimension] = form.choices[dimension]
            row["type"] = f"select_one {dimension}"
        else:
            row["type"] = "text"
        survey.append(row)
    asked = {row["name"] for row in survey}
    for indicator in collected(programme, form.id):
        row_ = _question(form, indicator, langs, lists)
        if row_ is not None and row_["name"] not in asked:
            asked.add(row_["name"])
            survey.append(row_)
    choices = [
        {"list_name": name, "name": choice.name,
         **_labels("label", choice.label, choice.name, langs)}
        for name, items in lists.items() for choice in items
    ]
    return survey, choices, langs


def _question(form: Form, indicator: Indicator, langs: list[str],
              lists: dict[str, list[Choice]]) -> dict[str, str] | None:
    collect = indicator.collect
    assert collect is not None
    qtype = question_type(collect)
    row: dict[str, str] = {"name": collect.question}
    if qtype.kind in ("select_one", "select_multiple"):
        name = list_name(indicator)
        choices = choices_for(form, indicator)
        if name is None or choices is None:
            return None  # TOC804 says why
        lists[name] = choices
        row["type"] = f"{qtype.kind} {name}"
    else:
        row["type"] = qtype.kind
    row.update(_labels("label", collect.label, first_text(indicator.name, collect.question),
                       langs))
    if collect.hint is not None:
        row.update(_labels("hint", collect.hint, "", langs))
    row["required"] = "yes" if collect.required else "no"
    return row


def version(survey: list[dict[str, str]], choices: list[dict[str, str]]) -> str:
    """A short hash of the questions and choices: the same framework, the same version."""
    text = json.dumps([survey, choices], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def form_id(programme: Programme, form: Form) -> str:
    return f"{programme.programme.id}-{form.id}".replace(".", "-")


def xlsform_bytes(programme: Programme, form: Form) -> bytes:
    """The XLSForm workbook of one form."""
    from openpyxl import Workbook

    survey, choices, langs = form_rows(programme, form)
    book = Workbook()
    sheets: list[tuple[str, list[dict[str, str]]]] = [("survey", survey), ("choices", choices)]
    settings: dict[str, str] = {
        **_labels("form_title", form.title, form.id, []),
        "form_id": form_id(programme, form),
        "version": version(survey, choices),
    }
    if langs:
        settings["default_language"] = _column(langs[0])
    sheets.append(("settings", [settings]))
    first = True
    for title, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        first = False
        assert sheet is not None
        sheet.title = title
        header: list[str] = []
        for row in rows:
            header += [key for key in row if key not in header]
        if title == "choices" and not header:
            header = ["list_name", "name", "label"]
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(key, "") for key in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def describe(programme: Programme, form: Form) -> dict[str, Any]:
    """What `toc form` reports after writing: the form id, version and questions."""
    survey, choices, langs = form_rows(programme, form)
    return {"form_id": form_id(programme, form), "version": version(survey, choices),
            "questions": [row["name"] for row in survey], "languages": langs,
            "title": text_of(form.title)}
