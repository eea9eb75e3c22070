"""``cardsite build``: generate, run MkDocs per target, then swap the outputs in whole.

Nothing is written to ``site/`` or ``dist/`` until every target has built. Each build works in
its own folder under ``.cardsite-tmp/`` (on the same file system as the outputs, so the final
step is a rename), holds a lock so two builds cannot interleave, and removes folders that killed
builds left behind. The outputs are swapped in together through a journal, so a build killed
while swapping is finished by the next one (see :mod:`cardsite.swap`).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from filelock import FileLock, Timeout
from jinja2 import TemplateError

from cardsite import embed, offline, swap, targets
from cardsite.archive import build_epoch, zip_folder
from cardsite.generate import Generated, copy_tree, site_name, write_docs
from cardsite.loader import load_card
from cardsite.models import Card
from cardsite.progress import Progress
from cardsite.render import describe_template_error, make_environment

WORK_ROOT = Path(".cardsite-tmp")
LOCK_FILE = WORK_ROOT / "build.lock"
LOCK_WAIT_SECONDS = 600
CACHE_DIR = Path(".cache/charts")
MKDOCS_YML = Path("mkdocs.yml")
DOCS_DIR = Path("docs")
USER_TEMPLATES = Path("templates")
SITE_DIR = Path("site")
DIST_DIR = Path("dist")


class BuildError(Exception):
    """A build step failed; the message says which and why."""


def build(
    card_dir: Path, *, targets: Sequence[str] = ("hosted",), site_url: str | None = None
) -> list[Path]:
    """Build ``targets`` of the card in ``card_dir``; outputs change only if all succeed.

    Returns the output paths written (``site``, ``dist/offline``, ...).
    """
    card, _warnings = load_card(card_dir)
    progress = Progress(total=3 + len(targets))
    with _lock(), progress:
        work = Path(tempfile.mkdtemp(prefix="build-", dir=WORK_ROOT))
        try:
            progress.step("generating pages and charts")
            docs = work / "docs"
            copy_tree(DOCS_DIR, docs)
            try:
                generated = write_docs(card, docs, cache_dir=CACHE_DIR, template_dirs=_templates())
            except OSError as err:  # e.g. the chart cache cannot be written
                raise BuildError(f"could not write the pages and charts: {err}") from None
            except TemplateError as err:  # most likely a user's template override
                raise BuildError(f"template error: {describe_template_error(err)}") from None
            base = targets_base(card, docs, generated.nav, site_url)
            outputs = _build_targets(targets, base, work, generated, card, site_url, progress)
            progress.step("replacing outputs")
            _swap_in(outputs, work)
            return sorted(outputs)
        finally:
            if not (work / swap.JOURNAL).exists():  # else the next build finishes the swap
                shutil.rmtree(work, ignore_errors=True)


def _swap_in(outputs: dict[Path, Path], work: Path) -> None:
    try:
        swap.commit([(new, final) for final, new in outputs.items()], work / swap.JOURNAL)
    except OSError as err:
        raise BuildError(
            f"could not put the new outputs in place: {err}; the next build finishes the swap"
        ) from None


def _build_targets(
    wanted: Sequence[str],
    base: dict[str, Any],
    work: Path,
    generated: Generated,
    card: Card,
    site_url: str | None,
    progress: Progress,
) -> dict[Path, Path]:
    """Build each wanted target into ``work``; return {final output path: built path}.

    The hosted build also feeds the embed target, so it runs when either is wanted.
    """
    outputs: dict[Path, Path] = {}
    pages = embed.embed_pages([(p.src, p.title) for p in generated.pages])
    hosted = work / "hosted"
    if "hosted" in wanted or "embed" in wanted:
        progress.step("building the hosted site")
        run_mkdocs(targets.hosted(base), hosted)
        bodies = {page.name: embed.extract_fragment(hosted, page) for page in pages}
    if "embed" in wanted:
        progress.step("cutting embeddable fragments")
        env = make_environment(_templates())

        def render_index(fragments: list[dict[str, str]]) -> str:
            return env.get_template("embed-index.html.jinja").render(
                family_name=card.family.name, site_url=site_url, fragments=fragments
            )

        embed.write_fragments(bodies, pages, work / "embed", site_url, render_index)
        outputs[DIST_DIR / "embed"] = work / "embed"
    if "hosted" in wanted:
        embed.write_iframe_pages(bodies, pages, hosted)
        outputs[SITE_DIR] = hosted
    if "offline" in wanted:
        progress.step("building the offline bundle")
        outputs |= _build_offline(base, work, card, site_url)
    return outputs


def _build_offline(
    base: dict[str, Any], work: Path, card: Card, site_url: str | None
) -> dict[Path, Path]:
    site = work / "offline"
    epoch = build_epoch()
    config = targets.offline(base, banner=offline_banner(card, epoch, site_url))
    run_mkdocs(config, site)
    # MkDocs' 404 page links from the server root, which a folder on disk does not have.
    (site / "404.html").unlink(missing_ok=True)
    offline.install_shim(site)
    zip_name = f"{card.family.id}-docs-offline"
    zip_folder(site, work / f"{zip_name}.zip", top_folder=zip_name, epoch=epoch)
    return {DIST_DIR / "offline": site, DIST_DIR / f"{zip_name}.zip": work / f"{zip_name}.zip"}


def offline_banner(card: Card, epoch: int, site_url: str | None) -> dict[str, str]:
    day = datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%d")
    version = f" version {card.family.version}" if card.family.version else ""
    return {
        "text": f"{card.family.name} model card{version}, offline copy built {day}",
        "url": site_url or "",
        "link_text": "Latest version online",
    }


def _templates() -> list[Path]:
    return [USER_TEMPLATES] if USER_TEMPLATES.is_dir() else []


def targets_base(card: Card, docs: Path, nav: list[Any], site_url: str | None) -> dict[str, Any]:
    try:
        mkdocs_yml = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise BuildError(f"cannot read {MKDOCS_YML}: {err}") from None
    return targets.base_config(
        mkdocs_yml,
        docs_dir=docs.resolve(),
        nav=nav,
        site_url=site_url,
        site_name=site_name(card, mkdocs_yml.get("site_name")),
    )


def run_mkdocs(config: dict[str, Any], site_dir: Path) -> None:
    """Run a strict MkDocs build of ``config`` into ``site_dir``; warnings fail it."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    config = {**config, "site_dir": str(site_dir.resolve())}
    config_file = site_dir.parent / f"mkdocs-{site_dir.name}.yml"
    config_file.write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        with _mkdocs_logging():
            cfg = load_config(str(config_file))
            mkdocs_build(cfg)
    except (Abort, ConfigurationError) as err:
        raise BuildError(f"MkDocs could not build the site: {err}") from None


@contextmanager
def _mkdocs_logging() -> Iterator[None]:
    """Show MkDocs warnings (they fail a strict build) but not its info chatter."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
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
def _lock() -> Iterator[None]:
    WORK_ROOT.mkdir(exist_ok=True)
    lock = FileLock(str(LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(
            f"another cardsite build holds {LOCK_FILE}; waiting up to {LOCK_WAIT_SECONDS} s",
            file=sys.stderr,
        )
        started = time.monotonic()
        try:
            lock.acquire(timeout=LOCK_WAIT_SECONDS)
        except Timeout:
            raise BuildError(
                f"gave up after {LOCK_WAIT_SECONDS} s waiting for another build "
                f"({LOCK_FILE}); nothing was changed"
            ) from None
        print(f"lock acquired after {time.monotonic() - started:.0f} s", file=sys.stderr)
    try:
        _remove_stale_work()
        yield
    finally:
        lock.release()


def _remove_stale_work() -> None:
    """Holding the lock, any other work folder is one a killed build left behind. One killed
    while swapping its outputs in left a journal: finish its swap first (rolls forward)."""
    journals = sorted(WORK_ROOT.glob(f"build-*/{swap.JOURNAL}"), key=lambda p: p.stat().st_mtime)
    for journal in journals:
        print(
            f"cardsite: finishing the output swap of an interrupted build ({journal.parent})",
            file=sys.stderr,
        )
        try:
            swap.recover(journal)
        except (OSError, ValueError) as err:
            raise BuildError(
                f"could not finish the interrupted swap in {journal.parent}: {err} "
                "(fix the cause, or delete that folder to give that build up)"
            ) from None
    for stale in WORK_ROOT.glob("build-*"):
        shutil.rmtree(stale, ignore_errors=True)


def serve(card_dir: Path, dev_addr: str) -> None:
    """Live preview through ``mkdocs serve``; the hook regenerates pages on every rebuild and
    watches the card folder and templates."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    os.environ["CARDSITE_CARD_DIR"] = str(card_dir.resolve())
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    mkdocs_yml = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))
    mkdocs_serve(
        config_file=str(MKDOCS_YML),
        dev_addr=dev_addr,
        livereload=True,
        **targets.package_paths(mkdocs_yml),
    )
