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
    title: Name = Field(
        description="What the link is, as the card words it", examples=["Evaluation details"]
    )
    url: LinkUrl = Field(
        description="An http(s) or mailto: address", examples=["https://example.org/eval.md"]
    )


class License(Strict):
    name: Name = Field(
        description="As the card writes it", examples=["Llama 3.1 Community License"]
    )
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.+-]{0,63}$")] | None = (
        Field(
            None,
            description="SPDX or Hugging Face license id; the Hugging Face export writes "
            "`other` with the name and url when absent",
            examples=["apache-2.0", "llama3.1"],
        )
    )
    url: WebUrl | None = Field(
        None, description="Where the license text is", examples=["https://example.org/LICENSE"]
    )
    summary: Text | None = Field(
        None, description="The card's one-line summary", examples=["A custom commercial license"]
    )


class Language(Strict):
    code: LanguageCode = Field(description="BCP 47 code", examples=["pt", "zh-Hans"])
    name: Name = Field(description="English name, as the card writes it", examples=["Portuguese"])
    native_name: Name | None = Field(
        None, description="The language's own name for itself", examples=["Português"]
    )


class Fact(Strict):
    """One row of a facts table: a label and a value, both as published."""

    label: Name = Field(description="As published", examples=["Context length"])
    value: Text = Field(description="As published", examples=["128k"])
    id: Slug | None = Field(
        None,
        description="Names the fact so a variant's fact can replace the family's; "
        "defaults to the label as an id",
        examples=["context-length"],
    )
    term: Slug | None = Field(
        None, description="Glossary entry explaining the label", examples=["gqa"]
    )
    source: Text | None = Field(
        None, description="Where in the source card", examples=["Model Information (table)"]
    )


class Family(Strict):
    name: Name = Field(
        description="The family's name as the card writes it", examples=["Llama 3.1"]
    )
    id: Slug | None = Field(
        None,
        description="Names the card's files and folders; defaults to the name as an id",
        examples=["llama-3-1"],
    )
    developer: Name | None = Field(None, description="Who made the models", examples=["Meta"])
    release_date: Name | None = Field(
        None, description="As the card writes it", examples=["July 23, 2024"]
    )
    status: Text | None = Field(
        None,
        description="The card's status line",
        examples=["A static model trained on an offline dataset."],
    )
    summary: Text | None = Field(
        None,
        description="What the models are, in a paragraph",
        examples=["An auto-regressive language model."],
    )
    license: License | None = Field(
        None,
        description="The models' license",
        examples=[{"name": "Apache 2.0", "id": "apache-2.0"}],
    )
    facts: list[Fact] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="The family's facts, in the card's order",
        examples=[[{"label": "Context length", "value": "128k"}]],
    )
    languages: list[Language] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="Languages the models support; site search and chart fonts follow them",
        examples=[[{"code": "en", "name": "English"}]],
    )
    links: list[Link] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="The card's links, in its order",
        examples=[[{"title": "Paper", "url": "https://arxiv.org/abs/2407.21783"}]],
    )
    version: Name | None = Field(
        None, description="The card's version, shown on offline copies", examples=["1.0"]
    )
    pipeline_tag: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,64}$")] | None = Field(
        None, description="Hugging Face pipeline tag", examples=["text-generation"]
    )
    results_url: WebUrl | None = Field(
        None,
        description="Where the published results come from (Hugging Face `source.url`)",
        examples=["https://example.org/eval_details.md"],
    )
    source: Text | None = Field(
        None, description="Where in the source card", examples=["Model Information"]
    )


class ComparisonFamily(Strict):
    """Another model family whose scores the card prints beside its own."""

    id: Slug = Field(description="Referred to by variants' `family`", examples=["llama-3"])
    name: Name = Field(description="As the card writes it", examples=["Llama 3"])
    developer: Name | None = Field(None, description="Who made it", examples=["Meta"])
    note: Text | None = Field(
        None, description="Why the card compares with it", examples=["The previous release."]
    )


class Term(Strict):
    """A glossary entry: a metric name or term the card uses."""

    id: Slug = Field(description="The entry's anchor on the glossary page", examples=["gqa"])
    term: Name = Field(
        description="As the card writes it; metric parts and fact labels equal to it link here",
        examples=["GQA"],
    )
    title: Name = Field(
        description="Short expansion, shown on hover", examples=["Grouped-Query Attention"]
    )
    definition: Text = Field(
        description="What it means",
        examples=["Attention heads share key and value projections in groups."],
    )


class FamilyFile(Strict):
    family: Family = Field(
        description="The model family (family.yaml)", examples=[{"name": "Llama 3.1"}]
    )
    comparison_families: list[ComparisonFamily] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="Other families the card compares with (family.yaml)",
        examples=[[{"id": "llama-3", "name": "Llama 3"}]],
    )
    glossary: list[Term] = Field(
        [],
        max_length=limits.MAX_ENTRIES,
        description="Terms the card uses, explained (family.yaml)",
        examples=[
            [
                {
                    "id": "cot",
                    "term": "CoT",
                    "title": "Chain of thought",
                    "definition": "The model reasons step by step before answering.",
                }
            ]
        ],
    )


# ------------------------------------------------------------------------- variants.yaml


class Variant(Strict):
    id: Slug = Field(
        description="Names the variant's page and its columns", examples=["llama-3-1-8b-instruct"]
    )
    name: Name = Field(
        description="Exactly as the card writes it", examples=["Llama 3.1 8B Instruct"]
    )
    kind: Kind | None = Field(
        None,
        description="pretrained, base, instruct, chat, quantized, distilled, fine-tuned, "
        "adapter, merged, reward, or another word",
        examples=["instruct", "quantized"],
    )
    size: Name | None = Field(
        None, description="Parameter count as published", examples=["8B", "1B (1.23B)"]
    )
    derived_from: Slug | None = Field(
        None,
        description="The variant this one is made from (its kind says how)",
        examples=["llama-3-1-8b"],
    )
    compare_with: list[Slug] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="Variants this one is compared with on its page (Δ against the first)",
        examples=[["llama-3-8b-instruct"]],
    )
    comparison: StrictBool = Field(
        False,
        description="True for another publisher's (or family's) model the card compares with",
        examples=[True],
    )
    family: Slug | None = Field(None, description="A comparison family's id", examples=["llama-3"])
    hub_id: HubId | None = Field(
        None,
        description="Its Hugging Face Hub repository",
        examples=["meta-llama/Llama-3.1-8B-Instruct"],
    )
    facts: list[Fact] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="Facts of this variant; they replace the family's facts of the same id",
        examples=[[{"label": "Context length", "value": "8k"}]],
    )
    source: Text | None = Field(
        None, description="Where in the source card", examples=["Model Information (table)"]
    )


class VariantsFile(Strict):
    variants: list[Variant] = Field(
        min_length=1,
        max_length=limits.MAX_VARIANTS,
        description="Every model the card scores (variants.yaml)",
        examples=[[{"id": "my-model-7b", "name": "My Model 7B"}]],
    )


# -------------------------------------------------------------------------- results.yaml


class Category(Strict):
    id: Slug = Field(description="Names the category's page", examples=["tool-use"])
    name: Name = Field(
        description="As the card writes it (the page's title)", examples=["Tool Use"]
    )
    description: Text | None = Field(
        None,
        description="What the category measures",
        examples=["Calling tools with the right arguments."],
    )


class Metric(Strict):
    """How to read a metric wherever a row names it."""

    name: Name = Field(description="As rows print it", examples=["BPB", "pass@1"])
    higher_is_better: StrictBool = Field(
        True, description="False when lower is better", examples=[False]
    )
    scale: Scale | None = Field(
        None, description="0-1, 0-100 or unbounded; charts never mix scales", examples=["0-1"]
    )
    description: Text | None = Field(
        None, description="What it measures", examples=["Bits per byte."]
    )


class MissingCell(Strict):
    """A cell with no score: the card's own mark, and why."""

    mark: Cell = Field(
        "-", description="What the card prints", examples=["-", "N/A", "No multimodal support"]
    )
    reason: MissingReason | None = Field(
        None,
        description="not_reported, not_applicable, not_evaluated or not_released; "
        "absent when the card's mark says why in words",
        examples=["not_reported"],
    )
    note: Text | None = Field(
        None, description="More on why", examples=["Evaluated after the release."]
    )


Missing = Annotated[MissingCell, BeforeValidator(_reason_or_cell)]


class Footnote(Strict):
    mark: Name = Field(description="As printed next to values", examples=["*", "1"])
    text: Text = Field(description="The footnote", examples=["Evaluated with a longer context."])


class Scores(Strict):
    """A row's cells, by variant id."""

    scores: dict[Slug, Value] = Field(
        {}, description="Variant id -> the score as printed", examples=[{"my-model-7b": "62.12"}]
    )
    missing: dict[Slug, Missing] = Field(
        {},
        description="Variant id -> why there is no score (a reason, or the mark and reason)",
        examples=[{"my-model-7b": "not_reported"}],
    )
    errors: dict[Slug, Value] = Field(
        {},
        description="Variant id -> the error (stderr) printed beside the score",
        examples=[{"my-model-7b": "0.0144"}],
    )


class Subset(Scores):
    """A row of a benchmark scored per language or subset."""

    name: Name = Field(description="The row label as printed", examples=["Portuguese", "Python"])
    language: LanguageCode | None = Field(
        None, description="When the subset is a language", examples=["pt"]
    )
    footnotes: list[Name] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="Marks of the table's footnotes that apply",
        examples=[["*"]],
    )


class Row(Scores):
    """One benchmark row of a results table."""

    id: Slug | None = Field(
        None,
        description="Anchor and key of the row; defaults to the name as an id",
        examples=["mmlu-instruct"],
    )
    name: Name = Field(description="The benchmark, as published", examples=["MMLU"])
    label: Name | None = Field(
        None,
        description="The row label as printed, when it is more than the name",
        examples=["MMLU (5-shot)"],
    )
    category: Slug | None = Field(
        None, description="Defaults to the table's category", examples=["general"]
    )
    group: Name | None = Field(
        None, description="A section row or group cell the row sits under", examples=["English"]
    )
    shots: Name | None = Field(None, description="As published", examples=["5", "3-5", "0-shot"])
    metric: Name | None = Field(None, description="As published", examples=["macro_avg/acc_char"])
    cot: StrictBool = Field(False, description="Chain-of-thought prompting", examples=[True])
    higher_is_better: StrictBool | None = Field(
        None, description="Defaults to the metric's", examples=[False]
    )
    scale: Scale | None = Field(
        None, description="Defaults to the metric's, else read from values", examples=["0-100"]
    )
    range: tuple[float, float] | None = Field(
        None, description="Bounds every score must lie in, lowest first", examples=[[0, 100]]
    )
    headline: StrictBool = Field(
        False, description="Shown in the score-against-size chart", examples=[True]
    )
    footnotes: list[Name] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="Marks of the table's footnotes that apply",
        examples=[["*"]],
    )
    subsets: list[Subset] = Field(
        [],
        max_length=limits.MAX_SUBSETS,
        description="Per-language or per-subset rows (then the row holds no scores itself)",
        examples=[[{"name": "Portuguese", "language": "pt", "scores": {"my-model-7b": "62.1"}}]],
    )
    source: Text | None = Field(
        None, description="Where in the source card", examples=["Benchmark scores (table)"]
    )

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

    id: Slug = Field(description="Anchor of the table on category pages", examples=["instruct"])
    title: Name = Field(
        description="The heading above the table", examples=["Instruction tuned models"]
    )
    columns: dict[Slug, Name] = Field(
        min_length=1,
        max_length=limits.MAX_VARIANTS,
        description="Variant id -> the column heading as printed, in the card's order",
        examples=[{"my-model-7b": "My Model 7B"}],
    )
    category: Slug | None = Field(
        None,
        description="The rows' category unless a row says; without one, the table is a "
        "category of its own",
        examples=["general"],
    )
    compare_with: dict[Slug, Slug] = Field(
        {},
        description="Variant id -> the variant it is compared with in this table",
        examples=[{"my-model-7b": "other-7b"}],
    )
    layout: Literal["models-as-columns", "models-as-rows"] = Field(
        "models-as-columns",
        description="How the card prints it (models as rows: transposed)",
        examples=["models-as-rows"],
    )
    declared_rows: int | None = Field(
        None,
        ge=1,
        description="A rowspan the card declares, checked against the rows it has",
        examples=[9],
    )
    notes: list[Text] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="How the table is read (shown above it)",
        examples=[["Scores are 5-shot."]],
    )
    footnotes: list[Footnote] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="The table's footnotes",
        examples=[[{"mark": "*", "text": "Reported by the authors."}]],
    )
    rows: list[Row] = Field(
        min_length=1,
        max_length=limits.MAX_ROWS,
        description="One per benchmark row, in the card's order",
        examples=[[{"name": "MMLU", "scores": {"my-model-7b": "62.12"}}]],
    )
    source: Text | None = Field(
        None, description="Where in the source card", examples=["Benchmark scores (table)"]
    )


class ResultsFile(Strict):
    categories: list[Category] = Field(
        [],
        max_length=limits.MAX_CATEGORIES,
        description="Benchmark categories, one page each (results.yaml)",
        examples=[[{"id": "code", "name": "Code"}]],
    )
    metrics: list[Metric] = Field(
        [],
        max_length=limits.MAX_ENTRIES,
        description="How to read metrics rows name (results.yaml)",
        examples=[[{"name": "BPB", "higher_is_better": False, "scale": "unbounded"}]],
    )
    results: list[ResultsTable] = Field(
        min_length=1,
        max_length=limits.MAX_TABLES,
        description="The card's results tables (results.yaml)",
        examples=[
            [
                {
                    "id": "main",
                    "title": "Results",
                    "columns": {"my-model-7b": "My Model 7B"},
                    "rows": [{"name": "MMLU", "scores": {"my-model-7b": "62.12"}}],
                }
            ]
        ],
    )


# --------------------------------------------------------------------------- tables.yaml


class Column(Strict):
    label: Cell = Field(
        description="The heading as printed (may be empty)", examples=["Training Time (GPU hours)"]
    )
    role: ColumnRole | None = Field(
        None,
        description="gpu-hours, power, emissions (tCO2eq), emissions-market or energy: "
        "charted on the training page",
        examples=["gpu-hours"],
    )
    unit: Name | None = Field(None, description="For charted columns", examples=["tCO2eq", "MWh"])


class TableRow(Strict):
    cells: list[Cell] = Field(
        max_length=limits.MAX_COLUMNS,
        description="The row's cells as printed; '' for an empty cell",
        examples=[["My Model 7B", "1.46M"]],
    )
    variants: list[Slug] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="The variants this row is about (shown on their pages)",
        examples=[["my-model-7b"]],
    )
    total: StrictBool = Field(
        False, description="A totals row (checked against the others)", examples=[True]
    )
    footnotes: list[Name] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="Marks of the table's footnotes that apply",
        examples=[["**"]],
    )


class DataTable(Strict):
    """Any other table of the card, as published."""

    id: Slug = Field(description="Anchor of the table on its page", examples=["training-emissions"])
    title: Name = Field(
        description="The heading above the table", examples=["Training Greenhouse Gas Emissions"]
    )
    page: PageId = Field(
        "overview", description="The page that shows the table", examples=["training"]
    )
    columns: list[Column] = Field(
        min_length=1,
        max_length=limits.MAX_COLUMNS,
        description="The table's columns, as printed",
        examples=[[{"label": ""}, {"label": "GPU hours", "role": "gpu-hours"}]],
    )
    rows: list[TableRow] = Field(
        min_length=1,
        max_length=limits.MAX_ROWS,
        description="The table's rows, as printed",
        examples=[[{"cells": ["My Model 7B", "1.46M"]}]],
    )
    notes: list[Text] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="How the table is read",
        examples=[["Power is peak power per GPU."]],
    )
    footnotes: list[Footnote] = Field(
        [],
        max_length=limits.MAX_LIST,
        description="The table's footnotes",
        examples=[[{"mark": "**", "text": "Offset by renewable energy."}]],
    )
    source: Text | None = Field(
        None, description="Where in the source card", examples=["Training (table)"]
    )


class TablesFile(Strict):
    tables: list[DataTable] = Field(
        max_length=limits.MAX_TABLES,
        description="The card's other tables (tables.yaml)",
        examples=[
            [
                {
                    "id": "speed",
                    "title": "Inference speed",
                    "columns": [{"label": "Model"}, {"label": "Tokens/s"}],
                    "rows": [{"cells": ["My Model 7B", "85"]}],
                }
            ]
        ],
    )


# ---------------------------------------------------------------------------- prose.yaml


class PageDef(Strict):
    """A page the card adds (for sections with no home among the standard pages)."""

    id: PageId = Field(
        description="The page's file name and the id sections name", examples=["deployment"]
    )
    title: Name = Field(description="The page's title", examples=["Deployment"])
    section: Name = Field("About", description="The nav section", examples=["About"])


class Section(Strict):
    """A prose section of the card, as Markdown (the card's own inline HTML allowed)."""

    id: Slug = Field(description="The section's anchor", examples=["out-of-scope"])
    title: Name = Field(description="The card's heading", examples=["Out-of-scope"])
    level: int = Field(2, ge=2, le=6, description="Heading level in the card", examples=[3])
    page: PageId = Field(
        description="The page that shows it: overview, training, intended-use, safety, "
        "benchmarks, or one of `pages`",
        examples=["intended-use"],
    )
    markdown: Annotated[str, StringConstraints(max_length=limits.MAX_PROSE)] = Field(
        description="The text, as Markdown (cleaned to a safe allow-list when shown)",
        examples=["Use in languages beyond those supported."],
    )
    source: Text | None = Field(
        None, description="Where in the source card", examples=["Intended Use > Out-of-scope"]
    )


class ProseFile(Strict):
    pages: list[PageDef] = Field(
        [],
        max_length=limits.MAX_ENTRIES,
        description="Pages the card adds (prose.yaml)",
        examples=[[{"id": "deployment", "title": "Deployment"}]],
    )
    sections: list[Section] = Field(
        [],
        max_length=limits.MAX_SECTIONS,
        description="The card's prose, section by section (prose.yaml)",
        examples=[
            [
                {
                    "id": "intended-use",
                    "title": "Intended Use",
                    "page": "intended-use",
                    "markdown": "For research.",
                }
            ]
        ],
    )


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
    subset_footnotes: tuple[str, ...] = ()
    """Footnote marks its subsets name."""
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
