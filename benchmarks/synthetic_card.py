"""Write a synthetic card of any size: ``python benchmarks/synthetic_card.py OUT --variants N
--benchmarks M``.

The speed benchmarks need cards far larger than any real one (1,000 variants). The card is
valid (it passes ``load_card``) and the same for the same arguments (a seeded generator, no
dates), and it holds what real cards hold, so every chart kind is exercised:

* own variants in pretrained/instruct pairs of a few sizes, every tenth variant another
  publisher's model, each own variant compared with one of those (``compare_with``);
* two results tables (pretrained and instruct models) sharing the ``M`` benchmark rows (a row
  scored per language counts once per language), over five categories: scores on 0-100, one
  row on 0-1, one lower-is-better row with an unbounded metric, one row scored per language
  (some names in Devanagari and Thai), two headline rows. So the card has about N x M / 2
  published scores, and its Compare table N x M cells;
* about 3% of cells missing, with the card's own mark and a reason;
* a training table with GPU-hours, power and emissions columns and a totals row that adds up;
* prose on two pages.
"""

from __future__ import annotations

import argparse
import logging
import random
from pathlib import Path
from typing import Any

import yaml

log = logging.getLogger("cardsite.synthetic")

SIZES = ("1B (1.23B)", "3B", "8B", "14B", "34B", "70B", "405B")
SIZE_BILLIONS = (1.23, 3, 8, 14, 34, 70, 405)
CATEGORIES = (
    ("general", "General"),
    ("knowledge", "Knowledge"),
    ("reasoning", "Reasoning"),
    ("code", "Code"),
    ("math", "Math"),
)
LANGUAGES = (
    ("de", "German", "Deutsch"),
    ("fr", "French", "Français"),
    ("hi", "Hindi (हिन्दी)", "हिन्दी"),
    ("th", "Thai (ไทย)", "ไทย"),
)
TABLES = (
    ("base", "Pretrained models", "pretrained"),
    ("chat", "Instruction tuned models", "instruct"),
)
MISSING_RATE = 0.03


def build(
    variants: int, benchmarks: int, seed: int = 0, name: str = "Synthetic"
) -> dict[str, dict[str, Any]]:
    """The card's files as data, by file name (``name``: the family's, which gives its id)."""
    rng = random.Random(seed)
    people = _variants(variants)
    files = {
        "family.yaml": _family(name),
        "variants.yaml": {"variants": people},
        "results.yaml": _results(people, benchmarks, rng),
        "tables.yaml": _tables(people),
        "prose.yaml": _prose(),
    }
    return files


def _variants(count: int) -> list[dict[str, Any]]:
    """Own pretrained/instruct pairs by size; every tenth one a comparison model."""
    out: list[dict[str, Any]] = []
    last_rival: dict[str, str] = {}
    for i in range(count):
        size_index = (i // 2) % len(SIZES)
        kind = "pretrained" if i % 2 == 0 else "instruct"
        rival = i % 10 == 9
        variant: dict[str, Any] = {
            "id": f"{'rival' if rival else 'syn'}-{i:04d}",
            "name": f"{'Rival' if rival else 'Synth'} {SIZES[size_index].split()[0]} "
            f"{kind.capitalize()} {i:04d}",
            "kind": kind,
            "size": SIZES[size_index],
        }
        if rival:
            variant.update(comparison=True, family="rival")
            last_rival[kind] = variant["id"]
        elif kind == "instruct" and out and out[-1]["kind"] == "pretrained":
            variant["derived_from"] = out[-1]["id"]
        out.append(variant)
    # Each own variant is compared with a rival model of its kind, when there is one.
    first_rival = {v["kind"]: v["id"] for v in reversed(out) if v.get("comparison")}
    for variant in out:
        if not variant.get("comparison") and variant["kind"] in first_rival:
            variant["compare_with"] = [first_rival[variant["kind"]]]
    return out


def _family(name: str) -> dict[str, Any]:
    return {
        "family": {
            "name": name,
            "developer": "Example Labs",
            "summary": "A generated family for speed benchmarks; no model behind it.",
            "license": {"name": "MIT", "id": "mit"},
            "facts": [{"label": "Context length", "value": "32k"}],
            "languages": [{"code": "en", "name": "English", "native_name": "English"}]
            + [
                {"code": code, "name": name.split(" (")[0], "native_name": native}
                for code, name, native in LANGUAGES
            ],
        },
        "comparison_families": [{"id": "rival", "name": "Rival"}],
    }


def _results(people: list[dict[str, Any]], count: int, rng: random.Random) -> dict[str, Any]:
    tables = []
    strength = {v["id"]: SIZE_BILLIONS[SIZES.index(v["size"])] for v in people}
    for table_id, title, kind in TABLES:
        columns = {v["id"]: v["name"] for v in people if v["kind"] == kind}
        if not columns:
            continue
        per_table = max(1, count // len(TABLES))
        languages = min(len(LANGUAGES), max(1, per_table // 5)) if per_table > 5 else 0
        plain = per_table - languages + (1 if languages else 0)
        rows = [_row(i, table_id, list(columns), strength, rng, languages) for i in range(plain)]
        tables.append({"id": table_id, "title": title, "columns": columns, "rows": rows})
    return {
        "categories": [{"id": cid, "name": name} for cid, name in CATEGORIES],
        "metrics": [
            {"name": "perplexity", "higher_is_better": False, "scale": "unbounded"},
            {"name": "f1", "scale": "0-1"},
        ],
        "results": tables,
    }


def _row(
    i: int,
    table: str,
    columns: list[str],
    strength: dict[str, float],
    rng: random.Random,
    languages: int,
) -> dict[str, Any]:
    """Benchmark row ``i``: row 3 on 0-1, row 4 lower-is-better, row 5 per language (in the
    first ``languages`` languages)."""
    row: dict[str, Any] = {
        "id": f"b{i:03d}-{table}",
        "name": f"Bench {i:03d}",
        "category": CATEGORIES[i % len(CATEGORIES)][0],
        "shots": str(i % 6),
    }
    if i < 2:
        row["headline"] = True
    if i == 3:
        row["metric"] = "f1"
        row.update(_cells(columns, strength, rng, lambda s, r: f"{0.3 + s / 900 + r / 10:.3f}"))
    elif i == 4:
        row["metric"] = "perplexity"
        row.update(_cells(columns, strength, rng, lambda s, r: f"{12 - s / 50 + r * 3:.2f}"))
    elif i == 5 and languages:
        row["name"] = "Bench multilingual"
        row["subsets"] = [
            {"name": name, "language": code}
            | _cells(columns, strength, rng, lambda s, r: f"{30 + s / 10 + r * 20:.2f}")
            for code, name, _ in LANGUAGES[:languages]
        ]
    else:
        row.update(_cells(columns, strength, rng, lambda s, r: f"{20 + s / 9 + r * 30:.1f}"))
    return row


def _cells(columns: list[str], strength: dict[str, float], rng: random.Random, text: Any) -> dict:
    scores: dict[str, str] = {}
    missing: dict[str, Any] = {}
    for variant in columns:
        if rng.random() < MISSING_RATE:
            missing[variant] = (
                {"mark": "N/A", "reason": "not_applicable"}
                if rng.random() < 0.3
                else "not_reported"
            )
        else:
            scores[variant] = text(strength[variant], rng.random())
    return {"scores": scores, "missing": missing} if missing else {"scores": scores}


def _tables(people: list[dict[str, Any]]) -> dict[str, Any]:
    """Training compute per own size; totals that add up, so the card has no warning."""
    rows = []
    hours_total = tons_total = 0
    for size, billions in zip(SIZES, SIZE_BILLIONS, strict=True):
        ids = [v["id"] for v in people if v["size"] == size and not v.get("comparison")]
        if not ids:
            continue
        hours = round(billions * 3_600)
        tons = round(billions * 1.7)
        hours_total += hours
        tons_total += tons
        rows.append(
            {
                "cells": [f"Synth {size}", f"{hours:,}", "700", f"{tons:,}", "0"],
                "variants": ids,
            }
        )
    if rows:
        total = ["Total", f"{hours_total:,}", "", f"{tons_total:,}", "0"]
        rows.append({"cells": total, "total": True})
    columns = [
        {"label": "Model"},
        {"label": "Training time (GPU hours)", "role": "gpu-hours"},
        {"label": "Power (W)", "role": "power", "unit": "W"},
        {"label": "Emissions (tons CO2eq)", "role": "emissions", "unit": "tCO2eq"},
        {"label": "Market-based emissions (tons CO2eq)", "role": "emissions-market"},
    ]
    if not rows:
        return {"tables": []}
    table = {"id": "training-compute", "title": "Training compute", "page": "training"}
    return {"tables": [table | {"columns": columns, "rows": rows}]}


def _prose() -> dict[str, Any]:
    return {
        "sections": [
            {
                "id": "about-synthetic",
                "title": "About these models",
                "page": "overview",
                "markdown": "Generated for **speed benchmarks**. The scores mean nothing.\n",
            },
            {
                "id": "training-notes",
                "title": "Training notes",
                "page": "training",
                "markdown": "GPU hours grow with size; see the table.\n",
            },
        ]
    }


def write(out: Path, files: dict[str, dict[str, Any]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        (out / name).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the card folder to write")
    parser.add_argument("--variants", type=int, default=100)
    parser.add_argument("--benchmarks", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--name", default="Synthetic", help="the family's name (and so its id)")
    args = parser.parse_args(argv)
    if args.variants < 1 or args.benchmarks < 1:
        parser.error("--variants and --benchmarks must be at least 1")
    write(args.out, build(args.variants, args.benchmarks, args.seed, args.name))
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    log.info("wrote %s: %d variants, %d benchmarks", args.out, args.variants, args.benchmarks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
