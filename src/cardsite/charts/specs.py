"""What each chart shows: one :class:`ChartSpec` per chart, built from the card alone.

A spec holds everything around a chart: the numbers to draw, the card's published text for
every label, the data table printed beside it, its title and alt text. Pages, the image and
the alt text all read the same spec, so they cannot disagree. Nothing here imports matplotlib:
pages read specs without paying for it (drawing is :mod:`cardsite.charts.draw`).

The charts, in the order :func:`chart_specs` returns them:

* ``category--{category}--{table}``: a category's benchmarks in one results table, one bar
  per table column (the card keeps tables apart, so do the charts);
* ``subset--{benchmark}``: a benchmark scored per language or subset, a group per subset;
* ``variant--{variant}``: an own variant's scores, beside the variant the card compares it
  with (only when the card says so: :meth:`CardIndex.compared_with`);
* ``training--{table}--{role}``: GPU hours, energy or emissions per row of a data table;
* ``scaling``: the headline benchmarks' scores against model size.

Card ids are slugs with single dashes, so the ``--`` separators keep chart ids apart. Values on
different scales never share an axis: rows on 0-1, on 0-100, and unbounded rows of each metric
are separate axes. A chart takes the axis most of its rows are on; the rows of another axis
get a chart of their own (suffixed ``--scale-0-1``, ``--scale-0-100`` or ``--metric-{metric}``)
when there are two or more of them, and a row alone on its axis is left out, which the alt text
says. A chart with more than :data:`MAX_MODELS` models draws the best of them (the card's own
first) and says so; its data table keeps every model. A chart that cannot be drawn is skipped
with a warning on the ``cardsite.charts`` logger, never an exception.

Numbers are drawn from :attr:`Published.magnitude`; every number *printed* (bar labels, data
table, alt text) is the card's own text, never a re-formatted float.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from cardsite.card.index import CardIndex, explain_missing, missing_mark
from cardsite.card.models import Benchmark, Card, DataTable, Result, ResultsTable, Variant
from cardsite.card.values import parse

log = logging.getLogger("cardsite.charts")

MAX_MODELS = 12
"""Most models one chart draws; past it, the best ones, and every model in the data table."""
MAX_LINES = 6
"""Most benchmark lines on the scaling chart (one per line colour and marker)."""
ALT_LIMIT = 300

# Okabe & Ito (2008), "Color Universal Design", without black: every colour reads on the light
# and the dark scheme alike (bars also get an edge in the scheme's text colour).
PALETTE: tuple[str, ...] = (
    "#0072b2",  # blue
    "#e69f00",  # orange
    "#009e73",  # bluish green
    "#cc79a7",  # reddish purple
    "#56b4e9",  # sky blue
    "#d55e00",  # vermillion
    "#f0e442",  # yellow
)
# Paul Tol's "bright" scheme for benchmark lines: not the model colours, so a line is never
# mistaken for a model; colour-blind safe, and markers and dashes differ too.
LINE_PALETTE: tuple[str, ...] = ("#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377")
COMPARISON_HATCH = "//"
"""Another publisher's model is hatched as well as coloured, so it differs in greyscale too."""
SECOND_ROUND_HATCH = "\\\\"
"""Back-hatching tells apart two models of one colour when a chart has more models than
colours (lines: a dotted pattern would weigh tens of kilobytes in the SVG)."""

CHARTED_ROLES: dict[str, tuple[str, str]] = {
    "gpu-hours": ("GPU hours", "training time"),
    "energy": ("Energy", "energy used"),
    "emissions": ("tCO2eq", "location-based emissions"),
    "emissions-market": ("tCO2eq", "market-based emissions"),
}
"""Data-table column roles that get a chart: their default unit and what they measure. Power
(a GPU's rating, the same for every row) is printed in the table, not charted."""

SCALE_UNITS = {"0-100": "Score (0\u2013100)", "0-1": "Score (0\u20131)"}
LOWER_IS_BETTER = "(lower is better)"
NO_SCORE_LABEL = "no score"


# ------------------------------------------------------------------------------ the specs


@dataclass(frozen=True)
class Series:
    """One legend entry: a model (bars) or a benchmark (lines), aligned with the groups."""

    label: str
    values: tuple[float | None, ...]
    """Numbers to draw; None where nothing is drawn."""
    texts: tuple[str | None, ...]
    """What is printed beside each bar: the published text. Where there is no number, the
    published text (``42.2/36.6``) or "no score", printed alone; None where the model has no
    cell at all."""
    colors: tuple[str, ...]
    """One colour for the whole series, or one per group."""
    hatch: str = ""


@dataclass(frozen=True)
class Plot:
    """What :mod:`cardsite.charts.draw` draws; pages read :class:`ChartSpec`'s fields."""

    kind: Literal["bars", "lines"]
    groups: tuple[str, ...]
    """Bar groups top to bottom (benchmarks, subsets, rows); for lines, the x tick labels."""
    series: tuple[Series, ...]
    value_range: tuple[float, float]
    """Always holds 0, where bars start."""
    positions: tuple[float, ...] = ()
    """x positions of the groups, for lines (model sizes, on a log axis)."""
    x_label: str = ""
    legend: bool = True


@dataclass(frozen=True)
class ChartSpec:
    """One chart: its identity, what the page prints around it, and what it draws."""

    id: str
    """A safe file stem, unique in the card: ``category--general--pretrained``."""
    subject: tuple[str, str]
    """The page it belongs on: ``("category", id)``, ``("subset", benchmark id)``,
    ``("variant", id)``, ``("training", data table id)`` or ``("overview", "scaling")``."""
    table: str | None
    """The results table of a category chart; None for the others."""
    title: str
    """Plain text, no Markdown."""
    alt: str
    """Written from the data: what is compared, the extremes, what is missing (≤ ~300 chars)."""
    unit: str
    """Value-axis label."""
    columns: tuple[str, ...]
    """The data table's header; model names as the table prints them."""
    rows: tuple[tuple[str, ...], ...]
    """The data table: published text exactly, the card's mark where a cell has no score."""
    missing_cells: tuple[tuple[int, int, str], ...]
    """(row, column, why) for each data-table cell without a score (hover text)."""
    plot: Plot = field(repr=False)
    """Private to the renderer."""

    def figure_size(self) -> tuple[float, float]:
        """Width and height in inches. Bar charts grow with their bars so labels never crowd;
        pages read it to reserve the chart's room before it loads."""
        if self.plot.kind == "lines":
            return (8.0, 4.6)
        bars = max(len(self.plot.series), 1)
        slots = len(self.plot.groups) * (0.15 * bars + 0.12)
        return (8.0, round(max(2.4, 1.0 + slots), 2))


def chart_specs(card: Card) -> list[ChartSpec]:
    """Every chart of the card, in an order only the card decides: categories (by category,
    then table), subsets, own variants, training tables, scaling. Charts that cannot be drawn
    are left out, each with a warning."""
    builder = _Builder(card)
    specs = [
        *builder.category_specs(),
        *builder.subset_specs(),
        *builder.variant_specs(),
        *builder.training_specs(),
        *builder.scaling_specs(),
    ]
    ids = [s.id for s in specs]
    if len(set(ids)) != len(ids):  # the id scheme rules this out; a bug if it ever fires
        raise AssertionError(f"chart ids collide: {sorted({i for i in ids if ids.count(i) > 1})}")
    return specs


# ------------------------------------------------------------------------ building blocks


@dataclass(frozen=True)
class _Row:
    """A bar group: a benchmark, or one subset of it."""

    label: str
    benchmark: Benchmark
    subset: str | None = None


@dataclass
class _Model:
    """A model of a chart and its cells, aligned with the chart's rows."""

    label: str
    variant: Variant | None
    cells: list[Result | None]


_T = TypeVar("_T")


def _unique(items: Iterable[_T]) -> list[_T]:
    """Items without repeats, first kept: the card's order decides every chart order."""
    return list(dict.fromkeys(items))


def _scale_key(bench: Benchmark) -> str:
    """Rows that may share an axis share this key. Bounded scales are one axis each; an
    unbounded row shares one only with rows of the same metric."""
    if bench.scale != "unbounded":
        return f"scale-{bench.scale}"
    return f"metric-{_slug(bench.metric)}" if bench.metric else f"row-{bench.id}"


def _slug(text: str) -> str:
    """A metric name as an id part, short enough that a chart id stays a valid file name."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:64].strip("-") or "x"


def _axes(rows: list[_Row]) -> tuple[list[tuple[str, list[int]]], list[int]]:
    """How rows share value axes: the charts to draw, as (id suffix, row indexes), and the
    rows left out.

    The axis with most rows is the chart's own (no suffix; ties go to the first in card
    order). Any other axis that two or more rows share is a chart of its own, suffixed with
    its key; a row alone on an axis is left out (the alt text says so), so a card with many
    odd rows does not become many one-row charts.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[_scale_key(row.benchmark)].append(i)
    main = max(groups, key=lambda k: len(groups[k]))  # max keeps the first of equals
    others = [k for k in groups if k != main]
    charted = [("", groups[main])] + [(f"--{k}", groups[k]) for k in others if len(groups[k]) > 1]
    left_out = sorted(i for k in others if len(groups[k]) == 1 for i in groups[k])
    return charted, left_out


def _left_out_note(rows: list[_Row]) -> str:
    if not rows:
        return ""
    return f" Not drawn, each on a scale of its own: {_names([r.label for r in rows])}."


def _unit(benches: Sequence[Benchmark]) -> str:
    scale = benches[0].scale
    if scale in SCALE_UNITS:
        return SCALE_UNITS[scale]
    return benches[0].metric or "Value"


def _row_label(bench: Benchmark, subset: str | None = None) -> str:
    label = f"{bench.label}: {subset}" if subset else bench.label
    return label if bench.higher_is_better else f"{label} {LOWER_IS_BETTER}"


def _value_range(benches: Iterable[Benchmark], values: Iterable[float]) -> tuple[float, float]:
    """The scale's bounds (or the rows' declared range), widened to any value outside them,
    always holding 0."""
    lows, highs = [0.0], [0.0]
    for bench in benches:
        if bench.range is not None:
            lows.append(bench.range[0])
            highs.append(bench.range[1])
        elif bench.scale == "0-100":
            highs.append(100.0)
        elif bench.scale == "0-1":
            highs.append(1.0)
    values = list(values)
    low, high = min(lows + values), max(highs + values)
    return (low, high if high > low else low + 1.0)


def _cell_text(cell: Result | None) -> str:
    """The data table's cell: the published text, else the card's mark (or a dash)."""
    if cell is not None and cell.text is not None:
        return cell.text
    return missing_mark(cell.missing if cell is not None else None)


def _drawn(cell: Result | None) -> float | None:
    """The number a cell draws: None without a score, or for text, pairs and fractions."""
    value = cell.value if cell is not None else None
    return value.magnitude if value is not None else None


def _better(bench: Benchmark, a: float, b: float) -> bool:
    return a > b if bench.higher_is_better else a < b


def _clip(text: str) -> str:
    """Keep alt text short enough for a screen reader to read in one go."""
    if len(text) <= ALT_LIMIT:
        return text
    return text[: ALT_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def _names(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _distinct(labels: list[str]) -> list[str]:
    """Labels that repeat get a number, so groups and rows stay apart."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


# ------------------------------------------------------------------------------- builder


class _Builder:
    """Lookups over one card, shared by the spec builders; each pass is linear in the card."""

    def __init__(self, card: Card) -> None:
        self.card = card
        self.index = CardIndex(card)
        self.colors = _model_colors(card)
        self.rows_of_table: dict[str, list[Benchmark]] = defaultdict(list)
        for bench in card.benchmarks:
            self.rows_of_table[bench.table].append(bench)
        self.tables_of_variant: dict[str, list[ResultsTable]] = defaultdict(list)
        for table in card.tables:
            for variant in table.columns:
                self.tables_of_variant[variant].append(table)

    # ------------------------------------------------------------------ categories

    def category_specs(self) -> list[ChartSpec]:
        """A chart per category and results table; benchmarks with subsets have their own."""
        grouped: dict[tuple[str, str], list[Benchmark]] = defaultdict(list)
        for bench in self.card.benchmarks:
            if not bench.subsets:
                grouped[bench.category, bench.table].append(bench)
        specs = []
        for category in self.card.categories:
            for table in self.card.tables:
                benches = grouped.get((category.id, table.id))
                if not benches:
                    continue
                rows = [_Row(_row_label(b), b) for b in benches]
                specs += self._bars(
                    chart_id=f"category--{category.id}--{table.id}",
                    subject=("category", category.id),
                    table=table.id,
                    title=f"{category.name}: {table.title}",
                    what=lambda rows, c=category, t=table: f"{rows} in {c.name} ({t.title})",
                    heading="Benchmark",
                    rows=rows,
                    models=self._columns(table, rows),
                )
        return specs

    def _columns(self, table: ResultsTable, rows: list[_Row]) -> list[_Model]:
        """One model per table column, labelled with the heading the table prints."""
        return [
            _Model(
                label,
                self.index.variants.get(variant),
                [self.index.result(variant, r.benchmark.id, r.subset) for r in rows],
            )
            for variant, label in table.columns.items()
        ]

    # ------------------------------------------------------------------ subsets

    def subset_specs(self) -> list[ChartSpec]:
        """A benchmark scored per language or subset: a group per subset, a bar per column."""
        specs = []
        for bench in self.card.benchmarks:
            if not bench.subsets:
                continue
            table = self.index.table(bench.table)
            rows = [_Row(name, bench, name) for name, _ in bench.subsets]
            by = "language" if all(code for _, code in bench.subsets) else "subset"
            specs += self._bars(
                chart_id=f"subset--{bench.id}",
                subject=("subset", bench.id),
                table=None,
                title=f"{bench.label} by {by}: {table.title}",
                what=lambda rows, b=bench: f"{b.label} in {rows}",
                heading=by.capitalize(),
                rows=rows,
                models=self._columns(table, rows),
                lower_is_better=not bench.higher_is_better,
            )
        return specs

    # ------------------------------------------------------------------ variants

    def variant_specs(self) -> list[ChartSpec]:
        return [spec for v in self.card.own_variants for spec in self._variant_specs(v)]

    def _variant_specs(self, variant: Variant) -> list[ChartSpec]:
        """The variant's scores in every table it is a column of, and beside them the variant
        the card compares it with in that table (cells of other tables left empty)."""
        rows: list[_Row] = []
        compared: list[str | None] = []  # per row: the variant id it is compared with
        for table in self.tables_of_variant.get(variant.id, []):
            other = self.index.compared_with(variant, table)
            for bench in self.rows_of_table[table.id]:
                for subset in [name for name, _ in bench.subsets] or [None]:
                    rows.append(_Row(_row_label(bench, subset), bench, subset))
                    compared.append(other.id if other is not None else None)
        if not rows:
            log.warning("chart variant--%s skipped: %s has no results", variant.id, variant.name)
            return []
        rows = self._apart(rows)
        own = _Model(
            variant.name,
            variant,
            [self.index.result(variant.id, r.benchmark.id, r.subset) for r in rows],
        )
        models = [own]
        for other in _unique(o for o in compared if o is not None):
            cells = [
                self.index.result(other, r.benchmark.id, r.subset) if c == other else None
                for r, c in zip(rows, compared, strict=True)
            ]
            models.append(_Model(self.index.variant(other).name, self.index.variant(other), cells))
        others = [m.label for m in models[1:]]
        beside = f", beside {_names(others)}" if others else ""
        return self._bars(
            chart_id=f"variant--{variant.id}",
            subject=("variant", variant.id),
            table=None,
            title=f"{variant.name}: benchmark scores",
            what=lambda rows: f"{variant.name} on {rows}{beside}",
            heading="Benchmark",
            rows=rows,
            models=models,
            versus=True,
        )

    # ------------------------------------------------------------------ bars, shared

    def _bars(
        self,
        *,
        chart_id: str,
        subject: tuple[str, str],
        table: str | None,
        title: str,
        what: Callable[[str], str],
        heading: str,
        rows: list[_Row],
        models: list[_Model],
        lower_is_better: bool = False,
        versus: bool = False,
    ) -> list[ChartSpec]:
        """Grouped bar charts of ``rows`` x ``models``: one per axis the rows need.

        ``what`` describes the chart for its alt text, given the count of rows with
        ``heading`` as their noun (a function, not a format string: card text may hold
        braces). ``versus``: the first model is compared with the
        others, and the alt text counts where it does better."""
        axes, left_out = _axes(rows)
        specs = []
        for suffix, keep in axes:
            part_rows = [rows[i] for i in keep]
            part_models = [_Model(m.label, m.variant, [m.cells[i] for i in keep]) for m in models]
            benches = _unique(r.benchmark for r in part_rows)
            unit = _unit(benches)
            part_title = f"{title} ({unit})" if len(axes) > 1 else title
            spec = self._bar_spec(
                chart_id=chart_id + suffix,
                subject=subject,
                table=table,
                title=part_title,
                what=what,
                heading=heading,
                rows=part_rows,
                models=part_models,
                unit=f"{unit} {LOWER_IS_BETTER}" if lower_is_better else unit,
                versus=versus,
                note="" if suffix else _left_out_note([rows[i] for i in left_out]),
            )
            if spec is not None:
                specs.append(spec)
        return specs

    def _bar_spec(
        self,
        *,
        chart_id: str,
        subject: tuple[str, str],
        table: str | None,
        title: str,
        what: Callable[[str], str],
        heading: str,
        rows: list[_Row],
        models: list[_Model],
        unit: str,
        versus: bool,
        note: str,
    ) -> ChartSpec | None:
        values = [[_drawn(c) for c in m.cells] for m in models]
        if not any(v is not None for column in values for v in column):
            log.warning("chart %s skipped: no value in it can be drawn", chart_id)
            return None
        shown = list(range(len(models)))
        described = what(_plural(len(rows), heading.lower()))
        head = f"Bar chart of {described}."
        if not versus:
            head = f"Bar chart of {described} for {_plural(len(models), 'model')}."
        if len(models) > MAX_MODELS:
            shown = _best(rows, models, values)
            title = f"{title} (best {len(shown)} of {len(models):,} models)"
            head = (
                f"Bar chart of {described} for the best {len(shown)} of {len(models):,} models; "
                "all are in the data table."
            )
        looks = _distinct_looks([self._color(models[i].variant) for i in shown])
        series = tuple(
            Series(
                label=models[i].label,
                values=tuple(values[i]),
                texts=tuple(_bar_text(c) for c in models[i].cells),
                colors=(color,),
                hatch=(COMPARISON_HATCH if _is_comparison(models[i].variant) else "") + extra,
            )
            for i, (color, extra) in zip(shown, looks, strict=True)
        )
        labels = [r.label for r in rows]
        columns, table_rows, missing = _data_table(heading, labels, models)
        benches = _unique(r.benchmark for r in rows)
        return ChartSpec(
            id=chart_id,
            subject=subject,
            table=table,
            title=title,
            alt=_bars_alt(head + note, rows, models, values, versus=versus),
            unit=unit,
            columns=columns,
            rows=table_rows,
            missing_cells=missing,
            plot=Plot(
                kind="bars",
                groups=tuple(labels),
                series=series,
                value_range=_value_range(
                    benches, (v for i in shown for v in values[i] if v is not None)
                ),
                legend=len(series) > 1,
            ),
        )

    def _apart(self, rows: list[_Row]) -> list[_Row]:
        """Rows from several tables, their labels kept apart: a label that repeats (MMLU in
        the pretrained and the instruct table) gets its table's title, then a number."""
        counts: dict[str, int] = defaultdict(int)
        for row in rows:
            counts[row.label] += 1
        labels = [
            f"{r.label} ({self.index.table(r.benchmark.table).title})"
            if counts[r.label] > 1
            else r.label
            for r in rows
        ]
        return [
            _Row(label, r.benchmark, r.subset)
            for label, r in zip(_distinct(labels), rows, strict=True)
        ]

    def _color(self, variant: Variant | None) -> str:
        return self.colors.get(variant.id, PALETTE[0]) if variant is not None else PALETTE[0]

    # ------------------------------------------------------------------ training

    def training_specs(self) -> list[ChartSpec]:
        """A chart per charted column of each data table, one bar per row (totals left out)."""
        specs = []
        for data in self.card.data_tables:
            seen: dict[str, int] = defaultdict(int)
            for ci, column in enumerate(data.columns):
                if column.role not in CHARTED_ROLES:
                    continue
                seen[column.role] += 1
                suffix = f"--{seen[column.role]}" if seen[column.role] > 1 else ""
                spec = self._training_spec(data, ci, f"training--{data.id}--{column.role}{suffix}")
                if spec is not None:
                    specs.append(spec)
        return specs

    def _training_spec(self, data: DataTable, ci: int, chart_id: str) -> ChartSpec | None:
        column = data.columns[ci]
        role = column.role or ""
        default_unit, measure = CHARTED_ROLES[role]
        label_ci = next((i for i, c in enumerate(data.columns) if c.role is None), None)
        rows = [r for r in data.rows if not r.total]
        labels: list[str] = []
        for n, row in enumerate(rows, 1):
            label = (
                row.cells[label_ci] if label_ci is not None and label_ci < len(row.cells) else ""
            )
            if not label and row.variants:
                label = _names([self.index.variants[v].name for v in row.variants])
            labels.append(label or f"Row {n}")
        labels = _distinct(labels)
        texts = [row.cells[ci] if ci < len(row.cells) else "" for row in rows]
        values = [parse(t).magnitude if t else None for t in texts]
        if not any(v is not None for v in values):
            log.warning(
                "chart %s skipped: no value in column %r can be drawn", chart_id, column.label
            )
            return None
        name = column.label or default_unit
        unit = column.unit or default_unit
        colors = tuple(
            self._color(self.index.variants.get(row.variants[0])) if row.variants else PALETTE[0]
            for row in rows
        )
        series = Series(
            label=name,
            values=tuple(values),
            texts=tuple(t or None for t in texts),
            colors=colors,
        )
        drawn = [(v, i) for i, v in enumerate(values) if v is not None]
        high, low = max(drawn), min(drawn)
        head = f"Bar chart of {measure} ({unit}) for {_plural(len(rows), 'row')} of {data.title}"
        alt = (
            f"{head}. Highest: {labels[high[1]]}, {texts[high[1]]}. "
            f"Lowest: {labels[low[1]]}, {texts[low[1]]}."
        )
        if high[0] == low[0]:
            alt = f"{head}: {texts[high[1]]} for each."
        totals = [r.cells[ci] for r in data.rows if r.total and ci < len(r.cells) and r.cells[ci]]
        if totals:
            alt += f" Total: {totals[0]}."
        heading = data.columns[label_ci].label if label_ci is not None else ""
        return ChartSpec(
            id=chart_id,
            subject=("training", data.id),
            table=None,
            title=f"{data.title}: {name}",
            alt=_clip(alt),
            unit=unit,
            columns=(heading or "Model", name),
            rows=tuple(
                (label, text or missing_mark(None))
                for label, text in zip(labels, texts, strict=True)
            ),
            missing_cells=tuple(
                (i, 1, explain_missing(None)) for i, t in enumerate(texts) if not t
            ),
            plot=Plot(
                kind="bars",
                groups=tuple(labels),
                series=(series,),
                value_range=_value_range([], (v for v in values if v is not None)),
                legend=False,
            ),
        )

    # ------------------------------------------------------------------ scaling

    def scaling_specs(self) -> list[ChartSpec]:
        """Each headline benchmark's scores against the size of the card's own variants, one
        line per benchmark, on a log size axis; one chart per axis the scales need."""
        headline = [b for b in self.card.benchmarks if b.headline and not b.subsets]
        if not headline:
            return []
        sizes: dict[float, str] = {}  # size -> its text as the first own variant prints it
        unreadable = []
        for variant in self.card.own_variants:
            if variant.size is None:
                continue
            number = size_of(variant.size)
            if number is None:
                unreadable.append(variant.size)
            else:
                sizes.setdefault(number, variant.size)
        if len(sizes) < 2:
            why = (
                f"sizes {', '.join(repr(s) for s in _unique(unreadable))} cannot be read"
                if unreadable
                else "fewer than two model sizes are given"
            )
            log.warning("chart scaling skipped: %s", why)
            return []
        positions = sorted(sizes)
        rows = self._apart([_Row(_row_label(b), b) for b in headline])
        specs = []
        axes, left_out = _axes(rows)
        for suffix, keep in axes:
            note = "" if suffix else _left_out_note([rows[i] for i in left_out])
            spec = self._scaling_spec(
                "scaling" + suffix, [rows[i] for i in keep], positions, sizes, len(axes) > 1, note
            )
            if spec is not None:
                specs.append(spec)
        return specs

    def _scaling_spec(
        self,
        chart_id: str,
        rows: list[_Row],
        positions: list[float],
        sizes: dict[float, str],
        split: bool,
        note: str,
    ) -> ChartSpec | None:
        """One line per headline row with scores at two sizes or more; the data table holds
        every row, the chart its first :data:`MAX_LINES`."""
        lines = [(row, self._by_size(row, positions)) for row in rows]
        drawable = [(r, c) for r, c in lines if sum(_drawn(x) is not None for x in c) >= 2]
        if not drawable:
            log.warning("chart %s skipped: no headline benchmark has scores at two sizes", chart_id)
            return None
        shown = drawable[:MAX_LINES]
        series = tuple(
            Series(
                label=row.label,
                values=tuple(_drawn(c) for c in cells),
                texts=tuple(_bar_text(c) for c in cells),
                colors=(LINE_PALETTE[i % len(LINE_PALETTE)],),
            )
            for i, (row, cells) in enumerate(shown)
        )
        size_texts = [sizes[p] for p in positions]
        parts = []
        for row, cells in shown:
            points = [
                (sizes[p], c.text)
                for p, c in zip(positions, cells, strict=True)
                if c and _drawn(c) is not None
            ]
            (first_size, first), (last_size, last) = points[0], points[-1]
            parts.append(f"{row.label} {first} at {first_size} to {last} at {last_size}")
        family = self.card.family.name
        head = (
            f"Line chart of {_plural(len(shown), 'headline benchmark')} against model size "
            f"({size_texts[0]} to {size_texts[-1]}) for {family}."
        )
        if len(shown) < len(lines):
            head += f" {len(shown)} of {len(lines)} are drawn; all are in the data table."
        unit = _unit([r.benchmark for r, _ in shown])
        table_rows, missing = [], []
        for ri, (row, cells) in enumerate(lines):
            table_rows.append((row.label, *(_cell_text(c) for c in cells)))
            missing += [
                (ri, ci + 1, explain_missing(c.missing if c else None))
                for ci, c in enumerate(cells)
                if c is None or c.text is None
            ]
        return ChartSpec(
            id=chart_id,
            subject=("overview", "scaling"),
            table=None,
            title=f"{family}: score against model size" + (f" ({unit})" if split else ""),
            alt=_clip(f"{head}{note} {'; '.join(parts)}."),
            unit=unit,
            columns=("Benchmark", *size_texts),
            rows=tuple(table_rows),
            missing_cells=tuple(missing),
            plot=Plot(
                kind="lines",
                groups=tuple(size_texts),
                positions=tuple(p / 1e9 for p in positions),
                series=series,
                value_range=_value_range(
                    [r.benchmark for r, _ in shown],
                    (v for s in series for v in s.values if v is not None),
                ),
                x_label="Parameters (billions, log scale)",
            ),
        )

    def _by_size(self, row: _Row, positions: list[float]) -> list[Result | None]:
        """The row's cell at each size: of the own variants of that size in the row's table,
        the first (in column order) with a score that can be drawn, else the first."""
        at = {p: i for i, p in enumerate(positions)}
        cells: list[Result | None] = [None] * len(positions)
        for variant_id in self.index.table(row.benchmark.table).columns:
            variant = self.index.variants.get(variant_id)
            if variant is None or variant.comparison or variant.size is None:
                continue
            number = size_of(variant.size)
            if number is None:
                continue
            cell = self.index.result(variant_id, row.benchmark.id)
            current = cells[at[number]]
            if current is None or (_drawn(current) is None and _drawn(cell) is not None):
                cells[at[number]] = cell
        return cells


# ------------------------------------------------------------------------------- helpers


def _is_comparison(variant: Variant | None) -> bool:
    return variant is not None and variant.comparison


def _bar_text(cell: Result | None) -> str | None:
    """What the chart prints for a cell: its published text (beside the bar, or alone when it
    holds no number to draw), "no score" where the card gives none (its mark, often a bare
    dash, is in the data table), nothing where the model has no cell in that table."""
    if cell is None:
        return None
    return cell.text if cell.text is not None else NO_SCORE_LABEL


_SIZE = re.compile(r"(?<![\w.*\u00d7])(\d+(?:\.\d+)?)\s?([kKmMbBtT])(?![\w])")


def size_of(text: str) -> float | None:
    """Parameters in a published size: ``8B`` -> 8e9, ``1B (1.23B)`` -> 1e9 (the first size
    written). None when there is none to read, or a product like ``8x7B``."""
    match = _SIZE.search(text)
    if match is None:
        return None
    return parse(f"{match[1]}{match[2].upper()}").magnitude  # "7b" and "125m" too


def _model_colors(card: Card) -> dict[str, str]:
    """A colour per variant: one per family and size, the card's own first, so a model has the
    same colour on every page (a pretrained and an instruct model of one size share it; the
    card's tables seldom set them side by side, and :func:`_distinct_looks` keeps a chart's
    colours apart when they do)."""
    keys: dict[tuple[str, str], str] = {}
    colors = {}
    for variant in sorted(card.variants, key=lambda v: v.comparison):
        key = (variant.family or "" if variant.comparison else "", variant.size or variant.id)
        colors[variant.id] = keys.setdefault(key, PALETTE[len(keys) % len(PALETTE)])
    return colors


def _distinct_looks(colors: list[str]) -> list[tuple[str, str]]:
    """(colour, extra hatch) per model of a chart: the models' own colours, unless two would
    share one; then the palette in order, back-hatched the second time round, so up to twice the
    palette's seven models (:data:`MAX_MODELS` is 12) all look different."""
    if len(set(colors)) == len(colors):
        return [(color, "") for color in colors]
    return [
        (PALETTE[i % len(PALETTE)], "" if i < len(PALETTE) else SECOND_ROUND_HATCH)
        for i in range(len(colors))
    ]


def _best(rows: list[_Row], models: list[_Model], values: list[list[float | None]]) -> list[int]:
    """The :data:`MAX_MODELS` best models, returned in card order.

    Models with a bar to draw come first, the card's own variants before comparison models,
    then the best scores: per row, in the row's direction (lower is better where it says so),
    the best model scores 1 down to near 0 for the last, and a model without a score there 0.
    Ties go to the earlier column.
    """
    score = [0.0] * len(models)
    for ri, row in enumerate(rows):
        drawn = [(v, mi) for mi, column in enumerate(values) if (v := column[ri]) is not None]
        sign = -1.0 if row.benchmark.higher_is_better else 1.0
        drawn.sort(key=lambda p: (sign * p[0], p[1]))
        for place, (_, mi) in enumerate(drawn):
            score[mi] += 1.0 - place / len(drawn)

    def priority(mi: int) -> tuple[bool, bool, float, int]:
        barless = all(v is None for v in values[mi])
        return (barless, _is_comparison(models[mi].variant), -score[mi], mi)

    return sorted(sorted(range(len(models)), key=priority)[:MAX_MODELS])


def _data_table(
    heading: str, labels: list[str], models: list[_Model]
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[tuple[int, int, str], ...]]:
    """Rows x models of published text. Past :data:`MAX_MODELS` models it is turned, a row
    per model: a table a thousand columns wide cannot be read, one a thousand rows long can."""
    missing: list[tuple[int, int, str]] = []
    if len(models) <= MAX_MODELS:
        columns = (heading, *(m.label for m in models))
        rows = []
        for ri, label in enumerate(labels):
            rows.append((label, *(_cell_text(m.cells[ri]) for m in models)))
            for mi, m in enumerate(models):
                cell = m.cells[ri]
                if cell is None or cell.text is None:
                    missing.append((ri, mi + 1, explain_missing(cell.missing if cell else None)))
        return columns, tuple(rows), tuple(missing)
    columns = ("Model", *labels)
    rows = []
    for mi, m in enumerate(models):
        rows.append((m.label, *(_cell_text(c) for c in m.cells)))
        for ri, cell in enumerate(m.cells):
            if cell is None or cell.text is None:
                missing.append((mi, ri + 1, explain_missing(cell.missing if cell else None)))
    return columns, tuple(rows), tuple(missing)


def _bars_alt(
    head: str,
    rows: list[_Row],
    models: list[_Model],
    values: list[list[float | None]],
    *,
    versus: bool,
) -> str:
    """The head, the highest and lowest published values, how the first model fares against
    the others (``versus``), and where scores are missing."""
    labels = [r.label for r in rows]
    points = [
        (v, mi, ri) for mi, col in enumerate(values) for ri, v in enumerate(col) if v is not None
    ]
    high = max(points, key=lambda p: p[0])  # max and min keep the first of equals
    low = min(points, key=lambda p: p[0])

    def say(point: tuple[float, int, int]) -> str:
        model = models[point[1]]
        return f"{model.label} on {labels[point[2]]}, {model.cells[point[2]].text}"  # type: ignore[union-attr]

    text = f"{head} Highest: {say(high)}. Lowest: {say(low)}."
    others = range(1, len(models)) if versus else range(0)
    for mi in others:
        both = [
            (r, a, b)
            for r, a, b in zip(rows, values[0], values[mi], strict=True)
            if a is not None and b is not None
        ]
        if both:  # "better" in each row's own direction
            better = sum(_better(r.benchmark, a, b) for r, a, b in both)
            text += (
                f" Better than {models[mi].label} on {better} of the "
                f"{_plural(len(both), 'benchmark')} both report."
            )
    gaps = []
    for ri, label in enumerate(labels):
        who = [m.label for m in models if (c := m.cells[ri]) is not None and c.missing is not None]
        if who:
            gaps.append(f"{_names(who)} on {label}")
    if gaps:
        full = f"{text} No score for {'; '.join(gaps)}."
        count = sum(1 for m in models for c in m.cells if c is not None and c.missing is not None)
        text = full if len(full) <= ALT_LIMIT else f"{text} {_plural(count, 'score')} missing."
    return _clip(text)


__all__ = ["MAX_MODELS", "PALETTE", "ChartSpec", "Plot", "Series", "chart_specs", "size_of"]
