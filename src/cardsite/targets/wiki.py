"""Wiki pages in GitHub-flavoured Markdown (``dist/wiki/``), for wikis that take Markdown.

GitHub and GitLab wikis, Azure DevOps and Wiki.js render Markdown and strip most raw HTML, so
the HTML fragments of :mod:`cardsite.targets.embed` lose their tables' explanations, charts and
styling there. These pages say the same in plain GFM instead. They are converted from the same
cut article as the fragments (one cut per page, see :func:`embed.extract_fragment`), so the
wiki can never say something the hosted page does not.

What the conversion keeps, and how:

* headings, paragraphs, lists, emphasis, code, block quotes; admonitions become block quotes
  headed by their title; footnote lists stay lists;
* tables become GFM tables, one line per row, pipes escaped. A cell without a score shows the
  card's mark alone, so score columns hold nothing but what the card prints; why each mark is
  there is listed once under the table;
* a chart becomes its SVG file (``charts/<id>.svg``, copied from the site) as an image, its
  caption as text, and its data table as a GFM table;
* links between wiki pages become ``<page>.md#<anchor>``, the anchor being the one GitHub
  derives from the target heading's text (GFM has no custom heading ids). Links to pages the
  wiki does not hold go to the hosted site when its URL is known, else become plain text.
  http(s) links are kept; every other scheme becomes plain text.

Card text stays inert: every character GFM could read as syntax (``*_[]<>|~#$`` and friends,
URL and ``www.`` autolinks, entity references, list markers at the start of a line) is
escaped, so it renders as written and forms no link, image or HTML element. Escapes cannot stop
GFM from linking an e-mail address, so one gets an empty comment after its ``@``: the only HTML
written, and one the wikis drop. Emphasis GFM would not read as such (``**"x"**y``) is left out,
its text kept.
"""

from __future__ import annotations

import functools
import logging
import re
import shutil
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import lxml.html
from lxml.html import HtmlElement

from cardsite.pages.plan import CHARTS_DIR
from cardsite.targets.embed import LINK_SLOT_ATTR, EmbedPage

log = logging.getLogger(__name__)

HOME_PAGE = "Home.md"
"""The page listing the others. GitHub wikis show ``Home`` as their front page."""
CHART_ATTR = "data-cs-chart"
"""Set on a chart's ``<figure>`` by the page templates: the chart's id, naming its SVG file."""

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = {
    *_HEADINGS,
    "p",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "hr",
    "div",
    "figure",
    "details",
    "section",
    "article",
}
_DROPPED = {"script", "style", "svg", "img", "template", "noscript", "summary"}
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
# What GFM reads as syntax anywhere in a line; escaped with a backslash wherever card text goes.
_SPECIALS = re.compile(r"[\\`*_\[\]<>|~#$]")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_URL_SCHEME = re.compile(r"(?i)\b(https?|ftp|mailto|xmpp)(?=:)")
_WWW = re.compile(r"(?i)\b(www)\.")
# An e-mail address as GFM finds one (a domain with a dot before a letter or digit). Escapes do
# not stop it (cmark-gfm joins the text back before it looks); an empty comment after the "@"
# does, and the wikis drop the comment.
_EMAIL_AT = re.compile(r"(?<=[0-9A-Za-z.+_-])@(?=[0-9A-Za-z._-]*\.[0-9A-Za-z])")
# What opens a block at the start of a line: list items, setext underlines, thematic breaks.
_LINE_START = re.compile(r"^(?:[-+](?=\s|$)|[-=]+\s*$|\d{1,9}(?=[.)](?:\s|$)))")
_BREAK = "\x00"
"""Stands for ``<br>`` until the block it is in decides: a hard break or a space."""
# Emphasis is written as OPEN delimiter START text END delimiter CLOSE until its neighbours are
# known (see _resolve_emphasis); the innermost one matches first.
_OPEN, _START, _END, _CLOSE = "\x01", "\x02", "\x03", "\x04"
_EMPHASIS = re.compile(r"\x01(\*\*|\*|~~)\x02([^\x01-\x04]+)\x03\1\x04")
_EMPHASIS_MARKS = {_OPEN, _START, _END, _CLOSE}
_CODE_SPACE, _CODE_OPEN, _CODE_CLOSE = "\x05", "\x06", "\x07"
"""Code is written as OPEN text CLOSE, its spaces apart from those collapsed between words,
until _collapse fences it (two code elements side by side become one span)."""
_CODE = re.compile(r"\x06([^\x06\x07]*)\x07")
_OUR_MARKS = re.compile(r"[\x00-\x07]")
_ORDERED = re.compile(r"\d+\. ")
_ALIGN = re.compile(r"text-align:\s*(left|right|center)")
_BACKTICKS = re.compile(r"`+")
_WORDY = {"Nd", "Nl", "Pc"}
"""Unicode categories besides letters and marks that heading anchors keep."""

LinkFor = Callable[[str, str], str | None]
"""(target page URL, anchor id on that page) -> the link to write, or None for plain text."""


# --------------------------------------------------------------------------- escaping


def escape_text(text: str) -> str:
    """Text as GFM that renders as exactly this text: no emphasis, link, image, HTML, table
    cell boundary, strikethrough, math or autolink can form from it. Whitespace is left as is
    (the caller collapses it); what opens a block at a line's start is :func:`_escape_line`'s."""
    return "@<!-- -->".join(_escape_part(part) for part in _EMAIL_AT.split(text))


def _escape_part(text: str) -> str:
    text = _SPECIALS.sub(r"\\\g<0>", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _URL_SCHEME.sub(r"\1\\", text)
    text = _WWW.sub(r"\1\\.", text)
    # "!" right before a link we write would make it an image
    return text[:-1] + "\\!" if text.endswith("!") else text


def _escape_line(line: str) -> str:
    """A paragraph line such as ``- x``, ``+ x``, ``1. x``, ``---`` or ``===`` would open a
    list, draw a rule or underline a heading: escape its first character (after the digits)."""
    match = _LINE_START.match(line)
    if match is None:
        return line
    at = match.end() if match[0][0].isdigit() else 0
    return f"{line[:at]}\\{line[at:]}"


def code_span(text: str) -> str:
    """``text`` as a code span: a fence of backticks longer than any run inside it, and a space
    inside each fence when the text starts or ends with a backtick or a space (GFM drops one)."""
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    if text[0] in "` " or text[-1] in "` ":
        text = f" {text} "
    return f"{fence}{text}{fence}"


def link_destination(url: str) -> str:
    """A URL fit for ``[text](url)``: nothing in it can end the link early."""
    return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")


def _one_line(text: str) -> str:
    return _HTML_SPACE.sub(" ", text).strip()


def _resolve_emphasis(text: str) -> str:
    """Write each emphasis as delimiters around its text where GFM reads them so, else as its
    text alone. GFM does not when a delimiter touches another of its kind (``**a****b**``), has
    a space inside, or punctuation inside and a letter outside (``**"x"**y``): CommonMark's
    flanking rules."""
    while match := _EMPHASIS.search(text):
        start, end = match.span()
        delimiter, inner = match[1], match[2]
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        touches = before == delimiter[0] or after == delimiter[0]
        touches |= before == _CLOSE and text[start - 2] == delimiter[0]
        touches |= after == _OPEN and text[end + 1] == delimiter[0]
        opens = not inner[0].isspace() and (
            not _is_punctuation(inner[0]) or _is_space_or_punctuation(before)
        )
        closes = not inner[-1].isspace() and (
            not _is_punctuation(inner[-1]) or _is_space_or_punctuation(after)
        )
        kept = f"{delimiter}{inner}{delimiter}" if opens and closes and not touches else inner
        text = text[:start] + kept + text[end:]
    return text


def _is_punctuation(c: str) -> bool:
    return c in string.punctuation or unicodedata.category(c)[0] == "P"


def _is_space_or_punctuation(c: str) -> bool:
    """Whether a character outside a delimiter lets punctuation inside it count. Read
    narrowly: cmark-gfm does not count ``~`` here, and a marker stands for another emphasis
    that may yet be dropped."""
    if c in _EMPHASIS_MARKS or c == "~":
        return False
    return c.isspace() or c == _BREAK or _is_punctuation(c)


# --------------------------------------------------------------------------- heading anchors


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading with this text: lower case, each space a hyphen, and
    only letters, marks, digits, letter numbers, ``_``-like connectors and ``-`` kept (GitHub
    also keeps the few symbols Unicode counts as alphabetic, such as circled letters; this
    drops them)."""
    return "".join(
        "-" if c == " " else c
        for c in text.lower()
        if c in " -" or unicodedata.category(c)[0] in "LM" or unicodedata.category(c) in _WORDY
    )


@dataclass
class Slugger:
    """GitHub's anchors for one page's headings in order: a repeated one gets ``-1``, ``-2``."""

    seen: dict[str, int] = field(default_factory=dict)

    def slug(self, text: str) -> str:
        base = slug = github_slug(text)
        while slug in self.seen:
            self.seen[base] += 1
            slug = f"{base}-{self.seen[base]}"
        self.seen[slug] = 0
        return slug


def heading_anchors(article: HtmlElement) -> dict[str, str]:
    """{HTML id of each heading: the anchor GitHub gives the same heading in the wiki page}."""
    slugger = Slugger()
    anchors: dict[str, str] = {}
    for heading in article.iter(*_HEADINGS):
        text = _one_line(heading.text_content())
        if not text:
            continue  # not written: an empty heading would be no heading
        slug = slugger.slug(text)
        if heading.get("id"):
            anchors.setdefault(str(heading.get("id")), slug)
    return anchors


# --------------------------------------------------------------------------- conversion


@dataclass
class _Missing:
    """Why the cells of one table show a mark instead of a value, in first-seen order."""

    column: str = ""
    notes: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def add(self, mark: str, why: str) -> None:
        columns = self.notes.setdefault((mark, why), [])
        if self.column not in columns:
            columns.append(self.column)


@dataclass
class PageConverter:
    """Turns one page's cut article into GFM.

    ``link_for`` resolves the article's internal links (the slots the cut left); ``chart_for``
    maps a chart id to the image path to write, or None when its file is missing.
    """

    link_for: LinkFor
    chart_for: Callable[[str], str | None]
    _missing: _Missing | None = field(default=None, init=False, repr=False)
    """The table being converted, collecting why its cells show marks; None outside tables."""

    def convert(self, article: HtmlElement) -> str:
        return "\n\n".join(self.blocks(article)) + "\n"

    # ------------------------------------------------------------------ blocks

    def blocks(self, parent: HtmlElement) -> list[str]:
        """The Markdown blocks of an element's content: block children in turn, and each run
        of text and inline children between them as one paragraph."""
        out: list[str] = []
        run: list[str] = [_text(parent.text)]
        for child in parent:
            if isinstance(child.tag, str) and child.tag in _BLOCKS:
                _append(out, self._paragraph(run))
                run = []
                _append(out, self.block(child))
            else:
                run.append(self.inline(child))
            run.append(_text(child.tail))
        return _append(out, self._paragraph(run))

    def block(self, el: HtmlElement) -> list[str]:
        tag = el.tag
        if tag in _HEADINGS:
            text = self.inline_content(el)
            return [f"{'#' * _HEADINGS[tag]} {text}"] if text else []
        if tag == "p":
            return self._paragraph([self._inner(el)])
        if tag in {"ul", "ol"}:
            return self._list(el)
        if tag == "blockquote":
            return _quote(self.blocks(el))
        if tag == "pre":
            return [_fenced(el.text_content())]
        if tag == "table":
            return self._table(el)
        if tag == "hr":
            return ["---"]
        if tag == "figure":
            return self._figure(el)
        if tag == "details":
            summary = el.find("summary")
            title = self.inline_content(summary) if summary is not None else ""
            return ([f"**{title}**"] if title else []) + self.blocks(el)
        if "admonition" in el.classes:
            return self._admonition(el)
        return self.blocks(el)  # div, section, article: their content

    def _paragraph(self, pieces: list[str]) -> list[str]:
        """Inline pieces as one paragraph: a line per ``<br>``, none opening a block."""
        text = _resolve_emphasis(_collapse("".join(pieces)))
        lines = [line.strip(" ") for line in text.split(_BREAK)]
        text = "\\\n".join(_escape_line(line) for line in lines if line)
        return [text] if text else []

    def _list(self, el: HtmlElement) -> list[str]:
        items = [li for li in el if li.tag == "li"]
        loose = any(child.tag == "p" for li in items for child in li)
        gap = "\n\n" if loose else "\n"
        start = int(el.get("start", "1")) if el.get("start", "1").isdigit() else 1
        rendered = []
        for number, li in enumerate(items, start):
            marker = f"{number}." if el.tag == "ol" else "-"
            lines = gap.join(self.blocks(li)).split("\n")
            indent = " " * (len(marker) + 1)
            rest = "".join(f"\n{indent}{line}" if line else "\n" for line in lines[1:])
            rendered.append(f"{marker} {lines[0]}".rstrip() + rest)
        return [gap.join(rendered)] if rendered else []

    def _admonition(self, el: HtmlElement) -> list[str]:
        """A note box: a block quote whose first line is the box's title, in bold."""
        title = el.find("p[@class='admonition-title']")
        heading = self.inline_content(title) if title is not None else ""
        if title is not None:
            title.drop_tree()
        return _quote(([f"**{heading}**"] if heading else []) + self.blocks(el))

    def _figure(self, figure: HtmlElement) -> list[str]:
        """A chart: its SVG file as an image, then its caption as text."""
        caption_el = figure.find("figcaption")
        caption = self.inline_content(caption_el) if caption_el is not None else ""
        svg = next(figure.iter("svg"), None)
        alt = (svg.get("aria-label") if svg is not None else None) or (
            _one_line(caption_el.text_content()) if caption_el is not None else ""
        )
        chart_id = figure.get(CHART_ATTR)
        src = self.chart_for(chart_id) if chart_id else None
        if src is None:
            log.warning("wiki: a chart (%s) has no SVG file to show; only its caption is kept", alt)
        image = [f"![{escape_text(_one_line(alt))}]({link_destination(src)})"] if src else []
        return image + ([f"*{caption}*"] if caption else [])

    def _table(self, table: HtmlElement) -> list[str]:
        """A GFM table (the first row is its header), then why cells show a mark."""
        rows = list(table.iter("tr"))
        if not rows:
            return []
        head = [c for c in rows[0] if c.tag in {"th", "td"}]
        columns = [_one_line(c.text_content()) for c in head]
        self._missing = _Missing()
        try:
            cells = [self._cells(tr, columns) for tr in rows]
            missing = self._missing
        finally:
            self._missing = None
        width = max(len(row) for row in cells)
        aligns = [_alignment(c) for c in head] + ["---"] * (width - len(head))
        header, *body = [row + [""] * (width - len(row)) for row in cells]
        lines = [_row(header), _row(aligns), *(_row(row) for row in body)]
        return ["\n".join(lines), *_missing_notes(missing)]

    def _cells(self, tr: HtmlElement, columns: list[str]) -> list[str]:
        """A row's cells on one line each; a cell spanning columns is followed by empty ones
        (GFM has no spans)."""
        assert self._missing is not None
        cells: list[str] = []
        for cell in (c for c in tr if c.tag in {"th", "td"}):
            self._missing.column = columns[len(cells)] if len(cells) < len(columns) else ""
            cells.append(self.inline_content(cell))
            span = cell.get("colspan", "1")
            cells += [""] * (int(span) - 1 if span.isdigit() and int(span) > 1 else 0)
        return cells

    # ------------------------------------------------------------------ inline

    def inline_content(self, el: HtmlElement) -> str:
        """An element's text and inline children on one line (a ``<br>`` as a space), for a
        heading, a table cell or a caption."""
        return _resolve_emphasis(_collapse(self._inner(el).replace(_BREAK, " ")).strip(" "))

    def inline(self, el: HtmlElement) -> str:
        if not isinstance(el.tag, str):  # a comment or processing instruction
            return ""
        tag = el.tag
        if tag in _DROPPED:
            return ""
        if tag == "br":
            return _BREAK
        if tag in {"strong", "b"}:
            return _wrap("**", self._inner(el))
        if tag in {"em", "i"}:
            return _wrap("*", self._inner(el))
        if tag in {"del", "s"}:
            return _wrap("~~", self._inner(el))
        if tag == "code":
            code = _HTML_SPACE.sub(" ", _OUR_MARKS.sub("", el.text_content()))
            if self._missing is not None:  # GFM splits a row at every unescaped pipe
                code = code.replace("|", "\\|")
            return f"{_CODE_OPEN}{code.replace(' ', _CODE_SPACE)}{_CODE_CLOSE}" if code else ""
        if tag == "a":
            return self._link(el)
        if "cs-missing" in el.classes:
            return self._missing_cell(el)
        return self._inner(el)  # abbr, span, sub, sup, u and the like: their text

    def _inner(self, el: HtmlElement, *, leave_out: str = "") -> str:
        """The element's content as Markdown, without its children of class ``leave_out``."""
        return _text(el.text) + "".join(
            ("" if leave_out and leave_out in c.classes else self.inline(c)) + _text(c.tail)
            for c in el
        )

    def _link(self, a: HtmlElement) -> str:
        # A vague link's address for screen readers (cs-sr): a wiki link shows it already.
        text = self._inner(a, leave_out="cs-sr")
        slot = a.get(LINK_SLOT_ATTR)
        if slot is not None:
            target, _, anchor = slot.partition("#")
            href = self.link_for(target, anchor)
        else:
            href = a.get("href")
            if href is not None and urlsplit(href).scheme.lower() not in {"http", "https"}:
                href = None
        if href is None or not text.strip():
            return text
        lead, core, trail = _split_space(text)
        return f"{lead}[{core}]({link_destination(href)}){trail}"

    def _missing_cell(self, span: HtmlElement) -> str:
        """A cell without a score: in a table, the card's mark alone (the reason goes under
        the table); in running text, the mark and the reason, as the screen reader says it."""
        if self._missing is None:
            return self._inner(span)
        sr = span.find("span[@class='cs-sr']")
        shown = [span.text or ""]
        for child in span:
            shown += [child.text_content() if child is not sr else "", child.tail or ""]
        mark = _one_line("".join(shown))
        why = _one_line(span.get("title") or (sr.text_content().strip(" ()") if sr else ""))
        if why:
            self._missing.add(mark, why)
        return escape_text(mark)


# --------------------------------------------------------------------------- small helpers


def _text(text: str | None) -> str:
    """A text node: whitespace collapsed as HTML shows it, escaped; our markers removed."""
    if not text:
        return ""
    text = _OUR_MARKS.sub("", text)
    return escape_text(_HTML_SPACE.sub(" ", text))


def _collapse(text: str) -> str:
    """One space between words, as HTML shows them, and code fenced, its spaces as they are."""
    text = re.sub(" {2,}", " ", text).replace(_CODE_CLOSE + _CODE_OPEN, "")
    return _CODE.sub(lambda m: code_span(m[1].replace(_CODE_SPACE, " ")), text)


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip(" ")
    if not core:
        return text, "", ""
    lead = text[: len(text) - len(text.lstrip(" "))]
    trail = text[len(text.rstrip(" ")) :]
    return lead, core, trail


def _wrap(delimiter: str, text: str) -> str:
    """Emphasis around text, spaces kept outside (``** x**`` would not be emphasis), marked
    for :func:`_resolve_emphasis`."""
    lead, core, trail = _split_space(text)
    if not core:
        return text
    return f"{lead}{_OPEN}{delimiter}{_START}{core}{_END}{delimiter}{_CLOSE}{trail}"


def _append(out: list[str], blocks: list[str]) -> list[str]:
    """Add blocks after ``out``'s; a list right after another list of its kind gets the other
    marker (``*``, ``1)``), or GFM would read the two as one list."""
    for block in blocks:
        if out and out[-1].startswith("- ") and block.startswith("- "):
            block = re.sub(r"(?m)^- ", "* ", block)
        elif out and _ORDERED.match(out[-1]) and _ORDERED.match(block):
            block = re.sub(r"(?m)^(\d+)\. ", r"\1) ", block)
        out.append(block)
    return out


def _quote(blocks: list[str]) -> list[str]:
    lines = "\n\n".join(blocks).split("\n")
    return ["\n".join(f"> {line}" if line else ">" for line in lines)] if blocks else []


def _fenced(code: str) -> str:
    runs = (len(run) for run in _BACKTICKS.findall(code))
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}\n{code.rstrip(chr(10))}\n{fence}"


def _alignment(cell: HtmlElement) -> str:
    """A column's GFM alignment, from its header cell (a chart's data table marks numbers)."""
    match = _ALIGN.search(cell.get("style", ""))
    align = match[1] if match else cell.get("align", "")
    if not align and "cs-num" in cell.classes:
        align = "right"
    return {"left": ":---", "right": "---:", "center": ":---:"}.get(align, "---")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _missing_notes(missing: _Missing) -> list[str]:
    """Under a table: why its cells without a value show their mark, each reason once."""
    if not missing.notes:
        return []
    items = []
    for (mark, why), columns in missing.notes.items():
        where = ", ".join(c for c in columns if c)
        label = f"“{escape_text(mark)}”" + (f" in {escape_text(where)}" if where else "")
        ending = "" if why.endswith((".", "!", "?")) else "."
        items.append(f"- {label}: {escape_text(why)}{ending}")
    return ["Cells without a value:", "\n".join(items)]


# --------------------------------------------------------------------------- the whole wiki


def parse_article(body: str) -> HtmlElement:
    """A fragment body (see :func:`embed.extract_fragment`) as one element to walk."""
    return lxml.html.fragment_fromstring(body, create_parent="article")


def write_wiki(
    bodies: dict[str, str],
    pages: list[EmbedPage],
    site_dir: Path,
    out_dir: Path,
    site_url: str | None,
    title: str,
) -> None:
    """``out_dir/<name>.md`` per embeddable page, their charts under ``out_dir/charts/``, and
    ``out_dir/Home.md`` listing the pages.

    ``bodies`` maps each page's name to :func:`embed.extract_fragment`'s result; charts are
    copied from the built hosted site in ``site_dir``.
    """
    if site_url and urlsplit(site_url).scheme.lower() not in {"http", "https"}:
        site_url = None  # the wiki links nowhere but the web and itself
    articles = {page.name: parse_article(bodies[page.name]) for page in pages}
    links = WikiLinks(
        names={page.url: page.name for page in pages},
        anchors={page.url: heading_anchors(articles[page.name]) for page in pages},
        site_url=site_url.rstrip("/") + "/" if site_url else None,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    for page in pages:
        converter = PageConverter(
            link_for=functools.partial(links.resolve, page),
            chart_for=functools.partial(_copy_chart, site_dir / page.prefix, out_dir, page),
        )
        markdown = converter.convert(articles[page.name])
        (out_dir / f"{page.name}.md").write_text(markdown, encoding="utf-8", newline="\n")
    home = home_page(pages, title, links.site_url)
    (out_dir / HOME_PAGE).write_text(home, encoding="utf-8", newline="\n")
    log.debug("wiki: %d pages in %s", len(pages), out_dir)


@dataclass(frozen=True)
class WikiLinks:
    """Where the wiki's internal links go: to its own pages when it holds the target, else to
    the hosted site when there is one, else nowhere (plain text)."""

    names: dict[str, str]
    """Hosted page URL -> wiki page name."""
    anchors: dict[str, dict[str, str]]
    """Hosted page URL -> {heading id on the hosted page: its anchor in the wiki page}."""
    site_url: str | None

    def resolve(self, here: EmbedPage, target: str, anchor: str) -> str | None:
        if target in self.names:
            slug = self.anchors[target].get(anchor, "") if anchor else ""
            if target == here.url and slug:
                return f"#{slug}"
            return f"{self.names[target]}.md" + (f"#{slug}" if slug else "")
        if self.site_url is None:
            return None
        return f"{self.site_url}{target}" + (f"#{anchor}" if anchor else "")


def _copy_chart(card_dir: Path, out_dir: Path, page: EmbedPage, chart_id: str) -> str | None:
    """Copy a chart's SVG from the site beside the wiki pages; returns its path relative to
    them, or None when the site has no such chart."""
    source = card_dir / CHARTS_DIR / f"{chart_id}.svg"
    if "/" in chart_id or chart_id.startswith(".") or not source.is_file():
        return None
    relative = f"{CHARTS_DIR}/{page.prefix}{chart_id}.svg"
    target = out_dir / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return relative


def home_page(pages: list[EmbedPage], title: str, site_url: str | None) -> str:
    """The wiki's front page, titled ``title``: each page of the wiki, in the site's order."""
    lines = [f"# {escape_text(title)}", ""]
    intro = "The model card's pages, generated by cardsite from the card's data"
    if site_url:
        intro += f"; the full site, with comparisons and downloads: [{escape_text(site_url)}]"
        intro += f"({link_destination(site_url)})"
    lines += [intro + ".", ""]
    lines += [f"- [{escape_text(page.title)}]({page.name}.md)" for page in pages]
    return "\n".join(lines) + "\n"
