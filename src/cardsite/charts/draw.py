"""Drawing a chart with matplotlib: a :class:`~cardsite.charts.specs.ChartSpec` in, the
chart's SVG file and light PNG out, as bytes.

Each chart is drawn once, in :data:`~cardsite.charts.svg.SENTINELS` colours: the SVG is saved
and turned into the scheme-following file by :func:`cardsite.charts.svg.standalone`, and the
PNG (the download copy, light) is saved from the same figure, whose sentinels *are* the light
colours to the eye. Output is byte-identical for the same spec: a fixed SVG hash salt (ids
derive from it), no dates, no software stamps, matplotlib's defaults reset around every
drawing (a user's ``matplotlibrc`` must not leak into the site), and text drawn as paths, so
readers need none of our fonts.

This module's source is part of every chart's cache key (:mod:`cardsite.charts.cache`): any
change here draws every chart again. Bump :data:`STYLE_VERSION` to force that by hand.
"""

from __future__ import annotations

import functools
import io
import logging
import textwrap
import warnings
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator
from matplotlib.transforms import offset_copy

from cardsite.charts import svg
from cardsite.charts.specs import ChartSpec

log = logging.getLogger("cardsite.charts")

STYLE_VERSION = "2"
PNG_DPI = 150

FONT_PREFERENCE: tuple[str, ...] = (
    "Noto Sans",
    "Noto Sans Devanagari",
    "Noto Sans Thai",
    "DejaVu Sans",
)
"""Noto first, with its Devanagari and Thai siblings as glyph fallback (so the scripts of a
card's languages render), DejaVu Sans (bundled with matplotlib) last."""

LINE_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P")
LINE_STYLES: tuple[str, ...] = ("-", "--", "-.", ":", "-", "--")
LABEL_WIDTH = 34
"""Characters per line of a group label before it wraps."""

TEXT = svg.SENTINELS["text"]
MUTED = svg.SENTINELS["muted"]
GRID = svg.SENTINELS["grid"]
BACKGROUND = svg.SENTINELS["bg"]


def render(spec: ChartSpec, *, png: bool = True) -> tuple[bytes, bytes | None]:
    """The chart's SVG file and, when asked, its PNG. What matplotlib warns of while drawing
    (a character no installed font has) is logged once per chart, as one line."""
    with matplotlib.rc_context(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(_rc())
        matplotlib.rcParams["font.family"] = list(_families_for(spec))
        figure = _figure(spec)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        raw_svg = buffer.getvalue().decode("utf-8")
        png_bytes = None
        if png:
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
            png_bytes = buffer.getvalue()
    for message in dict.fromkeys(" ".join(str(w.message).split()) for w in caught):
        log.warning("chart %s: %s", spec.id, message)
    text = svg.standalone(raw_svg, title=spec.title, alt=spec.alt)
    return text.encode("utf-8"), png_bytes


def _rc() -> dict[str, object]:
    return {
        "svg.hashsalt": "cardsite-charts",
        "svg.fonttype": "path",
        "svg.id": None,
        "font.size": 9.0,
        "text.parse_math": False,  # a "$" or "_" in a benchmark name is text, not TeX
        "text.color": TEXT,
        "axes.labelcolor": TEXT,
        "axes.edgecolor": MUTED,
        "axes.facecolor": "none",
        "figure.facecolor": BACKGROUND,
        "savefig.facecolor": "auto",
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "xtick.labelcolor": TEXT,
        "ytick.labelcolor": TEXT,
        "grid.color": GRID,
        "legend.labelcolor": TEXT,
        "hatch.color": TEXT,
        "hatch.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "path.simplify": False,
    }


@functools.cache
def font_files() -> tuple[str, ...]:
    """The font files the charts draw with, for the cache key."""
    return tuple(path for _, paths in _fonts() for path in paths)


def _families_for(spec: ChartSpec) -> tuple[str, ...]:
    """The first installed preferred font, and the fallbacks the chart's text needs: each
    family in a text's list costs a font lookup per text drawn, so only the needed ones."""
    fonts = _fonts()
    texts = [spec.title, spec.unit, spec.plot.x_label, *spec.plot.groups]
    for series in spec.plot.series:
        texts += [series.label, *(t for t in series.texts if t)]
    needed = {c for text in texts for c in text if c.isprintable() and not c.isspace()}
    families = [fonts[0][0]]
    needed -= _coverage(fonts[0][1][0])
    for family, paths in fonts[1:]:
        if needed & _coverage(paths[0]):
            families.append(family)
            needed -= _coverage(paths[0])
    return tuple(families)


@functools.cache
def _coverage(path: str) -> frozenset[str]:
    """The characters a font file has glyphs for."""
    from matplotlib.ft2font import FT2Font

    return frozenset(chr(code) for code in FT2Font(path).get_charmap())


@functools.cache
def _fonts() -> tuple[tuple[str, tuple[str, ...]], ...]:
    found = []
    for family in FONT_PREFERENCE:
        paths = []
        for weight in ("normal", "bold"):
            props = font_manager.FontProperties(family=[family], weight=weight)
            try:
                paths.append(font_manager.findfont(props, fallback_to_default=False))
            except ValueError:
                continue
        if paths:
            found.append((family, tuple(dict.fromkeys(paths))))
    return tuple(found)


def font_cache_files() -> tuple[str, ...]:
    """matplotlib's own list of installed fonts: rebuilt, it may resolve other files."""
    return tuple(str(p) for p in sorted(Path(matplotlib.get_cachedir()).glob("fontlist-*.json")))


# ------------------------------------------------------------------------------- figures


def _figure(spec: ChartSpec) -> Figure:
    figure = Figure(figsize=spec.figure_size(), dpi=72)  # 72: the SVG's own unit, the point
    FigureCanvasAgg(figure)  # Agg for this figure alone: no pyplot, no global backend
    title = "\n".join(textwrap.wrap(spec.title, 80)) or " "
    heading = figure.suptitle(
        title, fontsize=11, fontweight="bold", color=TEXT, y=1 - PAD / figure.bbox.height, va="top"
    )
    ax = _draw_lines(figure, spec) if spec.plot.kind == "lines" else _draw_bars(figure, spec)
    _fit(figure, ax, heading)
    return figure


PAD = 6.0
"""Points between the figure's edge (or the title) and what is drawn."""


def _fit(figure: Figure, ax: Axes, heading: Text) -> None:
    """Place the axes so that its labels, ticks and legend just fit below the title.

    Labels keep their size whatever the axes' size (the ticks are fixed), so one measurement
    places it exactly: cheaper than a layout engine, which measures until it settles.
    """
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    width, height = figure.bbox.width, figure.bbox.height
    box = ax.get_window_extent(renderer)
    tight = ax.get_tightbbox(renderer)
    top = heading.get_window_extent(renderer).y0 - PAD
    left = PAD + (box.x0 - tight.x0)
    right = width - PAD - (tight.x1 - box.x1)
    bottom = PAD + (box.y0 - tight.y0)
    upper = top - (tight.y1 - box.y1)
    ax.set_position(
        [
            left / width,
            bottom / height,
            max(right - left, 1) / width,
            max(upper - bottom, 1) / height,
        ]
    )


def _draw_bars(figure: Figure, spec: ChartSpec) -> Axes:
    """Horizontal grouped bars, first group on top, each bar labelled with its published
    text; a cell with no number prints its text (or the card's mark) alone, muted."""
    plot = spec.plot
    ax = figure.add_subplot()
    count = max(len(plot.series), 1)
    height = 0.8 / count
    low, high = plot.value_range
    # Bar labels sit 3 points past the bar's end (before it, for a negative value).
    after = offset_copy(ax.transData, figure, x=3, units="points")
    before = offset_copy(ax.transData, figure, x=-3, units="points")
    for si, series in enumerate(plot.series):
        offset = (si - (count - 1) / 2) * height  # first series on top, as in the legend
        drawn = [(gi + offset, v, gi) for gi, v in enumerate(series.values) if v is not None]
        colors = [series.colors[gi % len(series.colors)] for _, _, gi in drawn]
        ax.barh(
            [y for y, _, _ in drawn],
            [v for _, v, _ in drawn],
            height=height * 0.9,
            color=colors or series.colors[0],
            edgecolor=TEXT,
            linewidth=0.5,
            hatch=series.hatch or None,
            label=series.label,
        )
        for gi, text in enumerate(series.texts):
            if text is None:
                continue
            value = series.values[gi]
            negative = value is not None and value < 0
            ax.text(
                value if value is not None else 0.0,
                gi + offset,
                text,
                transform=before if negative else after,
                va="center",
                ha="right" if negative else "left",
                fontsize=7,
                color=TEXT if value is not None else MUTED,
                fontstyle="normal" if value is not None else "italic",
            )
    groups = ["\n".join(textwrap.wrap(g, LABEL_WIDTH)) or " " for g in plot.groups]
    ax.set_yticks(range(len(groups)), groups)
    ax.set_ylim(len(groups) - 0.5, -0.5)
    _value_axis(ax.xaxis, low, high)
    span = high - low
    ax.set_xlim(low - (span * 0.1 if low < 0 else 0), high + span * 0.1)  # room for labels
    ax.xaxis.grid(True, linewidth=0.5)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel(spec.unit)
    if plot.legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    return ax


def _draw_lines(figure: Figure, spec: ChartSpec) -> Axes:
    """Score against size: a line per benchmark on a log size axis, ticks at the sizes."""
    plot = spec.plot
    ax = figure.add_subplot()
    for si, series in enumerate(plot.series):
        points = [
            (x, v) for x, v in zip(plot.positions, series.values, strict=True) if v is not None
        ]
        ax.plot(
            [x for x, _ in points],
            [v for _, v in points],
            color=series.colors[0],
            linestyle=LINE_STYLES[si % len(LINE_STYLES)],
            linewidth=1.8,
            marker=LINE_MARKERS[si % len(LINE_MARKERS)],
            markersize=5.5,
            markeredgecolor=TEXT,
            markeredgewidth=0.5,
            label=series.label,
        )
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(FixedLocator(list(plot.positions)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticks(list(plot.positions), ["\n".join(textwrap.wrap(g, 12)) for g in plot.groups])
    ax.set_xlim(min(plot.positions) / 1.6, max(plot.positions) * 1.6)
    low, high = plot.value_range
    ax.set_ylim(low, high)
    _value_axis(ax.yaxis, low, high)
    ax.yaxis.grid(True, linewidth=0.5)
    ax.set_axisbelow(True)
    ax.set_xlabel(plot.x_label)
    ax.set_ylabel(spec.unit)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    return ax


def _value_axis(axis: Axis, low: float, high: float) -> None:
    """Five or so round ticks inside the range, labelled by :func:`tick_text`."""
    ticks = [
        t
        for t in MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
        if low <= t <= high
    ]
    axis.set_ticks(ticks, [tick_text(t) for t in ticks])


def tick_text(value: float) -> str:
    """Axis ticks are scale marks, not published figures: ``30M``, ``2,500``, ``0.25``."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


__all__ = ["PNG_DPI", "STYLE_VERSION", "font_cache_files", "font_files", "render", "tick_text"]
