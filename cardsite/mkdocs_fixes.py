"""MkDocs hook: small fixes to Material's page chrome that every target needs.

* Material's search box is a ``role="dialog"`` without a name, which axe-core reports
  (``aria-dialog-name``); screen readers announce it as an unnamed dialog. We name it.
* MkDocs themes print nav titles and ``site_name`` as HTML (the theme environment does not
  autoescape: header, nav, footer, ``aria-label``), but cardsite's come from card text, which is
  untrusted. Both are HTML-escaped here, once, so a variant named ``<img onerror=...>`` shows as
  written. ``cardsite/theme/main.html`` turns them back into text for ``<title>``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

_SEARCH_DIALOG = re.compile(r'(<div class="md-search"[^>]*?role="dialog")(?![^>]*aria-label)')


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.site_name = html.escape(config.site_name)
    return config


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    for item in _walk(nav.items):
        # A page's title is set only when the nav gives one; otherwise MkDocs takes the
        # rendered (already escaped) H1, which must not be escaped again.
        if (not isinstance(item, Page) or "title" in vars(item)) and item.title:
            item.title = html.escape(item.title)
    return nav


def _walk(items: Iterable[object]) -> Iterable[object]:
    for item in items:
        yield item
        if isinstance(item, Section):
            yield from _walk(item.children)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _SEARCH_DIALOG.sub(r'\1 aria-label="Search"', output, count=1)
