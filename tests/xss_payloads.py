"""Hostile card text: a corpus of XSS payloads and the card fields they are planted in.

Each payload, if it ever ran, calls ``alert(<its number>)``, so a browser dialog names the
payload that got through (those that cannot run a script, like the style trick or the Jinja
ones, are checked by what they would leave in the page instead). :func:`hostile_card` copies the
Llama 3.1 card and writes every payload into every *place*, a kind of field that takes text: a
place with fewer values than there are payloads gets several payloads joined in each value (with
the original text first, so names stay unique), one with more gets each payload at least once.
Prose sections and table notes are added, one per payload (prose: one per payload and wrapper).
Ids, figures, URLs and values other fields look up stay as they are, so the card still
validates and builds.
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
]

PAYLOADS: list[Payload] = [
    Payload(n, name, template.format(n=n)) for n, (name, template) in enumerate(_RAW, start=101)
]
"""Every payload; numbers start at 101 so no other number on a page passes for one."""

BY_NUMBER = {p.n: p for p in PAYLOADS}


# ----------------------------------------------------------------------------- places


@dataclass(frozen=True)
class Slot:
    """One value of a card that takes text: ``container[key]`` is a string."""

    container: Any
    key: Any


@dataclass(frozen=True)
class Place:
    """A kind of card field: its file and how to find each of its values in the parsed YAML."""

    name: str
    file: str
    slots: Callable[[Any], list[Slot]]


def _each(items: list[dict[str, Any]], key: str) -> list[Slot]:
    return [Slot(item, key) for item in items if isinstance(item.get(key), str)]


def _values(mapping: dict[str, Any]) -> list[Slot]:
    return [Slot(mapping, key) for key in mapping]


def _family(*path: str) -> Callable[[Any], list[Slot]]:
    def slots(data: Any) -> list[Slot]:
        container = data["family"]
        for key in path[:-1]:
            container = container[key]
        return [Slot(container, path[-1])]

    return slots


PLACES: list[Place] = [
    # family.yaml
    Place("family.name", "family.yaml", _family("name")),
    Place("family.developer", "family.yaml", _family("developer")),
    Place("family.architecture", "family.yaml", _family("architecture")),
    Place("family.status", "family.yaml", _family("status")),
    Place("model_information.label", "family.yaml", _family("model_information", "label")),
    Place(
        "model_information.training_data",
        "family.yaml",
        _family("model_information", "training_data"),
    ),
    Place("license.name", "family.yaml", _family("license", "name")),
    Place("license.summary", "family.yaml", _family("license", "summary")),
    Place(
        "language.name", "family.yaml", lambda d: _each(d["family"]["supported_languages"], "name")
    ),
    Place(
        "language.native_name",
        "family.yaml",
        lambda d: _each(d["family"]["supported_languages"], "native_name"),
    ),
    Place("link.title", "family.yaml", lambda d: _each(d["family"]["links"], "title")),
    Place(
        "comparison_family.name", "family.yaml", lambda d: _each(d["comparison_families"], "name")
    ),
    Place(
        "comparison_family.note", "family.yaml", lambda d: _each(d["comparison_families"], "note")
    ),
    # variants.yaml (own and comparison variants)
    Place("variant.name", "variants.yaml", lambda d: _each(d["variants"], "name")),
    # benchmarks.yaml
    Place("category.name", "benchmarks.yaml", lambda d: _each(d["categories"], "name")),
    Place(
        "category.description", "benchmarks.yaml", lambda d: _each(d["categories"], "description")
    ),
    Place("table.title", "benchmarks.yaml", lambda d: _each(d["tables"], "title")),
    Place(
        "table.column_label",
        "benchmarks.yaml",
        lambda d: [s for t in d["tables"] for s in _values(t["column_labels"])],
    ),
    Place("benchmark.name", "benchmarks.yaml", lambda d: _each(d["benchmarks"], "name")),
    Place("benchmark.shots", "benchmarks.yaml", lambda d: _each(d["benchmarks"], "shots")),
    Place("glossary.title", "benchmarks.yaml", lambda d: _each(d["glossary"], "title")),
    Place("glossary.definition", "benchmarks.yaml", lambda d: _each(d["glossary"], "definition")),
    # results.yaml
    Place("result.language_label", "results.yaml", lambda d: _each(d["results"], "language_label")),
    # training.yaml
    Place("training.hardware", "training.yaml", lambda d: [Slot(d["training"], "hardware")]),
    Place(
        "training.column_label", "training.yaml", lambda d: _values(d["training"]["column_labels"])
    ),
    Place("training.row_label", "training.yaml", lambda d: _each(d["training"]["rows"], "label")),
]
"""Fields whose values are plain text (ids, figures, URLs and lookup keys are left alone)."""

# Places that grow with the corpus: the hostile card gets new entries for each payload.
PROSE_MARKDOWN = "prose.markdown"
PROSE_TITLE = "prose.title"
TABLE_NOTE = "table.note"
GROWING_PLACES = [PROSE_MARKDOWN, PROSE_TITLE, TABLE_NOTE]
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


def deal(slots: int) -> list[list[int]]:
    """Payload numbers for each of ``slots`` values so that every payload gets a value: one each
    (cycling) when there are enough values, else several, dealt round-robin."""
    numbers = [p.n for p in PAYLOADS]
    if slots >= len(numbers):
        return [[numbers[j % len(numbers)]] for j in range(slots)]
    return [numbers[j::slots] for j in range(slots)]


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

    for place in PLACES:
        slots = place.slots(data[place.file])
        for slot, numbers in zip(slots, deal(len(slots)), strict=True):
            joined = JOIN.join(BY_NUMBER[n].text for n in numbers)
            original = slot.container[slot.key]
            value = f"{original} {joined}" if original else joined
            slot.container[slot.key] = value
            card.record(place.name, numbers, value)

    sections = data["prose.yaml"]["sections"]
    tables = data["benchmarks.yaml"]["tables"]
    for i, payload in enumerate(PAYLOADS):
        for w, wrapper in enumerate(PROSE_WRAPPERS):
            title = f"Hostile section {payload.n}.{w} {payload.text}"
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
            card.record(PROSE_TITLE, [payload.n], title)
            card.record(PROSE_MARKDOWN, [payload.n], markdown)
        note = f"Note {payload.n}: {payload.text}"
        tables[i % len(tables)].setdefault("notes", []).append(note)
        card.record(TABLE_NOTE, [payload.n], note)

    for name, content in data.items():
        _dump(card.path / name, content)
    return card
