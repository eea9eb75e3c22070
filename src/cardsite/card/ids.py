"""Ids the site reserves: anchors of its own headings, and names Windows refuses for files.

Card ids become anchors (``#mmlu``) and file names (``variants/<id>.md``); the checks keep them
clear of these, so a card id never takes a generated heading's place.
"""

from __future__ import annotations

GENERATED_ANCHORS = frozenset(
    {
        "about",
        "benchmarks",
        "charts",
        "data",
        "facts",
        "footnotes",
        "from-the-card",
        "key-facts",
        "languages",
        "license-summary",
        "links",
        "more",
        "notes",
        "related",
        "results",
        "tables",
        "training",
        "variants",
    }
)
"""Every anchor the page templates write for their own headings."""

WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(10))}
)
"""Device names Windows refuses as file names, with any extension (``con.md`` too)."""
