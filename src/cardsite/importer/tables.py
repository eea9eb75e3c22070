"""Parse a card's Markdown and HTML into an outline: headings, prose blocks, notes and tables.

Markdown is parsed by markdown-it-py (CommonMark with the GFM table rule), HTML by lxml. Every
table, whether a pipe table, an HTML ``<table>`` or a pipe table inside a fenced code block
(evaluation-harness output), becomes a :class:`Grid`: rows of :class:`Cell` with ``rowspan``
and ``colspan`` expanded the way a browser lays them out, so that later steps see a rectangle.
Cells keep their text as printed (``<br>`` as a space, ``<sup>`` markers glued to the value),
whether they are bold or italic, their links and their source line.

Nothing here decides what a table means; :mod:`cardsite.importer.interpret` does.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from typing import Literal

import lxml.etree
import lxml.html
from markdown_it import MarkdownIt
from markdown_it.token import Token

from cardsite.card import limits

MAX_SPAN = 1000
"""Largest rowspan/colspan honoured; larger values are clamped (a malformed table)."""

_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MARKER = re.compile(r"^(?:\*{1,3}|[†‡§¶#]{1,3}|[0-9]{1,2}|[a-z])$")


class TableError(Exception):
    """A table too large to be a model card's; the message is one sentence."""


@dataclass
class Cell:
    text: str
    line: int
    bold: bool = False
    italic: bool = False
    header: bool = False
    links: tuple[tuple[str, str], ...] = ()
    spanned: bool = False
    """A copy laid out by a rowspan or colspan of the cell above or to the left."""
    colspan: int = 1
    rowspan: int = 1
    stacked: tuple[str, ...] = ()
    """The cell's lines when ``<br>`` stacks several values in it (``80.6<br>80.4``)."""


@dataclass
class Grid:
    kind: Literal["pipe", "html", "fenced"]
    rows: list[list[Cell]]
    header_rows: int
    line: int
    end_line: int
    declared_rows: int | None = None
    """A rowspan in the first body row that reaches past the table's last row."""

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Block:
    """One piece of the document in order."""

    kind: Literal["heading", "prose", "table", "note", "fence"]
    line: int
    end_line: int
    text: str = ""
    """Heading text, or the plain text of a prose block or note."""
    level: int = 0
    grid: Grid | None = None
    after_table: bool = False
    """A note or prose block that directly follows a table (no blank line or heading between
    them counts as directly, as does a blockquote or small-print HTML right after it)."""
    markers: list[str] = field(default_factory=list)
    fence_lines: list[str] = field(default_factory=list)


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def outline(body: str, first_line: int) -> list[Block]:
    """The blocks of a Markdown body whose first line is ``first_line`` of the document."""
    tokens = _md().parse(body)
    lines = body.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        start, end = _lines(tok, first_line)
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            text, *_ = _inline_text(inline.children or [])
            blocks.append(Block("heading", start, end, text=text, level=int(tok.tag[1:])))
            i += 3
            continue
        if tok.type == "table_open":
            close = _closing(tokens, i, "table_close")
            grid = _pipe_grid(tokens[i : close + 1], first_line, "pipe")
            if grid is not None:
                blocks.append(Block("table", grid.line, grid.end_line, grid=grid))
            i = close + 1
            continue
        if tok.type == "html_block":
            # A type-6 HTML block ends at a blank line, so a <table> with blank lines inside
            # arrives in pieces: join consecutive HTML blocks before parsing.
            j = i
            end_line = end
            while j + 1 < len(tokens) and tokens[j + 1].type == "html_block":
                j += 1
                end_line = _lines(tokens[j], first_line)[1]
            html = "\n".join(lines[start - first_line : end_line - first_line + 1])
            blocks.extend(_html_blocks(html, start, end_line))
            i = j + 1
            continue
        if tok.type == "fence":
            content = tok.content
            grids = _fenced_grids(content, start + 1) if "|" in content else []
            if grids:
                for grid in grids:
                    blocks.append(Block("table", grid.line, grid.end_line, grid=grid))
                # lines of the fence that are not tables ("Average: 76.00%") stay available
                blocks.append(
                    Block("fence", start, end, text=content, fence_lines=content.split("\n"))
                )
            else:
                blocks.append(Block("prose", start, end, text="```"))
            i += 1
            continue
        if tok.type == "blockquote_open":
            close = _closing(tokens, i, "blockquote_close")
            text = _plain(tokens[i : close + 1])
            blocks.append(Block("note", start, end, text=text))
            i = close + 1
            continue
        if tok.type in ("paragraph_open", "bullet_list_open", "ordered_list_open"):
            closing = tok.type.replace("_open", "_close")
            close = _closing(tokens, i, closing)
            text = _plain(tokens[i : close + 1])
            blocks.append(Block("prose", start, end, text=text))
            i = close + 1
            continue
        if tok.map is not None:
            blocks.append(Block("prose", start, end, text=""))
        i += 1
    _mark_after_table(blocks, lines, first_line)
    return blocks


def _lines(tok: Token, first_line: int) -> tuple[int, int]:
    if tok.map is None:
        return first_line, first_line
    return tok.map[0] + first_line, tok.map[1] + first_line - 1


def _closing(tokens: list[Token], i: int, kind: str) -> int:
    depth = 0
    opening = tokens[i].type
    for j in range(i, len(tokens)):
        if tokens[j].type == opening:
            depth += 1
        elif tokens[j].type == kind:
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def _plain(tokens: list[Token]) -> str:
    parts: list[str] = []
    for tok in tokens:
        if tok.type == "inline":
            parts.append(_inline_text(tok.children or [])[0])
    return " ".join(p for p in parts if p)


def _mark_after_table(blocks: list[Block], lines: list[str], first_line: int) -> None:
    """Notes and small print that sit directly under a table belong to it: a blockquote or
    small-print HTML with nothing but empty HTML (``</div>``) between, or a paragraph glued to
    the table's last line."""
    last_table: Block | None = None
    for block in blocks:
        if block.kind == "table":
            last_table = block
            continue
        if last_table is None:
            continue
        if block.kind == "note":
            block.after_table = True
            continue
        if block.kind == "prose" and not block.text:
            continue  # an empty HTML block (</div>) between a table and its notes
        if block.kind == "prose" and block.line <= last_table.end_line + 1:
            block.after_table = True
        last_table = None


# ---------------------------------------------------------------------------- inline text


def inline_plain(markdown: str) -> str:
    """The text a run of inline Markdown prints: ``llama3\\_3 *x*`` -> ``llama3_3 x``."""
    (inline,) = _md().parseInline(markdown) or [None]
    return _inline_text(inline.children or [])[0] if inline is not None else ""


def _inline_text(children: list[Token]) -> tuple[str, bool, bool, tuple[tuple[str, str], ...]]:
    """Text of a Markdown inline run as printed, and whether it is all bold / all italic."""
    text, bold, italic, links, _ = _inline_parts(children)
    return text, bold, italic, links


def _inline_parts(
    children: list[Token],
) -> tuple[str, bool, bool, tuple[tuple[str, str], ...], tuple[str, ...]]:
    """:func:`_inline_text` and, when ``<br>`` breaks the run, the text of each line."""
    out: list[tuple[str, bool, bool, bool]] = []  # text, bold, italic, sup
    breaks: list[int] = []  # positions in ``out`` where a <br> starts a new line
    bold = italic = 0
    sup = 0
    links: list[tuple[str, str]] = []
    href: str | None = None
    link_text: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            out.append((child.content, bold > 0, italic > 0, sup > 0))
            if href is not None:
                link_text.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append((" ", bold > 0, italic > 0, False))
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold = max(bold - 1, 0)
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic = max(italic - 1, 0)
        elif kind == "link_open":
            href = str(child.attrs.get("href") or "")
            link_text = []
        elif kind == "link_close":
            if href:
                links.append(("".join(link_text).strip(), href))
            href = None
        elif kind == "image":
            alt = child.content or ""
            if alt:
                out.append((alt, bold > 0, italic > 0, sup > 0))
        elif kind == "html_inline":
            tag = child.content.strip().lower()
            name = re.match(r"</?\s*([a-z0-9]+)", tag)
            if name is None:
                continue
            closing = tag.startswith("</")
            tag_name = name.group(1)
            if tag_name == "br":
                breaks.append(len(out))
                out.append((" ", bold > 0, italic > 0, False))
            elif tag_name in ("strong", "b"):
                bold = max(bold - 1, 0) if closing else bold + 1
            elif tag_name in ("em", "i"):
                italic = max(italic - 1, 0) if closing else italic + 1
            elif tag_name in ("sup", "sub"):
                if closing:
                    sup = max(sup - 1, 0)
                else:
                    sup += 1
                    out.append(("\x00", bold > 0, italic > 0, True))  # start of a sup run
    lines: tuple[str, ...] = ()
    if breaks:
        cuts = [0, *breaks, len(out)]
        lines = tuple(_compose(out[a:b])[0] for a, b in itertools.pairwise(cuts))
    return (*_compose(out), tuple(links), lines)


def _compose(parts: list[tuple[str, bool, bool, bool]]) -> tuple[str, bool, bool]:
    """Join text runs: a superscript run that is a footnote marker at the end of the cell is
    glued to the value (``72.7`` + ``<sup>*</sup>`` -> ``72.7*``, ``<sup>1</sup>`` -> ``¹``);
    any other superscript reads as words (``(non-thinking)``)."""
    runs: list[tuple[str, bool]] = []  # (text, is_sup)
    bold_chars = italic_chars = total = 0
    for text, bold, italic, sup in parts:
        if text == "\x00":
            runs.append(("", True))
            continue
        if sup and runs and runs[-1][1]:
            runs[-1] = (runs[-1][0] + text, True)
        else:
            runs.append((text, sup))
        visible = len(text.strip())
        total += visible
        bold_chars += visible if bold else 0
        italic_chars += visible if italic else 0
    # glue trailing marker superscripts
    pieces: list[str] = []
    for index, (text, sup) in enumerate(runs):
        if not sup:
            pieces.append(text)
            continue
        marker = text.strip()
        trailing = all(not t.strip() for t, _ in runs[index + 1 :])
        if marker and _MARKER.match(marker) and trailing and "".join(pieces).strip():
            glued = marker.translate(_SUPERSCRIPT_DIGITS) if marker.isdigit() else marker
            if re.fullmatch(r"[a-z]", marker):
                glued = "^" + marker
            pieces = ["".join(pieces).rstrip() + glued]
        else:
            pieces.append(" " + text + " ")
    joined = " ".join("".join(pieces).split())
    return joined, total > 0 and bold_chars == total, total > 0 and italic_chars == total


# ---------------------------------------------------------------------------- pipe tables


def _pipe_grid(
    tokens: list[Token], first_line: int, kind: Literal["pipe", "fenced"]
) -> Grid | None:
    rows: list[list[Cell]] = []
    header_rows = 0
    in_head = False
    row_line = first_line
    current: list[Cell] | None = None
    for tok in tokens:
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            row_line = _lines(tok, first_line)[0]
            current = []
        elif tok.type == "tr_close" and current is not None:
            rows.append(current)
            if in_head:
                header_rows += 1
            current = None
            if len(rows) > limits.MAX_ROWS:
                raise TableError(
                    f"a table at line {_lines(tokens[0], first_line)[0]} has more than "
                    f"{limits.MAX_ROWS:,} rows; no model card table is that long"
                )
        elif tok.type == "inline" and current is not None:
            text, bold, italic, links, lines = _inline_parts(tok.children or [])
            current.append(
                Cell(
                    text,
                    row_line,
                    bold=bold,
                    italic=italic,
                    header=in_head,
                    links=links,
                    stacked=lines if not in_head else (),
                )
            )
    if not rows:
        return None
    start, end = _lines(tokens[0], first_line)
    rows = [*rows[:header_rows], *(r for row in rows[header_rows:] for r in _unstack(row))]
    return Grid(kind, _rectangle(rows), header_rows, start, end)


def _unstack(row: list[Cell]) -> list[list[Cell]]:
    """A row whose cells stack several rows with ``<br>`` (``MGSM<br>MATH`` over
    ``80.6<br>80.4``): one row per line; a cell of one line (the category) holds for all."""
    counts = [len([p for p in c.stacked]) for c in row if c.text]
    many = [n for n in counts if n > 1]
    if len(many) < 2 or len(set(many)) != 1 or any(n not in (0, many[0]) for n in counts):
        return [row]
    k = many[0]
    out: list[list[Cell]] = []
    for i in range(k):
        new: list[Cell] = []
        for cell in row:
            if len(cell.stacked) == k:
                new.append(replace(cell, text=cell.stacked[i], stacked=(), bold=False))
            else:
                new.append(replace(cell, spanned=cell.spanned or (i > 0 and bool(cell.text))))
        out.append(new)
    return out


def _rectangle(rows: list[list[Cell]]) -> list[list[Cell]]:
    width = max(len(r) for r in rows)
    for row in rows:
        line = row[0].line if row else 0
        while len(row) < width:
            row.append(Cell("", line, header=bool(row and row[0].header)))
    return rows


def _fenced_grids(content: str, first_line: int) -> list[Grid]:
    """Pipe tables printed inside a fenced code block (evaluation-harness output)."""
    tokens = _md().parse(content)
    grids: list[Grid] = []
    i = 0
    while i < len(tokens):
        if tokens[i].type == "table_open":
            close = _closing(tokens, i, "table_close")
            grid = _pipe_grid(tokens[i : close + 1], first_line, "fenced")
            if grid is not None:
                grid.kind = "fenced"
                grids.append(grid)
            i = close + 1
        else:
            i += 1
    return grids


# ---------------------------------------------------------------------------- HTML


def _html_blocks(html: str, first_line: int, end_line: int) -> list[Block]:
    """Tables inside a run of HTML blocks (and a note for ``<sup>`` small print after one)."""
    if "<table" not in html.lower():
        text = _html_plain(html)
        if text and re.match(r"^\s*<(sup|sub|small|p)\b", html, re.I):
            return [Block("note", first_line, end_line, text=text)]
        return [Block("prose", first_line, end_line, text=text)]
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return [Block("prose", first_line, end_line, text="")]
    blocks: list[Block] = []
    for table in root.iter("table"):
        if any(a.tag == "table" for a in table.iterancestors()):
            continue  # a table nested in a cell is read as that cell's text
        grid = _html_grid(table, first_line)
        if grid is not None:
            grid.end_line = max(grid.end_line, grid.line)
            blocks.append(Block("table", grid.line, grid.end_line, grid=grid))
    if not blocks:
        return [Block("prose", first_line, end_line, text="")]
    # small print after the last table inside the same HTML run
    tail = html.lower().rsplit("</table>", 1)
    if len(tail) == 2 and tail[1].strip():
        rest = html[len(html) - len(tail[1]) :]
        text = _html_plain(rest)
        if text:
            last = blocks[-1].end_line
            blocks.append(Block("note", last + 1, end_line, text=text, after_table=True))
    return blocks


def _html_plain(html: str) -> str:
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    return " ".join(_element_text(root)[0].split())


def _html_grid(table: lxml.html.HtmlElement, first_line: int) -> Grid | None:
    raw_rows: list[tuple[list[tuple[Cell, int, int]], bool]] = []
    for tr in table.iter("tr"):
        owner = next((a for a in tr.iterancestors() if a.tag == "table"), None)
        if owner is not table:
            continue
        in_head = any(a.tag == "thead" for a in tr.iterancestors() if a is not table)
        cells: list[tuple[Cell, int, int]] = []
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            text, bold, italic, links = _element_text(td)
            line = first_line + (td.sourceline or tr.sourceline or 1) - 1
            rowspan = _span(td.get("rowspan"))
            colspan = _span(td.get("colspan"))
            cell = Cell(
                " ".join(text.split()),
                line,
                bold=bold,
                italic=italic,
                header=in_head or td.tag == "th",
                links=links,
                colspan=colspan,
                rowspan=rowspan,
            )
            cells.append((cell, rowspan, colspan))
        all_th = bool(cells) and all(c.header for c, _, _ in cells)
        raw_rows.append((cells, in_head or all_th))
        if len(raw_rows) > limits.MAX_ROWS:
            raise TableError(
                f"a table at line {first_line + (table.sourceline or 1) - 1} has more than "
                f"{limits.MAX_ROWS:,} rows; no model card table is that long"
            )
    raw_rows = [r for r in raw_rows if r[0]]
    if not raw_rows:
        return None
    rows, declared = _expand(raw_rows)
    header_rows = 0
    for _, is_head in raw_rows:
        if not is_head:
            break
        header_rows += 1
    start = first_line + (table.sourceline or 1) - 1
    end = max(c.line for r in rows for c in r)
    grid = Grid("html", rows, header_rows, start, end)
    grid.declared_rows = declared
    return grid


def _span(value: str | None) -> int:
    if not value:
        return 1
    digits = re.sub(r"[^0-9]", "", value)
    if not digits:
        return 1
    return max(1, min(int(digits[:6]), MAX_SPAN))


def _expand(
    raw_rows: list[tuple[list[tuple[Cell, int, int]], bool]],
) -> tuple[list[list[Cell]], int | None]:
    """Lay cells out as a browser does: a rowspan fills the rows below, a colspan the columns
    to the right; spans reaching past the table are cut (and the first such is reported)."""
    grid: dict[tuple[int, int], Cell] = {}
    declared: int | None = None
    n_rows = len(raw_rows)
    header_rows = sum(1 for _, h in raw_rows if h)
    for r, (cells, _) in enumerate(raw_rows):
        c = 0
        for cell, rowspan, colspan in cells:
            while (r, c) in grid:
                c += 1
            if r + rowspan > n_rows and r == max(header_rows, 1) and declared is None:
                declared = rowspan
            for dr in range(min(rowspan, n_rows - r)):
                for dc in range(min(colspan, limits.MAX_COLUMNS * 4)):
                    if (r + dr, c + dc) in grid:
                        continue
                    copy = cell if dr == 0 and dc == 0 else _copy(cell)
                    grid[(r + dr, c + dc)] = copy
            c += colspan
    width = max((c for _, c in grid), default=-1) + 1
    rows: list[list[Cell]] = []
    for r in range(n_rows):
        line = next((grid[(r, c)].line for c in range(width) if (r, c) in grid), 0)
        row = [grid.get((r, c)) or Cell("", line) for c in range(width)]
        rows.append(row)
    return rows, declared


def _copy(cell: Cell) -> Cell:
    return Cell(
        cell.text,
        cell.line,
        bold=cell.bold,
        italic=cell.italic,
        header=cell.header,
        links=cell.links,
        spanned=True,
        colspan=cell.colspan,
        rowspan=cell.rowspan,
    )


def _element_text(
    element: lxml.html.HtmlElement,
) -> tuple[str, bool, bool, tuple[tuple[str, str], ...]]:
    """An HTML cell's text as printed, with the same rules as a Markdown cell."""
    parts: list[tuple[str, bool, bool, bool]] = []
    links: list[tuple[str, str]] = []

    def walk(el: lxml.html.HtmlElement, bold: bool, italic: bool, sup: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag:
            if tag in ("strong", "b"):
                bold = True
            elif tag in ("em", "i"):
                italic = True
            elif tag in ("sup", "sub"):
                sup = True
                parts.append(("\x00", bold, italic, True))
            elif tag == "br":
                parts.append((" ", bold, italic, False))
            elif tag == "img":
                alt = el.get("alt") or ""
                if alt:
                    parts.append((alt, bold, italic, sup))
            elif tag in ("p", "div", "li", "ul", "ol", "tr"):
                parts.append((" ", bold, italic, False))
            if el.text:
                parts.append((el.text, bold, italic, sup))
            for child in el:
                walk(child, bold, italic, sup)
            if tag == "a" and el.get("href"):
                links.append((" ".join(el.text_content().split()), el.get("href") or ""))
            if tag in ("sup", "sub"):
                parts.append(("", bold, italic, False))
        if el.tail and el is not element:
            outer_bold, outer_italic, outer_sup = _context(el, element)
            parts.append((el.tail, outer_bold, outer_italic, outer_sup))

    walk(element, False, False, False)
    text, bold, italic = _compose(parts)
    return text, bold, italic, tuple(links)


def _context(el: lxml.html.HtmlElement, stop: lxml.html.HtmlElement) -> tuple[bool, bool, bool]:
    """Whether the text after ``el`` (its tail) is inside bold, italic or superscript."""
    bold = italic = sup = False
    for ancestor in el.iterancestors():
        if ancestor is stop:
            break
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        bold = bold or tag in ("strong", "b")
        italic = italic or tag in ("em", "i")
        sup = sup or tag in ("sup", "sub")
    return bold, italic, sup
