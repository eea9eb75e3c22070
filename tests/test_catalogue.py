"""A catalogue: every card in data/ in one site (hosted, offline, embed), built as a user would
(``cardsite build data`` in an empty folder).

Checks the catalogue table, each card's pages under its own folder by title, the cross-card
benchmark pages (comparable results side by side, other settings apart, every value linked to
its card's table), the exports with a family column, search across cards and the offline
bundle in Chromium, and bad input (a broken card, two cards with one family id).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, Route, expect

from cardsite.card.index import CardIndex
from cardsite.card.loader import load_card
from cardsite.card.models import Card
from cardsite.catalogue.match import name_key, setting_of
from tests.browser import launch, serve_dir
from tests.conftest import REPO, run_cardsite
from tests.site_checks import CSV_HEADER, cell_texts, page, soup, visible_text

DATA = REPO / "data"
SITE_URL = "https://example.org/models/"


@pytest.fixture(scope="module")
def cards() -> dict[str, Card]:
    found = {}
    for folder in sorted(DATA.iterdir()):
        if (folder / "family.yaml").is_file():
            card = load_card(folder)[0]
            found[card.id] = card
    assert len(found) >= 5
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("catalogue")
    done = run_cardsite("build", str(DATA), "--site-url", SITE_URL, cwd=out)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    return project / "site"


def test_catalogue_home_lists_every_variant_of_every_card(
    site: Path, cards: dict[str, Card]
) -> None:
    home = page(site, "")
    assert visible_text(home.select_one("article h1")) == "Model catalogue"
    table = home.select_one("article .cs-filterable table")
    header, *rows = [cell_texts(tr) for tr in table.select("tr")]
    assert header == [
        "Model",
        "Publisher",
        "Family",
        "Size",
        "Kind",
        "License",
        "Released",
        "Scores",
    ]
    expected = [
        (v.name, c.family.name, str(CardIndex(c).published_count(v.id)))
        for c in cards.values()
        for v in c.own_variants
    ]
    assert sorted((r[0], r[2], r[7]) for r in rows) == sorted(expected)
    for a in table.select("tbody tr td:first-child a"):
        target = site / urljoin("index.html", a["href"])
        target = target / "index.html" if target.is_dir() else target
        assert target.is_file(), a["href"]
        assert visible_text(soup(target).select_one("article h1")) == a.get_text(" ", strip=True)


def test_each_card_keeps_its_pages_under_its_folder(site: Path, cards: dict[str, Card]) -> None:
    for card in cards.values():
        assert visible_text(page(site, card.id).select_one("article h1")) == card.family.name
        for variant in card.own_variants:
            heading = page(site, f"{card.id}/variants/{variant.id}").select_one("article h1")
            assert visible_text(heading) == variant.name
        index = CardIndex(card)
        for category in card.categories:
            if index.benchmarks_in(category.id):
                heading = page(site, f"{card.id}/benchmarks/{category.id}").select_one("article h1")
                assert visible_text(heading) == category.name


def test_cross_card_page_puts_comparable_results_side_by_side(
    site: Path, cards: dict[str, Card]
) -> None:
    doc = page(site, "compare/mmlu")
    sections = doc.select("article h2")
    assert len(sections) >= 2, "MMLU is reported under several settings"
    reporting = set()
    for heading in sections:
        table = heading.find_next("table")
        settings, families = set(), set()
        for tr in table.select("tbody tr"):
            source = tr.select("td")[-1].find("a")
            card_id, _, rest = source["href"].replace("../", "").partition("/")
            card = cards[card_id]
            index = CardIndex(card)
            benchmark = index.benchmark(rest.rsplit("#", 1)[1])
            assert name_key(benchmark.name) == "mmlu"
            settings.add(setting_of(benchmark))
            families.add(card_id)
            model, _family, score, named = (visible_text(td) for td in tr.select("td")[:4])
            model = model.removesuffix(" (compared in this card)")
            variant = next(v for v in card.variants if v.name == model)
            subset = named.split(" · ", 1)[1] if " · " in named else None
            result = index.result(variant.id, benchmark.id, subset)
            assert result is not None and result.text == score
            # The value links to the card's table it came from, and that anchor exists.
            target = site / card_id / rest.split("#")[0] / "index.html"
            assert soup(target).find(id=rest.rsplit("#", 1)[1]) is not None
        assert len(settings) == 1, f"{heading.get_text()}: settings mixed in one table"
        reporting |= families
    assert len(reporting) >= 2


def test_a_different_setting_stands_apart(site: Path) -> None:
    doc = page(site, "compare/mmlu")
    labels = [visible_text(h) for h in doc.select("article h2")]
    assert len(labels) == len(set(labels))
    shots = {label.split(" · ")[0] for label in labels}
    assert {"0-shot", "5-shot"} <= shots


def test_catalogue_csv_and_json_cover_every_card(project: Path, cards: dict[str, Card]) -> None:
    text = (project / "site" / "downloads" / "catalogue-results.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == ["family", *CSV_HEADER]
    assert len(rows) == sum(len(c.results) for c in cards.values())
    assert {r["family"] for r in rows} == {c.family.name for c in cards.values()}
    done = run_cardsite("export", str(DATA), "--format", "csv", cwd=project)
    assert done.returncode == 0 and done.stdout == text


def test_offline_and_embed_cover_the_catalogue(project: Path, cards: dict[str, Card]) -> None:
    offline = project / "dist" / "offline"
    assert (project / "dist" / "catalogue-docs-offline.zip").is_file()
    for card in cards.values():
        assert (offline / card.id / "index.html").is_file()
        for variant in card.own_variants:
            assert (project / "dist" / "embed" / f"{card.id}-variants-{variant.id}.html").is_file()


def test_a_broken_card_names_its_folder_unless_skipped(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    for name in ("llama-3.1", "stable-code-3b"):
        shutil.copytree(DATA / name, cards / name)
    (cards / "stable-code-3b" / "variants.yaml").write_text("variants: 7\n", encoding="utf-8")
    done = run_cardsite("build", str(cards), "--target", "hosted", cwd=tmp_path)
    assert done.returncode == 1
    assert "stable-code-3b/variants.yaml:1:" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "site").exists()

    done = run_cardsite("build", str(cards), "--target", "hosted", "--skip-invalid", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "skipped" in done.stderr and "stable-code-3b" in done.stderr
    assert (tmp_path / "site" / "index.html").is_file()


def test_two_cards_with_one_family_id_are_an_error(tmp_path: Path) -> None:
    shutil.copytree(DATA / "llama-3.1", tmp_path / "a")
    shutil.copytree(DATA / "llama-3.1", tmp_path / "b")
    done = run_cardsite("build", str(tmp_path / "a"), str(tmp_path / "b"), cwd=tmp_path)
    assert done.returncode == 1
    assert "llama-3-1" in done.stderr
    assert str(tmp_path / "a") in done.stderr and str(tmp_path / "b") in done.stderr


# --------------------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as chromium:
        yield chromium


def words_only_in(site: Path, folder: str) -> list[str]:
    """Words the search index holds only in pages of one card's folder."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    where: dict[str, set[str]] = {}
    for doc in index["docs"]:
        top = doc["location"].split("/", 1)[0]
        for word in re.findall(r"[A-Za-z]{7,}", doc["title"] + " " + doc["text"]):
            where.setdefault(word.lower(), set()).add(top)
    return sorted(w for w, tops in where.items() if tops == {folder})


@pytest.mark.browser
def test_search_finds_pages_of_every_card(
    browser: Browser, site: Path, cards: dict[str, Card]
) -> None:
    with serve_dir(site) as base_url:
        tab = browser.new_page()
        tab.goto(base_url)
        field = tab.locator("input.md-search__input")
        for card in cards.values():
            word = words_only_in(site, card.id)[0]
            hit = tab.locator(f".md-search-result__link[href*='{card.id}/']")
            field.click()
            for _ in range(10):  # the index loads in a worker; a query typed before is dropped
                field.fill("")
                tab.keyboard.type(word)
                try:
                    expect(hit.first).to_be_attached(timeout=3_000)
                    break
                except AssertionError:
                    continue
            expect(hit.first).to_be_attached()
            tab.keyboard.press("Escape")
        tab.close()


@pytest.mark.browser
def test_offline_bundle_opens_from_disk_with_no_request(
    browser: Browser, project: Path, cards: dict[str, Card]
) -> None:
    offline = project / "dist" / "offline"
    context = browser.new_context()
    leaving: list[str] = []

    def only_files(route: Route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            leaving.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    tab = context.new_page()
    tab.goto((offline / "index.html").as_uri())
    expect(tab.locator("article h1")).to_contain_text("Model catalogue")
    for card in cards.values():
        tab.goto((offline / card.id / "index.html").as_uri())
        expect(tab.locator("article h1")).to_contain_text(card.family.name)
    context.close()
    assert leaving == []


def test_editing_one_card_regenerates_only_that_card(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    for name in ("llama-3.1", "stable-code-3b", "kimi-k2"):
        shutil.copytree(DATA / name, cards / name)
    build = ["build", str(cards), "--target", "hosted"]
    assert run_cardsite(*build, cwd=tmp_path).returncode == 0
    entries = tmp_path / ".cache" / "cardsite" / "cards"

    def snapshot() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in entries.iterdir() if p.is_dir()}

    before = snapshot()
    assert len(before) == 3
    results = cards / "stable-code-3b" / "results.yaml"
    text = results.read_text(encoding="utf-8")
    first = re.search(r': "(\d+\.\d)"', text)
    assert first is not None
    results.write_text(text.replace(first[0], ': "99.9"', 1), encoding="utf-8")
    done = run_cardsite(*build, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = snapshot()
    changed = {name for name in after if before.get(name) != after[name]}
    assert len(changed) == 1 and next(iter(changed)).startswith("stable-code-3b-")
    assert set(before) - set(after) == {n for n in before if n.startswith("stable-code-3b-")}
    catalogue_csv = tmp_path / "site" / "downloads" / "catalogue-results.csv"
    assert "99.9" in catalogue_csv.read_text(encoding="utf-8")


def test_a_page_lists_each_other_card_as_one_link(site: Path, cards: dict[str, Card]) -> None:
    """Every card is in the nav of every page, but only the page's own card is spelled out:
    the others are one link each (to their overview), so a page's size does not grow with the
    pages of all the other cards."""
    first = sorted(cards)[0]
    card = cards[first]
    url = f"{first}/variants/{card.own_variants[0].id}/"
    nav = page(site, url).select_one(".md-nav--primary")
    hrefs = [a["href"].split("#")[0] for a in nav.select("a[href]")]
    targets = [urljoin(f"/{url}", h).strip("/") for h in hrefs]
    own_variants = {t for t in targets if t.startswith(f"{first}/variants/")}
    assert own_variants == {f"{first}/variants/{v.id}" for v in card.own_variants}
    for other_id, other in cards.items():
        if other_id != first:
            links = [t for t in targets if t.split("/")[0] == other_id]
            assert links == [other_id], links
            heading = page(site, other_id).select_one("article h1")
            assert visible_text(heading) == other.family.name
