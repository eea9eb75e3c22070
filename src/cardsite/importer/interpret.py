# ruff: noqa: RUF001 - cards print dashes, minus signs and Greek letters this module must read
"""Decide what each table of a card is, which way round it is printed, what each column and row
holds, and which models are the card's own.

The rules are general (how model cards are written), never about one card:

* a table is a **results** table when its cells are scores against benchmarks and models; a
  **facts** table when it pairs labels with values about the model; a **model list** when its
  cells link to the models on the Hugging Face Hub; a **data** table (training, energy, memory,
  speed) otherwise;
* models are the columns unless the first heading says ``Model``, a benchmark-role column is
  missing, or the row labels read as model names (sizes like ``7B``, family names) more than
  the column headings do: then the table is transposed;
* leading text columns are the category, benchmark, shots, metric, language and version; a
  row with a single cell (bold, italic or spanning the table) is a section; a blank
  benchmark cell continues the row above; rows of sizes or words (``MoE``, ``236B``) are facts
  about the models, not scores; a first body row of ``5-shot`` cells gives each column's shots;
* shots and metric come out of a benchmark's name when it carries them (``MMLU (5-shot)``);
* a cell holding a dash or ``N/A`` is a missing score with the card's own mark;
* the card's own models are told from the others by the card's name (title, front matter,
  model lists linking to the Hub), ``(this model)``, or bold rows when only a few are bold.

Whatever is decided without certainty is returned as a :class:`~.model.Reviewed` value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cardsite.card.ids import GENERATED_ANCHORS, WINDOWS_RESERVED
from cardsite.card.models import is_missing_mark, slug_of
from cardsite.card.values import parse
from cardsite.importer import words
from cardsite.importer.document import Document, Raw
from cardsite.importer.model import Imported, Reviewed, Skipped, TableSummary
from cardsite.importer.tables import Block, Cell, Grid, inline_plain

_HUB_LINK = re.compile(r"huggingface\.co/([A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)/?(?:$|[?#])")
_DATA_WORDS = (
    "memory",
    "vram",
    "gpu mem",
    "latency",
    "throughput",
    "speed",
    "tokens/s",
    "token/s",
    "tok/s",
    "price",
    "cost",
    "gpu hours",
    "gpu-hours",
    "emission",
    "co2",
    "energy",
    "power",
    "carbon",
    "kwh",
    "mwh",
    "training loss",
    "hardware",
)
_TRAINING_HEADERS = ("loss", "epoch", "step", "learning rate", "gpu hours", "co2", "emission")
_ROLE_NAMES = {
    "category": (
        "category",
        "categories",
        "domain",
        "type",
        "capability",
        "area",
        "group",
        "task type",
        "skill",
        "ability",
        "dimension",
        "aspect",
    ),
    "benchmark": (
        "benchmark",
        "benchmarks",
        "task",
        "tasks",
        "dataset",
        "datasets",
        "test",
        "eval",
        "evaluation",
        "bench",
        "benchmark (metric)",
        "benchmark (metric)",
        "name",
        "subject",
        "suite",
    ),
    "shots": (
        "shots",
        "# shots",
        "#shots",
        "shot",
        "n-shot",
        "num shots",
        "few-shot",
        "k-shot",
        "settings",
        "setting",
        "# shot",
    ),
    "metric": ("metric", "metrics", "measure", "scoring", "score type"),
    "language": ("language", "languages", "lang", "locale"),
    "version": ("version", "ver", "v", "revision"),
}
_MODEL_HEADS = ("model", "models", "model name", "method", "system", "llm", "checkpoint")
_STDERR_HEADS = ("stderr", "std", "std err", "stddev", "std. err", "±", "+/-", "error", "ci")
_DELTA_HEADS = ("change", "delta", "δ", "diff", "difference", "improvement", "gain", "vs")
_BADGE = re.compile(
    r"shields\.io|badgen\.net|badge\.fury|/badges?/|badge\.svg|\bbadge\b|"
    r"colab\.research\.google\.com/assets|img\.shields",
    re.I,
)
_GENERIC_VALUE = re.compile(
    r"(?:scores?|values?|results?|accuracy|acc|performance|metric value|column \d+|%|)"
)
"""The heading of a lone value column that names no model (``Score``, ``Value``)."""
_OURS = re.compile(r"\(?(?:ours|this model|our model)\)?\s*[*†‡]*")
"""A column heading that names the card's own model without its name."""
_LICENSE_NAME = re.compile(
    r"licen[cs]e|\b(?:mit|apache|bsd|gpl|lgpl|agpl|mpl|cc[- ]by|openrail|creative commons)\b",
    re.I,
)
_NEWS_HEADING = re.compile(r"\b(?:news|updates?|changelog|change log|release notes)\b", re.I)
_DERIVED_HEAD = re.compile(r"\b(?:recovery|retention|relative|ratio|recovered)\b", re.I)
"""A column computed from the others (``Recovery (%)`` of a quantized model), not a model."""
_BASE_CTX = ("base", "pretrained", "pre-trained", "foundation")
_CHAT_CTX = ("chat", "instruct", "instruction", "aligned", "post-trained", "tuned")
_LOWER_BETTER = re.compile(
    r"\b(?:bpb|bits?[- ]per[- ](?:byte|char)|ppl|perplexity|loss|wer|cer|error rate|latency|"
    r"mae|mse|rmse|lower is better|lower the better|toxicity)\b|↓",
    re.I,
)


# =========================================================================== intermediate


@dataclass
class ModelRef:
    """A model as one table prints it."""

    label: str
    line: int
    table: int
    bold: bool = False
    ctx: str | None = None
    facts: list[tuple[str, str]] = field(default_factory=list)
    size: str | None = None
    own_hint: str | None = None
    disambiguator: str | None = None
    variant: str = ""


@dataclass
class Value:
    text: str
    line: int
    missing: bool = False
    error: str | None = None


@dataclass
class BRow:
    bench: words.BenchName
    line: int
    group: str | None = None
    category: str | None = None
    cells: dict[int, Value] = field(default_factory=dict)
    subsets: list[tuple[str, str | None, dict[int, Value]]] = field(default_factory=list)
    higher_is_better: bool | None = None
    scale: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class RTable:
    title: str
    line: int
    end_line: int
    source: str
    layout: str
    models: list[ModelRef]
    rows: list[BRow]
    notes: list[str] = field(default_factory=list)
    footnotes: list[tuple[str, str]] = field(default_factory=list)
    declared_rows: int | None = None
    kind: str = "results"
    reviews: list[str] = field(default_factory=list)
    model_groups: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class DTable:
    title: str
    line: int
    source: str
    page: str
    columns: list[str]
    rows: list[list[str]]
    row_labels: list[str]
    notes: list[str] = field(default_factory=list)
    review: str | None = None
    roles: dict[int, tuple[str, str | None]] = field(default_factory=dict)


@dataclass
class _Group:
    key: frozenset[str]
    members: list[ModelRef] = field(default_factory=list)
    listed: ModelRef | None = None
    hub: str | None = None
    ctx_tag: str | None = None


@dataclass
class Ctx:
    title: str
    path: list[str]
    before: str
    notes: list[str]
    line: int

    @property
    def kind(self) -> str | None:
        """``base`` or ``chat`` when the headings over the table say which models it scores."""
        found: set[str] = set()
        for heading in [*self.path, self.title]:
            low = heading.lower()
            if any(re.search(rf"(?<![a-z]){w}(?![a-z])", low) for w in _BASE_CTX):
                found.add("base")
            if any(re.search(rf"(?<![a-z]){w}(?![a-z])", low) for w in _CHAT_CTX):
                found.add("chat")
        return found.pop() if len(found) == 1 else None


# =========================================================================== entry point


def interpret(doc: Document, blocks: list[Block]) -> Imported:
    return _Interpreter(doc, blocks).run()


class _Interpreter:
    def __init__(self, doc: Document, blocks: list[Block]) -> None:
        self.doc = doc
        self.blocks = blocks
        self.results: list[RTable] = []
        self.data: list[DTable] = []
        self.family_facts: list[tuple[str, str, str]] = []  # label, value, source
        self.model_list: list[ModelRef] = []
        self.hub_ids: dict[frozenset[str], str] = {}
        self.skipped: list[Skipped] = []
        self.summaries: list[TableSummary] = []
        self.notes: list[str] = []
        self.consumed: set[int] = set()  # block indexes used by tables (notes)
        self.column_groups: dict[int, str] = {}  # the table being read: col -> group heading
        self.family_name, self.family_review = self._family_name()

    # ------------------------------------------------------------------- the card's name

    def _family_name(self) -> tuple[str, str | None]:
        for block in self.blocks:
            if block.kind == "heading" and block.level == 1 and block.text.strip():
                name = _title_name(block.text)
                if not _generic_title(name):
                    return name, None
                break  # a card whose first top heading is a section uses them all as sections
        for html_h1 in re.finditer(r"<h1[^>]*>(.*?)</h1>", self.doc.body, re.S | re.I):
            text = re.sub(r"<[^>]+>", " ", html_h1.group(1))
            if text.strip() and not _generic_title(_title_name(text)):
                return _title_name(text), None
        meta = self.doc.metadata
        if isinstance(meta.get("model_name"), str) and meta["model_name"].strip():
            return words.clean(
                meta["model_name"]
            ), "the card has no title; named after its front matter's model-index"
        preamble = self.doc.body.split("\n#", 1)[0]
        alt = re.search(r"<img[^>]*\balt=\"([^\"]{2,80})\"", preamble)
        if alt and not re.search(r"logo|badge|banner", alt.group(1), re.I):
            return _title_name(
                alt.group(1)
            ), "the card has no title; named after its logo's alt text"
        stem = self.doc.path.stem
        if stem.lower() in ("readme", "model_card", "modelcard", "source-card", "card"):
            stem = self.doc.path.resolve().parent.name or stem
        return stem, "the card has no title; named after its file"

    # ------------------------------------------------------------------- main

    def run(self) -> Imported:
        heading_path: list[tuple[int, str]] = []
        last_prose = ""
        last_prose_line = 0
        used_titles: set[str] = set()
        for index, block in enumerate(self.blocks):
            if block.kind == "heading":
                if not words.clean(block.text):
                    continue  # an empty heading (a bare ``##``) names nothing
                while heading_path and heading_path[-1][0] >= block.level:
                    heading_path.pop()
                heading_path.append((block.level, block.text))
                last_prose = ""
                continue
            if block.kind == "prose" and block.text and not block.after_table:
                first = self.doc.line_text(block.line).lstrip()
                if first.startswith(("![", "[![", "<img", "<p", "<div")):
                    last_prose = ""  # an image (its alt text) is no caption
                    continue
                last_prose, last_prose_line = block.text, block.end_line
                continue
            if block.kind != "table" or block.grid is None:
                continue
            notes = self._notes_after(index)
            from_file = bool(self.family_review and "its file" in self.family_review)
            untitled = "Results" if from_file else self.family_name
            title = heading_path[-1][1] if heading_path else untitled
            before = last_prose if block.line - last_prose_line <= 3 else ""
            caption = before.strip().rstrip(":").strip()
            if re.search(r"[.!?]$", caption) and re.search(
                r"\b(?:is|are|was|were|we|our|has|have|shows?|lists?|can|will)\b", caption, re.I
            ):
                caption = ""  # a sentence about the table, not its caption
            heading = title
            if caption and (len(caption) <= 60 or title in used_titles) and len(caption) <= 100:
                title = caption.rstrip(".")  # a caption right above the table names it best
            elif title in used_titles and heading_path[:-1]:
                title = f"{heading_path[-2][1]}: {title}"
            used_titles.update((title, heading))
            ctx = Ctx(
                title=words.clean(title) or "Table",
                path=[h for _, h in heading_path[:-1]],
                before=before,
                notes=notes,
                line=block.line,
            )
            self._table(block.grid, ctx, index)
            last_prose = ""
        self._fence_extras()
        return _Builder(self).build()

    def _notes_after(self, index: int) -> list[str]:
        notes: list[str] = []
        for j in range(index + 1, len(self.blocks)):
            block = self.blocks[j]
            if block.kind in ("note", "prose") and block.after_table:
                if block.text:
                    notes.append(_note_text(block.text))
                self.consumed.add(j)
                continue
            if block.kind == "prose" and not block.text:
                continue
            break
        return [n for n in notes if n]

    def _fence_extras(self) -> None:
        pass

    # ------------------------------------------------------------------- one table

    def _table(self, grid: Grid, ctx: Ctx, index: int) -> None:
        rows = [r for r in grid.rows if not _separator(r)]
        if not rows or grid.width == 0:
            return
        header_count = _header_count(grid, rows)
        header = rows[:header_count] if header_count else []
        body = rows[header_count:]
        labels = _column_labels(header, grid.width)
        self.column_groups = _column_groups(header, grid.width)
        source = f"{' > '.join([*ctx.path, ctx.title])} (table at line {grid.line})"
        if not body:
            self._data_table(labels, body, ctx, grid, source, "a table with no body rows")
            return
        low_labels = [lab.lower() for lab in labels]
        if "value" in low_labels and (grid.kind == "fenced" or "task" in low_labels):
            self._harness(labels, body, ctx, grid, source)
            return
        if self._model_list(labels, body, ctx, grid, source):
            return
        if self._is_data(labels, body, ctx):
            self._data_table(labels, body, ctx, grid, source, None)
            return
        facts = self._facts_table(labels, body, ctx, grid, source)
        if facts:
            return
        if _facts_by_model(labels, body):
            self._data_table(labels, body, ctx, grid, source, None)
            return
        self._results(labels, header, body, ctx, grid, source)

    # ------------------------------------------------------------------- kinds of tables

    def _is_data(self, labels: list[str], body: list[list[Cell]], ctx: Ctx) -> bool:
        heads = " ".join(labels).lower()
        if sum(1 for w in _TRAINING_HEADERS if w in heads) >= 2:
            return True
        if any(w in heads for w in ("gpu hours", "co2", "emission", "tokens/s", "latency")):
            return True
        context = f"{ctx.title} {ctx.before}".lower()
        if any(w in context for w in _DATA_WORDS):
            bench_rows = sum(words.bench_score(r[0].text) >= 2 for r in body if r)
            bench_cols = sum(words.bench_score(lab) >= 2 for lab in labels[1:])
            return bench_rows == 0 and bench_cols == 0
        return False

    def _data_table(
        self,
        labels: list[str],
        body: list[list[Cell]],
        ctx: Ctx,
        grid: Grid,
        source: str,
        review: str | None,
    ) -> None:
        cells = [[c.text for c in row] for row in body]
        heads = " ".join([*labels, ctx.title, *ctx.path]).lower()
        page = "overview"
        if any(w in heads for w in ("train", "emission", "co2", "gpu hours", "energy", "loss")):
            page = "training"
        elif any(w in heads for w in ("evaluat", "benchmark", "result", "performance")):
            page = "benchmarks"
        keep = [i for i in range(grid.width) if labels[i] or any(r[i] for r in cells)]
        if not keep:
            return
        labels = [labels[i] for i in keep]
        cells = [[row[i] for i in keep] for row in cells]
        roles: dict[int, tuple[str, str | None]] = {}
        for i, lab in enumerate(labels):
            low = lab.lower()
            if "gpu hour" in low or "gpu-hour" in low:
                roles[i] = ("gpu-hours", None)
            elif "market" in low and ("co2" in low or "emission" in low):
                roles[i] = ("emissions-market", "tCO2eq")
            elif "co2" in low or "emission" in low:
                roles[i] = ("emissions", "tCO2eq")
            elif "power" in low and "(w)" in low:
                roles[i] = ("power", "W")
        table = DTable(
            title=ctx.title,
            line=grid.line,
            source=source,
            page=page,
            columns=labels,
            rows=cells,
            row_labels=[r[0] if r else "" for r in cells],
            notes=ctx.notes,
            review=review,
            roles=roles,
        )
        if len(labels) > 50:
            table.columns = labels[:50]
            table.rows = [r[:50] for r in cells]
            for row in body:
                for cell in row[50:]:
                    if words.has_number(cell.text):
                        self.skip(cell, "a column past the 50th of a table", ctx.title)
        self.data.append(table)
        self.summaries.append(
            TableSummary(ctx.title, grid.line, "data", columns=len(labels), rows=len(cells))
        )

    def _facts_table(
        self, labels: list[str], body: list[list[Cell]], ctx: Ctx, grid: Grid, source: str
    ) -> bool:
        """A key/value table about the model (``Architecture | MoE``), or a one-row table of
        labelled values (``Parameters | Layers`` over ``2,796,431,360 | 32``)."""
        used = [i for i in range(grid.width) if labels[i] or any(r[i].text for r in body)]
        pairs: list[tuple[str, str]] = []
        if len(used) == 2:
            k, v = used
            rows = [(r[k].text, r[v].text) for r in body if r[k].text or r[v].text]
            values = [val for _, val in rows if val]
            scores = sum(words.is_score(val) for val in values)
            bench = sum(words.bench_score(key) >= 2 for key, _ in rows)
            evaluation = re.search(r"evaluat|result|benchmark|leaderboard|score", ctx.title, re.I)
            results_like = (
                values and scores >= 0.8 * len(values) and (bench >= len(rows) / 2 or evaluation)
            )
            if labels[k] and labels[v] and (words.model_score(labels[v]) >= 1.5):
                results_like = True
            if results_like:
                return False
            if labels[k] and labels[v] and not words.fact_label(labels[k]):
                pairs = []
            else:
                pairs = [(key, val) for key, val in rows if key and val]
            if labels[k] and labels[v] and not pairs:
                return False
        elif len(body) == 1 and all(labels[i] for i in used):
            first = body[0][used[0]].text
            if not (words.is_score(first) or words.is_sizeish(first)):
                return False
            if sum(words.bench_score(labels[i]) >= 2 for i in used) > len(used) / 2:
                return False
            pairs = [(labels[i], body[0][i].text) for i in used if body[0][i].text]
        if not pairs:
            return False
        for label, value in pairs:
            self.family_facts.append((label, value, source))
        self.summaries.append(TableSummary(ctx.title, grid.line, "facts", rows=len(pairs)))
        return True

    def _model_list(
        self, labels: list[str], body: list[list[Cell]], ctx: Ctx, grid: Grid, source: str
    ) -> bool:
        """A table whose cells link to models on the Hugging Face Hub: the card's own models,
        their Hub ids and facts."""
        base_model = _listify(self.doc.metadata.get("base_model"))
        linked = 0
        found: list[tuple[str, str, int, Cell, list[Cell]]] = []  # name, hub id, col, cell, row
        for row in body:
            row_links = 0
            for col, cell in enumerate(row):
                for text, url in cell.links:
                    match = _HUB_LINK.search(url)
                    if not match or "/datasets/" in url or "/spaces/" in url:
                        continue
                    hub = match.group(1)
                    if hub.split("/")[0] in ("datasets", "spaces", "docs", "blog", "papers"):
                        continue
                    if hub in base_model:
                        continue
                    head = labels[col].lower() if col < len(labels) else ""
                    if re.search(r"\b(?:base|parent|original|teacher|from)\b", head):
                        continue  # the model it was made from, not one of the card's own
                    name = words.clean(text)
                    if (
                        "/" in name
                        or not name
                        or (words.model_score(name) == 0 and not _same_model(name, hub))
                    ):
                        name = hub.split("/", 1)[1]
                    found.append((name, hub, col, cell, row))
                    row_links += 1
            linked += row_links > 0
        if not found or linked < max(1, len(body) // 2):
            return False
        link_cols = {col for _, _, col, _, _ in found}
        for col in range(grid.width):
            values = [r[col].text for r in body if col < len(r) and r[col].text]
            if (
                col not in link_cols
                and values
                and words.bench_score(labels[col]) >= 2
                and sum(words.is_score(v) for v in values) >= 0.8 * len(values)
            ):
                return False  # models linked to the Hub, scored on benchmarks: a results table
        head_low = [lab.lower() for lab in labels]
        for name, hub, col, _cell, row in found:
            label = name
            if "model" in head_low[:1] or (col > 0 and words.model_score(row[0].text) > 0):
                first = words.clean(row[0].text)
                if first and _same_model(first, hub) and col != 0:
                    label = first
            ref = ModelRef(label=label, line=row[0].line, table=-1)
            ref.facts = [
                (labels[i], row[i].text)
                for i in range(len(row))
                if i != col
                and labels[i]
                and row[i].text
                and not row[i].links
                and words.fact_label(labels[i])
            ]
            size = next(
                (
                    v
                    for k, v in ref.facts
                    if "total" in k.lower() or "size" in k.lower() or "param" in k.lower()
                ),
                None,
            )
            ref.size = size if size and words.is_sizeish(size) else None
            if not ref.size and row[0].text and words.is_sizeish(row[0].text) and col != 0:
                ref.size = row[0].text
            kind_hint = labels[col] if col < len(labels) else ""
            row_hint = row[0].text if col != 0 else ""
            ref.own_hint = f"{kind_hint} {row_hint}".strip()
            ref.disambiguator = hub
            self.model_list.append(ref)
            self.hub_ids[words.tokens(label)] = hub
            self.hub_ids.setdefault(words.tokens(hub.split("/", 1)[1]), hub)
        self._data_table(labels, body, ctx, grid, source, None)
        self.summaries[-1].kind = "model list"
        return True

    # ------------------------------------------------------------------- harness output

    def _harness(
        self, labels: list[str], body: list[list[Cell]], ctx: Ctx, grid: Grid, source: str
    ) -> None:
        """``Task | Version | Metric | Value | | Stderr`` (evaluation-harness output): one
        model, the card's own; a blank Task continues the task above; Stderr goes under errors;
        a trailing ``Average: 76.00%`` line is a row of its own."""
        low = [lab.lower() for lab in labels]
        task = low.index("task") if "task" in low else 0
        value = low.index("value")
        metric = low.index("metric") if "metric" in low else None
        stderr = next((i for i, lab in enumerate(low) if lab in _STDERR_HEADS), None)
        version = low.index("version") if "version" in low else None
        model = ModelRef(label=labels[value], line=grid.line, table=len(self.results))
        model.own_hint = "the card's own evaluation-harness output"
        table = RTable(
            title=ctx.title,
            line=grid.line,
            end_line=grid.end_line,
            source=source,
            layout="models-as-columns",
            models=[model],
            rows=[],
            notes=ctx.notes,
            kind="harness",
        )
        current = ""
        for row in body:
            texts = [c.text for c in row]
            if row[task].text and not any(texts[i] for i in range(len(texts)) if i != task):
                extra = re.fullmatch(r"(.+?)\s*:\s*(\S+)", row[task].text)
                if extra and words.is_score(extra.group(2)):
                    bench = words.read_benchmark(extra.group(1))
                    brow = BRow(bench=bench, line=row[task].line)
                    brow.cells[0] = Value(extra.group(2), row[task].line)
                    table.rows.append(brow)
                continue
            if row[task].text:
                current = row[task].text
            if not current:
                continue
            bench = words.read_benchmark(current)
            metric_text = row[metric].text if metric is not None else None
            brow = BRow(
                bench=words.BenchName(
                    bench.name, bench.label, bench.shots, metric_text or bench.metric, bench.cot
                ),
                line=row[value].line,
            )
            cell = row[value]
            if cell.text:
                val = Value(cell.text, cell.line, missing=is_missing_mark(cell.text))
                if stderr is not None and row[stderr].text and not val.missing:
                    val.error = row[stderr].text
                brow.cells[0] = val
            table.rows.append(brow)
            if version is not None and words.has_number(row[version].text):
                pass  # the task's version: part of the harness output, not a score
        if table.rows:
            self.results.append(table)

    # ------------------------------------------------------------------- results tables

    def _results(
        self,
        labels: list[str],
        header: list[list[Cell]],
        body: list[list[Cell]],
        ctx: Ctx,
        grid: Grid,
        source: str,
    ) -> None:
        table_shots: str | None = None
        first_head = labels[0].lower() if labels else ""
        head_shots = re.search(r"(\d+(?:-\d+)?)[- ]?shots?", first_head)
        if head_shots:
            table_shots = head_shots.group(1)
            first_head = first_head[: head_shots.start()].strip()
        layout = self._orientation(labels, body, first_head)
        mark = len(self.skipped)
        if layout == "models-as-rows":
            table = self._transposed(labels, header, body, ctx, grid, source, table_shots)
        else:
            table = self._columns(labels, body, ctx, grid, source)
        if table is None:
            del self.skipped[mark:]
            self._data_table(labels, body, ctx, grid, source, "no scores found: kept as a table")
            return
        if table_shots:
            for row in table.rows:
                if row.bench.shots is None:
                    row.bench = words.BenchName(
                        row.bench.name,
                        row.bench.label,
                        table_shots,
                        row.bench.metric,
                        row.bench.cot,
                    )
        table.declared_rows = grid.declared_rows
        self._footnotes(table)
        self.results.append(table)

    def _orientation(self, labels: list[str], body: list[list[Cell]], first_head: str) -> str:
        if first_head in _MODEL_HEADS or first_head.startswith("model"):
            # ``| Model | A-7B | B-8B |`` over rows of benchmarks: the heading names the
            # header row, the models are still the columns
            rows = [r[0].text for r in body if r and r[0].text]
            cols = [lab for lab in labels[1:] if lab]
            if rows and cols:
                row_bench = sum(words.bench_score(t) >= 2 for t in rows) / len(rows)
                row_model = sum(words.model_score(t) >= 2 for t in rows) / len(rows)
                col_model = sum(words.model_score(t) >= 1.5 for t in cols) / len(cols)
                col_bench = sum(words.bench_score(t) >= 2 for t in cols) / len(cols)
                if row_bench >= 0.6 and row_model == 0 and col_model >= 0.6 and col_bench == 0:
                    return "models-as-columns"
            return "models-as-rows"
        for lab in labels[:3]:
            low = lab.lower().strip()
            if any(
                low == name or low.startswith(name + " ")
                for name in (
                    *_ROLE_NAMES["benchmark"],
                    *_ROLE_NAMES["category"],
                    "metric",
                    "# shots",
                )
            ):
                return "models-as-columns"
        row_labels = [r[0].text for r in body if r and r[0].text]
        col_labels = [lab for lab in labels[1:] if lab]
        if not row_labels or not col_labels:
            return "models-as-columns"
        row_model = sum(words.model_score(t) for t in row_labels) / len(row_labels)
        col_model = sum(words.model_score(t) for t in col_labels) / len(col_labels)
        row_bench = sum(words.bench_score(t) for t in row_labels) / len(row_labels)
        col_bench = sum(words.bench_score(t) for t in col_labels) / len(col_labels)
        if row_model - row_bench > col_model - col_bench:
            return "models-as-rows"
        return "models-as-columns"

    def _columns(
        self, labels: list[str], body: list[list[Cell]], ctx: Ctx, grid: Grid, source: str
    ) -> RTable | None:
        """Models as columns: leading label columns, then one column per model."""
        width = grid.width
        roles: dict[int, str] = {}
        first_model: int | None = None
        for col in range(width):
            role = _role(labels[col])
            values = [r[col].text for r in body if r[col].text and not r[col].spanned]
            scores = sum(words.is_score(v) or is_missing_mark(v) for v in values)
            textual = len(values) - scores
            if role and role != "benchmark" and col > 0 and words.model_score(labels[col]) >= 2:
                role = None
            if role:
                roles[col] = role
                continue
            if (
                first_model is None
                and (textual > scores or not values)
                and (words.model_score(labels[col]) < 2 or col == 0)
            ):
                roles[col] = "label"
                continue
            first_model = col if first_model is None else first_model
            break
        if first_model is None:
            first_model = next((c for c in range(width) if c not in roles), width)
        label_cols = [c for c in range(first_model) if c in roles]
        bench_col = next((c for c in label_cols if roles[c] == "benchmark"), None)
        if bench_col is None:
            plain = [c for c in label_cols if roles[c] == "label"]
            # ``| | Context length | A | B |`` over ``| Math.Find | 87.9k | ...``: a column of
            # quantities is a fact of each row, the names are in the column before it
            named = [c for c in plain if not _quantity_column(body, c)]
            if plain:
                bench_col = (named or plain)[-1]
            elif "metric" in roles.values():
                bench_col = next(c for c in label_cols if roles[c] == "metric")
            elif label_cols:
                bench_col = label_cols[-1]
            else:
                bench_col = 0
                label_cols = [0]
            roles[bench_col] = "benchmark"
        for c in label_cols:
            if roles[c] == "label":
                roles[c] = "category" if c < bench_col else "extra"
        model_cols: list[int] = []
        error_of: dict[int, int] = {}
        for col in range(max(first_model, bench_col + 1), width):
            low = labels[col].lower().strip()
            values = [r[col].text for r in body if r[col].text]
            if low in _STDERR_HEADS and model_cols:
                error_of[col] = model_cols[-1]
                continue
            if values and all(v in ("_", "±", "+/-", "|") for v in values) and not low:
                continue
            if _role(labels[col]) in ("shots", "metric", "language", "version", "category"):
                roles[col] = _role(labels[col]) or "extra"
                continue
            signed = [v for v in values if words.is_signed(v)]
            if _DERIVED_HEAD.search(low) and words.model_score(labels[col]) < 2 and model_cols:
                for r in body:
                    if words.has_number(r[col].text):
                        self.skip(
                            r[col],
                            f"column {labels[col]!r} is computed from the models' scores",
                            ctx.title,
                        )
                continue
            if (any(w in low for w in _DELTA_HEADS) and low) or (
                values
                and len(signed) == len(values)
                and any(v.strip().startswith("+") for v in values)
            ):
                for r in body:
                    if words.has_number(r[col].text):
                        self.skip(
                            r[col],
                            f"column {labels[col]!r} holds differences, not a model's scores",
                            ctx.title,
                        )
                continue
            if values and not any(words.is_score(v) for v in values):
                for r in body:
                    if words.has_number(r[col].text):
                        self.skip(r[col], f"column {labels[col]!r} holds no scores", ctx.title)
                continue
            model_cols.append(col)
        if not model_cols:
            return None
        kind_ctx = ctx.kind
        models = [
            ModelRef(
                label=words.clean(labels[c]) or f"Column {c + 1}",
                line=grid.line,
                table=len(self.results),
                ctx=_kind_of_heading(self.column_groups.get(c, "")) or kind_ctx,
            )
            for c in model_cols
        ]
        for ref in models:
            lone = len(models) == 1 and _GENERIC_VALUE.fullmatch(ref.label.lower())
            if lone or _OURS.fullmatch(ref.label.lower()):
                # ``| Benchmark | Score |`` (one column of values) or ``| ... | Ours |``: no
                # model named, the card's own model's scores, as a model-index without a name
                ref.disambiguator = "index"
                ref.own_hint = "a column of the card's own scores (no model named)"
        table = RTable(
            title=ctx.title,
            line=grid.line,
            end_line=grid.end_line,
            source=source,
            layout="models-as-columns",
            models=models,
            rows=[],
            notes=list(ctx.notes),
        )
        col_index = {c: i for i, c in enumerate(model_cols)}
        category: str | None = None
        group: str | None = None
        last_bench = ""
        shots_of: dict[int, str] = {}
        lang_col = next((c for c, r in roles.items() if r == "language"), None)
        for row in body:
            texts = [c.text for c in row]
            non_empty = [i for i, t in enumerate(texts) if t]
            # a section row: one text across the table, or only a leading cell
            if non_empty and (
                (
                    len({texts[i] for i in non_empty}) == 1
                    and len(non_empty) > 1
                    and all(row[i].spanned or i == non_empty[0] for i in non_empty)
                )
                or (
                    len(non_empty) == 1
                    and non_empty[0] <= bench_col
                    and not words.is_score(texts[non_empty[0]])
                )
            ):
                text = _section_text(texts[non_empty[0]])
                if (
                    len(non_empty) == 1
                    and row[non_empty[0]].text
                    and non_empty[0] == bench_col
                    and not (
                        row[non_empty[0]].bold
                        or row[non_empty[0]].italic
                        or texts[non_empty[0]].endswith(":")
                    )
                ):
                    pass  # a benchmark with no scores at all
                else:
                    category = text
                    group = text
                    continue
            if (
                all(words.is_shots_cell(texts[c]) or not texts[c] for c in model_cols)
                and any(texts[c] for c in model_cols)
                and not texts[bench_col]
            ):
                for c in model_cols:
                    if texts[c]:
                        shots_of[c] = texts[c]
                continue
            # a key: value line under the table (evaluation output): a row of its own
            if len(non_empty) == 1 and len(model_cols) == 1:
                extra = re.fullmatch(r"(.+?)\s*:\s*(\S+)", texts[non_empty[0]])
                if extra and words.is_score(extra.group(2)):
                    brow = BRow(bench=words.read_benchmark(extra.group(1)), line=row[0].line)
                    brow.cells[0] = Value(extra.group(2), row[0].line)
                    table.rows.append(brow)
                    continue
            cat_cols = [c for c in label_cols if roles.get(c) == "category"]
            printed = [c for c in cat_cols if texts[c] and not row[c].spanned]
            if not texts[bench_col] and printed and any(texts[c] for c in model_cols):
                # ``| **Average** | | 67.6 |``: a row named in the category column alone is a
                # benchmark of its own (an average, a total), not the row above continued
                texts[bench_col] = texts[printed[-1]]
                for c in printed:
                    texts[c] = ""
                category = None
            for c in cat_cols:
                if texts[c] and not is_missing_mark(texts[c]):
                    category = _section_text(texts[c])
                    group = None
                elif texts[c] and is_missing_mark(texts[c]):
                    category = None
            bench_text = texts[bench_col] or (
                last_bench if any(texts[c] for c in model_cols) else ""
            )
            if not bench_text:
                continue
            if texts[bench_col]:
                last_bench = texts[bench_col]
            # facts about the models: sizes and words, not scores
            cell_texts = [
                texts[c] for c in model_cols if texts[c] and not is_missing_mark(texts[c])
            ]
            if cell_texts and not any(words.is_score(t) for t in cell_texts):
                numbered = sum(words.has_number(t) and not words.is_sizeish(t) for t in cell_texts)
                if words.bench_score(bench_text) >= 2 and numbered >= len(cell_texts) / 2:
                    # a benchmark's row whose cells hold numbers that do not read as one score
                    # each: say so rather than keep them as facts about the models
                    for c in model_cols:
                        if words.has_number(texts[c]):
                            self.skip(row[c], "a cell that does not read as one score", ctx.title)
                    continue
                for c in model_cols:
                    if texts[c] and not is_missing_mark(texts[c]):
                        models[col_index[c]].facts.append((bench_text, texts[c]))
                continue
            if (
                cell_texts
                and words.fact_label(bench_text)
                and words.bench_score(bench_text) < 2
                and sum(words.is_sizeish(t) for t in cell_texts) >= len(cell_texts) / 2
            ):
                for c in model_cols:
                    if texts[c] and not is_missing_mark(texts[c]):
                        models[col_index[c]].facts.append((bench_text, texts[c]))
                continue
            bench = words.read_benchmark(bench_text)
            shots, metric, cot = bench.shots, bench.metric, bench.cot
            extra_label: list[str] = []
            for c in label_cols:
                role = roles.get(c)
                if role == "shots":
                    value, says_cot = words.read_shots(texts[c])
                    shots, cot = (value or shots), (cot or says_cot)
                elif role == "metric" and c != bench_col:
                    if texts[c] and not is_missing_mark(texts[c]):
                        metric = texts[c]
                elif role == "extra" and texts[c] and not is_missing_mark(texts[c]):
                    extra_label.append(f"{labels[c]}: {texts[c]}" if labels[c] else texts[c])
            brow = BRow(
                bench=words.BenchName(bench.name, bench.label, shots, metric, cot),
                line=row[bench_col].line,
                group=group,
                category=category,
            )
            if extra_label:
                brow.notes.append(" ".join(extra_label))
            cells: dict[int, Value] = {}
            for c in model_cols:
                cell = row[c]
                if not cell.text:
                    continue
                cells[col_index[c]] = _value(cell)
            for ec, mc in error_of.items():
                if row[ec].text and col_index[mc] in cells and not cells[col_index[mc]].missing:
                    cells[col_index[mc]].error = row[ec].text
            if lang_col is not None and texts[lang_col]:
                previous = table.rows[-1] if table.rows else None
                if (
                    previous is not None
                    and previous.subsets
                    and (previous.bench == brow.bench and previous.category == brow.category)
                ):
                    previous.subsets.append(
                        (texts[lang_col], words.language_code(texts[lang_col]), cells)
                    )
                    continue
                brow.subsets.append((texts[lang_col], words.language_code(texts[lang_col]), cells))
            else:
                brow.cells = cells
            table.rows.append(brow)
        if shots_of:
            table.notes.append(
                "Shots per model column: "
                + ", ".join(f"{labels[c]}: {s}" for c, s in shots_of.items())
            )
        if not table.rows:
            return None
        return table

    def _transposed(
        self,
        labels: list[str],
        header: list[list[Cell]],
        body: list[list[Cell]],
        ctx: Ctx,
        grid: Grid,
        source: str,
        table_shots: str | None,
    ) -> RTable | None:
        """Models as rows: the first column names the model, fact columns (size, FLOPs) go to
        the model, every other column is a benchmark."""
        width = grid.width
        name_col = 0
        shots_of: dict[int, str] = {}
        rows = list(body)
        if (
            rows
            and not rows[0][name_col].text
            and any(words.is_shots_cell(c.text) for c in rows[0][1:])
            and all(
                words.is_shots_cell(c.text) or not c.text or is_missing_mark(c.text)
                for c in rows[0][1:]
            )
        ):
            for col in range(1, width):
                if rows[0][col].text and not is_missing_mark(rows[0][col].text):
                    shots_of[col] = rows[0][col].text
            rows = rows[1:]
        metric_of: dict[int, str] = {}
        if (
            rows
            and not rows[0][name_col].text
            and any(rows[0][c].text for c in range(1, width))
            and all(words.is_metric(c.text) or not c.text for c in rows[0][1:])
        ):
            # ``| | acc | em | pass@1 |`` under the benchmarks: each column's metric
            for col in range(1, width):
                if rows[0][col].text:
                    metric_of[col] = rows[0][col].text
            rows = rows[1:]
        fact_cols: list[int] = []
        bench_cols: list[int] = []
        for col in range(width):
            if col == name_col:
                continue
            values = [r[col].text for r in rows if r[col].text and not _group_row(r)]
            scores = sum(words.is_score(v) for v in values)
            missing = sum(is_missing_mark(v) for v in values)
            textual = len(values) - scores - missing
            label = labels[col]
            if not label and not values:
                continue
            if (
                (words.fact_label(label) and words.bench_score(label) < 2)
                or (textual > scores and values)
                or (values and scores == 0)
            ):
                fact_cols.append(col)
                continue
            low = label.lower()
            signed = [v for v in values if words.is_signed(v)]
            if (any(w in low.split() for w in _DELTA_HEADS)) or (
                values and len(signed) == len(values) and any(v.startswith("+") for v in values)
            ):
                for r in rows:
                    if words.has_number(r[col].text):
                        self.skip(
                            r[col], f"column {label!r} holds differences, not scores", ctx.title
                        )
                continue
            bench_cols.append(col)
        if not bench_cols:
            return None
        table = RTable(
            title=ctx.title,
            line=grid.line,
            end_line=grid.end_line,
            source=source,
            layout="models-as-rows",
            models=[],
            rows=[],
            notes=list(ctx.notes),
        )
        bold_rows = sum(1 for r in rows if r[name_col].bold and not _group_row(r))
        model_rows = [r for r in rows if r[name_col].text and not _group_row(r)]
        minority_bold = 0 < bold_rows <= max(1, len(model_rows) // 3)
        group: str | None = None
        members: list[str] = []
        for row in rows:
            if _group_row(row):
                if group is not None:
                    table.model_groups.append((group, members))
                group = _section_text(next(c.text for c in row if c.text))
                members = []
                continue
            name_cell = row[name_col]
            if not name_cell.text:
                for col in bench_cols:
                    if words.has_number(row[col].text):
                        self.skip(row[col], "a row with no model name", ctx.title)
                continue
            label = words.clean(name_cell.text)
            ref = ModelRef(
                label=label,
                line=name_cell.line,
                table=len(self.results),
                bold=name_cell.bold,
                ctx=ctx.kind,
            )
            if minority_bold and name_cell.bold:
                ref.own_hint = "printed in bold, as only the card's own rows are"
            if _OURS.fullmatch(label.lower()):
                ref.disambiguator = "index"  # ``Ours``: the card's own model, not named
                ref.own_hint = "a row of the card's own scores (no model named)"
            for col in fact_cols:
                text = row[col].text
                if text and labels[col]:
                    if is_missing_mark(text):
                        continue
                    ref.facts.append((labels[col], text))
                    if (
                        ref.size is None
                        and words.is_sizeish(text)
                        and re.search(r"size|param|#tp|# tp|total", labels[col], re.I)
                    ):
                        ref.size = text
            members.append(label)
            table.models.append(ref)
        if group is not None:
            table.model_groups.append((group, members))
        for j, col in enumerate(bench_cols):
            bench = words.read_benchmark(labels[col] or f"Column {col + 1}")
            shots = bench.shots
            cot = bench.cot
            if col in shots_of:
                shots, says_cot = words.read_shots(shots_of[col])
                cot = cot or says_cot
                bench_label = bench.label
            else:
                bench_label = bench.label
            brow = BRow(
                bench=words.BenchName(
                    bench.name, bench_label, shots, bench.metric or metric_of.get(col), cot
                ),
                line=grid.line,
            )
            i = 0
            for row in rows:
                if _group_row(row) or not row[name_col].text:
                    continue
                cell = row[col]
                if cell.text:
                    brow.cells[i] = _value(cell)
                i += 1
            if brow.cells:
                table.rows.append(brow)
            del j
        if not table.rows or not table.models:
            return None
        return table

    def _footnotes(self, table: RTable) -> None:
        """Footnotes under a table: ``* text`` or ``marked with * ...`` lines become marks."""
        kept: list[str] = []
        for note in table.notes:
            for piece in re.split(r"\s*•\s*", note):
                piece = piece.strip()
                if not piece:
                    continue
                marked = re.search(r"marked with (\*+|†|‡|\^?\d)", piece)
                starts = re.match(r"^(\*{1,3}|†|‡|\^\d|\[\d\])\s+(.+)$", piece)
                if marked:
                    table.footnotes.append((marked.group(1), piece))
                elif starts:
                    table.footnotes.append((starts.group(1), starts.group(2)))
                else:
                    kept.append(piece)
        table.notes = kept

    def skip(self, cell: Cell, reason: str, where: str) -> None:
        self.skipped.append(Skipped(cell.line, cell.text, where, reason))


# =========================================================================== helpers


_GENERIC_TITLE = re.compile(
    r"(?:table of )?contents?|introduction|overview|model|models|model cards?|usage|how to use|"
    r"介绍|简介|目录|概述|概览|环境|安装|快速(?:入门|开始)(?:测试)?|引用|许可证?|协议|评估|评测|模型|"
    r"模型(?:介绍|简介|信息|概述)|更新|新闻|动态|使用|使用方法|声明|免责声明|"
    r"model (?:information|info|summary|details?|description|overview)|description|summary|"
    r"abstract|about|news|updates?|highlights|evaluations?|results|benchmarks?|performance|"
    r"quick ?start|getting started|requirements|installation|license|citation|"
    r"acknowledge?ments?|disclaimer|limitations|intended use|readme|index|documentation",
    re.I,
)


def _generic_title(text: str) -> bool:
    """A heading that names a part of any card (``Table of Contents``, ``Model Information``),
    never a model family."""
    return bool(_GENERIC_TITLE.fullmatch(words.clean(text).strip(" -:.#*：")))


def _title_name(text: str) -> str:
    text = words.clean(text.replace("`", ""))
    text = re.sub(r"^(?:model card(?: for|:)?|the)\s+", "", text, flags=re.I)
    text = re.sub(r"\s*[-:|(]?\s*\bmodel\s+card\)?$", "", text, flags=re.I)
    if ":" in text:
        head, tail = text.split(":", 1)
        if head.strip() and len(tail.split()) >= 2:
            text = head
    return text.strip(" -:") or "Model"


def _facts_by_model(labels: list[str], body: list[list[Cell]]) -> bool:
    """Rows of facts about models side by side (``Embedding size``, ``Number of layers``,
    ``# Parameters`` under ``2B Dense | 8B Dense``): an architecture table, not scores. Its
    row labels are facts, none a benchmark, and none a model's name."""
    rows = [r[0].text for r in body if r and r[0].text and not _group_row(r)]
    if len(rows) < 3 or len(labels) < 2:
        return False
    if any(words.bench_score(t) >= 2 for t in rows):
        return False
    facts = sum(words.fact_label(t) and words.model_score(t) < 1.5 for t in rows)
    return facts >= 2 * len(rows) / 3


def _variant_name(label: str) -> str:
    """A model's name without what only the table says of it: ``(this model)``, footnote
    marks (``Acme 6B‡``), the Hub organisation before a repository name (``org/Model``)."""
    name = re.sub(r"\s*\((?:this model|ours)\)", "", label, flags=re.I)
    name = re.sub(r"(?<=[\w)])\s*[*†‡§¶¹²³⁴⁵⁶⁷⁸⁹⁰]+$", "", name).strip()
    if re.fullmatch(r"[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*", name):
        name = name.split("/", 1)[1]
    return name or label


def _group_label(group: _Group) -> str:
    ref = group.members[0] if group.members else group.listed
    return ref.label if ref is not None else ""


def _name_before_size(label: str) -> str:
    """``Yi-34B-Chat`` -> ``yi``; ``Llama 3.1 8B`` -> ``llama 3.1``; ``""`` with no size."""
    size = words.size_of(label)
    if not size:
        return ""
    match = re.search(rf"(?<![\w.]){re.escape(size)}(?![\w.])", label, re.I)
    if match is None:
        return ""
    return re.sub(r"[\s_-]+", " ", _variant_name(label[: match.start()])).strip().lower()


def _note_text(text: str) -> str:
    text = re.sub(r"^\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*", "", text.strip(), flags=re.I)
    return " ".join(text.split())


def _separator(row: list[Cell]) -> bool:
    texts = [c.text.strip() for c in row if c.text.strip()]
    return bool(texts) and all(re.fullmatch(r"[-=:+|_ ]{3,}", t) for t in texts)


def _group_row(row: list[Cell]) -> bool:
    """A row that only names a group of the rows below it (``*Open weights models:*``)."""
    texts = [c.text for c in row]
    non_empty = [i for i, t in enumerate(texts) if t]
    if not non_empty:
        return False
    if len(non_empty) == 1 and non_empty[0] == 0:
        return not words.is_score(texts[0])
    return (
        len({texts[i] for i in non_empty}) == 1
        and all(row[i].spanned for i in non_empty[1:])
        and len(non_empty) > 1
    )


def _section_text(text: str) -> str:
    return words.clean(text).strip(" :*_").strip() or text


def _header_count(grid: Grid, rows: list[list[Cell]]) -> int:
    if grid.kind in ("pipe", "fenced"):
        return 1
    if grid.header_rows:
        count = grid.header_rows
    else:
        first = rows[0]
        texts = [c.text for c in first if c.text]
        count = 1 if texts and not any(words.is_score(t) for t in texts) else 0
    # a second header row under spanning headings (two-level headers)
    if count == 1 and len(rows) > 2 and any(c.spanned and c.colspan > 1 for c in rows[0]):
        second = [c.text for c in rows[1] if c.text]
        if (
            second
            and not any(words.is_score(t) for t in second)
            and not any(c.spanned and c.colspan > 1 for c in rows[1])
        ):
            count = 2
    return count


def _header_parts(header: list[list[Cell]], col: int) -> list[str]:
    parts: list[str] = []
    for row in header:
        text = row[col].text if col < len(row) else ""
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    return parts


def _group_over_model(parts: list[str]) -> bool:
    """Two header rows where the upper one groups models (``Base models`` over ``Acme-7B``):
    the model's heading is the lower one alone."""
    return (
        len(parts) == 2
        and words.model_score(parts[1]) >= 1.5
        and words.model_score(parts[0]) < 1.5
        and words.bench_score(parts[0]) < 2
    )


def _column_labels(header: list[list[Cell]], width: int) -> list[str]:
    labels: list[str] = []
    for col in range(width):
        parts = _header_parts(header, col)
        if _group_over_model(parts):
            parts = parts[1:]
        labels.append(words.clean(" ".join(parts)))
    return labels


def _column_groups(header: list[list[Cell]], width: int) -> dict[int, str]:
    """The group heading over each model column whose label is the lower heading alone."""
    groups: dict[int, str] = {}
    for col in range(width):
        parts = _header_parts(header, col)
        if _group_over_model(parts):
            groups[col] = parts[0]
    return groups


def _kind_of_heading(text: str) -> str | None:
    """``base`` or ``chat`` when a heading over some columns says which models they are."""
    low = text.lower()
    base = any(re.search(rf"(?<![a-z]){w}(?![a-z])", low) for w in _BASE_CTX)
    chat = any(re.search(rf"(?<![a-z]){w}(?![a-z])", low) for w in _CHAT_CTX)
    return "base" if base and not chat else "chat" if chat and not base else None


def _quantity_column(body: list[list[Cell]], col: int) -> bool:
    """Whether a label column holds quantities (``87.9k``, ``128K``, ``7B``) in most rows."""
    values = [r[col].text for r in body if r[col].text and not r[col].spanned]
    sizes = sum(words.is_sizeish(v) for v in values)
    return bool(values) and sizes >= max(2, 0.6 * len(values))


def _role(label: str) -> str | None:
    low = words.clean(label).lower().strip(" :")
    for role, names in _ROLE_NAMES.items():
        if low in names:
            return role
    if low.startswith("benchmark") or low.startswith("task") or low.startswith("dataset"):
        return "benchmark"
    if "shot" in low and len(low) < 16:
        return "shots"
    return None


def _value(cell: Cell) -> Value:
    text = cell.text
    return Value(text, cell.line, missing=is_missing_mark(text))


def _listify(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _same_model(name: str, hub: str) -> bool:
    return words.tokens(name) == words.tokens(hub.split("/", 1)[-1])


# =========================================================================== building


class _Builder:
    """Turns the interpreted tables into the card's files."""

    def __init__(self, it: _Interpreter) -> None:
        self.it = it
        self.doc = it.doc
        self.variants: dict[str, dict[str, Any]] = {}
        self.variant_order: list[str] = []
        self.variant_notes: dict[str, list[str]] = {}
        self.anchor_ids: dict[str, set[str]] = {}
        self.scores = 0
        self.repo_names: set[str] = set()

    # ------------------------------------------------------------------- ids

    def new_id(self, text: str, space: str, fallback: str) -> str:
        used = self.anchor_ids.setdefault(space, set())
        base = slug_of(text, fallback)[:56].strip("-") or fallback
        if base in GENERATED_ANCHORS or base in WINDOWS_RESERVED:
            base = f"{base}-{fallback}"
        candidate = base
        n = 2
        while candidate in used:
            candidate = f"{base}-{n}"
            n += 1
        used.add(candidate)
        return candidate

    # ------------------------------------------------------------------- variants

    def build(self) -> Imported:
        own_keys = self._own_names()
        refs = [m for t in self.it.results for m in t.models]
        self._model_index_refs()
        refs = [m for t in self.it.results for m in t.models]
        self._resolve(refs + self.it.model_list, own_keys)
        self._name_from_own_models()
        files: dict[str, dict[str, Any]] = {}
        files["family.yaml"] = self._family()
        results = self._results()
        files["variants.yaml"] = {"variants": [self.variants[v] for v in self.variant_order]}
        if results["results"]:
            files["results.yaml"] = results
        tables = self._tables()
        if tables:
            files["tables.yaml"] = {"tables": tables}
        files["prose.yaml"] = self._prose()
        imported = Imported(
            files=files,
            tables=self.it.summaries,
            skipped=self.it.skipped,
            notes=self.it.notes,
            variants=len(self.variant_order),
            scores=self.scores,
        )
        return imported

    def _own_names(self) -> list[frozenset[str]]:
        keys = [words.tokens(self.it.family_name)]
        meta = self.doc.metadata
        for entry in self.doc.raw_model_index:
            if isinstance(entry, dict) and isinstance(entry.get("name"), Raw):
                keys.append(words.tokens(entry["name"].text))
        if isinstance(meta.get("model_name"), str):
            keys.append(words.tokens(meta["model_name"]))
        for ref in self.it.model_list:
            keys.append(words.tokens(ref.label))
        return [k for k in keys if k]

    def _family_core(self) -> frozenset[str]:
        """The family's name without its size and kind: the words every own model's name
        contains (a card titled ``X-7B-Instruct`` also owns ``X-7B``). A name taken from the
        file also drops the size words of a family (``mini``, ``large``): the file names one
        member, its siblings are the card's too."""
        toks = words.tokens(self.it.family_name)
        size = words.size_of(self.it.family_name)
        if size:
            number = size[:-1].lower()
            toks = toks - {number, "b", "m"}
        toks = toks - {"model", "card", "for", "the"}
        if len(toks - words.kind_tokens()) >= 1:
            toks = toks - words.kind_tokens()
        from_file = bool(self.it.family_review and "its file" in self.it.family_review)
        if from_file and len(toks - words.MEMBER_WORDS) >= 2:
            toks = toks - words.MEMBER_WORDS
        return toks

    def _name_from_own_models(self) -> None:
        """A card with no title is named after the name its own models share
        (``Acme 3.2 1B`` and ``Acme 3.2 3B``: ``Acme 3.2``), not after its file."""
        review = self.it.family_review or ""
        if "its file" not in review and "alt text" not in review:
            return
        names = [
            re.sub(r"\s*\([^()]*\)\s*$", "", v["name"]).strip()
            for v in self.variants.values()
            if not v.get("comparison")
        ]
        names = [n for n in dict.fromkeys(names) if n]
        if not names:
            return
        shared = names[0]
        for name in names[1:]:
            n = 0
            while n < min(len(shared), len(name)) and shared[n].lower() == name[n].lower():
                n += 1
            shared = shared[:n]
        if len(names) > 1 and shared and not re.search(r"[\s_-]$", shared):
            longest = max(names, key=len)
            if len(shared) < len(longest) and longest[len(shared)].isalnum():
                shared = re.sub(r"[^\s_-]*$", "", shared)  # back to a word boundary
        shared = shared.strip(" _-/(")
        while shared:
            last = re.split(r"[\s_-]", shared)[-1]
            member = last.lower() in words.MEMBER_WORDS
            if not (words.size_of(last) or words.kind_of(last) or member):
                break
            shared = shared[: len(shared) - len(last)].rstrip(" _-")
        if len(shared) >= 2 and re.search(r"[A-Za-z]", shared):
            self.it.family_name = shared
            self.it.family_review = (
                "the card has no title; named after the name its own models share"
            )

    def _is_own(self, ref: ModelRef, own_keys: list[frozenset[str]]) -> str | None:
        label = ref.label
        if re.search(r"\((?:this model|ours)\)", label, re.I) or label.lower().endswith(" (ours)"):
            return "the card marks it as its own"
        key = words.tokens(label)
        if any(key == k for k in own_keys):
            return "its name is the card's"
        if ref.own_hint:
            return ref.own_hint
        core = self._family_core()
        if len("".join(sorted(core))) >= 3 and core <= key:
            return f"its name contains the card's name ({self.it.family_name})"
        size = words.size_of(label)
        if size and not (key - words.tokens(size) - words.kind_tokens() - words.SIZE_ONLY_WORDS):
            return "named only by its size (the card's own model at that size)"
        return None

    def _model_index_refs(self) -> None:
        """The front matter's model-index: one results table of its own."""
        entries = [e for e in self.doc.raw_model_index if isinstance(e, dict)]
        for entry in entries:
            results = entry.get("results")
            if not isinstance(results, list) or not results:
                continue
            name = entry.get("name")
            label = name.text if isinstance(name, Raw) else self.it.family_name
            line = name.line if isinstance(name, Raw) else 1
            ref = ModelRef(
                label=words.clean(label) or self.it.family_name,
                line=line,
                table=len(self.it.results),
            )
            ref.own_hint = "the front matter's model-index gives this model's own results"
            table = RTable(
                title="Model index (front matter)",
                line=line,
                end_line=line,
                source=f"front matter model-index (line {line})",
                layout="models-as-columns",
                models=[ref],
                rows=[],
                kind="model-index",
            )
            for result in results:
                if not isinstance(result, dict):
                    continue
                dataset = result.get("dataset") if isinstance(result.get("dataset"), dict) else {}
                dname = dataset.get("name") if isinstance(dataset, dict) else None
                dtype = dataset.get("type") if isinstance(dataset, dict) else None
                ds_name = (dname.text if isinstance(dname, Raw) else None) or (
                    dtype.text if isinstance(dtype, Raw) else "Result"
                )
                args = dataset.get("args") if isinstance(dataset, dict) else None
                few = args.get("num_few_shot") if isinstance(args, dict) else None
                metrics = result.get("metrics")
                if not isinstance(metrics, list):
                    continue
                bench = words.read_benchmark(ds_name)
                for metric in metrics:
                    if not isinstance(metric, dict):
                        continue
                    value = metric.get("value")
                    if not isinstance(value, Raw):
                        continue
                    mtype = metric.get("type")
                    mname = metric.get("name")
                    metric_text = (
                        mtype.text
                        if isinstance(mtype, Raw) and mtype.text != "unknown"
                        else mname.text
                        if isinstance(mname, Raw)
                        else None
                    )
                    shots = bench.shots or (few.text if isinstance(few, Raw) else None)
                    brow = BRow(
                        bench=words.BenchName(
                            bench.name, bench.label, shots, metric_text, bench.cot
                        ),
                        line=value.line,
                    )
                    brow.cells[0] = Value(value.text, value.line)
                    table.rows.append(brow)
            if table.rows:
                self.it.results.append(table)
                if not words.tokens(label) & self._family_core() and len(entries) == 1:
                    ref.disambiguator = "index"
                    table.reviews.append(
                        f"the model-index names {label!r}, not the card's model "
                        f"({self.it.family_name}); its results are attributed to the card's model"
                    )

    def _resolve(self, refs: list[ModelRef], own_keys: list[frozenset[str]]) -> None:
        """One variant per model.

        * The same model spelled differently in two tables (``LLaMA3.1 405B`` /
          ``LLaMA-3.1 405B``) is one variant: the names match once normalised.
        * A model the card lists with a link to the Hub is one variant under all the names
          that reach it (the link's text, the Hub repository's name).
        * A name with no kind word printed in a table about base (or chat) models joins the
          variant whose name adds that word, when there is one (``DeepSeek-V3`` in the base
          table is ``DeepSeek-V3-Base``).
        * A name printed both in tables of base models and of chat models, with no such
          variant, is two variants.
        """
        groups: list[_Group] = []
        alias: dict[frozenset[str], _Group] = {}
        for ref in self.it.model_list:
            hub = ref.disambiguator or ""
            existing = next((g for g in groups if hub and g.hub == hub), None)
            if existing is None:
                existing = _Group(key=words.tokens(ref.label), listed=ref, hub=hub or None)
                groups.append(existing)
            for key in (words.tokens(ref.label), words.tokens(hub.split("/")[-1]) if hub else None):
                if key:
                    alias.setdefault(key, existing)
        # a name that is exactly one listed model's Hub repository names that model, even when
        # another model's link text reads the same (``Doge-60M`` linking to a checkpoint repo)
        self.repo_names = {g.hub.split("/", 1)[1] for g in groups if g.hub and "/" in g.hub}
        for group in groups:
            if group.hub and "/" in group.hub:
                alias[words.tokens(group.hub.split("/", 1)[1])] = group
        table_refs = [r for r in refs if r.table >= 0]
        label_keys = {words.tokens(r.label) for r in table_refs}
        main_key = words.tokens(self.it.family_name)
        by_key: dict[frozenset[str], _Group] = {}
        for ref in table_refs:
            key = words.tokens(ref.label)
            if ref.disambiguator == "index":
                main = self._main_group(groups, by_key, alias, main_key)
                if main is not None:
                    main.members.append(ref)
                    continue
                key = main_key
            sized = (
                key | words.tokens(ref.size) if ref.size and not words.size_of(ref.label) else key
            )
            group = None
            if ref.ctx and not (key & words.kind_tokens()):
                addition = {"base": ("base", "pretrained"), "chat": ("instruct", "chat")}[ref.ctx]
                for word in addition:
                    wanted = key | {word}
                    if wanted in alias or wanted in by_key or wanted in label_keys:
                        group = alias.get(wanted) or by_key.get(wanted)
                        if group is None:
                            group = _Group(key=wanted)
                            by_key[wanted] = group
                            groups.append(group)
                        ref.disambiguator = f"ctx:{word}"
                        break
            if group is None:
                group = alias.get(sized) or alias.get(key)
            if group is None:
                group = by_key.get(sized)
                if group is None:
                    group = _Group(key=sized)
                    by_key[sized] = group
                    groups.append(group)
            group.members.append(ref)
        final: list[_Group] = []
        for group in groups:
            contexts = {m.ctx for m in group.members if m.ctx and not m.disambiguator}
            if group.listed is None and len(contexts) > 1 and not (group.key & words.kind_tokens()):
                for c in sorted(contexts):
                    part = [m for m in group.members if m.ctx == c]
                    final.append(_Group(key=group.key, members=part, ctx_tag=c))
                rest = [m for m in group.members if m.ctx not in contexts]
                if rest:
                    final.append(_Group(key=group.key, members=rest))
            elif group.members or group.listed:
                final.append(group)
        seen: set[str] = set()
        made = [(g, self._is_own_group(g, own_keys)) for g in final]
        if not any(own for _, own in made):
            made = self._closest_to_file_name(made)
        if not any(own for _, own in made):
            made = self._named_in_the_opening(made)
        made = self._siblings_of_own(made)
        for group, own in [*[x for x in made if x[1]], *[x for x in made if not x[1]]]:
            self._variant(group, own, seen)

    def _closest_to_file_name(
        self, made: list[tuple[_Group, str | None]]
    ) -> list[tuple[_Group, str | None]]:
        """A card named after its file owns the models whose names share most of the file
        name's words (``acme-3-mini-4k-x``: ``Acme-3-Mini-4K-Ins``), when none is its own
        by any other sign."""
        if not (self.it.family_review and "its file" in self.it.family_review):
            return made
        core = self._family_core()
        if len(core) < 3:
            return made
        overlap = [len(core & g.key) / len(core) for g, _ in made]
        best = max(overlap, default=0.0)
        if best < 0.75:
            return made
        reason = f"its name shares most words of the card's file name ({self.it.family_name})"
        return [
            (g, reason if o == best else own) for (g, own), o in zip(made, overlap, strict=True)
        ]

    def _siblings_of_own(
        self, made: list[tuple[_Group, str | None]]
    ) -> list[tuple[_Group, str | None]]:
        """A card named after its file whose own model shows only by a mark (``**Yi-34B**``
        in bold) also owns the models named like it up to their size (``Yi-6B``,
        ``Yi-34B-Chat``), not those of another name or version (``Yi-1.5-9B``, ``LLaMA2-34B``).
        """
        if not (self.it.family_review and "its file" in self.it.family_review):
            return made
        owners = {_name_before_size(_group_label(g)): _group_label(g) for g, own in made if own}
        owners.pop("", None)
        if not owners:
            return made
        out: list[tuple[_Group, str | None]] = []
        for group, own in made:
            owner = owners.get(_name_before_size(_group_label(group)))
            if own is None and owner is not None:
                own = f"named like the card's own {owner}"
            out.append((group, own))
        return out

    def _named_in_the_opening(
        self, made: list[tuple[_Group, str | None]]
    ) -> list[tuple[_Group, str | None]]:
        """A card with no other sign of its own model owns the one its opening paragraph names
        (``We evaluated `acme-4` ...`` with a column ``**acme-4** (14B)``)."""
        opening = next(
            (b.text for b in self.it.blocks if b.kind == "prose" and len(b.text) >= 40), ""
        ).lower()
        if not opening:
            return made
        found: list[tuple[int, int]] = []
        for index, (group, _) in enumerate(made):
            labels = [m.label for m in group.members] + (
                [group.listed.label] if group.listed else []
            )
            for label in labels:
                name = re.sub(r"\s*\([^()]*\)\s*", " ", label).strip().lower()
                if len(name) >= 4 and re.search(
                    rf"(?<![\w.-]){re.escape(name)}(?![\w-]|\.\w)", opening
                ):
                    found.append((len(name), index))
        if not found:
            return made
        best = max(n for n, _ in found)
        chosen = {i for n, i in found if n == best}
        reason = "the card's opening paragraph names it"
        return [(g, reason if i in chosen else own) for i, (g, own) in enumerate(made)]

    def _main_group(
        self,
        groups: list[_Group],
        by_key: dict[frozenset[str], _Group],
        alias: dict[frozenset[str], _Group],
        main_key: frozenset[str],
    ) -> _Group | None:
        """The variant that is the card's model itself, for results that name no model."""
        if main_key in alias:
            return alias[main_key]
        if main_key in by_key:
            return by_key[main_key]
        core = self._family_core()
        for group in groups:
            if (
                group.members
                and core
                and core <= group.key
                and not (group.key & words.kind_tokens() - {"base"})
            ):
                return group
        return None

    def _is_own_group(self, group: _Group, own_keys: list[frozenset[str]]) -> str | None:
        for m in group.members:
            reason = self._is_own(m, own_keys)
            if reason:
                return reason
        if group.listed is not None:
            return "the card lists it with a link to its weights"
        return None

    def _variant(self, group: _Group, own_reason: str | None, seen: set[str]) -> None:
        members = group.members
        listed = group.listed
        first = members[0] if members else listed
        assert first is not None
        notes: list[str] = []
        repo = group.hub.split("/", 1)[1] if group.hub else None
        printed = [m.label for m in members] + ([listed.label] if listed else [])
        if repo and repo in printed:
            name = repo  # the name as printed that is also the Hub repository's
        elif listed is not None:
            name = listed.label
        elif members:
            name = members[0].label
        else:
            name = first.label
        if "/" in name and group.hub and name == group.hub:
            name = group.hub.split("/", 1)[1]
        if repo and name != repo and name in self.repo_names:
            name = repo  # another listed model's repository is named so: use this one's
        name = _variant_name(name)
        if _GENERIC_VALUE.fullmatch(name.lower()) or _OURS.fullmatch(name.lower()):
            name = self.it.family_name  # the card's own model, under a ``Score`` heading
        for m in members:
            if m.disambiguator and m.disambiguator.startswith("ctx:"):
                notes.append(
                    f"printed {m.label!r} in a table about {m.ctx} models: taken as {name}"
                )
                break
        labels = list(dict.fromkeys(m.label for m in members))
        if len(labels) > 1:
            notes.append(
                "one variant for "
                + ", ".join(repr(x) for x in labels)
                + ": the same name once normalised"
            )
            self.it.notes.append(f"one variant {name!r} for {', '.join(repr(x) for x in labels)}")
        if group.ctx_tag:
            notes.append(
                f"{first.label!r} is printed in tables of base and of chat models: "
                f"this is the one in the {group.ctx_tag} tables"
            )
            name = f"{name} ({group.ctx_tag})"
        size = next((m.size for m in members if m.size), None) or (listed.size if listed else None)
        if name in seen:
            extra = size or str(len(seen))
            name = f"{name} ({extra})"
            notes.append(f"two models are printed as {first.label!r}: told apart by {extra}")
        seen.add(name)
        vid = self.new_id(name, "variant-ids", "model")
        for m in members:
            m.variant = vid
        if listed is not None:
            listed.variant = vid
        variant: dict[str, Any] = {"id": vid, "name": name}
        kind = words.kind_of(name)
        why = "its name"
        if kind is None and listed is not None and listed.own_hint:
            kind, why = words.kind_of(listed.own_hint), "the model list's heading"
        contexts = {m.ctx for m in members if m.ctx}
        if kind is None and len(contexts) == 1:
            kind = {"base": "pretrained", "chat": "instruct"}[contexts.pop()]
            why = "the heading over its table"
        if kind is None and own_reason and self.doc.metadata.get("base_model"):
            kind, why = "fine-tuned", "the front matter names a base model"
        if kind:
            variant["kind"] = kind
            notes.append(f"kind from {why}")
        if size:
            variant["size"] = size
        elif words.size_of(name):
            variant["size"] = words.size_of(name)
            notes.append("size from its name")
        if own_reason is None:
            variant["comparison"] = True
            notes.insert(0, "compared with (not the card's own: its name is not the card's)")
        elif own_reason not in ("its name is the card's", "the card marks it as its own"):
            notes.insert(0, f"the card's own: {own_reason}")
        if group.hub:
            variant["hub_id"] = group.hub
        facts: list[dict[str, Any]] = []
        fact_ids: set[str] = set()
        for m in [*([listed] if listed else []), *members]:
            for label, value in m.facts:
                fid = slug_of(label, "fact")
                if fid in fact_ids or not value.strip():
                    continue
                fact_ids.add(fid)
                facts.append({"label": (words.clean(label) or label)[:300], "value": value[:5000]})
        if facts:
            variant["facts"] = facts
        variant["source"] = (
            "; ".join(f"line {m.line}" for m in members[:3]) if members else "model list (table)"
        )
        if notes:
            self.variant_notes[vid] = notes
        self.variants[vid] = variant
        self.variant_order.append(vid)

    def _derivations(self) -> None:
        by_key = {words.tokens(v["name"]): vid for vid, v in self.variants.items()}
        kinds = words.kind_tokens()
        for vid in self.variant_order:
            v = self.variants[vid]
            kind = v.get("kind")
            kind = kind.value if isinstance(kind, Reviewed) else kind
            if kind not in ("quantized", "instruct", "chat", "fine-tuned", "reward") or v.get(
                "comparison"
            ):
                continue
            key = words.tokens(v["name"])
            stripped = key - kinds - {"4", "8"} if kind == "quantized" else key - kinds
            candidates = [stripped] if kind == "quantized" else []
            candidates += [stripped | {"base"}, stripped, stripped | {"pretrained"}]
            if kind == "quantized":
                candidates = [
                    key
                    - {
                        "4bits",
                        "8bits",
                        "4bit",
                        "8bit",
                        "int4",
                        "int8",
                        "gptq",
                        "awq",
                        "gguf",
                        "fp8",
                        "quantized",
                        "bits",
                        "bit",
                        "4",
                        "8",
                    }
                ]
            if kind == "quantized":
                plain = words.tokens(words.without_quantization(v["name"]))
                # the full-precision sibling printed beside it (``... 1B bf16``) comes first
                precise = [plain | words.tokens(p) for p in ("bf16", "fp16", "fp32")]
                candidates[:0] = [*precise, plain]
            base_model = self.doc.metadata.get("base_model")
            bases = _listify(base_model)
            if len(bases) == 1:
                candidates.append(words.tokens(bases[0].split("/")[-1]))
            for cand in candidates:
                other = by_key.get(cand)
                if other and other != vid:
                    v["derived_from"] = Reviewed(
                        other,
                        f"derived from {self.variants[other]['name']}: "
                        "same name without the kind word",
                    )
                    if kind == "quantized":
                        v["compare_with"] = Reviewed(
                            [other], "compared with the model it quantizes"
                        )
                    break

    # ------------------------------------------------------------------- family.yaml

    def _family(self) -> dict[str, Any]:
        meta = self.doc.metadata
        family: dict[str, Any] = {"name": self.it.family_name}
        if self.it.family_review:
            family["name"] = Reviewed(self.it.family_name, self.it.family_review)
        developer = _run_in(
            self.doc.body, ("developed by", "model developer", "developer", "organization")
        )
        if developer:
            family["developer"] = Reviewed(
                developer[:300], "read from the card's 'developed by' line"
            )
        summary = self._summary()
        if summary:
            family["summary"] = Reviewed(summary, "the card's first paragraph")
        license_id = meta.get("license")
        license_text = _run_in(self.doc.body, ("license",)) or self._license_section()
        if isinstance(license_id, str) or license_text:
            lic: dict[str, Any] = {}
            name = license_text or (license_id if isinstance(license_id, str) else "")
            lic["name"] = name[:300]
            if isinstance(license_id, str) and re.fullmatch(
                r"[A-Za-z0-9][A-Za-z0-9.+-]{0,63}", license_id
            ):
                lic["id"] = license_id
            if license_text and isinstance(license_id, str):
                lic["name"] = Reviewed(
                    lic["name"], f"from the card's License line; the front matter says {license_id}"
                )
            family["license"] = lic
        facts: list[dict[str, Any]] = []
        fact_ids: set[str] = set()
        for label, value, source in self.it.family_facts:
            fid = slug_of(label, "fact")
            if fid in fact_ids:
                continue
            fact_ids.add(fid)
            facts.append(
                {
                    "label": words.clean(label)[:300] or "Fact",
                    "value": value,
                    "source": source[:5000],
                }
            )
        for key, label in (("base_model", "Base model"), ("datasets", "Datasets")):
            items = _listify(meta.get(key))
            fid = slug_of(label)
            if items and fid not in fact_ids:
                fact_ids.add(fid)
                facts.append(
                    {"label": label, "value": ", ".join(items)[:5000], "source": "front matter"}
                )
        if facts:
            family["facts"] = facts
        languages = []
        for code in _listify(meta.get("language")):
            code = code.strip()
            if not re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", code):
                continue
            entry: dict[str, Any] = {
                "code": code,
                "name": words.LANGUAGE_NAMES.get(code.split("-")[0], code),
            }
            if code.split("-")[0] in words.NATIVE_NAMES:
                entry["native_name"] = words.NATIVE_NAMES[code.split("-")[0]]
            if entry not in languages:
                languages.append(entry)
        if languages:
            family["languages"] = languages
        links = self._links()
        if links:
            family["links"] = links
        tag = meta.get("pipeline_tag")
        if isinstance(tag, str) and re.fullmatch(r"[a-z0-9-]{1,64}", tag):
            family["pipeline_tag"] = tag
        family["source"] = f"imported from {self.doc.path.name}"
        return {"family": family}

    def _license_section(self) -> str | None:
        """The licenses a ``License`` section's first paragraph links to (``[Apache 2.0](...)
        and [Community License for X](...)``), when the card has no ``License:`` line."""
        blocks = self.it.blocks
        for i, block in enumerate(blocks):
            if block.kind != "heading" or not re.search(r"\blicen[cs]es?\b", block.text, re.I):
                continue
            nxt = next((b for b in blocks[i + 1 :] if b.kind != "fence"), None)
            if nxt is None or nxt.kind != "prose":
                continue
            lines = self.doc.body_lines(nxt.line, nxt.end_line)
            names = [
                words.clean(re.sub(r"^the\s+", "", inline_plain(t), flags=re.I))
                for t in re.findall(r"(?<!!)\[([^\]\n]{2,120})\]\([^)\s]+\)", lines)
                if _LICENSE_NAME.search(t)
            ]
            names = list(dict.fromkeys(n for n in names if n))
            return " and ".join(names)[:300] if names else None
        return None

    def _summary(self) -> str | None:
        under_news = False
        for block in self.it.blocks:
            if block.kind == "heading":
                under_news = bool(_NEWS_HEADING.search(block.text))
                continue
            if under_news or re.match(r"\s*\[?\d{4}[./-]\d{1,2}", block.text):
                continue  # release news is no summary
            if block.kind == "prose" and len(block.text) >= 80 and not block.after_table:
                text = block.text.strip()
                first = self.doc.line_text(block.line).lstrip()
                listed = re.match(r"(?:[-*+]|\d+[.)])\s", first)
                if (
                    text.startswith(("![", "<", "|"))
                    or first.startswith(("<", "[!", "!"))
                    or listed
                ):
                    continue  # badges, logos and HTML are no summary
                return text[:5000]
        return None

    def _links(self) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        seen: set[str] = set()
        url_ok = re.compile(
            r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\s<>\"'`\\()\[\]|]*)?$"
        )
        body = self.doc.body
        found: list[tuple[int, str, str]] = []
        # an image inside a link (a badge, a logo): titled by the image's alt text, badges
        # (shields and the like) left out
        image_link = re.compile(
            r"\[!\[([^\]\n]{0,200})\]\(([^)\s]+)[^)\n]*\)\]\((https?://[^)\s]+)\)"
        )
        for m in image_link.finditer(body):
            alt, image, url = m.groups()
            if not (_BADGE.search(image) or _BADGE.search(url) or _BADGE.search(alt)):
                found.append((m.start(), alt, url))
        plain = image_link.sub(lambda m: " " * len(m.group(0)), body)
        for m in re.finditer(r"(?<!!)\[([^\]\n]{1,200})\]\((https?://[^)\s]+)\)", plain):
            if "![" not in m.group(1) and not _BADGE.search(m.group(2)):
                found.append((m.start(), m.group(1), m.group(2)))
        for _, text, url in sorted(found):
            title = words.clean(inline_plain(text))
            if not title or not url_ok.match(url) or url.rstrip("/") in seen or len(url) > 2000:
                continue
            seen.add(url.rstrip("/"))
            out.append({"title": title[:300], "url": url})
            if len(out) >= 60:
                break
        return out

    # ------------------------------------------------------------------- results.yaml

    def _results(self) -> dict[str, Any]:
        self._derivations()
        categories: list[dict[str, Any]] = []
        category_ids: dict[str, str] = {}
        tables: list[Any] = []
        for table in self.it.results:
            tid = self.new_id(
                table.title if table.kind != "model-index" else "model-index",
                "category-page",
                "table",
            )
            columns: dict[str, str] = {}
            index_to_vid: dict[int, str] = {}
            for i, ref in enumerate(table.models):
                if ref.variant in columns:
                    # the same model twice in one table: keep the first column
                    for row in table.rows:
                        for cells in [row.cells, *[s[2] for s in row.subsets]]:
                            if i in cells and words.has_number(cells[i].text):
                                self.it.skipped.append(
                                    Skipped(
                                        cells[i].line,
                                        cells[i].text,
                                        table.title,
                                        f"a second column for {ref.label!r} in one table",
                                    )
                                )
                    continue
                columns[ref.variant] = ref.label
                index_to_vid[i] = ref.variant
            rows_out: list[Any] = []
            scores = missing = 0
            row_ids: set[str] = set()
            for row in table.rows:
                cat_id = None
                if row.category:
                    if row.category not in category_ids:
                        cid = self.new_id(row.category, "variant-page", "category")
                        category_ids[row.category] = cid
                        categories.append({"id": cid, "name": row.category[:300]})
                    cat_id = category_ids[row.category]
                bench = row.bench
                base = bench.name
                if slug_of(base) in row_ids or self._taken(slug_of(base)):
                    base = f"{bench.name} {bench.metric or ''} {bench.shots or ''}".strip()
                    if slug_of(base) in row_ids or self._taken(slug_of(base)):
                        base = f"{base} {table.title}"
                rid = self.new_id(base, "category-page", "benchmark")
                row_ids.add(rid)
                out: dict[str, Any] = {"id": rid, "name": bench.name[:300]}
                if bench.label != bench.name:
                    out["label"] = bench.label[:300]
                if cat_id:
                    out["category"] = cat_id
                if (row.group and row.group != row.category) or row.group:
                    out["group"] = row.group[:300]
                if bench.shots:
                    out["shots"] = bench.shots[:300]
                if bench.metric:
                    out["metric"] = bench.metric[:300]
                if bench.cot:
                    out["cot"] = True
                if _LOWER_BETTER.search(f"{bench.label} {bench.metric or ''}"):
                    out["higher_is_better"] = Reviewed(
                        False, "lower is better: the metric's name says so"
                    )
                if table.kind == "model-index":
                    self._index_scale(row, out, table)
                if row.subsets:
                    subsets = []
                    names: set[str] = set()
                    for name, code, cells in row.subsets:
                        if name in names:
                            continue
                        names.add(name)
                        sub: dict[str, Any] = {"name": name[:300]}
                        if code:
                            sub["language"] = code
                        s, m = self._cells(cells, index_to_vid, sub, table.title)
                        scores += s
                        missing += m
                        subsets.append(sub)
                    out["subsets"] = subsets
                else:
                    s, m = self._cells(row.cells, index_to_vid, out, table.title)
                    scores += s
                    missing += m
                if row.notes:
                    out["source"] = ("line " + str(row.line) + "; " + "; ".join(row.notes))[:5000]
                else:
                    out["source"] = f"line {row.line}"
                rows_out.append(out)
            if not rows_out:
                continue
            entry: dict[str, Any] = {"id": tid, "title": table.title[:300], "columns": columns}
            if table.layout != "models-as-columns":
                entry["layout"] = table.layout
            if table.declared_rows:
                entry["declared_rows"] = table.declared_rows
            notes = [n[:5000] for n in table.notes if n]
            for group, members in table.model_groups:
                notes.append(f"{group}: {', '.join(members)}"[:5000])
            if notes:
                entry["notes"] = notes
            if table.footnotes:
                entry["footnotes"] = [{"mark": m, "text": t[:5000]} for m, t in table.footnotes]
            entry["source"] = table.source[:5000]
            entry["rows"] = rows_out
            if table.reviews:
                entry = Reviewed(entry, "; ".join(table.reviews))  # type: ignore[assignment]
            tables.append(entry)
            self.scores += scores
            kind = {"model-index": "model-index", "harness": "results (evaluation output)"}.get(
                table.kind, "results"
            )
            self.it.summaries.append(
                TableSummary(
                    table.title,
                    table.line,
                    kind,
                    scores,
                    missing,
                    table.layout,
                    len(columns),
                    len(rows_out),
                )
            )
        # attach variant review notes now that all are known
        for vid, notes in self.variant_notes.items():
            self.variants[vid] = Reviewed(self.variants[vid], "; ".join(notes))  # type: ignore[assignment]
        self.it.summaries.sort(key=lambda s: s.line)
        return {"categories": categories, "results": tables}

    def _taken(self, rid: str) -> bool:
        return rid in self.anchor_ids.get("category-page", set())

    def _cells(
        self, cells: dict[int, Value], index_to_vid: dict[int, str], out: dict[str, Any], where: str
    ) -> tuple[int, int]:
        scores: dict[str, str] = {}
        missing: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for i, value in cells.items():
            vid = index_to_vid.get(i)
            if vid is None:
                continue
            text = value.text[:300]
            if value.missing:
                reason = (
                    "not_reported" if text.strip() in ("-", "--", "---", "—", "–", "−") else None
                )
                missing[vid] = (
                    {"mark": text, "reason": reason}
                    if reason is None
                    else ("not_reported" if text == "-" else {"mark": text, "reason": reason})
                )
            elif words.is_score(text) or (
                words.has_number(text) and re.match(r"\s*[-+−~≈<>≤≥.\d(]", text)
            ):
                scores[vid] = text
                if value.error:
                    errors[vid] = value.error[:300]
            else:
                missing[vid] = {"mark": text, "reason": None}
        if scores:
            out["scores"] = scores
        if missing:
            out["missing"] = missing
        if errors:
            out["errors"] = errors
        return len(scores), len(missing)

    def _index_scale(self, row: BRow, out: dict[str, Any], table: RTable) -> None:
        """A model-index value printed on another scale than the card's table (``0.9060``
        where the table prints ``90.60``) gets its scale written and a note."""
        value = row.cells.get(0)
        if value is None:
            return
        number = parse(value.text).magnitude
        if number is None:
            return
        vid = table.models[0].variant
        name_key = words.tokens(row.bench.name)
        for other in self.it.results:
            if other is table:
                continue
            for i, ref in enumerate(other.models):
                if ref.variant != vid:
                    continue
                for orow in other.rows:
                    okey = words.tokens(orow.bench.name)
                    if not (okey <= name_key or name_key <= okey) or i not in orow.cells:
                        continue
                    onum = parse(orow.cells[i].text).magnitude
                    if onum is None:
                        continue
                    if 0 < number <= 1 and abs(number * 100 - onum) < 0.6:
                        out["scale"] = Reviewed(
                            "0-1",
                            f"the front matter gives {value.text} where the table "
                            f"{other.title!r} prints {orow.cells[i].text}: a fraction of one",
                        )
                        return

    # ------------------------------------------------------------------- tables.yaml

    def _tables(self) -> list[Any]:
        out: list[Any] = []
        name_to_vid = {
            words.tokens(self._plain(v)["name"]): vid for vid, v in self.variants.items()
        }
        for table in self.it.data:
            tid = self.new_id(table.title, "data-tables", "table")
            self.anchor_ids.setdefault(f"page-{table.page}", set()).add(tid)
            columns = []
            for i, label in enumerate(table.columns):
                col: dict[str, Any] = {"label": label[:300]}
                if i in table.roles:
                    role, unit = table.roles[i]
                    col["role"] = Reviewed(role, "column role read from its heading")
                    if unit:
                        col["unit"] = unit
                columns.append(col)
            rows = []
            for cells, label in zip(table.rows, table.row_labels, strict=False):
                row: dict[str, Any] = {"cells": [c[:300] for c in cells]}
                vid = name_to_vid.get(words.tokens(label)) if label else None
                if vid:
                    row["variants"] = [vid]
                if label.strip().lower() in ("total", "sum", "overall"):
                    row["total"] = True
                rows.append(row)
            if not rows:
                continue
            entry: dict[str, Any] = {"id": tid, "title": table.title[:300], "page": table.page}
            entry["columns"] = columns
            entry["rows"] = rows[:5000]
            if table.notes:
                entry["notes"] = [n[:5000] for n in table.notes]
            entry["source"] = table.source[:5000]
            if table.review:
                entry = Reviewed(entry, table.review)  # type: ignore[assignment]
            out.append(entry)
        return out

    @staticmethod
    def _plain(value: Any) -> Any:
        return value.value if isinstance(value, Reviewed) else value

    # ------------------------------------------------------------------- prose.yaml

    def _prose(self) -> dict[str, Any]:
        lines = self.doc.text.split("\n")
        table_lines: set[int] = set()
        for index, block in enumerate(self.it.blocks):
            if block.kind == "table" or index in self.it.consumed:
                for n in range(block.line, block.end_line + 1):
                    table_lines.add(n)
        headings = [(i, b) for i, b in enumerate(self.it.blocks) if b.kind == "heading"]
        sections: list[Any] = []
        pages: dict[str, dict[str, str]] = {}
        parent_pages: list[tuple[int, str]] = []
        for n, (_index, block) in enumerate(headings):
            start = block.end_line + 1
            end = headings[n + 1][1].line - 1 if n + 1 < len(headings) else len(lines)
            body = [
                lines[k - 1]
                for k in range(start, end + 1)
                if k not in table_lines and 0 < k <= len(lines)
            ]
            markdown = "\n".join(body).strip("\n")
            if markdown:
                markdown += "\n"
            while parent_pages and parent_pages[-1][0] >= block.level:
                parent_pages.pop()
            page = _page_of(block.text)
            if page is None:
                page = parent_pages[-1][1] if parent_pages else "overview"
            if page == "usage":
                pages["usage"] = {"id": "usage", "title": "Usage", "section": "About"}
            parent_pages.append((block.level, page))
            title = words.clean(block.text)[:300] or "Section"
            sid = self.new_id(title, f"page-{page}", "section")
            section: dict[str, Any] = {
                "id": sid,
                "title": title,
                "level": min(max(block.level, 2), 6),
                "page": page,
                "markdown": markdown[:100_000],
                "source": f"line {block.line}",
            }
            sections.append(section)
            if len(sections) >= 500:
                break
        out: dict[str, Any] = {}
        if pages:
            out["pages"] = list(pages.values())
        out["sections"] = sections
        return out


def _page_of(heading: str) -> str | None:
    low = heading.lower()
    rules = (
        ("safety", ("safety", "bias", "risk", "ethic", "responsib", "harm", "limitation")),
        (
            "training",
            ("train", "hardware", "emission", "carbon", "pre-train", "pretrain", "dataset", "data"),
        ),
        (
            "intended-use",
            ("intended", "use case", "out-of-scope", "license", "terms", "usage polic", "misuse"),
        ),
        (
            "benchmarks",
            (
                "evaluat",
                "benchmark",
                "result",
                "performance",
                "leaderboard",
                "comparison",
                "compared",
            ),
        ),
        (
            "usage",
            (
                "how to",
                "usage",
                "inference",
                "deploy",
                "quickstart",
                "quick start",
                "run locally",
                "getting started",
                "installation",
                "prompt format",
                "quantiz",
            ),
        ),
    )
    for page, keys in rules:
        if any(k in low for k in keys):
            return page
    return None


def _run_in(body: str, labels: tuple[str, ...]) -> str | None:
    """The text after a run-in label (``- **Developed by:** Allen Institute``)."""
    for label in labels:
        pattern = re.compile(
            rf"^\s*(?:[-*]\s+)?\*\*\s*{label}\s*:?\s*\*\*\s*:?\s*(.+)$", re.I | re.M
        )
        match = pattern.search(body)
        if match:
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", match.group(1))
            text = words.clean(re.sub(r"[*_`]", "", text)).strip(" .")
            text = re.sub(r"^license:\s*", "", text, flags=re.I)
            if text:
                return text.split(". ")[0][:300]
    return None
