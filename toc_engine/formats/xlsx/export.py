"""`toc export xlsx`: the scored framework as a workbook a donor or a programme manager
opens without help.

Sheets: Logframe (EU or FCDO layout), Indicators, Links, Evidence, About. The same input
gives the same bytes: the document's dates are the assessment date and every member of
the zip carries one fixed timestamp."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook

from ... import __version__
from ..report.inputs import Prepared
from ..score.json import to_json
from . import logframe_sheet, tables
from .cells import DATE, fit_columns, header, put
from .frame import build
from .layouts import EU, LAYOUT_NAMES

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
INTERIM_NOTE = (
    "{count} of {total} result(s) are interim: judged only against targets that have not "
    "fallen due by the assessment date ({ids}). An interim band is progress so far, not a "
    "final rating; below B the result is in progress, not failed, and its links are "
    "untested until its targets fall due (scoring.md §7)."
)
NO_INTERIM = "None: every banded result was judged against targets that had fallen due."


def _interim(data: dict[str, Any]) -> str:
    """What the About sheet says of interim results: which, and what interim means."""
    ids = [r["id"] for r in data["results"] if r["delivery"].get("interim")]
    if not ids:
        return NO_INTERIM
    shown = ", ".join(ids[:10]) + (" …" if len(ids) > 10 else "")
    return INTERIM_NOTE.format(count=len(ids), total=len(data["results"]), ids=shown)


def _about(sheet: Any, data: dict[str, Any], layout: str, assessed: date) -> None:
    header(sheet, 1, ["Item", "Value"])
    safe = data["safeguarding"]
    rows: list[tuple[str, Any]] = [
        ("Programme", data["programme"]["title"]),
        ("Programme id", data["programme"]["id"]),
        ("Assessed at", assessed),
        ("Scale", data["programme"]["scale"]),
        ("Logframe layout", LAYOUT_NAMES[layout]),
        ("Engine", f"toc-engine {__version__}"),
        ("Score format", f"toc score --format json, schema {data['schema_version']}"),
        ("Sensitive evidence", "included (handle this file accordingly)"
         if safe["include_sensitive"] else
         f"{safe['withheld_items']} item(s) withheld; pass --include-sensitive to show them"),
        ("Small cells suppressed", safe["suppressed_cells"]),
        ("Interim results", _interim(data)),
    ]
    for level in data["rollup"]["levels"]:
        interim = f", {level['interim']} interim" if level.get("interim") else ""
        rows.append((f"Roll-up: {level['level']}", f"{level['band_label']} "
                     f"({level['banded']} of {level['results']} result(s) banded{interim})"))
    rows += [("Roll-up note", data["rollup"]["note"])]
    rows += [("Note", note) for note in data.get("notes", [])]
    for line, (name, value) in enumerate(rows, start=2):
        put(sheet, line, 1, name, bold=True)
        put(sheet, line, 2, value, fmt=DATE if isinstance(value, date) else None)
    fit_columns(sheet, {2: 80})


def _fixed(raw: bytes, stamp: datetime) -> bytes:
    """The workbook's zip again, every member with the same timestamp, and the document's
    modified date (which openpyxl sets to the clock when saving) set to `stamp`."""
    modified = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = modified.sub(rb"\g<1>" + when + rb"\g<2>", content)
            target.writestr(info, content)
    return out.getvalue()


def workbook_bytes(prepared: Prepared, layout: str = EU, lang: str = "en") -> bytes:
    data = to_json(prepared.score)
    rows = build(prepared.programme, data, lang)
    assessed = prepared.programme.programme.as_of
    book = Workbook()
    sheet = book.active
    sheet.title = "Logframe"
    heading = f"{data['programme']['title']}: logframe, scored as of {assessed.isoformat()}"
    (logframe_sheet.fcdo if layout == "fcdo" else logframe_sheet.eu)(sheet, heading, rows)
    tables.indicators(book.create_sheet("Indicators"), rows)
    tables.links(book.create_sheet("Links"), data)
    tables.evidence(book.create_sheet("Evidence"), data)
    _about(book.create_sheet("About"), data, layout, assessed)
    stamp = datetime(assessed.year, assessed.month, assessed.day)
    book.properties.created = stamp
    book.properties.creator = "toc-engine"
    book.properties.lastModifiedBy = None
    book.properties.title = str(data["programme"]["title"])
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed(buffer.getvalue(), stamp)
