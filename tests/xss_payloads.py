"""Hostile card text: a corpus of XSS payloads and the card fields they are planted in.

Each payload, if it ever ran, calls ``alert(<its number>)``, so a browser dialog names the
payload that got through (those that cannot run a script, like the style trick, the Jinja ones or
a table pipe, are checked by what they would leave in the page instead). :func:`hostile_card`
copies the Llama 3.1 card and writes payloads into every *place*, a kind of field that takes text:
a place's values each get as many payloads as the field's length allows (one-line names at most
300 characters, texts 5,000), dealt so that every payload lands in every place that has room for
it; payloads with a line break go only where text may span lines. Prose sections, table notes,
footnotes and pages are added, one per payload. Ids, figures, URLs and values other fields look
up stay as they are, so the card still validates and builds.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Payload:
    n: int
    """The number the payload's script would pass to ``alert``."""
    name: str
    text: str


_RAW = [
    ("script tag", "<script>alert({n})</script>"),
    ("img onerror", "<img src=x onerror=alert({n})>"),
    ("svg onload", "<svg onload=alert({n})>"),
    ("a javascript: href", '<a href="javascript:alert({n})">x{n}</a>'),
    ("markdown javascript: link", "[x{n}](javascript:alert({n}))"),
    ("markdown javascript: image", "![x{n}](javascript:alert({n}))"),
    ("iframe javascript:", '<iframe src="javascript:alert({n})"></iframe>'),
    ("object data:", '<object data="data:text/html,<script>alert({n})</script>"></object>'),
    ("embed javascript:", '<embed src="javascript:alert({n})">'),
    ("mXSS math/mglyph/style", "<math><mtext><table><mglyph><style><img src=x onerror=alert({n})>"),
    ("style tag url()", "<style>body{{background:url(javascript:alert({n}))}}</style>"),
    (
        "style trick overlay",
        '<span style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:9999;'
        'background:red">xss-overlay alert({n})</span>',
    ),
    ("details ontoggle", "<details open ontoggle=alert({n})>x{n}</details>"),
    ("body onload", "<body onload=alert({n})>"),
    ("attribute breakout script", '"><script>alert({n})</script>'),
    ("single-quote handler", "' onmouseover='alert({n})"),
    ("jinja expression", "{{{{ 7*7 }}}} {{{{ alert({n}) }}}}"),
    ("jinja raw block", "{{% raw %}}{{{{ self }}}} alert({n}){{% endraw %}}"),
    ("jinja ssti", "{{{{ self.__init__.__globals__ }}}} {{% print('alert({n})') %}}"),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert({n})">'),
    ("base href", '<base href="javascript:alert({n})//">'),
    ("form action", "<form action=javascript:alert({n})><button>x{n}</button></form>"),
    ("input autofocus", "<input autofocus onfocus=alert({n})>"),
    ("entity-escaped script", "&lt;script&gt;alert({n})&lt;/script&gt;"),
    ("entity title breakout", "&lt;/title&gt;&lt;script&gt;alert({n})&lt;/script&gt;"),
    ("nested script", "<scr<script>ipt>alert({n})</scr</script>ipt>"),
    ("markdown javascript&colon; link", "[x{n}](javascript&colon;alert({n}))"),
    ("html javascript&colon; href", '<a href="javascript&colon;alert({n})">x{n}</a>'),
    ("tab-split javascript: href", '<a href="jav&#x09;ascript:alert({n})">x{n}</a>'),
    ("mixed-case javascript: href", '<a href=" JaVaScRiPt:alert({n})">x{n}</a>'),
    ("data: URL link", '<a href="data:text/html,<script>alert({n})</script>">x{n}</a>'),
    (
        "svg use data:",
        "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
        "<image href='x' onerror='alert({n})'/></svg>#x\"></use></svg>",
    ),
    ("attr_list inline", 'x{n} {{ onclick="alert({n})" }}'),
    ("attr_list on its own line", 'x{n}\n{{: onmouseover="alert({n})" tabindex="0" }}'),
    ("abbr onmouseover", '<abbr title="x{n}" onmouseover="alert({n})">x{n}</abbr>'),
    ("textarea breakout", "</textarea><script>alert({n})</script>"),
    ("CDATA end", "]]><script>alert({n})</script>"),
    ("commented script", "<!--<script>alert({n})</script>-->"),
    ("comment breakout", "--><script>alert({n})</script><!--"),
    ("noscript mXSS", '<noscript><p title="</noscript><img src=x onerror=alert({n})>">'),
    ("svg style mXSS", "<svg><style><img src=x onerror=alert({n})></style></svg>"),
    ("svg animate onbegin", "<svg><animate onbegin=alert({n}) attributeName=x dur=1s>"),
    ("markdown reference link", "[x{n}][r{n}]\n\n[r{n}]: javascript:alert({n})"),
    ("markdown autolink", "<javascript:alert({n})>"),
    (
        "markdown image alt breaking out of an attribute",
        "![x onmouseover=alert({n}) style=display:block y](https://example.org/x.png)",
    ),
    ("unicode-escaped handler", '<img src="x" onerror="\\u0061lert({n})">'),
    ("title breakout", "</title><script>alert({n})</script>"),
    ("code span in an attribute", 'a `b" onmouseover="alert({n})` c'),
    ("style breakout", "</style><script>alert({n})</script>"),
    ("link import", '<link rel="stylesheet" href="javascript:alert({n})">'),
    (
        "allowed tag, handler attribute",
        '<a href="https://example.org/" title="x{n}" onclick="alert({n})">x{n}</a>',
    ),
    (
        "allowed style property beside a loading one",
        '<span style="text-decoration:underline;background:url(javascript:alert({n}))">x{n}</span>',
    ),
    ("entity-encoded javascript: href", '<a href="&#106;avascript:alert({n})">x{n}</a>'),
    # Markdown structure: card text that would end a link, split a table or name an anchor
    (
        "link breakout with a remote image",
        ")[CLICK{n}](javascript:alert({n}))![t](https://evil.example/track{n}.png",
    ),
    ("table pipe", "a | b {n} | alert({n})"),
    ("escaped table pipe", "a \\| b {n} \\| alert({n})"),
    ("pipe as a character reference", "a &#124; b {n} &#124; alert({n})"),
    ("attr_list id of a generated heading", "x{n} {{: #variants }} alert({n})"),
    ("remote image", "![t{n}](https://evil.example/track{n}.png) alert({n})"),
    ("autolink to a remote host", "<https://evil.example/{n}> alert({n})"),
    ("heading marker", "## x{n} alert({n}) ##"),
    ("html comment opener", "<!-- alert({n})"),
]

PAYLOADS: list[Payload] = [
    Payload(n, name, template.format(n=n)) for n, (name, template) in enumerate(_RAW, start=101)
]
"""Every payload; numbers start at 101 so no other number on a page passes for one."""

BY_NUMBER = {p.n: p for p in PAYLOADS}


# ----------------------------------------------------------------------------- places

NAME_LENGTH = 300  # cardsite.card.limits.MAX_NAME
TEXT_LENGTH = 5_000  # cardsite.card.limits.MAX_TEXT


@dataclass(frozen=True)
class Slot:
    """One value of a card that takes text: ``container[key]`` is a string (or absent)."""

    container: Any
    key: Any


@dataclass(frozen=True)
class Place:
    """A kind of card field: its file, how to find each of its values in the parsed YAML, and
    whether it is a one-line name (at most 300 characters) or a text."""

    name: str
    file: str
    slots: Callable[[Any], list[Slot]]
    one_line: bool = True

    @property
    def room(self) -> int:
        return NAME_LENGTH if self.one_line else TEXT_LENGTH


def _each(items: list[dict[str, Any]], key: str) -> list[Slot]:
    return [Slot(item, key) for item in items]


def _family(*path: str) -> Callable[[Any], list[Slot]]:
    def slots(data: Any) -> list[Slot]:
        container = data["family"]
        for key in path[:-1]:
            container = container[key]
        return [Slot(container, path[-1])]

    return slots


def _rows(data: Any) -> list[dict[str, Any]]:
    return [row for table in data["results"] for row in table["rows"]]


def _columns(data: Any) -> list[Slot]:
    return [Slot(table["columns"], key) for table in data["results"] for key in table["columns"]]


def _subsets(data: Any) -> list[dict[str, Any]]:
    return [s for row in _rows(data) for s in row.get("subsets", [])]


def _missing_marks(data: Any) -> list[Slot]:
    """Cells without a score: ``not_reported`` becomes ``{mark: ..., reason: not_reported}``."""
    slots = []
    for row in _rows(data):
        missing = row.get("missing", {})
        for variant, reason in list(missing.items()):
            missing[variant] = {"mark": "", "reason": reason}
            slots.append(Slot(missing[variant], "mark"))
    return slots


PLACES: list[Place] = [
    # family.yaml
    Place("family.name", "family.yaml", _family("name")),
    Place("family.developer", "family.yaml", _family("developer")),
    Place("family.release_date", "family.yaml", _family("release_date")),
    Place("family.version", "family.yaml", _family("version")),
    Place("family.status", "family.yaml", _family("status"), one_line=False),
    Place("family.summary", "family.yaml", _family("summary"), one_line=False),
    Place("license.name", "family.yaml", _family("license", "name")),
    Place("license.summary", "family.yaml", _family("license", "summary"), one_line=False),
    Place("fact.label", "family.yaml", lambda d: _each(d["family"]["facts"], "label")),
    Place(
        "fact.value", "family.yaml", lambda d: _each(d["family"]["facts"], "value"), one_line=False
    ),
    Place("language.name", "family.yaml", lambda d: _each(d["family"]["languages"], "name")),
    Place(
        "language.native_name",
        "family.yaml",
        lambda d: _each(d["family"]["languages"], "native_name"),
    ),
    Place("link.title", "family.yaml", lambda d: _each(d["family"]["links"], "title")),
    Place(
        "comparison_family.name", "family.yaml", lambda d: _each(d["comparison_families"], "name")
    ),
    Place(
        "comparison_family.note",
        "family.yaml",
        lambda d: _each(d["comparison_families"], "note"),
        one_line=False,
    ),
    Place("glossary.title", "family.yaml", lambda d: _each(d["glossary"], "title")),
    Place(
        "glossary.definition",
        "family.yaml",
        lambda d: _each(d["glossary"], "definition"),
        one_line=False,
    ),
    # variants.yaml (own and comparison variants)
    Place("variant.name", "variants.yaml", lambda d: _each(d["variants"], "name")),
    Place(  # a comparison model's size is printed nowhere
        "variant.size",
        "variants.yaml",
        lambda d: [Slot(v, "size") for v in d["variants"] if not v.get("comparison")],
    ),
    # results.yaml
    Place("category.name", "results.yaml", lambda d: _each(d["categories"], "name")),
    Place(
        "category.description",
        "results.yaml",
        lambda d: _each(d["categories"], "description"),
        one_line=False,
    ),
    Place("table.title", "results.yaml", lambda d: _each(d["results"], "title")),
    Place("table.column_label", "results.yaml", _columns),
    Place("benchmark.name", "results.yaml", lambda d: _each(_rows(d), "name")),
    Place("benchmark.group", "results.yaml", lambda d: _each(_rows(d), "group")),
    Place("benchmark.shots", "results.yaml", lambda d: _each(_rows(d), "shots")),
    Place("subset.name", "results.yaml", lambda d: _each(_subsets(d), "name")),
    Place("missing.mark", "results.yaml", _missing_marks),
    # tables.yaml
    Place("data_table.title", "tables.yaml", lambda d: _each(d["tables"], "title")),
    Place(
        "data_table.column",
        "tables.yaml",
        lambda d: [Slot(c, "label") for t in d["tables"] for c in t["columns"]],
    ),
    Place(
        "data_table.row_label",
        "tables.yaml",
        lambda d: [Slot(r["cells"], 0) for t in d["tables"] for r in t["rows"]],
    ),
]
"""Fields whose values are plain text (ids, figures, URLs and lookup keys are left alone)."""

# Places that grow with the corpus: the hostile card gets new entries for each payload.
PROSE_MARKDOWN = "prose.markdown"
PROSE_TITLE = "prose.title"
TABLE_NOTE = "table.note"
FOOTNOTE = "footnote.text"
PAGE_TITLE = "page.title"
GROWING_PLACES = [PROSE_MARKDOWN, PROSE_TITLE, TABLE_NOTE, FOOTNOTE, PAGE_TITLE]
PROSE_PAGES = ["overview", "training", "intended-use", "safety", "benchmarks"]
# Prose is Markdown: each payload is tried alone, inside a sentence, and in a list and a quote.
PROSE_WRAPPERS = [
    "{p}\n",
    "Text before {p} and after, **bold** and a [link](https://example.org/).\n",
    "- first item\n- {p}\n- last item\n\n> quoted {p}\n",
]
JOIN = " ~ "


def all_places() -> list[str]:
    return [p.name for p in PLACES] + GROWING_PLACES


def fits(place: Place, payload: Payload) -> bool:
    return not (place.one_line and "\n" in payload.text)


@dataclass
class HostileCard:
    """A copy of the card with payloads written in."""

    path: Path
    values: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    """(place, payload number) -> every value the payload was written into, as written."""

    @property
    def placed(self) -> set[tuple[str, int]]:
        return set(self.values)

    def record(self, place: str, numbers: list[int], value: str) -> None:
        for n in numbers:
            self.values.setdefault((place, n), []).append(value)


def deal(place: Place, slots: list[Slot]) -> list[list[int]]:
    """Payload numbers for each slot: each payload that fits the place goes to the slot with
    the most room left (a value's original text counts), cycling over the slots when there are
    more slots than payloads. A place with little room (one name, 300 characters) takes the
    Markdown-structure payloads first, then as many others as fit."""
    candidates = sorted((p for p in PAYLOADS if fits(place, p)), key=lambda p: -p.n)
    used = [len(_value(slot)) for slot in slots]
    dealt: list[list[int]] = [[] for _ in slots]
    for i, payload in enumerate(candidates):
        many = len(slots) >= len(candidates)  # one payload a slot
        j = i if many else min(range(len(slots)), key=lambda k: used[k])
        if used[j] + len(JOIN) + len(payload.text) > place.room:
            continue
        dealt[j].append(payload.n)
        used[j] += len(JOIN) + len(payload.text)
    for j in range(len(candidates), len(slots)):  # the rest of many slots: cycle again
        dealt[j].append(candidates[j % len(candidates)].n)
    return dealt


def _value(slot: Slot) -> str:
    try:
        return str(slot.container[slot.key] or "")
    except (KeyError, IndexError):
        return ""


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data: Any) -> None:
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )


def hostile_card(source: Path, path: Path) -> HostileCard:
    """A copy of the card at ``source`` in ``path`` with every payload in every place."""
    card = HostileCard(Path(shutil.copytree(source, path)))
    files = sorted({p.file for p in PLACES} | {"prose.yaml"})
    data = {name: _load(card.path / name) for name in files}
    data["family.yaml"]["family"]["version"] = "1.0"
    for row in _rows(data["results.yaml"]):
        row["group"] = "Group"

    for place in PLACES:
        slots = place.slots(data[place.file])
        for slot, numbers in zip(slots, deal(place, slots), strict=True):
            if not numbers:
                continue
            joined = JOIN.join(BY_NUMBER[n].text for n in numbers)
            original = _value(slot)
            value = f"{original} {joined}" if original else joined
            slot.container[slot.key] = value
            card.record(place.name, numbers, value)

    sections = data["prose.yaml"]["sections"]
    pages = data["prose.yaml"].setdefault("pages", [])
    tables = data["results.yaml"]["results"]
    for i, payload in enumerate(PAYLOADS):
        for w, wrapper in enumerate(PROSE_WRAPPERS):
            title = f"Hostile section {payload.n}.{w} {payload.text}"
            if "\n" in payload.text:
                title = f"Hostile section {payload.n}.{w}"
            else:
                card.record(PROSE_TITLE, [payload.n], title)
            markdown = wrapper.format(p=payload.text)
            sections.append(
                {
                    "id": f"hostile-{payload.n}-{w}",
                    "title": title,
                    "level": 2 + (i + w) % 3,
                    "page": PROSE_PAGES[(i + w) % len(PROSE_PAGES)],
                    "markdown": markdown,
                    "source": "hostile test data",
                }
            )
            card.record(PROSE_MARKDOWN, [payload.n], markdown)
        table = tables[i % len(tables)]
        note = f"Note {payload.n}: {payload.text}"
        table.setdefault("notes", []).append(note)
        card.record(TABLE_NOTE, [payload.n], note)
        footnote = f"Footnote {payload.n}: {payload.text}"
        table.setdefault("footnotes", []).append({"mark": f"h{payload.n}", "text": footnote})
        card.record(FOOTNOTE, [payload.n], footnote)
    chunks: list[list[Payload]] = [[]]
    for payload in (p for p in PAYLOADS if "\n" not in p.text):
        if len(JOIN.join(x.text for x in [*chunks[-1], payload])) > NAME_LENGTH - 12:
            chunks.append([])
        chunks[-1].append(payload)
    for k, chunk in enumerate(chunks):
        title = f"Page {k} " + JOIN.join(p.text for p in chunk)
        pages.append({"id": f"hostile-page-{k}", "title": title, "section": title})
        sections.append(
            {
                "id": f"hostile-page-{k}-text",
                "title": "Text",
                "page": f"hostile-page-{k}",
                "markdown": "Text.\n",
            }
        )
        card.record(PAGE_TITLE, [p.n for p in chunk], title)

    for name, content in data.items():
        _dump(card.path / name, content)
    return card
