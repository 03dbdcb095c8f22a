"""Write the generated documentation: docs/format.md, docs/rules.md and the JSON Schema.

    python tools/gen_docs.py           # rewrite the files
    python tools/gen_docs.py --check   # exit 1 and name the stale files, write nothing

docs/format.md comes from the pydantic models (toc_engine/schema/model.py), docs/rules.md
from the rule registry (the same text as `toc rules --format markdown`), and
docs/schema/programme.schema.json is `toc schema`, which the examples' and models'
modelines point at. tests/test_docs_uptodate.py fails when any of them is stale.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generated() -> dict[Path, Callable[[], str]]:
    from toc_engine.formats.docs import format_markdown, rules_markdown
    from toc_engine.formats.editor_schema import render

    return {
        ROOT / "docs" / "format.md": format_markdown,
        ROOT / "docs" / "rules.md": rules_markdown,
        ROOT / "docs" / "schema" / "programme.schema.json": render,
    }


def stale() -> list[Path]:
    """The generated files whose content differs from what the code generates now."""
    out = []
    for path, make in generated().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != make():
            out.append(path)
    return out


def main(argv: list[str]) -> int:
    if "--check" in argv:
        old = stale()
        for path in old:
            print(f"stale: {path.relative_to(ROOT)}")
        if old:
            print("run `python tools/gen_docs.py` and commit the result")
        return 1 if old else 0
    for path, make in generated().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        text = make()
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
