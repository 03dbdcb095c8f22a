"""The OECD DAC 5-digit purpose codes (IATI's Sector codelist, vocabulary 1), shipped with
the engine in `codelists/dac-sectors.csv`, so that checking a programme's `sectors` needs
no network."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class DacSector:
    code: str
    name: str
    active: bool


def dac_sectors() -> dict[str, DacSector]:
    """Every code of the shipped codelist, withdrawn ones included (so a message can say so)."""
    text = resources.files(__package__).joinpath("codelists", "dac-sectors.csv").read_text(
        encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["code"]: DacSector(row["code"], row["name"], row["status"] == "active")
            for row in rows}
