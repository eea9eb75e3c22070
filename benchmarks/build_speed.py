"""Build speed: cardsite against a plain ``mkdocs build`` of the same generated pages.

Run by hand (``make bench`` or ``.venv/bin/python benchmarks/build_speed.py``); prints a table.
Three scenarios, each timed ``--repeat`` times (median shown):

* cold: no chart cache (every chart drawn);
* warm: nothing changed since the last build;
* one score: one published score edited, so the charts that show it are drawn again.

For each, the same run times ``mkdocs build`` (no hooks) on the Markdown and SVG that cardsite
generated, so the ratio says what cardsite adds on top of MkDocs itself. Hosted target only.
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
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1721692800", "NO_MKDOCS_2_WARNING": "1", "CI": "1"}


def timed(cmd: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - started


def plain_mkdocs_config(project: Path, card: Path) -> Path:
    """Generate the pages once more into a folder and point a hook-less config at it."""
    from cardsite.card.loader import load_card
    from cardsite.generate import copy_tree, write_docs

    docs = project / "plain-docs"
    shutil.rmtree(docs, ignore_errors=True)
    copy_tree(project / "docs", docs)
    generated = write_docs(load_card(card)[0], docs, cache_dir=project / ".cache" / "charts")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(
        docs_dir=str(docs),
        site_dir=str(project / "plain-site"),
        nav=generated.nav,
        hooks=[],
        theme={**config["theme"], "custom_dir": str(REPO / "cardsite/theme")},
    )
    path = project / "plain-mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in ("docs", "templates"):
            shutil.copytree(REPO / name, project / name)
        shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
        card = Path(shutil.copytree(REPO / "data" / "llama-3.1", project / "card"))
        build = [sys.executable, "-m", "cardsite.cli", "build", str(card), "--target", "hosted"]
        mkdocs = [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(plain_mkdocs_config(project, card)),
        ]
        results = card / "results.yaml"
        original = results.read_text(encoding="utf-8")
        rows = []
        for scenario in ("cold", "warm", "one score"):
            ours, theirs = [], []
            for i in range(args.repeat):
                if scenario == "cold":
                    shutil.rmtree(project / ".cache", ignore_errors=True)
                elif scenario == "one score":
                    # Alternate one score so every repeat really changes something.
                    value = ('"66.8"', '"66.9"')[i % 2]
                    results.write_text(original.replace('"66.7"', value, 1), encoding="utf-8")
                else:
                    timed(build, project)  # make sure the cache matches the data
                ours.append(timed(build, project))
                theirs.append(timed(mkdocs, project))
            results.write_text(original, encoding="utf-8")
            rows.append((scenario, statistics.median(ours), statistics.median(theirs)))
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pages = sum(1 for _ in (project / "site").rglob("index.html"))
    print(
        f"cardsite build --target hosted, Llama 3.1 card ({pages} HTML pages incl. embed), "
        f"median of {args.repeat}, {os.cpu_count()} CPUs"
    )
    print(f"{'scenario':<10} {'cardsite':>9} {'mkdocs':>9} {'ratio':>6}")
    for scenario, ours, theirs in rows:
        print(f"{scenario:<10} {ours:>8.2f}s {theirs:>8.2f}s {ours / theirs:>5.2f}x")
    print(f"peak memory of one child process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
