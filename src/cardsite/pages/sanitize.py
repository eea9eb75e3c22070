"""Card prose is untrusted: Markdown in, HTML out, cleaned to an allow-list.

The prose is rendered to HTML here and cleaned with nh3 before it reaches a page, so whichever
builder reads the generated Markdown gets HTML that cannot run a script: no ``<script>``, event
handlers, ``javascript:`` URLs, frames, objects or style tricks. What the card itself uses
survives: paragraphs, lists, emphasis, links, tables and
``<span style="text-decoration:underline;">``.

The renderer is markdown-it-py (CommonMark and its tables), whose time grows linearly with the
text: hostile prose (thousands of ``[`` or ``![``) costs what ordinary prose of its length costs,
where Python-Markdown's link patterns take quadratic time. Both are linear in nh3.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "span": {"style"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
# Only properties that change how text looks, never where it goes or what covers it.
ALLOWED_STYLE_PROPERTIES = {"text-decoration", "font-style", "font-weight"}
URL_SCHEMES = {"http", "https", "mailto"}


def _absolute_links_only(tag: str, attribute: str, value: str) -> str | None:
    """A link of the card's that is relative (``docs/guide.md``, ``#usage``) points into the
    card's own repository or document, not into this site: the link goes (its text stays, see
    :func:`_mend_link`)."""
    if tag == "a" and attribute == "href" and not urlsplit(value).scheme:
        return None
    return value


def clean_html(text: str) -> str:
    """Clean ``text`` to the allow-list, then mend each link (:func:`_mend_link`)."""
    return _LINK.sub(_mend_link, _clean(text))


def _clean(text: str) -> str:
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties=ALLOWED_STYLE_PROPERTIES,
        link_rel="noopener noreferrer",
        attribute_filter=_absolute_links_only,
    )


VAGUE_LINK_TEXTS = frozenset(
    {
        "click here",
        "click this",
        "go",
        "here",
        "info",
        "information",
        "learn more",
        "link",
        "more",
        "more info",
        "more information",
        "read more",
        "right here",
        "see more",
        "start",
        "this",
        "this link",
        "this page",
    }
)
"""Link texts that say nothing of where the link goes, taken alone (WCAG 2.4.4)."""

_LINK = re.compile(r"<a\b(?P<attrs>[^>]*)>(?P<text>.*?)</a>", re.DOTALL)
"""A link of clean HTML: links never nest, and nh3's output is well-formed, so the pattern finds
each one whole."""
_HREF = re.compile(r'\shref="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")


def _mend_link(match: re.Match[str]) -> str:
    """A link nh3 left without ``href`` (its ``javascript:`` target removed) becomes its text:
    an ``<a>`` with ``rel`` but no ``href`` is invalid HTML. A link named only "here", "more"
    and the like (:data:`VAGUE_LINK_TEXTS`) ends with its address as text for screen readers
    only (``<span class="cs-sr">``): what the card shows is unchanged, and a reader listing
    the page's links hears where each goes."""
    href = _HREF.search(match["attrs"])
    if href is None:
        return match["text"]
    if html.unescape(_TAG.sub("", match["text"])).strip().lower() not in VAGUE_LINK_TEXTS:
        return match[0]
    target = html.unescape(href[1])
    url = urlsplit(target)
    where = (url.netloc + url.path.rstrip("/")) or url.path or target
    hidden = f'<span class="cs-sr"> ({html.escape(where, quote=False)})</span>'
    return match[0].removesuffix("</a>") + hidden + "</a>"


_RENDERER = MarkdownIt("commonmark", {"html": True}).enable("table")
"""CommonMark with tables; the card's own inline HTML passes to nh3, which cleans it. Nesting
(quotes in lists in quotes...) stops at CommonMark's preset depth of 20."""


def prose_html(text: str, level: int = 1) -> Markup:
    """Card Markdown as clean HTML, safe to place in a page as is, under a heading of
    ``level``: its own headings are placed below that one (see :func:`nest_headings`)."""
    return Markup(nest_headings(clean_html(_RENDERER.render(text)), level))


_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.DOTALL)


def nest_headings(html: str, level: int) -> str:
    """Headings of clean HTML moved below a heading of ``level``, none skipping a level:
    each is its card level plus ``level``, at most one deeper than the heading before it, and
    at most 6. (Clean HTML's headings are whole and never nested.)"""
    previous = level

    def move(match: re.Match[str]) -> str:
        nonlocal previous
        new = min(int(match[1]) + level, previous + 1, 6)
        previous = new
        return f"<h{new}{match[2]}>{match[3]}</h{new}>"

    return _HEADING.sub(move, html)
