"""The ``cardsite`` MkDocs plugin: a card's pages in any MkDocs site.

``plugins: [search, {cardsite: {card: data/my-card}}]`` in a ``mkdocs.yml`` is all it takes:

* ``on_config`` reads the card (a bad card stops the build with its located problems), renders
  its pages, charts and downloads (:mod:`cardsite.generate`), and adds what those pages need to
  the site: Markdown extensions, cardsite's theme overrides, styles and scripts;
* ``on_files`` serves the generated pages to MkDocs as virtual files (nothing is written into
  ``docs/``, so ``mkdocs serve`` does not rebuild in a loop) and puts them in the nav;
* ``on_serve`` watches the card folder and the template overrides.

``cardsite build`` uses the same plugin: it generates once and hands the result to the plugin
of every target's MkDocs run (:meth:`CardsitePlugin.use`).
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from jinja2 import TemplateError
from material.plugins.search.plugin import SearchPlugin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import nest_paths

from cardsite.card.languages import search_languages
from cardsite.card.loader import load_card
from cardsite.card.models import Card
from cardsite.card.problems import CardError, describe_os_error
from cardsite.card.urls import check_web_url
from cardsite.generate import Generated, generate, site_name
from cardsite.pages.render import describe_template_error
from cardsite.paths import THEME
from cardsite.plugin.config import CardsiteConfig

log = get_plugin_logger(__name__)

MARKDOWN_EXTENSIONS = ("abbr", "admonition", "attr_list", "md_in_html", "pymdownx.details")
"""What the generated pages are written in, beyond MkDocs' own (toc, tables, fenced_code)."""
STYLESHEETS = ("assets/cardsite/cardsite.css",)
SCRIPTS = ("assets/cardsite/tablesort.js",)
"""Static files of cardsite's theme folder (:data:`cardsite.paths.THEME`)."""

_SEARCH_DIALOG = re.compile(r'(<div class="md-search"[^>]*?role="dialog")(?![^>]*aria-label)')


@dataclass(frozen=True)
class SiteCard:
    """One card in a site: its data, where its pages go, and what was generated for it."""

    card: Card
    card_dir: Path
    prefix: str
    """Path of the card's pages in the site: ``""`` or a folder ending in ``/``."""
    nav_section: str
    """The nav section of the card's pages; ``""`` for the top level of the nav."""
    generated: Generated


class CardsitePlugin(BasePlugin[CardsiteConfig]):
    cli_cards: ClassVar[list[Path] | None] = None
    """Card folders given on the command line of ``cardsite serve`` (same process); they take
    the place of the ``card``/``cards`` options."""

    def __init__(self) -> None:
        self.preset: list[SiteCard] | None = None
        self.cards: list[SiteCard] = []
        self.root = Path.cwd()

    def use(self, cards: list[SiteCard]) -> None:
        """Take cards generated beforehand (``cardsite build``) instead of generating them."""
        self.preset = cards

    # ---------------------------------------------------------------------- configuration

    @event_priority(100)  # before other plugins (search) read the settings it adds
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path or ".").resolve().parent
        if config.site_url:  # links in the offline banner and the embeds are made from it
            try:
                check_web_url(config.site_url)
            except ValueError as err:
                raise PluginError(f"cardsite: site_url {config.site_url!r}: {err}") from None
        self.cards = self.preset if self.preset is not None else self._generate_all()
        if len(self.cards) == 1 and self.cards[0].prefix == "":
            config.site_name = html.escape(site_name(self.cards[0].card, config.site_name))
        self._add_theme(config)
        self._set_search_languages(config)
        for name in MARKDOWN_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        for path in STYLESHEETS:
            if path not in config.extra_css:
                config.extra_css.append(path)
        scripts = [str(s) for s in config.extra_javascript]
        config.extra_javascript.extend(s for s in SCRIPTS if s not in scripts)
        return config

    def card_dirs(self) -> list[Path]:
        """The card folders this plugin shows, from the command line or the options."""
        if self.cli_cards is not None:
            return self.cli_cards
        names = ([self.config.card] if self.config.card else []) + list(self.config.cards)
        if not names:
            raise PluginError("cardsite: set the option 'card' (a card folder) or 'cards'")
        return [self.root / name for name in names]

    def cache_dir(self) -> Path:
        return self.root / self.config.cache_dir

    def template_dirs(self) -> list[Path]:
        """The user's override folder: the option ``templates``, else ``templates/`` if any."""
        if self.config.templates is not None:
            folder = self.root / self.config.templates
            if not folder.is_dir():
                raise PluginError(
                    f"cardsite: option 'templates': no such folder {self.config.templates!r}"
                )
            return [folder]
        folder = self.root / "templates"
        return [folder] if folder.is_dir() else []

    def _generate_all(self) -> list[SiteCard]:
        if self.config.jobs is not None and self.config.jobs < 1:
            raise PluginError(f"cardsite: option 'jobs' must be at least 1, not {self.config.jobs}")
        templates = self.template_dirs()
        cards = []
        for card_dir in self.card_dirs():
            try:
                card, warnings = load_card(card_dir)
            except CardError as err:
                for problem in err.problems:
                    log.error(str(problem))
                raise PluginError(
                    f"cardsite: the card {card_dir} has errors (listed above); nothing was built"
                ) from None
            for problem in warnings:
                log.info(str(problem))
            work = self.cache_dir() / "site" / card.id
            shutil.rmtree(work, ignore_errors=True)
            cards.append(
                SiteCard(
                    card,
                    card_dir,
                    self.prefix_for(card),
                    self.nav_section_for(card),
                    generate_or_fail(
                        card,
                        work,
                        card_dir=card_dir,
                        cache_dir=self.cache_dir(),
                        template_dirs=templates,
                        jobs=self.config.jobs,
                    ),
                )
            )
        return cards

    def prefix_for(self, card: Card) -> str:
        prefix = self.config.prefix
        if prefix is None:
            return f"{card.id}/"
        return check_prefix(prefix)

    def nav_section_for(self, card: Card) -> str:
        section = self.config.nav_section
        return card.family.name if section is None else section

    def _set_search_languages(self, config: MkDocsConfig) -> None:
        """Search in the cards' languages, unless ``mkdocs.yml`` names its own."""
        search = next((p for p in config.plugins.values() if isinstance(p, SearchPlugin)), None)
        if search is not None and not search.config.lang:
            codes = [lang.code for c in self.cards for lang in c.card.family.languages]
            search.config.lang = search_languages(codes)

    def _add_theme(self, config: MkDocsConfig) -> None:
        """cardsite's theme folder, after the user's ``custom_dir`` and before Material's, so
        a user's override wins over ours and ours over the theme's."""
        dirs = config.theme.dirs
        if str(THEME) in dirs:
            return
        custom = config.theme.custom_dir
        dirs.insert(1 if custom and dirs and dirs[0] == custom else 0, str(THEME))

    # ---------------------------------------------------------------------- files and nav

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        generated = {c.prefix + src for c in self.cards for src in c.generated.markdown}
        own_pages = [f.src_uri for f in files.documentation_pages() if f.src_uri not in generated]
        for site_card in self.cards:
            generated = site_card.generated
            for src, text in generated.markdown.items():
                _put(files, File.generated(config, site_card.prefix + src, content=text))
            for src, path in generated.files.items():
                _put(
                    files,
                    File.generated(
                        config,
                        site_card.prefix + src,
                        abs_src_path=str(path),
                        inclusion=InclusionLevel.NOT_IN_NAV,
                    ),
                )
        config.nav = site_nav(config.nav, own_pages, self.cards)
        return files

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        # Material's search box is a dialog without a name (axe-core: aria-dialog-name).
        return _SEARCH_DIALOG.sub(r'\1 aria-label="Search"', output, count=1)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when card data or template overrides change (they live outside docs/)."""
        for site_card in self.cards:
            server.watch(str(site_card.card_dir))
        for folder in self.template_dirs():
            server.watch(str(folder))
        return server


def generate_or_fail(card: Card, work: Path, **options: Any) -> Generated:
    """:func:`cardsite.generate.generate`, its failures as MkDocs' ``PluginError``."""
    try:
        return generate(card, work, **options)
    except TemplateError as err:  # most likely a user's template override
        raise PluginError(f"cardsite: template error: {describe_template_error(err)}") from None
    except CardError as err:  # the pages break a limit of the card format
        raise PluginError("cardsite: " + "; ".join(p.message for p in err.problems)) from None
    except OSError as err:
        raise PluginError(
            f"cardsite: could not write the pages and charts: {describe_os_error(err)}"
        ) from None


def check_prefix(prefix: str) -> str:
    """``"models/llama"`` -> ``"models/llama/"``; refuses what would leave the site."""
    cleaned = prefix.strip("/")
    parts = cleaned.split("/") if cleaned else []
    if "\\" in prefix or prefix.startswith("/") or any(p in {"", ".", ".."} for p in parts):
        raise PluginError(
            f"cardsite: option 'prefix': {prefix!r} must be a relative folder such as "
            "'model-card', or '' for the site's root"
        )
    return f"{cleaned}/" if cleaned else ""


def site_nav(
    configured: list[Any] | None, own_pages: list[str], cards: list[SiteCard]
) -> list[Any]:
    """The site's nav: the user's (or, without one, their pages as MkDocs would list them),
    then each card's sections, under the card's nav section unless that is ``""``.

    Titles come from card text and MkDocs' theme prints nav titles as HTML, so they are
    escaped here.
    """
    nav = list(configured) if configured is not None else nest_paths(own_pages)
    at_root = configured is None and any(c.prefix == "" for c in cards)
    added: list[Any] = []
    for site_card in cards:
        sections = [
            {html.escape(name): [{html.escape(t): site_card.prefix + src} for t, src in entries]}
            for name, entries in nav_entries(site_card.generated.nav)
        ]
        if site_card.nav_section:
            added.append({html.escape(site_card.nav_section): sections})
        else:
            added.extend(sections)
    # A card at the site's root is the site: its pages come first, the site's own after.
    return [*added, *nav] if at_root else [*nav, *added]


def nav_entries(nav: list[dict[str, Any]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """A generated nav (``[{section: [{title: src}]}]``) as plain pairs."""
    return [
        (name, [next(iter(entry.items())) for entry in entries])
        for section in nav
        for name, entries in section.items()
    ]


def _put(files: Files, file: File) -> None:
    """Add a generated file, unless the site has its own file at that path: a hand-written
    page (say ``index.md``) replaces the generated one."""
    if files.get_file_from_path(file.src_uri) is None:
        files.append(file)
