# ruff: noqa: RUF001 - cards print dashes, minus signs and Greek letters this module must read
"""The vocabulary the importer reads cards with: what a model name, a benchmark name, a shot
count, a metric or a language looks like.

These are general rules about how model cards are written, not about any one card: model names
carry sizes (``7B``), family names and kind words (``Instruct``, ``Chat``, ``Base``); benchmark
names carry shots (``5-shot``) and metrics in parentheses (``(Acc.)``, ``(Pass@1)``). Every
function here is pure and works on one string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cardsite.card.models import is_missing_mark
from cardsite.card.values import Form, parse

_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon"}
_TOKEN = re.compile(r"[a-z]+|[0-9]+(?:\.[0-9]+)*")
_SIZE = re.compile(r"(?<![A-Za-z0-9.])(\d+(?:\.\d+)?)\s?([BbMm])(?![A-Za-z0-9])")
_MOE_SIZE = re.compile(r"(?<![A-Za-z0-9])(\d+x\d+(?:\.\d+)?[BbMm])(?![A-Za-z0-9])")

KIND_WORDS: dict[str, str] = {
    "instruct": "instruct",
    "instruction": "instruct",
    "inst": "instruct",
    "ins": "instruct",
    "it": "instruct",
    "chat": "chat",
    "base": "base",
    "pretrained": "pretrained",
    "sft": "fine-tuned",
    "dpo": "fine-tuned",
    "rlhf": "fine-tuned",
    "ppo": "fine-tuned",
    "rm": "reward",
    "reward": "reward",
    "gptq": "quantized",
    "awq": "quantized",
    "gguf": "quantized",
    "quantized": "quantized",
    "int4": "quantized",
    "int8": "quantized",
    "fp8": "quantized",
    "4bits": "quantized",
    "8bits": "quantized",
    "4bit": "quantized",
    "8bit": "quantized",
}
"""Words in a model name that say what kind of variant it is."""

MEMBER_WORDS = frozenset(
    {"mini", "small", "medium", "large", "tiny", "nano", "micro", "lite", "pro", "plus", "max"}
    | {"ultra", "flash", "xl", "xxl"}
)
"""Words that name one member of a family by its size (``Acme 1.5 Mini``)."""

SIZE_ONLY_WORDS = frozenset(
    {"params", "parameters", "param", "model", "models", "dense", "moe", "pt", "version", "v"}
)
"""Words beside a size in a heading that names a model only by its size (``2B Params``)."""

_QUANT = re.compile(
    r"(?i)(?<![a-z])(?:gptq|awq|gguf|exl2|bnb|ptq|qat|spin ?quant|(?:nv|mx)?fp[48](?:a\d+)?|"
    r"int[48]|w[48]a(?:8|16)|"
    r"q[2-8]_k(?:_[sml])?|q[48]_[01]|[248][- ]?bits?)(?![a-z])"
)
"""A quantization format written in a model's name (``-AWQ``, ``NVFP4A16``, ``W4A16``)."""

_MODEL_WORDS = (
    "gpt",
    "llama",
    "qwen",
    "mistral",
    "mixtral",
    "claude",
    "gemini",
    "gemma",
    "deepseek",
    "falcon",
    "mpt",
    "vicuna",
    "baichuan",
    "chatglm",
    "glm",
    "phi-",
    "olmo",
    "yi-",
    "starcoder",
    "codellama",
    "codestral",
    "wizard",
    "zephyr",
    "xwin",
    "guanaco",
    "stablelm",
    "pythia",
    "bloom",
    "palm",
    "grok",
    "kimi",
    "internlm",
    "minicpm",
    "command-r",
    "jamba",
    "dbrx",
    "nemotron",
    "granite",
    "hermes",
    "solar",
    "amber",
    "dclm",
    "map-neo",
    "zamba",
    "xverse",
    "replit",
    "decicoder",
    "deci coder",
    "santacoder",
    "orca",
    "tulu",
    "aquila",
    "skywork",
    "openchat",
    "ernie",
    "hunyuan",
    "moss",
    "llava",
    "o1",
    "o3",
    "sonnet",
    "opus",
    "haiku",
    "-instruct",
    " instruct",
    "-chat",
    " chat",
    "-base",
    " base",
    "-it",
    "mamba",
    "rwkv",
    "t5",
    "bert",
    "opt-",
    "cerebras",
    "redpajama",
    "alpaca-plus",
    "belle",
    "chinese-",
)
_BENCH_WORDS = (
    "mmlu",
    "gsm8k",
    "gsm-8k",
    "humaneval",
    "mbpp",
    "arc",
    "hellaswag",
    "hswag",
    "winogrande",
    "winog",
    "truthfulqa",
    "bbh",
    "big-bench",
    "bigbench",
    "drop",
    "gpqa",
    "math",
    "aime",
    "ifeval",
    "if-eval",
    "c-eval",
    "ceval",
    "cmmlu",
    "agieval",
    "agi eval",
    "triviaqa",
    "naturalquestions",
    "natural questions",
    "squad",
    "quac",
    "boolq",
    "piqa",
    "siqa",
    "openbookqa",
    "race",
    "lambada",
    "mgsm",
    "flores",
    "swe-bench",
    "swe bench",
    "swe verified",
    "livecodebench",
    "codeforces",
    "aider",
    "simpleqa",
    "mt-bench",
    "alpacaeval",
    "alpaca eval",
    "alpaceeval",
    "arena",
    "gaokao",
    "medqa",
    "medmcqa",
    "jec-qa",
    "multipl-e",
    "ds-1000",
    "cruxeval",
    "repobench",
    "defects4j",
    "usaco",
    "odyssey",
    "cmath",
    "tau2",
    "tau-bench",
    "acebench",
    "hmmt",
    "cnmo",
    "polymath",
    "zebralogic",
    "autologi",
    "supergpqa",
    "livebench",
    "evalplus",
    "csimpleqa",
    "cluewsc",
    "cmrc",
    "ccpm",
    "longbench",
    "frames",
    "mmmlu",
    "pile",
    "tydiqa",
    "xnli",
    "xcopa",
    "belebele",
    "nexus",
    "bfcl",
    "api-bank",
    "gorilla",
    "infinitebench",
    "ruler",
    "toxigen",
    "bbq",
    "last exam",
    "ojbench",
    "terminalbench",
    "multi-challenge",
    "copa",
    "wic",
    "wsc",
    "rte",
    "cb",
    "multirc",
    "record",
    "nq",
    "anli",
    "hle",
    "average",
    "avg",
    "overall",
    "score",
    "mean",
    "total",
    "alignbench",
    "fim",
    "commonsenseqa",
    "socialiqa",
    "sciq",
    "logiqa",
    "apps",
    "natural2code",
    "mathqa",
    "wmt",
    "bleu",
    "chrf",
    "rouge",
    "needle",
    "niah",
    "ppl",
    "perplexity",
    "wikitext",
    "c4",
    # embedding and retrieval suites (MTEB task families)
    "mteb",
    "beir",
    "retrieval",
    "reranking",
    "clustering",
    "classification",
    "pair classification",
    "sts",
    "summarization",
    "bitext mining",
)
_FACT_WORDS = (
    "architecture",
    "param",
    "size",
    "#tp",
    "#ap",
    "# tp",
    "# ap",
    "flops",
    "tokens",
    "context",
    "layers",
    "hidden",
    "heads",
    "vocab",
    "experts",
    "activation",
    "attention",
    "alignment",
    "license",
    "release",
    "date",
    "cutoff",
    "type",
    "modalit",
    "training data",
    "download",
    "link",
    "precision",
    "dimension",
    "sequence length",
    "gqa",
    "embedding",
    "open weights",
    "open source",
    "open-source",
    "organization",
    "developer",
    "year",
    "number of",
    "position embedding",
    "positional",
    "initialization",
    "top-k",
    "topk",
    "window",
    "normalization",
    "tokenizer",
    # training hyperparameters
    "learning rate",
    "peak lr",
    "min lr",
    "minimum lr",
    "lr schedule",
    "warmup",
    "weight decay",
    "beta1",
    "beta2",
    "betas",
    "epsilon",
    "gradient",
    "dtype",
    "optimizer",
    "batch size",
    "epoch",
    "dropout",
    "train steps",
    "training steps",
    "accumulat",
    "warmup ratio",
    "decay ratio",
    "scheduler",
    "lr rate",
)
_FACT_WORDS_ZH = (
    "参数",  # parameters
    "架构",  # architecture
    "学习率",  # learning rate
    "调度",  # scheduler
    "步数",  # steps
    "上下文",  # context
    "令牌",  # tokens
    "批量",  # batch
    "精度",  # precision
    "轮次",  # epochs
    "训练数据",  # training data
    "层数",  # layers
    "维度",  # dimension
    "词表",  # vocabulary
)
_METRIC = re.compile(
    r"^(?:acc(?:uracy)?\.?(?:[_ ]norm)?|em|exact[ _]match|f1|pass@\d+(?:[-_ ]?\w+)?|bpb|ppl|"
    r"perplexity|correct|percentile|resolved|score|win[ _]rate(?:\s*%)?|(?:prompt|inst(?:ruction)?)"
    r"[ _-]?(?:level[ _-]?)?(?:strict|loose)|strict|loose|rouge[\w-]*|bleu|chrf\+*|mc[12]|elo|"
    r"rating|avg@\d+|mean@\d+|maj@\d+|pass\^\d+|cons@\d+|lc(?:[ _-]win[ _-]rate)?|"
    r"(?:macro|micro|weighted)[_ ]?(?:avg|f1)?(?:/[\w@]+)*|[a-z_]+/[a-z_@0-9/]+|[a-z]+_[a-z_]+|"
    r"%|wer|cer|auc|mae|mse|rmse|recall|precision|r@\d+|ndcg(?:@\d+)?|map|mrr|judge|"
    r"gpt-?4[ -]judge)$",
    re.I,
)
_SHOTS = re.compile(r"(?<![A-Za-z0-9])(\d+(?:\s*[-–~]\s*\d+)?)\s*[-‐ ]?\s*shots?(?![A-Za-z])", re.I)
_SHOTS_WORD = re.compile(r"(?<![A-Za-z])(zero|one|few)[- ]shot(?![A-Za-z])", re.I)
_TRAILING_METRIC = re.compile(r"\s+((?:pass|cons|maj|avg|mean)@\d+|acc(?:_norm)?|em|f1)$", re.I)
_COT = re.compile(r"(?<![A-Za-z])(?:CoT|COT|cot|chain[- ]of[- ]thought)(?![A-Za-z])")

LANGUAGES: dict[str, str] = {
    "english": "en",
    "german": "de",
    "french": "fr",
    "italian": "it",
    "portuguese": "pt",
    "hindi": "hi",
    "spanish": "es",
    "thai": "th",
    "chinese": "zh",
    "japanese": "ja",
    "korean": "ko",
    "russian": "ru",
    "arabic": "ar",
    "dutch": "nl",
    "polish": "pl",
    "turkish": "tr",
    "vietnamese": "vi",
    "indonesian": "id",
    "swedish": "sv",
    "danish": "da",
    "finnish": "fi",
    "norwegian": "no",
    "greek": "el",
    "hebrew": "he",
    "hungarian": "hu",
    "czech": "cs",
    "romanian": "ro",
    "ukrainian": "uk",
    "bengali": "bn",
    "tamil": "ta",
    "telugu": "te",
    "urdu": "ur",
    "persian": "fa",
    "swahili": "sw",
    "malay": "ms",
    "catalan": "ca",
    "bulgarian": "bg",
    "croatian": "hr",
    "serbian": "sr",
    "slovak": "sk",
    "marathi": "mr",
    "gujarati": "gu",
    "kannada": "kn",
    "malayalam": "ml",
    "punjabi": "pa",
    "tagalog": "tl",
    "filipino": "fil",
    "yoruba": "yo",
    "amharic": "am",
}
LANGUAGE_NAMES = {code: name.capitalize() for name, code in LANGUAGES.items()}
NATIVE_NAMES = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "it": "Italiano",
    "pt": "Português",
    "es": "Español",
    "zh": "中文",
    "ja": "日本語",
    "ko": "한국어",
    "ru": "Русский",
    "ar": "العربية",
    "hi": "हिन्दी",
    "th": "ไทย",
    "nl": "Nederlands",
    "vi": "Tiếng Việt",
}


def clean(text: str) -> str:
    """Whitespace collapsed, emoji and other symbols that decorate names dropped."""
    kept = "".join(
        c
        for c in text
        if not (unicodedata.category(c) in ("So", "Sk", "Cf") and c not in "°")
        and c not in "\ufe0e\ufe0f"
    )
    return " ".join(kept.split())


def tokens(name: str) -> frozenset[str]:
    """A model name as a set of lowercase words and numbers: the same model spelled
    ``LLaMA3.1 405B`` or ``LLaMA-3.1 405B`` or ``Zephyr-7b-β`` / ``zephyr-7b-beta`` gives one set.
    ``Inst.`` reads as ``instruct``."""
    text = unicodedata.normalize("NFKC", name).lower()
    for greek, word in _GREEK.items():
        text = text.replace(greek, f" {word} ")
    text = re.sub(r"\((?:this model|ours)\)", " ", text)
    # a size printed after the name, ``Acme 1.5 Large (94B/398B)``: the same model
    text = re.sub(r"\(\s*\d+(?:\.\d+)?[bmt](?:\s*/\s*\d+(?:\.\d+)?[bmt])*\s*\)\s*$", " ", text)
    text = re.sub(r"(?<=\d)_(?=\d)", ".", text)  # Hub names write 2.5 as 2_5
    words = _TOKEN.findall(text)
    return frozenset("instruct" if w in ("inst", "ins", "instruction") else w for w in words)


def without_quantization(name: str) -> str:
    """The name with its quantization format taken out (``Acme-32B-NVFP4A16`` -> ``Acme-32B``)."""
    return _QUANT.sub(" ", name).strip(" -_")


def kind_of(name: str) -> str | None:
    """The kind a model's name says it is (``...-Chat-4bits`` -> quantized), else None."""
    words = _TOKEN.findall(unicodedata.normalize("NFKC", name).lower())
    found = [KIND_WORDS[w] for w in words if w in KIND_WORDS]
    if re.search(r"\b[48]\s?bits?\b", name, re.I) or _QUANT.search(name):
        found.append("quantized")
    for preferred in (
        "quantized",
        "reward",
        "instruct",
        "chat",
        "fine-tuned",
        "base",
        "pretrained",
    ):
        if preferred in found:
            return preferred
    return None


def kind_tokens() -> frozenset[str]:
    return frozenset(KIND_WORDS) | {"bits", "bit"}


def size_of(name: str) -> str | None:
    """``Llama 3.1 70B`` -> ``70B``: a parameter count written in a name."""
    moe = _MOE_SIZE.search(name)
    if moe:
        return moe.group(1)
    match = _SIZE.search(name)
    if match is None:
        return None
    return match.group(1) + match.group(2).upper()


def model_score(label: str) -> float:
    """How much a heading looks like a model's name (0 = not at all)."""
    text = label.lower()
    score = 0.0
    if _SIZE.search(label) or _MOE_SIZE.search(label):
        score += 2
    if any(w in text for w in _MODEL_WORDS):
        score += 1.5
    if re.search(r"\b(?:v\d|\d{4})\b", text) and score:
        score += 0.5
    if bench_score(label) >= 2 and score < 2:
        score -= 1
    return max(score, 0.0)


def bench_score(label: str) -> float:
    """How much a heading looks like a benchmark's name (0 = not at all)."""
    text = label.lower()
    score = 0.0
    if any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text) for w in _BENCH_WORDS):
        score += 2
    if _SHOTS.search(label) or _SHOTS_WORD.search(label):
        score += 2
    for part in re.findall(r"\(([^()]*)\)", label):
        if _METRIC.match(part.strip()):
            score += 1
    if text.strip().lower() in LANGUAGES or re.fullmatch(r"[a-z]{2}-[a-z]{2}", text.strip()):
        score += 1
    return score


def fact_label(label: str) -> bool:
    """Whether a heading names a fact about a model (size, architecture, context length, a
    training hyperparameter), in English (``learning_rate`` reads as ``learning rate``) or
    Chinese."""
    text = re.sub(r"[_]+", " ", label.lower()).strip()
    return any(w in text for w in _FACT_WORDS) or any(w in label for w in _FACT_WORDS_ZH)


def is_metric(text: str) -> bool:
    return bool(_METRIC.match(text.strip()))


@dataclass(frozen=True)
class BenchName:
    name: str
    label: str
    shots: str | None
    metric: str | None
    cot: bool


def read_benchmark(label: str) -> BenchName:
    """A benchmark heading read into its name, shots, metric and CoT:
    ``MMLU (5-shot)`` -> MMLU, 5; ``DROP (3-shot F1)`` -> DROP, 3, F1; ``ANLI 7-shot`` -> ANLI,
    7; ``LiveCodeBench (Pass@1-COT)`` -> LiveCodeBench, metric Pass@1-COT, CoT; ``MMLU-Pro (CoT)``
    keeps ``(CoT)`` in its name (it names the benchmark's setting)."""
    label = clean(label)
    name = label
    shots: str | None = None
    metric: str | None = None
    cot = bool(_COT.search(label))
    # parenthesised parts: shots and metrics come out of the name
    for part in re.findall(r"\(([^()]*)\)", label):
        inner = part.strip()
        pieces = [p.strip() for p in re.split(r"[,;]", inner) if p.strip()]
        rest: list[str] = []
        part_shots: str | None = None
        for piece in pieces:
            match = _SHOTS.search(piece)
            if match and part_shots is None:
                part_shots = re.sub(r"\s+", "", match.group(1))
                leftover = (piece[: match.start()] + piece[match.end() :]).strip(" -,;")
                if leftover:
                    rest.append(leftover)
            else:
                rest.append(piece)
        part_metric = " ".join(rest) if rest else None
        if part_metric and _COT.fullmatch(part_metric.strip()):
            part_metric = None  # "(CoT)" names a setting and stays in the name
            if part_shots is None:
                continue
        if part_metric is not None and not is_metric(part_metric):
            if part_shots is None:
                continue
            part_metric = None
            continue  # a shot count beside other words: keep the whole part in the name
        if part_shots is not None and shots is None:
            shots = part_shots
        if part_metric is not None and metric is None:
            metric = part_metric
        name = name.replace(f"({part})", " ")
    if shots is None:
        match = _SHOTS.search(name)
        if match and match.start() > 0:
            shots = re.sub(r"\s+", "", match.group(1))
            name = name[: match.start()] + name[match.end() :]
            # what the shot count leaves in its parentheses: ``(, strict-match)``, ``()``
            name = re.sub(r"\(\s*[,;]\s*", "(", name)
            name = re.sub(r"\s*[,;]\s*\)", ")", name)
            name = re.sub(r"\(\s*\)", "", name)
    name = " ".join(name.split()).strip(" -,;:")
    if metric is None:
        # ``AIME 2024 pass@1``, ``MATH-500 pass@1``: a metric written after the name
        trailing = _TRAILING_METRIC.search(name)
        if trailing and trailing.start() > 0:
            metric = trailing.group(1)
            name = name[: trailing.start()].strip(" -,;:")
    if not name:
        name = label
    return BenchName(name=name, label=label, shots=shots, metric=metric, cot=cot)


def read_shots(text: str) -> tuple[str | None, bool]:
    """A shots cell (``5``, ``5-shot``, ``0-Shot; CoT``, ``-``): the shots as printed and
    whether it says chain-of-thought."""
    text = clean(text)
    if not text or is_missing_mark(text):
        return None, False
    cot = bool(_COT.search(text))
    if cot:
        text = _COT.sub("", text).strip(" ;,/+-")
    return (text or None), cot


def is_shots_cell(text: str) -> bool:
    """``5-shot``, ``0-Shot; CoT``, ``zero-shot``: a cell that only gives a shot count."""
    text = clean(text)
    if not text:
        return False
    rest = _COT.sub("", _SHOTS_WORD.sub("", _SHOTS.sub("", text)))
    rest = re.sub(r"@\d+", "", rest).strip(" ;,/+()")  # ``3-shot@1``
    return not rest and bool(_SHOTS.search(text) or _SHOTS_WORD.search(text))


def language_code(name: str) -> str | None:
    return LANGUAGES.get(clean(name).lower())


# ----------------------------------------------------------------------------- cell values


def is_score(text: str) -> bool:
    """A cell that reads as a score: a number, percentage, pair, fraction or value ± error,
    without a size suffix (``7B``) or scientific notation (``1.6·10²³``), which are facts."""
    text = text.strip()
    if not text or is_missing_mark(text):
        return False
    noted = re.fullmatch(r"(.+?)\s*\(([^()]{1,40})\)", text)
    if noted and not is_sizeish(noted.group(1)) and re.search(r"[A-Za-z]", noted.group(2)):
        # ``10.0 (8shot CoT)``, ``4.0 (5 shot)``: a score with its setting printed beside it
        return is_score(noted.group(1))
    value = parse(text)
    if value.form in (Form.NUMBER, Form.PERCENT, Form.ERROR):
        return value.suffix == "" and not re.search(r"[·×]|10\^|[eE][+-]?\d", text)
    if value.form in (Form.PAIR, Form.FRACTION):
        return value.suffix == ""
    return False


def is_sizeish(text: str) -> bool:
    """``236B``, ``1.46M``, ``128K``, ``1.6·10²³``, ``15T+``: a quantity, not a score."""
    text = text.strip()
    if not text:
        return False
    value = parse(text)
    if value.form is Form.TEXT:
        return bool(re.fullmatch(r"\d+(?:\.\d+)?\s?(?:[kKMBT]|[kK]?B)\+?", text))
    return value.suffix != "" or bool(re.search(r"[·×]|10\^|[eE][+-]?\d", text))


def has_number(text: str) -> bool:
    return bool(re.search(r"[0-9]", text))


def is_signed(text: str) -> bool:
    return bool(re.fullmatch(r"[+\-−]\s?\d+(?:\.\d+)?%?", text.strip()))
