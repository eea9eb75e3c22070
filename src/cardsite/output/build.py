"""``cardsite build``: generate once, run MkDocs per target, then swap the outputs in whole.

Nothing is written to ``site/`` or ``dist/`` until every target has built. Each build works in
its own folder under ``OUT/.cardsite-tmp/`` (on the same file system as the outputs, so the
final step is a rename), holds a lock so two builds cannot interleave, and removes folders that
killed builds left behind. The outputs are swapped in together through a journal, so a build
killed while swapping is finished by the next one (see :mod:`cardsite.output.swap`).

The MkDocs settings are the project's ``mkdocs.yml`` (read by MkDocs' own loader, so its tags
such as ``!ENV`` work), or cardsite's defaults where there is none; each target changes only
what it must (:mod:`cardsite.targets`).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from cardsite.card.models import Card
from cardsite.card.problems import Problem, describe_os_error
from cardsite.collect import Site, SiteError, find_cards, load_cards
from cardsite.output import swap
from cardsite.output.archive import EpochError, build_epoch, zip_folder
from cardsite.output.progress import Progress
from cardsite.pages.render import make_environment, render_template
from cardsite.paths import DEFAULT_CARD_DIR, DEFAULT_CONFIG
from cardsite.plugin.plugin import CardsitePlugin
from cardsite.targets import embed, hosted, offline, wiki

log = logging.getLogger(__name__)

WORK_FOLDER = ".cardsite-tmp"
LOCK_NAME = "build.lock"
LOCK_WAIT_SECONDS = 600
CACHE_FOLDER = Path(".cache") / "cardsite"
MKDOCS_YML = Path("mkdocs.yml")
SITE_DIR = Path("site")
DIST_DIR = Path("dist")
TARGETS = ("hosted", "offline", "embed")


UNCHANGED = "earlier outputs were left as they were"
PARTLY_REPLACED = (
    "some outputs are new and the others still old: the next cardsite build finishes replacing "
    "them (or delete .cardsite-tmp/ to give this build up)"
)


class BuildError(Exception):
    """A build step failed; the message says which and why, :attr:`outputs` what became of
    the outputs (by default: nothing changed)."""

    def __init__(self, message: str, outputs: str = UNCHANGED) -> None:
        super().__init__(message)
        self.outputs = outputs


@dataclass(frozen=True)
class Project:
    """The MkDocs settings a build starts from: a ``mkdocs.yml``, or cardsite's defaults."""

    config_file: Path
    own: bool
    """True for the folder's own ``mkdocs.yml``; False for cardsite's defaults."""

    @classmethod
    def here(cls) -> Project:
        if MKDOCS_YML.is_file():
            return cls(MKDOCS_YML.resolve(), own=True)
        return cls(DEFAULT_CONFIG, own=False)

    def load(self, site_dir: Path, docs_dir: Path) -> tuple[MkDocsConfig, CardsitePlugin]:
        """The MkDocs config for one run, and the cardsite plugin in it (added if missing)."""
        from mkdocs.config import load_config

        overrides: dict[str, object] = {"site_dir": str(site_dir), "strict": True}
        if not self.own:
            overrides["docs_dir"] = str(docs_dir)
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        try:
            with _mkdocs_logging():
                config = load_config(str(self.config_file), **overrides)
        except (Abort, ConfigurationError) as err:
            raise BuildError(f"{self.config_file}: {err}") from None
        plugin = next((p for p in config.plugins.values() if isinstance(p, CardsitePlugin)), None)
        if plugin is None:  # a mkdocs.yml without the plugin: the card is the whole site
            plugin = CardsitePlugin()
            plugin.load_config({"prefix": "", "nav_section": ""}, str(self.config_file))
            config.plugins["cardsite"] = plugin
        return config, plugin


def default_card_dirs() -> list[Path]:
    """The cards a build shows when none is named: those of ``mkdocs.yml``'s plugin, else
    ``data/llama-3.1``."""
    project = Project.here()
    if project.own:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                _config, plugin = project.load(Path(tmp) / "site", Path(tmp))
                if plugin.config.card or plugin.config.cards:
                    return plugin.card_dirs()
            except (BuildError, PluginError):
                pass  # the build itself reports what is wrong with mkdocs.yml
    return [DEFAULT_CARD_DIR]


def build(
    card_dirs: Sequence[Path],
    *,
    targets: Sequence[str] = ("hosted",),
    site_url: str | None = None,
    out_dir: Path = Path("."),
    jobs: int | None = None,
    skip_invalid: bool = False,
) -> tuple[list[Path], list[tuple[Path, list[Problem]]]]:
    """Build ``targets`` of the cards in ``card_dirs`` (a folder of cards stands for the cards
    in it) under ``out_dir``; outputs change only if all succeed. Returns the output paths
    written (``site``, ``dist/offline``, ...) and the cards skipped (``skip_invalid``)."""
    try:
        build_epoch()
    except EpochError as err:
        raise BuildError(str(err)) from None
    try:
        loaded, skipped = load_cards(find_cards(card_dirs), skip_invalid=skip_invalid)
    except SiteError as err:
        raise BuildError(str(err)) from None
    if not loaded:
        raise BuildError("no card to build: every card has errors")
    project = Project.here()
    out_dir = Path(out_dir)
    work_root = out_dir / WORK_FOLDER
    progress = Progress(total=3 + len(targets))
    try:
        with _lock(work_root), progress:
            work = Path(tempfile.mkdtemp(prefix="build-", dir=work_root)).resolve()
            try:
                progress.step("generating pages and charts")
                (work / "docs").mkdir()
                content, templates = _generate(
                    loaded, skipped, project, work, out_dir / CACHE_FOLDER, jobs
                )
                outputs = _build_targets(
                    targets, project, content, templates, work, site_url, progress
                )
                progress.step("replacing outputs")
                _swap_in({out_dir / path: built for path, built in outputs.items()}, work)
                return sorted(out_dir / path for path in outputs), skipped
            finally:
                if not (work / swap.JOURNAL).exists():  # else the next build finishes the swap
                    shutil.rmtree(work, ignore_errors=True)
    except OSError as err:  # a full disk, a name too long, a folder we may not write...
        raise BuildError(describe_os_error(err)) from None


def _generate(
    loaded: list[tuple[Card, Path]],
    skipped: list[tuple[Path, list[Problem]]],
    project: Project,
    work: Path,
    cache_dir: Path,
    jobs: int | None,
) -> tuple[Site, list[Path]]:
    """Each card's pages, charts and downloads (and a catalogue's), and the template folders."""
    _config, plugin = project.load(work / "probe", work / "docs")
    try:
        site = plugin.generate(
            loaded, skipped, work_dir=work / "generated", cache_dir=cache_dir, jobs=jobs
        )
    except PluginError as err:
        raise BuildError(str(err).removeprefix("cardsite: ")) from None
    return site, plugin.template_dirs()


def _build_targets(
    wanted: Sequence[str],
    project: Project,
    site_content: Site,
    templates: list[Path],
    work: Path,
    site_url: str | None,
    progress: Progress,
) -> dict[Path, Path]:
    """Build each wanted target into ``work``; return {output path: built path}.

    The hosted build also feeds the embed target, so it runs when either is wanted.
    """
    outputs: dict[Path, Path] = {}
    if "hosted" in wanted or "embed" in wanted:
        progress.step("building the hosted site")
        site = work / "hosted"
        config = _config_for(project, site_content, site, work, site_url)
        hosted.configure(config)
        run_mkdocs(config)
        pages = embed.embed_pages(
            [(c.prefix, p.src, p.title) for c in site_content.cards for p in c.generated.pages]
        )
        try:
            bodies = {page.name: embed.extract_fragment(site, page) for page in pages}
        except ValueError as err:  # a theme override without Material's <article>
            raise BuildError(f"could not cut the embeddable fragments: {err}") from None
        if "embed" in wanted:
            progress.step("cutting embeddable fragments and wiki pages")
            env = make_environment(templates)

            def render_index(fragments: list[dict[str, str]]) -> str:
                return render_template(
                    env,
                    "embed-index.html.jinja",
                    family_name=site_content.name,
                    site_url=site_url,
                    fragments=fragments,
                )

            embed.write_fragments(bodies, pages, work / "embed", site_url, render_index)
            outputs[DIST_DIR / "embed"] = work / "embed"
            wiki.write_wiki(bodies, pages, site, work / "wiki", site_url, site_content.name)
            outputs[DIST_DIR / "wiki"] = work / "wiki"
        if "hosted" in wanted:
            hosted.finish(site, bodies, pages)
            outputs[SITE_DIR] = site
    if "offline" in wanted:
        progress.step("building the offline bundle")
        site = work / "offline"
        config = _config_for(project, site_content, site, work, site_url)
        epoch = build_epoch()
        offline.configure(config, banner=offline_banner(site_content, epoch, site_url))
        run_mkdocs(config)
        offline.finish(site)
        zip_name = f"{site_content.id}-docs-offline"
        zip_folder(site, work / f"{zip_name}.zip", top_folder=zip_name, epoch=epoch)
        outputs[DIST_DIR / "offline"] = site
        outputs[DIST_DIR / f"{zip_name}.zip"] = work / f"{zip_name}.zip"
    return outputs


def _config_for(
    project: Project, content: Site, site: Path, work: Path, site_url: str | None
) -> MkDocsConfig:
    config, plugin = project.load(site, work / "docs")
    plugin.use(content)
    if site_url:
        config.site_url = site_url.rstrip("/") + "/"
    return config


def _swap_in(outputs: dict[Path, Path], work: Path) -> None:
    try:
        swap.commit([(new, final) for final, new in outputs.items()], work / swap.JOURNAL)
    except swap.IncompleteSwap as err:
        raise BuildError(
            f"could not put the new outputs in place: {describe_os_error(err)}", PARTLY_REPLACED
        ) from None
    except OSError as err:
        raise BuildError(
            f"could not put the new outputs in place: {describe_os_error(err)}",
            f"no output was replaced; {UNCHANGED}",
        ) from None


def offline_banner(site: Site, epoch: int, site_url: str | None) -> dict[str, str]:
    day = datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%d")
    if site.catalogue is not None:
        what = f"Model catalogue of {len(site.cards)} cards"
    else:
        family = site.cards[0].card.family
        what = f"{family.name} model card" + (
            f" version {family.version}" if family.version else ""
        )
    return {
        "text": f"{what}, offline copy built {day}",
        "url": site_url or "",
        "link_text": "Latest version online",
    }


def run_mkdocs(config: MkDocsConfig) -> None:
    """Run a strict MkDocs build of a loaded config; warnings fail it.

    MkDocs runs the project's own code and files (theme overrides, hooks, plugins, docs pages):
    whatever fails in there is reported as a failed build in one line, not a traceback.
    """
    from mkdocs.commands.build import build as mkdocs_build

    try:
        with _mkdocs_logging():
            mkdocs_build(config)
    except (Abort, ConfigurationError, PluginError) as err:
        raise BuildError(f"MkDocs could not build the site: {err}") from None
    except OSError:
        raise  # reported with its file name by build()
    except UnicodeDecodeError as err:  # MkDocs has logged which page
        raise BuildError(
            f"MkDocs could not build the site: a file is not UTF-8 text ({err.reason} at "
            f"byte {err.start}); save it as UTF-8"
        ) from None
    except Exception as err:
        log.debug("MkDocs failed", exc_info=True)
        raise BuildError(f"MkDocs could not build the site: {type(err).__name__}: {err}") from None


@contextmanager
def _mkdocs_logging() -> Iterator[None]:
    """Show MkDocs warnings (they fail a strict build) but not its info chatter."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s: %(message)s"))
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)


@contextmanager
def _lock(work_root: Path) -> Iterator[None]:
    work_root.mkdir(parents=True, exist_ok=True)
    lock_file = work_root / LOCK_NAME
    lock = FileLock(str(lock_file))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning(
            "another cardsite build holds %s; waiting up to %d s", lock_file, LOCK_WAIT_SECONDS
        )
        started = time.monotonic()
        try:
            lock.acquire(timeout=LOCK_WAIT_SECONDS)
        except Timeout:
            raise BuildError(
                f"gave up after {LOCK_WAIT_SECONDS} s waiting for another build "
                f"({lock_file}); nothing was changed"
            ) from None
        log.warning("lock acquired after %.0f s", time.monotonic() - started)
    try:
        _remove_stale_work(work_root)
        yield
    finally:
        lock.release()


def _remove_stale_work(work_root: Path) -> None:
    """Holding the lock, any other work folder is one a killed build left behind. One killed
    while swapping its outputs in left a journal: finish its swap first (rolls forward)."""
    journals = sorted(work_root.glob(f"build-*/{swap.JOURNAL}"), key=lambda p: p.stat().st_mtime)
    for journal in journals:
        log.warning(
            "cardsite: finishing the output swap of an interrupted build (%s)", journal.parent
        )
        try:
            swap.recover(journal)
        except (OSError, ValueError) as err:
            raise BuildError(
                f"could not finish the interrupted swap in {journal.parent}: {err} "
                "(fix the cause, or delete that folder to give that build up)"
            ) from None
    for stale in work_root.glob("build-*"):
        shutil.rmtree(stale, ignore_errors=True)


def serve(card_dirs: Sequence[Path], dev_addr: str) -> None:
    """Live preview through ``mkdocs serve`` with the project's settings; the plugin
    regenerates the pages on every rebuild and watches the cards and templates."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    project = Project.here()
    CardsitePlugin.cli_cards = [Path(d).resolve() for d in card_dirs]
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    overrides = {} if project.own else {"docs_dir": tempfile.mkdtemp(prefix="cardsite-docs-")}
    try:
        mkdocs_serve(
            config_file=str(project.config_file), dev_addr=dev_addr, livereload=True, **overrides
        )
    except (Abort, ConfigurationError, PluginError) as err:
        raise BuildError(str(err)) from None
    except OSError as err:  # most often: the address is in use, or not this machine's
        if err.filename is None:
            raise BuildError(f"cannot serve on {dev_addr}: {err.strerror or err}") from None
        raise BuildError(describe_os_error(err)) from None
