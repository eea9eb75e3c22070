"""The general rules ``cardsite import`` learned from real cards it had not seen, each on a few
lines written here: what names a family, which models are the card's own, which tables and
columns hold no scores, and how a row or a cell is read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.test_import_styles import by_heading, rows, run


def family(card: dict[str, Any]) -> dict[str, Any]:
    return card["family"]["family"]


def variants(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["name"]: v for v in card["variants"]["variants"]}


SCORES = """
| Benchmark | Acme 1B | Acme 3B | Other 8B |
|---|---|---|---|
| MMLU | 40.1 | 55.2 | 66.0 |
| GSM8K | 20.0 | 45.5 | 80.1 |
"""


def test_a_section_heading_is_never_the_family_name(tmp_path: Path) -> None:
    folder = tmp_path / "acme"  # the card's repository
    folder.mkdir()
    text = "# Table of Contents\n\n- [Results](#results)\n\n# Results\n" + SCORES
    card = run(folder, text)
    assert family(card)["name"] == "Acme"  # the name the own models share, not a heading


def test_model_card_is_dropped_from_the_title(tmp_path: Path) -> None:
    card = run(tmp_path, "# Acme Model Card\n\n## Evaluation\n" + SCORES)
    assert family(card)["name"] == "Acme"


def test_a_card_without_title_is_named_after_its_own_models(tmp_path: Path) -> None:
    folder = tmp_path / "acme-1b"
    folder.mkdir()
    card = run(folder, "## Benchmarks\n" + SCORES)
    assert family(card)["name"] == "Acme"
    own = {n for n, v in variants(card).items() if not v.get("comparison")}
    assert own == {"Acme 1B", "Acme 3B"}


def test_models_named_only_by_size_are_the_cards_own(tmp_path: Path) -> None:
    text = "# Acme\n\n| Benchmark | Metric | 2B Params | 7B Params |\n|---|---|---|---|\n"
    text += "| MMLU | 5-shot | 42.3 | 64.3 |\n| PIQA | 0-shot | 77.3 | 81.2 |\n"
    card = run(tmp_path, text)
    assert not any(v.get("comparison") for v in variants(card).values())


def test_a_lone_score_column_is_the_cards_own_model(tmp_path: Path) -> None:
    text = "# Acme-8B\n\n| Benchmark | Score |\n|---|---|\n| MMLU | 78.5 |\n| GSM8K | 85.1 |\n"
    card = run(tmp_path, text)
    assert list(variants(card)) == ["Acme-8B"]
    assert by_heading(card, rows(card)["MMLU"]) == {"Score": "78.5"}


def test_an_architecture_table_headed_model_is_facts(tmp_path: Path) -> None:
    text = "# Acme\n\n" + SCORES + "\n## Architecture\n\n"
    text += "| Model | 2B Dense | 8B Dense | 1B MoE |\n|---|---|---|---|\n"
    text += "| Embedding size | 2048 | 4096 | 1024 |\n| Number of layers | 40 | 40 | 24 |\n"
    text += "| Number of attention heads | 32 | 32 | 16 |\n| # Parameters | 2.5B | 8.1B | 1.3B |\n"
    card = run(tmp_path, text)
    assert len(card["results"]["results"]) == 1
    assert "Embedding size" in str(card["tables"])


def test_hyperparameter_tables_are_not_scores(tmp_path: Path) -> None:
    text = "# Acme\n\n" + SCORES + "\n## Training\n\n"
    text += "| | Acme 7B | Other 7B |\n|---|---|---|\n| warmup steps | 5000 | 2000 |\n"
    text += "| peak LR | 3.0E-04 | 3.0E-04 |\n| weight decay | 0.1 | 0.1 |\n"
    text += "| beta2 | 0.95 | 0.95 |\n"
    text += "\n| Size | Peak LR | Betas | Weight Decay |\n|---|---|---|---|\n"
    text += "| 1B | 4.0E-4 | (0.9, 0.95) | 0.1 |\n| 7B | 3.0E-4 | (0.9, 0.99) | 0.1 |\n"
    card = run(tmp_path, text)
    assert len(card["results"]["results"]) == 1


def test_a_computed_recovery_column_is_no_model(tmp_path: Path) -> None:
    text = "---\nbase_model: org/Acme-32B\n---\n# Acme-32B-FP8\n\n"
    text += "| Benchmark | org/Acme-32B | Acme-32B-FP8 (this model) | Recovery (%) |\n"
    text += "|---|---|---|---|\n| MMLU | 80.94 | 80.57 | 99.55% |\n"
    text += "| GSM8K | 87.34 | 87.72 | 100.43% |\n"
    card = run(tmp_path, text)
    columns = card["results"]["results"][0]["columns"]
    assert "Recovery (%)" not in columns.values()
    found = variants(card)
    assert found["Acme-32B-FP8"]["kind"] == "quantized"
    assert found["Acme-32B-FP8"]["derived_from"] == found["Acme-32B"]["id"]


def test_an_average_named_in_the_category_column_is_its_own_row(tmp_path: Path) -> None:
    text = "# Acme\n\n| Category | Benchmark | Acme 7B | Other 7B |\n|---|---|---|---|\n"
    text += "| Code | HumanEval | 57.3 | 34.1 |\n| | MBPP | 69.8 | 51.5 |\n"
    text += "| **Average** | | **67.6** | **56.0** |\n"
    card = run(tmp_path, text)
    found = rows(card)
    assert by_heading(card, found["MBPP"]) == {"Acme 7B": "69.8", "Other 7B": "51.5"}
    assert by_heading(card, found["Average"]) == {"Acme 7B": "67.6", "Other 7B": "56.0"}


def test_a_model_heading_over_benchmark_rows_keeps_models_as_columns(tmp_path: Path) -> None:
    text = "# Acme\n\n| Model | Acme 1B | Llama 3 8B |\n|---|---|---|\n"
    text += "| MMLU | 40.1 | 66.6 |\n| HellaSwag | 60.0 | 82.0 |\n| ARC-Challenge | 45.0 | 60.0 |\n"
    card = run(tmp_path, text)
    assert by_heading(card, rows(card)["HellaSwag"]) == {"Acme 1B": "60.0", "Llama 3 8B": "82.0"}


def test_a_score_printed_with_its_setting_is_a_score(tmp_path: Path) -> None:
    text = "# Acme\n\n| | Acme 7B | Other 7B |\n|---|---|---|\n| MMLU | 28.3 | 31.5 |\n"
    text += "| GSM8k | 8.5 (8shot CoT) | 4.0 (5 shot) |\n"
    card = run(tmp_path, text)
    assert by_heading(card, rows(card)["GSM8k"]) == {
        "Acme 7B": "8.5 (8shot CoT)",
        "Other 7B": "4.0 (5 shot)",
    }


def test_a_row_of_metrics_under_the_benchmarks(tmp_path: Path) -> None:
    text = "# Acme\n\n| Model | MMLU | GSM8K |\n|---|---|---|\n| | acc | em |\n"
    text += "| Acme 7B | 78.5 | 85.1 |\n| Other 7B | 69.4 | 84.5 |\n"
    card = run(tmp_path, text)
    assert rows(card)["GSM8K"]["metric"] == "em"


def test_shots_leave_no_empty_parentheses(tmp_path: Path) -> None:
    text = "# Acme\n\n| Benchmark | Acme 7B |\n|---|---|\n| GSM8K (8-shot, strict-match) | 87.7 |\n"
    card = run(tmp_path, text)
    row = rows(card)["GSM8K (8-shot, strict-match)"]
    assert (row["name"], row["shots"]) == ("GSM8K (strict-match)", "8")


def test_sizes_after_a_name_and_hub_spellings_are_one_model(tmp_path: Path) -> None:
    text = "# Acme\n\n| Benchmark | Acme2.5 7B | Other |\n|---|---|---|\n| MMLU | 70.1 | 60.0 |\n"
    text += "\n| Model | 4K | 8K |\n|---|---|---|\n| Acme2_5 7B (7B/7B) | 96.7 | 95.0 |\n"
    text += "| Other | 90.1 | 88.0 |\n"
    card = run(tmp_path, text)
    assert "Acme2.5 7B" in variants(card) and len(variants(card)) == 2


def test_badges_are_no_links_and_image_links_take_their_alt_text(tmp_path: Path) -> None:
    text = (
        "# Acme\n\n[![license](https://img.shields.io/badge/License-MIT-blue)](https://x.org/L)\n"
    )
    text += "[![Open in Lab](https://lab.example/logo.svg)](https://lab.example/acme)\n"
    text += "[Paper](https://arxiv.org/abs/1)\n" + SCORES
    links = family(run(tmp_path, text))["links"]
    assert [link["title"] for link in links] == ["Open in Lab", "Paper"]


def test_the_license_section_names_the_license(tmp_path: Path) -> None:
    text = "# Acme\n\n## Update\n\n[2024.01.01] We have released Acme v2 with many, many more "
    text += "improvements than anyone could have hoped for in a release.\n\n" + SCORES
    text += "\n## License\n\nUse requires [Apache 2.0](https://x.org/L) and the "
    text += "[Community License for Acme](https://x.org/C).\n"
    card = family(run(tmp_path, text))
    assert card["license"]["name"] == "Apache 2.0 and Community License for Acme"
    assert "summary" not in card  # release news is no summary


def test_link_text_is_read_as_markdown(tmp_path: Path) -> None:
    """A link's text as it prints: escapes read (``llama3\\_3`` is ``llama3_3``), emphasis
    and code marks gone, underscores kept."""
    text = "# Acme\n\n[The `acme_v2` **paper**](https://x.org/p)\n\n" + SCORES
    text += "\n## License\n\nSee [models/acme\\_1/LICENSE](https://x.org/models/acme_1/LICENSE).\n"
    card = family(run(tmp_path, text))
    assert card["license"]["name"] == "models/acme_1/LICENSE"
    titles = [link["title"] for link in card["links"]]
    assert titles == ["The acme_v2 paper", "models/acme_1/LICENSE"]


def test_an_ours_column_is_the_cards_own_model(tmp_path: Path) -> None:
    text = "# Acme-7B\n\n| Benchmark | GPT-4 | Ours |\n|---|---|---|\n| MMLU | 86.4 | 60.1 |\n"
    card = run(tmp_path, text)
    found = variants(card)
    assert not found["Acme-7B"].get("comparison") and found["GPT-4"]["comparison"]
    assert by_heading(card, rows(card)["MMLU"]) == {"GPT-4": "86.4", "Ours": "60.1"}


def test_a_metric_written_after_the_benchmark(tmp_path: Path) -> None:
    text = "# Acme\n\n| Model | AIME 2024 pass@1 | AIME 2024 cons@64 |\n|---|---|---|\n"
    text += "| Acme 7B | 28.9 | 52.7 |\n| Other 7B | 9.3 | 13.4 |\n"
    card = run(tmp_path, text)
    row = rows(card)["AIME 2024 cons@64"]
    assert (row["name"], row["metric"]) == ("AIME 2024", "cons@64")
    assert by_heading(card, row) == {"Acme 7B": "52.7", "Other 7B": "13.4"}


def test_a_group_heading_over_model_columns_is_context_not_name(tmp_path: Path) -> None:
    text = '# Acme-2\n\n<table>\n<tr><th rowspan="2">Benchmark</th><th colspan="2">Base models'
    text += '</th><th colspan="2">Chat models</th></tr>\n<tr><th>Acme-2-7B</th>'
    text += "<th>Llama-2-7B<sup>1</sup></th><th>Acme-2-7B-Chat</th><th>Llama-2-7B-Chat</th></tr>\n"
    text += "<tr><th>MMLU</th><td>60.1</td><td>45.3</td><td>58.2</td><td>47.0</td></tr>\n"
    text += "<tr><th>GSM8K</th><td>40.2</td><td>14.6</td><td>55.0</td><td>-</td></tr>\n</table>\n"
    card = run(tmp_path, text)
    columns = list(card["results"]["results"][0]["columns"].values())
    assert columns == ["Acme-2-7B", "Llama-2-7B¹", "Acme-2-7B-Chat", "Llama-2-7B-Chat"]
    found = variants(card)
    assert found["Llama-2-7B"]["kind"] == "pretrained"  # from the group heading
    assert found["Acme-2-7B-Chat"]["derived_from"] == found["Acme-2-7B"]["id"]


def test_models_linked_to_the_hub_and_scored_are_a_results_table(tmp_path: Path) -> None:
    text = "# BGE\n\n| Model Name | Dimension | Average (56) | Retrieval (15) | STS (10) |\n"
    text += "|---|---|---|---|---|\n"
    text += "| [BAAI/bge-large-en-v1.5](https://huggingface.co/BAAI/bge-large-en-v1.5) | 1024 "
    text += "| 64.23 | 54.29 | 83.11 |\n"
    text += "| [gte-large](https://huggingface.co/thenlper/gte-large) | 1024 | 63.13 | 52.22 "
    text += "| 83.35 |\n"
    card = run(tmp_path, text)
    found = rows(card)
    assert by_heading(card, found["Retrieval (15)"]) == {
        "BAAI/bge-large-en-v1.5": "54.29",
        "gte-large": "52.22",
    }
    assert variants(card)["gte-large"]["comparison"]


def test_a_shots_row_may_hold_dashes_and_pass_at_k(tmp_path: Path) -> None:
    text = "# Yi\n\n| Model | MMLU | BBH | Common-sense Reasoning |\n|---|---|---|---|\n"
    text += "| | 5-shot | 3-shot@1 | - |\n| Yi-6B | 64.1 | 47.2 | 72.1 |\n"
    text += "| Llama2-7B | 46.8 | 38.2 | 64.3 |\n"
    card = run(tmp_path, text)
    found = rows(card)
    assert (found["MMLU"]["shots"], found["BBH"]["shots"]) == ("5-shot", "3-shot@1")
    common = by_heading(card, found["Common-sense Reasoning"])
    assert common == {"Yi-6B": "72.1", "Llama2-7B": "64.3"}


def test_lower_is_better_said_in_the_name(tmp_path: Path) -> None:
    text = "# Acme\n\n| Benchmark | Acme 7B |\n|---|---|\n"
    text += "| RealToxicity (lower is better) | 8.1 |\n"
    text += "| LAMBADA PPL ↓ | 3.99 |\n| MMLU | 60.0 |\n"
    found = rows(run(tmp_path, text))
    assert found["RealToxicity (lower is better)"]["higher_is_better"] is False
    assert found["LAMBADA PPL ↓"]["higher_is_better"] is False
    assert "higher_is_better" not in found["MMLU"]


def test_rows_stacked_with_br_are_read_one_by_one(tmp_path: Path) -> None:
    text = "# Acme\n\n| Category | Benchmark | acme (14B) | other (14B) |\n|---|---|---|---|\n"
    text += "| Science | GPQA | **56.1** | 31.2 |\n"
    text += "| Math | MGSM<br>MATH | 80.6<br>**80.4** | 53.5<br>44.6* |\n"
    card = run(tmp_path, text)
    found = rows(card)
    assert by_heading(card, found["MGSM"]) == {"acme (14B)": "80.6", "other (14B)": "53.5"}
    assert by_heading(card, found["MATH"]) == {"acme (14B)": "80.4", "other (14B)": "44.6*"}
    assert found["MATH"]["category"] == found["MGSM"]["category"]


def test_a_benchmark_row_of_unreadable_cells_is_reported(tmp_path: Path) -> None:
    from cardsite.importer.run import import_card

    text = "# Acme\n\n| Benchmark | Acme 7B | Other 7B |\n|---|---|---|\n| MMLU | 60.1 | 55.0 |\n"
    text += "| GSM8K | 40.1 and 41.3 | 38.2 then 39.0 |\n"
    source = tmp_path / "README.md"
    source.write_text(text, encoding="utf-8")
    report = import_card(source, tmp_path / "card")
    assert [s.reason for s in report.skipped] == ["a cell that does not read as one score"] * 2


def test_the_model_named_in_the_opening_paragraph_is_the_cards_own(tmp_path: Path) -> None:
    text = "We evaluated `acme-4` on public benchmarks, more specifically on MMLU and GPQA.\n\n"
    text += "| Benchmark | **acme-4** (14B) | **other** (14B) |\n|---|---|---|\n"
    text += "| MMLU | 84.8 | 77.9 |\n"
    found = variants(run(tmp_path, text))
    assert not found["acme-4 (14B)"].get("comparison") and found["other (14B)"]["comparison"]


def test_a_column_of_quantities_is_no_benchmark_name(tmp_path: Path) -> None:
    """``| | Context length | A | B |``: the unheaded first column names the benchmarks, the
    column of lengths (87.9k) is a fact of each row, kept with it."""
    text = "# Acme\n\n| | Context length | Acme 7B | Other 8B |\n|---|---|---|---|\n"
    text += "| Math.Find | 87.9k | 59.71% | 18.57% |\n| Retrieve.KV | 89.9k | 29.00% | 69.20% |\n"
    text += "| En.Dia | 103.6K | 23.00% | 23.00% |\n"
    card = run(tmp_path, text)
    found = rows(card)
    assert set(found) == {"Math.Find", "Retrieve.KV", "En.Dia"}
    assert by_heading(card, found["Math.Find"]) == {"Acme 7B": "59.71%", "Other 8B": "18.57%"}
    assert "Context length: 87.9k" in found["Math.Find"]["source"]


def test_models_named_like_the_bold_own_model_are_the_cards_own(tmp_path: Path) -> None:
    """A card with no title whose own model shows only in bold owns its siblings too (named
    alike up to their size), not the models of another name or version."""
    folder = tmp_path / "benchmarks"
    folder.mkdir()
    text = "| Model | MMLU | GSM8K |\n|---|---|---|\n| LLaMA2-34B | 62.6 | 42.2 |\n"
    text += "| Yi-1.5-9B | 69.5 | 73.7 |\n| **Yi-34B** | **76.3** | **67.2** |\n"
    text += "| Yi-6B | 64.1 | 32.5 |\n| Yi-34B-Chat | 73.5 | 71.6 |\n"
    card = run(folder, text)
    own = {n for n, v in variants(card).items() if not v.get("comparison")}
    assert own == {"Yi-34B", "Yi-6B", "Yi-34B-Chat"}
    assert family(card)["name"] == "Yi"
