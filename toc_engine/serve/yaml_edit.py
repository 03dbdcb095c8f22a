"""An observation written into the programme YAML as a minimal text edit.

The engine's own YAML loader (the C parser, with the line and column of every key and
item) finds where the indicator and its observations are written; the file is never
dumped again (a round trip through a YAML library can move or drop comments): the new
observation is inserted as one flow-mapping line, or an existing one-line observation is
replaced, so `git diff` shows exactly that line. The edited text is parsed again and
checked to hold exactly the intended change before anyone writes it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..loading.positions import unpack
from ..loading.yaml import load_yaml_text

PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")  # never read as a number or date
RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


class EditRefused(Exception):
    """The edit cannot be made safely; the message says what to do instead."""


def scalar(value: str | int) -> str:
    """A YAML scalar that reads back as the same text (numbers are passed as int)."""
    if isinstance(value, int):
        return str(value)
    if PLAIN.match(value) and value.lower() not in RESERVED:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def flow_mapping(observation: dict[str, Any]) -> str:
    parts = []
    for key, value in observation.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k}: {scalar(v)}" for k, v in value.items())
            parts.append(f"{key}: {{{inner}}}")
        elif key == "missing":  # free text: always quoted, so no reason reads as a number
            parts.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        elif key in ("value", "period") and isinstance(value, str):
            parts.append(f"{key}: {value}")  # checked by the form: a number, a period
        else:
            parts.append(f"{key}: {scalar(value)}")
    return "{" + ", ".join(parts) + "}"


def parse_text(text: str) -> Any:
    """The YAML text as the loader reads it, with positions; refuses text that does not parse."""
    loaded = load_yaml_text(text, "programme.yaml")
    if loaded.diagnostics:
        raise EditRefused(f"the file does not parse ({loaded.diagnostics[0].message})")
    return loaded.data


def zero_based(packed: int) -> tuple[int, int]:
    """A position of the loader (1-based) as 0-based line and column."""
    line, col = unpack(packed)
    return line - 1, col - 1


def is_flow(lines: list[str], packed: int) -> bool:
    """Whether the node at the loader's position is written in flow style ({...} or [...])."""
    line, col = zero_based(packed)
    return lines[line][col:col + 1] in ("{", "[")


def find_indicator(data: Any, indicator: str) -> Any:
    for result in (data.get("results") or []) if hasattr(data, "get") else []:
        for item in (result.get("indicators") or []) if hasattr(result, "get") else []:
            if hasattr(item, "get") and item.get("id") == indicator:
                return item
    return None


def _same(item: Any, observation: dict[str, Any]) -> bool:
    return (
        hasattr(item, "get")
        and str(item.get("period")) == str(observation["period"])
        and (item.get("site") or None) == observation.get("site")
        and {str(k): str(v) for k, v in (item.get("dimensions") or {}).items()}
        == {k: str(v) for k, v in observation.get("dimensions", {}).items()}
    )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def block_end(lines: list[str], start: int, column: int) -> int:
    """The last line of the block starting at `start`: lines indented past `column`,
    comments too (a comment at the block's own level or less belongs to what follows)."""
    last = start
    for index in range(start + 1, len(lines)):
        if not lines[index].strip():
            continue
        if _indent(lines[index]) <= column:
            if _is_content(lines[index]):
                break
            continue
        last = index
    return last


def closing_bracket(lines: list[str], line: int, col: int, opening: str) -> tuple[int, int]:
    """Line and column of the bracket closing the flow collection opened at (line, col)."""
    pairs = {"[": "]", "{": "}"}
    depth, quote = 0, ""
    for index in range(line, len(lines)):
        text = lines[index]
        start = col if index == line else 0
        position = start
        while position < len(text):
            char = text[position]
            if quote:
                if char == "\\" and quote == '"':
                    position += 1
                elif char == quote:
                    quote = ""
            elif char in "\"'" and text[start:position].rstrip()[-1:] in ("{", "[", ",", ":", ""):
                quote = char  # a quoted scalar starts a token; an apostrophe in a word does not
            elif char == "#" and (position == 0 or text[position - 1] in " \t"):
                break
            elif char in pairs:
                depth += 1
            elif char in pairs.values():
                depth -= 1
                if depth == 0:
                    if char != pairs[opening]:
                        break
                    return index, position
            position += 1
    raise EditRefused("the list or mapping could not be read as written; edit it by hand")


def with_observation(text: str, indicator: str, observation: dict[str, Any]) -> tuple[str, str]:
    """The text with the observation added (or the one for the same period, site and
    dimensions replaced), and "added" or "corrected"."""
    data = parse_text(text)
    found = find_indicator(data, indicator)
    if found is None:
        raise EditRefused(f"indicator '{indicator}' is not written in this file (it may come "
                          "from an included file); record it there by hand")
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    new = flow_mapping(observation)
    series = found.get("observations")
    if series is None:
        if "observations" in found:
            raise EditRefused("`observations:` is empty; write `observations: []` or add one")
        if is_flow(lines, found.start):
            raise EditRefused(f"indicator '{indicator}' is written on one line; add an "
                              "`observations:` list to it by hand first")
        line, column = zero_based(found.start)
        end = block_end(lines, line, column - 1)  # its keys stand at `column`
        lines[end + 1:end + 1] = [f"{' ' * column}observations:\n",
                                  f"{' ' * (column + 2)}- {new}\n"]
        action = "added"
    elif not isinstance(series, list):
        raise EditRefused("`observations:` is not a list; fix the file first")
    else:
        action = _edit_series(lines, found, series, observation, new)
    edited = "".join(lines)
    _check(edited, indicator, found, observation, action)
    return edited, action


def _edit_series(lines: list[str], found: Any, series: Any, observation: dict[str, Any],
                 new: str) -> str:
    for index, item in enumerate(series):
        if _same(item, observation):
            line, col = zero_based(series.itempos[index])
            if not is_flow(lines, series.itempos[index]):
                raise EditRefused("this observation is written over several lines; correct "
                                  f"it in the file by hand (line {line + 1})")
            end_line, end_col = closing_bracket(lines, line, col, "{")
            if end_line != line:
                raise EditRefused("this observation is written over several lines; correct "
                                  f"it in the file by hand (line {line + 1})")
            text = lines[line]
            lines[line] = text[:col] + new + text[end_col + 1:]
            return "corrected"
    if is_flow(lines, found.valpos["observations"]):
        line, col = zero_based(found.valpos["observations"])
        end_line, end_col = closing_bracket(lines, line, col, "[")
        text = lines[end_line]
        before = text[:end_col].rstrip()
        joiner = "" if before.endswith("[") else ", "
        lines[end_line] = before + joiner + new + text[end_col:]
        return "added"
    last_line, last_col = zero_based(series.itempos[-1])
    dash = lines[last_line].rfind("-", 0, last_col + 1)
    if dash < 0:
        raise EditRefused("the observations list could not be read as written; edit it by hand")
    end = block_end(lines, last_line, dash)
    lines.insert(end + 1, f"{' ' * dash}- {new}\n")
    return "added"


def plain(value: Any) -> Any:
    """Loaded YAML as plain dicts, lists and strings, to compare content before and after."""
    if hasattr(value, "items"):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return str(value)


def _check(edited: str, indicator: str, before: Any, observation: dict[str, Any],
           action: str) -> None:
    """The edited text must parse, and hold the same observations but for the one change."""
    try:
        after = find_indicator(parse_text(edited), indicator)
    except Exception as err:  # any parse error means the edit went wrong: refuse it
        raise EditRefused(f"the edit would break the file ({err}); nothing was written") from None
    old = [plain(o) for o in (before.get("observations") or [])]
    new = [plain(o) for o in (after.get("observations") or [])] if after is not None else []
    wanted = plain(observation)
    if action == "added":
        good = new[:-1] == old and new[-1:] == [wanted]
    else:
        good = len(new) == len(old) and sum(a != b for a, b in zip(old, new, strict=True)) <= 1 \
            and wanted in new
    if not good:
        raise EditRefused("the edit did not come out as intended; nothing was written")
