"""A new evidence item appended to the programme YAML's `evidence:` list as a block, in
the indentation the list already uses; every other line stays. The edited text is parsed
again and must hold the old items and exactly the new one after them."""

from __future__ import annotations

from typing import Any

from ..loading.positions import PosList
from .yaml_edit import EditRefused, block_end, flow_mapping, parse_text, plain, scalar, zero_based

RAW = ("kind", "date")  # an enum word and a period: checked by the form


def _block(item: dict[str, Any], dash: int) -> list[str]:
    pad = " " * (dash + 2)
    lines = [f"{' ' * dash}- id: {scalar(item['id'])}\n"]
    for key, value in item.items():
        if key in ("id", "claims"):
            continue
        if isinstance(value, bool):
            written = "true" if value else "false"
        else:
            written = value if key in RAW else scalar(value)
        lines.append(f"{pad}{key}: {written}\n")
    if item.get("claims"):
        lines.append(f"{pad}claims:\n")
        lines += [f"{pad}  - {flow_mapping(claim)}\n" for claim in item["claims"]]
    return lines


def with_evidence(text: str, item: dict[str, Any]) -> str:
    data = parse_text(text)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    existing = data.get("evidence") if isinstance(data, dict) else None
    if existing is None and isinstance(data, dict) and "evidence" not in data:
        lines += ["\n", "evidence:\n", *_block(item, 2)]
    elif isinstance(existing, PosList) and existing:
        line, col = zero_based(existing.itempos[-1])
        dash = lines[line].rfind("-", 0, col + 1)
        if dash < 0:
            raise EditRefused("the evidence list could not be read as written; add it by hand")
        end = block_end(lines, line, dash)
        lines[end + 1:end + 1] = _block(item, dash)
    else:
        raise EditRefused("`evidence:` is empty or not a list; add the first item by hand")
    edited = "".join(lines)
    try:
        after = parse_text(edited).get("evidence")
    except EditRefused:
        raise EditRefused("the edit would break the file; nothing was written") from None
    old = [plain(e) for e in existing] if isinstance(existing, list) else []
    wanted = plain(item)
    if [plain(e) for e in after or []] != [*old, wanted]:
        raise EditRefused("the edit did not come out as intended; nothing was written")
    return edited
