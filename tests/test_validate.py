"""``cardsite validate``: a catalogue of broken cards, each refused with a located, plain message.

Every case copies the real Llama 3.1 card, breaks it in one way and checks the command's answer:
exit code 1, a line ``<file>:<line>:<col>: <yaml.path>: <message>`` naming the right file, the
line the break is on (found in the broken text, never hard-coded), the YAML path, and words a
person understands; never a Python traceback. A few cases also run as the real command line.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from cardsite.card import limits
from cardsite.card.problems import display_path
from cardsite.card.yamlsource import MAX_DEPTH, MAX_NODES
from cardsite.cli import main
from tests.conftest import CARD_DIR, copy_card, make_project, run_cardsite

Mutate = Callable[[Path], None]
Line = Callable[[Path], int]


# ------------------------------------------------------------------------------ helpers


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` occurrence of ``needle`` in ``text``."""
    at = -1
    for _ in range(nth):
        at = text.find(needle, at + 1)
        assert at >= 0, f"{needle!r} not found {nth} time(s)"
    return text.count("\n", 0, at) + 1


def edit(name: str, old: str, new: str, nth: int = 1) -> Mutate:
    """Replace the ``nth`` occurrence of ``old`` in card file ``name`` (which must hold it)."""

    def mutate(card: Path) -> None:
        path = card / name
        text = path.read_text(encoding="utf-8")
        at = -1
        for _ in range(nth):
            at = text.find(old, at + 1)
            assert at >= 0, f"{old!r} not in {name}: has the card changed?"
        path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")

    return mutate


def edit_bytes(name: str, change: Callable[[bytes], bytes]) -> Mutate:
    def mutate(card: Path) -> None:
        path = card / name
        before = path.read_bytes()
        after = change(before)
        assert after != before
        path.write_bytes(after)

    return mutate


def append(name: str, text: str) -> Mutate:
    def mutate(card: Path) -> None:
        with (card / name).open("a", encoding="utf-8") as stream:
            stream.write(text)

    return mutate


def write(name: str, content: str | bytes) -> Mutate:
    def mutate(card: Path) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        (card / name).write_bytes(data)

    return mutate


def at(name: str, needle: str, nth: int = 1) -> Line:
    """Expected line: where ``needle`` is in the broken file."""
    return lambda card: line_of((card / name).read_text(encoding="utf-8"), needle, nth)


def at_byte(name: str, needle: bytes) -> Line:
    def line(card: Path) -> int:
        raw = (card / name).read_bytes()
        index = raw.find(needle)
        assert index >= 0
        return raw.count(b"\n", 0, index) + 1

    return line


def first_line(card: Path) -> int:
    return 1


@dataclass(frozen=True)
class Case:
    id: str
    file: str  # the card file the message must name ("" for the card folder itself)
    mutate: Mutate
    line: Line
    path: str  # the YAML path as printed
    words: tuple[str, ...]  # what a person reads, in the message part of that line

    @property
    def param(self) -> object:
        return pytest.param(self, id=self.id)


def located(stderr: str, file: str, line: int, path: str, words: tuple[str, ...]) -> str:
    """The stderr line for ``file:line`` at ``path`` holding ``words``; fails with context."""
    prefix = re.compile(rf"^{re.escape(file)}:{line}:(\d+): {re.escape(path)}: (.*)$")
    candidates = [m for m in map(prefix.match, stderr.splitlines()) if m]
    assert candidates, f"no problem at {file}:{line} for {path!r} in:\n{stderr}"
    for match in candidates:
        assert int(match.group(1)) >= 1
        message = match.group(2)
        if all(word.lower() in message.lower() for word in words):
            return message
    raise AssertionError(f"no message at {file}:{line} {path} with {words} in:\n{stderr}")


def validate(card: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", str(card)])
    captured = capsys.readouterr()
    assert captured.out == "", "validate writes nothing to stdout"
    return code, captured.err


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert not re.search(r"^\w+(Error|Exception): ", stderr, re.MULTILINE), stderr


# ----------------------------------------------------------------------- broken content

F, V, R, T, P = ("family.yaml", "variants.yaml", "results.yaml", "tables.yaml", "prose.yaml")

BILLION_LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)


def _swap_license_for_list(card: Path) -> None:
    path = card / F
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(r"  license:\n(?:    .*\n)+", '  license: ["Llama 3.1 Community"]\n', text)
    assert count == 1
    path.write_text(new, encoding="utf-8")


def _list_at_top(card: Path) -> None:
    write(R, "# a list, not a mapping\n- results: []\n- categories: []\n")(card)


def _link_outside(card: Path) -> None:
    outside = card.parent / "elsewhere.yaml"
    (card / R).replace(outside)
    (card / R).symlink_to(outside)


def _link_loop(card: Path) -> None:
    (card / R).unlink()
    (card / R).symlink_to(R)


def _folder_for_file(card: Path) -> None:
    (card / R).unlink()
    (card / R).mkdir()


def _remove(name: str) -> Mutate:
    return lambda card: (card / name).unlink()


def _huge(card: Path) -> None:
    """A 50 MB results.yaml: the real one, then a comment padding it out."""
    with (card / R).open("a", encoding="utf-8") as stream:
        block = "# " + "x" * 1021 + "\n"  # 1 KiB
        for _ in range(50 * 1024):
            stream.write(block)


SCORE = '          llama-3-8b: "66.7"\n'  # the first score of results.yaml (MMLU, Llama 3 8B)
LICENSE_URL = (
    "    url: https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE\n"
)
FIRST_LINK = (
    "      url: https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE\n"
)


def score(value: str) -> Mutate:
    return edit(R, SCORE, f"          llama-3-8b: {value}\n")


def with_range(bounds: str) -> Mutate:
    """A range for the first row (MMLU, pretrained)."""
    first = "        headline: true\n"
    return edit(R, first, f"{first}        range: {bounds}\n")


def both(*mutations: Mutate) -> Mutate:
    def mutate(card: Path) -> None:
        for mutation in mutations:
            mutation(card)

    return mutate


def _section(section_id: str, page: str, markdown: str = "Text.") -> str:
    return (
        f'\n  - id: {section_id}\n    title: "Added"\n    page: {page}\n    markdown: {markdown}\n'
    )


def _many_rows(count: int) -> Mutate:
    """``count`` more benchmark rows, spread over new tables (one column each)."""

    def mutate(card: Path) -> None:
        tables = []
        for t in range(0, count, 500):
            rows = "".join(
                f'      - {{id: extra-{t + i}, name: "Extra {t + i}", '
                f'scores: {{llama-3-1-8b: "1.0"}}}}\n'
                for i in range(min(500, count - t))
            )
            tables.append(
                f'  - id: extra-table-{t}\n    title: "Extra {t}"\n    category: general\n'
                f'    columns: {{llama-3-1-8b: "8B"}}\n    rows:\n{rows}'
            )
        append(R, "".join(tables))(card)

    return mutate


def _more_variants(count: int) -> Mutate:
    text = "".join(
        f'\n  - id: added-{i}\n    name: "Added {i}"\n    kind: pretrained\n' for i in range(count)
    )
    return append(V, text)


def _long_facts(card: Path) -> None:
    """190 facts of 4,900 characters: 0.9 M characters repeated on the home page and on each
    of 26 variant pages (24 M in all)."""
    facts = "".join(f'    - label: "Fact {i}"\n      value: "{"x" * 4_900}"\n' for i in range(190))
    edit(F, "  facts:\n", "  facts:\n" + facts)(card)
    _more_variants(20)(card)


def _many_pages(card: Path) -> None:
    """950 pages of the card's own, each with a section, and 250 more variants: 1,220 pages."""
    pages = "".join(f'  - {{id: extra-{i}, title: "Extra {i}"}}\n' for i in range(950))
    sections = "".join(_section(f"extra-{i}", f"extra-{i}") for i in range(950))
    edit(P, "sections:\n", "pages:\n" + pages + "sections:" + sections)(card)
    _more_variants(250)(card)


ALIASED = "x" * 300_000

CASES = [
    # ---- YAML and file-level problems
    Case(
        "yaml-syntax-error",
        V,
        edit(V, '    size: "8B"\n', "    size: 8B: big\n"),
        at(V, "8B: big"),
        "<root>",
        ("YAML syntax error", "mapping values are not allowed"),
    ),
    Case(
        "tab-indentation",
        V,
        edit(V, '    name: "Llama 3.1 8B"\n', '\tname: "Llama 3.1 8B"\n'),
        at(V, "\tname"),
        "<root>",
        ("tab", "spaces"),
    ),
    Case(
        "duplicate-key",
        V,
        edit(V, "    kind: pretrained\n", "    kind: pretrained\n    kind: instruct\n"),
        at(V, "kind: instruct"),
        "variants[0].kind",
        ("duplicate key 'kind'", "first written"),
    ),
    Case(
        "multiple-documents",
        P,
        append(P, "---\nmore: 1\n"),
        at(P, "---\nmore"),
        "<root>",
        ("another document",),
    ),
    Case("empty-file", R, write(R, ""), first_line, "<root>", ("empty", "mapping")),
    Case(
        "comment-only-file",
        R,
        write(R, "# nothing here yet\n\n   \n  # still nothing\n"),
        first_line,
        "<root>",
        ("empty",),
    ),
    Case(
        "binary-file", R, write(R, bytes(range(256)) * 8), first_line, "<root>", ("binary", "NUL")
    ),
    Case(
        "utf-16-file",
        R,
        edit_bytes(R, lambda b: b.decode("utf-8").encode("utf-16")),
        first_line,
        "<root>",
        ("UTF-16", "save it as UTF-8"),
    ),
    Case(
        "nul-byte",
        R,
        edit_bytes(R, lambda b: b.replace(b'"Winogrande"', b'"Wino\0grande"', 1)),
        at_byte(R, b"\0"),
        "<root>",
        ("NUL byte",),
    ),
    Case(
        "latin-1-byte",
        R,
        edit_bytes(R, lambda b: b.replace(b'"Winogrande"', b'"Winogrande caf\xe9"', 1)),
        at_byte(R, b"\xe9"),
        "<root>",
        ("not UTF-8", "0xe9", "save it as UTF-8"),
    ),
    Case(
        "control-character",
        P,
        edit(P, 'title: "Model Information"', 'title: "Model\x07"'),
        at(P, "\x07"),
        "<root>",
        ("control character", "U+0007"),
    ),
    Case(
        "escaped-control-character",
        V,
        edit(V, '    name: "Llama 3.1 8B"\n', '    name: "Llama 3.1 8B\\e\\0"\n'),
        at(V, "8B\\e"),
        "variants[0].name",
        ("control character", "U+001B"),
    ),
    Case(
        "escaped-noncharacter",
        R,
        edit_bytes(R, lambda b: b.replace(b'"Winogrande"', b'"Wino\\uffffgrande"', 1)),
        at(R, "Wino\\uffff"),
        "results[0].rows[4].name",
        ("control character", "U+FFFF"),
    ),
    Case("file-of-50-mb", R, _huge, first_line, "<root>", ("bytes", "refused above")),
    Case(
        "list-instead-of-mapping",
        R,
        _list_at_top,
        at(R, "- results:"),
        "<root>",
        ("must hold a mapping",),
    ),
    Case(
        "deep-nesting",
        R,
        append(R, "deep: " + "[" * 10_000 + "]" * 10_000 + "\n"),
        at(R, "deep: ["),
        "<root>",
        ("nesting is too deep", f"{MAX_DEPTH} levels"),
    ),
    Case(
        "too-many-values",
        R,
        append(R, "many: [" + "1, " * (MAX_NODES + 10) + "1]\n"),
        at(R, "many: ["),
        "<root>",
        (f"more than {MAX_NODES:,} values", "refused"),
    ),
    Case(
        "alias-bomb",
        R,
        append(R, BILLION_LAUGHS),
        at(R, "a: &a"),
        "",
        ("expands to more than", "aliases", "refused"),
    ),
    Case(
        "alias-text-bomb",
        P,
        append(P, f'big: &big "{ALIASED}"\nmore: [{", ".join(["*big"] * 29)}]\n'),
        at(P, "big: &big"),  # an alias is located where its value is written
        "",
        ("expands to more than", "characters", "aliases"),
    ),
    Case(
        "alias-loop",
        R,
        append(R, "loop: &loop [*loop]\n"),
        at(R, "loop: &loop"),
        "loop[0]",
        ("alias refers to a value that contains it",),
    ),
    Case(
        "python-tag",
        R,
        score('!!python/object/apply:os.system ["touch PWNED"]'),
        at(R, "!!python"),
        "results[0].rows[0].scores.llama-3-8b",
        ("tag !!python/object/apply:os.system", "not allowed"),
    ),
    Case(
        "python-tag-at-top",
        R,
        edit(R, "\ncategories:\n", "\n!!python/object/new:os.system\ncategories:\n"),
        at(R, "!!python"),
        "<root>",
        ("!!python/object/new:os.system", "not allowed"),
    ),
    Case(
        "custom-tag",
        F,
        edit(F, 'developer: "Meta"', "developer: !include meta.yaml"),
        at(F, "!include"),
        "family.developer",
        ("tag !include", "not allowed"),
    ),
    Case(
        "merge-key",
        V,
        edit(V, "    kind: pretrained\n", "    <<: {kind: pretrained}\n"),
        at(V, "<<:"),
        "variants[0]",
        ("merge keys (<<)",),
    ),
    # ---- the card folder and its files
    Case(
        "link-outside-card",
        R,
        _link_outside,
        first_line,
        "<root>",
        ("link to", "outside the card folder", "refused"),
    ),
    Case("link-loop", R, _link_loop, first_line, "<root>", ("link", "refused")),
    Case(
        "folder-instead-of-file",
        R,
        _folder_for_file,
        first_line,
        "<root>",
        ("expected a file, found a folder",),
    ),
    Case(
        "missing-card-file",
        F,
        _remove(F),
        first_line,
        "<root>",
        ("missing card file family.yaml",),
    ),
    # ---- wrong types and unknown or missing keys
    Case(
        "string-for-bool",
        V,
        edit(V, "comparison: true", 'comparison: "sometimes"'),
        at(V, '"sometimes"'),
        "variants[6].comparison",
        ("valid boolean", "'sometimes'"),
    ),
    Case(
        "list-for-mapping",
        F,
        _swap_license_for_list,
        at(F, "  license:"),
        "family.license",
        ("a mapping of keys to values is needed", "found"),
    ),
    Case(
        "text-for-integer",
        P,
        edit(P, "level: 3", "level: three"),
        at(P, "level: three"),
        "sections[1].level",
        ("valid integer", "'three'"),
    ),
    Case(
        "unquoted-no-for-text",
        R,
        edit(R, 'name: "Portuguese"', "name: no"),
        at(R, "name: no"),
        "results[2].rows[0].subsets[0].name",
        ("found false", "put text in quotes"),
    ),
    Case(
        "bad-literal",
        R,
        edit(R, "llama-3-8b: not_reported", "llama-3-8b: not_reportd"),
        at(R, "not_reportd"),
        "results[0].rows[4].missing.llama-3-8b.reason",
        ("'not_reported'", "'not_reportd'"),
    ),
    Case(
        "bad-language-code",
        R,
        edit(R, "language: pt", "language: Portuguese"),
        at(R, "language: Portuguese"),
        "results[2].rows[0].subsets[0].language",
        ("language code", "pt-BR", "'Portuguese'"),
    ),
    Case(
        "unknown-key",
        R,
        edit(R, '        name: "MMLU"\n', '        nme: "MMLU"\n'),
        at(R, "nme:"),
        "results[0].rows[0].nme",
        ("unknown key 'nme'", "did you mean 'name'"),
    ),
    Case(
        "unknown-top-level-key",
        V,
        edit(V, "\nvariants:\n", "\nvariant:\n"),
        at(V, "variant:\n"),
        "variant",
        ("unknown key 'variant'", "did you mean 'variants'"),
    ),
    Case(
        "missing-required-field",
        R,
        edit(R, '    title: "Base pretrained models"\n', ""),
        at(R, "  - id: pretrained"),
        "results[0].title",
        ("required field 'title' is missing",),
    ),
    # ---- ids
    Case(
        "duplicate-variant-id",
        V,
        edit(V, "id: llama-3-1-70b\n", "id: llama-3-1-8b\n"),
        at(V, "id: llama-3-1-8b\n", nth=2),
        "variants[2].id",
        ("duplicate id 'llama-3-1-8b'", "first at line"),
    ),
    Case(
        "duplicate-benchmark-id",
        R,
        edit(R, "- id: mmlu-pro-cot-pretrained", "- id: mmlu-pretrained"),
        at(R, "- id: mmlu-pretrained", nth=2),
        "results[0].rows[1].id",
        ("duplicate benchmark id", "'mmlu-pretrained'"),
    ),
    Case(
        "id-with-dot-dot",
        V,
        edit(V, "id: llama-3-8b\n", "id: ../llama-3-8b\n"),
        at(V, "id: ../"),
        "variants[6].id",
        ("lowercase letters and digits", "'../llama-3-8b'"),
    ),
    Case(
        "id-with-slash",
        R,
        edit(R, "- id: tool-use", "- id: tool/use"),
        at(R, "tool/use"),
        "categories[6].id",
        ("lowercase letters and digits", "'tool/use'"),
    ),
    Case(
        "id-of-300-characters",
        V,
        edit(V, "id: llama-3-8b\n", f"id: {'a' * 300}\n"),
        at(V, "a" * 300),
        "variants[6].id",
        ("at most 64 characters",),
    ),
    Case(
        "variant-id-con",
        V,
        edit(V, "id: llama-3-8b-instruct\n", "id: con\n"),
        at(V, "id: con"),
        "variants[7].id",
        ("'con'", "reserved", "Windows"),
    ),
    Case(
        "variant-id-aux",
        V,
        edit(V, "id: llama-3-70b\n", "id: aux\n"),
        at(V, "id: aux"),
        "variants[8].id",
        ("'aux'", "reserved", "Windows"),
    ),
    Case(
        "category-id-nul",
        R,
        edit(R, "- id: multilingual\n", "- id: nul\n"),
        at(R, "id: nul"),
        "categories[7].id",
        ("'nul'", "reserved", "Windows"),
    ),
    Case(
        "category-id-com1",
        R,
        edit(R, "- id: tool-use\n", "- id: com1\n"),
        at(R, "id: com1"),
        "categories[6].id",
        ("'com1'", "reserved", "Windows"),
    ),
    Case(
        "section-id-is-a-generated-anchor",
        P,
        edit(P, "  - id: model-developer\n", "  - id: variants\n"),
        at(P, "id: variants"),
        "sections[1].id",
        ("'variants'", "anchor the site uses for its own headings"),
    ),
    Case(
        "section-id-key-facts",
        P,
        edit(P, "  - id: model-architecture\n", "  - id: key-facts\n"),
        at(P, "id: key-facts"),
        "sections[2].id",
        ("'key-facts'", "anchor the site uses"),
    ),
    Case(
        "section-id-license-summary",
        P,
        edit(P, "  - id: intended-use-cases\n", "  - id: license-summary\n"),
        at(P, "id: license-summary"),
        "sections[10].id",
        ("'license-summary'", "anchor the site uses"),
    ),
    Case(
        "page-id-of-a-site-page",
        P,
        edit(P, "\nsections:\n", '\npages:\n  - {id: compare, title: "Mine"}\nsections:\n'),
        at(P, "id: compare"),
        "pages[0].id",
        ("'compare'", "page or folder the site already has"),
    ),
    # ---- references between files
    Case(
        "unknown-table-column",
        R,
        edit(R, '      llama-3-8b: "Llama 3 8B"\n', '      llama-3-9b: "Llama 3 9B"\n'),
        at(R, "llama-3-9b:"),
        "results[0].columns.llama-3-9b",
        ("unknown variant 'llama-3-9b'", "did you mean"),
    ),
    Case(
        "score-for-variant-not-in-table",
        R,
        edit(R, SCORE, SCORE + '          llama-3-1-8b-instruct: "70.0"\n'),
        at(R, 'llama-3-1-8b-instruct: "70.0"'),
        "results[0].rows[0].scores.llama-3-1-8b-instruct",
        ("'llama-3-1-8b-instruct' is not a column of this table",),
    ),
    Case(
        "unknown-derived-from",
        V,
        edit(V, "derived_from: llama-3-1-8b\n", "derived_from: llama-3-1-9b\n"),
        at(V, "llama-3-1-9b"),
        "variants[1].derived_from",
        ("unknown variant 'llama-3-1-9b'", "did you mean 'llama-3-1-8b'"),
    ),
    Case(
        "unknown-row-category",
        R,
        edit(R, "category: general\n", "category: generl\n"),
        at(R, "category: generl"),
        "results[0].rows[0].category",
        ("unknown category 'generl'", "did you mean 'general'"),
    ),
    # ---- scores and numbers
    Case(
        "score-out-of-range",
        R,
        both(
            edit(
                R, "        headline: true\n", "        headline: true\n        range: [0, 100]\n"
            ),
            score('"150.0"'),
        ),
        at(R, 'llama-3-8b: "150.0"'),
        "results[0].rows[0].scores.llama-3-8b",
        ("score 150.0", "outside the row's range", "0 to 100"),
    ),
    Case(
        "range-too-large-to-draw",
        R,
        edit(
            R,
            "        headline: true\n",
            "        headline: true\n        range: [-1.7e308, 1.7e308]\n",
        ),
        at(R, "range: [-1.7e308"),
        "results[0].rows[0].range",
        ("range must be two numbers", "1e+15"),
    ),
    Case(
        "range-infinite",
        R,
        with_range("[0, 1e400]"),
        at(R, "range: [0, 1e400]"),
        "results[0].rows[0].range",
        ("range must be two numbers",),
    ),
    Case(
        "score-dash",
        R,
        score('"-"'),
        at(R, 'llama-3-8b: "-"'),
        "results[0].rows[0].scores.llama-3-8b",
        ("not a score", "missing", "not_reported"),
    ),
    Case(
        "score-as-list",
        R,
        score('["66.7"]'),
        at(R, '["66.7"]'),
        "results[0].rows[0].scores.llama-3-8b",
        ("text is needed here", "found"),
    ),
    # ---- addresses: parsed; http(s) only, mailto where a reader follows a link
    Case(
        "license-url-markdown-breakout",
        F,
        edit(
            F,
            LICENSE_URL,
            "    url: https://example.org/)[CLICKME](javascript:alert(document.domain))"
            "![t](https://evil.example/track.png\n",
        ),
        at(F, "CLICKME"),
        "family.license.url",
        ("'[' is not allowed in an address", "percent-encode"),
    ),
    Case(
        "link-url-javascript",
        F,
        edit(F, FIRST_LINK, "      url: javascript:alert(1)\n"),
        at(F, "javascript:alert(1)"),
        "family.links[0].url",
        ("must be an absolute http(s) or mailto: address", "javascript:"),
    ),
    Case(
        "link-url-with-a-space",
        F,
        edit(F, FIRST_LINK, "      url: https://example.org/a b\n"),
        at(F, "example.org/a b"),
        "family.links[0].url",
        ("a space is not allowed in an address", "%20"),
    ),
    Case(
        "license-url-mailto",
        F,
        edit(F, LICENSE_URL, "    url: mailto:legal@example.org\n"),
        at(F, "mailto:legal"),
        "family.license.url",
        ("must be an absolute http(s) address", "mailto:"),
    ),
    Case(
        "results-url-without-host",
        F,
        edit(F, "results_url: https://github.com/", "results_url: https:///"),
        at(F, "results_url: https:///"),
        "family.results_url",
        ("needs a host name",),
    ),
    Case(
        "url-port-out-of-range",
        F,
        edit(F, FIRST_LINK, "      url: https://example.org:99999/\n"),
        at(F, "example.org:99999"),
        "family.links[0].url",
        ("port must be a number from 1 to 65535",),
    ),
    Case(
        "url-with-password",
        F,
        edit(F, FIRST_LINK, "      url: https://user:secret@example.org/\n"),
        at(F, "user:secret@"),
        "family.links[0].url",
        ("user name or password",),
    ),
    # ---- limits (see cardsite.card.limits)
    Case(
        "name-too-long",
        V,
        edit(V, 'name: "Llama 3.1 8B"', f'name: "Llama {"x" * 300}"'),
        at(V, 'name: "Llama xxx'),
        "variants[0].name",
        (f"at most {limits.MAX_NAME} characters",),
    ),
    Case(
        "prose-section-too-long",
        P,
        append(P, _section("too-long", "overview", "x" * (limits.MAX_PROSE + 1))),
        at(P, "markdown: xxx"),
        "sections[39].markdown",
        (f"at most {limits.MAX_PROSE} characters",),
    ),
    Case(
        "prose-too-long-in-all",
        P,
        append(
            P,
            "".join(
                _section(f"long-{i}", "safety", "x" * limits.MAX_PROSE)
                for i in range(limits.MAX_PROSE_TOTAL // limits.MAX_PROSE + 1)
            ),
        ),
        at(P, "  - id: model-information"),
        "sections",
        ("characters of prose in all", f"{limits.MAX_PROSE_TOTAL:,}"),
    ),
    Case(
        "too-many-facts",
        F,
        edit(F, "  facts:\n", "  facts:\n" + '    - {label: "x", value: "y"}\n' * 200),
        at(F, '    - {label: "x"'),
        "family.facts",
        (f"at most {limits.MAX_LIST} items",),
    ),
    Case(
        "too-many-benchmarks",
        R,
        _many_rows(limits.MAX_BENCHMARKS),
        at(R, "  - id: pretrained"),
        "results",
        ("benchmark rows", f"{limits.MAX_BENCHMARKS:,}"),
    ),
    Case(
        "too-many-categories",
        R,
        edit(
            R,
            "categories:\n",
            "categories:\n"
            + "".join(
                f'  - {{id: extra-{i}, name: "Extra {i}"}}\n' for i in range(limits.MAX_CATEGORIES)
            ),
        ),
        at(R, "  - {id: extra-0,"),
        "categories",
        (f"at most {limits.MAX_CATEGORIES} items",),
    ),
    Case(
        "too-many-variants",
        V,
        _more_variants(limits.MAX_VARIANTS),
        at(V, "  - id: llama-3-1-8b\n"),
        "variants",
        (f"at most {limits.MAX_VARIANTS} items",),
    ),
]
"""A card past a limit is refused with a located message, in the time limit of every case."""

SLOW_CASES = [
    # Found by rendering every page, as validate does: 0.9 M characters of facts on 27 pages.
    Case(
        "site-too-large",
        "",
        _long_facts,
        first_line,
        "<root>",
        ("characters of Markdown", f"at most {limits.MAX_SITE_MARKDOWN:,}"),
    ),
    # Counted from the page plans before anything is drawn.
    Case(
        "too-many-pages",
        "",
        _many_pages,
        first_line,
        "<root>",
        ("pages", f"at most {limits.MAX_PAGES:,} per card"),
    ),
]


def _out_of_range(card: Path) -> None:
    next(c for c in CASES if c.id == "score-out-of-range").mutate(card)


def _card_file(card: Path, case: Case) -> str:
    return display_path(card / case.file) if case.file else display_path(card)


def check_case(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str], seconds: float
) -> None:
    card = copy_card(tmp_path / "card")
    case.mutate(card)
    started = time.perf_counter()
    code, stderr = validate(card, capsys)
    elapsed = time.perf_counter() - started
    assert code == 1, stderr
    no_traceback(stderr)
    path = case.path or _bomb_path(stderr)
    located(stderr, _card_file(card, case), case.line(card), path, case.words)
    assert stderr.rstrip().endswith("error(s); the card was not used")
    assert elapsed < seconds, f"took {elapsed:.2f}s"
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


@pytest.mark.parametrize("case", [c.param for c in CASES])
def test_broken_card_is_refused_with_a_located_message(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check_case(case, tmp_path, capsys, seconds=3.0)  # 2 cores shared with other work


@pytest.mark.parametrize("case", [c.param for c in SLOW_CASES])
def test_card_whose_pages_break_a_limit_is_refused(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by rendering every page's Markdown, as a build would: still seconds, not the
    minutes the build would take."""
    check_case(case, tmp_path, capsys, seconds=20.0)


def _bomb_path(stderr: str) -> str:
    """The alias bomb is refused deep inside some expansion; its path is whatever that was."""
    match = re.search(r":\d+:\d+: ([a-z]+(?:\[\d+\])+): the file expands", stderr)
    assert match, stderr
    return match.group(1)


def test_the_catalogue_is_large_and_its_ids_distinct() -> None:
    cases = CASES + SLOW_CASES
    assert len(cases) >= 60
    assert len({c.id for c in cases}) == len(cases)


# ------------------------------------------------------------------- the card folder itself


def test_missing_card_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, stderr = validate(tmp_path / "nowhere", capsys)
    assert code == 1
    no_traceback(stderr)
    located(stderr, display_path(tmp_path / "nowhere"), 1, "<root>", ("no such card folder",))


def test_card_folder_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "card.yaml").write_text("family: {}\n", encoding="utf-8")
    code, stderr = validate(tmp_path / "card.yaml", capsys)
    assert code == 1
    no_traceback(stderr)
    located(
        stderr,
        display_path(tmp_path / "card.yaml"),
        1,
        "<root>",
        ("expected a card folder, found a file",),
    )


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate", "one", "two"])
    assert exc.value.code == 2
    assert "usage:" in capsys.readouterr().err


# ------------------------------------------------------------------------ accepted cards


def test_warnings_only_card_exits_0_with_the_declared_rows_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = copy_card(tmp_path / "card")
    code, stderr = validate(card, capsys)
    assert code == 0, stderr
    no_traceback(stderr)
    message = located(
        stderr,
        display_path(card / R),
        line_of((card / R).read_text(), "declared_rows: 9"),
        "results[2].declared_rows",
        ("warning:", "'Multilingual benchmarks'", "declares 9 rows", "gives 7"),
    )
    assert message.startswith("warning: ")
    warnings = stderr.count(": warning: ")
    assert "valid (" in stderr and f"{warnings} warning(s))" in stderr


def test_totals_that_do_not_add_up_are_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = copy_card(tmp_path / "card")
    edit(T, '"1.46M", "700", "420", "0"', '"1.46M", "700", "421", "0"')(card)
    code, stderr = validate(card, capsys)
    assert code == 0, stderr
    no_traceback(stderr)
    total_line = line_of((card / T).read_text(), '"Total"')
    located(
        stderr,
        display_path(card / T),
        total_line,
        "tables[0].rows[3].cells[3]",
        ("warning:", "add up to 11,391", "421 + 2,040 + 8,930", "published as 11,390"),
    )
    assert "error(s)" not in stderr


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda raw: b"\xef\xbb\xbf" + raw, id="utf-8-bom"),
        pytest.param(lambda raw: raw.replace(b"\n", b"\r\n"), id="crlf-line-ends"),
        pytest.param(lambda raw: raw.replace(b'"66.7"', b"66.7", 1), id="unquoted-score"),
    ],
)
def test_harmless_differences_are_accepted(
    change: Callable[[bytes], bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = copy_card(tmp_path / "card")
    edit_bytes(R, change)(card)
    code, stderr = validate(card, capsys)
    assert code == 0, stderr
    assert "valid (" in stderr


def test_line_numbers_count_crlf_line_ends_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = copy_card(tmp_path / "card")
    _out_of_range(card)
    expected = at(R, '"150.0"')(card)
    edit_bytes(R, lambda raw: raw.replace(b"\n", b"\r\n"))(card)
    code, stderr = validate(card, capsys)
    assert code == 1
    located(
        stderr,
        display_path(card / R),
        expected,
        "results[0].rows[0].scores.llama-3-8b",
        ("outside the row's range",),
    )


# ----------------------------------------------------------------- the real command line

SUBPROCESS_CASES = [
    c
    for c in CASES
    if c.id
    in {
        "yaml-syntax-error",
        "latin-1-byte",
        "alias-bomb",
        "python-tag",
        "unknown-key",
        "variant-id-con",
        "score-dash",
        "license-url-markdown-breakout",
    }
]


@pytest.mark.parametrize("case", [c.param for c in SUBPROCESS_CASES])
def test_broken_card_through_the_command_line(case: Case, tmp_path: Path) -> None:
    card = copy_card(tmp_path / "card")
    case.mutate(card)
    result = run_cardsite("validate", "card", cwd=tmp_path, timeout=60)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    no_traceback(result.stderr)
    path = case.path or _bomb_path(result.stderr)
    located(result.stderr, f"card/{case.file}", case.line(card), path, case.words)
    assert not (tmp_path / "PWNED").exists()


_RSS_PROBE = """
import resource, subprocess, sys, time
started = time.perf_counter()
result = subprocess.run([sys.executable, "-m", "cardsite.cli", "validate", sys.argv[1]],
                        capture_output=True, text=True, timeout=60)
elapsed = time.perf_counter() - started
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
sys.stderr.write(result.stderr)
print(result.returncode, elapsed, peak_kib)
"""
HOSTILE = {
    c.id: c
    for c in CASES
    if c.id in {"file-of-50-mb", "too-many-values", "alias-bomb", "deep-nesting"}
}


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux")
@pytest.mark.parametrize("case", [c.param for c in HOSTILE.values()])
def test_hostile_file_is_refused_fast_in_bounded_memory(case: Case, tmp_path: Path) -> None:
    """The real command, in a child process whose peak memory (RSS) the parent measures."""
    card = copy_card(tmp_path / "card")
    case.mutate(card)
    if case.id == "file-of-50-mb":
        assert (card / R).stat().st_size >= 50 * 1024 * 1024
    probe = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, str(card)],
        cwd=Path(__file__).parents[1],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    code, elapsed, peak_kib = probe.stdout.split()
    assert int(code) == 1, probe.stderr
    no_traceback(probe.stderr)
    located(
        probe.stderr,
        display_path(card / R),
        case.line(card),
        case.path or _bomb_path(probe.stderr),
        case.words,
    )
    peak_mib = int(peak_kib) / 1024
    print(f"{case.id}: refused in {float(elapsed):.2f}s, peak RSS {peak_mib:.0f} MiB")
    assert float(elapsed) < 10, f"took {elapsed}s"  # Python's start-up included
    assert peak_mib < 200, f"peak RSS {peak_mib:.0f} MiB"


def test_build_refuses_a_bad_card_and_keeps_earlier_outputs(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    for output in ("site", "dist/offline", "dist/embed"):
        (project / output).mkdir(parents=True)
        (project / output / "index.html").write_text(f"earlier {output}\n", encoding="utf-8")
    card = copy_card(project / "card")
    _out_of_range(card)
    result = run_cardsite("build", "card", cwd=project, timeout=120)
    assert result.returncode == 1, result.stderr
    no_traceback(result.stderr)
    located(
        result.stderr,
        f"card/{R}",
        at(R, '"150.0"')(card),
        "results[0].rows[0].scores.llama-3-8b",
        ("score 150.0", "outside the row's range"),
    )
    for output in ("site", "dist/offline", "dist/embed"):
        assert (project / output / "index.html").read_text(encoding="utf-8") == (
            f"earlier {output}\n"
        )
        assert [p.name for p in (project / output).iterdir()] == ["index.html"]


# ------------------------------------------------- the command line, whatever it is given
# Every failure a user can cause is one line and an exit code, never a traceback.


def _command(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The installed console command's module (``python -m cardsite``), as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "cardsite", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.parametrize("command", ["validate", "build", "export"])
def test_card_folder_name_too_long(command: str, tmp_path: Path) -> None:
    too_long = str(tmp_path / ("c" * 300))
    args = [command, too_long] + (["--format", "json"] if command == "export" else [])
    result = _command(*args, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    no_traceback(result.stderr)
    assert "name too long" in result.stderr.lower(), result.stderr


@pytest.mark.parametrize(
    "args", [["schema"], ["export", str(CARD_DIR), "--format", "json"]], ids=["schema", "export"]
)
def test_output_closed_early(args: list[str], tmp_path: Path) -> None:
    """``cardsite schema | true``: the pipe is closed before anything is written."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "cardsite", *args],
            cwd=tmp_path,
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(writer)
    assert result.returncode == 1, result.stderr
    no_traceback(result.stderr)
    assert "Exception ignored" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith("closed before all of it was written")


@pytest.mark.parametrize(
    "url",
    [
        "javascript://x/%0aalert(7)%0a//x",
        "https://example.org/a b",
        "data:text/html,x",
        "example.org",
        "https://",
        "https://example.org:99999/",
    ],
)
def test_site_url_must_be_a_web_address(url: str, tmp_path: Path) -> None:
    result = _command("build", str(CARD_DIR), "--site-url", url, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    no_traceback(result.stderr)
    assert "argument --site-url" in result.stderr
    assert not (tmp_path / "site").exists() and not (tmp_path / "dist").exists()


@pytest.mark.parametrize("address", ["127.0.0.1:99999", "127.0.0.1:0", "nonsense", "host:port"])
def test_serve_refuses_a_malformed_address(address: str, tmp_path: Path) -> None:
    result = _command("serve", str(CARD_DIR), "--dev-addr", address, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    no_traceback(result.stderr)
    assert "argument --dev-addr" in result.stderr and "1 to 65535" in result.stderr


def test_serve_on_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _command(
            "serve", str(CARD_DIR), "--dev-addr", f"127.0.0.1:{port}", cwd=tmp_path, timeout=300
        )
    assert result.returncode == 1, result.stderr
    no_traceback(result.stderr)
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr
    assert "in use" in result.stderr


@pytest.mark.parametrize("delay", [0.1, 0.15, 0.2, 0.25, 0.5, 1.0])
def test_ctrl_c_is_one_line_and_exit_130(delay: float, tmp_path: Path) -> None:
    """Ctrl-C at any moment, the libraries still loading included."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cardsite", "build", str(CARD_DIR)],
        cwd=make_project(tmp_path / "project"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=120)
    if process.returncode == 0:  # it had finished
        return
    assert process.returncode == 130, err
    no_traceback(err)
    assert err.strip().splitlines()[-1] == "interrupted", err


def test_validate_reports_what_a_build_would_fail_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """validate plans every page and its charts as a build does: a failure there (here the
    chart specs) is a problem naming the card, not a traceback at build time."""
    import cardsite.generate

    def collide(card: object) -> list[object]:
        raise ValueError("chart ids collide: category-a-b")

    monkeypatch.setattr(cardsite.generate, "chart_specs", collide)
    code, stderr = validate(CARD_DIR, capsys)
    assert code == 1
    no_traceback(stderr)
    located(stderr, display_path(CARD_DIR), 1, "<root>", ("chart ids collide",))


def test_validate_runs_the_project_templates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project")
    (project / "templates" / "home.md.jinja").write_text(
        '{% extends "base/home.md.jinja" %}{% block intro %}{{ 1/0 }}{% endblock %}',
        encoding="utf-8",
    )
    monkeypatch.chdir(project)
    code, stderr = validate(CARD_DIR, capsys)
    assert code == 1
    no_traceback(stderr)
    assert "home.md.jinja" in stderr and "division by zero" in stderr


@pytest.mark.parametrize("unit", ["[", "![", "*a", "<a "])
def test_hostile_prose_is_read_in_linear_time(
    unit: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """48 KB of ``[`` took Python-Markdown over a minute (quadratic); validate renders every
    page's prose as a build does, so it must stay quick at the limit of a section."""
    card = copy_card(tmp_path / "card")
    text = (unit * (limits.MAX_PROSE // len(unit)))[: limits.MAX_PROSE].replace('"', "")
    append(P, _section("hostile-prose", "safety", f"'{text}'"))(card)
    started = time.perf_counter()
    code, stderr = validate(card, capsys)
    elapsed = time.perf_counter() - started
    assert code == 0, stderr
    assert elapsed < 10, f"{unit!r} x {len(text)}: {elapsed:.1f}s"


def test_a_chart_a_build_leaves_out_is_a_located_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A variant with no results has no chart: validate says so as a warning on the card, in
    the same located form as every other line, and the card is valid."""
    card = copy_card(tmp_path / "card")
    _more_variants(1)(card)
    code, stderr = validate(card, capsys)
    assert code == 0, stderr
    *lines, summary = stderr.strip().splitlines()
    assert summary.endswith("2 warning(s))"), summary
    assert all(re.match(r"^.+:\d+:\d+: \S+: warning: ", line) for line in lines), lines
    assert any("chart variant--added-0 skipped" in line for line in lines), lines
