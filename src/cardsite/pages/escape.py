"""Card text into Markdown, escaped for the place it lands in: the one module that does it.

Card text is untrusted. Pages are Markdown that MkDocs renders, so a value pasted in as is
could open a link (``)[x](javascript:...)``), an image that calls a foreign host, raw HTML, or
split the table it sits in (``|``). Each place a value lands has its function here:

* :func:`markdown_text`: running text, a heading, a table cell, link text;
* :func:`attribute_text`: inside an HTML attribute or element within Markdown (``<abbr
  title="...">``, ``<span lang="...">...</span>``): every character Markdown gives a meaning
  to there (links, images, code spans, escapes, table pipes, emphasis) becomes a character
  reference, which HTML reads back as the character and Markdown leaves alone;
* :func:`link_target`: a link target, which must be one of our own relative links or an
  absolute http(s)/mailto address (the card format allows no other; this is the last check);
* raw HTML blocks (charts and their data tables) use Jinja's autoescaping alone.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from markupsafe import escape

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|-])")
_ATTRIBUTE_SPECIALS = {c: f"&#{ord(c)};" for c in "[]`\\|*_"}
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def one_line(value: object) -> str:
    return " ".join(str(value).split())


def markdown_text(value: object) -> str:
    """HTML-escaped, Markdown syntax backslash-escaped, on one line: prints as written and can
    neither form an element, a link, nor a table cell boundary, whatever the renderer."""
    text = str(escape(one_line(value)))
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def attribute_text(value: object) -> str:
    """HTML-escaped (quotes included), on one line, with Markdown's characters as character
    references, so no link, code span, emphasis or table cell boundary forms inside the value,
    as an attribute or as an element's text."""
    text = str(escape(one_line(value)))
    return re.sub(r"[\[\]`\\|*_]", lambda m: _ATTRIBUTE_SPECIALS[m[0]], text)


def link_target(url: str) -> str:
    """A link target fit for ``[text](target)``: our relative links and http(s)/mailto
    addresses pass; anything that could close the link or run (another scheme) does not."""
    parts = urlsplit(url)
    if parts.scheme and parts.scheme.lower() not in _SAFE_SCHEMES:
        return "#"
    if not parts.scheme and (url.startswith("//") or ":" in url.split("/", 1)[0]):
        return "#"
    return quote(url, safe="/:#?&=%@.,;~+!$*'-_")
