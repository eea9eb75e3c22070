"""Where cardsite's own files live inside the installed package.

Everything a build needs ships with the package: page templates, theme overrides and their CSS
and JavaScript, the built-in MkDocs defaults, the project scaffold of ``cardsite new`` and the
Llama 3.1 example card. Nothing is looked up relative to the current folder here.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PAGE_TEMPLATES = PACKAGE / "pages" / "templates"
"""The page templates (``*.md.jinja``); a project's ``templates/`` folder overrides them."""
EXPORT_TEMPLATES = PACKAGE / "exports" / "templates"
"""The Hugging Face README template, overridable the same way."""
THEME = PACKAGE / "theme"
"""Material overrides and static files, added to the theme's folders by the plugin."""
ASSETS = PACKAGE / "assets"
"""Files used after a build (the offline search shim, the embed stylesheet)."""
SCAFFOLD = PACKAGE / "scaffold"
"""The project ``cardsite new`` writes (the example card is added beside it)."""
DEFAULT_CONFIG = SCAFFOLD / "mkdocs.yml"
"""The MkDocs settings used when a folder has no ``mkdocs.yml`` of its own: the scaffold's."""
EXAMPLE_CARD = PACKAGE / "examples" / "llama-3.1"
"""The Llama 3.1 card, the example every new project starts from."""
DEFAULT_CARD_DIR = Path("data/llama-3.1")
"""The card folder commands read when none is named (relative to the current folder)."""
