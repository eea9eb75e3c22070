"""Chart speed: time and peak memory of building a card's chart specs and drawing them.

``python benchmarks/chart_speed.py [--card DIR | --variants N --benchmarks M] [--jobs J]
[--png]`` loads the card (or writes a synthetic one with ``synthetic_card.py``), builds the
specs, renders them into an empty cache (cold) and again (warm), and logs one line each: wall
and CPU seconds, chart count, and peak resident memory of this process and of the busiest
worker (sampled from ``/proc`` while drawing). Charts only: no pages, no MkDocs.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

from cardsite.card.loader import load_card
from cardsite.charts import chart_specs, render_charts

log = logging.getLogger("cardsite.bench")
sys.path.insert(0, str(Path(__file__).resolve().parent))


class WorkerPeak:
    """The largest peak RSS (VmHWM) among this process's descendants, sampled every 0.2 s."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WorkerPeak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.2):
            for pid in _descendants(me):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kib = max(self.peak_kib, int(line.split()[1]))


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    found, todo = [], [root]
    while todo:
        current = todo.pop()
        children = [p for p, parent in parents.items() if parent == current]
        found += children
        todo += children
    return found


def _self_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--card", type=Path, default=None)
    parser.add_argument("--variants", type=int, default=100)
    parser.add_argument("--benchmarks", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--png", action="store_true", help="PNG copies too (chart_png: true)")
    args = parser.parse_args(argv)
    logging.getLogger("cardsite.charts").setLevel(logging.ERROR)  # skipped charts: not timed

    with tempfile.TemporaryDirectory() as tmp:
        card_dir = args.card
        if card_dir is None:
            import synthetic_card

            card_dir = Path(tmp) / "card"
            synthetic_card.write(card_dir, synthetic_card.build(args.variants, args.benchmarks))
        started = time.perf_counter()
        card, _ = load_card(card_dir)
        loaded = time.perf_counter() - started

        started, cpu = time.perf_counter(), time.process_time()
        specs = chart_specs(card)
        log.info(
            "%s: load %.2fs; specs %.2fs (%.2fs CPU), %d charts; peak RSS %.0f MiB",
            card_dir.name,
            loaded,
            time.perf_counter() - started,
            time.process_time() - cpu,
            len(specs),
            _self_peak_mib(),
        )
        for run in ("cold", "warm"):
            started, cpu = time.perf_counter(), time.process_time()
            with WorkerPeak() as workers:
                report = render_charts(
                    specs,
                    Path(tmp) / "out",
                    Path(tmp) / "cache",
                    jobs=args.jobs,
                    png=args.png,
                )
            log.info(
                "%s (jobs=%d, png=%s): %.2fs, %.2fs CPU in this process; %d drawn, %d reused; "
                "peak RSS %.0f MiB here, %.0f MiB in a worker",
                run,
                args.jobs,
                args.png,
                time.perf_counter() - started,
                time.process_time() - cpu,
                len(report.rendered),
                len(report.reused),
                _self_peak_mib(),
                workers.peak_kib / 1024,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
