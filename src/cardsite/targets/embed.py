"""Wiki embedding: self-contained HTML fragments and iframe-friendly pages, cut from the site.

A fragment is the content of one built page (its ``<article>``), made to live inside someone
else's page: charts inlined as SVG (light version, ids prefixed so two charts never clash), CSS
inlined and scoped under one root class, every link absolute (to the hosted site) or unwrapped,
and nothing that runs: no ``<script>``, no ``on*`` attribute, no ``javascript:`` URL. The same
content wrapped in a bare HTML document is the iframe page (``site/embed/<name>/``).
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from cardsite.charts import inline_svg
from cardsite.paths import ASSETS

ROOT_CLASS = "cardsite-embed"
EMBED_CSS = ASSETS / "embed.css"
_ARTICLE = re.compile(r"<article\b[^>]*\bmd-content__inner\b.*?</article>", re.S)
_CHART_SLOT = re.compile(r"@@cardsite-chart-(\d+)@@")
LINK_SLOT_ATTR = "data-cardsite-link"
_LINK_SLOT = re.compile(
    rf'(?P<open><a\b[^>]*?(?P<slot> {LINK_SLOT_ATTR}="(?P<target>[^"#]*)#(?P<anchor>[^"]*)")'
    r"[^>]*>)(?P<text>.*?)</a>",
    re.S,
)


@dataclass(frozen=True)
class EmbedPage:
    """One page to embed: its URL in the hosted site, its H1 and its fragment's file stem."""

    url: str  # e.g. "variants/llama-3-1-8b/" ("" for the home page)
    title: str
    name: str  # e.g. "variants-llama-3-1-8b"
    prefix: str = ""  # the card's folder in the site ("" when the card is the whole site)


def fragment_name(src: str) -> str:
    """``variants/llama-3-1-8b.md`` -> ``variants-llama-3-1-8b``; the home page is ``overview``."""
    stem = src.removesuffix(".md").removesuffix("index").strip("/")
    return stem.replace("/", "-") or "overview"


def page_url(src: str) -> str:
    """The directory URL MkDocs gives a page source (``training.md`` -> ``training/``)."""
    stem = src.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


LinkMap = Callable[[str, str], str | None]
"""(target page URL, anchor) -> the href to use, or None to keep the text without a link."""


def extract_fragment(site_dir: Path, page: EmbedPage) -> str:
    """The page's content as a fragment body (without the root wrapper).

    Internal links are left as slots that :func:`resolve_links` fills, so one page is cut once
    and serves both the wiki fragment and the iframe page, whose links differ.
    """
    text = (site_dir / page.url / "index.html").read_text(encoding="utf-8")
    # Only the article is parsed (by lxml, straight into its tree: this runs once per page of
    # every build): the rest of a Material page (nav, search) is most of its bytes and none of
    # the fragment.
    match = _ARTICLE.search(text)
    if match is None:
        raise ValueError(f"{page.url or 'home page'}: no article in the built page")
    article = lxml.html.fragment_fromstring(match[0])
    for junk in article.xpath(_JUNK):
        junk.drop_tree()  # keeps the text that follows it
    charts: list[str] = []
    for img in list(article.iter("img")):
        _inline_chart(img, site_dir / page.url, charts)
    for a in list(article.iter("a")):
        if a.get("href") is not None:
            _mark_link(a, page.url)
    _strip_handlers(article)
    body = _escaped_attributes(article, html.unescape(match[0]))
    # Charts go in as text after serialising: parsed as HTML they would lose SVG's camelCase
    # names (viewBox, clipPath), which XML-minded hosts do not forgive.
    return _CHART_SLOT.sub(lambda m: charts[int(m[1])], body)


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_JUNK = (
    f".//a[{_has_class('headerlink')}] | .//*[{_has_class('md-source-file')}]"
    f" | .//*[{_has_class('md-content__button')}] | .//script"
)
"""What a fragment leaves out: heading permalinks, the page's edit/source buttons and dates, and
any script."""


def _escaped_attributes(article: HtmlElement, source_text: str) -> str:
    """The article's content as HTML, with ``<`` and ``>`` escaped in attribute values too.

    libxml2 writes an attribute's ``<!--...-->`` as is (a nod to server-side includes): harmless
    to an HTML5 parser inside quotes, but card text that looks like markup must never reach a
    wiki host that way. So those characters are swapped for two private-use characters the page
    does not hold before serialising, and for their entities after.
    """
    unused = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in source_text)
    lt, gt = next(unused, ""), next(unused, "")
    if not gt:  # a page holding all 6,400 private-use characters: quoted is safe enough
        return _inner_html(article).strip()
    swap = str.maketrans({"<": lt, ">": gt})
    for element in article.iter(etree.Element):
        for name, value in element.attrib.items():
            if "<" in value or ">" in value:
                element.attrib[name] = value.translate(swap)
    body = _inner_html(article).strip()
    return body.replace(lt, "&lt;").replace(gt, "&gt;")


def _inner_html(element: HtmlElement) -> str:
    """An element's content as HTML, without the element's own tags."""
    head = html.escape(element.text or "", quote=False)
    return head + "".join(lxml.html.tostring(child, encoding="unicode") for child in element)


def resolve_links(body: str, link_for: LinkMap) -> str:
    """Fill the link slots of a fragment body; a link with nowhere to go keeps only its text.

    Slots are whole ``<a>`` elements, which never nest, so a pattern finds each one exactly.
    """

    def fill(match: re.Match[str]) -> str:
        href = link_for(html.unescape(match["target"]), html.unescape(match["anchor"]))
        if href is None:
            return match["text"]
        opening = match["open"].replace(match["slot"], f' href="{html.escape(href)}"')
        return f"{opening}{match['text']}</a>"

    return _LINK_SLOT.sub(fill, body)


def wrap_fragment(body: str, title: str) -> str:
    """The fragment a wiki's HTML block takes: one root element, its CSS scoped inside."""
    css = _embed_css()
    return (
        f'<div class="{ROOT_CLASS}" lang="en" data-title="{html.escape(title)}">\n'
        f"<style>\n{css}\n</style>\n{body}\n</div>\n"
    )


@functools.cache
def _embed_css() -> str:
    return EMBED_CSS.read_text(encoding="utf-8").strip()


def iframe_document(fragment: str, title: str) -> str:
    """A whole HTML page around a fragment; links open in the top window, not the iframe."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        '<base target="_top">\n</head>\n'
        f"<body>\n{fragment}</body>\n</html>\n"
    )


def _inline_chart(img: HtmlElement, page_dir: Path, charts: list[str]) -> None:
    """Replace a chart's ``<img>`` by a slot that :func:`extract_fragment` fills with the
    chart's SVG: a fragment carries its charts (it loads nothing), in the page's light colours
    (``.cardsite-embed`` sets them)."""
    path = Path(img.get("src", "").partition("#")[0])
    if path.suffix == ".svg":
        svg = (page_dir / path).resolve().read_text(encoding="utf-8")
        charts.append(_inline_svg(svg, path.stem, img.get("alt", "")))
        img.tail = f"@@cardsite-chart-{len(charts) - 1}@@" + (img.tail or "")
    img.drop_tree()


@functools.cache
def _inline_svg(svg: str, chart_id: str, alt: str) -> str:
    return inline_svg(svg, chart_id, alt)


def _mark_link(a: HtmlElement, from_url: str) -> None:
    """Keep web links (opened safely); turn site links into slots; drop any other scheme."""
    href = a.get("href", "")
    parts = urlsplit(href)
    if parts.scheme in {"http", "https", "mailto"}:
        a.set("rel", "noopener noreferrer")
        return
    if parts.scheme or href.startswith("//"):
        a.drop_tag()  # anything else (javascript:, data:) is not a link we keep
        return
    if not parts.path:  # an anchor on the same page
        target = from_url
    else:
        target = posixpath.normpath(posixpath.join("/" + from_url, parts.path)).lstrip("/")
        target = "" if target in {".", ""} else target.rstrip("/") + "/"
    del a.attrib["href"]
    a.set(LINK_SLOT_ATTR, f"{target}#{parts.fragment}")


def _strip_handlers(root: HtmlElement) -> None:
    for element in root.iter(etree.Element):
        for attr in [name for name in element.attrib if name.lower().startswith("on")]:
            del element.attrib[attr]


# ------------------------------------------------------------------------- writing outputs


def embed_pages(pages: list[tuple[str, str, str]]) -> list[EmbedPage]:
    """The pages worth embedding, from (prefix, source, title) triples: overview, training,
    variants, categories."""
    return [
        EmbedPage(page_url(prefix + src), title, fragment_name(prefix + src), prefix)
        for prefix, src, title in pages
        if src in {"index.md", "training.md"} or src.startswith(("variants/", "benchmarks/"))
    ]


def write_fragments(
    bodies: dict[str, str],
    pages: list[EmbedPage],
    out_dir: Path,
    site_url: str | None,
    render_index: Callable[[list[dict[str, str]]], str],
) -> None:
    """``out_dir/<name>.html`` per page, and ``out_dir/index.html`` to preview and copy them.

    ``bodies`` maps each page's name to :func:`extract_fragment`'s result.
    """
    names = {p.url: p.name for p in pages}

    def link_for(target: str, anchor: str) -> str | None:
        suffix = f"#{anchor}" if anchor else ""
        if site_url:
            return f"{site_url.rstrip('/')}/{target}{suffix}"
        return f"{names[target]}.html{suffix}" if target in names else None

    out_dir.mkdir(parents=True, exist_ok=True)
    listing = []
    for page in pages:
        fragment = wrap_fragment(resolve_links(bodies[page.name], link_for), page.title)
        (out_dir / f"{page.name}.html").write_text(fragment, encoding="utf-8", newline="\n")
        iframe_src = (
            f"{site_url.rstrip('/')}/embed/{page.name}/"
            if site_url
            else f"https://YOUR-HOSTED-SITE/embed/{page.name}/"
        )
        listing.append(
            {
                "name": page.name,
                "title": page.title,
                "html": fragment,
                "iframe": f'<iframe src="{html.escape(iframe_src)}" '
                f'title="{html.escape(page.title)}" width="100%" height="800" loading="lazy">'
                "</iframe>",
            }
        )
    (out_dir / "index.html").write_text(render_index(listing), encoding="utf-8", newline="\n")


def write_iframe_pages(bodies: dict[str, str], pages: list[EmbedPage], site_dir: Path) -> None:
    """``site/embed/<name>/index.html``: the page's content alone, for wikis that take iframes.

    Links go back to the hosted pages (relative, so the site can move) in the top window.
    """

    def link_for(target: str, anchor: str) -> str:
        return f"../../{target}" + (f"#{anchor}" if anchor else "")

    for page in pages:
        fragment = wrap_fragment(resolve_links(bodies[page.name], link_for), page.title)
        out = site_dir / "embed" / page.name / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(iframe_document(fragment, page.title), encoding="utf-8", newline="\n")
