"""One index over a card: every lookup pages, charts and exports make, defined once.

Build it once per card (``CardIndex(card)``) and pass it along: each table is built on first
use in time linear in the card's size, and each lookup is then a dictionary access. Also the
one definition of what a cell without a score shows and says (:data:`NO_SCORE`,
:func:`explain_missing`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from cardsite.card.models import (
    Benchmark,
    Card,
    Category,
    DataTable,
    Fact,
    MissingCell,
    Result,
    ResultsTable,
    TableRow,
    Variant,
    slug_of,
)

NO_SCORE = "—"
"""What cardsite prints where a cell has no mark of the card's own (an empty cell, or a model
the table does not hold)."""
NOT_IN_TABLE = "The card does not evaluate this model on this benchmark."

_REASONS = {
    "not_reported": "The card does not report this score",
    "not_applicable": "The card marks this score as not applicable",
    "not_evaluated": "The card did not evaluate this model on this benchmark",
    "not_released": "The card marks this score as not released",
}


def missing_mark(cell: MissingCell | None) -> str:
    """What a cell without a score shows: the card's own mark, else :data:`NO_SCORE`."""
    return cell.mark if cell is not None and cell.mark else NO_SCORE


def explain_missing(cell: MissingCell | None) -> str:
    """Why a cell holds no score, in a sentence (hover text, screen readers, exports)."""
    if cell is None:
        return NOT_IN_TABLE
    if cell.reason is not None:
        text = (
            f"{_REASONS[cell.reason]} (it prints “{cell.mark}”)."
            if cell.mark
            else (f"{_REASONS[cell.reason]}.")
        )
    elif cell.mark:
        text = f"The card prints “{cell.mark}” here."
    else:
        text = "The card leaves this cell empty."
    return f"{text} {cell.note}" if cell.note else text


@dataclass(frozen=True)
class CardIndex:
    card: Card

    @cached_property
    def variants(self) -> dict[str, Variant]:
        return {v.id: v for v in self.card.variants}

    @cached_property
    def benchmarks(self) -> dict[str, Benchmark]:
        return {b.id: b for b in self.card.benchmarks}

    @cached_property
    def categories(self) -> dict[str, Category]:
        return {c.id: c for c in self.card.categories}

    @cached_property
    def tables(self) -> dict[str, ResultsTable]:
        return {t.id: t for t in self.card.tables}

    @cached_property
    def results(self) -> dict[tuple[str, str, str | None], Result]:
        return {(r.variant, r.benchmark, r.subset): r for r in self.card.results}

    @cached_property
    def _by_variant(self) -> dict[str, list[Result]]:
        grouped: dict[str, list[Result]] = defaultdict(list)
        for r in self.card.results:
            grouped[r.variant].append(r)
        return grouped

    @cached_property
    def _by_benchmark(self) -> dict[str, list[Result]]:
        grouped: dict[str, list[Result]] = defaultdict(list)
        for r in self.card.results:
            grouped[r.benchmark].append(r)
        return grouped

    @cached_property
    def _by_category(self) -> dict[str, list[Benchmark]]:
        grouped: dict[str, list[Benchmark]] = defaultdict(list)
        for b in self.card.benchmarks:
            grouped[b.category].append(b)
        return grouped

    @cached_property
    def _languages(self) -> dict[str, tuple[str, str | None]]:
        return {x.code: (x.name, x.native_name) for x in self.card.family.languages}

    # ------------------------------------------------------------------ lookups

    def variant(self, variant_id: str) -> Variant:
        return self.variants[variant_id]

    def benchmark(self, benchmark_id: str) -> Benchmark:
        return self.benchmarks[benchmark_id]

    def category(self, category_id: str) -> Category:
        return self.categories[category_id]

    def table(self, table_id: str) -> ResultsTable:
        return self.tables[table_id]

    def result(self, variant: str, benchmark: str, subset: str | None = None) -> Result | None:
        """The cell of ``variant`` in ``benchmark``'s row (or subset); None when the variant is
        not a column of that row's table."""
        return self.results.get((variant, benchmark, subset))

    def results_for(
        self, *, variant: str | None = None, benchmark: str | None = None
    ) -> list[Result]:
        if variant is not None and benchmark is not None:
            return [r for r in self._by_variant.get(variant, []) if r.benchmark == benchmark]
        if variant is not None:
            return self._by_variant.get(variant, [])
        if benchmark is not None:
            return self._by_benchmark.get(benchmark, [])
        return list(self.card.results)

    def benchmarks_in(self, category_id: str) -> list[Benchmark]:
        return self._by_category.get(category_id, [])

    def published_count(self, variant_id: str) -> int:
        return sum(r.text is not None for r in self._by_variant.get(variant_id, []))

    # ------------------------------------------------------------------ variants

    def compared_with(self, variant: Variant, table: ResultsTable | None = None) -> Variant | None:
        """What the card compares ``variant`` with: in ``table``, the table's own
        ``compare_with``, else the first of the variant's ``compare_with`` that is a column of
        the table; without a table, the first of the variant's. None when the card says
        nothing: cardsite does not guess."""
        if table is not None:
            other = table.compare_with.get(variant.id)
            if other is not None:
                return self.variants.get(other)
            candidates = [v for v in variant.compare_with if v in table.columns]
        else:
            candidates = list(variant.compare_with)
        return self.variants.get(candidates[0]) if candidates else None

    def derived_from(self, variant: Variant) -> Variant | None:
        return self.variants.get(variant.derived_from) if variant.derived_from else None

    @cached_property
    def _derivatives(self) -> dict[str, list[Variant]]:
        grouped: dict[str, list[Variant]] = defaultdict(list)
        for v in self.card.variants:
            if v.derived_from:
                grouped[v.derived_from].append(v)
        return grouped

    def derivatives(self, variant: Variant) -> list[Variant]:
        return self._derivatives.get(variant.id, [])

    def facts_for(self, variant: Variant) -> list[Fact]:
        """The family's facts with the variant's in their place (same id) or after them."""
        own = {_fact_id(f): f for f in variant.facts}
        merged = [own.pop(_fact_id(f), f) for f in self.card.family.facts]
        return merged + list(own.values())

    @cached_property
    def _rows_about(self) -> dict[str, list[tuple[DataTable, TableRow]]]:
        grouped: dict[str, list[tuple[DataTable, TableRow]]] = defaultdict(list)
        for table in self.card.data_tables:
            for row in table.rows:
                for variant in row.variants:
                    grouped[variant].append((table, row))
        return grouped

    def rows_about(self, variant: Variant) -> list[tuple[DataTable, TableRow]]:
        """Rows of the card's other tables that are about this variant (its training row)."""
        return self._rows_about.get(variant.id, [])

    # ------------------------------------------------------------------ languages

    def language_name(self, code: str | None) -> str | None:
        return self._languages[code][0] if code in self._languages else None

    def native_name(self, code: str | None) -> str | None:
        return self._languages[code][1] if code in self._languages else None


def _fact_id(fact: Fact) -> str:
    return fact.id or slug_of(fact.label, "fact")
