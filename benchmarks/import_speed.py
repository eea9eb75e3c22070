"""Import speed: ``cardsite import`` on every card under ``tests/fixtures/cards/`` and on the
Llama 3.1 seed card.

Run by hand (``.venv/bin/python benchmarks/import_speed.py``); prints one line per card: its
size, the median of ``--repeat`` imports (reading, parsing, interpreting, writing and validating
the card folder) in this process, and the time of one import in a fresh process (which also
pays for loading Python and the libraries). The target: a 40 KB card in under 2 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from cardsite.importer.run import import_card  # noqa: E402


def sources() -> list[Path]:
    cards = sorted((REPO / "tests" / "fixtures" / "cards").glob("*/README.md"))
    return [*cards, REPO / "data" / "llama-3.1" / "source-card.md"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cardsite = Path(sys.executable).with_name("cardsite")
    print(f"{'card':<24} {'KB':>6} {'in-process (median)':>20} {'fresh process':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        import_card(sources()[0], work / "warm-up")
        for n, source in enumerate(sources()):
            name = source.parent.name
            times = []
            for i in range(args.repeat):
                out = work / f"{n}-{i}"
                start = time.perf_counter()
                import_card(source, out)
                times.append(time.perf_counter() - start)
            fresh = float("nan")
            if cardsite.exists():
                start = time.perf_counter()
                subprocess.run(
                    [str(cardsite), "import", str(source), "-o", str(work / f"{n}-fresh")],
                    check=True,
                    capture_output=True,
                )
                fresh = time.perf_counter() - start
            size = source.stat().st_size / 1024
            print(f"{name:<24} {size:>6.1f} {statistics.median(times):>19.3f}s {fresh:>13.3f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
