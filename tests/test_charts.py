"""Charts: the spec set of the real card, published text everywhere, byte-identical renders, and
a cache that re-renders exactly the charts whose data changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cardsite.card.loader import load_card
from cardsite.card.models import (
    Benchmark,
    Card,
    Category,
    ComparisonFamily,
    EmissionsRow,
    Family,
    Language,
    License,
    ModelInformation,
    Result,
    Size,
    Table,
    Training,
    Variant,
)
from cardsite.charts import specs as charts
from cardsite.charts.specs import (
    DARK,
    LIGHT,
    MISSING_TEXT,
    PALETTE,
    ChartSpec,
    chart_specs,
    render_bytes,
    render_charts,
)

REPO = Path(__file__).resolve().parents[1]
CARD_DIR = REPO / "data" / "llama-3.1"
FILES = ("-light.svg", "-dark.svg", ".png")

EXPECTED_IDS = [
    "category-general-pretrained",
    "category-general-instruct",
    "category-knowledge-reasoning-pretrained",
    "category-reading-comprehension-pretrained",
    "category-reasoning-instruct",
    "category-code-instruct",
    "category-math-instruct",
    "category-tool-use-instruct",
    "category-multilingual-instruct",
    "multilingual-mmlu-multilingual",
    "variant-llama-3-1-8b",
    "variant-llama-3-1-8b-instruct",
    "variant-llama-3-1-70b",
    "variant-llama-3-1-70b-instruct",
    "variant-llama-3-1-405b",
    "variant-llama-3-1-405b-instruct",
    "training-gpu-hours",
    "training-emissions",
    "scaling",
]


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
    """Every real chart, rendered once in worker processes (the path the build takes)."""
    root = tmp_path_factory.mktemp("charts")
    report = render_charts(specs, root / "out", root / "cache", jobs=2)
    return root / "out", root / "cache", report


def small_card() -> Card:
    """Two own sizes and one comparison model, one table, a dash, a training table."""
    variants = [
        Variant(id="tiny-1b", name="Tiny 1B", family="tiny", params="1B", kind="pretrained"),
        Variant(id="tiny-7b", name="Tiny 7B", family="tiny", params="7B", kind="pretrained"),
        Variant(
            id="old-1b",
            name="Old 1B",
            family="old",
            params="1B",
            kind="pretrained",
            comparison=True,
        ),
    ]
    scores = {
        ("quiz", "old-1b"): "40.0",
        ("quiz", "tiny-1b"): "41.5",
        ("quiz", "tiny-7b"): "60.25",
        ("puzzle", "old-1b"): None,
        ("puzzle", "tiny-1b"): "12.0",
        ("puzzle", "tiny-7b"): "30",
    }
    return Card(
        family=Family(
            id="tiny",
            name="Tiny",
            developer="Example",
            release_date="2024",
            status="static",
            license=License(name="MIT", url="https://example.org/license"),
            model_information=ModelInformation(
                label="Tiny",
                training_data="text",
                token_count="1T",
                knowledge_cutoff="2024",
                sizes=[
                    Size(
                        params=p,
                        input_modalities="Text",
                        output_modalities="Text",
                        context_length="8k",
                        gqa="Yes",
                    )
                    for p in ("1B", "7B")
                ],
                source="test",
            ),
            supported_languages=[Language(code="en", name="English", native_name="English")],
            source="test",
        ),
        comparison_families=[ComparisonFamily(id="old", name="Old")],
        variants=variants,
        categories=[Category(id="general", name="General")],
        tables=[
            Table(
                id="base",
                title="Base models",
                kind="pretrained",
                column_labels={"old-1b": "Old 1B", "tiny-1b": "Tiny 1B", "tiny-7b": "Tiny 7B"},
                source="test",
            )
        ],
        benchmarks=[
            Benchmark(id=b, name=b.title(), category="general", table="base", source="test")
            for b in ("quiz", "puzzle")
        ],
        glossary=[],
        results=[
            Result(variant=v, benchmark=b, value=text, missing=None if text else "not_reported")
            for (b, v), text in scores.items()
        ],
        training=Training(
            hardware="GPU",
            column_labels={"gpu_hours": "GPU hours", "location_based_tco2eq": "tCO2eq"},
            rows=[
                EmissionsRow(
                    label="Tiny 1B", params="1B", gpu_hours="1.5K", location_based_tco2eq="0.4"
                ),
                EmissionsRow(
                    label="Tiny 7B", params="7B", gpu_hours="12K", location_based_tco2eq="3.1"
                ),
            ],
            total=EmissionsRow(label="Total", gpu_hours="13.5K", location_based_tco2eq="3.5"),
            total_gpu_hours_text="13.5K",
            total_location_based_text="3.5",
            source="test",
        ),
        sections=[],
    )


def with_score(card: Card, variant: str, benchmark: str, value: str, language=None) -> Card:
    """The card with one published score changed."""
    results = [
        r.model_copy(update={"value": value})
        if (r.variant, r.benchmark, r.language) == (variant, benchmark, language)
        else r
        for r in card.results
    ]
    assert results != card.results, "no such result"
    return card.model_copy(update={"results": results})


# --------------------------------------------------------------------------- the spec set


def test_real_card_has_one_chart_per_category_table_variant_and_overview(specs):
    assert [s.id for s in specs] == EXPECTED_IDS
    subjects = {s.id: (s.subject, s.table) for s in specs}
    assert subjects["category-general-pretrained"] == (("category", "general"), "pretrained")
    assert subjects["category-general-instruct"] == (("category", "general"), "instruct")
    assert subjects["multilingual-mmlu-multilingual"] == (
        ("multilingual", "mmlu-multilingual"),
        None,
    )
    assert subjects["variant-llama-3-1-8b"] == (("variant", "llama-3-1-8b"), None)
    assert subjects["training-gpu-hours"] == (("training", "gpu-hours"), None)
    assert subjects["training-emissions"] == (("training", "emissions"), None)
    assert subjects["scaling"] == (("overview", "scaling"), None)


def test_spec_order_and_ids_are_deterministic(card, specs):
    again = chart_specs(card)
    assert again == specs
    assert [s.digest() for s in again] == [s.digest() for s in specs]


def test_category_tables_hold_the_published_text(card, by_id):
    for table in card.tables:
        for category in card.categories:
            spec = by_id.get(f"category-{category.id}-{table.id}")
            benches = [
                b
                for b in card.benchmarks
                if (b.category, b.table) == (category.id, table.id) and not b.per_language
            ]
            if not benches:
                assert spec is None
                continue
            assert spec.columns == ("Benchmark", *table.column_labels.values())
            expected = []
            for bench in benches:
                cells = []
                for variant in table.column_labels:
                    (result,) = card.results_for(variant=variant, benchmark=bench.id)
                    cells.append(result.value if result.value is not None else MISSING_TEXT)
                expected.append((bench.name, *cells))
            assert spec.rows == tuple(expected)


def test_published_text_is_kept_exactly(by_id):
    general = dict((r[0], r) for r in by_id["category-general-pretrained"].rows)
    assert general["MMLU-Pro (CoT)"][3] == "55.0"  # Llama 3 70B: not "55"
    assert general["Winogrande"][1] == MISSING_TEXT  # Llama 3 8B: the card's dash
    languages = dict((r[0], r) for r in by_id["multilingual-mmlu-multilingual"].rows)
    assert languages["Italian"] == ("Italian", "61.63", "80.4", "85.04")
    assert by_id["training-gpu-hours"].rows == (
        ("Llama 3.1 8B", "1.46M"),
        ("Llama 3.1 70B", "7.0M"),
        ("Llama 3.1 405B", "30.84M"),
    )
    assert by_id["training-emissions"].rows[1] == ("Llama 3.1 70B", "2,040")
    assert by_id["training-emissions"].unit == "tCO2eq (location-based)"
    assert by_id["training-gpu-hours"].unit == "GPU hours (millions)"


def test_bar_labels_are_the_data_table_text(specs):
    """What the chart prints beside a bar is the same published text as its data-table cell."""
    for spec in specs:
        for i, series in enumerate(spec.plot.series):
            texts = tuple(t if t is not None else MISSING_TEXT for t in series.texts)
            if spec.plot.kind == "lines":  # one row per line: the sizes are the columns
                assert spec.rows[i] == (series.label, *texts), spec.id
            else:
                assert tuple(row[i + 1] for row in spec.rows) == texts, spec.id


def test_every_published_score_is_charted(card, by_id):
    """Each score shows in its table's chart, and own variants' scores on their own chart."""
    for result in card.results:
        if result.value is None:
            continue
        bench = card.benchmark(result.benchmark)
        table = card.table(bench.table)
        if bench.per_language:
            spec = by_id[f"multilingual-{bench.id}"]
        else:
            spec = by_id[f"category-{bench.category}-{bench.table}"]
        column = spec.columns.index(table.column_labels[result.variant])
        assert result.value in {row[column] for row in spec.rows}
        variant = card.variant(result.variant)
        if not variant.comparison:
            own = by_id[f"variant-{variant.id}"]
            assert result.value in {row[1] for row in own.rows}


def test_variant_chart_sets_the_comparison_model_beside(by_id):
    assert by_id["variant-llama-3-1-8b"].columns == ("Benchmark", "Llama 3.1 8B", "Llama 3 8B")
    assert by_id["variant-llama-3-1-70b-instruct"].columns == (
        "Benchmark",
        "Llama 3.1 70B Instruct",
        "Llama 3 70B Instruct",
    )
    assert by_id["variant-llama-3-1-405b"].columns == ("Benchmark", "Llama 3.1 405B")


def test_multilingual_chart_has_a_group_per_language(card, by_id):
    spec = by_id["multilingual-mmlu-multilingual"]
    assert spec.plot.groups == (
        "Portuguese",
        "Spanish",
        "Italian",
        "German",
        "French",
        "Hindi",
        "Thai",
    )
    assert spec.columns == ("Language", "Llama 3.1 8B", "Llama 3.1 70B", "Llama 3.1 405B")


def test_scaling_uses_own_variants_on_a_log_size_axis(by_id):
    plot = by_id["scaling"].plot
    assert plot.kind == "lines"
    assert plot.groups == ("8B", "70B", "405B")
    assert plot.positions == (8.0, 70.0, 405.0)
    assert [s.label for s in plot.series] == [
        "MMLU, pretrained",
        "MMLU, instruct",
        "HumanEval, instruct",
        "GSM-8K (CoT), instruct",
    ]
    assert by_id["scaling"].rows[0] == ("MMLU, pretrained", "66.7", "79.3", "85.2")


def test_missing_scores_are_not_drawn_and_said_not_reported(by_id):
    spec = by_id["category-general-pretrained"]
    wino = spec.plot.groups.index("Winogrande")
    llama3_8b = spec.plot.series[0]
    assert llama3_8b.label == "Llama 3 8B"
    assert llama3_8b.values[wino] is None and llama3_8b.missing[wino]
    assert "Not reported: Llama 3 8B and Llama 3 70B on Winogrande" in spec.alt
    assert "not reported" in by_id["category-code-instruct"].alt

    # No zero-length stand-in: one drawn bar per published score.
    import matplotlib

    with matplotlib.rc_context():
        matplotlib.rcParams.update(charts._rc(LIGHT))
        figure = charts._draw(spec, LIGHT)
    published = sum(v is not None for s in spec.plot.series for v in s.values)
    assert len(figure.axes[0].patches) == published == 33


def test_same_model_same_colour_everywhere(card, specs):
    seen: dict[str, set[str]] = {}
    for spec in specs:
        if spec.subject[0] == "category":
            ids = list(card.table(spec.table).column_labels)
        elif spec.subject[0] == "multilingual":
            ids = list(card.table(card.benchmark(spec.subject[1]).table).column_labels)
        elif spec.subject[0] == "variant":
            names = {v.name: v.id for v in card.variants}
            ids = [names[c] for c in spec.columns[1:]]
        else:
            continue
        colours = [s.colors for s in spec.plot.series]
        assert len(set(colours)) == len(colours), f"{spec.id}: two models share a colour"
        for variant, colour in zip(ids, colours, strict=True):
            seen.setdefault(variant, set()).add(colour[0])
    assert all(len(c) == 1 for c in seen.values()), seen
    assert all(c <= set(PALETTE) for c in seen.values())


def test_alt_text_names_the_subject_and_stays_short(card, specs):
    for spec in specs:
        kind, key = spec.subject
        subject = {
            "category": lambda k: card.category(k).name,
            "variant": lambda k: card.variant(k).name,
            "multilingual": lambda k: card.benchmark(k).name,
            "training": lambda k: "GPU hours" if k == "gpu-hours" else "emissions",
            "overview": lambda k: "model size",
        }[kind](key)
        assert subject in spec.alt, spec.id
        assert len(spec.alt) <= 300, spec.id
        assert spec.title and spec.unit


def test_themes_have_readable_text():
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a: str, b: str) -> float:
        hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    for theme in (LIGHT, DARK):
        assert contrast(theme.text, theme.background) >= 7, theme.name
        assert contrast(theme.muted, theme.background) >= 4.5, theme.name
    assert DARK.background == "#1e2129"


# --------------------------------------------------------------------------- rendering


def test_every_chart_is_written_as_valid_svg_and_png(rendered, specs):
    out, _, report = rendered
    assert report.rendered == [s.id for s in specs] and report.reused == []
    for spec in specs:
        for suffix in FILES:
            assert (out / f"{spec.id}{suffix}").stat().st_size > 0
        assert (out / f"{spec.id}.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        for theme in ("light", "dark"):
            data = (out / f"{spec.id}-{theme}.svg").read_bytes()
            root = ET.fromstring(data)
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
            for element in root.iter():
                assert not element.tag.lower().endswith("script"), spec.id
                for name, value in element.attrib.items():
                    assert not name.lower().startswith("on"), (spec.id, name)
                    if name.endswith("href"):
                        assert value.startswith("#"), (spec.id, value)
            assert b"<script" not in data.lower()
            # The title travels with downloaded files.
            assert spec.title.encode() in data


def test_dark_and_light_differ_in_background(rendered):
    out, _, _ = rendered
    assert b"#1e2129" in (out / "scaling-dark.svg").read_bytes()
    assert b"#1e2129" not in (out / "scaling-light.svg").read_bytes()


def test_render_is_byte_identical_in_process(by_id):
    spec = by_id["category-math-instruct"]
    assert render_bytes(spec) == render_bytes(spec)


SEED_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from cardsite.charts import chart_specs, render_charts
    from cardsite.card.loader import load_card

    card, _ = load_card(sys.argv[1])
    wanted = sys.argv[3:]
    specs = [s for s in chart_specs(card) if s.id in wanted]
    out = Path(sys.argv[2])
    render_charts(specs, out / "out", out / "cache", jobs=1)
    """
)


def test_render_is_byte_identical_across_processes_and_hash_seeds(rendered, tmp_path):
    """Two fresh interpreters with different PYTHONHASHSEED, in-process rendering, give the
    same bytes as each other and as the pool workers of the session render."""
    out, _, _ = rendered
    wanted = ["category-general-pretrained", "variant-llama-3-1-8b-instruct", "scaling"]
    runs = []
    for seed in ("0", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        target = tmp_path / f"seed-{seed}"
        command = [sys.executable, "-c", SEED_SCRIPT, str(CARD_DIR), str(target), *wanted]
        runs.append((subprocess.Popen(command, env=env, cwd=tmp_path), target))
    for process, _ in runs:
        assert process.wait(timeout=120) == 0
    for _, target in runs:
        for chart in wanted:
            for suffix in FILES:
                name = f"{chart}{suffix}"
                assert (target / "out" / name).read_bytes() == (out / name).read_bytes(), name


# --------------------------------------------------------------------------- the cache


def test_second_run_renders_nothing(rendered, specs, tmp_path):
    out, cache, _ = rendered
    report = render_charts(specs, tmp_path / "again", cache, jobs=2)
    assert report.rendered == []
    assert report.reused == [s.id for s in specs]
    for spec in specs:
        for suffix in FILES:
            name = f"{spec.id}{suffix}"
            assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes()


def test_changed_score_rerenders_exactly_the_charts_that_show_it(card, rendered, tmp_path):
    _, cache, _ = rendered
    private = tmp_path / "cache"
    shutil.copytree(cache, private)
    changed = chart_specs(with_score(card, "llama-3-1-8b", "mmlu-pretrained", "67.0"))
    report = render_charts(changed, tmp_path / "out", private, jobs=2)
    assert report.rendered == ["category-general-pretrained", "variant-llama-3-1-8b", "scaling"]
    assert len(report.reused) == len(EXPECTED_IDS) - 3
    assert ("Llama 3.1 8B", "67.0") in {
        (c, r[i]) for r in changed[0].rows for i, c in enumerate(changed[0].columns)
    }


@pytest.mark.parametrize(
    ("variant", "benchmark", "language", "expected"),
    [
        # A comparison model's score shows in its table's chart and beside its 3.1 counterpart.
        (
            "llama-3-8b",
            "mmlu-pretrained",
            None,
            {"category-general-pretrained", "variant-llama-3-1-8b"},
        ),
        (
            "llama-3-1-70b-instruct",
            "mmlu-multilingual",
            "hi",
            {"multilingual-mmlu-multilingual", "variant-llama-3-1-70b-instruct"},
        ),
        (
            "llama-3-1-405b-instruct",
            "humaneval-instruct",
            None,
            {"category-code-instruct", "variant-llama-3-1-405b-instruct", "scaling"},
        ),
    ],
)
def test_changed_score_changes_exactly_these_digests(
    card, specs, variant, benchmark, language, expected
):
    changed = chart_specs(with_score(card, variant, benchmark, "12.5", language))
    before = {s.id: s.digest() for s in specs}
    assert {s.id for s in changed if s.digest() != before[s.id]} == expected


def test_changed_training_figure_rerenders_its_chart_only(card, specs):
    rows = list(card.training.rows)
    rows[0] = rows[0].model_copy(update={"gpu_hours": "1.5M"})
    training = card.training.model_copy(update={"rows": rows})
    changed = chart_specs(card.model_copy(update={"training": training}))
    before = {s.id: s.digest() for s in specs}
    assert {s.id for s in changed if s.digest() != before[s.id]} == {"training-gpu-hours"}


# --------------------------------------------------------------------------- a small card


def test_small_card_specs():
    specs = chart_specs(small_card())
    assert [s.id for s in specs] == [
        "category-general-base",
        "variant-tiny-1b",
        "variant-tiny-7b",
        "training-gpu-hours",
        "training-emissions",
        "scaling",
    ]
    by_id = {s.id: s for s in specs}
    assert by_id["variant-tiny-1b"].columns == ("Benchmark", "Tiny 1B", "Old 1B")
    assert by_id["variant-tiny-1b"].rows == (("Quiz", "41.5", "40.0"), ("Puzzle", "12.0", "—"))
    assert by_id["variant-tiny-7b"].columns == ("Benchmark", "Tiny 7B")  # no 7B comparison
    # Without the usual headline benchmarks, the first benchmark of each table is used.
    assert by_id["scaling"].rows == (("Quiz, pretrained", "41.5", "60.25"),)
    assert by_id["training-gpu-hours"].plot.series[0].values == (1.5e-3, 1.2e-2)
    assert "Old 1B on Puzzle" in by_id["category-general-base"].alt


def test_interrupted_runs_never_leave_half_a_chart(tmp_path, monkeypatch):
    specs = chart_specs(small_card())
    cache = tmp_path / "cache"
    first = render_charts(specs, tmp_path / "out", cache, jobs=1)
    assert len(first.rendered) == len(specs)

    # A run killed mid-write left a temporary folder and (say, by hand) a damaged entry.
    (cache / ".tmp-deadbeef-x").mkdir()
    (cache / ".tmp-deadbeef-x" / "light.svg").write_bytes(b"<svg")
    damaged = cache / specs[1].digest()
    (damaged / "chart.png").unlink()
    again = render_charts(specs, tmp_path / "out2", cache, jobs=1)
    assert again.rendered == [specs[1].id]
    assert (damaged / "chart.png").read_bytes() == (
        tmp_path / "out" / f"{specs[1].id}.png"
    ).read_bytes()

    # A render that fails leaves neither an entry nor its temporary folder behind.
    def boom(spec):
        raise RuntimeError("killed")

    changed = chart_specs(with_score(small_card(), "tiny-7b", "quiz", "61.0"))
    monkeypatch.setattr(charts, "render_bytes", boom)
    with pytest.raises(RuntimeError):
        render_charts(changed, tmp_path / "out3", cache, jobs=1)
    new = {s.digest() for s in changed} - {s.digest() for s in specs}
    assert new and not any((cache / d).exists() for d in new)
    assert sorted(p.name for p in cache.glob(".tmp-*")) == [".tmp-deadbeef-x"]


def test_jobs_must_be_positive(tmp_path):
    with pytest.raises(ValueError):
        render_charts([], tmp_path / "out", tmp_path / "cache", jobs=0)


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
    shutil.copytree(cache, tmp_path / ".cache" / "charts")
    result = run_script(tmp_path, str(CARD_DIR))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and f"0 rendered, {len(EXPECTED_IDS)} reused" in lines[0]
    assert len(list((tmp_path / "build" / "charts").iterdir())) == 3 * len(EXPECTED_IDS)


def test_build_charts_script_reports_a_bad_card(tmp_path):
    bad = tmp_path / "card"
    shutil.copytree(CARD_DIR, bad)
    results = bad / "results.yaml"
    results.write_text(results.read_text().replace('"66.7"', '"sixty"', 1))
    result = run_script(tmp_path, str(bad))
    assert result.returncode == 1
    assert "results.yaml" in result.stderr and "sixty" in result.stderr
    assert not (tmp_path / "build").exists()


def test_build_charts_script_usage_error(tmp_path):
    assert run_script(tmp_path, "one", "two").returncode == 2
