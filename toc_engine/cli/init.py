"""`toc init`: start a programme from a model in `models/`, never overwriting anything."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..loading.library import model_names, models_dir

SCHEMA_BASE = "https://raw.githubusercontent.com/toc-engine/toc-engine/main/docs/schema/"
_MODEL_LINE = re.compile(r"^(  model:[ \t]*)[^\s#]*", re.MULTILINE)


class InitError(ValueError):
    """The programme cannot be created as asked."""


def available_models() -> list[str]:
    return model_names()


def init_programme(model: str, directory: Path) -> Path:
    """Copy the model's text (comments and all) to DIR/programme.yaml; record the model."""
    names = available_models()
    if model not in names:
        raise InitError(f"no model '{model}'; available: {', '.join(names) or 'none'}")
    source = models_dir() / f"{model}.yaml"
    text = source.read_text(encoding="utf-8")
    # The model's modeline points into the checkout; the copy points at the published schema.
    text = text.replace("$schema=../docs/schema/", f"$schema={SCHEMA_BASE}")
    text = _record_model(text, model)
    target = directory / "programme.yaml"
    if directory.exists() and not directory.is_dir():
        raise InitError(f"'{directory}' exists and is not a folder")
    directory.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: refuse to overwrite, even if the file appears between check and write.
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise InitError(f"'{target}' already exists; choose another folder") from None
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    return target


def _record_model(text: str, model: str) -> str:
    """Set `programme.model` to the model's name, keeping the line's comment if it has one."""
    if _MODEL_LINE.search(text):
        return _MODEL_LINE.sub(lambda m: m.group(1) + model, text, count=1)
    return text.replace(
        "\nprogramme:\n", f"\nprogramme:\n  model: {model}    # the model this started from\n", 1
    )
