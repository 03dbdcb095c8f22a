"""Keys of one item of a list section (an assumption's `status` and `note`) set as a
minimal text edit: a value replaced where it stands, or a key added to the item. The
edited text is parsed again and must equal the old data with exactly those keys set."""

from __future__ import annotations

from typing import Any

from .yaml_edit import (
    EditRefused,
    block_end,
    closing_bracket,
    is_flow,
    parse_text,
    plain,
    scalar,
    zero_based,
)


def _scalar_end(line: str, col: int, flow: bool) -> int:
    """Where the one-line scalar starting at `col` ends (exclusive)."""
    first = line[col:col + 1]
    if first in ("|", ">"):
        raise EditRefused("the value is written as a block of lines; change it by hand")
    if first in ("'", '"'):
        position = col + 1
        while position < len(line):
            char = line[position]
            if first == '"' and char == "\\":
                position += 2
                continue
            if char == first:
                if first == "'" and line[position + 1:position + 2] == "'":
                    position += 2
                    continue
                return position + 1
            position += 1
        raise EditRefused("the value goes on over several lines; change it by hand")
    position = col
    while position < len(line) and line[position] != "\n":
        if line[position] == "#" and line[position - 1] in " \t":
            break
        if flow and line[position] in ",}]":
            break
        position += 1
    return len(line[:position].rstrip()) if position > col else col


def _item(data: Any, section: str, item_id: str) -> Any:
    items = data.get(section) if isinstance(data, dict) else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("id") == item_id:
            return item
    raise EditRefused(f"'{item_id}' is not written in this file's `{section}:` (it may come "
                      "from an included file); change it there by hand")


def _set_one(text: str, section: str, item_id: str, key: str, value: str) -> str:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    item = _item(parse_text(text), section, item_id)
    in_flow = is_flow(lines, item.start)
    written = scalar(value)
    if key in item and item[key] is not None:
        line, col = zero_based(item.valpos[key])
        end = _scalar_end(lines[line], col, in_flow)
        lines[line] = lines[line][:col] + written + lines[line][end:]
    elif key in item:
        raise EditRefused(f"`{key}:` is written empty; give it a value by hand first")
    elif in_flow:
        line, col = zero_based(item.start)
        end_line, end_col = closing_bracket(lines, line, col, "{")
        before = lines[end_line][:end_col].rstrip()
        lines[end_line] = before + f", {key}: {written}" + lines[end_line][end_col:]
    else:
        line, column = zero_based(item.start)
        end = block_end(lines, line, column - 1)
        lines.insert(end + 1, f"{' ' * column}{key}: {written}\n")
    return "".join(lines)


def with_fields(text: str, section: str, item_id: str, values: dict[str, str]) -> str:
    before = plain(parse_text(text))
    edited = text
    for key, value in values.items():
        edited = _set_one(edited, section, item_id, key, value)
    try:
        after = plain(parse_text(edited))
    except EditRefused:
        raise EditRefused("the edit would break the file; nothing was written") from None
    wanted = before
    item = next(i for i in wanted[section] if isinstance(i, dict) and i.get("id") == item_id)
    item.update(values)
    if after != wanted:
        raise EditRefused("the edit did not come out as intended; nothing was written")
    return edited
