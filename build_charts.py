"""Render the site's charts for a card: ``python build_charts.py [CARD_DIR]``.

Writes ``build/charts/`` with the cache in ``.cache/cardsite/charts/`` (both under the working directory)
and prints one summary line. A card with errors prints each located problem to stderr and exits
1; bad arguments exit 2. All the work is in :mod:`cardsite.charts`; this script only wires the
card folder, the two directories and the exit codes together.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cardsite.card.loader import load_card
from cardsite.card.problems import CardError
from cardsite.charts import chart_specs, render_charts
from cardsite.cli import add_card_dir_argument

OUT_DIR = Path("build/charts")
CACHE_DIR = Path(".cache/cardsite/charts")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the documentation site's charts.")
    add_card_dir_argument(parser)
    parser.add_argument(
        "-j", "--jobs", type=int, default=None, help="worker processes (default: one per CPU)"
    )
    args = parser.parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")

    try:
        card, _warnings = load_card(args.card_dir)
    except CardError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1

    start = time.perf_counter()
    report = render_charts(chart_specs(card), OUT_DIR, CACHE_DIR, jobs=args.jobs)
    seconds = time.perf_counter() - start
    print(
        f"charts: {len(report.rendered)} rendered, {len(report.reused)} reused "
        f"in {seconds:.1f}s -> {OUT_DIR}"
    )
    return 0


if __name__ == "__main__":  # the guard also keeps "spawn"/"forkserver" workers from re-running it
    sys.exit(main())
