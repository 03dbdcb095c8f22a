"""TOC323: the names a site goes by (`sites[].aliases`) each mean one site.

An alias is how a data export writes a site (a KoboToolbox label); a `site` cell that
matches it is read as that site's id. An alias that two sites share, or that is another
site's id, would make the engine guess which site a row is about.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...findings.diagnostic import Diagnostic, Severity
from ...findings.examples import VALID
from ...schema.sites import name_key
from ..context import Context, Path_
from ..registry import rule

_SITES = """\
sites:
  - {id: laroo, name: Laroo division, aliases: [Laroo-Pece]}
  - {id: pece, name: Pece division, aliases: [%s]}
"""


@rule(
    "TOC323",
    "ambiguous-site-alias",
    Severity.ERROR,
    "graph",
    VALID + _SITES % "LAROO-PECE",
    VALID + _SITES % "Pece",
    fail_at="42:47",
)
def check_site_aliases(ctx: Context) -> Iterator[Diagnostic]:
    """An alias of a site also names another site.

    `aliases:` lists the names data exports give a site, matched ignoring case and outer
    spaces. Each must mean one site: an alias that two sites share, or that is another
    site's id, is an error at its second appearance. Give each site the labels that are
    its own (a KoboToolbox choice list has one label per site).
    """
    owner: dict[str, tuple[str, Path_]] = {}
    for s, site in enumerate(ctx.programme.sites):
        owner.setdefault(name_key(site.id), (site.id, ("sites", s, "id")))
    for s, site in enumerate(ctx.programme.sites):
        for a, alias in enumerate(site.aliases):
            path: Path_ = ("sites", s, "aliases", a)
            key = name_key(alias)
            first = owner.setdefault(key, (site.id, path))
            if first[0] == site.id:
                continue
            where = ctx.locate(first[1])
            yield AMBIGUOUS_ALIAS(
                f"alias '{alias}' of site '{site.id}' also names site '{first[0]}' "
                f"(line {where.line}): a row naming it could be either",
                ctx.locate(path),
                hint=f"keep '{alias}' on the one site it means and remove it from the other",
                path=path,
            )


AMBIGUOUS_ALIAS = check_site_aliases
