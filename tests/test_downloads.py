"""The Downloads page and its files, in the hosted site and in the offline bundle.

The page must link the card as JSON and CSV, the Hugging Face model cards as a zip, and every
chart as SVG and PNG; each file must exist where the link points and read back as what it
claims to be. Everything comes from the session build (``built_project``).
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from cardsite.card.index import CardIndex
from cardsite.card.loader import load_card
from cardsite.card.models import Card
from cardsite.charts import chart_specs
from cardsite.exports.tables import from_json
from cardsite.pages.plan import download_files
from tests.conftest import CARD_DIR, make_project, run_cardsite
from tests.site_checks import CSV_HEADER

PUBLISHED_VALUES = 158  # non-empty `value` cells of the Llama 3.1 card
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: target -> (site folder under the project, the Downloads page inside it)
TARGETS = {
    "hosted": ("site", "downloads/index.html"),
    "offline": ("dist/offline", "downloads.html"),
}


@pytest.fixture(scope="module")
def card() -> Card:
    return load_card(CARD_DIR)[0]


@pytest.fixture(scope="module")
def files(card: Card) -> list[str]:
    names = list(download_files(card))
    assert [n.rsplit(".", 1)[-1] for n in names] == ["json", "csv", "zip"]
    return names


@pytest.fixture(scope="module")
def downloads(site: Path) -> Path:
    return site / "downloads"


def page_links(root: Path, page: str) -> dict[str, Path]:
    """Link text -> local file, for every relative link in the page's article."""
    doc = BeautifulSoup((root / page).read_text(encoding="utf-8"), "html.parser")
    article = doc.select_one("article")
    assert article is not None, f"{page}: no article"
    links: dict[str, Path] = {}
    for a in article.select("a[href]"):
        href = str(a["href"])
        if urlsplit(href).scheme or href.startswith("#"):
            continue
        target = urlsplit(urljoin("/" + page, href)).path
        links.setdefault(a.get_text(" ", strip=True), root / unquote(target).lstrip("/"))
    return links


def chart_rows(root: Path, page: str) -> dict[str, tuple[Path, Path]]:
    """Chart title -> (SVG file, PNG file) from the page's chart table."""
    doc = BeautifulSoup((root / page).read_text(encoding="utf-8"), "html.parser")
    heading = doc.find(id="charts")
    assert heading is not None, f"{page}: no Charts section"
    table = heading.find_next("table")
    assert table is not None
    rows = {}
    for tr in table.select("tbody tr"):
        cells = tr.find_all("td")
        svg, png = (cells[i].find("a") for i in (1, 2))
        assert svg is not None and png is not None, tr
        assert (svg.get_text(strip=True), png.get_text(strip=True)) == ("SVG", "PNG")
        resolve = [
            root / urlsplit(urljoin("/" + page, str(a["href"]))).path.lstrip("/")
            for a in (svg, png)
        ]
        rows[cells[0].get_text(" ", strip=True)] = (resolve[0], resolve[1])
    return rows


# --------------------------------------------------------------------------- the page


@pytest.mark.parametrize("target", TARGETS)
def test_downloads_page_links_the_data_files(
    built_project: Path, files: list[str], target: str
) -> None:
    folder, page = TARGETS[target]
    root = built_project / folder
    links = page_links(root, page)
    for name in files:
        assert name in links, f"{target} Downloads page does not link {name}"
        assert links[name].is_file(), f"{target}: {name} links to missing {links[name]}"
        assert links[name].parent == root / "downloads"


@pytest.mark.parametrize("target", TARGETS)
def test_downloads_page_links_every_chart_as_svg_and_png(
    built_project: Path, card: Card, target: str
) -> None:
    folder, page = TARGETS[target]
    root = built_project / folder
    rows = chart_rows(root, page)
    specs = chart_specs(card)
    assert sorted(rows) == sorted(s.title for s in specs)
    assert len(rows) == len(specs)
    for title, (svg, png) in rows.items():
        assert svg.suffix == ".svg" and svg.is_file(), f"{title}: {svg}"
        assert png.suffix == ".png" and png.is_file(), f"{title}: {png}"
        root_tag = ET.parse(svg).getroot().tag
        assert root_tag == "{http://www.w3.org/2000/svg}svg", f"{svg}: root is {root_tag}"
        assert png.read_bytes().startswith(PNG_SIGNATURE), f"{png} is not a PNG"


def test_offline_bundle_carries_the_same_files(built_project: Path, files: list[str]) -> None:
    hosted, offline = built_project / "site", built_project / "dist" / "offline"
    for name in files:
        assert (offline / "downloads" / name).read_bytes() == (
            hosted / "downloads" / name
        ).read_bytes(), name
    for chart in sorted((hosted / "charts").iterdir()):
        assert (offline / "charts" / chart.name).read_bytes() == chart.read_bytes(), chart.name


def test_without_chart_png_the_page_lists_svg_only(tmp_path: Path, card: Card) -> None:
    """By default (no `chart_png`) no PNG is drawn, and the Downloads page offers none (no
    dead link); the repository's own project turns the option on."""
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("      chart_png: true\n") == 1
    config.write_text(text.replace("      chart_png: true\n", ""), encoding="utf-8")
    result = run_cardsite("build", str(CARD_DIR), "--target", "hosted", cwd=project)
    assert result.returncode == 0, result.stderr
    root = project / "site"
    assert not list((root / "charts").glob("*.png"))
    doc = BeautifulSoup((root / "downloads/index.html").read_text(encoding="utf-8"), "html.parser")
    heading = doc.find(id="charts")
    assert heading is not None
    table = heading.find_next("table")
    assert table is not None
    assert [th.get_text(strip=True) for th in table.select("thead th")] == ["Chart", "SVG"]
    links = page_links(root, "downloads/index.html")
    assert "PNG" not in links
    svgs = sorted(root / "charts" / f"{s.id}.svg" for s in chart_specs(card))
    assert svgs and all(svg.is_file() for svg in svgs)


# --------------------------------------------------------------------------- the files


def test_json_loads_back_to_the_card(downloads: Path, files: list[str], card: Card) -> None:
    text = (downloads / files[0]).read_text(encoding="utf-8")
    assert from_json(text) == card


def test_csv_rows(downloads: Path, files: list[str], card: Card) -> None:
    raw = (downloads / files[1]).read_bytes()
    text = raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == CSV_HEADER
    body = [dict(zip(CSV_HEADER, r, strict=True)) for r in rows[1:]]
    assert len(body) == len(card.results)
    assert sum(1 for r in body if r["value"]) == PUBLISHED_VALUES
    assert [r["value"] for r in body] == [r.text or "" for r in card.results]
    index = CardIndex(card)
    assert [r["variant"] for r in body] == [index.variant(r.variant).name for r in card.results]


@pytest.fixture
def hf_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub.constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


def test_hf_zip_readmes_load_with_eval_results(
    downloads: Path, files: list[str], card: Card, tmp_path: Path, hf_offline: None
) -> None:
    from huggingface_hub import ModelCard

    with zipfile.ZipFile(downloads / files[2]) as zf:
        names = zf.namelist()
        assert all(not PurePosixPath(n).is_absolute() and ".." not in n for n in names)
        zf.extractall(tmp_path)
    own = sorted(v.id for v in card.own_variants)
    assert sorted(names) == sorted(f"{vid}/README.md" for vid in own)
    for variant in card.own_variants:
        model_card = ModelCard.load(tmp_path / variant.id / "README.md")
        results = model_card.data.eval_results
        assert results, f"{variant.id}: no eval results"
        assert model_card.data.model_name == variant.name
        got = Counter((r.dataset_type, r.dataset_config, r.metric_value) for r in results)
        want = Counter(
            (r.benchmark, r.subset, r.value.magnitude)
            for r in CardIndex(card).results_for(variant=variant.id)
            if r.value is not None and r.value.magnitude is not None
        )
        assert got == want, variant.id
