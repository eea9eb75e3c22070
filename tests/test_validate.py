"""``cardsite validate``: a catalogue of broken cards, each refused with a located, plain message.

Every case copies the real Llama 3.1 card, breaks it in one way and checks the command's answer:
exit code 1, a line ``<file>:<line>:<col>: <yaml.path>: <message>`` naming the right file, the
line the break is on (found in the broken text, never hard-coded), the YAML path, and words a
person understands; never a Python traceback. A few cases also run as the real command line.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from cardsite.card.problems import display_path
from cardsite.card.yamlsource import MAX_DEPTH, MAX_NODES
from cardsite.cli import main
from tests.conftest import copy_card, make_project, run_cardsite

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

V, B, R, F, T, P = (
    "variants.yaml",
    "benchmarks.yaml",
    "results.yaml",
    "family.yaml",
    "training.yaml",
    "prose.yaml",
)

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
    edit(R, "\nresults:\n", "\n- results:\n")(card)


def _drop_table_source(card: Path) -> None:
    edit(B, '    source: "Benchmark scores > Base pretrained models (table)"\n\n', "\n")(card)


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


SCORE = '      llama-3-8b: "66.7"\n'  # the first score of results.yaml (MMLU, Llama 3 8B)


def score(value: str) -> Mutate:
    return edit(R, SCORE, f"      llama-3-8b: {value}\n")


CASES = [
    # ---- YAML and file-level problems
    Case(
        "yaml-syntax-error",
        V,
        edit(V, '    params: "8B"\n', "    params: 8B: big\n"),
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
        edit_bytes(R, lambda b: b.replace(b"# Winogrande\n", b"# Wino\0grande\n")),
        at_byte(R, b"\0"),
        "<root>",
        ("NUL byte",),
    ),
    Case(
        "latin-1-byte",
        R,
        edit_bytes(R, lambda b: b.replace(b"# Winogrande\n", b"# Winogrande caf\xe9\n")),
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
        append(R, "many: [" + "1, " * 60_000 + "1]\n"),
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
        "results[0].scores.llama-3-8b",
        ("tag !!python/object/apply:os.system", "not allowed"),
    ),
    Case(
        "python-tag-at-top",
        R,
        edit(R, "\nresults:\n", "\n!!python/object/new:os.system\nresults:\n"),
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
        R,
        _remove(R),
        first_line,
        "<root>",
        ("missing card file results.yaml",),
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
        edit(R, "language: pt", "language: no"),
        at(R, "language: no"),
        "results[29].language",
        ("found false", "put text in quotes"),
    ),
    Case(
        "bad-literal",
        V,
        edit(V, "kind: pretrained", "kind: pretrianed"),
        at(V, "pretrianed"),
        "variants[0].kind",
        ("'pretrained' or 'instruct'", "'pretrianed'"),
    ),
    Case(
        "unknown-key",
        R,
        edit(R, "- benchmark: mmlu-pretrained", "- benchmrk: mmlu-pretrained"),
        at(R, "benchmrk"),
        "results[0].benchmrk",
        ("unknown key 'benchmrk'", "did you mean 'benchmark'"),
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
        B,
        _drop_table_source,
        at(B, "- id: pretrained"),
        "tables[0].source",
        ("required field 'source' is missing",),
    ),
    # ---- ids
    Case(
        "duplicate-variant-id",
        V,
        edit(V, "id: llama-3-1-70b\n", "id: llama-3-1-8b\n"),
        at(V, "id: llama-3-1-8b\n", nth=2),
        "variants[2].id",
        ("duplicate id 'llama-3-1-8b'", "variants[0]"),
    ),
    Case(
        "duplicate-benchmark-id",
        B,
        edit(B, "- id: mmlu-pro-cot-pretrained", "- id: mmlu-pretrained"),
        at(B, "- id: mmlu-pretrained", nth=2),
        "benchmarks[1].id",
        ("duplicate id 'mmlu-pretrained'",),
    ),
    Case(
        "id-with-dot-dot",
        V,
        edit(V, "id: llama-3-8b\n", "id: ../llama-3-8b\n"),
        at(V, "id: ../"),
        "variants[6].id",
        ("lowercase letters, digits", "'../llama-3-8b'"),
    ),
    Case(
        "id-with-slash",
        B,
        edit(B, "- id: tool-use", "- id: tool/use"),
        at(B, "tool/use"),
        "categories[6].id",
        ("lowercase letters, digits", "'tool/use'"),
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
        B,
        edit(B, "- id: multilingual\n", "- id: nul\n"),
        at(B, "id: nul"),
        "categories[7].id",
        ("'nul'", "reserved", "Windows"),
    ),
    Case(
        "category-id-com1",
        B,
        edit(B, "- id: tool-use\n", "- id: com1\n"),
        at(B, "id: com1"),
        "categories[6].id",
        ("'com1'", "reserved", "Windows"),
    ),
    # ---- references between files
    Case(
        "result-for-unknown-benchmark",
        R,
        edit(R, "- benchmark: mmlu-pretrained", "- benchmark: mmlu-pretrianed"),
        at(R, "mmlu-pretrianed"),
        "results[0].benchmark",
        ("unknown benchmark 'mmlu-pretrianed'", "did you mean 'mmlu-pretrained'"),
    ),
    Case(
        "score-for-variant-not-in-table",
        R,
        edit(R, SCORE, SCORE + '      llama-3-1-8b-instruct: "70.0"\n'),
        at(R, 'llama-3-1-8b-instruct: "70.0"'),
        "results[0].scores.llama-3-1-8b-instruct",
        ("'llama-3-1-8b-instruct' is not a column of table 'pretrained'",),
    ),
    Case(
        "unknown-base-variant",
        V,
        edit(V, "base: llama-3-1-8b\n", "base: llama-3-1-9b\n"),
        at(V, "llama-3-1-9b"),
        "variants[1].base",
        ("unknown variant 'llama-3-1-9b'", "did you mean 'llama-3-1-8b'"),
    ),
    Case(
        "unknown-benchmark-category",
        B,
        edit(B, "category: general\n", "category: generl\n"),
        at(B, "category: generl"),
        "benchmarks[0].category",
        ("unknown category 'generl'", "did you mean 'general'"),
    ),
    Case(
        "unsupported-language",
        R,
        edit(R, "language: pt", "language: xx"),
        at(R, "language: xx"),
        "results[29].language",
        ("unknown supported language 'xx'",),
    ),
    # ---- scores
    Case(
        "score-out-of-range",
        R,
        score('"150.0"'),
        at(R, 'llama-3-8b: "150.0"'),
        "results[0].scores.llama-3-8b",
        ("score 150.0", "outside the range", "0 to 100"),
    ),
    Case(
        "score-nan",
        R,
        score(".nan"),
        at(R, "llama-3-8b: .nan"),
        "results[0].scores.llama-3-8b",
        ("must be a number", "'.nan'"),
    ),
    Case(
        "score-inf",
        R,
        score(".inf"),
        at(R, "llama-3-8b: .inf"),
        "results[0].scores.llama-3-8b",
        ("must be a number", "'.inf'"),
    ),
    Case(
        "score-dash",
        R,
        score('"-"'),
        at(R, 'llama-3-8b: "-"'),
        "results[0].scores.llama-3-8b",
        ("not a score", "missing", "llama-3-8b: not_reported"),
    ),
    Case(
        "score-as-list",
        R,
        score('["66.7"]'),
        at(R, '["66.7"]'),
        "results[0].scores.llama-3-8b",
        ("text is needed here", "found"),
    ),
]


def _card_file(card: Path, case: Case) -> str:
    return display_path(card / case.file) if case.file else display_path(card)


@pytest.mark.parametrize("case", [c.param for c in CASES])
def test_broken_card_is_refused_with_a_located_message(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
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
    assert elapsed < 2.0, f"took {elapsed:.2f}s"
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


def _bomb_path(stderr: str) -> str:
    """The alias bomb is refused deep inside some expansion; its path is whatever that was."""
    match = re.search(r":\d+:\d+: ([a-i](?:\[\d+\])+): the file expands", stderr)
    assert match, stderr
    return match.group(1)


def test_the_catalogue_is_large_and_its_ids_distinct() -> None:
    assert len(CASES) >= 32
    assert len({c.id for c in CASES}) == len(CASES)


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
        display_path(card / B),
        line_of((card / B).read_text(), "declared_rows: 9"),
        "tables[2].declared_rows",
        ("warning:", "'Multilingual benchmarks'", "declares 9 rows", "gives 7"),
    )
    assert message.startswith("warning: ")
    warnings = stderr.count(": warning: ")
    assert "valid (" in stderr and f"{warnings} warning(s))" in stderr


def test_totals_that_do_not_add_up_are_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = copy_card(tmp_path / "card")
    edit(T, 'location_based_tco2eq: "420"', 'location_based_tco2eq: "421"')(card)
    code, stderr = validate(card, capsys)
    assert code == 0, stderr
    no_traceback(stderr)
    total_line = line_of((card / T).read_text(), 'location_based_tco2eq: "11,390"')
    located(
        stderr,
        display_path(card / T),
        total_line,
        "training.total.location_based_tco2eq",
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
    score('"150.0"')(card)
    expected = at(R, '"150.0"')(card)
    edit_bytes(R, lambda raw: raw.replace(b"\n", b"\r\n"))(card)
    code, stderr = validate(card, capsys)
    assert code == 1
    located(
        stderr,
        display_path(card / R),
        expected,
        "results[0].scores.llama-3-8b",
        ("outside the range",),
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
    score('"150.0"')(card)
    result = run_cardsite("build", "card", cwd=project, timeout=120)
    assert result.returncode == 1, result.stderr
    no_traceback(result.stderr)
    located(
        result.stderr,
        f"card/{R}",
        at(R, '"150.0"')(card),
        "results[0].scores.llama-3-8b",
        ("score 150.0", "outside the range"),
    )
    for output in ("site", "dist/offline", "dist/embed"):
        assert (project / output / "index.html").read_text(encoding="utf-8") == (
            f"earlier {output}\n"
        )
        assert [p.name for p in (project / output).iterdir()] == ["index.html"]
