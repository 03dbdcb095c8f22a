"""What one `score()` call works out once and shares between indicators.

Scoring is pure: nothing is kept between calls. Within a call, indicators share their
target calendars, breakdowns repeat the same progress arithmetic, and the tables of a CSV
file share their ranked codes; `ScoringContext` holds that, is made by `engine.score`
and is passed down to whatever reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .progress import ProgressMemo
from .table_rows import TableReads
from .targets import Calendars
from .values import Factor


@dataclass
class ScoringContext:
    factor: Factor  # the programme's unit conversions
    tables: TableReads = field(default_factory=TableReads)
    calendars: Calendars = field(default_factory=Calendars)
    progress: ProgressMemo = field(default_factory=dict)
