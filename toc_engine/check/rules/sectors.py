"""TOC109: `programme.sectors` holds OECD DAC purpose codes, with shares adding up to 100."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from ...findings.diagnostic import Diagnostic, Severity
from ...findings.examples import HEADER, VALID
from ..context import Context
from ..registry import rule

if TYPE_CHECKING:
    from ...schema.sectors import DacSector

_REST = VALID[len(HEADER):]
_HUNDRED = Decimal(100)


@rule(
    "TOC109",
    "unknown-sector",
    Severity.ERROR,
    "graph",
    HEADER + "  sectors: [15221]\n" + _REST,
    HEADER + "  sectors: [15220]\n" + _REST,
    fail_at="6:13",
)
def check_sectors(ctx: Context) -> Iterator[Diagnostic]:
    """A sector is not an OECD DAC 5-digit purpose code, or the sectors' shares do not add up.

    `programme.sectors` lists what the programme works on as OECD DAC purpose codes
    (IATI's sector vocabulary 1), which `toc export iati` writes as `<sector>`: IATI's
    standard ruleset requires one. Each code is checked against the codelist shipped with
    the engine (`toc_engine/schema/codelists/dac-sectors.csv`); a withdrawn code is
    reported too, since IATI readers no longer accept it. Community security work is
    usually 15220 (civilian peace-building, conflict prevention and resolution), with
    15210 (security system management and reform) where it works with police or courts.
    With more than one sector, each needs a `percentage`, and they add up to 100.
    """
    sectors = ctx.programme.programme.sectors
    if not sectors:
        return
    from ...schema.sectors import dac_sectors  # the codelist is read only when needed

    known = dac_sectors()
    for index, sector in enumerate(sectors):
        path = ("programme", "sectors", index)
        where = ctx.locate((*path, "code")) if isinstance(ctx.written(path), dict) else \
            ctx.locate(path)
        found = known.get(sector.code)
        if found is not None and found.active:
            continue
        if found is not None:
            message = (f"sector {sector.code} ({found.name}) was withdrawn from the OECD DAC "
                       "codelist")
        else:
            message = f"{sector.code!r} is not an OECD DAC 5-digit purpose code"
        guesses = _close_codes(sector.code, known)
        hint = ("did you mean " + " or ".join(f"{g.code} ({g.name})" for g in guesses) + "?"
                if guesses else "find the code in the OECD DAC purpose codes (IATI Sector "
                "codelist), e.g. 15220 for civilian peace-building")
        yield check_sectors(message, where, hint=hint, path=path)
    shares = [s.percentage for s in sectors]
    if len(sectors) > 1 and any(share is None for share in shares):
        yield check_sectors(
            f"{len(sectors)} sectors are listed, but not every one has a `percentage`",
            ctx.locate(("programme", "sectors")),
            hint="give each sector its share, e.g. {code: 15220, percentage: 70}, adding "
            "up to 100",
            path=("programme", "sectors"),
        )
    elif all(share is not None for share in shares):
        total = sum((share for share in shares if share is not None), Decimal(0))
        if total != _HUNDRED:
            yield check_sectors(
                f"the sectors' percentages add up to {total.normalize():f}, not 100",
                ctx.locate(("programme", "sectors")),
                hint="correct the percentages so that they add up to 100",
                path=("programme", "sectors"),
            )


def _close_codes(code: str, known: dict[str, DacSector]) -> list[DacSector]:
    """Active codes one digit away (the closest in the hierarchy first), or, for a word,
    the codes whose names hold it."""
    active = [s for s in known.values() if s.active]
    if not code.isdigit():
        word = _letters(code)
        return [s for s in active if word and word in _letters(s.name)][:3]

    def differing(other: str) -> list[int]:
        return [i for i, (a, b) in enumerate(zip(code, other, strict=True)) if a != b]

    near = [(differing(s.code), s) for s in active if len(s.code) == len(code)]
    one_away = [(d[0], s) for d, s in near if len(d) == 1]
    return [s for _, s in sorted(one_away, key=lambda pair: (-pair[0], pair[1].code))][:3]


def _letters(text: str) -> str:
    """`Peace-building` and `peacebuilding` alike."""
    return "".join(c for c in text.lower() if c.isalnum())


UNKNOWN_SECTOR = check_sectors
