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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from huggingface_hub import ModelCard

from cardsite.card.index import CardIndex
from cardsite.card.loader import load_card
from cardsite.card.models import Card, License, MissingCell
from cardsite.card.values import parse
from cardsite.exports import hf
from cardsite.exports import tables as export

CARD_DIR = Path(__file__).resolve().parents[1] / "data" / "llama-3.1"
BAD_TEXTS = {"0", "0.0", "none", "null", "nan", "n/a"}


@pytest.fixture(scope="module")
def card() -> Card:
    return load_card(CARD_DIR)[0]


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    """The card's YAML files as plain data, to check exports against the source itself."""
    return {
        name: yaml.safe_load((CARD_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
        for name in ("family", "variants", "results", "tables")
    }


def _names(items: list[dict[str, Any]]) -> dict[str, str]:
    return {item["id"]: item["name"] for item in items}


def raw_cells(raw: dict[str, Any]) -> Iterator[tuple[dict, dict, str | None, str, Any]]:
    """(table, row, subset name, variant id, score text or missing) for every cell."""
    for table in raw["results"]["results"]:
        for row in table["rows"]:
            for part in row.get("subsets", [row]):
                subset = part["name"] if part is not row else None
                for variant_id in table["columns"]:
                    value = part.get("scores", {}).get(variant_id)
                    missing = part.get("missing", {}).get(variant_id)
                    yield table, row, subset, variant_id, value if value is not None else missing


# -------------------------------------------------------------------------------------- CSV


def _csv_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader]


def test_csv_header_is_exact(card: Card) -> None:
    text = export.to_csv(card)
    assert (
        text.splitlines()[0]
        == "variant,benchmark,category,shots,metric,language,value,table,column"
    )
    assert "\r" not in text and text.endswith("\n")


def test_csv_rows_match_the_yaml(card: Card, raw: dict[str, Any]) -> None:
    variants = _names(raw["variants"]["variants"])
    categories = _names(raw["results"]["categories"])
    expected = Counter()
    for table, row, subset, variant_id, value in raw_cells(raw):
        expected[
            (
                variants[variant_id],
                row["name"],
                categories[row["category"]],
                row.get("shots") or "",
                row.get("metric") or "",
                subset or "",
                value if isinstance(value, str) and value != "not_reported" else "",
                table["title"],
                table["columns"][variant_id],
            )
        ] += 1
    _, rows = _csv_rows(export.to_csv(card))
    assert Counter(tuple(r.values()) for r in rows) == expected
    published = [r for r in rows if r["value"]]
    assert len(published) == 158  # the seed card's published scores
    assert {"55.0", "62.12", "80.4"} <= {r["value"] for r in published}  # not re-formatted


def test_csv_cells_without_score_are_blank(card: Card) -> None:
    _, rows = _csv_rows(export.to_csv(card))
    blank = [r for r in rows if not r["value"]]
    assert len(blank) == 8
    assert len(rows) == len(card.results)  # one row per result, missing ones included
    for result, row in zip(card.results, rows, strict=True):
        if result.text is None:
            assert row["value"] == ""
        assert row["value"].strip().lower() not in BAD_TEXTS - {"0"}


def test_csv_language_column_only_for_per_language_results(card: Card) -> None:
    _, rows = _csv_rows(export.to_csv(card))
    per_language = [r for r in card.results if r.subset is not None]
    assert per_language, "the seed card has per-language results"
    assert Counter(r["language"] for r in rows if r["language"]) == Counter(
        r.subset for r in per_language
    )
    english_names = {lang.name for lang in card.family.languages}
    assert {r["language"] for r in rows if r["language"]} <= english_names


def test_csv_table_and_column_are_as_published(card: Card) -> None:
    _, rows = _csv_rows(export.to_csv(card))
    multilingual = [r for r in rows if r["table"] == "Multilingual benchmarks"]
    # The card labels these columns "Llama 3.1 8B" although they hold the Instruct scores.
    assert {(r["variant"], r["column"]) for r in multilingual} == {
        ("Llama 3.1 8B Instruct", "Llama 3.1 8B"),
        ("Llama 3.1 70B Instruct", "Llama 3.1 70B"),
        ("Llama 3.1 405B Instruct", "Llama 3.1 405B"),
    }


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
    assert data.pop("cardsite_format") == 2
    assert Card.model_validate(data) == card
    assert export.from_json(text) == card
    assert export.to_json(card) == text  # stable


def test_json_keeps_text_as_published(card: Card) -> None:
    text = export.to_json(card)
    assert '"text": "55.0"' in text and '"text": "62.12"' in text
    assert '"1.46M"' in text
    native = card.family.languages[-1].native_name
    assert native and native in text  # ensure_ascii=False


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
    written = hf.write_hf_cards(card, out)
    assert written == sorted(written)
    return out


def own_variants(raw: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for v in raw["variants"]["variants"] if not v.get("comparison")]


def test_hf_one_readme_per_own_variant(raw: dict[str, Any], hf_dir: Path) -> None:
    own = [v["id"] for v in own_variants(raw)]
    assert len(own) == 6
    assert sorted(p.name for p in hf_dir.iterdir()) == sorted(own)


def test_hf_eval_results_read_back(raw: dict[str, Any], hf_dir: Path) -> None:
    rows = {row.get("id"): row for t in raw["results"]["results"] for row in t["rows"]}
    for variant in own_variants(raw):
        expected = Counter(
            (row.get("id"), subset, float(parse(value).number))
            for _table, row, subset, vid, value in raw_cells(raw)
            if vid == variant["id"] and isinstance(value, str) and value != "not_reported"
        )
        model_card = ModelCard.load(hf_dir / variant["id"] / "README.md")
        results = model_card.data.eval_results
        assert model_card.data.model_name == variant["name"]
        got = Counter((r.dataset_type, r.dataset_config, r.metric_value) for r in results)
        assert got == expected
        for r in results:
            row = rows[r.dataset_type]
            assert r.task_type == "text-generation"
            assert r.dataset_name == row["name"]
            assert r.metric_type == (row.get("metric") or "score")
            assert isinstance(r.metric_value, float) and math.isfinite(r.metric_value)
            if row.get("shots"):
                assert f"({row['shots']}-shot)" in r.metric_name
            assert r.source_url == raw["family"]["family"]["results_url"] and r.source_name


def test_hf_metadata(raw: dict[str, Any], hf_dir: Path) -> None:
    family = raw["family"]["family"]
    (emissions,) = raw["tables"]["tables"]
    tonnes = {v: row["cells"][3] for row in emissions["rows"] for v in row.get("variants", [])}
    for variant in own_variants(raw):
        data = ModelCard.load(hf_dir / variant["id"] / "README.md").data
        assert data.license == family["license"]["id"] == "llama3.1"
        assert data.language == [lang["code"] for lang in family["languages"]]
        assert data.pipeline_tag == family["pipeline_tag"]
        if variant.get("derived_from"):
            assert data.base_model == variant["derived_from"]
            assert data.base_model_relation == "finetune"
        else:
            assert data.base_model is None
        co2 = data.co2_eq_emissions
        assert co2["emissions"] == int(parse(tonnes[variant["id"]]).number * 1_000_000)
        assert "Llama 3.1" in co2["source"]


def test_hf_emissions_in_grams(hf_dir: Path) -> None:
    data = ModelCard.load(hf_dir / "llama-3-1-70b" / "README.md").data
    assert data.co2_eq_emissions["emissions"] == 2_040_000_000  # "2,040" tCO2eq


def test_hf_license_without_an_id_is_other_with_name_and_link(card: Card) -> None:
    family = card.family.model_copy(
        update={"license": License(name="Some Custom License v2", url="https://example.org/l")}
    )
    changed = card.model_copy(update={"family": family})
    data = hf.hf_card_data(CardIndex(changed), changed.own_variants[0])
    assert (data.license, data.license_name, data.license_link) == (
        "other",
        "some-custom-license-v2",
        "https://example.org/l",
    )


def test_hf_body_prints_figures_as_published(card: Card, hf_dir: Path) -> None:
    index = CardIndex(card)
    for variant in card.own_variants:
        text = (hf_dir / variant.id / "README.md").read_text(encoding="utf-8")
        assert "\r" not in text and text.endswith("\n")
        body = ModelCard(text).text
        assert f"\n# {variant.name}\n" in "\n" + body
        for result in index.results_for(variant=variant.id):
            if result.text is not None:
                assert f"| {result.text} |" in body
        assert "nan" not in body.lower().split() and "None" not in body
        assert "1.46M" in body or "7.0M" in body or "30.84M" in body
        assert card.family.license and card.family.license.url in body


def test_hf_output_is_deterministic(card: Card, tmp_path: Path, offline: None) -> None:
    first = hf.write_hf_cards(card, tmp_path / "a")
    second = hf.write_hf_cards(card, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_hf_hub_org_prefixes_base_model(card: Card, tmp_path: Path, offline: None) -> None:
    hf.write_hf_cards(card, tmp_path, hub_org="example-org")
    instruct = next(v for v in card.own_variants if v.kind == "instruct")
    data = ModelCard.load(tmp_path / instruct.id / "README.md").data
    assert data.base_model == f"example-org/{instruct.derived_from}"


def test_hf_keeps_text_a_number_cannot_print(card: Card) -> None:
    variant = card.own_variants[0]
    target = next(r for r in card.results if r.variant == variant.id and r.text)
    trailing_zero = f"{target.text}0" if "." in target.text else f"{target.text}.00"
    changed = [
        r.model_copy(update={"text": trailing_zero}) if r == target else r for r in card.results
    ]
    text = hf.hf_card_text(CardIndex(card.model_copy(update={"results": changed})), variant)
    reread = ModelCard(text).data.eval_results
    hit = next(r for r in reread if r.dataset_type == target.benchmark)
    assert hit.metric_value == float(trailing_zero)
    assert f"published as {trailing_zero}" in hit.metric_name
    assert f"| {trailing_zero} |" in ModelCard(text).text


def test_hf_missing_score_shows_the_mark_and_is_left_out_of_the_index(card: Card) -> None:
    variant = card.own_variants[0]
    target = next(r for r in card.results if r.variant == variant.id and r.text)
    changed = [
        r.model_copy(
            update={"text": None, "missing": MissingCell(mark="N/A", reason="not_evaluated")}
        )
        if r == target
        else r
        for r in card.results
    ]
    text = hf.hf_card_text(CardIndex(card.model_copy(update={"results": changed})), variant)
    reread = ModelCard(text)
    published = [r for r in card.results if r.variant == variant.id and r.text]
    assert len(reread.data.eval_results) == len(published) - 1
    assert "N/A \\(The card did not evaluate this model on this benchmark" in reread.text
    assert "None" not in reread.text and "nan" not in reread.text.lower().split()
