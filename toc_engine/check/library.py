"""Check an indicator library (`toc library check`): every entry complete and valid.

A library entry is `indicators/<theme>/<id>.yaml`. It must give every field of a
USAID Performance Indicator Reference Sheet (PIRS), its `id` must be its file name and
unique across the library, and it must pass the same rules as an indicator written in a
programme. For the latter the entry is wrapped as the only indicator of a minimal
programme and run through the ordinary pipeline; findings point at the library file's
own lines, because the wrapper's containers carry no positions of their own.

Nothing here prints: callers get a `Report`, as from `toc validate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..findings import files as file_rules
from ..findings import schema as schema_rules
from ..findings.diagnostic import Diagnostic, Report, Span
from ..loading.files import display_path, read_text
from ..loading.library import indicators_dir
from ..loading.positions import PosDict, PosList, SourceMap, pack
from ..loading.yaml import load_yaml_text
from ..schema.programme import LoadedProgramme
from ..schema.validation import validate_data
from .rules import references as reference_rules

PIRS_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "definition",
    "measure",
    "unit",
    "direction",
    "method",
    "source",
    "frequency",
    "disaggregate_by",
    "rationale",
    "limitations",
    "safeguarding",
    "references",
)
"""What every library entry fills in, at the depth of a USAID PIRS (`scale` too for ordinal).
`sensitive` must be given as well (true or false), but may of course be false."""

PROGRAMME_FIELDS: tuple[str, ...] = (
    "use",
    "chosen_by",
    "chosen_how",
    "baseline",
    "targets",
    "observations",
)
"""Fields that belong to the programme using an entry, never to the entry itself."""

NOT_FOR_LIBRARY: frozenset[str] = frozenset({"TOC314", "TOC316", "TOC501"})
"""Programme rules that do not apply to a definition: a library entry has no baseline or
targets (TOC314, TOC316) and does not say who chose it (TOC501); the programme does."""

_INDICATOR: tuple[str | int, ...] = ("results", 0, "indicators", 0)


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    """One entry of a library, as `toc library list` shows it."""

    key: str  # folder/id, what a programme writes after `use:`
    name: str
    path: Path


def entry_files(root: Path) -> list[Path]:
    """The files the engine reads as library entries: `<theme>/<id>.yaml`, sorted."""
    return sorted(root.glob("*/*.yaml"))


def list_entries(root: Path | None = None) -> list[LibraryEntry]:
    """Every entry with its `folder/id` and name (the name is read, not validated)."""
    out = []
    for path in entry_files(root or indicators_dir()):
        name = ""
        text_file = read_text(path, display_path(path))
        if text_file.text is not None:
            loaded = load_yaml_text(text_file.text, display_path(path))
            if isinstance(loaded.data, dict):
                raw = loaded.data.get("name")
                if isinstance(raw, dict):  # given per language: show the first
                    raw = next(iter(raw.values()), "")
                name = "" if raw is None else str(raw)
        out.append(LibraryEntry(f"{path.parent.name}/{path.stem}", name, path))
    return out


def check_library(root: Path | None = None) -> Report:
    """Check every entry of a library folder (the shipped one by default)."""
    root = root or indicators_dir()
    report = Report()
    first_of: dict[str, str] = {}  # id -> file that defined it first
    for path in entry_files(root):
        shown = display_path(path)
        report.files.append(shown)
        found, entry = _check_file(path, shown)
        report.extend(found)
        if entry is None:
            continue
        entry_id = entry.get("id")
        if not isinstance(entry_id, str):
            continue
        if entry_id in first_of:
            report.diagnostics.append(
                reference_rules.DUPLICATE_ID_RULE(
                    f"library entry id '{entry_id}' is also used by {first_of[entry_id]}",
                    _span(entry, shown, "id"),
                    hint="ids are unique across the whole library, so that `use: <id>` "
                    "is never ambiguous; rename one entry (and its file)",
                    path=("id",),
                )
            )
        else:
            first_of[entry_id] = shown
    report.sort()
    return report


def check_entry(path: Path) -> list[Diagnostic]:
    """Check one library file on its own (completeness, file name, the programme rules)."""
    found, _ = _check_file(path, display_path(path))
    found.sort(key=Diagnostic.sort_key)
    return found


# --- one file ----------------------------------------------------------------------------------


def _check_file(path: Path, shown: str) -> tuple[list[Diagnostic], PosDict | None]:
    text_file = read_text(path, shown)
    if text_file.text is None:
        return list(text_file.diagnostics), None
    loaded = load_yaml_text(text_file.text, shown)
    found = list(loaded.diagnostics)
    entry = loaded.data
    if not isinstance(entry, PosDict):
        if entry is not None or not found:
            found.append(
                file_rules.NOT_MAPPING(
                    "a library entry must be a mapping of fields (id: ..., name: ..., ...)",
                    Span(shown, 1, 1),
                    hint="see indicators/README.md for what an entry contains",
                )
            )
        return found, None
    found.extend(_completeness(entry, shown, path.stem))
    found.extend(_programme_rules(entry, shown))
    return found, entry


def _span(entry: PosDict, file: str, key: str | None = None, on_key: bool = False) -> Span:
    return SourceMap(file, entry).span((key,) if key else (), on_key)


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str | list | dict):
        return not (value.strip() if isinstance(value, str) else value)
    return False


def _completeness(entry: PosDict, file: str, stem: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    measure = entry.get("measure", "unit")
    required = list(PIRS_FIELDS)
    if measure == "qualitative":  # narrative only: no unit, no direction
        required = [k for k in required if k not in ("unit", "direction")]
    if measure == "ordinal":
        required.insert(required.index("direction"), "scale")
    missing = [key for key in [*required, "sensitive"] if key not in entry]
    if missing:
        out.append(
            schema_rules.MISSING_FIELD(
                "library entry is missing " + ", ".join(f"`{k}`" for k in missing)
                + " (every entry gives the full indicator reference sheet)",
                _span(entry, file),
                hint="see indicators/README.md, 'What an entry contains'"
                + (" (`sensitive:` is true or false: whether safeguarding rules apply)"
                   if "sensitive" in missing else ""),
            )
        )
    for key in required:
        if key in entry and _empty(entry[key]):
            out.append(
                schema_rules.MISSING_FIELD(
                    f"library entry leaves `{key}` empty",
                    _span(entry, file, key),
                    hint="write it out; if it does not apply, say why in a sentence "
                    "(e.g. `safeguarding: No personal data is collected.`)",
                    path=(key,),
                )
            )
    entry_id = entry.get("id")
    if isinstance(entry_id, str) and entry_id != stem:
        out.append(
            schema_rules.INVALID_VALUE(
                f"library entry id '{entry_id}' differs from its file name '{stem}.yaml'",
                _span(entry, file, "id"),
                hint=f"rename the file to '{entry_id}.yaml' or the id to '{stem}': "
                "programmes find entries by file name",
                path=("id",),
            )
        )
    adapt = entry.get("adapt")
    if isinstance(adapt, dict):
        from ..findings.suggest import did_you_mean
        from ..schema.model import Indicator

        fields = [f.alias or n for n, f in Indicator.model_fields.items()]
        for name in adapt:
            if name not in entry:
                guess = did_you_mean(str(name), fields)
                out.append(
                    schema_rules.UNKNOWN_KEY(
                        f"`adapt:` names `{name}`, which this entry does not write",
                        _span(entry, file, "adapt"),
                        hint=f"did you mean '{guess}'?" if guess else "name a field of the "
                        "entry whose text programmes must adapt (e.g. definition)",
                        path=("adapt", name),
                    )
                )
    for key in PROGRAMME_FIELDS:
        if key in entry:
            out.append(
                schema_rules.UNKNOWN_KEY(
                    f"a library entry does not carry `{key}`: it belongs to the programme "
                    "that uses the entry",
                    _span(entry, file, key, on_key=True),
                    hint=f"remove `{key}` here and set it in each programme",
                    path=(key,),
                )
            )
    return out


# --- the programme rules, run on a minimal programme around the entry ----------------------------


def _positioned_dict(items: dict[str, Any], position: int) -> PosDict:
    out = PosDict()
    out.start = position
    for key, value in items.items():
        out[key] = value
        out.keypos[key] = position
        out.valpos[key] = position
    return out


def _positioned_list(items: list[Any], position: int) -> PosList:
    out = PosList()
    out.start = position
    for item in items:
        out.append(item)
        out.itempos.append(item.start if isinstance(item, PosDict | PosList) else position)
    return out


def _wrap(entry: PosDict) -> PosDict:
    """A minimal programme whose only indicator is (a copy of) the entry."""
    here = pack(1, 1)
    indicator = PosDict()
    indicator.start = entry.start
    for key, value in entry.items():
        if key in PROGRAMME_FIELDS:
            continue  # reported by the completeness check; programme rules would add noise
        indicator[key] = value
        indicator.keypos[key] = entry.keypos[key]
        indicator.valpos[key] = entry.valpos[key]
    if "id" not in indicator:
        indicator["id"] = "library-entry"
        indicator.keypos["id"] = indicator.valpos["id"] = indicator.start
    result = _positioned_dict(
        {
            "id": "library-result",
            "level": "impact",
            "statement": "The library entry's result",
            "indicators": _positioned_list([indicator], indicator.start),
        },
        here,
    )
    return _positioned_dict(
        {
            "toc": 1,
            "programme": _positioned_dict(
                {
                    "id": "library-check",
                    "title": "Library check",
                    "period": _positioned_dict({"start": "2000-01-01", "end": "2000-12-31"}, here),
                },
                here,
            ),
            "results": _positioned_list([result], here),
        },
        here,
    )


def _programme_rules(entry: PosDict, file: str) -> list[Diagnostic]:
    from .pipeline import run_checks

    data = _wrap(entry)
    source = SourceMap(file, data)
    validated = validate_data(data, source.span)
    loaded = LoadedProgramme(
        Path(file),
        file,
        validated.programme,
        source,
        list(validated.diagnostics),
        remaps=validated.remaps,
        set_aside=validated.set_aside,
        skipped=[validated.skipped_reason] if validated.skipped_reason else [],
        data=data,
    )
    found = run_checks(loaded)
    out = []
    for diagnostic in found:
        if diagnostic.code in NOT_FOR_LIBRARY:
            continue
        path = diagnostic.path
        if path and tuple(path[: len(_INDICATOR)]) != _INDICATOR:
            continue  # about the wrapper, not the entry
        out.append(
            Diagnostic(
                diagnostic.code,
                diagnostic.symbol,
                diagnostic.severity,
                _plain(diagnostic.message),
                diagnostic.span,
                diagnostic.hint,
                tuple(path[len(_INDICATOR):]) if path else (),
            )
        )
    return out


def _plain(message: str) -> str:
    """Drop the wrapper's position from schema messages (results[0].indicators[0].x -> x)."""
    return message.replace("results[0].indicators[0].", "").replace(
        "results[0].indicators[0]", "the entry"
    )
