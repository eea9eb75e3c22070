"""Render page specs to Markdown with Jinja: the *render* half of page generation.

The environment follows mkdocstrings: a loader over an ordered list of template folders (a
user's folder first, so a file of the same name overrides ours), HTML autoescaping, and
``StrictUndefined`` so a template that names a missing value fails the build instead of printing
an empty string. Every value from the card is escaped twice over: for HTML by autoescape, and for
Markdown by the ``md`` filter, so a name like ``*bold* [link](x)`` prints as written.
"""

from __future__ import annotations

import re
import traceback
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
from markupsafe import Markup

from cardsite.pages.escape import attribute_text, link_target, markdown_text
from cardsite.pages.plan import Cell, Page
from cardsite.pages.sanitize import prose_html
from cardsite.paths import EXPORT_TEMPLATES, PAGE_TEMPLATES


def md(value: object) -> Markup:
    """Filter ``md``: card text as literal Markdown (running text, headings, cells)."""
    return Markup(markdown_text(value))


def attr(value: object) -> Markup:
    """Filter ``attr``: card text inside an HTML attribute or element within Markdown."""
    return Markup(attribute_text(value))


def url(value: object) -> Markup:
    """Filter ``url``: a link target."""
    return Markup(link_target(str(value)))


def score_cell(cell: Cell) -> Markup:
    """Filter ``cell``: a published score as printed (with its error, if the card prints one),
    or the card's mark for "no score" with the reason on hover and for screen readers."""
    if cell.published:
        text = markdown_text(cell.text)
        if cell.error:
            text += f' <span class="cs-error">± {attribute_text(cell.error)}</span>'
        return Markup(text)
    why = attribute_text(cell.why)
    return Markup(
        f'<span class="cs-missing" title="{why}">{attribute_text(cell.text)}'
        f'<span class="cs-sr"> ({why})</span></span>'
    )


def make_environment(template_dirs: Sequence[Path] = ()) -> Environment:
    loaders = [FileSystemLoader(str(d)) for d in [*template_dirs, PAGE_TEMPLATES, EXPORT_TEMPLATES]]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=md, attr=attr, url=url, cell=score_cell, prose=prose_html)
    return env


class PageTemplateError(TemplateError):
    """A template could not be loaded or rendered (most likely a project's override); the
    message names the template and says why."""


def render_template(env: Environment, name: str, **context: object) -> str:
    """Render template ``name``. Templates are code a project may override: whatever fails
    in one (a syntax error, ``{{ 1/0 }}``, a file that is not UTF-8) is a
    :class:`PageTemplateError` naming it, never a traceback."""
    try:
        return env.get_template(name).render(**context)
    except UnicodeDecodeError as err:
        raise PageTemplateError(f"{name}: the file is not UTF-8 text; save it as UTF-8") from err
    except Exception as err:
        described = describe_template_error(err)
        message = described if name in described else f"{name}: {described}"
        raise PageTemplateError(message) from err


def render_page(env: Environment, page: Page) -> str:
    text = render_template(env, page.template, title=page.title, **page.context)
    # One blank line at most between blocks keeps the Markdown readable and diffs small.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def describe_template_error(err: Exception) -> str:
    """``file:line: message``: for a syntax error from the error itself, for an error while
    rendering (a missing value, a missing template, ``{{ 1/0 }}``) from the innermost template
    frame of its traceback, which Jinja maps to template lines."""
    if isinstance(err, TemplateSyntaxError):
        return f"{err.filename or err.name}:{err.lineno}: {err.message}"
    message = str(getattr(err, "message", None) or err) or type(err).__name__
    if not isinstance(err, TemplateError):
        message = f"{type(err).__name__}: {message}"
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename.endswith(".jinja")]
    if frames:
        return f"{frames[-1].filename}:{frames[-1].lineno}: {message}"
    return message
