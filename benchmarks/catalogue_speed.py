"""Catalogue build cost: many synthetic cards in one site, and the cost of editing one.

Run by hand: ``.venv/bin/python benchmarks/catalogue_speed.py --cards 200 --variants 10``.
Writes ``--cards`` synthetic cards (``benchmarks/synthetic_card.py``, ``--variants`` variants
and ``--benchmarks`` benchmarks each) into a folder, then in an empty project folder times:

* cold: ``cardsite build CARDS --target hosted`` with an empty cache;
* warm: the same again, nothing changed;
* one card edited: one score of one card changed, then the build (only that card and the
  catalogue pages are generated again).

It also times the two halves the architecture rests on (README, "Architecture"): the per-card
map step (generating one card, in process, cold) and the catalogue reduce step (planning and
rendering the catalogue pages from the cards), and prints peak RSS and output size.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_speed import ENV, edit_one_score, folder_bytes, run

HERE = Path(__file__).resolve().parent
CARDSITE = [sys.executable, "-m", "cardsite.cli"]


def write_cards(folder: Path, cards: int, variants: int, benchmarks: int) -> None:
    for i in range(cards):
        subprocess.run(
            [
                sys.executable,
                str(HERE / "synthetic_card.py"),
                str(folder / f"card-{i:04d}"),
                "--variants",
                str(variants),
                "--benchmarks",
                str(benchmarks),
                "--seed",
                str(i),
                "--name",
                f"Synthetic {i:04d}",
            ],
            check=True,
            env=ENV,
            capture_output=True,
        )


def map_and_reduce_seconds(cards_dir: Path, work: Path) -> tuple[float, float]:
    """In process: median seconds to generate one card (cold), and the catalogue step."""
    from cardsite.catalogue.plan import CatalogueCard, CataloguePlanner
    from cardsite.collect import find_cards, load_cards
    from cardsite.generate import generate
    from cardsite.pages.render import make_environment, render_page

    loaded, _skipped = load_cards(find_cards([cards_dir]))
    per_card = []
    for i, (card, _dir) in enumerate(loaded[:5]):
        started = time.perf_counter()
        generate(card, work / f"map-{i}", cache_dir=work / f"cache-{i}", jobs=1)
        per_card.append(time.perf_counter() - started)
    started = time.perf_counter()
    planner = CataloguePlanner([CatalogueCard(c, f"{c.id}/") for c, _ in loaded])
    env = make_environment()
    for page in planner.pages():
        render_page(env, page)
    return statistics.median(per_card), time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--variants", type=int, default=10)
    parser.add_argument("--benchmarks", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cardsite-catalogue-") as tmp:
        work = Path(tmp)
        cards = work / "cards"
        write_cards(cards, args.cards, args.variants, args.benchmarks)
        project = work / "project"
        project.mkdir()
        build = [*CARDSITE, "build", str(cards), "--target", "hosted"]
        cold = run(build, project)
        warm = run(build, project)
        edit_one_score(cards / "card-0000")
        one = run(build, project)
        one_card, catalogue = map_and_reduce_seconds(cards, work / "halves")
        pages = sum(1 for p in (project / "site").rglob("index.html") if "embed" not in p.parts)
        print(f"cards: {args.cards} x {args.variants} variants x {args.benchmarks} benchmarks")
        print(f"pages: {pages}; site: {folder_bytes(project / 'site') / 1e6:.1f} MB")
        print(f"cold build: {cold.seconds:.1f} s; warm: {warm.seconds:.1f} s; ", end="")
        print(f"one card edited: {one.seconds:.1f} s")
        print(f"peak RSS: {max(cold.peak_rss_mb, warm.peak_rss_mb, one.peak_rss_mb):.0f} MB")
        print(f"map (one card, cold, one process): {one_card:.2f} s")
        print(f"reduce (catalogue pages of {args.cards} cards): {catalogue:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
