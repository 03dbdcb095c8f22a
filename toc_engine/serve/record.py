"""Saving an observation from the form: into the file it belongs in, only if the programme
gains no error, only if no file changed since the form was loaded, and atomically.

Where it belongs: the `data:` CSV file that already holds rows of the indicator, else the
indicator's `observations:` in the programme YAML.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..findings.diagnostic import Diagnostic
from ..formats.atomic import write_atomic
from ..loading.files import display_path
from ..schema.model import Indicator, Programme
from . import csv_edit, fields_edit, yaml_edit
from .workspace import Snapshot, Workspace, analyse, content_digest
from .yaml_edit import EditRefused

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
PERIOD = re.compile(r"^[0-9][0-9A-Za-z-]*$")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
STALE = ("The programme's files changed on disk since this page was loaded (an edit in "
         "another program, or a `git pull`). Nothing was saved: reload the page and enter "
         "the value again.")


@dataclass
class Outcome:
    saved: bool
    message: str
    problems: list[str] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)
    file: str = ""


def indicator_of(programme: Programme | None, indicator: str) -> Indicator | None:
    if programme is None:
        return None
    for result in programme.results:
        for item in result.indicators:
            if item.id == indicator:
                return item
    return None


def survey_export(programme: Programme, indicator: Indicator) -> str | None:
    """The raw survey export the indicator's values are derived from, if `data:` lists one
    for its form: such values are corrected in the export, never typed in here."""
    if indicator.collect is None:
        return None
    for entry in programme.data:
        if not isinstance(entry, str) and entry.form == indicator.collect.form:
            return str(entry.file)
    return None


def survey_message(export: str) -> str:
    return (f"The values of this indicator are derived from the survey export {export}: "
            f"nothing is typed in here. To correct a value, correct the answers in the "
            f"export (or export the survey again) and reload this page.")


def _number(text: str) -> str:
    """The number as typed, without trailing zeros after the point (as YAML reads it back)."""
    if "." in text:
        text = text.rstrip("0")
        text = text + "0" if text.endswith(".") else text
    return text


def observation_from(form: dict[str, str], indicator: Indicator,
                     programme: Programme) -> tuple[dict[str, Any], list[str]]:
    """The observation the form describes, or what is wrong with the form."""
    problems: list[str] = []
    period = form.get("period", "").strip()
    value = form.get("value", "").strip()
    missing = form.get("missing", "").strip()
    site = form.get("site", "").strip()
    sample = form.get("sample_size", "").strip()
    source = form.get("source", "").strip()
    note = form.get("note", "").strip()
    if not PERIOD.match(period):
        problems.append("period: write it as 2013, 2013-Q2, 2013-H1, 2013-05 or 2013-05-31")
    if value and missing:
        problems.append("value or missing: give a value, or say why it is missing, not both")
    elif not value and not missing:
        problems.append("value: a number such as 12 or 12.5, or leave it empty and say in "
                        "'missing' why there is none (never write 0)")
    elif missing and "\n" in missing:
        problems.append("missing: one line of text")
    elif value and not NUMBER.match(value):
        problems.append("value: a number such as 12 or 12.5 (no units, no commas)")
    elif value:
        try:
            Decimal(value)
        except InvalidOperation:
            problems.append("value: a number such as 12 or 12.5")
    sites = {s.id for s in programme.sites}
    if site and site not in sites:
        problems.append(f"site: '{site}' is not one of the programme's sites")
    if sample and not (sample.isdigit() and int(sample) >= 1):
        problems.append("sample size: a whole number of at least 1, or leave it empty")
    observation: dict[str, Any] = {"period": period}
    if value:
        observation["value"] = _number(value)
    else:
        observation["missing"] = missing
    if site:
        observation["site"] = site
    dimensions = {}
    for name in indicator.disaggregate_by:
        if name == "site":
            continue
        given = form.get(f"dim_{name}", "").strip()
        if given and not SLUG.match(given):
            problems.append(f"{name}: letters, digits, - and _ only")
        elif given:
            dimensions[name] = given
    if dimensions:
        observation["dimensions"] = dimensions
    if sample:
        observation["sample_size"] = int(sample) if sample.isdigit() else sample
    if source:
        observation["source"] = source
    if note:
        observation["note"] = note
    return observation, problems


def _inside(folder: Path, entry: str) -> Path | None:
    path = (folder / entry).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        return None
    return path


def _target(workspace: Workspace, snapshot: Snapshot, indicator: str) -> Path:
    programme = snapshot.loaded.programme
    for entry in programme.data if programme is not None else []:
        if not isinstance(entry, str):
            if entry.form is not None:  # a raw survey export: its values are derived
                continue
            entry = entry.file
        path = _inside(workspace.folder, entry)
        if path is not None and csv_edit.has_rows_of(path.read_text("utf-8"), indicator):
            return path
    return workspace.path


def _edited(path: Path, indicator: str, observation: dict[str, Any]) -> tuple[str, str]:
    text = path.read_text("utf-8")
    if path.suffix.lower() == ".csv":
        return csv_edit.with_observation(text, indicator, observation)
    return yaml_edit.with_observation(text, indicator, observation)


def _new_errors(workspace: Workspace, snapshot: Snapshot, path: Path,
                text: str) -> list[Diagnostic]:
    """Errors the edited files would have that the files on disk do not."""
    with tempfile.TemporaryDirectory(prefix="toc-serve-") as scratch:
        copy = Path(scratch) / workspace.folder.name
        shutil.copytree(workspace.folder, copy, ignore=shutil.ignore_patterns(".*"))
        (copy / path.relative_to(workspace.folder)).write_text(text, "utf-8")
        _, report, _ = analyse(copy / "programme.yaml")
        before = Counter((d.code, d.data_path()) for d in snapshot.errors)
        found = []
        for d in report.diagnostics:
            key = (d.code, d.data_path())
            if d.severity.name != "ERROR":
                continue
            if before[key] > 0:
                before[key] -= 1
                continue
            found.append(_in_workspace(d, copy, workspace.folder))
        return found


def _in_workspace(finding: Diagnostic, copy: Path, folder: Path) -> Diagnostic:
    """The finding as the user's own files would show it: the scratch copy's paths, in its
    location and in its text, named as the same files of the workspace."""
    where = Path(finding.span.file)
    where = (where if where.is_absolute() else Path.cwd() / where).resolve()
    span = finding.span
    if where.is_relative_to(copy.resolve()):
        own = display_path(folder / where.relative_to(copy.resolve()))
        span = replace(span, file=own)
    prefixes = sorted({display_path(copy) + "/", str(copy) + "/",
                       display_path(copy.resolve()) + "/", str(copy.resolve()) + "/"},
                      key=len, reverse=True)

    def own_text(text: str) -> str:
        for prefix in prefixes:
            text = text.replace(prefix, display_path(folder / "_")[:-1])
        return text

    return replace(finding, span=span, message=own_text(finding.message),
                   hint=own_text(finding.hint))


def save(workspace: Workspace, snapshot: Snapshot, indicator: str, form: dict[str, str],
         digest: str) -> Outcome:
    programme = snapshot.loaded.programme
    model = indicator_of(programme, indicator)
    if model is None or programme is None:
        return Outcome(False, f"There is no indicator '{indicator}' in the programme.")
    export = survey_export(programme, model)
    if export is not None:
        return Outcome(False, "Nothing was saved. " + survey_message(export))
    if digest != snapshot.digest:
        return Outcome(False, STALE)
    observation, problems = observation_from(form, model, programme)
    if problems:
        return Outcome(False, "Nothing was saved: check the fields below.", problems)
    path = _target(workspace, snapshot, indicator)
    name = str(path.relative_to(workspace.folder))
    try:
        text, action = _edited(path, indicator, observation)
    except EditRefused as err:
        return Outcome(False, f"Nothing was saved: {err}.", file=name)
    return _write_checked(workspace, snapshot, path, text, digest,
                          f"Observation {action} in {name}.")


def _write_checked(workspace: Workspace, snapshot: Snapshot, path: Path, text: str,
                   digest: str, done: str) -> Outcome:
    """Write `text` to `path` unless it adds an error or a file changed meanwhile."""
    name = str(path.relative_to(workspace.folder))
    errors = _new_errors(workspace, snapshot, path, text)
    if errors:
        return Outcome(False, "Nothing was saved: the change would add the errors below.",
                       findings=errors, file=name)
    if content_digest(workspace.files()) != digest:
        return Outcome(False, STALE)
    write_atomic(path, text)
    return Outcome(True, done, file=name)


STATUSES = ("holds", "at_risk", "failed", "unknown")


def save_assumption(workspace: Workspace, snapshot: Snapshot, assumption: str,
                    form: dict[str, str], digest: str) -> Outcome:
    """An assumption's `status`, and a `note` saying why, in the programme YAML."""
    programme = snapshot.loaded.programme
    if programme is None or all(a.id != assumption for a in programme.assumptions):
        return Outcome(False, f"There is no assumption '{assumption}' in the programme.")
    if digest != snapshot.digest:
        return Outcome(False, STALE)
    status = form.get("status", "")
    note = form.get("note", "").strip()
    if status not in STATUSES:
        return Outcome(False, "Nothing was saved: check the fields below.",
                       [f"status: one of {', '.join(STATUSES)}"])
    values = {"status": status, **({"note": note} if note else {})}
    try:
        text = fields_edit.with_fields(workspace.path.read_text("utf-8"), "assumptions",
                                       assumption, values)
    except EditRefused as err:
        return Outcome(False, f"Nothing was saved: {err}.", file="programme.yaml")
    return _write_checked(workspace, snapshot, workspace.path, text, digest,
                          f"Assumption {assumption} set to {status}.")


def target_name(workspace: Workspace, snapshot: Snapshot, indicator: str) -> str:
    """The file a save of this indicator writes, as the form names it."""
    return str(_target(workspace, snapshot, indicator).relative_to(workspace.folder))


def save_evidence(workspace: Workspace, snapshot: Snapshot, form: dict[str, str],
                  digest: str) -> Outcome:
    """A new evidence item with its claims, appended to the programme YAML."""
    from .evidence_edit import with_evidence
    from .evidence_form import evidence_from

    programme = snapshot.loaded.programme
    if programme is None:
        return Outcome(False, "The programme has errors that stop it loading; fix them first.")
    if digest != snapshot.digest:
        return Outcome(False, STALE)
    item, problems = evidence_from(form, programme)
    if problems:
        return Outcome(False, "Nothing was saved: check the fields below.", problems)
    try:
        text = with_evidence(workspace.path.read_text("utf-8"), item)
    except EditRefused as err:
        return Outcome(False, f"Nothing was saved: {err}.", file="programme.yaml")
    return _write_checked(workspace, snapshot, workspace.path, text, digest,
                          f"Evidence {item['id']} added.")
