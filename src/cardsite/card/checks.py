"""Checks that span fields and files: unique ids, references, ranges, and the card's own sums.

Per-field rules live on the models; what is here needs more than one value to decide. Errors
stop the build. The card's own inconsistencies (a declared row count that does not match, totals
that do not add up) are warnings: cardsite reports them and publishes the card as written.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from cardsite.card.models import (
    BenchmarksFile,
    FamilyFile,
    ProseFile,
    ResultsFile,
    TrainingFile,
    VariantsFile,
    figure_decimals,
    figure_value,
)
from cardsite.card.problems import Problem, unknown
from cardsite.card.yamlsource import YamlDocument

WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(10))}
)
"""Device names Windows refuses as file names, with any extension (``con.md`` too)."""


def check_card(parsed: dict[str, Any], docs: dict[str, YamlDocument]) -> list[Problem]:
    family: FamilyFile = parsed["family.yaml"]
    variants: VariantsFile = parsed["variants.yaml"]
    bench: BenchmarksFile = parsed["benchmarks.yaml"]
    results: ResultsFile = parsed["results.yaml"]
    training: TrainingFile = parsed["training.yaml"]
    prose: ProseFile = parsed["prose.yaml"]
    problems: list[Problem] = []
    problems += _unique(docs["variants.yaml"], "variants", [v.id for v in variants.variants])
    problems += _unique(
        docs["variants.yaml"], "variants", [v.name for v in variants.variants], field="name"
    )
    for key in ("categories", "tables", "benchmarks", "glossary"):
        problems += _unique(docs["benchmarks.yaml"], key, [x.id for x in getattr(bench, key)])
    problems += _unique(docs["prose.yaml"], "sections", [s.id for s in prose.sections])
    # Ids that name files of the site and exports (variants/<id>.md, benchmarks/<id>.md, ...).
    problems += _file_names(docs["variants.yaml"], "variants", [v.id for v in variants.variants])
    problems += _file_names(docs["benchmarks.yaml"], "categories", [c.id for c in bench.categories])
    problems += _unique(
        docs["family.yaml"],
        "family.supported_languages",
        [lang.code for lang in family.family.supported_languages],
        field="code",
    )
    problems += _check_variants(family, variants, docs["variants.yaml"])
    problems += _check_benchmarks(variants, bench, docs["benchmarks.yaml"])
    problems += _check_results(family, bench, results, docs["results.yaml"])
    problems += _check_declared_rows(bench, results, docs["benchmarks.yaml"])
    problems += _check_training(family, training, docs["training.yaml"])
    return sorted(problems)


def _unique(doc: YamlDocument, key: str, values: list[str], field: str = "id") -> list[Problem]:
    path_head = tuple(key.split("."))
    seen: dict[str, int] = {}
    out = []
    for i, value in enumerate(values):
        if value in seen:
            out.append(
                doc.problem(
                    (*path_head, i, field),
                    f"duplicate {field} {value!r} (also at {key}[{seen[value]}])",
                )
            )
        else:
            seen[value] = i
    return out


def _file_names(doc: YamlDocument, key: str, ids: list[str]) -> list[Problem]:
    return [
        doc.problem(
            (key, i, "id"),
            f"id {value!r} is a reserved device name on Windows, where "
            f"the page {value}.md could not be created; choose another id",
        )
        for i, value in enumerate(ids)
        if value in WINDOWS_RESERVED
    ]


def _check_variants(family: FamilyFile, variants: VariantsFile, doc: YamlDocument) -> list[Problem]:
    out = []
    families = {family.family.id: False} | {f.id: True for f in family.comparison_families}
    sizes = {s.params for s in family.family.model_information.sizes}
    by_id = {v.id: v for v in variants.variants}
    for i, v in enumerate(variants.variants):
        if v.family not in families:
            out.append(
                doc.problem(("variants", i, "family"), unknown("family", v.family, families))
            )
        elif families[v.family] != v.comparison:
            want = "true" if families[v.family] else "false"
            out.append(
                doc.problem(
                    ("variants", i, "comparison"),
                    f"family {v.family!r} is {'a comparison' if want == 'true' else 'the card'}'s "
                    f"family, so comparison must be {want}",
                )
            )
        if not v.comparison and v.params not in sizes:
            out.append(doc.problem(("variants", i, "params"), unknown("size", v.params, sizes)))
        if v.kind == "instruct" and v.base is not None:
            base = by_id.get(v.base)
            if base is None:
                out.append(doc.problem(("variants", i, "base"), unknown("variant", v.base, by_id)))
            elif base.kind != "pretrained" or base.family != v.family:
                out.append(
                    doc.problem(
                        ("variants", i, "base"),
                        f"base {v.base!r} must be a pretrained variant of family {v.family!r}",
                    )
                )
        elif v.kind == "pretrained" and v.base is not None:
            out.append(
                doc.problem(("variants", i, "base"), "only an instruct variant has a base variant")
            )
    return out


def _check_benchmarks(
    variants: VariantsFile, bench: BenchmarksFile, doc: YamlDocument
) -> list[Problem]:
    out = []
    categories = {c.id for c in bench.categories}
    tables = {t.id for t in bench.tables}
    by_id = {v.id: v for v in variants.variants}
    for i, t in enumerate(bench.tables):
        for variant_id in t.column_labels:
            variant = by_id.get(variant_id)
            if variant is None:
                out.append(
                    doc.problem(
                        ("tables", i, "column_labels", variant_id),
                        unknown("variant", variant_id, by_id),
                        key=True,
                    )
                )
            elif variant.kind != t.kind:
                out.append(
                    doc.problem(
                        ("tables", i, "column_labels", variant_id),
                        f"variant {variant_id!r} is {variant.kind}, table {t.id!r} is {t.kind}",
                        key=True,
                    )
                )
    for i, b in enumerate(bench.benchmarks):
        if b.category not in categories:
            out.append(
                doc.problem(
                    ("benchmarks", i, "category"), unknown("category", b.category, categories)
                )
            )
        if b.table not in tables:
            out.append(doc.problem(("benchmarks", i, "table"), unknown("table", b.table, tables)))
    return out


def _check_results(
    family: FamilyFile,
    bench: BenchmarksFile,
    results: ResultsFile,
    doc: YamlDocument,
) -> list[Problem]:
    out: list[Problem] = []
    benchmarks = {b.id: b for b in bench.benchmarks}
    tables = {t.id: t for t in bench.tables}
    languages = {lang.code for lang in family.family.supported_languages}
    seen: dict[tuple[str, str | None], int] = {}
    for i, row in enumerate(results.results):
        b = benchmarks.get(row.benchmark)
        if b is None:
            out.append(
                doc.problem(
                    ("results", i, "benchmark"), unknown("benchmark", row.benchmark, benchmarks)
                )
            )
            continue
        key = (row.benchmark, row.language)
        if key in seen:
            out.append(
                doc.problem(
                    ("results", i, "benchmark"),
                    f"results for {row.benchmark!r}"
                    + (f" in {row.language!r}" if row.language else "")
                    + f" are already given at results[{seen[key]}]",
                )
            )
        seen.setdefault(key, i)
        if b.per_language and row.language is None:
            out.append(
                doc.problem(("results", i), f"benchmark {b.id!r} is per language: give a language")
            )
        if not b.per_language and row.language is not None:
            out.append(
                doc.problem(("results", i, "language"), f"benchmark {b.id!r} is not per language")
            )
        if row.language is not None and row.language not in languages:
            out.append(
                doc.problem(
                    ("results", i, "language"),
                    unknown("supported language", row.language, languages),
                )
            )
        columns = tables[b.table].column_labels if b.table in tables else {}
        for field in ("scores", "missing"):
            for variant_id in getattr(row, field):
                if variant_id not in columns:
                    out.append(
                        doc.problem(
                            ("results", i, field, variant_id),
                            f"variant {variant_id!r} is not a column of table {b.table!r}, where "
                            f"benchmark {b.id!r} is; its columns: {', '.join(columns) or '(none)'}",
                            key=True,
                        )
                    )
        for variant_id in row.scores.keys() & row.missing.keys():
            out.append(
                doc.problem(
                    ("results", i, "missing", variant_id),
                    f"{variant_id!r} has both a score and a missing reason",
                    key=True,
                )
            )
        low, high = b.range
        for variant_id, text in row.scores.items():
            value = figure_value(text)
            if not low <= value <= high:
                out.append(
                    doc.problem(
                        ("results", i, "scores", variant_id),
                        f"score {text} is outside the range of {b.name!r} ({low:g} to {high:g})",
                    )
                )
    return out


def _check_declared_rows(
    bench: BenchmarksFile, results: ResultsFile, doc: YamlDocument
) -> list[Problem]:
    table_of = {b.id: b.table for b in bench.benchmarks}
    rows = Counter(table_of.get(row.benchmark) for row in results.results)
    return [
        doc.problem(
            ("tables", i, "declared_rows"),
            f"table {t.title!r} declares {t.declared_rows} rows but the card gives "
            f"{rows[t.id]}; published as given",
            severity="warning",
        )
        for i, t in enumerate(bench.tables)
        if t.declared_rows is not None and rows[t.id] != t.declared_rows
    ]


def _check_training(family: FamilyFile, training: TrainingFile, doc: YamlDocument) -> list[Problem]:
    t = training.training
    out: list[Problem] = []
    sizes = {s.params for s in family.family.model_information.sizes}
    for i, row in enumerate(t.rows):
        if row.params is not None and row.params not in sizes:
            out.append(
                doc.problem(("training", "rows", i, "params"), unknown("size", row.params, sizes))
            )
    for field in ("gpu_hours", "location_based_tco2eq", "market_based_tco2eq"):
        published = getattr(t.total, field)
        parts = [getattr(r, field) for r in t.rows]
        if published is None or None in parts:
            continue
        total = sum(figure_value(p) for p in parts)
        # Compare at the precision the total is printed with: 39.3M against 39.30M is fine.
        suffix = published.rstrip("+")[-1]
        step = 10.0 ** -figure_decimals(published) * figure_value(
            f"1{suffix}" if suffix.isalpha() else "1"
        )
        if abs(total - figure_value(published)) > step / 2:
            out.append(
                doc.problem(
                    ("training", "total", field),
                    f"the rows add up to {_plain(total)} ({' + '.join(parts)}) but the total "
                    f"is published as {published}; published as given",
                    severity="warning",
                )
            )
    for field, quoted in (
        ("gpu_hours", t.total_gpu_hours_text),
        ("location_based_tco2eq", t.total_location_based_text),
    ):
        published = getattr(t.total, field)
        if published is not None and figure_value(published) != figure_value(quoted):
            out.append(
                doc.problem(
                    ("training", "total", field),
                    f"the prose quotes {quoted} but the table's total is {published}",
                    severity="warning",
                )
            )
    return out


def _plain(value: float) -> str:
    if not math.isfinite(value):
        return "more than 10^308"  # a figure of hundreds of digits
    return f"{value / 1e6:.2f}M" if value >= 1e6 else f"{value:,.0f}"
