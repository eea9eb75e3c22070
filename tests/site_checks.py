"""Checks of a built hosted site against its card, shared by the Llama 3.1 site tests and the
tests of every card in data/ (tests/test_cards.py).

Each reads the built HTML (not the generated Markdown) and compares with the card's own data:
every score cell in its row on its category page and on its variant page, every prose block on
its page, and nothing printed that should not be (None, nan, a visible Markdown escape, a
heading with nothing under it).
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from markdown_it import MarkdownIt

from cardsite.card.index import CardIndex, missing_mark
from cardsite.card.models import KNOWN_PAGES, Card, Result

CSV_HEADER = [
    "variant",
    "benchmark",
    "category",
    "shots",
    "metric",
    "language",
    "value",
    "table",
    "column",
]
"""The CSV export's header, exactly as INTERFACE.md fixes it (a catalogue adds ``family``)."""

PAGE_URLS = {"overview": "", "benchmarks": "compare"}
COMMONMARK = MarkdownIt("commonmark", {"html": True}).enable("table")
"""Card prose is CommonMark (with tables); read here on its own to find its blocks."""
VISIBLE_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()#+!|.\-]")
NOTHING = {"None", "nan", "NaN", "null", "undefined"}


@cache
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(site: Path, url: str) -> BeautifulSoup:
    return soup(site / url / "index.html" if url else site / "index.html")


def visible_text(element: Tag) -> str:
    """Text a sighted reader sees: without screen-reader-only explanations and permalinks."""
    clone = copy.copy(element)
    for hidden in clone.select(".cs-sr, a.headerlink"):
        hidden.decompose()
    return clone.get_text(" ", strip=True)


def cell_texts(row: Tag) -> list[str]:
    return [visible_text(c) for c in row.find_all(["td", "th"])]


def table_after(doc: BeautifulSoup | Tag, anchor: str) -> Tag:
    """The first table after the element with id ``anchor``."""
    heading = doc.find(id=anchor)
    assert heading is not None, f"no element with id {anchor!r}"
    table = heading.find_next("table")
    assert table is not None
    return table


def rows_by_first_cell(table: Tag) -> dict[str, list[str]]:
    return {cells[0]: cells for row in table.find_all("tr") if (cells := cell_texts(row))}


def expected_text(result: Result | None) -> str:
    if result is None:
        return missing_mark(None)
    return result.text if result.text is not None else missing_mark(result.missing)


def check_category_pages(site: Path, card: Card) -> int:
    """Every cell of every results row, in its row and column on its category page; returns
    the number of published scores checked."""
    index = CardIndex(card)
    checked = 0
    for b in card.benchmarks:
        doc = page(site, f"benchmarks/{b.category}")
        table = index.table(b.table)
        rows = rows_by_first_cell(table_after(doc, b.id))
        for result in index.results_for(benchmark=b.id):
            label = table.columns[result.variant]
            if b.subsets:
                header = next(
                    cells for cells in rows.values() if cells[0] in {"Language", "Subset"}
                )
                column = header.index(label)
                cell = rows[result.subset or ""][column]
            else:
                cell = rows[label][1]
            assert cell.startswith(expected_text(result)), (b.id, result, cell)
            checked += result.text is not None
    return checked


def check_variant_pages(site: Path, card: Card) -> int:
    """Every cell of each own variant, on its page: row by row in its category's results
    table (rows in the card's order; two rows may share a name, told apart by metric), or in
    the benchmark's by-language (by-subset) table."""
    index = CardIndex(card)
    checked = 0
    for variant in card.own_variants:
        doc = page(site, f"variants/{variant.id}")
        subset_tables = {
            h.find("a").get_text(" ", strip=True): h.find_next("table")
            for h in doc.select("article h3")
            if h.find("a") and re.search(r" by (language|subset)$", visible_text(h))
        }
        by_category: dict[str, list[Result]] = {}
        for result in index.results_for(variant=variant.id):
            b = index.benchmark(result.benchmark)
            if b.subsets:
                rows = rows_by_first_cell(subset_tables[b.label])
                cell = rows[result.subset or ""][-1]
                assert cell.startswith(expected_text(result)), (variant.id, b.id, cell)
                checked += result.text is not None
            else:
                by_category.setdefault(b.category, []).append(result)
        for category, results in by_category.items():
            table = table_after(doc, category)
            body = [cell_texts(tr) for tr in table.select("tbody tr")]
            assert len(body) == len(results), (variant.id, category)
            for cells, result in zip(body, results, strict=True):
                b = index.benchmark(result.benchmark)
                assert cells[0] == _row_label(b), (variant.id, b.id, cells[0])
                assert cells[3].startswith(expected_text(result)), (variant.id, b.id, cells)
                checked += result.text is not None
    return checked


def _row_label(benchmark: object) -> str:
    label = benchmark.label  # type: ignore[attr-defined]
    return f"{label} (lower is better)" if not benchmark.higher_is_better else label  # type: ignore[attr-defined]


def check_prose(site: Path, card: Card) -> None:
    """Every paragraph and list item of the card's prose reaches the page it names."""
    urls = {**{p: p for p in KNOWN_PAGES}, **PAGE_URLS, **{p.id: p.id for p in card.pages}}
    for section in card.sections:
        if not section.markdown.strip():
            continue
        # Compare without white space: inline tags split words differently in HTML text.
        text = "".join(visible_text(page(site, urls[section.page])).split())
        html = COMMONMARK.render(section.markdown)
        for block in BeautifulSoup(html, "html.parser").find_all(["p", "li", "td"]):
            expected = "".join(block.get_text().split())
            assert expected in text, (section.id, expected[:60])


def check_nothing_empty(site: Path) -> None:
    """No page prints None/nan, a visible Markdown escape, an empty table cell or a heading
    with nothing under it."""
    for html in sorted(site.rglob("*.html")):
        if "embed" in html.relative_to(site).parts:
            continue
        article = soup(html).select_one("article")
        if article is None:
            continue
        for td in article.select("td"):
            text = td.get_text(" ", strip=True)
            assert text and text not in NOTHING, (html, td)
        prose = copy.copy(article)
        for code in prose.select("pre, code"):  # a card's code may well say None
            code.decompose()
        text = visible_text(prose)
        assert not NOTHING & set(text.split()), (html, "None/nan printed")
        assert not VISIBLE_ESCAPE.search(text), (html, VISIBLE_ESCAPE.search(text))
        for heading in article.select("h2, h3, h4"):
            following = heading.find_next_sibling()
            level = int(heading.name[1])
            assert following is not None, (html, heading.get_text())
            if re.fullmatch(r"h[1-6]", following.name):
                assert int(following.name[1]) > level, (html, "empty section", heading.get_text())
