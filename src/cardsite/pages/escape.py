"""Card text as literal Markdown, for every place that writes Markdown from card data."""

from __future__ import annotations

import re

from markupsafe import escape

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|-])")


def markdown_text(value: object) -> str:
    """HTML-escaped, Markdown syntax backslash-escaped, on one line: prints as written and can
    neither form an element nor a link, whatever the renderer."""
    text = " ".join(str(escape(value)).splitlines())
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)
