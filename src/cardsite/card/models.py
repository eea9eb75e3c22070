"""The card format: typed, validated data classes and nothing else.

A card folder holds up to seven YAML files; each maps onto one top-level model here
(:data:`CARD_FILES`). Only ``family.yaml`` with a family name is required: a minimal card is a
name, one variant and one results table. :class:`Card` is what the rest of cardsite reads: the
files joined, with every results-table row flattened into a :class:`Benchmark` and one
:class:`Result` per variant and row (and subset).

The format describes what model cards publish, not one card's layout:

* facts are open, ordered label/value lists (the family's, and each variant's overriding them);
* a variant has an open ``kind`` and may be ``derived_from`` any other variant; what it is
  compared with is said (``compare_with``), never guessed;
* results tables keep their published column headings; rows carry the benchmark name, shots,
  metric, group, footnotes and, for benchmarks scored per language or subset, ``subsets``;
* every published value is kept as text, exactly as printed; :mod:`cardsite.card.values`
  reads its form (number, percent, pair, fraction, value ± error, text);
* a missing score keeps the card's own mark and a reason from an open list;
* other tables (training, energy, speed, model information) are kept as published, their
  columns optionally declared as GPU hours or emissions so the training page can chart them;
* prose sections name the page they belong on, including pages the card adds.

Rendering lives elsewhere; this module never formats anything for display.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from cardsite.card import limits, urls
from cardsite.card.values import Published, is_dash, parse

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
"""An id that is safe as a file name and URL part: lowercase letters and digits in words joined
by single dashes, at most 64 characters (``llama-3-1-8b``)."""


def slug_of(text: str, fallback: str = "x") -> str:
    """``"Llama 3.1 8B"`` -> ``"llama-3-1-8b"``: the id a name gets when none is written."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", text).lower())
    slug = "-".join(words)[:64].strip("-")
    return slug or fallback


ONE_LINE_PATTERN = r"^[^\r\n]*$"
Name = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=limits.MAX_NAME, strip_whitespace=True, pattern=ONE_LINE_PATTERN
    ),
]
"""A name, heading or label as published: one line, at most :data:`limits.MAX_NAME` chars."""
Text = Annotated[
    str, StringConstraints(min_length=1, max_length=limits.MAX_TEXT, strip_whitespace=True)
]
"""A sentence or paragraph of plain text (not Markdown)."""
Cell = Annotated[
    str,
    StringConstraints(max_length=limits.MAX_NAME, strip_whitespace=True, pattern=ONE_LINE_PATTERN),
]
"""A table cell as published; may be empty (the card leaves the cell empty)."""
Value = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=limits.MAX_NAME, strip_whitespace=True, pattern=ONE_LINE_PATTERN
    ),
]
"""A published score exactly as printed: ``"80.4"``, ``"81.3%"``, ``"42.2/36.6"``."""

URL_PATTERN = urls.PATTERN
_URL_SCHEMA = {"type": "string", "maxLength": limits.MAX_URL, "pattern": URL_PATTERN}
WebUrl = Annotated[
    str,
    StringConstraints(max_length=limits.MAX_URL),
    AfterValidator(urls.check_web_url),
    WithJsonSchema(_URL_SCHEMA),
]
"""An absolute http(s) address with a host (see :mod:`cardsite.card.urls`)."""
LinkUrl = Annotated[
    str,
    StringConstraints(max_length=limits.MAX_URL),
    AfterValidator(urls.check_link_url),
    WithJsonSchema(_URL_SCHEMA),
]
"""An absolute http(s) address with a host, or a ``mailto:`` address."""
LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
LanguageCode = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
HubId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$"),
]
"""A Hugging Face Hub repository id, ``owner/name``."""
Kind = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,30}$")]
"""An open list; cardsite words these: pretrained, base, instruct, chat, quantized, distilled,
fine-tuned, adapter, merged, reward, other."""
Scale = Literal["0-1", "0-100", "unbounded"]
MissingReason = Literal["not_reported", "not_applicable", "not_evaluated", "not_released"]
PageId = Slug
ColumnRole = Literal["gpu-hours", "power", "emissions", "emissions-market", "energy"]

KNOWN_PAGES: dict[str, str] = {
    "overview": "Overview",
    "training": "Training and environmental impact",
    "intended-use": "Intended use and license",
    "safety": "Responsibility and safety",
    "benchmarks": "Compare",
}
"""Pages every card may fill, by id, with their titles; a card adds others in ``prose.yaml``."""

KINDS: dict[str, tuple[str, str]] = {
    "pretrained": ("Pretrained", "is pretrained; derived from"),
    "base": ("Base", "is a base model derived from"),
    "instruct": ("Instruct", "is the instruction-tuned version of"),
    "chat": ("Chat", "is the chat version of"),
    "quantized": ("Quantized", "is a quantized version of"),
    "distilled": ("Distilled", "is distilled from"),
    "fine-tuned": ("Fine-tuned", "is fine-tuned from"),
    "adapter": ("Adapter", "is an adapter for"),
    "merged": ("Merged", "is merged from"),
    "reward": ("Reward model", "is a reward model built on"),
}
"""Kind -> (its label, how a variant of that kind relates to the one it is derived from)."""


def kind_label(kind: str | None) -> str:
    if kind is None:
        return ""
    return KINDS[kind][0] if kind in KINDS else kind.replace("-", " ").capitalize()


def kind_relation(kind: str | None) -> str:
    return KINDS[kind][1] if kind in KINDS else "is derived from"


class Strict(BaseModel):
    """Base for every card model: unknown keys are errors, ids and names are never coerced."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


def _reason_or_cell(value: Any) -> Any:
    """``not_reported`` is short for ``{reason: not_reported}``."""
    return {"reason": value} if isinstance(value, str) else value


# --------------------------------------------------------------------------- family.yaml


class Link(Strict):
    title: Name = Field(examples=["Evaluation details"])
    url: LinkUrl = Field(examples=["https://example.org/eval.md"])


class License(Strict):
    name: Name = Field(
        description="As the card writes it", examples=["Llama 3.1 Community License"]
    )
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.+-]{0,63}$")] | None = (
        Field(
            None,
            description="SPDX or Hugging Face license id (apache-2.0, mit, llama3.1); "
            "the Hugging Face export writes `other` when absent",
            examples=["apache-2.0"],
        )
    )
    url: WebUrl | None = Field(None, examples=["https://example.org/LICENSE"])
    summary: Text | None = Field(None, examples=["A custom commercial license"])


class Language(Strict):
    code: LanguageCode = Field(description="BCP 47 code", examples=["pt", "zh-Hans"])
    name: Name = Field(description="English name, as the card writes it", examples=["Portuguese"])
    native_name: Name | None = Field(
        None, description="The language's own name for itself", examples=["Português"]
    )


class Fact(Strict):
    """One row of a facts table: a label and a value, both as published."""

    label: Name = Field(examples=["Context length"])
    value: Text = Field(examples=["128k"])
    id: Slug | None = Field(
        None,
        description="Names the fact so a variant's fact can replace the family's; "
        "defaults to the label as an id",
        examples=["context-length"],
    )
    term: Slug | None = Field(
        None, description="Glossary entry explaining the label", examples=["gqa"]
    )
    source: Text | None = Field(None, description="Where in the source card")


class Family(Strict):
    name: Name = Field(
        description="The family's name as the card writes it", examples=["Llama 3.1"]
    )
    id: Slug | None = Field(
        None, description="Defaults to the name as an id (Llama 3.1 -> llama-3-1)"
    )
    developer: Name | None = Field(None, examples=["Meta"])
    release_date: Name | None = Field(
        None, description="As the card writes it", examples=["July 23, 2024"]
    )
    status: Text | None = None
    summary: Text | None = Field(None, description="What the models are, in a paragraph")
    license: License | None = None
    facts: list[Fact] = Field(
        [], max_length=limits.MAX_LIST, description="The family's facts, in the card's order"
    )
    languages: list[Language] = Field(
        [], max_length=limits.MAX_LIST, description="Languages the models support"
    )
    links: list[Link] = Field([], max_length=limits.MAX_LIST)
    version: Name | None = Field(None, description="The card's version, shown on offline copies")
    pipeline_tag: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,64}$")] | None = Field(
        None, description="Hugging Face pipeline tag", examples=["text-generation"]
    )
    results_url: WebUrl | None = Field(
        None, description="Where the published results come from (Hugging Face `source.url`)"
    )
    source: Text | None = None


class ComparisonFamily(Strict):
    """Another model family whose scores the card prints beside its own."""

    id: Slug
    name: Name
    developer: Name | None = None
    note: Text | None = None


class Term(Strict):
    """A glossary entry: a metric name or term the card uses."""

    id: Slug = Field(examples=["gqa"])
    term: Name = Field(examples=["GQA"])
    title: Name = Field(
        description="Short expansion, shown on hover", examples=["Grouped-Query Attention"]
    )
    definition: Text


class FamilyFile(Strict):
    family: Family
    comparison_families: list[ComparisonFamily] = Field([], max_length=limits.MAX_LIST)
    glossary: list[Term] = Field([], max_length=limits.MAX_ENTRIES)


# ------------------------------------------------------------------------- variants.yaml


class Variant(Strict):
    id: Slug = Field(examples=["llama-3-1-8b-instruct"])
    name: Name = Field(
        description="Exactly as the card writes it", examples=["Llama 3.1 8B Instruct"]
    )
    kind: Kind | None = Field(None, examples=["instruct", "quantized"])
    size: Name | None = Field(
        None, description="Parameter count as published", examples=["8B", "1B (1.23B)"]
    )
    derived_from: Slug | None = Field(
        None, description="The variant this one is made from (its kind says how)"
    )
    compare_with: list[Slug] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="Variants this one is compared with on its page (Δ against the first)",
    )
    comparison: StrictBool = Field(False, description="True for another publisher's model")
    family: Slug | None = Field(None, description="A comparison family's id")
    hub_id: HubId | None = Field(None, examples=["meta-llama/Llama-3.1-8B-Instruct"])
    facts: list[Fact] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="Facts of this variant; they replace the family's facts of the same id",
    )
    source: Text | None = None


class VariantsFile(Strict):
    variants: list[Variant] = Field(min_length=1, max_length=limits.MAX_VARIANTS)


# -------------------------------------------------------------------------- results.yaml


class Category(Strict):
    id: Slug = Field(examples=["tool-use"])
    name: Name = Field(description="As the card writes it", examples=["Tool Use"])
    description: Text | None = None


class Metric(Strict):
    """How to read a metric wherever a row names it."""

    name: Name = Field(description="As rows print it", examples=["BPB", "pass@1"])
    higher_is_better: StrictBool = True
    scale: Scale | None = Field(None, description="0-1, 0-100 or unbounded")
    description: Text | None = None


class MissingCell(Strict):
    """A cell with no score: the card's own mark, and why."""

    mark: Cell = Field("-", description="What the card prints", examples=["-", "N/A", "—"])
    reason: MissingReason | None = Field(
        None,
        description="not_reported, not_applicable, not_evaluated or not_released; "
        "absent when the card's mark says why in words",
    )
    note: Text | None = None


Missing = Annotated[MissingCell, BeforeValidator(_reason_or_cell)]


class Footnote(Strict):
    mark: Name = Field(examples=["*", "1"])
    text: Text


class Scores(Strict):
    """A row's cells, by variant id."""

    scores: dict[Slug, Value] = Field({}, description="Variant id -> the score as printed")
    missing: dict[Slug, Missing] = Field({}, description="Variant id -> why there is no score")
    errors: dict[Slug, Value] = Field({}, description="Variant id -> the error (stderr) printed")


class Subset(Scores):
    """A row of a benchmark scored per language or subset."""

    name: Name = Field(description="The row label as printed", examples=["Portuguese", "Python"])
    language: LanguageCode | None = Field(None, description="When the subset is a language")
    footnotes: list[Name] = Field([], max_length=limits.MAX_LIST)


class Row(Scores):
    """One benchmark row of a results table."""

    id: Slug | None = Field(None, description="Defaults to the name as an id")
    name: Name = Field(description="The benchmark, as published", examples=["MMLU"])
    label: Name | None = Field(
        None,
        description="The row label as printed, when it is more than the name",
        examples=["MMLU (5-shot)"],
    )
    category: Slug | None = Field(None, description="Defaults to the table's category")
    group: Name | None = Field(None, description="A section row or group cell the row sits under")
    shots: Name | None = Field(None, examples=["5", "3-5", "0-shot"])
    metric: Name | None = Field(None, examples=["macro_avg/acc_char"])
    cot: StrictBool = Field(False, description="Chain-of-thought prompting")
    higher_is_better: StrictBool | None = Field(None, description="Defaults to the metric's")
    scale: Scale | None = Field(None, description="Defaults to the metric's, else read from values")
    range: tuple[float, float] | None = Field(
        None, description="Bounds every score must lie in, lowest first"
    )
    headline: StrictBool = Field(False, description="Shown in the score-against-size chart")
    footnotes: list[Name] = Field([], max_length=limits.MAX_LIST)
    subsets: list[Subset] = Field([], max_length=limits.MAX_SUBSETS)
    source: Text | None = None

    @field_validator("range")
    @classmethod
    def _ordered(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is None:
            return None
        low, high = value
        bound = float(limits.MAX_MAGNITUDE)
        if not all(math.isfinite(v) and abs(v) <= bound for v in value) or low >= high:
            raise ValueError(
                f"range must be two numbers from -{bound:g} to {bound:g}, lowest first"
            )
        return value

    @model_validator(mode="after")
    def _cells_or_subsets(self) -> Row:
        if self.subsets and (self.scores or self.missing or self.errors):
            raise ValueError("a row holds either scores or subsets, not both")
        return self


class ResultsTable(Strict):
    """A results table of the card, kept apart from others as the card keeps it."""

    id: Slug = Field(examples=["instruct"])
    title: Name = Field(
        description="The heading above the table", examples=["Instruction tuned models"]
    )
    columns: dict[Slug, Name] = Field(
        min_length=1,
        max_length=limits.MAX_VARIANTS,
        description="Variant id -> the column heading as printed, in the card's order",
    )
    category: Slug | None = Field(None, description="The rows' category unless a row says")
    compare_with: dict[Slug, Slug] = Field(
        {}, description="Variant id -> the variant it is compared with in this table"
    )
    layout: Literal["models-as-columns", "models-as-rows"] = Field(
        "models-as-columns", description="How the card prints it (models as rows: transposed)"
    )
    declared_rows: int | None = Field(
        None, ge=1, description="A rowspan the card declares, checked against the rows it has"
    )
    notes: list[Text] = Field([], max_length=limits.MAX_LIST)
    footnotes: list[Footnote] = Field([], max_length=limits.MAX_LIST)
    rows: list[Row] = Field(min_length=1, max_length=limits.MAX_ROWS)
    source: Text | None = None


class ResultsFile(Strict):
    categories: list[Category] = Field([], max_length=limits.MAX_ENTRIES)
    metrics: list[Metric] = Field([], max_length=limits.MAX_ENTRIES)
    results: list[ResultsTable] = Field(min_length=1, max_length=limits.MAX_TABLES)


# --------------------------------------------------------------------------- tables.yaml


class Column(Strict):
    label: Cell = Field(description="The heading as printed (may be empty)")
    role: ColumnRole | None = Field(
        None, description="gpu-hours, power, emissions (tCO2eq), emissions-market, energy"
    )
    unit: Name | None = Field(None, description="For charted columns", examples=["tCO2eq", "MWh"])


class TableRow(Strict):
    cells: list[Cell] = Field(
        max_length=limits.MAX_COLUMNS,
        description="The row's cells as printed; '' for an empty cell",
    )
    variants: list[Slug] = Field(
        [], max_length=limits.MAX_LIST, description="The variants this row is about"
    )
    total: StrictBool = Field(False, description="A totals row (checked against the others)")
    footnotes: list[Name] = Field([], max_length=limits.MAX_LIST)


class DataTable(Strict):
    """Any other table of the card, as published."""

    id: Slug = Field(examples=["training-emissions"])
    title: Name
    page: PageId = Field("overview", description="The page that shows the table")
    columns: list[Column] = Field(min_length=1, max_length=limits.MAX_COLUMNS)
    rows: list[TableRow] = Field(min_length=1, max_length=limits.MAX_ROWS)
    notes: list[Text] = Field([], max_length=limits.MAX_LIST)
    footnotes: list[Footnote] = Field([], max_length=limits.MAX_LIST)
    source: Text | None = None


class TablesFile(Strict):
    tables: list[DataTable] = Field(max_length=limits.MAX_TABLES)


# ---------------------------------------------------------------------------- prose.yaml


class PageDef(Strict):
    """A page the card adds (for sections with no home among the standard pages)."""

    id: PageId = Field(examples=["deployment"])
    title: Name = Field(examples=["Deployment"])
    section: Name = Field("About", description="The nav section")


class Section(Strict):
    """A prose section of the card, as Markdown (the card's own inline HTML allowed)."""

    id: Slug
    title: Name
    level: int = Field(2, ge=2, le=6, description="Heading level in the card")
    page: PageId = Field(
        description="The page that shows it: overview, training, "
        "intended-use, safety, benchmarks, or one of `pages`"
    )
    markdown: Annotated[str, StringConstraints(max_length=limits.MAX_PROSE)]
    source: Text | None = None


class ProseFile(Strict):
    pages: list[PageDef] = Field([], max_length=limits.MAX_ENTRIES)
    sections: list[Section] = Field([], max_length=limits.MAX_SECTIONS)


# -------------------------------------------------------------------------------- joined


class Benchmark(BaseModel):
    """One row of a results table: a benchmark under one evaluation setting."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    label: str
    category: str
    table: str
    group: str | None
    shots: str | None
    metric: str | None
    cot: bool
    higher_is_better: bool
    scale: Scale
    range: tuple[float, float] | None
    headline: bool
    footnotes: tuple[str, ...]
    subsets: tuple[tuple[str, str | None], ...]
    """(name, language code) of each subset, in the card's order; empty for a plain row."""
    source: str | None


class Result(BaseModel):
    """One cell: a variant on a benchmark (in a subset), its published value or why none."""

    model_config = ConfigDict(frozen=True)

    variant: str
    benchmark: str
    subset: str | None = None
    language: str | None = None
    text: str | None = None
    error: str | None = None
    missing: MissingCell | None = None

    @property
    def value(self) -> Published | None:
        return parse(self.text) if self.text is not None else None


class Card(BaseModel):
    """A whole card: every file of the card folder, validated and joined."""

    model_config = ConfigDict(frozen=True)

    family: Family
    comparison_families: list[ComparisonFamily]
    variants: list[Variant]
    categories: list[Category]
    metrics: list[Metric]
    tables: list[ResultsTable]
    benchmarks: list[Benchmark]
    results: list[Result]
    data_tables: list[DataTable]
    glossary: list[Term]
    pages: list[PageDef]
    sections: list[Section]

    @property
    def id(self) -> str:
        return self.family.id or ""

    @property
    def own_variants(self) -> list[Variant]:
        return [v for v in self.variants if not v.comparison]


# The files of a card folder and the model each is checked against, in reading order.
CARD_FILES: dict[str, type[Strict]] = {
    "family.yaml": FamilyFile,
    "variants.yaml": VariantsFile,
    "results.yaml": ResultsFile,
    "tables.yaml": TablesFile,
    "prose.yaml": ProseFile,
}
REQUIRED_FILES = ("family.yaml",)


def is_missing_mark(text: str) -> bool:
    """What a card prints for "no score" (a dash, N/A): such a cell belongs under ``missing``."""
    return is_dash(text) or text.strip().lower() in {"n/a", "na", "n/c", "none", "null", "nan"}
