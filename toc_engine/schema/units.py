"""Units of measure, through pint, resolved once per distinct unit.

pint costs 0.2 s to import and 0.15 s per registry, and 60 µs per Quantity, so
it is imported only when a programme is checked, one registry is built per set
of `units:` definitions, and each unit (or unit pair) is resolved once and
cached: a million observations cost one dictionary lookup each.

Count nouns (household, person, incident, ...) are not in pint. Each is defined
here as its own dimension, so households never add up with persons.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..findings.suggest import did_you_mean

# noun -> irregular plurals (regular "-s" plurals are handled by pint)
COUNT_NOUNS: dict[str, tuple[str, ...]] = {
    "person": ("people", "persons"),
    "woman": ("women",),
    "man": ("men",),
    "girl": (),
    "boy": (),
    "child": ("children",),
    "youth": ("youths",),
    "adult": (),
    "survivor": (),
    "respondent": (),
    "participant": (),
    "member": (),
    "officer": (),
    "household": (),
    "family": ("families",),
    "incident": (),
    "crime": (),
    "case": (),
    "complaint": (),
    "referral": (),
    "meeting": (),
    "session": (),
    "training": (),
    "event": (),
    "visit": (),
    "patrol": (),
    "school": (),
    "village": (),
    "ward": (),
    "community": ("communities",),
    "municipality": ("municipalities",),
    "site": (),
    "group": (),
    "committee": (),
    "forum": (),
    "organisation": ("organizations", "organization"),
    "plan": (),
    "policy": ("policies",),
    "analysis": ("analyses",),
    "report": (),
    "story": ("stories",),
    "action": (),
    "project": (),
    "initiative": (),
    "centre": ("center", "centers"),
    "shelter": (),
    "toilet": (),
    "computer": (),
    "weapon": (),
    "item": (),
    "place": (),
    "class": ("classes",),
}

PERSON_NOUNS = frozenset(
    {
        "person",
        "woman",
        "man",
        "girl",
        "boy",
        "child",
        "youth",
        "adult",
        "survivor",
        "respondent",
        "participant",
        "member",
        "officer",
    }
)

# Words that name one sex. An indicator whose name speaks of one sex only ("Female police
# officers", "Girls enrolled") counts people of that sex: a split by sex means nothing.
_FEMALE_WORDS = frozenset(["woman", "women", "female", "females", "girl", "girls"])
_MALE_WORDS = frozenset(["man", "men", "male", "males", "boy", "boys"])
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")  # "women-led" is one word, and not about women only


def names_one_sex(name: str | dict[str, str] | None) -> bool:
    """Whether an indicator's name (or any of its translations) speaks of women (or
    girls) only, or of men (or boys) only: "Female police officers" does, "Women and men
    who feel safe" and "Police officers" do not."""
    if isinstance(name, dict):
        return any(_one_sex(text) for text in name.values())
    return _one_sex(name) if name else False


@lru_cache(maxsize=4096)  # names repeat across a programme's indicators, not without end
def _one_sex(text: str) -> bool:
    words = set(_WORD.findall(text.lower()))
    return bool(words & _FEMALE_WORDS) != bool(words & _MALE_WORDS)


@lru_cache(maxsize=8)  # a registry is heavy; a long-running process meets many `units:` lists
def _registry(definitions: tuple[str, ...]) -> tuple[Any, tuple[tuple[int, str], ...]]:
    """A pint registry with the count nouns and the programme's own definitions."""
    import pint

    registry: Any
    try:
        registry = pint.UnitRegistry(cache_folder=":auto:")
    except Exception:  # an unwritable cache folder must not stop validation
        registry = pint.UnitRegistry()
    for noun, plurals in COUNT_NOUNS.items():
        if noun in registry:
            continue
        aliases = "".join(f" = {p}" for p in plurals)
        registry.define(f"{noun} = [{noun}] = _{aliases}")
    errors: list[tuple[int, str]] = []
    for index, definition in enumerate(definitions):
        name = definition.split("=", 1)[0].strip()
        try:
            registry.define(definition)
            registry.get_dimensionality(name)  # pint resolves lazily: force it now
        except Exception as err:  # pint raises several types for bad definitions
            message = (str(err).strip() or type(err).__name__).splitlines()[0]
            errors.append((index, message))
    return registry, tuple(errors)


_SIMPLE_DEFINITION = re.compile(
    r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*\[([A-Za-z_][A-Za-z0-9_]*)\]"
    r"((?:\s*=\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*$"
)
_PERCENT = ("%", "percent", "percentage", "per cent", "percents")


def _simple_names(definitions: tuple[str, ...]) -> set[str] | None:
    """Names (and aliases) from definitions of the form `name = [dimension] = alias ...`.

    Returns None when any definition needs pint to be understood. Most programmes
    use only built-in count nouns, percent and such simple definitions, and then
    pint (0.5 s to import and build) is never loaded.
    """
    names: set[str] = set()
    for definition in definitions:
        match = _SIMPLE_DEFINITION.match(definition)
        if not match:
            return None
        names.add(match.group(1))
        names.update(a.strip() for a in match.group(3).split("=") if a.strip() not in ("", "_"))
    return names


@lru_cache(maxsize=4096)
def _known_without_pint(definitions: tuple[str, ...]) -> frozenset[str] | None:
    names = _simple_names(definitions)
    if names is None:
        return None
    known = set(_PERCENT) | names | {n + "s" for n in names}
    for noun, plurals in COUNT_NOUNS.items():
        known.update((noun, noun + "s", *plurals))
    return frozenset(known)


class UnitTable:
    """The units one programme may use."""

    def __init__(self, definitions: list[str] | tuple[str, ...] = ()) -> None:
        self.definitions = tuple(definitions)

    @property
    def registry(self) -> Any:
        return _registry(self.definitions)[0]

    def definition_errors(self) -> tuple[tuple[int, str], ...]:
        if _known_without_pint(self.definitions) is not None:
            return ()
        return _registry(self.definitions)[1]

    def problem(self, unit: str) -> str | None:
        """None if `unit` is known; otherwise a message with a did-you-mean hint."""
        known = _known_without_pint(self.definitions)
        if known is not None and unit.strip() in known:
            return None
        return _unit_problem(self.definitions, unit.strip())

    def factor(self, from_unit: str, to_unit: str) -> Decimal | None:
        """Multiply a value in `from_unit` by this to express it in `to_unit`."""
        return conversion_factor(from_unit, to_unit, self.definitions)

    def is_percent(self, unit: str) -> bool:
        return unit.strip() in ("%", "percent", "percentage", "per cent")

    def base_noun(self, unit: str) -> str | None:
        """The count noun a unit names (persons -> person), if it is one."""
        text = unit.strip()
        if text in COUNT_NOUNS:
            return text
        for noun, plurals in COUNT_NOUNS.items():
            if text == noun + "s" or text in plurals:
                return noun
        if _known_without_pint(self.definitions) is not None:
            return None
        return _base_noun(self.definitions, text)


@lru_cache(maxsize=4096)
def _unit_problem(definitions: tuple[str, ...], unit: str) -> str | None:
    registry = _registry(definitions)[0]
    if not unit:
        return "the unit is empty"
    try:
        registry.parse_units(unit)
        return None
    except Exception:
        pass
    names = list(COUNT_NOUNS) + [d.split("=")[0].strip() for d in definitions]
    names += ["percent", "kilometre", "hour", "day", "month", "year", "dollar"]
    close = did_you_mean(unit.lower(), names)
    guess = f"did you mean '{close}'? " if close else ""
    return (
        f"unknown unit '{unit}'; {guess}declare it under `units:` "
        f"(e.g. `{unit.split()[0]} = [{unit.split()[0]}]` for a count)"
    )


@lru_cache(maxsize=4096)
def _base_noun(definitions: tuple[str, ...], unit: str) -> str | None:
    if unit in COUNT_NOUNS:
        return unit
    registry = _registry(definitions)[0]
    try:
        parsed = str(registry.parse_units(unit))
    except Exception:
        return None
    return parsed if parsed in COUNT_NOUNS else None


@lru_cache(maxsize=4096)
def conversion_factor(
    from_unit: str, to_unit: str, definitions: tuple[str, ...] = ()
) -> Decimal | None:
    """The factor from one unit to another, or None if they measure different things."""
    if from_unit.strip() == to_unit.strip():
        return Decimal(1)
    registry = _registry(tuple(definitions))[0]
    try:
        quantity = registry.Quantity(1, from_unit).to(to_unit)
    except Exception:
        return None
    return Decimal(repr(float(quantity.magnitude)))
