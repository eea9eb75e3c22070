"""The hosted site as a reader gets it: pages, titles, every score in its place, links that work.

Everything here parses the built HTML in ``site/``, not the generated Markdown.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from cardsite.card.loader import load_card
from cardsite.card.models import Card
from tests.conftest import CARD_DIR, REPO
from tests.site_checks import (
    cell_texts,
    check_category_pages,
    check_nothing_empty,
    check_prose,
    check_variant_pages,
    page,
    rows_by_first_cell,
    soup,
    table_after,
    visible_text,
)

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


def h1(doc: BeautifulSoup) -> str:
    heading = doc.select_one("article h1")
    assert heading is not None
    return visible_text(heading)


def shown(cell: str) -> str:
    return cell


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
    for language in card.family.languages:
        assert language.native_name in text


def test_navigation_is_grouped(site: Path) -> None:
    nav = page(site, "").select(".md-nav--primary > .md-nav__list > .md-nav__item")
    labels = [item.find(["label", "a"]).get_text(" ", strip=True) for item in nav]
    # The card's sections, then the project's own page (docs/how-this-site-is-made.md).
    assert labels == ["Overview", "Variants", "Benchmarks", "About", "How this site is made"]


# ------------------------------------------------------------------- scores in place
# These hold for every card in data/ (tests/test_cards.py runs them on each); here on Llama 3.1.


def test_every_score_is_in_its_row_on_the_category_page(site: Path, card: Card) -> None:
    assert check_category_pages(site, card) == 158


def test_every_own_score_is_in_its_row_on_the_variant_page(site: Path, card: Card) -> None:
    check_variant_pages(site, card)


def test_variant_page_shows_signed_change_against_llama_3(site: Path) -> None:
    rows = rows_by_first_cell(table_after(page(site, "variants/llama-3-1-8b-instruct"), "general"))
    # MMLU (CoT): 73.0 against Llama 3 8B Instruct's 65.3.
    assert rows["MMLU (CoT)"][3:] == ["73.0", "65.3", "+7.7"]
    assert rows["MMLU-Pro (CoT)"][3:] == ["48.3", "45.5", "+2.8"]
    reasoning = rows_by_first_cell(
        table_after(page(site, "variants/llama-3-1-8b-instruct"), "reasoning")
    )
    assert reasoning["GPQA"][3:] == ["30.4", "34.6", "-4.2"]
    # 405B has no Llama 3 model to compare with: no comparison column at all.
    header = cell_texts(table_after(page(site, "variants/llama-3-1-405b"), "general").tr)
    assert header == ["Benchmark", "Shots", "Metric", "Llama 3.1 405B"]


def test_unreported_scores_show_the_cards_mark_with_a_reason(site: Path) -> None:
    rows = rows_by_first_cell(
        table_after(page(site, "benchmarks/general"), "winogrande-pretrained")
    )
    assert rows["Llama 3 8B"][1] == "-"
    cell = (
        page(site, "benchmarks/general")
        .find(id="winogrande-pretrained")
        .find_next(class_="cs-missing")
    )
    assert "does not report" in cell["title"] and cell.contents[0] == "-"


def test_training_figures_as_published(site: Path, card: Card) -> None:
    (table,) = card.data_tables
    rows = rows_by_first_cell(table_after(page(site, "training"), table.id))
    for row in table.rows:
        assert [shown(c) for c in rows[row.cells[0]][1:]] == [c or "—" for c in row.cells[1:]]


def test_variant_page_shows_its_training_row(site: Path) -> None:
    rows = rows_by_first_cell(table_after(page(site, "variants/llama-3-1-70b-instruct"), "tables"))
    assert rows["Training Time (GPU hours)"][1] == "7.0M"
    assert rows["Training Location-Based Greenhouse Gas Emissions (tons CO2eq)"][1] == "2,040"


def test_all_prose_reaches_its_page(site: Path, card: Card) -> None:
    check_prose(site, card)


def test_pages_print_nothing_empty_and_no_markdown_escape(site: Path) -> None:
    check_nothing_empty(site)


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
    """Search stems and splits words in the card's own languages."""
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"lang":["en","de","fr","it","pt","hi","es","th"]' in index.replace(" ", "")
    assert "Gorilla Benchmark API Bench" in index


def test_plain_mkdocs_build_from_the_repository_root(tmp_path: Path) -> None:
    """`mkdocs build` works on the default card through the plugin in mkdocs.yml."""
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
