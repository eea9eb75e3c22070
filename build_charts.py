"""Render a card's charts only: ``python build_charts.py [CARD_DIR] [-j JOBS] [--no-png]``.

Writes ``build/charts/`` with the cache in ``.cache/cardsite/charts/`` (both under the working
directory) and logs one summary line. A card with errors logs each located problem and exits 1;
bad arguments exit 2. All the work is in :mod:`cardsite.charts`; this script only wires the card
folder, the two directories and the exit codes together.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from cardsite.card.loader import load_card
from cardsite.card.problems import CardError
from cardsite.charts import chart_specs, render_charts
from cardsite.cli import add_card_dir_argument, add_jobs_argument

OUT_DIR = Path("build/charts")
CACHE_DIR = Path(".cache/cardsite/charts")

log = logging.getLogger("cardsite")


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description="Render the documentation site's charts.")
    add_card_dir_argument(parser)
    add_jobs_argument(parser)
    parser.add_argument("--no-png", action="store_true", help="write the SVG files only")
    args = parser.parse_args(argv)

    try:
        card, _warnings = load_card(args.card_dir)
    except CardError as err:
        for problem in err.problems:
            log.error("%s", problem)
        return 1

    start = time.perf_counter()
    report = render_charts(
        chart_specs(card), OUT_DIR, CACHE_DIR, jobs=args.jobs, png=not args.no_png
    )
    log.info(
        "charts: %d rendered, %d reused in %.1fs -> %s",
        len(report.rendered),
        len(report.reused),
        time.perf_counter() - start,
        OUT_DIR,
    )
    return 0


if __name__ == "__main__":  # the guard also keeps "forkserver" workers from re-running it
    sys.exit(main())
