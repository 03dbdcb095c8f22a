"""TOC108: control characters in the programme's own text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ...findings.diagnostic import Diagnostic, Severity
from ...findings.examples import VALID
from ..context import Context, Path_
from ..registry import rule

# C0 and C1 controls other than tab and line ends, DEL, and the bidirectional overrides.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
_SECTIONS = ("sites", "actors", "priorities", "assumptions", "results", "evidence")


def _texts(item: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Each text field of one item (a language's text too), with its path."""
    for name in type(item).model_fields:
        value = getattr(item, name)
        if isinstance(value, str):
            yield (*path, name), value
        elif isinstance(value, dict):
            for lang, text in value.items():
                if isinstance(text, str):
                    yield (*path, name, lang), text


def _items(ctx: Context) -> Iterator[tuple[Any, Path_]]:
    programme = ctx.programme
    yield programme.programme, ("programme",)
    for section in _SECTIONS:
        for index, item in enumerate(getattr(programme, section)):
            yield item, (section, index)
            if section == "results":
                for i_index, indicator in enumerate(item.indicators):
                    yield indicator, (section, index, "indicators", i_index)


def _shown(char: str) -> str:
    code = ord(char)
    return f"U+{code:04X}"


@rule(
    "TOC108",
    "control-character",
    Severity.WARNING,
    "graph",
    VALID.replace("statement: People in the village feel safe",
                  'statement: "People in the village feel safe\\e[2J"'),
    VALID,
    fail_at="26:16",
)
def check_control_characters(ctx: Context) -> Iterator[Diagnostic]:
    """A name, statement or other text holds a control character.

    Control characters (such as ESC, BEL or the bidirectional overrides) are invisible
    where text is read, can rewrite a terminal's screen when printed, and are not allowed
    in XML, so the IATI export and drawings would have to drop them. They usually arrive
    pasted from another program or through a double-quoted YAML escape such as `\\e`.
    Tabs and line breaks are fine. Outputs never carry them: terminal text shows them
    as escapes (`\\x1b`), XML and HTML documents as U+FFFD.
    """
    for item, path in _items(ctx):
        for where, text in _texts(item, path):
            found = _CONTROL.search(text)
            if found:
                yield check_control_characters(
                    f"the text at `{'.'.join(map(str, where))}` holds the control character "
                    f"{_shown(found.group())} at character {found.start() + 1}",
                    ctx.locate(where),
                    hint="retype the text, or delete the invisible character (in a "
                    "double-quoted YAML string, an escape such as \\e or \\x07)",
                    path=where,
                )


CONTROL_CHARACTER = check_control_characters
