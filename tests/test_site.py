"""The hosted site as a reader gets it: pages, titles, every score in its place, links that work.

Everything here parses the built HTML in ``site/``, not the generated Markdown.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import pytest
from bs4 import BeautifulSoup, Tag

from cardsite.card.loader import load_card
from cardsite.card.models import Card
from tests.conftest import CARD_DIR, REPO

FIXED_PAGES = {
    "training": "Training and environmental impact",
    "intended-use": "Intended use and license",
    "safety": "Responsibility and safety",
    "glossary": "Glossary",
    "compare": "Compare",
}


@pytest.fixture(scope="module")
def card() -> Card:
    return load_card(CARD_DIR)[0]


@cache
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(site: Path, url: str) -> BeautifulSoup:
    return soup(site / url / "index.html" if url else site / "index.html")


def h1(doc: BeautifulSoup) -> str:
    heading = doc.select_one("article h1")
    assert heading is not None
    return heading.get_text(" ", strip=True).removesuffix("¶").strip()


def cell_texts(row: Tag) -> list[str]:
    return [c.get_text(" ", strip=True) for c in row.find_all(["td", "th"])]


def table_after(doc: BeautifulSoup, anchor: str) -> Tag:
    """The first table after the heading with id ``anchor``."""
    heading = doc.find(id=anchor)
    assert heading is not None, f"no element with id {anchor!r}"
    table = heading.find_next("table")
    assert table is not None
    return table


def rows_by_first_cell(table: Tag) -> dict[str, list[str]]:
    return {cells[0]: cells for row in table.find_all("tr") if (cells := cell_texts(row))}


def shown(cell: str) -> str:
    """A cell's visible text (the screen-reader explanation of a dash removed)."""
    return re.sub(r"\s*\(.*\)$", "", cell) if cell.startswith("—") else cell


# --------------------------------------------------------------------------- page set


def test_every_variant_has_a_page_titled_with_its_name(site: Path, card: Card) -> None:
    for variant in card.own_variants:
        assert h1(page(site, f"variants/{variant.id}")) == variant.name
    assert not (site / "variants" / "llama-3-8b").exists(), "comparison models get no page"


def test_every_category_has_a_page_titled_as_the_card_writes_it(site: Path, card: Card) -> None:
    titles = {h1(page(site, f"benchmarks/{c.id}")) for c in card.categories}
    assert titles == {
        "General",
        "Knowledge reasoning",
        "Reading comprehension",
        "Reasoning",
        "Code",
        "Math",
        "Tool Use",
        "Multilingual",
    }


def test_fixed_pages_and_home(site: Path, card: Card) -> None:
    for url, title in FIXED_PAGES.items():
        assert h1(page(site, url)) == title
    home = page(site, "")
    assert h1(home) == card.family.name
    text = home.get_text(" ")
    for fact in ("128k", "15T+", "December 2023", "July 23, 2024", "Llama 3.1 Community License"):
        assert fact in text
    for language in card.family.supported_languages:
        assert language.native_name in text


def test_navigation_is_grouped(site: Path) -> None:
    nav = page(site, "").select(".md-nav--primary > .md-nav__list > .md-nav__item")
    labels = [item.find(["label", "a"]).get_text(" ", strip=True) for item in nav]
    # The card's sections, then the project's own page (docs/how-this-site-is-made.md).
    assert labels == ["Overview", "Variants", "Benchmarks", "About", "How this site is made"]


# ------------------------------------------------------------------- scores in place


def test_every_score_is_in_its_row_on_the_category_page(site: Path, card: Card) -> None:
    checked = 0
    for b in card.benchmarks:
        doc = page(site, f"benchmarks/{b.category}")
        rows = rows_by_first_cell(table_after(doc, b.id))
        labels = card.table(b.table).column_labels
        for result in card.results_for(benchmark=b.id):
            if b.per_language:
                header = rows["Language"]
                column = header.index(labels[result.variant])
                cell = rows[result.language_label or ""][column]
            else:
                cell = rows[labels[result.variant]][1]
            assert shown(cell) == (result.value or "—"), (b.name, result)
            checked += result.value is not None
    assert checked == 158


def test_every_own_score_is_in_its_row_on_the_variant_page(site: Path, card: Card) -> None:
    checked = 0
    for variant in card.own_variants:
        doc = page(site, f"variants/{variant.id}")
        for result in card.results_for(variant=variant.id):
            b = card.benchmark(result.benchmark)
            if b.per_language:
                rows = rows_by_first_cell(table_after(doc, f"multilingual-{b.id}"))
                cell = rows[result.language_label or ""][2]
            else:
                rows = rows_by_first_cell(table_after(doc, f"results-{b.category}"))
                cell = rows[b.name][3]
            assert shown(cell) == (result.value or "—"), (variant.name, b.name)
            checked += result.value is not None
    own = {v.id for v in card.own_variants}
    assert checked == sum(r.value is not None and r.variant in own for r in card.results)


def test_variant_page_shows_signed_change_against_llama_3(site: Path) -> None:
    rows = rows_by_first_cell(
        table_after(page(site, "variants/llama-3-1-8b-instruct"), "results-general")
    )
    # MMLU (CoT): 73.0 against Llama 3 8B Instruct's 65.3.
    assert rows["MMLU (CoT)"][3:] == ["73.0", "65.3", "+7.7"]
    assert rows["MMLU-Pro (CoT)"][3:] == ["48.3", "45.5", "+2.8"]
    reasoning = rows_by_first_cell(
        table_after(page(site, "variants/llama-3-1-8b-instruct"), "results-reasoning")
    )
    assert reasoning["GPQA"][3:] == ["30.4", "34.6", "-4.2"]


def test_unreported_scores_show_a_dash_with_a_reason(site: Path) -> None:
    rows = rows_by_first_cell(
        table_after(page(site, "benchmarks/general"), "winogrande-pretrained")
    )
    dash = rows["Llama 3 8B"][1]
    assert dash.startswith("—") and "does not report" in dash
    cell = (
        page(site, "benchmarks/general")
        .find(id="winogrande-pretrained")
        .find_next(class_="cs-missing")
    )
    assert "does not report" in cell["title"]


def test_training_figures_as_published(site: Path, card: Card) -> None:
    rows = rows_by_first_cell(page(site, "training").select_one("article table"))
    for row in [*card.training.rows, card.training.total]:
        expected = [row.gpu_hours, row.power_w, row.location_based_tco2eq, row.market_based_tco2eq]
        assert [shown(c) for c in rows[row.label][1:]] == [e or "—" for e in expected]


def test_no_table_cell_is_empty_none_or_nan(site: Path) -> None:
    for html in site.rglob("*.html"):
        for td in soup(html).select("article td"):
            text = td.get_text(" ", strip=True)
            assert text and text not in {"None", "nan", "NaN", "null"}, (html, td)


def test_all_prose_reaches_its_page(site: Path, card: Card) -> None:
    pages = {
        "overview": "",
        "training": "training",
        "intended-use": "intended-use",
        "safety": "safety",
        "benchmarks": "compare",
    }
    for section in card.sections:
        if section.page not in pages or not section.markdown.strip():
            continue
        # Compare without white space: inline tags split words differently in HTML text.
        text = "".join(page(site, pages[section.page]).get_text().split())
        html = markdown.markdown(section.markdown)
        for block in BeautifulSoup(html, "html.parser").find_all(["p", "li"]):
            expected = "".join(block.get_text().split())
            assert expected in text, (section.id, expected[:60])


# ---------------------------------------------------------------------------- links


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    broken = []
    for html in site.rglob("*.html"):
        doc = soup(html)
        for a in doc.select("a[href]"):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("//", "mailto:")):
                continue
            path = unquote(parts.path)
            if path.startswith("/llama/"):  # 404.html links from the site root (--site-url)
                target = (site / path.removeprefix("/llama/")).resolve()
            else:
                target = (html.parent / path).resolve() if path else html
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html.relative_to(site)}: {href}")
                continue
            if (
                parts.fragment
                and target.suffix == ".html"
                and soup(target).find(id=unquote(parts.fragment)) is None
            ):
                broken.append(f"{html.relative_to(site)}: {href} (no anchor)")
    assert broken == []


def test_glossary_terms_explained_on_hover_and_linked(site: Path) -> None:
    doc = page(site, "benchmarks/general")
    abbr = doc.find("abbr", string="acc_char")
    assert abbr is not None and abbr["title"]
    assert abbr.find_parent("a")["href"].startswith("../../glossary/#")


def test_site_url_sets_canonical_and_sitemap(site: Path) -> None:
    canonical = page(site, "variants/llama-3-1-8b").find("link", rel="canonical")
    assert canonical["href"] == "https://example.org/llama/variants/llama-3-1-8b/"
    sitemap = (site / "sitemap.xml").read_text()
    assert "https://example.org/llama/benchmarks/tool-use/" in sitemap
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode() == sitemap
    assert (site / "404.html").exists()


def test_search_covers_the_cards_languages(site: Path) -> None:
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"lang":["en","de","fr","it","pt","hi","es","th"]' in index.replace(" ", "")
    assert "Gorilla Benchmark API Bench" in index


def test_plain_mkdocs_build_from_the_repository_root(tmp_path: Path) -> None:
    """`mkdocs build` works on the default card through the hook in mkdocs.yml."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert (
        h1(soup(tmp_path / "out" / "variants" / "llama-3-1-405b-instruct" / "index.html"))
        == "Llama 3.1 405B Instruct"
    )
    assert not (REPO / "docs" / "index.md").exists(), "generated pages never land in docs/"
