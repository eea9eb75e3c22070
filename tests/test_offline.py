"""The offline bundle (``dist/offline/`` and its zip) read from disk with no network at all.

Static checks parse the built HTML; browser checks open the pages from ``file://`` in Debian's
Chromium with every request that does not start with ``file://`` aborted and recorded, and
every failed request recorded too. The zip is unpacked and checked the same way.

Set CARDSITE_SCREENSHOTS=/some/folder to save a screenshot of the offline home page.
"""

from __future__ import annotations

import json
import os
import re
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, Route, expect

from tests.browser import Watch, axe_violations, describe_violations, launch, listen, settle

SITE_URL = "https://example.org/llama/"
BUILD_DAY = "2024-07-23"  # SOURCE_DATE_EPOCH=1721692800 (conftest)
ZIP_NAME = "llama-3-1-docs-offline"
MAX_ZIP_BYTES = 6 * 1024 * 1024
SCREENSHOTS = os.environ.get("CARDSITE_SCREENSHOTS")
#: MkDocs' 404 page: only a web server shows it, and it links with absolute paths.
_REMOTE_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_FETCHING_LINKS = frozenset(
    {
        "stylesheet",
        "preconnect",
        "preload",
        "modulepreload",
        "icon",
        "manifest",
        "dns-prefetch",
        "prefetch",
    }
)


class _ResourceURLs(HTMLParser):
    """Collect URLs a browser would fetch while loading a page (not ``<a href>`` links)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link":
            if set(values.get("rel", "").lower().split()) & _FETCHING_LINKS:
                self.urls.append(values.get("href", ""))
        else:
            self.urls.extend(values.get(a, "") for a in ("src", "poster", "data") if a in values)
            self.urls.extend(u.split()[0] for u in values.get("srcset", "").split(",") if u.strip())


def remote_references(site_dir: Path) -> list[str]:
    """List ``page: url`` for every resource a page would fetch from the network.

    Plain ``<a href>`` links and ``rel=canonical`` are not fetched and are not reported.
    Scripts may still fetch at run time (Material loads mermaid from unpkg when a page has a
    diagram); only a browser run with the network blocked proves those absent.
    """
    found = []
    for page in sorted(site_dir.rglob("*.html")):
        parser = _ResourceURLs()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        rel = page.relative_to(site_dir).as_posix()
        found.extend(f"{rel}: {u}" for u in parser.urls if _REMOTE_URL.match(u))
    return found


ERROR_PAGE = "404.html"
#: Non-page files a page may link to (Downloads: data files, charts).
FILE_SUFFIXES = (".json", ".csv", ".zip", ".svg", ".png")

# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def offline_dir(built_project: Path) -> Path:
    return built_project / "dist" / "offline"


@pytest.fixture(scope="module")
def zip_path(built_project: Path) -> Path:
    return built_project / "dist" / f"{ZIP_NAME}.zip"


@pytest.fixture(scope="module")
def unpacked(zip_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zip unpacked as a reader would; returns its one top folder."""
    where = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(where)
    tops = list(where.iterdir())
    assert [t.name for t in tops] == [ZIP_NAME], f"zip top level: {[t.name for t in tops]}"
    return tops[0]


@pytest.fixture(scope="module", params=["dist", "zip"])
def bundle(request: pytest.FixtureRequest, offline_dir: Path) -> Path:
    """The bundle as built (``dist/offline``) and as unpacked from the zip."""
    if request.param == "dist":
        return offline_dir
    return request.getfixturevalue("unpacked")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as chromium:
        yield chromium


def html_pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def reader_pages(root: Path) -> list[Path]:
    """Every page a reader of the bundle can reach (all but the server-only 404 page)."""
    return [p for p in html_pages(root) if p.relative_to(root).as_posix() != ERROR_PAGE]


@cache
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@cache
def ids_in(path: Path) -> frozenset[str]:
    return frozenset(str(e["id"]) for e in soup(path).find_all(id=True))


# --------------------------------------------------------------------------- the zip


def test_zip_has_one_top_folder_holding_index(zip_path: Path) -> None:
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
    tops = {n.split("/", 1)[0] for n in names}
    assert tops == {ZIP_NAME}
    assert f"{ZIP_NAME}/index.html" in names
    assert all(".." not in n.split("/") and not n.startswith("/") for n in names)


def test_zip_holds_exactly_the_bundle(offline_dir: Path, unpacked: Path) -> None:
    built = {p.relative_to(offline_dir).as_posix() for p in offline_dir.rglob("*") if p.is_file()}
    got = {p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*") if p.is_file()}
    assert got == built
    for rel in sorted(built):
        assert (unpacked / rel).read_bytes() == (offline_dir / rel).read_bytes(), rel


def test_zip_is_small(zip_path: Path) -> None:
    size = zip_path.stat().st_size
    print(f"\n{zip_path.name}: {size} bytes ({size / 1024 / 1024:.2f} MiB)")
    assert size < MAX_ZIP_BYTES, f"{zip_path.name} is {size} bytes, over {MAX_ZIP_BYTES}"


# --------------------------------------------------------------------------- static checks


def test_nothing_is_fetched_from_the_network(offline_dir: Path, unpacked: Path) -> None:
    assert remote_references(offline_dir) == []
    assert remote_references(unpacked) == []


def test_no_google_fonts(offline_dir: Path) -> None:
    for path in [*html_pages(offline_dir), *offline_dir.rglob("*.css")]:
        text = path.read_text(encoding="utf-8")
        for host in ("fonts.googleapis", "fonts.gstatic"):
            assert host not in text, f"{path.relative_to(offline_dir)} names {host}"


def test_instant_navigation_is_off(offline_dir: Path) -> None:
    for path in html_pages(offline_dir):
        script = soup(path).find("script", id="__config")
        assert script is not None, f"{path.name}: no __config"
        config = json.loads(script.get_text())
        features = config.get("features") or []
        assert not [f for f in features if f.startswith("navigation.instant")], path
        assert "navigation.instant" not in script.get_text()


def test_internal_links_name_html_files_that_exist(offline_dir: Path) -> None:
    """From file:// a link to a folder opens a directory listing: every page link names
    ``.html``, and every link (page or file, with its anchor) leads somewhere that exists."""
    problems: list[str] = []
    checked = 0
    for path in reader_pages(offline_dir):
        here = path.relative_to(offline_dir).as_posix()
        for a in soup(path).select("a[href]"):
            href = str(a["href"])
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            checked += 1
            if not parts.path:  # same-page anchor
                if parts.fragment and parts.fragment not in ids_in(path):
                    problems.append(f"{here}: {href}: no such anchor")
                continue
            if parts.path.startswith("/"):
                problems.append(f"{here}: {href}: absolute path")
                continue
            if not parts.path.endswith((".html", *FILE_SUFFIXES)):
                problems.append(f"{here}: {href}: neither a page (.html) nor a download")
                continue
            target = (path.parent / unquote(parts.path)).resolve()
            if not target.is_file() or offline_dir.resolve() not in target.parents:
                problems.append(f"{here}: {href}: no such file in the bundle")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and (unquote(parts.fragment) not in ids_in(target))
            ):
                problems.append(f"{here}: {href}: no such anchor")
    assert checked > 500
    assert not problems, "\n".join(problems)


def test_no_server_only_error_page(offline_dir: Path) -> None:
    assert not (offline_dir / ERROR_PAGE).exists()


def test_banner_names_the_card_build_date_and_live_site(offline_dir: Path, site: Path) -> None:
    assert soup(site / "index.html").select_one(".cs-banner") is None, "hosted site has a banner"
    for path in html_pages(offline_dir):
        banner = soup(path).select_one(".cs-banner")
        assert banner is not None, f"{path.name}: no banner"
        text = banner.get_text(" ", strip=True)
        assert "Llama 3.1 model card" in text, text
        assert f"built {BUILD_DAY}" in text, text
        link = banner.find("a")
        assert link is not None and link["href"] == SITE_URL, banner


# --------------------------------------------------------------------------- in a browser


@dataclass
class OfflineWatch(Watch):
    """Watch (blocked requests, console errors, uncaught errors) plus failed requests."""

    failed: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return super().problems() + [f"request failed: {url}" for url in self.failed]


@contextmanager
def offline_page(browser: Browser, **context_options: object) -> Iterator[tuple[Page, Watch]]:
    """A page whose every request that does not start with file:// is aborted and recorded."""
    context = browser.new_context(
        service_workers="block",
        viewport={"width": 1280, "height": 900},
        **context_options,  # type: ignore[arg-type]
    )
    context.set_default_timeout(30_000)
    watch = OfflineWatch()

    def route(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            watch.blocked.append(route.request.url)
            route.abort("blockedbyclient")

    try:
        context.route("**/*", route)
        page = context.new_page()
        listen(page, watch)
        page.on(
            "requestfailed",
            lambda request: watch.failed.append(f"{request.url} ({request.failure})"),
        )
        yield page, watch
    finally:
        context.close()


#: Load every image now (charts are lazy, dark ones hidden), then report what did not load.
CHECK_RESOURCES = """async () => {
  const images = [...document.images];
  images.forEach(img => { img.loading = "eager"; });
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  await document.fonts.ready;
  const problems = [];
  for (const img of images) {
    if (!img.complete || img.naturalWidth === 0) problems.push("image: " + img.src);
  }
  for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
    if (!link.sheet) problems.push("stylesheet: " + link.href);
  }
  for (const font of document.fonts) {
    if (font.status === "error") problems.push("font: " + font.family);
  }
  const charts = images.filter(img => /\\/charts\\//.test(img.src)).length;
  return {problems, charts, stylesheets: document.styleSheets.length};
}"""


@pytest.mark.browser
def test_every_page_loads_from_disk(browser: Browser, bundle: Path) -> None:
    pages = reader_pages(bundle)
    assert len(pages) >= 20
    charts = 0
    with offline_page(browser) as (page, watch):
        for path in pages:
            page.goto(path.as_uri(), wait_until="load")
            report = page.evaluate(CHECK_RESOURCES)
            assert not report["problems"], f"{path.name}: {report['problems']}"
            assert report["stylesheets"] >= 3, path
            expect(page.locator("article h1")).to_be_visible()
            charts += report["charts"]
        watch.assert_clean()
    # Every chart of the card, each once (its SVG follows the reader's light or dark scheme).
    assert charts >= len(list((bundle / "charts").glob("*.svg"))) > 0


SEARCHES = [
    # query, text the first result shows, the page it opens
    ("BFCL", "BFCL", "benchmarks/tool-use.html"),
    ("405B", "405B", "variants/llama-3-1-405b"),
    ("हिन्दी", "हिन्दी", "index.html"),
    ("ไทย", "ไทย", "index.html"),
]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "shown", "opens"), SEARCHES, ids=["en", "variant", "hi", "th"])
def test_search_works_from_disk(
    browser: Browser, bundle: Path, query: str, shown: str, opens: str
) -> None:
    with offline_page(browser) as (page, watch):
        page.goto((bundle / "index.html").as_uri(), wait_until="load")
        if not query.isascii():  # the native name is on the home page: search must find it
            expect(page.locator("article")).to_contain_text(query)
        field = page.locator("input.md-search__input")
        field.click()
        expect(field).to_be_focused()
        started = time.monotonic()
        field.type(query)
        field.press("End")  # Material reads the query on keyup; typed non-ASCII fires none
        first = page.locator(".md-search-result__item").first
        expect(first).to_be_visible()
        expect(first).to_contain_text(shown)
        elapsed = time.monotonic() - started
        print(f"\nsearch {query!r} ({bundle.name}): first result after {elapsed:.2f} s")
        link = first.locator("a.md-search-result__link").first
        href = link.get_attribute("href") or ""
        assert urlsplit(href).path.endswith(".html"), href
        link.click()
        page.wait_for_load_state("load")
        assert page.url.startswith("file://") and opens in page.url, page.url
        expect(page.locator("article h1")).to_be_visible()
        watch.assert_clean()


@pytest.mark.browser
def test_banner_is_shown(browser: Browser, offline_dir: Path) -> None:
    with offline_page(browser) as (page, watch):
        page.goto((offline_dir / "index.html").as_uri(), wait_until="load")
        banner = page.locator(".cs-banner")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text(re.compile(rf"Llama 3\.1 model card.*{BUILD_DAY}"))
        expect(banner.locator("a")).to_have_attribute("href", SITE_URL)
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SCREENSHOTS) / "offline-home.png"))
        watch.assert_clean()


@pytest.mark.browser
@pytest.mark.parametrize(
    "scheme",
    [
        "light",
        "dark",
    ],
)
def test_banner_is_accessible(browser: Browser, offline_dir: Path, scheme: str) -> None:
    with offline_page(browser, color_scheme=scheme) as (page, watch):
        page.goto((offline_dir / "index.html").as_uri(), wait_until="load")
        settle(page)
        violations = axe_violations(page, context={"include": [[".md-banner"]]})
        assert not violations, describe_violations(violations)
        # Not assert_clean(): axe-core itself re-reads the stylesheets by XHR, which file://
        # refuses (CORS) with console errors; the page's own loading is checked above.
        assert not watch.blocked, watch.blocked
