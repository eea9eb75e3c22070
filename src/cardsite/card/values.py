"""Published values: a cell's text exactly as the card prints it, and what that text means.

A card prints scores and figures in many forms: ``80.4``, ``62.12``, ``81.3%``, ``1.46M``,
``370k``, ``15T+``, ``42.2/36.6``, ``75.6/--``, ``2/30``, ``65.2 ± 1.3``, ``1.6·10²³``,
``Negligible**``. cardsite keeps the text as it is (the site prints it unchanged) and reads it
once, here, into a :class:`Published` value: its form, its leading number (exact, as a
:class:`~decimal.Decimal`) and any footnote markers glued to it. Every other module asks this
one for numbers: charts draw :attr:`Published.magnitude`, pages compute differences with
:func:`difference`, checks compare totals with :func:`total_matches`.

Any text is a valid value; text that holds no number is of form ``text`` and is printed, never
drawn.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from typing import Literal

from cardsite.card.limits import MAX_MAGNITUDE as MAX_DRAWABLE

_SUFFIXES = {"": 1, "k": 10**3, "K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_DASHES = frozenset({"-", "--", "---", "\u2013", "\u2014", "\u2212", "_"})

_NUMBER = (
    r"[+\-\u2212]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"  # 2,040 / 80.4 / -1.5
    r"|[+\-\u2212]?\.[0-9]+"  # .83
)
_SCIENTIFIC = (
    r"(?P<mant>[0-9]+(?:\.[0-9]+)?)\s*(?:[·\u00d7x*]\s*10\s*(?:\^\s*)?(?P<exp>[+\-\u2212]?[0-9]+)"
    r"|[·\u00d7x*]\s*10(?P<sup>[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)|[eE](?P<e>[+\-]?[0-9]+))"
)
_MARKERS = r"(?:\*+|[†‡§¶#]+|\^[0-9a-z]{1,2}|\[[0-9a-z]{1,2}\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
"""Footnote markers glued to a value: ``*``, ``**``, ``†``, ``^1``, ``[2]``, ``¹``."""

_SIMPLE = re.compile(rf"(?P<num>{_NUMBER})(?P<suffix>[kKMBT]?)(?P<plus>\+?)(?P<pct>\s?%)?")
_SCI = re.compile(_SCIENTIFIC)
_PAIR_SPLIT = re.compile(r"\s*/\s*")
_ERROR_SPLIT = re.compile(r"\s*(?:±|\+/-|\+-)\s*")
_TRAILING_MARKERS = re.compile(rf"(?<=[0-9%a-zA-Z.)])\s?(?P<marks>(?:{_MARKERS})+)$")


class Form(StrEnum):
    """What a published value is, read from its text."""

    NUMBER = "number"  # 80.4, 2,040, 1.46M, 15T+, 1.6·10²³
    PERCENT = "percent"  # 81.3%
    PAIR = "pair"  # 42.2/36.6, 75.6/-- (two scores in one cell)
    FRACTION = "fraction"  # 2/30 (a count out of a total)
    ERROR = "error"  # 65.2 ± 1.3 (a value and its error)
    TEXT = "text"  # Negligible, No multimodal support


NUMERIC = frozenset({Form.NUMBER, Form.PERCENT, Form.ERROR})
"""Forms with one number that means the whole value: drawn on charts, compared by Δ."""


@dataclass(frozen=True)
class Published:
    """A value as printed (:attr:`text`) and as read."""

    text: str
    form: Form
    number: Decimal | None = None
    """The leading number, with its K/M/B/T suffix applied (``1.46M`` -> 1460000)."""
    decimals: int = 0
    """Decimals the leading number is printed with (``62.12`` -> 2)."""
    suffix: str = ""
    second: str | None = None
    """The second part of a pair or fraction, or the error, as printed."""
    footnotes: tuple[str, ...] = ()
    """Footnote markers glued to the value (``85.2*`` -> ``("*",)``)."""

    @property
    def magnitude(self) -> float | None:
        """The number to draw: None for text, pairs and fractions, and for figures too large
        (or too small) to draw faithfully."""
        if self.form not in NUMERIC or self.number is None or abs(self.number) > MAX_DRAWABLE:
            return None
        return float(self.number)

    @property
    def is_dash(self) -> bool:
        return self.form is Form.TEXT and self.text.strip() in _DASHES


@cache
def parse(text: str) -> Published:
    """Read a published value. Never fails: what holds no number is :attr:`Form.TEXT`."""
    body, footnotes = _split_markers(text.strip())
    for reader in (_simple, _scientific, _error, _pair):
        value = reader(body, text, footnotes)
        if value is not None:
            return value
    return Published(text, Form.TEXT, footnotes=footnotes)


def is_dash(text: str) -> bool:
    """Whether a cell holds only a dash, the mark most cards print for "no score"."""
    return text.strip() in _DASHES


def _split_markers(text: str) -> tuple[str, tuple[str, ...]]:
    match = _TRAILING_MARKERS.search(text)
    if match is None:
        return text, ()
    head = text[: match.start()].rstrip()
    marks = tuple(re.findall(_MARKERS, match["marks"]))
    if not re.search(r"[0-9]", head):  # "Negligible**": text, with symbol markers only
        symbols = all(re.fullmatch(r"\*+|[†‡§¶#]+", m) for m in marks)
        return (head, marks) if symbols and head else (text, ())
    # "75.6/2" is a pair, "1.46M" a number: only take markers that leave a readable number.
    if _SIMPLE.fullmatch(head) or _PAIR_SPLIT.search(head) or _ERROR_SPLIT.search(head):
        return head, marks
    return text, ()


def _number(match: re.Match[str]) -> tuple[Decimal, int] | None:
    raw = match["num"].replace(",", "").replace("\u2212", "-")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    decimals = len(raw.split(".", 1)[1]) if "." in raw else 0
    return number * _SUFFIXES[match["suffix"]], decimals


def _simple(body: str, text: str, footnotes: tuple[str, ...]) -> Published | None:
    match = _SIMPLE.fullmatch(body)
    if match is None:
        return None
    read = _number(match)
    if read is None:
        return None
    number, decimals = read
    form = Form.PERCENT if match["pct"] else Form.NUMBER
    return Published(text, form, number, decimals, match["suffix"], footnotes=footnotes)


def _scientific(body: str, text: str, footnotes: tuple[str, ...]) -> Published | None:
    match = _SCI.fullmatch(body)
    if match is None:
        return None
    exponent = match["exp"] or match["e"] or (match["sup"] or "").translate(_SUPERSCRIPTS)
    try:
        power = int(exponent.replace("\u2212", "-"))
        number = Decimal(match["mant"]) * Decimal(10) ** power if abs(power) < 400 else None
    except (ValueError, InvalidOperation):
        return None
    if number is None:
        return Published(text, Form.TEXT, footnotes=footnotes)
    decimals = len(match["mant"].split(".", 1)[1]) if "." in match["mant"] else 0
    return Published(text, Form.NUMBER, number, decimals, footnotes=footnotes)


def _error(body: str, text: str, footnotes: tuple[str, ...]) -> Published | None:
    parts = _ERROR_SPLIT.split(body)
    if len(parts) != 2:
        return None
    first, second = (_SIMPLE.fullmatch(p) for p in parts)
    if first is None or second is None:
        return None
    read = _number(first)
    if read is None:
        return None
    number, decimals = read
    form = Form.ERROR
    return Published(text, form, number, decimals, first["suffix"], parts[1], footnotes)


def _pair(body: str, text: str, footnotes: tuple[str, ...]) -> Published | None:
    parts = _PAIR_SPLIT.split(body)
    if len(parts) != 2:
        return None
    first = _SIMPLE.fullmatch(parts[0])
    second = _SIMPLE.fullmatch(parts[1])
    if first is None or (second is None and parts[1] not in _DASHES):
        return None
    read = _number(first)
    if read is None:
        return None
    number, decimals = read
    whole = re.fullmatch(r"[0-9]+", parts[0]) and second and re.fullmatch(r"[0-9]+", parts[1])
    # "2/30": a count out of a total; "42.2/36.6": two scores in one cell.
    form = Form.FRACTION if whole and Decimal(parts[0]) <= Decimal(parts[1]) else Form.PAIR
    return Published(text, form, number, decimals, first["suffix"], parts[1], footnotes)


def infer_scale(texts: list[str]) -> Literal["0-1", "0-100", "unbounded"]:
    """The scale a row's scores are on, read from them when the card does not say: ``0-1``
    when every number is a fraction of one, ``0-100`` when every number fits in 0 to 100 (or
    any is a percentage), else ``unbounded``."""
    values = [parse(t) for t in texts]
    numbers = [v.magnitude for v in values if v.magnitude is not None]
    if any(v.form is Form.PERCENT for v in values) or not numbers:
        return "0-100"
    if all(0 <= n <= 1 for n in numbers) and any(0 < n < 1 for n in numbers):
        return "0-1"
    if all(0 <= n <= 100 for n in numbers):
        return "0-100"
    return "unbounded"


# --------------------------------------------------------------------------- arithmetic


def difference(new: Published, old: Published) -> str | None:
    """``66.7`` against ``65.3`` -> ``+1.4``: the difference of two comparable values, at the
    finer of their printed precisions, computed in decimal (no float noise). None when the two
    cannot be compared (text, pairs, different forms or suffixes) or either is beyond the
    numbers cardsite computes with (:data:`MAX_DRAWABLE`: ``1e300`` has no useful difference)."""
    if (
        new.magnitude is None
        or old.magnitude is None
        or new.form not in NUMERIC
        or new.form is not old.form
        or new.suffix != old.suffix
        or new.number is None
        or old.number is None
    ):
        return None
    scale = Decimal(_SUFFIXES[new.suffix])
    places = max(new.decimals, old.decimals)
    try:
        delta = (new.number - old.number) / scale
        text = f"{abs(delta):.{places}f}"
    except (InvalidOperation, ValueError, OverflowError):
        return None
    sign = "+" if delta > 0 else "-" if delta < 0 else ""
    return f"{sign}{text}{new.suffix}"


def total_matches(parts: list[Published], total: Published) -> bool | None:
    """Whether the parts add up to the total at the precision the total is printed with
    (``39.3M`` against 1.46M + 7.0M + 30.84M is a match). None when any is not a number."""
    if total.number is None or total.form not in NUMERIC:
        return None
    if any(p.number is None or p.form not in NUMERIC for p in parts):
        return None
    step = Decimal(_SUFFIXES[total.suffix]) * Decimal(10) ** -total.decimals
    added = sum((p.number for p in parts if p.number is not None), Decimal(0))
    return abs(added - total.number) <= step / 2


def plain(number: Decimal) -> str:
    """A computed number for a message (``11,391``, ``39.30M``); never used for published
    figures."""
    value = float(number)
    if not math.isfinite(value) or abs(number) > MAX_DRAWABLE:
        return f"{number:.3E}"
    return f"{value / 1e6:,.2f}M" if abs(value) >= 1e6 else f"{value:,.0f}"
