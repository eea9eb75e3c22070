"""MkDocs hook: small fixes to Material's page chrome that every target needs.

* Material's search box is a ``role="dialog"`` without a name, which axe-core reports
  (``aria-dialog-name``); screen readers announce it as an unnamed dialog. We name it.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

_SEARCH_DIALOG = re.compile(r'(<div class="md-search"[^>]*?role="dialog")(?![^>]*aria-label)')


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _SEARCH_DIALOG.sub(r'\1 aria-label="Search"', output, count=1)
