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
RESULTS_TABLES = {
    "pretrained": PRETRAINED,
    "instruct": INSTRUCT,
    "multilingual-benchmarks": MULTILINGUAL,
}

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


def results_table(table_id: str) -> dict[str, Any]:
    return next(t for t in load("results.yaml")["results"] if t["id"] == table_id)


def rows_of(table_id: str) -> list[dict[str, Any]]:
    """The table's rows as the data gives them: a row with subsets counts once per subset."""
    out = []
    for row in results_table(table_id)["rows"]:
        out.extend([{**row, **subset} for subset in row["subsets"]] if "subsets" in row else [row])
    return out


def data_cells() -> dict[tuple[str, str, str | None, str], str]:
    """(table, row name, subset, variant id) -> the score text, or the mark of a missing cell."""
    cells: dict[tuple[str, str, str | None, str], str] = {}
    for table in load("results.yaml")["results"]:
        for row in table["rows"]:
            for part in row.get("subsets", [row]):
                key = (table["id"], row["name"], part.get("name") if part is not row else None)
                for variant, value in part.get("scores", {}).items():
                    cells[(*key, variant)] = value
                for variant, missing in part.get("missing", {}).items():
                    assert missing == "not_reported", f"{key} {variant}: {missing!r}"
                    cells[(*key, variant)] = "-"
    return cells


def card_cells() -> dict[tuple[str, str, str | None, str], str]:
    """The same mapping built from the card's three results tables."""
    cells: dict[tuple[str, str, str | None, str], str] = {}
    for table_id, index in RESULTS_TABLES.items():
        variant_of = {label: vid for vid, label in results_table(table_id)["columns"].items()}
        records = table_records(index)
        for record in records:
            language = record.get("Language")
            score_columns = [heading for heading in record if heading in variant_of]
            assert len(score_columns) == len(variant_of), f"{table_id}: columns mismatch"
            for heading in score_columns:
                cells[(table_id, record["Benchmark"], language, variant_of[heading])] = record[
                    heading
                ]
    return cells


# --------------------------------------------------------------------------- the data files


@pytest.mark.parametrize("name", [n for n in CARD_FILES if (CARD_DIR / n).exists()])
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
    assert sum(v != "-" for v in data.values()) == PUBLISHED_SCORES


def test_table_column_labels_are_the_published_headings() -> None:
    for table_id, index in RESULTS_TABLES.items():
        header = expand_rowspans(raw_tables()[index])[0]
        labels = list(results_table(table_id)["columns"].values())
        assert labels == header[-len(labels) :], f"{table_id}: {labels} vs card {header}"


def test_benchmark_categories_are_the_published_ones() -> None:
    names = {c["id"]: c["name"] for c in load("results.yaml")["categories"]}
    for table_id, index in RESULTS_TABLES.items():
        records = table_records(index)
        for record, row in zip(records, rows_of(table_id), strict=True):
            assert names[row["category"]] == record["Category"], row["name"]


def test_multilingual_table_declares_more_rows_than_it_has() -> None:
    rows = raw_tables()[MULTILINGUAL]
    declared = max(cell.rowspan for row in rows for cell in row)
    assert results_table("multilingual-benchmarks")["declared_rows"] == declared == 9
    assert len(rows) - 1 == 7, "the card's multilingual table should have 7 language rows"


# --------------------------------------------------------------------------- (2) training


def test_every_training_figure_is_in_the_data() -> None:
    (table,) = load("tables.yaml")["tables"]
    header = expand_rowspans(raw_tables()[ENERGY])[0]
    assert [c["label"] for c in table["columns"]][1:] == header[1:], "energy column headings"
    records = table_records(ENERGY)
    assert [list(r.values()) for r in records] == [row["cells"] for row in table["rows"]]
    assert [row.get("total", False) for row in table["rows"]] == [False, False, False, True]


def test_training_totals_quoted_in_the_prose() -> None:
    (table,) = load("tables.yaml")["tables"]
    total = next(row["cells"] for row in table["rows"] if row.get("total"))
    prose = normalise(card_prose().replace("**", ""))
    assert f"of {total[1]} GPU hours" in prose
    assert f"were {total[3]} tons CO2eq" in prose


# --------------------------------------------------------------------------- (3) model info


def test_every_model_information_cell_is_in_the_data() -> None:
    """The card's first table: cells spanning every row are family facts; Params is each
    variant's size."""
    facts = {f["label"]: f["value"] for f in load("family.yaml")["family"]["facts"]}
    sizes = [v["size"] for v in load("variants.yaml")["variants"] if not v.get("comparison")]
    records = table_records(MODEL_INFO)
    for record in records:
        assert record["Params"] in sizes
        for heading, value in record.items():
            if heading not in {"", "Params"}:
                assert facts[heading] == value, heading
    assert {r["Params"] for r in records} == set(sizes)


# --------------------------------------------------------------------------- (4) shots, metric


def test_every_benchmark_shots_and_metric_are_the_published_ones() -> None:
    for table_id in ("pretrained", "instruct"):
        records = table_records(RESULTS_TABLES[table_id])
        for record, row in zip(records, rows_of(table_id), strict=True):
            assert row.get("shots") == (record["# Shots"] or None), row["name"]
            assert row.get("metric") == (record["Metric"] or None), row["name"]

    ifeval = next(b for b in rows_of("instruct") if b["name"] == "IFEval")
    assert "shots" not in ifeval and "metric" not in ifeval

    # The multilingual table has no such columns: its benchmark's name carries both.
    mmlu = results_table("multilingual-benchmarks")["rows"][0]
    assert mmlu["name"] == f"MMLU ({mmlu['shots']}-shot, {mmlu['metric']})"
    assert len(mmlu["subsets"]) == 7


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
    tables = {t["title"] for t in load("results.yaml")["results"]}
    for heading in card_headings():
        assert heading in titles | tables, f"card heading {heading!r} has no section or table"


def test_every_link_of_the_card_is_listed() -> None:
    listed = {link["url"].rstrip("/") for link in load("family.yaml")["family"]["links"]}
    for url in re.findall(r"\]\((https?://[^)\s]+)\)", card_text()):
        assert url.rstrip("/") in listed, f"link {url} missing from family.yaml links"
