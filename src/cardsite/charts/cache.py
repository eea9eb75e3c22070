"""Rendering charts through a content-addressed cache, in worker processes that never outlive
their build.

Each chart's cache key (:func:`chart_key`) is a sha256 over what can change its bytes: what it
draws (the spec's plot, title, alt text, unit and size, not its data table nor its id) and the
drawing code (the source of :mod:`~cardsite.charts.draw` and :mod:`~cardsite.charts.svg`, the
style version, matplotlib's and Pillow's versions, and the font files, fingerprinted by path,
size and modification time). A warm build computes keys without importing matplotlib.

The cache holds ``<key>.svg`` and ``<key>.png``, each written to a temporary file and renamed
into place, so a killed build leaves at worst a stray ``.tmp-`` file, never half a chart under
a key. Outputs are copied from the cache, and not at all when the output already holds the same
bytes (a live-reloading docs server does not rebuild for nothing).

Drawing runs in worker processes (matplotlib holds the GIL, so threads would not help), forked
by a "forkserver" that has matplotlib imported already. No process outlives its build, even one
killed with ``kill -9``:

* each worker runs a watchdog thread that ends it the moment the build's process exits (a
  pidfd on Linux, polling elsewhere), and checks the build is alive before each cache write;
* the forkserver exits once the build and every worker are gone (they all hold its "alive"
  pipe), and the kernel kills any worker left when it does (``PR_SET_PDEATHSIG``);
* the resource tracker exits once all of them are gone (they all hold its pipe).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.metadata
import json
import logging
import os
import tempfile
import time
from concurrent.futures import FIRST_EXCEPTION, wait
from dataclasses import dataclass, field
from pathlib import Path

from cardsite.charts.specs import ChartSpec
from cardsite.output.workers import exit_unless_build_alive, worker_pool

log = logging.getLogger("cardsite.charts")

_HERE = Path(__file__).resolve().parent
DRAWING_SOURCES = ("draw.py", "svg.py")
"""The modules whose source shapes a chart's bytes (the spec builders do not: what they
produce is in the key already)."""
FONTS_FILE = "fonts.json"
"""In the cache folder: the font files last resolved, with their fingerprints."""
STALE_TMP_SECONDS = 3600


@dataclass
class RenderReport:
    """Which charts :func:`render_charts` drew and which it copied from the cache."""

    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)


def render_charts(
    specs: list[ChartSpec],
    out_dir: Path | str,
    cache_dir: Path | str,
    *,
    jobs: int | None = None,
    png: bool = True,
) -> RenderReport:
    """Write ``out_dir/<id>.svg`` (and ``<id>.png`` when ``png``) for every spec, drawing only
    charts whose key is not in ``cache_dir`` yet.

    ``jobs``: worker processes, ``None`` for one per CPU; with one (or one chart to draw) the
    charts are drawn in this process.
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    out_dir, cache_dir = Path(out_dir), Path(cache_dir)
    ids = [s.id for s in specs]
    if len(set(ids)) != len(ids):
        raise ValueError("chart ids must be unique")
    out_dir.mkdir(parents=True, exist_ok=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(cache_dir)

    environment = drawing_fingerprint(cache_dir) if specs else ""
    keys = {s.id: chart_key(s, environment) for s in specs}
    todo: dict[str, ChartSpec] = {}
    report = RenderReport()
    for spec in specs:
        key = keys[spec.id]
        if key in todo or _cached(cache_dir, key, png):
            report.reused.append(spec.id)
        else:
            todo[key] = spec
            report.rendered.append(spec.id)

    _draw_all(todo, cache_dir, jobs, png)

    for spec in specs:
        key = keys[spec.id]
        _install(cache_dir / f"{key}.svg", out_dir / f"{spec.id}.svg")
        if png:
            _install(cache_dir / f"{key}.png", out_dir / f"{spec.id}.png")
    return report


# ---------------------------------------------------------------------------------- keys


def chart_key(spec: ChartSpec, environment: str) -> str:
    """sha256 over what the chart draws and the drawing environment. The spec's parts are
    frozen dataclasses of tuples, strings and floats, whose ``repr`` is exact and stable."""
    drawn = repr((spec.title, spec.alt, spec.unit, spec.figure_size(), spec.plot))
    return hashlib.sha256(f"{environment}\n{drawn}".encode()).hexdigest()


def drawing_fingerprint(cache_dir: Path) -> str:
    """The drawing code, library versions and font files, as one digest."""
    digest = hashlib.sha256()
    for name in DRAWING_SOURCES:
        digest.update((_HERE / name).read_bytes())
    for package in ("matplotlib", "pillow"):
        digest.update(f"{package}={importlib.metadata.version(package)}\n".encode())
    digest.update(json.dumps(_font_fingerprints(cache_dir)).encode())
    return digest.hexdigest()


def _stat(path: str) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def _font_fingerprints(cache_dir: Path) -> list[list[object]]:
    """[path, size, mtime] of matplotlib's font list and of each font file charts use.

    Resolving fonts needs matplotlib (a fifth of a second to import), so the resolution is
    kept in the cache folder and reused while none of those files changed; a reinstalled font
    or a rebuilt font list changes a fingerprint and resolves again.
    """
    record = cache_dir / FONTS_FILE
    with contextlib.suppress(OSError, ValueError):
        saved = json.loads(record.read_text(encoding="utf-8"))
        if saved["matplotlib"] == importlib.metadata.version("matplotlib") and all(
            _stat(path) == fingerprint for path, fingerprint in saved["files"]
        ):
            return saved["files"]
    from cardsite.charts import draw

    files = [[path, _stat(path)] for path in (*draw.font_cache_files(), *draw.font_files())]
    saved = {"matplotlib": importlib.metadata.version("matplotlib"), "files": files}
    cache_dir.mkdir(parents=True, exist_ok=True)
    _write_atomic(record, json.dumps(saved, indent=1).encode("utf-8"))
    return files


# ------------------------------------------------------------------------------- the cache


def _cached(cache_dir: Path, key: str, png: bool) -> bool:
    return (cache_dir / f"{key}.svg").is_file() and (
        not png or (cache_dir / f"{key}.png").is_file()
    )


def _write_atomic(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".tmp-{target.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a cache may be shared with CI users
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _install(source: Path, target: Path) -> None:
    """Copy a cached file to the output, unless the output holds the same bytes already."""
    data = source.read_bytes()
    with contextlib.suppress(OSError):
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return
    _write_atomic(target, data)


def _remove_stale_temporaries(cache_dir: Path) -> None:
    """Temporary files of builds killed long ago (a running build's are recent)."""
    limit = time.time() - STALE_TMP_SECONDS
    for tmp in cache_dir.glob(".tmp-*"):
        with contextlib.suppress(OSError):
            if tmp.stat().st_mtime < limit:
                tmp.unlink()


def _draw_one(spec: ChartSpec, key: str, cache_dir: str, png: bool) -> str:
    """Draw a chart and put it in the cache: the PNG first, the SVG (which marks the entry
    present) last."""
    from cardsite.charts import draw

    svg_bytes, png_bytes = draw.render(spec, png=png)
    cache = Path(cache_dir)
    if png_bytes is not None:
        exit_unless_build_alive()
        _write_atomic(cache / f"{key}.png", png_bytes)
    exit_unless_build_alive()
    _write_atomic(cache / f"{key}.svg", svg_bytes)
    return spec.id


# ------------------------------------------------------------------------------- workers


IN_PROCESS = 4
"""Charts drawn in this process rather than in workers: starting workers (a forkserver that
imports matplotlib) costs about a second, more than a few charts take to draw; the common case
while editing a card (``cardsite serve``: one score changed, two or three charts to draw)."""


def _draw_all(todo: dict[str, ChartSpec], cache_dir: Path, jobs: int | None, png: bool) -> None:
    workers = min(jobs or os.cpu_count() or 1, len(todo))
    if workers <= 1 or len(todo) <= IN_PROCESS:
        for key, spec in todo.items():
            _draw_one(spec, key, str(cache_dir), png)
        return
    # Workers fork from a server that imported matplotlib once, instead of each paying for it.
    pool = worker_pool(workers, preload=["cardsite.charts.draw"])
    try:
        futures = [
            pool.submit(_draw_one, _drawn_part(spec), key, str(cache_dir), png)
            for key, spec in todo.items()
        ]
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        for future in done:
            future.result()  # re-raises a worker's exception here, with its traceback
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _drawn_part(spec: ChartSpec) -> ChartSpec:
    """The spec without its data table, which the drawing does not read: what a worker is
    sent grows with the chart's bars, not with the card (a crowded chart's table holds every
    model of the family)."""
    return dataclasses.replace(spec, columns=(), rows=(), missing_cells=())


__all__ = ["RenderReport", "chart_key", "drawing_fingerprint", "render_charts"]
