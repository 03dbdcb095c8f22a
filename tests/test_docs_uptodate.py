"""The generated documentation matches the code: format.md, rules.md and the JSON Schema.

When this fails, run `python tools/gen_docs.py` and commit the changed files.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
from pathlib import Path

import pytest

from toc_engine.cli import run
from toc_engine.schema.model import Programme

ROOT = Path(__file__).resolve().parent.parent
FIX = "docs are stale: run `python tools/gen_docs.py` and commit the result"


def _gen_docs():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "tools" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _gen_docs()


@pytest.mark.parametrize(
    "path", sorted(GEN.generated()), ids=lambda p: str(p.relative_to(ROOT))
)
def test_generated_file_is_up_to_date(path: Path) -> None:
    assert path.exists(), f"{path.relative_to(ROOT)} is missing; {FIX}"
    assert path.read_text(encoding="utf-8") == GEN.generated()[path](), FIX


def test_rules_md_is_what_toc_rules_prints() -> None:
    out = io.StringIO()
    assert run(["rules", "--format", "markdown"], stdout=out) == 0
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == out.getvalue(), FIX


def test_schema_is_what_toc_schema_prints() -> None:
    out = io.StringIO()
    assert run(["schema"], stdout=out) == 0
    text = (ROOT / "docs" / "schema" / "programme.schema.json").read_text(encoding="utf-8")
    assert text == out.getvalue(), FIX
    assert json.loads(text)["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_format_md_lists_every_field_of_every_model() -> None:
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    from toc_engine.formats.docs import models_in_order

    for model, _where in models_in_order():
        section = text.split(f"\n## {model.__name__}\n", 1)
        assert len(section) == 2, model.__name__
        body = section[1].split("\n## ", 1)[0]
        for name, info in model.model_fields.items():
            row = re.search(rf"^\| `{re.escape(info.alias or name)}` \|(.*)\|$", body, re.M)
            assert row, (model.__name__, name)
            description = row.group(1).rsplit("|", 1)[-1].strip()
            assert description, f"{model.__name__}.{name} has no description"
    assert "## Values over time" in text
    assert Programme.__name__ in text


def test_modelines_point_at_the_generated_schema() -> None:
    for path in [*ROOT.glob("examples/*/programme.yaml"), *ROOT.glob("models/*.yaml")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.match(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, path
        target = (path.parent / match.group(1)).resolve()
        assert target == (ROOT / "docs" / "schema" / "programme.schema.json").resolve(), path


def test_the_check_mode_of_the_script() -> None:
    assert GEN.main(["--check"]) == 0, FIX
