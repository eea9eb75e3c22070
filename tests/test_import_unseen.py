"""``cardsite import`` on eighteen real published cards it was NOT developed on.

The cards (``tests/fixtures/unseen/``, each with its ``SOURCE.txt``) come from other publishers
and styles than the eight development cards: a Meta model card with category, shots and metric
columns and a per-language table (two versions: before and with its quantized models, N/A cells
and an inference-time table) and Meta's Llama 4 card (HTML tables where one text cell spans two
model columns: "No multimodal support"); Hugging Face cards from Google, IBM (model-index only,
plus an architecture table), AI21 (a RULER table whose rows lack their leading pipe), EleutherAI
(models as rows with HTML entities and footnote marks on names), Qwen (vision-language, ``<sub>``
in benchmark names, paired values), a quantized model's HTML table with a computed ``Recovery``
column, BioMistral (empty separator rows, CRLF line endings), BitNet (rows missing their last
pipe), Falcon3 (an HTML table with ``<colgroup>`` and rowspan categories), SmolLM2, InternLM, OLMo
7B (cells that print their setting, ``10.0 (8shot CoT)``; hyperparameter tables beside the
results) and a Chinese project README (hyperparameter tables with Chinese headings, a speed column
in the results); and Microsoft's Phi-3 catalog page (shots after ``<br>``) and phi-4 evaluation
section (two benchmarks stacked in one row with ``<br>``).

For each card: the import validates, the number of scores equals a count made by hand from the
source (per-table counts in the comments), and at least 15 cells spread over its tables hold
the value as printed, under the right model (the column heading as published) and the right
benchmark (the row label as published). Cells are named by the source line of their table.
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

from cardsite.card.loader import load_card
from cardsite.importer.run import import_card
from tests.test_import_cards import cells_not_as_printed, score_count

ROOT = Path(__file__).resolve().parents[1]
UNSEEN = ROOT / "tests" / "fixtures" / "unseen"

# card -> (scores counted by hand, [(table line, column heading, row label, value)])
# "-" / "--" / "-----" values are missing cells: they must be under `missing` with that mark.
THIS = "RedHatAI/Qwen3-32B-NVFP4A16 (this model)"
EXPECTED: dict[str, tuple[int, list[tuple[int, str, str, str]]]] = {
    # SFT table (line 72): 11 model rows x (10 benchmarks + Avg.) = 121; the three empty
    # separator rows hold nothing. The two model tables above (models, quantized models with
    # VRAM and time) hold no scores.
    "biomistral-7b": (
        121,
        [
            (72, "BioMistral 7B", "Clinical KG", "59.9"),
            (72, "PMC-LLaMA 7B", "Clinical KG", "24.5"),
            (72, "Mistral 7B Instruct", "Clinical KG", "62.9"),
            (72, "BioMistral 7B DARE", "Medical Genetics", "67.0"),
            (72, "GPT-3.5 Turbo 1106*", "Medical Genetics", "74.00"),
            (72, "MedAlpaca 7B", "Anatomy", "54.1"),
            (72, "BioMistral 7B Ensemble", "Pro Medicine", "63.5"),
            (72, "BioMedGPT-LM-7B", "Pro Medicine", "53.3"),
            (72, "BioMistral 7B SLERP", "College Biology", "64.8"),
            (72, "Mistral 7B Instruct", "College Medicine", "57.2"),
            (72, "MediTron-7B", "College Medicine", "30.8"),
            (72, "BioMistral 7B TIES", "MedQA", "49.5"),
            (72, "BioMistral 7B", "MedQA 5 opts", "42.8"),
            (72, "BioMistral 7B DARE", "PubMedQA", "77.7"),
            (72, "GPT-3.5 Turbo 1106*", "PubMedQA", "72.66"),
            (72, "MedAlpaca 7B", "MedMCQA", "37.0"),
            (72, "BioMistral 7B Ensemble", "Avg.", "58.7"),
            (72, "BioMistral 7B DARE", "Avg.", "59.4"),
        ],
    ),
    # one table (line 9): 9 model rows x (PPL + 7 tasks + Avg) = 81; four rows lack their
    # closing pipe, the header lacks it too.
    "bitnet-b1.58-3b": (
        81,
        [
            (9, "FP16 700M (reported)", "PPL", "12.33"),
            (9, "BitNet b1.58 1.3B (reported)", "PPL", "11.29"),
            (9, "BitNet b1.58 3B (reproduced)", "PPL", "9.88"),
            (9, "FP16 1.3B (reported)", "ARCe", "56.9"),
            (9, "BitNet b1.58 3B (reported)", "ARCe", "61.4"),
            (9, "BitNet b1.58 700M (reproduced)", "ARCc", "21.8"),
            (9, "FP16 3B (reported)", "ARCc", "25.6"),
            (9, "BitNet b1.58 700M (reported)", "HS", "35.1"),
            (9, "BitNet b1.58 1.3B (reproduced)", "HS", "37.6"),
            (9, "FP16 700M (reported)", "BQ", "60.0"),
            (9, "BitNet b1.58 3B (reproduced)", "BQ", "58.3"),
            (9, "BitNet b1.58 3B (reported)", "OQ", "26.6"),
            (9, "BitNet b1.58 700M (reproduced)", "PQ", "67.5"),
            (9, "BitNet b1.58 1.3B (reproduced)", "WGe", "56.0"),
            (9, "FP16 1.3B (reported)", "Avg", "46.2"),
            (9, "BitNet b1.58 3B (reported)", "Avg", "50.2"),
        ],
    ),
    # benchmarks (line 281): 18 rows x 2 = 36, less 1 dash = 35, plus the Average row 2 = 37
    # (a separator row inside the body holds nothing); safety (line 335): 10 x 2 = 20. 57.
    "gemma-2b": (
        57,
        [
            (281, "2B Params", "MMLU", "42.3"),
            (281, "7B Params", "MMLU", "64.3"),
            (281, "2B Params", "HellaSwag", "71.4"),
            (281, "2B Params", "SocialIQA", "59.7"),
            (281, "7B Params", "BooIQ", "83.2"),
            (281, "7B Params", "OpenBookQA", "52.8"),
            (281, "2B Params", "ARC-c", "42.1"),
            (281, "2B Params", "Natural Questions", "-"),
            (281, "7B Params", "Natural Questions", "23"),
            (281, "2B Params", "MATH", "11.8"),
            (281, "7B Params", "BIG-Bench", "55.1"),
            (281, "2B Params", "Average", "54.0"),
            (281, "7B Params", "Average", "56.4"),
            (335, "7B Params", "RealToxicity", "7.90"),
            (335, "2B Params", "CrowS-Pairs", "45.82"),
            (335, "7B Params", "BBQ Ambig", "92.54"),
            (335, "2B Params", "Winobias 2_2", "91.10"),
            (335, "7B Params", "Toxigen", "39.59"),
        ],
    ),
    # one table (line 85): 17 model rows x 5 score columns (LAMBADA PPL and Acc, Winogrande,
    # Hellaswag, PIQA) = 85, less 13 "-----" cells and Random Chance's "~a lot" (not a score)
    # = 71. Public, Training FLOPs and Dataset Size are facts about the models.
    "gpt-j-6b": (
        71,
        [
            (85, "Random Chance", "LAMBADA Acc ↑", "~0%"),
            (85, "Random Chance", "Winogrande ↑", "50%"),
            (85, "GPT-3 Ada‡", "LAMBADA PPL ↓", "9.95"),
            (85, "GPT-2 1.5B", "LAMBADA Acc ↑", "51.21%"),
            (85, "GPT-3 Babbage‡", "LAMBADA PPL ↓", "5.58"),
            (85, "GPT-3 1.3B*‡", "LAMBADA PPL ↓", "5.44"),
            (85, "GPT-3 13B*‡", "LAMBADA PPL ↓", "3.56"),
            (85, "Megatron-8.3B*", "LAMBADA PPL ↓", "-----"),
            (85, "Megatron-8.3B*", "LAMBADA Acc ↑", "66.5%"),
            (85, "GPT-Neo 1.3B‡", "LAMBADA Acc ↑", "57.2%"),
            (85, "GPT-J 6B‡", "LAMBADA PPL ↓", "3.99"),
            (85, "GPT-J 6B‡", "PIQA ↑", "76.5%"),
            (85, "GPT-3 Babbage‡", "Winogrande ↑", "59.0%"),
            (85, "Megatron-11B†", "Winogrande ↑", "-----"),
            (85, "GPT-Neo 2.7B‡", "Hellaswag ↑", "55.8%"),
            (85, "GPT-3 6.7B*‡", "Hellaswag ↑", "67.4%"),
            (85, "GPT-3 175B*‡", "PIQA ↑", "81.0%"),
            (85, "GPT-3 Davinci‡", "LAMBADA PPL ↓", "3.0"),
        ],
    ),
    # model-index only (line 10): 23 results, all named granite-3.0-2b-instruct as published.
    # The architecture table (line 318) is facts about four models, not scores.
    "granite-3.0-8b-instruct": (
        23,
        [
            (10, "granite-3.0-2b-instruct", "IFEval", "52.27"),
            (10, "granite-3.0-2b-instruct", "MT-Bench", "8.22"),
            (10, "granite-3.0-2b-instruct", "AGI-Eval", "40.52"),
            (10, "granite-3.0-2b-instruct", "MMLU", "65.82"),
            (10, "granite-3.0-2b-instruct", "MMLU-Pro", "34.45"),
            (10, "granite-3.0-2b-instruct", "OBQA", "46.6"),
            (10, "granite-3.0-2b-instruct", "Hellaswag", "82.61"),
            (10, "granite-3.0-2b-instruct", "TruthfulQA", "60.32"),
            (10, "granite-3.0-2b-instruct", "SQuAD 2.0", "21.58"),
            (10, "granite-3.0-2b-instruct", "ARC-C", "64.16"),
            (10, "granite-3.0-2b-instruct", "BBH", "51.55"),
            (10, "granite-3.0-2b-instruct", "HumanEvalFix", "65.85"),
            (10, "granite-3.0-2b-instruct", "MBPP", "49.6"),
            (10, "granite-3.0-2b-instruct", "MATH", "30.94"),
            (10, "granite-3.0-2b-instruct", "PAWS-X (7 langs)", "64.94"),
            (10, "granite-3.0-2b-instruct", "MGSM (6 langs)", "48.2"),
        ],
    ),
    # performance (line 31): 6 rows x 4 models = 24; the Model Zoo (line 19) holds dates.
    "internlm2.5-7b": (
        24,
        [
            (31, "InternLM2.5-7B", "MMLU", "71.6"),
            (31, "InternLM2-7B", "MMLU", "65.8"),
            (31, "LLaMA3-8B", "MMLU", "66.4"),
            (31, "Yi-1.5-9B", "MMLU", "71.6"),
            (31, "InternLM2.5-7B", "CMMLU", "79.1"),
            (31, "LLaMA3-8B", "CMMLU", "51.0"),
            (31, "InternLM2-7B", "BBH", "65.0"),
            (31, "Yi-1.5-9B", "BBH", "71.1"),
            (31, "InternLM2.5-7B", "MATH", "34.0"),
            (31, "LLaMA3-8B", "MATH", "16.4"),
            (31, "InternLM2-7B", "GSM8K", "70.8"),
            (31, "Yi-1.5-9B", "GSM8K", "74.5"),
            (31, "InternLM2.5-7B", "GPQA", "31.3"),
            (31, "LLaMA3-8B", "GPQA", "31.3"),
            (31, "Yi-1.5-9B", "GPQA", "27.8"),
        ],
    ),
    # benchmarks (line 25): 10 x 2 = 20; RULER (line 40): 10 model rows x 7 lengths = 70, less
    # 8 "--" = 62 (claimed and effective lengths are facts); multilingual MMLU (line 55):
    # 7 languages x 2 = 14. 20 + 62 + 14 = 96.
    "jamba-1.5-mini": (
        96,
        [
            (25, "Jamba 1.5 Mini", "Arena Hard", "46.1"),
            (25, "Jamba 1.5 Large", "ARC Challenge", "93"),
            (25, "Jamba 1.5 Mini", "MMLU Pro (CoT)", "42.5"),
            (25, "Jamba 1.5 Large", "RealToxicity (lower is better)", "6.7"),
            (25, "Jamba 1.5 Mini", "TruthfulQA", "54.1"),
            (40, "Jamba 1.5 Large (94B/398B)", "8K", "96.6"),
            (40, "Jamba 1.5 Mini (12B/52B)", "256K", "86.1"),
            (40, "Gemini 1.5 Pro", "16K", "96.0"),
            (40, "Gemini 1.5 Pro", "256K", "--"),
            (40, "GPT-4 1106-preview", "128K", "81.2"),
            (40, "Llama 3.1 70B", "32K", "94.8"),
            (40, "Mistral Large 2 (123B)", "128K", "23.7"),
            (40, "Mixtral 8x7B (12.9B/46.7B)", "64K", "72.4"),
            (55, "Jamba 1.5 Large", "French", "75.8"),
            (55, "Jamba 1.5 Mini", "Portuguese", "66.7"),
            (55, "Jamba 1.5 Large", "Arabic", "67.1"),
        ],
    ),
    # one HTML table (line 97, <colgroup>, rowspan categories): 17 rows x 4 models = 68, less
    # the 3 dashes of Winogrande = 65.
    "falcon3-1b-instruct": (
        65,
        [
            (97, "Llama-3.2-1B", "MMLU (5-shot)", "68.2"),
            (97, "Falcon3-1B-Instruct", "MMLU (5-shot)", "46.1"),
            (97, "Qwen2.5-1.5B", "MMLU-PRO (5-shot)", "28.2"),
            (97, "SmolLM2-1.7B", "IFEval", "53"),
            (97, "Llama-3.2-1B", "GSM8K (5-shot)", "82.6"),
            (97, "Qwen2.5-1.5B", "GSM8K (8-shot, COT)", "58.8"),
            (97, "Falcon3-1B-Instruct", "MATH Lvl-5 (4-shot)", "1"),
            (97, "SmolLM2-1.7B", "Arc Challenge (25-shot)", "49.7"),
            (97, "Falcon3-1B-Instruct", "GPQA (0-shot)", "26.5"),
            (97, "Falcon3-1B-Instruct", "GPQA (0-shot, COT)", "21.3"),
            (97, "Qwen2.5-1.5B", "MUSR (0-shot)", "36.5"),
            (97, "Llama-3.2-1B", "BBH (3-shot)", "33.8"),
            (97, "Falcon3-1B-Instruct", "SciQ (0-shot)", "86.8"),
            (97, "Llama-3.2-1B", "Winogrande (0-shot)", "-"),
            (97, "Falcon3-1B-Instruct", "Winogrande (0-shot)", "60.2"),
            (97, "SmolLM2-1.7B", "OpenbookQA (0-shot)", "42.8"),
            (97, "Qwen2.5-1.5B", "MT-Bench (avg)", "7.1"),
            (97, "Qwen2.5-1.5B", "Alpaca (WC)", "8.6"),
        ],
    ),
    # base (line 62): 7 x 3 = 21; instruct (line 74): 15 x 3 = 45; multilingual (line 94):
    # 7 languages x 3 = 21 (one benchmark, languages as subsets). 87.
    "llama-3.2": (
        87,
        [
            (62, "Llama 3.2 1B", "MMLU", "32.2"),
            (62, "Llama 3.2 3B", "MMLU", "58"),
            (62, "Llama 3.2 3B", "AGIEval English", "39.2"),
            (62, "Llama 3.1 8B", "ARC-Challenge", "79.7"),
            (62, "Llama 3.2 1B", "QuAC (F1)", "37.9"),
            (62, "Llama 3.2 3B", "DROP (F1)", "45.2"),
            (62, "Llama 3.1 8B", "Needle in Haystack", "1"),
            (74, "Llama 3.2 1B", "Open-rewrite eval", "41.6"),
            (74, "Llama 3.2 3B", "TLDR9+ (test)", "19.0"),
            (74, "Llama 3.1 8B", "IFEval", "80.4"),
            (74, "Llama 3.2 1B", "MATH (CoT)", "30.6"),
            (74, "Llama 3.2 3B", "ARC-C", "78.6"),
            (74, "Llama 3.2 1B", "BFCL V2", "25.7"),
            (74, "Llama 3.1 8B", "InfiniteBench/En.QA", "27.3"),
            (74, "Llama 3.2 1B", "NIH/Multi-needle", "75.0"),
            (74, "Llama 3.2 3B", "MGSM (CoT)", "58.2"),
        ],
    ),
    # 7B (line 136): 14 rows x 5 models = 70 (GSM8k cells print their setting: "10.0 (8shot
    # CoT)"); 1B (line 155): 10 rows x 5 columns (random and four models) = 50. 120. The
    # architecture, AdamW and optimizer-settings tables are hyperparameters, not scores.
    "olmo-7b": (
        120,
        [
            (136, "Llama 7B", "arc_challenge", "44.5"),
            (136, "OLMo 7B (ours)", "arc_challenge", "48.5"),
            (136, "Falcon 7B", "arc_easy", "70.4"),
            (136, "OLMo 7B (ours)", "boolq", "73.4"),
            (136, "OLMo 7B (ours)", "copa", "90"),
            (136, "Llama 2 7B", "hellaswag", "74.5"),
            (136, "MPT 7B", "openbookqa", "48.6"),
            (136, "Llama 7B", "sciq", "89.5"),
            (136, "OLMo 7B (ours)", "Core tasks average", "71.6"),
            (136, "MPT 7B", "truthfulQA (MC2)", "33"),
            (136, "Llama 2 7B", "MMLU (5 shot MC)", "45.0"),
            (136, "Llama 7B", "GSM8k (mixed eval.)", "10.0 (8shot CoT)"),
            (136, "Falcon 7B", "GSM8k (mixed eval.)", "4.0 (5 shot)"),
            (136, "MPT 7B", "Full average", "59.3"),
            (155, "random", "arc_easy", "25"),
            (155, "Pythia 1B", "boolq", "61.8"),
            (155, "OLMo 1B (ours)", "copa", "79"),
            (155, "StableLM 2 1.6b*", "openbookqa", "45.8"),
            (155, "TinyLlama 1.1B", "piqa", "71.1"),
            (155, "OLMo 1B (ours)", "Average", "62.42"),
        ],
    ),
    # pre-trained (line 103): 5 rows x 4 models = 20, plus ChartQA and DocVQA for the two
    # Llama 4 models = 4: 24; instruction tuned (line 190): 5 image rows x 2 = 10, 4 rows x 4
    # = 16, 2 MTOB rows x 2 = 4: 30. 54. "No multimodal support" and "Context window is 128K"
    # span two model columns: missing marks, not scores.
    "llama-4": (
        54,
        [
            (103, "Llama 3.1 70B", "MMLU", "79.3"),
            (103, "Llama 4 Maverick", "MMLU", "85.5"),
            (103, "Llama 3.1 405B", "MMLU-Pro", "61.6"),
            (103, "Llama 4 Scout", "MATH", "50.3"),
            (103, "Llama 3.1 70B", "MBPP", "66.4"),
            (103, "Llama 4 Maverick", "TydiQA", "31.7"),
            (103, "Llama 3.1 70B", "ChartQA", "No multimodal support"),
            (103, "Llama 4 Scout", "ChartQA", "83.4"),
            (103, "Llama 4 Maverick", "DocVQA", "91.6"),
            (190, "Llama 3.3 70B", "MMMU", "No multimodal support"),
            (190, "Llama 4 Scout", "MMMU", "69.4"),
            (190, "Llama 4 Maverick", "MathVista", "73.7"),
            (190, "Llama 4 Scout", "DocVQA (test)", "94.4"),
            (190, "Llama 3.1 405B", "LiveCodeBench (10/01/2024-02/01/2025)", "27.7"),
            (190, "Llama 3.3 70B", "MMLU Pro", "68.9"),
            (190, "Llama 4 Maverick", "GPQA Diamond", "69.8"),
            (190, "Llama 3.1 405B", "MGSM", "91.6"),
            (190, "Llama 3.1 405B", "MTOB (half book) eng->kgv/kgv->eng", "Context window is 128K"),
            (190, "Llama 4 Scout", "MTOB (half book) eng->kgv/kgv->eng", "42.2/36.6"),
            (190, "Llama 4 Maverick", "MTOB (full book) eng->kgv/kgv->eng", "50.8/46.7"),
        ],
    ),
    # October version with quantized models: base (line 86): 7 x 3 = 21; instruct (line 98):
    # 15 rows x 9 models = 135, less 18 N/A = 117; multilingual (line 120): 7 languages x 9 =
    # 63. 201. The inference-time table (speeds, sizes, "50.2 (2.6x)") holds no scores.
    "llama-3.2-quantized": (
        201,
        [
            (86, "Llama 3.2 3B", "MMLU", "58"),
            (86, "Llama 3.1 8B", "Needle in Haystack", "1"),
            (98, "Llama 3.2 1B bf16", "MMLU", "49.3"),
            (98, "Llama 3.2 1B Vanilla PTQ**", "MMLU", "43.3"),
            (98, "Llama 3.2 1B Spin Quant", "MMLU", "47.3"),
            (98, "Llama 3.2 1B QLoRA", "MMLU", "49.0"),
            (98, "Llama 3.2 3B Spin Quant", "MMLU", "62"),
            (98, "Llama 3.2 3B QLoRA", "IFEval", "75.9"),
            (98, "Llama 3.2 1B QLoRA", "GSM8K (CoT)", "46.5"),
            (98, "Llama 3.2 3B Vanilla PTQ**", "MATH (CoT)", "44.2"),
            (98, "Llama 3.2 3B bf16", "Hellaswag", "69.8"),
            (98, "Llama 3.1 8B", "BFCL V2", "67.1"),
            (98, "Llama 3.2 1B Vanilla PTQ**", "InfiniteBench/En.QA", "N/A"),
            (98, "Llama 3.2 3B bf16", "NIH/Multi-needle", "84.7"),
            (98, "Llama 3.2 3B QLoRA", "MGSM (CoT)", "56.8"),
        ],
    ),
    # one table (line 21): 6 printed rows, one of which stacks MGSM and MATH with <br>: 7
    # benchmarks x 7 models = 49.
    "phi-4-evaluation": (
        49,
        [
            (21, "phi-4 (14B)", "MMLU", "84.8"),
            (21, "GPT-4o", "MMLU", "88.1"),
            (21, "phi-4 (14B)", "GPQA", "56.1"),
            (21, "Qwen 2.5 (14B instruct)", "GPQA", "42.9"),
            (21, "phi-4 (14B)", "MGSM", "80.6"),
            (21, "phi-4 (14B)", "MATH", "80.4"),
            (21, "phi-3 (14B)", "MGSM", "53.5"),
            (21, "phi-3 (14B)", "MATH", "44.6"),
            (21, "Llama-3.3 (70B instruct)", "MATH", "66.3*"),
            (21, "GPT-4o", "MGSM", "90.4"),
            (21, "GPT-4o", "MATH", "74.6"),
            (21, "Llama-3.3 (70B instruct)", "HumanEval", "78.9*"),
            (21, "GPT-4o-mini", "HumanEval", "86.2"),
            (21, "Qwen 2.5 (72B instruct)", "SimpleQA", "10.2"),
            (21, "phi-4 (14B)", "DROP", "75.5"),
            (21, "Llama-3.3 (70B instruct)", "DROP", "90.2"),
        ],
    ),
    # benchmarks (line 11): 18 rows x 6 models = 108, plus the Average row 6 = 114;
    # categories (line 36): 8 x 6 = 48. 162.
    "phi-3-mini-4k-azure": (
        162,
        [
            (11, "Phi-3-Mini-4K-Ins", "AGI Eval 5-shot", "39.0"),
            (11, "Gemma-7B", "AGI Eval 5-shot", "42.1"),
            (11, "Mixtral-8x7b", "MMLU 5-shot", "70.5"),
            (11, "Llama-3-8B-Ins", "BigBench Hard CoT 3-shot", "51.5"),
            (11, "Phi-3-Mini-4K-Ins", "ANLI 7-shot", "53.6"),
            (11, "GPT3.5-Turbo-1106", "ARC Challenge 10-shot", "87.4"),
            (11, "Mistral-7b", "BoolQ 0-shot", "72.2"),
            (11, "Mixtral-8x7b", "GPQA 0-shot", "6.9"),
            (11, "Phi-3-Mini-4K-Ins", "TruthfulQA (MC2) 10-shot", "64.7"),
            (11, "Gemma-7B", "TriviaQA 5-shot", "72.3"),
            (11, "Phi-3-Mini-4K-Ins", "GSM8K CoT 8-shot", "85.7"),
            (11, "Mistral-7b", "HumanEval 0-shot", "28.0"),
            (11, "GPT3.5-Turbo-1106", "Average", "70.4"),
            (36, "Phi-3-Mini-4K-Instruct", "Popular aggregated benchmark", "61.1"),
            (36, "Mixtral 8x7B", "Reasoning", "68.1"),
            (36, "GPT-3.5-Turbo", "Factual knowledge", "63.4"),
            (36, "Llama-3-8B-Instruct", "Robustness", "64.5"),
        ],
    ),
    # image (line 45): 20 rows x 4 = 80, less 23 dashes = 57; video (line 70): 4 x 4 = 16,
    # less 5 dashes = 11 (``58.2/-`` is one printed pair). 68.
    "qwen2-vl-7b-instruct": (
        68,
        [
            (45, "InternVL2-8B", "MMMU val", "51.8"),
            (45, "GPT-4o-mini", "MMMU val", "60"),
            (45, "MiniCPM-V 2.6", "DocVQA test", "90.8"),
            (45, "MiniCPM-V 2.6", "InfoVQA test", "-"),
            (45, "InternVL2-8B", "OCRBench", "794"),
            (45, "MiniCPM-V 2.6", "OCRBench", "852"),
            (45, "Qwen2-VL-7B", "VCR en easy", "89.70"),
            (45, "GPT-4o-mini", "VCR zh easy", "1.10"),
            (45, "InternVL2-8B", "MME sum", "2210.3"),
            (45, "Qwen2-VL-7B", "MMBench-CN test", "80.5"),
            (45, "Qwen2-VL-7B", "MMT-Bench test", "63.7"),
            (45, "GPT-4o-mini", "MMVet GPT-4-Turbo", "66.9"),
            (45, "Qwen2-VL-7B", "MathVision", "16.3"),
            (70, "Internvl2-8B", "MVBench", "66.4"),
            (70, "LLaVA-OneVision-7B", "Video-MME wo/w subs", "58.2/-"),
            (70, "MiniCPM-V 2.6", "Video-MME wo/w subs", "60.9/63.6"),
            (70, "Qwen2-VL-7B", "Video-MME wo/w subs", "63.3/69.0"),
        ],
    ),
    # one HTML table (line 165): 20 rows (two with a rowspan category) x 2 models = 40; the
    # Recovery (%) column is computed from the two and is reported, not imported.
    "qwen3-32b-nvfp4a16": (
        40,
        [
            (165, "Qwen/Qwen3-32B", "MMLU", "80.94"),
            (165, THIS, "MMLU", "80.57"),
            (165, "Qwen/Qwen3-32B", "ARC Challenge (0-shot)", "68.34"),
            (165, THIS, "GSM8K (8-shot, strict-match)", "87.72"),
            (165, THIS, "Hellaswag (10-shot)", "70.48"),
            (165, "Qwen/Qwen3-32B", "Winogrande (5-shot)", "69.93"),
            (165, THIS, "TruthfulQA (0-shot, mc2)", "58.96"),
            (165, "Qwen/Qwen3-32B", "MMLU-Pro (5-shot)", "54.48"),
            (165, THIS, "MMLU-Pro (5-shot)", "51.61"),
            (165, THIS, "IFEval (0-shot)", "88.49"),
            (165, "Qwen/Qwen3-32B", "Math-|v|-5 (4-shot)", "56.87"),
            (165, THIS, "MuSR (0-shot)", "40.48"),
            (165, "Qwen/Qwen3-32B", "HumanEval Instruct pass@1", "88.41"),
            (165, THIS, "HumanEval 64 Instruct pass@8", "92.13"),
            (165, "Qwen/Qwen3-32B", "HumanEval 64 Instruct pass@64", "93.90"),
            (165, THIS, "HumanEval 64 Instruct pass@64", "95.73"),
        ],
    ),
    # Chinese README: only the evaluation table (line 147) holds scores, 2 models x 8 benchmarks
    # = 16 (its "CPU 上的 tokens / s" column is a speed, not a score); the six other tables are
    # hyperparameters (learning_rate, 学习率, 步数, 上下文长度...) and model lists.
    "small-doge-zh": (
        16,
        [
            (147, "Doge-20M", "MMLU", "25.43"),
            (147, "Doge-60M", "MMLU", "26.41"),
            (147, "Doge-20M", "TriviaQA", "0.03"),
            (147, "Doge-60M", "TriviaQA", "0.18"),
            (147, "Doge-20M", "ARC-E", "36.83"),
            (147, "Doge-60M", "ARC-E", "50.46"),
            (147, "Doge-20M", "ARC-C", "22.78"),
            (147, "Doge-60M", "ARC-C", "25.34"),
            (147, "Doge-20M", "PIQA", "58.38"),
            (147, "Doge-60M", "PIQA", "61.43"),
            (147, "Doge-20M", "HellaSwag", "27.25"),
            (147, "Doge-60M", "HellaSwag", "31.45"),
            (147, "Doge-20M", "OBQA", "25.60"),
            (147, "Doge-60M", "OBQA", "28.00"),
            (147, "Doge-20M", "Winogrande", "50.20"),
            (147, "Doge-60M", "Winogrande", "50.75"),
        ],
    ),
    # base (line 77): 9 x 3 = 27; instruct (line 92): 8 x 3 = 24. 51.
    "smollm2-360m": (
        51,
        [
            (77, "SmolLM2-360M", "HellaSwag", "54.5"),
            (77, "Qwen2.5-0.5B", "HellaSwag", "51.2"),
            (77, "SmolLM-360M", "ARC (Average)", "50.1"),
            (77, "SmolLM2-360M", "MMLU (cloze)", "35.8"),
            (77, "Qwen2.5-0.5B", "TriviaQA", "4.3"),
            (77, "Qwen2.5-0.5B", "Winogrande", "54.1"),
            (77, "Qwen2.5-0.5B", "OpenBookQA", "37.4"),
            (77, "SmolLM-360M", "GSM8K (5-shot)", "1.6"),
            (92, "SmolLM2-360M-Instruct", "IFEval (Average prompt/inst)", "41.0"),
            (92, "Qwen2.5-0.5B-Instruct", "MT-Bench", "4.16"),
            (92, "SmolLM-360M-Instruct", "HellaSwag", "47.9"),
            (92, "SmolLM2-360M-Instruct", "ARC (Average)", "43.7"),
            (92, "Qwen2.5-0.5B-Instruct", "PIQA", "67.2"),
            (92, "SmolLM-360M-Instruct", "MMLU (cloze)", "30.6"),
            (92, "Qwen2.5-0.5B-Instruct", "BBH (3-shot)", "30.7"),
            (92, "SmolLM2-360M-Instruct", "GSM8K (5-shot)", "7.43"),
            (92, "SmolLM-360M-Instruct", "GSM8K (5-shot)", "1.36"),
        ],
    ),
}


@cache
def imported(name: str) -> Path:
    import tempfile

    out = Path(tempfile.mkdtemp(prefix=f"import-unseen-{name}-")) / "card"
    import_card(UNSEEN / name / "README.md", out)
    return out


def test_there_are_at_least_twelve_unseen_cards_each_with_its_source() -> None:
    folders = sorted(p for p in UNSEEN.iterdir() if p.is_dir())
    assert len(folders) >= 18
    assert {p.name for p in folders} == set(EXPECTED)
    for folder in folders:
        assert (folder / "README.md").is_file() and (folder / "SOURCE.txt").is_file()


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
    assert len(checks) >= 15
    wrong = cells_not_as_printed(imported(name), checks)
    assert not wrong, "\n".join(wrong)


def _variants(name: str) -> dict[str, dict[str, object]]:
    data = yaml.safe_load((imported(name) / "variants.yaml").read_text(encoding="utf-8"))
    return {v["name"]: v for v in data["variants"]}


def _family(name: str) -> dict[str, object]:
    data = yaml.safe_load((imported(name) / "family.yaml").read_text(encoding="utf-8"))
    return data["family"]


OWN = {
    "gemma-2b": {"2B Params", "7B Params"},
    "jamba-1.5-mini": {"Jamba 1.5 Mini", "Jamba 1.5 Large"},
    "llama-3.2": {"Llama 3.2 1B (base)", "Llama 3.2 3B (chat)"},
    "phi-3-mini-4k-azure": {"Phi-3-Mini-4K-Ins"},
    "phi-4-evaluation": {"phi-4 (14B)"},  # named in the opening paragraph
    "qwen2-vl-7b-instruct": {"Qwen2-VL-7B"},
    "qwen3-32b-nvfp4a16": {"Qwen3-32B-NVFP4A16"},
    "gpt-j-6b": {"GPT-J 6B"},
    "biomistral-7b": {"BioMistral-7B", "BioMistral 7B Ensemble"},
    "smollm2-360m": {"SmolLM2-360M", "SmolLM2-360M-Instruct"},
    "olmo-7b": {"OLMo 7B", "OLMo 1B"},
    "small-doge-zh": {"Doge-20M", "Doge-60M", "Doge-60M-checkpoint"},
}
COMPARED = {
    "jamba-1.5-mini": {"Gemini 1.5 Pro", "Mixtral 8x7B (12.9B/46.7B)"},
    "phi-3-mini-4k-azure": {"Gemma-7B", "GPT-3.5-Turbo"},
    "qwen2-vl-7b-instruct": {"InternVL2-8B", "GPT-4o-mini"},
    "qwen3-32b-nvfp4a16": {"Qwen3-32B"},
    "gpt-j-6b": {"GPT-3 175B", "GPT-Neo 2.7B"},
    "biomistral-7b": {"Mistral 7B Instruct", "MedAlpaca 7B"},
    "smollm2-360m": {"Qwen2.5-0.5B", "SmolLM-360M"},
    "internlm2.5-7b": {"LLaMA3-8B", "Yi-1.5-9B"},
    "olmo-7b": {"Llama 2 7B", "Falcon 7B", "Pythia 1B"},
}


@pytest.mark.parametrize("name", sorted(set(OWN) | set(COMPARED)))
def test_own_models_are_told_from_comparison_models(name: str) -> None:
    variants = _variants(name)
    own = {n for n, v in variants.items() if not v.get("comparison")}
    compared = {n for n, v in variants.items() if v.get("comparison")}
    assert OWN.get(name, set()) <= own, OWN.get(name, set()) - own
    assert COMPARED.get(name, set()) <= compared, COMPARED.get(name, set()) - compared


FAMILY_NAMES = {
    "gemma-2b": "Gemma",  # "Gemma Model Card"
    "small-doge-zh": "Doge",  # first H1 "📌 介绍" (Introduction); the logo's alt text is no name
    "internlm2.5-7b": "InternLM2.5-7B",  # "InternLM2.5-7B Model Card"
    "jamba-1.5-mini": "Jamba 1.5",  # first H1 "Model Information": a section, not a name
    "llama-3.2": "Llama 3.2",  # no title: the name its own models share
    "bitnet-b1.58-3b": "BitNet b1.58",  # no title: the name its own models share
    "granite-3.0-8b-instruct": "Granite-3.0-8B-Instruct",
    "qwen3-32b-nvfp4a16": "Qwen3-32B-NVFP4A16",
}


@pytest.mark.parametrize("name", sorted(FAMILY_NAMES))
def test_family_is_named_after_the_model_not_a_section(name: str) -> None:
    assert _family(name)["name"] == FAMILY_NAMES[name]


def test_a_quantized_model_derives_from_the_model_it_quantizes() -> None:
    variants = _variants("qwen3-32b-nvfp4a16")
    own = variants["Qwen3-32B-NVFP4A16"]
    assert own["kind"] == "quantized"
    base = variants["Qwen3-32B"]
    assert own["derived_from"] == base["id"]
    assert own["compare_with"] == [base["id"]]


def test_quantized_variants_derive_from_their_full_precision_sibling() -> None:
    variants = _variants("llama-3.2-quantized")
    spin = variants["Llama 3.2 1B Spin Quant"]
    assert spin["kind"] == "quantized"
    assert spin["derived_from"] == variants["Llama 3.2 1B bf16"]["id"]


def test_a_computed_recovery_column_is_reported_not_imported() -> None:
    data = yaml.safe_load(
        (imported("qwen3-32b-nvfp4a16") / "results.yaml").read_text(encoding="utf-8")
    )
    (table,) = data["results"]
    assert list(table["columns"].values()) == [
        "Qwen/Qwen3-32B",
        "RedHatAI/Qwen3-32B-NVFP4A16 (this model)",
    ]
    rows = {r.get("label", r["name"]): r for r in table["rows"]}
    assert rows["GSM8K (8-shot, strict-match)"]["name"] == "GSM8K (strict-match)"
    assert rows["GSM8K (8-shot, strict-match)"]["shots"] == "8"


def test_an_architecture_table_is_facts_not_scores() -> None:
    card = imported("granite-3.0-8b-instruct")
    results = yaml.safe_load((card / "results.yaml").read_text(encoding="utf-8"))
    assert [t["title"] for t in results["results"]] == ["Model index (front matter)"]
    tables = yaml.safe_load((card / "tables.yaml").read_text(encoding="utf-8"))["tables"]
    architecture = next(t for t in tables if "Embedding size" in str(t))
    assert "8B Dense" in str(architecture)


def test_hyperparameter_tables_are_not_scores() -> None:
    card = imported("olmo-7b")
    results = yaml.safe_load((card / "results.yaml").read_text(encoding="utf-8"))
    assert [t["title"] for t in results["results"]] == ["Evaluation", "And for the 1B model"]
    tables = yaml.safe_load((card / "tables.yaml").read_text(encoding="utf-8"))["tables"]
    titles = [t["title"] for t in tables]
    assert "Optimizer settings comparison with peer models" in titles


def test_badge_links_are_left_out_and_image_links_titled_by_their_alt_text() -> None:
    links = _family("internlm2.5-7b").get("links", [])
    titles = [link["title"] for link in links]
    assert not any(t.startswith("!") or "[" in t for t in titles), titles
    assert "Open in OpenXLab" in titles


BUILT = ("qwen3-32b-nvfp4a16", "jamba-1.5-mini", "gpt-j-6b", "llama-4")


@pytest.mark.parametrize("name", BUILT)
def test_imported_card_builds(name: str, tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cardsite.cli",
            "build",
            str(imported(name)),
            "--out",
            str(out),
            "--target",
            "hosted",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert any(out.rglob("index.html"))
