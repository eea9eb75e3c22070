# ruff: noqa: RUF001 - Greek letters are part of published model names (Zephyr-7b-β)
"""``cardsite import`` on eight real published cards and on the Llama 3.1 seed card.

For each card: the import validates, the number of scores equals a count made by hand from the
source (per-table counts in the comments), and at least 20 cells spread over its tables hold the
value as printed, under the right model (the column heading as published) and the right
benchmark (the row label as published). Cells are named by the source line of their table.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from cardsite.card.loader import load_card
from cardsite.importer.run import import_card

ROOT = Path(__file__).resolve().parents[1]
CARDS = ROOT / "tests" / "fixtures" / "cards"

# card -> (scores counted by hand, [(table line, column heading, row label, value)])
# A row label may end in " [metric]" where the card prints one benchmark under two metrics.
# "-" / "—" values are missing cells: they must be under `missing` with that mark.
EXPECTED: dict[str, tuple[int, list[tuple[int, str, str, str]]]] = {
    # base table (line 112): 32 benchmark rows x 4 models = 128 (the Architecture and
    # # Params rows are facts); chat table (167): 22 rows x 7 = 154, less 2 dashes = 152;
    # open-ended (207): 6 models x 2 = 12. 128 + 152 + 12 = 292.
    "deepseek-v3": (
        292,
        [
            (112, "DeepSeek-V2", "Pile-test (BPB)", "0.606"),
            (112, "LLaMA3.1 405B", "Pile-test (BPB)", "0.542"),
            (112, "DeepSeek-V3", "BBH (EM)", "87.5"),
            (112, "Qwen2.5 72B", "MMLU (Acc.)", "85.0"),
            (112, "LLaMA3.1 405B", "ARC-Challenge (Acc.)", "95.3"),
            (112, "DeepSeek-V3", "ARC-Challenge (Acc.)", "95.3"),
            (112, "DeepSeek-V2", "WinoGrande (Acc.)", "86.3"),
            (112, "DeepSeek-V3", "AGIEval (Acc.)", "79.6"),
            (112, "Qwen2.5 72B", "CRUXEval-O (Acc.)", "59.9"),
            (112, "DeepSeek-V3", "CMath (EM)", "90.7"),
            (112, "DeepSeek-V2", "CCPM (Acc.)", "93.0"),
            (112, "LLaMA3.1 405B", "MMMLU-non-English (Acc.)", "73.8"),
            (167, "Llama3.1 405B-Inst.", "MMLU (EM)", "88.6"),
            (167, "GPT-4o 0513", "SimpleQA (Correct)", "38.2"),
            (167, "DeepSeek V2-0506", "SWE Verified (Resolved)", "-"),
            (167, "DeepSeek V3", "Codeforces (Percentile)", "51.6"),
            (167, "Claude-3.5-Sonnet-1022", "AIME 2024 (Pass@1)", "16.0"),
            (167, "DeepSeek V3", "C-SimpleQA (Correct)", "64.8"),
            (167, "Qwen2.5 72B-Inst.", "LiveCodeBench (Pass@1-COT)", "31.1"),
            (167, "Qwen2.5 72B-Inst.", "LiveCodeBench (Pass@1)", "28.7"),
            (167, "Llama3.1 405B-Inst.", "Aider-Polyglot (Acc.)", "5.8"),
            (167, "DeepSeek V2-0506", "Aider-Polyglot (Acc.)", "-"),
            (207, "DeepSeek-V3", "Arena-Hard", "85.5"),
            (207, "LLaMA-3.1 405B", "AlpacaEval 2.0", "40.5"),
            (207, "Claude-Sonnet-3.5-1022", "Arena-Hard", "85.2"),
        ],
    ),
    # 3.1 (line 89): 10 models x 4 = 40; 3.2 (107): 4 x 3 = 12; 3.3 (117): 10 x 3 = 30 less
    # 1 dash = 29; 3.4 (135): 8 x 4 = 32; 3.5 (150): 14 benchmarks x 4 models = 56. #TP and
    # #AP are facts. 40 + 12 + 29 + 32 + 56 = 169.
    "deepseek-coder-v2": (
        169,
        [
            (89, "Gemini-1.5-Pro", "HumanEval", "83.5"),
            (89, "Gemini-1.5-Pro", "MBPP+", "74.6"),
            (89, "GPT-4-Turbo-0409", "LiveCodeBench", "45.7"),
            (89, "GPT-4o-0513", "USACO", "18.8"),
            (89, "DeepSeek-Coder-V2-Instruct", "HumanEval", "90.2"),
            (89, "DeepSeek-Coder-V2-Lite-Instruct", "USACO", "6.5"),
            (89, "CodeStral", "MBPP+", "68.2"),
            (107, "CodeStral", "RepoBench (Python)", "46.1"),
            (107, "DeepSeek-Coder-V2-Lite-Base", "RepoBench (Java)", "43.3"),
            (117, "Llama3-Instruct", "SWE-Bench", "-"),
            (117, "DeepSeek-Coder-V2-Instruct", "Aider", "73.7"),
            (117, "GPT-4o-0513", "Defects4J", "26.1"),
            (117, "DeepSeek-Coder-Instruct", "SWE-Bench", "0.0"),
            (135, "Gemini-1.5-Pro", "AIME 2024", "2/30"),
            (135, "DeepSeek-Coder-V2-Instruct", "AIME 2024", "4/30"),
            (135, "Llama3-Instruct", "Math Odyssey", "27.9"),
            (135, "GPT-4o-0513", "MATH", "76.6"),
            (135, "DeepSeek-Coder-V2-Lite-Instruct", "GSM8K", "86.4"),
            (150, "DeepSeek-Coder-V2 Instruct", "AGIEval", "60"),
            (150, "DeepSeek-V2-Lite Chat", "MT-Bench", "7.37"),
            (150, "DeepSeek-V2 Chat", "AlpaceEval 2.0", "38.9"),
            (150, "DeepSeek-Coder-V2-Lite Instruct", "CLUEWSC", "76.5"),
            (150, "DeepSeek-Coder-V2 Instruct", "Alignbench", "7.84"),
        ],
    ),
    # instruct (line 76): 32 benchmark rows x 7 models = 224, less 12 em dashes = 212;
    # base (498): 13 rows x 4 = 52. 212 + 52 = 264.
    "kimi-k2": (
        264,
        [
            (76, "Kimi K2 Instruct", "LiveCodeBench v6 (Aug 24 - May 25)", "53.7"),
            (
                76,
                "Claude Sonnet 4 (w/o extended thinking)",
                "SWE-bench Verified (Agentic Coding) [Single Attempt (Acc)]",
                "72.7*",
            ),
            (
                76,
                "Kimi K2 Instruct",
                "SWE-bench Verified (Agentic Coding) [Multiple Attempts (Acc)]",
                "71.6",
            ),
            (
                76,
                "DeepSeek-V3-0324",
                "SWE-bench Verified (Agentic Coding) [Multiple Attempts (Acc)]",
                "—",
            ),
            (76, "GPT-4.1", "TerminalBench [Terminus (Acc)]", "30.3"),
            (76, "GPT-4.1", "TerminalBench [Inhouse Framework (Acc)]", "8.3"),
            (76, "Kimi K2 Instruct", "Tau2 telecom", "65.8"),
            (76, "DeepSeek-V3-0324", "AIME 2024", "59.4*"),
            (76, "Claude Opus 4 (w/o extended thinking)", "GPQA-Diamond", "74.9*"),
            (76, "Qwen3-235B-A22B (non-thinking)", "Humanity's Last Exam (Text Only)", "5.7"),
            (76, "DeepSeek-V3-0324", "MMLU-Pro", "81.2*"),
            (76, "GPT-4.1", "Livebench", "69.8"),
            (76, "Gemini 2.5 Flash Preview (05-20)", "SimpleQA", "23.3"),
            (76, "Qwen3-235B-A22B (non-thinking)", "Aider-Polyglot", "61.8"),
            (
                76,
                "Claude Sonnet 4 (w/o extended thinking)",
                "SWE-bench Multilingual (Agentic Coding)",
                "51.0",
            ),
            (498, "Kimi K2 Base", "MMLU", "87.8"),
            (498, "Deepseek-V3-Base", "GPQA-Diamond", "50.5"),
            (498, "Llama 4 Maverick", "EvalPlus", "65.5"),
            (498, "Qwen2.5-72B", "CSimpleQA", "50.5"),
            (498, "Kimi K2 Base", "GSM8k", "92.1"),
            (498, "Qwen2.5-72B", "MMLU-redux-2.0", "87.8"),
        ],
    ),
    # one transposed table (line 123): 16 models x 11 score columns (Average and ten
    # benchmarks) = 176; Train FLOPs is a fact column.
    "olmo-2-1124-13b": (
        176,
        [
            (123, "Llama-2-13B", "ARC/C", "67.3"),
            (123, "OLMo-2-1124-13B", "Average", "68.3"),
            (123, "Mistral-7B-v0.3", "MMLUPro", "30"),
            (123, "Gemma-2-9B", "DROP", "63"),
            (123, "OLMo-2-1124-7B", "TriviaQA", "78"),
            (123, "Amber-7B", "GSM8k", "4.8"),
            (123, "Qwen-2.5-14B", "HSwag", "94"),
            (123, "OLMo-2-1124-13B", "NQ", "46.7"),
            (123, "Zamba-2-7B", "AGIEval", "55.5"),
            (123, "DCLM-7B", "WinoG", "77.3"),
            (123, "MAP-Neo-7B", "MMLU", "58"),
            (123, "StableLM-2-12B", "ARC/C", "81.9"),
            (123, "Llama-3.1-8B", "GSM8k", "56.5"),
            (123, "Mistral-Nemo-12B", "DROP", "69.2"),
            (123, "Qwen-2.5-7B", "MMLUPro", "45.8"),
            (123, "OLMo-7B", "Average", "38.3"),
            (123, "OLMo-0424-7B", "DROP", "50"),
            (123, "OLMo-2-1124-7B", "MMLUPro", "31"),
            (123, "OLMo-2-1124-13B", "TriviaQA", "81.9"),
            (123, "Gemma-2-9B", "NQ", "38"),
            (123, "Qwen-2.5-14B", "AGIEval", "71"),
        ],
    ),
    # transposed table (line 90): 7 models x 6 languages = 42; model-index (line 19): 6.
    "stable-code-3b": (
        48,
        [
            (90, "Stable Code", "Python", "32.4%"),
            (90, "Stable Code", "C++", "30.9%"),
            (90, "Stable Code", "Rust", "23.0%"),
            (90, "Deci Coder", "Rust", "1.7%"),
            (90, "Deci Coder", "PHP", "2.1%"),
            (90, "CodeLLama", "Javascript", "32.5%"),
            (90, "Wizard Coder", "Java", "25.8%"),
            (90, "StarCoder", "Python", "21.6%"),
            (90, "Replit Code V1.5", "Rust", "21.5%"),
            (90, "Deepseek Coder", "C++", "29.2%"),
            (90, "Deci Coder", "C++", "6.8%"),
            (90, "CodeLLama", "Rust", "26.3%"),
            (90, "Wizard Coder", "Python", "31.6%"),
            (90, "StarCoder", "PHP", "19.0%"),
            (90, "Replit Code V1.5", "Javascript", "26.2%"),
            (90, "Deepseek Coder", "Java", "29.0%"),
            (19, "StarCoderBase-3B", "MultiPL-HumanEval (Python)", "32.4"),
            (19, "StarCoderBase-3B", "MultiPL-HumanEval (C++)", "30.9"),
            (19, "StarCoderBase-3B", "MultiPL-HumanEval (Rust)", "23.0"),
            (19, "StarCoderBase-3B", "MultiPL-HumanEval (JavaScript)", "32.1"),
            (19, "StarCoderBase-3B", "MultiPL-HumanEval (PHP)", "24.2"),
        ],
    ),
    # model-index (line 28): 9; transposed table (219): 15 models x 2 = 30, less 6 dashes =
    # 24 (Size and Alignment are facts); Open LLM key/value table (412): 8. 9 + 24 + 8 = 41.
    # The Trainer training-metrics table is a data table, not scores.
    "zephyr-7b-beta": (
        41,
        [
            (219, "Zephyr-7b-β", "MT-Bench (score)", "7.34"),
            (219, "Zephyr-7b-β", "AlpacaEval (win rate %)", "90.60"),
            (219, "Xwin-LM v0.1", "MT-Bench (score)", "-"),
            (219, "Xwin-LM v0.1", "AlpacaEval (win rate %)", "95.57"),
            (219, "Xwin-LMv0.1", "AlpacaEval (win rate %)", "87.83"),
            (219, "Llama2-Chat", "AlpacaEval (win rate %)", "92.66"),
            (219, "GPT-4", "MT-Bench (score)", "8.99"),
            (219, "Guanaco", "AlpacaEval (win rate %)", "71.80"),
            (219, "StableLM-Tuned-α", "MT-Bench (score)", "2.75"),
            (219, "StableLM-Tuned-α", "AlpacaEval (win rate %)", "-"),
            (219, "Claude 2", "AlpacaEval (win rate %)", "91.36"),
            (219, "Mistral-Instructv0.1", "MT-Bench (score)", "6.84"),
            (412, "Value", "Avg.", "52.15"),
            (412, "Value", "ARC (25-shot)", "62.03"),
            (412, "Value", "DROP (3-shot)", "9.66"),
            (412, "Value", "GSM8K (5-shot)", "12.74"),
            (28, "zephyr-7b-beta", "AI2 Reasoning Challenge (25-Shot)", "62.03071672354948"),
            (28, "zephyr-7b-beta", "AlpacaEval", "0.9060"),
            (28, "zephyr-7b-beta", "MT-Bench", "7.34"),
            (28, "zephyr-7b-beta", "TruthfulQA (0-shot)", "57.44916942762855"),
            (28, "zephyr-7b-beta", "MMLU (5-Shot)", "61.07"),
        ],
    ),
    # five tables in code fences: GPT4All (line 77) 12 values + "Average: 76.00%" = 13;
    # AGI-Eval (96) 16 + average = 17; BigBench (119) 19 + average = 20; TruthfulQA (145) 2;
    # comparison (153) 6 rows x 2 models = 12 (its Change column holds differences).
    # 13 + 17 + 20 + 2 + 12 = 64.
    "nous-hermes-2-yi-34b": (
        64,
        [
            (77, "Value", "arc_challenge [acc]", "0.6067"),
            (77, "Value", "arc_challenge [acc_norm]", "0.6416"),
            (77, "Value", "boolq [acc]", "0.8859"),
            (77, "Value", "winogrande [acc]", "0.7908"),
            (77, "Value", "Average", "76.00%"),
            (96, "Value", "agieval_sat_math [acc_norm]", "0.3818"),
            (96, "Value", "agieval_lsat_rc [acc]", "0.7807"),
            (96, "Value", "Average", "50.27%"),
            (119, "Value", "bigbench_geometric_shapes [exact_str_match]", "0.0000"),
            (119, "Value", "bigbench_geometric_shapes [multiple_choice_grade]", "0.4457"),
            (119, "Value", "bigbench_snarks [multiple_choice_grade]", "0.8066"),
            (119, "Value", "Average", "46.69%"),
            (145, "Value", "truthfulqa_mc [mc2]", "0.6034"),
            (145, "Value", "truthfulqa_mc [mc1]", "0.4333"),
            (153, "OpenHermes-2.5 Mistral 7B", "GPT4All", "73.12"),
            (153, "Nous-Hermes-2-Yi-34B", "Total Score", "233.30"),
            (153, "OpenHermes-2.5 Mistral 7B", "Average Total", "52.38"),
            (153, "Nous-Hermes-2-Yi-34B", "TruthfulQA", "60.34"),
            (153, "Nous-Hermes-2-Yi-34B", "AGI Eval", "50.27"),
            (153, "OpenHermes-2.5 Mistral 7B", "BigBench", "40.96"),
        ],
    ),
    # general 7B (line 70) and 13B (85): 9 models x 6 = 54 each; law and medicine (116, 131):
    # 9 x 5 = 45 each; maths and code (157): 9 x 4 = 36 less 1 dash = 35, (172): 36;
    # translation (191, 205): 9 x 8 = 72 each; quantization (428): 4 x 3 = 12. The GPU-memory
    # table (420) is a data table. 54+54+45+45+35+36+72+72+12 = 425.
    "baichuan2": (
        425,
        [
            (70, "GPT-4", "C-Eval", "68.40"),
            (70, "Baichuan2-7B-Base", "BBH", "41.56"),
            (70, "LLaMA-7B", "Gaokao", "27.81"),
            (85, "XVERSE-13B", "CMMLU", "58.44"),
            (85, "Baichuan2-13B-Base", "AGIEval", "48.17"),
            (116, "ChatGLM2-6B", "MedQA-MCMLE", "45.53"),
            (131, "Baichuan2-13B-Base", "MedQA-USMLE", "40.38"),
            (131, "Chinese-Alpaca-Plus-13B", "JEC-QA", "35.32"),
            (157, "Falcon-7B", "HumanEval", "-"),
            (157, "ChatGLM2-6B", "MBPP", "9.00"),
            (157, "GPT-3.5 Turbo", "MATH", "13.96"),
            (172, "Baichuan2-13B-Base", "GSM8K", "52.77"),
            (172, "Vicuna-13B", "HumanEval", "16.46"),
            (191, "LLaMA-7B", "Average", "7.63"),
            (191, "LLaMA-7B", "CN-AR", "0.00"),
            (191, "Baichuan2-7B-Base", "CN-DE", "12.76"),
            (205, "Baichuan2-13B-Base", "CN-JP", "11.58"),
            (205, "LLaMA2-13B", "CN-JP", "0.13"),
            (428, "Baichuan2-13B-Chat-4bits", "MMLU", "56.24"),
            (428, "Baichuan2-7B-Chat", "CMMLU", "54.99"),
            (428, "Baichuan2-7B-Chat-4bits", "C-Eval", "53.04"),
        ],
    ),
}


@cache
def imported(name: str) -> Path:
    import tempfile

    out = Path(tempfile.mkdtemp(prefix=f"import-{name}-")) / "card"
    import_card(CARDS / name / "README.md", out)
    return out


def flat(card_dir: Path) -> dict[tuple[int, str, str], str]:
    """(table line, column heading, row label [metric]) -> value, or the missing mark."""
    data = yaml.safe_load((card_dir / "results.yaml").read_text(encoding="utf-8"))
    out: dict[tuple[int, str, str], str] = {}
    for table in data["results"]:
        line = table_line(table)
        for row in table["rows"]:
            label = row.get("label", row["name"])
            keys = [label, f"{label} [{row.get('metric')}]"]
            for holder in row.get("subsets") or [row]:
                for vid, text in holder.get("scores", {}).items():
                    for key in keys:
                        out[(line, table["columns"][vid], key)] = text
                for vid, missing in holder.get("missing", {}).items():
                    mark = "-" if missing == "not_reported" else missing["mark"]
                    for key in keys:
                        out[(line, table["columns"][vid], key)] = mark
    return out


def table_line(table: dict[str, Any]) -> int:
    import re

    match = re.search(r"line (\d+)\)$", table["source"])
    assert match, table["source"]
    return int(match.group(1))


def score_count(card_dir: Path) -> int:
    data = yaml.safe_load((card_dir / "results.yaml").read_text(encoding="utf-8"))
    return sum(
        len(holder.get("scores", {}))
        for table in data["results"]
        for row in table["rows"]
        for holder in row.get("subsets") or [row]
    )


def cells_not_as_printed(card_dir: Path, checks: list[tuple[int, str, str, str]]) -> list[str]:
    """The checked cells (source line, column, row, text as printed) the import got wrong."""
    cells = flat(card_dir)
    return [
        f"line {line}, {column!r}, {row!r}: card {value!r}, "
        f"imported {cells.get((line, column, row))!r}"
        for line, column, row, value in checks
        if cells.get((line, column, row)) != value
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_card_imports_and_validates(name: str) -> None:
    card, _warnings = load_card(imported(name))
    assert card.variants


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scores_match_the_hand_count(name: str) -> None:
    assert score_count(imported(name)) == EXPECTED[name][0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cells_are_as_printed_on_the_right_model_and_benchmark(name: str) -> None:
    checks = EXPECTED[name][1]
    assert len(checks) >= 20
    wrong = cells_not_as_printed(imported(name), checks)
    assert not wrong, "\n".join(wrong)


OWN = {
    "deepseek-v3": {"DeepSeek-V3-Base", "DeepSeek-V3"},
    "kimi-k2": {"Kimi K2 Instruct", "Kimi K2 Base"},
    "zephyr-7b-beta": {"Zephyr-7b-β"},
    "stable-code-3b": {"Stable Code"},
    "nous-hermes-2-yi-34b": {"Nous-Hermes-2-Yi-34B"},
    "olmo-2-1124-13b": {"OLMo-2-1124-7B", "OLMo-2-1124-13B"},
}
COMPARED = {
    "deepseek-v3": {"GPT-4o 0513", "Qwen2.5 72B", "DeepSeek-V2"},
    "kimi-k2": {"GPT-4.1", "DeepSeek-V3-0324", "Qwen2.5-72B"},
    "zephyr-7b-beta": {"Zephyr-7b-α", "GPT-4", "Mistral-Instructv0.1"},
    "stable-code-3b": {"StarCoder", "CodeLLama"},
    "nous-hermes-2-yi-34b": {"OpenHermes-2.5 Mistral 7B"},
    "olmo-2-1124-13b": {"OLMo-7B", "Llama-3.1-8B"},
    "baichuan2": {"Baichuan-7B", "LLaMA2-13B", "GPT-4"},
    "deepseek-coder-v2": {"DeepSeek-Coder-Instruct", "DeepSeek-V2 Chat", "GPT-4o-0513"},
}


@pytest.mark.parametrize("name", sorted(COMPARED))
def test_own_models_are_told_from_comparison_models(name: str) -> None:
    variants = yaml.safe_load((imported(name) / "variants.yaml").read_text(encoding="utf-8"))
    comparison = {v["name"] for v in variants["variants"] if v.get("comparison")}
    own = {v["name"] for v in variants["variants"] if not v.get("comparison")}
    assert COMPARED[name] <= comparison, COMPARED[name] - comparison
    assert OWN.get(name, set()) <= own, OWN.get(name, set()) - own


def test_base_and_chat_tables_keep_base_and_chat_variants_apart() -> None:
    data = yaml.safe_load((imported("deepseek-v3") / "results.yaml").read_text(encoding="utf-8"))
    base, chat, _ = data["results"]
    assert (
        "deepseek-v3-base" in base["columns"]
        and base["columns"]["deepseek-v3-base"] == "DeepSeek-V3"
    )
    assert chat["columns"]["deepseek-v3"] == "DeepSeek V3"


def test_quantized_variants_derive_from_their_model() -> None:
    variants = yaml.safe_load((imported("baichuan2") / "variants.yaml").read_text(encoding="utf-8"))
    by_name = {v["name"]: v for v in variants["variants"]}
    q = by_name["Baichuan2-7B-Chat-4bits"]
    assert q["kind"] == "quantized"
    assert (
        by_name[next(v["name"] for v in variants["variants"] if v["id"] == q["derived_from"])][
            "name"
        ]
        == "Baichuan2-7B-Chat"
    )


def test_shots_from_a_shots_row_a_shots_column_and_a_name() -> None:
    def row(card: str, line: int, label: str) -> dict[str, Any]:
        data = yaml.safe_load((imported(card) / "results.yaml").read_text(encoding="utf-8"))
        table = next(t for t in data["results"] if table_line(t) == line)
        return next(r for r in table["rows"] if r.get("label", r["name"]) == label)

    assert row("baichuan2", 70, "BBH")["shots"] == "3-shot"
    assert row("kimi-k2", 498, "MMLU")["shots"] == "5-shot"
    assert row("deepseek-v3", 112, "DROP (F1)")["shots"] == "3-shot"
    assert row("deepseek-v3", 112, "DROP (F1)")["metric"] == "F1"
    assert row("zephyr-7b-beta", 412, "ARC (25-shot)")["shots"] == "25"
    assert row("baichuan2", 428, "MMLU")["shots"] == "5"
    assert row("deepseek-v3", 112, "Pile-test (BPB)")["higher_is_better"] is False


def test_evaluation_output_keeps_stderr_as_errors() -> None:
    data = yaml.safe_load(
        (imported("nous-hermes-2-yi-34b") / "results.yaml").read_text(encoding="utf-8")
    )
    first = data["results"][0]["rows"][0]
    (vid,) = first["scores"]
    assert (first["name"], first["metric"], first["scores"][vid], first["errors"][vid]) == (
        "arc_challenge",
        "acc",
        "0.6067",
        "0.0143",
    )


# --------------------------------------------------------------------------- Llama 3.1


def test_llama_seed_card_reproduces_its_158_scores(tmp_path: Path) -> None:
    """Every published score of the seed card on the right variant (matched by column heading)
    and benchmark (name or printed label, with shots and metric; languages as subsets)."""
    out = tmp_path / "llama"
    import_card(ROOT / "data" / "llama-3.1" / "source-card.md", out)
    load_card(out)

    def cells(path: Path) -> dict[tuple[str, frozenset[str], Any, Any, Any, str], str]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found = {}
        for table in data["results"]:
            for row in table["rows"]:
                names = frozenset({row["name"], row.get("label", row["name"])})
                for sub in row.get("subsets") or [None]:
                    holder = sub or row
                    for vid, text in holder.get("scores", {}).items():
                        key = (
                            table["title"],
                            names,
                            row.get("shots"),
                            row.get("metric"),
                            sub and (sub["name"], sub.get("language")),
                            table["columns"][vid],
                        )
                        found[key] = text
        return found

    published = cells(ROOT / "data" / "llama-3.1" / "results.yaml")
    ours = cells(out / "results.yaml")
    assert len(published) == 158

    def lookup(key: tuple[Any, ...]) -> str | None:
        for other, text in ours.items():
            if other[0] == key[0] and other[1] & key[1] and other[2:] == key[2:]:
                return text
        return None

    wrong = [f"{k}: {v!r} vs {lookup(k)!r}" for k, v in published.items() if lookup(k) != v]
    assert not wrong, "\n".join(wrong)
    assert score_count(out) == 158
    # the multilingual table's columns are the instruct models, as the data card has them
    data = yaml.safe_load((out / "results.yaml").read_text(encoding="utf-8"))
    multilingual = next(t for t in data["results"] if t["title"] == "Multilingual benchmarks")
    assert list(multilingual["columns"]) == [
        "llama-3-1-8b-instruct",
        "llama-3-1-70b-instruct",
        "llama-3-1-405b-instruct",
    ]
