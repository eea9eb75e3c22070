"""The hosted site in a real browser: search, charts, accessibility, keyboard, the sortable table.

Debian's Chromium through Playwright (see tests/browser.py) on the site the session build wrote,
served from 127.0.0.1. Every test also asserts that nothing was requested from another host and
that no page logged a console error or threw.

Set CARDSITE_SCREENSHOTS=/some/folder to save a full-page screenshot of every page the
accessibility test checks (light and dark), for a look by eye.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser import (
    ColorScheme,
    assert_accessible,
    color_scheme_of,
    launch,
    load_images,
    serve_dir,
    visit,
)

pytestmark = pytest.mark.browser

SCHEMES: list[ColorScheme] = ["light", "dark"]
MATERIAL_SCHEME = {"light": "default", "dark": "slate"}
A11Y_PAGES = ["", "variants/llama-3-1-8b-instruct/", "benchmarks/general/", "compare/"]
VARIANT = "Llama 3.1 405B Instruct"
SCREENSHOTS = os.environ.get("CARDSITE_SCREENSHOTS")


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve_dir(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as chromium:
        yield chromium


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def in_viewport(locator: Locator, timeout_ms: int = 5000) -> bool:
    """Whether the element is (or, after smooth scrolling, comes) into view."""
    try:
        locator.page.wait_for_function(
            "e => { const r = e.getBoundingClientRect();"
            " return r.bottom > 0 && r.top < window.innerHeight; }",
            arg=locator.element_handle(),
            timeout=timeout_ms,
        )
    except PlaywrightTimeoutError:
        return False
    return True


# --------------------------------------------------------------------------- search


def open_search(page: Page, how: str) -> Locator:
    """Open Material's search the way a reader does: its keyboard shortcut or a click."""
    field = page.locator("input.md-search__input")
    if how == "click":
        field.click()  # on a wide screen the field is in the header; a click opens the results
    else:
        page.locator("body").press(how)
    expect(field).to_be_focused()
    return field


def search(page: Page, how: str, query: str, heading: str | re.Pattern[str]) -> Locator:
    """Search for ``query`` until a result titled ``heading`` shows; return all result links.

    Material builds its index in a web worker after the page loads and drops a query typed
    before it is ready, as a reader's next keystroke would resend it: so type again if needed.
    """
    results = page.locator(".md-search-result__link")
    wanted = results.filter(has=page.locator("h1, h2", has_text=heading))
    field = open_search(page, how)
    for _ in range(5):
        field.fill(query)
        try:
            expect(wanted.first).to_be_visible(timeout=2_000)
            return results
        except AssertionError:
            field.fill("")
    expect(wanted.first).to_be_visible()
    return results


@pytest.mark.parametrize(
    ("query", "how", "target", "anchor", "heading"),
    [
        (
            "Gorilla Benchmark API Bench",
            "/",
            "/benchmarks/tool-use/",
            "gorilla-api-bench-instruct",
            "Gorilla Benchmark API Bench",
        ),
        ("BFCL", "s", "/benchmarks/tool-use/", "bfcl-instruct", "BFCL"),
        ("405B Instruct", "click", "/variants/llama-3-1-405b-instruct/", None, VARIANT),
    ],
    ids=["benchmark-slash", "short-name-s", "variant-click"],
)
def test_search_finds_the_page(
    browser: Browser,
    base_url: str,
    query: str,
    how: str,
    target: str,
    anchor: str | None,
    heading: str,
) -> None:
    with visit(browser, base_url) as (page, watch):
        results = search(page, how, query, heading)
        results.first.click()
        page.wait_for_load_state("load")
        assert path_of(page) == target, f"first result for {query!r} led to {page.url}"
        if anchor is None:
            expect(page.locator("article h1")).to_have_text(re.compile(re.escape(heading)))
        else:
            # The result for the benchmark itself goes to its heading on that page.
            page.go_back()
            exactly = re.compile(f"^{re.escape(heading)}$")
            results = search(page, how, query, exactly)
            hit = results.filter(has=page.locator("h2", has_text=exactly))
            expect(hit).to_have_count(1)
            hit.click()
            page.wait_for_load_state("load")
            assert path_of(page) == target
            assert urlsplit(page.url).fragment == anchor
            target_heading = page.locator(f"[id='{anchor}']")
            expect(target_heading).to_contain_text(heading)
            assert in_viewport(target_heading)
    watch.assert_clean()


def test_open_search_is_accessible(browser: Browser, base_url: str) -> None:
    for scheme in SCHEMES:
        with visit(browser, base_url, color_scheme=scheme) as (page, watch):
            search(page, "/", "BFCL", "BFCL")
            assert_accessible(page, f"search results ({scheme})")
        watch.assert_clean()


# --------------------------------------------------------------------------- charts


@pytest.mark.parametrize("url", ["benchmarks/general/", "variants/llama-3-1-405b-instruct/", ""])
def test_charts_load_with_their_text_alternative(browser: Browser, base_url: str, url: str) -> None:
    with visit(browser, base_url + url) as (page, watch):
        figures = page.locator("figure.cs-chart")
        assert figures.count() > 0, f"no chart on /{url}"
        for figure in figures.all():
            (img,) = figure.locator("img").all()  # one image per chart, whatever the scheme
            assert (img.get_attribute("src") or "").endswith(".svg")
            # Its room is kept while it loads (loading=lazy): width and height give the ratio.
            assert int(img.get_attribute("width") or 0) > 0
            assert int(img.get_attribute("height") or 0) > 0
            img.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete", arg=img.element_handle())
            size = img.evaluate("img => [img.naturalWidth, img.naturalHeight]")
            assert size[0] > 0 and size[1] > 0, f"{img.get_attribute('src')} did not load"
            assert img.get_attribute("alt"), "chart without a text alternative"
            assert figure.locator("figcaption").inner_text().strip()
    watch.assert_clean()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_chart_follows_the_readers_scheme(
    browser: Browser, base_url: str, scheme: ColorScheme
) -> None:
    """The chart's SVG sets its colours for the reader's light or dark scheme itself."""
    from cardsite.charts.svg import DARK, LIGHT

    expected = LIGHT if scheme == "light" else DARK
    with visit(
        browser, base_url + "charts/variant--llama-3-1-405b-instruct.svg", color_scheme=scheme
    ) as (page, watch):
        text = page.evaluate(
            "() => getComputedStyle(document.documentElement)"
            ".getPropertyValue('--cs-chart-text').trim()"
        )
        assert text.lower() == expected["text"]
    watch.assert_clean()


# --------------------------------------------------------------------------- axe-core


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violations(browser: Browser, base_url: str, scheme: ColorScheme) -> None:
    for url in A11Y_PAGES:
        with visit(browser, base_url + url, color_scheme=scheme) as (page, watch):
            assert color_scheme_of(page) == MATERIAL_SCHEME[scheme]
            if SCREENSHOTS:
                name = url.strip("/").replace("/", "-") or "home"
                Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
                load_images(page)
                page.screenshot(path=f"{SCREENSHOTS}/{name}-{scheme}.png", full_page=True)
            # Folded data tables are content too: axe skips what is hidden, so unfold them.
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            assert_accessible(page, f"/{url} ({scheme})")
        watch.assert_clean()


def test_the_network_guard_catches_requests(browser: Browser, base_url: str) -> None:
    """The other tests' "nothing left the machine" means something."""
    with visit(browser, base_url) as (page, watch):
        # evaluate() waits for the fetch to settle, so the request has been routed by now.
        page.evaluate("fetch('https://example.org/x.js').catch(() => null)")
    assert watch.blocked == ["https://example.org/x.js"]


# --------------------------------------------------------------------------- keyboard


def focused(page: Page) -> dict[str, Any]:
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName,"
        " text: (e.textContent || '').trim(), label: e.getAttribute('aria-label') || '',"
        " cls: e.className || '', in_content: !!e.closest('.md-content')}; }"
    )


def test_skip_link_comes_first_and_moves_to_the_content(browser: Browser, base_url: str) -> None:
    with visit(browser, base_url + "benchmarks/general/") as (page, watch):
        page.keyboard.press("Tab")
        first = focused(page)
        assert first["text"] == "Skip to content", f"first Tab stop: {first}"
        assert "md-skip" in first["cls"]
        page.keyboard.press("Enter")
        fragment = urlsplit(page.url).fragment
        assert fragment, "the skip link did not go anywhere"
        target = page.locator(f"[id='{fragment}']")
        assert target.evaluate("e => !!e.closest('.md-content')")
        assert in_viewport(target)
        # Keyboard focus continues from the content, not from the header or navigation.
        page.keyboard.press("Tab")
        after = focused(page)
        assert after["in_content"], f"Tab after the skip link went to {after}"
    watch.assert_clean()


def tab_until(page: Page, selector: str, limit: int = 300) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def test_compare_headings_sort_from_the_keyboard(browser: Browser, base_url: str) -> None:
    with visit(browser, base_url + "compare/") as (page, watch):
        table = page.locator(".cs-compare table")
        headers = table.locator("thead th")
        tab_until(page, ".cs-compare th .cs-sort")
        assert focused(page)["text"] == "Benchmark"
        page.keyboard.press("Enter")
        expect(headers.first).to_have_attribute("aria-sort", "ascending")
        names = column(table, 0)
        initials = [name[0].lower() for name in names]
        assert initials == sorted(initials), names  # A to Z (the browser's collation decides ties)
        # Onwards to the sort button of a model's column, past the link to its page.
        label = f"Sort by {VARIANT}"
        tab_until(page, f".cs-compare th .cs-sort[aria-label='{label}']")
        page.keyboard.press("Enter")
        index = header_index(table, VARIANT)
        expect(headers.nth(index)).to_have_attribute("aria-sort", "descending")
        expect(headers.first).not_to_have_attribute("aria-sort", re.compile(".*"))
        assert_sorted(column(table, index), descending=True)
        page.keyboard.press(" ")
        expect(headers.nth(index)).to_have_attribute("aria-sort", "ascending")
        assert_sorted(column(table, index), descending=False)
    watch.assert_clean()


# --------------------------------------------------------------------------- compare table


def header_index(table: Locator, name: str) -> int:
    texts = [t.strip() for t in table.locator("thead th").all_inner_texts()]
    return texts.index(name)


def column(table: Locator, index: int) -> list:
    """The column's cells in row order: a number, None for a dash, or text."""
    return table.evaluate(
        """(t, i) => Array.from(t.tBodies[0].rows, r => {
             const c = r.cells[i];
             if (c.querySelector('.cs-missing')) return null;
             const s = c.textContent.trim();
             return /^-?[0-9.]+$/.test(s) ? Number(s) : s;
           })""",
        index,
    )


def row_texts(table: Locator) -> list[list[str]]:
    """Every body row's cell texts, in an order that does not depend on the sort."""
    rows = table.evaluate(
        "t => Array.from(t.tBodies[0].rows, r => Array.from(r.cells, c => c.textContent.trim()))"
    )
    return sorted(rows)


def assert_sorted(values: list, *, descending: bool) -> None:
    present = [v for v in values if v is not None]
    assert present, "the column has no scores"
    assert all(isinstance(v, float | int) for v in present), present
    assert values[: len(present)] == present, f"a dash sorted before a score: {values}"
    assert present == sorted(present, reverse=descending), values


@pytest.mark.parametrize("name", [VARIANT, "Llama 3 70B Instruct"])
def test_compare_table_sorts_by_a_model(browser: Browser, base_url: str, name: str) -> None:
    with visit(browser, base_url + "compare/") as (page, watch):
        table = page.locator(".cs-compare table")
        headers = table.locator("thead th")
        before = row_texts(table)
        index = header_index(table, name)
        header = headers.nth(index)
        button = header.locator(".cs-sort")
        expect(button).to_have_count(1)
        assert None in column(table, index), "expected dashes in this column"

        button.click()
        expect(header).to_have_attribute("aria-sort", "descending")
        assert_sorted(column(table, index), descending=True)
        assert page.evaluate("document.querySelectorAll('th[aria-sort]').length") == 1

        button.click()
        expect(header).to_have_attribute("aria-sort", "ascending")
        assert_sorted(column(table, index), descending=False)

        # Whole rows moved: every benchmark still has its own scores.
        assert row_texts(table) == before
        assert len(before) == table.locator("tbody tr").count()

        link = header.locator("a")
        if link.count():
            # The name still links to the model's page; following it does not sort.
            link.click()
            page.wait_for_load_state("load")
            assert path_of(page).startswith("/variants/")
    watch.assert_clean()


def test_search_loads_only_when_a_reader_starts_to_search(browser: Browser, base_url: str) -> None:
    """A first visit fetches the page, not the search: no worker, index or language files
    until the search box is used; then search answers."""
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(base_url + "variants/llama-3-1-8b-instruct/", wait_until="networkidle")
        page.wait_for_timeout(1000)
        assert len(fetched) > 3
        assert not [u for u in fetched if "/search" in u or "lunr" in u], fetched
        results = search(page, "/", "BFCL", "BFCL")
        assert results.count() > 0
        assert any(u.endswith("search/search_index.json") for u in fetched)
    finally:
        context.close()


def test_a_link_named_here_says_where_it_goes(browser: Browser, base_url: str) -> None:
    """The card's "found [here](...)" links: a screen reader (the accessible name) hears the
    address, a sighted reader still sees "here", and the page grows no wider for it."""
    with visit(browser, base_url) as (page, watch):
        link = page.get_by_role(
            "link", name="here (github.com/meta-llama/llama-recipes)", exact=True
        )
        expect(link).to_have_count(1)
        assert link.evaluate("a => a.innerText.trim()").startswith("here")
        hidden = link.locator(".cs-sr").bounding_box()
        assert hidden is not None and hidden["width"] <= 1 and hidden["height"] <= 1
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    watch.assert_clean()


def _mean_lightness(png: bytes) -> float:
    import io

    from PIL import Image, ImageStat

    return ImageStat.Stat(Image.open(io.BytesIO(png)).convert("L")).mean[0]


def test_a_chart_follows_the_palette_toggle(browser: Browser, base_url: str) -> None:
    """A reader whose system is light but who switches the site to dark (Material's toggle)
    gets dark charts too: the chart images take the page's ``color-scheme``."""
    with visit(browser, base_url + "benchmarks/code/", color_scheme="light") as (page, watch):
        chart = page.locator("article img[src$='.svg']").first
        chart.scroll_into_view_if_needed()
        load_images(page)
        light = _mean_lightness(chart.screenshot())
        page.locator("label.md-header__button[for^='__palette']:visible").first.click()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        page.wait_for_timeout(300)  # the image is drawn again in its dark colours
        dark = _mean_lightness(chart.screenshot())
        assert light > 200 and dark < 80, (light, dark)
    watch.assert_clean()
