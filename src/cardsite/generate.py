"""Generate a card's pages, charts and downloads: the step between a card and any site builder.

:func:`generate` returns the pages as Markdown text and the other files as paths on disk; the
MkDocs plugin serves them to MkDocs as virtual files, and :func:`write_docs` writes them into a
plain docs folder (``cardsite generate``) that any builder reading Markdown can take. Nothing
here knows MkDocs.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from cardsite.card import limits
from cardsite.card.models import Card
from cardsite.card.problems import CardError, Problem
from cardsite.charts import ChartSpec, RenderReport, chart_specs, render_charts
from cardsite.exports import hf, tables
from cardsite.output.archive import zip_folder
from cardsite.pages.plan import CHARTS_DIR, DOWNLOADS_DIR, Page, PagePlanner, download_files
from cardsite.pages.render import make_environment, render_page

PLACEHOLDER_SITE_NAME = "Model card"
"""The ``site_name`` of the scaffold's ``mkdocs.yml``: replaced by the card's own name."""


def site_name(card: Card, configured: str | None) -> str:
    """The site's name: the one ``mkdocs.yml`` gives, unless it is the placeholder."""
    if configured and configured != PLACEHOLDER_SITE_NAME:
        return configured
    return f"{card.family.name} model card"


@dataclass(frozen=True)
class PageRef:
    """A generated page as the nav and the embed target see it."""

    src: str
    title: str
    section: str


@dataclass(frozen=True)
class Generated:
    """One card's generated site content, with paths relative to the card's pages."""

    pages: list[PageRef]
    markdown: dict[str, str]
    """Page source (``variants/llama-3-1-8b.md``) -> its Markdown."""
    files: dict[str, Path]
    """Other files (charts, downloads) by their path in the site -> where they are on disk."""
    nav: list[dict[str, Any]]
    charts: RenderReport = field(default_factory=RenderReport)


def generate(
    card: Card,
    work_dir: Path,
    *,
    cache_dir: Path,
    template_dirs: Sequence[Path] = (),
    jobs: int | None = None,
    card_dir: Path | None = None,
    png: bool = False,
) -> Generated:
    """Render every page of ``card`` to Markdown, and its charts and downloads into
    ``work_dir``. Raises :class:`jinja2.TemplateError` for a broken template,
    :class:`CardError` when the card is too large to build (:func:`_planned`, before any chart
    is drawn) and :class:`OSError` when a file cannot be written."""
    specs, planner, pages, markdown = _planned(card, card_dir or Path(card.id), template_dirs, png)
    report = render_charts(specs, work_dir / CHARTS_DIR, cache_dir / "charts", jobs=jobs, png=png)
    write_downloads(card, work_dir / DOWNLOADS_DIR, template_dirs)
    files = {
        path.relative_to(work_dir).as_posix(): path
        for folder in (CHARTS_DIR, DOWNLOADS_DIR)
        for path in sorted((work_dir / folder).iterdir())
        if path.is_file()
    }
    refs = [PageRef(p.src, p.title, p.section) for p in pages]
    return Generated(refs, markdown, files, planner.nav(pages), report)


def _planned(
    card: Card, card_dir: Path, template_dirs: Sequence[Path], png: bool
) -> tuple[list[ChartSpec], PagePlanner, list[Page], dict[str, str]]:
    """The card's chart specs, page plans and pages' Markdown: everything of a build before
    drawing. Raises :class:`CardError` when the card is too large to build (counted before
    any page is rendered, then measured on the Markdown)."""
    specs = chart_specs(card)
    planner = PagePlanner(card, specs, png=png)
    pages = planner.pages()
    problems = work_problems(len(pages), len(specs), card_dir)
    if problems:
        raise CardError(problems)
    env = make_environment(template_dirs)
    markdown = {page.src: render_page(env, page) for page in pages}
    problems = site_problems(markdown, card_dir)
    if problems:
        raise CardError(problems)
    return specs, planner, pages, markdown


def check_buildable(
    card: Card, card_dir: Path, template_dirs: Sequence[Path] = ()
) -> list[Problem]:
    """Run the steps of a build that need neither drawing nor MkDocs: chart specs, page plans
    and every page's Markdown (with the project's template overrides), then
    :func:`site_problems`. ``cardsite validate`` runs this, so that a card that validates
    builds; raises :class:`CardError` with what would make the build fail, and returns the
    charts a build would leave out (a variant with no results) as warnings on the card."""
    try:
        with _logged("cardsite.charts") as skipped:
            _planned(card, card_dir, template_dirs, png=False)
    except CardError:
        raise
    except Exception as err:
        message = str(err) or type(err).__name__
        if not isinstance(err, TemplateError):
            message = f"{type(err).__name__}: {message}"
        raise CardError(
            [Problem(card_dir, 1, 1, (), f"a build would fail planning the pages: {message}")]
        ) from None
    return [Problem(card_dir, 1, 1, (), message, "warning") for message in skipped]


@contextmanager
def _logged(logger_name: str) -> Iterator[list[str]]:
    """The warnings ``logger_name`` logs inside the block, kept instead of printed."""
    logger = logging.getLogger(logger_name)
    kept: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: kept.append(record.getMessage())  # type: ignore[method-assign]
    propagate, logger.propagate = logger.propagate, False
    logger.addHandler(handler)
    try:
        yield kept
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def work_problems(pages: int, charts: int, card_dir: Path) -> list[Problem]:
    """A card with more pages or charts than a build does in reasonable time
    (:data:`~cardsite.card.limits.MAX_PAGES`, :data:`~cardsite.card.limits.MAX_CHARTS`)."""
    problems = []
    for count, limit, what in (
        (pages, limits.MAX_PAGES, "pages"),
        (charts, limits.MAX_CHARTS, "charts"),
    ):
        if count > limit:
            problems.append(
                Problem(
                    card_dir,
                    1,
                    1,
                    (),
                    f"the card would make {count:,} {what}; cardsite builds at most {limit:,} "
                    "per card (fewer categories or benchmark rows with subsets, or split the "
                    "card)",
                )
            )
    return problems


_ANCHOR = re.compile(r"\{ #([^ }]+) \}$", re.MULTILINE)


def site_problems(markdown: dict[str, str], card_dir: Path) -> list[Problem]:
    """What is wrong with a card's generated pages as a whole: more Markdown than
    :data:`~cardsite.card.limits.MAX_SITE_MARKDOWN` (card text multiplied across pages), or an
    anchor written twice on one page (a card id equal to a heading's, whatever template wrote
    it)."""
    problems = []
    size = sum(len(text) for text in markdown.values())
    if size > limits.MAX_SITE_MARKDOWN:
        problems.append(
            Problem(
                card_dir,
                1,
                1,
                (),
                f"the card's pages come to {size:,} characters of Markdown; cardsite builds at "
                f"most {limits.MAX_SITE_MARKDOWN:,} (shorten the text repeated on many pages, "
                "or split the card)",
            )
        )
    for src, text in markdown.items():
        twice = sorted(a for a, n in Counter(_ANCHOR.findall(text)).items() if n > 1)
        if twice:
            problems.append(
                Problem(
                    card_dir,
                    1,
                    1,
                    (),
                    f"page {src} would have the anchor(s) {', '.join(twice)} twice: a card id "
                    "equals a heading's id there; choose another id",
                )
            )
    return problems


def write_downloads(card: Card, out_dir: Path, template_dirs: Sequence[Path] = ()) -> None:
    """The data files the Downloads page offers (names from :func:`download_files`)."""
    json_name, csv_name, hf_name = download_files(card)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / json_name).write_text(tables.to_json(card), encoding="utf-8", newline="\n")
    (out_dir / csv_name).write_text(tables.to_csv(card), encoding="utf-8", newline="")
    with tempfile.TemporaryDirectory() as tmp:
        hf.write_hf_cards(card, Path(tmp), template_dirs=template_dirs)
        zip_folder(Path(tmp), out_dir / hf_name)


def write_docs(generated: Generated, out_dir: Path, prefix: str = "") -> None:
    """Write the generated pages and files into a docs folder (under ``prefix``)."""
    for src, text in generated.markdown.items():
        target = out_dir / prefix / src
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    for src, path in generated.files.items():
        target = out_dir / prefix / src
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
