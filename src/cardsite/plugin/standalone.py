"""``cardsite generate``: a card's site as plain files that any builder reading ``mkdocs.yml``
can build, with no cardsite plugin (and no hooks) involved.

It writes ``DIR/docs/`` (the generated pages, charts and downloads), ``DIR/overrides/``
(cardsite's theme folder, as ``custom_dir``) and ``DIR/mkdocs.yml``: cardsite's default settings
with everything the plugin would add written down (nav, Markdown extensions, styles, scripts).
Paths in it are relative, as some builders require.
"""

from __future__ import annotations

import html
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from jinja2 import TemplateError

from cardsite.card.models import Card
from cardsite.card.problems import describe_os_error
from cardsite.collect import Site, SiteCard
from cardsite.generate import generate, site_name, write_docs
from cardsite.pages.render import describe_template_error
from cardsite.paths import DEFAULT_CONFIG, THEME
from cardsite.plugin.plugin import (
    LAZY_SEARCH,
    MARKDOWN_EXTENSIONS,
    SCRIPTS,
    STYLESHEETS,
    site_nav,
)

CACHE_FOLDER = Path(".cache") / "cardsite"
USER_TEMPLATES = Path("templates")


class GenerateError(Exception):
    """The site could not be generated; the message says why."""


def write_standalone(card: Card, card_dir: Path, out_dir: Path, *, jobs: int | None = None) -> None:
    """Write ``out_dir/mkdocs.yml``, ``out_dir/docs/`` and ``out_dir/overrides/``; what was
    there before is replaced only once everything is written."""
    out_dir = Path(out_dir)
    templates = [USER_TEMPLATES] if USER_TEMPLATES.is_dir() else []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=out_dir, prefix=".generate-") as tmp:
            work = Path(tmp)
            generated = generate(
                card,
                work / "files",
                card_dir=card_dir,
                cache_dir=out_dir / CACHE_FOLDER,
                template_dirs=templates,
                jobs=jobs,
            )
            write_docs(generated, work / "docs")
            shutil.copytree(THEME, work / "overrides")
            site = Site([SiteCard(card, card_dir, "", "", generated)])
            config = standalone_config(card, site_nav(None, [], site))
            (work / "mkdocs.yml").write_text(
                "# Written by `cardsite generate`: plain MkDocs settings, no cardsite plugin.\n"
                + yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                encoding="utf-8",
            )
            for name in ("docs", "overrides", "mkdocs.yml"):
                target = out_dir / name
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                elif target.exists() or target.is_symlink():
                    target.unlink()
                (work / name).rename(target)
    except TemplateError as err:
        raise GenerateError(f"template error: {describe_template_error(err)}") from None
    except OSError as err:
        raise GenerateError(describe_os_error(err)) from None


def standalone_config(card: Card, nav: list[Any]) -> dict[str, Any]:
    """cardsite's default MkDocs settings, with the plugin's additions written in."""
    config: dict[str, Any] = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    config["site_name"] = html.escape(site_name(card, None))
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["theme"]["custom_dir"] = "overrides"
    config["plugins"] = ["search"]
    extensions = config.get("markdown_extensions") or []
    names = {next(iter(e)) if isinstance(e, dict) else e for e in extensions}
    config["markdown_extensions"] = [
        *extensions,
        *(e for e in MARKDOWN_EXTENSIONS if e not in names),
    ]
    config["extra_css"] = list(STYLESHEETS)
    config["extra_javascript"] = list(SCRIPTS)
    config["extra"] = {**(config.get("extra") or {}), "polyfills": [LAZY_SEARCH]}
    config["nav"] = nav
    return config
