"""The ``cardsite`` MkDocs plugin: a card's pages (or a catalogue of cards) in any MkDocs site.

``plugins: [search, {cardsite: {card: data/my-card}}]`` in a ``mkdocs.yml`` is all it takes
(``cards:`` for several):

* ``on_config`` reads the cards (a bad card stops the build with its located problems),
  generates their pages, charts and downloads (:mod:`cardsite.collect`), and adds what those
  pages need to the site: Markdown extensions, cardsite's theme folder, styles and scripts,
  and search in the cards' languages;
* ``on_files`` serves the generated pages to MkDocs as virtual files (nothing is written into
  ``docs/``, so ``mkdocs serve`` does not rebuild in a loop) and puts them in the nav;
* ``on_serve`` watches the card folders and the template overrides.

``cardsite build`` uses the same plugin: it collects once and hands the result to the plugin
of every target's MkDocs run (:meth:`CardsitePlugin.use`).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, ClassVar

import yaml
from jinja2 import TemplateError
from material.plugins.search.plugin import SearchPlugin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import nest_paths

from cardsite.card.languages import search_languages
from cardsite.card.models import Card
from cardsite.card.problems import CardError, Problem, describe_os_error
from cardsite.card.urls import check_web_url
from cardsite.collect import Site, SiteError, collect, find_cards, load_cards
from cardsite.generate import Generated, site_name
from cardsite.pages.render import describe_template_error
from cardsite.paths import THEME
from cardsite.plugin.config import CardsiteConfig

log = get_plugin_logger(__name__)

MARKDOWN_EXTENSIONS = ("abbr", "admonition", "attr_list", "md_in_html", "pymdownx.details")
"""What the generated pages are written in, beyond MkDocs' own (toc, tables, fenced_code)."""
STYLESHEETS = ("assets/cardsite/cardsite.css",)
SCRIPTS = ("assets/cardsite/tablesort.js",)
"""Static files of cardsite's theme folder (:data:`cardsite.paths.THEME`)."""
LAZY_SEARCH = "assets/cardsite/lazy-search.js"
"""Loaded before Material's bundle (a polyfill): search loads when a reader starts to search."""

_SEARCH_DIALOG = re.compile(r'(<div class="md-search"[^>]*?role="dialog")(?![^>]*aria-label)')


class CardsitePlugin(BasePlugin[CardsiteConfig]):
    cli_cards: ClassVar[list[Path] | None] = None
    """Card folders given on the command line of ``cardsite serve`` (same process); they take
    the place of the ``card``/``cards`` options."""

    def __init__(self) -> None:
        self.preset: Site | None = None
        self.site: Site | None = None
        self.root = Path.cwd()

    def use(self, site: Site) -> None:
        """Take cards collected beforehand (``cardsite build``) instead of collecting them."""
        self.preset = site

    # ---------------------------------------------------------------------- configuration

    @event_priority(100)  # before other plugins (search) read the settings it adds
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path or ".").resolve().parent
        if config.site_url:  # links in the offline banner and the embeds are made from it
            try:
                check_web_url(config.site_url)
            except ValueError as err:
                raise PluginError(f"cardsite: site_url {config.site_url!r}: {err}") from None
        site = self.site = self.preset if self.preset is not None else self.collect()
        if site.prefix == "":
            card = site.cards[0].card
            name = (
                site_name(card, config.site_name)
                if site.catalogue is None
                else (site_name_of_catalogue(config.site_name))
            )
            config.site_name = html.escape(name)
        self._add_theme(config)
        self._set_search_languages(config, site)
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
        """The card folders this plugin shows, from the command line or the options; a folder
        of card folders stands for the cards in it."""
        if self.cli_cards is not None:
            return find_cards(self.cli_cards)
        names = ([self.config.card] if self.config.card else []) + list(self.config.cards)
        if not names:
            raise PluginError("cardsite: set the option 'card' (a card folder) or 'cards'")
        return find_cards([self.root / name for name in names])

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

    def aliases(self) -> dict[str, list[str]]:
        """The option ``aliases``: a YAML file of benchmark names that mean the same."""
        if self.config.aliases is None:
            return {}
        path = self.root / self.config.aliases
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            raise PluginError(f"cardsite: option 'aliases': cannot read {path}: {err}") from None
        if not isinstance(data, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in data.values()
        ):
            raise PluginError(
                f"cardsite: option 'aliases': {path} must map a benchmark name to a list of "
                "other names for it"
            )
        return {str(k): v for k, v in data.items()}

    def site_options(self) -> dict[str, Any]:
        """What the options say of the site :func:`cardsite.collect.collect` makes."""
        prefix = self.config.prefix
        return {
            "template_dirs": self.template_dirs(),
            "jobs": self.config.jobs,
            "chart_png": self.config.chart_png,
            "prefix": None if prefix is None else check_prefix(prefix),
            "nav_section": self.config.nav_section,
            "aliases": self.aliases(),
        }

    def collect(self, *, work_dir: Path | None = None, cache_dir: Path | None = None) -> Site:
        """Read and generate the cards (``mkdocs build``/``serve``)."""
        cache = cache_dir or self.cache_dir()
        try:
            loaded, skipped = load_cards(self.card_dirs(), skip_invalid=self.config.skip_invalid)
            for card_dir, problems in skipped:
                for problem in problems:
                    log.warning(str(problem))
                log.warning("cardsite: skipped the card %s: it has errors", card_dir)
            if not loaded:
                raise PluginError("cardsite: no card to show: every card has errors")
            return self.generate(
                loaded, skipped, work_dir=work_dir or cache / "site", cache_dir=cache
            )
        except CardError as err:
            for problem in err.problems:
                log.error(str(problem))
            folder = err.problems[0].file.parent if err.problems else "?"
            raise PluginError(
                f"cardsite: the card {folder} has errors (listed above); nothing was built"
            ) from None

    def generate(
        self,
        loaded: list[tuple[Card, Path]],
        skipped: list[tuple[Path, list[Problem]]],
        *,
        work_dir: Path,
        cache_dir: Path,
        jobs: int | None = None,
    ) -> Site:
        """Generate loaded cards with these options (``jobs`` overrides the option); what
        goes wrong is a :class:`PluginError` (a card's own problems stay a ``CardError``).
        ``mkdocs build``/``serve`` and ``cardsite build`` both come here."""
        options = self.site_options()
        if jobs is not None:
            options["jobs"] = jobs
        if options["jobs"] is not None and options["jobs"] < 1:
            raise PluginError(f"cardsite: option 'jobs' must be at least 1, not {options['jobs']}")
        try:
            return collect(
                loaded, work_dir=work_dir, cache_dir=cache_dir, skipped=skipped, **options
            )
        except SiteError as err:
            raise PluginError(f"cardsite: {err}") from None
        except TemplateError as err:  # most likely a user's template override
            raise PluginError(f"cardsite: template error: {describe_template_error(err)}") from None
        except OSError as err:
            raise PluginError(
                f"cardsite: could not write the pages and charts: {describe_os_error(err)}"
            ) from None

    def _set_search_languages(self, config: MkDocsConfig, site: Site) -> None:
        """Search in the cards' languages, unless ``mkdocs.yml`` names its own."""
        search = next((p for p in config.plugins.values() if isinstance(p, SearchPlugin)), None)
        if search is None:
            return
        if not search.config.lang:
            codes = [lang.code for c in site.cards for lang in c.card.family.languages]
            search.config.lang = search_languages(codes)
        polyfills = config.extra.setdefault("polyfills", [])
        if LAZY_SEARCH not in polyfills:
            polyfills.append(LAZY_SEARCH)

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
        site = self.site
        assert site is not None
        parts = [(c.prefix, c.generated) for c in site.cards]
        if site.catalogue is not None:
            parts.append((site.prefix, site.catalogue))
        generated = {prefix + src for prefix, g in parts for src in g.markdown}
        own_pages = [f.src_uri for f in files.documentation_pages() if f.src_uri not in generated]
        for prefix, content in parts:
            add_generated(files, config, prefix, content)
        config.nav = site_nav(config.nav, own_pages, site)
        return files

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        # Material's search box is a dialog without a name (axe-core: aria-dialog-name).
        return _SEARCH_DIALOG.sub(r'\1 aria-label="Search"', output, count=1)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when card data or template overrides change (they live outside docs/)."""
        for site_card in self.site.cards if self.site else []:
            server.watch(str(site_card.card_dir))
        for folder in self.template_dirs():
            server.watch(str(folder))
        return server


def add_generated(files: Files, config: MkDocsConfig, prefix: str, generated: Generated) -> None:
    """Generated pages (in memory) and files (on disk) as MkDocs files under ``prefix``. The
    site's own file at the same path wins: a hand-written ``index.md`` replaces ours."""
    for src, text in generated.markdown.items():
        _put(files, File.generated(config, prefix + src, content=text))
    for src, path in generated.files.items():
        _put(
            files,
            File.generated(
                config, prefix + src, abs_src_path=str(path), inclusion=InclusionLevel.NOT_IN_NAV
            ),
        )


def site_name_of_catalogue(configured: str | None) -> str:
    from cardsite.generate import PLACEHOLDER_SITE_NAME

    return configured if configured and configured != PLACEHOLDER_SITE_NAME else "Model catalogue"


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


def site_nav(configured: list[Any] | None, own_pages: list[str], site: Site) -> list[Any]:
    """The site's nav: the user's (or, without one, their pages as MkDocs would list them),
    then the cards' sections. One card: its sections, under its nav section unless that is
    ``""``. A catalogue: its own sections, then a "Cards" section with one section per card
    (grouped in runs when there are many), all under the catalogue's nav section unless ``""``.

    Titles come from card text and MkDocs' theme prints nav titles as HTML, so they are
    escaped here.
    """
    nav = list(configured) if configured is not None else nest_paths(own_pages)
    at_root = configured is None and site.prefix == ""
    if site.catalogue is None:
        (card,) = site.cards
        added = _prefixed(card.generated.nav, card.prefix)
        if card.nav_section:
            added = [{html.escape(card.nav_section): added}]
    else:
        added = _prefixed(site.catalogue.nav, site.prefix)
        per_card = [
            {html.escape(c.nav_section): _prefixed(c.generated.nav, c.prefix)} for c in site.cards
        ]
        # One level down, so that with ``navigation.prune`` a page lists each other card (or
        # run of cards) as one link: a page's nav stays small however many cards there are.
        added.append({"Cards": _runs(per_card, "Cards")})
        if site.nav_section:
            added = [{html.escape(site.nav_section): added}]
    # Cards at the site's root are the site: their pages come first, the site's own after.
    return [*added, *nav] if at_root else [*nav, *added]


def _runs(entries: list[dict[str, Any]], name: str, size: int = 40) -> list[dict[str, Any]]:
    """Entries as they are, or in runs of ``size`` when there are more (a small nav per
    page, see :meth:`cardsite.pages.plan.PagePlanner.nav`)."""
    if len(entries) <= size:
        return entries
    return [
        {f"{name} {i + 1}\u2013{i + len(entries[i : i + size])}": entries[i : i + size]}
        for i in range(0, len(entries), size)
    ]


def _prefixed(entries: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """A generated nav (``[{title: src or [entries]}]``) under ``prefix``, titles escaped."""
    out: list[dict[str, Any]] = []
    for entry in entries:
        ((title, target),) = entry.items()
        value = _prefixed(target, prefix) if isinstance(target, list) else prefix + target
        out.append({html.escape(title): value})
    return out


def _put(files: Files, file: File) -> None:
    if files.get_file_from_path(file.src_uri) is None:
        files.append(file)
