"""Languages: one place for what cardsite knows about a language code.

A card lists its languages as BCP 47 codes (``en``, ``pt-BR``, ``zh-Hans``). Site search can
stem and segment the languages MkDocs Material's search (lunr) supports; others are still found
word by word, and ``cardsite validate`` says so.
"""

from __future__ import annotations

from collections.abc import Iterable

_SEARCH = (
    "ar da de du el en es fi fr he hi hu hy it ja jp kn ko nl no pt ro ru sa sv ta te th tr vi zh"
)
SEARCH_LANGUAGES = frozenset(_SEARCH.split(" "))
"""Language codes Material's search takes in ``plugins: search: lang``."""


def primary(code: str) -> str:
    """``pt-BR`` -> ``pt``: the language, without script or region."""
    return code.split("-", 1)[0].lower()


def search_languages(codes: Iterable[str]) -> list[str]:
    """The search languages for a site in these languages: English (the site's own words)
    first, then each supported one once, in the card's order."""
    wanted = ["en", *(primary(c) for c in codes)]
    return list(dict.fromkeys(c for c in wanted if c in SEARCH_LANGUAGES))


def unsupported_search_languages(codes: Iterable[str]) -> list[str]:
    return [c for c in codes if primary(c) not in SEARCH_LANGUAGES]
