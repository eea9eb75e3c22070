"""Card prose is untrusted: Markdown in, HTML out, cleaned to an allow-list.

The prose is rendered to HTML here (with the same Python-Markdown MkDocs uses) and cleaned with
nh3 before it reaches a page, so whichever builder reads the generated Markdown gets HTML that
cannot run a script: no ``<script>``, event handlers, ``javascript:`` URLs, frames, objects or
style tricks. What the card itself uses survives: paragraphs, lists, emphasis, links, tables and
``<span style="text-decoration:underline;">``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import markdown
import nh3
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
    card's own repository or document, not into this site: the link goes, its text stays."""
    if tag == "a" and attribute == "href" and not urlsplit(value).scheme:
        return None
    return value


def clean_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties=ALLOWED_STYLE_PROPERTIES,
        link_rel="noopener noreferrer",
        attribute_filter=_absolute_links_only,
    )


def prose_html(text: str) -> Markup:
    """Card Markdown as clean HTML, safe to place in a page as is."""
    html = markdown.markdown(
        text, extensions=["sane_lists", "tables", "fenced_code"], output_format="html"
    )
    return Markup(clean_html(html))
