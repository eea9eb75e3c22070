"""Card data for other tools: JSON, CSV and Hugging Face model cards.

Every export starts from a validated :class:`~cardsite.card.models.Card` (see
:func:`cardsite.card.loader.load_card`) and prints published figures as the card writes them.

Decisions worth knowing:

* **JSON** is the whole card as the models dump it, plus ``"cardsite_format": 1`` first.
  :func:`from_json` reads it back into an equal :class:`Card`.
* **CSV** has one row per result, comparison variants included. A score the card does not
  report is a row with an *empty* ``value`` (never ``0``, ``None`` or ``nan``), so a spreadsheet
  sees it as blank. Text cells that a spreadsheet would run as a formula (starting with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return) get a leading ``'``; plain numbers and
  published figures are never changed.
* **hf** writes ``<out_dir>/<variant-id>/README.md`` for each of the family's own variants:
  ``huggingface_hub`` metadata (``model-index`` with one result per published score, license,
  languages, ``base_model`` for instruct variants, ``co2_eq_emissions`` in grams) and a Markdown
  body whose tables print every figure as published. YAML stores scores as numbers; a figure
  whose number does not print back as the published text (``80.40``, ``2,040``) keeps that
  text in the metric's display name. The tests read every card back with ``huggingface_hub``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from huggingface_hub import EvalResult, ModelCard, ModelCardData

from cardsite.card.models import Benchmark, Card, EmissionsRow, Result, Variant, figure_value
from cardsite.pages.escape import markdown_text

FORMAT_VERSION = 1
FORMAT_KEY = "cardsite_format"

# ------------------------------------------------------------------------------------ JSON


def to_json(card: Card) -> str:
    """The whole validated card as JSON, with ``"cardsite_format": 1`` as its first key."""
    data: dict[str, Any] = {FORMAT_KEY: FORMAT_VERSION, **card.model_dump(mode="json")}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def from_json(text: str) -> Card:
    """Read back what :func:`to_json` wrote (refusing another format version)."""
    data = json.loads(text)
    version = data.pop(FORMAT_KEY, None)
    if version != FORMAT_VERSION:
        raise ValueError(f"expected {FORMAT_KEY} {FORMAT_VERSION}, found {version!r}")
    return Card.model_validate(data)


# ------------------------------------------------------------------------------------- CSV

CSV_HEADER = ("variant", "benchmark", "category", "shots", "metric", "language", "value")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")


def guard_cell(text: str) -> str:
    """Text a spreadsheet would run as a formula, made inert with a leading ``'``.

    Plain numbers (``-1.5``) and a lone ``-`` are left alone: spreadsheets read them as data.
    """
    if text.startswith(_FORMULA_START) and text != "-" and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def to_csv(card: Card) -> str:
    """One row per result; ``value`` as published, empty for a score the card does not report."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_HEADER)
    for result in card.results:
        benchmark = card.benchmark(result.benchmark)
        text_cells = (
            card.variant(result.variant).name,
            benchmark.name,
            card.category(benchmark.category).name,
            benchmark.shots or "",
            benchmark.metric or "",
            language_name(card, result),
        )
        # The value is a validated published figure (it starts with a digit): never altered.
        writer.writerow([*(guard_cell(c) for c in text_cells), result.value or ""])
    return buffer.getvalue()


def language_name(card: Card, result: Result) -> str:
    """The language's English name as the card's row label prints it; empty if not per language."""
    if result.language is None:
        return ""
    if result.language_label:
        return result.language_label
    known = {lang.code: lang.name for lang in card.family.supported_languages}
    return known.get(result.language, result.language)


# --------------------------------------------------------------------------- Hugging Face

HF_TASK_TYPE = "text-generation"
GRAMS_PER_TONNE = 1_000_000
NOT_REPORTED = "— (not reported)"


def write_hf_cards(
    card: Card, out_dir: Path, *, hub_org: str | None = None, card_url: str | None = None
) -> list[Path]:
    """Write ``out_dir/<variant-id>/README.md`` for each own variant; return the paths, sorted.

    ``hub_org`` turns ``base_model`` into a Hub repo id (``<hub_org>/<base-variant-id>``);
    without it ``base_model`` is the base variant's id. ``card_url`` is where the eval results
    say they come from; by default the card's evaluation-details link (else its first link).
    """
    out_dir = Path(out_dir)
    written: list[Path] = []
    for variant in sorted(card.own_variants, key=lambda v: v.id):
        text = hf_card_text(card, variant, hub_org=hub_org, card_url=card_url)
        path = out_dir / variant.id / "README.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def hf_card_text(
    card: Card, variant: Variant, *, hub_org: str | None = None, card_url: str | None = None
) -> str:
    """The README.md of one variant: ``huggingface_hub`` metadata, then a Markdown body."""
    data = hf_card_data(card, variant, hub_org=hub_org, card_url=card_url)
    content = f"---\n{data.to_yaml()}\n---\n\n{_hf_body(card, variant)}"
    return str(ModelCard(content)).rstrip("\n") + "\n"


def hf_card_data(
    card: Card, variant: Variant, *, hub_org: str | None = None, card_url: str | None = None
) -> ModelCardData:
    family = card.family
    base = None
    if variant.kind == "instruct" and variant.base:
        base = f"{hub_org}/{variant.base}" if hub_org else variant.base
    extra: dict[str, Any] = {}
    row = emissions_row(card, variant)
    if row is not None and row.location_based_tco2eq is not None:
        hardware = card.training.hardware
        if row.gpu_hours:
            hardware += f", {row.gpu_hours} GPU hours"
        extra["co2_eq_emissions"] = {
            "emissions": tonnes_to_grams(row.location_based_tco2eq),
            "source": f"{family.name} model card: {card.training.source}; location-based",
            "training_type": "pre-training",
            "hardware_used": hardware,
        }
    url = card_url or _default_card_url(card)
    return ModelCardData(
        model_name=variant.name,
        base_model=base,
        language=[lang.code for lang in family.supported_languages],
        license="other",
        license_name=slugify(family.license.name),
        license_link=family.license.url,
        pipeline_tag=HF_TASK_TYPE,
        tags=[slugify(family.developer), family.id, variant.kind],
        eval_results=[_eval_result(card, r, url) for r in _published(card, variant)] or None,
        **extra,
    )


def emissions_row(card: Card, variant: Variant) -> EmissionsRow | None:
    """The energy-table row for the variant's size (the card reports one per size)."""
    return next((r for r in card.training.rows if r.params == variant.params), None)


def tonnes_to_grams(tonnes: str) -> int:
    """``"2,040"`` (tCO2eq, as published) -> 2040000000 (grams, as the Hub expects)."""
    return round(figure_value(tonnes) * GRAMS_PER_TONNE)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def metric_label(benchmark: Benchmark) -> str:
    """``macro_avg/acc_char (5-shot)``; ``score`` when the card prints neither."""
    metric = benchmark.metric or "score"
    return f"{metric} ({benchmark.shots}-shot)" if benchmark.shots else metric


def _published(card: Card, variant: Variant) -> list[Result]:
    return [r for r in card.results_for(variant=variant.id) if r.value is not None]


def _eval_result(card: Card, result: Result, source_url: str | None) -> EvalResult:
    benchmark = card.benchmark(result.benchmark)
    assert result.value is not None
    value = figure_value(result.value)
    name = metric_label(benchmark)
    if _yaml_number(value) != result.value:
        name += f"; published as {result.value}"
    source: dict[str, str] = {}
    if source_url:
        source = {
            "source_name": f"{card.family.name} model card: {benchmark.source}",
            "source_url": source_url,
        }
    return EvalResult(
        task_type=HF_TASK_TYPE,
        dataset_type=benchmark.id,
        dataset_name=benchmark.name,
        dataset_config=result.language,
        metric_type=benchmark.metric or "score",
        metric_value=value,
        metric_name=name,
        **source,
    )


def _yaml_number(value: float) -> str:
    """How the YAML front matter prints a float (Python's shortest round-trip repr)."""
    return repr(value)


def _default_card_url(card: Card) -> str | None:
    links = card.family.links
    for link in links:
        if "evaluation" in link.title.lower():
            return link.url
    return links[0].url if links else None


# ---------------------------------------------------------------------- Markdown body


def _cell(text: str) -> str:
    """A table cell: one line, ``|`` escaped (card text is escaped before it gets here)."""
    return " ".join(text.split()).replace("|", "\\|")


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    head = [_cell(h) for h in header]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _hf_body(card: Card, variant: Variant) -> str:
    """The README body under the metadata. Card text is escaped for Markdown (``t``): a model
    card's README is rendered by tools that pass HTML through."""
    t = markdown_text
    family = card.family
    kind = "instruction-tuned" if variant.kind == "instruct" else "pretrained"
    lines = [
        f"# {t(variant.name)}",
        "",
        f"{t(variant.name)} is the {t(variant.params)} {kind} model of the {t(family.name)} "
        f"family by {t(family.developer)}, released {t(family.release_date)}.",
    ]
    if variant.kind == "instruct" and variant.base:
        base = card.variant(variant.base)
        lines[-1] += f" It is tuned from [{t(base.name)}](../{base.id}/README.md)."
    if family.architecture:
        lines += ["", t(family.architecture)]
    lines += [
        "",
        "This card was generated from the structured copy of the "
        f"{t(family.name)} model card; every figure is printed exactly as the card publishes it.",
    ]

    lines += ["", "## Benchmark scores", ""]
    results = card.results_for(variant=variant.id)
    if results:
        rows = []
        for result in results:
            benchmark = card.benchmark(result.benchmark)
            name = benchmark.name
            if result.language is not None:
                name += f" ({language_name(card, result)})"
            rows.append(
                [
                    t(name),
                    t(card.category(benchmark.category).name),
                    t(benchmark.shots or ""),
                    t(benchmark.metric or ""),
                    result.value if result.value is not None else NOT_REPORTED,
                ]
            )
        lines += _table(["Benchmark", "Category", "# Shots", "Metric", "Score"], rows)
    else:
        lines.append("The card reports no benchmark scores for this model.")

    row = emissions_row(card, variant)
    training = card.training
    lines += ["", "## Training and emissions", ""]
    if row is not None:
        labels = training.column_labels
        cells = [
            (labels.get(key, key), getattr(row, key))
            for key in ("gpu_hours", "power_w", "location_based_tco2eq", "market_based_tco2eq")
        ]
        lines += _table(["", t(row.label)], [[t(label), value or ""] for label, value in cells])
        lines += [
            "",
            f"Hardware: {t(training.hardware)}. The figures are for the {t(variant.params)} "
            "size as the card reports them.",
        ]
    else:
        lines.append(f"Hardware: {t(training.hardware)}.")
    if training.methodology_url:
        lines += ["", f"Methodology: <{training.methodology_url}>"]

    lines += ["", "## License", "", f"[{t(family.license.name)}]({family.license.url})"]
    if family.license.summary:
        lines[-1] += f": {t(family.license.summary.rstrip('.'))}."

    if family.links:
        lines += ["", "## Links", ""]
        lines += [f"- [{t(link.title)}]({link.url})" for link in family.links]
    return "\n".join(lines) + "\n"
