"""User text made safe for where it is shown: a terminal, or an XML document.

A programme's text, a file name or a CSV cell can hold control characters (a YAML
escape such as "\\e", a newline in a file name). Printed raw, an ESC sequence drives the
terminal and a newline forges a line that looks like another finding; written raw into
XML (IATI, SVG), C0 characters make a document no parser accepts.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what is shown.
_TERMINAL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What XML 1.0 does not allow in a document, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    """`text` with every control character written as a visible escape (`\\x1b`, `\\n`)."""
    return _TERMINAL.sub(_escape, text) if _TERMINAL.search(text) else text


# What a drawing shows as a box or not at all: controls other than the line break.
_NOT_SHOWN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def for_display(text: str) -> str:
    """`text` for a label in a drawing: each control character (but the line break)
    replaced by U+FFFD, which fonts draw, where a control has no glyph at all."""
    return _NOT_SHOWN.sub("\ufffd", text) if _NOT_SHOWN.search(text) else text


_TERMINAL_LINES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def for_terminal_lines(text: str) -> str:
    """`for_terminal` for text of several lines: its line feeds stay."""
    return _TERMINAL_LINES.sub(_escape, text) if _TERMINAL_LINES.search(text) else text


def for_xml(text: str) -> str:
    """`text` with each character XML 1.0 forbids replaced by U+FFFD (the replacement
    character), so that the document parses; tab, newline and carriage return stay."""
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text
