"""Random damage to the real card: cardsite either loads it or refuses it with located problems.

Each example copies the Llama 3.1 card into a folder, damages one file (an edit of the parsed data
written back as YAML, or an edit of the raw text) and loads it. The only allowed outcomes are a
loaded card, or a :class:`CardError` whose every problem names a card file that exists, a line
inside that file, and a non-empty one-line message. A card that loads then goes through what
``cardsite validate`` adds and every build does (chart specs, page plans, every page's Markdown,
the exports): that either succeeds or refuses the card with problems, as a build would. Any other
exception is a bug: a value form validate accepts and the build cannot handle.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cardsite.card.index import CardIndex
from cardsite.card.loader import load_card
from cardsite.card.models import CARD_FILES, Card
from cardsite.card.problems import CardError
from cardsite.cli import main
from cardsite.exports import hf, tables
from cardsite.generate import check_buildable
from tests.conftest import CARD_DIR

ORIGINAL = {name: (CARD_DIR / name).read_bytes() for name in CARD_FILES}
PARSED = {name: yaml.safe_load(raw) for name, raw in ORIGINAL.items()}
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROBLEM_LINE = re.compile(r"^.+:(\d+):(\d+): \S.*?: .+$")

# ----------------------------------------------------------------------------- strategies

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            *("", "-", "150.0", "1.46M", "con", "../x", "a" * 300, "yes", "~", "\ufeff"),
            # value forms the build reads: suffixes, signs, huge and tiny numbers, pairs
            *("66.7+", "+66.7", "1e400", "1.7e308", "-1.7e308", "1e-400", "9" * 300, "2/0"),
            *("1.6·10²³", "65.2 ± 1.3", "75.6/--", "81.3%", "1.46MK", "5,5,5", "0x1F", ".5%"),
            # Markdown and HTML that must stay text
            *("a | b", "[x](javascript:alert(1))", "<b>x</b>", "{ #variants }", "*", "`"),
            *("https://example.org/)(x", "javascript:alert(1)", "variants", "key-facts"),
        ]
    ),
)
keys = st.one_of(st.text(max_size=12), st.integers(-5, 5), st.booleans(), st.none())
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=10,
)


def _paths(data: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path inside ``data`` (the root excluded)."""
    out = []
    children = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, child in children:
        out.append((*here, key))
        out.extend(_paths(child, (*here, key)))
    return out


def _scalars_of(data: Any) -> list[Any]:
    if isinstance(data, dict):
        return [s for v in data.values() for s in _scalars_of(v)]
    if isinstance(data, list):
        return [s for v in data for s in _scalars_of(v)]
    return [data]


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(data: Any) -> bytes:
    text = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)
    return text.encode("utf-8")


@st.composite
def structured_damage(draw: st.DrawFn) -> tuple[str, bytes, str]:
    """(file, new content, what was done): one edit of the parsed data, dumped back."""
    name = draw(st.sampled_from(sorted(CARD_FILES)))
    data = copy.deepcopy(PARSED[name])
    path = draw(st.sampled_from(_paths(data)))
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    op = draw(st.sampled_from(["delete", "replace", "duplicate", "reuse", "rename"]))
    if op == "delete":
        del parent[last]
    elif op == "replace":
        parent[last] = draw(values)
    elif op == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif op == "reuse":  # a value from elsewhere in the card: ids in the wrong places
        parent[last] = draw(st.sampled_from(_scalars_of(PARSED[name])))
    elif op == "rename" and isinstance(parent, dict):
        parent[draw(keys)] = parent.pop(last)
    else:
        parent[last] = draw(values)
    return name, _dump(data), f"{op} {path}"


@st.composite
def raw_damage(draw: st.DrawFn) -> tuple[str, bytes, str]:
    """(file, new content, what was done): one edit of the file's bytes or text."""
    name = draw(st.sampled_from(sorted(CARD_FILES)))
    raw = ORIGINAL[name]
    op = draw(st.sampled_from(["bytes", "text", "truncate", "drop-line", "swap-line"]))
    at = draw(st.integers(0, len(raw)))
    if op == "bytes":
        new = raw[:at] + draw(st.binary(min_size=1, max_size=16)) + raw[at:]
    elif op == "text":
        new = raw[:at] + draw(st.text(min_size=1, max_size=16)).encode("utf-8") + raw[at:]
    elif op == "truncate":
        new = raw[:at]
    else:
        lines = raw.splitlines(keepends=True)
        index = draw(st.integers(0, len(lines) - 1))
        if op == "drop-line":
            del lines[index]
        else:
            lines[index] = draw(st.text(max_size=40)).encode("utf-8") + b"\n"
        new = b"".join(lines)
    return name, new, f"{op} at {at}"


# ------------------------------------------------------------------------------- checks


def _lines_in(raw: bytes) -> int:
    return raw.count(b"\n") + raw.count(b"\r") - raw.count(b"\r\n") + 1


def _write_card(card: Path, name: str, content: bytes) -> None:
    card.mkdir(exist_ok=True)
    for file, raw in ORIGINAL.items():
        (card / file).write_bytes(content if file == name else raw)


def _check_outcome(card: Path) -> Card | None:
    try:
        loaded, warnings = load_card(card)
    except CardError as err:
        problems = err.problems
        assert any(p.severity == "error" for p in problems), "a CardError without an error"
        loaded = None
    else:
        problems = warnings
        assert all(p.severity == "warning" for p in problems)
        _check_builds(loaded, card)
    for problem in problems:
        assert problem.file.parent == card and problem.file.name in CARD_FILES, problem
        assert problem.file.is_file(), problem
        assert 1 <= problem.line <= _lines_in(problem.file.read_bytes()) + 1, problem
        assert problem.col >= 1, problem
        assert problem.message.strip(), problem
        printed = str(problem)
        assert "\n" not in printed and "\r" not in printed, printed
        printed.encode("utf-8")  # printable: no lone surrogates
    event("loaded" if loaded is not None else "refused")
    return loaded


def _check_builds(card: Card, card_dir: Path) -> None:
    """What validate runs after reading (pages, charts) and the exports every build writes:
    refused with located problems, or done; never another exception."""
    try:
        check_buildable(card, card_dir)
    except CardError as err:
        assert err.problems and all(p.message.strip() for p in err.problems)
        event("refused at planning")
        return
    index = CardIndex(card)
    for variant in card.own_variants:
        hf.hf_card_text(index, variant)
    tables.to_json(card)
    tables.to_csv(card)


@pytest.fixture(scope="module")
def card_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("damaged") / "card"


@settings(SETTINGS, max_examples=150)
@given(damage=structured_damage())
def test_structured_damage_is_loaded_or_located(
    card_folder: Path, damage: tuple[str, bytes, str]
) -> None:
    name, content, _what = damage
    _write_card(card_folder, name, content)
    _check_outcome(card_folder)


@settings(SETTINGS, max_examples=150)
@given(damage=raw_damage())
def test_raw_damage_is_loaded_or_located(card_folder: Path, damage: tuple[str, bytes, str]) -> None:
    name, content, _what = damage
    _write_card(card_folder, name, content)
    _check_outcome(card_folder)


@settings(SETTINGS, max_examples=30)
@given(damage=st.one_of(structured_damage(), raw_damage()))
def test_validate_command_prints_located_lines(
    card_folder: Path, damage: tuple[str, bytes, str], capsys: pytest.CaptureFixture[str]
) -> None:
    name, content, _what = damage
    _write_card(card_folder, name, content)
    capsys.readouterr()
    code = main(["validate", str(card_folder)])
    err = capsys.readouterr().err
    assert code in (0, 1), err
    assert "Traceback" not in err
    lines = err.splitlines()
    summary = lines.pop()
    if code == 0:
        assert ": valid (" in summary
    else:
        assert summary.endswith("error(s); the card was not used")
    assert lines or code == 0
    for line in lines:
        match = PROBLEM_LINE.match(line)
        assert match, line
        assert int(match.group(1)) >= 1 and int(match.group(2)) >= 1


def test_the_undamaged_card_loads() -> None:
    card, warnings = load_card(CARD_DIR)
    assert card.variants
    assert all(p.severity == "warning" for p in warnings)


number_like = st.one_of(
    st.text(
        alphabet="0123456789.,+-\u2212%kKMBTe·\u00d7x^⁰¹²³⁴⁵⁶⁷⁸⁹⁻±/ *†", min_size=1, max_size=24
    ),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)


@settings(SETTINGS, max_examples=400)
@given(new=number_like, old=number_like)
def test_every_score_text_is_read_and_compared_without_error(new: str, old: str) -> None:
    """Any text is a valid published value; what the build computes from two of them (their
    difference, the scale of a row, the number drawn) never raises."""
    from cardsite.card.values import difference, infer_scale, parse

    a, b = parse(new), parse(old)
    delta = difference(a, b)
    if delta is not None:  # of numbers cardsite draws (at most 10^15): never 300 digits
        assert len(delta.lstrip("+-").split(".")[0]) <= 16, (new, old, delta)
    infer_scale([new, old])
    for value in (a, b):
        if value.magnitude is not None:
            assert abs(value.magnitude) <= 1e15
