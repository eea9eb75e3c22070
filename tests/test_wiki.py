"""Wiki pages in GitHub-flavoured Markdown (``dist/wiki/``).

Every page is rendered here as a wiki would render it: with cmark-gfm (GitHub's own Markdown
parser: tables, strikethrough, autolinks, tag filter) for what it shows, and with markdown-it-py
and its anchors plugin (GitHub's heading-anchor rule) for the anchors links may point at. Raw
HTML is let through the renderer on purpose, so any that the converter wrote shows up.

Checked against the session build of the Llama 3.1 card (``--site-url
https://example.org/llama/``) and a copy of the card with hostile names; charts, which the
Llama 3.1 build does not draw yet, against a small page made here with the chart markup pages
use (an inline SVG in a ``<figure>``, its data table in a ``<details>``).
"""

from __future__ import annotations

import hashlib
import html
import re
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import cmarkgfm
import lxml.etree
import lxml.html
import pytest
import yaml
from cmarkgfm import Options
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

from cardsite.card.index import CardIndex, explain_missing, missing_mark
from cardsite.card.loader import load_card
from cardsite.card.models import Benchmark, Card, Result
from cardsite.targets.embed import EmbedPage
from cardsite.targets.wiki import (
    HOME_PAGE,
    PageConverter,
    escape_text,
    github_slug,
    parse_article,
    write_wiki,
)
from tests.conftest import CARD_DIR, copy_card, make_project, run_cardsite

SITE_URL = "https://example.org/llama/"
#: What GFM itself produces; any other element in a rendered page is raw HTML that got through.
GFM_ELEMENTS = {
    *(f"h{n}" for n in range(1, 7)),
    *("p", "ul", "ol", "li", "blockquote", "pre", "code", "hr", "br"),
    *("a", "img", "strong", "em", "del"),
    *("table", "thead", "tbody", "tr", "th", "td"),
}
HOSTILE = "*x* [y](javascript:alert(1)) <img src=x onerror=alert(1)> | z"
#: More syntax GFM would act on: strikethrough, math, entities, autolinks, a list, a rule.
HOSTILE_MORE = (
    "~~s~~ $m$ &amp; &copy; `c` www.evil.example https://evil.example a@evil.example "
    "<b>b</b> \\*e\\* ![i](https://evil.example/i.png) [r]: https://evil.example"
)


# --------------------------------------------------------------------------- rendering


def render_gfm(markdown: str) -> HtmlElement:
    """The page as GitHub's parser renders it, raw HTML included (to be found, not trusted)."""
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    return lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")


_ANCHORED = (
    MarkdownIt("commonmark")
    .enable(["table", "strikethrough"])
    .use(anchors_plugin, min_level=1, max_level=6)
)


def heading_ids(markdown: str) -> list[str]:
    """The anchors of the page's headings, in order, as GitHub's rule gives them."""
    doc = lxml.html.fragment_fromstring(_ANCHORED.render(markdown), create_parent="div")
    return [str(h.get("id")) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]


def text_of(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def elements(doc: HtmlElement) -> list[HtmlElement]:
    return [e for e in doc.iter() if isinstance(e.tag, str) and e is not doc]


@dataclass(frozen=True)
class Wiki:
    folder: Path

    @cache  # noqa: B019 - a handful of session-long instances
    def markdown(self, name: str) -> str:
        return (self.folder / name).read_text(encoding="utf-8")

    @cache  # noqa: B019
    def rendered(self, name: str) -> HtmlElement:
        return render_gfm(self.markdown(name))

    def pages(self) -> list[str]:
        return sorted(p.name for p in self.folder.glob("*.md"))


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def card() -> Card:
    return load_card(CARD_DIR)[0]


@pytest.fixture(scope="module")
def wiki(built_project: Path) -> Wiki:
    return Wiki(built_project / "dist" / "wiki")


@pytest.fixture(scope="module")
def expected(card: Card) -> dict[str, str]:
    """Wiki page -> the hosted page's URL, for every embeddable page."""
    names = {"overview.md": "", "training.md": "training/"}
    names |= {f"variants-{v.id}.md": f"variants/{v.id}/" for v in card.own_variants}
    names |= {f"benchmarks-{c.id}.md": f"benchmarks/{c.id}/" for c in card.categories}
    return names


def hosted_headings(site: Path, url: str) -> list[tuple[str, str]]:
    """(id, text) of each heading of the hosted page's article, permalinks left out."""
    doc = lxml.html.parse(str(site / url / "index.html")).getroot()
    article = doc.find_class("md-content__inner")[0]
    for link in article.find_class("headerlink"):
        link.drop_tree()
    return [
        (str(h.get("id")), text_of(h)) for h in article.iter("h1", "h2", "h3", "h4", "h5", "h6")
    ]


def wiki_heading(doc: HtmlElement, site: Path, url: str, html_id: str) -> HtmlElement:
    """The wiki page's heading that is the hosted page's heading ``html_id``."""
    hosted = hosted_headings(site, url)
    ours = list(doc.iter("h1", "h2", "h3", "h4", "h5", "h6"))
    position = [i for i, _text in hosted].index(html_id)
    assert text_of(ours[position]) == hosted[position][1]
    return ours[position]


def table_after(heading: HtmlElement) -> HtmlElement:
    table = next((e for e in heading.itersiblings() if e.tag == "table"), None)
    assert table is not None, f"no table after {text_of(heading)!r}"
    return table


def rows_by_first_cell(table: HtmlElement) -> dict[str, list[str]]:
    rows = ([text_of(c) for c in tr if c.tag in {"th", "td"}] for tr in table.iter("tr"))
    return {cells[0]: cells for cells in rows if cells}


def expected_cell(result: Result | None) -> str:
    """A cell as the card prints it: the score (with its error), or the card's mark."""
    if result is None:
        return missing_mark(None)
    if result.text is None:
        return missing_mark(result.missing)
    return f"{result.text} ± {result.error}" if result.error else result.text


def row_label(benchmark: Benchmark) -> str:
    return benchmark.label + ("" if benchmark.higher_is_better else " (lower is better)")


# --------------------------------------------------------------------------- the page set


def test_one_page_per_fragment_and_a_home_page(
    wiki: Wiki, expected: dict[str, str], built_project: Path
) -> None:
    assert set(wiki.pages()) == {*expected, HOME_PAGE}
    fragments = {p.stem for p in (built_project / "dist" / "embed").glob("*.html")} - {"index"}
    assert {Path(name).stem for name in expected} == fragments


def test_pages_are_titled_like_their_hosted_page(
    wiki: Wiki, expected: dict[str, str], site: Path, card: Card
) -> None:
    for name, url in expected.items():
        assert wiki.markdown(name).startswith("# "), name
        headings = list(wiki.rendered(name).iter("h1", "h2", "h3", "h4", "h5", "h6"))
        assert headings[0].tag == "h1", name
        assert [text_of(h) for h in headings] == [t for _id, t in hosted_headings(site, url)]
    for variant in card.own_variants:
        h1 = wiki.rendered(f"variants-{variant.id}.md").find("h1")
        assert text_of(h1) == variant.name


def test_home_page_lists_every_page(wiki: Wiki, expected: dict[str, str], site: Path) -> None:
    doc = wiki.rendered(HOME_PAGE)
    assert text_of(doc.find("h1")) == "Llama 3.1 model card"
    listed = {str(a.get("href")): text_of(a) for a in doc.iter("a")}
    for name, url in expected.items():
        assert listed.get(name) == hosted_headings(site, url)[0][1], name
    assert listed.get(SITE_URL) == SITE_URL


# --------------------------------------------------------------------------- what pages say


def test_every_score_is_in_its_row_on_the_category_page(wiki: Wiki, site: Path, card: Card) -> None:
    index = CardIndex(card)
    checked = 0
    for b in card.benchmarks:
        url = f"benchmarks/{b.category}/"
        doc = wiki.rendered(f"benchmarks-{b.category}.md")
        rows = rows_by_first_cell(table_after(wiki_heading(doc, site, url, b.id)))
        columns = index.table(b.table).columns
        for result in index.results_for(benchmark=b.id):
            label = columns[result.variant]
            if b.subsets:
                header = next(c for c in rows.values() if c[0] in {"Language", "Subset"})
                cell = rows[result.subset or ""][header.index(label)]
            else:
                cell = rows[label][1]
            assert cell == expected_cell(result), (b.id, result)
            checked += result.text is not None
    assert checked == sum(r.text is not None for r in card.results)


def test_every_own_score_is_in_its_row_on_the_variant_page(
    wiki: Wiki, site: Path, card: Card
) -> None:
    index = CardIndex(card)
    checked = 0
    for variant in card.own_variants:
        url = f"variants/{variant.id}/"
        doc = wiki.rendered(f"variants-{variant.id}.md")
        by_subset = {
            text_of(h.find("a")): table_after(h)
            for h in doc.iter("h3")
            if h.find("a") is not None and re.search(r" by (language|subset)$", text_of(h))
        }
        for result in index.results_for(variant=variant.id):
            b = index.benchmark(result.benchmark)
            if b.subsets:
                cell = rows_by_first_cell(by_subset[b.label])[result.subset or ""][-1]
            else:
                table = table_after(wiki_heading(doc, site, url, b.category))
                cell = rows_by_first_cell(table)[row_label(b)][3]
            assert cell == expected_cell(result), (variant.id, b.id)
            checked += result.text is not None
    own = {v.id for v in card.own_variants}
    assert checked == sum(r.text is not None and r.variant in own for r in card.results)


def test_cells_without_a_score_show_the_mark_and_say_why_under_the_table(
    wiki: Wiki, site: Path, card: Card
) -> None:
    index = CardIndex(card)
    missing = [r for r in card.results if r.text is None]
    assert missing
    for result in missing:
        b = index.benchmark(result.benchmark)
        doc = wiki.rendered(f"benchmarks-{b.category}.md")
        table = table_after(wiki_heading(doc, site, f"benchmarks/{b.category}/", b.id))
        label = index.table(b.table).columns[result.variant]
        assert rows_by_first_cell(table)[label][1] == missing_mark(result.missing)
        intro, notes = table.getnext(), table.getnext().getnext()
        assert text_of(intro) == "Cells without a value:"
        reasons = [text_of(li) for li in notes.iter("li")]
        mark = missing_mark(result.missing)
        assert f"“{mark}” in Score: {explain_missing(result.missing)}" in reasons


def test_training_figures_as_published(wiki: Wiki, card: Card) -> None:
    doc = wiki.rendered("training.md")
    cells = {text_of(td) for td in doc.iter("td")}
    for table in card.data_tables:
        for row in table.rows:
            assert {c for c in row.cells if c} <= cells, row


def test_admonitions_become_quotes_with_their_title(wiki: Wiki) -> None:
    doc = wiki.rendered("variants-llama-3-1-8b-instruct.md")
    quotes = list(doc.iter("blockquote"))
    assert quotes
    for quote in quotes:
        first = quote[0]
        assert first.tag == "p" and first[0].tag == "strong"
        assert text_of(first[0]) == "How this table is read"


# --------------------------------------------------------------------------- links


def test_relative_links_reach_a_wiki_page_and_heading(wiki: Wiki) -> None:
    anchors = {name: set(heading_ids(wiki.markdown(name))) for name in wiki.pages()}
    relative = 0
    for name in wiki.pages():
        for a in wiki.rendered(name).iter("a"):
            href = str(a.get("href"))
            parts = urlsplit(href)
            if parts.scheme:
                continue
            relative += 1
            target = unquote(parts.path) or name
            assert target in anchors, f"{name}: {href}: no such page"
            assert not parts.fragment or parts.fragment in anchors[target], (
                f"{name}: {href}: no such heading"
            )
    assert relative > 200


def test_other_links_go_to_the_hosted_site_or_the_web(wiki: Wiki, site: Path) -> None:
    hosted = 0
    for name in wiki.pages():
        for a in wiki.rendered(name).iter("a"):
            parts = urlsplit(str(a.get("href")))
            if not parts.scheme:
                continue
            assert parts.scheme == "https", f"{name}: {a.get('href')}"
            if parts.netloc != "example.org":
                continue
            hosted += 1
            path = unquote(parts.path.removeprefix(urlsplit(SITE_URL).path))
            page = site / path / "index.html"
            assert page.is_file(), f"{name}: {a.get('href')}"
            if parts.fragment:
                doc = lxml.html.parse(str(page)).getroot()
                assert doc.get_element_by_id(parts.fragment, None) is not None
    assert hosted > 50
    overview = {text_of(a): a.get("href") for a in wiki.rendered("overview.md").iter("a")}
    assert overview["Compare"] == f"{SITE_URL}compare/"
    assert overview["Glossary"] == f"{SITE_URL}glossary/"
    assert overview["Training and environmental impact"] == "training.md"


def test_without_a_site_url_links_elsewhere_are_plain_text(tmp_path: Path) -> None:
    page = EmbedPage("variants/x/", "X", "variants-x")
    body = (
        '<h1 id="x">X</h1><p>See <a data-cardsite-link="glossary/#acc">accuracy</a>, '
        '<a data-cardsite-link="variants/x/#more">more</a>, '
        '<a data-cardsite-link="variants/x/#">this page</a>, '
        '<a href="mailto:a@b.example">mail</a> and '
        '<a href="https://example.net/">the web</a>.</p><h2 id="more">More here</h2>'
    )
    write_wiki({page.name: body}, [page], tmp_path / "site", tmp_path / "wiki", None, "F")
    text = (tmp_path / "wiki" / "variants-x.md").read_text(encoding="utf-8")
    assert "See accuracy, [more](#more-here), [this page](variants-x.md), mail and " in text
    assert "[the web](https://example.net/)" in text


# --------------------------------------------------------------------------- no raw HTML


def test_no_raw_html_survives(wiki: Wiki) -> None:
    for name in wiki.pages():
        doc = wiki.rendered(name)
        tags = {e.tag for e in elements(doc)}
        assert tags <= GFM_ELEMENTS, f"{name}: {sorted(tags - GFM_ELEMENTS)}"
        assert not any(e.get("class") or e.get("style") for e in elements(doc)), name
        safe = cmarkgfm.github_flavored_markdown_to_html(wiki.markdown(name))
        assert "raw HTML omitted" not in safe, name


def test_tables_keep_one_row_per_line(wiki: Wiki) -> None:
    """Every table line of the source is a row with the header's number of cells."""
    for name in wiki.pages():
        markdown = wiki.markdown(name)
        doc = wiki.rendered(name)
        for table in doc.iter("table"):
            widths = {len([c for c in tr if c.tag in {"th", "td"}]) for tr in table.iter("tr")}
            assert len(widths) == 1, name
        rows = [line for line in markdown.splitlines() if line.startswith("| ")]
        assert sum(len(list(t.iter("tr"))) + 1 for t in doc.iter("table")) == len(rows)


PROSE = """
<h1 id="t">T</h1>
<div class="cs-prose">
<p>With <strong>bold</strong>, <em>em</em>, <code>a|b</code>, <del>old</del>, H<sub>2</sub>O,
<span style="text-decoration:underline;">under</span> and a<br>break.</p>
<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul>
<ol start="3"><li><p>three</p></li><li><p>four</p><p>more</p></li></ol>
<blockquote><p>quoted</p></blockquote>
<pre><code>code ``` block
  indented</code></pre>
<hr>
<table><thead><tr><th>A</th><th>B</th></tr></thead>
<tbody><tr><td colspan="2">wide | <code>x|y</code></td></tr><tr><td>short</td></tr></tbody></table>
</div>
<div class="admonition note"><p class="admonition-title">How this table is read</p>
<p>Note text.</p></div>
<div class="cs-footnotes"><ul><li><span class="cs-mark">*</span> Longer context.</li></ul></div>
<p>Shots: <span class="cs-missing" title="The card gives no number of shots">—<span
class="cs-sr"> (The card gives no number of shots)</span></span></p>
"""


def test_prose_elements_become_their_gfm_kin() -> None:
    converter = PageConverter(lambda target, anchor: None, lambda chart: None)
    doc = render_gfm(converter.convert(parse_article(PROSE)))
    first = doc.find("p")
    assert [e.tag for e in first] == ["strong", "em", "code", "del", "br"]
    assert text_of(first) == "With bold, em, a|b, old, H2O, under and a break."
    top = [e.tag for e in doc]
    assert top[:6] == ["h1", "p", "ul", "ol", "blockquote", "pre"]
    ul, ol = doc.find("ul"), doc.find("ol")
    assert [text_of(li) for li in ul.iterchildren("li")] == ["one", "two nested"]
    assert ul[1].find("ul") is not None
    assert ol.get("start") == "3" and [len(li) for li in ol] == [1, 2]
    assert doc.find("pre/code").text == "code ``` block\n  indented\n"
    assert doc.find("hr") is not None
    assert rows_by_first_cell(doc.find("table")) == {
        "A": ["A", "B"],
        "wide | x|y": ["wide | x|y", ""],
        "short": ["short", ""],
    }
    note = doc.findall("blockquote")[1]
    assert text_of(note.find("p/strong")) == "How this table is read"
    assert text_of(note) == "How this table is read Note text."
    assert "* Longer context." in [text_of(li) for li in doc.iter("li")]
    assert text_of(doc.findall("p")[-1]) == "Shots: — (The card gives no number of shots)"
    assert {e.tag for e in elements(doc)} <= GFM_ELEMENTS


def test_lists_side_by_side_stay_apart() -> None:
    body = "<ul><li>a</li></ul><div><ul><li>b</li></ul></div><ol><li>c</li></ol><ol><li>d</li></ol>"
    converter = PageConverter(lambda target, anchor: None, lambda chart: None)
    doc = render_gfm(converter.convert(parse_article(body)))
    assert [(e.tag, text_of(e)) for e in doc] == [
        ("ul", "a"),
        ("ul", "b"),
        ("ol", "c"),
        ("ol", "d"),
    ]


# --------------------------------------------------------------------------- charts


CHART_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" class="cs-chart-svg" '
    'role="img" aria-label="Scores by size"><style>:root{--ink:#111}'
    "@media (prefers-color-scheme: dark){:root{--ink:#eee}}</style>"
    '<rect width="10" height="4" fill="var(--ink)"/></svg>'
)


def chart_page(chart_id: str = "mmlu-by-size") -> str:
    """A page body with a chart as pages inline it, and its data table."""
    return (
        '<h1 id="general">General</h1><p>Intro.</p>'
        f'<figure class="cs-chart" data-cs-chart="{chart_id}">{CHART_SVG}'
        "<figcaption>MMLU by size</figcaption></figure>"
        '<details class="cs-data"><summary>Data table: MMLU by size</summary>'
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table>'
        '<thead><tr><th>Model</th><th class="cs-num">Score</th></tr></thead><tbody>'
        '<tr><td>8B</td><td class="cs-num">66.7</td></tr>'
        '<tr><td>70B | big</td><td class="cs-num">79.3</td></tr>'
        "</tbody></table></div></div></details>"
    )


def test_charts_are_svg_files_beside_the_pages(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "charts").mkdir(parents=True)
    (site / "charts" / "mmlu-by-size.svg").write_text(CHART_SVG, encoding="utf-8")
    page = EmbedPage("benchmarks/general/", "General", "benchmarks-general")
    out = tmp_path / "wiki"
    write_wiki({page.name: chart_page()}, [page], site, out, SITE_URL, "F")
    markdown = (out / "benchmarks-general.md").read_text(encoding="utf-8")
    assert "![Scores by size](charts/mmlu-by-size.svg)" in markdown
    doc = render_gfm(markdown)
    (img,) = doc.iter("img")
    chart = out / str(img.get("src"))
    assert chart.is_file() and chart.read_bytes() == CHART_SVG.encode()
    assert lxml.etree.parse(str(chart)).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert img.get("alt") == "Scores by size"
    texts = [text_of(p) for p in doc.iter("p")]
    assert "MMLU by size" in texts and "Data table: MMLU by size" in texts
    assert rows_by_first_cell(doc.find(".//table")) == {
        "Model": ["Model", "Score"],
        "8B": ["8B", "66.7"],
        "70B | big": ["70B | big", "79.3"],
    }
    assert {e.tag for e in elements(doc)} <= GFM_ELEMENTS


def test_chart_images_of_the_build_exist_and_are_svg(wiki: Wiki) -> None:
    for name in wiki.pages():
        for img in wiki.rendered(name).iter("img"):
            src = str(img.get("src"))
            assert not urlsplit(src).scheme and src.startswith("charts/"), f"{name}: {src}"
            root = lxml.etree.parse(str(wiki.folder / src)).getroot()
            assert root.tag == "{http://www.w3.org/2000/svg}svg", f"{name}: {src}"


def test_a_chart_without_its_file_keeps_its_caption(tmp_path: Path) -> None:
    page = EmbedPage("benchmarks/general/", "General", "benchmarks-general")
    out = tmp_path / "wiki"
    write_wiki({page.name: chart_page("gone")}, [page], tmp_path / "site", out, None, "F")
    doc = render_gfm((out / "benchmarks-general.md").read_text(encoding="utf-8"))
    assert not list(doc.iter("img")) and not (out / "charts").exists()
    assert "MMLU by size" in [text_of(p) for p in doc.iter("p")]


# --------------------------------------------------------------------------- card text stays text


def hostile_copy(where: Path) -> Path:
    """The Llama 3.1 card with GFM and HTML syntax in a variant's name, a results column, a
    category's name and description, a benchmark's name, a mark and its note."""
    card = copy_card(where)
    variants = yaml.safe_load((card / "variants.yaml").read_text(encoding="utf-8"))
    variants["variants"][0]["name"] = HOSTILE
    (card / "variants.yaml").write_text(yaml.safe_dump(variants), encoding="utf-8")
    results = yaml.safe_load((card / "results.yaml").read_text(encoding="utf-8"))
    category = results["categories"][0]
    category["name"] = f"General {HOSTILE_MORE}"
    category["description"] = f"- 1. {HOSTILE} {HOSTILE_MORE} 1986. +x ---"
    table = results["results"][0]
    table["columns"]["llama-3-1-8b"] = HOSTILE
    row = next(r for r in table["rows"] if r.get("missing"))
    row["name"] = f"Row {HOSTILE}"
    variant = next(iter(row["missing"]))
    row["missing"][variant] = {"mark": "*n/a* | <b>", "note": HOSTILE_MORE}
    (card / "results.yaml").write_text(yaml.safe_dump(results), encoding="utf-8")
    return card


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Wiki:
    root = tmp_path_factory.mktemp("wiki-hostile")
    card = hostile_copy(root / "card")
    project = make_project(root / "project")
    done = run_cardsite(
        "build", str(card), "--target", "embed", "--site-url", SITE_URL, cwd=project
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return Wiki(project / "dist" / "wiki")


def assert_inert(doc: HtmlElement, where: str) -> None:
    """Nothing but GFM's own elements, links only to wiki pages and https, no image but charts."""
    assert {e.tag for e in elements(doc)} <= GFM_ELEMENTS, where
    for a in doc.iter("a"):
        href = str(a.get("href"))
        if href.startswith("https://"):
            assert "evil" not in href and "javascript" not in href.lower(), f"{where}: {href}"
        else:  # a wiki page, and a heading's anchor (which may spell out card text)
            assert re.fullmatch(r"[\w.-]+\.md(#[\w%-]*)?", href), f"{where}: {href}"
    assert all(str(i.get("src")).startswith("charts/") for i in doc.iter("img")), where


def test_hostile_card_text_renders_as_written(hostile: Wiki) -> None:
    page = hostile.rendered("variants-llama-3-1-8b.md")
    assert text_of(page.find("h1")) == HOSTILE
    general = hostile.rendered("benchmarks-general.md")
    assert text_of(general.find("h1")) == f"General {HOSTILE_MORE}"
    paragraphs = [text_of(p) for p in general.iter("p")]
    assert f"- 1. {HOSTILE} {HOSTILE_MORE} 1986. +x ---" in paragraphs
    assert HOSTILE in [text_of(th) for th in page.iter("th")]
    assert any(text_of(h) == f"Row {HOSTILE}" for h in general.iter("h3"))
    cells = [text_of(td) for td in general.iter("td")]
    assert HOSTILE in cells and "*n/a* | <b>" in cells
    notes = [text_of(li) for li in general.iter("li")]
    assert any(HOSTILE_MORE in note and note.startswith("“*n/a* | <b>”") for note in notes)
    home = hostile.rendered(HOME_PAGE)
    assert HOSTILE in [text_of(a) for a in home.iter("a")]


def test_hostile_card_forms_no_link_image_or_element(hostile: Wiki) -> None:
    for name in hostile.pages():
        assert_inert(hostile.rendered(name), name)


def test_hostile_links_still_resolve(hostile: Wiki) -> None:
    anchors = {name: set(heading_ids(hostile.markdown(name))) for name in hostile.pages()}
    for name in hostile.pages():
        for a in hostile.rendered(name).iter("a"):
            parts = urlsplit(str(a.get("href")))
            if not parts.scheme and parts.fragment:
                assert parts.fragment in anchors[unquote(parts.path) or name], a.get("href")


_TEXT = st.text(
    alphabet=st.sampled_from(
        [*string.printable.replace("\x0b", "").replace("\x0c", ""), *"é—ไ\u00a0\u3000²①"]
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_any_text_renders_as_itself_in_a_paragraph_and_a_cell(text: str) -> None:
    """Whatever the card says, a paragraph or a table cell built from it shows exactly it."""
    shown = " ".join(re.split(r"[ \t\n\r]+", text)).strip(" ")
    escaped = html.escape(text)
    body = f"<p>{escaped}</p><table><tr><th>h</th></tr><tr><td>{escaped}</td></tr></table>"
    converter = PageConverter(lambda target, anchor: None, lambda chart: None)
    doc = render_gfm(converter.convert(parse_article(body)))
    assert {e.tag for e in elements(doc)} <= GFM_ELEMENTS - {"a", "img"}, text
    paragraphs = [p.text_content() for p in doc.iter("p")]
    assert paragraphs == ([shown] if shown else []), text
    (cell,) = doc.iter("td")
    assert cell.text_content() == shown, text


_INLINE = st.lists(
    st.tuples(st.sampled_from(["", "strong", "em", "del", "code", "a", "abbr", "br"]), _TEXT),
    max_size=6,
)


def collapsed(text: str) -> str:
    return " ".join(re.split(r"[ \t\n\r]+", text)).strip(" ")


@settings(max_examples=300, deadline=None)
@given(_INLINE)
def test_any_mix_of_inline_markup_keeps_its_text(pieces: list[tuple[str, str]]) -> None:
    """Text inside emphasis, code, links and the like reads the same in the wiki; only links we
    wrote are links."""
    parts = []
    for tag, text in pieces:
        escaped = html.escape(text)
        if tag == "a":
            parts.append(f'<a href="https://example.org/">{escaped}</a>')
        elif tag == "br":
            parts.append(f"<br>\n{escaped}")  # the new line stands for the break in text
        else:
            parts.append(f"<{tag}>{escaped}</{tag}>" if tag else escaped)
    body = f"<p>{''.join(parts)}</p>"
    converter = PageConverter(lambda target, anchor: None, lambda chart: None)
    doc = render_gfm(converter.convert(parse_article(body)))
    assert collapsed(doc.text_content()) == collapsed(parse_article(body).text_content()), body
    assert {e.tag for e in elements(doc)} <= GFM_ELEMENTS - {"img"}, body
    assert all(a.get("href") == "https://example.org/" for a in doc.iter("a")), body


# --------------------------------------------------------------------------- helpers' rules


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Llama 3.1 8B Instruct", "llama-31-8b-instruct"),
        ("MMLU (CoT)", "mmlu-cot"),
        ("MBPP ++ base version", "mbpp--base-version"),
        ("macro_avg/acc", "macro_avgacc"),
        ("Δ and Ünïcode", "δ-and-ünïcode"),
        ("हिन्दी", "हिन्दी"),
        ("*x* | z", "x--z"),
        ("  Trim me ", "--trim-me-"),
    ],
)
def test_github_slug(heading: str, slug: str) -> None:
    assert github_slug(heading) == slug


def test_escape_text_keeps_plain_words_readable() -> None:
    assert escape_text("Llama 3.1 8B: 69.4, +0.9 (5-shot)") == "Llama 3.1 8B: 69.4, +0.9 (5-shot)"
    assert escape_text("a_b *c* [d] <e> | ~f~ #g $h") == (
        r"a\_b \*c\* \[d\] \<e\> \| \~f\~ \#g \$h"
    )


# --------------------------------------------------------------------------- determinism


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_card_same_bytes(wiki: Wiki, tmp_path: Path) -> None:
    project = make_project(tmp_path / "again")
    done = run_cardsite(
        "build", str(CARD_DIR), "--target", "embed", "--site-url", SITE_URL, cwd=project
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert digest(project / "dist" / "wiki") == digest(wiki.folder)
