"""Build speed: cardsite against a plain ``mkdocs build`` of the very pages it generates.

Run by hand (``make bench``, or ``.venv/bin/python benchmarks/build_speed.py --variants 10 100``);
prints one table. For each family size N (a synthetic card of N variants and ``--benchmarks``
benchmarks, from ``benchmarks/synthetic_card.py``), in an empty project folder, hosted target:

* cold: ``cardsite build`` with no cache (every chart drawn);
* warm: ``cardsite build`` again, nothing changed;
* one score: one published score edited, then ``cardsite build``;
* mkdocs: ``cardsite generate`` once, then plain ``mkdocs build`` of its output (no plugin),
  timed in the same run: what MkDocs itself costs for these pages.

The project is a new one (the default configuration: charts drawn as SVG only); with
``--png`` its ``mkdocs.yml`` turns on the plugin's ``chart_png`` (each chart drawn as PNG too).

Each time is the median of ``--repeat`` runs (cold builds start from an empty cache each
time). Peak RSS is the largest resident set of the build and its children (``getrusage``);
output size is the bytes under ``site/``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1721692800", "NO_MKDOCS_2_WARNING": "1", "CI": "1"}
CARDSITE = [sys.executable, "-m", "cardsite.cli"]


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float


def run(cmd: list[str], cwd: Path) -> Run:
    """Run a command to completion; its wall time and its peak RSS (children included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Run(seconds, max(peak, before) / 1024)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def edit_one_score(card: Path) -> None:
    """Change the first published score of results.yaml by one in its last digit."""
    results = card / "results.yaml"
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        head, sep, value = line.rpartition(': "')
        if sep and value.rstrip().endswith('"') and value[:1].isdigit():
            text = value.rstrip()[:-1]
            last = int(text[-1])
            lines[i] = f'{head}: "{text[:-1]}{(last + 1) % 10}"\n'
            break
    results.write_text("".join(lines), encoding="utf-8")


@dataclass
class Result:
    variants: int
    pages: int
    cold: float
    warm: float
    one: float
    mkdocs: float
    peak_rss_mb: float
    site_mb: float


def write_config(project: Path, png: bool) -> None:
    """The default project configuration, with ``chart_png: true`` when ``png``."""
    if not png:
        return
    from cardsite.paths import DEFAULT_CONFIG

    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    plugin = "  - cardsite:\n"
    assert text.count(plugin) == 1
    (project / "mkdocs.yml").write_text(
        text.replace(plugin, plugin + "      chart_png: true\n"), encoding="utf-8"
    )
    (project / "docs").mkdir()


def measure(variants: int, benchmarks: int, repeat: int, jobs: int | None, png: bool) -> Result:
    work = Path(tempfile.mkdtemp(prefix=f"cardsite-bench-{variants}-"))
    try:
        card = work / "card"
        subprocess.run(
            [
                sys.executable,
                str(HERE / "synthetic_card.py"),
                str(card),
                "--variants",
                str(variants),
                "--benchmarks",
                str(benchmarks),
            ],
            check=True,
            env=ENV,
        )
        project = work / "project"
        project.mkdir()
        build = [*CARDSITE, "build", str(card), "--target", "hosted"]
        if jobs:
            build += ["--jobs", str(jobs)]
        cold, warm, one = [], [], []
        for _ in range(repeat):
            shutil.rmtree(project, ignore_errors=True)
            project.mkdir()
            write_config(project, png)
            cold.append(run(build, project))
            warm.append(run(build, project))
            edit_one_score(card)
            one.append(run(build, project))
        site_bytes = folder_bytes(project / "site")
        generated = work / "generated"
        run([*CARDSITE, "generate", str(card), "-o", str(generated)], project)
        plain = [
            run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml"], generated)
            for _ in range(repeat)
        ]
        return Result(
            variants=variants,
            pages=sum(1 for p in (project / "site").rglob("index.html") if p.parts[-3] != "embed"),
            cold=statistics.median(r.seconds for r in cold),
            warm=statistics.median(r.seconds for r in warm),
            one=statistics.median(r.seconds for r in one),
            mkdocs=statistics.median(r.seconds for r in plain),
            peak_rss_mb=max(r.peak_rss_mb for r in cold + warm + one),
            site_mb=site_bytes / 1e6,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--variants", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--benchmarks", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--png", action="store_true", help="chart_png: true")
    args = parser.parse_args()
    rows = [measure(n, args.benchmarks, args.repeat, args.jobs, args.png) for n in args.variants]
    header = (
        "| variants | pages | cold s | warm s | one score s | mkdocs s | cold/mkdocs | "
        "warm/mkdocs | peak RSS MB | site MB |"
    )
    print(header)
    print("|---" * 10 + "|")
    for r in rows:
        print(
            f"| {r.variants} | {r.pages} | {r.cold:.1f} | {r.warm:.1f} | {r.one:.1f} | "
            f"{r.mkdocs:.1f} | {r.cold / r.mkdocs:.2f} | {r.warm / r.mkdocs:.2f} | "
            f"{r.peak_rss_mb:.0f} | {r.site_mb:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
