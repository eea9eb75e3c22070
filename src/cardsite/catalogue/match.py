"""Which results of different cards are the same benchmark, and which of those compare.

Two cards rarely spell a benchmark the same way ("MMLU (5-shot)", "MMLU", "mmlu"), and a
benchmark under two settings is two different measurements. Here:

* :func:`name_key` reduces a benchmark name to a key: letters and digits, lower case, with
  what the name says in brackets about its setting left out (``MMLU (Acc.)`` -> ``mmlu``);
  an ``aliases`` mapping (canonical name -> other names) joins names that still differ;
* :func:`setting_of` reads the setting: shots (from the row, or a ``5-shot`` in the name),
  metric (from the row, or a bracketed metric in the name) and chain of thought;
* :func:`group_results` puts every result under its benchmark key and, within it, under its
  setting. Results are side by side (one table, one chart, one sort) only within a setting;
  settings the card does not state are a setting of their own ("not stated"), never assumed
  equal to another.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cardsite.card.models import Benchmark

_BRACKETS = re.compile(r"\s*[\(\[][^()\[\]]*[\)\]]")
_SHOTS = re.compile(r"(\d+)\s*-?\s*shots?\b", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\s*(\d+)\s*$")
_COT = re.compile(r"\bcot\b|chain[- ]of[- ]thought", re.IGNORECASE)


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text).lower() if ch.isalnum())


def name_key(name: str, aliases: Mapping[str, str] | None = None) -> str:
    """The benchmark a name names, as a key (``"MMLU-Pro (CoT)"`` -> ``"mmlupro"``)."""
    plain = _BRACKETS.sub("", name).strip() or name
    key = _fold(plain) or _fold(name)
    return (aliases or {}).get(key, key)


def alias_keys(aliases: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """An aliases file (canonical name -> other names) as key -> canonical key."""
    mapping: dict[str, str] = {}
    for canonical, others in aliases.items():
        target = name_key(canonical)
        for other in others:
            mapping[name_key(other)] = target
    return mapping


@dataclass(frozen=True, order=True)
class Setting:
    """How a benchmark was run: the part that must match for two results to compare."""

    shots: str
    metric: str
    cot: bool

    def label(self) -> str:
        shots = f"{self.shots}-shot" if self.shots.isdigit() else self.shots or "shots not stated"
        metric = self.metric or "metric not stated"
        return f"{shots} · {metric}" + (" · chain of thought" if self.cot else "")


def setting_of(benchmark: Benchmark) -> Setting:
    name = benchmark.name + " " + (benchmark.label or "")
    shots = ""
    if benchmark.shots:
        found = _SHOTS.search(benchmark.shots) or _BARE_NUMBER.match(benchmark.shots)
        shots = found.group(1) if found else benchmark.shots.strip().lower()
    elif found := _SHOTS.search(name):
        shots = found.group(1)
    metric = benchmark.metric or ""
    if not metric:
        inner = [m.strip("()[] ") for m in _BRACKETS.findall(benchmark.name)]
        metric = next((m for m in inner if not _SHOTS.search(m) and not _COT.fullmatch(m)), "")
    cot = benchmark.cot or bool(_COT.search(name))
    return Setting(shots, _fold(metric), cot)


@dataclass(frozen=True)
class Entry:
    """One published result in a cross-card group: whose, and where it came from."""

    card: str
    benchmark: Benchmark
    variant: str
    subset: str | None
    text: str


def group_results(
    entries: Iterable[Entry], aliases: Mapping[str, str] | None = None
) -> dict[str, dict[Setting, list[Entry]]]:
    """benchmark key -> setting -> entries, for keys that two or more cards share."""
    groups: dict[str, dict[Setting, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for entry in entries:
        key = name_key(entry.benchmark.name, aliases)
        if entry.subset is not None:
            key = f"{key}-{_fold(entry.subset)}"
        groups[key][setting_of(entry.benchmark)].append(entry)
    return {
        key: dict(sorted(settings.items()))
        for key, settings in sorted(groups.items())
        if len({e.card for es in settings.values() for e in es}) >= 2
    }
