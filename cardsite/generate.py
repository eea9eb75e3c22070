"""Write a card's generated pages and charts into a docs folder that any builder can read.

MkDocs is one reader (through :mod:`cardsite.build` or the ``mkdocs.yml`` hook); another
builder that reads a folder of Markdown can take the same output. Nothing here knows MkDocs.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cardsite import export
from cardsite.archive import zip_folder
from cardsite.charts import RenderReport, chart_specs, render_charts
from cardsite.models import Card
from cardsite.pages import DOWNLOADS_DIR, Page, PagePlanner, download_files
from cardsite.render import make_environment, render_page

CHARTS_DIR = "charts"
PLACEHOLDER_SITE_NAME = "Model card"
"""The ``site_name`` of the shipped ``mkdocs.yml``: replaced by the card's own name."""


def site_name(card: Card, configured: str | None) -> str:
    """The site's name: the one ``mkdocs.yml`` gives, unless it is the placeholder."""
    if configured and configured != PLACEHOLDER_SITE_NAME:
        return configured
    return f"{card.family.name} model card"


@dataclass(frozen=True)
class Generated:
    """What was written: the pages (for tests and nav), the nav, and the chart report."""

    pages: list[Page]
    nav: list[dict[str, Any]]
    charts: RenderReport


def write_docs(
    card: Card,
    out_dir: Path,
    *,
    cache_dir: Path,
    template_dirs: Sequence[Path] = (),
    jobs: int | None = None,
) -> Generated:
    """Render every page of ``card`` to Markdown and every chart to SVG under ``out_dir``."""
    specs = chart_specs(card)
    planner = PagePlanner(card, specs)
    pages = planner.pages()
    env = make_environment(template_dirs)
    for page in pages:
        target = out_dir / page.src
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_page(env, page), encoding="utf-8", newline="\n")
    report = render_charts(specs, out_dir / CHARTS_DIR, cache_dir, jobs=jobs)
    write_downloads(card, out_dir / DOWNLOADS_DIR)
    return Generated(pages, planner.nav(pages), report)


def write_downloads(card: Card, out_dir: Path) -> None:
    """The data files the Downloads page offers (names from :func:`download_files`)."""
    json_name, csv_name, hf_name = download_files(card)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / json_name).write_text(export.to_json(card), encoding="utf-8", newline="\n")
    (out_dir / csv_name).write_text(export.to_csv(card), encoding="utf-8", newline="")
    with tempfile.TemporaryDirectory() as tmp:
        export.write_hf_cards(card, Path(tmp))
        zip_folder(Path(tmp), out_dir / hf_name)


def copy_tree(src: Path, dest: Path) -> None:
    """Copy hand-written docs beside the generated ones (generated files win on a clash)."""
    if src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=True)
