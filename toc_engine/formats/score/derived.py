"""What `toc score --explain` adds for an indicator collected through a form: how each
derived value was made ("38 of 100 valid answers (12 'Don't know' left out), Chakkar VDC,
sex=female, 2012-Q4").

Only aggregates are shown, never a submission. For a sensitive indicator only the totals
that safeguarding would show are listed: its site and dimension cells are in the series
lines above, suppressed where they are small.
"""

from __future__ import annotations

from pathlib import Path

from ...loading.files import display_path, resolve_inside
from ...schema.model import DataFile, Indicator, Programme
from ...schema.observations import as_list
from ...schema.submissions import first_text
from ...scoring.safeguarding import threshold

MAX_LINES = 200


def export_files(programme: Programme, base_dir: Path) -> set[str]:
    """The raw exports of the programme's `data:`, as the loader names their rows."""
    out = set()
    for entry in programme.data:
        if isinstance(entry, DataFile) and entry.form is not None:
            target = resolve_inside(base_dir, entry.file)
            if target is not None:
                out.add(display_path(target))
    return out


def derived_text(programme: Programme, base_dir: Path, target: str,
                 include_sensitive: bool = False) -> str:
    """Lines for the indicators `target` names (itself, or a result's), "" if none."""
    indicators = [i for r, i in programme.indicators() if target in (i.id, r.id)]
    exports = export_files(programme, base_dir)
    out: list[str] = []
    for indicator in indicators:
        lines = _lines(programme, indicator, exports, include_sensitive)
        if lines:
            out += [f"Derived from submissions: {indicator.id}", *lines, ""]
    return "\n".join(out) + ("\n" if out else "")


def _lines(programme: Programme, indicator: Indicator, exports: set[str],
           include_sensitive: bool) -> list[str]:
    if indicator.collect is None:
        return []
    sites = {s.id: first_text(s.name, s.id) for s in programme.sites}
    form = next((f for f in programme.forms if f.id == indicator.collect.form), None)
    labels = {
        (dimension, c.name): first_text(c.label, c.name)
        for dimension, choices in (form.choices.items() if form else ())
        for c in choices
    }
    guarded = indicator.sensitive and not include_sensitive
    limit = threshold(programme, indicator)
    rows = []
    for table in as_list(indicator.observations).tables:
        if table.file not in exports:
            continue
        for obs in table:
            if guarded and (obs.site or obs.dimensions or (obs.sample_size or 0) < limit):
                continue
            where = [sites.get(obs.site, obs.site)] if obs.site else []
            where += [f"{k}={labels.get((k, v), v)}" for k, v in sorted(obs.dimensions.items())]
            where.append(obs.period.text)
            rows.append((obs.period, obs.site or "", sorted(obs.dimensions.items()),
                         f"  {obs.note}, {', '.join(where)}"))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    lines = [r[3] for r in rows[:MAX_LINES]]
    if len(rows) > MAX_LINES:
        lines.append(f"  ... and {len(rows) - MAX_LINES} more cells (`toc export csv "
                     "--observations` lists them all)")
    if guarded:
        lines.append("  (a sensitive indicator: its site and dimension cells are not listed "
                     "here; the series above show those safeguarding allows)")
    return lines
