"""Free text in the reader's language, and the few words the reports print themselves.

A `Text` field of the programme file is either a plain string or a mapping of
language codes to strings (`statement: {en: Women feel safer, ne: ...}`).
`pick(value, lang)` chooses what to show: the requested language, then its
base language (`ne` for `ne-NP`), then English, then the first entry written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...schema.model import Programme

DEFAULT_LANG = "en"

# Scripts the community sheet must render; the font stacks name fonts that cover them.
SCRIPT_FONTS: dict[str, str] = {
    "ne": '"Noto Sans Devanagari", "Lohit Devanagari", "Mukta", "Nirmala UI", "Mangal"',
    "hi": '"Noto Sans Devanagari", "Lohit Devanagari", "Nirmala UI", "Mangal"',
    "bn": '"Noto Sans Bengali", "Lohit Bengali", "Nirmala UI", "Vrinda", "Shonar Bangla"',
}
BASE_FONTS = '"Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif'


def font_stack(lang: str) -> str:
    """A CSS font-family list that renders `lang`'s script first, then Latin."""
    base = lang.split("-", 1)[0]
    special = SCRIPT_FONTS.get(base)
    return f"{special}, {BASE_FONTS}" if special else BASE_FONTS


def pick(value: str | Mapping[str, str] | None, lang: str = DEFAULT_LANG) -> str:
    """The text to show for `lang` ('' for None)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if not value:
        return ""
    base = lang.split("-", 1)[0]
    for key in (lang, base, DEFAULT_LANG):
        if value.get(key):
            return value[key]
    return next(iter(value.values()))


def languages(value: str | Mapping[str, str] | None) -> list[str]:
    """Languages a text is written in (empty for plain strings)."""
    if isinstance(value, Mapping):
        return sorted(value)
    return []


def _headline_texts(programme: Programme) -> Iterator[object]:
    """The texts every output shows: the title, sites, priorities, results, indicators."""
    info = programme.programme
    yield info.title
    yield info.description
    for site in programme.sites:
        yield site.name
    for priority in programme.priorities:
        yield priority.concern
    for result in programme.results:
        yield result.statement
        for indicator in result.indicators:
            yield indicator.name


def written_languages(programme: Programme) -> set[str]:
    """The languages the programme's headline texts are written in, as written."""
    found: set[str] = set()
    for text in _headline_texts(programme):
        if isinstance(text, Mapping):
            found.update(key for key, value in text.items() if value)
    return found


def usable_language(lang: str, programme: Programme) -> str | None:
    """`lang` (or its base language) if the programme has any text in it, else None.

    English is always usable: plain strings are taken as English."""
    base = lang.split("-", 1)[0]
    if base == DEFAULT_LANG:
        return lang
    written = {code.split("-", 1)[0] for code in written_languages(programme)}
    return lang if base in written else None


# The words the community sheet prints itself, per language. Keep them few and short:
# the sheet is read aloud in meetings where not everyone reads.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "What we heard, what was done, what changed",
        "priority": "Your concern",
        "done": "What was done",
        "changed": "Did it change?",
        "yes": "Yes",
        "partly": "Partly",
        "no": "Not yet",
        "unknown": "We do not know yet",
        "rank": "Rank",
        "before": "Before",
        "now": "Now",
        "goal": "Goal",
        "no_action": "Nothing has been done on this yet",
        "site": "Site",
        "as_of": "As of",
        "raised_by": "Raised by",
        "interim": "interim: the goal's date has not come yet",
    },
    "ne": {
        "title": "हामीले के सुन्यौं, के गरियो, के बदलियो",
        "priority": "तपाईंको चिन्ता",
        "done": "के गरियो",
        "changed": "के बदलियो?",
        "yes": "हो",
        "partly": "केही हदसम्म",
        "no": "अहिलेसम्म छैन",
        "unknown": "अझै थाहा छैन",
        "rank": "क्रम",
        "before": "पहिले",
        "now": "अहिले",
        "goal": "लक्ष्य",
        "no_action": "यसमा अहिलेसम्म केही गरिएको छैन",
        "site": "ठाउँ",
        "as_of": "मिति",
        "raised_by": "उठाउने",
        "interim": "अन्तरिम",
    },
    "bn": {
        "title": "আমরা কী শুনেছি, কী করা হয়েছে, কী বদলেছে",
        "priority": "আপনার উদ্বেগ",
        "done": "কী করা হয়েছে",
        "changed": "কিছু বদলেছে কি?",
        "yes": "হ্যাঁ",
        "partly": "কিছুটা",
        "no": "এখনও না",
        "unknown": "এখনও জানা নেই",
        "rank": "ক্রম",
        "before": "আগে",
        "now": "এখন",
        "goal": "লক্ষ্য",
        "no_action": "এ বিষয়ে এখনও কিছু করা হয়নি",
        "site": "এলাকা",
        "as_of": "তারিখ",
        "raised_by": "যারা তুলেছেন",
        "interim": "অন্তর্বর্তী",
    },
}


def word(key: str, lang: str) -> str:
    """One of the sheet's own words in `lang` (English when not translated)."""
    base = lang.split("-", 1)[0]
    table = WORDS.get(lang) or WORDS.get(base) or WORDS[DEFAULT_LANG]
    return table.get(key) or WORDS[DEFAULT_LANG][key]
