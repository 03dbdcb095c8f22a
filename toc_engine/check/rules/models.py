"""TOC502, TOC504: a programme compared with the theory-of-change model it names.

`programme.model: community-security` records the model in `models/` a programme
started from (`toc init` writes it). The programme is expected to depart from its
model, so the differences are information for the design review, not errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ...findings.diagnostic import Diagnostic, Severity
from ...findings.examples import VALID
from ...findings.suggest import did_you_mean
from ..context import Context, Path_
from ..registry import rule

INFO, WARNING = Severity.INFO, Severity.WARNING

_PERIOD_LINE = "  period: {start: 2012-01-01, end: 2013-12-31}\n"


def _naming(model: str, text: str = VALID) -> str:
    return text.replace(_PERIOD_LINE, f"{_PERIOD_LINE}  model: {model}\n", 1)


# A programme that has everything its (organisation's own) model has: the model file is a
# programme itself, kept in a `models/` folder beside the programme.
_COMPLETE = {
    "programme.yaml": _naming("village-meetings"),
    "models/village-meetings.yaml": _naming("village-meetings"),
}


@dataclass(frozen=True, slots=True)
class ModelResult:
    id: str
    level: str
    statement: str
    uses: frozenset[str]  # library entries its indicators use, by id (folder dropped)


@dataclass(frozen=True, slots=True)
class Model:
    name: str
    file: str
    results: tuple[ModelResult, ...]
    assumptions: tuple[tuple[str, str], ...]  # (id, statement)


def model_path(name: str, programme_dir: Path) -> Path | None:
    """A model by name: an organisation's own `models/` beside the programme, then the shipped
    ones."""
    from ...loading.library import models_dir

    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    for folder in (programme_dir / "models", models_dir()):
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    return None


def available_models(programme_dir: Path) -> list[str]:
    from ...loading.library import models_dir

    names = {p.stem for folder in (programme_dir / "models", models_dir())
             if folder.is_dir() for p in folder.glob("*.yaml")}
    return sorted(names)


def _text(value: Any) -> str:
    if isinstance(value, dict):  # given per language: the first one
        value = next(iter(value.values()), "")
    return " ".join(str(value).split()) if value is not None else ""


def _stem(reference: str) -> str:
    return reference.strip().rsplit("/", 1)[-1]


def read_model(path: Path) -> Model | None:
    """The parts of a model that a programme is compared on; None if it cannot be read."""
    stat = path.stat()
    return _read_model(path.resolve(), stat.st_mtime_ns, stat.st_size)


@cache
def _read_model(path: Path, _mtime: int, _size: int) -> Model | None:
    from ...loading.files import display_path, read_text
    from ...loading.yaml import load_yaml_text

    shown = display_path(path)
    text_file = read_text(path, shown)
    if text_file.text is None:
        return None
    data = load_yaml_text(text_file.text, shown).data
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        return None
    results = []
    for item in data["results"]:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        indicators = item.get("indicators")
        uses = frozenset(
            _stem(i["use"])
            for i in (indicators if isinstance(indicators, list) else [])
            if isinstance(i, dict) and isinstance(i.get("use"), str)
        )
        results.append(
            ModelResult(item["id"], _text(item.get("level")), _text(item.get("statement")), uses)
        )
    assumptions = tuple(
        (a["id"], _text(a.get("statement")))
        for a in (data.get("assumptions") or [])
        if isinstance(a, dict) and isinstance(a.get("id"), str)
    )
    return Model(path.stem, shown, tuple(results), assumptions)


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _model_of(ctx: Context) -> tuple[str, Path | None]:
    name = (ctx.programme.programme.model or "").strip()
    if not name:
        return "", None
    return name, model_path(name, ctx.loaded.path.parent)


@rule(
    "TOC502",
    "model-gap",
    INFO,
    "design",
    _naming("community-security"),
    _COMPLETE,
    fail_at="6:10",
)
def check_model_gaps(ctx: Context) -> Iterator[Diagnostic]:
    """The programme leaves out a result, assumption or library indicator of its model.

    A programme that names its model (`programme.model: community-security`, as
    `toc init` writes it) is compared with that model in `models/` (or in a `models/`
    folder beside the programme, for an organisation's own models). Each result of the
    model with no counterpart in the programme (no result with the same id, and none
    using any of the same library indicators), each model assumption the programme does
    not state, and each library indicator (`use:`) of a matched result that the programme
    does not use gives one finding, placed at `programme.model`.

    Leaving parts of a model out is often right: a model is a starting point. The
    findings are information for the design review, so that omissions are decisions
    rather than accidents. Ignore the rule with a reason (`lint: ignore:`) once reviewed.
    """
    name, path = _model_of(ctx)
    if path is None:
        return
    model = read_model(path)
    if model is None:
        return
    where = ctx.locate(("programme", "model"))
    at: Path_ = ("programme", "model")
    programme = ctx.programme
    result_ids = {r.id for r in programme.results}
    used = {
        _stem(indicator.use) for _r, indicator in programme.indicators() if indicator.use
    }
    stated = {a.id for a in programme.assumptions}
    hint = "add it if it applies; if leaving it out is a decision, waive TOC502 with a reason"
    for result in model.results:
        matched = result.id in result_ids or bool(result.uses & used)
        if not matched:
            indicators = (
                "; its library indicators: " + ", ".join(sorted(result.uses)) if result.uses else ""
            )
            yield MODEL_GAP(
                f"model '{name}' has the {result.level or 'result'} '{result.id}' "
                f"({_short(result.statement)}), which the programme does not have{indicators}",
                where,
                hint=hint,
                path=at,
            )
            continue
        for use in sorted(result.uses - used):
            yield MODEL_GAP(
                f"model '{name}' measures '{result.id}' with the library indicator '{use}', "
                "which the programme does not use",
                where,
                hint=hint,
                path=at,
            )
    for assumption_id, statement in model.assumptions:
        if assumption_id not in stated:
            yield MODEL_GAP(
                f"model '{name}' assumes '{assumption_id}' ({_short(statement)}), "
                "which the programme does not state",
                where,
                hint=hint,
                path=at,
            )


MODEL_GAP = check_model_gaps


@rule(
    "TOC504",
    "unknown-model",
    WARNING,
    "design",
    _naming("comunity-security"),
    _COMPLETE,
    fail_at="6:10",
)
def check_model_known(ctx: Context) -> Iterator[Diagnostic]:
    """`programme.model` names a model that does not exist.

    The model is looked up in a `models/` folder beside the programme, then among the
    models shipped with the engine (`toc init --list`). A misspelt name means the
    programme is never compared with its model (TOC502), so the gaps go unseen.
    """
    name, path = _model_of(ctx)
    if not name:
        return
    where = ctx.locate(("programme", "model"))
    if path is None:
        names = available_models(ctx.loaded.path.parent)
        guess = did_you_mean(name, names)
        yield UNKNOWN_MODEL(
            f"there is no model '{name}'",
            where,
            hint=(f"did you mean '{guess}'? " if guess else "")
            + f"available: {', '.join(names) or 'none'}",
            path=("programme", "model"),
        )
    elif read_model(path) is None:
        yield UNKNOWN_MODEL(
            f"the model '{name}' ({path.name}) cannot be read as a programme with results",
            where,
            hint="run `toc validate` on the model file",
            path=("programme", "model"),
        )


UNKNOWN_MODEL = check_model_known
