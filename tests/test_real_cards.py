"""The real cards under ``data/`` say exactly what their source documents say.

Each card was imported with ``cardsite import`` and then checked and corrected by hand. This
test reads each source document on its own (plain line splitting for pipe tables, the standard
library's ``html.parser`` for HTML tables, PyYAML's base loader for the front matter; nothing
of the importer) and compares every published score and every missing-score mark with the
card's ``results.yaml``, read with plain ``yaml.safe_load``: the value as printed, under the
model whose column heading the card prints, on the benchmark whose label it prints.

How each source table is laid out is written here by hand (which way round, which columns are
labels or facts), as a person reading the card would say it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from cardsite.card.loader import load_card

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@dataclass
class Layout:
    """One results table of a source card, as a reader describes it."""

    line: int
    transposed: bool = False
    label_columns: int = 1
    """Models as columns: the leading columns that are not models; the benchmark is the last."""
    bench_column: int = 0
    """Models as columns: the column naming the benchmark."""
    metric_column: int | None = None
    """A column whose text tells two rows of one benchmark apart (``Single Attempt (Acc)``)."""
    skip_rows: tuple[str, ...] = ()
    """Row labels that are facts, not benchmarks (``Architecture``)."""
    fact_columns: tuple[str, ...] = ()
    """Models as rows: column headings that are facts about the model (``Size``)."""
    skip_columns: tuple[str, ...] = ()


@dataclass
class Card:
    folder: str
    tables: list[Layout]
    scores: int
    model_index: bool = False
    html: bool = False
    own: set[str] = field(default_factory=set)


CARDS = [
    Card(
        "deepseek-v3",
        [
            Layout(
                112,
                label_columns=3,
                bench_column=1,
                skip_rows=("Architecture", "# Activated Params", "# Total Params"),
            ),
            Layout(
                167,
                label_columns=2,
                bench_column=1,
                skip_rows=("Architecture", "# Activated Params", "# Total Params"),
            ),
            Layout(207, transposed=True),
        ],
        scores=292,
        own={"DeepSeek-V3", "DeepSeek-V3-Base"},
    ),
    Card(
        "baichuan2",
        [
            *(Layout(line, transposed=True) for line in (70, 85, 116, 131, 157, 172, 191, 205)),
            Layout(428, transposed=True),
        ],
        scores=425,
        own={f"Baichuan2-{s}-{k}" for s in ("7B", "13B") for k in ("Base", "Chat", "Chat-4bits")},
    ),
    Card(
        "stable-code-3b",
        [Layout(90, transposed=True, fact_columns=("Size",))],
        scores=48,
        model_index=True,
        own={"Stable Code"},
    ),
    Card(
        "kimi-k2",
        [
            Layout(76, label_columns=2, metric_column=1),
            Layout(498, label_columns=3, metric_column=1),
        ],
        scores=264,
        html=True,
        own={"Kimi K2 Instruct", "Kimi K2 Base"},
    ),
]


# --------------------------------------------------------------------------- the sources


def clean(text: str) -> str:
    text = re.sub(r"<br\s*/?>", " ", text)
    text = re.sub(r"</?(?:strong|b|sup|ins|em)>", "", text)
    text = text.replace("**", "")
    text = re.sub(r"^\*(.*)\*$", r"\1", text.strip())
    return " ".join(text.split())


def pipe_table(lines: list[str], start: int) -> list[list[str]]:
    """The rows of the pipe table whose header is on 1-based line ``start``."""
    rows: list[list[str]] = []
    n = start - 1
    while n < len(lines) and lines[n].lstrip().startswith("|"):
        cells = [clean(c) for c in re.split(r"(?<!\\)\|", lines[n].strip().strip("|"))]
        if not all(re.fullmatch(r":?-+:?", c) for c in cells if c):
            rows.append(cells)
        n += 1
    return rows


class _Html(HTMLParser):
    """Rows of the ``<table>`` starting on a given line, rowspans expanded; text in ``<sup>``
    and after ``<br>`` is kept (as the page prints it)."""

    def __init__(self, start: int) -> None:
        super().__init__(convert_charrefs=True)
        self.start = start
        self.active = False
        self.rows: list[list[tuple[str, int]]] = []
        self.text: list[str] | None = None
        self.span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and self.getpos()[0] == self.start:
            self.active = True
        if not self.active:
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.text = []
            self.span = int(dict(attrs).get("rowspan") or 1)
        elif tag == "br" and self.text is not None:
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if not self.active:
            return
        if tag in ("td", "th") and self.text is not None:
            self.rows[-1].append((" ".join("".join(self.text).split()), self.span))
            self.text = None
        elif tag == "table":
            self.active = False

    def handle_data(self, data: str) -> None:
        if self.active and self.text is not None:
            self.text.append(data)


def html_table(text: str, start: int) -> list[list[str]]:
    parser = _Html(start)
    parser.feed(text)
    out: list[list[str]] = []
    carried: dict[int, tuple[str, int]] = {}
    for row in parser.rows:
        cells = iter(row)
        grid: list[str] = []
        while True:
            col = len(grid)
            if col in carried:
                value, left = carried.pop(col)
                if left > 1:
                    carried[col] = (value, left - 1)
                grid.append(value)
                continue
            cell = next(cells, None)
            if cell is None:
                break
            value, span = cell
            if span > 1:
                carried[col] = (value, span - 1)
            grid.append(value)
        out.append(grid)
    return out


def missing(text: str) -> bool:
    return text in ("-", "—", "--", "N/A", "n/a")


def published(card: Card) -> dict[tuple[int, str, str], str]:
    """(table line, column heading, row label) -> the cell as printed, from the source."""
    source = (DATA / card.folder / "source-card.md").read_text(encoding="utf-8")
    lines = source.split("\n")
    cells: dict[tuple[int, str, str], str] = {}
    for layout in card.tables:
        rows = html_table(source, layout.line) if card.html else pipe_table(lines, layout.line)
        header, *body = rows
        if layout.transposed:
            if body and not body[0][0] and all("shot" in c for c in body[0][1:] if c):
                body = body[1:]  # the shots row
            for row in body:
                if not row[0] or all(not c for c in row[1:]):
                    continue  # a group row
                model = clean(re.sub(r"[\U0001F300-\U0001FAFF]", "", row[0]))
                for heading, text in zip(header[1:], row[1:], strict=False):
                    if heading and heading not in layout.fact_columns and text:
                        cells[(layout.line, model, heading)] = text
            continue
        for row in body:
            non_empty = {c for c in row if c}
            if len(non_empty) == 1:
                continue  # a section row
            label = row[layout.bench_column]
            if label in layout.skip_rows:
                continue
            if layout.metric_column is not None:
                label = f"{label} [{row[layout.metric_column]}]"
            for heading, text in zip(
                header[layout.label_columns :], row[layout.label_columns :], strict=False
            ):
                if text:
                    cells[(layout.line, heading, label)] = text
    if card.model_index:
        front = source.split("\n---\n", 1)[0]
        meta = yaml.load(front.removeprefix("---\n"), Loader=yaml.BaseLoader)
        entry = meta["model-index"][0]
        line = lines.index(f"- name: {entry['name']}") + 1
        for result in entry["results"]:
            for metric in result["metrics"]:
                cells[(line, entry["name"], result["dataset"]["name"])] = metric["value"]
    return cells


# --------------------------------------------------------------------------- the data


def recorded(card: Card) -> dict[tuple[int, str, str], str]:
    data = yaml.safe_load((DATA / card.folder / "results.yaml").read_text(encoding="utf-8"))
    cells: dict[tuple[int, str, str], str] = {}
    for table in data["results"]:
        line = int(re.search(r"line (\d+)\)$", table["source"]).group(1))  # type: ignore[union-attr]
        for row in table["rows"]:
            label = row.get("label", row["name"])
            if any(t.line == line and t.metric_column is not None for t in card.tables):
                label = f"{label} [{row.get('metric') or '-'}]"
            for vid, text in row.get("scores", {}).items():
                cells[(line, table["columns"][vid], label)] = text
            for vid, why in row.get("missing", {}).items():
                mark = "-" if why == "not_reported" else why["mark"]
                cells[(line, table["columns"][vid], label)] = mark
    return cells


@pytest.mark.parametrize("card", CARDS, ids=lambda c: c.folder)
def test_card_validates(card: Card) -> None:
    load_card(DATA / card.folder)


@pytest.mark.parametrize("card", CARDS, ids=lambda c: c.folder)
def test_every_published_score_is_in_the_data(card: Card) -> None:
    source, data = published(card), recorded(card)
    wrong = [
        f"{key}: card {text!r}, data {data.get(key, '<absent>')!r}"
        for key, text in source.items()
        if data.get(key) != text
    ]
    assert not wrong, "\n".join(wrong[:40])
    extra = sorted(str(k) for k in data.keys() - source.keys())
    assert not extra, "data the card does not print:\n" + "\n".join(extra[:40])
    assert sum(not missing(t) for t in source.values()) == card.scores


@pytest.mark.parametrize("card", CARDS, ids=lambda c: c.folder)
def test_own_models_and_no_review_comments_left(card: Card) -> None:
    variants = yaml.safe_load((DATA / card.folder / "variants.yaml").read_text(encoding="utf-8"))
    own = {v["name"] for v in variants["variants"] if not v.get("comparison")}
    assert own == card.own
    for file in (DATA / card.folder).glob("*.yaml"):
        assert "# review:" not in file.read_text(encoding="utf-8"), file


def test_derived_and_quantized_variants() -> None:
    variants = yaml.safe_load((DATA / "baichuan2" / "variants.yaml").read_text(encoding="utf-8"))
    by_id: dict[str, Any] = {v["id"]: v for v in variants["variants"]}
    quantized = by_id["baichuan2-13b-chat-4bits"]
    assert quantized["kind"] == "quantized"
    assert by_id[quantized["derived_from"]]["name"] == "Baichuan2-13B-Chat"
    assert by_id["baichuan2-13b-chat"]["derived_from"] == "baichuan2-13b-base"
