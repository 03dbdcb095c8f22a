"""Sites by the names data exports give them: `sites[].aliases`.

A KoboToolbox form or a spreadsheet writes a site as a label (`Laroo-Pece division`),
not as its id. An alias is matched ignoring case and outer spaces; a site's `name` is
not matched (two sites may share a name), but a cell that matches one is pointed at
the alias it needs.
"""

from __future__ import annotations

from collections.abc import Iterable


def name_key(text: str) -> str:
    """How a name is compared: case and outer spaces ignored."""
    return text.strip().casefold()


class SiteNames:
    """The ids, aliases and names of a programme's sites."""

    __slots__ = ("_alias", "_ids", "_name")

    def __init__(self, sites: Iterable[tuple[str, object, Iterable[str]]]) -> None:
        """`sites`: (id, name, aliases) of each site, in file order; a name given per
        language (a mapping) is matched in each."""
        self._ids: set[str] = set()
        self._alias: dict[str, str] = {}
        self._name: dict[str, str] = {}
        for ident, name, aliases in sites:
            self._ids.add(ident)
            for text in name.values() if isinstance(name, dict) else [name]:
                if isinstance(text, str) and text.strip():
                    self._name.setdefault(name_key(text), ident)
            for alias in aliases:
                self._alias.setdefault(name_key(alias), ident)

    @property
    def has_aliases(self) -> bool:
        return bool(self._alias)

    def resolve(self, text: str) -> str:
        """The id of the site `text` names: an id as it is, an alias as its site's id;
        anything else unchanged (the reference check reports it)."""
        if text in self._ids:
            return text
        return self._alias.get(name_key(text), text)

    def named(self, text: str) -> str | None:
        """The id of the site whose `name` is `text` (for the hint), if any."""
        return self._name.get(name_key(text))

    def spellings(self) -> dict[str, str]:
        """Every name and alias, compared as `name_key` does, to its site's id."""
        return {**self._name, **self._alias}


def alias_hint(text: str, ident: str) -> str:
    """How to make `text`, the name of site `ident`, match it."""
    return f"add '{text.strip()}' to the `aliases:` of site '{ident}', or write its id '{ident}'"


def from_data(sites: object) -> SiteNames:
    """The sites of a programme's data as loaded, before validation (malformed ones are
    skipped: the schema stage reports them)."""
    found: list[tuple[str, object, list[str]]] = []
    for site in sites if isinstance(sites, list) else []:
        if not isinstance(site, dict) or not isinstance(site.get("id"), str):
            continue
        name = site.get("name")
        aliases = site.get("aliases")
        found.append((
            site["id"],
            name,
            [a for a in aliases if isinstance(a, str)] if isinstance(aliases, list) else [],
        ))
    return SiteNames(found)
