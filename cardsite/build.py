"""``cardsite build``: generate, run MkDocs per target, then swap the outputs in whole.

Nothing is written to ``site/`` or ``dist/`` until every target has built. Each build works in
its own folder under ``.cardsite-tmp/`` (on the same file system as the outputs, so the final
step is a rename), holds a lock so two builds cannot interleave, and removes folders that killed
builds left behind.
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
from pathlib import Path
from typing import Any

import yaml
from filelock import FileLock, Timeout

from cardsite import targets
from cardsite.generate import copy_tree, write_docs
from cardsite.loader import load_card
from cardsite.progress import Progress
from cardsite.swap import replace_dir

WORK_ROOT = Path(".cardsite-tmp")
LOCK_FILE = WORK_ROOT / "build.lock"
LOCK_WAIT_SECONDS = 600
CACHE_DIR = Path(".cache/charts")
MKDOCS_YML = Path("mkdocs.yml")
DOCS_DIR = Path("docs")
USER_TEMPLATES = Path("templates")


class BuildError(Exception):
    """A build step failed; the message says which and why."""


def build(
    card_dir: Path, *, targets: Sequence[str] = ("hosted",), site_url: str | None = None
) -> None:
    card, _warnings = load_card(card_dir)
    progress = Progress(total=2 + len(targets))
    with _lock(), progress:
        work = Path(tempfile.mkdtemp(prefix="build-", dir=WORK_ROOT))
        try:
            progress.step("generating pages and charts")
            docs = work / "docs"
            copy_tree(DOCS_DIR, docs)
            generated = write_docs(card, docs, cache_dir=CACHE_DIR, template_dirs=_templates())
            base = targets_base(docs, work, generated.nav, site_url,
                                site_name=f"{card.family.name} model card")
            outputs: dict[Path, Path] = {}
            for target in targets:
                progress.step(f"building {target}")
                outputs |= _build_target(target, base, work, card.family.id)
            progress.step("replacing outputs")
            for final, new in outputs.items():
                replace_dir(new, final)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _templates() -> list[Path]:
    return [USER_TEMPLATES] if USER_TEMPLATES.is_dir() else []


def targets_base(
    docs: Path, work: Path, nav: list[Any], site_url: str | None, site_name: str
) -> dict[str, Any]:
    try:
        mkdocs_yml = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise BuildError(f"cannot read {MKDOCS_YML}: {err}") from None
    return targets.base_config(mkdocs_yml, docs_dir=docs.resolve(),
                               site_dir=(work / "site").resolve(), nav=nav, site_url=site_url,
                               site_name=site_name)


def _build_target(target: str, base: dict[str, Any], work: Path, slug: str) -> dict[Path, Path]:
    """Build one target into ``work``; return {final output path: built path}."""
    if target == "hosted":
        site = work / "hosted"
        run_mkdocs(targets.hosted(base), site)
        return {Path("site"): site}
    # Other targets are added as they are built; until then they are skipped, not faked.
    print(f"cardsite: target {target!r} is not available yet; skipped", file=sys.stderr)
    return {}


def run_mkdocs(config: dict[str, Any], site_dir: Path) -> None:
    """Run a strict MkDocs build of ``config`` into ``site_dir``; warnings fail it."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    config = {**config, "site_dir": str(site_dir.resolve())}
    config_file = site_dir.parent / f"mkdocs-{site_dir.name}.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
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
        print(f"another cardsite build holds {LOCK_FILE}; waiting up to "
              f"{LOCK_WAIT_SECONDS} s", file=sys.stderr)
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
    """Holding the lock, any other work folder is one a killed build left behind."""
    for stale in WORK_ROOT.glob("build-*"):
        shutil.rmtree(stale, ignore_errors=True)


def serve(card_dir: Path, dev_addr: str) -> None:
    """Live preview through ``mkdocs serve`` with the hook that generates pages on each build."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    os.environ["CARDSITE_CARD_DIR"] = str(card_dir)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    mkdocs_serve(config_file=str(MKDOCS_YML), dev_addr=dev_addr, livereload=True)
