"""Every card in data/ builds (hosted, offline, embed) and its site says what the card says.

The cards are real published cards of several publishers (each beside its source document;
tests/test_real_cards.py and tests/test_fidelity.py check the data against the sources). Here
each is built as a user would, and the built site is checked against the card's data: every
score cell in its row on its category page and on its variant page, every cell in the CSV
export, every prose block on its page, and nothing printed that should not be (None, nan, a
visible Markdown escape, an empty section). Search is configured for the card's languages.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from cardsite.card.index import CardIndex
from cardsite.card.languages import search_languages
from cardsite.card.loader import load_card
from cardsite.card.models import Card
from tests.conftest import REPO, run_cardsite
from tests.site_checks import (
    check_category_pages,
    check_nothing_empty,
    check_prose,
    check_variant_pages,
    expected_text,
    page,
    visible_text,
)

CARDS = sorted(p.name for p in (REPO / "data").iterdir() if (p / "family.yaml").is_file())


@pytest.fixture(scope="module", params=CARDS)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Card, Path]:
    card_dir = REPO / "data" / request.param
    out = tmp_path_factory.mktemp(request.param)
    done = run_cardsite("build", str(card_dir), "--out", str(out), cwd=out)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return load_card(card_dir)[0], out


def test_there_are_several_real_cards() -> None:
    assert len(CARDS) >= 5 and "llama-3.1" in CARDS


def test_all_targets_are_built(built: tuple[Card, Path]) -> None:
    card, out = built
    assert (out / "site" / "index.html").is_file()
    assert (out / "dist" / "offline" / "index.html").is_file()
    assert (out / "dist" / f"{card.id}-docs-offline.zip").is_file()
    assert (out / "dist" / "embed" / "index.html").is_file()


def test_pages_are_titled_as_the_card_writes(built: tuple[Card, Path]) -> None:
    card, out = built
    site = out / "site"
    for variant in card.own_variants:
        assert visible_text(page(site, f"variants/{variant.id}").select_one("article h1")) == (
            variant.name
        )
    index = CardIndex(card)
    for category in card.categories:
        if index.benchmarks_in(category.id):
            heading = page(site, f"benchmarks/{category.id}").select_one("article h1")
            assert visible_text(heading) == category.name


def test_every_score_on_its_category_page(built: tuple[Card, Path]) -> None:
    card, out = built
    checked = check_category_pages(out / "site", card)
    assert checked == sum(r.text is not None for r in card.results)


def test_every_own_score_on_its_variant_page(built: tuple[Card, Path]) -> None:
    card, out = built
    checked = check_variant_pages(out / "site", card)
    own = {v.id for v in card.own_variants}
    assert checked == sum(r.text is not None and r.variant in own for r in card.results)


def test_every_cell_in_the_csv(built: tuple[Card, Path]) -> None:
    card, out = built
    text = (out / "site" / "downloads" / f"{card.id}-results.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(card.results)
    index = CardIndex(card)
    for row, result in zip(rows, card.results, strict=True):
        assert row["variant"] == index.variant(result.variant).name
        assert row["value"] == (result.text or "")
        table = index.table(index.benchmark(result.benchmark).table)
        assert (row["table"], row["column"]) == (table.title, table.columns[result.variant])
        if result.text is None:
            assert expected_text(result)  # the page shows the card's mark instead


def test_prose_reaches_its_pages(built: tuple[Card, Path]) -> None:
    card, out = built
    check_prose(out / "site", card)


def test_nothing_empty_none_or_escaped(built: tuple[Card, Path]) -> None:
    _card, out = built
    check_nothing_empty(out / "site")
    check_nothing_empty(out / "dist" / "offline")


def test_search_languages_are_the_cards(built: tuple[Card, Path]) -> None:
    card, out = built
    config = json.loads((out / "site" / "search" / "search_index.json").read_text())["config"]
    assert config["lang"] == search_languages(x.code for x in card.family.languages)
    if not card.family.languages or {x.code for x in card.family.languages} == {"en"}:
        assert config["lang"] == ["en"]  # an English-only card searches in English only
