"""Page specs: which pages a card gets, and the plain data each page's template shows.

This is the *collect* half of page generation. Everything a template needs is decided here,
already in display form (published text, relative links, signed differences), so templates only
loop and format. Links are written between ``.md`` sources; MkDocs turns them into the right
URLs for each target (directory URLs hosted, ``.html`` offline) and checks every one of them.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cardsite.card.models import (
    MISSING_EXPLANATIONS,
    Benchmark,
    Card,
    Result,
    Variant,
    figure_decimals,
)
from cardsite.charts import MISSING_TEXT as MISSING_DASH
from cardsite.charts import ChartSpec

NOT_IN_TABLE = "The card does not evaluate this model on this benchmark."
DOWNLOADS_DIR = "downloads"


def download_files(card: Card) -> dict[str, str]:
    """File name -> what it holds, for the Downloads page and the files written beside it."""
    slug = card.family.id
    return {
        f"{slug}-card.json": "The whole validated card as JSON (cardsite format 1).",
        f"{slug}-results.csv": "One row per result: variant, benchmark, category, shots, metric, "
        "language, value as published (empty when the card reports none).",
        f"{slug}-hf-model-cards.zip": "A Hugging Face model card (README.md with model-index "
        "metadata) for each variant.",
    }


@dataclass(frozen=True)
class Page:
    """One page of the site: where it goes, its H1, its template and the data it shows."""

    src: str
    title: str
    template: str
    section: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Score:
    """A cell that holds a published score, or a dash with the reason there is none."""

    text: str | None
    why_missing: str | None = None


def rel(from_src: str, to_src: str) -> str:
    """A relative Markdown link from one page source to another (``to`` may carry an anchor)."""
    path, _, anchor = to_src.partition("#")
    link = posixpath.relpath(path, posixpath.dirname(from_src) or ".")
    return f"{link}#{anchor}" if anchor else link


def variant_src(variant: Variant) -> str:
    return f"variants/{variant.id}.md"


def category_src(category_id: str) -> str:
    return f"benchmarks/{category_id}.md"


def signed_difference(new: str | None, old: str | None) -> str | None:
    """``"66.7"`` against ``"66.7"`` -> ``"0.0"``; ``"73.0"`` against ``"65.3"`` -> ``"+7.7"``.

    Computed in decimal at the finer of the two published precisions, so no float noise.
    """
    if new is None or old is None:
        return None
    places = max(figure_decimals(new), figure_decimals(old))
    delta = Decimal(new.replace(",", "")) - Decimal(old.replace(",", ""))
    text = f"{abs(delta):.{places}f}"
    if delta > 0:
        return f"+{text}"
    return f"-{text}" if delta < 0 else text


class PagePlanner:
    """Turns a validated card (and its chart specs) into the list of pages of its site."""

    def __init__(self, card: Card, charts: list[ChartSpec]) -> None:
        self.card = card
        self.charts = charts
        self.scores = {(r.variant, r.benchmark, r.language): r for r in card.results}
        self.terms = {t.term: t for t in card.glossary}

    # -- public

    def pages(self) -> list[Page]:
        card = self.card
        pages = [self.home()]
        pages += [self.variant_page(v) for v in card.own_variants]
        pages += [self.category_page(c.id) for c in card.categories]
        pages += [
            self.compare_page(),
            self.prose_page(
                "training.md",
                "Training and environmental impact",
                "training",
                "training.md.jinja",
                extra=self.training_context("training.md"),
            ),
            self.prose_page(
                "intended-use.md",
                "Intended use and license",
                "intended-use",
                "intended-use.md.jinja",
                extra={"license": card.family.license},
            ),
            self.prose_page("safety.md", "Responsibility and safety", "safety", "prose.md.jinja"),
            self.glossary_page(),
            self.downloads_page(),
        ]
        return pages

    def nav(self, pages: list[Page]) -> list[dict[str, Any]]:
        """MkDocs ``nav``: grouped so each page carries a small nav as families grow."""
        sections: dict[str, list[dict[str, str]]] = {}
        for page in pages:
            sections.setdefault(page.section, []).append({page.title: page.src})
        return [{name: entries} for name, entries in sections.items()]

    # -- building blocks shared by several pages

    def score(self, variant_id: str, benchmark: Benchmark, language: str | None = None) -> Score:
        result: Result | None = self.scores.get((variant_id, benchmark.id, language))
        if result is None:
            return Score(None, NOT_IN_TABLE)
        if result.value is None:
            return Score(None, MISSING_EXPLANATIONS[result.missing or "not_reported"])
        return Score(result.value)

    def metric_parts(self, src: str, metric: str | None) -> list[dict[str, str | None]]:
        """``macro_avg/acc_char`` -> its parts, each linked to its glossary entry if it has one."""
        if not metric:
            return []
        parts: list[dict[str, str | None]] = []
        for i, part in enumerate(metric.split("/")):
            term = self.terms.get(part)
            parts.append(
                {
                    "sep": "/" if i else "",
                    "text": part,
                    "title": term.title if term else None,
                    "href": rel(src, f"glossary.md#{term.id}") if term else None,
                }
            )
        return parts

    def benchmark_row(self, src: str, benchmark: Benchmark) -> dict[str, Any]:
        return {
            "id": benchmark.id,
            "name": benchmark.name,
            "href": rel(src, f"{category_src(benchmark.category)}#{benchmark.id}"),
            "shots": benchmark.shots,
            "metric": self.metric_parts(src, benchmark.metric),
            "cot": benchmark.cot,
            "cot_term": self.term(src, "CoT") if benchmark.cot else None,
        }

    def term(self, src: str, term: str) -> dict[str, str]:
        """A term as the ``term`` macro shows it: with its hover title and glossary link when
        the card's glossary has it, as plain text otherwise."""
        entry = self.terms.get(term)
        if entry is None:
            return {"text": term, "title": "", "href": ""}
        return {"text": term, "title": entry.title, "href": rel(src, f"glossary.md#{entry.id}")}

    def chart(self, src: str, spec: ChartSpec) -> dict[str, Any]:
        width, height = spec.figure_size()
        return {
            "id": spec.id,
            "title": spec.title,
            "alt": spec.alt,
            "light": rel(src, f"charts/{spec.id}-light.svg"),
            "dark": rel(src, f"charts/{spec.id}-dark.svg"),
            "columns": spec.columns,
            "rows": spec.rows,
            "has_missing": any(MISSING_DASH in row for row in spec.rows),
            # CSS pixels (96 an inch): the page keeps the chart's room while it loads lazily.
            "width": round(width * 96),
            "height": round(height * 96),
        }

    def charts_for(self, src: str, kind: str, subject: str) -> list[dict[str, Any]]:
        return [self.chart(src, s) for s in self.charts if s.subject == (kind, subject)]

    def variant_link(self, src: str, variant: Variant) -> str | None:
        return None if variant.comparison else rel(src, variant_src(variant))

    def size_facts(self, params: str) -> dict[str, str] | None:
        info = self.card.family.model_information
        size = next((s for s in info.sizes if s.params == params), None)
        return size.model_dump() if size else None

    # -- pages

    def home(self) -> Page:
        card, src = self.card, "index.md"
        info = card.family.model_information
        categories = [
            {
                "name": c.name,
                "href": rel(src, category_src(c.id)),
                "count": sum(b.category == c.id for b in card.benchmarks),
                "description": c.description,
            }
            for c in card.categories
        ]
        variants = [
            {"name": v.name, "href": rel(src, variant_src(v)), "kind": v.kind, "params": v.params}
            for v in card.own_variants
        ]
        return Page(
            src,
            card.family.name,
            "home.md.jinja",
            "Overview",
            {
                "family": card.family,
                "info": info,
                "sizes": [s.params for s in info.sizes],
                "languages": card.family.supported_languages,
                "variants": variants,
                "categories": categories,
                "sections": [s for s in card.sections if s.page == "overview"],
                "charts": self.charts_for(src, "overview", "scaling"),
                "links": {
                    "training": rel(src, "training.md"),
                    "intended_use": rel(src, "intended-use.md"),
                    "safety": rel(src, "safety.md"),
                    "glossary": rel(src, "glossary.md"),
                    "compare": rel(src, "compare.md"),
                    "gqa": self.term(src, "GQA"),
                },
            },
        )

    def comparison_for(self, variant: Variant) -> Variant | None:
        """The other family's model of the same size and kind, if the card prints one."""
        return next(
            (
                v
                for v in self.card.variants
                if v.comparison and v.params == variant.params and v.kind == variant.kind
            ),
            None,
        )

    def variant_page(self, variant: Variant) -> Page:
        card, src = self.card, variant_src(variant)
        other = self.comparison_for(variant)
        groups = []
        for category in card.categories:
            rows = []
            for b in card.benchmarks:
                if b.category != category.id or b.per_language:
                    continue
                mine = self.score(variant.id, b)
                if mine.text is None and mine.why_missing == NOT_IN_TABLE:
                    continue
                theirs = self.score(other.id, b) if other else None
                rows.append(
                    self.benchmark_row(src, b)
                    | {
                        "score": mine,
                        "other": theirs,
                        "delta": signed_difference(mine.text, theirs.text if theirs else None),
                    }
                )
            if rows:
                groups.append(
                    {
                        "id": category.id,
                        "name": category.name,
                        "href": rel(src, category_src(category.id)),
                        "rows": rows,
                    }
                )
        multilingual = []
        for b in card.benchmarks:
            if not b.per_language:
                continue
            langs = card.results_for(variant=variant.id, benchmark=b.id)
            if langs:
                multilingual.append(
                    self.benchmark_row(src, b)
                    | {
                        "label": card.table(b.table).column_labels.get(variant.id, variant.name),
                        "rows": [
                            {
                                "language": r.language_label or r.language,
                                "native": self.native_name(r.language),
                                "code": r.language,
                                "score": self.score(variant.id, b, r.language),
                            }
                            for r in langs
                        ],
                        "notes": card.table(b.table).notes,
                    }
                )
        siblings = [
            {
                "name": v.name,
                "href": rel(src, variant_src(v)),
                "relation": self.relation(variant, v),
            }
            for v in card.own_variants
            if v.id != variant.id
        ]
        base = card.variant(variant.base) if variant.base else None
        return Page(
            src,
            variant.name,
            "variant.md.jinja",
            "Variants",
            {
                "variant": variant,
                "family": card.family,
                "base": {"name": base.name, "href": rel(src, variant_src(base))} if base else None,
                "size": self.size_facts(variant.params),
                "info": card.family.model_information,
                "training": self.training_row(variant.params),
                "training_href": rel(src, "training.md"),
                "other": other,
                "groups": groups,
                "multilingual": multilingual,
                "siblings": siblings,
                "charts": self.charts_for(src, "variant", variant.id),
                "gqa": self.term(src, "GQA"),
                "tco2eq": self.term(src, "tCO2eq"),
            },
        )

    def languages_of(self, benchmark: Benchmark) -> dict[str | None, str | None]:
        """Language code -> the row label the card prints, in the card's row order."""
        return {r.language: r.language_label for r in self.card.results_for(benchmark=benchmark.id)}

    def relation(self, variant: Variant, other: Variant) -> str:
        if other.params == variant.params:
            return "instruct version" if other.kind == "instruct" else "pretrained base"
        return f"other size, {other.kind}"

    def native_name(self, code: str | None) -> str | None:
        lang = next((x for x in self.card.family.supported_languages if x.code == code), None)
        return lang.native_name if lang else None

    def training_row(self, params: str) -> dict[str, Any] | None:
        row = next((r for r in self.card.training.rows if r.params == params), None)
        return row.model_dump() if row else None

    def category_page(self, category_id: str) -> Page:
        card, src = self.card, category_src(category_id)
        category = card.category(category_id)
        sections = []
        for table in card.tables:
            benchmarks = [
                b for b in card.benchmarks if b.category == category_id and b.table == table.id
            ]
            if not benchmarks:
                continue
            columns = [
                {
                    "label": label,
                    "variant": card.variant(vid),
                    "href": self.variant_link(src, card.variant(vid)),
                }
                for vid, label in table.column_labels.items()
            ]
            entries = []
            for b in benchmarks:
                entry = self.benchmark_row(src, b)
                if b.per_language:
                    languages = self.languages_of(b)
                    entry["languages"] = [
                        {
                            "name": label or code,
                            "native": self.native_name(code),
                            "code": code,
                            "scores": [self.score(c["variant"].id, b, code) for c in columns],
                        }
                        for code, label in languages.items()
                    ]
                else:
                    entry["scores"] = [
                        {"column": c, "score": self.score(c["variant"].id, b)} for c in columns
                    ]
                entries.append(entry)
            charts = [
                self.chart(src, s)
                for s in self.charts
                if s.table == table.id and s.subject == ("category", category_id)
            ]
            charts += [
                self.chart(src, s)
                for s in self.charts
                if s.subject[0] == "multilingual" and s.subject[1] in {b.id for b in benchmarks}
            ]
            sections.append(
                {
                    "id": f"{table.id}-models",
                    "title": table.title,
                    "notes": table.notes,
                    "columns": columns,
                    "benchmarks": entries,
                    "charts": charts,
                }
            )
        related = [
            {
                "name": b.name,
                "href": rel(src, f"{category_src(b.category)}#{b.id}"),
                "category": card.category(b.category).name,
            }
            for b in card.benchmarks
            if category_id == "multilingual" and b.per_language and b.category != category_id
        ]
        return Page(
            src,
            category.name,
            "category.md.jinja",
            "Benchmarks",
            {
                "category": category,
                "sections": sections,
                "related": related,
                "compare": rel(src, "compare.md"),
            },
        )

    def compare_page(self) -> Page:
        card, src = self.card, "compare.md"
        columns = [
            {"name": v.name, "href": self.variant_link(src, v), "variant": v} for v in card.variants
        ]
        rows = []
        for b in card.benchmarks:
            languages = self.languages_of(b) if b.per_language else {None: None}
            for code, label in languages.items():
                rows.append(
                    self.benchmark_row(src, b)
                    | {
                        "category": card.category(b.category).name,
                        "table": card.table(b.table).title,
                        "language": label,
                        "scores": [self.score(c["variant"].id, b, code) for c in columns],
                    }
                )
        return Page(
            src,
            "Compare",
            "compare.md.jinja",
            "Benchmarks",
            {
                "columns": columns,
                "rows": rows,
                "sections": [s for s in card.sections if s.page == "benchmarks"],
            },
        )

    def training_context(self, src: str) -> dict[str, Any]:
        t = self.card.training
        return {
            "training": t,
            "rows": [r.model_dump() for r in t.rows],
            "total": t.total.model_dump(),
            "columns": t.column_labels,
            "charts": self.charts_for(src, "training", "gpu-hours")
            + self.charts_for(src, "training", "emissions"),
            "tco2eq": self.term(src, "tCO2eq"),
        }

    def prose_page(
        self, src: str, title: str, page_id: str, template: str, extra: dict[str, Any] | None = None
    ) -> Page:
        sections = [s for s in self.card.sections if s.page == page_id]
        return Page(
            src,
            title,
            template,
            "About" if page_id != "training" else "Overview",
            {"sections": sections, **(extra or {})},
        )

    def downloads_page(self) -> Page:
        src = "downloads.md"
        files = [
            {"name": name, "href": rel(src, f"{DOWNLOADS_DIR}/{name}"), "about": about}
            for name, about in download_files(self.card).items()
        ]
        charts = [
            {
                "title": s.title,
                "svg": rel(src, f"charts/{s.id}-light.svg"),
                "png": rel(src, f"charts/{s.id}.png"),
            }
            for s in self.charts
        ]
        return Page(
            src, "Downloads", "downloads.md.jinja", "About", {"files": files, "charts": charts}
        )

    def glossary_page(self) -> Page:
        return Page(
            "glossary.md", "Glossary", "glossary.md.jinja", "About", {"terms": self.card.glossary}
        )
