"""Load a programme: read, parse, merge includes and library entries, validate, attach CSV data.

`load()` never raises for a problem in the user's files: everything becomes a
finding on the returned `LoadedProgramme`, and `programme` is None only when
nothing trustworthy could be built.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import Any

from ..findings import files as file_rules
from ..findings import references
from ..findings.diagnostic import Diagnostic, Severity, Span
from ..findings.schema import INVALID_ID, WRONG_TYPE
from ..findings.suggest import did_you_mean
from ..loading.csvcolumns import CsvColumns
from ..loading.files import (
    DEFAULT_MAX_BYTES,
    display_path,
    is_symlink_loop,
    open_regular,
    read_text,
    resolve_inside,
    unreadable,
    utf8_problem,
)
from ..loading.library import indicator_index
from ..loading.positions import Appended, PosDict, PosList, SourceMap, pack
from ..loading.yaml import load_yaml_text
from . import sites
from .csvdata import CsvFile, read_csv
from .csvrows import KNOWN
from .model import DataFile, Programme
from .observations import ObservationTable, as_list
from .validation import Path_, Validated, to_original, validate_data

LIST_SECTIONS = ("sites", "actors", "priorities", "assumptions", "results", "evidence", "units")


@dataclass(slots=True)
class LoadedProgramme:
    """A programme file as loaded: the typed programme (if any) and every finding so far."""

    path: Path
    file: str
    programme: Programme | None
    source: SourceMap
    diagnostics: list[Diagnostic] = field(default_factory=list)
    remaps: dict[Path_, list[int]] = field(default_factory=dict)
    set_aside: set[str] = field(default_factory=set)
    unresolved_library: set[str] = field(default_factory=set)  # indicators with a bad `use:`
    skipped: list[str] = field(default_factory=list)
    data: Any = None
    sources: list[Path] = field(default_factory=list)  # every file read: never written over
    # each CSV data file's dimension columns (neither known nor ignored, with a value in
    # some row) -> column number
    data_dimensions: dict[str, dict[str, int]] = field(default_factory=dict)

    def locate(self, path: Path_, key: bool = False) -> Span:
        """Where a path of the (validated) programme is written in the user's files."""
        return self.source.span(to_original(path, self.remaps), key)


def load(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedProgramme:
    """Load a programme file; problems are findings, never exceptions."""
    path = Path(path)
    file = display_path(path)
    loaded = _load(path, file, max_bytes)
    if loaded.programme is not None:
        _remember(loaded)
    return loaded


@dataclass(frozen=True)
class LoadRecord:
    """What a load found about the Programme it built, kept on the Programme."""

    path: Path
    file: str
    errors: list[Diagnostic]
    set_aside: set[str]
    unresolved_library: set[str]
    data_dimensions: dict[str, dict[str, int]]


def _remember(loaded: LoadedProgramme) -> None:
    programme = loaded.programme
    assert programme is not None
    programme._load_record = LoadRecord(
        loaded.path, loaded.file,
        [d for d in loaded.diagnostics if d.severity is Severity.ERROR],
        set(loaded.set_aside), set(loaded.unresolved_library), dict(loaded.data_dimensions),
    )


def as_loaded(programme: Programme) -> LoadedProgramme:
    """`programme` as the load that built it saw it (its errors, what it set aside),
    positions aside; for a Programme built in Python, just the Programme."""
    known: LoadRecord | None = programme._load_record
    if known is None:
        return LoadedProgramme(Path("<programme>"), "<programme>", programme,
                               SourceMap("<programme>", None))
    return LoadedProgramme(
        known.path, known.file, programme, SourceMap(known.file, None), list(known.errors),
        set_aside=set(known.set_aside), unresolved_library=set(known.unresolved_library),
        data_dimensions=known.data_dimensions,
    )


def _load(path: Path, file: str, max_bytes: int) -> LoadedProgramme:
    sources = [path]
    loaded_programme = _load_files(path, file, max_bytes, sources)
    loaded_programme.sources = sources
    return loaded_programme


def _load_files(path: Path, file: str, max_bytes: int, sources: list[Path]) -> LoadedProgramme:
    text_file = read_text(path, file, max_bytes)
    empty = SourceMap(file, None)
    if text_file.text is None:
        return LoadedProgramme(path, file, None, empty, text_file.diagnostics)
    loaded = load_yaml_text(text_file.text, file)
    findings = list(loaded.diagnostics)
    data = loaded.data
    if findings and data is None:
        return LoadedProgramme(path, file, None, loaded.source, findings)
    if not isinstance(data, PosDict):
        findings.append(
            file_rules.NOT_MAPPING(
                "the top level must be a mapping (toc: 1, programme: ..., results: ...), "
                f"not {'a list' if isinstance(data, list) else 'a single value'}",
                Span(file, 1, 1),
                hint="see examples/nepal/programme.yaml for the shape of a programme file",
            )
        )
        return LoadedProgramme(path, file, None, loaded.source, findings)
    source = loaded.source
    base_dir = path.parent
    _merge_includes(data, source, base_dir, max_bytes, findings, sources)
    unresolved: set[str] = set()
    _resolve_library(data, source, findings, base_dir, unresolved, sources)
    site_names = sites.from_data(data.get("sites"))
    if site_names.has_aliases:
        _resolve_site_aliases(data, site_names)
    validated: Validated = validate_data(data, source.span)
    findings.extend(_site_name_hints(validated.diagnostics, data, site_names))
    result = LoadedProgramme(
        path,
        file,
        validated.programme,
        source,
        findings,
        remaps=validated.remaps,
        set_aside=validated.set_aside,
        unresolved_library=unresolved,
        skipped=[validated.skipped_reason] if validated.skipped_reason else [],
        data=data,
        sources=sources,
    )
    if validated.programme is not None:
        _attach_csv(result, base_dir)
    return result


# --- includes --------------------------------------------------------------------------------


def _merge_includes(
    data: PosDict,
    source: SourceMap,
    base_dir: Path,
    max_bytes: int,
    findings: list[Diagnostic],
    sources: list[Path],
) -> None:
    includes = data.get("include")
    if not isinstance(includes, list):
        return
    for index, entry in enumerate(includes):
        where = source.span(("include", index))
        if not isinstance(entry, str):
            if isinstance(entry, bool) or not isinstance(entry, int | Decimal):
                continue  # the schema stage reports these; a number it would read as text
            findings.append(
                WRONG_TYPE(
                    f"`include` entry {index + 1} is the number {entry}, not a file path",
                    where,
                    hint="write the path of a YAML file relative to programme.yaml, "
                    "e.g. include: [results/outcomes.yaml]",
                    path=("include", index),
                )
            )
            continue
        target = resolve_inside(base_dir, entry)
        if target is None:
            findings.append(_refused(base_dir, entry, where))
            continue
        shown = display_path(target)
        sources.append(target)
        text_file = read_text(target, shown, max_bytes)
        if text_file.text is None:
            findings.extend(_relocate_missing(text_file.diagnostics, where, entry))
            continue
        loaded = load_yaml_text(text_file.text, shown)
        findings.extend(loaded.diagnostics)
        if loaded.data is None:
            continue
        if not isinstance(loaded.data, PosDict):
            findings.append(
                file_rules.NOT_MAPPING(
                    "an included file must be a mapping of sections (e.g. results: [...])",
                    Span(shown, 1, 1),
                )
            )
            continue
        for key, value in loaded.data.items():
            key_span = loaded.source.span((key,), key=True)
            if key in LIST_SECTIONS and isinstance(value, PosList):
                existing = data.get(key)
                if existing is None:
                    existing = PosList()
                    existing.start = value.start
                    data[key] = existing
                    data.keypos[key] = value.start
                    data.valpos[key] = value.start
                    source.origins[id(existing)] = shown
                if not isinstance(existing, PosList):
                    continue  # the schema stage reports the type of the main file's section
                for item, position in zip(value, value.itempos, strict=True):
                    existing.append(item)
                    existing.itempos.append(position)
                    source.origins[id(item)] = shown
            elif key in data:
                findings.append(
                    file_rules.DUPLICATE_KEY(
                        f"the included file sets `{key}`, which the programme file already sets",
                        key_span,
                        hint="only list sections (results, sites, evidence, ...) are combined; "
                        "set other sections in one place",
                    )
                )
            else:
                data[key] = value
                data.keypos[key] = value_start(value)
                data.valpos[key] = value_start(value)
                if isinstance(value, PosDict | PosList):
                    source.origins[id(value)] = shown


def value_start(value: Any) -> int:
    return value.start if isinstance(value, PosDict | PosList) else pack(1, 1)


def _refused(base_dir: Path, entry: str, where: Span) -> Diagnostic:
    """Why a listed path was not opened: no file name, a symbolic link loop, or it leads
    outside the folder."""
    if "\0" in entry:
        return file_rules.FILE_MISSING(
            f"{entry!r} contains a NUL character, which no file name can hold; it was not "
            "opened",
            where,
            hint="retype the path; it was probably pasted with an invisible character",
        )
    if is_symlink_loop(base_dir, entry):
        return file_rules.FILE_MISSING(
            f"'{entry}' is a symbolic link that leads back to itself (a loop); it was not opened",
            where,
            hint="replace the link with the file itself, or point it at a real file in the "
            "programme's folder",
        )
    return file_rules.PATH_OUTSIDE(
        f"'{entry}' leads outside the programme's folder; it was not opened",
        where,
        hint="keep included YAML and CSV data in the programme's folder (or below it) "
        "and write the path relative to programme.yaml",
    )


def _relocate_missing(found: list[Diagnostic], where: Span, entry: str) -> list[Diagnostic]:
    """A missing or unreadable listed file is reported where it is named."""
    out = []
    for diagnostic in found:
        if diagnostic.code == file_rules.FILE_MISSING.code:
            out.append(
                file_rules.FILE_MISSING(
                    f"'{entry}': {diagnostic.message.split(': ', 1)[-1]}",
                    where,
                    hint=diagnostic.hint,
                )
            )
        else:
            out.append(diagnostic)
    return out


# --- library entries (`use: folder/id`) ------------------------------------------------------


def _library_entry(path: Path) -> tuple[PosDict | None, list[Diagnostic]]:
    """A library entry's data, or None and why it could not be used."""
    shown = display_path(path)
    text_file = read_text(path, shown)
    if text_file.text is None:
        return None, text_file.diagnostics
    loaded = load_yaml_text(text_file.text, shown)
    if isinstance(loaded.data, PosDict):
        return loaded.data, []
    return None, loaded.diagnostics or [
        file_rules.NOT_MAPPING(
            "a library entry must be a mapping of an indicator's keys to values",
            Span(shown, 1, 1),
            hint="see the entries under indicators/ in toc-engine for the shape",
        )
    ]


def _mark_unresolved(indicator: PosDict, unresolved: set[str]) -> None:
    """An indicator whose library entry was not found: the reference is the finding.

    Its name (which the entry would have given) gets a placeholder so that the schema
    stage does not add "missing name", and the indicator checks skip it.
    """
    if isinstance(indicator.get("id"), str):
        unresolved.add(indicator["id"])
    if "name" not in indicator:
        position = indicator.valpos["use"]
        indicator["name"] = str(indicator["use"])
        indicator.keypos["name"] = position
        indicator.valpos["name"] = position


def _resolve_library(
    data: PosDict,
    source: SourceMap,
    findings: list[Diagnostic],
    base_dir: Path,
    unresolved: set[str],
    sources: list[Path],
) -> None:
    results = data.get("results")
    if not isinstance(results, list):
        return
    index: dict[str, list[Path]] | None = None
    entries: dict[Path, tuple[PosDict | None, list[Diagnostic]]] = {}  # read once per load
    for r_index, result in enumerate(results):
        indicators = result.get("indicators") if isinstance(result, dict) else None
        if not isinstance(indicators, list):
            continue
        for i_index, indicator in enumerate(indicators):
            if not isinstance(indicator, PosDict) or not isinstance(indicator.get("use"), str):
                continue
            if index is None:
                index = indicator_index(base_dir.absolute() / "indicators")
            reference = indicator["use"].strip()
            path = ("results", r_index, "indicators", i_index, "use")
            where = source.span(path)
            matches = index.get(reference, [])
            if not matches:
                guess = did_you_mean(reference, [k for k in index if "/" in k])
                findings.append(
                    references.DANGLING(
                        f"library indicator '{reference}' does not exist",
                        where,
                        hint=f"did you mean '{guess}'?" if guess else "see `indicators/` for "
                        "the library; write folder/id, e.g. perceptions/feel-safe-after-dark",
                        path=path,
                    )
                )
                _mark_unresolved(indicator, unresolved)
                continue
            if len(matches) > 1:
                options = ", ".join(f"{m.parent.name}/{m.stem}" for m in matches)
                findings.append(
                    references.AMBIGUOUS_LIBRARY(
                        f"library indicator '{reference}' is ambiguous: {options}",
                        where,
                        hint="write the folder too, e.g. " + options.split(", ")[0],
                        path=path,
                    )
                )
                _mark_unresolved(indicator, unresolved)
                continue
            local = _local_entry(base_dir, matches[0])
            if local is not None and resolve_inside(base_dir, local) is None:
                findings.append(_refused(base_dir, local, where))
                _mark_unresolved(indicator, unresolved)
                continue
            if matches[0] not in entries:
                sources.append(matches[0])
                entries[matches[0]] = _library_entry(matches[0])
            entry, problems = entries[matches[0]]
            if entry is None:
                findings.extend(_relocate_missing(problems, where, display_path(matches[0])))
                _mark_unresolved(indicator, unresolved)
                continue
            use_position = indicator.valpos["use"]
            own = set(indicator)
            for key, value in entry.items():
                if key in indicator or key == "id":
                    continue
                if isinstance(value, PosDict) and key == "adapt":
                    value = _not_rewritten(value, own)
                indicator[key] = value
                indicator.keypos[key] = use_position
                indicator.valpos[key] = use_position


def _not_rewritten(adapt: PosDict, own: set[str]) -> PosDict:
    """A library entry's `adapt:` without the fields the programme wrote itself: what is
    left is library text that reaches the programme unchanged."""
    kept = PosDict()
    kept.start = adapt.start
    for name, note in adapt.items():
        if name not in own:
            kept[name] = note
            kept.keypos[name] = adapt.keypos.get(name, adapt.start)
            kept.valpos[name] = adapt.valpos.get(name, adapt.start)
    return kept


def _local_entry(base_dir: Path, path: Path) -> str | None:
    """`path` relative to the programme's folder if it is in the programme's own library
    (which must stay inside the folder, like `include:` and `data:`), else None (the
    shipped library, which is trusted)."""
    root = base_dir.absolute()
    return str(path.relative_to(root)) if root in path.parents else None


# --- sites written by name ------------------------------------------------------------------


def _indicator_values(data: PosDict) -> Iterator[PosDict]:
    """The baseline, targets and observations of every indicator, as loaded."""
    results = data.get("results")
    for result in results if isinstance(results, list) else []:
        indicators = result.get("indicators") if isinstance(result, dict) else None
        for indicator in indicators if isinstance(indicators, list) else []:
            if not isinstance(indicator, dict):
                continue
            baseline = indicator.get("baseline")
            if isinstance(baseline, PosDict):
                yield baseline
            for key in ("targets", "observations"):
                items = indicator.get(key)
                for item in items if isinstance(items, list) else []:
                    if isinstance(item, PosDict):
                        yield item


def _resolve_site_aliases(data: PosDict, names: sites.SiteNames) -> None:
    """An indicator value's `site` written as one of a site's `aliases` becomes its id
    (in the loaded data; the file is never changed)."""
    for item in _indicator_values(data):
        site = item.get("site")
        if isinstance(site, str):
            ident = names.resolve(site)
            if ident != site:
                item["site"] = ident


def _site_name_hints(found: list[Diagnostic], data: PosDict,
                     names: sites.SiteNames) -> list[Diagnostic]:
    """A `site` that is not an id but a site's name is pointed at `aliases:` (the generic
    hint would propose an id made of the name)."""
    out = []
    for diagnostic in found:
        if diagnostic.code == INVALID_ID.code and diagnostic.path[-1:] == ("site",):
            written = _at(data, diagnostic.path)
            ident = names.named(written) if isinstance(written, str) else None
            if ident is not None:
                diagnostic = replace(
                    diagnostic,
                    message=f"site '{written}' is not an id but the name of site '{ident}'",
                    hint=sites.alias_hint(str(written), ident),
                )
        out.append(diagnostic)
    return out


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


# --- CSV observations ------------------------------------------------------------------------


def _attach_csv(loaded: LoadedProgramme, base_dir: Path) -> None:
    programme = loaded.programme
    assert programme is not None
    if not programme.data:
        return
    names = sites.SiteNames((s.id, s.name, s.aliases) for s in programme.sites)
    ignore = {column.strip().lower() for column in programme.ignore_columns}
    by_id: dict[str, tuple[int, int]] = {}
    for r_index, result in enumerate(programme.results):
        for i_index, indicator in enumerate(result.indicators):
            by_id.setdefault(indicator.id, (r_index, i_index))
    exports: list[tuple[str, Path, str, str]] = []  # (form, path, shown, as written)
    for d_index, item in enumerate(programme.data):
        entry = item.file if isinstance(item, DataFile) else item
        where = loaded.locate(("data", d_index, "file") if isinstance(item, DataFile)
                              else ("data", d_index))
        target = resolve_inside(base_dir, entry)
        if target is None:
            loaded.diagnostics.append(_refused(base_dir, entry, where))
            continue
        shown = display_path(target)
        if target.is_dir() or not target.exists():
            loaded.diagnostics.append(
                file_rules.FILE_MISSING(
                    f"'{entry}' " + ("is a folder" if target.is_dir() else "does not exist"),
                    where,
                    hint="list CSV files relative to the programme file, "
                    "e.g. data/observations.csv",
                )
            )
            continue
        loaded.sources.append(target)
        if isinstance(item, DataFile) and item.form is not None:
            exports.append((item.form, target, shown, entry))
            continue
        try:
            with open_regular(target, "r", encoding="utf-8-sig", newline="") as handle:
                parsed: CsvFile = read_csv(handle, shown, open_again=partial(
                    open_regular, target, "rb"), sites=names, ignore=ignore)
        except UnicodeDecodeError as err:
            # err.start counts from the decoder's current chunk: find the real line and column
            loaded.diagnostics.append(
                utf8_problem(target, shown)
                or file_rules.NOT_UTF8(
                    f"the CSV file is not UTF-8 ({err.reason})",
                    Span(shown, 1, 1),
                    hint="save it as 'CSV UTF-8 (comma delimited)'",
                )
            )
            continue
        except OSError as err:
            loaded.diagnostics.append(unreadable(entry, err, where))
            continue
        loaded.diagnostics.extend(parsed.diagnostics)
        used = {  # dimensions with a value in some row (read once per distinct entry)
            name
            for table in list(parsed.tables.values())[:1]
            for extras in table.dictionary.extras
            for name in extras.dimensions
        }
        loaded.data_dimensions[shown] = {
            name: column for name, column in parsed.columns.items()
            if name not in KNOWN and name not in ignore and name in used
        }
        unknown: list[tuple[int, str]] = []  # (line, indicator) of rows for no indicator
        for ident, table in parsed.tables.items():
            position = by_id.get(ident)
            if position is not None:
                _append_table(loaded, position, table, parsed.characters)
            elif ident not in loaded.set_aside:
                unknown.extend(zip(table.lines, repeat(ident)))
        for ident, line, observation in parsed.missing:
            position = by_id.get(ident)
            if position is not None:
                r_index, i_index = position
                indicator = programme.results[r_index].indicators[i_index]
                listed = as_list(indicator.observations)
                indicator.__dict__["observations"] = listed
                listed.absent.append((parsed.file, line, observation))
            elif ident not in loaded.set_aside:
                unknown.append((line, ident))
        loaded.diagnostics.extend(_unknown_indicators(sorted(unknown), parsed, list(by_id)))
    if exports:
        from .submissions import read_submissions

        submissions = read_submissions(programme, exports)
        loaded.diagnostics.extend(submissions.diagnostics)
        for derived in submissions.derived:  # located by row: an export may be XLSX
            _append_table(loaded, by_id[derived.indicator], derived.table, None)


def _append_table(
    loaded: LoadedProgramme,
    position: tuple[int, int],
    table: ObservationTable,
    columns: CsvColumns | None,
) -> None:
    """Chain one file's rows of an indicator after its observations, and locate them.

    The indicator's declared list becomes the first part of an `ObservationList`. It is
    put into the model's `__dict__` directly, as the old in-place appends left the
    model's fields-set untouched (assigning the attribute would mark it as set).
    """
    programme = loaded.programme
    assert programme is not None
    r_index, i_index = position
    indicator = programme.results[r_index].indicators[i_index]
    observations = as_list(indicator.observations)
    if observations is not indicator.observations:
        indicator.__dict__["observations"] = observations
    list_path = (
        *to_original(("results", r_index, "indicators", i_index), loaded.remaps),
        "observations",
    )
    appended = loaded.source.appended.get(list_path)
    if appended is None:
        appended = Appended(len(observations), [], {})
        loaded.source.appended[list_path] = appended
    if columns is not None:
        appended.columns.setdefault(table.file, columns)
    appended.segments.append((table.file, table.lines))
    observations.tables.append(table)


def _unknown_indicators(
    rows: list[tuple[int, str]], parsed: CsvFile, known: list[str]
) -> Iterator[Diagnostic]:
    """A finding per row (in file order) whose indicator the programme does not define."""
    guesses: dict[str, str] = {}
    for line, ident in rows:
        if ident not in guesses:
            guesses[ident] = did_you_mean(ident, known)
        guess = guesses[ident]
        yield references.UNKNOWN_INDICATOR(
            f"observation for unknown indicator '{ident}'",
            parsed.span(line, "indicator"),
            hint=f"did you mean '{guess}'?" if guess else "add the indicator to a "
            "result, or correct the id in the CSV",
        )
