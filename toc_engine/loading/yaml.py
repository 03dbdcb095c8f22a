"""Fast, safe YAML 1.2 loading that remembers where every key and item came from.

Why not `YAML(typ='rt')`? Round-trip loading keeps comments but costs 5-14x a C
parse. Here libyaml (through ruamel.yaml.clib) composes the node tree in C, and
a small iterative constructor turns it into plain dicts and lists that carry
packed (line, column) positions. That keeps every later diagnostic located for
a few percent over a bare C load.

Safety properties, each reported as a finding rather than an exception:
- only the YAML 1.2 core schema is constructed; any other tag (`!!python/object`)
  is refused, never instantiated;
- alias expansion is bounded by the size of the text (no "billion laughs");
- nesting deeper than MAX_DEPTH is refused before libyaml's recursive composer
  could exhaust the C stack;
- duplicate keys are errors, as YAML requires (PyYAML silently overwrote them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..findings import files as file_rules
from ..findings.diagnostic import Diagnostic, Span
from .positions import SHIFT, PosDict, PosList, SourceMap, unpack

MAX_DEPTH = 64

# --- scalars (YAML 1.2 core schema) ----------------------------------------------------------

_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL: dict[str, Any] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    ".inf": float("inf"),
    ".Inf": float("inf"),
    ".INF": float("inf"),
    "+.inf": float("inf"),
    "+.Inf": float("inf"),
    "+.INF": float("inf"),
    "-.inf": float("-inf"),
    "-.Inf": float("-inf"),
    "-.INF": float("-inf"),
    ".nan": float("nan"),
    ".NaN": float("nan"),
    ".NAN": float("nan"),
}
_NUMERIC_START = frozenset("0123456789+-.")
_MAX_NUMBER_CHARS = 1_000
_MAX_EXPONENT = 10_000
_MISSING = object()

TAG_PREFIX = "tag:yaml.org,2002:"
_ALLOWED_SCALAR_TAGS = {"str", "int", "float", "bool", "null"}


def resolve_plain(text: str) -> Any:
    """Type an unquoted scalar by the YAML 1.2 core schema (`NO` stays a string)."""
    if not text:
        return None
    first = text[0]
    if first not in _NUMERIC_START:
        if first in "~nNtTfF":
            return _SPECIAL.get(text, text)
        return text
    if len(text) > _MAX_NUMBER_CHARS:
        return text  # int() refuses 4,300+ digits; left as text, it is reported as not a number
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        number = Decimal(text)  # an exponent past +-10,000 would overflow Decimal arithmetic
        return number if -_MAX_EXPONENT <= number.adjusted() <= _MAX_EXPONENT else text
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    return _SPECIAL.get(text, text)


class _TagError(Exception):
    def __init__(self, tag: str) -> None:
        super().__init__(tag)
        self.tag = tag


def _resolve_tagged(tag: str, text: str) -> Any:
    short = tag[len(TAG_PREFIX) :] if tag.startswith(TAG_PREFIX) else ""
    if short not in _ALLOWED_SCALAR_TAGS:
        raise _TagError(tag)
    if short == "str":
        return text
    value = resolve_plain(text)
    expected: Any = {
        "int": int,
        "float": (Decimal, float, int),
        "bool": bool,
        "null": type(None),
    }[short]
    if not isinstance(value, expected) or (short == "int" and isinstance(value, bool)):
        raise _TagError(tag)
    if short == "float" and isinstance(value, int):
        return Decimal(value)
    return value


# --- the parser ------------------------------------------------------------------------------

_PLAIN = "?p"
_OTHER = "?o"


# The markers as ruamel Tag objects, made once. ruamel's Node.__init__ wraps every plain
# string tag in a new Tag, and reading `node.tag` then formats it again (a third of the
# load time of a large file); shared Tag objects skip both, and the constructor tells them
# apart by identity (`node.ctag is _PLAIN_TAG`).
_PLAIN_TAG: Any = None
_OTHER_TAG: Any = None


def _parser_class() -> type:
    global _PLAIN_TAG, _OTHER_TAG
    from _ruamel_yaml import CParser
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.tag import Tag

    plain_tag, other_tag = Tag(suffix=_PLAIN), Tag(suffix=_OTHER)
    assert str(plain_tag) == _PLAIN and str(other_tag) == _OTHER
    _PLAIN_TAG, _OTHER_TAG = plain_tag, other_tag

    class _TaggingParser(CParser):  # type: ignore[misc]
        """libyaml's composer with tag resolution replaced by a marker.

        The marker tells the constructor which scalars were plain (to be typed
        by the 1.2 core schema) and lets explicit tags through for checking.
        """

        def resolve(self, kind: type, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode and implicit[0]:
                return plain_tag
            return other_tag

        def descend_resolver(self, *args: Any) -> None:
            return None

        def ascend_resolver(self, *args: Any) -> None:
            return None

    return _TaggingParser


_PARSER: type | None = None


def _get_parser() -> type:
    global _PARSER
    if _PARSER is None:
        _PARSER = _parser_class()
    return _PARSER


# --- nesting pre-check -----------------------------------------------------------------------

_BRACKETS = re.compile(r"[\[\]{}]")
_DEEP_INDENT = re.compile(r"^ {120,}\S", re.MULTILINE)
_DEEP_COMPACT = re.compile(r"(?:[-?] +){30,}")
_COMPACT_3 = re.compile(r"[-?] +[-?] +[-?]")  # cheap necessary condition for _DEEP_COMPACT


_OPENERS_RUN = re.compile(r"[\[{]{" + str(MAX_DEPTH // 2) + ",}")


def _may_be_deep(text: str) -> bool:
    """Cheap over-estimate of nesting; True sends the text to the exact, slower check."""
    if _DEEP_INDENT.search(text):
        return True
    if _COMPACT_3.search(text) and _DEEP_COMPACT.search(text):
        return True
    brackets = "".join(_BRACKETS.findall(text))
    for _ in range(MAX_DEPTH // 2):
        shorter = brackets.replace("[]", "").replace("{}", "")
        if shorter == brackets:
            # What is left does not pair up; a long run of openers (unclosed, or closed by
            # the wrong bracket) still drives libyaml's recursive composer deep.
            return _OPENERS_RUN.search(brackets) is not None
        brackets = shorter
    return True


def _nesting_too_deep(text: str) -> tuple[int, int] | None:
    """Walk libyaml's events (not recursive) and return where nesting passes MAX_DEPTH."""
    from ruamel.yaml.events import (
        CollectionEndEvent,
        CollectionStartEvent,
    )

    parser = _get_parser()(text)
    depth = 0
    try:
        while True:
            event = parser.get_event()
            if event is None:
                return None
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return (mark.line + 1, mark.column + 1)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            elif type(event).__name__ == "StreamEndEvent":
                return None
    finally:
        parser.dispose()


# --- construction ----------------------------------------------------------------------------


@dataclass(slots=True)
class Loaded:
    data: Any
    source: SourceMap
    diagnostics: list[Diagnostic]


def _mark_span(file: str, mark: Any) -> Span:
    if mark is None:
        return Span(file, 1, 1)
    return Span(file, int(mark.line) + 1, int(mark.column) + 1)


def _tab_finding(line_text: str, span: Span) -> Diagnostic:
    """A tab where the parser stopped: as indentation (YAML forbids it), or as the space
    after `-`, `?` or `:` (YAML allows it; this parser does not), each said as it is."""
    before = line_text[: line_text.find("\t")] if "\t" in line_text else ""
    if before.strip(" "):
        after = before.rstrip(" ")[-1:]
        return file_rules.TAB_INDENT(
            f"a tab separates '{after}' from what follows; YAML allows a tab there, but "
            "the engine's YAML parser does not",
            span,
            hint="write a space instead of the tab",
        )
    return file_rules.TAB_INDENT(
        "a tab character is used for indentation; YAML allows only spaces",
        span,
        hint="replace each tab with spaces (most editors: 'convert indentation to spaces')",
    )


def _syntax_finding(file: str, text: str, err: Exception) -> Diagnostic:
    problem = str(getattr(err, "problem", "") or err).strip()
    mark = getattr(err, "problem_mark", None)
    context = str(getattr(err, "context", "") or "").strip()
    context_mark = getattr(err, "context_mark", None)
    span = _mark_span(file, mark)
    if "cannot start any token" in problem and mark is not None:
        line_text = text.splitlines()[span.line - 1] if span.line - 1 < text.count("\n") + 1 else ""
        offending = line_text[span.col - 1 : span.col] if line_text else ""
        if offending == "\t" or "\t" in line_text[: span.col]:
            return _tab_finding(line_text, span)
    if "found a tab character" in problem:  # libyaml: "... that violates indentation"
        lines = text.splitlines()
        return _tab_finding(lines[span.line - 1] if span.line - 1 < len(lines) else "", span)
    if "another document" in problem:
        return file_rules.MULTIPLE_DOCUMENTS(
            "the file holds more than one YAML document ('---' separates documents)",
            span,
            hint="keep one programme per file: remove the second '---' and what follows, "
            "or move it to its own file",
        )
    message = problem
    hint = "check the indentation and punctuation on this line and the one before it"
    if context and context_mark is not None:
        where = _mark_span(file, context_mark)
        message = f"{problem} ({context} at line {where.line}, column {where.col})"
    elif context:
        message = f"{problem} ({context})"
    if "undefined alias" in problem:
        hint = "define the anchor (&name) before using the alias (*name), or remove the '*'"
    elif "not allowed here" in problem or "mapping values are not allowed" in problem:
        hint = "a ':' inside a value needs quotes, e.g. title: \"Phase 2: scale-up\""
    elif "expected ',' or" in problem:
        hint = "a bracket or brace is not closed; close it or put quotes around the text"
    elif "end of stream" in problem:
        hint = "a quote is not closed; add the closing quote"
    return file_rules.YAML_SYNTAX(f"YAML syntax error: {message}", span, hint=hint)


def load_yaml_text(text: str, file: str) -> Loaded:
    """Parse YAML text into plain data with positions; problems become findings."""
    empty = SourceMap(file, None)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return Loaded(
            None,
            empty,
            [
                file_rules.EMPTY_FILE(
                    "the file is empty",
                    Span(file, 1, 1),
                    hint="start from `toc init --model community-security DIR`, "
                    "or see examples/nepal/programme.yaml",
                )
            ],
        )
    if _may_be_deep(text):
        where = _nesting_too_deep_safely(text, file)
        if isinstance(where, Diagnostic):
            return Loaded(None, empty, [where])
    parser = _get_parser()(text)
    try:
        node = parser.get_single_node()
    except Exception as err:  # libyaml reports every syntax problem as an exception
        return Loaded(None, empty, [_syntax_finding(file, text, err)])
    finally:
        parser.dispose()
    if node is None or (node.tag == _PLAIN and node.value == ""):
        # no document, or only `---` with nothing after it
        return Loaded(None, empty, [file_rules.EMPTY_FILE("the file is empty", Span(file, 1, 1))])
    return _construct(node, text, file)


_ALIAS = re.compile(r"(?:^|[\s\[{,])\*[^\s,\[\]{}]")  # an alias token: *name


def _nesting_too_deep_safely(text: str, file: str) -> Diagnostic | None:
    try:
        where = _nesting_too_deep(text)
    except Exception as err:
        return _syntax_finding(file, text, err)
    if where is None:
        return None
    return file_rules.TOO_DEEP(
        f"the YAML nests more than {MAX_DEPTH} levels deep",
        Span(file, where[0], where[1]),
        hint="a programme needs a handful of levels; this looks generated or corrupted",
    )


def _construct(root: Any, text: str, file: str) -> Loaded:
    """Build PosDict/PosList data from composed nodes, iteratively (no recursion limit)."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    findings: list[Diagnostic] = []
    budget = len(text) + 10_000  # a node takes at least one character unless aliased
    count = 0

    plain_tag, other_tag = _PLAIN_TAG, _OTHER_TAG
    numeric_start = _NUMERIC_START
    special_get = _SPECIAL.get
    # Numbers, dates and periods repeat (2012-Q1, 0, 150): type each distinct text once.
    # The values are immutable (int, Decimal, float, str, None), so sharing them is safe.
    typed: dict[str, Any] = {}
    typed_get = typed.get
    missing = _MISSING
    shift = SHIFT
    offset = SHIFT + 1  # pack(line + 1, col + 1) == line * SHIFT + col + offset

    def scalar(node: Any) -> Any:
        ctag = node.ctag
        if ctag is plain_tag:
            return resolve_plain(node.value)
        if ctag is other_tag:
            return node.value
        return _resolve_tagged(str(ctag), node.value)

    def container(node: Any) -> PosDict | PosList:
        ctag = node.ctag
        if ctag is not other_tag:
            tag = str(ctag)
            if tag not in (_OTHER, TAG_PREFIX + "map", TAG_PREFIX + "seq"):
                raise _TagError(tag)
        made: PosDict | PosList = PosDict() if isinstance(node, MappingNode) else PosList()
        mark = node.start_mark
        made.start = mark.line * shift + mark.column + offset
        return made

    try:
        if isinstance(root, ScalarNode):
            value = scalar(root)
            return Loaded(value, SourceMap(file, value), findings)
        top = container(root)
        stack: list[tuple[Any, PosDict | PosList, int]] = [(root, top, 1)]
        pop = stack.pop
        push = stack.append
        while stack:
            node, target, depth = pop()
            items = node.value
            count += len(items)
            if count > budget:
                raise _BombError(node)
            if depth > MAX_DEPTH:
                raise _DepthError(node)
            if target.__class__ is PosDict:
                keypos = target.keypos
                valpos = target.valpos
                for key_node, value_node in items:
                    if key_node.__class__ is not ScalarNode:
                        mark = key_node.start_mark
                        findings.append(
                            file_rules.YAML_SYNTAX(
                                "a mapping key must be plain text, not a list or mapping",
                                Span(file, mark.line + 1, mark.column + 1),
                                hint="write the key as a word, e.g. `sites:`",
                            )
                        )
                        continue
                    key = key_node.value
                    kmark = key_node.start_mark
                    if key in target:
                        first_line, first_col = unpack(keypos[key])
                        findings.append(
                            file_rules.DUPLICATE_KEY(
                                f"key '{key}' appears twice in this mapping "
                                f"(first at line {first_line}, column {first_col})",
                                Span(file, kmark.line + 1, kmark.column + 1),
                                hint="YAML keeps only one value per key: merge the two entries "
                                "or rename one",
                            )
                        )
                        continue
                    vmark = value_node.start_mark
                    keypos[key] = kmark.line * shift + kmark.column + offset
                    valpos[key] = vmark.line * shift + vmark.column + offset
                    if value_node.__class__ is ScalarNode:
                        # scalar(), inlined: this line runs for most nodes of a file
                        raw = value_node.value
                        if value_node.ctag is not plain_tag:
                            target[key] = scalar(value_node)
                        elif raw and raw[0] not in numeric_start:
                            target[key] = raw if raw[0] not in "~nNtTfF" else special_get(raw, raw)
                        else:
                            value = typed_get(raw, missing)
                            if value is missing:
                                value = typed[raw] = resolve_plain(raw)
                            target[key] = value
                    else:
                        child = container(value_node)
                        target[key] = child
                        push((value_node, child, depth + 1))
            else:
                assert isinstance(target, PosList)
                itempos = target.itempos
                add_pos = itempos.append
                add = target.append
                for item in items:
                    mark = item.start_mark
                    add_pos(mark.line * shift + mark.column + offset)
                    if item.__class__ is ScalarNode:
                        raw = item.value
                        if item.ctag is not plain_tag:
                            add(scalar(item))
                        elif raw and raw[0] not in numeric_start:
                            add(raw if raw[0] not in "~nNtTfF" else special_get(raw, raw))
                        else:
                            value = typed_get(raw, missing)
                            if value is missing:
                                value = typed[raw] = resolve_plain(raw)
                            add(value)
                    else:
                        child = container(item)
                        add(child)
                        push((item, child, depth + 1))
    except _TagError as err:
        return Loaded(None, SourceMap(file, None), [_tag_finding(file, text, err.tag)])
    except _BombError as err:
        return Loaded(
            None,
            SourceMap(file, None),
            [
                file_rules.ALIAS_BOMB(
                    "aliases (*name) expand to far more data than the file holds",
                    _mark_span(file, err.node.start_mark),
                    hint="this is the shape of a 'billion laughs' attack; "
                    "write the values out instead of nesting aliases",
                )
            ],
        )
    except _DepthError as err:
        if _ALIAS.search(text):  # aliases can nest data deeper than the text itself
            finding = file_rules.TOO_DEEP(
                f"aliases (*name) make the data nest more than {MAX_DEPTH} levels deep",
                _mark_span(file, err.node.start_mark),
                hint="an alias inside its own anchor repeats forever; write the values "
                "out instead of using the alias",
            )
        else:
            finding = file_rules.TOO_DEEP(
                f"the YAML nests more than {MAX_DEPTH} levels deep",
                _mark_span(file, err.node.start_mark),
                hint="a programme needs a handful of levels; this looks generated or corrupted",
            )
        return Loaded(None, SourceMap(file, None), [finding])
    return Loaded(top, SourceMap(file, top), findings)


class _BombError(Exception):
    def __init__(self, node: Any) -> None:
        super().__init__("alias expansion")
        self.node = node


class _DepthError(Exception):
    def __init__(self, node: Any) -> None:
        super().__init__("depth")
        self.node = node


def _tag_finding(file: str, text: str, tag: str) -> Diagnostic:
    shown = tag.replace(TAG_PREFIX, "!!")
    # Locate the first use of the tag in the text (the node is gone by now).
    needle = shown if shown.startswith("!") else tag
    index = text.find(needle)
    if index < 0:
        index = text.find("!")
    line = text.count("\n", 0, max(index, 0)) + 1
    col = max(index, 0) - (text.rfind("\n", 0, max(index, 0)) + 1) + 1
    return file_rules.FORBIDDEN_TAG(
        f"the tag '{shown}' is not allowed; programme files are plain data",
        Span(file, line, col),
        hint="remove the tag; tags such as !!python/object could run code and are never "
        "constructed",
    )
