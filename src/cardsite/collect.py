"""Collect a site's cards: find them, read them, generate each, and plan a catalogue over them.

A site shows one card, or several (a catalogue). For each card, generation (pages, charts,
downloads) is a pure function of the card folder's bytes, the template overrides and cardsite
itself: the *map* step. It is cached under a key over exactly those inputs (the card's content
hash), so a rebuild regenerates only the cards that changed, and cards missing from the cache
are generated in parallel worker processes. The catalogue's own pages (a home listing every
variant, cross-card benchmark pages) are the *reduce* step: they read the cards' data only.

One card keeps the site it always had: no catalogue pages, its pages where the project puts
them (``prefix``). In a catalogue, each card gets a folder of its own (its id) under the
catalogue's prefix, and a nav section of its own.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from cardsite.card.loader import load_card
from cardsite.card.models import CARD_FILES, Card
from cardsite.card.problems import CardError, Problem
from cardsite.catalogue.match import alias_keys
from cardsite.catalogue.plan import RESERVED_PREFIXES, CatalogueCard, CataloguePlanner
from cardsite.exports import tables
from cardsite.generate import Generated, PageRef, generate
from cardsite.output.workers import exit_unless_build_alive, worker_pool
from cardsite.pages.render import make_environment, render_page
from cardsite.paths import PACKAGE

log = logging.getLogger(__name__)

CATALOGUE_DOWNLOADS = {
    "catalogue-results.csv": "Every result of every card, with a leading family column.",
    "catalogue.json": "Every card of the catalogue as JSON (cardsite format 2).",
}


class SiteError(Exception):
    """The cards cannot make one site (a duplicate family id, a reserved id); says which."""


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


@dataclass(frozen=True)
class Site:
    cards: list[SiteCard]
    catalogue: Generated | None = None
    """The catalogue's own pages, when the site holds several cards."""
    prefix: str = ""
    """Where the catalogue's pages go (one card: where its pages go)."""
    nav_section: str = ""
    skipped: list[tuple[Path, list[Problem]]] = field(default_factory=list)
    """Cards left out (``skip_invalid``) and why."""

    @property
    def id(self) -> str:
        return self.cards[0].card.id if self.catalogue is None else "catalogue"

    @property
    def name(self) -> str:
        """The site's title: the family's model card, or the catalogue."""
        if self.catalogue is None:
            return f"{self.cards[0].card.family.name} model card"
        return "Model catalogue"


def find_cards(paths: Sequence[Path]) -> list[Path]:
    """Card folders, a folder of card folders standing for the cards in it (sorted)."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if not (path / "family.yaml").exists() and path.is_dir():
            inner = sorted(p for p in path.iterdir() if (p / "family.yaml").is_file())
            if inner:
                found += inner
                continue
        found.append(path)
    return found


def load_cards(
    card_dirs: Sequence[Path], *, skip_invalid: bool = False
) -> tuple[list[tuple[Card, Path]], list[tuple[Path, list[Problem]]]]:
    """Each card, validated; a broken one stops everything unless ``skip_invalid``."""
    loaded, skipped = [], []
    for card_dir in card_dirs:
        try:
            card, warnings = load_card(card_dir)
        except CardError as err:
            if not skip_invalid:
                raise
            skipped.append((Path(card_dir), err.problems))
            continue
        for problem in warnings:
            log.info("%s", problem)
        loaded.append((card, Path(card_dir)))
    seen: dict[str, Path] = {}
    for card, card_dir in loaded:
        if card.id in seen:
            raise SiteError(
                f"two cards have the family id {card.id!r}: {seen[card.id]} and {card_dir}; "
                "give one of them another family.id"
            )
        seen[card.id] = card_dir
    return loaded, skipped


def collect(
    loaded: list[tuple[Card, Path]],
    *,
    work_dir: Path,
    cache_dir: Path,
    template_dirs: Sequence[Path] = (),
    jobs: int | None = None,
    chart_png: bool = False,
    prefix: str | None = None,
    nav_section: str | None = None,
    aliases: dict[str, list[str]] | None = None,
    skipped: list[tuple[Path, list[Problem]]] | None = None,
) -> Site:
    """Generate every card (cached, in parallel) and, for several, the catalogue.

    ``prefix``/``nav_section`` are the project's: where the card's pages (one card) or the
    catalogue (several) go, and under which nav section; None for the defaults (a folder named
    after the card, or ``models/``; the family's name, or ``Models``).
    """
    catalogue = len(loaded) > 1
    if catalogue:
        base = "models/" if prefix is None else prefix
        for card, card_dir in loaded:
            if card.id in RESERVED_PREFIXES:
                raise SiteError(f"{card_dir}: family id {card.id!r} is a folder the catalogue uses")
    generated = _generate_cards(loaded, work_dir, cache_dir, template_dirs, jobs, chart_png)
    if not catalogue:
        (card, card_dir), (result,) = loaded[0], generated
        own = f"{card.id}/" if prefix is None else prefix
        section = card.family.name if nav_section is None else nav_section
        return Site(
            [SiteCard(card, card_dir, own, section, result)],
            prefix=own,
            nav_section=section,
            skipped=skipped or [],
        )
    cards = [
        SiteCard(card, card_dir, f"{base}{card.id}/", card.family.name, result)
        for (card, card_dir), result in zip(loaded, generated, strict=True)
    ]
    planner = CataloguePlanner(
        [CatalogueCard(c.card, c.prefix.removeprefix(base)) for c in cards],
        alias_keys(aliases or {}),
    )
    pages = planner.pages()
    env = make_environment(template_dirs)
    markdown = {page.src: render_page(env, page) for page in pages}
    files = _catalogue_downloads([c.card for c in cards], work_dir / "catalogue")
    nav = [{"Catalogue": [{p.title: p.src} for p in pages[:2]]}]
    compare = [{p.title: p.src} for p in pages[2:]]
    if compare:
        nav.append({"Benchmarks across cards": compare})
    refs = [PageRef(p.src, p.title, p.section) for p in pages]
    return Site(
        cards,
        Generated(refs, markdown, files, nav),
        prefix=base,
        nav_section="Models" if nav_section is None else nav_section,
        skipped=skipped or [],
    )


def _catalogue_downloads(cards: list[Card], work: Path) -> dict[str, Path]:
    folder = work / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    csv_name, json_name = CATALOGUE_DOWNLOADS
    (folder / csv_name).write_text(tables.catalogue_csv(cards), encoding="utf-8", newline="")
    (folder / json_name).write_text(tables.catalogue_json(cards), encoding="utf-8")
    return {f"downloads/{name}": folder / name for name in CATALOGUE_DOWNLOADS}


# ------------------------------------------------------------------ the map step, cached


def _generate_cards(
    loaded: list[tuple[Card, Path]],
    work_dir: Path,
    cache_dir: Path,
    template_dirs: Sequence[Path],
    jobs: int | None,
    chart_png: bool,
) -> list[Generated]:
    """Each card's generated content: from the cache when its key is there, else generated
    (in worker processes when several cards need it) and stored under its key."""
    keys = [card_key(card_dir, template_dirs, chart_png) for _card, card_dir in loaded]
    results: dict[int, Generated] = {}
    todo = []
    for i, ((card, card_dir), key) in enumerate(zip(loaded, keys, strict=True)):
        entry = cache_dir / "cards" / f"{card.id}-{key[:20]}"
        found = _load_entry(entry)
        if found is not None:
            results[i] = found
        else:
            todo.append((i, card, card_dir, entry))
    workers = min(jobs or os.cpu_count() or 1, len(todo))
    if workers > 1:
        with worker_pool(workers, preload=["cardsite.generate"]) as pool:
            futures = {
                i: pool.submit(
                    _generate_entry,
                    card,
                    card_dir,
                    entry,
                    cache_dir,
                    tuple(template_dirs),
                    1,
                    chart_png,
                )
                for i, card, card_dir, entry in todo
            }
            results |= {i: future.result() for i, future in futures.items()}
    else:
        for i, card, card_dir, entry in todo:
            results[i] = _generate_entry(
                card, card_dir, entry, cache_dir, tuple(template_dirs), jobs, chart_png
            )
    return [results[i] for i in range(len(loaded))]


def _generate_entry(
    card: Card,
    card_dir: Path,
    entry: Path,
    cache_dir: Path,
    template_dirs: tuple[Path, ...],
    jobs: int | None,
    chart_png: bool,
) -> Generated:
    """Generate one card into a fresh folder, then move it into the cache in one rename."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    for stale in entry.parent.glob(f"{card.id}-*"):  # the card's older versions
        if stale.name != entry.name and not stale.name.startswith("."):
            shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(dir=entry.parent, prefix=f".tmp-{card.id}-"))
    try:
        generated = generate(
            card,
            tmp / "files",
            cache_dir=cache_dir,
            template_dirs=template_dirs,
            jobs=jobs,
            card_dir=card_dir,
            png=chart_png,
        )
        manifest = {
            "pages": [[p.src, p.title, p.section] for p in generated.pages],
            "nav": generated.nav,
            "files": sorted(generated.files),
        }
        for src, text in generated.markdown.items():
            target = tmp / "pages" / src
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        (tmp / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        tmp.chmod(0o755)
        exit_unless_build_alive()
        try:
            os.replace(tmp, entry)
        except OSError:
            if not entry.is_dir():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    loaded = _load_entry(entry)
    if loaded is None:
        raise OSError(f"cannot read back the generated card in {entry}")
    return loaded


def _load_entry(entry: Path) -> Generated | None:
    try:
        manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
        pages = [PageRef(*p) for p in manifest["pages"]]
        markdown = {p.src: (entry / "pages" / p.src).read_text(encoding="utf-8") for p in pages}
        files = {src: entry / "files" / src for src in manifest["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all(path.is_file() for path in files.values()):
        return None
    return Generated(pages, markdown, files, manifest["nav"])


def card_key(card_dir: Path, template_dirs: Sequence[Path], chart_png: bool = False) -> str:
    """sha256 over everything a card's generated content depends on: the card's files, the
    template overrides, cardsite itself (its code, templates and theme) and the options that
    change pages (``chart_png``)."""
    digest = hashlib.sha256(_package_fingerprint().encode())
    digest.update(b"png\0" if chart_png else b"no-png\0")
    for name in sorted(CARD_FILES):
        path = Path(card_dir) / name
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"-")
    for folder in template_dirs:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def _package_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".jinja", ".html", ".css", ".js", ".yml"}:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()
