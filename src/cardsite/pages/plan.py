"""Page plans: which pages a card gets, and the plain data each page's template shows.

This is the *collect* half of page generation (the templates are the *render* half). Every
decision is made here, already in display form (published text, relative links, explained
missing cells, signed differences), so templates only loop and format. Links are written between
``.md`` sources; MkDocs turns them into the right URLs for each target and checks every one.

A page exists only when it has something to show: a card without a training table or training
prose has no training page, a variant without a comparison has no Δ column, and no heading is
ever followed by nothing.

Everything is built in time linear in the card's size (lookups go through
:class:`~cardsite.card.index.CardIndex`), so a family of a thousand variants plans in a blink.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cardsite.card.index import NO_SCORE, CardIndex, explain_missing, missing_mark
from cardsite.card.models import (
    KNOWN_PAGES,
    Benchmark,
    Card,
    DataTable,
    Fact,
    Footnote,
    Result,
    ResultsTable,
    Section,
    Variant,
    kind_label,
    kind_relation,
)
from cardsite.card.values import difference

DOWNLOADS_DIR = "downloads"
NAV_GROUP = 40
"""Most entries a nav section lists before it is split into runs."""
CHARTS_DIR = "charts"


# ---------------------------------------------------------------------------- contexts


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Term:
    """Text that may carry a glossary explanation (hover) and link."""

    text: str
    title: str = ""
    href: str = ""


@dataclass(frozen=True)
class Cell:
    """A score cell: the published text, or the card's mark for "no score" and why."""

    text: str
    published: bool
    why: str = ""
    error: str | None = None


@dataclass(frozen=True)
class Chart:
    """A chart as a page shows it: the image, its caption and its data table.

    The image is the chart's SVG file, which follows the reader's light or dark scheme on its
    own; it loads lazily, in the room ``width`` x ``height`` reserves for it."""

    id: str
    title: str
    alt: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    src: str
    """``charts/<id>.svg``, relative to the page."""
    width: int
    height: int
    """CSS pixels (96 an inch), for the aspect ratio."""


@dataclass(frozen=True)
class FactRow:
    label: Term
    value: str
    link: str = ""


@dataclass(frozen=True)
class BenchmarkRow:
    """One benchmark in a table of a page: its name and setting, and cells."""

    id: str
    name: str
    href: str
    group: str | None
    shots: str | None
    metric: list[Term]
    cot: Term | None
    lower_is_better: bool
    subset: str | None = None
    subset_language: str | None = None
    cells: list[Cell] = field(default_factory=list)
    other: Cell | None = None
    delta: Cell | None = None


@dataclass(frozen=True)
class TableView:
    """A table as published (a data table, or a results table's rows on one page)."""

    id: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str]
    footnotes: list[Footnote]
    charts: list[Chart] = field(default_factory=list)


@dataclass(frozen=True)
class Page:
    """One page of the site: where it goes, its H1, its template, nav section, and context."""

    src: str
    title: str
    template: str
    section: str
    context: dict[str, Any] = field(default_factory=dict)


def rel(from_src: str, to_src: str) -> str:
    """A relative Markdown link from one page source to another (``to`` may carry an anchor)."""
    path, _, anchor = to_src.partition("#")
    link = posixpath.relpath(path, posixpath.dirname(from_src) or ".")
    return f"{link}#{anchor}" if anchor else link


def variant_src(variant: Variant) -> str:
    return f"variants/{variant.id}.md"


def category_src(category_id: str) -> str:
    return f"benchmarks/{category_id}.md"


def download_files(card: Card) -> dict[str, str]:
    """File name -> what it holds, for the Downloads page and the files written beside it."""
    slug = card.id
    return {
        f"{slug}-card.json": "The whole validated card as JSON (cardsite format 2).",
        f"{slug}-results.csv": "One row per result: variant, benchmark, category, shots, metric, "
        "language, value as published (empty when the card gives none), table and column.",
        f"{slug}-hf-model-cards.zip": "A Hugging Face model card (README.md with model-index "
        "metadata) for each variant.",
    }


# ---------------------------------------------------------------------------- the planner


class PagePlanner:
    """Turns a validated card and its chart specs into the list of pages of its site."""

    def __init__(self, card: Card, charts: Iterable[Any], *, png: bool = False) -> None:
        self.card = card
        self.png = png  # the charts have PNG copies (for the Downloads page)
        self.index = CardIndex(card)
        self.terms = {t.term: t for t in card.glossary}
        self.term_ids = {t.id: t for t in card.glossary}
        self.specs = list(charts)
        self.charts: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for spec in self.specs:
            self.charts[spec.subject].append(spec)
        self.page_ids = {p.id for p in card.pages}
        self._table_marks: dict[str, set[str]] = {}  # see footnotes()
        self.sections: dict[str, list[Section]] = defaultdict(list)
        for s in card.sections:
            self.sections[s.page].append(s)
        self.data_tables: dict[str, list[DataTable]] = defaultdict(list)
        for t in card.data_tables:
            self.data_tables[t.page].append(t)

    # -- public

    def pages(self) -> list[Page]:
        card = self.card
        pages = [self.home()]
        pages += [self.variant_page(v) for v in card.own_variants]
        pages += [
            self.category_page(c.id) for c in card.categories if self.index.benchmarks_in(c.id)
        ]
        pages.append(self.compare_page())
        if self.has_content("training"):
            pages.append(self.training_page())
        if self.has_content("intended-use") or card.family.license:
            pages.append(self.intended_use_page())
        if self.has_content("safety"):
            pages.append(self.prose_page("safety", "safety.md", KNOWN_PAGES["safety"], "About"))
        for page in card.pages:
            pages.append(self.prose_page(page.id, f"{page.id}.md", page.title, page.section))
        if card.glossary:
            pages.append(self.glossary_page())
        pages.append(self.downloads_page())
        return pages

    def prose_sections(self, page_id: str) -> list[Section]:
        """The page's prose sections, each heading at most one level below the one before it
        (a card may go from ``##`` to ``####``; a page's outline may not skip a level)."""
        sections, previous = [], 1  # the page's H1
        for section in self.sections.get(page_id, []):
            level = min(section.level, previous + 1)
            if level != section.level:
                section = section.model_copy(update={"level": level})
            sections.append(section)
            previous = level
        return sections

    def has_content(self, page_id: str) -> bool:
        return bool(self.sections.get(page_id) or self.data_tables.get(page_id))

    def nav(self, pages: list[Page]) -> list[dict[str, Any]]:
        """MkDocs ``nav``, grouped so each page carries a small nav as families grow.

        Every page embeds the nav, so a flat list of a thousand variants costs a thousand
        squared entries; past :data:`NAV_GROUP` entries, a section is split by kind and into
        runs of at most :data:`NAV_GROUP` (with ``navigation.prune``, a page then holds its own
        run and the other runs' names only).
        """
        sections: dict[str, list[Page]] = {}
        for page in pages:
            sections.setdefault(page.section, []).append(page)
        return [{name: self._nav_entries(name, entries)} for name, entries in sections.items()]

    def _nav_entries(self, section: str, pages: list[Page]) -> list[dict[str, Any]]:
        entries = [{p.title: p.src} for p in pages]
        if len(entries) <= NAV_GROUP:
            return entries
        groups: dict[str, list[dict[str, Any]]] = {}
        for page, entry in zip(pages, entries, strict=True):
            kind = page.context.get("kind") if section == "Variants" else None
            groups.setdefault(kind or section, []).append(entry)
        nested: list[dict[str, Any]] = []
        for name, members in groups.items():
            runs = [members[i : i + NAV_GROUP] for i in range(0, len(members), NAV_GROUP)]
            if len(runs) == 1 and len(groups) > 1:
                nested.append({name: runs[0]})
                continue
            for i, run in enumerate(runs):
                first, last = i * NAV_GROUP + 1, i * NAV_GROUP + len(run)
                nested.append({f"{name} {first}\u2013{last}": run})
        return nested

    # -- building blocks shared by several pages

    def cell(self, result: Result | None) -> Cell:
        if result is None:
            return Cell(missing_mark(None), False, explain_missing(None))
        if result.text is not None:
            return Cell(result.text, True, error=result.error)
        return Cell(missing_mark(result.missing), False, explain_missing(result.missing))

    def delta(self, mine: Result, theirs: Result | None) -> Cell:
        """The difference of two published scores, or why there is none."""
        if mine.value is not None and theirs is not None and theirs.value is not None:
            text = difference(mine.value, theirs.value)
            if text is not None:
                return Cell(text, True)
            return Cell(NO_SCORE, False, "The two scores are not numbers of one kind.")
        return Cell(NO_SCORE, False, "One of the two models has no score here.")

    def marks_used(self, benchmarks: Iterable[Benchmark], variants: Iterable[str]) -> set[str]:
        """Footnote marks these rows name, on the rows or glued to these variants' values."""
        variants = set(variants)
        marks: set[str] = set()
        for b in benchmarks:
            marks.update(b.footnotes, b.subset_footnotes)
            for result in self.index.results_for(benchmark=b.id):
                if result.variant in variants and result.value is not None:
                    marks.update(result.value.footnotes)
        return marks

    def footnotes(self, table: ResultsTable, used: set[str], *, fallback: bool) -> list[Footnote]:
        """The table's footnotes that apply where it is shown. With ``fallback`` (the whole
        table is shown), all of them when the card marks none of its cells or rows."""
        shown = [n for n in table.footnotes if n.mark in used]
        if not shown and fallback:
            everywhere = self._table_marks.get(table.id)
            if everywhere is None:  # once per table, not once per page that shows it
                everywhere = self.marks_used(
                    [b for b in self.card.benchmarks if b.table == table.id], table.columns
                )
                self._table_marks[table.id] = everywhere
            if not everywhere & {n.mark for n in table.footnotes}:
                return list(table.footnotes)
        return shown

    def term(self, src: str, text: str) -> Term:
        """Text with its glossary hover and link when the glossary has it."""
        entry = self.terms.get(text)
        if entry is None:
            return Term(text)
        return Term(text, entry.title, rel(src, f"glossary.md#{entry.id}"))

    def metric_terms(self, src: str, metric: str | None) -> list[Term]:
        """``macro_avg/acc_char`` -> its parts, each explained when the glossary has it."""
        if not metric:
            return []
        parts = metric.split("/")
        if not any(p in self.terms for p in parts):
            return [Term(metric)]
        return [self.term(src, p) for p in parts]

    def benchmark_row(self, src: str, b: Benchmark, **extra: Any) -> BenchmarkRow:
        return BenchmarkRow(
            id=b.id,
            name=b.label,
            href=rel(src, f"{category_src(b.category)}#{b.id}"),
            group=b.group,
            shots=b.shots,
            metric=self.metric_terms(src, b.metric),
            cot=self.term(src, "CoT") if b.cot else None,
            lower_is_better=not b.higher_is_better,
            **extra,
        )

    def chart(self, src: str, spec: Any) -> Chart:
        width, height = spec.figure_size()
        return Chart(
            id=spec.id,
            title=spec.title,
            alt=spec.alt,
            columns=tuple(spec.columns),
            rows=tuple(tuple(r) for r in spec.rows),
            src=rel(src, f"{CHARTS_DIR}/{spec.id}.svg"),
            width=round(width * 96),
            height=round(height * 96),
        )

    def charts_for(self, src: str, kind: str, subject: str) -> list[Chart]:
        return [self.chart(src, s) for s in self.charts.get((kind, subject), [])]

    def variant_link(self, src: str, variant: Variant) -> str:
        return "" if variant.comparison else rel(src, variant_src(variant))

    def fact_rows(self, src: str, facts: Iterable[Fact]) -> list[FactRow]:
        rows = []
        for fact in facts:
            entry = self.term_ids.get(fact.term) if fact.term else None
            label = (
                Term(fact.label, entry.title, rel(src, f"glossary.md#{entry.id}"))
                if entry
                else self.term(src, fact.label)
            )
            rows.append(FactRow(label, fact.value))
        return rows

    def table_view(self, src: str, table: DataTable) -> TableView:
        charts = self.charts_for(src, "training", table.id)
        return TableView(
            id=table.id,
            title=table.title,
            columns=[c.label for c in table.columns],
            rows=[list(r.cells) for r in table.rows],
            notes=list(table.notes),
            footnotes=list(table.footnotes),
            charts=charts,
        )

    def section_links(self, src: str) -> list[Link]:
        """The card's other pages, for the home page."""
        links = []
        if self.has_content("training"):
            links.append(Link(KNOWN_PAGES["training"], rel(src, "training.md")))
        if self.has_content("intended-use") or self.card.family.license:
            links.append(Link(KNOWN_PAGES["intended-use"], rel(src, "intended-use.md")))
        if self.has_content("safety"):
            links.append(Link(KNOWN_PAGES["safety"], rel(src, "safety.md")))
        links += [Link(p.title, rel(src, f"{p.id}.md")) for p in self.card.pages]
        if self.card.glossary:
            links.append(Link("Glossary", rel(src, "glossary.md")))
        links.append(Link("Downloads", rel(src, "downloads.md")))
        return links

    # -- pages

    def home(self) -> Page:
        card, src = self.card, "index.md"
        family = card.family
        facts: list[FactRow] = []
        if family.developer:
            facts.append(FactRow(Term("Developer"), family.developer))
        if family.release_date:
            facts.append(FactRow(Term("Release date"), family.release_date))
        if family.status:
            facts.append(FactRow(Term("Status"), family.status))
        if family.license:
            facts.append(FactRow(Term("License"), family.license.name, family.license.url or ""))
        sizes = list(dict.fromkeys(v.size for v in card.own_variants if v.size))
        if sizes:
            facts.append(FactRow(Term("Sizes"), ", ".join(sizes)))
        facts += self.fact_rows(src, family.facts)
        variants = [
            {
                "link": Link(v.name, rel(src, variant_src(v))),
                "size": v.size or "",
                "kind": kind_label(v.kind),
                "scores": self.index.published_count(v.id),
            }
            for v in card.own_variants
        ]
        categories = [
            {
                "link": Link(c.name, rel(src, category_src(c.id))),
                "count": len(self.index.benchmarks_in(c.id)),
                "description": c.description or "",
            }
            for c in card.categories
            if self.index.benchmarks_in(c.id)
        ]
        return Page(
            src,
            family.name,
            "home.md.jinja",
            "Overview",
            {
                "family": family,
                "facts": facts,
                "variants": variants,
                "show_sizes": any(v["size"] for v in variants),
                "show_kinds": any(v["kind"] for v in variants),
                "categories": categories,
                "show_about": any(c["description"] for c in categories),
                "compare": rel(src, "compare.md") if card.benchmarks else "",
                "charts": self.charts_for(src, "overview", "scaling"),
                "languages": [
                    {"name": x.name, "native": x.native_name or "", "code": x.code}
                    for x in family.languages
                ],
                "tables": [self.table_view(src, t) for t in self.data_tables.get("overview", [])],
                "links": [Link(x.title, x.url) for x in family.links],
                "pages": self.section_links(src),
                "sections": self.prose_sections("overview"),
            },
        )

    def variant_page(self, variant: Variant) -> Page:
        card, index, src = self.card, self.index, variant_src(variant)
        base = index.derived_from(variant)
        groups: dict[str, list[BenchmarkRow]] = {}
        others: set[str] = set()
        subsets = []
        lower = False
        subset_rows: set[str] = set()
        for result in index.results_for(variant=variant.id):
            b = index.benchmark(result.benchmark)
            table = index.table(b.table)
            if b.subsets:
                if b.id not in subset_rows:
                    subset_rows.add(b.id)
                    subsets.append(self.variant_subsets(src, variant, b, table))
                continue
            other = index.compared_with(variant, table)
            theirs = index.result(other.id, b.id) if other else None
            delta = None
            if other is not None:
                others.add(other.name)
                delta = self.delta(result, theirs)
            lower = lower or not b.higher_is_better
            groups.setdefault(b.category, []).append(
                self.benchmark_row(
                    src,
                    b,
                    cells=[self.cell(result)],
                    other=self.cell(theirs) if other else None,
                    delta=delta,
                )
            )
        results = [
            {
                "id": category_id,
                "link": Link(index.category(category_id).name, rel(src, category_src(category_id))),
                "rows": rows,
                "compared": any(r.other is not None for r in rows),
                "footnotes": self.variant_footnotes(variant, [index.benchmark(r.id) for r in rows]),
            }
            for category_id, rows in groups.items()
        ]
        related = []
        if base is not None:
            related.append(
                {
                    "link": Link(base.name, self.variant_link(src, base)),
                    "relation": f"this model {kind_relation(variant.kind)} it",
                }
            )
        for child in index.derivatives(variant):
            related.append(
                {
                    "link": Link(child.name, self.variant_link(src, child)),
                    "relation": f"{kind_relation(child.kind)} this model",
                }
            )
        tables = [
            {
                "table": Link(table.title, rel(src, f"{self.page_of(table)}#{table.id}")),
                "id": table.id,
                "label": row.cells[0] if row.cells else "",
                "rows": [
                    (column.label, cell)
                    for column, cell in zip(table.columns[1:], row.cells[1:], strict=False)
                    if cell
                ],
            }
            for table, row in index.rows_about(variant)
        ]
        facts = [FactRow(Term("Kind"), kind_label(variant.kind))] if variant.kind else []
        if variant.size:
            facts.append(FactRow(Term("Size"), variant.size))
        facts += self.fact_rows(src, index.facts_for(variant))
        if card.family.license:
            lic = card.family.license
            facts.append(FactRow(Term("License"), lic.name, lic.url or ""))
        if variant.hub_id:
            facts.append(
                FactRow(
                    Term("Hugging Face"), variant.hub_id, f"https://huggingface.co/{variant.hub_id}"
                )
            )
        return Page(
            src,
            variant.name,
            "variant.md.jinja",
            "Variants",
            {
                "variant": variant,
                "kind": kind_label(variant.kind),
                "family": Link(card.family.name, rel(src, "index.md")),
                "base": Link(base.name, self.variant_link(src, base)) if base else None,
                "relation": kind_relation(variant.kind),
                "facts": facts,
                "tables": tables,
                "results": results,
                "compared_with": sorted(others),
                "lower_is_better": lower,
                "subsets": subsets,
                "charts": self.charts_for(src, "variant", variant.id),
                "related": related,
            },
        )

    def variant_footnotes(self, variant: Variant, benchmarks: list[Benchmark]) -> list[Footnote]:
        """Footnotes of the tables these rows come from that this variant's cells name."""
        notes: list[Footnote] = []
        for table_id in dict.fromkeys(b.table for b in benchmarks):
            rows = [b for b in benchmarks if b.table == table_id]
            used = self.marks_used(rows, [variant.id])
            notes += self.footnotes(self.index.table(table_id), used, fallback=False)
        return notes

    def page_of(self, table: DataTable) -> str:
        return "index.md" if table.page == "overview" else f"{table.page}.md"

    def variant_subsets(
        self, src: str, variant: Variant, b: Benchmark, table: ResultsTable
    ) -> dict[str, Any]:
        rows = []
        for name, language in b.subsets:
            rows.append(
                {
                    "name": name,
                    "native": self.index.native_name(language) or "",
                    "language": language,
                    "cell": self.cell(self.index.result(variant.id, b.id, name)),
                }
            )
        return {
            "row": self.benchmark_row(src, b),
            "label": table.columns.get(variant.id, variant.name),
            "table": table.title,
            "rows": rows,
            "notes": list(table.notes),
        }

    def category_page(self, category_id: str) -> Page:
        card, index, src = self.card, self.index, category_src(category_id)
        category = index.category(category_id)
        in_category = index.benchmarks_in(category_id)
        sections = []
        for table in card.tables:
            benchmarks = [b for b in in_category if b.table == table.id]
            if not benchmarks:
                continue
            columns = [
                {
                    "link": Link(label, self.variant_link(src, index.variant(vid))),
                    "id": vid,
                }
                for vid, label in table.columns.items()
            ]
            entries = []
            for b in benchmarks:
                if b.subsets:
                    subsets = [
                        {
                            "name": name,
                            "native": index.native_name(language) or "",
                            "language": language,
                            "cells": [
                                self.cell(index.result(c["id"], b.id, name)) for c in columns
                            ],
                        }
                        for name, language in b.subsets
                    ]
                    entries.append(
                        {
                            "row": self.benchmark_row(src, b),
                            "subsets": subsets,
                            "charts": self.charts_for(src, "subset", b.id),
                        }
                    )
                else:
                    cells = [self.cell(index.result(c["id"], b.id)) for c in columns]
                    entries.append(
                        {
                            "row": self.benchmark_row(src, b, cells=cells),
                            "subsets": [],
                            "charts": [],
                        }
                    )
            used = self.marks_used(benchmarks, [c["id"] for c in columns])
            sections.append(
                {
                    "id": table.id,
                    "title": table.title,
                    "notes": list(table.notes),
                    "footnotes": self.footnotes(table, used, fallback=True),
                    "columns": columns,
                    "benchmarks": entries,
                    "charts": [
                        self.chart(src, s)
                        for s in self.charts.get(("category", category_id), [])
                        if s.table == table.id
                    ],
                }
            )
        return Page(
            src,
            category.name,
            "category.md.jinja",
            "Benchmarks",
            {
                "category": category,
                "sections": sections,
                "compare": rel(src, "compare.md"),
            },
        )

    def compare_page(self) -> Page:
        card, index, src = self.card, self.index, "compare.md"
        columns = [Link(v.name, self.variant_link(src, v)) for v in card.variants]
        rows = []
        for b in card.benchmarks:
            table = index.table(b.table)
            for name, _language in b.subsets or ((None, None),):
                rows.append(
                    {
                        "row": self.benchmark_row(
                            src,
                            b,
                            subset=name,
                            cells=[
                                self.cell(index.result(v.id, b.id, name)) for v in card.variants
                            ],
                        ),
                        "category": index.category(b.category).name,
                        "table": table.title,
                    }
                )
        return Page(
            src,
            KNOWN_PAGES["benchmarks"],
            "compare.md.jinja",
            "Benchmarks",
            {"columns": columns, "rows": rows, "sections": self.prose_sections("benchmarks")},
        )

    def training_page(self) -> Page:
        src = "training.md"
        return Page(
            src,
            KNOWN_PAGES["training"],
            "training.md.jinja",
            "Overview",
            {
                "tables": [self.table_view(src, t) for t in self.data_tables.get("training", [])],
                "sections": self.prose_sections("training"),
            },
        )

    def intended_use_page(self) -> Page:
        src = "intended-use.md"
        return Page(
            src,
            KNOWN_PAGES["intended-use"],
            "intended-use.md.jinja",
            "About",
            {
                "license": self.card.family.license,
                "tables": [
                    self.table_view(src, t) for t in self.data_tables.get("intended-use", [])
                ],
                "sections": self.prose_sections("intended-use"),
            },
        )

    def prose_page(self, page_id: str, src: str, title: str, section: str) -> Page:
        return Page(
            src,
            title,
            "prose.md.jinja",
            section,
            {
                "tables": [self.table_view(src, t) for t in self.data_tables.get(page_id, [])],
                "sections": self.prose_sections(page_id),
            },
        )

    def downloads_page(self) -> Page:
        src = "downloads.md"
        files = [
            {"link": Link(name, rel(src, f"{DOWNLOADS_DIR}/{name}")), "about": about}
            for name, about in download_files(self.card).items()
        ]
        charts = [
            {
                "title": s.title,
                "svg": rel(src, f"{CHARTS_DIR}/{s.id}.svg"),
                "png": rel(src, f"{CHARTS_DIR}/{s.id}.png") if self.png else None,
            }
            for s in self.specs
        ]
        return Page(
            src, "Downloads", "downloads.md.jinja", "About", {"files": files, "charts": charts}
        )

    def glossary_page(self) -> Page:
        return Page(
            "glossary.md", "Glossary", "glossary.md.jinja", "About", {"terms": self.card.glossary}
        )
