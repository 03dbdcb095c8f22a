"""Sites written as data exports write them: `sites[].aliases` (format.md, `sites`).

An alias is matched ignoring case and outer spaces, in CSV `site` cells (the row loop and
the block reader alike, where cell texts are coded) and in the `site` of YAML values; a
site's `name` is not matched, but a cell holding one is pointed at the alias it needs.
"""

from __future__ import annotations

import io

from toc_engine.schema.csvdata import Sizes, read_csv
from toc_engine.schema.sites import SiteNames

NAMES = SiteNames([
    ("laroo-pece", "Laroo-Pece division", ["Laroo-Pece division", "Laroo Pece"]),
    ("chakkar", {"en": "Chakkar VDC", "ne": "चक्कर"}, []),
])


def test_an_alias_matches_ignoring_case_and_outer_spaces() -> None:
    assert NAMES.resolve("  LAROO-PECE DIVISION ") == "laroo-pece"
    assert NAMES.resolve("laroo pece") == "laroo-pece"
    assert NAMES.resolve("laroo-pece") == "laroo-pece"
    assert NAMES.resolve("Chakkar VDC") == "Chakkar VDC"  # a name is not an alias
    assert NAMES.named(" chakkar vdc") == "chakkar"
    assert NAMES.named("चक्कर") == "chakkar"
    assert NAMES.named("Gulu") is None


def _sites(text: str, blocks: Sizes | None) -> list[str | None]:
    parsed = read_csv(io.StringIO(text, newline=""), "data.csv", blocks=blocks, sites=NAMES)
    table = parsed.tables["meetings"]
    assert table.extras is not None
    return [table.dictionary.extras[code].site for code in table.extras]


def test_csv_sites_resolve_the_same_in_blocks_and_in_the_row_loop() -> None:
    cells = ["Laroo-Pece division", " laroo pece ", "laroo-pece", "Gulu"]
    rows = "".join(f"meetings,2013-Q{i % 4 + 1},{i},{cells[i % 4]}\n" for i in range(400))
    text = "indicator,period,value,site\n" + rows
    tiny = Sizes(chunk_chars=64, start_after_chars=0, batch_rows=7)
    blocks, plain = _sites(text, tiny), _sites(text, None)
    assert blocks == plain
    assert blocks[:4] == ["laroo-pece", "laroo-pece", "laroo-pece", "Gulu"]
