"""``cardsite import`` on small documents, one table style each, and on bad input.

Each style is a few lines of Markdown or HTML written here; the test reads the imported
``results.yaml`` back and checks the cells, names, shots, metrics and missing marks.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from cardsite.card.loader import load_card
from cardsite.cli import main
from cardsite.importer.run import ImportFailed, import_card

ROOT = Path(__file__).resolve().parents[1]


def run(tmp_path: Path, text: str, name: str = "README.md") -> dict[str, Any]:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "card"
    import_card(source, out)
    load_card(out)
    files = {}
    for file in ("family", "variants", "results", "tables", "prose"):
        path = out / f"{file}.yaml"
        if path.exists():
            files[file] = yaml.safe_load(path.read_text(encoding="utf-8"))
    files["dir"] = out
    return files


def rows(card: dict[str, Any], table: int = 0) -> dict[str, dict[str, Any]]:
    return {r.get("label", r["name"]): r for r in card["results"]["results"][table]["rows"]}


def by_heading(card: dict[str, Any], row: dict[str, Any], table: int = 0) -> dict[str, str]:
    columns = card["results"]["results"][table]["columns"]
    return {columns[v]: text for v, text in row.get("scores", {}).items()}


PIPE = """# Model Card for Acme 7B

## Evaluation

| Category | Benchmark | # Shots | Metric | Acme 7B | Other 7B |
|---|---|---|---|---|---|
| General | MMLU | 5 | acc | **64.1** | 60.2 |
| | ARC-Challenge | 25 | acc_norm | 55.0 | - |
| Math | GSM8K | 8 | em | 40.1 | N/A |
| | MATH | 4 | em | 12.5 | — |
| | AIME | 0 | pass@1 | 2/30 | n/a |
| Code | HumanEval | 0 | pass@1 | 81.3% | -- |
| | MBPP | 3 | pass@1 | 42.2/36.6 | not tested |
"""


def test_pipe_table_models_as_columns(tmp_path: Path) -> None:
    card = run(tmp_path, PIPE)
    table = card["results"]["results"][0]
    assert list(table["columns"].values()) == ["Acme 7B", "Other 7B"]
    r = rows(card)
    assert by_heading(card, r["MMLU"]) == {"Acme 7B": "64.1", "Other 7B": "60.2"}
    assert (r["MMLU"]["shots"], r["MMLU"]["metric"]) == ("5", "acc")
    # the category column's blank cells carry the category down
    categories = {c["id"]: c["name"] for c in card["results"]["categories"]}
    assert categories[r["ARC-Challenge"]["category"]] == "General"
    assert categories[r["MATH"]["category"]] == "Math"
    other = next(v for v in table["columns"] if table["columns"][v] == "Other 7B")
    assert r["ARC-Challenge"]["missing"][other] == "not_reported"
    assert r["GSM8K"]["missing"][other] == {"mark": "N/A", "reason": None}
    assert r["MATH"]["missing"][other] == {"mark": "—", "reason": "not_reported"}
    assert r["AIME"]["missing"][other] == {"mark": "n/a", "reason": None}
    assert r["HumanEval"]["missing"][other] == {"mark": "--", "reason": "not_reported"}
    assert r["MBPP"]["missing"][other] == {"mark": "not tested", "reason": None}
    own = next(v for v in table["columns"] if table["columns"][v] == "Acme 7B")
    assert [r[b]["scores"][own] for b in ("AIME", "HumanEval", "MBPP")] == [
        "2/30",
        "81.3%",
        "42.2/36.6",
    ]
    variants = {v["name"]: v for v in card["variants"]["variants"]}
    assert not variants["Acme 7B"].get("comparison")
    assert variants["Other 7B"]["comparison"] is True


HTML = """# Model Card for Acme 8B

### Base pretrained models

<table>
  <tr>
   <td><strong>Category</strong></td><td><strong>Benchmark</strong></td>
   <td><strong>Language</strong></td><td><strong>Acme 8B</strong></td>
   <td><strong>Acme 70B</strong></td>
  </tr>
  <tr>
   <td rowspan="3">General</td><td rowspan="3">MMLU (5-shot, macro_avg/acc)</td>
   <td>Portuguese</td><td>62.12</td><td>80.13</td>
  </tr>
  <tr>

   <td>Spanish</td><td>62.45</td><td>80.05</td>
  </tr>
  <tr>
   <td>Thai</td><td>50.32</td><td>72.95<sup>1</sup></td>
  </tr>
</table>
"""


def test_html_rowspan_and_language_rows_as_subsets(tmp_path: Path) -> None:
    card = run(tmp_path, HTML)
    (row,) = card["results"]["results"][0]["rows"]
    assert (row["name"], row["shots"], row["metric"]) == ("MMLU", "5", "macro_avg/acc")
    assert row["label"] == "MMLU (5-shot, macro_avg/acc)"
    subsets = {s["name"]: s for s in row["subsets"]}
    assert list(subsets) == ["Portuguese", "Spanish", "Thai"]
    assert subsets["Thai"]["language"] == "th"
    assert sorted(subsets["Thai"]["scores"].values()) == ["50.32", "72.95¹"]


TWO_LEVEL = """# Model Card for Acme

## Results

<table>
<thead>
<tr><th rowspan="2">Benchmark</th><th colspan="2">Acme 8B</th><th colspan="2">Acme 70B</th></tr>
<tr><th>Base</th><th>Instruct</th><th>Base</th><th>Instruct</th></tr>
</thead>
<tbody>
<tr><td colspan="5"><strong>Knowledge</strong></td></tr>
<tr><td>MMLU</td><td>66.7</td><td>69.4</td><td>79.3</td><td>83.6</td></tr>
<tr><td>GPQA</td><td>-</td><td>30.4</td><td>-</td><td>46.7</td></tr>
</tbody>
</table>
"""


def test_two_level_headers_and_full_width_section_rows(tmp_path: Path) -> None:
    card = run(tmp_path, TWO_LEVEL)
    table = card["results"]["results"][0]
    assert list(table["columns"].values()) == [
        "Acme 8B Base",
        "Acme 8B Instruct",
        "Acme 70B Base",
        "Acme 70B Instruct",
    ]
    r = rows(card)
    assert set(r) == {"MMLU", "GPQA"}
    assert r["MMLU"]["group"] == "Knowledge"
    assert by_heading(card, r["MMLU"])["Acme 70B Instruct"] == "83.6"
    variants = {v["name"]: v for v in card["variants"]["variants"]}
    assert variants["Acme 8B Instruct"]["kind"] == "instruct"


TRANSPOSED = """---
license: apache-2.0
language:
- en
---
# Model Card for Acme-2-7B

| Model | Size | Train FLOPs | MMLU (5-shot) | ANLI<br>7-shot | GSM8K | Average |
|---|---|---|---|---|---|---|
| *Open weights models:* |
| Llama-2-7B | 7B | 1.6·10²³ | 45.3 | 38.1 | 14.6 | 32.7 |
| Mistral-7B (v0.1) | 7B | n/a | 62.5 | 42.0 | 40.2 | 48.2 |
| *Our models:* |
| **Acme-2-7B** | **7B** | 1.8·10²³ | **63.7** | **44.5** | **67.5** | **58.6** |
"""


def test_transposed_table_with_group_rows_and_fact_columns(tmp_path: Path) -> None:
    card = run(tmp_path, TRANSPOSED)
    table = card["results"]["results"][0]
    assert table["layout"] == "models-as-rows"
    assert list(table["columns"].values()) == ["Llama-2-7B", "Mistral-7B (v0.1)", "Acme-2-7B"]
    r = rows(card)
    assert set(r) == {"MMLU (5-shot)", "ANLI 7-shot", "GSM8K", "Average"}
    assert (r["MMLU (5-shot)"]["name"], r["MMLU (5-shot)"]["shots"]) == ("MMLU", "5")
    assert (r["ANLI 7-shot"]["name"], r["ANLI 7-shot"]["shots"]) == ("ANLI", "7")
    assert by_heading(card, r["GSM8K"]) == {
        "Llama-2-7B": "14.6",
        "Mistral-7B (v0.1)": "40.2",
        "Acme-2-7B": "67.5",
    }
    variants = {v["name"]: v for v in card["variants"]["variants"]}
    assert {f["label"]: f["value"] for f in variants["Llama-2-7B"]["facts"]} == {
        "Size": "7B",
        "Train FLOPs": "1.6·10²³",
    }
    assert not variants["Acme-2-7B"].get("comparison")
    assert variants["Llama-2-7B"]["comparison"] is True
    assert any("Open weights models" in n for n in table["notes"])
    assert card["family"]["family"]["license"]["id"] == "apache-2.0"
    assert card["family"]["family"]["languages"][0]["code"] == "en"


SHOTS_ROW = """# Model Card for Acme 2

### 7B Model Results

|                 | **C-Eval** | **MMLU** | **BBH** |
|:---------------:|:----------:|:--------:|:-------:|
|                 |  5-shot    |  5-shot  | 0-Shot; CoT  |
| **GPT-4**       | 68.40      | 83.93    | 75.12   |
| **Acme 2 7B**   | 54.00      | 54.16    | 41.56   |
"""


def test_shots_given_as_the_first_body_row(tmp_path: Path) -> None:
    card = run(tmp_path, SHOTS_ROW)
    r = rows(card)
    assert (r["C-Eval"]["shots"], r["MMLU"]["shots"]) == ("5-shot", "5-shot")
    assert (r["BBH"]["shots"], r["BBH"]["cot"]) == ("0-Shot", True)
    assert by_heading(card, r["BBH"]) == {"GPT-4": "75.12", "Acme 2 7B": "41.56"}


MARKERS = r"""# Model Card for Acme

## Results

| Benchmark | Acme-Chat | Rival-Chat |
|---|---|---|
| MMLU<sub>val</sub> | 88.5* | 80.1** |
| IFEval \| strict | 65.2 ± 1.3 | 70.0^1 |
| TyDi<br>QA | 75.6/-- | <sup>†</sup>61.0 |
| HellaSwag | <b>90.2</b><sup>2</sup> | 89.0 |

\* our own run. ** from the paper.
"""


def test_footnote_markers_escapes_and_value_forms(tmp_path: Path) -> None:
    card = run(tmp_path, MARKERS)
    r = rows(card)
    assert set(r) == {"MMLU val", "IFEval | strict", "TyDi QA", "HellaSwag"}
    assert by_heading(card, r["MMLU val"]) == {"Acme-Chat": "88.5*", "Rival-Chat": "80.1**"}
    assert by_heading(card, r["IFEval | strict"]) == {
        "Acme-Chat": "65.2 ± 1.3",
        "Rival-Chat": "70.0^1",
    }
    assert by_heading(card, r["TyDi QA"])["Acme-Chat"] == "75.6/--"
    assert by_heading(card, r["HellaSwag"])["Acme-Chat"] == "90.2²"


FENCED = """---
model-index:
- name: Acme-34B
  results: []
---
# Acme-34B

## GPT4All
```
|    Task     |Version| Metric |Value |   |Stderr|
|-------------|------:|--------|-----:|---|-----:|
|arc_challenge|      0|acc     |0.6067|_  |0.0143|
|             |       |acc_norm|0.6416|_  |0.0140|
|boolq        |      1|acc     |0.8859|_  |0.0056|
Average: 76.00%
```
"""


def test_evaluation_output_in_a_code_fence(tmp_path: Path) -> None:
    card = run(tmp_path, FENCED)
    table = card["results"]["results"][0]
    (vid,) = table["columns"]
    got = [
        (r["name"], r.get("metric"), r["scores"][vid], r.get("errors", {}).get(vid))
        for r in table["rows"]
    ]
    assert got == [
        ("arc_challenge", "acc", "0.6067", "0.0143"),
        ("arc_challenge", "acc_norm", "0.6416", "0.0140"),
        ("boolq", "acc", "0.8859", "0.0056"),
        ("Average", None, "76.00%", None),
    ]
    variants = card["variants"]["variants"]
    assert [v["name"] for v in variants] == ["Acme-34B"] or variants[0]["id"] == vid


SAME_MODEL = """# Model Card for Acme

## Base

| Benchmark | LLaMA3.1 405B | Acme-Base |
|---|---|---|
| MMLU | 84.4 | 87.1 |

## Leaderboard

| Model | Arena |
|---|---|
| LLaMA-3.1 405B | 69.3 |
| Acme-Base | 85.5 |
| Qwen2.5 72B | 81.2 |
"""


def test_the_same_model_spelled_twice_is_one_variant_and_reported(tmp_path: Path) -> None:
    card = run(tmp_path, SAME_MODEL)
    names = [v["name"] for v in card["variants"]["variants"]]
    assert names.count("LLaMA3.1 405B") + names.count("LLaMA-3.1 405B") == 1
    text = (card["dir"] / "variants.yaml").read_text(encoding="utf-8")
    assert "# review: " in text and "the same name once normalised" in text


DELTA = """# Acme

## Compared
| Bench | Old 7B | Acme 7B | Change |
|---|---|---|---|
| GPT4All | 73.12 | 76.00 | +2.88 |
| AGIEval | 43.07 | 50.27 | +7.20 |
"""


def test_cells_not_imported_are_reported_with_their_line(tmp_path: Path, capsys: Any) -> None:
    source = tmp_path / "README.md"
    source.write_text(DELTA, encoding="utf-8")
    report = tmp_path / "report.json"
    code = main(["import", str(source), "-o", str(tmp_path / "card"), "--report", str(report)])
    assert code == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (
        "imported 4 scores from 1 tables (2 variants); 2 cells not imported; "
        f"{json.loads(report.read_text())['guesses']} guesses to review"
    )
    assert any("line 6: '+2.88'" in line for line in err)
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [(s["line"], s["text"]) for s in data["not_imported"]] == [(6, "+2.88"), (7, "+7.20")]
    assert data["summary"] == err[-1]


def test_data_and_facts_tables_are_not_scores(tmp_path: Path) -> None:
    text = """# Acme 7B

## Model Summary

| | |
|:---:|:---:|
| **Architecture** | Mixture-of-Experts (MoE) |
| **Total Parameters** | 1T |
| **Context Length** | 128K |

## Training

| | Training Time (GPU hours) | Training Location-Based Greenhouse Gas Emissions (tons CO2eq) |
|---|---|---|
| Acme 7B | 1.46M | 420 |

## Results

| Benchmark | Acme 7B |
|---|---|
| MMLU | 66.7 |
"""
    card = run(tmp_path, text)
    facts = {f["label"]: f["value"] for f in card["family"]["family"]["facts"]}
    assert facts["Total Parameters"] == "1T"
    (table,) = card["tables"]["tables"]
    assert table["page"] == "training"
    assert [c.get("role") for c in table["columns"]] == [None, "gpu-hours", "emissions"]
    assert table["rows"][0]["cells"] == ["Acme 7B", "1.46M", "420"]


# --------------------------------------------------------------------------- bad input


def expect_refused(tmp_path: Path, capsys: Any, data: bytes, words: str) -> None:
    source = tmp_path / "README.md"
    source.write_bytes(data)
    out = tmp_path / "card"
    code = main(["import", str(source), "-o", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 1 and words in err[0], err
    assert "Traceback" not in err[0]
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".card.")]


def test_binary_input_is_refused(tmp_path: Path, capsys: Any) -> None:
    expect_refused(tmp_path, capsys, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")


def test_empty_input_is_refused(tmp_path: Path, capsys: Any) -> None:
    expect_refused(tmp_path, capsys, b"  \n\n", "empty")


def test_input_without_tables_is_refused(tmp_path: Path, capsys: Any) -> None:
    expect_refused(tmp_path, capsys, b"# Acme\n\nNo tables here.\n", "no tables")


def test_not_utf8_is_refused(tmp_path: Path, capsys: Any) -> None:
    expect_refused(tmp_path, capsys, "# Caf\xe9\n| a | b |\n".encode("latin-1"), "UTF-8")


def test_a_ten_thousand_row_table_is_refused(tmp_path: Path, capsys: Any) -> None:
    rows_ = "".join(f"| Model-{i} | {i % 100}.5 |\n" for i in range(10_000))
    data = f"# Acme\n\n| Model | MMLU |\n|---|---|\n{rows_}".encode()
    start = time.perf_counter()
    expect_refused(tmp_path, capsys, data, "rows")
    assert time.perf_counter() - start < 10


def test_a_ten_thousand_row_html_table_is_refused(tmp_path: Path, capsys: Any) -> None:
    rows_ = "".join(f"<tr><td>Model-{i}</td><td>{i % 100}.5</td></tr>\n" for i in range(10_000))
    data = f"# Acme\n\n<table>\n<tr><td>Model</td><td>MMLU</td></tr>\n{rows_}</table>\n".encode()
    expect_refused(tmp_path, capsys, data, "rows")


def test_a_five_megabyte_file_is_refused(tmp_path: Path, capsys: Any) -> None:
    data = b"# Acme\n\n" + b"lorem ipsum dolor sit amet\n" * 200_000
    expect_refused(tmp_path, capsys, data, "MB")


def test_a_device_is_read_only_up_to_the_limit(tmp_path: Path, capsys: Any) -> None:
    """``/dev/zero`` (or a pipe) has no size to check first: reading stops at the limit."""
    out = tmp_path / "card"
    assert main(["import", "/dev/zero", "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "MB" in err[0], err
    assert not out.exists()


def test_an_alias_bomb_in_the_front_matter_is_ignored(tmp_path: Path, capsys: Any) -> None:
    """Eight lines of YAML aliases stand for 43 million values: the front matter is set
    aside with a note, the card itself imported."""
    front = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        front.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    front.append("model-index: *h")
    source = tmp_path / "README.md"
    source.write_text("---\n" + "\n".join(front) + "\n---\n" + PIPE, encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "card")]) == 0
    assert "once its aliases are expanded; it was ignored" in capsys.readouterr().err
    load_card(tmp_path / "card")


def test_forty_thousand_headings_import_in_linear_time(tmp_path: Path) -> None:
    """Every line the importer looks up is found without splitting the document again (that
    made 40,000 headings take minutes)."""
    sections = "".join(f"## Part {i}\n\nText.\n\n" for i in range(40_000))
    start = time.perf_counter()
    card = run(tmp_path, "# Acme\n\n" + sections + PIPE.split("\n", 1)[1])
    assert time.perf_counter() - start < 60  # minutes before; seconds now
    assert card["results"]["results"]


@pytest.mark.parametrize(
    "html",
    [
        "<table><tr><td>Benchmark<td>Acme 7B<tr><td>MMLU<td>66.7",
        "<table><tr><td rowspan=99999>MMLU</td><td colspan='x'>1</td></tr></table>",
        "<table><tr><td>Benchmark</td><td>Acme 7B</td></tr><tr><td>MMLU</td><td>66.7</table>"
        "</td></tr></div></span>",
    ],
)
def test_malformed_html_never_shows_a_traceback(tmp_path: Path, capsys: Any, html: str) -> None:
    source = tmp_path / "README.md"
    source.write_text(f"# Acme 7B\n\n{html}\n", encoding="utf-8")
    out = tmp_path / "card"
    code = main(["import", str(source), "-o", str(out)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code == 0:
        load_card(out)
    else:
        assert code == 1 and not out.exists() and len(err.strip().splitlines()) == 1


def test_an_existing_folder_needs_force(tmp_path: Path, capsys: Any) -> None:
    source = tmp_path / "README.md"
    source.write_text(PIPE, encoding="utf-8")
    out = tmp_path / "card"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["import", str(source), "-o", str(out)]) == 1
    assert (out / "keep.txt").exists()
    capsys.readouterr()
    assert main(["import", str(source), "-o", str(out), "--force"]) == 0
    assert not (out / "keep.txt").exists() and (out / "results.yaml").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "card"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["import", str(tmp_path / "README.md")])
    assert stop.value.code == 2


def test_missing_source_exits_1(tmp_path: Path, capsys: Any) -> None:
    assert main(["import", str(tmp_path / "nope.md"), "-o", str(tmp_path / "card")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_a_40_kb_card_imports_in_under_two_seconds(tmp_path: Path) -> None:
    source = ROOT / "tests" / "fixtures" / "cards" / "baichuan2" / "README.md"
    assert source.stat().st_size >= 40_000
    import_card(source, tmp_path / "warm")  # imports (markdown-it, lxml, pydantic) loaded
    start = time.perf_counter()
    import_card(source, tmp_path / "card")
    assert time.perf_counter() - start < 2.0


def test_import_failed_is_the_only_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed):
        import_card(tmp_path / "missing.md", tmp_path / "card")
