"""Checks that span fields and files: unique ids, references, values, and the card's own sums.

Per-field rules live on the models; what is here needs more than one value to decide. Errors
stop the build. The card's own inconsistencies (a declared row count that does not match, totals
that do not add up, a score outside its scale) are warnings: cardsite reports them and publishes
the card as written. Whatever a build needs to hold is checked here, so that a card that
validates builds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cardsite.card import limits
from cardsite.card.ids import GENERATED_ANCHORS, WINDOWS_RESERVED
from cardsite.card.languages import unsupported_search_languages
from cardsite.card.models import (
    KNOWN_PAGES,
    FamilyFile,
    ProseFile,
    ResultsFile,
    Row,
    Scores,
    TablesFile,
    VariantsFile,
    is_missing_mark,
    slug_of,
)
from cardsite.card.problems import Problem, YamlPath, unknown
from cardsite.card.values import Form, parse, plain, total_matches
from cardsite.card.yamlsource import YamlDocument


class _Checker:
    def __init__(self, parsed: dict[str, Any], docs: dict[str, YamlDocument]) -> None:
        self.docs = docs
        self.family: FamilyFile = parsed["family.yaml"]
        self.variants: VariantsFile | None = parsed.get("variants.yaml")
        self.results: ResultsFile | None = parsed.get("results.yaml")
        self.tables: TablesFile | None = parsed.get("tables.yaml")
        self.prose: ProseFile | None = parsed.get("prose.yaml")
        self.problems: list[Problem] = []
        self.variant_ids = {v.id: v for v in self.variants.variants} if self.variants else {}

    # -- reporting

    def error(self, file: str, path: YamlPath, message: str, *, key: bool = False) -> None:
        self.problems.append(self.docs[file].problem(path, message, key=key))

    def warn(self, file: str, path: YamlPath, message: str, *, key: bool = False) -> None:
        self.problems.append(self.docs[file].problem(path, message, key=key, severity="warning"))

    def unique(self, file: str, entries: Iterable[tuple[YamlPath, str]], what: str) -> None:
        seen: dict[str, YamlPath] = {}
        for path, value in entries:
            if value in seen:
                first = self.docs[file].locate(seen[value])[0]
                self.error(file, path, f"duplicate {what} {value!r} (first at line {first})")
            else:
                seen[value] = path

    def refer(
        self, file: str, path: YamlPath, value: str, known: Iterable[str], what: str, **kw: Any
    ) -> bool:
        names = set(known)
        if value in names:
            return True
        self.error(file, path, unknown(what, value, names), **kw)
        return False

    # -- the checks

    def run(self) -> list[Problem]:
        self.check_family()
        if self.variants:
            self.check_variants()
        if self.results:
            self.check_results()
        if self.tables:
            self.check_tables()
        if self.prose:
            self.check_prose()
        self.check_anchors()
        return sorted(self.problems)

    def glossary_ids(self) -> set[str]:
        return {t.id for t in self.family.glossary}

    def check_family(self) -> None:
        f = "family.yaml"
        family = self.family.family
        self.unique(
            f,
            ((("family", "languages", i, "code"), x.code) for i, x in enumerate(family.languages)),
            "language code",
        )
        self.unique(
            f, ((("glossary", i, "id"), t.id) for i, t in enumerate(self.family.glossary)), "id"
        )
        self.unique(
            f,
            (
                (("comparison_families", i, "id"), c.id)
                for i, c in enumerate(self.family.comparison_families)
            ),
            "id",
        )
        self.check_facts(f, ("family", "facts"), family.facts)
        for code in unsupported_search_languages(x.code for x in family.languages):
            i = next(i for i, x in enumerate(family.languages) if x.code == code)
            self.warn(
                f,
                ("family", "languages", i, "code"),
                f"site search has no stemmer or word splitter for {code!r}; its words are "
                "still found whole",
            )

    def check_facts(self, file: str, path: YamlPath, facts: list[Any]) -> None:
        self.unique(
            file,
            (
                ((*path, i, "id"), fact.id or slug_of(fact.label, "fact"))
                for i, fact in enumerate(facts)
            ),
            "fact id (a label's id)",
        )
        for i, fact in enumerate(facts):
            if fact.term is not None:
                self.refer(
                    file, (*path, i, "term"), fact.term, self.glossary_ids(), "glossary entry"
                )

    def check_variants(self) -> None:
        f = "variants.yaml"
        assert self.variants is not None
        variants = self.variants.variants
        self.unique(f, ((("variants", i, "id"), v.id) for i, v in enumerate(variants)), "id")
        self.unique(f, ((("variants", i, "name"), v.name) for i, v in enumerate(variants)), "name")
        families = {c.id for c in self.family.comparison_families}
        for i, v in enumerate(variants):
            here = ("variants", i)
            if v.id in WINDOWS_RESERVED:
                self.error(f, (*here, "id"), _reserved(v.id))
            if v.family is not None:
                if not v.comparison:
                    self.error(
                        f,
                        (*here, "family"),
                        "only a comparison variant (comparison: true) names another family",
                    )
                else:
                    self.refer(f, (*here, "family"), v.family, families, "comparison family")
            if v.derived_from is not None:
                if v.derived_from == v.id:
                    self.error(f, (*here, "derived_from"), "a variant cannot derive from itself")
                else:
                    self.refer(
                        f, (*here, "derived_from"), v.derived_from, self.variant_ids, "variant"
                    )
            for j, other in enumerate(v.compare_with):
                if other == v.id:
                    self.error(
                        f, (*here, "compare_with", j), "a variant is not compared with itself"
                    )
                else:
                    self.refer(f, (*here, "compare_with", j), other, self.variant_ids, "variant")
            self.check_facts(f, (*here, "facts"), v.facts)
        self.check_derivation_loops()

    def check_derivation_loops(self) -> None:
        for i, v in enumerate(self.variants.variants if self.variants else []):
            seen = {v.id}
            current = v.derived_from
            while current is not None and current in self.variant_ids:
                if current in seen:
                    self.error(
                        "variants.yaml",
                        ("variants", i, "derived_from"),
                        f"derived_from goes round in a loop through {current!r}",
                    )
                    break
                seen.add(current)
                current = self.variant_ids[current].derived_from

    def check_results(self) -> None:
        f = "results.yaml"
        assert self.results is not None
        results = self.results
        self.unique(
            f, ((("categories", i, "id"), c.id) for i, c in enumerate(results.categories)), "id"
        )
        self.unique(
            f, ((("metrics", i, "name"), m.name) for i, m in enumerate(results.metrics)), "metric"
        )
        for i, c in enumerate(results.categories):
            if c.id in WINDOWS_RESERVED:
                self.error(f, ("categories", i, "id"), _reserved(c.id))
        self.unique(f, ((("results", i, "id"), t.id) for i, t in enumerate(results.results)), "id")
        categories = {c.id for c in results.categories}
        ids: list[tuple[YamlPath, str]] = []
        rows = cells = lines = 0
        for ti, table in enumerate(results.results):
            here: YamlPath = ("results", ti)
            for variant in table.columns:
                self.refer(
                    f, (*here, "columns", variant), variant, self.variant_ids, "variant", key=True
                )
            if table.category is not None:
                self.refer(f, (*here, "category"), table.category, categories, "category")
            elif any(r.category is None for r in table.rows) and table.id in WINDOWS_RESERVED:
                self.error(f, (*here, "id"), _reserved(table.id))
            for variant, other in table.compare_with.items():
                self.refer(
                    f, (*here, "compare_with", variant), variant, table.columns, "column", key=True
                )
                self.refer(f, (*here, "compare_with", variant), other, table.columns, "column")
            marks = {n.mark for n in table.footnotes}
            declared = 0
            for ri, row in enumerate(table.rows):
                at = (*here, "rows", ri)
                ids.append(
                    ((*at, "id" if row.id else "name"), row.id or slug_of(row.name, "benchmark"))
                )
                if row.category is not None:
                    self.refer(f, (*at, "category"), row.category, categories, "category")
                for k, mark in enumerate(row.footnotes):
                    self.refer(f, (*at, "footnotes", k), mark, marks, "footnote mark")
                rows += 1
                declared += max(len(row.subsets), 1)
                lines += max(len(row.subsets), 1)
                if row.subsets:
                    self.unique(
                        f,
                        (
                            ((*at, "subsets", si, "name"), s.name)
                            for si, s in enumerate(row.subsets)
                        ),
                        "subset",
                    )
                    for si, subset in enumerate(row.subsets):
                        cells += self.check_cells(
                            f, (*at, "subsets", si), subset, table.columns, row
                        )
                        for k, mark in enumerate(subset.footnotes):
                            self.refer(
                                f,
                                (*at, "subsets", si, "footnotes", k),
                                mark,
                                marks,
                                "footnote mark",
                            )
                else:
                    cells += self.check_cells(f, at, row, table.columns, row)
            if table.declared_rows is not None and declared != table.declared_rows:
                self.warn(
                    f,
                    (*here, "declared_rows"),
                    f"table {table.title!r} declares {table.declared_rows} rows but the card "
                    f"gives {declared}; published as given",
                )
        self.benchmark_ids = ids
        self.unique(f, ids, "benchmark id (write an id: for one of the rows)")
        if rows > limits.MAX_BENCHMARKS:
            self.error(
                f, ("results",), f"{rows:,} benchmark rows; the limit is {limits.MAX_BENCHMARKS:,}"
            )
        if cells > limits.MAX_CELLS:
            self.error(f, ("results",), f"{cells:,} score cells; the limit is {limits.MAX_CELLS:,}")
        compare = lines * len(self.variant_ids)
        if compare > limits.MAX_COMPARE_CELLS:
            self.error(
                f,
                ("results",),
                f"the Compare page would have {compare:,} cells ({len(self.variant_ids):,} "
                f"variants x {lines:,} benchmark rows and subsets); the limit is "
                f"{limits.MAX_COMPARE_CELLS:,}",
            )

    def check_cells(
        self, f: str, at: YamlPath, cells: Scores, columns: dict[str, str], row: Row
    ) -> int:
        for field in ("scores", "missing", "errors"):
            for variant in getattr(cells, field):
                if variant not in columns:
                    self.error(
                        f,
                        (*at, field, variant),
                        f"{variant!r} is not a column of this table; its columns: "
                        f"{', '.join(columns) or '(none)'}",
                        key=True,
                    )
        for variant in cells.scores.keys() & cells.missing.keys():
            self.error(
                f,
                (*at, "missing", variant),
                f"{variant!r} has both a score and a missing reason",
                key=True,
            )
        for variant in cells.errors.keys() - cells.scores.keys():
            self.error(
                f, (*at, "errors", variant), f"{variant!r} has an error but no score", key=True
            )
        for variant, text in cells.scores.items():
            path = (*at, "scores", variant)
            if is_missing_mark(text):
                self.error(
                    f,
                    path,
                    f"{text!r} is not a score: for a cell with no score write it under missing "
                    f"({variant}: {{mark: {text!r}, reason: not_reported}})",
                )
                continue
            value = parse(text)
            number = value.magnitude
            if row.range is not None and number is not None:
                low, high = row.range
                if not low <= number <= high:
                    self.error(
                        f, path, f"score {text} is outside the row's range ({low:g} to {high:g})"
                    )
            elif row.scale == "0-100" and number is not None and not 0 <= number <= 100:
                self.warn(
                    f, path, f"score {text} is outside the row's 0-100 scale; published as given"
                )
            elif row.scale == "0-1" and number is not None and not 0 <= number <= 1:
                self.warn(
                    f, path, f"score {text} is outside the row's 0-1 scale; published as given"
                )
        return len(cells.scores) + len(cells.missing)

    def check_tables(self) -> None:
        f = "tables.yaml"
        assert self.tables is not None
        pages = (
            set(KNOWN_PAGES) | {p.id for p in self.prose.pages} if self.prose else set(KNOWN_PAGES)
        )
        self.unique(
            f, ((("tables", i, "id"), t.id) for i, t in enumerate(self.tables.tables)), "id"
        )
        for ti, table in enumerate(self.tables.tables):
            here: YamlPath = ("tables", ti)
            self.refer(f, (*here, "page"), table.page, pages, "page")
            width = len(table.columns)
            marks = {n.mark for n in table.footnotes}
            for ri, row in enumerate(table.rows):
                at = (*here, "rows", ri)
                if len(row.cells) != width:
                    self.error(
                        f,
                        (*at, "cells"),
                        f"{len(row.cells)} cells in a table of {width} columns; "
                        "write '' for an empty cell",
                    )
                for k, variant in enumerate(row.variants):
                    self.refer(f, (*at, "variants", k), variant, self.variant_ids, "variant")
                for k, mark in enumerate(row.footnotes):
                    self.refer(f, (*at, "footnotes", k), mark, marks, "footnote mark")
            self.check_totals(ti, table)

    def check_totals(self, ti: int, table: Any) -> None:
        totals = [(ri, r) for ri, r in enumerate(table.rows) if r.total]
        parts = [r for r in table.rows if not r.total]
        for ci, column in enumerate(table.columns):
            if column.role is None:
                continue
            for ri, total in totals:
                if ci >= len(total.cells) or not total.cells[ci]:
                    continue
                texts = [r.cells[ci] for r in parts if ci < len(r.cells) and r.cells[ci]]
                values = [parse(t) for t in texts]
                published = parse(total.cells[ci])
                if total_matches(values, published) is False:
                    added = sum(v.number for v in values if v.number is not None)
                    self.warn(
                        "tables.yaml",
                        ("tables", ti, "rows", ri, "cells", ci),
                        f"the rows add up to {plain(added)} ({' + '.join(texts)}) but the total "
                        f"is published as {total.cells[ci]}; published as given",
                    )
            for ri, row in enumerate(table.rows):
                if ci < len(row.cells) and row.cells[ci]:
                    value = parse(row.cells[ci])
                    if value.form is not Form.TEXT and value.magnitude is None:
                        self.warn(
                            "tables.yaml",
                            ("tables", ti, "rows", ri, "cells", ci),
                            f"{row.cells[ci]} is too large to draw; printed, not charted",
                        )

    def check_prose(self) -> None:
        f = "prose.yaml"
        assert self.prose is not None
        self.unique(
            f, ((("pages", i, "id"), p.id) for i, p in enumerate(self.prose.pages)), "page id"
        )
        for i, page in enumerate(self.prose.pages):
            if page.id in KNOWN_PAGES or page.id in WINDOWS_RESERVED or page.id in _SITE_FOLDERS:
                self.error(
                    f,
                    ("pages", i, "id"),
                    f"{page.id!r} is a page or folder the site already has; choose another id",
                )
        pages = set(KNOWN_PAGES) | {p.id for p in self.prose.pages}
        for i, section in enumerate(self.prose.sections):
            self.refer(f, ("sections", i, "page"), section.page, pages, "page")
        total = sum(len(s.markdown) for s in self.prose.sections)
        if total > limits.MAX_PROSE_TOTAL:
            self.error(
                f,
                ("sections",),
                f"{total:,} characters of prose in all; the limit is {limits.MAX_PROSE_TOTAL:,}",
            )

    def check_anchors(self) -> None:
        """Card ids that become anchors (``#id``) must differ from each other on the page they
        land on, and from the anchors the site writes for its own headings."""
        entries: list[tuple[str, str, YamlPath, str, str]] = []  # page, file, path, id, what
        if self.prose:
            for i, s in enumerate(self.prose.sections):
                entries.append((s.page, "prose.yaml", ("sections", i, "id"), s.id, "section"))
        if self.results:
            for path, value in getattr(self, "benchmark_ids", []):
                entries.append(("category", "results.yaml", path, value, "benchmark"))
            for i, t in enumerate(self.results.results):
                entries.append(("category", "results.yaml", ("results", i, "id"), t.id, "table"))
            for i, c in enumerate(self.results.categories):
                entries.append(
                    ("variant", "results.yaml", ("categories", i, "id"), c.id, "category")
                )
        if self.tables:
            for i, t in enumerate(self.tables.tables):
                entries.append((t.page, "tables.yaml", ("tables", i, "id"), t.id, "table"))
                if any(r.variants for r in t.rows):
                    entries.append(("variant", "tables.yaml", ("tables", i, "id"), t.id, "table"))
        seen: dict[tuple[str, str], tuple[str, YamlPath, str]] = {}
        for page, file, path, value, what in entries:
            if value in GENERATED_ANCHORS:
                self.error(
                    file,
                    path,
                    f"{value!r} is an anchor the site uses for its own headings; choose another id",
                )
            elif (page, value) in seen:
                other_file, other_path, other_what = seen[page, value]
                line = self.docs[other_file].locate(other_path)[0]
                self.error(
                    file,
                    path,
                    f"{what} id {value!r} is also the id of a {other_what} on the same page "
                    f"({other_file}, line {line}); give one of them another id",
                )
            else:
                seen[page, value] = (file, path, what)


_SITE_FOLDERS = frozenset(
    {
        *("variants", "benchmarks", "charts", "downloads", "assets", "search", "embed"),
        *("glossary", "compare", "index", "404", "sitemap"),
    }
)
"""Pages and folders every site has: a page the card adds cannot take their names."""


def _reserved(value: str) -> str:
    return (
        f"id {value!r} is a reserved device name on Windows, where the page {value}.md could "
        "not be created; choose another id"
    )


def check_card(parsed: dict[str, Any], docs: dict[str, YamlDocument]) -> list[Problem]:
    return _Checker(parsed, docs).run()
