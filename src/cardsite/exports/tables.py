"""Card data as tables for other tools: JSON (the whole card) and CSV (one row per result).

Every export starts from a validated :class:`~cardsite.card.models.Card` and prints published
values as the card writes them.

* **JSON** is the whole card as the models dump it, plus ``"cardsite_format": 2`` first;
  :func:`from_json` reads it back into an equal :class:`Card`.
* **CSV** has one row per result, comparison variants included, with the header
  ``variant,benchmark,category,shots,metric,language,value,table,column`` (a catalogue adds a
  leading ``family``). A cell without a score has an *empty* ``value`` (never ``0``, ``None``
  or ``nan``). Text a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return) gets a leading ``'``; plain numbers are never changed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from cardsite.card.index import CardIndex
from cardsite.card.models import Card, Result

FORMAT_VERSION = 2
FORMAT_KEY = "cardsite_format"


def to_json(card: Card) -> str:
    """The whole validated card as JSON, with ``"cardsite_format": 2`` as its first key."""
    data: dict[str, Any] = {FORMAT_KEY: FORMAT_VERSION, **card.model_dump(mode="json")}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def from_json(text: str) -> Card:
    """Read back what :func:`to_json` wrote (refusing another format version)."""
    data = json.loads(text)
    version = data.pop(FORMAT_KEY, None)
    if version != FORMAT_VERSION:
        raise ValueError(f"expected {FORMAT_KEY} {FORMAT_VERSION}, found {version!r}")
    return Card.model_validate(data)


CSV_HEADER = (
    "variant",
    "benchmark",
    "category",
    "shots",
    "metric",
    "language",
    "value",
    "table",
    "column",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")


def guard_cell(text: str) -> str:
    """Text a spreadsheet would run as a formula, made inert with a leading ``'``.

    Plain numbers (``-1.5``) and a lone ``-`` are left alone: spreadsheets read them as data.
    """
    if text.startswith(_FORMULA_START) and text != "-" and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def csv_rows(card: Card) -> list[list[str]]:
    """The CSV's rows (without header), each cell as published and guarded."""
    index = CardIndex(card)
    rows = []
    for result in card.results:
        benchmark = index.benchmark(result.benchmark)
        table = index.table(benchmark.table)
        rows.append(
            [
                guard_cell(text)
                for text in (
                    index.variant(result.variant).name,
                    benchmark.label,
                    index.category(benchmark.category).name,
                    benchmark.shots or "",
                    benchmark.metric or "",
                    language_name(index, result),
                    result.text or "",
                    table.title,
                    table.columns[result.variant],
                )
            ]
        )
    return rows


def to_csv(card: Card) -> str:
    """One row per result; ``value`` as published, empty for a cell without a score."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(card))
    return buffer.getvalue()


def catalogue_csv(cards: list[Card]) -> str:
    """Every card's rows, each with a leading ``family`` column (the family's name)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(("family", *CSV_HEADER))
    for card in cards:
        family = guard_cell(card.family.name)
        writer.writerows([family, *row] for row in csv_rows(card))
    return buffer.getvalue()


def catalogue_json(cards: list[Card]) -> str:
    """Every card, as :func:`to_json` writes one, in a list under ``cards``."""
    data = {FORMAT_KEY: FORMAT_VERSION, "cards": [c.model_dump(mode="json") for c in cards]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def language_name(index: CardIndex, result: Result) -> str:
    """The subset (language) a result is for, as the card's row label prints it; else empty."""
    if result.subset is not None:
        return result.subset
    return index.language_name(result.language) or result.language or ""
