"""The catalogue's own pages: a home listing every family and variant, and cross-card
benchmark pages. The *reduce* step of a catalogue build: it reads the cards (each already
validated, and generated on its own), never their pages.

* ``index.md``: every variant of every card in one sortable, filterable table (name, publisher,
  family, size, kind, license, release date, number of published scores), with links;
* ``compare/index.md``: the benchmarks two or more cards report, with their settings;
* ``compare/<benchmark>.md``: per benchmark, one table per setting (shots, metric, chain of
  thought), the results of every card side by side within a setting, each linked to the card's
  table it comes from; results under another setting stand apart, labelled, never in one table
  or one sorted column (:mod:`cardsite.catalogue.match`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cardsite.card.index import CardIndex
from cardsite.card.models import Card, kind_label
from cardsite.card.values import parse
from cardsite.catalogue.match import Entry, Setting, group_results
from cardsite.pages.plan import Cell, Link, Page, category_src, rel, variant_src

COMPARE_DIR = "compare"
RESERVED_PREFIXES = frozenset({COMPARE_DIR, "assets", "search", "embed", "charts", "downloads"})
"""Folders of a catalogue site that a card's id may not take."""


@dataclass(frozen=True)
class CatalogueCard:
    card: Card
    prefix: str
    """The folder of the card's pages in the site, ending in ``/``."""


class CataloguePlanner:
    def __init__(self, cards: list[CatalogueCard], aliases: Mapping[str, str] | None = None):
        self.cards = cards
        self.indexes = {c.card.id: CardIndex(c.card) for c in cards}
        self.prefixes = {c.card.id: c.prefix for c in cards}
        self.aliases = aliases or {}

    def pages(self) -> list[Page]:
        groups = group_results(self._entries(), self.aliases)
        benchmark_pages = [self.benchmark_page(key, settings) for key, settings in groups.items()]
        pages = [self.home(), self.benchmarks_index(benchmark_pages)]
        return pages + benchmark_pages

    def _entries(self) -> list[Entry]:
        return [
            Entry(card_id, index.benchmark(r.benchmark), r.variant, r.subset, r.text)
            for card_id, index in self.indexes.items()
            for r in index.card.results
            if r.text is not None
        ]

    def home(self) -> Page:
        src = "index.md"
        rows = []
        for item in self.cards:
            card, index = item.card, self.indexes[item.card.id]
            family = card.family
            for variant in card.own_variants:
                rows.append(
                    {
                        "name": Link(variant.name, rel(src, item.prefix + variant_src(variant))),
                        "publisher": family.developer or "",
                        "family": Link(family.name, rel(src, item.prefix + "index.md")),
                        "size": variant.size or "",
                        "kind": kind_label(variant.kind),
                        "license": family.license.name if family.license else "",
                        "released": family.release_date or "",
                        "scores": index.published_count(variant.id),
                    }
                )
        families = [
            {
                "link": Link(c.card.family.name, rel(src, c.prefix + "index.md")),
                "publisher": c.card.family.developer or "",
                "variants": len(c.card.own_variants),
            }
            for c in self.cards
        ]
        return Page(
            src,
            "Model catalogue",
            "catalogue-home.md.jinja",
            "Catalogue",
            {
                "families": families,
                "rows": rows,
                "compare": rel(src, f"{COMPARE_DIR}/index.md"),
            },
        )

    def benchmarks_index(self, pages: list[Page]) -> Page:
        src = f"{COMPARE_DIR}/index.md"
        items = [
            {
                "link": Link(p.title, rel(src, p.src)),
                "cards": p.context["card_count"],
                "settings": len(p.context["settings"]),
            }
            for p in pages
        ]
        return Page(
            src,
            "Benchmarks across cards",
            "catalogue-benchmarks.md.jinja",
            "Catalogue",
            {"benchmarks": items},
        )

    def benchmark_page(self, key: str, settings: dict[Setting, list[Entry]]) -> Page:
        src = f"{COMPARE_DIR}/{key}.md"
        names: dict[str, int] = {}
        sections = []
        for setting, entries in settings.items():
            higher = all(e.benchmark.higher_is_better for e in entries)
            comparable = len({e.benchmark.higher_is_better for e in entries}) == 1
            rows = [self._row(src, e) for e in entries]
            rows.sort(key=lambda r: _sort_key(r["value"], higher))
            for e in entries:
                names[e.benchmark.name] = names.get(e.benchmark.name, 0) + 1
            sections.append(
                {
                    "label": setting.label(),
                    "rows": rows if comparable else sorted(rows, key=lambda r: r["family"].text),
                    "cards": len({e.card for e in entries}),
                    "higher_is_better": higher,
                }
            )
        title = max(names, key=lambda n: (names[n], -len(n)))
        return Page(
            src,
            title,
            "catalogue-benchmark.md.jinja",
            "Benchmarks across cards",
            {
                "sections": sections,
                "settings": [s.label() for s in settings],
                "card_count": len({e.card for es in settings.values() for e in es}),
                "index": rel(src, f"{COMPARE_DIR}/index.md"),
            },
        )

    def _row(self, src: str, entry: Entry) -> dict[str, Any]:
        index = self.indexes[entry.card]
        prefix = self.prefixes[entry.card]
        variant = index.variant(entry.variant)
        b = entry.benchmark
        table = index.table(b.table)
        return {
            "model": Link(
                variant.name, "" if variant.comparison else rel(src, prefix + variant_src(variant))
            ),
            "comparison": variant.comparison,
            "family": Link(index.card.family.name, rel(src, prefix + "index.md")),
            "value": Cell(entry.text, True),
            "subset": entry.subset,
            "name": b.label,
            "source": Link(table.title, rel(src, prefix + category_src(b.category) + f"#{b.id}")),
        }


def _sort_key(cell: Cell, higher_is_better: bool) -> tuple[int, float]:
    """Best first; values that are not one number (text, pairs) after the numbers."""
    magnitude = parse(cell.text).magnitude
    if magnitude is None:
        return (1, 0.0)
    return (0, -magnitude if higher_is_better else magnitude)
