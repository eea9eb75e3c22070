"""Embeddable output: HTML fragments (``dist/embed/``), their preview page, and the iframe pages
(``site/embed/<name>/``).

A fragment goes into someone else's page (a wiki's HTML block): it must run nothing, fetch
nothing, style nothing outside itself, parse as valid HTML5, carry its page's title, link to
the hosted site (the session build used ``--site-url https://example.org/llama/``), fit 600 px,
and live beside another fragment without id clashes.

Set CARDSITE_SCREENSHOTS=/some/folder to save screenshots of fragments rendered at 600 px.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import html5lib
import pytest
from bs4 import BeautifulSoup, Tag
from playwright.sync_api import Browser, Page, Route, expect

from cardsite.card.loader import load_card
from cardsite.card.models import Card
from tests.browser import launch, serve_dir, visit
from tests.conftest import CARD_DIR

SITE_URL = "https://example.org/llama/"
ROOT = "cardsite-embed"
WIDTH = 600
SCREENSHOTS = os.environ.get("CARDSITE_SCREENSHOTS")
#: Elements that load something or run something; none belongs in a fragment.
FETCHING_TAGS = (
    "script",
    "link",
    "img",
    "iframe",
    "frame",
    "object",
    "embed",
    "video",
    "audio",
    "source",
    "track",
    "picture",
    "image",
    "feimage",
    "base",
    "meta",
    "form",
    "input",
    "button",
    "noscript",
    "template",
    "portal",
)
#: Attributes that name a URL to fetch or submit to.
URL_ATTRIBUTES = (
    "src",
    "srcset",
    "poster",
    "data",
    "action",
    "formaction",
    "background",
    "ping",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "manifest",
    "codebase",
    "cite",
)
_URL_FUNCTION = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE)
_ROOT_SELECTOR = re.compile(rf"^\.{ROOT}(?![\w-])")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def card() -> Card:
    return load_card(CARD_DIR)[0]


@pytest.fixture(scope="module")
def embed_dir(built_project: Path) -> Path:
    return built_project / "dist" / "embed"


@pytest.fixture(scope="module")
def expected(card: Card) -> dict[str, str]:
    """Fragment name -> the hosted page's URL, for every page that gets a fragment."""
    names = {"overview": "", "training": "training/"}
    names |= {f"variants-{v.id}": f"variants/{v.id}/" for v in card.own_variants}
    names |= {f"benchmarks-{c.id}": f"benchmarks/{c.id}/" for c in card.categories}
    assert len(names) == 2 + 6 + 8
    return names


@pytest.fixture(scope="module")
def fragments(embed_dir: Path, expected: dict[str, str]) -> dict[str, str]:
    """Fragment name -> its HTML text."""
    return {name: (embed_dir / f"{name}.html").read_text(encoding="utf-8") for name in expected}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as chromium:
        yield chromium


@cache
def parse(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


def root_of(text: str) -> Tag:
    roots = [e for e in parse(text).contents if isinstance(e, Tag)]
    assert len(roots) == 1, f"a fragment has one root element, found {[r.name for r in roots]}"
    assert ROOT in (roots[0].get("class") or []), roots[0].attrs
    return roots[0]


def hosted_h1(site: Path, url: str) -> str:
    doc = parse((site / url / "index.html").read_text(encoding="utf-8"))
    heading = doc.select_one("article h1")
    assert heading is not None, url
    for link in heading.select("a.headerlink"):
        link.decompose()
    return heading.get_text(" ", strip=True)


def css_selectors(css: str) -> tuple[list[str], list[str]]:
    """(every selector of every rule, at-rules other than @media/@supports)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    selectors: list[str] = []
    at_rules: list[str] = []
    pos = 0
    while True:
        start = css.find("{", pos)
        if start < 0:
            assert not css[pos:].strip(), f"stray CSS: {css[pos:]!r}"
            break
        prelude = css[pos:start].strip()
        depth, end = 1, start + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        body = css[start + 1 : end - 1]
        if prelude.startswith(("@media", "@supports")):
            inner, inner_at = css_selectors(body)
            selectors += inner
            at_rules += inner_at
        elif prelude.startswith("@"):
            at_rules.append(prelude)
        else:
            selectors += [s.strip() for s in prelude.split(",")]
        pos = end
    return selectors, at_rules


# --------------------------------------------------------------------------- the fragments


def test_one_fragment_per_page(embed_dir: Path, expected: dict[str, str]) -> None:
    written = {p.stem for p in embed_dir.glob("*.html")} - {"index"}
    assert written == set(expected)


def test_fragments_run_nothing(fragments: dict[str, str]) -> None:
    for name, text in fragments.items():
        root = root_of(text)
        assert root.find("script") is None, name
        assert "<script" not in text.lower(), name
        for element in [root, *root.find_all(True)]:
            for attr, value in element.attrs.items():
                assert not attr.lower().startswith("on"), f"{name}: <{element.name} {attr}>"
                values = value if isinstance(value, list) else [value]
                for v in values:
                    squashed = re.sub(r"[\s\x00-\x1f]", "", str(v)).lower()
                    assert "javascript:" not in squashed, f"{name}: <{element.name} {attr}={v}>"
                    assert "vbscript:" not in squashed and "data:text/html" not in squashed


def test_fragments_fetch_nothing(fragments: dict[str, str]) -> None:
    """Only ``<a href>`` may point elsewhere; charts are inline SVG and styles use no url()
    but references to ids (``url(#clip)``)."""
    for name, text in fragments.items():
        root = root_of(text)
        tags = sorted({e.name for e in root.find_all(FETCHING_TAGS)})
        assert not tags, f"{name}: {tags}"
        for element in [root, *root.find_all(True)]:
            for attr, value in element.attrs.items():
                where = f"{name}: <{element.name} {attr}={str(value)[:80]!r}>"
                assert attr not in URL_ATTRIBUTES, where
                if attr in {"href", "xlink:href"} and element.name != "a":
                    assert str(value).startswith("#"), where
                for _quote, url in _URL_FUNCTION.findall(str(value)):
                    assert url.startswith("#"), where
        for style in root.find_all("style"):
            css = style.get_text()
            assert "@import" not in css, name
            for _quote, url in _URL_FUNCTION.findall(css):
                assert url.startswith("#"), f"{name}: <style> url({url})"


def test_fragment_styles_are_scoped(fragments: dict[str, str]) -> None:
    for name, text in fragments.items():
        styles = root_of(text).find_all("style")
        assert styles, f"{name}: no <style>"
        for style in styles:
            selectors, at_rules = css_selectors(style.get_text())
            assert selectors, name
            assert not at_rules, f"{name}: {at_rules}"
            unscoped = [s for s in selectors if not _ROOT_SELECTOR.match(s)]
            assert not unscoped, f"{name}: selectors outside .{ROOT}: {unscoped}"


def test_fragments_are_valid_html5(fragments: dict[str, str]) -> None:
    for name, text in fragments.items():
        parser = html5lib.HTMLParser(strict=True)
        try:
            parser.parseFragment(text)
        except html5lib.html5parser.ParseError as err:
            pytest.fail(f"{name}: {err}")


def test_fragments_are_titled_like_their_page(
    site: Path, fragments: dict[str, str], expected: dict[str, str], card: Card
) -> None:
    for name, text in fragments.items():
        root = root_of(text)
        heading = root.find(["h1", "h2", "h3", "h4", "h5", "h6"])
        assert heading is not None and heading.name == "h1", name
        title = hosted_h1(site, expected[name])
        assert heading.get_text(" ", strip=True) == title, name
        assert root.get("data-title") == title, name
    by_name = {n: root_of(t).find("h1").get_text(strip=True) for n, t in fragments.items()}
    for variant in card.own_variants:
        assert by_name[f"variants-{variant.id}"] == variant.name
    for category in card.categories:
        assert by_name[f"benchmarks-{category.id}"] == category.name


def test_fragment_links_go_to_the_hosted_site(site: Path, fragments: dict[str, str]) -> None:
    """Every link is absolute; those to our pages point into https://example.org/llama/ at a
    page (and anchor) the hosted site has."""
    internal = 0
    for name, text in fragments.items():
        for a in root_of(text).find_all("a"):
            href = str(a.get("href", ""))
            parts = urlsplit(href)
            assert parts.scheme in {"https", "http", "mailto"}, f"{name}: {a}"
            if parts.netloc != "example.org":
                continue
            internal += 1
            assert href.startswith(SITE_URL), f"{name}: {href}"
            path = unquote(parts.path.removeprefix(urlsplit(SITE_URL).path))
            page = site / path / "index.html"
            assert page.is_file(), f"{name}: {href} is no hosted page"
            if parts.fragment:
                assert parse(page.read_text(encoding="utf-8")).find(id=parts.fragment), (
                    f"{name}: {href}: no such anchor"
                )
    assert internal > 100


def svg_ids(text: str) -> list[str]:
    return [
        str(e["id"])
        for svg in root_of(text).find_all("svg")
        for e in [svg, *svg.find_all(True)]
        if e.get("id")
    ]


def test_svg_ids_are_unique_and_resolve(fragments: dict[str, str]) -> None:
    for name, text in fragments.items():
        ids = svg_ids(text)
        assert len(ids) == len(set(ids)), f"{name}: duplicate ids inside its charts"
        for svg in root_of(text).find_all("svg"):
            inside = {str(e["id"]) for e in svg.find_all(True) if e.get("id")}
            for element in svg.find_all(True):
                for attr, value in element.attrs.items():
                    refs = [u[1:] for _q, u in _URL_FUNCTION.findall(str(value))]
                    if attr in {"href", "xlink:href"}:
                        refs.append(str(value)[1:])
                    missing = [r for r in refs if r not in inside]
                    assert not missing, f"{name}: <{element.name} {attr}> -> {missing}"


def test_svg_ids_do_not_clash_between_fragments(fragments: dict[str, str]) -> None:
    ids = {name: set(svg_ids(text)) for name, text in fragments.items()}
    assert sum(map(len, ids.values())) > 1000
    for a, b in itertools.combinations(ids, 2):
        clash = ids[a] & ids[b]
        assert not clash, f"{a} and {b} share ids: {sorted(clash)[:5]}"


# --------------------------------------------------------------------------- in a browser


def host_page(*fragments: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>host</title></head><body>\n" + "\n".join(fragments) + "</body></html>"
    )


@pytest.fixture
def bare_page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A 600 px wide page where any request at all is aborted and recorded."""
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, service_workers="block")
    context.set_default_timeout(30_000)
    requests: list[str] = []

    def route(route: Route) -> None:
        requests.append(route.request.url)
        route.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", lambda request: requests.append(f"request: {request.url}"))
    page.on("requestfailed", lambda request: requests.append(f"failed: {request.url}"))
    page.on(
        "console",
        lambda m: (
            requests.append(f"console {m.type}: {m.text}")
            if m.type in {"error", "warning"}
            else None
        ),
    )
    page.on("pageerror", lambda error: requests.append(f"page error: {error}"))
    try:
        yield page, requests
    finally:
        context.close()


MEASURE = """() => {
  const roots = [...document.querySelectorAll(".cardsite-embed")];
  const charts = [...document.querySelectorAll(".cardsite-embed svg.cs-chart-svg")].map(svg => {
    const box = svg.getBoundingClientRect();
    const vb = svg.viewBox.baseVal;
    return {width: box.width, height: box.height, right: box.right,
            ratio: vb && vb.width ? vb.height / vb.width : null};
  });
  return {
    pageWidth: document.documentElement.scrollWidth,
    roots: roots.map(r => ({scroll: r.scrollWidth, client: r.clientWidth,
                            right: r.getBoundingClientRect().right,
                            font: getComputedStyle(r).fontFamily})),
    charts,
    svgIds: [...document.querySelectorAll("svg[id], svg [id]")].map(e => e.id),
    bodyFont: getComputedStyle(document.body).fontFamily,
  };
}"""


@pytest.mark.browser
def test_fragments_render_at_600px_with_no_request(
    bare_page: tuple[Page, list[str]], fragments: dict[str, str]
) -> None:
    page, requests = bare_page
    for name, text in fragments.items():
        page.set_content(host_page(text), wait_until="load")
        m = page.evaluate(MEASURE)
        assert m["pageWidth"] <= WIDTH, f"{name}: the page scrolls sideways ({m['pageWidth']} px)"
        (root,) = m["roots"]
        assert root["right"] <= WIDTH and root["scroll"] <= root["client"], f"{name}: {root}"
        for chart in m["charts"]:
            assert chart["width"] > 0 and chart["right"] <= WIDTH, f"{name}: {chart}"
            # viewBox read as SVG (not a lower-case HTML attribute): height follows the width
            assert chart["ratio"], f"{name}: chart has no viewBox"
            assert chart["height"] == pytest.approx(chart["width"] * chart["ratio"], rel=0.02)
        if SCREENSHOTS and name in {"variants-llama-3-1-8b-instruct", "benchmarks-general"}:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SCREENSHOTS) / f"embed-{name}-600.png"), full_page=True)
        assert not requests, f"{name}: {requests}"


@pytest.mark.browser
def test_all_fragments_on_one_page(
    bare_page: tuple[Page, list[str]], fragments: dict[str, str]
) -> None:
    """Every fragment together: still no request, no sideways scroll, no SVG id twice, and the
    host page's own styles untouched (fragment CSS is scoped)."""
    page, requests = bare_page
    page.set_content(host_page(*fragments.values()), wait_until="load")
    m = page.evaluate(MEASURE)
    assert len(m["roots"]) == len(fragments)
    assert m["pageWidth"] <= WIDTH
    assert len(m["svgIds"]) == len(set(m["svgIds"])) > 1000
    assert "system-ui" not in m["bodyFont"], "fragment CSS reached the host page's body"
    assert not requests, requests


# --------------------------------------------------------------------------- iframe pages


def test_iframe_pages_hold_the_fragment_alone(
    site: Path, fragments: dict[str, str], expected: dict[str, str]
) -> None:
    for name, text in fragments.items():
        path = site / "embed" / name / "index.html"
        doc = parse(path.read_text(encoding="utf-8"))
        assert not doc.select(
            ".md-header, .md-nav, .md-footer, .md-sidebar, header, nav, footer, script"
        ), name
        base = doc.find("base")
        assert base is not None and base.get("target") == "_top", name
        assert all(a.get("target") in (None, "_top") for a in doc.find_all("a")), name
        (root,) = doc.select(f".{ROOT}")
        assert root.get_text(" ", strip=True) == root_of(text).get_text(" ", strip=True), name
        title = doc.find("title")
        assert title is not None and title.get_text() == hosted_h1(site, expected[name])
        for a in root.find_all("a"):
            href = str(a["href"])
            parts = urlsplit(href)
            if parts.scheme:
                continue
            target = urlsplit(urljoin(f"/embed/{name}/", href)).path
            assert (site / target.lstrip("/") / "index.html").is_file(), f"{name}: {href}"


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve_dir(site) as url:
        yield url


@pytest.mark.browser
def test_iframe_page_links_open_in_the_top_window(browser: Browser, base_url: str) -> None:
    with visit(browser, base_url + "embed/variants-llama-3-1-8b/") as (page, watch):
        page.set_content(
            f'<iframe src="{base_url}embed/variants-llama-3-1-8b/" width="600" height="600">'
            "</iframe>",
            wait_until="load",
        )
        frame = page.frame_locator("iframe")
        expect(frame.locator("h1")).to_have_text("Llama 3.1 8B")
        assert not frame.locator(".md-header, .md-footer, nav").count()
        frame.locator("a", has_text="Llama 3.1 8B Instruct").first.click()
        page.wait_for_url(base_url + "variants/llama-3-1-8b-instruct/")
        expect(page.locator("article h1")).to_contain_text("Llama 3.1 8B Instruct")
    watch.assert_clean()


# --------------------------------------------------------------------------- preview page


def test_preview_page_offers_both_snippets(embed_dir: Path, fragments: dict[str, str]) -> None:
    doc = parse((embed_dir / "index.html").read_text(encoding="utf-8"))
    previews = [str(f["src"]) for f in doc.select("iframe.preview")]
    assert sorted(previews) == sorted(f"{name}.html" for name in fragments)
    for name, text in fragments.items():
        section = doc.find("section", id=name)
        assert section is not None, name
        fragment_box = section.find("textarea", id=f"{name}-html")
        iframe_box = section.find("textarea", id=f"{name}-iframe")
        assert fragment_box is not None and iframe_box is not None, name
        assert fragment_box.get_text() == text, f"{name}: the snippet is not the fragment"
        iframe_snippet = parse(iframe_box.get_text()).find("iframe")
        assert iframe_snippet is not None and iframe_snippet["src"] == f"{SITE_URL}embed/{name}/"
        buttons = {str(b["data-copy"]) for b in section.find_all("button")}
        assert buttons == {f"{name}-html", f"{name}-iframe"}, name


@pytest.mark.browser
def test_preview_page_previews_and_copies(
    browser: Browser, embed_dir: Path, fragments: dict[str, str]
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.set_default_timeout(30_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    outside: list[str] = []

    def route(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", route)
    try:
        page = context.new_page()
        page.goto((embed_dir / "index.html").as_uri(), wait_until="load")
        for name in fragments:
            preview = page.locator(f"section#{name} iframe.preview")
            preview.scroll_into_view_if_needed()
            expect(
                page.frame_locator(f"section#{name} iframe.preview").locator(f".{ROOT} h1")
            ).to_be_visible()
        for name in ("overview", "variants-llama-3-1-405b-instruct"):
            for kind, label in (("html", "Copy fragment"), ("iframe", "Copy iframe")):
                button = page.locator(f"button[data-copy='{name}-{kind}']")
                expect(button).to_have_text(label)
                button.click()
                expect(button).to_have_text("Copied")
                copied = page.evaluate("navigator.clipboard.readText()")
                assert copied == page.locator(f"#{name}-{kind}").input_value(), name
        assert copied.startswith(f'<iframe src="{SITE_URL}embed/')
        assert not outside, outside
    finally:
        context.close()


def test_markup_in_an_attribute_is_escaped_in_the_fragment(tmp_path: Path) -> None:
    """Card text in a title (e.g. the printed form of a missing score) that looks like an HTML
    comment comes out as entities: libxml2 alone would write ``<!--...-->`` as is."""
    from cardsite.targets.embed import EmbedPage, extract_fragment

    text = "a <!--<script>alert(1)</script>--> b <i>"
    escaped = text.replace("<", "&lt;").replace(">", "&gt;")
    page = tmp_path / "x" / "index.html"
    page.parent.mkdir()
    page.write_text(
        '<html><body><article class="md-content__inner">'
        f'<p><span title="{escaped}">n/a</span> {escaped}</p></article></body></html>',
        encoding="utf-8",
    )
    body = extract_fragment(tmp_path, EmbedPage("x/", "X", "x"))
    assert "<!--" not in body and "<script" not in body and "<i>" not in body
    assert parse(body).find("span")["title"] == text
