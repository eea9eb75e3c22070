"""Hostile card text never runs: XSS payloads in every text field, through every output.

``tests/xss_payloads.py`` writes a corpus of payloads into every card field that takes text of a
copy of the Llama 3.1 card, built once (all targets, strict MkDocs: a payload that makes MkDocs
warn is an escaping bug) in a throw-away project. Then:

* files: no built HTML page (hosted, offline, embed fragments, iframe pages) holds a payload
  unescaped, a handler attribute, a ``javascript:``/``data:`` URL, or a frame, object, base,
  meta refresh or form from the card (parsed by html5lib, as browsers parse, and tokenized by
  ``html.parser``, as cardsite's embed step reads pages); the card's text shows literally; charts
  carry card text only as escaped XML; exports and the search index hold it literally, escaped
  as their format requires;
* browser: Debian's Chromium opens every page of every target, hovers, focuses and tabs around,
  dispatches the events inline handlers listen to, searches, and asserts that no dialog opened
  (every payload calls ``alert(<its number>)``) and that the live DOM holds no script, handler
  or dangerous URL from the card.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Frame, Page

from cardsite.pages.render import attr, md
from cardsite.pages.sanitize import prose_html
from cardsite.plugin.plugin import MARKDOWN_EXTENSIONS
from tests.browser import Watch as _Watch
from tests.browser import guard, launch, listen, serve_dir
from tests.conftest import CARD_DIR, REPO, make_project, run_cardsite
from tests.xss_payloads import (
    GROWING_PLACES,
    PAGE_TITLE,
    PAYLOADS,
    PLACES,
    PROSE_MARKDOWN,
    PROSE_TITLE,
    HostileCard,
    all_places,
    fits,
    hostile_card,
)

SITE_URL = "https://example.org/x/"
FAMILY_ID = "llama-3-1"
MARKER = re.compile(r"lert\(1\d\d\)")
"""Every payload carries ``alert(<number>)`` (one as ``\\u0061lert``); in a built page only card
text can hold it."""

# Places whose text the site prints as text (escaped): it must show literally.
NOT_ON_SITE = {
    "comparison_family.name",
    "comparison_family.note",
    "family.version",
    PROSE_MARKDOWN,
}
# Where the exports put each place (CSV columns; the rest is in JSON only).
CSV_PLACES = {
    "variant.name",
    "benchmark.name",
    "category.name",
    "benchmark.shots",
    "subset.name",
    "table.title",
    "table.column_label",
}


# ------------------------------------------------------------------------ building once


@dataclass
class Built:
    card: HostileCard
    project: Path

    @property
    def site(self) -> Path:
        return self.project / "site"

    @property
    def offline(self) -> Path:
        return self.project / "dist" / "offline"

    @property
    def embed(self) -> Path:
        return self.project / "dist" / "embed"

    def html_files(self) -> list[Path]:
        return sorted(
            [*self.site.rglob("*.html"), *self.offline.rglob("*.html"), *self.embed.glob("*.html")]
        )


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The hostile card, built once (all targets) in its own project."""
    root = tmp_path_factory.mktemp("xss")
    card = hostile_card(CARD_DIR, root / "hostile-card")
    project = make_project(root / "project")
    result = run_cardsite("build", str(card.path), "--site-url", SITE_URL, cwd=project)
    assert result.returncode == 0, f"the hostile card did not build:\n{result.stderr[-6000:]}"
    return Built(card, project)


def test_corpus_is_tried_in_every_place(built: Built, capsys: pytest.CaptureFixture[str]):
    """Every payload in every place that has room for it: all of them in every text and in
    every kind of name the card has several of; a place of one name (300 characters) holds
    the Markdown-structure payloads and as many others as fit."""
    texts = [p.text for p in PAYLOADS]
    assert len(set(texts)) == len(texts) >= 60
    assert all(MARKER.search(t) for t in texts)
    placed = built.card.placed
    for place in PLACES:
        got = {n for name, n in placed if name == place.name}
        fitting = {p.n for p in PAYLOADS if fits(place, p)}
        if not place.one_line or len(got) < len(fitting):
            assert len(got) >= 8, (place.name, sorted(got))
        if not place.one_line:
            assert got == fitting, (place.name, sorted(fitting - got))
    for place in GROWING_PLACES:
        got = {n for name, n in placed if name == place}
        one_line = place in {PROSE_TITLE, PAGE_TITLE}
        assert got == {p.n for p in PAYLOADS if not (one_line and "\n" in p.text)}, place
    values = sum(len(v) for v in built.card.values.values())
    with capsys.disabled():
        print(
            f"\nXSS corpus: {len(PAYLOADS)} payloads x {len(all_places())} places: "
            f"{len(placed)} (place, payload) pairs tried ({values} placements); outputs: "
            "hosted site, offline bundle, embed fragments, embed index, iframe pages, charts, "
            "JSON/CSV/HF exports, search index"
        )


# ------------------------------------------------------------- the escaping functions alone


def _site_markdown() -> tuple[list[str], dict[str, dict]]:
    """The Markdown extensions (and their settings) of a site: MkDocs' own, the plugin's, and
    those of the project's mkdocs.yml."""
    names, configs = ["toc", "tables", "fenced_code", *MARKDOWN_EXTENSIONS], {}
    for entry in yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))[
        "markdown_extensions"
    ]:
        name, config = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        names.append(name)
        configs[name] = config or {}
    return list(dict.fromkeys(names)), configs


MKDOCS_EXTENSIONS, MKDOCS_EXTENSION_CONFIGS = _site_markdown()


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: str(p.n))
def test_md_filter_prints_payload_as_text(payload):
    """What the ``md`` filter makes of card text renders, through the site's own Markdown
    extensions, as a paragraph holding exactly that text, in a heading with an attr_list id,
    and in a table cell."""
    text = " ".join(payload.text.split())
    escaped = md(payload.text)
    cases = {
        "paragraph": (f"{escaped}\n", "p"),
        "heading": (f"## {escaped} {{ #x }}\n", "h2"),
        "cell": (f"| a |\n|---|\n| {escaped} |\n", "td"),
        "link title": (f'[t](https://example.org/ "{attr(payload.text)}")\n', "a"),
        # The metric macro's glossary link: an attribute inside Markdown link text.
        "abbr title": (f'[<abbr title="{attr(payload.text)}">t</abbr>](g.md) *x*\n', "abbr"),
    }
    for what, (source, tag) in cases.items():
        out = markdown.markdown(
            source, extensions=MKDOCS_EXTENSIONS, extension_configs=MKDOCS_EXTENSION_CONFIGS
        )
        soup = BeautifulSoup(out, "html5lib")
        assert not dom_problems(soup, f"{what}: {out}")
        element = soup.find(tag)
        assert element is not None, f"{what}: {out}"
        if what in {"link title", "abbr title"}:
            assert " ".join(element["title"].split()) == text, out
            assert [e.name for e in soup.body.find_all(True)] == (
                ["p", "a"] if what == "link title" else ["p", "a", "abbr", "em"]
            ), out
            continue
        for permalink in element.select("a.headerlink"):  # toc's, not the card's
            permalink.decompose()
        assert " ".join(element.get_text().split()) == text, f"{what}: {out}"
        assert element.find(True) is None, f"{what}: markup from card text: {out}"


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: str(p.n))
def test_prose_cleaner_output_is_inert(payload):
    for wrapper in ("{p}", "text {p} text", "- a\n- {p}\n\n> {p}"):
        out = str(prose_html(wrapper.format(p=payload.text)))
        for parser in ("html5lib", "html.parser"):
            problems = dom_problems(BeautifulSoup(out, parser), out)
            assert not problems, "\n".join(problems)
        assert payload.text not in out or "<" not in payload.text


# ----------------------------------------------------------------------- static HTML checks

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "poster",
    "background",
    "codebase",
    "cite",
    "ping",
    "lowsrc",
    "dynsrc",
    "longdesc",
}
BAD_URL = re.compile(r"^(?:javascript|vbscript|data|livescript):", re.IGNORECASE)
NEVER_ELEMENTS = {
    "object",
    "embed",
    "applet",
    "frame",
    "frameset",
    "animate",
    "set",
    "animatemotion",
    "animatetransform",
    "foreignobject",
    "template",
    "math",
    "mglyph",
    "xmp",
    "plaintext",
    "marquee",
    "portal",
    "noscript",
    "textarea",
}
BAD_STYLE = re.compile(
    r"url\((?!\s*['\"]?#)|position|expression|javascript|z-index|behavior|"
    r"binding|@import|inset",
    re.IGNORECASE,
)
CHROME_FORMS = {"md-search__form", "md-header__option"}
PREVIEW_IFRAME = re.compile(r"^[a-z0-9-]+\.html$")


def _url(value: str) -> str:
    """A URL as a browser reads its scheme: entities decoded, whitespace and controls dropped."""
    return re.sub(r"[\x00-\x20\x7f-\xa0]", "", html.unescape(value))


def _classes(el) -> list[str]:
    value = el.get("class") or []
    return value.split() if isinstance(value, str) else list(value)


def dom_problems(soup: BeautifulSoup, where: str, *, embed_index: bool = False) -> list[str]:
    """What in a parsed page could run, load or cover the page: one line per element.

    Nothing in cardsite's or Material's own markup trips these (handlers, script URLs,
    frames...), so any hit is card text that got through. ``embed_index`` allows that page's
    preview iframes and snippet textareas.
    """
    problems = []

    def bad(element, why: str) -> None:
        problems.append(f"{where}: {why}: {str(element)[:200]}")

    for el in soup.find_all(True):
        name = el.name.lower().split(":")[-1]
        for key, value in el.attrs.items():
            key_l = key.lower()
            value = " ".join(value) if isinstance(value, list) else str(value)
            if key_l.startswith("on"):
                bad(el, f"handler attribute {key}")
            if key_l in URL_ATTRIBUTES and BAD_URL.match(_url(value)):
                bad(el, f"{key} with a script or data URL")
            if key_l in {"srcdoc", "autofocus"}:
                bad(el, f"{key} attribute")
            if key_l == "style" and BAD_STYLE.search(value):
                bad(el, "style attribute that moves or loads")
        if name in NEVER_ELEMENTS and not (embed_index and name == "textarea"):
            bad(el, f"<{name}> element")
        if name == "script":
            src = el.get("src")
            if src is not None and re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", _url(src), re.I):
                bad(el, "script from elsewhere")
            if MARKER.search(el.get_text()):
                bad(el, "script with card text")
        if name == "iframe" and not (
            embed_index and "preview" in _classes(el) and PREVIEW_IFRAME.match(el.get("src", ""))
        ):
            bad(el, "<iframe>")
        if name == "base" and el.has_attr("href"):
            bad(el, "<base href>")
        if name == "meta" and el.has_attr("http-equiv"):
            bad(el, "<meta http-equiv>")
        if name == "form" and (el.has_attr("action") or not CHROME_FORMS & set(_classes(el))):
            bad(el, "<form> not Material's")
        if name in {"style", "link", "title", "meta", "base"}:
            in_head = el.find_parent("head") is not None
            in_embed = any("cardsite-embed" in _classes(a) for a in el.find_parents("div"))
            in_svg = el.find_parent("svg") is not None  # an SVG <title> names the chart
            if not (in_head or (name == "style" and in_embed) or (name == "title" and in_svg)):
                bad(el, f"<{name}> outside <head>")
        if name == "style" and re.search(r"alert\(|javascript:|expression\(", el.get_text()):
            bad(el, "<style> with card text")
        if name == "use":
            ref = el.get("href") or el.get("xlink:href") or ""
            if not ref.startswith("#"):
                bad(el, "<use> of an outside document")
        if name in {"img", "image", "source", "video", "audio", "input"}:
            src = _url(el.get("src") or el.get("href") or el.get("xlink:href") or "")
            if REMOTE.match(src):
                bad(el, "image that loads from another host")
    return problems


REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


class _Tags(HTMLParser):
    """Python's own tokenizer: start tags and their attributes as ``html.parser`` sees them
    (cardsite's embed step cuts fragments with it, so its reading matters as much)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def raw_problems(text: str, where: str) -> list[str]:
    """Checks on the file's text itself: no payload verbatim, no ``<script>alert``, and no
    handler or script URL in any tag ``html.parser`` finds."""
    problems = [
        f"{where}: payload {p.n} unescaped ({p.name})"
        for p in PAYLOADS
        if "<" in p.text and p.text in text
    ]
    if re.search(r"<script\b[^>]*>[^<]*alert\(", text, re.IGNORECASE):
        problems.append(f"{where}: <script>alert( in the file")
    tokens = _Tags()
    tokens.feed(text)
    tokens.close()
    for tag, attrs in tokens.tags:
        for key, value in attrs:
            if key.startswith("on"):
                problems.append(f"{where}: <{tag} {key}=...> (html.parser)")
            if key in URL_ATTRIBUTES and value and BAD_URL.match(_url(value)):
                problems.append(f"{where}: <{tag} {key}={value[:60]!r}> (html.parser)")
    return problems


_TEXTAREA = re.compile(r"(<textarea\b[^>]*>)(.*?)(</textarea[\s/>])", re.IGNORECASE | re.DOTALL)


def without_textareas(text: str, where: str) -> tuple[str, list[str]]:
    """The embed index with its textareas emptied (html5lib is slow on their megabytes of
    escaped fragments), and a problem for any that holds a ``<``: a browser ends a textarea at
    the first ``</textarea``, so escaped text is the only safe content."""
    problems = [
        f"{where}: raw '<' in {m[1]!r}: {m[2][m[2].find('<') :][:120]!r}"
        for m in _TEXTAREA.finditer(text)
        if "<" in m[2]
    ]
    return _TEXTAREA.sub(lambda m: m[1] + m[3], text), problems


def page_text(path: Path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")
    for junk in soup.select("script, style"):
        junk.decompose()
    return " ".join(soup.get_text(" ").split())


def test_built_html_holds_no_live_payload(built: Built):
    problems = []
    files = built.html_files()
    assert len(files) > 60, files
    for path in files:
        text = path.read_text(encoding="utf-8")
        where = str(path.relative_to(built.project))
        problems += raw_problems(text, where)
        embed_index = path == built.embed / "index.html"
        if embed_index:
            text, found = without_textareas(text, where)
            problems += found
        problems += dom_problems(BeautifulSoup(text, "html5lib"), where, embed_index=embed_index)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])


def test_card_text_shows_literally(built: Built):
    """Escaped, not dropped or doubled: every name, note and label reads as the card wrote it
    (Jinja syntax included: ``{{ 7*7 }}`` prints, it is never evaluated)."""
    pages = sorted(p for p in built.site.rglob("*.html") if "embed" not in p.parts)
    hosted = "\n".join(page_text(p) for p in pages)
    missing = []
    for (place, n), values in sorted(built.card.values.items()):
        if place in NOT_ON_SITE:
            continue
        missing += [
            f"{place} #{n}: {value[:120]!r}"
            for value in values
            if " ".join(value.split()) not in hosted
        ]
    assert not missing, f"{len(missing)} values not shown as written:\n" + "\n".join(missing[:40])


def test_embed_index_keeps_fragments_inside_their_textareas(built: Built):
    """The embed index shows each fragment as text in a <textarea>: a title or fragment that
    closes it must not get out, and what a textarea holds (its text, as a browser decodes it:
    it ends at the first ``</textarea``, character references resolved) is the fragment file,
    exactly."""
    index = (built.embed / "index.html").read_text(encoding="utf-8")
    fragments = {
        p.read_text(encoding="utf-8") for p in built.embed.glob("*.html") if p.name != "index.html"
    }
    areas = [m for m in _TEXTAREA.finditer(index) if re.search(r'id="[^"]*-html"', m[1])]
    assert len(areas) == len(fragments) == index.count("<textarea") // 2
    for area in areas:
        assert "<" not in area[2], f"{area[1]} holds markup"
        assert html.unescape(area[2]) in fragments, area[1]


# ------------------------------------------------------- tables and anchors hold their shape


def _article(path: Path) -> BeautifulSoup:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")
    return soup.select_one("article") or soup


def _card_json(built: Built) -> dict:
    path = built.site / "downloads" / f"{FAMILY_ID}-card.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_no_published_score_is_displaced(built: Built):
    """Card text with ``|`` in every name, label and glossary title: every table row keeps one
    cell per heading, and each variant's column holds the score the card publishes for that
    row (variant pages, the Compare page), never text pushed in from a neighbouring cell."""
    card = _card_json(built)
    names = {v["id"]: v["name"] for v in card["variants"]}
    scores = {
        (r["variant"], r["benchmark"]): r["text"]
        for r in card["results"]
        if r["subset"] is None and r["text"] is not None
    }
    problems, checked = [], 0
    variant_pages = sorted((built.site / "variants").glob("*/index.html"))
    pages = [built.site / "compare" / "index.html", *variant_pages]
    for page in pages:
        for table in _article(page).select("table"):
            heads = [" ".join(th.get_text().split()) for th in table.select("thead th")]
            for tr in table.select("tbody tr"):
                cells = tr.find_all("td", recursive=False)
                if len(cells) != len(heads):
                    problems.append(f"{page.parent.name}: {len(cells)} cells, {len(heads)} heads")
                    continue
                link = cells[0].find("a", href=True)
                benchmark = link["href"].rpartition("#")[2] if link else ""
                for variant, name in names.items():
                    text = scores.get((variant, benchmark))
                    if text is None or " ".join(name.split()) not in heads:
                        continue
                    cell = cells[heads.index(" ".join(name.split()))]
                    got = " ".join(cell.get_text().split())
                    checked += 1
                    if not got.startswith(text):
                        problems.append(f"{page.parent.name} {benchmark} {variant}: {got[:60]!r}")
    assert checked > 150, checked
    assert not problems, "\n".join(problems[:30])


def test_every_anchor_is_written_once(built: Built):
    """Card ids and the site's own headings never share an anchor on a page."""
    problems = []
    for path in sorted(built.site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")
        ids = Counter(el["id"] for el in soup.find_all(id=True))
        twice = sorted(i for i, n in ids.items() if n > 1)
        if twice:
            problems.append(f"{path.relative_to(built.site)}: {twice}")
    assert not problems, "\n".join(problems[:20])


# ------------------------------------------------------------------------------ valid HTML

VNU_JAR = Path(
    os.environ.get("CARDSITE_VNU_JAR")
    or REPO / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
"""The W3C Nu HTML checker, installed by ``make test`` (``make vnu``) from npm's vnu-jar."""


def vnu_messages(files: list[Path]) -> dict[Path, set[str]]:
    """Errors the Nu checker finds, by file (messages only: positions differ page to page)."""
    if not VNU_JAR.is_file() or shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail(f"{VNU_JAR} or java is missing: `make vnu` installs them")
        pytest.skip("the Nu HTML checker is not installed (make vnu)")
    done = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    found: dict[Path, set[str]] = {f: set() for f in files}
    for message in json.loads(done.stderr or done.stdout)["messages"]:
        path = Path(message["url"].removeprefix("file:"))
        found.setdefault(path, set()).add(message["message"])
    return found


def material_findings(root: Path) -> set[str]:
    """What the checker finds on a default Material site with the project's settings (theme
    features, palette), cardsite left out: Material's own markup, not ours."""
    project = root / "material"
    (project / "docs" / "section").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Home\n\nText.\n", encoding="utf-8")
    (project / "docs" / "section" / "page.md").write_text("# Page\n\n| a |\n|---|\n| b |\n")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search"]
    config["nav"] = [{"Home": "index.md"}, {"Section": [{"Page": "section/page.md"}]}]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")],
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    pages = sorted((project / "site").rglob("index.html"))
    return set().union(*vnu_messages(pages).values())


def test_pages_are_valid_html(built: Built, tmp_path: Path):
    """The Nu checker finds nothing on our pages that it does not find on a default Material
    page: every hosted, offline and iframe page, the embed index, and each fragment inside a
    minimal document (as a wiki page would hold it)."""
    fragments = []
    for fragment in sorted(built.embed.glob("*.html")):
        if fragment.name == "index.html":
            continue
        wrapped = tmp_path / "fragments" / fragment.name
        wrapped.parent.mkdir(exist_ok=True)
        wrapped.write_text(
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>x</title>'
            f"</head><body>\n{fragment.read_text(encoding='utf-8')}</body></html>\n",
            encoding="utf-8",
        )
        fragments.append(wrapped)
    pages = [p for p in built.html_files() if p.parent != built.embed] + [
        built.embed / "index.html",
        *fragments,
    ]
    material = material_findings(tmp_path)
    ours = {
        path: sorted(m for m in messages if m not in material)
        for path, messages in vnu_messages(pages).items()
    }
    problems = [f"{path}: {m}" for path, messages in ours.items() for m in messages]
    assert not problems, f"{len(problems)} findings of our own:\n" + "\n".join(problems[:30])


# ------------------------------------------------------------------------------- charts


def svg_problems(path: Path) -> list[str]:
    where = path.name
    text = path.read_text(encoding="utf-8")
    problems = [
        f"{where}: payload {p.n} unescaped" for p in PAYLOADS if "<" in p.text and p.text in text
    ]
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as err:
        return [*problems, f"{where}: not well-formed XML ({err})"]
    for el in root.iter():
        name = el.tag.rsplit("}", 1)[-1].lower()
        if name in {"script", "foreignobject", "iframe", "animate", "set", "handler", "a"}:
            problems.append(f"{where}: <{name}>")
        if name == "text":
            problems.append(f"{where}: <text> element (text should be drawn as paths)")
        for key, value in el.attrib.items():
            key_l = key.rsplit("}", 1)[-1].lower()
            if key_l.startswith("on"):
                problems.append(f"{where}: {key_l} on <{name}>")
            if key_l == "href" and not value.startswith("#"):
                problems.append(f"{where}: href {value[:60]!r} on <{name}>")
    return problems


def test_chart_svgs_hold_card_text_as_escaped_text_only(built: Built):
    svgs = sorted((built.site / "charts").glob("*.svg"))
    if not svgs:
        pytest.skip("cardsite.charts draws nothing while the charts are rebuilt")
    problems = [line for svg in svgs for line in svg_problems(svg)]
    assert not problems, "\n".join(problems[:40])
    # Text is drawn as paths; names reach the SVG only in its metadata and comments, escaped:
    # parsed back, a variant chart's title holds the variant's name exactly as the card has it.
    card = json.loads((built.site / "downloads" / f"{FAMILY_ID}-card.json").read_text())
    variant = card["variants"][0]
    root = ElementTree.parse(built.site / "charts" / f"variant--{variant['id']}.svg")
    titles = [el.text for el in root.iter() if el.tag.endswith("}title") and el.text]
    assert any(variant["name"] in t for t in titles), titles


# ------------------------------------------------------------------------------ exports


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _hf_readmes(downloads: Path) -> dict[str, str]:
    with zipfile.ZipFile(downloads / f"{FAMILY_ID}-hf-model-cards.zip") as archive:
        return {n.split("/")[0]: archive.read(n).decode() for n in archive.namelist()}


def test_exports_hold_card_text_literally(built: Built):
    """JSON and CSV hold each value exactly (CSV's formula guard aside); the Hugging Face
    metadata, parsed as the Hub parses it, holds names exactly."""
    from huggingface_hub import ModelCard

    downloads = built.site / "downloads"
    card = json.loads((downloads / f"{FAMILY_ID}-card.json").read_text(encoding="utf-8"))
    strings = {s.strip() for s in _strings(card)}
    with (downloads / f"{FAMILY_ID}-results.csv").open(encoding="utf-8", newline="") as f:
        cells = {cell.removeprefix("'") for row in csv.reader(f) for cell in row}
    missing = []
    for (place, n), values in sorted(built.card.values.items()):
        for value in values:
            if value.strip() not in strings:
                missing.append(f"JSON: {place} #{n}")
            if place in CSV_PLACES and value.strip() not in cells:
                missing.append(f"CSV: {place} #{n}")
    assert not missing, "\n".join(missing[:40])

    names = {v["id"]: v["name"] for v in card["variants"]}
    benchmarks = {x["name"] for x in card["benchmarks"]}
    readmes = _hf_readmes(downloads)
    assert readmes
    for variant_id, text in readmes.items():
        data = ModelCard(text).data
        assert data.model_name == names[variant_id]
        assert {r.dataset_name for r in data.eval_results or []} <= benchmarks


def test_hf_readme_body_renders_inert(built: Built):
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark")
    problems = []
    for name, text in _hf_readmes(built.site / "downloads").items():
        rendered = renderer.render(text.split("\n---\n", 1)[-1])
        problems += dom_problems(BeautifulSoup(rendered, "html5lib"), name)
        problems += raw_problems(rendered, name)
    assert not problems, "\n".join(problems[:20])


# ------------------------------------------------------------------------- search index

KEPT_TAGS = re.compile(r"</?(?:p|code|pre|li|ol|ul|sub|sup)>")


def _index(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".js":  # the offline bundle's `var __index = {...}`
        text = text.split("=", 1)[1].strip().rstrip(";")
    return json.loads(text)


def test_search_index_holds_payloads_as_escaped_text(built: Built):
    """Material's search shows results as HTML made from the index: the only ``<`` in it may
    be the few tags the indexer keeps; card text is escaped and reads back as written."""
    files = [
        built.site / "search" / "search_index.json",
        built.offline / "search" / "search_index.js",
    ]
    problems = []
    for path in files:
        assert path.is_file(), path
        texts = []
        for doc in _index(path)["docs"]:
            for key in ("title", "text"):
                stripped = KEPT_TAGS.sub(" ", doc[key])
                at = min(
                    (i for i in (stripped.find("<"), stripped.find(">")) if i >= 0), default=-1
                )
                if at >= 0:
                    problems.append(
                        f"{path.name} {doc['location']} {key}: raw markup: "
                        f"{stripped[max(0, at - 60) : at + 80]!r}"
                    )
                texts.append(html.unescape(stripped))
        joined = " ".join(" ".join(texts).split())
        for (place, n), values in built.card.values.items():
            if place in {"variant.name", "prose.title", "benchmark.name", "glossary.definition"}:
                problems += [
                    f"{path.name}: {place} #{n} not in the index as text"
                    for value in values
                    if " ".join(value.split()) not in joined
                ]
    assert not problems, "\n".join(problems[:40])


# ------------------------------------------------------------------------------ browser

CHECK_DOM = """
() => {
  const problems = [];
  const BAD = /^(javascript|vbscript|data|livescript):/i;
  const URLS = new Set(%(urls)s);
  const NEVER = new Set(%(never)s);
  const url = v => (v || '').replace(/[\\u0000-\\u0020\\u007f-\\u00a0]/g, '');
  const show = el => el.outerHTML.slice(0, 200);
  const embedIndex = !!document.querySelector('textarea[readonly]');
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName.toLowerCase();
    // Our offline search shim runs the search worker in a hidden iframe without src.
    const shim = tag === 'iframe' && el.hidden && !el.hasAttribute('src')
      && !el.hasAttribute('srcdoc') && (el.title || '').startsWith('worker: ');
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) problems.push('handler ' + name + ': ' + show(el));
      if (URLS.has(name) && BAD.test(url(a.value))) problems.push(name + ' URL: ' + show(el));
      if (name === 'srcdoc' || name === 'autofocus') problems.push(name + ': ' + show(el));
      if (name === 'style' && %(bad_style)s.test(a.value)) problems.push('style: ' + show(el));
    }
    if (NEVER.has(tag) && !(embedIndex && tag === 'textarea'))
      problems.push('<' + tag + '>: ' + show(el));
    if (tag === 'script') {
      const src = el.getAttribute('src') ?? el.getAttribute('href');  // SVG scripts use href
      const where = src === null ? '' : new URL(src, document.baseURI).href;
      const local = where.startsWith(location.origin + '/')
        || (location.protocol === 'file:' && where.startsWith('file:'));
      if (src !== null && !local) problems.push('script from elsewhere: ' + show(el));
      if (%(marker)s.test(el.textContent)) problems.push('script with card text: ' + show(el));
    }
    if (tag === 'a' && el.protocol && BAD.test(el.protocol)) problems.push('link: ' + show(el));
    if (tag === 'iframe' && !shim && !(embedIndex && el.classList.contains('preview')
                                       && /^[a-z0-9-]+\\.html$/.test(el.getAttribute('src') || '')))
      problems.push('iframe: ' + show(el));
    if (tag === 'base' && el.hasAttribute('href')) problems.push('base href: ' + show(el));
    if (tag === 'meta' && el.hasAttribute('http-equiv')) problems.push('meta: ' + show(el));
    const chromeForm = el.classList.contains('md-search__form')
      || el.classList.contains('md-header__option');
    if (tag === 'form' && (el.hasAttribute('action') || !chromeForm))
      problems.push('form: ' + show(el));
    if (['style', 'link', 'title', 'meta', 'base'].includes(tag) && !el.closest('head')
        && !(tag === 'style' && el.closest('.cardsite-embed'))
        && !(tag === 'title' && el.closest('svg')))
      problems.push('<' + tag + '> outside head: ' + show(el));
    if (tag === 'style' && /alert\\(|javascript:|expression\\(/.test(el.textContent))
      problems.push('style text: ' + show(el));
    const ref = el.getAttribute('href') || el.getAttribute('xlink:href') || '';
    if (tag === 'use' && !ref.startsWith('#')) problems.push('use: ' + show(el));
    const src = url(el.getAttribute('src') || (tag === 'image' ? ref : ''));
    const media = ['img', 'image', 'source', 'video', 'audio'].includes(tag);
    if (media && /^([a-z][a-z0-9+.-]*:)?[/][/]/i.test(src) && !src.startsWith(location.origin))
      problems.push('remote image: ' + show(el));
  }
  return problems;
}
"""
for _key, _value in {
    "%(urls)s": json.dumps(sorted(URL_ATTRIBUTES)),
    "%(never)s": json.dumps(sorted(NEVER_ELEMENTS)),
    "%(bad_style)s": "/" + BAD_STYLE.pattern.replace("/", "\\/") + "/i",
    "%(marker)s": "/" + MARKER.pattern + "/",
}.items():
    CHECK_DOM = CHECK_DOM.replace(_key, _value)

# Events inline handlers listen to, sent to every element (no click: links would navigate).
POKE = """
() => {
  const types = ['mouseover', 'mouseenter', 'mousemove', 'mouseout', 'pointerover',
                 'pointerenter', 'focus', 'focusin', 'blur', 'toggle', 'load', 'error',
                 'animationstart', 'animationend', 'transitionend', 'beginEvent', 'input',
                 'change', 'scroll', 'wheel', 'copy'];
  let n = 0;
  for (const el of document.querySelectorAll('body *')) {
    for (const type of types) {
      try { el.dispatchEvent(new Event(type, {bubbles: false})); } catch (e) {}
    }
    n++;
  }
  return n;
}
"""

HOVER_LIMIT = 12
# Centres of what a reader would point at in the visible part of the page: tooltips, links,
# headings and table cells, in the content, the nav and the header.
HOVER_TARGETS = """
(limit) => {
  const found = [];
  const selector = 'abbr, a, [title], td, th, h1, h2, h3, summary, .md-header__topic';
  for (const el of document.querySelectorAll(selector)) {
    if (found.length >= limit) break;
    if (!el.closest('article, .cardsite-embed, .md-header, .md-nav, body > section')) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight)
      found.push([r.left + r.width / 2, r.top + r.height / 2]);
  }
  return found;
}
"""
SEARCH_WAIT_MS = 30_000  # the worker indexes a large hostile card first


@dataclass
class Visitor:
    """One browsing context that records dialogs, blocked requests and errors across pages."""

    page: Page
    watch: _Watch
    dialogs: list[str]
    visited: list[str]

    def visit(self, url: str, *, hover: bool = True) -> list[str]:
        # The embed index loads 16 fragments in iframes at once: on a busy 2-core machine
        # that can take longer than the context's default timeout.
        self.page.goto(url, wait_until="load", timeout=60_000)
        self.visited.append(url)
        self.interact(hover=hover)
        return self.check_all()

    def check_all(self) -> list[str]:
        """The DOM checks in the page and in each frame that shows a page of ours (the embed
        index previews); the search shim's about:blank frame is cardsite's own."""
        problems = []
        for frame in self.page.frames:
            if frame is self.page.main_frame or frame.url.endswith(".html"):
                problems += [f"{frame.url}: {p}" for p in self.check(frame)]
        return problems

    @staticmethod
    def check(frame: Frame) -> list[str]:
        try:
            return frame.evaluate(CHECK_DOM)
        except Exception as err:  # a frame that went away is not a finding
            return [] if "detached" in str(err).lower() else [f"check failed: {err}"]

    def interact(self, *, hover: bool = True) -> None:
        """Point at what a reader would (first screen and half-way down), press Tab, then send
        every handler-bearing event to every element of every frame."""
        page = self.page
        if hover:
            for scroll in ("0", "document.body.scrollHeight / 2"):
                page.evaluate(f"window.scrollTo(0, {scroll})")
                for x, y in page.evaluate(HOVER_TARGETS, HOVER_LIMIT):
                    page.mouse.move(x, y)
        for _ in range(4):
            page.keyboard.press("Tab")
        for frame in page.frames:
            with suppress(Exception):  # a frame that went away while we poked it
                frame.evaluate(POKE)
        page.wait_for_timeout(50)  # let a timer-driven payload (animate, autofocus) fire

    def search(self, url: str, queries: list[str]) -> list[str]:
        """Material's search, whose results are HTML made from the index, on a fresh page."""
        page = self.page
        page.goto(url, wait_until="load")
        self.visited.append(f"{url} (search)")
        problems = []
        field = page.locator("input.md-search__input")
        for query in queries:
            field.click()
            field.fill(query)
            try:
                page.locator(".md-search-result__item").first.wait_for(timeout=SEARCH_WAIT_MS)
            except Exception:
                problems.append(f"search {query!r}: no results on {page.url}")
                continue
            more = page.locator(".md-search-result__more summary")
            for i in range(min(more.count(), 5)):
                with suppress(Exception):  # out of view: the events below still reach it
                    more.nth(i).click(timeout=1_000)
            for x, y in page.evaluate(
                HOVER_TARGETS.replace("article, ", ".md-search-result, "), HOVER_LIMIT
            ):
                page.mouse.move(x, y)
            page.evaluate(POKE)
            page.wait_for_timeout(50)
            problems += [f"search {query!r}: {p}" for p in self.check(page.main_frame)]
        return problems

    def problems(self) -> list[str]:
        return [f"dialog: {d}" for d in self.dialogs] + self.watch.problems()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def hosted_url(built: Built) -> Iterator[str]:
    with serve_dir(built.site) as url:
        yield url


@contextmanager
def visitor(browser: Browser) -> Iterator[Visitor]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.set_default_timeout(30_000)
    try:
        watch = guard(context)
        page = context.new_page()
        listen(page, watch)
        dialogs: list[str] = []

        def on_dialog(dialog) -> None:
            dialogs.append(f"{page.url}: {dialog.type} {dialog.message!r}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        yield Visitor(page, watch, dialogs, [])
    finally:
        context.close()


def _pages(folder: Path) -> list[Path]:
    """Every page of a built site but the iframe pages (visited with the fragments) and the 404
    page (its assets are addressed from the site URL's path, so they do not load from here; its
    file is checked like every other)."""
    return sorted(
        p
        for p in folder.rglob("*.html")
        if "embed" not in p.relative_to(folder).parts and p.name != "404.html"
    )


def _report(v: Visitor, problems: list[str], what: str) -> None:
    everything = v.problems() + problems
    assert v.visited, f"{what}: nothing visited"
    assert not everything, (
        f"{what}: {len(everything)} problems on {len(v.visited)} pages:\n"
        + "\n".join(everything[:50])
    )


@pytest.mark.browser
def test_hosted_pages_run_no_card_script(browser: Browser, built: Built, hosted_url: str):
    with visitor(browser) as v:
        problems = []
        for path in _pages(built.site):
            rel = path.relative_to(built.site).as_posix()
            problems += v.visit(hosted_url + rel.removesuffix("index.html"))
        problems += v.search(hosted_url, ["alert", "hostile section onerror"])
        _report(v, problems, "hosted site")


@pytest.mark.browser
def test_offline_pages_run_no_card_script(browser: Browser, built: Built):
    with visitor(browser) as v:
        problems = []
        for path in _pages(built.offline):
            problems += v.visit(path.as_uri(), hover=False)
        problems += v.search((built.offline / "index.html").as_uri(), ["alert"])
        _report(v, problems, "offline bundle")


@pytest.mark.browser
def test_embed_fragments_index_and_iframe_pages_run_no_card_script(
    browser: Browser, built: Built, hosted_url: str
):
    fragments = sorted(p for p in built.embed.glob("*.html") if p.name != "index.html")
    iframe_pages = sorted((built.site / "embed").iterdir())
    assert len(fragments) == len(iframe_pages) > 10
    with visitor(browser) as v:
        # The index previews every fragment in a lazy iframe: a tall window loads them all, so
        # one visit runs each fragment as a wiki page would show it.
        v.page.set_viewport_size({"width": 1280, "height": 40_000})
        problems = v.visit((built.embed / "index.html").as_uri(), hover=False)
        shown = [f for f in v.page.frames if f.url.endswith(".html") and f != v.page.main_frame]
        assert len(shown) == len(fragments), [f.url for f in shown]
        for button in v.page.locator("button[data-copy]").all()[:4]:
            button.click()
        v.page.set_viewport_size({"width": 1280, "height": 900})
        for fragment in fragments:
            problems += v.visit(fragment.as_uri(), hover=False)
        for page_dir in iframe_pages:
            problems += v.visit(f"{hosted_url}embed/{page_dir.name}/")
        _report(v, problems, "embed fragments and iframe pages")
