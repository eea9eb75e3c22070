"""Render page specs to Markdown with Jinja: the *render* half of page generation.

The environment follows mkdocstrings: a loader over an ordered list of template folders (a
user's folder first, so a file of the same name overrides ours), HTML autoescaping, and
``StrictUndefined`` so a template that names a missing value fails the build instead of printing
an empty string. Every value from the card is escaped twice over: for HTML by autoescape, and for
Markdown by the ``md`` filter, so a name like ``*bold* [link](x)`` prints as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)
from markupsafe import Markup, escape

from cardsite.pages.escape import markdown_text
from cardsite.pages.plan import Page, Score
from cardsite.pages.sanitize import prose_html
from cardsite.paths import PAGE_TEMPLATES


def md(value: object) -> Markup:
    """Card text as literal Markdown: HTML-escaped, and Markdown syntax backslash-escaped."""
    return Markup(markdown_text(value))


_ATTRIBUTE_SPECIALS = {"[": "&#91;", "]": "&#93;", "`": "&#96;", "\\": "&#92;"}


def attr(value: object) -> Markup:
    """Card text for an HTML attribute in Markdown (``<abbr title="...">``), a link title or an
    image alt: escaped, quotes included, on one line (a blank line would end the paragraph), and
    with what Python-Markdown reads *before* it sets raw HTML aside (links, images, code spans,
    backslash escapes) as character references, so no link or element forms inside the value."""
    text = " ".join(str(escape(value)).splitlines())
    return Markup(re.sub(r"[\[\]`\\]", lambda m: _ATTRIBUTE_SPECIALS[m[0]], text))


def score_cell(score: Score) -> Markup:
    """A published score as printed, or a dash that says why there is none."""
    if score.text is not None:
        return md(score.text)
    return Markup(
        '<span class="cs-missing" title="{0}">—<span class="cs-sr"> ({0})</span></span>'
    ).format(score.why_missing or "no score")


def make_environment(template_dirs: Sequence[Path] = ()) -> Environment:
    loaders = [FileSystemLoader(str(d)) for d in [*template_dirs, PAGE_TEMPLATES]]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=md, attr=attr, score=score_cell, prose=prose_html)
    return env


def render_page(env: Environment, page: Page) -> str:
    text = env.get_template(page.template).render(title=page.title, **page.context)
    # One blank line at most between blocks keeps the Markdown readable and diffs small.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def describe_template_error(err: TemplateError) -> str:
    """``file:line: message`` for a syntax error, the message alone for a runtime one."""
    if isinstance(err, TemplateSyntaxError):
        return f"{err.filename or err.name}:{err.lineno}: {err.message}"
    return str(err.message or err)
