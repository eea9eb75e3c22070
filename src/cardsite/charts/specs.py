"""Charts for the documentation site: what each chart shows, and rendering it reproducibly.

Two halves, kept apart on purpose:

* :func:`chart_specs` turns a :class:`~cardsite.card.models.Card` into :class:`ChartSpec` records:
  everything a chart shows (numbers for drawing, the published text for labels and the data
  table, title, alt text, colours). Pages read the same specs, so the alt text and the data table
  beside a chart can never disagree with what it draws.
* :func:`render_charts` draws specs with matplotlib into SVG (light and dark) and PNG, through a
  content-addressed cache: a chart is only drawn again when something that changes its bytes
  changed. Output is byte-identical for the same data (fixed SVG hash salt, no dates, no software
  stamps, text as paths), so a rebuild does not churn files nor the site's git history.

Numbers are drawn from :func:`~cardsite.card.models.figure_value`; every number *printed* (bar
labels, data table, alt text) is the card's own text, never a re-formatted float.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from cardsite.card.models import Benchmark, Card, Result, Variant, figure_value

if TYPE_CHECKING:  # matplotlib is imported lazily: page builds that only read specs skip it
    from matplotlib.figure import Figure

STYLE_VERSION = "1"
"""Bump to re-render every chart on purpose; the digest also covers this module's own source,
so any change to the drawing code re-renders without anyone remembering to bump this."""

MISSING_TEXT = "—"
"""What the data table prints for a score the card does not give (the card prints a dash)."""

NOT_REPORTED = "not reported"

# Okabe & Ito (2008), "Color Universal Design", without black (unreadable on the dark theme).
# Own-family sizes take the first colours so the card's own models look the same on every card.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
)
# Paul Tol's "bright" scheme for benchmark lines: a different palette from the model colours so
# a line is never mistaken for a model, still colour-blind safe; markers differ too.
LINE_PALETTE: tuple[str, ...] = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377")
LINE_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P")
LINE_STYLES: tuple[str, ...] = ("-", "--", "-.", ":", "-", "--")
COMPARISON_HATCH = "//"
"""Comparison-family bars are hatched as well as coloured, so they differ in greyscale too."""


FONT_PREFERENCE: tuple[str, ...] = (
    "Noto Sans",
    "Noto Sans Devanagari",
    "Noto Sans Thai",
    "DejaVu Sans",
)
"""Noto first (with its Devanagari and Thai siblings as glyph fallback, so the supported
languages' own scripts would render), DejaVu Sans (bundled with matplotlib) last."""

ALT_LIMIT = 300
OUTPUT_SUFFIXES: tuple[str, ...] = ("-light.svg", "-dark.svg", ".png")
_CACHE_NAMES: tuple[str, ...] = ("light.svg", "dark.svg", "chart.png")
PNG_DPI = 150


# --------------------------------------------------------------------------- the specs


@dataclass(frozen=True)
class Series:
    """One legend entry: a model (bars) or a benchmark (lines), values aligned with the groups."""

    label: str
    values: tuple[float | None, ...]
    """Numbers to draw (from :func:`figure_value`); None where nothing is drawn."""
    texts: tuple[str | None, ...]
    """The published text of each value, for bar labels: never a re-formatted float."""
    missing: tuple[bool, ...]
    """True where the card prints a dash: no bar, a "not reported" note instead."""
    colors: tuple[str, ...] = ()
    """One colour for the whole series, or one per group (training bars are coloured by size)."""
    hatch: str = ""


@dataclass(frozen=True)
class Plot:
    """What the renderer draws; pages use the public fields of :class:`ChartSpec` instead."""

    kind: Literal["bars", "lines"]
    groups: tuple[str, ...]
    """Bar groups (benchmarks, languages, models), top to bottom; for lines the x tick labels."""
    series: tuple[Series, ...]
    value_range: tuple[float, float]
    positions: tuple[float, ...] = ()
    """x positions of the groups, for lines (the x axis is logarithmic)."""
    x_label: str = ""
    legend: bool = True


@dataclass(frozen=True)
class ChartSpec:
    """One chart: its identity, what the page prints around it, and what it draws."""

    id: str
    """Safe file stem, e.g. ``category-general-pretrained``, ``variant-llama-3-1-8b``."""
    subject: tuple[str, str]
    """``("category", id)``, ``("variant", id)``, ``("multilingual", benchmark id)``,
    ``("training", "gpu-hours" | "emissions")`` or ``("overview", "scaling")``."""
    table: str | None
    """The results table of a category chart; None for the others."""
    title: str
    alt: str
    """Alt text written from the data (what is compared, the extremes), at most ~300 chars."""
    unit: str
    """Value-axis label with its unit, e.g. ``Score (%)``."""
    columns: tuple[str, ...]
    """Data-table header; model names as the card prints them."""
    rows: tuple[tuple[str, ...], ...]
    """Data-table rows: published text, ``—`` where the card gives no score."""
    plot: Plot
    """Private to the renderer."""

    def figure_size(self) -> tuple[float, float]:
        """Width and height in inches: bar charts grow with their bars, so labels never
        crowd. Pages read it too, to reserve the chart's space before it loads."""
        if self.plot.kind == "lines":
            return (8.0, 4.6)
        slots = len(self.plot.groups) * (0.17 * max(len(self.plot.series), 1) + 0.14)
        return (8.0, max(2.4, 1.1 + slots))

    def digest(self) -> str:
        """Cache key: sha256 over everything that can change the rendered bytes.

        That is every field but ``id`` (which only names the output files), the style version,
        and the versions and font files of the rendering stack, so upgrading matplotlib or
        installing a font re-renders instead of serving stale charts.
        """
        data = dataclasses.asdict(self)
        del data["id"]
        payload = json.dumps(
            {"spec": data, "style": STYLE_VERSION, "env": _environment_fingerprint()},
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class RenderReport:
    """Which charts :func:`render_charts` drew and which it copied from the cache."""

    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)


def chart_specs(card: Card, *, headline: Sequence[str] | None = None) -> list[ChartSpec]:
    """Every chart of the card, in a fixed order: categories, multilingual, variants, training,
    scaling. Only the card decides the order (its list order), so output names never shuffle."""
    charts = _Charts(card)
    specs = [
        *charts.category_specs(),
        *charts.multilingual_specs(),
        *charts.variant_specs(),
        *charts.training_specs(),
    ]
    if headline is None:  # the card marks its headline benchmarks (`headline: true`)
        headline = [b.id for b in card.benchmarks if b.headline]
    scaling = charts.scaling_spec(headline)
    if scaling is not None:
        specs.append(scaling)
    ids = [s.id for s in specs]
    if len(set(ids)) != len(ids):
        raise ValueError(f"chart ids collide: {sorted({i for i in ids if ids.count(i) > 1})}")
    return specs


class _Charts:
    """Lookups over one card, shared by the spec builders."""

    def __init__(self, card: Card) -> None:
        self.card = card
        self.results: dict[tuple[str, str, str | None], Result] = {
            (r.variant, r.benchmark, r.language): r for r in card.results
        }
        self.variants = {v.id: v for v in card.variants}
        self.tables = {t.id: t for t in card.tables}
        self.colors = _model_colors(card)

    # ----------------------------------------------------------------- categories

    def category_specs(self) -> list[ChartSpec]:
        """One chart per category and results table, as the card keeps tables apart; the
        per-language benchmarks are charted by :meth:`multilingual_specs` instead."""
        specs = []
        for category in self.card.categories:
            for table in self.card.tables:
                benchmarks = [
                    b
                    for b in self.card.benchmarks
                    if b.category == category.id and b.table == table.id and not b.per_language
                ]
                if not benchmarks:
                    continue
                variant_ids = list(table.column_labels)
                series = [
                    self._series(
                        self.variants.get(v),
                        table.column_labels[v],
                        [self.results.get((v, b.id, None)) for b in benchmarks],
                    )
                    for v in variant_ids
                ]
                groups = [b.name for b in benchmarks]
                noun = "benchmark" if len(benchmarks) == 1 else "benchmarks"
                alt = _grouped_alt(
                    f"Grouped bar chart of {len(benchmarks)} {category.name} {noun} "
                    f"({table.title}) for {len(series)} models.",
                    groups,
                    series,
                )
                specs.append(
                    ChartSpec(
                        id=f"category-{category.id}-{table.id}",
                        subject=("category", category.id),
                        table=table.id,
                        title=f"{category.name} — {table.title}",
                        alt=alt,
                        unit=_score_unit(benchmarks),
                        columns=("Benchmark", *(table.column_labels[v] for v in variant_ids)),
                        rows=_table_rows(groups, series),
                        plot=Plot(
                            kind="bars",
                            groups=tuple(groups),
                            series=tuple(series),
                            value_range=_value_range(benchmarks, series),
                        ),
                    )
                )
        return specs

    # ----------------------------------------------------------------- multilingual

    def multilingual_specs(self) -> list[ChartSpec]:
        """Per-language benchmarks: one bar group per language, one bar per table column."""
        specs = []
        for bench in self.card.benchmarks:
            if not bench.per_language:
                continue
            table = self.tables[bench.table]
            languages = _unique(
                (r.language, r.language_label)
                for r in self.card.results
                if r.benchmark == bench.id and r.language is not None
            )
            if not languages:
                continue
            groups = [self._language_name(code, label) for code, label in languages]
            variant_ids = list(table.column_labels)
            series = [
                self._series(
                    self.variants.get(v),
                    table.column_labels[v],
                    [self.results.get((v, bench.id, code)) for code, _ in languages],
                )
                for v in variant_ids
            ]
            alt = _grouped_alt(
                f"Grouped bar chart of {bench.name} in {len(groups)} languages "
                f"for {len(series)} models.",
                groups,
                series,
            )
            specs.append(
                ChartSpec(
                    id=f"multilingual-{bench.id}",
                    subject=("multilingual", bench.id),
                    table=None,
                    title=f"{bench.name} by language — {table.title}",
                    alt=alt,
                    unit=_score_unit([bench]),
                    columns=("Language", *(table.column_labels[v] for v in variant_ids)),
                    rows=_table_rows(groups, series),
                    plot=Plot(
                        kind="bars",
                        groups=tuple(groups),
                        series=tuple(series),
                        value_range=_value_range([bench], series),
                    ),
                )
            )
        return specs

    def _language_name(self, code: str | None, label: str | None) -> str:
        if label:
            return label
        names = {lang.code: lang.name for lang in self.card.family.supported_languages}
        return names.get(code or "", code or "")

    # ----------------------------------------------------------------- variants

    def variant_specs(self) -> list[ChartSpec]:
        """Each own variant's scores on every benchmark it appears in, with the comparison model
        of the same size and kind beside it where the card has one."""
        return [self._variant_spec(v) for v in self.card.own_variants]

    def _variant_spec(self, variant: Variant) -> ChartSpec:
        comparison = next(
            (
                v
                for v in self.card.variants
                if v.comparison and v.params == variant.params and v.kind == variant.kind
            ),
            None,
        )
        keys: list[tuple[Benchmark, str | None, str | None]] = []
        for bench in self.card.benchmarks:
            seen = _unique(
                (r.language, r.language_label)
                for r in self.card.results
                if r.benchmark == bench.id and r.variant == variant.id
            )
            keys.extend((bench, code, label) for code, label in seen)
        groups = _unique_labels(
            [
                (
                    f"{b.name}: {self._language_name(code, label)}" if code is not None else b.name,
                    self.tables[b.table].title,
                )
                for b, code, label in keys
            ]
        )
        shown = [variant] + ([comparison] if comparison else [])
        series = [
            self._series(v, v.name, [self.results.get((v.id, b.id, code)) for b, code, _ in keys])
            for v in shown
        ]
        benches = _unique(b for b, _, _ in keys)
        alt = _variant_alt(variant, comparison, groups, series)
        return ChartSpec(
            id=f"variant-{variant.id}",
            subject=("variant", variant.id),
            table=None,
            title=f"{variant.name} — benchmark scores",
            alt=alt,
            unit=_score_unit(benches),
            columns=("Benchmark", *(v.name for v in shown)),
            rows=_table_rows(groups, series),
            plot=Plot(
                kind="bars",
                groups=tuple(groups),
                series=tuple(series),
                value_range=_value_range(benches, series),
                legend=comparison is not None,
            ),
        )

    # ----------------------------------------------------------------- training

    def training_specs(self) -> list[ChartSpec]:
        """GPU hours and location-based emissions per size, from the card's energy table."""
        training = self.card.training
        rows = training.rows
        family = self.card.family.id
        colors = tuple(
            self.colors.get((family, r.params or ""), PALETTE[i % len(PALETTE)])
            for i, r in enumerate(rows)
        )
        specs = []
        for key, chart_id, unit, scale, noun in (
            ("gpu_hours", "gpu-hours", "GPU hours (millions)", 1e6, "training time in GPU hours"),
            (
                "location_based_tco2eq",
                "emissions",
                "tCO2eq (location-based)",
                1.0,
                "location-based training emissions in tons CO2eq",
            ),
        ):
            texts = tuple(getattr(r, key) for r in rows)
            values = tuple(figure_value(t) / scale if t is not None else None for t in texts)
            label = training.column_labels.get(key, unit)
            series = Series(
                label=label,
                values=values,
                texts=texts,
                missing=tuple(t is None for t in texts),
                colors=colors,
            )
            groups = [r.label for r in rows]
            total = getattr(training.total, key)
            alt = _extremes_alt(
                f"Bar chart of {noun} for {len(rows)} model sizes.",
                groups,
                series,
            )
            if total is not None:
                alt = _clip(f"{alt} Total: {total}.")
            top = max((v for v in values if v is not None), default=1.0) or 1.0
            specs.append(
                ChartSpec(
                    id=f"training-{chart_id}",
                    subject=("training", chart_id),
                    table=None,
                    title=("Training time" if key == "gpu_hours" else "Training emissions")
                    + " by model size",
                    alt=alt,
                    unit=unit,
                    columns=("Model", label),
                    rows=_table_rows(groups, [series]),
                    plot=Plot(
                        kind="bars",
                        groups=tuple(groups),
                        series=(series,),
                        value_range=(0.0, top * 1.05),
                        legend=False,
                    ),
                )
            )
        return specs

    # ----------------------------------------------------------------- scaling

    def scaling_spec(self, headline: Sequence[str]) -> ChartSpec | None:
        """Score against size for a few headline benchmarks, own-family variants only."""
        known = {b.id: b for b in self.card.benchmarks}
        benches = [known[b] for b in headline if b in known and not known[b].per_language]
        if not benches:
            # A card without the usual headline benchmarks: take the first of each table.
            benches = _unique(
                next(b for b in self.card.benchmarks if b.table == t.id and not b.per_language)
                for t in self.card.tables
                if any(b.table == t.id and not b.per_language for b in self.card.benchmarks)
            )
        sized = [(v, _params_billions(v.params)) for v in self.card.own_variants]
        sizes = sorted(
            _unique((v.params, b) for v, b in sized if b is not None), key=lambda s: s[1]
        )
        if not benches or not sizes:
            return None
        series = []
        for i, bench in enumerate(benches):
            table = self.tables[bench.table]
            results: list[Result | None] = []
            for params, _ in sizes:
                match = [
                    self.results.get((v.id, bench.id, None))
                    for v, _ in sized
                    if v.params == params and v.kind == table.kind
                ]
                results.append(next((r for r in match if r is not None), None))
            s = self._series(None, f"{bench.name}, {table.kind}", results)
            series.append(
                dataclasses.replace(s, colors=(LINE_PALETTE[i % len(LINE_PALETTE)],), hatch="")
            )
        series = [s for s in series if any(v is not None for v in s.values)]
        if not series:
            return None
        family = self.card.family.name
        parts = []
        for s in series:
            drawn = [t for t in s.texts if t is not None]
            parts.append(f"{s.label}: {drawn[0]} to {drawn[-1]}" if len(drawn) > 1 else "")
        size_text = f"{sizes[0][0]} to {sizes[-1][0]}" if len(sizes) > 1 else sizes[0][0]
        alt = _clip(
            f"Line chart of {len(series)} benchmark scores against model size ({size_text}) "
            f"for {family}, smallest to largest. " + "; ".join(p for p in parts if p) + "."
        )
        return ChartSpec(
            id="scaling",
            subject=("overview", "scaling"),
            table=None,
            title=f"{family}: score against model size",
            alt=alt,
            unit=_score_unit(benches),
            columns=("Benchmark", *(p for p, _ in sizes)),
            rows=tuple(
                (s.label, *(t if t is not None else MISSING_TEXT for t in s.texts)) for s in series
            ),
            plot=Plot(
                kind="lines",
                groups=tuple(p for p, _ in sizes),
                positions=tuple(b for _, b in sizes),
                series=tuple(series),
                value_range=_value_range(benches, series),
                x_label="Parameters (billions, log scale)",
            ),
        )

    # ----------------------------------------------------------------- shared

    def _series(self, variant: Variant | None, label: str, cells: list[Result | None]) -> Series:
        texts = tuple(c.value if c is not None else None for c in cells)
        color = self.colors.get((variant.family, variant.params), PALETTE[0]) if variant else ""
        return Series(
            label=label,
            values=tuple(figure_value(t) if t is not None else None for t in texts),
            texts=texts,
            missing=tuple(c is not None and c.value is None for c in cells),
            colors=(color,) if color else (),
            hatch=COMPARISON_HATCH if variant is not None and variant.comparison else "",
        )


def _model_colors(card: Card) -> dict[tuple[str, str], str]:
    """A colour per model (family and size): the card's own sizes first, then comparisons.

    Pretrained and instruct variants of one size share a colour; no chart shows both (tables
    hold one kind), so the hue stands for the size, the same on every page.
    """
    keys = _unique((v.family, v.params) for v in sorted(card.variants, key=lambda v: v.comparison))
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}


def _params_billions(params: str) -> float | None:
    try:
        return figure_value(params) / 1e9
    except ValueError:
        return None


_T = TypeVar("_T")


def _unique(items: Iterable[_T]) -> list[_T]:
    """Items without repeats, first occurrence kept: card order decides chart order."""
    return list(dict.fromkeys(items))


def _unique_labels(labels: list[tuple[str, str]]) -> list[str]:
    """Group labels, with the table title added only where a label would otherwise repeat."""
    counts: dict[str, int] = {}
    for name, _ in labels:
        counts[name] = counts.get(name, 0) + 1
    return [name if counts[name] == 1 else f"{name} ({table})" for name, table in labels]


def _score_unit(benchmarks: Iterable[Benchmark]) -> str:
    ranges = {b.range for b in benchmarks}
    return "Score (%)" if ranges <= {(0.0, 100.0)} else "Score"


def _value_range(benchmarks: Iterable[Benchmark], series: Iterable[Series]) -> tuple[float, float]:
    """The benchmarks' declared range, widened to any published value outside it."""
    ranges = [b.range for b in benchmarks] or [(0.0, 100.0)]
    values = [v for s in series for v in s.values if v is not None]
    low = min([r[0] for r in ranges] + values)
    high = max([r[1] for r in ranges] + values)
    return (min(low, 0.0), high)


def _table_rows(groups: list[str], series: list[Series]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (group, *(s.texts[i] if s.texts[i] is not None else MISSING_TEXT for s in series))
        for i, group in enumerate(groups)
    )


def _clip(text: str) -> str:
    """Keep alt text short enough for screen readers to read in one go."""
    if len(text) <= ALT_LIMIT:
        return text
    return text[: ALT_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def _not_reported(groups: list[str], series: list[Series]) -> tuple[str, int]:
    """'A and B on Winogrande; C on X' for the dashes the card prints, and how many there are."""
    parts = []
    count = 0
    for i, group in enumerate(groups):
        who = [s.label for s in series if s.missing[i]]
        count += len(who)
        if who:
            names = who[0] if len(who) == 1 else ", ".join(who[:-1]) + " and " + who[-1]
            parts.append(f"{names} on {group}")
    return "; ".join(parts), count


def _with_missing(text: str, groups: list[str], series: list[Series]) -> str:
    detail, count = _not_reported(groups, series)
    if not count:
        return _clip(text)
    full = f"{text} Not reported: {detail}."
    if len(full) <= ALT_LIMIT:
        return full
    return _clip(f"{text} {count} {'score' if count == 1 else 'scores'} {NOT_REPORTED}.")


def _drawn(series: list[Series]) -> list[tuple[float, int, int]]:
    return [
        (v, si, gi) for si, s in enumerate(series) for gi, v in enumerate(s.values) if v is not None
    ]


def _grouped_alt(head: str, groups: list[str], series: list[Series]) -> str:
    points = _drawn(series)
    if not points:
        return _with_missing(f"{head} No scores are reported.", groups, series)
    hi = max(points, key=lambda p: p[0])  # max/min keep the first of equals: card order
    lo = min(points, key=lambda p: p[0])

    def say(p: tuple[float, int, int]) -> str:
        s = series[p[1]]
        return f"{s.label} on {groups[p[2]]}, {s.texts[p[2]]}"

    return _with_missing(f"{head} Highest: {say(hi)}. Lowest: {say(lo)}.", groups, series)


def _extremes_alt(head: str, groups: list[str], series: Series) -> str:
    points = [(v, i) for i, v in enumerate(series.values) if v is not None]
    if not points:
        return _with_missing(f"{head} No values are reported.", groups, [series])
    hi = max(points, key=lambda p: p[0])
    lo = min(points, key=lambda p: p[0])
    text = (
        f"{head} Highest: {groups[hi[1]]}, {series.texts[hi[1]]}. "
        f"Lowest: {groups[lo[1]]}, {series.texts[lo[1]]}."
    )
    return _with_missing(text, groups, [series])


def _variant_alt(
    variant: Variant, comparison: Variant | None, groups: list[str], series: list[Series]
) -> str:
    own = series[0]
    head = f"Bar chart of {variant.name} scores on {len(groups)} benchmarks"
    head += f", beside {comparison.name}." if comparison else "."
    points = [(v, i) for i, v in enumerate(own.values) if v is not None]
    if points:
        hi = max(points, key=lambda p: p[0])
        lo = min(points, key=lambda p: p[0])
        head += (
            f" Highest: {groups[hi[1]]}, {own.texts[hi[1]]}."
            f" Lowest: {groups[lo[1]]}, {own.texts[lo[1]]}."
        )
    if comparison is not None:
        other = series[1]
        both = [(a, b) for a, b in zip(own.values, other.values, strict=True) if None not in (a, b)]
        if both:
            above = sum(1 for a, b in both if a is not None and b is not None and a > b)
            head += (
                f" Above {comparison.name} on {above} of the {len(both)} benchmarks both report."
            )
    return _with_missing(head, groups, series)


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Theme:
    """Colours of one site theme; text colours pass WCAG AA (4.5:1) on the background."""

    name: Literal["light", "dark"]
    background: str
    text: str
    muted: str
    grid: str


LIGHT = Theme("light", background="#ffffff", text="#1f2328", muted="#57606a", grid="#d0d7de")
DARK = Theme("dark", background="#1e2129", text="#e6edf3", muted="#aab3bf", grid="#3d4451")


def render_charts(
    specs: list[ChartSpec], out_dir: Path, cache_dir: Path, jobs: int | None = None
) -> RenderReport:
    """Write ``<id>-light.svg``, ``<id>-dark.svg`` and ``<id>.png`` for every spec into
    ``out_dir``, drawing only charts whose digest is not yet in ``cache_dir``.

    Drawing runs in worker processes (``jobs`` of them, ``None`` for one per CPU, ``1`` for
    in-process): matplotlib holds the GIL, so threads would not help. Workers are started with
    "forkserver" (or "spawn" where there is none), never "fork", which would copy the parent's
    matplotlib state and threads.
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    out_dir = Path(out_dir)
    cache_dir = Path(cache_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    ids = [s.id for s in specs]
    if len(set(ids)) != len(ids):
        raise ValueError("chart ids must be unique")

    digests = {s.id: s.digest() for s in specs}
    todo: dict[str, ChartSpec] = {}
    report = RenderReport()
    for spec in specs:
        digest = digests[spec.id]
        if digest in todo or _cached(cache_dir / digest):
            report.reused.append(spec.id)
        else:
            todo[digest] = spec
            report.rendered.append(spec.id)

    work = [(spec, digest, str(cache_dir)) for digest, spec in todo.items()]
    workers = min(jobs if jobs is not None else (os.cpu_count() or 1), len(work))
    if workers <= 1:
        for item in work:
            _render_entry(*item)
    else:
        context = multiprocessing.get_context(
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        )
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            # list() re-raises a worker's exception here, with its traceback.
            list(pool.map(_render_entry, *zip(*work, strict=True)))

    for spec in specs:
        entry = cache_dir / digests[spec.id]
        for cached, suffix in zip(_CACHE_NAMES, OUTPUT_SUFFIXES, strict=True):
            _install(entry / cached, out_dir / f"{spec.id}{suffix}")
    return report


def _cached(entry: Path) -> bool:
    return all((entry / name).is_file() for name in _CACHE_NAMES)


def _install(source: Path, target: Path) -> None:
    """Copy atomically, and not at all when the target already holds the same bytes (keeps
    mtimes, so a live-reloading docs server does not rebuild for nothing)."""
    data = source.read_bytes()
    if target.is_file() and target.read_bytes() == data:
        return
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _render_entry(spec: ChartSpec, digest: str, cache_dir: str) -> str:
    """Draw one chart into a fresh temporary folder and move it into the cache in one step, so
    a killed run leaves a stray ``.tmp-`` folder at worst, never half a chart under a digest."""
    cache = Path(cache_dir)
    entry = cache / digest
    tmp = Path(tempfile.mkdtemp(dir=cache, prefix=f".tmp-{digest[:12]}-"))
    try:
        files = render_bytes(spec)
        for name in _CACHE_NAMES:
            (tmp / name).write_bytes(files[name])
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache may be shared with a CI user
        if entry.exists() and not _cached(entry):
            shutil.rmtree(entry, ignore_errors=True)  # a damaged entry: replace it
        try:
            os.replace(tmp, entry)
        except OSError:
            if not _cached(entry):  # not "another run finished the same chart first"
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return digest


def render_bytes(spec: ChartSpec) -> dict[str, bytes]:
    """The chart's three files as bytes: ``light.svg``, ``dark.svg``, ``chart.png``."""
    import matplotlib

    out = {}
    # Dublin Core title and description carry the alt text into downloaded SVG files.
    svg_metadata = {"Date": None, "Creator": None, "Title": spec.title, "Description": spec.alt}
    for theme in (LIGHT, DARK):
        with matplotlib.rc_context():
            matplotlib.rcdefaults()  # a user's matplotlibrc must not leak into the site
            matplotlib.rcParams.update(_rc(theme))
            figure = _draw(spec, theme)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="svg", metadata=svg_metadata)
            out[f"{theme.name}.svg"] = buffer.getvalue()
            if theme is LIGHT:  # the download copy: same figure, no date or software stamp
                buffer = io.BytesIO()
                figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
                out["chart.png"] = buffer.getvalue()
    return out


def _rc(theme: Theme) -> dict[str, object]:
    return {
        "svg.hashsalt": "cardsite-charts",
        "svg.fonttype": "path",
        "svg.id": None,
        "font.family": _font_families(),
        "font.size": 9.5,
        "text.parse_math": False,  # a "$" or "_" in a benchmark name is text, not TeX
        "text.color": theme.text,
        "axes.labelcolor": theme.text,
        "axes.edgecolor": theme.muted,
        "axes.facecolor": theme.background,
        "figure.facecolor": theme.background,
        "savefig.facecolor": theme.background,
        "savefig.edgecolor": theme.background,
        "xtick.color": theme.muted,
        "ytick.color": theme.muted,
        "xtick.labelcolor": theme.text,
        "ytick.labelcolor": theme.text,
        "grid.color": theme.grid,
        "legend.labelcolor": theme.text,
        "hatch.color": theme.text,
        "hatch.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "path.simplify": False,
    }


@functools.cache
def _font_families() -> tuple[str, ...]:
    """The preferred fonts that are installed, in order; DejaVu Sans ships with matplotlib."""
    return tuple(fam for fam, _ in _font_files())


@functools.cache
def _font_files() -> tuple[tuple[str, tuple[str, ...]], ...]:
    from matplotlib import font_manager

    found = []
    for family in FONT_PREFERENCE:
        paths = []
        for weight in ("normal", "bold"):
            for style in ("normal", "italic"):
                props = font_manager.FontProperties(family=[family], weight=weight, style=style)
                try:
                    paths.append(font_manager.findfont(props, fallback_to_default=False))
                except ValueError:
                    continue
        if paths:
            found.append((family, tuple(_unique(paths))))
    return tuple(found)


@functools.cache
def _environment_fingerprint() -> dict[str, object]:
    """Versions and font files that shape the output bytes (part of every digest)."""
    import matplotlib
    import numpy
    import PIL
    from matplotlib import ft2font

    fonts = {}
    for family, paths in _font_files():
        fonts[family] = [hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths]
    return {
        "renderer": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        "matplotlib": matplotlib.__version__,
        "freetype": ft2font.__freetype_version__,
        "numpy": numpy.__version__,
        "pillow": PIL.__version__,
        "fonts": fonts,
    }


def _draw(spec: ChartSpec, theme: Theme) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=spec.figure_size(), layout="constrained")
    if spec.plot.kind == "lines":
        _draw_lines(figure, spec, theme)
    else:
        _draw_bars(figure, spec, theme)
    figure.suptitle(spec.title, fontsize=12, fontweight="bold", color=theme.text)
    # Agg, attached to this figure alone: no pyplot, no global backend switch in the caller.
    FigureCanvasAgg(figure)
    return figure


def _draw_bars(figure: Figure, spec: ChartSpec, theme: Theme) -> None:
    from matplotlib.ticker import MaxNLocator

    plot = spec.plot
    ax = figure.add_subplot()
    count = max(len(plot.series), 1)
    height = 0.8 / count
    low, high = plot.value_range
    for si, series in enumerate(plot.series):
        # First series on top within each group, matching the legend's reading order.
        offset = (si - (count - 1) / 2) * height
        colors = series.colors or (PALETTE[si % len(PALETTE)],)
        drawn = False
        for gi, value in enumerate(series.values):
            y = gi + offset
            if value is None:
                if series.missing[gi]:
                    ax.annotate(
                        NOT_REPORTED,
                        (low, y),
                        xytext=(3, 0),
                        textcoords="offset points",
                        va="center",
                        ha="left",
                        fontsize=7.5,
                        fontstyle="italic",
                        color=theme.muted,
                    )
                continue
            ax.barh(
                y,
                value - low,
                height=height * 0.92,
                left=low,
                color=colors[gi % len(colors)],
                edgecolor=theme.text,
                linewidth=0.6,
                hatch=series.hatch or None,
                label=series.label if not drawn else None,
            )
            drawn = True
            ax.annotate(
                series.texts[gi],
                (value, y),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                ha="left",
                fontsize=7.5,
                color=theme.text,
            )
        if not drawn and plot.legend:
            # A model with no drawn bar still gets its legend entry (its colour means nothing
            # without one, and readers look for it).
            ax.barh(
                [],
                [],
                color=colors[0],
                edgecolor=theme.text,
                linewidth=0.6,
                hatch=series.hatch or None,
                label=series.label,
            )
    ax.set_yticks(range(len(plot.groups)), plot.groups)
    ax.set_ylim(len(plot.groups) - 0.5, -0.5)  # first group at the top
    ticks = [
        t
        for t in MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
        if low <= t <= high
    ]
    ax.set_xticks(ticks, [_tick_text(t) for t in ticks])
    # Room to the right for the value labels past the longest bar.
    ax.set_xlim(low, high + (high - low) * 0.09)
    ax.spines["right"].set_visible(False)
    ax.spines["top"].set_visible(False)
    ax.xaxis.grid(True, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(spec.unit)
    if plot.legend and len(plot.series) > 0:
        # One column beside the plot: entries read top to bottom like the bars of a group.
        ax.legend(
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            fontsize=8.5,
        )


def _draw_lines(figure: Figure, spec: ChartSpec, theme: Theme) -> None:
    from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator

    plot = spec.plot
    ax = figure.add_subplot()
    for si, series in enumerate(plot.series):
        points = [
            (x, v) for x, v in zip(plot.positions, series.values, strict=True) if v is not None
        ]
        color = series.colors[0] if series.colors else LINE_PALETTE[si % len(LINE_PALETTE)]
        ax.plot(
            [x for x, _ in points],
            [v for _, v in points],
            color=color,
            linestyle=LINE_STYLES[si % len(LINE_STYLES)],
            linewidth=2,
            marker=LINE_MARKERS[si % len(LINE_MARKERS)],
            markersize=6,
            markeredgecolor=theme.text,
            markeredgewidth=0.6,
            label=series.label,
        )
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(FixedLocator(list(plot.positions)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticks(list(plot.positions), list(plot.groups))
    lo_x, hi_x = min(plot.positions), max(plot.positions)
    ax.set_xlim(lo_x / 1.6, hi_x * 1.6)
    low, high = plot.value_range
    ax.set_ylim(low, high)
    ticks = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
    ticks = [t for t in ticks if low <= t <= high]
    ax.set_yticks(ticks, [_tick_text(t) for t in ticks])
    ax.yaxis.grid(True, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel(plot.x_label)
    ax.set_ylabel(spec.unit)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8.5)


def _tick_text(value: float) -> str:
    """Axis ticks are scale marks, not published figures: plain, with thousands separators."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


__all__ = [
    "ChartSpec",
    "Plot",
    "RenderReport",
    "Series",
    "chart_specs",
    "render_bytes",
    "render_charts",
]
