"""Hosted target: the site as a web server serves it, with directory URLs.

Its post-build step adds ``embed/<page>/``: each embeddable page's content alone, for wikis
that take iframes (cut from the built pages by :mod:`cardsite.targets.embed`).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from cardsite.targets.embed import EmbedPage, write_iframe_pages


def configure(config: MkDocsConfig) -> None:
    config.use_directory_urls = True


def finish(site_dir: Path, bodies: dict[str, str], pages: list[EmbedPage]) -> None:
    write_iframe_pages(bodies, pages, site_dir)
