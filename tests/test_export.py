"""Exports of the real card: CSV, JSON and Hugging Face model cards.

Expectations come from the card's own YAML (read here without cardsite), never from ids
written into the tests.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from pathlib import Path

import pytest
import yaml
from huggingface_hub import ModelCard

from cardsite.card.loader import load_card
from cardsite.card.models import Card, figure_value
from cardsite.exports import tables as export

CARD_DIR = Path(__file__).resolve().parents[1] / "data" / "llama-3.1"
BAD_TEXTS = {"0", "0.0", "none", "null", "nan", "n/a"}


@pytest.fixture(scope="module")
def card() -> Card:
    return load_card(CARD_DIR)[0]


@pytest.fixture(scope="module")
def raw() -> dict[str, dict]:
    """The card's YAML files as plain data, to check exports against the source itself."""
    return {
        name: yaml.safe_load((CARD_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
        for name in ("family", "variants", "benchmarks", "results", "training")
    }


def _names(raw: dict[str, dict], key: str, items: str) -> dict[str, str]:
    return {item["id"]: item["name"] for item in raw[key][items]}


# -------------------------------------------------------------------------------------- CSV


def _csv_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader]


def test_csv_header_is_exact(card: Card) -> None:
    text = export.to_csv(card)
    assert text.splitlines()[0] == "variant,benchmark,category,shots,metric,language,value"
    assert "\r" not in text and text.endswith("\n")


def test_csv_published_rows_match_the_yaml(card: Card, raw: dict[str, dict]) -> None:
    variants = _names(raw, "variants", "variants")
    benchmarks = {b["id"]: b for b in raw["benchmarks"]["benchmarks"]}
    categories = _names(raw, "benchmarks", "categories")
    expected = Counter()
    for row in raw["results"]["results"]:
        bench = benchmarks[row["benchmark"]]
        for variant_id, text in (row.get("scores") or {}).items():
            expected[
                (
                    variants[variant_id],
                    bench["name"],
                    categories[bench["category"]],
                    bench.get("shots") or "",
                    bench.get("metric") or "",
                    row.get("language_label") or "",
                    text,
                )
            ] += 1

    _, rows = _csv_rows(export.to_csv(card))
    published = [r for r in rows if r["value"]]
    assert Counter(tuple(r.values()) for r in published) == expected
    assert len(published) == sum(expected.values()) == 158  # the seed card's published scores
    values = {r["value"] for r in published}
    assert {"55.0", "62.12", "80.4"} <= values  # printed as published, not re-formatted


def test_csv_not_reported_rows_are_blank(card: Card, raw: dict[str, dict]) -> None:
    variants = _names(raw, "variants", "variants")
    benchmarks = _names(raw, "benchmarks", "benchmarks")
    expected = Counter(
        (variants[variant_id], benchmarks[row["benchmark"]])
        for row in raw["results"]["results"]
        for variant_id in (row.get("missing") or {})
    )
    _, rows = _csv_rows(export.to_csv(card))
    blank = [r for r in rows if not r["value"]]
    assert Counter((r["variant"], r["benchmark"]) for r in blank) == expected
    assert len(blank) == 8
    assert len(rows) == len(card.results)  # one row per result, not reported ones included
    # Rows follow card.results; a not-reported result is an empty cell, never a stand-in.
    for result, row in zip(card.results, rows, strict=True):
        if result.value is None:
            assert row["value"] == ""
        assert row["value"].strip().lower() not in BAD_TEXTS - {"0"}


def test_csv_language_column_only_for_per_language_results(card: Card) -> None:
    _, rows = _csv_rows(export.to_csv(card))
    per_language = [r for r in card.results if r.language is not None]
    assert per_language, "the seed card has per-language results"
    labelled = Counter(r["language"] for r in rows if r["language"])
    assert labelled == Counter(r.language_label for r in per_language)
    english_names = {lang.name for lang in card.family.supported_languages}
    assert set(labelled) <= english_names


def test_csv_guards_formula_text_but_not_figures(card: Card) -> None:
    own = card.own_variants[0]
    risky = own.model_copy(update={"name": '=HYPERLINK("http://x")'})
    hacked = card.model_copy(
        update={"variants": [risky if v.id == own.id else v for v in card.variants]}
    )
    _, rows = _csv_rows(export.to_csv(hacked))
    cells = {r["variant"] for r in rows}
    assert '\'=HYPERLINK("http://x")' in cells
    assert not any(c.startswith("=") for c in cells)
    assert all(not r["value"].startswith("'") for r in rows)


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd", "'+cmd"),
        ("-cmd|x", "'-cmd|x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-", "-"),
        ("-1.5", "-1.5"),
        ("+3", "+3"),
        ("62.12", "62.12"),
        ("3-5", "3-5"),
        ("pass@1", "pass@1"),
        ("", ""),
    ],
)
def test_guard_cell(text: str, guarded: str) -> None:
    assert export.guard_cell(text) == guarded


# ------------------------------------------------------------------------------------- JSON


def test_json_round_trips_to_an_equal_card(card: Card) -> None:
    text = export.to_json(card)
    assert text.endswith("\n") and not text.endswith("\n\n")
    data = json.loads(text)
    assert next(iter(data)) == "cardsite_format"
    assert data.pop("cardsite_format") == 1
    assert Card.model_validate(data) == card
    assert export.from_json(text) == card
    assert export.to_json(card) == text  # stable


def test_json_keeps_text_as_published(card: Card) -> None:
    text = export.to_json(card)
    assert '"value": "55.0"' in text and '"value": "62.12"' in text
    assert '"gpu_hours": "1.46M"' in text
    native = card.family.supported_languages[-1].native_name
    assert native in text  # ensure_ascii=False


def test_from_json_refuses_another_format(card: Card) -> None:
    data = json.loads(export.to_json(card))
    data["cardsite_format"] = 99
    with pytest.raises(ValueError, match="cardsite_format"):
        export.from_json(json.dumps(data))


# --------------------------------------------------------------------------- Hugging Face


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub.constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


@pytest.fixture
def hf_dir(card: Card, tmp_path: Path, offline: None) -> Path:
    out = tmp_path / "hf"
    written = export.write_hf_cards(card, out)
    assert written == sorted(written)
    return out


def test_hf_one_readme_per_own_variant(card: Card, raw: dict[str, dict], hf_dir: Path) -> None:
    own = [v["id"] for v in raw["variants"]["variants"] if not v.get("comparison")]
    assert len(own) == 6
    assert sorted(p.name for p in hf_dir.iterdir()) == sorted(own)
    for variant_id in own:
        assert (hf_dir / variant_id / "README.md").is_file()


def test_hf_eval_results_read_back(card: Card, raw: dict[str, dict], hf_dir: Path) -> None:
    benchmarks = {b["id"]: b for b in raw["benchmarks"]["benchmarks"]}
    for variant in raw["variants"]["variants"]:
        if variant.get("comparison"):
            continue
        expected = Counter(
            (row["benchmark"], row.get("language"), figure_value(text))
            for row in raw["results"]["results"]
            for vid, text in (row.get("scores") or {}).items()
            if vid == variant["id"]
        )
        model_card = ModelCard.load(hf_dir / variant["id"] / "README.md")
        results = model_card.data.eval_results
        assert model_card.data.model_name == variant["name"]
        assert len(results) == sum(expected.values())
        got = Counter((r.dataset_type, r.dataset_config, r.metric_value) for r in results)
        assert got == expected
        for r in results:
            bench = benchmarks[r.dataset_type]
            assert r.task_type == "text-generation"
            assert r.dataset_name == bench["name"]
            assert r.metric_type == (bench.get("metric") or "score")
            assert isinstance(r.metric_value, float) and math.isfinite(r.metric_value)
            if bench.get("shots"):
                assert f"({bench['shots']}-shot)" in r.metric_name
            assert r.source_url and r.source_name


def test_hf_metadata(card: Card, raw: dict[str, dict], hf_dir: Path) -> None:
    family = raw["family"]["family"]
    rows = {row["params"]: row for row in raw["training"]["training"]["rows"]}
    for variant in raw["variants"]["variants"]:
        if variant.get("comparison"):
            continue
        data = ModelCard.load(hf_dir / variant["id"] / "README.md").data
        assert data.license == "other"
        assert data.license_name and data.license_name == data.license_name.lower()
        assert " " not in data.license_name
        assert data.license_link == family["license"]["url"]
        assert data.language == [lang["code"] for lang in family["supported_languages"]]
        assert data.pipeline_tag == "text-generation"
        if variant["kind"] == "instruct":
            assert data.base_model == variant["base"]
        else:
            assert data.base_model is None
        co2 = data.co2_eq_emissions
        tonnes = rows[variant["params"]]["location_based_tco2eq"]
        assert co2["emissions"] == pytest.approx(figure_value(tonnes) * 1e6)
        assert isinstance(co2["emissions"], int)
        assert co2["training_type"] == "pre-training"
        assert "location-based" in co2["source"]
        assert raw["training"]["training"]["hardware"] in co2["hardware_used"]


def test_hf_emissions_in_grams_for_the_smallest_size(card: Card, hf_dir: Path) -> None:
    row = card.training.rows[0]
    variant = next(v for v in card.own_variants if v.params == row.params)
    data = ModelCard.load(hf_dir / variant.id / "README.md").data
    assert row.location_based_tco2eq == "420"  # as the seed card publishes it
    assert data.co2_eq_emissions["emissions"] == 420_000_000


def test_hf_body_prints_figures_as_published(card: Card, hf_dir: Path) -> None:
    for variant in card.own_variants:
        text = (hf_dir / variant.id / "README.md").read_text(encoding="utf-8")
        assert "\r" not in text and text.endswith("\n")
        body = ModelCard(text).text
        assert f"\n# {variant.name}\n" in "\n" + body
        for result in card.results_for(variant=variant.id):
            assert f"| {result.value} |" in body
        assert "nan" not in body.lower().split() and "None" not in body
        row = export.emissions_row(card, variant)
        assert row is not None and f"| {row.gpu_hours} |" in body
        assert card.family.license.url in body


def test_hf_output_is_deterministic(card: Card, tmp_path: Path, offline: None) -> None:
    first = export.write_hf_cards(card, tmp_path / "a")
    second = export.write_hf_cards(card, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_hf_hub_org_prefixes_base_model(card: Card, tmp_path: Path, offline: None) -> None:
    export.write_hf_cards(card, tmp_path, hub_org="example-org")
    instruct = next(v for v in card.own_variants if v.kind == "instruct")
    data = ModelCard.load(tmp_path / instruct.id / "README.md").data
    assert data.base_model == f"example-org/{instruct.base}"


def test_hf_keeps_text_a_number_cannot_print(card: Card) -> None:
    variant = card.own_variants[0]
    target = next(r for r in card.results_for(variant=variant.id) if r.value)
    trailing_zero = f"{target.value}0" if "." in target.value else f"{target.value}.00"
    changed = [
        r.model_copy(update={"value": trailing_zero}) if r == target else r for r in card.results
    ]
    text = export.hf_card_text(card.model_copy(update={"results": changed}), variant)
    reread = ModelCard(text).data.eval_results
    hit = next(
        r
        for r in reread
        if r.dataset_type == target.benchmark and r.dataset_config == target.language
    )
    assert hit.metric_value == figure_value(trailing_zero)
    assert f"published as {trailing_zero}" in hit.metric_name
    assert f"| {trailing_zero} |" in ModelCard(text).text


def test_hf_not_reported_score_is_a_dash_and_left_out_of_the_index(card: Card) -> None:
    variant = card.own_variants[0]
    target = next(r for r in card.results_for(variant=variant.id) if r.value)
    changed = [
        r.model_copy(update={"value": None, "missing": "not_reported"}) if r == target else r
        for r in card.results
    ]
    text = export.hf_card_text(card.model_copy(update={"results": changed}), variant)
    reread = ModelCard(text)
    published = [r for r in card.results_for(variant=variant.id) if r.value]
    assert len(reread.data.eval_results) == len(published) - 1
    assert "| — (not reported) |" in reread.text
    assert "None" not in reread.text and "nan" not in reread.text.lower().split()
