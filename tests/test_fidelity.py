"""The card data says exactly what the source card says.

The source card (``data/llama-3.1/source-card.md``, Markdown with raw HTML tables) is parsed here
on its own, with the standard library's ``html.parser``, and compared with the YAML files read by
plain ``yaml.safe_load``: every published score and dash, every training and emissions figure,
every model-information cell, every benchmark's shots and metric, and every prose paragraph.

Quirks of the card the parser copes with: the multilingual table declares ``rowspan="9"`` but
has 7 rows; the energy table's Total row leaves a ``<td>`` unclosed and its power cell holds
only an empty ``<ul>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from cardsite.card.models import CARD_FILES

ROOT = Path(__file__).parents[1]
CARD_DIR = ROOT / "data" / "llama-3.1"
SOURCE_CARD = CARD_DIR / "source-card.md"

# The card's tables, in the order they appear.
MODEL_INFO, ENERGY, PRETRAINED, INSTRUCT, MULTILINGUAL = range(5)
RESULTS_TABLES = {"pretrained": PRETRAINED, "instruct": INSTRUCT, "multilingual": MULTILINGUAL}

PUBLISHED_SCORES = 158
PUBLISHED_DASHES = 8


# --------------------------------------------------------------------------- reading the card


def normalise(text: str) -> str:
    """Collapse every run of whitespace to one space."""
    return " ".join(text.split())


@dataclass
class Cell:
    text: str
    rowspan: int = 1


class TableParser(HTMLParser):
    """Collects each ``<table>`` as rows of cells.

    A new ``<td>``, ``</tr>`` or ``</table>`` closes a cell left open (the card's Total row).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[Cell]]] = []
        self._text: list[str] | None = None
        self._rowspan = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._close_cell()
            self.tables[-1].append([])
        elif tag == "td":
            self._close_cell()
            self._text = []
            self._rowspan = int(dict(attrs).get("rowspan") or 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "tr", "table"):
            self._close_cell()

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def _close_cell(self) -> None:
        if self._text is not None:
            # Tags inside a cell (<strong>, <p>) separate words: join their text with spaces.
            self.tables[-1][-1].append(Cell(normalise(" ".join(self._text)), self._rowspan))
            self._text = None


def expand_rowspans(rows: list[list[Cell]]) -> list[list[str]]:
    """Lay the table out as a browser does: a rowspan cell repeats in the rows below it.

    A span reaching past the last row (as the multilingual table's does) is simply dropped.
    """
    grid: list[list[str]] = []
    carried: dict[int, tuple[str, int]] = {}  # column -> (text, rows it still covers)
    for row in rows:
        cells = iter(row)
        out: list[str] = []
        while True:
            column = len(out)
            if column in carried:
                text, left = carried.pop(column)
                if left > 1:
                    carried[column] = (text, left - 1)
                out.append(text)
                continue
            cell = next(cells, None)
            if cell is None:
                break
            if cell.rowspan > 1:
                carried[column] = (cell.text, cell.rowspan - 1)
            out.append(cell.text)
        grid.append(out)
    return grid


@cache
def card_text() -> str:
    return SOURCE_CARD.read_text(encoding="utf-8")


@cache
def raw_tables() -> list[list[list[Cell]]]:
    parser = TableParser()
    parser.feed(card_text())
    parser.close()
    assert len(parser.tables) == 5, f"expected the card's 5 tables, found {len(parser.tables)}"
    return parser.tables


def table_records(index: int) -> list[dict[str, str]]:
    """The body rows of a card table as {column heading: cell text}, rowspans expanded."""
    header, *body = expand_rowspans(raw_tables()[index])
    for row in body:
        assert len(row) == len(header), f"table {index}: row {row} does not fill the header"
    return [dict(zip(header, row, strict=True)) for row in body]


def split_paragraphs(markdown: str) -> list[str]:
    """Paragraphs and list items of Markdown, whitespace normalised, headings left out."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", markdown):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        lines = [line for line in lines if not line.startswith("#")]
        if lines and all(line.startswith("* ") for line in lines):
            out.extend(normalise(line) for line in lines)
        elif lines:
            out.append(normalise(" ".join(lines)))
    return out


def card_prose() -> str:
    """The card with its tables cut out."""
    return re.sub(r"<table>.*?</table>", "\n\n", card_text(), flags=re.S)


def card_headings() -> list[str]:
    return [line.lstrip("#").strip() for line in card_prose().splitlines() if line.startswith("#")]


# --------------------------------------------------------------------------- reading the data


@cache
def load(name: str) -> Any:
    return yaml.safe_load((CARD_DIR / name).read_text(encoding="utf-8"))


def benchmarks_of(table_id: str) -> list[dict[str, Any]]:
    return [b for b in load("benchmarks.yaml")["benchmarks"] if b["table"] == table_id]


def table_meta(table_id: str) -> dict[str, Any]:
    return next(t for t in load("benchmarks.yaml")["tables"] if t["id"] == table_id)


def data_cells() -> dict[tuple[str, str | None, str], str]:
    """(benchmark id, language label, variant id) -> the score text, or "-" if not reported."""
    cells: dict[tuple[str, str | None, str], str] = {}
    for row in load("results.yaml")["results"]:
        key = (row["benchmark"], row.get("language_label"))
        for variant, value in row.get("scores", {}).items():
            cells[(*key, variant)] = value
        for variant, reason in row.get("missing", {}).items():
            assert reason == "not_reported", f"{key} {variant}: unexpected reason {reason!r}"
            cells[(*key, variant)] = "-"
    return cells


def card_cells() -> dict[tuple[str, str | None, str], str]:
    """The same mapping built from the card's three results tables."""
    cells: dict[tuple[str, str | None, str], str] = {}
    for table_id, index in RESULTS_TABLES.items():
        variant_of = {label: vid for vid, label in table_meta(table_id)["column_labels"].items()}
        records = table_records(index)
        benchmarks = benchmarks_of(table_id)
        if table_id == "multilingual":  # one benchmark, one row per language
            benchmarks = benchmarks * len(records)
        assert len(benchmarks) == len(records), f"{table_id}: rows and benchmarks differ in number"
        for record, benchmark in zip(records, benchmarks, strict=True):
            assert benchmark["name"] == record["Benchmark"], (
                f"{table_id}: benchmark {benchmark['id']} is named {benchmark['name']!r}, "
                f"the card's row says {record['Benchmark']!r}"
            )
            language = record.get("Language")
            score_columns = [heading for heading in record if heading in variant_of]
            assert len(score_columns) == len(variant_of), f"{table_id}: column_labels mismatch"
            for heading in score_columns:
                cells[(benchmark["id"], language, variant_of[heading])] = record[heading]
    return cells


# --------------------------------------------------------------------------- the data files


@pytest.mark.parametrize("name", list(CARD_FILES))
def test_file_matches_the_card_format(name: str) -> None:
    CARD_FILES[name].model_validate(load(name))


# --------------------------------------------------------------------------- (1) scores


def test_every_published_score_and_dash_is_in_the_data() -> None:
    published, data = card_cells(), data_cells()
    wrong = [
        f"{key}: card {text!r}, data {data.get(key, '<absent>')!r}"
        for key, text in published.items()
        if data.get(key) != text
    ]
    assert not wrong, "scores differ from the card:\n" + "\n".join(wrong)

    extra = sorted(str(key) for key in data.keys() - published.keys())
    assert not extra, "data has scores the card does not print:\n" + "\n".join(extra)

    card_scores = sum(text != "-" for text in published.values())
    card_dashes = sum(text == "-" for text in published.values())
    assert (card_scores, card_dashes) == (PUBLISHED_SCORES, PUBLISHED_DASHES), "card counts"
    data_scores = sum(len(row.get("scores", {})) for row in load("results.yaml")["results"])
    assert data_scores == PUBLISHED_SCORES, f"results.yaml holds {data_scores} scores"


def test_table_column_labels_are_the_published_headings() -> None:
    for table_id, index in RESULTS_TABLES.items():
        header = expand_rowspans(raw_tables()[index])[0]
        labels = list(table_meta(table_id)["column_labels"].values())
        assert labels == header[-len(labels) :], f"{table_id}: {labels} vs card {header}"


def test_benchmark_categories_are_the_published_ones() -> None:
    names = {c["id"]: c["name"] for c in load("benchmarks.yaml")["categories"]}
    for table_id, index in RESULTS_TABLES.items():
        records = table_records(index)
        benchmarks = benchmarks_of(table_id) * (len(records) if table_id == "multilingual" else 1)
        for record, benchmark in zip(records, benchmarks, strict=True):
            assert names[benchmark["category"]] == record["Category"], benchmark["id"]


def test_multilingual_table_declares_more_rows_than_it_has() -> None:
    rows = raw_tables()[MULTILINGUAL]
    declared = max(cell.rowspan for row in rows for cell in row)
    assert table_meta("multilingual")["declared_rows"] == declared == 9
    assert len(rows) - 1 == 7, "the card's multilingual table should have 7 language rows"


# --------------------------------------------------------------------------- (2) training


ENERGY_FIELDS = ("gpu_hours", "power_w", "location_based_tco2eq", "market_based_tco2eq")


def test_every_training_figure_is_in_the_data() -> None:
    training = load("training.yaml")["training"]
    labels = training["column_labels"]
    header = expand_rowspans(raw_tables()[ENERGY])[0]
    assert [labels[field] for field in ENERGY_FIELDS] == header[1:], "energy column headings"

    records = table_records(ENERGY)
    data_rows = [*training["rows"], training["total"]]
    assert [r[""] for r in records] == [row["label"] for row in data_rows], "energy row labels"
    for record, row in zip(records, data_rows, strict=True):
        for field in ENERGY_FIELDS:
            published = record[labels[field]] or None  # the Total row's power cell is empty
            assert row.get(field) == published, f"{row['label']} {field}: card {published!r}"


def test_training_totals_quoted_in_the_prose() -> None:
    training = load("training.yaml")["training"]
    prose = normalise(card_prose().replace("**", ""))
    assert f"of {training['total_gpu_hours_text']} GPU hours" in prose
    assert f"were {training['total_location_based_text']} tons CO2eq" in prose
    assert f"on {training['hardware']} type hardware" in prose
    assert f"]({training['methodology_url']})" in card_text()


# --------------------------------------------------------------------------- (3) model info


MODEL_INFO_SIZE_FIELDS = {
    "Params": "params",
    "Input modalities": "input_modalities",
    "Output modalities": "output_modalities",
    "Context length": "context_length",
    "GQA": "gqa",
}
MODEL_INFO_SHARED_FIELDS = {
    "": "label",
    "Training Data": "training_data",
    "Token count": "token_count",
    "Knowledge cutoff": "knowledge_cutoff",
}


def test_every_model_information_cell_is_in_the_data() -> None:
    info = load("family.yaml")["family"]["model_information"]
    records = table_records(MODEL_INFO)
    assert len(records) == len(info["sizes"]), "one size per model-information row"
    for record, size in zip(records, info["sizes"], strict=True):
        for heading, field in MODEL_INFO_SIZE_FIELDS.items():
            assert size[field] == record[heading], f"{size['params']} {field}: {record[heading]!r}"
        for heading, field in MODEL_INFO_SHARED_FIELDS.items():
            assert info[field] == record[heading], f"{field}: card {record[heading]!r}"


# --------------------------------------------------------------------------- (4) shots, metric


def test_every_benchmark_shots_and_metric_are_the_published_ones() -> None:
    for table_id in ("pretrained", "instruct"):
        records = table_records(RESULTS_TABLES[table_id])
        for record, benchmark in zip(records, benchmarks_of(table_id), strict=True):
            assert benchmark.get("shots") == (record["# Shots"] or None), benchmark["id"]
            assert benchmark.get("metric") == (record["Metric"] or None), benchmark["id"]

    ifeval = next(b for b in benchmarks_of("instruct") if b["name"] == "IFEval")
    assert "shots" not in ifeval and "metric" not in ifeval

    # The multilingual table has no such columns: its benchmark's name carries both.
    (mmlu,) = benchmarks_of("multilingual")
    assert mmlu["name"] == f"MMLU ({mmlu['shots']}-shot, {mmlu['metric']})"
    assert mmlu["per_language"] is True


# --------------------------------------------------------------------------- (5) prose


def run_in_body(paragraph: str, title: str) -> str | None:
    """The text after a run-in heading ("**Status:** text", "**Tool-use**: text"), if titled so."""
    heading = re.match(r"\**\s*" + re.escape(title) + r"\s*:?\s*\**\s*[:.]?\s*", paragraph)
    return paragraph[heading.end() :] if heading else None


def find_home(
    paragraph: str, sections: list[dict[str, Any]], section_paragraphs: dict[str, list[str]]
) -> tuple[str, str] | None:
    """(section id, paragraph of its markdown) that holds a card paragraph, if any.

    A run-in heading is matched against section titles first, so that a short body ("Meta")
    is found in its own section; otherwise the whole paragraph must be one of a section's.
    """
    for section in sections:
        body = run_in_body(paragraph, section["title"])
        if body is not None and body in section_paragraphs[section["id"]]:
            return section["id"], body
    for section in sections:
        if paragraph in section_paragraphs[section["id"]]:
            return section["id"], paragraph
    return None


def is_bold_heading(paragraph: str) -> bool:
    """A paragraph that is nothing but bold text, e.g. "**Red teaming**"."""
    return re.fullmatch(r"\*\*[^*]+\*\*", paragraph) is not None


def test_every_prose_paragraph_is_in_some_section() -> None:
    sections = load("prose.yaml")["sections"]
    section_paragraphs = {s["id"]: split_paragraphs(s["markdown"]) for s in sections}
    titles = {s["title"] for s in sections}
    used: set[tuple[str, str]] = set()
    dropped: list[str] = []

    for paragraph in split_paragraphs(card_prose()):
        if is_bold_heading(paragraph):
            assert paragraph.strip("*") in titles, f"no section titled {paragraph!r}"
            continue
        home = find_home(paragraph, sections, section_paragraphs)
        if home is None:
            dropped.append(paragraph)
        else:
            used.add(home)

    assert not dropped, "card paragraphs missing from prose.yaml:\n" + "\n".join(dropped)
    invented = [
        f"{sid}: {p}" for sid, ps in section_paragraphs.items() for p in ps if (sid, p) not in used
    ]
    assert not invented, "prose.yaml paragraphs not in the card:\n" + "\n".join(invented)


def test_every_heading_is_a_section_or_a_table() -> None:
    titles = {s["title"] for s in load("prose.yaml")["sections"]}
    tables = {t["title"] for t in load("benchmarks.yaml")["tables"]}
    for heading in card_headings():
        assert heading in titles | tables, f"card heading {heading!r} has no section or table"


def test_every_link_of_the_card_is_listed() -> None:
    listed = {link["url"].rstrip("/") for link in load("family.yaml")["family"]["links"]}
    for url in re.findall(r"\]\((https?://[^)\s]+)\)", card_text()):
        assert url.rstrip("/") in listed, f"link {url} missing from family.yaml links"
