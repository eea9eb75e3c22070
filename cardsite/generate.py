"""Write a card's generated pages and charts into a docs folder that any builder can read.

MkDocs is one reader (through :mod:`cardsite.build` or the ``mkdocs.yml`` hook); another
builder that reads a folder of Markdown can take the same output. Nothing here knows MkDocs.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cardsite.charts import RenderReport, chart_specs, render_charts
from cardsite.models import Card
from cardsite.pages import Page, PagePlanner
from cardsite.render import make_environment, render_page

CHARTS_DIR = "charts"


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
    return Generated(pages, planner.nav(pages), report)


def copy_tree(src: Path, dest: Path) -> None:
    """Copy hand-written docs beside the generated ones (generated files win on a clash)."""
    if src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=True)
