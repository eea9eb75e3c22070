"""Charts: the specs (published text everywhere, alt text from the data, scales kept apart, the
best models of a crowded chart), the SVG (scheme colours, its own style, the inlined form),
byte-identical renders, a cache that redraws exactly the charts whose data changed, and workers
that never outlive their build."""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cardsite.card.index import NOT_IN_TABLE, CardIndex, missing_mark
from cardsite.card.loader import load_card
from cardsite.card.models import Card
from cardsite.card.problems import CardError
from cardsite.charts import ChartSpec, chart_specs, inline_svg, render_charts
from cardsite.charts import cache as chart_cache
from cardsite.charts import specs as chart_spec_module
from cardsite.charts import svg as chart_svg
from cardsite.charts.specs import MAX_MODELS, NO_SCORE_LABEL, PALETTE

REPO = Path(__file__).resolve().parents[1]
CARD_DIR = REPO / "data" / "llama-3.1"
EMBED_CSS = REPO / "src" / "cardsite" / "assets" / "embed.css"

EXPECTED_IDS = [
    "category--general--pretrained",
    "category--general--instruct",
    "category--knowledge-reasoning--pretrained",
    "category--reading-comprehension--pretrained",
    "category--reasoning--instruct",
    "category--code--instruct",
    "category--math--instruct",
    "category--tool-use--instruct",
    "category--multilingual--instruct",
    "subset--mmlu-multilingual",
    "variant--llama-3-1-8b",
    "variant--llama-3-1-8b-instruct",
    "variant--llama-3-1-70b",
    "variant--llama-3-1-70b-instruct",
    "variant--llama-3-1-405b",
    "variant--llama-3-1-405b-instruct",
    "training--training-emissions--gpu-hours",
    "training--training-emissions--emissions",
    "training--training-emissions--emissions-market",
    "scaling",
]


def _synthetic_module() -> Any:
    spec = importlib.util.spec_from_file_location(
        "synthetic_card", REPO / "benchmarks" / "synthetic_card.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


synthetic = _synthetic_module()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def card() -> Card:
    return load_card(CARD_DIR)[0]


@pytest.fixture(scope="session")
def specs(card: Card) -> list[ChartSpec]:
    return chart_specs(card)


@pytest.fixture(scope="session")
def by_id(specs: list[ChartSpec]) -> dict[str, ChartSpec]:
    return {s.id: s for s in specs}


@pytest.fixture(scope="session")
def rendered(specs: list[ChartSpec], tmp_path_factory: pytest.TempPathFactory):
    """Every real chart, drawn once in two worker processes (the path a build takes)."""
    root = tmp_path_factory.mktemp("charts")
    report = render_charts(specs, root / "out", root / "cache", jobs=2)
    return root / "out", root / "cache", report


@pytest.fixture(scope="session")
def big_card(tmp_path_factory: pytest.TempPathFactory) -> Card:
    """A synthetic card of 1,000 variants and 40 benchmarks."""
    folder = tmp_path_factory.mktemp("big") / "card"
    synthetic.write(folder, synthetic.build(1000, 40))
    return load_card(folder)[0]


def write_card(folder: Path, files: dict[str, Any]) -> Card:
    """Write a card from data and load it as any card is loaded (validated)."""
    folder.mkdir(parents=True, exist_ok=True)
    base = {"family.yaml": {"family": {"name": "Tiny"}}}
    for name, data in {**base, **files}.items():
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / name).write_text(text, encoding="utf-8")
    return load_card(folder)[0]


def with_score(
    card: Card, variant: str, benchmark: str, text: str, subset: str | None = None
) -> Card:
    """The card with one published score changed."""
    key = (variant, benchmark, subset)
    results = [
        r.model_copy(update={"text": text}) if (r.variant, r.benchmark, r.subset) == key else r
        for r in card.results
    ]
    assert results != card.results, "no such result"
    return card.model_copy(update={"results": results})


def keys_of(specs: list[ChartSpec], cache_dir: Path) -> dict[str, str]:
    environment = chart_cache.drawing_fingerprint(cache_dir)
    return {s.id: chart_cache.chart_key(s, environment) for s in specs}


# --------------------------------------------------------------------------- the spec set


def test_real_card_has_its_charts_in_card_order(specs):
    assert [s.id for s in specs] == EXPECTED_IDS
    subjects = {s.id: (s.subject, s.table) for s in specs}
    assert subjects["category--general--pretrained"] == (("category", "general"), "pretrained")
    assert subjects["subset--mmlu-multilingual"] == (("subset", "mmlu-multilingual"), None)
    assert subjects["variant--llama-3-1-8b"] == (("variant", "llama-3-1-8b"), None)
    assert subjects["training--training-emissions--gpu-hours"] == (
        ("training", "training-emissions"),
        None,
    )
    assert subjects["scaling"] == (("overview", "scaling"), None)
    for spec in specs:
        assert re.fullmatch(r"[a-z0-9]+(?:-{1,2}[a-z0-9]+)*", spec.id), spec.id


def test_specs_are_the_same_every_time(card, specs):
    assert chart_specs(card) == specs


def test_every_published_value_is_in_its_charts_data_table(card, by_id):
    """Each cell of the card shows, exactly as printed, in its category (or subset) chart's
    table, and an own variant's cells in its own chart's; a cell without a score shows the
    card's own mark."""
    index = CardIndex(card)
    checked = 0
    for result in card.results:
        bench = index.benchmark(result.benchmark)
        table = index.table(bench.table)
        expected = result.text if result.text is not None else missing_mark(result.missing)
        if bench.subsets:
            spec, row = by_id[f"subset--{bench.id}"], result.subset
        else:
            spec, row = by_id[f"category--{bench.category}--{bench.table}"], bench.label
        rows = {r[0]: r for r in spec.rows}
        assert rows[row][spec.columns.index(table.columns[result.variant])] == expected
        variant = index.variant(result.variant)
        if not variant.comparison:
            own = by_id[f"variant--{variant.id}"]
            label = f"{bench.label}: {result.subset}" if result.subset else bench.label
            assert {r[0]: r[1] for r in own.rows}[label] == expected
        checked += 1
    assert checked == len(card.results) == 166


def test_published_text_is_kept_exactly(by_id):
    general = {r[0]: r for r in by_id["category--general--pretrained"].rows}
    assert general["MMLU-Pro (CoT)"][3] == "55.0"  # Llama 3 70B: not "55"
    assert general["Winogrande"][1] == "-"  # Llama 3 8B: the card's own mark
    languages = {r[0]: r for r in by_id["subset--mmlu-multilingual"].rows}
    assert languages["Italian"] == ("Italian", "61.63", "80.4", "85.04")
    assert by_id["training--training-emissions--gpu-hours"].rows == (
        ("Llama 3.1 8B", "1.46M"),
        ("Llama 3.1 70B", "7.0M"),
        ("Llama 3.1 405B", "30.84M"),
    )
    assert by_id["training--training-emissions--emissions"].rows[1] == ("Llama 3.1 70B", "2,040")
    assert by_id["training--training-emissions--emissions"].unit == "tCO2eq"
    assert by_id["training--training-emissions--gpu-hours"].unit == "GPU hours"


def test_missing_cells_are_explained(by_id):
    spec = by_id["category--general--pretrained"]
    row = [r[0] for r in spec.rows].index("Winogrande")
    assert (row, 1, "The card does not report this score (it prints “-”).") in spec.missing_cells
    assert {(r, c) for r, c, _ in spec.missing_cells} == {(row, 1), (row, 3)}


def test_bar_labels_are_the_data_table_text(specs):
    """What a chart prints beside a bar is its data-table cell; where there is no score it
    prints "no score" and the table the card's mark."""
    for spec in specs:
        if spec.plot.kind == "lines":
            for series in spec.plot.series:
                row = next(r for r in spec.rows if r[0] == series.label)
                assert [t for t in series.texts if t != NO_SCORE_LABEL] == [
                    c for c, t in zip(row[1:], series.texts, strict=True) if t != NO_SCORE_LABEL
                ]
            continue
        for i, series in enumerate(spec.plot.series):
            column = [row[i + 1] for row in spec.rows]
            missing = {r: why for r, c, why in spec.missing_cells if c == i + 1}
            for r, (text, cell) in enumerate(zip(series.texts, column, strict=True)):
                if r not in missing:
                    assert text == cell, (spec.id, r)
                elif missing[r] == NOT_IN_TABLE:  # the model is not a column of that table
                    assert text is None and cell == "—", (spec.id, r)
                else:
                    assert text == NO_SCORE_LABEL, (spec.id, r)
            drawn = [v is not None for v in series.values]
            assert drawn == [r not in missing for r in range(len(column))], spec.id


def test_variant_chart_sets_only_the_compared_variant_beside(by_id):
    assert by_id["variant--llama-3-1-8b"].columns == ("Benchmark", "Llama 3.1 8B", "Llama 3 8B")
    assert by_id["variant--llama-3-1-70b-instruct"].columns == (
        "Benchmark",
        "Llama 3.1 70B Instruct",
        "Llama 3 70B Instruct",
    )
    assert by_id["variant--llama-3-1-405b"].columns == ("Benchmark", "Llama 3.1 405B")
    # The multilingual table has no Llama 3 column: those rows hold the variant alone.
    rows = {r[0]: r for r in by_id["variant--llama-3-1-8b-instruct"].rows}
    assert rows["MMLU (5-shot, macro_avg/acc): Thai"] == (
        "MMLU (5-shot, macro_avg/acc): Thai",
        "50.32",
        "—",
    )


def test_scaling_draws_headline_scores_against_size(by_id):
    spec = by_id["scaling"]
    assert spec.plot.kind == "lines"
    assert spec.plot.groups == ("8B", "70B", "405B")
    assert spec.plot.positions == (8.0, 70.0, 405.0)
    assert spec.rows[0] == ("MMLU (Base pretrained models)", "66.7", "79.3", "85.2")
    assert [s.label for s in spec.plot.series] == [
        "MMLU (Base pretrained models)",
        "MMLU (Instruction tuned models)",
        "HumanEval",
        "GSM-8K (CoT)",
    ]


def test_same_model_same_colour_on_every_chart(card, specs):
    index = CardIndex(card)
    names = {v.name: v.id for v in card.variants}
    seen: dict[str, set[str]] = {}
    for spec in specs:
        if spec.subject[0] not in {"category", "subset", "variant"}:
            continue
        table = index.table(spec.table) if spec.table else None
        headings = {h: v for v, h in table.columns.items()} if table else names
        for series in spec.plot.series:
            variant = headings.get(series.label, names.get(series.label))
            seen.setdefault(variant, set()).add(series.colors[0])
            assert series.hatch == ("//" if index.variant(variant).comparison else "")
        colours = [s.colors[0] for s in spec.plot.series]
        assert len(set(colours)) == len(colours), spec.id
    assert all(len(c) == 1 and c <= set(PALETTE) for c in seen.values()), seen


# --------------------------------------------------------------------------- alt text


def test_alt_text_is_written_from_the_data(card, by_id):
    alt = by_id["category--general--pretrained"].alt
    assert alt.startswith("Bar chart of 7 benchmarks in General (Base pretrained models)")
    assert "Highest: Llama 3.1 405B on ARC-Challenge, 96.1." in alt
    assert "Lowest: Llama 3 8B on MMLU-Pro (CoT), 36.2." in alt
    assert "No score for Llama 3 8B and Llama 3 70B on Winogrande." in alt
    variant = by_id["variant--llama-3-1-8b-instruct"].alt
    assert "Better than Llama 3 8B Instruct on 13 of the 14 benchmarks both report." in variant
    assert "Total: 39.3M." in by_id["training--training-emissions--gpu-hours"].alt
    # The alt text follows the data: a new highest score is named.
    changed = chart_specs(with_score(card, "llama-3-8b", "mmlu-pretrained", "99.5"))
    alt = next(s for s in changed if s.id == "category--general--pretrained").alt
    assert "Highest: Llama 3 8B on MMLU, 99.5." in alt


def test_alt_text_names_the_subject_and_stays_short(card, specs):
    index = CardIndex(card)
    for spec in specs:
        kind, key = spec.subject
        subject = {
            "category": lambda k: index.category(k).name,
            "subset": lambda k: index.benchmark(k).label,
            "variant": lambda k: index.variant(k).name,
            "training": lambda k: next(t.title for t in card.data_tables if t.id == k),
            "overview": lambda k: "model size",
        }[kind](key)
        assert subject in spec.alt, spec.id
        assert len(spec.alt) <= 300, spec.id
        assert spec.title and spec.unit and "*" not in spec.title


# --------------------------------------------------------------------------- scales


def scale_card(folder: Path) -> Card:
    """One table: three 0-100 rows, two 0-1 rows, one lower-is-better perplexity row."""
    rows = [
        {"id": f"pct-{i}", "name": f"Percent {i}", "scores": {"a": f"{50 + i}.5", "b": "61.0"}}
        for i in range(3)
    ]
    rows += [
        {
            "id": f"frac-{i}",
            "name": f"Fraction {i}",
            "scale": "0-1",
            "scores": {"a": "0.91", "b": "0.85"},
        }
        for i in range(2)
    ]
    rows.append(
        {
            "id": "ppl",
            "name": "Perplexity",
            "scale": "unbounded",
            "higher_is_better": False,
            "scores": {"a": "7.31", "b": "9.02"},
        }
    )
    return write_card(
        folder,
        {
            "variants.yaml": {"variants": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]},
            "results.yaml": {
                "categories": [{"id": "general", "name": "General"}],
                "results": [
                    {
                        "id": "main",
                        "title": "Main",
                        "category": "general",
                        "columns": {"a": "A", "b": "B"},
                        "rows": rows,
                    }
                ],
            },
        },
    )


def test_scales_never_share_an_axis(tmp_path):
    specs = {s.id: s for s in chart_specs(scale_card(tmp_path / "card"))}
    main = specs["category--general--main"]
    assert [r[0] for r in main.rows] == ["Percent 0", "Percent 1", "Percent 2"]
    assert main.plot.value_range == (0.0, 100.0) and main.unit == "Score (0\u2013100)"
    fractions = specs["category--general--main--scale-0-1"]
    assert [r[0] for r in fractions.rows] == ["Fraction 0", "Fraction 1"]
    assert fractions.plot.value_range == (0.0, 1.0)
    # Alone on its axis, the perplexity row is left out, and the alt text says so.
    assert "Not drawn, each on a scale of its own: Perplexity (lower is better)." in main.alt
    assert not any("Perplexity" in group for s in specs.values() for group in s.plot.groups)
    # The variant charts split the same way.
    assert {"variant--a", "variant--a--scale-0-1", "variant--b", "variant--b--scale-0-1"} <= set(
        specs
    )


def test_no_chart_of_the_synthetic_card_mixes_scales(big_card):
    scale_of = {
        chart_spec_module._row_label(bench, name): chart_spec_module._scale_key(bench)
        for bench in big_card.benchmarks
        for name, _ in bench.subsets or [(None, None)]
    }
    for spec in chart_specs(big_card):
        if spec.subject[0] in {"category", "variant"}:
            assert len({scale_of[group] for group in spec.plot.groups}) == 1, spec.id


def test_lower_is_better_rows_say_so(tmp_path):
    specs = {s.id: s for s in chart_specs(scale_card(tmp_path / "card"))}
    assert "Perplexity (lower is better)" in specs["category--general--main"].alt


# --------------------------------------------------------------------------- many models


def test_a_crowded_chart_draws_the_best_own_models_and_keeps_all_in_its_table(big_card):
    index = CardIndex(big_card)
    spec = next(s for s in chart_specs(big_card) if s.id == "category--general--base")
    table = index.table("base")
    assert len(table.columns) == 500
    assert len(spec.plot.series) == MAX_MODELS
    assert spec.title.endswith(f"(best {MAX_MODELS} of 500 models)")
    assert f"the best {MAX_MODELS} of 500 models; all are in the data table" in spec.alt
    # The card's own variants come first: with 450 of them, no comparison model is drawn.
    drawn = {s.label for s in spec.plot.series}
    assert not any(index.variant(v).comparison for v, h in table.columns.items() if h in drawn)
    # The data table keeps every model, a row each, with every published value.
    assert [r[0] for r in spec.rows] == list(table.columns.values())
    benches = {b.label: b for b in big_card.benchmarks if b.table == "base"}
    assert spec.columns[1:] == spec.plot.groups
    for row, variant in zip(spec.rows, table.columns, strict=True):
        for label, cell in zip(spec.columns[1:], row[1:], strict=True):
            result = index.result(variant, benches[label].id)
            assert cell == (
                result.text if result.text is not None else missing_mark(result.missing)
            )
    # A chart of a thousand models is as big as a chart of twelve, and its twelve models all
    # look different (seven colours, then the same colours back-hatched).
    assert spec.figure_size()[1] < 20
    looks = [(s.colors[0], s.hatch) for s in spec.plot.series]
    assert len(set(looks)) == len(looks)


def test_specs_cost_grows_with_the_card_not_faster(big_card, tmp_path):
    """Ten times the variants, about ten times the work: no lookup scans the whole card per
    variant (that would be a hundred times)."""
    folder = tmp_path / "small"
    synthetic.write(folder, synthetic.build(100, 40))
    small = load_card(folder)[0]

    def cost(card: Card) -> float:
        times = []
        for _ in range(3):
            started = time.process_time()
            chart_specs(card)
            times.append(time.process_time() - started)
        return min(times)

    assert cost(big_card) / cost(small) < 40


def test_the_best_models_are_ranked_in_each_rows_direction(tmp_path):
    """20 own models: model k scores k on a higher-is-better row and 100 - k on a
    lower-is-better one, so the best are the 12 highest k; a comparison model with the best
    scores of all is not drawn while own models fill the chart."""
    own = [{"id": f"m-{k}", "name": f"M {k}"} for k in range(20)]
    rival = {"id": "rival", "name": "Rival", "comparison": True}
    columns = {v["id"]: v["name"] for v in [*own, rival]}
    up = {f"m-{k}": f"{k}.0" for k in range(20)} | {"rival": "99.0"}
    down = {f"m-{k}": f"{100 - k}.0" for k in range(20)} | {"rival": "1.0"}
    card = write_card(
        tmp_path / "card",
        {
            "variants.yaml": {"variants": [*own, rival]},
            "results.yaml": {
                "results": [
                    {
                        "id": "all",
                        "title": "All",
                        "columns": columns,
                        "rows": [
                            {"name": "Up", "scores": up},
                            {"name": "Down", "higher_is_better": False, "scores": down},
                        ],
                    }
                ]
            },
        },
    )
    spec = next(s for s in chart_specs(card) if s.id.startswith("category--all"))
    assert [s.label for s in spec.plot.series] == [f"M {k}" for k in range(8, 20)]
    assert len(spec.rows) == 21


def test_models_with_bars_come_before_own_models_without(tmp_path):
    own = [{"id": f"m-{k}", "name": f"M {k}"} for k in range(15)]
    rivals = [{"id": f"r-{k}", "name": f"R {k}", "comparison": True} for k in range(3)]
    columns = {v["id"]: v["name"] for v in [*own, *rivals]}
    card = write_card(
        tmp_path / "card",
        {
            "variants.yaml": {"variants": [*own, *rivals]},
            "results.yaml": {
                "results": [
                    {
                        "id": "all",
                        "title": "All",
                        "columns": columns,
                        "rows": [
                            {
                                "name": "Up",
                                "scores": {r["id"]: "50.0" for r in rivals},
                                "missing": {v["id"]: "not_reported" for v in own},
                            }
                        ],
                    }
                ]
            },
        },
    )
    spec = next(s for s in chart_specs(card) if s.id == "category--all--all")
    assert {"R 0", "R 1", "R 2"} <= {s.label for s in spec.plot.series}


# --------------------------------------------------------------------------- skipped charts


def test_charts_that_cannot_be_drawn_are_skipped_with_a_warning(tmp_path, caplog):
    card = write_card(
        tmp_path / "card",
        {
            "variants.yaml": {
                "variants": [
                    {"id": "a", "name": "A", "size": "8x7B"},
                    {"id": "b", "name": "B", "size": "8x22B"},
                    {"id": "lonely", "name": "Lonely"},
                ]
            },
            "results.yaml": {
                "results": [
                    {
                        "id": "words",
                        "title": "Words",
                        "columns": {"a": "A", "b": "B"},
                        "rows": [
                            {
                                "name": "Safety",
                                "headline": True,
                                "scores": {"a": "Negligible", "b": "42.2/36.6"},
                            }
                        ],
                    }
                ]
            },
        },
    )
    with caplog.at_level(logging.WARNING, logger="cardsite.charts"):
        specs = chart_specs(card)
    assert specs == []
    warnings = [r.getMessage() for r in caplog.records if r.name == "cardsite.charts"]
    assert all(r.levelno == logging.WARNING for r in caplog.records if r.name == "cardsite.charts")
    assert any("category--words--words" in w and "no value" in w for w in warnings)
    assert any("variant--lonely" in w and "no results" in w for w in warnings)
    assert any("variant--a" in w for w in warnings)
    assert any("scaling" in w and "'8x7B'" in w for w in warnings)


@pytest.mark.parametrize(
    "results",
    [
        # every cell missing
        {"scores": {}, "missing": {"a": "not_reported", "b": {"mark": "N/A"}}},
        # one number among text, pairs and fractions
        {"scores": {"a": "2/30", "b": "1.6·10²³"}},
        # a value too large to draw
        {"scores": {"a": "1e300", "b": "5"}},
        # negative numbers
        {"scores": {"a": "-3.5", "b": "-0.25"}},
    ],
)
def test_odd_cards_never_raise(tmp_path, results):
    card = write_card(
        tmp_path / "card",
        {
            "variants.yaml": {"variants": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]},
            "results.yaml": {
                "results": [
                    {
                        "id": "t",
                        "title": "T",
                        "columns": {"a": "A", "b": "B"},
                        "rows": [{"name": "X", **results}],
                    }
                ]
            },
        },
    )
    for spec in chart_specs(card):
        low, high = spec.plot.value_range
        assert low <= 0 <= high and low < high


CELL_TEXTS = [
    "80.4", "0.5", "55.0", "81.3%", "65.2 ± 1.3", "1,234", "-3.5", "1e300", "2/30",
    "42.2/36.6", "75.6/--", "Negligible**", "85.2*", "0",
]  # fmt: skip
SIZES = [None, "8B", "70B", "1B (1.23B)", "8x7B", "125M", "about 7b"]


@st.composite
def random_cards(draw: st.DrawFn) -> dict[str, Any]:
    """A small card with anything a card may hold: odd values, missing cells, scales,
    directions, subsets, headline rows, comparisons, readable and unreadable sizes."""
    count = draw(st.integers(1, 5))
    variants = [
        {"id": f"v{i}", "name": f"V {i}", "size": draw(st.sampled_from(SIZES))}
        for i in range(count)
    ]
    for i, variant in enumerate(variants):
        variant = {k: v for k, v in variant.items() if v is not None}
        if i and draw(st.booleans()):
            variant["comparison"] = True
        variants[i] = variant
    for variant in variants:
        others = [v["id"] for v in variants if v["id"] != variant["id"]]
        if others and not variant.get("comparison") and draw(st.booleans()):
            variant["compare_with"] = [draw(st.sampled_from(others))]
    ids = [v["id"] for v in variants]

    def cells() -> dict[str, Any]:
        scores, missing = {}, {}
        for variant in ids:
            choice = draw(st.integers(0, len(CELL_TEXTS)))
            if choice == len(CELL_TEXTS):
                missing[variant] = draw(st.sampled_from(["not_reported", {"mark": "N/A"}]))
            else:
                scores[variant] = CELL_TEXTS[choice]
        return {"scores": scores, "missing": missing}

    tables = []
    for t in range(draw(st.integers(1, 2))):
        rows = []
        for r in range(draw(st.integers(1, 4))):
            row: dict[str, Any] = {"id": f"t{t}-r{r}", "name": f"Row {r}"}
            row["category"] = draw(st.sampled_from(["one", "two"]))
            row["scale"] = draw(st.sampled_from(["0-1", "0-100", "unbounded"]))
            row["higher_is_better"] = draw(st.booleans())
            row["headline"] = draw(st.booleans())
            if draw(st.booleans()):
                row["metric"] = draw(st.sampled_from(["acc", "ppl"]))
            if draw(st.integers(0, 3)) == 0:
                row["subsets"] = [{"name": n, **cells()} for n in ("de", "हिन्दी")]
            else:
                row.update(cells())
            rows.append(row)
        tables.append(
            {"id": f"t{t}", "title": f"T {t}", "columns": {i: i.upper() for i in ids}, "rows": rows}
        )
    return {
        "variants.yaml": {"variants": variants},
        "results.yaml": {
            "categories": [{"id": "one", "name": "One"}, {"id": "two", "name": "Two"}],
            "results": tables,
        },
    }


@settings(max_examples=60, deadline=None)
@given(random_cards())
def test_any_card_that_loads_gets_sound_specs(files):
    """No exception; ids unique and safe; every drawn value on its axis; alt text short; a
    data table as wide as its header."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            card = write_card(Path(folder) / "card", files)
        except CardError:
            return
    for spec in chart_specs(card):
        assert re.fullmatch(r"[a-z0-9]+(?:-{1,2}[a-z0-9]+)*", spec.id)
        assert len(spec.alt) <= 300 and spec.title
        assert all(len(row) == len(spec.columns) for row in spec.rows)
        low, high = spec.plot.value_range
        for series in spec.plot.series:
            assert all(low <= v <= high for v in series.values if v is not None)
            assert len(series.values) == len(series.texts) == len(spec.plot.groups)


@settings(max_examples=8, deadline=None)
@given(random_cards())
def test_any_chart_draws(files):
    from cardsite.charts import draw

    with tempfile.TemporaryDirectory() as folder:
        try:
            card = write_card(Path(folder) / "card", files)
        except CardError:
            return
    for spec in chart_specs(card):
        svg, png = draw.render(spec, png=False)
        assert png is None and ET.fromstring(svg).tag.endswith("svg")


# --------------------------------------------------------------------------- the SVG files


def test_every_chart_is_written_as_svg_and_png(rendered, specs):
    out, _, report = rendered
    assert report.rendered == [s.id for s in specs] and report.reused == []
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{s.id}{suffix}" for s in specs for suffix in (".svg", ".png")
    )
    for spec in specs:
        png = (out / f"{spec.id}.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and b"matplotlib" not in png
        data = (out / f"{spec.id}.svg").read_bytes()
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}title").text == spec.title
        assert root.find("{http://www.w3.org/2000/svg}desc").text == spec.alt
        for element in root.iter():
            assert not element.tag.lower().endswith(("script", "metadata")), spec.id
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (spec.id, name)
                if name.endswith("href"):
                    assert value.startswith("#"), (spec.id, value)
        assert b"Matplotlib" not in data and b"<dc:date" not in data


def test_svg_follows_the_scheme_with_its_own_style(rendered):
    out, _, _ = rendered
    text = (out / "category--general--pretrained.svg").read_text(encoding="utf-8")
    style = re.search(r"<style>(.*?)</style>", text, re.S)[1]
    light, dark = style.split("@media (prefers-color-scheme:dark)")
    for role, colour in chart_svg.LIGHT.items():
        assert f"--cs-chart-{role}:{colour}" in light
    for role, colour in chart_svg.DARK.items():
        assert f"--cs-chart-{role}:{colour}" in dark
    for role in ("text", "muted", "grid", "bg"):
        assert f"var(--cs-chart-{role}," in text
    # Every colour outside the scheme's properties is a bar colour; none is painted in a
    # presentation attribute, where var() would not work, and no sentinel is left.
    outside = set(
        re.findall(
            r"#[0-9a-f]{6}\b", re.sub(r"var\([^)]*\)|<style>.*?</style>", "", text, flags=re.S)
        )
    )
    assert outside <= set(PALETTE), outside
    assert not any(s in text for s in chart_svg.SENTINELS.values())
    assert set(re.findall(r'\s(?:fill|stroke)="(#[0-9a-f]{6})"', text)) <= set(PALETTE)


def test_svg_is_compact(rendered):
    out, _, _ = rendered
    text = (out / "variant--llama-3-1-8b-instruct.svg").read_text(encoding="utf-8")
    assert len(text.encode()) < 80_000  # it was 124 KiB drawn twice, light and dark
    assert not re.search(
        r"\d\.\d{3,}", re.sub(r'transform="[^"]*scale\([^)]*\)"', "", text.split("</style>")[1])
    )
    assert "\n " not in text and "<!--" not in text and 'id="patch_' not in text
    assert "stroke-linejoin:miter" not in text


def test_chart_colours_are_readable_in_both_schemes_and_in_embeds():
    """The standalone SVG's own style (light, and dark by media query) and the embed
    fragments' colours give text WCAG AA contrast (muted text too) on their background."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a: str, b: str) -> float:
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    for scheme in (chart_svg.LIGHT, chart_svg.DARK):
        assert contrast(scheme["text"], scheme["bg"]) >= 7
        assert contrast(scheme["muted"], scheme["bg"]) >= 4.5
    embed = EMBED_CSS.read_text(encoding="utf-8")
    body = re.search(r"\.cardsite-embed \{([^}]*--cs-chart-text[^}]*)\}", embed)[1]
    colours = dict(re.findall(r"(--cs-chart-[a-z]+):\s*([^;]+);", body))
    assert contrast(colours["--cs-chart-text"], "#ffffff") >= 7
    assert contrast(colours["--cs-chart-muted"], "#ffffff") >= 4.5


def test_inline_svg_is_fit_for_a_page(rendered, by_id):
    out, _, _ = rendered
    spec = by_id["category--general--pretrained"]
    alt = spec.alt + ' & a "quote" <here>'
    text = inline_svg((out / f"{spec.id}.svg").read_text(encoding="utf-8"), spec.id, alt)
    assert text.startswith("<svg ") and "<?xml" not in text
    assert "<style" not in text and "<title" not in text and "<metadata" not in text
    assert "viewBox=" in text and "<clipPath" in text  # SVG's camelCase names are kept
    root = ET.fromstring(text)
    assert root.get("role") == "img" and root.get("aria-label") == alt
    assert root.get("width") is None and root.get("height") is None
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert ids and all(i.startswith(f"{spec.id}-") for i in ids)
    references = re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', text)
    assert references and {a or b for a, b in references} <= set(ids)


def test_two_inlined_charts_never_share_an_id(rendered):
    out, _, _ = rendered
    seen: list[str] = []
    for chart in ("category--code--instruct", "category--math--instruct"):
        text = inline_svg((out / f"{chart}.svg").read_text(encoding="utf-8"), chart, "alt")
        seen += re.findall(r'\sid="([^"]+)"', text)
    assert len(seen) == len(set(seen))


# --------------------------------------------------------------------------- determinism

SEED_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from cardsite.card.loader import load_card
    from cardsite.charts import chart_specs, render_charts

    card, _ = load_card(sys.argv[1])
    wanted = sys.argv[3:]
    specs = [s for s in chart_specs(card) if s.id in wanted]
    out = Path(sys.argv[2])
    render_charts(specs, out / "out", out / "cache", jobs=1)
    """
)


def test_render_is_byte_identical_across_processes_and_hash_seeds(rendered, tmp_path):
    """Two fresh interpreters with different PYTHONHASHSEED, drawing in-process, write the
    same bytes as each other and as the worker processes of the session's render."""
    out, _, _ = rendered
    wanted = ["category--general--pretrained", "subset--mmlu-multilingual", "scaling"]
    runs = []
    for seed in ("0", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        target = tmp_path / f"seed-{seed}"
        command = [sys.executable, "-c", SEED_SCRIPT, str(CARD_DIR), str(target), *wanted]
        runs.append((subprocess.Popen(command, env=env, cwd=tmp_path), target))
    for process, _ in runs:
        assert process.wait(timeout=300) == 0
    for _, target in runs:
        for chart in wanted:
            for suffix in (".svg", ".png"):
                name = f"{chart}{suffix}"
                assert (target / "out" / name).read_bytes() == (out / name).read_bytes(), name


# --------------------------------------------------------------------------- the cache


def test_second_run_draws_nothing_and_rewrites_nothing(rendered, specs, tmp_path):
    out, cache, _ = rendered
    again = tmp_path / "again"
    report = render_charts(specs, again, cache, jobs=2)
    assert report.rendered == [] and report.reused == [s.id for s in specs]
    for spec in specs:
        for suffix in (".svg", ".png"):
            name = f"{spec.id}{suffix}"
            assert (again / name).read_bytes() == (out / name).read_bytes()
    stamps = {p.name: p.stat().st_mtime_ns for p in again.iterdir()}
    time.sleep(0.02)
    render_charts(specs, again, cache, jobs=1)
    assert {p.name: p.stat().st_mtime_ns for p in again.iterdir()} == stamps


@pytest.mark.parametrize(
    ("variant", "benchmark", "subset", "expected"),
    [
        (
            "llama-3-1-8b",
            "mmlu-pretrained",
            None,
            {"category--general--pretrained", "variant--llama-3-1-8b", "scaling"},
        ),
        # A comparison model's score shows in its table's chart and beside its counterpart.
        (
            "llama-3-8b",
            "mmlu-pretrained",
            None,
            {"category--general--pretrained", "variant--llama-3-1-8b"},
        ),
        (
            "llama-3-1-70b-instruct",
            "mmlu-multilingual",
            "Hindi",
            {"subset--mmlu-multilingual", "variant--llama-3-1-70b-instruct"},
        ),
    ],
)
def test_changed_score_changes_exactly_the_keys_of_the_charts_showing_it(
    card, specs, rendered, variant, benchmark, subset, expected
):
    _, cache, _ = rendered
    before = keys_of(specs, cache)
    after = keys_of(chart_specs(with_score(card, variant, benchmark, "12.5", subset)), cache)
    assert {i for i in before if before[i] != after[i]} == expected


def test_changed_score_redraws_exactly_the_charts_that_show_it(card, rendered, tmp_path):
    _, cache, _ = rendered
    private = tmp_path / "cache"
    shutil.copytree(cache, private)
    changed = chart_specs(with_score(card, "llama-3-1-405b-instruct", "humaneval-instruct", "90.1"))
    report = render_charts(changed, tmp_path / "out", private, jobs=1)
    assert report.rendered == [
        "category--code--instruct",
        "variant--llama-3-1-405b-instruct",
        "scaling",
    ]
    assert len(report.reused) == len(EXPECTED_IDS) - 3


def test_changed_training_figure_changes_its_chart_only(card, specs, rendered):
    _, cache, _ = rendered
    table = card.data_tables[0]
    rows = list(table.rows)
    rows[0] = rows[0].model_copy(update={"cells": ["Llama 3.1 8B", "1.5M", "700", "420", "0"]})
    changed = card.model_copy(update={"data_tables": [table.model_copy(update={"rows": rows})]})
    before, after = keys_of(specs, cache), keys_of(chart_specs(changed), cache)
    assert {i for i in before if before[i] != after[i]} == {
        "training--training-emissions--gpu-hours"
    }


def test_the_drawing_code_is_in_the_key(specs, tmp_path, monkeypatch):
    base = keys_of(specs, tmp_path / "cache")
    changed = tmp_path / "charts"
    shutil.copytree(Path(chart_cache.__file__).parent, changed)
    with (changed / "draw.py").open("a") as handle:
        handle.write("\n# any change to the drawing code\n")
    monkeypatch.setattr(chart_cache, "_HERE", changed)
    after = keys_of(specs, tmp_path / "cache")
    assert all(after[i] != base[i] for i in base)


def test_the_data_table_is_not_in_the_key(specs, tmp_path):
    """What a chart draws decides its key; its data table and id do not (a worker is sent
    the spec without its table)."""
    environment = chart_cache.drawing_fingerprint(tmp_path)
    for spec in specs:
        bare = chart_cache._drawn_part(spec)
        assert bare.rows == () and bare.plot == spec.plot
        assert chart_cache.chart_key(bare, environment) == chart_cache.chart_key(spec, environment)


def test_a_changed_font_file_changes_every_key(specs, tmp_path, monkeypatch):
    """Fonts are fingerprinted by path, size and modification time (never read whole): a
    reinstalled font draws every chart again."""
    from cardsite.charts import draw

    cache = tmp_path / "cache"
    base = keys_of(specs, cache)
    font = draw.font_files()[0]
    real = chart_cache._stat
    monkeypatch.setattr(chart_cache, "_stat", lambda p: [1, 2] if p == font else real(p))
    after = keys_of(specs, cache)
    assert all(after[i] != base[i] for i in base)
    monkeypatch.undo()
    assert keys_of(specs, cache) == base


WARM_SCRIPT = textwrap.dedent(
    """
    import sys
    from cardsite.card.loader import load_card
    from cardsite.charts import chart_specs, render_charts

    report = render_charts(chart_specs(load_card(sys.argv[1])[0]), sys.argv[2], sys.argv[3])
    assert report.rendered == [], report.rendered
    assert "matplotlib" not in sys.modules, "a warm build imported matplotlib"
    """
)


def test_a_warm_build_does_not_import_matplotlib(rendered, tmp_path):
    _, cache, _ = rendered
    command = [sys.executable, "-c", WARM_SCRIPT, str(CARD_DIR), str(tmp_path / "out"), str(cache)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_interrupted_runs_never_leave_half_a_chart(tmp_path, monkeypatch, card):
    specs = [s for s in chart_specs(card) if s.id.startswith("training--")]
    cache = tmp_path / "cache"
    first = render_charts(specs, tmp_path / "out", cache, jobs=1)
    assert len(first.rendered) == len(specs)

    # A damaged entry (its PNG lost) is drawn again.
    key = keys_of(specs, cache)[specs[1].id]
    (cache / f"{key}.png").unlink()
    again = render_charts(specs, tmp_path / "out2", cache, jobs=1)
    assert again.rendered == [specs[1].id]

    # A drawing that fails leaves neither an entry nor a temporary file.
    def boom(spec, *, png):
        raise RuntimeError("killed")

    from cardsite.charts import draw

    monkeypatch.setattr(draw, "render", boom)
    table = card.data_tables[0]
    rows = list(table.rows)
    rows[0] = rows[0].model_copy(update={"cells": ["Llama 3.1 8B", "1.5M", "700", "421", "1"]})
    changed = card.model_copy(update={"data_tables": [table.model_copy(update={"rows": rows})]})
    before = sorted(p.name for p in cache.iterdir())
    with pytest.raises(RuntimeError):
        render_charts(
            [s for s in chart_specs(changed) if s.id.startswith("training--")],
            tmp_path / "out3",
            cache,
            jobs=1,
        )
    assert sorted(p.name for p in cache.iterdir()) == before


def test_jobs_must_be_positive(tmp_path):
    with pytest.raises(ValueError):
        render_charts([], tmp_path / "out", tmp_path / "cache", jobs=0)


def test_svg_only(tmp_path, by_id):
    report = render_charts([by_id["scaling"]], tmp_path / "out", tmp_path / "cache", png=False)
    assert report.rendered == ["scaling"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["scaling.svg"]


# --------------------------------------------------------------------------- build_charts.py


def run_script(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "build_charts.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_build_charts_script_uses_the_cache(rendered, tmp_path):
    _, cache, _ = rendered
    shutil.copytree(cache, tmp_path / ".cache" / "cardsite" / "charts")
    result = run_script(tmp_path, str(CARD_DIR))
    assert result.returncode == 0, result.stderr
    assert f"0 rendered, {len(EXPECTED_IDS)} reused" in result.stderr
    assert len(list((tmp_path / "build" / "charts").iterdir())) == 2 * len(EXPECTED_IDS)


def test_build_charts_script_reports_a_bad_card(tmp_path):
    bad = tmp_path / "card"
    shutil.copytree(CARD_DIR, bad)
    results = bad / "results.yaml"
    results.write_text(results.read_text().replace('"66.7"', '"-"', 1))
    result = run_script(tmp_path, str(bad))
    assert result.returncode == 1
    assert "results.yaml" in result.stderr
    assert not (tmp_path / "build").exists()


def test_build_charts_script_usage_error(tmp_path):
    assert run_script(tmp_path, "one", "two").returncode == 2


# --------------------------------------------------------------------------- workers


def _processes() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, state, start time), from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry)] = (int(fields[1]), fields[0], fields[19])
    return table


def _descendants(root: int) -> dict[int, str]:
    """Descendants of a process, each with its start time (a reused pid is another process)."""
    table = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found, todo = {}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found[child] = table[child][2]
            todo.append(child)
    return found


def _running(processes: dict[int, str]) -> list[int]:
    table = _processes()
    return [
        p
        for p, start in processes.items()
        if p in table and table[p][2] == start and table[p][1] != "Z"
    ]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_killing_the_build_ends_every_process_it_started(tmp_path):
    """``kill -9`` of a build while it draws: within seconds no forkserver, worker or resource
    tracker of it runs, and nothing more is written into the cache."""
    folder = tmp_path / "card"
    synthetic.write(folder, synthetic.build(100, 40))
    build = subprocess.Popen(
        [sys.executable, str(REPO / "build_charts.py"), str(folder), "--jobs", "2"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cache = tmp_path / ".cache" / "cardsite" / "charts"
    seen: dict[int, str] = {}
    deadline = time.monotonic() + 120
    try:
        # Rendering is under way: two workers, a forkserver, a tracker, charts in the cache.
        while len(seen) < 4 or len(list(cache.glob("*.svg"))) < 2:
            assert time.monotonic() < deadline, "the build did not start drawing"
            assert build.poll() is None, "the build ended before it could be killed"
            seen.update(_descendants(build.pid))
            time.sleep(0.05)
        seen.update(_descendants(build.pid))
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        written = set(os.listdir(cache))
        deadline = time.monotonic() + 5
        while _running(seen) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _running(seen) == []
        time.sleep(1.0)
        assert set(os.listdir(cache)) == written
    finally:
        for pid in _running(seen):  # only on failure: leave no process behind
            os.kill(pid, signal.SIGKILL)
        if build.poll() is None:
            build.kill()


def test_a_character_no_font_has_is_one_logged_line(
    card: Card, caplog: pytest.LogCaptureFixture
) -> None:
    """A name with a character no installed font draws (an emoji) still gives its chart; the
    build says so in one line per chart, and no Python warning reaches the terminal."""
    import dataclasses
    import warnings

    from cardsite.charts.draw import render

    spec = chart_specs(card)[0]
    spec = dataclasses.replace(spec, title=spec.title + " \U0001f999")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning that escaped would fail here
        with caplog.at_level(logging.WARNING, logger="cardsite.charts"):
            svg_bytes, _ = render(spec, png=False)
    assert b"<svg" in svg_bytes[:100]
    lines = [r.getMessage() for r in caplog.records if r.name == "cardsite.charts"]
    assert len(lines) == 1 and spec.id in lines[0] and "missing" in lines[0], lines
