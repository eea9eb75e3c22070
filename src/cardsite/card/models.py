"""The card format: typed, validated data classes and nothing else.

Each YAML file of a card folder maps onto one top-level model here (``family.yaml`` onto
:class:`FamilyFile`, ``results.yaml`` onto :class:`ResultsFile`, ...); :class:`Card` joins them
and flattens the hand-friendly YAML shapes into the records the rest of cardsite reads
(one :class:`Result` per variant x benchmark x language).

Published figures are kept as the text the card prints (``"62.12"``, ``"1.46M"``, ``"2,040"``):
a number re-printed from a float loses its precision (``55.0`` becomes ``55``), and the site
promises every figure exactly as published. :func:`figure_value` turns such text into a number
for charts and range checks only.

Rendering lives elsewhere; this module never formats anything for display.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    field_validator,
)

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
"""An id that is safe as a file name and URL part: lowercase letters, digits and inner dashes."""

Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

FIGURE_PATTERN = r"^[0-9][0-9,]*(?:\.[0-9]+)?[KMBT]?\+?$"
Figure = Annotated[str, StringConstraints(pattern=FIGURE_PATTERN)]
"""A published number as text: ``80.4``, ``62.12``, ``2,040``, ``1.46M``, ``15T+``."""

URL_PATTERN = r"^https?://[^\s<>\"'`\\]+$"
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN)]
"""An http(s) address with no characters that could close a Markdown link or open HTML."""

_SUFFIX = {"": 1.0, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def figure_value(text: str) -> float:
    """The numeric value of a published figure (``"1.46M"`` -> 1460000.0)."""
    match = re.fullmatch(r"([0-9][0-9,]*(?:\.[0-9]+)?)([KMBT]?)\+?", text)
    if match is None:
        raise ValueError(f"not a published figure: {text!r}")
    number = float(match.group(1).replace(",", ""))
    return number * _SUFFIX[match.group(2)]


def figure_decimals(text: str) -> int:
    """How many decimals a published figure prints (``"62.12"`` -> 2)."""
    head = text.rstrip("KMBT+")
    return len(head.split(".", 1)[1]) if "." in head else 0


class Strict(BaseModel):
    """Base for every card model: unknown keys are errors, ids and names are never coerced."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


# --------------------------------------------------------------------------- family.yaml


class Link(Strict):
    title: Text
    url: Url


class License(Strict):
    name: Text
    url: Url
    summary: str = ""


class Language(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")]
    name: Text = Field(description="English name, as the card writes it")
    native_name: Text = Field(description="The language's own name for itself")


class Size(Strict):
    """One row of the card's model-information table."""

    params: Text = Field(description="Parameter count as published, e.g. 8B")
    input_modalities: Text
    output_modalities: Text
    context_length: Text
    gqa: Text = Field(description="Grouped-Query Attention, as the card writes it (Yes/No)")


class ModelInformation(Strict):
    """The card's model-information table; cells spanning every row are kept once."""

    label: Text = Field(description="The table's row label, e.g. 'Llama 3.1 (text only)'")
    training_data: Text
    token_count: Text
    knowledge_cutoff: Text
    sizes: list[Size] = Field(min_length=1)
    source: Text


class Family(Strict):
    id: Slug
    name: Text
    developer: Text
    release_date: Text = Field(description="As the card writes it, e.g. 'July 23, 2024'")
    status: Text
    license: License
    architecture: str = ""
    model_information: ModelInformation
    supported_languages: list[Language] = Field(min_length=1)
    links: list[Link] = []
    version: str = Field("", description="The card's version, shown on offline bundles")
    source: Text


class ComparisonFamily(Strict):
    """Another model family whose scores the card prints beside its own."""

    id: Slug
    name: Text
    note: str = ""


class FamilyFile(Strict):
    family: Family
    comparison_families: list[ComparisonFamily] = []


# ------------------------------------------------------------------------- variants.yaml


class Variant(Strict):
    id: Slug
    name: Text = Field(description="Exactly as the card writes it, e.g. 'Llama 3.1 8B Instruct'")
    family: Slug
    params: Text = Field(description="Parameter count as published, e.g. 8B")
    kind: Literal["pretrained", "instruct"]
    base: Slug | None = Field(None, description="The pretrained variant an instruct one tunes")
    comparison: StrictBool = Field(False, description="True for models of another family")


class VariantsFile(Strict):
    variants: list[Variant] = Field(min_length=1)


# ----------------------------------------------------------------------- benchmarks.yaml


class Category(Strict):
    id: Slug
    name: Text = Field(description="As the card writes it, e.g. 'Tool Use'")
    description: str = ""


class Table(Strict):
    """A results table of the card, kept so pages can keep its results apart as the card does."""

    id: Slug
    title: Text = Field(description="The heading above the table in the card")
    kind: Literal["pretrained", "instruct"]
    column_labels: dict[Slug, Text] = Field(
        description="Variant id -> the column heading the card prints for it"
    )
    declared_rows: int | None = Field(
        None, ge=1, description="A rowspan the card declares, checked against the rows it has"
    )
    notes: list[str] = []
    source: Text


class Benchmark(Strict):
    """One row of a results table: a benchmark under one evaluation setting."""

    id: Slug
    name: Text = Field(description="As published, e.g. 'MBPP ++ base version'")
    category: Slug
    table: Slug
    shots: Text | None = Field(None, description="As published: '5', '3-5'; absent if none")
    metric: Text | None = Field(None, description="As published, e.g. 'macro_avg/acc_char'")
    cot: StrictBool = Field(False, description="Chain-of-thought prompting")
    higher_is_better: StrictBool = True
    range: tuple[float, float] = (0.0, 100.0)
    per_language: StrictBool = False
    headline: StrictBool = Field(False, description="Shown in the score-against-size chart")
    source: Text

    @field_validator("range")
    @classmethod
    def _ordered(cls, value: tuple[float, float]) -> tuple[float, float]:
        low, high = value
        if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
            raise ValueError("range must be two finite numbers, lowest first")
        return value


class Term(Strict):
    """A glossary entry: a metric name or term the card uses."""

    id: Slug
    term: Text
    title: Text = Field(description="Short expansion, shown on hover")
    definition: Text


class BenchmarksFile(Strict):
    categories: list[Category] = Field(min_length=1)
    tables: list[Table] = Field(min_length=1)
    benchmarks: list[Benchmark] = Field(min_length=1)
    glossary: list[Term] = []


# -------------------------------------------------------------------------- results.yaml

MissingReason = Literal["not_reported"]
MISSING_EXPLANATIONS: dict[str, str] = {
    "not_reported": "The card does not report this score (it prints a dash).",
}


class ResultRow(Strict):
    """Scores of one benchmark (and language) across variants, as one table row holds them."""

    benchmark: Slug
    language: str | None = Field(None, description="Language code, for per-language rows")
    language_label: str | None = Field(None, description="The row label the card prints")
    scores: dict[Slug, Figure] = {}
    missing: dict[Slug, MissingReason] = {}


class ResultsFile(Strict):
    results: list[ResultRow] = Field(min_length=1)


# ------------------------------------------------------------------------- training.yaml


class EmissionsRow(Strict):
    label: Text = Field(description="The row label the card prints, e.g. 'Llama 3.1 8B'")
    params: Text | None = Field(None, description="The size this row is for; none for totals")
    gpu_hours: Figure | None = None
    power_w: Figure | None = None
    location_based_tco2eq: Figure | None = None
    market_based_tco2eq: Figure | None = None


class Training(Strict):
    hardware: Text
    column_labels: dict[str, Text]
    rows: list[EmissionsRow] = Field(min_length=1)
    total: EmissionsRow
    total_gpu_hours_text: Figure = Field(description="Total GPU hours quoted in the prose")
    total_location_based_text: Figure = Field(description="Total tCO2eq quoted in the prose")
    methodology_url: Url | None = None
    source: Text


class TrainingFile(Strict):
    training: Training


# ---------------------------------------------------------------------------- prose.yaml

PageId = Literal["overview", "training", "intended-use", "safety", "benchmarks"]


class Section(Strict):
    """A prose section of the card, as Markdown (the card's own inline HTML allowed)."""

    id: Slug
    title: Text
    level: int = Field(2, ge=2, le=5, description="Heading level in the card")
    page: PageId = Field(description="The site page that shows this section")
    markdown: str
    source: Text


class ProseFile(Strict):
    sections: list[Section] = Field(min_length=1)


# -------------------------------------------------------------------------------- joined


class Result(BaseModel):
    """One published score: a variant on a benchmark (in a language), or why there is none."""

    model_config = ConfigDict(frozen=True)

    variant: str
    benchmark: str
    language: str | None = None
    language_label: str | None = None
    value: str | None = None
    missing: MissingReason | None = None


class Card(BaseModel):
    """A whole card: every file of the card folder, validated and joined."""

    model_config = ConfigDict(frozen=True)

    family: Family
    comparison_families: list[ComparisonFamily]
    variants: list[Variant]
    categories: list[Category]
    tables: list[Table]
    benchmarks: list[Benchmark]
    glossary: list[Term]
    results: list[Result]
    training: Training
    sections: list[Section]

    # Lookups the pages and exports use; cheap enough to rebuild on demand.
    def variant(self, variant_id: str) -> Variant:
        return next(v for v in self.variants if v.id == variant_id)

    def benchmark(self, benchmark_id: str) -> Benchmark:
        return next(b for b in self.benchmarks if b.id == benchmark_id)

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)

    @property
    def own_variants(self) -> list[Variant]:
        return [v for v in self.variants if not v.comparison]

    def results_for(
        self, *, variant: str | None = None, benchmark: str | None = None
    ) -> list[Result]:
        return [
            r
            for r in self.results
            if (variant is None or r.variant == variant)
            and (benchmark is None or r.benchmark == benchmark)
        ]


# The files of a card folder and the model each one is checked against, in reading order.
CARD_FILES: dict[str, type[Strict]] = {
    "family.yaml": FamilyFile,
    "variants.yaml": VariantsFile,
    "benchmarks.yaml": BenchmarksFile,
    "results.yaml": ResultsFile,
    "training.yaml": TrainingFile,
    "prose.yaml": ProseFile,
}
