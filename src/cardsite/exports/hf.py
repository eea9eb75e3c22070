"""Hugging Face model cards: ``<out>/<variant-id>/README.md`` for each of the family's variants.

Each README is ``huggingface_hub`` metadata (front matter) followed by a Markdown body from the
``hf-readme.md.jinja`` template (a project's ``templates/`` folder may override it, or one of
its blocks, like a page template):

* ``model-index`` holds one result per published score that is a number; a value whose number
  does not print back as published (``80.40``, ``2,040``, ``81.3%``) keeps the published text
  in the metric's display name, and scores of other forms (pairs, text) are in the body only;
* ``license`` is the card's license id (SPDX or a Hub id), else ``other`` with its name and
  link; ``language``, ``pipeline_tag`` come from the card when it gives them;
* ``base_model`` and ``base_model_relation`` come from the variant's ``derived_from`` and kind
  (``base_model`` is the base's Hub id when the card gives one, else ``ORG/<id>`` with
  ``hub_org``, else the base variant's id);
* ``co2_eq_emissions`` is in grams, as the Hub expects, from the emissions column of the card's
  table row about the variant (the card's unit is tonnes unless the column says kg or g).

The tests read every card back with ``huggingface_hub.ModelCard.load``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from huggingface_hub import EvalResult, ModelCardData

from cardsite.card.index import CardIndex, explain_missing, missing_mark
from cardsite.card.models import Card, Result, Variant, kind_label, kind_relation
from cardsite.exports.tables import language_name
from cardsite.pages.render import make_environment, render_template

RELATIONS = {
    "quantized": "quantized",
    "adapter": "adapter",
    "merged": "merge",
    "instruct": "finetune",
    "chat": "finetune",
    "fine-tuned": "finetune",
    "distilled": "finetune",
}
"""Variant kind -> the Hub's ``base_model_relation``."""
GRAMS = {"t": Decimal(1_000_000), "kg": Decimal(1_000), "g": Decimal(1)}
TEMPLATE = "hf-readme.md.jinja"


def write_hf_cards(
    card: Card,
    out_dir: Path,
    *,
    hub_org: str | None = None,
    source_url: str | None = None,
    template_dirs: Sequence[Path] = (),
) -> list[Path]:
    """Write ``out_dir/<variant-id>/README.md`` for each own variant; return the paths, sorted."""
    out_dir = Path(out_dir)
    index = CardIndex(card)
    env = make_environment(template_dirs)
    written: list[Path] = []
    for variant in sorted(card.own_variants, key=lambda v: v.id):
        text = hf_card_text(index, variant, env, hub_org=hub_org, source_url=source_url)
        path = out_dir / variant.id / "README.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def hf_card_text(
    index: CardIndex,
    variant: Variant,
    env: Any = None,
    *,
    hub_org: str | None = None,
    source_url: str | None = None,
) -> str:
    """The README.md of one variant: metadata, then the body."""
    env = env or make_environment()
    data = hf_card_data(index, variant, hub_org=hub_org, source_url=source_url)
    # libyaml's dumper: the pure-Python one that ModelCardData.to_yaml uses is most of the
    # export's time on large cards. Same YAML, same order.
    front = yaml.dump(
        data.to_dict(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000
    ).strip()
    body = render_template(env, TEMPLATE, **body_context(index, variant))
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    return f"---\n{front}\n---\n\n{body}\n"


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


def hf_card_data(
    index: CardIndex,
    variant: Variant,
    *,
    hub_org: str | None = None,
    source_url: str | None = None,
) -> ModelCardData:
    card = index.card
    family = card.family
    base = index.derived_from(variant)
    extra: dict[str, Any] = {}
    grams = emissions_grams(index, variant)
    if grams is not None:
        extra["co2_eq_emissions"] = {
            "emissions": grams,
            "source": f"{family.name} model card",
        }
    license_id = family.license.id if family.license and family.license.id else None
    license_fields: dict[str, Any] = {}
    if family.license is not None:
        license_fields = {"license": license_id or "other"}
        if license_id is None:
            license_fields["license_name"] = _slug(family.license.name)
            if family.license.url:
                license_fields["license_link"] = family.license.url
    url = source_url or family.results_url
    results = [_eval_result(index, r, url) for r in _numeric(index, variant)]
    return ModelCardData(
        model_name=variant.name,
        base_model=_base_model(base, hub_org) if base else None,
        base_model_relation=RELATIONS.get(variant.kind or "") if base else None,
        language=[x.code for x in family.languages] or None,
        pipeline_tag=family.pipeline_tag,
        tags=[t for t in (family.id, variant.kind) if t] or None,
        eval_results=results or None,
        **license_fields,
        **extra,
    )


def _base_model(base: Variant, hub_org: str | None) -> str:
    if base.hub_id:
        return base.hub_id
    return f"{hub_org}/{base.id}" if hub_org else base.id


def emissions_grams(index: CardIndex, variant: Variant) -> int | None:
    """The variant's training emissions in grams, from its row of a table with an emissions
    column; None when the card gives none (or not as a number)."""
    for table, row in index.rows_about(variant):
        for column, text in zip(table.columns, row.cells, strict=False):
            if column.role != "emissions" or not text:
                continue
            from cardsite.card.values import parse

            value = parse(text)
            unit = (column.unit or "tCO2eq").lower()
            factor = next((g for u, g in GRAMS.items() if unit.startswith(u)), GRAMS["t"])
            if value.magnitude is not None and value.number is not None:
                return int(value.number * factor)
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def metric_label(index: CardIndex, result: Result) -> str:
    """``macro_avg/acc_char (5-shot)``; ``score`` when the card prints neither."""
    benchmark = index.benchmark(result.benchmark)
    metric = benchmark.metric or "score"
    return f"{metric} ({benchmark.shots}-shot)" if benchmark.shots else metric


def _numeric(index: CardIndex, variant: Variant) -> list[Result]:
    return [
        r
        for r in index.results_for(variant=variant.id)
        if r.value is not None and r.value.magnitude is not None
    ]


def _eval_result(index: CardIndex, result: Result, source_url: str | None) -> EvalResult:
    benchmark = index.benchmark(result.benchmark)
    value = result.value
    assert value is not None and value.magnitude is not None
    number = value.magnitude
    name = metric_label(index, result)
    if repr(number) != result.text:
        name += f"; published as {result.text}"
    source: dict[str, str] = {}
    if source_url:
        source = {"source_name": f"{index.card.family.name} model card", "source_url": source_url}
    return EvalResult(
        task_type=index.card.family.pipeline_tag or "text-generation",
        dataset_type=benchmark.id,
        dataset_name=benchmark.label,
        dataset_config=result.subset,
        metric_type=benchmark.metric or "score",
        metric_value=number,
        metric_name=name,
        **source,
    )


def body_context(index: CardIndex, variant: Variant) -> dict[str, Any]:
    """What the README body template shows (see its header for the documented context)."""
    card = index.card
    base = index.derived_from(variant)
    scores = []
    for result in index.results_for(variant=variant.id):
        benchmark = index.benchmark(result.benchmark)
        name = benchmark.label
        if result.subset is not None:
            name += f" ({language_name(index, result)})"
        scores.append(
            {
                "name": name,
                "category": index.category(benchmark.category).name,
                "shots": benchmark.shots or "",
                "metric": benchmark.metric or "",
                "value": result.text
                if result.text is not None
                else f"{missing_mark(result.missing)} ({explain_missing(result.missing)})",
            }
        )
    training = [
        {
            "title": table.title,
            "rows": [
                (column.label, text)
                for column, text in zip(table.columns, row.cells, strict=False)
                if text
            ],
        }
        for table, row in index.rows_about(variant)
    ]
    return {
        "variant": variant,
        "kind": kind_label(variant.kind).lower(),
        "family": card.family,
        "base": base,
        "relation": kind_relation(variant.kind),
        "facts": index.facts_for(variant),
        "scores": scores,
        "training": training,
        "license": card.family.license,
        "links": card.family.links,
    }
